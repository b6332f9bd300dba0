"""The plain-text report of ``forcecheck evaluate`` (tables through tabulate)."""

from __future__ import annotations

from tabulate import tabulate

from ..engine import RuleResult
from ..evaluation import DischargeResult, ScenarioResult
from ..policy import Policy
from .common import citation_ref, condition_depths

DEFAULT_TABLE_FORMAT = "simple_grid"
# Fixed widths keep the output identical on every terminal (golden tests rely on it).
_CONDITION_WIDTHS = [32, 7, 44, 28]
_FACT_WIDTHS = [32, 8, 22, 46]


def _table(rows: list[list[str]], headers: list[str], widths: list[int], fmt: str) -> str:
    # Numbers in cells (sections such as "2.1") are text, never reformatted as numbers.
    return tabulate(rows, headers=headers, tablefmt=fmt, maxcolwidths=widths, disable_numparse=True)


def _conditions_table(
    policy: Policy, results: tuple[RuleResult, ...], depths: dict[str, int], fmt: str
) -> str:
    rows = [
        [
            "· " * depths.get(r.rule.id, 0) + r.rule.id,
            str(r.status),
            r.reason,
            citation_ref(r.rule.citation),
        ]
        for r in results
    ]
    return _table(rows, ["condition", "status", "reason", "citation"], _CONDITION_WIDTHS, fmt)


def _facts_table(moment: DischargeResult, fmt: str) -> str:
    rows = [
        [
            fact.id,
            str(fact.value),
            fact.source or "",
            " — ".join(part for part in (fact.quote and f'"{fact.quote}"', fact.note) if part),
        ]
        for fact in sorted(moment.facts.values(), key=lambda f: f.id)
    ]
    return _table(rows, ["fact", "value", "source", "quote or note"], _FACT_WIDTHS, fmt)


def _moment(moment: DischargeResult, depths: dict[str, int], fmt: str) -> list[str]:
    evaluation = moment.evaluation
    policy = evaluation.policy
    lines: list[str] = []
    if moment.discharge is not None:
        title = f" — {moment.discharge.title}" if moment.discharge.title else ""
        lines.append(f"Discharge {moment.discharge.id}{title}: {evaluation.outcome}")
    else:
        lines.append(f"Outcome: {evaluation.outcome}")
    lines += ["", _conditions_table(policy, evaluation.conditions, depths, fmt), ""]
    if evaluation.findings:
        lines += ["Secondary findings (reported, not part of the decision):", ""]
        lines += [_conditions_table(policy, evaluation.findings, depths, fmt), ""]
    if moment.facts:
        lines += ["Facts given:", "", _facts_table(moment, fmt), ""]
    if evaluation.not_addressed:
        lines.append("Not addressed (evaluated as unknown): " + ", ".join(evaluation.not_addressed))
        lines.append("")
    return lines


def _citations(policy: Policy, rule_ids: tuple[str, ...]) -> list[str]:
    lines = ["Citations", ""]
    sources = policy.spec.sources
    for rule_id in rule_ids:
        rule = policy.rules[rule_id]
        citation = rule.citation
        seen = citation.seen_in or sources[citation.source].seen_in
        lines.append(f"{rule.id}: {rule.title}")
        lines.append(f"  {citation_ref(citation)} — {sources[citation.source].title}")
        lines.append(f'  "{citation.quote}"')
        if seen:
            lines.append(f"  seen in: {seen}")
        if rule.interpretation is not None:
            lines.append(f"  interpretation: {rule.interpretation.note}")
            for ground in rule.interpretation.rests_on:
                lines.append(f'    rests on {citation_ref(ground)}: "{ground.quote}"')
        lines.append("")
    return lines


def render_table(result: ScenarioResult, fmt: str = DEFAULT_TABLE_FORMAT) -> str:
    """The report as plain text: outcomes, then each account's conditions, then citations."""
    spec = result.scenario.spec
    policy = result.policy
    lines = [f"Scenario: {spec.title or spec.id or result.scenario.path}"]
    details = " · ".join(
        part
        for part in (spec.date.isoformat() if spec.date else None, spec.place, spec.agency)
        if part
    )
    if details:
        lines.append(f"          {details}")
    if spec.title or spec.id:
        lines.append(f"          {result.scenario.path}")
    lines.append(
        f"Policy:   {policy.id} — {policy.spec.document}, {policy.spec.title} "
        f"(effective {policy.spec.effective.isoformat()})"
    )
    lines.append("")
    accounts = [[a.name, a.account.title, str(a.outcome)] for a in result.accounts]
    lines.append(_table(accounts, ["account", "title", "outcome"], [24, 60, 16], fmt))
    lines.append("")
    depths = condition_depths(policy)
    for account in result.accounts:
        title = f" — {account.account.title}" if account.account.title else ""
        heading = f"Account '{account.name}'{title}: {account.outcome}"
        lines += [heading, "=" * min(len(heading), 100), ""]
        if account.account.summary:
            lines += [account.account.summary.strip(), ""]
        for moment in account.results:
            lines += _moment(moment, depths, fmt)
    lines += _citations(policy, (*policy.conditions, *policy.findings))
    return "\n".join(lines).rstrip() + "\n"
