"""The codebook: every fact of the vocabulary, how to code it, and what reads it.

``forcecheck facts`` shows it to coders (reporters and trainers setting a scenario's
values), and ``docs/facts.md`` is its Markdown form.
"""

from __future__ import annotations

from collections.abc import Sequence

from forcecheck.errors import UnknownFactError, did_you_mean
from forcecheck.load.library import Library, active
from forcecheck.model.vocabulary import CodebookEntry


def codebook(ids: Sequence[str] = (), topic: str | None = None) -> list[CodebookEntry]:
    """The entries for ``ids`` (default: every fact), optionally of one ``topic`` only."""
    library = active()
    vocabulary = library.vocabulary
    for fact_id in ids:
        if fact_id not in vocabulary:
            raise UnknownFactError(
                f"unknown fact '{fact_id}'",
                help=did_you_mean(fact_id, vocabulary.ids) or "`forcecheck facts` lists them all",
            )
    topics = {fact.topic for fact in vocabulary.facts.values()}
    if topic is not None and topic not in topics:
        raise UnknownFactError(
            f"no fact has the topic '{topic}'",
            help="topics: " + ", ".join(sorted(t for t in topics if t)),
        )
    chosen = [
        fact_id
        for fact_id in (ids or vocabulary.ids)
        if topic is None or vocabulary.facts[fact_id].topic == topic
    ]
    readers = _readers(library)
    return [
        CodebookEntry(
            fact_id,
            vocabulary.facts[fact_id],
            tuple(
                (exclusion_id, exclusion)
                for exclusion_id, exclusion in vocabulary.exclusions.items()
                if fact_id in exclusion.facts
            ),
            readers.get(fact_id, ()),
        )
        for fact_id in chosen
    ]


def _readers(library: Library) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for policy in library.policies():
        by_fact: dict[str, list[str]] = {}
        for rule in policy.rules.values():
            for fact_id in rule.facts:
                by_fact.setdefault(fact_id, []).append(rule.id)
        for fact_id, rules in by_fact.items():
            found.setdefault(fact_id, []).append((policy.id, tuple(rules)))
    return {fact_id: tuple(entries) for fact_id, entries in found.items()}
