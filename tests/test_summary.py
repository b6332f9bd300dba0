"""The summary that leads every report, and the words that must not mislead (#20.6, #20.7)."""

from __future__ import annotations

import json
import re

import pytest

from forcecheck.render.common import TEXT_WIDTH, wrap

from .conftest import SCENARIOS, invoke

INCIDENTS = sorted((SCENARIOS / "incidents").glob("*.yaml"))
GOOD = SCENARIOS / "incidents" / "minneapolis-good-2026-01-07.yaml"
BRIGHTON = SCENARIOS / "incidents" / "chicago-brighton-park-2025-10-04.yaml"


@pytest.mark.parametrize("path", INCIDENTS, ids=lambda p: p.stem)
def test_an_incident_fits_on_a_screen_and_full_gives_every_table(path) -> None:
    text = invoke(["evaluate", str(path)]).stdout
    lines = text.splitlines()
    # The summary alone, with the header: a few lines per layer and account (here up to 7
    # accounts under 5 layers), never the hundreds of lines of the full tables. (84 for
    # Brighton Park since an open text's line says which answer still settles it one way.)
    assert len(lines) <= 90, len(lines)
    assert "Summary\n=======" in text and "add --full" in text
    assert "Citations\n=========" not in text
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    for layer in report["layers"]:
        assert re.search(rf"^{re.escape(layer['policy'])} \(", text, re.M), layer["policy"]
    # Every undetermined outcome says what it turns on, under every layer.
    for layer in report["layers"]:
        for account in layer["accounts"]:
            found = account["turns_on"]
            assert (found is None) == (account["outcome"] != "undetermined")
            if found is not None:
                assert found["text"].startswith(("depends on whether", "depends on ", "no "))
    full = invoke(["evaluate", str(path), "--full"]).stdout
    assert full.startswith(text.split("Every condition, the facts given")[0])
    assert "Citations\n=========" in full and "Facts given:" in full


def test_goods_summary_says_what_the_agencys_account_turns_on_in_plain_words() -> None:
    text = invoke(["evaluate", str(GOOD)]).stdout
    flat = " ".join(text.split())
    # The smallest deciding set, in the vocabulary's words, not fact ids.
    assert (
        "- agency: depends on whether the endangered person could get clear of the vehicle and "
        "whether another option was available"
    ) in flat
    assert "dhs-2023 (department): not_authorized for video; undetermined for agency" in text
    assert "◇ threat_ended (false: agency;" in text
    markdown = invoke(["evaluate", str(GOOD), "-f", "markdown"]).stdout
    assert markdown.index("## Summary") < markdown.index("## Outcome")
    assert "whether another option was available" in markdown.split("## Outcome")[0]
    # The layers table's undetermined cells say what they turn on.
    layers = markdown.split("## Every binding policy")[1].split("##")[0]
    assert "undetermined: depends on whether another option was available |" in layers
    page = invoke(["evaluate", str(GOOD), "-f", "html"]).stdout
    assert page.index('id="h-summary"') < page.index('id="h-outcome"')
    assert '<span class="badge undetermined">Open question</span>' in page
    assert 'title="depends on whether another option was available"' in page  # layers table
    summary = page[page.index('id="h-summary"') : page.index('id="h-outcome"')]
    assert "agency: depends on whether the endangered person could get clear" in summary


def test_a_drill_is_printed_whole_with_its_summary() -> None:
    drill = SCENARIOS / "training" / "01-armed-attacker.yaml"
    text = invoke(["evaluate", str(drill)]).stdout
    assert text.index("Summary") < text.index("Facts given:") and "add --full" not in text


def test_a_conclusion_the_facts_carry_reads_consistent_not_supported() -> None:
    for args in ([], ["-f", "markdown"], ["-f", "html"]):
        out = invoke(["evaluate", str(GOOD), "--full", *args]).stdout
        assert "consistent with its own facts" in out
        assert not re.search(r"[│|>]\s*supported\s*[│|<]", out)
    data = json.loads(invoke(["evaluate", str(GOOD), "-f", "json"]).stdout)
    verdicts = {c["verdict"] for a in data["accounts"] for c in a["conclusions"]}
    assert verdicts == {"supported"}  # JSON keeps its value; docs say what it means


def test_a_facts_value_is_never_coloured_as_a_status() -> None:
    page = invoke(["evaluate", str(GOOD), "-f", "html"]).stdout
    facts = re.findall(r'data-kind="fact"><span class="node"><span class="([^"]+)">([^<]*)<', page)
    assert facts and {css for css, _ in facts} == {"st fact"}
    assert not any("✗" in text or "✓" in text for _, text in facts)
    # "Facts given" tables too: threat_ended false is a value, not a failing.
    assert '<span class="st unmet">✗ false</span>' not in page


def test_if_switched_says_could_change_once_per_fact() -> None:
    text = invoke(["compare", str(BRIGHTON)]).stdout
    blocks = text.split("If switched:")[1:]
    assert blocks
    for block in blocks:
        # Once per fact under each layer (the main policy's, then each other layer's).
        items = " ".join(block.split("\n\n")[0].split()).split(" - ")[1:]
        per_layer: dict[str, int] = {}
        for item in items:
            layer = item.split(":")[0] if item.startswith("under ") else ""
            per_layer[layer] = per_layer.get(layer, 0) + item.count("depending on the questions")
        assert all(count <= 1 for count in per_layer.values()), per_layer
    # compare does not repeat the question tables of `questions`; it points at them.
    assert "Questions that could settle the outcome" not in text
    assert "What each outcome turns on" in text and "forcecheck questions" in text


def test_a_wrapped_dash_never_starts_a_continuation_line() -> None:
    text = "x " * 44 + "weighs - left open by Barnes, and more words to wrap"
    lines = wrap(text, "  - ")
    assert all(len(line) <= TEXT_WIDTH for line in lines)
    assert not any(line.lstrip().startswith("- ") for line in lines[1:])
    assert " ".join(" ".join(lines).split()) == "- " + " ".join(text.split())


@pytest.mark.parametrize("path", INCIDENTS, ids=lambda p: p.stem)
def test_no_fact_can_settle_it_is_said_only_when_no_answer_settles_it(path) -> None:
    # An open text (Barnes) can keep one outcome out of reach while one answer still gives
    # the other: then "no fact can settle it" would steer a reporter away from that answer.
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    for layer in report["layers"]:
        for account in layer["accounts"]:
            found = account["turns_on"]
            if found is None:
                continue
            if found["settles_one_way"]:
                assert not found["text"].startswith("no fact can settle it"), found["text"]
                first = found["settles_one_way"][0]
                assert (
                    f"if {'yes' if first['answer'] == 'true' else 'no'} to whether"
                    in (found["text"])
                )


def test_the_immunity_view_says_which_answer_makes_immunity_unlikely() -> None:
    report = json.loads(invoke(["evaluate", str(GOOD), "-f", "json"]).stdout)
    (immunity,) = [x for x in report["layers"] if x["policy"] == "supremacy-clause-immunity"]
    video = next(a for a in immunity["accounts"] if a["account"] == "video")
    assert video["outcome"] == "undetermined"
    ways = video["turns_on"]["settles_one_way"]
    assert {"fact": "agent_honestly_believed_force_necessary", "answer": "false"} in [
        {"fact": w["fact"], "answer": w["answer"]} for w in ways
    ]
    assert all(w["outcome"] == "immunity_unlikely" for w in ways)
    assert "but immunity unlikely if" in video["turns_on"]["text"]
