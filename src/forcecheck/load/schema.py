"""JSON Schema of forcecheck's file formats: scenarios, policies and the fact vocabulary.

Each schema is generated from the very pydantic models the loader validates with
(:class:`~forcecheck.model.scenario.ScenarioSpec`,
:class:`~forcecheck.load.policy_file.PolicyFile`,
:class:`~forcecheck.load.vocabulary_loader.VocabularyFile`). Where the loader checks more
than a layout's fields say, the layout declares that too (the short form of a fact value, the
minimal and full forms of a scenario, the rule language, one relation per property), so the
schema describes the shapes the loader accepts.

A scenario's fact ids are those of a vocabulary: the scenario schema lists them, each with
its question, so an editor can complete fact names, show the question on hover and flag a
misspelt one. What a schema cannot say is left to the loader and ``forcecheck lint``: that a
named source, rule, account or policy exists, that facts do not contradict an exclusion,
the limits on accounts times discharges, and the policy id matching its file name.

The shipped schemas are committed under ``schemas/`` (and installed as package data) so
that an editor can use them without running forcecheck; a test keeps them identical to
:func:`schema_text`'s output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forcecheck.model.vocabulary import Vocabulary

#: The dialect the schemas declare. pydantic writes for draft 2020-12, but nothing here needs
#: more than draft 7, which is what yaml-language-server (VS Code's YAML support) reads; a
#: test checks that the schemas mean the same under both.
DIALECT = "http://json-schema.org/draft-07/schema#"


class SchemaKind(StrEnum):
    """The file formats that have a schema."""

    scenario = "scenario"
    policy = "policy"
    facts = "facts"
    lexicon = "lexicon"


def scenario_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of a scenario file whose facts are those of ``vocabulary``."""
    from forcecheck.model.scenario import ScenarioSpec

    schema = _generate(
        ScenarioSpec,
        "forcecheck scenario",
        "One incident or drill: facts (minimal form) or named accounts (full form), optional "
        "discharges and expectations. See docs/scenario-format.md.",
    )
    defs = schema["$defs"]
    defs["Facts"] = {
        "description": f"fact id -> value; the facts are declared in {Path(vocabulary.path).name}",
        "type": "object",
        "properties": {
            # allOf, not a bare $ref: draft 7 ignores the words beside a $ref, and the
            # question is what an editor shows on hover.
            fact_id: {
                "allOf": [{"$ref": "#/$defs/FactEntry"}],
                "description": _fact_words(vocabulary, fact_id),
            }
            for fact_id in vocabulary.ids
        },
        "additionalProperties": False,
    }
    # Every mapping of fact values (top-level, per account, per discharge) names facts of
    # the vocabulary: point them all at the one definition that lists them.
    _replace(
        schema,
        lambda node: node.get("additionalProperties") == {"$ref": "#/$defs/FactEntry"},
        lambda node: {
            "$ref": "#/$defs/Facts",
            **{k: v for k, v in node.items() if k not in ("additionalProperties", "type")},
        },
    )
    return schema


def policy_schema() -> dict[str, Any]:
    """The JSON Schema of a policy file."""
    from forcecheck.load.policy_file import PolicyFile

    return _generate(
        PolicyFile,
        "forcecheck policy",
        "One policy document's cited rules, decision rule, findings and properties. "
        "See docs/policy-language.md.",
    )


def vocabulary_schema() -> dict[str, Any]:
    """The JSON Schema of the fact vocabulary (``facts.yaml``)."""
    from forcecheck.load.vocabulary_loader import VocabularyFile

    return _generate(
        VocabularyFile,
        "forcecheck fact vocabulary",
        "Every fact a policy or scenario may name, with its question, and the combinations "
        "of values that cannot hold together (exclusions).",
    )


def lexicon_schema() -> dict[str, Any]:
    """The JSON Schema of the phrase lexicon of ``forcecheck draft`` (``lexicon.yaml``)."""
    from forcecheck.model.lexicon import LexiconFile

    return _generate(
        LexiconFile,
        "forcecheck phrase lexicon",
        "Which words of a statement propose which fact values and stated conclusions "
        "(`forcecheck draft`). See docs/reporting.md.",
    )


def schema_for(kind: SchemaKind, vocabulary: Vocabulary) -> dict[str, Any]:
    """The schema of ``kind`` (a scenario's facts are ``vocabulary``'s)."""
    if kind is SchemaKind.scenario:
        return scenario_schema(vocabulary)
    if kind is SchemaKind.policy:
        return policy_schema()
    if kind is SchemaKind.lexicon:
        return lexicon_schema()
    return vocabulary_schema()


def schema_text(kind: SchemaKind, vocabulary: Vocabulary) -> str:
    """The schema of ``kind`` as the JSON text ``forcecheck schema`` prints (and ships)."""
    return json.dumps(schema_for(kind, vocabulary), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_dir() -> Path:
    """Where the committed schemas are: in the installed package, or the checkout's root."""
    installed = Path(__file__).resolve().parents[1] / "schemas"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "schemas"


def shipped_schema_path(kind: SchemaKind) -> Path:
    """The committed schema file of ``kind`` (``schemas/scenario.json``...)."""
    return shipped_schema_dir() / f"{kind.value}.json"


def _generate(layout: type[Any], title: str, description: str) -> dict[str, Any]:
    from forcecheck.load.validation import adapter

    generated = adapter(layout).json_schema()
    generated["title"] = title
    generated["description"] = description
    # The dialect first, then the rest as pydantic ordered it (deterministic).
    return {"$schema": DIALECT, **generated}


def _fact_words(vocabulary: Vocabulary, fact_id: str) -> str:
    fact = vocabulary.facts[fact_id]
    words = " ".join(fact.question.split())
    if fact.description:
        words += "\n\n" + " ".join(fact.description.split())
    return words


def _replace(
    node: Any,
    matches: Callable[[dict[str, Any]], bool],
    replacement: Callable[[dict[str, Any]], dict[str, Any]],
) -> Any:
    """Replace, in place and recursively, every mapping that ``matches``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and matches(value):
                node[key] = replacement(value)
            else:
                _replace(value, matches, replacement)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict) and matches(value):
                node[index] = replacement(value)
            else:
                _replace(value, matches, replacement)
    return node
