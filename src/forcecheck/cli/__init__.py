"""The ``forcecheck`` command line: the only module that prints or exits.

Every command is a thin layer over a library call. Exit codes (see docs/errors.md):
0 ran (and, for checks, everything passed); 1 a check failed; 2 usage error;
3 invalid input; 4 internal error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from ..errors import InputError

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


class Format(StrEnum):
    """Output formats of ``evaluate``."""

    table = "table"
    json = "json"


def _table_format(value: str) -> str:
    from ..render.table import table_formats

    if value not in table_formats():
        raise typer.BadParameter(f"unknown table format; use one of: {', '.join(table_formats())}")
    return value


def _policy_ref(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise typer.BadParameter("give a policy id (e.g. dhs-2023) or a path")
    return value


FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format: table or json.", case_sensitive=False),
]
TableFormatOption = Annotated[
    str,
    typer.Option(
        "--table-format",
        help="Any tabulate table format for tables (e.g. github, grid, plain).",
        callback=_table_format,
    ),
]


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
) -> None:
    """Check uses of deadly force against the written policy that governs them."""
    _state["debug"] = debug


@contextmanager
def _guard() -> Iterator[None]:
    """Turn library errors into one message and an exit code; never a traceback."""
    try:
        yield
    except InputError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
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


@app.command()
def evaluate(
    file: Annotated[
        Path | None,
        typer.Argument(help="A scenario file (YAML or JSON).", metavar="FILE", show_default=False),
    ] = None,
    format: FormatOption = Format.table,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy id (e.g. dhs-2023) or path to a policy file; overrides the scenario's.",
            callback=_policy_ref,
        ),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", "-a", help="Evaluate only this account of the scenario."),
    ] = None,
    table_format: TableFormatOption = "simple_grid",
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help="Evaluate a JSON Lines file (- for stdin) of minimal scenarios instead of "
            "FILE: one JSON result per line, in order; exits 1 if any line failed.",
            metavar="JSONL",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="With --batch: worker processes (default: all cores)."
        ),
    ] = None,
    conditions: Annotated[
        bool,
        typer.Option("--conditions", help="With --batch: every condition's status per line."),
    ] = False,
) -> None:
    """Evaluate a scenario: the outcome per account and discharge, and every condition.

    For each condition the report gives its status (met, unmet or unknown), a short
    reason and the policy's own words. Exits 0 whatever the outcome.

    With --batch, evaluates many minimal scenarios, one JSON object per line
    ({"policy": ..., "facts": {...}}), and writes one JSON result per line (see
    docs/performance.md).
    """
    if (file is None) == (batch is None):
        raise typer.BadParameter("give a scenario FILE, or --batch JSONL, but not both")
    if batch is not None and account is not None:
        raise typer.BadParameter("--account does not apply to --batch (one account per line)")
    if batch is None and (jobs is not None or conditions):
        raise typer.BadParameter("--jobs and --conditions apply only to --batch")
    if batch is not None:
        with _guard():
            from ..batch import default_jobs
            from .batch import run_batch_command

            code = run_batch_command(batch, policy, jobs or default_jobs(), conditions)
        raise typer.Exit(code)
    assert file is not None
    with _guard():
        from ..evaluation import evaluate_layers
        from ..expect import validate_expectations
        from ..library import scenario_layers, shipped
        from ..scenario import load_scenario

        library = shipped()
        scenario = load_scenario(file, library.vocabulary)
        layers = scenario_layers(scenario, library, policy)
        if policy is None:
            # Expectations are written for the scenario's own policy; under another one
            # its rule ids may simply not exist.
            validate_expectations(scenario, layers[0])
        result = evaluate_layers(scenario, layers, account)
        if format is Format.json:
            from ..render.json_report import render_json

            text = render_json(result)
        else:
            from ..render.table import render_table

            text = render_table(result, table_format)
        sys.stdout.write(text)


@app.command()
def compare(
    file: Annotated[Path, typer.Argument(help="A scenario file (YAML or JSON).", metavar="FILE")],
    policies: Annotated[
        str | None,
        typer.Option(
            "--policies",
            help="Comma-separated policy ids or paths: compare one account across them. "
            "Without it, compare the scenario's accounts under one policy.",
        ),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", "-p", help="The policy for comparing accounts."),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", "-a", help="With --policies: the account (default: the first)."),
    ] = None,
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """Show evaluations side by side, marking (≠) where conditions or outcomes differ.

    With --policies a,b,...: one account under each policy. Without: every account of the
    scenario under one policy.
    """
    with _guard():
        from ..compare import compare_accounts, compare_policies
        from ..library import policy_for_scenario, policy_from_ref, shipped
        from ..render.compare import render_comparison, render_comparison_json
        from ..scenario import load_scenario

        library = shipped()
        scenario = load_scenario(file, library.vocabulary)
        if policies:
            chosen = [
                policy_from_ref(ref.strip(), library) for ref in policies.split(",") if ref.strip()
            ]
            comparison = compare_policies(scenario, chosen, account)
        else:
            comparison = compare_accounts(scenario, policy_for_scenario(scenario, library, policy))
        if format is Format.json:
            sys.stdout.write(render_comparison_json(comparison))
        else:
            sys.stdout.write(render_comparison(comparison, table_format))


@app.command()
def check(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario files or directories (searched recursively).")
    ],
    format: FormatOption = Format.table,
) -> None:
    """Run the `expect:` blocks of scenario files like tests; exit 1 if any fails.

    Every mismatch is reported as `path:line:col: expected X, got Y`, all of them, then a
    summary line `N passed, N failed`. Files without `expect:` are skipped.
    """
    with _guard():
        import json

        from ..checking import check_paths

        report = check_paths(paths)
        if format is Format.json:
            sys.stdout.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
        else:
            for line in report.lines():
                typer.echo(line)
        if report.failed:
            raise typer.Exit(EXIT_FAILED)


@app.command()
def policies(
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """List the shipped policies: dates, agencies, layer, rules and citation wording."""
    with _guard():
        from ..library import shipped
        from ..render.policies import render_policies, render_policies_json

        listed = shipped().policies()
        text = (
            render_policies_json(listed)
            if format is Format.json
            else render_policies(listed, table_format)
        )
        sys.stdout.write(text)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. moving_vehicle_rule.")],
    policy: Annotated[
        str, typer.Option("--policy", "-p", help="Policy id or path to a policy file.")
    ] = "dhs-2023",
) -> None:
    """Print a rule as a tree: each part with its citation and quote, the policy read back."""
    with _guard():
        from ..errors import MissingReferenceError, did_you_mean
        from ..library import policy_from_ref, shipped
        from ..render.explain import render_explain

        chosen = policy_from_ref(policy, shipped())
        if rule not in chosen.rules:
            raise MissingReferenceError(
                f"policy '{chosen.id}' has no rule '{rule}'",
                help=did_you_mean(rule, chosen.rules) or "rules: " + ", ".join(chosen.rules),
            )
        sys.stdout.write(render_explain(chosen, rule))


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Policy, vocabulary or scenario files or directories. "
            "Default: the shipped policies."
        ),
    ] = None,
) -> None:
    """Check policies and scenarios statically; one line per problem, with file and line.

    Verbatim quotes must appear word for word in policy/sources/; unused, constant and
    never-decisive rules are warned about. Exits 1 when any error is found.
    """
    with _guard():
        from ..library import shipped
        from ..lint import lint_paths

        library = shipped()
        diagnostics = lint_paths(paths or [library.directory], library)
        for diagnostic in diagnostics:
            typer.echo(diagnostic.render())
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = len(diagnostics) - errors
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
        if errors:
            raise typer.Exit(EXIT_FAILED)


def main() -> None:
    """Entry point of the ``forcecheck`` console script."""
    app()
