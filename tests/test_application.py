"""The application layer: every command resolves policies the same way, and renderers get
every analysis they show, computed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcecheck.app.compare_report import compare_report
from forcecheck.app.evaluate_report import evaluate_report
from forcecheck.app.questions_report import questions_report
from forcecheck.app.resolution import resolve_scenario
from forcecheck.app.whatif_report import UnknownSetting, whatif_report
from forcecheck.errors import InputError
from forcecheck.model.logic import Outcome, Value

from .conftest import SCENARIOS, invoke

DATED = """\
date: 2025-09-12
agency: ICE
facts:
  subject_threatened_deadly_force: true
  verbal_warning_feasible: true
  verbal_warning_given: false
"""
STATED = SCENARIOS / "incidents" / "franklin-park-2025-09-12.yaml"


def _dated(tmp_path: Path) -> Path:
    path = tmp_path / "dated.yaml"
    path.write_text(DATED)
    return path


def test_date_and_agency_resolve_every_binding_layer(tmp_path: Path) -> None:
    resolved = resolve_scenario(_dated(tmp_path))
    # The department policy, the regulation binding every ICE officer, and the floor.
    assert [p.id for p in resolved.policies] == ["dhs-2023", "8cfr-287-8", "constitutional-floor"]
    assert not resolved.overridden


def test_an_override_names_the_policies(tmp_path: Path) -> None:
    path = _dated(tmp_path)
    assert [p.id for p in resolve_scenario(path, "doj-2022").policies] == ["doj-2022"]
    both = resolve_scenario(path, "doj-2022", ("ice-2004", "dhs-2018"))
    assert [p.id for p in both.policies] == ["ice-2004", "dhs-2018"] and both.overridden


def test_every_scenario_command_judges_under_the_same_main_policy(tmp_path: Path) -> None:
    path = _dated(tmp_path)
    main = evaluate_report(path, "json").result.policy
    assert main.id == "dhs-2023"
    assert compare_report(path).comparison.columns[0].policy is main
    changed = whatif_report(path, {"verbal_warning_given": Value.TRUE})
    assert changed.main.before.policy is main
    assert questions_report(path).questions[0] is not None


def test_every_format_says_what_each_undetermined_outcome_turns_on() -> None:
    # The summary's "depends on": computed once per account, in the report, for every format.
    table = evaluate_report(STATED, "table")
    markdown = evaluate_report(STATED, "markdown")
    assert table.page is None
    assert markdown.questions is not None
    assert len(markdown.questions) == len(markdown.result.accounts)
    for report in (table, markdown):
        assert len(report.turns_on) == len(report.result.accounts)
        for account, found in zip(report.result.accounts, report.turns_on, strict=True):
            assert (found is None) == (account.outcome is not Outcome.UNDETERMINED)


def test_the_page_reuses_the_comparison_s_questions() -> None:
    page = evaluate_report(STATED, "html")
    assert page.comparison is not None and page.page is not None
    assert page.questions is page.comparison.questions


def test_an_unknown_fact_to_change_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UnknownSetting, match="unknown fact 'verbal_warning'"):
        whatif_report(_dated(tmp_path), {"verbal_warning": Value.TRUE})
    result = invoke(["whatif", str(_dated(tmp_path)), "--set", "verbal_warning=true"])
    assert result.exit_code == 2 and "unknown fact 'verbal_warning'" in result.stderr


def test_stated_conclusions_are_checked_unless_a_policy_is_named(tmp_path: Path) -> None:
    path = tmp_path / "stated.yaml"
    path.write_text(DATED + "conclusions:\n  no_such_rule:\n    status: met\n")
    with pytest.raises(InputError, match="names a condition 'no_such_rule'"):
        resolve_scenario(path)
    assert resolve_scenario(path, "dhs-2023").policy.id == "dhs-2023"
