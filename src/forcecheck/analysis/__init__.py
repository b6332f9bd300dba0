"""What decides an outcome: questions to ask, disputed facts, stated conclusions.

Pure functions over evaluation results; they return data and never print. See
``questions`` (for one account: which unknown facts could still decide it, which facts a
determined outcome rests on), ``disputes`` (for several accounts: the facts they disagree on,
and which of them are decisive) and ``conclusions`` (what an account asserts beside what its
own facts establish).
"""

from .conclusions import ConclusionCheck, Verdict, check_conclusions, validate_conclusions
from .disputes import Claim, Dispute, Gap, Switch, disputed_facts, fact_gaps
from .questions import Question, Questions, Reliance, questions_for

__all__ = [
    "Claim",
    "ConclusionCheck",
    "Dispute",
    "Gap",
    "Question",
    "Questions",
    "Reliance",
    "Switch",
    "Verdict",
    "check_conclusions",
    "disputed_facts",
    "fact_gaps",
    "questions_for",
    "validate_conclusions",
]
