"""``forcecheck export``: the dataset as CSV or JSON Lines.

The columns are fixed first (the incident, the account, the discharge, the policy, whether
it bound, the outcome, the sources), then one ``condition:<id>`` column per condition of
any exported policy, in the order the policies give them; a cell is empty where a policy
has no such condition. JSON Lines carries the same, with ``conditions`` as an object.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

from forcecheck.analysis.report_data import ExportRow
from forcecheck.model.policy import Policy
from forcecheck.render.outcome_words import outcome_json

#: The fixed columns, in order.
COLUMNS = (
    "scenario",
    "scenario_id",
    "title",
    "date",
    "place",
    "agency",
    "account",
    "account_title",
    "account_date",
    "account_status",
    "account_status_date",
    "account_status_by",
    "discharge",
    "shots",
    "policy",
    "layer",
    "in_force",
    "outcome",
    "unsettled",
    "sources",
)


def _record(row: ExportRow) -> dict[str, Any]:
    spec = row.scenario.spec
    status = row.record.status
    discharge = row.moment.discharge
    shots = discharge.shots if discharge and discharge.shots is not None else row.record.shots
    return {
        "scenario": row.scenario.path,
        "scenario_id": spec.id,
        "title": spec.title,
        "date": spec.date.isoformat() if spec.date else None,
        "place": spec.place,
        "agency": spec.agency,
        "account": row.account,
        "account_title": row.record.title or None,
        "account_date": row.record.date.isoformat() if row.record.date else None,
        "account_status": str(status.state) if status else None,
        "account_status_date": status.date.isoformat() if status and status.date else None,
        "account_status_by": status.by if status else None,
        "discharge": discharge.id if discharge else None,
        "shots": shots,
        "policy": row.policy.id,
        "layer": row.policy.spec.layer,
        "in_force": row.in_force,
        "outcome": outcome_json(row.policy.spec.layer, row.moment.outcome),
        "unsettled": [point.rule.rule.id for point in row.moment.evaluation.unsettled],
        "sources": list(row.sources),
    }


def _conditions(row: ExportRow) -> dict[str, str]:
    policy = row.policy
    rules = row.moment.evaluation.rules
    return {rule: str(rules[rule].status) for rule in _reported(policy)}


def _reported(policy: Policy) -> tuple[str, ...]:
    """A policy's own conditions and findings: a copied rule is its own policy's column."""
    own = set(policy.own_rules)
    return tuple(r for r in (*policy.conditions, *policy.findings) if r in own)


def condition_columns(rows: Sequence[ExportRow]) -> list[str]:
    """Every condition of the exported policies, first seen first."""
    seen: dict[str, None] = {}
    for row in rows:
        for rule in _reported(row.policy):
            seen.setdefault(rule, None)
    return list(seen)


def render_csv(rows: Sequence[ExportRow]) -> Iterator[str]:
    """The dataset as CSV (RFC 4180, a header row), one chunk per row."""
    conditions = condition_columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([*COLUMNS, *(f"condition:{c}" for c in conditions)])
    yield flush()
    for row in rows:
        record = _record(row)
        statuses = _conditions(row)
        cells = [
            "; ".join(value) if isinstance(value, list) else "" if value is None else value
            for value in (record[column] for column in COLUMNS)
        ]
        writer.writerow([*cells, *(statuses.get(c, "") for c in conditions)])
        yield flush()


def render_jsonl(rows: Sequence[ExportRow]) -> Iterator[str]:
    """The dataset as JSON Lines: one object per row, conditions as an object."""
    for row in rows:
        record = _record(row) | {"conditions": _conditions(row)}
        yield json.dumps(record, ensure_ascii=False) + "\n"
