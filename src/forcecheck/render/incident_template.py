"""A commented template for a real incident: accounts, sources, discharges, no ``policy:``.

``forcecheck new --incident`` writes it. Unlike a drill, an incident is told by several
accounts, each attributed to its sources, and it names no policy: its date and agency choose
the layers in force (every one is evaluated). Each account states only the facts its source
addresses; the whole vocabulary is listed as comments, by topic, to copy from. The template
is a valid scenario as it stands (its one account states nothing yet).
"""

from __future__ import annotations

import textwrap
from itertools import groupby

from forcecheck.model.vocabulary import Vocabulary
from forcecheck.render.template import WIDTH
from forcecheck.render.yaml_text import yaml_scalar


def _comment(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=f"{indent}# ",
        subsequent_indent=f"{indent}# ",
    )


def incident_template(
    vocabulary: Vocabulary, *, scenario_id: str | None = None, schema: str | None = None
) -> str:
    """The template text for an incident, listing ``vocabulary``'s facts by topic."""
    lines: list[str] = []
    if schema is not None:
        lines += [f"# yaml-language-server: $schema={schema}", "#"]
    lines += _comment(
        "A forcecheck incident (see docs/scenario-format.md), written by `forcecheck new "
        "--incident`. Record who said what: one account per telling (the agency's statement, "
        "a video, a court filing), each fact attributed to a source and, where you can, "
        "quoted word for word. Write only the facts an account states; a fact it does not "
        "address is left out (not addressed), never guessed. How to set each fact so that two "
        "coders agree: `forcecheck facts <fact>` (docs/facts.md). Then `forcecheck evaluate`, "
        "`compare` (who says what, and which disputes decide) and `questions` (what to ask)."
    )
    lines.append("")
    lines.append(f"id: {yaml_scalar(scenario_id)}" if scenario_id else "# id: a-short-identifier")
    lines.append("title: 'TODO: the shooting in one line (who, where)'")
    lines += _comment(
        "Date and agency choose the policies in force that day: every layer is evaluated, and "
        "the strictest shown. Replace both placeholders."
    )
    lines.append("date: 2026-01-31             # TODO: the day of the shooting, YYYY-MM-DD")
    lines.append("agency: ICE                  # TODO: ICE, CBP, DHS, ...")
    lines.append("# place: Minneapolis, Minnesota")
    lines.append("summary: >-")
    lines.append("  TODO: what is known, in a few sentences, and who says what. Quotation marks")
    lines.append("  only around words a source said or wrote (give them as a `quote:` too).")
    lines.append("")
    lines += _comment("Every publication or record the accounts rest on, by a short id.")
    lines += [
        "sources:",
        "  agency-statement:",
        "    title: 'TODO: e.g. DHS statement on the shooting'",
        "    publisher: 'TODO: e.g. U.S. Department of Homeland Security'",
        "    # date: 2026-02            # a day, a month or a year, as precise as known",
        "    # url: https://...",
        "",
        "accounts:",
        "  agency:",
        "    title: 'TODO: who tells it, e.g. the agency''s statement'",
        "    source: agency-statement",
        "    # date: 2026-01-08         # when the account was given",
        "    # status: {state: retracted, date: 2026-02, by: a-later-account}",
        "    # shots: 3",
    ]
    lines += _comment(
        "The facts this account states, each as `value` with the words that say it, e.g.",
        indent="    ",
    )
    lines += [
        "    #   subject_fleeing:",
        "    #     value: true",
        "    #     quote: 'the words of the source'",
        "    #   subject_armed:",
        "    #     value: true          # as a reasonable officer perceived it",
        "    #     hindsight: {value: false, source: a-video, note: it was a phone}",
        "    facts: {}",
    ]
    lines += _comment(
        "The vocabulary, by topic; copy the facts this account states into `facts:` above.",
        indent="    ",
    )
    facts = list(vocabulary.facts.items())
    order: dict[str, int] = {}
    for _, fact in facts:
        order.setdefault(fact.topic or "", len(order))
    ranked = sorted(facts, key=lambda item: order[item[1].topic or ""])
    for topic, group in groupby(ranked, key=lambda item: item[1].topic or ""):
        lines.append(f"    # -- {topic or 'other'} --")
        for fact_id, fact in group:
            lines += _comment(f"{fact_id}: {fact.question}", indent="    ")
    lines.append("")
    lines += _comment(
        "A timeline: a threat can end between shots. Each discharge is evaluated on the "
        "account's facts, overridden by its own. Uncomment under an account to judge shot by "
        "shot."
    )
    lines += [
        "#    discharges:",
        "#      - id: shot-1",
        "#        title: the first shot",
        "#        facts: {threat_ended: false}",
        "#      - id: shot-2",
        "#        facts: {threat_ended: true, subject_threatened_deadly_force: false}",
    ]
    return "\n".join(lines) + "\n"
