"""pytest plugin: scenario files' ``expect:`` blocks run as pytest test items.

Registered under the ``pytest11`` entry point, so pytest loads it in every project where
forcecheck is installed. It therefore does nothing until a project opts in, and importing
it costs only pytest and the standard library; forcecheck's core (pydantic, YAML) is
imported when the first configured scenario file is collected.

Settings (``pytest.ini``, ``[tool.pytest.ini_options]`` in pyproject.toml, or ``-o``):

``forcecheck_scenarios``
    Directories whose ``.yaml``/``.yml``/``.json`` files are scenarios. Required: without
    it no file is collected. Files outside these directories are never touched.
``forcecheck_policies``
    The directory of policy files (with its ``facts.yaml``) that scenarios name policies
    from and are validated against. Looked up in the order every command uses
    (:func:`forcecheck.load.library.policy_home`): ``-o forcecheck_policies=DIR`` on the
    command line, then the ``FORCECHECK_POLICIES`` environment variable, then this
    setting in the configuration file, then the policies shipped with forcecheck.

Each account with expectations becomes one item, ``path/to/scenario.yaml::ACCOUNT``
(``::default`` for the minimal form); see :mod:`forcecheck.testing.cases` for why. A file
that cannot be read, parsed or validated becomes one failing item, ``::invalid``, showing
its located error; collection itself never fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from forcecheck.checks.expect import Mismatch
    from forcecheck.errors import ForcecheckError, Location
    from forcecheck.load.library import Library
    from forcecheck.load.project_settings import PolicyHome
    from forcecheck.testing.cases import ScenarioCase

SCENARIOS_OPTION = "forcecheck_scenarios"
POLICIES_OPTION = "forcecheck_policies"
#: The name of the item standing for a scenario file that does not load.
INVALID_ITEM = "invalid"

_LIBRARY = pytest.StashKey["Library"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the two settings."""
    parser.addini(
        SCENARIOS_OPTION,
        type="paths",
        default=[],
        help="forcecheck: directories of scenario files whose `expect:` blocks run as tests",
    )
    parser.addini(
        POLICIES_OPTION,
        type="string",
        default="",
        help="forcecheck: the policy directory (with facts.yaml) scenarios are checked "
        "against; default: $FORCECHECK_POLICIES, else the shipped policies",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Refuse settings that name missing directories, before anything is collected.

    A misspelt scenario directory would otherwise pass silently with no tests at all.
    """
    for root in config.getini(SCENARIOS_OPTION):
        if not root.is_dir():
            raise pytest.UsageError(f"{SCENARIOS_OPTION}: no such directory: {root}")
    home = policy_home_of(config)
    if home.directory is None:
        return
    from forcecheck.load.library import VOCABULARY_FILE

    if not (home.directory / VOCABULARY_FILE).is_file():
        raise pytest.UsageError(
            f"{home.origin}: {home.directory} has no {VOCABULARY_FILE}; "
            "name the directory that holds your policies and their vocabulary"
        )


def policy_directory(config: pytest.Config) -> Path | None:
    """The policy directory (see :func:`policy_home_of`); None for the shipped policies."""
    return policy_home_of(config).directory


def policy_home_of(config: pytest.Config) -> PolicyHome:
    """The policy directory, in the commands' one order, and what chose it.

    ``-o forcecheck_policies=DIR``, then ``FORCECHECK_POLICIES`` (relative to the directory
    pytest was started in), then the configuration file's setting (relative to that file,
    as pytest's paths are): :func:`forcecheck.load.project_settings.policy_home`.
    """
    from forcecheck.load.project_settings import Setting, policy_home

    value = str(config.getini(POLICIES_OPTION)).strip()
    base = config.inipath.parent if config.inipath else config.invocation_params.dir
    overrides = config.getoption("override_ini", None) or []
    given = any(o.partition("=")[0].strip() == POLICIES_OPTION for o in overrides)
    setting = Setting(base / value, None) if value else None
    return policy_home(
        setting.directory if setting and given else None,
        os.environ,
        lambda: setting,
        command_line_name=f"-o {POLICIES_OPTION}",
        cwd=config.invocation_params.dir,
    )


def library(config: pytest.Config) -> Library:
    """The policy library scenarios are checked against (one per test session)."""
    if _LIBRARY not in config.stash:
        from forcecheck.load.library import Library, shipped

        directory = policy_directory(config)
        config.stash[_LIBRARY] = Library(directory) if directory else shipped()
    return config.stash[_LIBRARY]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ScenarioFile | None:
    """Collect YAML and JSON files under ``forcecheck_scenarios``, and nothing else."""
    roots: list[Path] = parent.config.getini(SCENARIOS_OPTION)
    if not roots:
        return None
    from forcecheck.load.reader import INPUT_SUFFIXES

    if file_path.suffix not in INPUT_SUFFIXES:
        return None
    resolved = file_path.resolve()
    if not any(resolved.is_relative_to(root.resolve()) for root in roots):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    """A scenario file: one item per account with expectations, or one failing item."""

    def collect(self) -> Iterator[pytest.Item]:
        """The file's items; a file that does not load is one ``invalid`` item."""
        from forcecheck.errors import InputError
        from forcecheck.testing.cases import scenario_cases

        try:
            cases = scenario_cases(self.path, library(self.config))
        except InputError as exc:
            yield InvalidScenario.from_parent(self, name=INVALID_ITEM, error=exc)
            return
        for case in cases:
            yield ScenarioItem.from_parent(self, name=case.account, case=case)


class ExpectationsFailed(Exception):
    """Raised by an item whose scenario does not meet its expectations."""

    def __init__(self, mismatches: list[Mismatch], why: list[list[str]] | None = None) -> None:
        super().__init__(f"{len(mismatches)} expectation(s) failed")
        self.mismatches = mismatches
        #: For each mismatch, a few lines saying why (the facts, the condition's parts).
        self.why = why or [[] for _ in mismatches]


class _ScenarioItemBase(pytest.Item):
    """Reporting shared by scenario items: located messages, paths relative to rootdir."""

    def shown(self, location: Location) -> str:
        """``location`` with its path relative to the rootdir, as pytest shows paths."""
        from forcecheck.errors import Location

        path = Path(location.path)
        root = self.config.rootpath
        relative = os.path.relpath(path, root) if path.is_relative_to(root) else str(path)
        return str(Location(relative, location.line, location.col))

    def render_error(self, error: ForcecheckError) -> str:
        """The error as the CLI prints it, its path relative to the rootdir."""
        head = f"{self.shown(error.location)}: " if error.location else ""
        text = f"{head}error: {error.message}"
        return f"{text}\nhelp: {error.help}" if error.help else text

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """Mismatches as ``path:line:col: ... expected X, got Y``, each with why; errors located."""
        from forcecheck.errors import ForcecheckError

        error = excinfo.value
        if isinstance(error, ExpectationsFailed):
            return "\n".join(
                "\n".join([f"{self.shown(m.location)}: {m}", *(f"  {line}" for line in why)])
                for m, why in zip(error.mismatches, error.why, strict=True)
            )
        if isinstance(error, ForcecheckError):
            return self.render_error(error)
        return super().repr_failure(excinfo, style)


class ScenarioItem(_ScenarioItemBase):
    """One account's expectations: passes when the evaluation meets every one."""

    def __init__(self, *, case: ScenarioCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Evaluate the account and compare it with its expectations."""
        mismatches = self.case.run()
        if mismatches:
            raise ExpectationsFailed(mismatches, self.case.explain(mismatches))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the account's expectations are, and the failure header naming them."""
        # The header must not be a suffix of the node id, or pytest rewrites its dots.
        line = self.case.line
        return self.path, None if line is None else line - 1, f"{self.path.name}: {self.name}"


class InvalidScenario(_ScenarioItemBase):
    """A scenario file that could not be read, parsed or validated: always fails."""

    def __init__(self, *, error: ForcecheckError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        """Fail with the file's error."""
        raise self.error

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The file, and a failure header saying it does not load."""
        return self.path, None, f"{self.path.name}: invalid scenario file"
