"""Several sources per value, later evidence, retracted accounts and shots, as a reader sees them.

docs/examples/evidence-and-accounts.yaml (shown in docs/scenario-format.md) has each: a
value two sources disagree on, a perceived value later evidence contradicts, a retracted
account, and shots counted per account and per discharge.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.load.cache import load_scenario_cached
from forcecheck.load.library import Library
from forcecheck.load.scenario_loader import load_scenario

from .conftest import ROOT, invoke

EXAMPLE = ROOT / "docs" / "examples" / "evidence-and-accounts.yaml"
RETRACTED = "⚠ RETRACTED 2026-02 by dhs-correction"
LATER = "⚠ perceived: true; later evidence: false (bodycam) — it was a phone"
DISAGREE = "⚠ sources disagree: Witness A says he only held up his phone"


def _run(*args: str) -> str:
    result = invoke([*args])
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _flat(text: str) -> str:
    """The text with table borders and line breaks folded away, words kept in order."""
    return " ".join(re.sub(r"[│┌┐└┘├┤┬┴┼─|]", " ", text).split())


def test_the_docs_show_the_real_example() -> None:
    text = (ROOT / "docs" / "scenario-format.md").read_text()
    assert f"```yaml\n{EXAMPLE.read_text()}```" in text


def test_the_text_report_shows_status_sources_later_evidence_and_shots() -> None:
    out = _run("evaluate", str(EXAMPLE), "--full")
    # One line per row, so that a cell's words stay together.
    flat = _flat(_run("evaluate", str(EXAMPLE), "--table-format", "github", "--full"))
    # The retraction beside the account's name and outcome, in the table and the heading.
    assert f"│ sworn     │ {RETRACTED} — The officer's sworn │ undetermined   │" in out
    assert f"Account 'sworn': undetermined — {RETRACTED}" in out
    assert "It is still evaluated on its own facts" in flat
    # Every source of the value, the one that says otherwise, and the flag.
    assert "bodycam, witness-a" in flat
    assert 'witness-a (says false): "He was just holding up his phone."' in flat
    assert DISAGREE in flat
    assert LATER in flat
    assert "The officer's sworn statement (dated 2026-01; 2 shots)" in out
    assert "Discharge shot-1 — as he turned (1 shot): undetermined" in out


def test_the_json_report_adds_status_sources_hindsight_and_shots() -> None:
    data = json.loads(_run("evaluate", str(EXAMPLE), "--format", "json"))
    sworn, later = data["accounts"]
    assert sworn["status"] == {
        "state": "retracted",
        "date": "2026-02",
        "by": "dhs-correction",
        "source": None,
        "quote": None,
        "note": "DHS withdrew the statement that the man pointed a gun.",
    }
    assert (sworn["shots"], later["status"], later["shots"]) == (2, None, 2)
    first = next(e for e in data["evaluations"] if e["discharge"] == "shot-1")
    assert first["discharge_shots"] == 1
    facts = {f["id"]: f for f in first["facts"]}
    threat = facts["subject_threatened_deadly_force"]
    assert [(s["source"], s["value"]) for s in threat["sources"]] == [
        ("bodycam", None),
        ("witness-a", "false"),
    ]
    assert threat["value"] == "true" and threat["source"] == "bodycam"
    assert threat["disagreement"].startswith("Witness A says")
    assert facts["subject_armed"]["hindsight"] == {
        "value": "false",
        "differs": True,
        "source": "bodycam",
        "quote": None,
        "note": "it was a phone",
    }
    # One source: `sources` lists it, with no value of its own.
    assert facts["subject_fleeing"]["sources"] == [
        {"source": "bodycam", "quote": None, "note": None, "value": None}
    ]
    assert facts["subject_fleeing"]["hindsight"] is None


def test_markdown_and_html_show_them(tmp_path: Path) -> None:
    markdown = _run("evaluate", str(EXAMPLE), "--format", "markdown")
    assert f"## Account `sworn`: undetermined — **{RETRACTED}**" in markdown
    assert DISAGREE in markdown and LATER in markdown
    assert "Body-worn camera footage (2026-01); Interview of witness A (2026-01)" in markdown
    page = tmp_path / "report.html"
    _run("report", str(EXAMPLE), "-o", str(page))
    html = page.read_text()
    assert f"<strong>{RETRACTED}</strong>" in html
    assert "witness-a (says false): &quot;He was just holding up his phone.&quot;" in html
    assert f"<strong>{LATER}</strong>" in html
    assert "(1 shot)" in html


def test_compare_and_questions_show_them() -> None:
    out = _flat(_run("compare", str(EXAMPLE)))
    assert "sworn ⚠ retracted" in out  # the disputes table's column
    assert f"- sworn — {RETRACTED}: undetermined" in out  # what each outcome turns on
    assert "Interview of witness A (2026-01)" in out and DISAGREE in out
    data = json.loads(_run("compare", str(EXAMPLE), "--format", "json"))
    assert [a["status"] and a["status"]["state"] for a in data["accounts"]] == ["retracted", None]
    questions = _flat(_run("questions", str(EXAMPLE), "--account", "later"))
    assert "subject_armed is true: " + LATER in questions
    assert "witness-a (says false)" in questions
    asked = json.loads(_run("questions", str(EXAMPLE), "--format", "json"))
    sworn, later = asked["accounts"]
    assert sworn["status"]["state"] == "retracted"
    assert {e["fact"] for e in later["evidence"]} == {
        "subject_armed",
        "subject_threatened_deadly_force",
    }


def test_no_rule_reads_what_differs(library: Library, tmp_path: Path) -> None:
    """Outcomes rest on the values alone: without hindsight, other sources and status, the same."""
    data = yaml.safe_load(EXAMPLE.read_text())
    for account in data["accounts"].values():
        account.pop("status", None)
        account.pop("shots", None)
        for entry in account["facts"].values():
            if isinstance(entry, dict):
                entry.pop("hindsight", None)
                entry.pop("disagreement", None)
                entry.pop("sources", None)
    plain = tmp_path / "plain.yaml"
    plain.write_text(yaml.safe_dump(data, sort_keys=False))
    policy = library.get("dhs-2023")
    full = evaluate_scenario(load_scenario(EXAMPLE, library.vocabulary), policy)
    bare = evaluate_scenario(load_scenario(plain, library.vocabulary), policy)

    def statuses(result: object) -> list[dict[str, str]]:
        return [
            {rule_id: str(r.status) for rule_id, r in m.evaluation.rules.items()}
            for a in result.accounts  # type: ignore[attr-defined]
            for m in a.results
        ]

    assert statuses(full) == statuses(bare)
    assert [a.outcome for a in full.accounts] == [a.outcome for a in bare.accounts]


def test_the_cache_keeps_every_part(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORCECHECK_NO_CACHE", raising=False)
    first = load_scenario_cached(EXAMPLE, library.vocabulary)
    again = load_scenario_cached(EXAMPLE, library.vocabulary)
    assert again is not first and again.spec == first.spec
    assert again.spec.accounts is not None
    assert again.spec.accounts["sworn"].status is not None


def test_a_name_both_an_account_and_a_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "policy: dhs-2023\n"
        "sources: {video: {title: Video}}\n"
        "accounts:\n"
        "  sworn:\n"
        "    status: {state: contradicted, by: video, source: video}\n"
        "    source: video\n"
        "    facts: {subject_armed: true}\n"
        "  video:\n"
        "    source: video\n"
        "    facts: {subject_armed: false}\n"
    )
    result = invoke(["evaluate", str(path)])
    assert result.exit_code == 3
    assert f"{path}:5:39: error: 'video' names both an account and a source" in result.stderr
    assert "help: rename the account or the source" in result.stderr


def test_contradicted_by_another_account_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "policy: dhs-2023\n"
        "accounts:\n"
        "  agency:\n"
        "    status: {state: contradicted, by: video}\n"
        "    facts: {subject_armed: true}\n"
        "  video:\n"
        "    facts: {subject_armed: false}\n"
    )
    out = _run("evaluate", str(path), "--full")
    assert "Account 'agency': undetermined — ⚠ CONTRADICTED by video" in out
