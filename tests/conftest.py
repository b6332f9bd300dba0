"""Shared fixtures: the shipped library, a CLI runner, and helpers to build policies."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from forcecheck.load.library import Library, shipped
from forcecheck.load.policy_loader import build_policy
from forcecheck.model.document import Document
from forcecheck.model.policy import Policy
from forcecheck.model.vocabulary import Fact, Vocabulary

ROOT = Path(__file__).resolve().parents[1]


def doc_commands(doc: str) -> list[str]:
    """The `forcecheck …` command lines of a docs page's ```console blocks, in order."""
    return [
        line
        for block in re.findall(r"```console\n(.*?)```", doc, re.S)
        for line in block.splitlines()
        if line.startswith("forcecheck ")
    ]


SCENARIOS = ROOT / "scenarios"


def pytest_configure(config: pytest.Config) -> None:
    # The suite never reads or writes the user's policy cache: a fresh private directory
    # for the session (child processes inherit it), removed at the end.
    directory = tempfile.mkdtemp(prefix="forcecheck-test-cache-")
    config.stash[_CACHE_KEY] = directory
    os.environ["FORCECHECK_CACHE_DIR"] = directory
    os.environ.pop("FORCECHECK_NO_CACHE", None)
    # The suite is about the shipped policies unless a test says otherwise.
    os.environ.pop("FORCECHECK_POLICIES", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(config.stash.get(_CACHE_KEY, ""), ignore_errors=True)


_CACHE_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden from current output"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The tests marked slow first (each takes seconds, some tens of seconds), the rest after,
    # each group in its usual order: with pytest-xdist's work stealing (pyproject.toml), the
    # quick tests then fill in around the slow ones, and no worker is left alone at the end
    # with a long test. Tests do not depend on their order; this changes only the packing.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def library() -> Library:
    return shipped()


@pytest.fixture(scope="session")
def dhs(library: Library) -> Policy:
    return library.get("dhs-2023")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(args: list[str]) -> Any:
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    from forcecheck.cli import app

    return CliRunner().invoke(app, args)


# typer's runner builds the click command from the app on every invoke, which takes longer
# than most commands run (about 10 ms; some 15 s over the suite): build it once per app, as
# one process does. The runner's isolation of streams and terminal state is unchanged.
typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]


def run_process(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``python -m forcecheck`` in a real process (for exit codes and stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "forcecheck", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        **kwargs,
    )


def vocabulary_of(n: int) -> Vocabulary:
    """A vocabulary of ``n`` facts named f0, f1, ..."""
    return Vocabulary({f"f{i}": Fact(question=f"Fact {i}?") for i in range(n)})


_CITATION = {"source": "src", "section": "1", "quote": "q", "wording": "verbatim"}


def policy_from_rules(
    rules: dict[str, Any], vocabulary: Vocabulary, decision: str | None = None
) -> Policy:
    """A policy built in memory from raw rule expressions (for property tests)."""
    data = {
        "id": "generated",
        "title": "Generated policy",
        "document": "generated",
        "issuer": "tests",
        "agencies": ["TEST"],
        "effective": __import__("datetime").date(2000, 1, 1),
        "sources": {"src": {"title": "source"}},
        "decision": decision or next(iter(rules)),
        "rules": {
            rule_id: {"title": rule_id, "citation": _CITATION, **expr}
            for rule_id, expr in rules.items()
        },
    }
    return build_policy(Document(path="<generated>", data=data), vocabulary)
