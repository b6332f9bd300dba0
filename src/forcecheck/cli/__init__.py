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

from forcecheck import __version__
from forcecheck.errors import InputError

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
    from forcecheck.render.table import table_formats

    if value not in table_formats():
        raise typer.BadParameter(f"unknown table format; use one of: {', '.join(table_formats())}")
    return value


def _policy_ref(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise typer.BadParameter("give a policy id (e.g. dhs-2023) or a path")
    return value


class ReportFormat(StrEnum):
    """Output formats of the reports (``evaluate`` and ``compare``)."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


ScenarioArgument = Annotated[
    Path, typer.Argument(help="A scenario file (YAML or JSON).", metavar="FILE")
]
PolicyOverrideOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy id or path; overrides the scenario's.",
        callback=_policy_ref,
    ),
]
AccountFilterOption = Annotated[
    str | None,
    typer.Option("--account", "-a", help="Only this account (default: every account)."),
]
ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, json, markdown (a document to paste into a draft) or html "
        "(a self-contained page with a what-if panel; see `forcecheck report`).",
        case_sensitive=False,
    ),
]
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


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file (atomically) instead of standard output.",
        metavar="FILE",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="With --output: replace the file if it exists.")
]


def _emit(text: str, output: Path | None, force: bool) -> None:
    """Print ``text``, or write it whole to ``output`` (never a half-written file)."""
    if output is None:
        sys.stdout.write(text)
    else:
        from forcecheck.cli.output import write_atomic

        write_atomic(output, text, force=force)


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
    except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
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
    format: ReportFormatOption = ReportFormat.table,
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
    output: OutputOption = None,
    force: ForceOption = False,
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
    if batch is not None and output is not None:
        raise typer.BadParameter("--output applies to a scenario FILE; redirect --batch output")
    if batch is None and (jobs is not None or conditions):
        raise typer.BadParameter("--jobs and --conditions apply only to --batch")
    if batch is not None:
        with _guard():
            from forcecheck.cli.batch_command import run_batch_command
            from forcecheck.engine.batch import default_jobs

            code = run_batch_command(batch, policy, jobs or default_jobs(), conditions)
        raise typer.Exit(code)
    assert file is not None
    with _guard():
        from forcecheck.app.report import evaluate_report

        # The start-up fast path (forcecheck.__main__) calls the same function.
        text = evaluate_report(file, format.value, policy, account, table_format)
        _emit(text, output, force)


def _names(value: str | None, option: str) -> tuple[str, ...] | None:
    """A comma-separated option's names, in order and without repeats; None when not given."""
    if value is None:
        return None
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    if not names:
        raise typer.BadParameter(
            "names nothing; give one or more, separated by commas", param_hint=option
        )
    return names


@app.command()
def compare(
    file: ScenarioArgument,
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
        typer.Option(
            "--account",
            "-a",
            help="Comma-separated accounts to compare (default: every account). With "
            "--policies: the one account to compare across policies (default: the first).",
        ),
    ] = None,
    format: ReportFormatOption = ReportFormat.table,
    table_format: TableFormatOption = "simple_grid",
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Show evaluations side by side, marking (≠) where conditions or outcomes differ.

    With --policies a,b,...: one account under each policy. Without: every account of the
    scenario under one policy.
    """
    with _guard():
        from forcecheck.analysis import validate_conclusions
        from forcecheck.analysis.compare import compare_accounts, compare_policies
        from forcecheck.load.library import policy_for_scenario, policy_from_ref, shipped
        from forcecheck.load.scenario_loader import load_scenario
        from forcecheck.render.compare_view import render_comparison, render_comparison_json

        names = _names(account, "--account")
        refs = _names(policies, "--policies")
        if refs is not None and names is not None and len(names) > 1:
            raise typer.BadParameter(
                "with --policies, --account names one account", param_hint="--account"
            )
        library = shipped()
        scenario = load_scenario(file, library.vocabulary)
        if refs is not None:
            chosen = [policy_from_ref(ref, library) for ref in refs]
            comparison = compare_policies(scenario, chosen, names[0] if names else None)
        else:
            own = policy_for_scenario(scenario, library, policy)
            if policy is None:
                validate_conclusions(scenario, own)
            comparison = compare_accounts(scenario, own, names)
        if format is ReportFormat.json:
            text = render_comparison_json(comparison)
        elif format is ReportFormat.markdown:
            from forcecheck.render.markdown import render_comparison_markdown

            text = render_comparison_markdown(comparison)
        elif format is ReportFormat.html:
            from forcecheck.render.html import render_comparison_html

            text = render_comparison_html(comparison)
        else:
            text = render_comparison(comparison, table_format)
        _emit(text, output, force)


@app.command()
def questions(
    file: ScenarioArgument,
    account: AccountFilterOption = None,
    policy: PolicyOverrideOption = None,
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """What to ask next: the open facts that could still decide each account's outcome.

    For an undetermined outcome: each unknown or not-addressed fact that could settle it,
    as a plain question, ranked (a fact that settles it alone first), with the policy clause
    it tests; then the smallest sets of facts whose answers settle it. For a determined
    outcome: the facts it rests on.
    """
    with _guard():
        from forcecheck.analysis import questions_for, validate_conclusions
        from forcecheck.engine.evaluation import evaluate_scenario
        from forcecheck.load.library import policy_for_scenario, shipped
        from forcecheck.load.scenario_loader import load_scenario
        from forcecheck.render.questions_view import render_questions, render_questions_json

        library = shipped()
        scenario = load_scenario(file, library.vocabulary)
        chosen = policy_for_scenario(scenario, library, policy)
        if policy is None:
            validate_conclusions(scenario, chosen)
        result = evaluate_scenario(scenario, chosen, account)
        found = tuple(questions_for(chosen, a) for a in result.accounts)
        if format is Format.json:
            sys.stdout.write(render_questions_json(scenario, found))
        else:
            sys.stdout.write(render_questions(scenario, found, table_format))


def _fact_setting(value: str) -> str:
    fact, sep, raw = value.partition("=")
    if not sep or not fact.strip() or raw.strip().lower() not in ("true", "false", "unknown"):
        raise typer.BadParameter(f"'{value}': write FACT=true, FACT=false or FACT=unknown")
    return value


@app.command()
def whatif(
    file: ScenarioArgument,
    set_: Annotated[
        list[str],
        typer.Option(
            "--set",
            "-s",
            help="A change, FACT=true|false|unknown; repeat for several. It applies to every "
            "account and every discharge.",
            callback=lambda values: [_fact_setting(v) for v in values],
        ),
    ],
    account: AccountFilterOption = None,
    policy: PolicyOverrideOption = None,
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """Evaluate a scenario as written and with some facts changed; show only what changed.

    Outcomes (per account and discharge) and conditions whose status changes, each with the
    reason before and after. Exits 0 whatever changes.
    """
    with _guard():
        from forcecheck.analysis.whatif import what_if
        from forcecheck.errors import did_you_mean
        from forcecheck.load.library import policy_for_scenario, shipped
        from forcecheck.load.scenario_loader import load_scenario
        from forcecheck.model.logic import Value
        from forcecheck.render.whatif_view import render_whatif, render_whatif_json

        library = shipped()
        scenario = load_scenario(file, library.vocabulary)
        chosen = policy_for_scenario(scenario, library, policy)
        changes = {
            fact.strip(): Value(raw.strip().lower())
            for fact, _, raw in (setting.partition("=") for setting in set_)
        }
        for fact in changes:
            if fact not in chosen.vocabulary:
                hint = did_you_mean(fact, chosen.vocabulary.ids)
                raise typer.BadParameter(
                    f"unknown fact '{fact}'" + (f"; {hint}" if hint else ""), param_hint="--set"
                )
        result = what_if(scenario, chosen, changes, account)
        if format is Format.json:
            sys.stdout.write(render_whatif_json(result))
        else:
            sys.stdout.write(render_whatif(result, table_format))


@app.command()
def interview(
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy id or path (default: the --from scenario's, else dhs-2023).",
            callback=_policy_ref,
        ),
    ] = None,
    from_: Annotated[
        Path | None,
        typer.Option("--from", help="Start from this scenario's facts.", metavar="FILE"),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", "-a", help="With --from: the account (default: the first)."),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Read answers from a scenario file (its facts); a fact it lacks is unknown.",
            metavar="FILE",
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option("--save", help="Write the facts, answers included, as a scenario file."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Let --save replace a file.")] = False,
) -> None:
    """Ask only the questions that matter, one at a time, until the outcome is settled.

    Each question is the open fact that matters most for the still-open outcome; facts
    that can no longer change it are never asked. Answer yes, no or unknown (y, n, ?).
    Stops when the outcome is determined, or when every remaining question was answered
    unknown.
    """
    with _guard():
        from forcecheck.analysis.interview import Interview, parse_answer
        from forcecheck.load.library import (
            DEFAULT_POLICY,
            policy_for_scenario,
            policy_from_ref,
            shipped,
        )
        from forcecheck.load.scenario_loader import load_scenario
        from forcecheck.model.logic import Value
        from forcecheck.model.scenario import Account

        library = shipped()
        start = Account()
        if from_ is not None:
            scenario = load_scenario(from_, library.vocabulary)
            chosen = policy_for_scenario(scenario, library, policy)
            accounts = scenario.accounts
            name = account or next(iter(accounts))
            if name not in accounts:
                from forcecheck.errors import MissingReferenceError, did_you_mean

                raise MissingReferenceError(
                    f"the scenario has no account '{name}'",
                    location=scenario.doc.locate(()),
                    help=did_you_mean(name, accounts) or "accounts: " + ", ".join(accounts),
                )
            start = accounts[name]
        else:
            chosen = policy_from_ref(policy or DEFAULT_POLICY, library)
        scripted = None
        if answers is not None:
            given = load_scenario(answers, library.vocabulary)
            scripted = {k: e.value for k, e in next(iter(given.accounts.values())).facts.items()}
        session = Interview(chosen, start)
        typer.echo(f"Interview under {chosen.id}: {chosen.spec.document}")
        while (question := session.next_question()) is not None:
            remaining = len(session.open_questions())
            typer.echo("")
            typer.echo(
                f"Question {len(session.answers) + 1} ({remaining} open "
                f"{'fact' if remaining == 1 else 'facts'} could still decide it; "
                f"outcome so far: {session.outcome})"
            )
            typer.echo(f"{question.text} [{question.fact}]")
            if scripted is not None:
                value = scripted.get(question.fact)
                shown = "unknown (not in the answers file)" if value is None else str(value)
                typer.echo(f"> {shown}")
                session.answer(question.fact, Value.UNKNOWN if value is None else value)
                continue
            while True:
                typer.echo("yes / no / unknown > ", nl=False)
                line = sys.stdin.readline()
                if not line:
                    typer.echo("")
                    typer.echo("(no more input: the interview stops here)")
                    break
                value = parse_answer(line)
                if value is not None:
                    session.answer(question.fact, value)
                    break
                typer.echo("please answer yes, no or unknown (y, n, ?)")
            if not line:
                break
        final = session.analysis()
        typer.echo("")
        typer.echo(f"Outcome: {final.outcome} after {len(session.answers)} questions.")
        if final.outcome.value == "undetermined" and session.open_questions():
            typer.echo("Still open: " + ", ".join(q.fact for q in session.open_questions()))
        if save is not None:
            from forcecheck.analysis.interview import scenario_text
            from forcecheck.cli.output import write_atomic

            write_atomic(save, scenario_text(session), force=force)
            typer.echo(f"Saved to {save}")


@app.command()
def check(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario files or directories (searched recursively).")
    ],
    format: FormatOption = Format.table,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="After the results, report which statuses (met, unmet, unknown) the "
            "scenarios drove each rule of each policy to, and the first scenario that did.",
        ),
    ] = False,
    require_full_coverage: Annotated[
        bool,
        typer.Option(
            "--require-full-coverage",
            help="Implies --coverage; also exit 1 unless every rule was driven to met, "
            "unmet and unknown.",
        ),
    ] = False,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """Run the `expect:` blocks of scenario files like tests; exit 1 if any fails.

    Every mismatch is reported as `path:line:col: expected X, got Y`, all of them, then a
    summary line `N passed, N failed`. Files without `expect:` are skipped. With
    --coverage, a table per policy follows; coverage alone never changes the exit code.
    """
    with _guard():
        import json

        from forcecheck.checks.check import check_paths
        from forcecheck.checks.coverage import coverage as rule_coverage

        report = check_paths(paths)
        covered = rule_coverage(report.results) if coverage or require_full_coverage else None
        if format is Format.json:
            data = report.to_json()
            if covered is not None:
                from forcecheck.render.coverage_view import coverage_json

                data["coverage"] = coverage_json(covered)
            sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        else:
            for line in report.lines():
                typer.echo(line)
            if covered is not None:
                from forcecheck.render.coverage_view import render_coverage

                sys.stdout.write("\n" + render_coverage(covered, table_format))
        short = require_full_coverage and not (covered and all(c.full for c in covered))
        if short:
            incomplete = [c.policy.id for c in covered or () if not c.full]
            typer.echo(
                "error: coverage is not full for: "
                + (", ".join(incomplete) or "no policy (no scenario was evaluated)"),
                err=True,
            )
        if report.failed or short:
            raise typer.Exit(EXIT_FAILED)


@app.command()
def policies(
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """List the shipped policies: dates, agencies, layer, rules and citation wording."""
    with _guard():
        from forcecheck.load.library import shipped
        from forcecheck.render.policies import render_policies, render_policies_json

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
        from forcecheck.errors import MissingReferenceError, did_you_mean
        from forcecheck.load.library import policy_from_ref, shipped
        from forcecheck.render.explain import render_explain

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
        from forcecheck.checks.lint import lint_paths
        from forcecheck.load.library import shipped

        library = shipped()
        diagnostics = lint_paths(paths or [library.directory], library)
        for diagnostic in diagnostics:
            typer.echo(diagnostic.render())
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = len(diagnostics) - errors
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
        if errors:
            raise typer.Exit(EXIT_FAILED)


from forcecheck.cli.report_command import report  # noqa: E402  (it uses the helpers above)
from forcecheck.cli.verify_command import verify  # noqa: E402  (it uses the helpers above)

app.command()(verify)
app.command()(report)

from forcecheck.cli.new_command import new  # noqa: E402
from forcecheck.cli.schema_command import schema  # noqa: E402

app.command()(new)
app.command()(schema)


def main() -> None:
    """Entry point of the ``forcecheck`` console script."""
    app()
