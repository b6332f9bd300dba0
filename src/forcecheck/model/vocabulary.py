"""The fact vocabulary: every fact a policy or scenario may name, declared once.

Beside the facts, the vocabulary may declare **exclusions**: combinations of fact values
that the facts' meanings make impossible (a shot aimed solely at disabling a vehicle that
was not fired at a vehicle). A scenario that states such a combination is refused, and
``forcecheck verify`` proves properties only over combinations that can occur.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from forcecheck.model.hints import Hint, record_config
from forcecheck.model.logic import Value

FACT_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True, slots=True)
class HardCase:
    """A known hard case of coding one fact, the value to set, and the drill that shows it."""

    __pydantic_config__ = record_config()

    case: Annotated[str, Hint(min_length=1, description="the situation, as accounts put it")]
    answer: Annotated[str, Hint(min_length=1, description="how to set the fact, and why")]
    drill: Annotated[
        str | None,
        Hint(description="a training scenario (path from the repository root) that shows it"),
    ] = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One atomic circumstance: its question, its meaning and its type."""

    __pydantic_config__ = record_config()

    question: Annotated[str, Hint(min_length=1)]
    description: str = ""
    type: Literal["boolean"] = "boolean"
    topic: Annotated[
        str | None,
        Hint(description="what part of an incident the fact is about (reports group by it)"),
    ] = None
    whether: Annotated[
        str | None,
        Hint(
            description="the question in a few words, as a clause after 'whether' ('another "
            "option was available'): summaries say what an open outcome turns on with it"
        ),
    ] = None
    context_only: Annotated[
        bool,
        Hint(description="recorded for readers, on purpose used by no rule (lint does not warn)"),
    ] = False
    context_reason: Annotated[
        str | None,
        Hint(description="why no rule reads a context-only fact (required with context_only)"),
    ] = None
    rule_of_thumb: Annotated[
        str | None,
        Hint(description="how to set the fact so that two careful coders set the same value"),
    ] = None
    hard_cases: tuple[HardCase, ...] = ()
    perception: Annotated[
        bool,
        Hint(
            description="judged as a reasonable officer at the scene perceived it at the "
            "moment; an account may add what later evidence shows (`hindsight`)"
        ),
    ] = False


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Fact values that cannot all hold at once, and why."""

    __pydantic_config__ = record_config()

    statement: Annotated[
        str, Hint(min_length=1, description="why these values cannot hold together")
    ]
    facts: Annotated[
        dict[str, Annotated[bool, Hint(strict=True)]],
        Hint(min_length=2, description="fact id -> true or false; no account may hold all of them"),
    ]

    def broken_by(self, values: Mapping[str, Value]) -> bool:
        """Whether ``values`` holds every value of this exclusion (unknown holds none)."""
        return all(
            values.get(fact_id) is (Value.TRUE if value else Value.FALSE)
            for fact_id, value in self.facts.items()
        )

    def describe(self) -> str:
        """The combination in words: ``a is true and b is false``."""
        return " and ".join(
            f"{fact_id} is {'true' if value else 'false'}" for fact_id, value in self.facts.items()
        )


@dataclass(frozen=True)
class BrokenExclusion:
    """An exclusion that a set of fact values breaks."""

    id: str
    exclusion: Exclusion


@dataclass(frozen=True)
class CodebookEntry:
    """One fact with its exclusions and the rules that read it, policy by policy."""

    id: str
    fact: Fact
    exclusions: tuple[tuple[str, Exclusion], ...]
    #: (policy id, rule ids reading the fact directly), in library order.
    read_by: tuple[tuple[str, tuple[str, ...]], ...]


def whether_text(fact_id: str, fact: Fact | None) -> str:
    """``whether …`` for a fact in a summary: its ``whether`` clause, else its id."""
    if fact is not None and fact.whether:
        return f"whether {fact.whether}"
    return f"whether {fact_id} holds"


class Vocabulary:
    """The declared facts, by id, in the order the vocabulary file gives them."""

    def __init__(
        self,
        facts: Mapping[str, Fact],
        path: str = "<memory>",
        exclusions: Mapping[str, Exclusion] | None = None,
    ) -> None:
        self.facts: dict[str, Fact] = dict(facts)
        self.path = path
        self.exclusions: dict[str, Exclusion] = dict(exclusions or {})

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self.facts

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every fact id, in declaration order."""
        return tuple(self.facts)

    def broken_exclusion(self, values: Mapping[str, Value]) -> BrokenExclusion | None:
        """The first exclusion (in file order) that ``values`` breaks, if any."""
        for exclusion_id, exclusion in self.exclusions.items():
            if exclusion.broken_by(values):
                return BrokenExclusion(exclusion_id, exclusion)
        return None
