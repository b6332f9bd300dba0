"""`forcecheck verify` from the command line, and the properties a policy file declares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from forcecheck.checks.verify import ProofResult, verify_policy
from forcecheck.errors import MissingReferenceError, SchemaError, UnknownFactError
from forcecheck.load.library import Library, policy_from_ref

from .conftest import ROOT, invoke

DHS = ROOT / "policy" / "dhs-2023.yaml"
DROPPED_NOT = ("      - not: threat_ended\n    citation:", "      - threat_ended\n    citation:")


def _broken_copy(tmp_path: Path) -> Path:
    """dhs-2023 with the `not` dropped from `imminent_threat` (a threat that ended counts)."""
    text = DHS.read_text()
    assert text.count(DROPPED_NOT[0]) == 1
    path = tmp_path / "dhs-2023.yaml"
    path.write_text(text.replace(*DROPPED_NOT))
    return path


def test_every_shipped_policy_verifies() -> None:
    result = invoke(["verify"])
    assert result.exit_code == 0, result.output
    assert "violated" not in result.stdout.split("\n\n")[0].replace("0 violated", "")
    assert result.stdout.rstrip().endswith("0 violated")


def test_a_dropped_not_is_caught_with_a_counterexample_that_evaluate_runs(
    tmp_path: Path,
) -> None:
    broken = _broken_copy(tmp_path)
    result = invoke(["verify", str(broken), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    verdicts = {p["id"]: p["verdict"] for p in report["policies"][0]["properties"]}
    assert verdicts["ended_threat_authorizes_nothing"] == "violated"
    assert verdicts["monotonicity"] == verdicts["soundness"] == "proved"
    (prop,) = [
        p
        for p in report["policies"][0]["properties"]
        if p["id"] == "ended_threat_authorizes_nothing"
    ]
    example = prop["counterexample"]
    # With the `not` dropped, an ended threat no longer rules the imminent-threat basis out.
    # The facts the property fixes are not enough on their own: an ended threat settles
    # that the subject was not attacking and not being driven at (the exclusions), so the
    # counterexample is a car whose path is unclear, as few facts as that takes.
    assert example["facts"]["subject_fleeing"] == "false"
    assert example["facts"]["threat_ended"] == "true"
    assert len(example["facts"]) <= 6
    # It names the rule that breaks it, and the fact that rule turns on, not only the
    # decision.
    through = [(link["name"], link["status"]) for link in example["through"]]
    assert through[0] == ("deadly_force_authorized", "unknown")
    assert ("imminent_threat", "unknown") in through
    assert "it turns on" in example["note"] and "imminent_threat (unknown)" in example["note"]
    scenario = tmp_path / "counterexample.yaml"
    scenario.write_text(example["scenario"])
    assert yaml.safe_load(example["scenario"])["policy"] == str(broken.resolve())
    evaluated = invoke(["evaluate", str(scenario), "--format", "json"])
    assert evaluated.exit_code == 0, evaluated.output
    shown = json.loads(evaluated.stdout)
    # The property says not_authorized; the broken policy cannot say so.
    assert shown["outcome"] == "undetermined"
    conditions = {c["id"]: c["status"] for c in shown["evaluations"][0]["conditions"]}
    assert conditions["imminent_threat"] == "unknown"


def test_the_table_prints_each_counterexample_as_a_scenario(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path)
    result = invoke(["verify", str(broken), "--table-format", "github"])
    assert result.exit_code == 1
    rows = [line.split("|") for line in result.stdout.splitlines() if line.startswith("| dhs")]
    verdicts = {row[2].strip(): row[3].strip() for row in rows}
    assert verdicts["ended_threat_authorizes_nothing"] == "violated"
    assert verdicts["warning_shot_never_authorized"].startswith("proved")
    block = result.stdout[result.stdout.index("# Counterexample to property 'ended_threat") :]
    block = block[: block.index("\n\n")]
    assert yaml.safe_load(block)["facts"]["threat_ended"] is True
    assert "here: deadly_force_authorized is unknown, but the property says" in block
    assert result.stdout.rstrip().endswith("2 violated")


def test_an_unknown_policy_is_bad_input() -> None:
    result = invoke(["verify", "dhs-2032"])
    assert result.exit_code == 3
    assert "did you mean 'dhs-2023'?" in result.stderr


def _policy_with(tmp_path: Path, properties: str) -> Path:
    text = DHS.read_text()
    text = text[: text.index("\nproperties:")] + "\nproperties:\n" + properties
    path = tmp_path / "dhs-2023.yaml"
    path.write_text(text)
    return path


PROPERTY = """\
  p:
    statement: A warning shot is never authorized.
    given:
      facts: {warning_shot: true}
    is: unmet
    citation: {source: doj-2004, section: "1.D", quote: Warning shots, wording: secondary}
"""


@pytest.mark.parametrize(
    ("change", "error", "fragment", "hint"),
    [
        (
            ("warning_shot: true", "warning_shots: true"),
            UnknownFactError,
            "fixes an undeclared fact 'warning_shots'",
            "did you mean 'warning_shot'?",
        ),
        (
            ("    is: unmet", "    rule: no_warning_shots\n    is: unmet"),
            MissingReferenceError,
            "a rule 'no_warning_shots'",
            "did you mean 'no_warning_shot'?",
        ),
        (
            ("facts: {warning_shot: true}", "conditions: {lawfull_basis: met}"),
            MissingReferenceError,
            "condition 'lawfull_basis'",
            "did you mean 'lawful_basis'?",
        ),
        (
            ("    is: unmet", "    is: unmet\n    is_not: met"),
            SchemaError,
            "exactly one of is, is_not, at_most, at_least (found: is, is_not)",
            "split several claims",
        ),
        (("    is: unmet", "    is: authorized"), SchemaError, "'is'", None),
        (
            ("source: doj-2004", "source: doj-2044"),
            MissingReferenceError,
            "undeclared source",
            "did you mean 'doj-2004'?",
        ),
        (("    is: unmet", "    ls: unmet"), SchemaError, "unknown key 'ls'", None),
    ],
    ids=["fact", "rule", "condition", "two-claims", "status", "source", "key"],
)
def test_a_bad_property_is_a_located_input_error(
    tmp_path: Path,
    library: Library,
    change: tuple[str, str],
    error: type[Exception],
    fragment: str,
    hint: str | None,
) -> None:
    path = _policy_with(tmp_path, PROPERTY.replace(*change))
    with pytest.raises(error) as caught:
        policy_from_ref(str(path), library)
    raised = caught.value
    assert fragment in str(raised)
    assert getattr(raised, "location", None) is not None
    assert raised.location.line > 300  # type: ignore[attr-defined]
    if hint:
        assert hint in (raised.help or "")  # type: ignore[attr-defined]
    result = invoke(["verify", str(path)])
    assert result.exit_code == 3 and result.stdout == ""


def test_a_property_nothing_can_satisfy_is_vacuous(tmp_path: Path, library: Library) -> None:
    # Excluded by the vocabulary: a shot solely to disable the vehicle is a shot at it.
    vacuous = PROPERTY.replace(
        "{warning_shot: true}", "{shot_solely_to_disable_vehicle: true, shot_at_vehicle: false}"
    )
    path = _policy_with(tmp_path, vacuous)
    (result,) = verify_policy(policy_from_ref(str(path), library)).failed
    assert result.verdict is ProofResult.VACUOUS
    shown = invoke(["verify", str(path)])
    assert shown.exit_code == 1
    assert "property 'p' is vacuous" in shown.stdout
