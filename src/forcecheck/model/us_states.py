"""The fifty states and the District of Columbia: which one a scenario's ``place`` names.

Data, to say which state a place is in when no state law in the library names it ("No
state law is encoded for Oregon"). Which states *have* a law is never listed here: that
comes from the library's state laws' ``places``.
"""

from __future__ import annotations

import re

#: Each state's name, its postal code, and its newspaper (AP) abbreviation where it has one.
US_STATES: tuple[tuple[str, str, str | None], ...] = (
    ("Alabama", "AL", "Ala."),
    ("Alaska", "AK", None),
    ("Arizona", "AZ", "Ariz."),
    ("Arkansas", "AR", "Ark."),
    ("California", "CA", "Calif."),
    ("Colorado", "CO", "Colo."),
    ("Connecticut", "CT", "Conn."),
    ("Delaware", "DE", "Del."),
    ("District of Columbia", "DC", "D.C."),
    ("Florida", "FL", "Fla."),
    ("Georgia", "GA", "Ga."),
    ("Hawaii", "HI", None),
    ("Idaho", "ID", None),
    ("Illinois", "IL", "Ill."),
    ("Indiana", "IN", "Ind."),
    ("Iowa", "IA", None),
    ("Kansas", "KS", "Kan."),
    ("Kentucky", "KY", "Ky."),
    ("Louisiana", "LA", "La."),
    ("Maine", "ME", None),
    ("Maryland", "MD", "Md."),
    ("Massachusetts", "MA", "Mass."),
    ("Michigan", "MI", "Mich."),
    ("Minnesota", "MN", "Minn."),
    ("Mississippi", "MS", "Miss."),
    ("Missouri", "MO", "Mo."),
    ("Montana", "MT", "Mont."),
    ("Nebraska", "NE", "Neb."),
    ("Nevada", "NV", "Nev."),
    ("New Hampshire", "NH", "N.H."),
    ("New Jersey", "NJ", "N.J."),
    ("New Mexico", "NM", "N.M."),
    ("New York", "NY", "N.Y."),
    ("North Carolina", "NC", "N.C."),
    ("North Dakota", "ND", "N.D."),
    ("Ohio", "OH", None),
    ("Oklahoma", "OK", "Okla."),
    ("Oregon", "OR", "Ore."),
    ("Pennsylvania", "PA", "Pa."),
    ("Rhode Island", "RI", "R.I."),
    ("South Carolina", "SC", "S.C."),
    ("South Dakota", "SD", "S.D."),
    ("Tennessee", "TN", "Tenn."),
    ("Texas", "TX", None),
    ("Utah", "UT", None),
    ("Vermont", "VT", "Vt."),
    ("Virginia", "VA", "Va."),
    ("Washington", "WA", "Wash."),
    ("West Virginia", "WV", "W.Va."),
    ("Wisconsin", "WI", "Wis."),
    ("Wyoming", "WY", "Wyo."),
)


def _patterns() -> list[tuple[re.Pattern[str], str]]:
    found: list[tuple[re.Pattern[str], str]] = []
    for name, code, abbreviation in US_STATES:
        # A full name in any case, in whole words ("minnesota"; "Portland, Oregon").
        words = r"\s+".join(map(re.escape, name.split()))
        found.append((re.compile(rf"(?<![A-Za-z]){words}(?![A-Za-z])", re.IGNORECASE), name))
        # A postal code only as written, after a comma ("Minneapolis, MN 55408"), so that
        # "IN" or "OR" in a description, or "LA" for Los Angeles, names no state.
        found.append((re.compile(rf",\s*{code}(?![A-Za-z])"), name))
        if abbreviation:
            # An abbreviation only as written, its stop included ("Portland, Ore.").
            found.append((re.compile(rf"(?<![A-Za-z.]){re.escape(abbreviation)}"), name))
    return found


_PATTERNS = _patterns()


def state_named(place: str | None) -> str | None:
    """The state (or the District of Columbia) ``place`` names; None when it names none.

    When several are named ("Washington Avenue, Minneapolis, Minnesota"), the last one, as
    an address ends with its state; of two ending together, the longer ("West Virginia").
    """
    if not place:
        return None
    best: tuple[int, int, str] | None = None
    for pattern, name in _PATTERNS:
        for match in pattern.finditer(place):
            key = (match.end(), match.end() - match.start(), name)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def state_names() -> tuple[str, ...]:
    """Every name :func:`state_named` can give, in order."""
    return tuple(name for name, _, _ in US_STATES)
