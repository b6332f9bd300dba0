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
from forcecheck.engine.evaluation import AccountResult, AttributedFact, DischargeResult
from forcecheck.model.citation import Citation
from forcecheck.model.logic import Outcome
from forcecheck.model.policy import Policy, Rule, Source
from forcecheck.model.scenario import ScenarioSource, ScenarioSpec


def scenario_details(spec: ScenarioSpec) -> list[str]:
    """The scenario's date, place and agency, those it gives."""
    return [p for p in (spec.date.isoformat() if spec.date else None, spec.place, spec.agency) if p]


def source_details(source: ScenarioSource) -> list[str]:
    """A scenario source's publisher and date, those it gives."""
    return [p for p in (source.publisher, source.date.isoformat() if source.date else None) if p]


def given_facts(moment: DischargeResult) -> list[AttributedFact]:
    """The facts given at a moment, by id."""
    return sorted(moment.facts.values(), key=lambda f: f.id)


@dataclass(frozen=True)
class LayerRow:
    """One binding policy and each account's outcome under it."""

    policy: str
    layer: str
    outcomes: tuple[Outcome, ...]


def layer_rows(report: EvaluationReport) -> list[LayerRow]:
    """Each binding layer's outcomes, most specific first (none with one layer)."""
    return [
        LayerRow(layer.policy.id, layer.policy.spec.layer, tuple(a.outcome for a in layer.accounts))
        for layer in report.result.layers
    ]


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


def outcome_rows(accounts: tuple[AccountResult, ...]) -> list[list[str]]:
    """Each account's outcome (name, title, outcome), then each of its discharges' (text)."""
    rows = []
    for account in accounts:
        rows.append([account.name, account.account.title, str(account.outcome)])
        if account.account.discharges:
            rows += [
                ["", f"· {m.discharge.id}" if m.discharge else "", str(m.outcome)]
                for m in account.results
            ]
    return rows
