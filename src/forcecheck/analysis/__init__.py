"""What decides an outcome: questions to ask, disputed facts, stated conclusions.

Pure functions over evaluation results; they return data and never print. See
``questions`` (for one account: which unknown facts could still decide it, which facts a
determined outcome rests on), ``disputes`` (for several accounts: the facts they disagree on,
and which of them are decisive) and ``conclusions`` (what an account asserts beside what its
own facts establish).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forcecheck.analysis.conclusions import (
        ConclusionCheck,
        ConclusionVerdict,
        check_conclusions,
        validate_conclusions,
    )
    from forcecheck.analysis.disputes import Claim, Dispute, Gap, Switch, disputed_facts, fact_gaps
    from forcecheck.analysis.questions import Question, Questions, Reliance, questions_for

#: Where each name lives. Submodules are imported on first use, so that `evaluate`, which
#: needs only the conclusions, starts without loading the question and dispute analyses.
_HOMES = {
    "ConclusionCheck": "conclusions",
    "ConclusionVerdict": "conclusions",
    "check_conclusions": "conclusions",
    "validate_conclusions": "conclusions",
    "Claim": "disputes",
    "Dispute": "disputes",
    "Gap": "disputes",
    "Switch": "disputes",
    "disputed_facts": "disputes",
    "fact_gaps": "disputes",
    "Question": "questions",
    "Questions": "questions",
    "Reliance": "questions",
    "questions_for": "questions",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # found directly from now on
    return value


__all__ = [
    "Claim",
    "ConclusionCheck",
    "ConclusionVerdict",
    "Dispute",
    "Gap",
    "Question",
    "Questions",
    "Reliance",
    "Switch",
    "check_conclusions",
    "disputed_facts",
    "fact_gaps",
    "questions_for",
    "validate_conclusions",
]
