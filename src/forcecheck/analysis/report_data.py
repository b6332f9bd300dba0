"""What the ``evaluate`` report shows, computed once: the data every renderer formats.

Built by the application layer (:mod:`forcecheck.app.evaluate_report`), read by the
renderers (table, JSON, Markdown, HTML), which compute nothing of their own. It lives here,
below both, because renderers may import result types but not the application layer.
Analyses a format does not show are not run for it (``None``): a table has no questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from forcecheck.engine.evaluation import DischargeResult, ScenarioResult
from forcecheck.model.binding import StateLawGap
from forcecheck.model.dates import Uncertainty
from forcecheck.model.logic import Outcome, Status
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Account, Scenario

if TYPE_CHECKING:
    # Types only: `evaluate` starts without loading the question and dispute analyses.
    from forcecheck.analysis.compare import Comparison
    from forcecheck.analysis.conclusions import ConclusionCheck
    from forcecheck.analysis.questions import Questions
    from forcecheck.analysis.turns_on import TurnsOn
    from forcecheck.engine.program import NodeProgram

#: Every expression node's status at one moment, by node id (see engine.program).
NodeStatuses = dict[str, Status]


@dataclass(frozen=True)
class PageData:
    """What only the HTML page needs: the node program and every moment's node statuses."""

    program: NodeProgram
    #: Per account (in ``result.accounts`` order), per moment: each node's status.
    statuses: tuple[tuple[NodeStatuses, ...], ...]


@dataclass(frozen=True)
class StrictestReading:
    """One layer's alternative reading under which an account's strictest outcome differs.

    The strictest row is computed with every layer at its default reading; this says what
    it would be with ``policy`` read as ``reading`` (``rule.reading``), the others unchanged.
    """

    policy: str
    reading: str
    outcome: Outcome


@dataclass(frozen=True)
class EvaluationReport:
    """A scenario's evaluation and every analysis its report shows, per account in order."""

    result: ScenarioResult
    #: Whether the main policy was in force on the scenario's date (None: no date, or the
    #: date falls inside one of its date ranges: ``result.uncertain`` says which).
    in_force: bool | None
    #: Each account's stated conclusions beside what its facts establish.
    conclusions: tuple[tuple[ConclusionCheck, ...], ...]
    #: Each account's strictest outcome over every binding layer (empty with one layer),
    #: those that only may bind on the scenario's date included.
    strictest: tuple[Outcome, ...] = ()
    #: Per account, the layers that only may bind on which its strictest outcome rests
    #: (without them it would be less strict); empty when the binding layers reach it.
    strictest_rests_on: tuple[tuple[str, ...], ...] = ()
    #: Per account, the readings of one layer under which its strictest outcome would differ.
    strictest_readings: tuple[tuple[StrictestReading, ...], ...] = ()
    #: Each account's questions (Markdown and HTML only).
    questions: tuple[Questions, ...] | None = None
    #: The accounts side by side (HTML with several accounts, and ``compare``).
    comparison: Comparison | None = None
    #: The page's program and node statuses (HTML only).
    page: PageData | None = None
    #: Per account, what its undetermined outcome under the report's policy turns on
    #: (None: determined). Empty when not computed.
    turns_on: tuple[TurnsOn | None, ...] = ()
    #: Per binding layer (``result.layers`` order), per account: the same under that layer.
    layer_turns_on: tuple[tuple[TurnsOn | None, ...], ...] = ()
    #: When the date and agency chose the layers and the scenario's place brought no
    #: state's law beside them: why (no law encoded for that state, or none the tool knows).
    state_law: StateLawGap | None = None


@dataclass(frozen=True)
class ComparisonReport:
    """What ``compare`` shows: the comparison, and what its document formats add."""

    comparison: Comparison
    #: Comparing accounts: whether their policy was in force on the scenario's date.
    in_force: bool | None = None
    #: Comparing accounts: why their policy only may bind on that date (None: it binds).
    uncertain: Uncertainty | None = None
    #: Comparing accounts as an HTML page: the page's report of the accounts.
    page: EvaluationReport | None = None


@dataclass(frozen=True)
class ExportRow:
    """One evaluation of the dataset."""

    scenario: Scenario
    account: str
    record: Account
    moment: DischargeResult
    policy: Policy
    #: ``yes``, ``no``, ``may`` (a date range covers the day) or ``unknown`` (no date).
    in_force: str

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the sources this evaluation's values rest on, account's first."""
        found: list[str] = [self.record.source] if self.record.source else []
        for fact in self.moment.facts.values():
            names = [s.source for s in fact.sources] if fact.sources else [fact.source]
            found += [name for name in names if name]
        return tuple(dict.fromkeys(found))
