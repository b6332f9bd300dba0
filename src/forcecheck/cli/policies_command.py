"""``forcecheck policies``: the shipped policies, their dates, agencies and layers."""

from __future__ import annotations

import sys

from forcecheck.cli.application import guard
from forcecheck.cli.options import Format, FormatOption, TableFormatOption


def policies(
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """List the shipped policies: dates, agencies, layer, rules and citation wording."""
    with guard():
        from forcecheck.app.library_report import shipped_policies
        from forcecheck.render.policies import render_policies, render_policies_json

        listed = shipped_policies()
        text = (
            render_policies_json(listed)
            if format is Format.json
            else render_policies(listed, table_format)
        )
        sys.stdout.write(text)
