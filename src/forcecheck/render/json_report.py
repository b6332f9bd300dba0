"""The JSON report of ``forcecheck evaluate --format json`` (shape fixed by the contract)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from forcecheck.analysis.report_data import EvaluationReport
from forcecheck.analysis.turns_on import TurnsOn
from forcecheck.engine.evaluation import DischargeResult
from forcecheck.engine.explain import Evaluation, OpenPoint, RuleResult
from forcecheck.model.policy import Citation, Policy
from forcecheck.model.settling import Settlement
from forcecheck.render.analysis_text import conclusions_json
from forcecheck.render.common import role
from forcecheck.render.dates_text import date_json, range_json, uncertainty_json
from forcecheck.render.evidence_text import account_json, extra_json
from forcecheck.render.outcome_words import outcome_json
from forcecheck.render.readings_text import readings_json
from forcecheck.render.reasons import leading_conditions, reason_text
from forcecheck.render.report_parts import binds_json, given_facts, state_law_json
from forcecheck.render.turns_on_text import turns_on_text

#: Bumped when the JSON shape changes incompatibly.
SCHEMA_VERSION = 1


def citation_json(citation: Citation, policy: Policy) -> dict[str, Any]:
    """A citation as JSON; ``seen_in`` falls back to where its source was seen."""
    return {
        "source": citation.source,
        "section": citation.section,
        "quote": citation.quote,
        "wording": citation.wording,
        "seen_in": citation.seen_in or policy.spec.sources[citation.source].seen_in,
    }


def condition_json(policy: Policy, result: RuleResult) -> dict[str, Any]:
    """One rule's result as JSON."""
    rule = result.rule
    interpretation = None
    if rule.interpretation is not None:
        interpretation = {
            "note": rule.interpretation.note,
            "rests_on": [citation_json(c, policy) for c in rule.interpretation.rests_on],
        }
    return {
        "id": rule.id,
        "title": rule.title,
        "role": role(policy, result),
        "status": str(result.status),
        "reason": reason_text(result),
        "rules": list(rule.rule_refs),
        "facts": [
            {"id": use.id, "value": str(use.value), "supplied": use.supplied}
            for use in result.facts
        ],
        "citation": citation_json(rule.citation, policy),
        "interpretation": interpretation,
        # Additive: the standard of belief the rule's text states, and its readings.
        "belief": rule.belief,
        "reading": rule.reading,
        "readings": [r.name for r in rule.readings],
    }


def evaluation_json(moment: DischargeResult) -> dict[str, Any]:
    """One evaluation (an account, at one discharge) as JSON."""
    evaluation: Evaluation = moment.evaluation
    policy = evaluation.policy
    discharge = moment.discharge
    return {
        "account": moment.account,
        "discharge": discharge.id if discharge else None,
        "discharge_title": discharge.title if discharge else None,
        "discharge_shots": discharge.shots if discharge else None,
        # The contract's words for a policy; the immunity view's own for it (docs/reporting.md).
        "outcome": outcome_json(policy.spec.layer, evaluation.outcome),
        "conditions": [condition_json(policy, r) for r in evaluation.conditions],
        "findings": [condition_json(policy, r) for r in evaluation.findings],
        "facts": [
            {
                "id": fact.id,
                "value": str(fact.value),
                "source": fact.source,
                "quote": fact.quote,
                "note": fact.note,
                # Additive: every source (several may disagree), and later evidence.
                **extra_json(fact),
                "settled": settled_json(fact.settled),
            }
            for fact in given_facts(moment)
        ],
        "not_addressed": list(evaluation.not_addressed),
        "unsettled": [unsettled_json(policy, r) for r in evaluation.unsettled],
    }


def settled_json(settled: Settlement | None) -> dict[str, Any] | None:
    """How a value follows from an exclusion (None: the account states it)."""
    if settled is None:
        return None
    return {
        "exclusion": settled.exclusion,
        "from": {fact: str(value) for fact, value in settled.because},
        "text": settled.text(),
    }


def unsettled_json(policy: Policy, point: OpenPoint) -> dict[str, Any]:
    """A point the text leaves unsettled, which an undetermined outcome rests on."""
    rule = point.rule.rule
    return {"rule": rule.id, "why": point.why, "citation": citation_json(rule.citation, policy)}


def turns_on_json(found: TurnsOn | None, policy: Policy) -> dict[str, Any] | None:
    """What an undetermined outcome turns on (None: the outcome is determined)."""
    if found is None:
        return None
    return {
        "facts": list(found.facts),
        "other_sets": found.other_sets,
        "search_incomplete": found.search_incomplete,
        "open_text": list(found.open_text),
        "open_text_for_some_answers": list(found.text_for_some_answers),
        # Additive: with no settling set, the facts one answer to which settles it alone.
        "settles_one_way": [
            {
                "fact": fact,
                "answer": str(answer),
                "outcome": outcome_json(policy.spec.layer or "", outcome),
            }
            for fact, answer, outcome in found.one_way
        ],
        "text": turns_on_text(found, policy),
    }


def report_json(report: EvaluationReport) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    result = report.result
    scenario = result.scenario
    spec = scenario.spec
    policy = result.policy.spec
    # Every outcome of the main policy in its layer's words: the immunity view, which is no
    # policy an officer follows, says `immunity_likely`, never `authorized`.
    word = partial(outcome_json, policy.layer)
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "path": scenario.path,
            "id": spec.id,
            "title": spec.title,
            "date": spec.date.isoformat() if spec.date else None,
            "place": spec.place,
            "agency": spec.agency,
            "summary": spec.summary,
        },
        "policy": {
            "id": policy.id,
            "title": policy.title,
            "document": policy.document,
            # Additive: the layer, which says in whose words the outcomes are.
            "layer": policy.layer,
            # For a date range: the widest span it may have been in force; the range beside.
            "effective": date_json(policy.effective, widest="earliest"),
            "superseded": date_json(policy.superseded, widest="latest"),
            "effective_range": range_json(policy.effective),
            "superseded_range": range_json(policy.superseded),
            # null also when the date falls inside a date range (`may_bind` says which).
            "in_force_on_scenario_date": report.in_force,
            "may_bind": uncertainty_json(result.uncertain),
            "sources": {
                source_id: {"title": s.title, "seen_in": s.seen_in, "url": s.url, "note": s.note}
                for source_id, s in policy.sources.items()
            },
        },
        # The contract: the accounts' shared outcome, never the first account's alone.
        "outcome": "disputed" if result.shared_outcome is None else word(result.shared_outcome),
        "accounts": [
            {
                "account": a.name,
                "title": a.account.title or None,
                "summary": a.account.summary or None,
                # As precise as the file gives it: "2026", "2026-02" or "2026-02-14".
                "date": a.account.date.isoformat() if a.account.date else None,
                "outcome": word(a.outcome),
                # Additive: retracted or contradicted (null: neither), and the shots fired.
                **account_json(a.account),
                "conclusions": conclusions_json(checks),
                # Additive: what an undetermined outcome turns on (null: determined).
                "turns_on": turns_on_json(found, result.policy),
            }
            for a, checks, found in zip(
                result.accounts,
                report.conclusions,
                report.turns_on or tuple(None for _ in result.accounts),
                strict=True,
            )
        ],
        "evaluations": [evaluation_json(m) for a in result.accounts for m in a.results],
        "layers": [
            {
                "policy": layer.policy.id,
                "layer": layer.policy.spec.layer,
                "binds": binds_json(layer),
                "may_bind": uncertainty_json(layer.uncertain),
                "accounts": [
                    {
                        "account": a.name,
                        "outcome": outcome_json(layer.policy.spec.layer, a.outcome),
                        "turns_on": turns_on_json(found, layer.policy),
                        # Additive: per moment whose outcome is not authorized (or immunity
                        # likely), the conditions not met, or not known, where the reasons end.
                        "deciding": [
                            {
                                "discharge": m.discharge.id if m.discharge else None,
                                "conditions": [
                                    {
                                        "id": c.rule.id,
                                        "status": str(c.status),
                                        "reason": reason_text(c),
                                    }
                                    for c in leading
                                ],
                            }
                            for m in a.results
                            if (leading := leading_conditions(m.evaluation))
                        ],
                        # Additive: the points its text leaves open that its outcome rests on.
                        "unsettled": list(
                            {
                                point.rule.rule.id: unsettled_json(layer.policy, point)
                                for moment in a.results
                                for point in moment.evaluation.unsettled
                            }.values()
                        ),
                    }
                    for a, found in zip(
                        layer.accounts,
                        turns or tuple(None for _ in layer.accounts),
                        strict=True,
                    )
                ],
                "readings": readings_json(layer),
            }
            for layer, turns in zip(
                result.layers,
                report.layer_turns_on or tuple(() for _ in result.layers),
                strict=True,
            )
        ],
        # Additive: why no state's law is among the layers when the place names none
        # encoded (null when one is shown, or the layers were not chosen by date and agency).
        "state_law": state_law_json(report),
        # Additive: every alternative reading of the main policy, each account's outcome
        # under it beside the default's, and whether it differs.
        "readings": readings_json(result),
        "strictest": [
            {
                "account": a.name,
                "outcome": str(outcome),
                "rests_on_may_bind": list(rests_on),
                # Additive: one layer's readings under which the strictest would differ.
                "readings": [
                    {"policy": f.policy, "reading": f.reading, "outcome": str(f.outcome)}
                    for f in found
                ],
            }
            for a, outcome, rests_on, found in zip(
                result.accounts,
                report.strictest,
                report.strictest_rests_on or tuple(() for _ in report.strictest),
                report.strictest_readings or tuple(() for _ in report.strictest),
                strict=False,
            )
        ],
        "sources": {
            source_id: {
                "title": source.title,
                "publisher": source.publisher,
                "date": source.date.isoformat() if source.date else None,
                "url": source.url,
                "note": source.note,
                "quotes": list(source.quotes),
            }
            for source_id, source in spec.sources.items()
        },
    }


def render_json(report: EvaluationReport) -> str:
    """The JSON report as text (deterministic: same input, same bytes)."""
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
