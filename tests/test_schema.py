"""JSON Schema of the file formats: shipped, current, true to the loader, usable by editors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from forcecheck.load.library import Library
from forcecheck.load.schema import SchemaKind, schema_text, shipped_schema_path
from forcecheck.load.vocabulary_loader import load_vocabulary

from .conftest import ROOT, invoke

BAD = ROOT / "tests" / "fixtures" / "bad"
POLICY_REPO = ROOT / "docs" / "examples" / "policy-repo"


class _Yaml12Loader(yaml.SafeLoader):
    """Reads YAML as an editor's YAML 1.2 support does: `yes` and dates are plain text."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":bool", ":timestamp"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_as_editor(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)


def errors(kind: SchemaKind, data: Any) -> list[str]:
    """The schema's complaints about ``data``, as draft 7 (declared) and 2020-12 read it."""
    schema = json.loads(shipped_schema_path(kind).read_text())
    found = []
    for dialect in (Draft7Validator, Draft202012Validator):
        check = dialect(schema, format_checker=dialect.FORMAT_CHECKER)
        found.append([error.message for error in check.iter_errors(data)])
    assert bool(found[0]) == bool(found[1]), "the dialects disagree"
    return found[0]


SCENARIOS = [
    *sorted((ROOT / "scenarios").rglob("*.yaml")),
    ROOT / "docs" / "examples" / "example-drill.yaml",
]
POLICIES = [
    *sorted(
        p for p in (ROOT / "policy").glob("*.yaml") if p.name not in ("facts.yaml", "lexicon.yaml")
    ),
    ROOT / "docs" / "examples" / "example-policy.yaml",
    POLICY_REPO / "policy" / "ecpd-2024.yaml",
]


@pytest.mark.parametrize("kind", list(SchemaKind))
def test_committed_schema_is_what_the_command_prints(kind: SchemaKind) -> None:
    result = invoke(["schema", kind.value])
    assert result.exit_code == 0, result.stderr
    assert shipped_schema_path(kind).read_text() == result.stdout, (
        f"schemas/{kind.value}.json is stale: run "
        f"`forcecheck schema {kind.value} -o schemas/{kind.value}.json --force`"
    )


@pytest.mark.parametrize("kind", list(SchemaKind))
def test_schemas_are_valid_json_schema(kind: SchemaKind) -> None:
    schema = json.loads(shipped_schema_path(kind).read_text())
    Draft7Validator.check_schema(schema)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("kind", list(SchemaKind))
def test_no_constraint_beside_a_ref(kind: SchemaKind) -> None:
    # Draft 7 ignores every keyword beside a $ref: only annotations may stand there.
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                assert set(node) <= {"$ref", "default", "title"}, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(shipped_schema_path(kind).read_text()))


def test_scenario_is_the_default_kind() -> None:
    assert invoke(["schema"]).stdout == shipped_schema_path(SchemaKind.scenario).read_text()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_matches_the_schema(path: Path) -> None:
    assert errors(SchemaKind.scenario, read_as_editor(path)) == []


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_every_shipped_policy_matches_the_schema(path: Path) -> None:
    assert errors(SchemaKind.policy, read_as_editor(path)) == []


@pytest.mark.parametrize(
    "path", [ROOT / "policy" / "facts.yaml", POLICY_REPO / "policy/facts.yaml"]
)
def test_vocabularies_match_the_schema(path: Path) -> None:
    assert errors(SchemaKind.facts, read_as_editor(path)) == []


def test_a_policy_repository_gets_a_schema_of_its_own_facts(tmp_path: Path) -> None:
    facts = POLICY_REPO / "policy" / "facts.yaml"
    result = invoke(["schema", "scenario", "--vocabulary", str(facts)])
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert list(schema["$defs"]["Facts"]["properties"]) == list(load_vocabulary(facts).ids)
    own = Draft7Validator(schema)
    for path in sorted((POLICY_REPO / "scenarios").rglob("*.yaml")):
        assert list(own.iter_errors(read_as_editor(path))) == [], path


#: Bad files the loader refuses for their shape: the schema refuses them too. (The others
#: in tests/fixtures/bad are refused for names that must exist, contradictions, limits or
#: unreadable bytes, which a schema cannot see.)
SHAPE_ERRORS = [
    "scenario-top-level-list.yaml",
    "scenario-facts-list.yaml",
    "scenario-unknown-key.yaml",
    "scenario-unknown-key-in-fact.yaml",
    "scenario-facts-and-accounts.yaml",
    "scenario-misspelled-fact.yaml",
    "scenario-expect-bad-status.yaml",
    "scenario-impossible-date.yaml",
    "scenario-source-date-month-13.yaml",
    "scenario-source-date-two-digit-year.yaml",
    "scenario-incident-date-month-only.yaml",
    "scenario-merge-key.yaml",
    *(p.name for p in sorted(BAD.glob("scenario-value-*.yaml"))),
    "policy-agencies-not-a-list.yaml",
    "policy-bad-wording.yaml",
    "policy-empty-all.yaml",
    "policy-misspelled-key.yaml",
    "policy-misspelled-rule-key.yaml",
    "policy-not-and-all.yaml",
    "policy-unknown-expression-key.yaml",
]


@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_bad_shapes_are_refused_by_the_schema_too(name: str) -> None:
    kind = SchemaKind.policy if name.startswith("policy-") else SchemaKind.scenario
    assert errors(kind, read_as_editor(BAD / name)), f"the schema accepts {name}"


def test_the_value_corpus_is_all_there() -> None:
    # yes, no, on, off, null, ~, empty, quoted "true", numbers, maybe, Unknown...
    assert len([n for n in SHAPE_ERRORS if n.startswith("scenario-value-")]) >= 12


MINIMAL: dict[str, Any] = {"policy": "dhs-2023", "facts": {"warning_shot": True}}


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        (MINIMAL, True),
        ({"facts": {"warning_shot": "unknown", "subject_fleeing": False}}, True),
        ({"facts": {"warning_shot": {"value": True, "quote": "fired into the air"}}}, True),
        ({"facts": {"warning_shot": {"quote": "no value"}}}, False),
        ({"facts": {"warning_shot": "false"}}, False),
        ({"facts": {}}, True),
        ({"policy": "dhs-2023"}, False),
        ({"accounts": {}}, False),
        ({"accounts": {"video": {"facts": {"warning_shot": True}}}}, True),
        ({"accounts": {"video": {}}, "conclusions": {"imminent_threat": {"status": "met"}}}, False),
        ({"accounts": {"video": {}}, "discharges": [{"id": "shot-1"}]}, False),
        ({"accounts": {"video": {}}, "expect": {"outcome": "authorized"}}, False),
        (
            {
                "accounts": {"video": {}},
                "expect": {"accounts": {"video": {"outcome": "authorized"}}},
            },
            True,
        ),
        ({"facts": {}, "conclusions": {"imminent_threat": {"status": "met"}}}, True),
        ({"facts": {}, "conclusions": {"imminent_threat": {"status": "unknown"}}}, False),
        ({"facts": {}, "discharges": [{"title": "no id"}]}, False),
        ({"facts": {}, "discharges": [{"id": "s1", "facts": {"threat_ended": True}}]}, True),
        ({"facts": {}, "date": "2025-09-12"}, True),
        # The incident date chooses the layers by the day: a month alone is refused.
        ({"facts": {}, "date": "2025-09"}, False),
        ({"facts": {}, "date": 2025}, False),
        # A source's or an account's date is as precise as the source gives it.
        ({"facts": {}, "sources": {"a": {"title": "t", "date": "2026-02"}}}, True),
        ({"facts": {}, "sources": {"a": {"title": "t", "date": "2026"}}}, True),
        ({"facts": {}, "sources": {"a": {"title": "t", "date": 2026}}}, True),
        ({"facts": {}, "sources": {"a": {"title": "t", "date": "2026-02-14"}}}, True),
        ({"facts": {}, "sources": {"a": {"title": "t", "date": "2026-13"}}}, False),
        ({"facts": {}, "sources": {"a": {"title": "t", "date": "26-02"}}}, False),
        ({"facts": {}, "sources": {"a": {"title": "t", "date": 26}}}, False),
        ({"accounts": {"video": {"date": "2026-01", "facts": {}}}}, True),
        ({"accounts": {"video": {"date": "2026-1", "facts": {}}}}, False),
        # Shots: a whole number from 1 to 500, on an account, a discharge or the minimal form.
        ({"facts": {}, "shots": 3}, True),
        ({"facts": {}, "shots": 0}, False),
        ({"facts": {}, "shots": 501}, False),
        ({"facts": {}, "shots": "3"}, False),
        ({"facts": {}, "discharges": [{"id": "s1", "shots": 2}]}, True),
        ({"accounts": {"video": {"shots": 2}}}, True),
        ({"accounts": {"video": {}}, "shots": 2}, False),
        # An account's status.
        ({"accounts": {"video": {"status": {"state": "retracted", "date": "2026-02"}}}}, True),
        ({"accounts": {"video": {"status": {"state": "withdrawn"}}}}, False),
        ({"accounts": {"video": {"status": {"by": "x"}}}}, False),
        # Several sources per value, and later evidence.
        ({"facts": {"warning_shot": {"value": True, "sources": []}}}, False),
        ({"facts": {"warning_shot": {"value": True, "sources": [{"quote": "q"}]}}}, False),
        ({"facts": {"subject_armed": {"value": True, "hindsight": {"value": False}}}}, True),
        ({"facts": {"subject_armed": {"value": True, "hindsight": {"note": "n"}}}}, False),
    ],
)
def test_scenario_shapes_agree_with_the_loader(
    data: dict[str, Any], accepted: bool, library: Library, tmp_path: Path
) -> None:
    from forcecheck.errors import InputError
    from forcecheck.load.scenario_loader import load_scenario

    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    try:
        load_scenario(path, library.vocabulary)
        loaded = True
    except InputError:
        loaded = False
    assert loaded is accepted
    assert (errors(SchemaKind.scenario, data) == []) is accepted


RULE = {
    "title": "t",
    "citation": {"source": "d", "section": "1", "quote": "q", "wording": "verbatim"},
}


@pytest.mark.parametrize(
    ("rule", "accepted"),
    [
        ({"all": ["warning_shot", {"not": "subject_fleeing"}]}, True),
        ({"if": "shot_at_vehicle", "then": {"any": ["warning_shot", "subject_fleeing"]}}, True),
        ({"if": "shot_at_vehicle"}, False),
        ({"then": "warning_shot"}, False),
        ({"all": ["warning_shot"], "any": ["warning_shot"]}, False),
        ({"all": [{"not": "warning_shot", "any": ["subject_fleeing"]}]}, False),
        ({"all": [{"nto": "warning_shot"}]}, False),
        ({"any": []}, False),
        ({}, False),
    ],
)
def test_policy_rule_shapes_agree_with_the_loader(
    rule: dict[str, Any], accepted: bool, library: Library
) -> None:
    from forcecheck.errors import InputError
    from forcecheck.load.policy_loader import build_policy
    from forcecheck.load.reader import parse_text

    data = {
        "id": "p",
        "title": "P",
        "document": "D",
        "issuer": "I",
        "agencies": ["ICE"],
        "effective": "2024-01-01",
        "sources": {"d": {"title": "D"}},
        "decision": "r",
        "rules": {"r": {**RULE, **rule}},
        "properties": {
            "x": {"statement": "s", "citation": RULE["citation"], "is_not": "met"},
        },
    }
    try:
        build_policy(parse_text(json.dumps(data), "p.json"), library.vocabulary)
        loaded = True
    except InputError:
        loaded = False
    assert loaded is accepted
    assert (errors(SchemaKind.policy, data) == []) is accepted


def test_a_property_states_exactly_one_relation() -> None:
    defs = json.loads(shipped_schema_path(SchemaKind.policy).read_text())["$defs"]
    prop = Draft7Validator({"$defs": defs, "allOf": [{"$ref": "#/$defs/PropertySpec"}]})
    one = {"statement": "s", "citation": RULE["citation"], "is": "unmet"}
    assert list(prop.iter_errors(one)) == []
    assert list(prop.iter_errors({**one, "is_not": "met"}))
    assert list(prop.iter_errors({"statement": "s", "citation": RULE["citation"]}))


def test_editors_see_each_facts_question(library: Library) -> None:
    schema = json.loads(shipped_schema_path(SchemaKind.scenario).read_text())
    described = schema["$defs"]["Facts"]["properties"]
    assert list(described) == list(library.vocabulary.ids)
    question = " ".join(library.vocabulary.facts["warning_shot"].question.split())
    assert described["warning_shot"]["description"].startswith(question)


def test_schema_output_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "scenario.json"
    target.write_text("mine")
    refused = invoke(["schema", "-o", str(target)])
    assert refused.exit_code == 3
    assert "error: the file already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text() == "mine"
    assert invoke(["schema", "-o", str(target), "--force"]).exit_code == 0
    assert target.read_text() == schema_text(
        SchemaKind.scenario, Library(ROOT / "policy").vocabulary
    )


def test_vocabulary_option_is_for_scenarios_only() -> None:
    result = invoke(["schema", "policy", "--vocabulary", "policy/facts.yaml"])
    assert result.exit_code == 2
