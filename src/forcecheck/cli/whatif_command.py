"""``forcecheck whatif``: a scenario as written and with some facts changed."""

from __future__ import annotations

from typing import Annotated

import typer

from forcecheck.cli.application import emit, guard
from forcecheck.cli.options import (
    AccountFilterOption,
    DocumentFormat,
    DocumentFormatOption,
    ForceOption,
    OutputOption,
    PolicyOverrideOption,
    ScenarioArgument,
    TableFormatOption,
)


def _fact_setting(value: str) -> str:
    fact, sep, raw = value.partition("=")
    if not sep or not fact.strip() or raw.strip().lower() not in ("true", "false", "unknown"):
        raise typer.BadParameter(f"'{value}': write FACT=true, FACT=false or FACT=unknown")
    return value


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
    format: DocumentFormatOption = DocumentFormat.table,
    table_format: TableFormatOption = "simple_grid",
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Evaluate a scenario as written and with some facts changed; show only what changed.

    Outcomes (per account and discharge) and conditions whose status changes, each with the
    reason before and after. Exits 0 whatever changes; exits 3 when a change breaks an
    exclusion of the vocabulary once the values it settles are settled.
    """
    with guard():
        from forcecheck.app.whatif_report import UnknownSetting, whatif_report
        from forcecheck.model.logic import Value
        from forcecheck.render.whatif_view import render_whatif, render_whatif_json

        changes = {
            fact.strip(): Value(raw.strip().lower())
            for fact, _, raw in (setting.partition("=") for setting in set_)
        }
        try:
            result = whatif_report(file, changes, account, policy)
        except UnknownSetting as exc:
            raise typer.BadParameter(str(exc), param_hint="--set") from None
        if format is DocumentFormat.json:
            text = render_whatif_json(result)
        elif format is DocumentFormat.markdown:
            from forcecheck.render.markdown_whatif import render_whatif_markdown

            text = render_whatif_markdown(result)
        else:
            text = render_whatif(result, table_format)
        emit(text, output, force)
