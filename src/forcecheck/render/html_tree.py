"""The HTML report's condition trees and its what-if panel.

A condition tree shows the decision rule and, nested under it, every part it turns on,
each with its status as a word and a glyph (``✓ met``, ``✗ unmet``, ``? unknown``) as well
as a colour. A rule is expanded the first time the tree reaches it; later references say
"shown above". Every node carries ``data-node``: its index in the policy's node program
(:mod:`forcecheck.engine.program`), which is how the what-if panel's generated evaluator, run in
the browser, finds the node to update.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from forcecheck.engine.evaluation import AccountResult
from forcecheck.engine.program import NodeProgram
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import (
    BELIEF_WORDS,
    Combination,
    Expr,
    FactRef,
    Policy,
    RuleRef,
    children,
)
from forcecheck.model.semantics import BY_OP
from forcecheck.model.semantics import label as combinator_label
from forcecheck.render.common import rule_ref
from forcecheck.render.escape import html_attribute, html_text, one_line, terminal
from forcecheck.render.outcome_words import view_word
from forcecheck.version import __version__

#: Status words with a glyph, so that status never rests on colour alone.
STATUS_TEXT = {Status.MET: "✓ met", Status.UNMET: "✗ unmet", Status.UNKNOWN: "? unknown"}
#: A fact's value shown in its node: in one neutral colour and with no ✓ or ✗, since a
#: value is neither good nor bad (``threat_ended: false`` is no failing); statuses of
#: conditions keep their colours.
FACT_TEXT = {Status.MET: "true", Status.UNMET: "false", Status.UNKNOWN: "? unknown"}
#: Outcomes as readers say them; an undetermined outcome is open, never "no violation".
OUTCOME_TEXT = {
    Outcome.AUTHORIZED: "Authorized",
    Outcome.NOT_AUTHORIZED: "Not authorized",
    Outcome.UNDETERMINED: "Open question",
}


def badge(
    outcome: Outcome, text: str | None = None, turns_on: str | None = None, hint: bool = False
) -> str:
    """An outcome as a badge: its words (or ``text``), with the outcome's colours.

    Given ``text`` (the immunity view's words), the badge is neutral: "immunity likely"
    must not wear the colours of "authorized". ``turns_on``: for an undetermined outcome,
    what it turns on, in words after the badge (``hint``: as the badge's title instead).
    """
    found = f' <span class="turns-on">{html_text(turns_on)}</span>' if turns_on else ""
    if hint and turns_on:
        # In a table of badges the words would widen every column: they are the Summary's,
        # shown here on pointing at the badge.
        found = ""
        return (
            f'<span class="badge {outcome.value}" title="{html_attribute(turns_on)}">'
            f"{OUTCOME_TEXT[outcome] if text is None else html_text(text)}</span>"
        )
    if text is not None:
        return f'<span class="badge view">{html_text(text)}</span>{found}'
    return f'<span class="badge {outcome.value}">{OUTCOME_TEXT[outcome]}</span>{found}'


def layer_badge(
    layer: str, outcome: Outcome, turns_on: str | None = None, hint: bool = False
) -> str:
    """An outcome as a badge in the words of its ``layer`` (the immunity view's, neutral)."""
    return badge(outcome, view_word(layer, outcome), turns_on, hint)


def status_badge(status: Status, fact: bool = False) -> str:
    """A node's status as a labelled badge; for a fact, its value, in the neutral colour."""
    if fact:
        return f'<span class="st fact">{FACT_TEXT[status]}</span>'
    return f'<span class="st {status.value}">{STATUS_TEXT[status]}</span>'


class TreeWriter:
    """Writes condition trees of one policy, numbering nodes as its node program does."""

    def __init__(self, policy: Policy, program: NodeProgram) -> None:
        self.policy = policy
        self.index = {node_id: i for i, node_id in enumerate(program.node_ids)}

    def tree(
        self,
        roots: tuple[str, ...],
        statuses: Mapping[str, Status],
        reasons: Mapping[str, str] | None = None,
    ) -> str:
        """A nested list of the rules ``roots`` and everything they use.

        ``statuses`` maps node ids to statuses; ``reasons`` (rule id -> reason), when given,
        adds each rule's reason under it.
        """
        self._statuses = statuses
        self._reasons = reasons or {}
        self._expanded: set[str] = set()
        items = "".join(self._rule(rule_id, rule_id) for rule_id in roots)
        return f'<ul class="tree">{items}</ul>'

    def _item(self, node_id: str, label: str, inner: str = "", kind: str = "node") -> str:
        status = self._statuses[node_id]
        return (
            f'<li data-node="{self.index[node_id]}" data-kind="{kind}">'
            f'<span class="node">{status_badge(status, kind == "fact")} {label}'
            '<span class="changed-note"></span></span>'
            f"{inner}</li>"
        )

    def _rule(self, rule_id: str, node_id: str) -> str:
        """A rule, expanded, at the node ``node_id`` (its own root, or a reference to it)."""
        self._expanded.add(rule_id)
        rule = self.policy.rules[rule_id]
        root = rule.expr
        parts = children(root) if not isinstance(root, FactRef | RuleRef) else ()
        word = html_text(combinator_label(root)) if isinstance(root, Combination) else ""
        belief = (
            f' <span class="ref">standard: {html_text(BELIEF_WORDS[rule.belief])}</span>'
            if rule.belief
            else ""
        )
        label = (
            f"<strong>{html_text(rule.title)}</strong> <code>{html_text(rule.id)}</code> "
            f'<span class="ref">{html_text(rule_ref(rule))}</span>'
            + belief
            + (f" — {word}" if word else "")
        )
        reason = self._reasons.get(rule_id)
        why = f'<span class="why">Why: {html_text(reason)}</span>' if reason else ""
        if parts:
            inner = "".join(
                self._expr(part, f"{rule_id}.{i}", self._prefix(root, i))
                for i, part in enumerate(parts)
            )
        else:
            # A rule that is just a fact or a reference: its root is that leaf, shown below.
            inner = self._expr(root, rule_id, "")
        return self._item(node_id, label, why + f"<ul>{inner}</ul>")

    @staticmethod
    def _prefix(parent: Expr, index: int) -> str:
        """A part's slot key (``if``, ``then``) where its combinator has several slots."""
        if not isinstance(parent, Combination) or len(parent.sizes) < 2:
            return ""
        slots = BY_OP[parent.op].expression_slots
        for slot, size in zip(slots, parent.sizes, strict=True):
            if index < size:
                return f"<em>{html_text(slot.key)}</em> "
            index -= size
        return ""

    def _expr(self, expr: Expr, node_id: str, prefix: str) -> str:
        if isinstance(expr, FactRef):
            fact = self.policy.vocabulary.facts[expr.fact]
            label = f"{prefix}{html_text(fact.question)} <code>{html_text(expr.fact)}</code>"
            return self._item(node_id, label, kind="fact")
        if isinstance(expr, RuleRef):
            if expr.rule not in self._expanded:
                return self._rule(expr.rule, node_id)
            rule = self.policy.rules[expr.rule]
            label = (
                f"{prefix}<strong>{html_text(rule.title)}</strong> "
                f'<code>{html_text(rule.id)}</code> <span class="ref">(shown above)</span>'
            )
            return self._item(node_id, label)
        parts = "".join(
            self._expr(part, f"{node_id}.{i}", self._prefix(expr, i))
            for i, part in enumerate(children(expr))
        )
        return self._item(node_id, prefix + html_text(combinator_label(expr)), f"<ul>{parts}</ul>")


# ---------------------------------------------------------------- the what-if panel


def panel_facts(policy: Policy) -> tuple[str, ...]:
    """The facts the panel offers, in vocabulary order.

    Those the reported rules use, and those that share an exclusion with one of them
    (``vehicle_involved``): answering them settles facts the rules use.
    """
    reported = policy.reachable((policy.spec.decision, *policy.findings))
    used = {fact for rule_id in reported for fact in policy.rules[rule_id].facts}
    linked = {
        fact
        for exclusion in policy.vocabulary.exclusions.values()
        if used.intersection(exclusion.facts)
        for fact in exclusion.facts
    }
    return tuple(f for f in policy.vocabulary.ids if f in used or f in linked)


def moments(accounts: tuple[AccountResult, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each evaluation a reader can start from: a label and its stated fact values.

    Settled values are left out: the page's script settles them again, so that changing
    the value they follow from frees them.
    """
    found = []
    for account in accounts:
        for moment in account.results:
            label = f"Account {account.name}"
            if account.account.title:
                label += f" ({account.account.title})"
            if moment.discharge is not None:
                label += f", discharge {moment.discharge.id}"
                if moment.discharge.title:
                    label += f" ({moment.discharge.title})"
            values = {
                fact_id: given.value.value
                for fact_id, given in sorted(moment.facts.items())
                if given.value is not Value.UNKNOWN and given.settled is None
            }
            found.append((label, values))
    return found


def panel_data(
    policy: Policy, program: NodeProgram, starts: list[tuple[str, dict[str, str]]]
) -> dict[str, object]:
    """What the panel's script needs: constants for the evaluator, ids, starting points."""
    return {
        "generator": f"forcecheck {__version__}",
        "policy": policy.id,
        "constants": list(program.facts),
        "nodeIds": list(program.node_ids),
        "decision": program.node_ids.index(policy.spec.decision),
        # The outcome's words by code (not authorized, open, authorized) where the policy has
        # its own: the immunity view's, on a neutral badge; null for a policy's usual words.
        "outcomeText": _view_texts(policy),
        # The vocabulary's exclusions, in file order: the script settles values with them
        # and disables the choices they forbid.
        "exclusions": [
            {"id": exclusion_id, "facts": dict(exclusion.facts)}
            for exclusion_id, exclusion in policy.vocabulary.exclusions.items()
        ],
        # Labels hold account names and titles: shown as the rest of the page shows them.
        "moments": [
            {"label": one_line(terminal(label)), "values": values} for label, values in starts
        ],
    }


def _view_texts(policy: Policy) -> list[str] | None:
    words = [view_word(policy.spec.layer, o) for o in PANEL_OUTCOMES]
    if not any(words):
        return None
    return [
        OUTCOME_TEXT[o] if w is None else w[0].upper() + w[1:]
        for o, w in zip(PANEL_OUTCOMES, words, strict=True)
    ]


#: The outcomes in the order of the panel script's codes (0 unmet, 1 unknown, 2 met).
PANEL_OUTCOMES = (Outcome.NOT_AUTHORIZED, Outcome.UNDETERMINED, Outcome.AUTHORIZED)


def script_json(data: object) -> str:
    """``data`` as JSON safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so neither ``</script>`` nor
    ``<!--`` can appear; U+2028 and U+2029 likewise (old JavaScript parsers end lines there).
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def panel_html(
    policy: Policy,
    writer: TreeWriter,
    starts: list[tuple[str, dict[str, str]]],
    statuses: Mapping[str, Status],
    others: tuple[str, ...] = (),
    path: str = "FILE",
) -> str:
    """The what-if section: start point, a radio group per fact, the live tree.

    The panel recomputes ``policy`` only; ``others`` (the scenario's other layers) are named
    with the command that shows a change under each of them (``path``: the scenario file).
    """
    first = dict(starts[0][1]) if starts else {}
    options = "".join(
        f'<option value="{i}"{" selected" if i == 0 else ""}>{html_text(label)}</option>'
        for i, (label, _) in enumerate(starts)
    )
    groups = []
    for index, fact_id in enumerate(panel_facts(policy)):
        fact = policy.vocabulary.facts[fact_id]
        value = first.get(fact_id, "unknown")
        radios = "".join(
            f'<label><input type="radio" name="fc-f{index}" value="{choice}"'
            f"{' checked' if choice == value else ''}> {choice}</label>"
            for choice in ("true", "false", "unknown")
        )
        groups.append(
            f'<fieldset data-fact="{html_attribute(fact_id)}"><legend>{html_text(fact.question)} '
            f'<code>{html_text(fact_id)}</code><span class="changed-note">changed</span>'
            f'<span class="settled-note"></span></legend>{radios}</fieldset>'
        )
    tree = writer.tree((policy.spec.decision, *policy.findings), statuses)
    # The panel's evaluator is one policy's: say so, and how to see the other layers.
    scope = (
        f"<p>The panel recomputes {html_text(policy.id)} only, not "
        + html_text(", ".join(others))
        + ". To see a change under every layer: <code>forcecheck whatif "
        + f"{html_text(path)} --set FACT=VALUE</code>.</p>"
        if others
        else ""
    )
    return (
        '<section aria-labelledby="h-whatif">'
        '<h2 id="h-whatif">What if? Change the facts</h2>'
        '<p id="fc-noscript" class="noscript">The what-if panel needs JavaScript, which is '
        "off in this browser; everything else in the report is above and below.</p>"
        '<div id="whatif" class="whatif" hidden>'
        "<p>Set any fact to true, false or unknown: the outcome and every condition update at "
        "once, and the conditions whose status changed are outlined and marked "
        "<em>changed</em>. A value that follows from the others through an exclusion of the "
        "vocabulary is set for you and marked <em>settled</em>; a choice the exclusions "
        "forbid, given the other values, is greyed out. Nothing is saved or sent "
        "anywhere.</p>" + scope + f'<p class="start"><label for="fc-start">Start from</label> '
        f'<select id="fc-start">{options}</select> '
        '<button type="button" id="fc-reset">Reset</button></p>'
        f'<p class="result" aria-live="polite">Outcome under {html_text(policy.id)}: '
        f'<span id="fc-outcome" class="badge">—</span> <span id="fc-changes"></span></p>'
        # The facts and the live tree: side by side on a wide screen (report.css).
        f'<div class="bench"><div class="controls">{"".join(groups)}</div>'
        f'<div class="live"><h3 id="h-whatif-tree">Conditions under {html_text(policy.id)}</h3>'
        f"{tree}</div></div></div></section>"
    )
