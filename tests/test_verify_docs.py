"""docs/verify.md shows real output: its console examples are run and compared."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from forcecheck.load.policy_file import GivenSpec, PropertySpec
from forcecheck.load.validation import file_keys

from .conftest import ROOT, invoke

DOC = (ROOT / "docs" / "verify.md").read_text()
EXAMPLE = ROOT / "docs" / "examples" / "example-policy.yaml"
#: Where the walkthrough keeps its broken copy of the example policy.
MINE = "/tmp/mine"


def _console_blocks() -> list[tuple[list[str], str]]:
    blocks = re.findall(r"```console\n\$ forcecheck (.*?)\n(.*?)```", DOC, re.S)
    return [(shlex.split(command), output) for command, output in blocks]


def _mine(tmp_path: Path) -> Path:
    """The walkthrough's step: a copy of the example whose rule `threat` says `any`, not `all`."""
    text = EXAMPLE.read_text()
    assert text.count(THREAT_ALL) == 1
    (tmp_path / "example-policy.yaml").write_text(text.replace(THREAT_ALL, THREAT_ANY))
    return tmp_path


#: The edit the walkthrough makes: `threat` turned from `all` into `any`.
THREAT_ALL = "    title: Imminent threat to a person\n    all:\n"
THREAT_ANY = "    title: Imminent threat to a person\n    any:\n"


@pytest.mark.parametrize(("args", "expected"), _console_blocks())
def test_console_examples_are_real_output(tmp_path: Path, args: list[str], expected: str) -> None:
    mine = _mine(tmp_path)
    result = invoke([arg.replace(MINE, str(mine)) for arg in args])
    # verify names a policy file by its full path; the page shows the checkout's relative one.
    shown = result.stdout.replace(str(mine), MINE).replace(f"{ROOT}/", "")
    assert shown == expected


def test_there_are_two_console_examples() -> None:
    assert len(_console_blocks()) == 2


def test_the_walkthrough_counterexample_shows_the_violation(tmp_path: Path) -> None:
    mine = _mine(tmp_path)
    shown = invoke(["verify", str(mine / "example-policy.yaml")]).stdout
    scenario = shown[shown.index("# Counterexample") :]
    scenario = scenario[: scenario.index("\n\n")]
    (mine / "counterexample.yaml").write_text(scenario + "\n")
    result = invoke(["evaluate", str(mine / "counterexample.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    # The property says at most undetermined; the broken policy authorizes.
    assert '"outcome": "authorized"' in result.stdout


def test_the_keys_table_covers_the_property_model() -> None:
    table = DOC[DOC.index("| key | meaning |") : DOC.index("Exactly one of")]
    keys = set(file_keys(PropertySpec))
    keys |= {f"given.{name}" for name in file_keys(GivenSpec)}
    missing = sorted(key for key in keys if f"`{key}`" not in table)
    assert not missing, f"verify.md does not document: {missing}"
