"""The report of ``forcecheck questions``: what to ask, and what an outcome rests on."""

from __future__ import annotations

import json
from dataclasses import dataclass

from forcecheck.analysis import Question, Questions
from forcecheck.analysis.layer_questions import LayerQuestions
from forcecheck.analysis.questions import ReadingQuestions
from forcecheck.engine.evaluation import ScenarioResult
from forcecheck.model.logic import Outcome
from forcecheck.model.scenario import Scenario
from forcecheck.render.analysis_text import (
    LIST_SETS_UP_TO,
    every_question_text,
    percent,
    questions_json,
    settled_facts_text,
    settles_text,
)
from forcecheck.render.common import ONE_LINE_FORMATS, TEXT_WIDTH, citation_ref, layer_label, wrap
from forcecheck.render.escape import terminal
from forcecheck.render.evidence_text import (
    account_json,
    divided_json,
    evidence_lines,
    status_suffix,
)
from forcecheck.render.grid import grid
from forcecheck.render.readings_text import reading_words, readings_json, readings_plain


def _word(questions: Questions, outcome: Outcome) -> str:
    """An outcome in the words of the questions' policy (the immunity view's own)."""
    from forcecheck.render.outcome_words import outcome_word

    return outcome_word(questions.policy.spec.layer or "", outcome)


def question_lines(questions: Questions, fmt: str) -> list[str]:
    """The questions for one account (or what its determined outcome rests on), as text."""
    policy = questions.policy
    lines: list[str] = []
    if questions.rests_on:
        lines += wrap(
            f"The outcome is {_word(questions, questions.outcome)}. It rests on these facts: "
            "had one turned out otherwise, or not been known, the outcome would change."
        )
        lines.append("")
        rows = [
            [
                r.fact,
                ", ".join(str(v) for v in dict.fromkeys(r.values)),
                _word(questions, r.if_otherwise),
                _word(questions, r.if_unknown),
            ]
            for r in questions.rests_on
        ]
        lines += [
            grid(rows, ["fact", "value", "if otherwise", "if not known"], fmt),
            "",
        ]
        return lines
    if not questions.questions:
        lines += wrap(
            "The outcome is undetermined, and no answer to the facts it leaves open can settle it."
        )
        return [*lines, ""]
    lines += wrap(
        "Questions that could settle the outcome, most decisive first. 'alone' means the "
        "answer settles it by itself; 'weight' is the share of the ways the other open facts "
        "could turn out in which this answer changes the outcome"
        + ("" if questions.exact else " (estimated from a fixed sample)")
        + "."
    )
    lines.append("")
    rows = []
    for index, q in enumerate(questions.questions):
        silent = " (not addressed)" if q.not_addressed else ""
        settled = settled_facts_text(q)
        rows.append(
            [
                str(index + 1),
                f"{q.text} [{q.fact}{silent}]" + (f"; {settled}" if settled else ""),
                _word(questions, q.if_true),
                _word(questions, q.if_false),
                settles_text(questions, index),
                percent(q.weight),
            ]
        )
    widths = None if fmt in ONE_LINE_FORMATS else [None, 46, 14, 14, 9, None]
    lines += [
        grid(rows, ["#", "question", "if yes", "if no", "settles", "weight"], fmt, widths),
        "",
    ]
    if questions.needs_every_question and len(questions.questions) > LIST_SETS_UP_TO:
        lines += wrap(every_question_text(questions))
        lines.append("")
    elif questions.settling_sets:
        lines += wrap(
            "Smallest sets of facts whose answers, whatever they are, settle the outcome:"
        )
        for chosen in questions.settling_sets:
            lines += wrap("{" + ", ".join(chosen) + "}", "  - ")
        if questions.search_incomplete:
            lines += wrap("(the search stopped at its limit; larger sets were not examined)")
        lines.append("")
    if questions.moot:
        lines += wrap(
            "Open, but no answer could change the outcome any more (not asked): "
            + ", ".join(questions.moot)
            + "."
        )
        lines.append("")
    lines.append("What each question tests in the policy:")
    for index, q in enumerate(questions.questions):
        for rule_id in q.conditions:
            rule = policy.rules[rule_id]
            lines += wrap(
                f"{index + 1}. {q.fact} → {rule_id} ({citation_ref(rule.citation)}): "
                f'"{rule.citation.quote}"',
                "  ",
                "   ",
            )
    lines.append("")
    return lines


def _reading_lines(
    result: ScenarioResult | None, readings: tuple[ReadingQuestions, ...]
) -> list[str]:
    """The outcome under each reading that differs, and what else each would have asked."""
    if result is None:
        return []
    lines = readings_plain([result], TEXT_WIDTH)
    for found in readings:
        if not found.added:
            continue
        lines += wrap(
            f"Under {reading_words(found.reading)}, account '{found.account}' "
            f"({found.outcome}) also turns on:"
        )
        for question in found.added:
            lines += wrap(f"{question.fact}: {question.text}", "  - ")
        lines.append("")
    return lines


def _layer_name(questions: Questions) -> str:
    return layer_label(questions.policy)


@dataclass(frozen=True)
class LayerSection:
    """One other layer in the questions report, picked once for every format."""

    #: ``mn-609-066 (state)``.
    name: str
    #: (account, with its status mark; its outcome there and what it turns on or rests on).
    accounts: list[tuple[str, str]]
    #: Each question the layer adds, once: (its words, the accounts it is asked of, or
    #: empty when every account is).
    added: list[tuple[str, list[str]]]


#: What the section on the other layers is, before it.
LAYERS_INTRO = (
    "The questions above read the main policy. Each other layer the scenario is judged under, "
    "with what each account's outcome there turns on and the questions it also asks (facts "
    "the main policy does not ask; of every account unless named):"
)


def layer_sections(
    scenario: Scenario, layers: tuple[tuple[LayerQuestions, ...], ...]
) -> list[LayerSection]:
    """Under each other layer: each account's outcome, what it turns on, and added questions.

    The questions of the report read the main policy only; a state's law or the immunity
    view can turn on facts it never asks.
    """
    from forcecheck.render.outcome_words import outcome_word
    from forcecheck.render.turns_on_text import turns_on_text

    sections = []
    for found in layers:
        first = found[0].questions
        word = first.policy.spec.layer or ""
        accounts = []
        added: dict[str, tuple[Question, list[str]]] = {}
        for entry in found:
            q = entry.questions
            outcome = outcome_word(word, q.outcome)
            if entry.turns_on is not None:
                text = f"{outcome}: {turns_on_text(entry.turns_on, q.policy)}"
            elif q.rests_on:
                text = f"{outcome}: rests on " + ", ".join(r.fact for r in q.rests_on)
            else:
                text = outcome
            accounts.append((q.account + status_suffix(scenario.accounts.get(q.account)), text))
            for question in entry.added:
                added.setdefault(question.fact, (question, []))[1].append(q.account)
        sections.append(
            LayerSection(
                _layer_name(first),
                accounts,
                [
                    (
                        f"{question.fact}: {question.text}"
                        + (
                            f" (tests {', '.join(question.conditions)})"
                            if question.conditions
                            else ""
                        ),
                        [] if len(whom) == len(found) else whom,
                    )
                    for question, whom in added.values()
                ],
            )
        )
    return sections


def rank_command(scenario: Scenario, layers: tuple[tuple[LayerQuestions, ...], ...]) -> str:
    """The command that ranks every question under one of the other layers."""
    return f"forcecheck questions {scenario.path} --policy {layers[-1][0].questions.policy.id}"


def _layer_lines(scenario: Scenario, layers: tuple[tuple[LayerQuestions, ...], ...]) -> list[str]:
    """The other layers as text (none when the report reads one policy)."""
    if not layers:
        return []
    heading = "Under the other layers"
    lines = [heading, "=" * len(heading), "", *wrap(LAYERS_INTRO), ""]
    for section in layer_sections(scenario, layers):
        lines.append(f"{section.name}:")
        for name, text in section.accounts:
            lines += wrap(f"{name}: {text}", "  - ")
        if section.added:
            lines.append("  It also asks:")
            for words, whom in section.added:
                lines += wrap(words + (f" — of {', '.join(whom)}" if whom else ""), "    - ")
        lines.append("")
    lines += [
        "Every question under one layer, ranked (or another layer's id):",
        f"  {rank_command(scenario, layers)}",
    ]
    return [*lines, ""]


def render_questions(
    scenario: Scenario,
    results: tuple[Questions, ...],
    fmt: str,
    result: ScenarioResult | None = None,
    readings: tuple[ReadingQuestions, ...] = (),
    layers: tuple[tuple[LayerQuestions, ...], ...] = (),
) -> str:
    """The questions report for each account, then what the readings of an open text change.

    The questions are those of the default reading of every rule; ``result`` (the evaluation
    they were asked of) and ``readings`` add the outcome under each reading that differs,
    and the questions a reading adds; ``layers``, each other layer's.
    """
    spec = scenario.spec
    policy = results[0].policy
    lines = [
        f"Scenario: {spec.title or spec.id or scenario.path}",
        f"Policy:   {policy.id} — {policy.spec.document}",
        "",
    ]
    for questions in results:
        account = scenario.accounts.get(questions.account)
        outcome = _word(questions, questions.outcome)
        heading = f"Account '{questions.account}': {outcome}" + status_suffix(account)
        lines += [heading, "=" * len(heading), ""]
        lines += evidence_lines(account)
        lines += question_lines(questions, fmt)
    lines += _reading_lines(result, readings)
    lines += _layer_lines(scenario, layers)
    return terminal("\n".join(lines).rstrip() + "\n")


def render_questions_json(
    scenario: Scenario,
    results: tuple[Questions, ...],
    result: ScenarioResult | None = None,
    readings: tuple[ReadingQuestions, ...] = (),
    layers: tuple[tuple[LayerQuestions, ...], ...] = (),
) -> str:
    """The questions report as JSON (``readings`` and ``layers``: additive)."""
    from forcecheck.render.outcome_words import outcome_json

    data = {
        "scenario": {"path": scenario.path, "id": scenario.spec.id},
        "policy": {"id": results[0].policy.id},
        # Additive per account: its status, shots, and values whose evidence is divided.
        "accounts": [
            {
                **questions_json(q),
                **account_json(scenario.accounts[q.account]),
                "evidence": divided_json(scenario.accounts[q.account]),
            }
            for q in results
        ],
        "readings": [
            {
                **entry,
                "added_questions": [
                    {"account": f.account, "fact": q.fact, "question": q.text}
                    for f in readings
                    if f.reading == f"{entry['rule']}.{entry['reading']}"
                    for q in f.added
                ],
            }
            for entry in (readings_json(result) if result is not None else [])
        ],
        # Additive: every other layer the scenario is judged under, each account there.
        "layers": [
            {
                "policy": found[0].questions.policy.id,
                "layer": found[0].questions.policy.spec.layer,
                "accounts": [
                    {
                        **questions_json(entry.questions),
                        "outcome": outcome_json(
                            entry.questions.policy.spec.layer or "", entry.questions.outcome
                        ),
                        "added_questions": [q.fact for q in entry.added],
                    }
                    for entry in found
                ],
            }
            for found in layers
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
