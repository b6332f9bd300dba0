"""Named readings of an open text: loading, the policy under each reading, verify and lint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from forcecheck.checks.lint import lint_paths
from forcecheck.checks.verify import ProofResult, verify_policy
from forcecheck.engine.explain import evaluate
from forcecheck.load.library import Library
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.model.readings import applies, reading_named, variants

from .conftest import policy_from_rules, vocabulary_of

T, F, U = Value.TRUE, Value.FALSE, Value.UNKNOWN
_CITATION = {"source": "src", "section": "1", "quote": "q", "wording": "verbatim"}


def _reading(expr: dict[str, Any]) -> dict[str, Any]:
    return {"why": "the text reads both ways", "citation": _CITATION, **expr}


def _two_readings() -> Policy:
    """``decision = all(basis, f2)``; ``basis`` is f0 by default, ``any(f0, f1)`` broadly."""
    return policy_from_rules(
        {
            "decision": {"all": ["basis", "f2"]},
            "basis": {
                "all": ["f0"],
                "reading": "narrow",
                "readings": {"broad": _reading({"any": ["f0", "helper"]})},
            },
            "helper": {"all": ["f1"]},
        },
        vocabulary_of(3),
    )


def test_the_default_reading_is_the_policy_as_written() -> None:
    policy = _two_readings()
    assert policy.rules["basis"].reading == "narrow"
    assert [r.name for r in policy.rules["basis"].readings] == ["broad"]
    facts = {"f0": F, "f1": T, "f2": T}
    assert evaluate(policy, facts).outcome is Outcome.NOT_AUTHORIZED


def test_an_alternative_reading_is_the_policy_with_one_rule_read_otherwise() -> None:
    policy = _two_readings()
    (variant,) = variants(policy)
    assert variant.label == "basis.broad"
    assert reading_named(policy, "basis.broad") is variant
    # The alternative uses `helper`, which must come before `basis` in its order.
    order = variant.policy.order
    assert order.index("helper") < order.index("basis")
    facts = {"f0": F, "f1": T, "f2": T}
    assert evaluate(variant.policy, facts).outcome is Outcome.AUTHORIZED
    assert variants(policy) is variants(policy)  # made once per policy


def test_a_promise_under_one_reading_applies_where_that_rule_is_read_so() -> None:
    policy = _two_readings()
    (variant,) = variants(policy)
    assert applies((), policy, variant) and applies((), policy, None)
    assert applies(("basis.narrow",), policy, None)
    assert not applies(("basis.narrow",), policy, variant)
    assert applies(("basis.broad",), policy, variant)
    assert not applies(("basis.broad",), policy, None)


def test_verify_names_the_reading_that_breaks_a_property(tmp_path: Path) -> None:
    policy = _two_readings()
    from forcecheck.model.citation import Citation
    from forcecheck.model.logic import Status
    from forcecheck.model.properties import Property, Relation

    citation = Citation(**_CITATION)  # type: ignore[arg-type]
    prop = Property(
        id="f0_needed",
        statement="Without f0, never authorized.",
        citation=citation,
        rule="decision",
        relation=Relation.IS,
        status=Status.UNMET,
        facts={"f0": F},
    )
    from dataclasses import replace

    broken = verify_policy(replace(policy, properties={"f0_needed": prop}))
    result = broken.results[0]
    assert result.verdict is ProofResult.VIOLATED
    assert result.reading == "basis.broad"
    assert result.readings == ("default", "basis.broad")
    assert result.counterexample is not None
    # f1 unknown leaves the broad reading's basis unknown: not unmet, as promised.
    assert result.counterexample.facts == {"f0": F}
    assert str(result.counterexample.status) == "unknown"

    narrow = replace(prop, under=("basis.narrow",))
    kept = verify_policy(replace(policy, properties={"f0_needed": narrow})).results[0]
    assert kept.verdict is ProofResult.PROVED
    assert kept.readings == ("default",)


def test_the_shipped_dhs_policy_declares_its_open_points(library: Library) -> None:
    labels = {v.label for v in variants(library.get("dhs-2023"))}
    assert {
        "lawful_basis.imminence_governs",
        "moving_vehicle_rule.fleeing_standard_counts",
        "verbal_warning_rule.escapes_only",
    } <= labels
    assert all(
        r.verdict is ProofResult.PROVED for r in verify_policy(library.get("dhs-2023")).results
    )


def test_lint_checks_a_reading_s_verbatim_quote(tmp_path: Path, library: Library) -> None:
    policy_dir = tmp_path / "policy"
    (policy_dir / "sources").mkdir(parents=True)
    source = Path("docs/examples/example-policy.yaml").read_text()
    text = source.replace("id: example-policy", "id: mine").replace(
        "  threat:\n    title: Imminent threat to a person\n",
        "  threat:\n    title: Imminent threat to a person\n"
        "    reading: narrow\n"
        "    readings:\n"
        "      broad:\n"
        "        why: Any threat counts.\n"
        "        citation:\n"
        "          source: directive\n"
        '          section: "2.1"\n'
        "          quote: words the directive never says\n"
        "          wording: verbatim\n"
        "        any: [subject_threatened_deadly_force, subject_armed]\n",
    )
    (policy_dir / "mine.yaml").write_text(text)
    (policy_dir / "sources" / "directive.md").write_text(
        "# Directive\n\n## 2.1\n\n> Officers may use deadly force only to stop an imminent "
        "threat. an imminent threat of death or serious bodily injury\n"
        "> Officers should not step into the path of a moving vehicle.\n"
        "> should not step into the path of a moving vehicle\n"
    )
    found = [d for d in lint_paths([policy_dir / "mine.yaml"], library) if d.check == "verbatim"]
    line = text[: text.index("words the directive")].count("\n") + 1
    (flagged,) = [d for d in found if d.location.line == line]
    assert "rule 'threat'" in flagged.message


def test_lint_counts_a_rule_only_a_reading_uses_as_used(tmp_path: Path) -> None:
    policy = _two_readings()
    assert "helper" not in policy.conditions
    assert "helper" in variants(policy)[0].policy.conditions


@pytest.mark.parametrize("key", ["reading", "readings"])
def test_a_reading_needs_its_partner(key: str) -> None:
    from forcecheck.errors import SchemaError

    rule: dict[str, Any] = {"all": ["f0"]}
    if key == "reading":
        rule["reading"] = "narrow"
    else:
        rule["readings"] = {"broad": _reading({"all": ["f1"]})}
    with pytest.raises(SchemaError):
        policy_from_rules({"decision": rule}, vocabulary_of(2))


# ---------------------------------------------------------------- reports

ALLEY = "scenarios/training/36-old-homicide-suspect-runs-down-alley.yaml"
DRIVER = "scenarios/training/45-shot-at-fleeing-driver-after-shooting.yaml"


def test_evaluate_json_lists_every_reading_and_which_differ() -> None:
    import json

    from .conftest import invoke

    shown = json.loads(invoke(["evaluate", ALLEY, "--format", "json"]).stdout)
    assert shown["outcome"] == "authorized"  # the contract's key: the default reading
    by_label = {f"{r['rule']}.{r['reading']}": r for r in shown["readings"]}
    governs = by_label["lawful_basis.imminence_governs"]
    assert governs["differs"] is True
    assert governs["default_reading"] == "separate_bases"
    assert governs["accounts"][0]["outcome"] == "not_authorized"
    assert governs["accounts"][0]["default_outcome"] == "authorized"
    assert by_label["verbal_warning_rule.escapes_only"]["differs"] is False
    # The strictest row stays at the default readings, with the reading that would change it.
    # The strictest row stays at the default readings; where it is authorized, the reading
    # that would make it not authorized is named beside it (a floor that does not authorize
    # already makes it not authorized, and then no reading changes it).
    (strictest,) = shown["strictest"]
    if strictest["outcome"] == "authorized":
        assert {
            "policy": "dhs-2023",
            "reading": "lawful_basis.imminence_governs",
            "outcome": "not_authorized",
        } in strictest["readings"]
    beliefs = {c["id"]: c["belief"] for c in shown["evaluations"][0]["conditions"]}
    assert beliefs["imminent_threat"] == "reasonable_belief"
    assert beliefs["lawful_basis"] is None


def test_the_table_says_which_reading_decides_otherwise() -> None:
    from .conftest import invoke

    text = " ".join(invoke(["evaluate", DRIVER]).stdout.split())
    assert "authorized under reading fleeing_standard_counts of moving_vehicle_rule" in text
    assert "not_authorized under the default reading (reported_exceptions)" in text
    agree = invoke(["evaluate", "scenarios/training/01-armed-attacker.yaml"]).stdout
    assert "dhs-2023: readings all agree" in " ".join(agree.split())


def test_check_reports_a_wrong_outcome_under_a_reading(tmp_path: Path) -> None:
    from .conftest import invoke

    wrong = (
        Path(DRIVER)
        .read_text()
        .replace(
            "moving_vehicle_rule.fleeing_standard_counts: authorized",
            "moving_vehicle_rule.fleeing_standard_counts: undetermined",
        )
    )
    drill = tmp_path / "drill.yaml"
    drill.write_text(wrong)
    result = invoke(["check", str(drill)])
    assert result.exit_code == 1
    assert (
        "outcome under reading moving_vehicle_rule.fleeing_standard_counts: expected "
        "undetermined, got authorized" in result.stdout
    )


def test_compare_and_questions_show_the_readings() -> None:
    import json

    from .conftest import invoke

    compared = json.loads(
        invoke(
            ["compare", DRIVER, "--policies", "dhs-2023,constitutional-floor", "-f", "json"]
        ).stdout
    )
    (dhs,) = compared["readings"]
    assert dhs["policy"] == "dhs-2023"
    assert any(r["differs"] for r in dhs["readings"])
    asked = invoke(["questions", DRIVER]).stdout
    assert "under reading fleeing_standard_counts of moving_vehicle_rule" in asked


def test_explain_reads_back_every_reading() -> None:
    from .conftest import invoke

    text = invoke(["explain", "moving_vehicle_rule", "--policy", "dhs-2023"]).stdout
    assert "DEFAULT READING `reported_exceptions`:" in text
    assert "READING `fleeing_standard_counts` (instead of the default):" in text
