"""``interview --save`` into an existing scenario: the answers go in, everything else stays.

The file keeps its metadata, sources, comments and other accounts byte for byte; only the
answered facts are written, into the interviewed account; the result loads and lints; a
save that would not load writes nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from forcecheck.errors import ContradictionError, InputError
from forcecheck.load.library import shipped
from forcecheck.load.scenario_edit import with_facts
from forcecheck.load.scenario_loader import load_scenario

from .conftest import ROOT, invoke

INCIDENT = ROOT / "scenarios" / "incidents" / "franklin-park-2025-09-12.yaml"
ANSWERED = "answered in an interview"


def answers_file(tmp_path: Path, facts: dict[str, str]) -> Path:
    """Answers for every question the interview may ask: these facts, the rest unknown."""
    path = tmp_path / "answers.yaml"
    path.write_text(
        "facts:\n" + "".join(f"  {f}: {v}\n" for f, v in facts.items()) if facts else "facts: {}\n"
    )
    return path


def asked(stdout: str) -> list[str]:
    """The facts the interview asked, in order."""
    return [
        line.rsplit("[", 1)[1].rstrip("]") for line in stdout.splitlines() if line.endswith("]")
    ]


def test_saving_into_an_incident_keeps_everything_but_the_answers(tmp_path: Path) -> None:
    incident = tmp_path / "incident.yaml"
    shutil.copy(INCIDENT, incident)
    before = incident.read_text()
    answers = answers_file(tmp_path, {"could_avoid_vehicle": "true"})
    args = ["interview", "--from", str(incident), "--account", "agency", "--answers", str(answers)]
    result = invoke([*args, "--save", str(incident), "--force"])
    assert result.exit_code == 0, result.output
    assert f"into account 'agency' of {incident}" in result.stdout
    after = incident.read_text()
    questions = asked(result.stdout)
    assert questions
    # Every line of the file is still there, in order; the new ones are the answers alone,
    # each a line of the agency's facts.
    old_lines, new_lines = before.splitlines(), after.splitlines()
    added = [line for line in new_lines if line not in old_lines]
    assert [line for line in new_lines if line in old_lines] == old_lines
    assert len(added) == len(questions)
    for fact, line in zip(questions, added, strict=True):
        assert line.startswith(f"      {fact}: {{value: ")
        assert line.endswith(f"note: {ANSWERED}}}")
    # The other accounts, byte for byte.
    assert after[after.index("\n  video:\n") :] == before[before.index("\n  video:\n") :]
    # It loads; the metadata, sources and other accounts are as they were; lint passes.
    vocabulary = shipped().vocabulary
    old, new = load_scenario(INCIDENT, vocabulary), load_scenario(incident, vocabulary)
    for key in ("id", "title", "date", "place", "agency", "summary", "sources"):
        assert getattr(new.spec, key) == getattr(old.spec, key), key
    assert {n: a for n, a in new.accounts.items() if n != "agency"} == {
        n: a for n, a in old.accounts.items() if n != "agency"
    }
    agency_before, agency_after = old.accounts["agency"].facts, new.accounts["agency"].facts
    assert set(agency_after) - set(agency_before) == set(questions) - set(agency_before)
    assert all(agency_after[f] == e for f, e in agency_before.items() if f not in questions)
    linted = invoke(["lint", str(incident)])
    assert linted.exit_code == 0, linted.output
    # And the file says what the interview concluded.
    outcome = result.stdout.split("Outcome: ")[1].split(" after")[0]
    evaluated = json.loads(invoke(["evaluate", str(incident), "--format", "json"]).stdout)
    agency = next(a for a in evaluated["accounts"] if a["account"] == "agency")
    assert agency["outcome"] == outcome


def test_an_incident_template_gets_only_the_answered_facts(tmp_path: Path) -> None:
    incident = tmp_path / "case.yaml"
    assert invoke(["new", "--incident", str(incident)]).exit_code == 0
    before = incident.read_text()
    answers = answers_file(tmp_path, {"shot_at_vehicle": "false", "warning_shot": "true"})
    result = invoke(
        [
            "interview",
            "--from",
            str(incident),
            "--answers",
            str(answers),
            "--save",
            str(incident),
            "--force",
        ]
    )
    assert result.exit_code == 0, result.output
    saved = load_scenario(incident, shipped().vocabulary)
    facts = saved.accounts["agency"].facts
    assert list(facts) == sorted(facts, key=shipped().vocabulary.ids.index)
    assert set(facts) == set(asked(result.stdout))
    assert all(entry.note == ANSWERED for entry in facts.values())
    # Only the `facts: {}` line became a block; the rest of the template is as it was.
    after = incident.read_text()
    assert after.replace("    facts:\n", "    facts: {}\n", 1).count("\n") == (
        before.count("\n") + len(facts)
    )
    assert (
        after[after.index("    # The vocabulary, by topic") :]
        == (before[before.index("    # The vocabulary, by topic") :])
    )
    assert invoke(["lint", str(incident)]).exit_code == 0


def test_a_drill_template_changes_only_the_answered_lines(tmp_path: Path) -> None:
    drill = tmp_path / "drill.yaml"
    assert invoke(["new", str(drill)]).exit_code == 0
    before = drill.read_text()
    answers = answers_file(tmp_path, {"warning_shot": "true"})
    result = invoke(
        [
            "interview",
            "--from",
            str(drill),
            "--answers",
            str(answers),
            "--save",
            str(drill),
            "--force",
        ]
    )
    assert result.exit_code == 0, result.output
    after = drill.read_text()
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    questions = asked(result.stdout)
    assert sorted(old.split(":")[0].strip() for old, _ in changed) == sorted(questions)
    for old, new in changed:
        # `  fact: unknown` becomes the answer; a comment after it on the line would stay.
        fact = old.split(":")[0].strip()
        assert old.startswith(f"  {fact}: unknown")
        comment = old[old.index("#") :] if "#" in old else "}"
        assert new.startswith(f"  {fact}: {{value: ") and new.endswith(comment)
    assert invoke(["lint", str(drill)]).exit_code == 0


def test_a_new_file_has_only_the_facts_that_say_something(tmp_path: Path) -> None:
    drill = tmp_path / "drill.yaml"
    assert invoke(["new", str(drill)]).exit_code == 0
    saved = tmp_path / "saved.yaml"
    answers = answers_file(tmp_path, {"warning_shot": "true"})
    result = invoke(
        ["interview", "--from", str(drill), "--answers", str(answers), "--save", str(saved)]
    )
    assert result.exit_code == 0, result.output
    facts = yaml.safe_load(saved.read_text())["facts"]
    # The template's every-fact-unknown placeholders are not answers.
    assert set(facts) == set(asked(result.stdout))


def test_an_existing_file_needs_force_and_an_account_that_exists(tmp_path: Path) -> None:
    incident = tmp_path / "incident.yaml"
    shutil.copy(INCIDENT, incident)
    before = incident.read_bytes()
    answers = answers_file(tmp_path, {})
    base = ["interview", "--from", str(incident), "--answers", str(answers)]
    without_force = invoke([*base, "--save", str(incident)])
    assert without_force.exit_code == 3 and "--force" in without_force.stderr
    wrong = invoke([*base, "--account", "agency", "--save", str(tmp_path / "x.yaml")])
    assert wrong.exit_code == 0
    other = tmp_path / "other.yaml"
    other.write_text("accounts:\n  witness:\n    facts: {}\n")
    refused = invoke([*base, "--account", "agency", "--save", str(other), "--force"])
    assert refused.exit_code == 3
    assert "no account 'agency'" in refused.stderr and "help:" in refused.stderr
    assert "Traceback" not in refused.output
    assert incident.read_bytes() == before
    assert other.read_text() == "accounts:\n  witness:\n    facts: {}\n"
    # Nothing half-written, no temporary file left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["incident.yaml", "answers.yaml", "x.yaml", "other.yaml"]
    )


def test_answers_that_break_an_exclusion_with_the_file_are_refused(tmp_path: Path) -> None:
    drill = tmp_path / "drill.yaml"
    drill.write_text("policy: dhs-2023\nfacts:\n  threat_ended: true  # it had ended\n")
    entry = {"value": True, "note": ANSWERED}
    with pytest.raises(ContradictionError, match="nothing was written"):
        from forcecheck.app.interview_save import saved_into

        saved_into(drill, None, {"subject_threatened_deadly_force": entry}, shipped().vocabulary)


def test_a_json_scenario_is_written_as_json(tmp_path: Path) -> None:
    drill = tmp_path / "drill.json"
    drill.write_text('{"policy": "dhs-2023", "facts": {"warning_shot": "unknown"}}\n')
    answers = answers_file(tmp_path, {"warning_shot": "true"})
    result = invoke(
        [
            "interview",
            "--from",
            str(drill),
            "--answers",
            str(answers),
            "--save",
            str(drill),
            "--force",
        ]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(drill.read_text())
    assert data["policy"] == "dhs-2023"
    assert data["facts"]["warning_shot"] == {"value": True, "note": ANSWERED}
    assert invoke(["lint", str(drill)]).exit_code == 0


ENTRY = {"value": True, "note": ANSWERED}


@pytest.mark.parametrize(
    ("text", "account", "expected"),
    [
        # A block mapping: the entry replaced, the comment after it kept, a new one added
        # after the last entry (a folded scalar), before the comments that follow.
        (
            "facts:\n  a: unknown  # why\n  b:\n    value: true\n    note: >-\n      long\n"
            "\n  # end\nexpect: {outcome: undetermined}\n",
            None,
            "facts:\n  a: {value: true, note: answered in an interview}  # why\n  b:\n"
            "    value: true\n    note: >-\n      long\n  c: {value: true, note: answered in an "
            "interview}\n\n  # end\nexpect: {outcome: undetermined}\n",
        ),
        # A flow mapping becomes a block; its entries are kept.
        (
            "accounts:\n  x:\n    facts: {b: false}  # note\n  y:\n    facts: {}\n",
            "x",
            "accounts:\n  x:\n    facts:\n      b: false\n      a: {value: true, note: answered "
            "in an interview}\n      c: {value: true, note: answered in an interview}  # note\n"
            "  y:\n    facts: {}\n",
        ),
        # No facts at all: a block before the account's first key.
        (
            "accounts:\n  x:\n    title: t\n",
            "x",
            "accounts:\n  x:\n    facts:\n      a: {value: true, note: answered in an interview}"
            "\n      c: {value: true, note: answered in an interview}\n    title: t\n",
        ),
    ],
)
def test_with_facts_edits_only_the_facts(text: str, account: str | None, expected: str) -> None:
    assert with_facts(text, "f.yaml", account, {"a": ENTRY, "c": ENTRY}) == expected


def test_with_facts_names_a_missing_account() -> None:
    with pytest.raises(InputError, match="no account 'z'"):
        with_facts("accounts:\n  x:\n    facts: {}\n", "f.yaml", "z", {"a": ENTRY})
