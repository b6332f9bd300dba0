"""Every shipped scenario, in every report format: checked by structure, not byte for byte.

The formats themselves are pinned by the small goldens (tests/test_golden.py); here each
shipped drill and incident must give a report a reader can rely on: the contract's JSON
shape, an outcome for every account that agrees with the scenario's own ``expect:`` block,
and a table and a Markdown page that name every account with its outcome.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from forcecheck.model.scenario import IMMUNITY_OUTCOMES

from .conftest import ROOT, invoke

SHIPPED = sorted(p.relative_to(ROOT) for p in (ROOT / "scenarios").rglob("*.yaml"))
OUTCOMES = {"authorized", "not_authorized", "undetermined"}
#: The immunity view's outcomes: it is no policy an officer follows, and JSON says so too.
IMMUNITY_WORDS = {*IMMUNITY_OUTCOMES, "undetermined"}
STATUSES = {"met", "unmet", "unknown"}


def _expected_outcomes(path: Path) -> dict[str, str]:
    """Each account's expected outcome, as the scenario's ``expect:`` block states it."""
    data: dict[str, Any] = yaml.safe_load((ROOT / path).read_text())
    expect = data.get("expect") or {}
    if "accounts" in expect:
        return {
            name: block["outcome"]
            for name, block in expect["accounts"].items()
            if "outcome" in block
        }
    return {"default": expect["outcome"]} if "outcome" in expect else {}


@pytest.mark.parametrize("relative", SHIPPED, ids=str)
def test_json_report_has_the_contract_shape_and_the_expected_outcomes(
    relative: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(["evaluate", str(relative), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert isinstance(report["policy"]["id"], str)
    evaluations = report["evaluations"]
    assert evaluations
    words = IMMUNITY_WORDS if report["policy"]["layer"] == "immunity" else OUTCOMES
    per_account: dict[str, str] = {}
    for evaluation in evaluations:
        assert evaluation["outcome"] in words
        assert evaluation["discharge"] is None or isinstance(evaluation["discharge"], str)
        assert evaluation["conditions"], "every evaluation lists its conditions"
        for condition in evaluation["conditions"]:
            assert condition["status"] in STATUSES
            assert condition["citation"]["source"], condition["id"]
        if evaluation["discharge"] is None:
            per_account[evaluation["account"]] = evaluation["outcome"]
    for account in report["accounts"]:
        per_account[account["account"]] = account["outcome"]
    shared = set(per_account.values())
    assert report["outcome"] == (shared.pop() if len(shared) == 1 else "disputed")
    for account, outcome in _expected_outcomes(relative).items():
        # As the `expect:` block writes it: the immunity view's own words for the view.
        assert per_account[account] == outcome, account


@pytest.mark.parametrize("relative", SHIPPED, ids=str)
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_reports_name_every_account_and_its_outcome(
    relative: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(["evaluate", str(relative), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stdout
    data: dict[str, Any] = yaml.safe_load((ROOT / relative).read_text())
    for name in data.get("accounts") or {}:
        assert name in result.stdout, name
    for outcome in _expected_outcomes(relative).values():
        # The immunity view is read in its own words: "immunity likely", never "authorized".
        words = outcome.replace("_", " ") if outcome in IMMUNITY_OUTCOMES else outcome
        assert words in result.stdout
