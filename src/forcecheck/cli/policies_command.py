"""``forcecheck policies``: the library's policies, their dates, agencies and layers."""

from __future__ import annotations

import sys

from forcecheck.cli.application import guard
from forcecheck.cli.options import Format, FormatOption, TableFormatOption


def policies(
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """List the policies (shipped, or --policies-dir): dates, agencies, layer, rules, wording."""
    with guard():
        from forcecheck.app.library_report import library_policies
        from forcecheck.render.policies import render_policies, render_policies_json

        listed = library_policies()
        text = (
            render_policies_json(listed)
            if format is Format.json
            else render_policies(listed, table_format)
        )
        sys.stdout.write(text)
