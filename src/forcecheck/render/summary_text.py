"""The summary that leads every ``evaluate`` report: one screen, worded once for all formats.

A row per binding policy (the report's one policy when it has no layers, then the strictest
across them): each account's outcome, grouped by outcome, and under it what each
undetermined outcome turns on (accounts that turn on the same thing share a line). Then the
disputes that decide or bear on an outcome, and where the full tables are. Any kind of
layer joins the summary as another row: nothing here names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from forcecheck.analysis.report_data import EvaluationReport
from forcecheck.analysis.turns_on import TurnsOn
from forcecheck.engine.evaluation import ScenarioResult
from forcecheck.model.logic import Outcome
from forcecheck.render.analysis_text import BEARS_ON, DECISIVE, who_gives
from forcecheck.render.dates_text import uncertainty_text
from forcecheck.render.outcome_words import outcome_word
from forcecheck.render.report_parts import layer_turns_on
from forcecheck.render.turns_on_text import and_list, turns_on_text

#: Outcomes in the order a summary names them: the strictest first.
_ORDER = (Outcome.NOT_AUTHORIZED, Outcome.UNDETERMINED, Outcome.AUTHORIZED)


@dataclass(frozen=True)
class OpenLine:
    """Accounts whose undetermined outcome under one policy turns on the same thing."""

    accounts: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class SummaryRow:
    """One binding policy (or the strictest across them): outcomes and what is open."""

    #: The policy id, or ``strictest``.
    label: str
    #: The policy's layer, and ``may bind: …`` when its dates leave that open ("" if none).
    detail: str
    #: Each account's outcome, in account order.
    outcomes: tuple[Outcome, ...]
    #: What the undetermined outcomes turn on (empty for the strictest row).
    open: tuple[OpenLine, ...] = ()
    #: The layer kind (``department``, ``state``, ``immunity``…): it words the outcomes.
    layer: str = ""

    def outcome_words(self, names: tuple[str, ...]) -> str:
        """``not_authorized for video; undetermined for agency, pro-officer-commentary``.

        With one account, its outcome alone; when all agree, "… for every account".
        """
        word = partial(outcome_word, self.layer)
        if len(names) == 1:
            return word(self.outcomes[0])
        if len(set(self.outcomes)) == 1:
            return f"{word(self.outcomes[0])} for every account"
        pairs = list(zip(names, self.outcomes, strict=True))
        return "; ".join(
            f"{word(outcome)} for {', '.join(n for n, o in pairs if o is outcome)}"
            for outcome in _ORDER
            if outcome in self.outcomes
        )


def _open_lines(result: ScenarioResult, found: tuple[TurnsOn | None, ...]) -> tuple[OpenLine, ...]:
    grouped: dict[str, list[str]] = {}
    for account, turns in zip(result.accounts, found, strict=False):
        if turns is not None:
            grouped.setdefault(turns_on_text(turns, result.policy), []).append(account.name)
    return tuple(OpenLine(tuple(names), text) for text, names in grouped.items())


def summary_rows(report: EvaluationReport) -> list[SummaryRow]:
    """A row per binding policy; one row when the report has no layers.

    The strictest comes after the federal layers, then those reported beside them (a
    state's law, the immunity view).
    """
    result = report.result
    if not result.layers:
        return [
            SummaryRow(
                result.policy.id,
                result.policy.spec.layer,
                tuple(a.outcome for a in result.accounts),
                _open_lines(result, report.turns_on),
                result.policy.spec.layer,
            )
        ]

    def row(layer: ScenarioResult) -> SummaryRow:
        kind = layer.policy.spec.layer
        return SummaryRow(
            layer.policy.id,
            kind + (f"; may bind: {uncertainty_text(layer.uncertain)}" if layer.uncertain else ""),
            tuple(a.outcome for a in layer.accounts),
            _open_lines(layer, layer_turns_on(report, layer)),
            kind,
        )

    rows = [row(layer) for layer in result.federal_layers]
    if len(result.federal_layers) > 1 and report.strictest:
        rows.append(SummaryRow("strictest", "federal layers", report.strictest))
    return rows + [row(layer) for layer in result.beside_layers]


def open_line_text(line: OpenLine, single: bool) -> str:
    """One line of what is open: ``agency, video: depends on …`` (no names for one account)."""
    return line.text if single else f"{', '.join(line.accounts)}: {line.text}"


def dispute_lines(report: EvaluationReport) -> list[str]:
    """The disputes that decide (★) or bear on (◇) an outcome, who gives what; or why none."""
    comparison = report.comparison
    if comparison is None or len(comparison.accounts) < 2:
        return []
    weighty = [d for d in comparison.disputes if d.decisive or d.bears_on]
    if not weighty:
        count = len(comparison.disputes)
        if not count:
            return ["No two accounts that address a fact give it different values."]
        return [
            f"The accounts disagree on {count} fact{'s' if count > 1 else ''}; no disputed fact "
            "changes an outcome."
        ]
    return [
        f"{DECISIVE if d.decisive else BEARS_ON} {d.fact} ({who_gives(d.addressed_claims)})"
        for d in weighty
    ]


def dispute_legend(report: EvaluationReport) -> str:
    """What ★ and ◇ mean, for the marks the summary's disputes use ("" if none)."""
    comparison = report.comparison
    if comparison is None:
        return ""
    marks = []
    if any(d.decisive for d in comparison.disputes):
        marks.append(f"{DECISIVE} decides an outcome alone")
    if any(d.bears_on and not d.decisive for d in comparison.disputes):
        marks.append(f"{BEARS_ON} bears on one through the questions left open")
    return and_list(marks)
