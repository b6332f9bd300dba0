"""The words for what a value rests on beyond one source, and for what became of an account.

A fact value may rest on several sources, which may disagree; a perceived value may have
later evidence beside it (``hindsight``); an account may have been retracted or
contradicted; an account or a discharge may count its shots. Every format shows these the
same way, worded here once as plain text (each format escapes it its own way) and as JSON.
None of it changes an outcome: rules read only the value (docs/scenario-format.md).
"""

from __future__ import annotations

from typing import Any, Protocol

from forcecheck.model.logic import Value
from forcecheck.model.scenario import Account, AccountStatus, FactEntry, FactSource, Hindsight
from forcecheck.render.common import wrap

#: Marks a value whose sources disagree, and a perceived value later evidence contradicts.
FLAG = "⚠"


class Attributed(Protocol):
    """A fact value with its attribution: a scenario's ``FactEntry`` or an ``AttributedFact``."""

    @property
    def value(self) -> Value: ...  # noqa: D102
    @property
    def source(self) -> str | None: ...  # noqa: D102
    @property
    def quote(self) -> str | None: ...  # noqa: D102
    @property
    def note(self) -> str | None: ...  # noqa: D102
    @property
    def sources(self) -> tuple[FactSource, ...]: ...  # noqa: D102
    @property
    def disagreement(self) -> str | None: ...  # noqa: D102
    @property
    def hindsight(self) -> Hindsight | None: ...  # noqa: D102


def _words(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def source_ids(fact: Attributed) -> list[str]:
    """Every source a value rests on, in the file's order (one, or none, for most)."""
    if fact.sources:
        return list(dict.fromkeys(item.source for item in fact.sources))
    return [fact.source] if fact.source else []


def item_text(item: FactSource, value: Value) -> str:
    """One of several sources: ``witness-a (says false): "..." — note``."""
    head = item.source
    if item.value is not None and item.value is not value:
        head += f" (says {item.value})"
    words = [f'"{_words(item.quote)}"' if item.quote else "", _words(item.note)]
    said = " — ".join(w for w in words if w)
    return f"{head}: {said}" if said else head


def disagreement_text(fact: Attributed) -> str | None:
    """``⚠ sources disagree: …`` when a source gives another value."""
    if fact.disagreement is None:
        return None
    return f"{FLAG} sources disagree: {_words(fact.disagreement)}"


def hindsight_text(fact: Attributed) -> str | None:
    """``perceived: true; later evidence: false (bodycam) — it was a phone``."""
    later = fact.hindsight
    if later is None:
        return None
    flag = f"{FLAG} " if later.value is not fact.value else ""
    text = f"{flag}perceived: {fact.value}; later evidence: {later.value}"
    if later.source:
        text += f" ({later.source})"
    words = [f'"{_words(later.quote)}"' if later.quote else "", _words(later.note)]
    said = " — ".join(w for w in words if w)
    return f"{text} — {said}" if said else text


def evidence_parts(fact: Attributed) -> list[str]:
    """Each of several sources, the entry's note, the disagreement and the later evidence.

    One phrase each; empty for a value with one source and nothing more.
    """
    parts = [item_text(item, fact.value) for item in fact.sources]
    if fact.sources and fact.note:
        parts.append(_words(fact.note))
    return [p for p in (*parts, disagreement_text(fact), hindsight_text(fact)) if p]


def quote_note_text(fact: Attributed) -> str:
    """The "quote or note" cell: the quote and note, or every source's, then what differs."""
    if fact.sources:
        return "; ".join(evidence_parts(fact))
    own = [f'"{fact.quote}"' if fact.quote else "", fact.note or ""]
    return "; ".join(
        p
        for p in (" — ".join(w for w in own if w), disagreement_text(fact), hindsight_text(fact))
        if p
    )


def extra_json(fact: Attributed) -> dict[str, Any]:
    """The additive JSON keys of a fact value: ``sources``, ``disagreement``, ``hindsight``.

    ``sources`` lists every source, each with its own ``value`` (null: the entry's), also
    when there is only one; ``source`` and ``quote`` beside it stay the first's.
    """
    if fact.sources:
        items = [
            {
                "source": item.source,
                "quote": item.quote,
                "note": item.note,
                "value": str(item.value) if item.value is not None else None,
            }
            for item in fact.sources
        ]
    elif fact.source is not None:
        items = [{"source": fact.source, "quote": fact.quote, "note": fact.note, "value": None}]
    else:
        items = []
    later = fact.hindsight
    return {
        "sources": items,
        "disagreement": fact.disagreement,
        "hindsight": None
        if later is None
        else {
            "value": str(later.value),
            "differs": later.value is not fact.value,
            "source": later.source,
            "quote": later.quote,
            "note": later.note,
        },
    }


def status_text(status: AccountStatus | None) -> str:
    """``RETRACTED 2026-02 by dhs-correction`` ("" when the account has no status)."""
    if status is None:
        return ""
    text = f"{FLAG} {status.state.upper()}"
    if status.date is not None:
        text += f" {status.date.isoformat()}"
    if status.by is not None:
        text += f" by {status.by}"
    return text


def status_detail(status: AccountStatus) -> str:
    """The status with its source and words, for the account's own section."""
    text = status_text(status)
    if status.source is not None:
        text += f" (source: {status.source})"
    words = [f'"{_words(status.quote)}"' if status.quote else "", _words(status.note)]
    said = " — ".join(w for w in words if w)
    text = f"{text}: {said.rstrip('.')}" if said else text
    return (
        text + ". It is still evaluated on its own facts; forcecheck does not decide which "
        "account is true."
    )


def shots_text(shots: int | None) -> str:
    """``2 shots`` ("" when not given)."""
    if shots is None:
        return ""
    return f"{shots} shot" + ("" if shots == 1 else "s")


def status_json(status: AccountStatus | None) -> dict[str, Any] | None:
    """An account's status as JSON (null: none)."""
    if status is None:
        return None
    return {
        "state": status.state,
        "date": status.date.isoformat() if status.date else None,
        "by": status.by,
        "source": status.source,
        "quote": status.quote,
        "note": status.note,
    }


def account_json(account: Account) -> dict[str, Any]:
    """The additive keys of an account in every JSON report: ``status`` and ``shots``."""
    return {"status": status_json(account.status), "shots": account.shots}


def status_suffix(account: Account | None) -> str:
    """`` — ⚠ RETRACTED 2026-02 by …`` after an account's name or outcome ("" if none)."""
    text = status_text(account.status) if account is not None else ""
    return f" — {text}" if text else ""


def column_mark(account: Account) -> str:
    """`` ⚠ retracted`` after an account's name in a column header ("" if no status)."""
    return f" {FLAG} {account.status.state}" if account.status is not None else ""


def divided_facts(account: Account) -> list[tuple[str | None, str, FactEntry]]:
    """The account's values that rest on sources that disagree, or have later evidence.

    Each as (discharge id or None, fact id, entry), the account's own facts first.
    """
    moments = [(None, account.facts), *((d.id, d.facts) for d in account.discharges)]
    return [
        (discharge, fact_id, entry)
        for discharge, facts in moments
        for fact_id, entry in facts.items()
        if entry.disagreement is not None or entry.hindsight is not None
    ]


def evidence_lines(account: Account | None) -> list[str]:
    """For the questions report: the account's status, and its divided values, as text."""
    if account is None:
        return []
    lines: list[str] = []
    if account.status is not None:
        lines += [*wrap(status_detail(account.status)), ""]
    divided = divided_facts(account)
    if divided:
        lines += wrap("Where the account's evidence is divided (no rule reads what differs):")
        for discharge, fact_id, entry in divided:
            at = f" @{discharge}" if discharge else ""
            words = [p for p in (disagreement_text(entry), hindsight_text(entry)) if p]
            if entry.sources:
                words.insert(0, "; ".join(item_text(i, entry.value) for i in entry.sources))
            lines += wrap(f"{fact_id}{at} is {entry.value}: " + " — ".join(words), "  - ", "    ")
        lines.append("")
    return lines


def divided_json(account: Account) -> list[dict[str, Any]]:
    """The account's divided values as JSON (the questions report's ``evidence``)."""
    return [
        {"fact": fact_id, "discharge": discharge, "value": str(entry.value), **extra_json(entry)}
        for discharge, fact_id, entry in divided_facts(account)
    ]
