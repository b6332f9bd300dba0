"""The typer application, its root options, and the guard every command runs under.

Exit codes (see docs/errors.md): 0 ran (and, for checks, everything passed); 1 a check
failed; 2 usage error; 3 invalid input; 4 internal error. The command modules
(``*_command.py``) register themselves on :data:`app` when :mod:`forcecheck.cli` imports
them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from forcecheck.errors import InputError
from forcecheck.version import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_INTERNAL = 4

app = typer.Typer(
    name="forcecheck",
    help="Check uses of deadly force against the written policy that governs them.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


def emit(text: str, output: Path | None, force: bool) -> None:
    """Print ``text``, or write it whole to ``output`` (never half-written) and say where."""
    if output is None:
        sys.stdout.write(text)
    else:
        from forcecheck.cli.output import write_report

        write_report(output, text, force=force)


def _policies_dir(value: Path | None) -> Path | None:
    """Check and select ``--policies-dir``: every command then reads its policies there.

    Called on every invocation, given or not: each starts from no choice, so in one process
    (a test's CliRunner, a notebook) one command's ``--policies-dir`` never reaches the next.
    """
    from forcecheck.load.library import VOCABULARY_FILE, choose_policies_dir

    choose_policies_dir(None)
    if value is None:
        return None
    if not (value / VOCABULARY_FILE).is_file():
        raise typer.BadParameter(
            f"{value} has no {VOCABULARY_FILE}; name the directory that holds your policies "
            "and their vocabulary",
            param_hint="--policies-dir",
        )
    choose_policies_dir(value)
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"forcecheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a Python traceback for internal errors.")
    ] = False,
    policies_dir: Annotated[
        Path | None,
        typer.Option(
            "--policies-dir",
            callback=_policies_dir,
            metavar="DIR",
            help="Read policies and their vocabulary (facts.yaml) from DIR, for every command "
            "(given before the command: forcecheck --policies-dir policy check drills). "
            "Without it: the FORCECHECK_POLICIES environment variable, else "
            "`forcecheck_policies` in pytest's configuration file (pyproject.toml's "
            "[tool.pytest.ini_options], from the current directory upward), else the shipped "
            "policies. See docs/testing.md.",
        ),
    ] = None,
) -> None:
    """Check uses of deadly force against the written policy that governs them."""
    _state["debug"] = debug


#: The exit code when stdout is closed early: 128 + SIGPIPE, as a shell reports `yes | head`.
EXIT_BROKEN_PIPE = 141


@contextmanager
def guard() -> Iterator[None]:
    """Turn library errors into one message and an exit code; never a traceback."""
    try:
        yield
    except InputError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        # The reader of stdout went away (`forcecheck export ... | head`): stop quietly, as
        # Unix tools do, with the code a shell shows for SIGPIPE. Point stdout at /dev/null
        # so that Python's own flush at exit does not complain a second time.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception as exc:
        if _state["debug"]:
            raise
        typer.echo(
            f"error: internal error: {type(exc).__name__}: {exc}\n"
            "help: this is a bug in forcecheck; run `forcecheck --debug ...` for the "
            "traceback and report it",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None
