"""The pytest plugin, run the way a policy repository runs it (pytest's own pytester).

Every run is in-process (``runpytest_inprocess``) and picks the plugin up through its
``pytest11`` entry point, as an installed forcecheck does.
"""

from __future__ import annotations

import shutil

import pytest

# Imported here, once: pytester restores sys.modules after every in-process run, so a
# module first imported inside one (hypothesis takes a second) would be imported again
# by the next.
import forcecheck.testing.cases
import forcecheck.testing.strategies  # noqa: F401

from .conftest import ROOT

pytest_plugins = ["pytester"]

EXAMPLE = ROOT / "docs" / "examples" / "policy-repo"
SCENARIO_ITEMS = [
    "scenarios/drills/armed-attacker.yaml::default",
    "scenarios/drills/car-could-step-aside.yaml::default",
    "scenarios/drills/flight-alone.yaml::default",
    "scenarios/incidents/disputed-car-stop.yaml::agency",
    "scenarios/incidents/disputed-car-stop.yaml::video",
]


@pytest.fixture
def repo(pytester: pytest.Pytester) -> pytest.Pytester:
    """A copy of the documented example policy repository."""
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    return pytester


def scenarios_only(repo: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run just the scenario items (the example's property tests are run once, below)."""
    return repo.runpytest_inprocess("scenarios", "-p", "no:cacheprovider", *args)


@pytest.mark.slow
def test_the_example_repository_passes_as_documented(repo: pytest.Pytester) -> None:
    result = repo.runpytest_inprocess("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4 + len(SCENARIO_ITEMS))
    for item in SCENARIO_ITEMS:
        result.stdout.fnmatch_lines([f"{item} PASSED*"])
    result.stdout.fnmatch_lines(["tests/test_props.py::test_a_warning_shot_is_never_authorized*"])


def test_a_wrong_expectation_fails_with_expected_and_got(repo: pytest.Pytester) -> None:
    drill = repo.path / "scenarios/drills/flight-alone.yaml"
    drill.write_text(
        drill.read_text()
        .replace("outcome: not_authorized", "outcome: authorized")
        .replace("imminent_threat: unmet", "imminent_threat: unknown")
    )
    result = scenarios_only(repo)
    result.assert_outcomes(passed=len(SCENARIO_ITEMS) - 1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ flight-alone.yaml: default _*",
            "scenarios/drills/flight-alone.yaml:10:12: account 'default': outcome: "
            "expected authorized, got not_authorized",
            "scenarios/drills/flight-alone.yaml:12:22: account 'default': condition "
            "'imminent_threat': expected unknown, got unmet",
            "FAILED scenarios/drills/flight-alone.yaml::default*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_failing_discharge_is_named(repo: pytest.Pytester) -> None:
    incident = repo.path / "scenarios/incidents/disputed-car-stop.yaml"
    incident.write_text(
        incident.read_text().replace(
            "shot-2: {outcome: not_authorized", "shot-2: {outcome: authorized"
        )
    )
    result = scenarios_only(repo, "-k", "video")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "scenarios/incidents/disputed-car-stop.yaml:*: account 'video', discharge "
            "'shot-2': outcome: expected authorized, got not_authorized",
        ]
    )


def test_an_invalid_file_is_a_failing_item_with_its_located_error(repo: pytest.Pytester) -> None:
    (repo.path / "scenarios/drills/typo.yaml").write_text(
        "policy: ecpd-2024\nfacts: {warning_shot: ture}\nexpect: {outcome: not_authorized}\n"
    )
    (repo.path / "scenarios/drills/unknown-fact.yaml").write_text(
        "policy: ecpd-2024\nfacts: {warning_shots: true}\n"
    )
    result = scenarios_only(repo)
    # Collection goes on: every good scenario still runs.
    result.assert_outcomes(passed=len(SCENARIO_ITEMS), failed=2)
    result.stdout.fnmatch_lines(
        [
            "scenarios/drills/typo.yaml:2:23: error: fact 'warning_shot': a fact value must be "
            "true, false or unknown, not 'ture'",
            "help: a fact value is true, false or unknown (unquoted, lower case)",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "scenarios/drills/unknown-fact.yaml:2:9: error: unknown fact 'warning_shots'",
            "help: did you mean 'warning_shot'?",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "FAILED scenarios/drills/typo.yaml::invalid*",
            "FAILED scenarios/drills/unknown-fact.yaml::invalid*",
        ]
    )


def test_an_expectation_naming_a_missing_condition_is_an_invalid_file(
    repo: pytest.Pytester,
) -> None:
    drill = repo.path / "scenarios/drills/armed-attacker.yaml"
    drill.write_text(drill.read_text().replace("imminent_threat: met", "iminent_threat: met"))
    result = scenarios_only(repo, "-k", "armed")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "scenarios/drills/armed-attacker.yaml:13:5: error: `expect` names a condition "
            "'iminent_threat' that policy 'ecpd-2024' does not have",
            "help: did you mean 'imminent_threat'?",
        ]
    )


def test_k_selects_accounts_and_files(repo: pytest.Pytester) -> None:
    result = scenarios_only(repo, "-k", "agency or car-could", "-v")
    result.assert_outcomes(passed=2, deselected=len(SCENARIO_ITEMS) - 2)
    result.stdout.fnmatch_lines(
        [
            "scenarios/drills/car-could-step-aside.yaml::default PASSED*",
            "scenarios/incidents/disputed-car-stop.yaml::agency PASSED*",
        ]
    )


def test_files_without_expectations_are_not_items(repo: pytest.Pytester) -> None:
    (repo.path / "scenarios/drills/draft.yaml").write_text("policy: ecpd-2024\nfacts: {}\n")
    result = scenarios_only(repo, "--collect-only", "-q")
    assert [line for line in result.outlines if "::" in line] == SCENARIO_ITEMS


def test_nothing_is_collected_unless_configured(pytester: pytest.Pytester) -> None:
    # As in forcecheck's own suite and unrelated projects: broken YAML on purpose, no setting.
    pytester.makefile(".yaml", **{"tests/fixtures/bad": "facts: {warning_shot: ture}\n"})
    pytester.makefile(".yaml", **{"scenarios/ok": "facts: {}\nexpect: {}\n"})
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_only_the_configured_directories_are_collected(repo: pytest.Pytester) -> None:
    (repo.path / "tests/fixtures").mkdir()
    (repo.path / "tests/fixtures/bad.yaml").write_text("facts: {warning_shot: ture}\n")
    result = repo.runpytest_inprocess(
        "tests/fixtures", "scenarios/drills", "-p", "no:cacheprovider", "--collect-only", "-q"
    )
    assert [line for line in result.outlines if "::" in line] == SCENARIO_ITEMS[:3]


def test_the_shipped_policies_are_the_default(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nforcecheck_scenarios = scenarios\n")
    shutil.copytree(ROOT / "scenarios" / "training", pytester.path / "scenarios")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    # One item per account with expectations: at least one per drill.
    drills = len(list((ROOT / "scenarios" / "training").glob("*.yaml")))
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= drills and "failed" not in outcomes


def test_a_missing_policy_directory_is_a_usage_error(repo: pytest.Pytester) -> None:
    result = scenarios_only(repo, "-o", "forcecheck_policies=policies")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*forcecheck_policies: */policies has no facts.yaml*"])


def test_a_missing_scenario_directory_is_a_usage_error(repo: pytest.Pytester) -> None:
    result = repo.runpytest_inprocess("-o", "forcecheck_scenarios=scenarios drils")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*forcecheck_scenarios: no such directory: */drils*"])


def test_the_plugin_is_registered_as_an_entry_point() -> None:
    from importlib.metadata import entry_points

    [plugin] = [ep for ep in entry_points(group="pytest11") if ep.name == "forcecheck"]
    assert plugin.value == "forcecheck.testing.plugin"


def test_every_example_file_is_shown_in_docs_testing_md() -> None:
    text = (ROOT / "docs" / "testing.md").read_text()
    files = sorted(p for p in EXAMPLE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert files
    missing = [str(p.relative_to(EXAMPLE)) for p in files if p.read_text() not in text]
    assert not missing, f"docs/testing.md does not show these example files verbatim: {missing}"
