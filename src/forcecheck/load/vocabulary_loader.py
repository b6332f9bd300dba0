"""Loading the fact vocabulary (``facts.yaml``): its layout, and ids checked one by one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from forcecheck.errors import SchemaError, UnknownFactError, did_you_mean
from forcecheck.load.input_bytes import input_name
from forcecheck.load.reader import parse_bytes, read_document
from forcecheck.load.validation import validate
from forcecheck.model.hints import Hint, record_config
from forcecheck.model.vocabulary import FACT_ID_PATTERN, Exclusion, Fact, Vocabulary


@dataclass(frozen=True, slots=True)
class VocabularyFile:
    """The layout of ``facts.yaml``."""

    __pydantic_config__ = record_config()

    facts: Annotated[
        dict[str, Fact], Hint(json_schema_extra={"propertyNames": {"pattern": FACT_ID_PATTERN}})
    ]
    exclusions: Annotated[
        dict[str, Exclusion],
        Hint(json_schema_extra={"propertyNames": {"pattern": FACT_ID_PATTERN}}),
    ] = field(default_factory=dict)


def load_vocabulary(path: str | Path, *, raw: bytes | None = None) -> Vocabulary:
    """Read and validate a vocabulary file (``raw``: its content, if read already)."""
    doc = read_document(path) if raw is None else parse_bytes(raw, input_name(path))
    parsed = validate(VocabularyFile, doc)
    for fact_id in parsed.facts:
        if not re.match(FACT_ID_PATTERN, fact_id):
            raise SchemaError(
                f"fact id '{fact_id}' is not a valid id",
                location=doc.locate(("facts", fact_id), key=True),
                help="use lower-case letters, digits and underscores, starting with a letter",
            )
        if parsed.facts[fact_id].context_only and not parsed.facts[fact_id].context_reason:
            raise SchemaError(
                f"fact '{fact_id}' is context_only but does not say why",
                location=doc.locate(("facts", fact_id, "context_only")),
                help="add `context_reason:` saying why no rule reads the fact",
            )
    for exclusion_id, exclusion in parsed.exclusions.items():
        if not re.match(FACT_ID_PATTERN, exclusion_id):
            raise SchemaError(
                f"exclusion id '{exclusion_id}' is not a valid id",
                location=doc.locate(("exclusions", exclusion_id), key=True),
                help="use lower-case letters, digits and underscores, starting with a letter",
            )
        for fact_id in exclusion.facts:
            if fact_id not in parsed.facts:
                raise UnknownFactError(
                    f"exclusion '{exclusion_id}' names an undeclared fact '{fact_id}'",
                    location=doc.locate(("exclusions", exclusion_id, "facts", fact_id), key=True),
                    help=did_you_mean(fact_id, parsed.facts) or "declare the fact under `facts:`",
                )
    return Vocabulary(parsed.facts, path=str(path), exclusions=parsed.exclusions)
