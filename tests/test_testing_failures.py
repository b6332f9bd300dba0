"""Short failures for policy repositories: a broken policy's property test says where, briefly.

A property test that fails must print the facts that matter (the fixed ones included), the
condition that broke, its status and the expected one, in a screenful, not an
``Evaluation(...)`` repr of thousands of characters.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

# Imported once here (see test_testing_plugin.py: pytester restores sys.modules).
import forcecheck.testing.cases
import forcecheck.testing.strategies  # noqa: F401
from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.engine.explain import evaluate
from forcecheck.load.library import shipped
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.model.logic import Outcome, Value
from forcecheck.testing import FactSet, assert_outcome, assert_status

from .conftest import ROOT, invoke

pytest_plugins = ["pytester"]

EXAMPLE = ROOT / "docs" / "examples" / "policy-repo"
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def broken_repo(pytester: pytest.Pytester) -> pytest.Pytester:
    """The documented example repository, with the bug docs/testing.md plants."""
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    policy = pytester.path / "policy" / "ecpd-2024.yaml"
    text = policy.read_text()
    assert "    not: warning_shot\n" in text
    policy.write_text(text.replace("    not: warning_shot\n", "    any: [warning_shot]\n"))
    return pytester


def failure_section(output: str, name: str) -> list[str]:
    """The lines pytest prints for one failing test, from its header to the next one."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"_+ {name} _+", line))
    after = next(
        (
            i
            for i in range(start + 1, len(lines))
            if re.fullmatch(r"(_+ \S.* _+|=+ .* =+)", lines[i])
        ),
        len(lines),
    )
    return lines[start:after]


_BLOB = "You can reproduce this test case by temporarily adding"


def _without_blob(section: list[str]) -> list[str]:
    """``section`` without hypothesis's reproduce-blob advice (printed where CI is set) and
    the blank line it adds before it."""
    kept: list[str] = []
    for line in section:
        if _BLOB in line:
            if kept and not kept[-1].lstrip("E").strip():
                kept.pop()
            continue
        kept.append(line)
    return kept


def _counted(section: list[str]) -> list[str]:
    """The failure's lines that count against its length: not blank, not hypothesis's blob."""
    return [line for line in section if line.strip() and _BLOB not in line]


def test_a_broken_policy_fails_its_property_test_in_a_few_lines(
    broken_repo: pytest.Pytester,
) -> None:
    result = broken_repo.runpytest_inprocess("tests", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, passed=3)
    section = failure_section(result.stdout.str(), "test_a_warning_shot_is_never_authorized")
    text = "\n".join(section)
    # pytest's own frames (the @given line, the test's source) included; not hypothesis's
    # own advice on reproducing, which it adds where CI is set (its print_blob setting).
    assert len(_counted(section)) < 25, text
    # The facts that matter, the fixed one included, and nothing else.
    assert "facts = FactSet(warning_shot=true)" in text
    assert "facts: warning_shot=true; the rest not addressed" in text
    # The condition that broke, its status and the expected one; the parts it reads.
    assert "outcome: expected not_authorized, got undetermined" in text
    assert "deadly_force_authorized (the decision) is unknown, expected unmet" in text
    assert "no_warning_shot: met" in text
    # Neither the dataclass repr nor hypothesis's list of facts drawn as None.
    assert "Evaluation(" not in text and "': None" not in text
    # Nor hypothesis's explanation pointing into forcecheck's own assertion code.
    assert "always and only run by failing" not in text
    # docs/testing.md shows this very failure.
    doc = (ROOT / "docs" / "testing.md").read_text()
    shown = doc[doc.index("### How a failing property test looks") :]
    shown = shown[shown.index("```\n") + 4 :]
    shown = shown[: shown.index("```")]
    assert [line.rstrip() for line in _without_blob(section)] == [
        x.rstrip() for x in shown.splitlines()
    ]


def test_assert_status_names_the_condition_and_the_facts_it_reads(
    broken_repo: pytest.Pytester,
) -> None:
    broken_repo.makepyfile(
        test_status="""
        from pathlib import Path
        from hypothesis import given, settings
        from forcecheck.engine.explain import evaluate
        from forcecheck.load.library import Library
        from forcecheck.testing import assert_status, fact_sets

        POLICY = Library(Path(__file__).parent / "policy").get("ecpd-2024")

        @settings(derandomize=True, deadline=None)
        @given(fact_sets(POLICY, fixed={"warning_shot": True}))
        def test_no_warning_shot_is_unmet(facts):
            assert_status(evaluate(POLICY, facts), "no_warning_shot", "unmet")
        """
    )
    result = broken_repo.runpytest_inprocess("test_status.py", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    section = failure_section(result.stdout.str(), "test_no_warning_shot_is_unmet")
    assert len(_counted(section)) < 25, "\n".join(section)
    result.stdout.fnmatch_lines(
        [
            "E * under ecpd-2024: condition 'no_warning_shot': expected unmet, got met",
            "E *facts: warning_shot=true; the rest not addressed",
            "E *no_warning_shot is met, expected unmet; it reads:",
            "E *warning_shot (fact): true",
        ]
    )


def test_a_scenario_file_failure_says_why(broken_repo: pytest.Pytester) -> None:
    result = broken_repo.runpytest_inprocess("scenarios", "-p", "no:cacheprovider", "-k", "armed")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "scenarios/drills/armed-attacker.yaml:*: account 'default': outcome: "
            "expected authorized, got not_authorized",
            "  facts: subject_threatened_deadly_force=true, threat_ended=false, "
            "shot_at_vehicle=false, warning_shot=false, verbal_warning_feasible=false; "
            "the rest not addressed",
            "  deadly_force_authorized (the decision) is unmet, expected met; it reads:",
            "    imminent_threat: met",
            "    no_warning_shot: unmet",
            "    moving_vehicle_rule: met",
        ]
    )


def test_results_print_short() -> None:
    library = shipped()
    scenario = load_scenario(
        SCENARIOS / "incidents" / "franklin-park-2025-09-12.yaml", library.vocabulary
    )
    policy = library.get("dhs-2023")
    result = evaluate_scenario(scenario, policy)
    for shown in (repr(result), repr(result.accounts[0]), repr(result.accounts[0].results[0])):
        assert len(shown) < 1000, shown
    assert repr(result).startswith("<ScenarioResult ")
    assert f"{result.accounts[0].name} {result.accounts[0].outcome}" in repr(result)
    assert len(repr(scenario)) < 2000
    evaluation = evaluate(policy, {"warning_shot": Value.TRUE})
    assert repr(evaluation) == "<Evaluation under dhs-2023: not_authorized; warning_shot=true>"
    assert repr(FactSet(warning_shot=Value.TRUE)) == "FactSet(warning_shot=true)"


def test_assertions_pass_silently_and_name_the_account_and_discharge() -> None:
    library = shipped()
    scenario = load_scenario(
        SCENARIOS / "incidents" / "franklin-park-2025-09-12.yaml", library.vocabulary
    )
    result = evaluate_scenario(scenario, library.get("dhs-2023"))
    for account in result.accounts:
        assert_outcome(account, account.outcome)
    other = next(o for o in Outcome if o is not result.accounts[0].outcome)
    with pytest.raises(AssertionError) as failed:
        assert_outcome(result.accounts[0], other)
    message = str(failed.value)
    assert message.startswith(f"account '{result.accounts[0].name}'")
    assert f"expected {other}, got {result.accounts[0].outcome}" in message
    assert len(message.splitlines()) < 20
    with pytest.raises(AssertionError, match="condition 'no_warning_shot': expected met"):
        assert_status(
            evaluate(library.get("dhs-2023"), {"warning_shot": Value.TRUE}),
            "no_warning_shot",
            "met",
        )


def test_verify_names_the_rule_that_breaks_a_property(tmp_path: Path) -> None:
    """The counterexample names no_warning_shot, not only the decision and every unknown."""
    text = (ROOT / "policy" / "dhs-2023.yaml").read_text()
    assert text.count("    not: warning_shot\n") == 1
    (tmp_path / "dhs-2023.yaml").write_text(
        text.replace("    not: warning_shot\n", "    any: [warning_shot]\n")
    )
    result = invoke(["verify", str(tmp_path / "dhs-2023.yaml"), "--format", "json"])
    assert result.exit_code == 1, result.output
    (prop,) = [
        p
        for p in json.loads(result.stdout)["policies"][0]["properties"]
        if p["id"] == "warning_shot_never_authorized"
    ]
    example = prop["counterexample"]
    assert example["facts"] == {"warning_shot": "true"}
    assert example["via"] == [{"name": "no_warning_shot", "status": "met"}]
    assert (
        "warning_shot, which it fixes, reaches it through no_warning_shot (met)"
        in (example["note"])
    )
    table = invoke(["verify", str(tmp_path / "dhs-2023.yaml")]).stdout
    assert "reaches it through no_warning_shot (met)" in " ".join(
        line.lstrip("# ") for line in table.splitlines()
    )
