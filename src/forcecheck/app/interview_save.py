"""``forcecheck interview --save`` into an existing scenario file: the answers, and nothing else.

The file keeps its metadata, sources, comments and other accounts byte for byte; only the
interviewed account's ``facts:`` entries for the facts answered are written
(:mod:`forcecheck.load.scenario_edit`). The result is validated as a scenario before the
caller writes it, so a file that would not load is never written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from forcecheck.errors import InputError, Location, MissingReferenceError, did_you_mean
from forcecheck.load.input_bytes import read_input
from forcecheck.load.reader import decode_utf8, parse_bytes, parse_text
from forcecheck.load.scenario_edit import with_facts
from forcecheck.load.scenario_loader import build_scenario
from forcecheck.model.vocabulary import Vocabulary


def saved_into(
    path: Path, account: str | None, entries: Mapping[str, Any], vocabulary: Vocabulary
) -> str:
    """The text of the scenario file ``path`` with ``entries`` set in ``account``'s facts.

    ``account`` names the interviewed account; a file in the minimal form has one, whatever
    it is called. ``entries`` maps each answered fact to its entry as plain data. Raises
    an :class:`InputError` when ``path`` is not a valid scenario, names no such account,
    or would not be one with the answers (they break an exclusion with its other facts).
    """
    shown, raw = read_input(path)
    scenario = build_scenario(parse_bytes(raw, shown), vocabulary)
    target: str | None = None
    if scenario.spec.accounts is not None:
        accounts = scenario.accounts
        if account is None or account not in accounts:
            raise MissingReferenceError(
                f"the file has no account '{account}' to write the answers into"
                if account
                else "the file has several accounts: which one do the answers belong to?",
                location=scenario.doc.locate(("accounts",), key=True),
                help=(did_you_mean(account, accounts) if account else None)
                or "name it with --account (its accounts: " + ", ".join(accounts) + ")",
            )
        target = account
    text = decode_utf8(raw, shown, "save the file as UTF-8")
    updated = with_facts(text, shown, target, entries)
    try:
        build_scenario(parse_text(updated, shown), vocabulary)
    except InputError as exc:
        raise type(exc)(
            f"the answers do not fit this file, so nothing was written: {exc.message}",
            location=Location(shown),
            help=exc.help,
        ) from None
    return updated
