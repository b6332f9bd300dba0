"""docs/editor.md: its example files are real, and every command it shows runs as it says."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcecheck.app.library_report import blank_evaluation
from forcecheck.load.schema import SchemaKind, shipped_schema_path
from forcecheck.load.vocabulary_loader import load_vocabulary
from forcecheck.model.policy import Policy
from forcecheck.render.template import scenario_template

from .conftest import ROOT
from .test_schema import errors, read_as_editor

DOC = (ROOT / "docs" / "editor.md").read_text()
EXAMPLES = ROOT / "docs" / "examples"


def blocks(kind: str) -> list[str]:
    """The page's fenced blocks of one kind ("" for a bare fence), in order."""
    return [
        body
        for lang, body in re.findall(r"^```(\w*)\n(.*?)^```$", DOC, re.S | re.M)
        if lang == kind
    ]


def commands() -> list[list[str]]:
    return [
        shlex.split(line)[1:]
        for block in blocks("console")
        for line in block.splitlines()
        if line.startswith("forcecheck ")
    ]


def test_the_example_template_is_what_new_writes_today(dhs: Policy) -> None:
    written = (EXAMPLES / "new-drill.yaml").read_text()
    assert written == scenario_template(
        dhs, blank_evaluation(dhs), scenario_id="new-drill", schema="../../schemas/scenario.json"
    ), (
        "docs/examples/new-drill.yaml is stale: run "
        "`forcecheck new docs/examples/new-drill.yaml --force`"
    )


def test_the_page_shows_the_start_of_the_example_template() -> None:
    excerpt = blocks("yaml")[0]
    assert len(excerpt.splitlines()) > 20
    assert (EXAMPLES / "new-drill.yaml").read_text().startswith(excerpt)


def test_the_vscode_settings_are_the_example_file_and_work() -> None:
    shown = next(b for b in blocks("json") if "yaml.schemas" in b)
    assert shown == (EXAMPLES / "vscode-settings.json").read_text()
    settings = json.loads(shown)["yaml.schemas"]
    kinds = {path.name: kind for kind in SchemaKind for path in [shipped_schema_path(kind)]}
    for schema, globs in settings.items():
        kind = kinds[Path(schema).name]
        assert (ROOT / schema).resolve() == shipped_schema_path(kind).resolve()
        for pattern in globs:
            matched = sorted(ROOT.glob(pattern))
            assert matched, pattern
            for path in matched:
                assert errors(kind, read_as_editor(path)) == [], path


def test_the_modeline_shown_resolves_from_a_training_drill() -> None:
    line = next(b for b in blocks("yaml") if b.count("\n") == 1 and "$schema=" in b).strip()
    reference = line.split("$schema=")[1]
    drill = ROOT / "scenarios" / "training" / "01-armed-attacker.yaml"
    assert (drill.parent / reference).resolve() == shipped_schema_path(SchemaKind.scenario)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "drills").mkdir()
    shutil.copytree(EXAMPLES / "policy-repo" / "policy", tmp_path / "policy")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_command_on_the_page_runs_as_described(workdir: Path) -> None:
    from forcecheck.cli import app

    runner = CliRunner()
    three = blocks("yaml")[1]
    facts = [line for line in three.splitlines() if line.strip()]
    assert len(facts) == 3
    seen = []
    for args in commands():
        if args[0] == "evaluate":
            # The page's edit: the three facts it shows, set in the new file.
            drill = workdir / args[1]
            text = drill.read_text()
            for line in facts:
                old = line.split(":")[0] + ": unknown"
                assert old in text
                text = text.replace(old, line)
            drill.write_text(text)
        answers = "?\n" + "n\n" * 30 if args[0] == "interview" else None
        result = runner.invoke(app, args, input=answers)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        seen.append((args, result))
    outputs = {args[0]: result.stdout for args, result in seen}
    assert [a[0] for a, _ in seen][:5] == ["new", "evaluate", "whatif", "interview", "check"]
    assert "undetermined" in outputs["evaluate"]
    assert "not_authorized" in outputs["whatif"]
    assert "> unknown" not in outputs["interview"] and "Outcome: " in outputs["interview"]
    assert "1 skipped" in outputs["check"]
    assert json.loads((workdir / "policy.schema.json").read_text())["title"] == "forcecheck policy"
    own = json.loads((workdir / "scenario.schema.json").read_text())
    mine = load_vocabulary(workdir / "policy" / "facts.yaml")
    assert list(own["$defs"]["Facts"]["properties"]) == list(mine.ids)


def test_the_refusal_shown_is_the_real_one(workdir: Path) -> None:
    from forcecheck.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["new", "drills/car-stop.yaml"]).exit_code == 0
    again = runner.invoke(app, ["new", "drills/car-stop.yaml"])
    assert again.exit_code == 3
    shown = next(b for b in blocks("") if "error:" in b)
    assert again.stderr == shown


def test_scenario_format_links_here() -> None:
    assert "(editor.md)" in (ROOT / "docs" / "scenario-format.md").read_text()
