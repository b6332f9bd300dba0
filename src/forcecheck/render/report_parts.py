"""What every format of the ``evaluate`` report lists, picked once; each format words it.

The table, Markdown and HTML reports show the same things: the scenario's date, place and
agency, each binding layer's outcomes, the facts given at each moment, each cited rule
with its source, and the scenario's sources. These functions pick and order them from a
report object; the renderers only escape and lay them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from forcecheck.analysis.report_data import EvaluationReport
from forcecheck.analysis.turns_on import TurnsOn
from forcecheck.engine.evaluation import (
    AccountResult,
    AttributedFact,
    DischargeResult,
    ScenarioResult,
)
from forcecheck.model.binding import is_federal
from forcecheck.model.citation import Citation
from forcecheck.model.dates import Uncertainty
from forcecheck.model.logic import Outcome
from forcecheck.model.policy import Policy, Rule, Source
from forcecheck.model.scenario import (
    Account,
    Discharge,
    ScenarioSource,
    ScenarioSpec,
)
from forcecheck.render.dates_text import uncertainty_text
from forcecheck.render.evidence_text import shots_text, status_text
from forcecheck.render.outcome_words import outcome_word


def scenario_details(spec: ScenarioSpec) -> list[str]:
    """The scenario's date, place and agency, those it gives."""
    return [p for p in (spec.date.isoformat() if spec.date else None, spec.place, spec.agency) if p]


def source_details(source: ScenarioSource) -> list[str]:
    """A scenario source's publisher and date, those it gives."""
    return [p for p in (source.publisher, source.date.isoformat() if source.date else None) if p]


def account_heading(account: Account) -> str:
    """An account's title, the date it was given (at its precision) and its shots."""
    details = "; ".join(
        p
        for p in (
            f"dated {account.date.isoformat()}" if account.date else "",
            shots_text(account.shots),
        )
        if p
    )
    if not details:
        return account.title
    return f"{account.title} ({details})" if account.title else details


def account_title(account: Account) -> str:
    """An account's title, after its status when it was retracted or contradicted."""
    return " — ".join(p for p in (status_text(account.status), account.title) if p)


def discharge_label(discharge: Discharge) -> str:
    """A discharge's title and its shots, for the line that heads it ("" if neither)."""
    shots = shots_text(discharge.shots)
    if not shots:
        return discharge.title
    return f"{discharge.title} ({shots})" if discharge.title else shots


def given_facts(moment: DischargeResult) -> list[AttributedFact]:
    """The facts given at a moment, by id."""
    return sorted(moment.facts.values(), key=lambda f: f.id)


@dataclass(frozen=True)
class LayerRow:
    """One binding policy and each account's outcome under it."""

    policy: str
    layer: str
    outcomes: tuple[Outcome, ...]
    #: Whether it binds on the scenario's date: ``yes``, or ``may: superseded between …``;
    #: ``beside`` for a state's law and the immunity view (:func:`binds_json`).
    binds: str = "yes"
    #: Per account, what an undetermined outcome turns on, in words (None: determined).
    turns_on: tuple[str | None, ...] = ()

    @property
    def cells(self) -> list[str]:
        """Each account's outcome, an undetermined one with what it turns on."""
        words = self.turns_on or tuple(None for _ in self.outcomes)
        return [
            f"{outcome_word(self.layer, outcome)}: {text}"
            if text
            else outcome_word(self.layer, outcome)
            for outcome, text in zip(self.outcomes, words, strict=True)
        ]


def binds_json(layer: ScenarioResult) -> str:
    """``binds`` in JSON: ``yes``, ``may`` (a date range covers the day) or ``beside``.

    ``beside`` for a state's law and the immunity view: they are reported beside the federal
    layers, and whether a state's law reaches a federal agent at all is the immunity view's
    question, so neither is said to bind him (``may_bind`` still gives an uncertain date).
    """
    if not is_federal(layer.policy):
        return "beside"
    return "may" if layer.uncertain else "yes"


def layer_rows(report: EvaluationReport) -> list[LayerRow]:
    """Each binding federal layer's outcomes (none with one layer).

    Those that bind first, most specific first, then those that only may bind. A state's
    law and the immunity view are :func:`beside_rows`, after the strictest row.
    """
    return [_layer_row(report, layer) for layer in report.result.federal_layers]


def beside_rows(report: EvaluationReport) -> list[LayerRow]:
    """The state's law and the immunity view, shown beside the federal layers, never merged."""
    return [_layer_row(report, layer) for layer in report.result.beside_layers]


def beside_intro(report: EvaluationReport, short: bool = False) -> str | None:
    """What the rows after the strictest one are; None when there are none.

    ``short``: one sentence, for the summary; the layers table says it in full.
    """
    rows = beside_rows(report)
    if not rows:
        return None
    states = [row.policy for row in rows if row.layer == "state"]
    immunity = any(row.layer == "immunity" for row in rows)
    if short:
        return (
            f"The state's law ({', '.join(states)})"
            + (
                " and the immunity view (a reading of case law, not legal advice) are"
                if immunity
                else " is"
            )
            + " shown beside the federal layers, never merged into the strictest outcome."
        )
    words = (
        f"After the strictest row: the law of the state where it happened ({', '.join(states)}), "
        "which binds a federal agent only where Supremacy Clause immunity does not shield "
        "him; it is not merged into the strictest outcome."
    )
    if immunity:
        words += (
            " Then the immunity view: whether a court would likely hold the agent immune from "
            "the state's prosecution. It is a reading of case law, not legal advice, and it "
            "weighs no evidence or credibility."
        )
    return words


def state_law_text(report: EvaluationReport) -> str | None:
    """Why no state's law is shown beside the federal layers; None when one is, or no place.

    "No state law is encoded for Oregon (encoded: California, Illinois, Minnesota)."
    """
    gap = report.state_law
    if gap is None:
        return None
    encoded = ", ".join(gap.encoded) or "none"
    if gap.state is None:
        return (
            f'The place "{gap.place}" names no US state the tool recognises (a state\'s name, '
            "its postal code after a comma, or its newspaper abbreviation), so no state's law "
            f"is shown; state law is encoded for {encoded}."
        )
    if gap.not_in_force:
        day = report.result.scenario.spec.date
        return (
            f"{gap.state}'s law encoded here ({', '.join(gap.not_in_force)}) was not in force "
            f"on {day}, so no state's law is shown."
        )
    state = f"the {gap.state}" if gap.state.startswith("District") else gap.state
    return f"No state law is encoded for {state} (encoded: {encoded})."


def state_law_json(report: EvaluationReport) -> dict[str, object] | None:
    """The same as JSON (additive key ``state_law``); None when a state's law is shown."""
    gap = report.state_law
    if gap is None:
        return None
    return {
        "place": gap.place,
        "state": gap.state,
        "encoded": list(gap.encoded),
        "not_in_force": list(gap.not_in_force),
        "text": state_law_text(report),
    }


#: What the list of the other layers' reasons is, before it.
LAYER_REASONS_INTRO = (
    "Why each other layer decides as it does, per account (and discharge) whose outcome is "
    "not authorized, undetermined or immunity unlikely: the conditions not met, or not known, "
    "where the reasons end (the report's own policy's are in each account's table below)."
)


def layer_reason_items(report: EvaluationReport) -> list[tuple[str, list[str]]]:
    """Each other layer's deciding conditions: a heading per account, a line per condition.

    ``("mn-609-066 · video · discharge shots-2-3: not_authorized",
    ["articulated_with_specificity (unmet): threat_articulable is false", ...])``
    """
    # Imported here: reasons reads the engine's trees; report_parts is read by everything.
    from forcecheck.render.reasons import layer_reasons, reason_text

    return [
        (
            f"{found.label}: {outcome_word(found.policy.policy.spec.layer, found.outcome)}",
            [f"{c.rule.id} ({c.status}): {reason_text(c)}" for c in found.conditions],
        )
        for found in layer_reasons(report.result)
    ]


def layer_turns_on(report: EvaluationReport, layer: ScenarioResult) -> tuple[TurnsOn | None, ...]:
    """What each account's undetermined outcome under ``layer`` turns on (empty: not known)."""
    for other, found in zip(report.result.layers, report.layer_turns_on, strict=False):
        if other is layer:
            return found
    return ()


def _layer_row(report: EvaluationReport, layer: ScenarioResult) -> LayerRow:
    # Imported here: analysis_text reads this module's source details.
    from forcecheck.render.turns_on_text import turns_on_text

    return LayerRow(
        layer.policy.id,
        layer.policy.spec.layer,
        tuple(a.outcome for a in layer.accounts),
        _binds_text(layer),
        tuple(
            None if t is None else turns_on_text(t, layer.policy)
            for t in layer_turns_on(report, layer)
        ),
    )


def _binds_text(layer: ScenarioResult) -> str:
    """The ``binds`` cell: ``yes``, ``may: …`` or ``beside`` (``beside; may: …``)."""
    may = f"may: {uncertainty_text(layer.uncertain)}" if layer.uncertain else ""
    if is_federal(layer.policy):
        return may or "yes"
    return f"beside; {may}" if may else "beside"


def any_uncertain(report: EvaluationReport) -> bool:
    """Whether some layer only may bind on the scenario's date (then reports say which)."""
    return any(layer.uncertain for layer in report.result.layers)


def layers_intro(report: EvaluationReport) -> str:
    """The sentence before the layers table, in words every format escapes its own way."""
    result = report.result
    spec = result.scenario.spec
    words = f"Every policy that bound {spec.agency} on {spec.date}, most specific first"
    if any_uncertain(report):
        words += (
            "; then every policy that may have bound it that day, whose dates are known only "
            "within a range that covers it (column 'binds')"
        )
    if report.result.beside_layers:
        return words + (
            ". Deadly force is authorized only if every federal layer authorizes it; the "
            "state's law and the immunity view are beside them, not among them."
        )
    return words + ". Deadly force is authorized only if every layer authorizes it."


def strictest_cells(report: EvaluationReport) -> list[str]:
    """Each account's strictest outcome, saying when it rests on a layer that may not bind."""
    cells = []
    for index, outcome in enumerate(report.strictest):
        rests_on = report.strictest_rests_on[index] if report.strictest_rests_on else ()
        cells.append(
            f"{outcome} (rests on {', '.join(rests_on)}, which may not bind)"
            if rests_on
            else str(outcome)
        )
    return cells


def may_bind_note(policy: str, day: object, uncertain: Uncertainty | None) -> str | None:
    """The note under the policy line when the main policy only may bind that day.

    None when it binds, or its dates settle it.
    """
    if uncertain is None:
        return None
    return (
        f"Note: {policy} may or may not have been in force on {day}: "
        f"{uncertainty_text(uncertain)} ({uncertain.range.note})"
    )


@dataclass(frozen=True)
class CitedRule:
    """A rule with its citation, the source cited, and where that wording was seen."""

    rule: Rule
    citation: Citation
    source: Source
    seen: str | None


def cited_rules(policy: Policy, rule_ids: tuple[str, ...]) -> Iterator[CitedRule]:
    """The rules ``rule_ids`` of ``policy`` with what each cites, in order."""
    for rule_id in rule_ids:
        rule = policy.rules[rule_id]
        source = policy.spec.sources[rule.citation.source]
        yield CitedRule(rule, rule.citation, source, rule.citation.seen_in or source.seen_in)


def outcome_rows(accounts: tuple[AccountResult, ...], layer: str = "") -> list[list[str]]:
    """Each account's outcome (name, title, outcome), then each of its discharges' (text).

    In the words of the policy's ``layer`` (:func:`outcome_word`).
    """
    rows = []
    for account in accounts:
        rows.append(
            [account.name, account_title(account.account), outcome_word(layer, account.outcome)]
        )
        if account.account.discharges:
            rows += [
                [
                    "",
                    f"· {m.discharge.id}" if m.discharge else "",
                    outcome_word(layer, m.outcome),
                ]
                for m in account.results
            ]
    return rows
