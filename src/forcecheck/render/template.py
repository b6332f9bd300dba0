"""A commented scenario template: every fact a policy tests, with its question, as YAML.

``forcecheck new`` writes it. The template is a valid scenario as it stands (every fact the
policy tests is ``unknown``, so ``forcecheck evaluate`` runs it and finds the outcome
undetermined); each fact carries its plain-English question and the rules that test it as
a comment, and the optional parts (date, place, agency, stated conclusions, a timeline of
discharges, an ``expect:`` block) are commented-out examples that stay valid when
uncommented. Facts the policy does not test follow, commented out, so the file still shows
the whole vocabulary.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from forcecheck.engine.explain import Evaluation
from forcecheck.model.policy import Policy
from forcecheck.render.yaml_text import yaml_scalar

#: Comments are wrapped to this width (the YAML lines themselves are short).
WIDTH = 92


def scenario_template(
    policy: Policy,
    blank: Evaluation,
    *,
    policy_ref: str | None = None,
    scenario_id: str | None = None,
    schema: str | None = None,
) -> str:
    """The template text for a scenario judged under ``policy``.

    ``policy_ref`` is what the file's ``policy:`` says (default: the policy id; a path for a
    policy of one's own). ``scenario_id`` fills ``id:``. ``schema``, when given, is the
    location of the scenario JSON Schema for the ``# yaml-language-server: $schema=``
    modeline that editors read. ``blank`` is what the policy concludes with every fact it
    tests unknown (:func:`forcecheck.app.library_report.blank_evaluation`): the example
    ``expect:`` block states it.
    """
    vocabulary = policy.vocabulary
    used = [fact for fact in vocabulary.ids if fact in set(policy.facts_used)]
    unused = [fact for fact in vocabulary.ids if fact not in set(policy.facts_used)]
    testers = _testers(policy)
    example_rule = _example_condition(policy)
    lines: list[str] = []
    if schema is not None:
        lines += [f"# yaml-language-server: $schema={schema}", "#"]
    lines += _comment(
        f"A forcecheck scenario (see docs/scenario-format.md), written by `forcecheck new` "
        f"for {policy.id}: {' '.join(policy.spec.document.split())}."
    )
    lines.append("#")
    lines += _comment(
        "Every fact the policy tests is listed below, unknown, under its question. Set each "
        "fact the drill settles to true or false and leave the others unknown. Deleting a "
        "fact makes it 'not addressed': it also evaluates as unknown, but reports list it "
        "apart. Then run `forcecheck evaluate` on this file for the outcome, `forcecheck "
        "whatif` to vary a fact, and `forcecheck check` once `expect:` says what the drill "
        "should teach. How to set each fact so that two coders agree, with its hard cases: "
        "`forcecheck facts <fact>` (docs/facts.md). A shooting on foot: set "
        "`vehicle_involved: false` and the vehicle facts follow."
    )
    lines.append("")
    lines.append(f"id: {yaml_scalar(scenario_id)}" if scenario_id else "# id: a-short-identifier")
    lines.append("title: 'TODO: the drill in one line'")
    lines.append("# date: 2026-01-31          # the day of the incident, YYYY-MM-DD")
    lines.append("# place: Minneapolis, Minnesota")
    lines.append("# agency: ICE               # ICE, CBP, DHS, ...")
    lines.append(f"policy: {yaml_scalar(policy_ref or policy.id)}")
    lines.append("summary: >-")
    lines += _indent(
        "TODO: what happened, in a few sentences: who was there, what the officer saw, "
        "what the officer did, and when.",
        "  ",
    )
    lines.append("")
    lines.append("facts:")
    lines += _comment(
        f"The {len(used)} facts {policy.id} tests, in the vocabulary's order.", indent="  "
    )
    for fact_id in used:
        lines.append("")
        lines += _fact_comment(policy, fact_id, testers[fact_id])
        lines.append(f"  {fact_id}: unknown")
    if unused:
        lines.append("")
        lines += _comment(
            f"The {len(unused)} facts {policy.id} does not test. Recorded for readers and "
            "for other policies (`forcecheck compare --policies`); uncomment to record one.",
            indent="  ",
        )
        for fact_id in unused:
            lines.append("")
            lines += _fact_comment(policy, fact_id, ())
            lines.append(f"  # {fact_id}: unknown")
    lines.append("")
    lines += _conclusions_example(policy, example_rule)
    lines.append("")
    lines += _discharges_example(policy, used)
    lines.append("")
    lines += _expect_example(blank, example_rule)
    return "\n".join(lines) + "\n"


def relative_reference(target: Path, other: Path) -> str:
    """How a file written at ``target`` names ``other``: a path relative to its directory.

    forcecheck reads a scenario's ``policy:`` path, and yaml-language-server its
    ``$schema``, relative to the scenario file itself, so the reference keeps working
    wherever the two files move together. An absolute path where none exists (another
    drive on Windows).
    """
    start = target.resolve().parent
    try:
        return Path(os.path.relpath(other.resolve(), start)).as_posix()
    except ValueError:
        return other.resolve().as_posix()


def _testers(policy: Policy) -> dict[str, list[str]]:
    """For each fact, the rules naming it directly, each with its section."""
    found: dict[str, list[str]] = {fact: [] for fact in policy.vocabulary.ids}
    conditions = set(policy.conditions)
    for rule in policy.rules.values():
        where = " ".join(rule.citation.section.split())
        role = "" if rule.id in conditions else "a finding; "
        for fact in rule.facts:
            found[fact].append(f"{rule.id} [{role}{where}]")
    return found


def _example_condition(policy: Policy) -> str:
    """A condition to show in the examples: the first under the decision to test a fact."""
    for rule_id in policy.conditions[1:]:
        if policy.rules[rule_id].facts:
            return rule_id
    return policy.spec.decision


def _fact_comment(policy: Policy, fact_id: str, testers: list[str] | tuple[str, ...]) -> list[str]:
    fact = policy.vocabulary.facts[fact_id]
    lines = _comment(" ".join(fact.question.split()), indent="  ")
    if testers:
        lines += _comment("tested by: " + ", ".join(testers), indent="  ", follow="    ")
    elif fact.context_only:
        lines += _comment("context only: no shipped policy tests it", indent="  ")
    return lines


def _conclusions_example(policy: Policy, rule_id: str) -> list[str]:
    lines = _comment(
        'Stated conclusions: what the account itself asserts about a condition ("he feared '
        'for his life"), keyed by a rule id of the policy, met or unmet. Never used to '
        "evaluate; reports say whether the facts support it. Uncomment to record one."
    )
    return [
        *lines,
        "# conclusions:",
        f"#   {rule_id}:",
        "#     status: met",
        "#     quote: 'the words of the account that assert it'",
    ]


def _discharges_example(policy: Policy, used: list[str]) -> list[str]:
    fact = "threat_ended" if "threat_ended" in used else used[0]
    lines = _comment(
        "A timeline: a threat can end between shots. Each discharge is evaluated on the "
        "facts above, overridden by its own. Uncomment and adapt to judge shot by shot."
    )
    return [
        *lines,
        "# discharges:",
        "#   - id: shot-1",
        "#     title: the first shot",
        "#   - id: shot-2",
        "#     title: a later shot, after circumstances changed",
        "#     facts:",
        f"#       {fact}: true",
    ]


def _expect_example(blank: Evaluation, rule_id: str) -> list[str]:
    # What the policy concludes from the template as written (every tested fact unknown):
    # the example holds as it stands, and shows the shape to change it to.
    outcome, status = blank.outcome, blank.rules[rule_id].status
    lines = _comment(
        "What the policy should conclude: `forcecheck check` runs this block like a test. As "
        "written (every fact unknown) the policy concludes what it says below; once the facts "
        "are set, change it to what the drill should teach, and uncomment it."
    )
    return [
        *lines,
        "# expect:",
        f"#   outcome: {outcome}",
        "#   conditions:",
        f"#     {rule_id}: {status}",
    ]


def _comment(text: str, *, indent: str = "", follow: str | None = None) -> list[str]:
    """``text`` as wrapped comment lines; continuation lines indented by ``follow``."""
    prefix = f"{indent}# "
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=prefix,
        subsequent_indent=prefix + (follow or ""),
        break_on_hyphens=False,
        break_long_words=False,
    )


def _indent(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent)
