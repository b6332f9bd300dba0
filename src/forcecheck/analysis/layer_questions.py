"""One account's questions under another layer the scenario is judged under.

``questions`` ranks the main policy's questions; the state's law or the immunity view may turn
on facts the main policy never asks, and a reporter must see them.
"""

from __future__ import annotations

from dataclasses import dataclass

from forcecheck.analysis.questions import Question, Questions
from forcecheck.analysis.turns_on import TurnsOn


@dataclass(frozen=True)
class LayerQuestions:
    """Under another layer the scenario is judged under: one account's questions there.

    ``questions`` reads the main policy; the state's law or the immunity view may turn on
    facts it never asks, and a reporter must see them.
    """

    #: The account's analysis under the layer's policy.
    questions: Questions
    #: The questions whose fact the main policy's analysis of the account does not ask.
    added: tuple[Question, ...]
    #: What the account's outcome there turns on (None: determined).
    turns_on: TurnsOn | None = None
