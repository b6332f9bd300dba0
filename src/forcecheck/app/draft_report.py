"""``forcecheck draft``: a statement's text, the lexicon and the policy, into a draft account."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forcecheck.analysis.draft import Draft, make_draft
from forcecheck.app.resolution import resolve_policy
from forcecheck.errors import FileReadError, Location
from forcecheck.load.input_bytes import read_input
from forcecheck.load.lexicon_loader import load_lexicon, shipped_lexicon_path
from forcecheck.load.reader import decode_utf8


@dataclass(frozen=True)
class DraftReport:
    """A draft, with what the draft file names: the statement, the policy, the lexicon."""

    draft: Draft
    #: The statement as given (``<stdin>`` for ``-``).
    statement: str
    policy_id: str
    #: The policy as the draft's ``policy:`` line names it (an id, or the path given).
    policy_ref: str
    lexicon: str


def draft_report(
    statement: str | Path, policy: str | None = None, lexicon: str | Path | None = None
) -> DraftReport:
    """Read ``statement`` (``-``: standard input) and draft an account of it.

    ``policy`` (default: the default policy) is the one the draft names, whose conditions the
    stated conclusions are keyed by; ``lexicon`` defaults to the shipped one.
    """
    chosen = resolve_policy(policy)
    lexicon_path = Path(lexicon) if lexicon is not None else shipped_lexicon_path()
    phrases = load_lexicon(lexicon_path, chosen.vocabulary)
    shown, raw = read_input(statement)
    text = decode_utf8(raw, shown, "save the statement as UTF-8 text")
    if not text.strip():
        raise FileReadError(
            "the statement is empty",
            location=Location(shown),
            help="give the text of a statement or a filing (a .txt file, or - for standard input)",
        )
    draft = make_draft(text, phrases, chosen.vocabulary, chosen.rules, chosen.id)
    return DraftReport(
        draft=draft,
        statement=shown,
        policy_id=chosen.id,
        policy_ref=policy or chosen.id,
        lexicon=str(lexicon_path),
    )
