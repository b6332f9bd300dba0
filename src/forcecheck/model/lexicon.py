"""The phrase lexicon of ``forcecheck draft``: which words propose which fact values.

A lexicon (``policy/lexicon.yaml``) is data a reader can audit: a lookup lemmatizer
(``forms``), the cues of negation, the phrases that attribute a sentence to someone other
than its author or hedge it, and the entries, each with its patterns, the fact values and
the stated conclusion its words give, and why. This module holds the records and the
pattern language; :mod:`forcecheck.load.lexicon_loader` reads a file into them and
:mod:`forcecheck.analysis.draft` matches them against a statement.

A pattern is words separated by spaces: ``word`` matches a token whose lemma (or whose own
lower-case form) is ``word``; ``a|b`` either; ``=ran`` that exact form only; ``...`` up to
:data:`GAP` tokens (words or commas).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from forcecheck.model.hints import Hint, record_config

#: How many tokens ``...`` may skip.
GAP = 4
#: An entry id, as a fact id is written.
ENTRY_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True, slots=True)
class ConclusionClaim:
    """The condition a phrase claims, and the status it claims for it."""

    __pydantic_config__ = record_config()

    condition: Annotated[
        str, Hint(min_length=1, description="a rule id of the policy (imminent_threat, ...)")
    ]
    status: Literal["met", "unmet"] = "met"


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """Phrases, and what their words give: fact values, a stated conclusion, or both."""

    __pydantic_config__ = record_config()

    why: Annotated[
        str, Hint(min_length=1, description="why these words give these values (auditable)")
    ]
    patterns: Annotated[tuple[str, ...], Hint(min_length=1, description="see the file's header")]
    facts: Annotated[
        dict[str, Annotated[bool, Hint(strict=True)]],
        Hint(description="fact id -> the value the words give"),
    ] = field(default_factory=dict)
    negated: Annotated[
        dict[str, Annotated[bool, Hint(strict=True)]],
        Hint(
            description="fact id -> the value when the words are negated; a negated match "
            "proposes nothing else"
        ),
    ] = field(default_factory=dict)
    conclusion: Annotated[
        ConclusionClaim | None, Hint(description="the stated conclusion the words are")
    ] = None


@dataclass(frozen=True, slots=True)
class Negation:
    """The negation cues, and how many tokens before a match they are looked for."""

    __pydantic_config__ = record_config()

    cues: Annotated[tuple[str, ...], Hint(min_length=1)]
    window: Annotated[int, Hint(ge=0, le=10, strict=True)] = 4


@dataclass(frozen=True, slots=True)
class LexiconFile:
    """The layout of ``lexicon.yaml``."""

    __pydantic_config__ = record_config()

    entries: Annotated[
        dict[str, LexiconEntry],
        Hint(json_schema_extra={"propertyNames": {"pattern": ENTRY_ID_PATTERN}}),
    ]
    forms: Annotated[
        dict[str, tuple[str, ...]], Hint(description="lemma -> its inflected forms")
    ] = field(default_factory=dict)
    negation: Negation = field(default_factory=lambda: Negation(cues=("not", "n't", "never")))
    attribution: Annotated[
        tuple[str, ...],
        Hint(description="patterns: a matching sentence reports someone else's claim"),
    ] = ()
    hedges: Annotated[
        tuple[str, ...],
        Hint(description="patterns: a matching sentence does not assert what it says"),
    ] = ()


@dataclass(frozen=True, slots=True)
class Word:
    """One step of a pattern: a token whose lemma or form is one of ``options``."""

    options: frozenset[str]
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Gap:
    """One step of a pattern: up to :data:`GAP` tokens skipped."""


Step = Word | Gap


class PatternError(ValueError):
    """A pattern that does not parse; the message says why."""


def parse_pattern(text: str) -> tuple[Step, ...]:
    """The steps of one pattern; a :class:`PatternError` if it is malformed."""
    steps: list[Step] = []
    for part in text.split():
        if part in ("...", "…"):
            if not steps or isinstance(steps[-1], Gap):
                raise PatternError("`...` must stand between two words")
            steps.append(Gap())
            continue
        exact = part.startswith("=")
        options = part[1:] if exact else part
        words = [w for w in options.lower().replace("’", "'").split("|")]
        if not all(words):
            raise PatternError(f"'{part}' has an empty alternative")
        steps.append(Word(frozenset(words), exact))
    if not steps:
        raise PatternError("the pattern is empty")
    if isinstance(steps[-1], Gap):
        raise PatternError("`...` must stand between two words")
    return tuple(steps)


@dataclass(frozen=True)
class CompiledEntry:
    """An entry with its patterns parsed."""

    id: str
    entry: LexiconEntry
    patterns: tuple[tuple[str, tuple[Step, ...]], ...]


@dataclass(frozen=True)
class Lexicon:
    """A loaded lexicon: its entries with parsed patterns, and the lemma of every form."""

    path: str
    entries: tuple[CompiledEntry, ...]
    lemmas: dict[str, str]
    negation_cues: frozenset[str]
    negation_window: int
    attribution: tuple[tuple[str, tuple[Step, ...]], ...] = ()
    hedges: tuple[tuple[str, tuple[Step, ...]], ...] = ()
