"""Whom a policy binds, and when: layers in order, spans of days, agencies in common.

Pure questions about policy records, asked by the library (which policies bound an agency on
a day) and by verify's check across layers (which policies can bind together).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from forcecheck.model.dates import earliest_date, latest_date
from forcecheck.model.policy import Policy

#: The federal layers, from the most specific to the most general; a benchmark binds no one.
LAYER_ORDER = ("component", "department", "regulation", "constitution")

#: Layers reported beside the federal ones, never merged into their strictest outcome: the
#: law of the state where it happened (whether it reaches a federal agent is the question
#: the immunity view answers), and that view itself.
BESIDE_ORDER = ("state", "immunity")


def is_federal(policy: Policy) -> bool:
    """Whether ``policy`` is a federal layer: one the strictest outcome is taken across."""
    return policy.spec.layer in LAYER_ORDER


def names_place(policy: Policy, place: str | None) -> bool:
    """Whether a scenario's ``place`` names one of a state law's ``places`` (whole words).

    Full names match in any case ("minnesota"); a postal code only as written ("MN"), so
    that "in" or "or" in a description never names Indiana or Oregon; an abbreviation
    written with its full stop ("Calif.", "Minn.") only as written, stop included, so that
    "Ill." names Illinois and "ill" does not.
    """
    if not place:
        return False
    text = " " + " ".join(re.findall(r"[A-Za-z]+", place)) + " "
    for name in policy.spec.places:
        if len(name) == 2 and name.isupper():
            if re.search(rf"\b{name}\b", place):
                return True
        elif name.endswith("."):
            if re.search(rf"\b{re.escape(name)}", place):
                return True
        elif f" {' '.join(name.lower().split())} " in text.lower():
            return True
    return False


@dataclass(frozen=True)
class StateLawGap:
    """Why a scenario's place brought no state's law beside the federal layers.

    Reported so that a missing state row is never silent: the place names a state whose
    law is not encoded (``state``), or whose law was not in force that day (``not_in_force``),
    or no state the tool knows (``state`` None).
    """

    place: str
    #: The state the place names (:func:`forcecheck.model.us_states.state_named`); None: none.
    state: str | None
    #: The states whose law the library encodes, from its state laws' ``places``, sorted.
    encoded: tuple[str, ...]
    #: That state's laws in the library, none of them in force on the scenario's date.
    not_in_force: tuple[str, ...] = ()


#: A span of days: from the first to the day it ends (None: not ended), the end excluded.
Span = tuple[date, date | None]


def widest_span(policy: Policy) -> Span:
    """Every day ``policy`` may have been in force, from its first to its end (excluded).

    A date known only within a range widens the span, to the earliest possible start and
    the latest possible end (an unknown latest end: not ended), so that every question of
    whether two policies *can* bind together stays right.
    """
    spec = policy.spec
    start = earliest_date(spec.effective) or date.min
    end = None if spec.superseded is None else latest_date(spec.superseded)
    return start, end


def common_span(a: Policy, b: Policy) -> Span | None:
    """The days both ``a`` and ``b`` may have been in force; None when their spans cannot meet."""
    (start_a, end_a), (start_b, end_b) = widest_span(a), widest_span(b)
    start = max(start_a, start_b)
    ends = [end for end in (end_a, end_b) if end is not None]
    end = min(ends) if ends else None
    return (start, end) if end is None or start < end else None


def common_agencies(a: Policy, b: Policy) -> tuple[str, ...]:
    """The agencies both ``a`` and ``b`` bind, upper case (``ALL`` binds every agency)."""
    ours, theirs = (tuple(dict.fromkeys(x.upper() for x in p.spec.agencies)) for p in (a, b))
    if "ALL" in ours:
        return theirs
    if "ALL" in theirs:
        return ours
    return tuple(agency for agency in ours if agency in theirs)
