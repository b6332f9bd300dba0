"""docs/api.md: every example runs as written, and the public surface is what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import forcecheck

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "api.md").read_text()
EXAMPLES = re.findall(r"```python\n(.*?)```", DOC, re.S)


def test_the_page_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_each_example_runs(number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # From the root of a checkout, as the page says.
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("FORCECHECK_POLICIES", raising=False)
    exec(compile(EXAMPLES[number], f"docs/api.md example {number + 1}", "exec"), {})


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in forcecheck.__all__:
        assert getattr(forcecheck, name) is not None
        assert f"`{name}`" in DOC or name == "__version__", name
    assert sorted(forcecheck.__all__) == sorted(["__version__", *forcecheck._EXPORTS])


def test_importing_forcecheck_imports_nothing_else() -> None:
    code = (
        "import sys, forcecheck; "
        "print(sorted(m for m in sys.modules if m.startswith(('forcecheck', 'pydantic', 'yaml'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['forcecheck']"


def test_a_string_where_a_policy_is_expected_is_loaded() -> None:
    by_id = forcecheck.evaluate("dhs-2023", {"warning_shot": True})
    by_path = forcecheck.evaluate(ROOT / "policy" / "dhs-2023.yaml", {"warning_shot": "true"})
    assert by_id.outcome is by_path.outcome is forcecheck.Outcome.NOT_AUTHORIZED


def test_a_bad_value_is_the_projects_own_error() -> None:
    with pytest.raises(forcecheck.InputError, match="true, false or unknown, not 'yes'"):
        forcecheck.evaluate("dhs-2023", {"warning_shot": "yes"})


def test_none_means_not_addressed() -> None:
    result = forcecheck.evaluate("dhs-2023", {"warning_shot": None})
    assert not result.facts["warning_shot"].supplied
    assert "warning_shot" in result.not_addressed
