"""The ``forcecheck`` command line: the only package that prints or exits.

Every command is a thin layer over an application use-case (:mod:`forcecheck.app`) and a
renderer (:mod:`forcecheck.render`), one module per command (``*_command.py``); the typer
application, its root options and the error guard are in :mod:`forcecheck.cli.application`,
the shared options in :mod:`forcecheck.cli.options`, and the start-up fast path for
``evaluate`` in :mod:`forcecheck.cli.fast_path`.

Importing this package costs nothing: :data:`app` (with every command registered) and
:func:`main` are built on first use, so that the fast path, which lives here too, runs
without importing typer.
"""

from __future__ import annotations

from typing import Any


def _registered() -> Any:
    """The typer application with every command, in the order ``--help`` lists them."""
    from forcecheck.cli.application import app
    from forcecheck.cli.check_command import check
    from forcecheck.cli.compare_command import compare
    from forcecheck.cli.draft_command import draft
    from forcecheck.cli.evaluate_command import evaluate
    from forcecheck.cli.explain_command import explain
    from forcecheck.cli.export_command import export
    from forcecheck.cli.facts_command import facts
    from forcecheck.cli.interview_command import interview
    from forcecheck.cli.lint_command import lint
    from forcecheck.cli.new_command import new
    from forcecheck.cli.policies_command import policies
    from forcecheck.cli.questions_command import questions
    from forcecheck.cli.report_command import report
    from forcecheck.cli.schema_command import schema
    from forcecheck.cli.verify_command import verify
    from forcecheck.cli.whatif_command import whatif

    if not app.registered_commands:
        for command in (
            evaluate,
            compare,
            questions,
            whatif,
            interview,
            check,
            policies,
            facts,
            explain,
            lint,
            verify,
            report,
            export,
            new,
            draft,
            schema,
        ):
            app.command()(command)
    return app


def main() -> None:
    """Run the typer application (the fast path's fallback for every other command line)."""
    _registered()()


def __getattr__(name: str) -> Any:
    """``forcecheck.cli.app``: the typer application, built on first use."""
    if name == "app":
        return _registered()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
