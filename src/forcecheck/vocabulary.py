"""The fact vocabulary: every fact a policy or scenario may name, declared once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import SchemaError
from .source import read_document
from .validation import validate

FACT_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class Fact(BaseModel):
    """One atomic circumstance: its question, its meaning and its type."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: str = Field(min_length=1)
    description: str = ""
    type: Literal["boolean"] = "boolean"
    context_only: bool = Field(
        False,
        description="recorded for readers, on purpose used by no rule (lint does not warn)",
    )


class VocabularyFile(BaseModel):
    """The layout of ``facts.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: dict[str, Fact]


class Vocabulary:
    """The declared facts, by id, in the order the vocabulary file gives them."""

    def __init__(self, facts: Mapping[str, Fact], path: str = "<memory>") -> None:
        self.facts: dict[str, Fact] = dict(facts)
        self.path = path

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


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Read and validate a vocabulary file."""
    doc = read_document(path)
    parsed = validate(VocabularyFile, doc)
    for fact_id in parsed.facts:
        if not re.match(FACT_ID_PATTERN, fact_id):
            raise SchemaError(
                f"fact id '{fact_id}' is not a valid id",
                location=doc.locate(("facts", fact_id), key=True),
                help="use lower-case letters, digits and underscores, starting with a letter",
            )
    return Vocabulary(parsed.facts, path=str(path))
