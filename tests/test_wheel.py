"""The wheel built from a clean checkout installs and runs, with no network (issue #21).

docs/testing.md tells a policy repository to install forcecheck from its repository, by
path or git URL; both build the wheel. This builds it from the tracked files only (what a
clone has), installs it into a fresh virtual environment with ``--no-index --no-deps``
(the dependencies are the ones already installed here, put on the new environment's path,
not forcecheck itself), and runs the console script and the pytest plugin from outside
the checkout, so only what is inside the wheel can be used.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def clean_copy(target: Path) -> Path:
    """The checkout's tracked files (as they are now) in ``target``: what a clone holds."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for name in listed.stdout.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def build_wheel(source: Path, out: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")  # the backend is here: no index needed
    built = subprocess.run([*command, str(source)], capture_output=True, text=True, check=False)
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no build backend offline?): {built.stderr}")
    (wheel,) = out.glob("forcecheck-*.whl")
    return wheel


def fresh_environment(where: Path, wheel: Path) -> Path:
    """A new venv with the wheel installed and this environment's dependencies on its path."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    subprocess.run(
        [
            sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
            "--no-index", "--no-deps", str(wheel),
        ],
        check=True,
    )  # fmt: skip
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # Plain path lines: this environment's packages (pydantic, typer, pytest…) come after
    # the fresh ones, and its .pth files (the editable forcecheck) are not run.
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages()}
    (Path(purelib) / "deps-of-the-test.pth").write_text("\n".join(sorted(ours)) + "\n")
    return where / "bin"


def test_the_wheel_installs_and_runs(tmp_path: Path) -> None:
    wheel = build_wheel(clean_copy(tmp_path / "checkout"), tmp_path / "wheels")
    bin_dir = fresh_environment(tmp_path / "venv", wheel)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("FORCECHECK_POLICIES", "PYTHONPATH")}

    def run(*args: str, cwd: Path = outside) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )

    where = run(str(bin_dir / "python"), "-c", "import forcecheck; print(forcecheck.__file__)")
    assert where.stdout.startswith(str(tmp_path / "venv")), where.stdout + where.stderr

    # A shipped scenario, evaluated by the console script with the policies in the wheel.
    scenario = outside / "armed.yaml"
    shutil.copy(ROOT / "scenarios/training/01-armed-attacker.yaml", scenario)
    evaluated = run(str(bin_dir / "forcecheck"), "evaluate", str(scenario))
    assert evaluated.returncode == 0, evaluated.stderr
    assert "Account 'default': authorized" in evaluated.stdout
    listed = run(str(bin_dir / "forcecheck"), "policies", "--format", "json")
    assert '"dhs-2023"' in listed.stdout and '"constitutional-floor"' in listed.stdout
    # The schema `new` points editors at travels in the wheel too.
    template = run(str(bin_dir / "forcecheck"), "new", "drill.yaml")
    assert template.returncode == 0, template.stderr
    assert "yaml-language-server: $schema=" in (outside / "drill.yaml").read_text()

    # The plugin, registered by the wheel's entry point, runs a scenario's expectations.
    (outside / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nforcecheck_scenarios = ["."]\n'
    )
    tested = run(
        str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "armed.yaml"
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 passed" in tested.stdout
