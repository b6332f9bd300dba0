"""The side-by-side report of ``forcecheck compare``."""

from __future__ import annotations

import json
from typing import Any

from forcecheck.analysis.compare import Comparison, Row
from forcecheck.render.analysis_text import (
    CONCLUSION_HEADERS,
    DISPUTE_LEGEND,
    attribution,
    claim_text,
    conclusion_rows,
    conclusions_json,
    dispute_kind,
    dispute_mark,
    disputes_json,
    gap_text,
    gaps_json,
    layer_marks,
    questions_json,
    said_unknown,
    summary_sentences,
    switch_effects,
)
from forcecheck.render.common import ONE_LINE_FORMATS, TEXT_WIDTH, wrap
from forcecheck.render.compare_layers import layers_json
from forcecheck.render.dates_text import may_bind_lines, uncertainty_json
from forcecheck.render.escape import terminal
from forcecheck.render.evidence_text import account_json, column_mark, status_suffix
from forcecheck.render.grid import grid
from forcecheck.render.json_report import unsettled_json
from forcecheck.render.readings_text import readings_json, readings_plain
from forcecheck.render.reasons import open_points
from forcecheck.render.report_parts import outcome_rows
from forcecheck.render.turns_on_text import turns_on_text

#: Marks a row whose columns disagree.
DIFFERS = "≠"
#: Marks a row only some columns' policies have.
PARTIAL = "~"


def render_comparison(comparison: Comparison, fmt: str) -> str:
    """Policies side by side, or accounts side by side with what divides them."""
    if comparison.accounts:
        return _render_accounts(comparison, fmt)
    spec = comparison.scenario.spec
    lines = [f"Scenario: {spec.title or spec.id or comparison.scenario.path}"]
    account = _account_line(comparison)
    lines += [account, ""] if account else [""]
    lines += _conditions(comparison, fmt, only_differing=False)
    opened = open_points((c.label, c.result.evaluation) for c in comparison.columns)
    if opened:
        lines += ["", "Undetermined where the text is open (no fact can settle these):"]
        for label, text in opened:
            lines += wrap(f"{label}: {text}", "  - ")
    for note in may_bind_lines(spec.date, comparison.may_bind):
        lines += ["", *wrap(note)]
    readings = readings_plain(comparison.results, TEXT_WIDTH)
    if readings:
        lines += ["", *readings]
    return terminal("\n".join(lines).rstrip() + "\n")


def _account_line(comparison: Comparison) -> str:
    """Which account the policies are compared on, where the scenario has several."""
    if len(comparison.scenario.accounts) < 2:
        return ""
    names = list(dict.fromkeys(c.result.account for c in comparison.columns))
    accounts = comparison.scenario.accounts
    shown = [n + status_suffix(accounts.get(n)) for n in names]
    return f"Account:  {', '.join(shown)} (choose another with --account)"


def _mark(row: Row) -> str:
    """≠ where the columns disagree, ~ where only some policies have the condition."""
    return DIFFERS if row.differs else PARTIAL if row.partial else ""


#: Marks a policy column that did not bind on the scenario's date or agency.
NOT_BINDING = "†"


def _conditions(comparison: Comparison, fmt: str, only_differing: bool) -> list[str]:
    labels = [c.label + (f" {NOT_BINDING}" if c.not_binding else "") for c in comparison.columns]
    outcome_row = [
        DIFFERS if comparison.outcomes_differ else "",
        "OUTCOME",
        *(str(c.outcome) for c in comparison.columns),
    ]
    rows = [outcome_row] + [
        [
            _mark(row),
            row.rule_id,
            *(str(s) if s is not None else "—" for s in row.statuses),
        ]
        for row in comparison.rows
        if row.differs or not only_differing
    ]
    # Account names come from the scenario file: terminal-safe before tabulate measures them.
    headers = [terminal(h) for h in ["", "condition", *labels]]
    lines = [grid(rows, headers, fmt)]
    differing = [row.rule_id for row in comparison.rows if row.differs]
    lines.append("")
    if differing and only_differing:
        agree = len(comparison.rows) - len(differing)
        lines.append(f"The other {agree} conditions have the same status in every column.")
    elif differing:
        lines.append(f"{DIFFERS} marks where they part ways: " + ", ".join(differing) + ".")
    else:
        lines.append("Every condition has the same status in every column.")
    if any(row.partial for row in comparison.rows):
        lines.append(
            f"{PARTIAL} marks a condition only some of the policies have; — where a "
            "policy does not have it."
        )
    idle = list(
        dict.fromkeys(f"{c.policy.id} {c.not_binding}" for c in comparison.columns if c.not_binding)
    )
    if idle:
        lines += wrap(
            f"{NOT_BINDING} did not bind this incident, shown for comparison only: "
            + "; ".join(idle)
            + "."
        )
    return lines


def _open_lines(comparison: Comparison) -> list[str]:
    open_to_all = comparison.open_to_all
    if not open_to_all:
        return []
    policy = comparison.columns[0].policy
    lines: list[str] = []
    lines += _heading("Open in every account")
    lines += wrap(
        "No account settles these, and each could still decide an outcome "
        "(see `forcecheck questions`):"
    )
    for fact_id in open_to_all:
        lines += wrap(f"{fact_id}: {policy.vocabulary.facts[fact_id].question}", "  - ")
        for name, given in said_unknown(comparison, fact_id):
            lines += wrap(
                f"{name}: cannot tell — {attribution(comparison.scenario, given)}", "      "
            )
    lines.append("")
    return lines


def _summary(comparison: Comparison) -> list[str]:
    return [*wrap(" ".join(summary_sentences(comparison))), ""]


def _gap_lines(comparison: Comparison) -> list[str]:
    if not comparison.gaps:
        return []
    lines = _heading("Stated by only some accounts")
    lines += wrap(
        "Not disputed: the accounts that address these agree, and the others are silent. "
        "Ask the silent sources whether they confirm them."
    )
    for gap in comparison.gaps:
        lines += wrap(gap_text(gap), "  - ")
    return [*lines, ""]


def _heading(text: str) -> list[str]:
    return [text, "=" * len(text), ""]


def _render_accounts(comparison: Comparison, fmt: str) -> str:
    scenario = comparison.scenario
    spec = scenario.spec
    policy = comparison.columns[0].policy
    names = [a.name + column_mark(a.account) for a in comparison.accounts]
    lines = [
        f"Scenario: {spec.title or spec.id or scenario.path}",
        f"Policy:   {policy.id} — {policy.spec.document}",
        "",
    ]
    lines += _heading("Outcome per account")
    lines += [
        grid(
            outcome_rows(comparison.accounts),
            ["account", "title", "outcome"],
            fmt,
            [None, 60, None] if fmt not in ONE_LINE_FORMATS else None,
        ),
        "",
    ]
    lines += _layer_lines(comparison, fmt)
    lines += _summary(comparison)
    lines += readings_plain(comparison.results, TEXT_WIDTH)
    disputes = comparison.disputes
    lines += _heading("Disputed facts")
    if not disputes:
        lines += ["No two accounts that address a fact give it different values.", ""]
        lines += _gap_lines(comparison)
        lines += _open_lines(comparison)
    else:
        others = bool(comparison.layers)
        rows = [
            [
                dispute_mark(d),
                d.fact,
                dispute_kind(d),
                *([layer_marks(comparison, d.fact)] if others else []),
                *(claim_text(c) for c in d.claims),
            ]
            for d in disputes
        ]
        lines += [
            grid(
                rows,
                ["", "fact", "kind", *(["other layers"] if others else []), *names],
                fmt,
                # The layers' names wrap, so that the accounts' columns keep their room.
                [None, None, None, 26, *[None] * len(names)]
                if others and fmt not in ONE_LINE_FORMATS
                else None,
            ),
            "",
        ]
        for legend in DISPUTE_LEGEND:
            lines += wrap(legend, "", "  ")
        lines.append("")
        lines += _gap_lines(comparison)
        lines += _open_lines(comparison)
        lines += _heading("Who said what")
        for dispute in disputes:
            lines += wrap(
                f"{dispute_mark(dispute) or '·'} {dispute.fact}: {dispute.text}", "", "  "
            )
            for claim in dispute.addressed_claims:
                for discharge, fact in claim.moments:
                    at = f" @{discharge}" if discharge else ""
                    said = (
                        f"{fact.value} — {attribution(scenario, fact)}"
                        if fact is not None
                        else "does not address it at this discharge"
                    )
                    lines += wrap(f"{claim.account}{at}: {said}", "    ", "  ")
                    if len(set(claim.values)) == 1:
                        break
            if dispute.silent:
                lines += wrap("not addressed by " + ", ".join(dispute.silent), "    ", "  ")
            lines.append("    If switched:")
            for effect in switch_effects(comparison, dispute):
                lines += wrap(effect, "      - ")
            lines.append("")
    if comparison.conclusions:
        lines += _heading("Stated conclusions")
        lines += [
            grid(
                conclusion_rows(comparison.conclusions),
                CONCLUSION_HEADERS,
                fmt,
                [None, None, 40, None, None] if fmt not in ONE_LINE_FORMATS else None,
            ),
            "",
            "⚠ marks a conclusion the account's own facts do not establish.",
            "",
        ]
    lines += _outcome_lines(comparison)
    lines += _heading("Conditions whose status differs")
    lines += _conditions(comparison, fmt, only_differing=True)
    # Quotes, titles and account names come from the scenario file: terminal-safe output.
    return terminal("\n".join(lines).rstrip() + "\n")


def _layer_lines(comparison: Comparison, fmt: str) -> list[str]:
    """The accounts under every layer the scenario is judged under (none with one)."""
    if not comparison.layers:
        return []
    from forcecheck.render.compare_layers import (
        GLUE,
        layer_dispute_sentences,
        layer_rows,
        layers_note,
        unglue,
    )

    names = [terminal(a.name) for a in comparison.accounts]
    lines = _heading("Outcome per account under every layer")
    lines += [grid(layer_rows(comparison), ["layer", *names], fmt), ""]
    sentences = layer_dispute_sentences(comparison, GLUE)
    if sentences:
        lines += wrap("Under the other layers, disputed facts decide or bear on outcomes:")
        for sentence in sentences:
            lines += [unglue(line) for line in wrap(sentence, "  - ")]
        lines.append("")
    lines += [*wrap(layers_note(comparison, comparison.scenario.path)), ""]
    return lines


def _outcome_lines(comparison: Comparison) -> list[str]:
    """What each account's outcome turns on or rests on, a line each.

    The ranked questions themselves are ``forcecheck questions``'s, not repeated here.
    """
    if not comparison.questions:
        return []
    from forcecheck.analysis.turns_on import turns_on

    scenario = comparison.scenario
    results = {a.name: a for a in comparison.accounts}
    lines = _heading("What each outcome turns on")
    for questions in comparison.questions:
        name = questions.account + status_suffix(scenario.accounts.get(questions.account))
        account = results.get(questions.account)
        found = turns_on(questions, account) if account is not None else None
        if found is not None:
            text = f"undetermined: {turns_on_text(found, questions.policy)}"
        elif questions.rests_on:
            text = f"{questions.outcome}: rests on " + ", ".join(r.fact for r in questions.rests_on)
        else:
            text = str(questions.outcome)
        lines += wrap(f"{name}: {text}", "  - ")
    lines += [
        "",
        *wrap(
            "The questions ranked, what each answer would do, and what each tests in the "
            "policy: forcecheck questions (with --account to ask one account)."
        ),
        "",
    ]
    return lines


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON."""
    return {
        "scenario": {"path": comparison.scenario.path, "id": comparison.scenario.spec.id},
        "columns": [
            {
                "label": c.label,
                "policy": c.policy.id,
                "account": c.result.account,
                "discharge": c.result.discharge.id if c.result.discharge else None,
                "outcome": str(c.outcome),
                "may_bind": uncertainty_json(c.uncertain),
                # Additive: why the policy did not bind on the scenario's date and agency.
                "not_binding": c.not_binding,
                "unsettled": [
                    unsettled_json(c.policy, point) for point in c.result.evaluation.unsettled
                ],
            }
            for c in comparison.columns
        ],
        "outcomes_differ": comparison.outcomes_differ,
        # Additive: each account compared, retracted or contradicted (status), and its shots.
        "accounts": [
            {"account": name, **account_json(comparison.scenario.accounts[name])}
            for name in dict.fromkeys(
                [a.name for a in comparison.accounts]
                or [c.result.account for c in comparison.columns]
            )
        ],
        # Additive: each policy's alternative readings, each with the outcome under it.
        "readings": [
            {"policy": result.policy.id, "readings": readings_json(result)}
            for result in comparison.results
            if result.readings
        ],
        "disputes": disputes_json(comparison.disputes),
        # Additive: every layer the scenario is judged under (empty with one), main first.
        "layers": layers_json(comparison),
        "strictest": [str(o) for o in comparison.strictest],
        "stated_by_only_some": gaps_json(comparison.gaps),
        "open_in_every_account": list(comparison.open_to_all),
        "conclusions": conclusions_json(comparison.conclusions),
        "questions": [questions_json(q) for q in comparison.questions],
        "conditions": [
            {
                "id": row.rule_id,
                "title": row.title,
                "statuses": [str(s) if s is not None else None for s in row.statuses],
                "differs": row.differs,
                "partial": row.partial,
            }
            for row in comparison.rows
        ],
    }


def render_comparison_json(comparison: Comparison) -> str:
    """The comparison as JSON text."""
    return json.dumps(comparison_json(comparison), indent=2, ensure_ascii=False) + "\n"
