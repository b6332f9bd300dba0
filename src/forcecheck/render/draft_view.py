"""A draft account as scenario YAML to edit, and the table of what matched which words.

The YAML is a scenario in the full form with one account, ``agency``, and one source, the
statement: each proposed fact value and stated conclusion quotes the sentence that gives
it, verbatim, and its note gives the sentence's number, its characters in the statement
and the words that matched. What was matched but not proposed is listed in comments at the
end, so that the file shows everything the table shows.
"""

from __future__ import annotations

from pathlib import Path

from forcecheck.analysis.draft import Claim, Draft
from forcecheck.render.grid import grid
from forcecheck.render.yaml_text import yaml_scalar

#: The account a draft writes.
ACCOUNT = "agency"
#: The source id of the statement.
SOURCE = "statement"


def draft_yaml(draft: Draft, statement: str, policy_ref: str, lexicon: str) -> str:
    """The draft as a scenario file (full form: one account, one source)."""
    name = Path(statement).name if statement != "<stdin>" else "standard input"
    lines = [
        "# A draft account, proposed by `forcecheck draft` from the statement in "
        f"{_one_line(name)}",
        f"# with the phrase lexicon {_one_line(Path(lexicon).name)}. Each value quotes the "
        "sentence that gives it;",
        "# its note gives the sentence's number, its characters in the statement and the words",
        "# that matched. Stated conclusions are under `conclusions:`. Facts the statement does",
        "# not address are left out. Check every value against the statement before relying on",
        "# it, name the source below, then run `forcecheck questions` on this file.",
        f"title: {yaml_scalar('Draft account from ' + name)}",
        f"policy: {yaml_scalar(policy_ref)}"
        "   # or, for an incident, `date:` and `agency:` to be judged under every binding policy",
        "sources:",
        f"  {SOURCE}:",
        f"    title: {yaml_scalar(name)}   # who issued it, and where it was published",
        "    note: >-",
        "      Drafted by forcecheck draft. Sentence numbers and character offsets (from 0) refer",
        "      to the statement's text as given.",
        "    # publisher: ...",
        "    # date: YYYY-MM-DD",
        "    # url: https://...",
        "accounts:",
        f"  {ACCOUNT}:",
        "    title: The agency's statement",
        f"    source: {SOURCE}",
    ]
    if draft.conclusions:
        lines.append("    conclusions:")
        for claim in draft.conclusions:
            lines += [
                f"      {claim.name}:",
                f"        status: {claim.value}",
                f"        quote: {yaml_scalar(claim.match.sentence.text)}",
                f"        note: {yaml_scalar(_note(claim, conclusion=True))}",
            ]
    if draft.facts:
        lines.append("    facts:")
        for claim in draft.facts:
            lines += [
                f"      {claim.name}:",
                f"        value: {claim.value}",
                f"        quote: {yaml_scalar(claim.match.sentence.text)}",
                f"        note: {yaml_scalar(_note(claim, conclusion=False))}",
            ]
    else:
        lines.append("    facts: {}   # the lexicon found no fact value in the statement")
    withheld = [c for c in draft.claims if c.result.startswith("not proposed")]
    if withheld:
        lines.append("# Matched but not proposed:")
        for claim in withheld:
            lines.append(
                f"#   sentence {claim.match.sentence.number}, {claim.name} {claim.value}: "
                f"{_one_line(claim.result.removeprefix('not proposed: '))}"
            )
    return "\n".join(lines) + "\n"


def _note(claim: Claim, *, conclusion: bool) -> str:
    match = claim.match
    sentence = match.sentence
    what = "A stated conclusion, from the words" if conclusion else "From the words"
    negated = " (negated)" if match.negated else ""
    return (
        f"Sentence {sentence.number} (characters {sentence.start}-{sentence.end}). "
        f'{what} "{_one_line(match.words)}"{negated}, characters {match.start}-{match.end} '
        f"(lexicon entry {match.entry})."
    )


def _one_line(text: str) -> str:
    """``text`` on one line, safe in a YAML comment: control characters shown escaped."""
    return "".join(
        char if char.isprintable() else repr(char)[1:-1] for char in " ".join(text.split())
    )


def draft_table(draft: Draft, fmt: str = "simple") -> str:
    """What matched which words: one row per fact value or conclusion a match gives."""
    rows = [
        [
            str(claim.match.sentence.number),
            claim.match.words,
            claim.match.entry + (" (negated)" if claim.match.negated else ""),
            f"{'conclusion ' if claim.conclusion else ''}{claim.name}: {claim.value}",
            claim.result,
        ]
        for claim in draft.claims
    ]
    facts = len(draft.facts)
    conclusions = len(draft.conclusions)
    summary = (
        f"{len(draft.sentences)} sentences; proposed {facts} fact value"
        f"{'' if facts == 1 else 's'} and {conclusions} stated conclusion"
        f"{'' if conclusions == 1 else 's'}."
    )
    if not rows:
        return summary + " No phrase of the lexicon matched.\n"
    table = grid(
        rows,
        ["sentence", "words", "lexicon entry", "gives", "result"],
        fmt,
        maxcolwidths=[None, 36, 28, 40, 44],
    )
    return f"{summary}\n{table}\n"
