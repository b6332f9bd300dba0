"""Quotation marks in an incident's prose enclose only words someone said or wrote.

A summary, title or note of a scenario with sources may quote a source, but only words the
scenario records as that source's: a fact's, conclusion's or status's ``quote``, or a passage
in a source's ``quotes`` list (or, for a policy's words, a citation's ``quote`` in the
library). A reader pasting the sentence into a draft then never attributes to someone words
they did not say. ``lint`` reports every other quotation, at its place in the file (check
``quotation``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from forcecheck.model.document import DocPath
from forcecheck.model.policy import Citation, Policy

#: Keys whose text is the scenario's own prose, where a quotation must be a recorded quote.
PROSE_KEYS = frozenset({"title", "summary", "note"})
#: Keys whose text is a source's own words.
QUOTE_KEYS = frozenset({"quote", "quotes"})
#: A quotation in double marks, curly or straight (single marks double as apostrophes).
_QUOTATION = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def flat(text: str) -> str:
    """``text`` compared loosely: one space, one apostrophe, no end punctuation.

    A quotation may end where the source's sentence goes on, so a full stop or comma at
    either end does not count.
    """
    return " ".join(text.translate(_APOSTROPHES).split()).strip(" .,;:")


def quotations(text: str) -> list[str]:
    """Every non-empty string ``text`` puts in double quotation marks, compared loosely."""
    found = (flat(curly or straight) for curly, straight in _QUOTATION.findall(text))
    return [quoted for quoted in found if quoted]


def _strings(node: Any, path: DocPath = ()) -> Iterator[tuple[DocPath, str]]:
    """Every string in a plain-data tree, with the path to it."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index))


def _key(path: DocPath) -> str | None:
    """The mapping key a string sits under (a list item's is its list's key)."""
    keys = [part for part in path if isinstance(part, str)]
    return keys[-1] if keys else None


def recorded_quotes(data: Any) -> list[str]:
    """Every ``quote`` and ``quotes`` passage in a scenario's plain data, compared loosely."""
    return [flat(text) for path, text in _strings(data) if _key(path) in QUOTE_KEYS]


def policy_quotes(policies: Iterable[Policy]) -> list[str]:
    """Every citation's quote in ``policies``: rules, readings, interpretations, properties."""

    def citations(policy: Policy) -> Iterator[Citation]:
        for rule in policy.rules.values():
            yield rule.citation
            yield from (reading.citation for reading in rule.readings)
            if rule.interpretation is not None:
                yield from rule.interpretation.rests_on
        yield from (prop.citation for prop in policy.properties.values())

    return [flat(citation.quote) for policy in policies for citation in citations(policy)]


def unquoted(data: Any, allowed: list[str]) -> list[tuple[DocPath, str]]:
    """Each quotation in the prose of ``data`` that no passage of ``allowed`` contains.

    Only a scenario that declares ``sources`` (an incident, whose claims are attributed to
    publications) is read: a drill without sources is a hypothetical, and the words its
    characters say are its author's. ``expect`` states outcomes, not anyone's words.
    """
    if not isinstance(data, dict) or not data.get("sources"):
        return []
    prose = {key: value for key, value in data.items() if key != "expect"}
    return [
        (path, quoted)
        for path, text in _strings(prose)
        if _key(path) in PROSE_KEYS
        for quoted in quotations(text)
        if not any(quoted in passage for passage in allowed)
    ]
