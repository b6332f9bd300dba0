"""whatif, compare and questions read every layer a scenario is judged under, not only the main.

A reporter asking about the Good shooting (Minneapolis) must see that a change moves
Minnesota's law though it moves no federal layer, that a disputed fact decides the state's
outcome though it decides no federal one, and what the state's law and the immunity view
would still ask. With ``--policy`` only that policy is read, as before.
"""

from __future__ import annotations

import json

from tests.conftest import ROOT, invoke

GOOD = str(ROOT / "scenarios/incidents/minneapolis-good-2026-01-07.yaml")
PRETTI = str(ROOT / "scenarios/incidents/minneapolis-pretti-2026-01-24.yaml")


def test_whatif_shows_a_change_that_moves_only_the_state_law() -> None:
    result = invoke(["whatif", GOOD, "-s", "threat_articulable=false"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    table = out[out.index("Outcomes that changed:") : out.index("Conditions that changed")]
    assert table.count("mn-609-066 (state)") == 3  # one row per account
    assert "Conditions that changed under mn-609-066 (state):" in out
    assert "Nothing changes under dhs-2023 (department), 8cfr-287-8 (regulation)" in out
    assert "articulated_with_specificity" in out
    # The federal layers did not move, so no strictest change is claimed.
    assert "strictest" not in out


def test_whatif_json_lists_every_layer_and_which_changed() -> None:
    result = invoke(["whatif", GOOD, "-s", "threat_articulable=false", "--format", "json"])
    data = json.loads(result.stdout)
    changed = {layer["policy"]: layer["changed"] for layer in data["layers"]}
    assert changed == {
        "dhs-2023": False,
        "8cfr-287-8": False,
        "constitutional-floor": False,
        "mn-609-066": True,
        "supremacy-clause-immunity": False,
    }
    state = next(layer for layer in data["layers"] if layer["policy"] == "mn-609-066")
    assert {a["account"]: a["after"] for a in state["accounts"]} == {
        "agency": "not_authorized",
        "video": "not_authorized",
        "pro-officer-commentary": "not_authorized",
    }
    # The top level stays the main policy's, as before.
    assert data["policy"]["id"] == "dhs-2023" and data["outcomes"] == []
    assert data["any_layer_changed"] is True


def test_whatif_under_one_named_policy_reads_that_policy_only() -> None:
    result = invoke(["whatif", GOOD, "-s", "threat_articulable=false", "-p", "dhs-2023"])
    assert "Policy:   dhs-2023" in result.stdout
    assert "Nothing changes: every outcome and every condition" in result.stdout
    assert "mn-609-066" not in result.stdout


def test_whatif_says_when_the_strictest_federal_outcome_moves() -> None:
    result = invoke(["whatif", GOOD, "-s", "could_avoid_vehicle=true", "-a", "agency"])
    assert result.exit_code == 0, result.stderr
    rows = result.stdout[: result.stdout.index("Conditions that changed")].splitlines()
    assert [r for r in rows if "strictest (federal layers)" in r and "not_authorized" in r]


def test_whatif_puts_every_outcome_first_and_hides_conditions_of_unmoved_layers() -> None:
    out = invoke(["whatif", GOOD, "-s", "other_defense_available=true"]).stdout
    assert out.index("Outcomes that changed:") < out.index("Conditions that changed under")
    # Minnesota's conditions move but not its outcome: a line, not a table.
    assert "Conditions that changed under mn-609-066" not in out
    words = " ".join(out.split())
    assert "Conditions changed, but no outcome, under mn-609-066 (state): 9 conditions" in words
    assert "add --policy mn-609-066" in words


def test_compare_shows_every_layer_and_the_disputes_that_decide_the_state_law() -> None:
    result = invoke(["compare", GOOD])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Outcome per account under every layer" in out
    table = out[out.index("Outcome per account under every layer") :]
    for row in ("dhs-2023 (department)", "strictest (federal layers)", "mn-609-066 (state)"):
        assert row in table
    assert "mn-609-066 (state): ★ threat_articulable" in out
    # It says how to compare the accounts under the layer the dispute decides.
    assert "--policy mn-609-066" in " ".join(out.split())


def test_compare_speaks_the_immunity_views_own_words() -> None:
    result = invoke(["compare", PRETTI])
    row = next(line for line in result.stdout.splitlines() if "supremacy-clause-immunity" in line)
    assert "immunity unlikely" in row
    data = json.loads(invoke(["compare", PRETTI, "--format", "json"]).stdout)
    immunity = next(x for x in data["layers"] if x["policy"] == "supremacy-clause-immunity")
    assert {a["account"]: a["outcome"] for a in immunity["accounts"]}["video"] == (
        "immunity_unlikely"
    )
    assert not immunity["federal"]


def test_compare_markdown_has_the_layers_table() -> None:
    out = invoke(["compare", GOOD, "--format", "markdown"]).stdout
    assert "## Outcome per account under every layer" in out
    assert "| mn-609-066 (state) | undetermined | not_authorized | undetermined |" in out


def test_questions_say_what_the_state_law_and_the_immunity_view_add() -> None:
    result = invoke(["questions", GOOD])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    section = out[out.index("Under the other layers") :]
    assert "mn-609-066 (state):" in section
    assert "supremacy-clause-immunity (immunity):" in section
    # The immunity view asks the agent's own belief, which dhs-2023 never asks.
    asks = section[section.index("supremacy-clause-immunity (immunity):") :]
    assert "It also asks:" in asks
    assert "- agent_honestly_believed_force_necessary:" in asks
    # Asked once, not once per account.
    assert asks.count("agent_honestly_believed_force_necessary:") == 1


def test_questions_json_layers_use_the_layers_outcome_words() -> None:
    data = json.loads(invoke(["questions", PRETTI, "--format", "json"]).stdout)
    immunity = next(x for x in data["layers"] if x["policy"] == "supremacy-clause-immunity")
    outcomes = {a["account"]: a["outcome"] for a in immunity["accounts"]}
    assert outcomes["video"] == "immunity_unlikely"
    assert data["layers"][0]["policy"] == "8cfr-287-8"


def test_questions_under_one_named_policy_have_no_other_layers() -> None:
    out = invoke(["questions", GOOD, "-p", "mn-609-066"]).stdout
    assert "Under the other layers" not in out


def test_whatif_as_markdown_has_every_layers_outcome_changes(tmp_path) -> None:
    out = tmp_path / "whatif.md"
    result = invoke(
        ["whatif", GOOD, "-s", "other_defense_available=true", "-f", "markdown", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert "Wrote" in result.stderr + result.stdout
    text = out.read_text()
    assert text.startswith("# What if: Shooting of Renée Nicole Good")
    assert (
        "| supremacy-clause-immunity (immunity) | agency | undetermined | immunity unlikely |"
        in (text)
    )
    assert "## Conditions that changed under dhs-2023 (department)" in text


def test_questions_as_markdown_lists_each_account_and_the_other_layers() -> None:
    result = invoke(["questions", GOOD, "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "## Account `agency`: undetermined" in text
    assert "### mn-609-066 (state)" in text
    assert "- agent_honestly_believed_force_necessary:" in text


def test_the_html_what_if_panel_says_which_policy_it_recomputes(tmp_path) -> None:
    out = tmp_path / "good.html"
    assert invoke(["evaluate", GOOD, "-f", "html", "-o", str(out)]).exit_code == 0
    page = out.read_text()
    assert "Outcome under dhs-2023:" in page
    assert "The panel recomputes dhs-2023 only, not 8cfr-287-8" in page
    assert "forcecheck whatif" in page
