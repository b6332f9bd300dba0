"""An outcome in the words of its layer: the immunity view never says "authorized".

One table, read by every format and by the words of what an outcome turns on.
"""

from __future__ import annotations

from forcecheck.model.logic import Outcome
from forcecheck.model.scenario import IMMUNITY_OUTCOMES

__all__ = ["IMMUNITY_JSON", "outcome_json", "outcome_word", "view_word"]

#: The immunity view's outcomes as JSON and ``expect`` write them (``immunity_likely``...),
#: from the one table the scenario model reads them by. Never the words of a federal or
#: state outcome, so the view cannot be read as whether force was lawful.
IMMUNITY_JSON = {
    **{Outcome(outcome): word for word, outcome in IMMUNITY_OUTCOMES.items()},
    Outcome.UNDETERMINED: str(Outcome.UNDETERMINED),
}


def outcome_json(layer: str, outcome: Outcome) -> str:
    """An outcome as JSON writes it for a layer (``layer: immunity``: likely or unlikely)."""
    return IMMUNITY_JSON[outcome] if layer == "immunity" else str(outcome)


def outcome_word(layer: str, outcome: Outcome) -> str:
    """An outcome in the words of its layer: the immunity view says "immunity likely"."""
    return outcome_json(layer, outcome).replace("_", " ") if layer == "immunity" else str(outcome)


def view_word(layer: str, outcome: Outcome) -> str | None:
    """The immunity view's words for an outcome; None for a policy or law (its own words).

    For a badge: given words, it is neutral, so "immunity likely" never wears the colours
    of "authorized".
    """
    return outcome_word(layer, outcome) if layer == "immunity" else None
