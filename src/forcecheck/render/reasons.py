"""A rule's reason in words: which parts decided its status, from the engine's data.

The engine (:mod:`forcecheck.engine.explain`) returns each rule's tree of node statuses and
the facts it used; this is the one place those become the short reason every format shows
("all of: threat is met; warning_shot is false", "may apply (shot_at_vehicle is unknown
(not addressed)): ...").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from forcecheck.engine.evaluation import ScenarioResult
from forcecheck.engine.explain import Evaluation, FactUse, NodeResult, OpenPoint, RuleResult
from forcecheck.model.logic import Outcome, Status
from forcecheck.model.policy import FactRef, RuleRef
from forcecheck.render.common import citation_ref

#: Why a point is unsettled, as a reason says it.
_UNSETTLED = {
    "text_not_seen": "text not seen: the policy addresses this, but its words were not found",
    "left_open": "left open by the text",
}

#: Beyond this many deciding parts, a reason counts them instead of naming them.
_MAX_NAMED = 3


def reason_text(result: RuleResult) -> str:
    """Why a rule has its status, in a few words naming the parts that decide it."""
    return _reason(result.tree, {use.id: use for use in result.facts})


def _reason(node: NodeResult, facts: Mapping[str, FactUse], nested: bool = False) -> str:
    """A short account of why ``node`` has its status, naming the parts that decide it."""
    expr = node.expr
    if isinstance(expr, FactRef):
        use = facts[expr.fact]
        if use.settled is not None:
            return f"{use.id} is {use.value} ({use.settled.text()})"
        return f"{use.id} is {use.value}" + ("" if use.supplied else " (not addressed)")
    if isinstance(expr, RuleRef):
        return f"{expr.rule} is {node.status}"
    # `not` and `if` have words of their own; any other combinator is explained by the
    # parts that decide it.
    if expr.op == "unsettled":
        return _UNSETTLED[str(expr.param("unsettled"))]
    if expr.op == "not":
        return _reason(node.children[0], facts, nested)
    if expr.op == "if":
        condition, consequence = node.children
        when = _reason(condition, facts, True)
        then = _reason(consequence, facts, True)
        if condition.status is Status.UNMET:
            return f"does not apply: {when}"
        if condition.status is Status.MET:
            text = f"applies ({when}): {then}"
        elif node.status is Status.MET:
            text = f"{then}, so it holds whether or not it applies ({when})"
        else:
            text = f"may apply ({when}): {then}"
        return f"[{text}]" if nested else text
    deciding = node.deciding
    if len(deciding) > _MAX_NAMED:
        return f"{len(deciding)} of {len(node.children)} parts {deciding[0].status}"
    listed = "; ".join(_reason(part, facts, True) for part in deciding)
    if len(deciding) == len(node.children) > 1 and node.status is not Status.UNKNOWN:
        label = "all of" if node.status is Status.MET else "none of"
        return f"{label} ({listed})" if nested else f"{label}: {listed}"
    return f"({listed})" if nested and len(deciding) > 1 else listed


def open_points(columns: Iterable[tuple[str, Evaluation]]) -> list[tuple[str, str]]:
    """For each labelled evaluation left open by its text: its label, and each point, in words.

    ``[("constitutional-floor", "officer_created_danger: left open by the text — ...")]``
    """
    return [
        (label, unsettled_text(point))
        for label, evaluation in columns
        for point in evaluation.unsettled
    ]


def layer_open_points(result: ScenarioResult) -> list[tuple[str, str]]:
    """The other layers' unsettled points, labelled by policy (and account, and discharge).

    The main layer's are shown with its conditions; a reader of the layers table also needs
    to know why another layer is undetermined.
    """
    several = len(result.accounts) > 1
    columns: list[tuple[str, Evaluation]] = []
    for layer in result.layers[1:]:
        for account in layer.accounts:
            for moment in account.results:
                label = layer.policy.id + (f" · {account.name}" if several else "")
                if moment.discharge is not None and len(account.results) > 1:
                    label += f" · discharge {moment.discharge.id}"
                columns.append((label, moment.evaluation))
    return list(dict.fromkeys(open_points(columns)))


def deciding_conditions(evaluation: Evaluation) -> tuple[RuleResult, ...]:
    """The conditions that give an outcome other than authorized, outermost first.

    From the decision, the rules named by the parts that decide each one (``deciding``)
    and share the decision's status: the unmet conditions of a not_authorized outcome, the
    unknown ones of an undetermined outcome. Empty when the decision is met.
    """
    decision = evaluation.decision
    if decision.status is Status.MET:
        return ()
    found: dict[str, RuleResult] = {}
    pending = [decision.rule.id]
    while pending:
        current = evaluation.rules[pending.pop(0)]
        if current.rule.id in found or current.status is not decision.status:
            continue
        found[current.rule.id] = current
        pending += [rule for rule in _deciding_rules(current.tree) if rule not in found]
    return tuple(found.values())


def leading_conditions(evaluation: Evaluation) -> tuple[RuleResult, ...]:
    """Of :func:`deciding_conditions`, those where the reasons end (:func:`_rests_on_facts`)."""
    return tuple(c for c in deciding_conditions(evaluation) if _rests_on_facts(c.tree))


def _rests_on_facts(node: NodeResult) -> bool:
    """Whether a deciding part below ``node`` is a fact or a point the text leaves open.

    Such a condition is where the reasons end: the conditions above it only pass its
    status on, so a compact list names these alone.
    """
    expr = node.expr
    if isinstance(expr, RuleRef):
        return False
    if isinstance(expr, FactRef) or expr.op == "unsettled":
        return True
    return any(_rests_on_facts(part) for part in node.deciding)


def _deciding_rules(node: NodeResult) -> list[str]:
    """The rules the deciding parts below ``node`` name, in order."""
    if isinstance(node.expr, RuleRef):
        return [node.expr.rule]
    return [rule for part in node.deciding for rule in _deciding_rules(part)]


@dataclass(frozen=True)
class LayerReason:
    """Why another layer gives one account (at one discharge) an outcome other than authorized."""

    policy: ScenarioResult
    #: ``mn-609-066 · video · discharge shots-2-3`` (the account named when there are
    #: several, the discharge when the account has several).
    label: str
    outcome: Outcome
    conditions: tuple[RuleResult, ...]


def layer_reasons(result: ScenarioResult) -> list[LayerReason]:
    """Each other layer's conditions not met (or not known), per account and discharge.

    The main policy's are in the report's own condition tables; a reader of the layers table
    also needs to see why a state's law, say, is not_authorized for one account. Moments
    whose outcome is authorized (or immunity likely) are left out. Of each chain of
    conditions only those whose reason names a fact or a point the text leaves open: the
    conditions above them only pass their status on.
    """
    several = len(result.accounts) > 1
    found = []
    for layer in result.layers[1:]:
        for account in layer.accounts:
            for moment in account.results:
                conditions = leading_conditions(moment.evaluation)
                if not conditions:
                    continue
                label = layer.policy.id + (f" · {account.name}" if several else "")
                if moment.discharge is not None and len(account.results) > 1:
                    label += f" · discharge {moment.discharge.id}"
                found.append(LayerReason(layer, label, moment.outcome, conditions))
    return found


def unsettled_text(point: OpenPoint) -> str:
    """A point the text leaves unsettled, with the words that say so: one line of plain text.

    ``officer_created_danger: left open by the text — barnes 605 U.S. at 73-74 (syllabus) ·
    verbatim: "The Court does not address ..."``
    """
    rule = point.rule.rule
    citation = rule.citation
    return f'{rule.id}: {_UNSETTLED[point.why]} — {citation_ref(citation)}: "{citation.quote}"'
