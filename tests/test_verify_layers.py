"""verify across layers: a policy that authorizes where a floor binding with it does not.

The policies here are written into a directory of their own, with their own vocabulary, so
the tests do not depend on the shipped policies (whose rules and exclusions change).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from itertools import product
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from forcecheck.checks.layers import compare_decisions, layer_pairs
from forcecheck.engine.explain import evaluate
from forcecheck.load.library import Library, policy_from_ref
from forcecheck.model.binding import common_agencies, common_span
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import Policy

from .conftest import invoke
from .strategies import policies
from .test_verify import with_exclusions

T, F, U = Value.TRUE, Value.FALSE, Value.UNKNOWN

VOCABULARY = """\
facts:
  subject_fleeing:
    question: Was the subject fleeing?
  escape_poses_imminent_danger:
    question: Would the escape pose an imminent danger of death or serious injury?
  significant_threat_if_escapes:
    question: Does the subject pose a significant threat of death or serious injury?
  verbal_warning_given:
    question: Was a warning given?
exclusions:
  escape_needs_flight:
    statement: No escape without flight.
    facts: {escape_poses_imminent_danger: true, subject_fleeing: false}
"""

#: The known case of issue 18: imminent danger of the escape, declared narrower than a
#: significant threat, is not excluded from holding without it.
NARROWER = """\
  imminent_danger_is_a_significant_threat:
    statement: An escape posing imminent danger means the subject poses a significant threat.
    facts: {escape_poses_imminent_danger: true, significant_threat_if_escapes: false}
"""

POLICY = """\
id: {id}
title: {id}
document: {id}
issuer: tests
agencies: {agencies}
layer: {layer}
effective: {effective}
superseded: {superseded}
sources:
  text:
    title: the text
decision: authorized
rules:
  authorized:
    title: Deadly force authorized
    all: [subject_fleeing, {danger}, verbal_warning_given]
    citation: {{source: text, section: "1", quote: q, wording: secondary}}
"""


def _write(
    directory: Path,
    policy_id: str,
    *,
    danger: str,
    layer: str,
    agencies: str = "[ICE]",
    effective: str = "2004-07-07",
    superseded: str = "null",
) -> Path:
    path = directory / f"{policy_id}.yaml"
    path.write_text(
        POLICY.format(
            id=policy_id,
            agencies=agencies,
            layer=layer,
            effective=effective,
            superseded=superseded,
            danger=danger,
        )
    )
    return path


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    """A component policy with the imminent-danger escape rule, and a floor with Garner's."""
    (tmp_path / "facts.yaml").write_text(VOCABULARY)
    _write(tmp_path, "component", danger="escape_poses_imminent_danger", layer="component")
    _write(
        tmp_path,
        "floor",
        danger="significant_threat_if_escapes",
        layer="constitution",
        agencies="[ALL]",
        effective="1985-03-27",
    )
    return tmp_path


def _load(path: Path, library: Library) -> Policy:
    return policy_from_ref(str(path), library)


def test_the_known_case_is_found_with_the_fewest_facts(lib: Path, library: Library) -> None:
    component, floor = _load(lib / "component.yaml", library), _load(lib / "floor.yaml", library)
    below, undetermined = compare_decisions(component, floor)
    assert below.floor_outcome is Outcome.NOT_AUTHORIZED
    assert below.counterexample is not None
    assert below.counterexample.facts == {
        "subject_fleeing": T,
        "escape_poses_imminent_danger": T,
        "significant_threat_if_escapes": F,
        "verbal_warning_given": T,
    }
    # The floor names what the policy lacks: its own decision fails on the significant threat.
    assert below.counterexample.floor_through == (("significant_threat_if_escapes", "false"),)
    assert "through significant_threat_if_escapes (false)" in below.counterexample.note
    # Leaving the significant threat unknown leaves the floor undetermined: one fact fewer.
    assert undetermined.floor_outcome is Outcome.UNDETERMINED
    assert undetermined.counterexample is not None
    assert undetermined.counterexample.fixed == 3
    assert "significant_threat_if_escapes" not in undetermined.counterexample.facts


def test_the_exclusion_makes_the_known_case_vanish(lib: Path, library: Library) -> None:
    (lib / "facts.yaml").write_text(VOCABULARY + NARROWER)
    component, floor = _load(lib / "component.yaml", library), _load(lib / "floor.yaml", library)
    below, undetermined = compare_decisions(component, floor)
    assert not below.looser
    # Nor the weaker kind: an account whose escape poses an imminent danger is evaluated
    # settled, so the floor hears of the significant threat it implies (model/settling.py).
    assert not undetermined.looser


def test_the_floor_against_a_stricter_policy_finds_nothing(lib: Path, library: Library) -> None:
    stricter = _write(
        lib, "strict", danger="{all: [significant_threat_if_escapes]}", layer="department"
    )
    results = compare_decisions(_load(stricter, library), _load(lib / "floor.yaml", library))
    assert [r.looser for r in results] == [False, False]


@pytest.mark.parametrize(
    ("change", "paired"),
    [
        ({}, True),
        # Ends the day the floor starts: no day both were in force.
        ({"effective": "1980-01-01", "superseded": "1985-03-27"}, False),
        ({"effective": "1980-01-01", "superseded": "1985-03-28"}, True),
        ({"agencies": "[CBP]"}, True),  # the floor binds ALL
        ({"layer": "benchmark"}, False),  # binds no one
        ({"layer": "constitution"}, False),  # not more specific than the floor
        ({"layer": "regulation"}, True),  # a regulation, too, sits above the Constitution's floor
    ],
)
def test_pairs_are_a_floor_that_can_bind_with_the_policy(
    lib: Path, library: Library, change: dict[str, str], paired: bool
) -> None:
    settings = {"layer": "component", **change}
    policy = _load(_write(lib, "mine", danger="escape_poses_imminent_danger", **settings), library)
    floor = _load(lib / "floor.yaml", library)
    assert bool(layer_pairs([policy], [floor])) is paired


def test_agencies_and_days_in_common(lib: Path, library: Library) -> None:
    def mine(policy_id: str, agencies: str, **dates: str) -> Policy:
        path = _write(
            lib, policy_id, danger="subject_fleeing", layer="component", **dates, agencies=agencies
        )
        return _load(path, library)

    policy = mine("a", "[ICE, CBP]")
    regulation = _load(
        _write(
            lib,
            "b",
            danger="subject_fleeing",
            layer="regulation",
            agencies="[cbp, DOJ]",
            effective="2010-01-01",
            superseded="2012-01-01",
        ),
        library,
    )
    floor = _load(lib / "floor.yaml", library)
    assert common_agencies(policy, regulation) == ("CBP",)
    assert common_agencies(policy, floor) == ("ICE", "CBP")  # the floor binds ALL
    assert common_span(policy, regulation) == (date(2010, 1, 1), date(2012, 1, 1))
    assert common_span(policy, floor) == (date(2004, 7, 7), None)
    doj = mine("c", "[DOJ]")
    assert layer_pairs([policy, doj], [regulation]) == [(policy, regulation), (doj, regulation)]
    assert layer_pairs([mine("d", "[FBI]")], [regulation]) == []
    assert layer_pairs([mine("e", "[CBP]", effective="2012-01-01")], [regulation]) == []


def test_policies_over_different_vocabularies_are_not_paired(lib: Path, library: Library) -> None:
    # The shipped floor's vocabulary is not this directory's: their facts need not agree.
    shipped_floor = library.get("constitutional-floor")
    assert layer_pairs([_load(lib / "component.yaml", library)], [shipped_floor]) == []


# ---------------------------------------------------------------- the command


def test_verify_reports_the_pair_and_passes_unless_strict(lib: Path) -> None:
    args = ["verify", str(lib / "component.yaml"), str(lib / "floor.yaml")]
    result = invoke([*args, "--table-format", "simple"])
    assert result.exit_code == 0, result.output
    assert "component (component)" in result.stdout
    assert "# Across layers: component authorizes where floor does not authorize:" in result.stdout
    assert "1 below the floor, 1 authorizing where it is undetermined" in result.stdout
    strict = invoke([*args, "--strict-layers"])
    assert strict.exit_code == 1
    assert strict.stdout == invoke(args).stdout


def test_strict_passes_when_the_exclusion_settles_the_floor(lib: Path) -> None:
    (lib / "facts.yaml").write_text(VOCABULARY + NARROWER)
    args = ["verify", str(lib / "component.yaml"), str(lib / "floor.yaml"), "--strict-layers"]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert "0 below the floor, 0 authorizing where it is undetermined" in result.stdout


def test_the_json_counterexample_runs_and_shows_the_two_outcomes(lib: Path) -> None:
    # Looser on a combination the shipped vocabulary allows (compare reads the scenario
    # against it): flight alone, where the floor wants a significant threat.
    _write(lib, "component", danger="subject_fleeing", layer="component")
    result = invoke(
        ["verify", str(lib / "component.yaml"), str(lib / "floor.yaml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # Additive: the properties' report keeps its shape.
    assert {"policies", "summary"} <= report.keys()
    assert report["layers_summary"] == {"pairs": 1, "below": 1, "undetermined": 1}
    (pair,) = report["layers"]
    assert pair["policy"] == {
        "id": "component",
        "policy": str(lib / "component.yaml"),
        "layer": "component",
        "reading": None,
    }
    assert pair["floor"]["id"] == "floor"
    assert (pair["agencies"], pair["from"], pair["to"]) == (["ICE"], "2004-07-07", None)
    below = pair["results"][0]
    assert (below["floor_outcome"], below["looser"]) == ("not_authorized", True)
    example = below["counterexample"]
    assert (example["status"], example["floor_status"]) == ("met", "unmet")
    assert {"name": "significant_threat_if_escapes", "status": "false"} in example["floor_through"]
    scenario = lib / "counterexample.yaml"
    scenario.write_text(example["scenario"])
    compared = invoke(
        [
            "compare",
            str(scenario),
            "--policies",
            f"{lib / 'component.yaml'},{lib / 'floor.yaml'}",
            "--format",
            "json",
        ]
    )
    assert compared.exit_code == 0, compared.output
    assert '"authorized"' in compared.stdout and '"not_authorized"' in compared.stdout


def test_a_policy_alone_is_checked_against_the_shipped_floor() -> None:
    result = invoke(["verify", "ice-2004", "--format", "json"])
    assert result.exit_code == 0, result.output
    floors = {pair["floor"]["id"] for pair in json.loads(result.stdout)["layers"]}
    assert "constitutional-floor" in floors


def test_no_pair_no_section() -> None:
    result = invoke(["verify", "doj-2022", "--table-format", "simple"])
    assert result.exit_code == 0, result.output
    assert "Across layers" not in result.stdout
    assert json.loads(invoke(["verify", "doj-2022", "-f", "json"]).stdout)["layers"] == []


# ---------------------------------------------------------------- against enumeration


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_the_check_agrees_with_enumeration(data: st.DataObject) -> None:
    policy = data.draw(policies(max_facts=6).flatmap(with_exclusions))
    other = data.draw(policies(max_facts=len(policy.vocabulary)))
    floor = replace(other, vocabulary=policy.vocabulary)
    assume(set(floor.facts_used) <= set(policy.vocabulary.ids))
    ids = policy.vocabulary.ids
    found: dict[Status, list[dict[str, Value]]] = {Status.UNMET: [], Status.UNKNOWN: []}
    for values in product(list(Value), repeat=len(ids)):
        facts = dict(zip(ids, values, strict=True))
        if policy.vocabulary.broken_exclusion(facts):
            continue
        if evaluate(policy, facts).rules[policy.spec.decision].status is not Status.MET:
            continue
        status = evaluate(floor, facts).rules[floor.spec.decision].status
        if status in found:
            found[status].append(facts)
    for result, status in zip(compare_decisions(policy, floor), found, strict=True):
        assert result.looser is bool(found[status])
        if result.counterexample is not None:
            full = {f: result.counterexample.facts.get(f, U) for f in ids}
            assert full in found[status]
            fewest = min(sum(v is not U for v in facts.values()) for facts in found[status])
            assert result.counterexample.fixed == fewest
