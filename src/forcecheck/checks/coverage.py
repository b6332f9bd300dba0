"""Condition coverage of a scenario set: which statuses its scenarios drove each rule to.

A trainer's library of drills should show every rule of a policy both met and unmet, and
unknown too (a drill where the evidence is unclear). For each policy the scenarios are
evaluated under, and for each of its rules, coverage records how many evaluations (every
account at every discharge) drove the rule to met, unmet and unknown, and the first
evaluation that did, so the trainer can open an example.

It also records whether a rule was **exercised**: whether, in at least one evaluation,
its status could have changed the decision (or the finding it belongs to). A rule that is
only ever computed beside the point — ``vehicle_exception`` in drills where nobody shot at
a vehicle — is reached but never exercised, much as a line of code behind a branch that
no test takes is never exercised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from forcecheck.engine.evaluation import ScenarioResult
from forcecheck.engine.explain import Evaluation, NodeResult
from forcecheck.model.logic import CODE, STATUS_BY_CODE, Kleene, Status
from forcecheck.model.policy import FactRef, Policy, RuleRef
from forcecheck.model.scenario import DEFAULT_ACCOUNT
from forcecheck.model.semantics import meaning, op_of
from forcecheck.symbolic.bdd import FALSE
from forcecheck.symbolic.encoding import encode

#: The statuses coverage asks for, in the order reports list them.
STATUSES = (Status.MET, Status.UNMET, Status.UNKNOWN)


@dataclass(frozen=True)
class Witness:
    """One evaluation: a scenario file, one of its accounts, at one discharge (or overall)."""

    path: str
    scenario: str
    account: str
    discharge: str | None

    def __str__(self) -> str:
        text = self.scenario
        if self.account != DEFAULT_ACCOUNT:
            text += f" [{self.account}]"
        if self.discharge is not None:
            text += f" @{self.discharge}"
        return text


@dataclass
class RuleCoverage:
    """How a scenario set drove one rule."""

    rule: str
    #: The statuses some fact set gives the rule: a point the text leaves ``unsettled`` is
    #: only ever unknown, and a rule resting on one may never be met.
    possible: tuple[Status, ...] = STATUSES
    #: For each status reached, how many evaluations reached it.
    counts: dict[Status, int] = field(default_factory=dict)
    #: For each status reached, the first evaluation (in file order) that reached it.
    first: dict[Status, Witness] = field(default_factory=dict)
    #: For each status, the first evaluation that reached it while the rule was exercised.
    first_exercised: dict[Status, Witness] = field(default_factory=dict)
    #: How many evaluations the rule's status could have changed the decision or finding in.
    exercised: int = 0
    #: For each status reached but never exercised: the first evaluation that reached it,
    #: and the parts (rules or facts) whose status decided instead - what masked it.
    masked: dict[Status, tuple[Witness, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def idle(self) -> tuple[Status, ...]:
        """The statuses reached, but never where they could have changed anything."""
        return tuple(s for s in STATUSES if s in self.counts and s not in self.first_exercised)

    def example(self, status: Status) -> Witness | None:
        """The evaluation to show a trainer: the first where the status mattered, if any."""
        return self.first_exercised.get(status) or self.first.get(status)

    @property
    def missing(self) -> tuple[Status, ...]:
        """The possible statuses no evaluation drove the rule to."""
        return tuple(s for s in self.possible if s not in self.counts)


@dataclass
class PolicyCoverage:
    """Coverage of one policy's rules by the scenarios evaluated under it."""

    policy: Policy
    scenarios: list[str] = field(default_factory=list)
    evaluations: int = 0
    rules: dict[str, RuleCoverage] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        """Whether every rule was driven to each status it can have (met, unmet, unknown)."""
        return all(not r.missing for r in self.rules.values())

    @property
    def reached(self) -> int:
        """How many (rule, status) pairs the scenarios reached."""
        return sum(len(r.counts) for r in self.rules.values())

    @property
    def possible(self) -> int:
        """How many (rule, status) pairs there are to reach (those some fact set gives)."""
        return sum(len(r.possible) for r in self.rules.values())

    def never(self, status: Status) -> tuple[str, ...]:
        """The rules no evaluation drove to ``status``, though some fact set would."""
        return tuple(r.rule for r in self.rules.values() if status in r.missing)

    @property
    def never_exercised(self) -> tuple[str, ...]:
        """The rules whose status never could have changed a decision or finding."""
        return tuple(r.rule for r in self.rules.values() if not r.exercised)

    @property
    def never_decisive(self) -> tuple[tuple[str, Status], ...]:
        """(rule, status) pairs reached, but never where the status was exercised."""
        return tuple((r.rule, status) for r in self.rules.values() for status in r.idle)


def rule_order(policy: Policy) -> tuple[str, ...]:
    """The decision and its conditions, then the findings, then any rule neither uses.

    The policy's own rules only: rules copied from a policy it reads are covered by that
    policy's drills.
    """
    own = set(policy.own_rules)
    reported = policy.reachable((policy.spec.decision, *policy.findings))
    return (*(r for r in reported if r in own), *(r for r in policy.own_rules if r not in reported))


def coverage(results: Iterable[ScenarioResult]) -> list[PolicyCoverage]:
    """Condition coverage of ``results``, one entry per policy, in order of first use."""
    by_policy: dict[str, PolicyCoverage] = {}
    for result in results:
        policy = result.policy
        # Policies are told apart by the file they came from: a user's own policy may
        # share an id with a shipped one.
        key = f"{policy.id}\0{policy.path}"
        if key not in by_policy:
            possible = possible_statuses(policy)
            by_policy[key] = PolicyCoverage(
                policy, rules={r: RuleCoverage(r, possible[r]) for r in rule_order(policy)}
            )
        entry = by_policy[key]
        entry.scenarios.append(result.scenario.path)
        name = result.scenario.spec.id or _stem(result.scenario.path)
        for account in result.accounts:
            for moment in account.results:
                witness = Witness(
                    result.scenario.path,
                    name,
                    account.name,
                    moment.discharge.id if moment.discharge else None,
                )
                _record(entry, moment.evaluation, witness)
    return list(by_policy.values())


def possible_statuses(policy: Policy) -> dict[str, tuple[Status, ...]]:
    """For each rule, the statuses some valid fact set gives it (proved over every one)."""
    encoding = encode(policy)
    bdd = encoding.bdd
    return {
        rule_id: tuple(
            status
            for status in STATUSES
            if bdd.and_(encoding.status_is(rule_id, status), encoding.valid) != FALSE
        )
        for rule_id in policy.rules
    }


def _stem(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _record(entry: PolicyCoverage, evaluation: Evaluation, witness: Witness) -> None:
    entry.evaluations += 1
    live = exercised_rules(evaluation)
    masks: dict[str, tuple[str, ...]] | None = None
    for rule_id, rule_coverage in entry.rules.items():
        status = evaluation.rules[rule_id].status
        rule_coverage.counts[status] = rule_coverage.counts.get(status, 0) + 1
        rule_coverage.first.setdefault(status, witness)
        if rule_id in live:
            rule_coverage.exercised += 1
            rule_coverage.first_exercised.setdefault(status, witness)
        elif status not in rule_coverage.masked:
            masks = masking_parts(evaluation) if masks is None else masks
            if rule_id in masks:
                rule_coverage.masked[status] = (witness, masks[rule_id])


def masking_parts(evaluation: Evaluation) -> dict[str, tuple[str, ...]]:
    """For each rule reached but not exercised, the parts that decided in its place.

    Walking down from the decision and the findings, a part stops mattering at the first
    node where another part already decides: beside an unmet part of an ``all`` nothing
    else matters. Those deciding siblings mask everything below the idle part - two facts
    that each sink the decision (the officer could step aside, another option was
    available) hide each other, and a drill meant to show one shows neither alone.
    """
    policy = evaluation.policy
    found: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    pending: list[tuple[str, tuple[str, ...]]] = [
        (rule_id, ()) for rule_id in (policy.spec.decision, *policy.findings)
    ]
    while pending:
        rule_id, masked_by = pending.pop()
        if rule_id in seen:
            continue
        seen.add(rule_id)
        if masked_by:
            found[rule_id] = masked_by
        pending += _masked_refs(evaluation.rules[rule_id].tree, masked_by)
    return found


def _masked_refs(node: NodeResult, masked_by: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    expr = node.expr
    if isinstance(expr, RuleRef):
        return [(expr.rule, masked_by)]
    if isinstance(expr, FactRef):
        return []
    found: list[tuple[str, tuple[str, ...]]] = []
    for index, child in enumerate(node.children):
        below = masked_by
        if not masked_by and not _matters(node, index):
            below = tuple(
                name
                for other, sibling in enumerate(node.children)
                if other != index and sibling.status is node.status
                for name in _names(sibling)
            )
        found += _masked_refs(child, below)
    return found


def _names(node: NodeResult) -> list[str]:
    """The rules and facts a part names, outermost first (a rule is not opened)."""
    expr = node.expr
    if isinstance(expr, RuleRef):
        return [expr.rule]
    if isinstance(expr, FactRef):
        return [expr.fact]
    return [name for child in node.children for name in _names(child)]


def exercised_rules(evaluation: Evaluation) -> frozenset[str]:
    """The rules whose status, in this evaluation, could change the decision or a finding.

    The decision and the findings are exercised by definition. A part of a rule matters
    when giving it another status (the others unchanged) would change the rule's status:
    beside an unmet part of an ``all`` nothing else matters, for instance. A rule is
    exercised when some chain of parts that matter leads to it from an exercised rule.
    """
    policy = evaluation.policy
    live: set[str] = set()
    pending = [policy.spec.decision, *policy.findings]
    while pending:
        rule_id = pending.pop()
        if rule_id in live:
            continue
        live.add(rule_id)
        pending += _live_refs(evaluation.rules[rule_id].tree)
    return frozenset(live)


def _live_refs(node: NodeResult) -> list[str]:
    """The rules referenced below ``node`` through parts that matter to it."""
    expr = node.expr
    if isinstance(expr, RuleRef):
        return [expr.rule]
    if isinstance(expr, FactRef):
        return []
    found: list[str] = []
    for index, child in enumerate(node.children):
        if _matters(node, index):
            found += _live_refs(child)
    return found


def _matters(node: NodeResult, index: int) -> bool:
    """Whether another status for child ``index`` would change ``node``'s status."""
    statuses = [c.status for c in node.children]
    for other in STATUSES:
        if other is statuses[index]:
            continue
        changed = [*statuses]
        changed[index] = other
        if _combine(node, changed) is not node.status:
            return True
    return False


def _combine(node: NodeResult, statuses: list[Status]) -> Status:
    codes = [CODE[status] for status in statuses]
    return STATUS_BY_CODE[meaning(op_of(node.expr), Kleene(), codes, node.expr)]
