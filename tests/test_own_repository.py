"""A policy repository of one's own, end to end, as a new user would set it up (issue #21).

In a fresh directory outside forcecheck's tree: a copy of a shipped policy under a new id,
its vocabulary with one new fact (and a finding that reads it), two drills written by
`forcecheck new`, and nothing but `forcecheck_policies` in pyproject.toml. Then every
command a maintainer runs — new, evaluate, check --coverage, verify, policies, pytest —
finds the repository's policies and vocabulary, with no path in any scenario.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from forcecheck.load.library import shipped

NEW_FACT = "body_camera_on"
PYPROJECT = """\
[tool.pytest.ini_options]
testpaths = ["drills"]
forcecheck_policies = "policy"
forcecheck_scenarios = ["drills"]
"""
# The armed-attacker drill's facts (scenarios/training/01-armed-attacker.yaml): authorized.
ARMED = {
    "subject_fleeing": "false",
    "subject_threatened_deadly_force": "true",
    "threat_only_to_property_or_self": "false",
    "threat_ended": "false",
    "shot_at_vehicle": "false",
    "officer_placed_self_in_path": "false",
    "other_defense_available": "false",
    "shot_solely_to_disable_vehicle": "false",
    "warning_shot": "false",
    "verbal_warning_feasible": "false",
}


def make_repository(root: Path) -> None:
    """policy/ (reform-2023 and facts.yaml with one more fact) and pyproject.toml."""
    policy_dir = root / "policy"
    policy_dir.mkdir(parents=True)
    facts = (shipped().directory / "facts.yaml").read_text()
    facts = facts.replace(
        "\nfacts:\n",
        f"\nfacts:\n  {NEW_FACT}:\n    question: Was the officer's body-worn camera "
        "recording when the firearm was discharged?\n",
        1,
    )
    (policy_dir / "facts.yaml").write_text(facts)
    policy = (shipped().directory / "dhs-2023.yaml").read_text()
    policy = policy.replace("id: dhs-2023", "id: reform-2023", 1)
    policy = policy.replace("findings: [safe_tactics]", "findings: [safe_tactics, body_camera]")
    policy = policy.replace(
        "\nrules:\n",
        f"""
rules:
  body_camera:
    title: Body-worn camera recording
    all: [{NEW_FACT}]
    citation:
      source: dhs-044-05-2023
      section: reform proposal 1
      quote: Officers shall record every use of deadly force.
      wording: secondary
""",
        1,
    )
    (policy_dir / "reform-2023.yaml").write_text(policy)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "drills").mkdir()


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FORCECHECK_POLICIES"}
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def forcecheck(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(root, "-m", "forcecheck", *args)


def fill(template: str, values: dict[str, str], expect: str) -> str:
    """The template with ``values`` set and an ``expect:`` block, as a trainer edits it."""
    for fact, value in values.items():
        template, found = re.subn(rf"(?m)^  {fact}: unknown$", f"  {fact}: {value}", template)
        assert found == 1, fact
    return template + expect


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "reform-repo"
    make_repository(root)
    return root


def test_every_command_finds_the_repositorys_policies(repository: Path) -> None:
    # One drill by id, one by path: both are judged under the repository's policy.
    by_id = forcecheck(repository, "new", "--policy", "reform-2023", "drills/camera-on.yaml")
    assert by_id.returncode == 0, by_id.stderr
    by_path = forcecheck(
        repository, "new", "--policy", "policy/reform-2023.yaml", "drills/warning-shot.yaml"
    )
    assert by_path.returncode == 0, by_path.stderr
    first = (repository / "drills/camera-on.yaml").read_text()
    assert "policy: reform-2023" in first
    assert f"  {NEW_FACT}: unknown" in first  # the new fact, with its question

    # A template evaluates as written.
    blank = forcecheck(repository, "evaluate", "drills/camera-on.yaml")
    assert blank.returncode == 0, blank.stderr
    assert "undetermined" in blank.stdout.lower()

    (repository / "drills/camera-on.yaml").write_text(
        fill(
            first,
            {**ARMED, NEW_FACT: "true"},
            "expect:\n  outcome: authorized\n  conditions:\n    body_camera: met\n",
        )
    )
    second = (repository / "drills/warning-shot.yaml").read_text()
    (repository / "drills/warning-shot.yaml").write_text(
        fill(
            second,
            {**ARMED, "warning_shot": "true", NEW_FACT: "false"},
            "expect:\n  outcome: not_authorized\n  conditions:\n"
            "    no_warning_shot: unmet\n    body_camera: unmet\n",
        )
    )

    evaluated = forcecheck(repository, "evaluate", "drills/camera-on.yaml", "--format", "json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert '"outcome": "authorized"' in evaluated.stdout
    assert NEW_FACT in evaluated.stdout

    checked = forcecheck(repository, "check", "--coverage", "drills")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "2 passed, 0 failed" in checked.stdout
    assert "reform-2023" in checked.stdout  # the coverage table is the repository's policy

    listed = forcecheck(repository, "policies", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert '"reform-2023"' in listed.stdout and '"dhs-2023"' not in listed.stdout

    verified = forcecheck(repository, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "reform-2023" in verified.stdout

    tested = run(repository, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "2 passed" in tested.stdout


def test_the_order_of_lookup(repository: Path, tmp_path: Path) -> None:
    """--policies-dir, then FORCECHECK_POLICIES, then the setting; a bad one is refused."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # From another directory, nothing names the repository: the shipped policies.
    shipped_ids = forcecheck(elsewhere, "policies", "--format", "json")
    assert '"dhs-2023"' in shipped_ids.stdout
    named = forcecheck(
        elsewhere,
        "--policies-dir",
        str(repository / "policy"),
        "policies",
        "--format",
        "json",
    )
    assert named.returncode == 0, named.stderr
    assert '"reform-2023"' in named.stdout and '"dhs-2023"' not in named.stdout
    # The variable beats the setting; the option beats the variable.
    env = {**os.environ, "FORCECHECK_POLICIES": str(shipped().directory)}
    from_env = subprocess.run(
        [sys.executable, "-m", "forcecheck", "policies", "--format", "json"],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
    )
    assert '"dhs-2023"' in from_env.stdout
    option = subprocess.run(
        [sys.executable, "-m", "forcecheck", "--policies-dir", "policy", "policies", "-f", "json"],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
    )
    assert '"reform-2023"' in option.stdout
    # A setting that names no policy directory: one located message, exit 3.
    (repository / "pyproject.toml").write_text(PYPROJECT.replace('"policy"', '"polcy"'))
    wrong = forcecheck(repository, "policies")
    assert wrong.returncode == 3
    assert wrong.stderr.startswith(f"{repository / 'pyproject.toml'}:3:1: error: ")
    assert "no facts.yaml" in wrong.stderr and "help:" in wrong.stderr
    bad_option = forcecheck(elsewhere, "--policies-dir", str(elsewhere), "policies")
    assert bad_option.returncode == 2
    assert "has no facts.yaml" in bad_option.stderr


def test_the_plugin_follows_the_same_order(repository: Path) -> None:
    """-o beats FORCECHECK_POLICIES, which beats the configuration file's setting."""
    (repository / "drills/camera.yaml").write_text(
        f"policy: reform-2023\nfacts:\n  {NEW_FACT}: true\n"
        "expect:\n  conditions:\n    body_camera: met\n"
    )
    env = {**os.environ, "FORCECHECK_POLICIES": str(shipped().directory)}

    def pytest_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
            cwd=repository,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    under_shipped = pytest_run()
    assert under_shipped.returncode == 1
    assert "camera.yaml::invalid" in under_shipped.stdout  # unknown fact, unknown policy
    given = pytest_run("-o", "forcecheck_policies=policy")
    assert given.returncode == 0, given.stdout
    assert "1 passed" in given.stdout
