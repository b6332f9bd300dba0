"""A drill's HTML page (issue #21.7): no empty columns, no "Account default"."""

from __future__ import annotations

import re

from .conftest import SCENARIOS, invoke


def page(path: str) -> str:
    result = invoke(["evaluate", str(SCENARIOS / path), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    # The visible page, without the what-if panel's data and script.
    return re.sub(r"<script.*?</script>", "", result.stdout, flags=re.S)


def headers(html: str) -> list[str]:
    return re.findall(r'<th scope="col">([^<]*)</th>', html)


def test_a_drill_has_no_empty_source_or_quote_columns_and_no_default_account() -> None:
    html = page("training/01-armed-attacker.yaml")
    assert "Source" not in headers(html)
    # The quote column stays only for what the settled values follow from.
    if "Quote or note" in headers(html):
        assert "follows from" in html
    assert "Source of the account" not in headers(html)
    assert "<code>default</code>" not in html
    assert "The scenario: " in re.sub(r"<[^>]+>", "", html)


def test_the_what_if_panel_starts_from_the_scenario_not_account_default() -> None:
    result = invoke(["evaluate", str(SCENARIOS / "training/01-armed-attacker.yaml"), "-f", "html"])
    assert '{"label":"The scenario",' in result.stdout
    assert "Account default" not in result.stdout


def test_an_incident_keeps_its_accounts_sources_and_quotes() -> None:
    html = page("incidents/franklin-park-2025-09-12.yaml")
    shown = headers(html)
    assert {"Account", "Source of the account", "Source", "Quote or note"} <= set(shown)
    assert "Account " in re.sub(r"<[^>]+>", "", html)
