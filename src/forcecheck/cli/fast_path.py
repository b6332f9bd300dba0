"""The start-up fast path of ``forcecheck evaluate``: the common command line, without typer.

Building the typer application costs more than importing the libraries it needs: typer
makes a pydantic adapter for every option of a command on every run. The most common
command line, ``forcecheck evaluate FILE`` with some of ``--format``, ``--policy``,
``--account``, ``--table-format``, ``--output``, ``--full`` and ``--force``, is therefore recognised
here and run directly, through the same function the typer command calls
(:func:`forcecheck.cli.report_text.evaluate_text`), with the same output, messages and exit
codes; typer is not even imported. Anything else, or anything unusual (``--help``, a
repeated or unknown option, a bad value, ``--batch``, another command), goes to the typer
application (:func:`forcecheck.cli.main`), which also reports every usage error.
``tests/test_fast_path.py`` runs a matrix of command lines through both and compares them.

The console script and ``python -m forcecheck`` enter here (:func:`main`, through
:mod:`forcecheck.__main__`). Like the rest of :mod:`forcecheck.cli`, this module prints and
exits; nothing outside the CLI does.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from forcecheck.cli.report_text import REPORT_FORMATS

#: Options taking a value, by every spelling, and the field each sets.
_VALUE_OPTIONS = {
    "--format": "format",
    "-f": "format",
    "--policy": "policy",
    "-p": "policy",
    "--account": "account",
    "-a": "account",
    "--table-format": "table_format",
    "--output": "output",
    "-o": "output",
}
_DEFAULT_TABLE_FORMAT = "simple_grid"
_EXIT_INPUT = 3
_EXIT_INTERNAL = 4
#: What click strips from messages to a stream that is not a terminal (its own pattern).
_ANSI = r"\033\[[;?0-9]*[a-zA-Z]"


@dataclass(frozen=True)
class EvaluateArgs:
    """A plain ``evaluate`` command line, parsed."""

    file: Path
    format: str = "table"
    policy: str | None = None
    account: str | None = None
    table_format: str = _DEFAULT_TABLE_FORMAT
    output: Path | None = None
    force: bool = False
    full: bool = False


def parse_evaluate(argv: list[str]) -> EvaluateArgs | None:
    """``argv`` (without the program name) as a plain ``evaluate``, or None for typer.

    None whenever typer could read the line differently or would report an error: only
    ``evaluate``, one FILE, each option at most once, values that do not start with ``-``
    and that typer would accept as they are.
    """
    if not argv or argv[0] != "evaluate":
        return None
    if any(name.endswith("FORCECHECK_COMPLETE") for name in os.environ):
        return None  # a shell asking click for completions
    values: dict[str, str] = {}
    force = False
    full = False
    file: str | None = None
    rest = argv[1:]
    index = 0
    while index < len(rest):
        arg = rest[index]
        index += 1
        if not arg.startswith("-") or arg == "-":
            if file is not None or not arg or arg == "-":
                return None
            file = arg
            continue
        if arg == "--force":
            if force:
                return None
            force = True
            continue
        if arg == "--full":
            if full:
                return None
            full = True
            continue
        name, equals, value = arg.partition("=")
        field = _VALUE_OPTIONS.get(name)
        # `-f=json` means the value "=json" to click: leave such lines to it.
        if field is None or field in values or (equals and not name.startswith("--")):
            return None
        if not equals:
            if index >= len(rest):
                return None
            value = rest[index]
            index += 1
        if not value.strip() or value.startswith("-"):
            return None
        values[field] = value
    if file is None or values.get("format", "table") not in REPORT_FORMATS:
        return None
    table_format = values.get("table_format", _DEFAULT_TABLE_FORMAT)
    if table_format != _DEFAULT_TABLE_FORMAT:
        from forcecheck.render.table import table_formats

        if table_format not in table_formats():
            return None
    output = values.get("output")
    return EvaluateArgs(
        file=Path(file),
        format=values.get("format", "table"),
        policy=values.get("policy"),
        account=values.get("account"),
        table_format=table_format,
        output=None if output is None else Path(output),
        force=force,
        full=full,
    )


def _echo_err(message: str) -> None:
    """Write a message line to stderr exactly as ``typer.echo(..., err=True)`` does."""
    text = message + "\n"
    if not sys.stderr.isatty():
        import re

        text = re.sub(_ANSI, "", text)
    sys.stderr.write(text)
    sys.stderr.flush()


def run_evaluate(args: EvaluateArgs) -> int:
    """Run a parsed ``evaluate``; the exit code, as the typer command would give it."""
    from forcecheck.errors import InputError

    try:
        from forcecheck.cli.report_text import evaluate_text

        text = evaluate_text(
            args.file, args.format, args.policy, args.account, args.table_format, args.full
        )
        if args.output is None:
            sys.stdout.write(text)
        else:
            from forcecheck.cli.output import write_report

            write_report(args.output, text, force=args.force)
    except InputError as exc:
        _echo_err(exc.render())
        return _EXIT_INPUT
    except KeyboardInterrupt:
        return 130  # what typer exits with on Ctrl-C, silently
    except Exception as exc:
        _echo_err(
            f"error: internal error: {type(exc).__name__}: {exc}\n"
            "help: this is a bug in forcecheck; run `forcecheck --debug ...` for the "
            "traceback and report it"
        )
        return _EXIT_INTERNAL
    return 0


def main() -> None:
    """Entry point of the ``forcecheck`` console script."""
    args = parse_evaluate(sys.argv[1:])
    if args is None:
        from forcecheck.cli import main as typer_main

        typer_main()
        return
    sys.exit(run_evaluate(args))
