"""A policy repository's ``forcecheck_policies`` setting, found as pytest finds it.

The pytest plugin reads ``forcecheck_policies`` from pytest's configuration file; the
commands read the same setting from the same file, so a repository configures its policy
directory once. pytest's rule, from the current directory upward, the first file that is a
pytest configuration wins: ``pytest.ini`` or ``.pytest.ini`` (always), ``pyproject.toml``
with ``[tool.pytest.ini_options]``, ``tox.ini`` with ``[pytest]``, ``setup.cfg`` with
``[tool:pytest]``. The directory is relative to that file.

:func:`policy_home` is the one order of lookup, shared by the commands
(:func:`forcecheck.load.library.active`) and the pytest plugin; this module imports only the
standard library, so the plugin can use it in every project at no cost.

Every command runs this search, ``evaluate``'s fast path included, so it stats a few names
per directory and parses a file only when its bytes mention the setting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from forcecheck.errors import FileReadError, Location

SETTING = "forcecheck_policies"
#: pytest's configuration files in the order it tries them in each directory, each with
#: the section that makes it one (None: the file is one whatever it holds).
CONFIG_FILES: tuple[tuple[str, str | None], ...] = (
    ("pytest.ini", None),
    (".pytest.ini", None),
    ("pyproject.toml", "tool.pytest.ini_options"),
    ("tox.ini", "pytest"),
    ("setup.cfg", "tool:pytest"),
)
#: A configuration file larger than this is not read (no real one comes near it).
_MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class Setting:
    """The ``forcecheck_policies`` directory a configuration file names, and where it says so."""

    directory: Path
    #: None when pytest, not forcecheck, read the file.
    location: Location | None


def configured_policies(start: Path) -> Setting | None:
    """The policy directory set in the pytest configuration governing ``start``, if any.

    None when no configuration file is found, or the one found does not set it (a file
    further up is then not consulted, as pytest would not).
    """
    for directory in (start, *start.parents):
        for name, section in CONFIG_FILES:
            path = directory / name
            if not path.is_file():
                continue
            found = _read(path, section)
            if found is not None:
                return found if isinstance(found, Setting) else None
    return None


def _read(path: Path, section: str | None) -> Setting | bool | None:
    """The file's setting; False if it is pytest's file without one; None if not pytest's."""
    try:
        data = path.read_bytes()[:_MAX_BYTES]
    except OSError as exc:
        raise FileReadError(
            f"cannot read {path}: {exc.strerror or exc}",
            help="forcecheck looks for `forcecheck_policies` in pytest's configuration file",
        ) from None
    text = data.decode("utf-8", errors="replace")
    if section is not None and section not in text:
        return None
    if SETTING not in text:
        return False
    value = _toml_value(text, path) if path.suffix == ".toml" else _ini_value(text, section)
    if value is None:
        return False
    line = next(
        (n for n, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith(SETTING)),
        1,
    )
    location = Location(str(path), line, 1)
    return Setting(path.parent / value.strip(), location)


def _toml_value(text: str, path: Path) -> str | None:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FileReadError(
            f"{path} is not valid TOML: {exc}",
            help="forcecheck reads `forcecheck_policies` from [tool.pytest.ini_options]",
        ) from None
    value = data.get("tool", {}).get("pytest", {}).get("ini_options", {}).get(SETTING)
    return value if isinstance(value, str) and value.strip() else None


def _ini_value(text: str, section: str | None) -> str | None:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    sections = [section] if section else ["pytest", "tool:pytest"]
    for name in sections:
        if parser.has_option(name, SETTING):
            value = parser.get(name, SETTING)
            return value if value.strip() else None
    return None


#: The environment variable naming a policy directory (after the command line's).
POLICIES_ENV = "FORCECHECK_POLICIES"
#: What chose the shipped library: nothing else named a directory.
SHIPPED = "shipped"


@dataclass(frozen=True)
class PolicyHome:
    """The directory a command takes its policies and vocabulary from, and what chose it."""

    #: None for the shipped policies.
    directory: Path | None
    #: ``--policies-dir``, ``FORCECHECK_POLICIES``, ``forcecheck_policies`` or ``shipped``.
    origin: str
    #: Where a configuration file sets it (None for the others).
    location: Location | None = None


def policy_home(
    command_line: Path | None,
    environ: Mapping[str, str],
    configured: Callable[[], Setting | None],
    *,
    command_line_name: str = "--policies-dir",
    cwd: Path | None = None,
) -> PolicyHome:
    """The policy directory, in the one documented order (see docs/testing.md).

    ``command_line`` first, then the ``FORCECHECK_POLICIES`` variable of ``environ``
    (relative to ``cwd``, default the current directory), then what ``configured`` finds (pytest's
    configuration file), then the shipped library. ``configured`` is called only when it is
    needed, so a command line or the variable saves reading any file.
    """
    if command_line is not None:
        return PolicyHome(command_line, command_line_name)
    named = environ.get(POLICIES_ENV, "").strip()
    if named:
        return PolicyHome(Path(named) if cwd is None else cwd / named, POLICIES_ENV)
    setting = configured()
    if setting is not None:
        return PolicyHome(setting.directory, SETTING, setting.location)
    return PolicyHome(None, SHIPPED)
