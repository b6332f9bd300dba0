"""Writing scenario YAML by hand (templates, counterexamples, saved interviews): one quoting rule.

forcecheck writes scenario files for people to read and edit, with comments beside the
values, so it writes the text itself rather than through a YAML library; every string it
writes passes through :func:`yaml_scalar`, so a name or path from a file always reads back
as that very string.
"""

from __future__ import annotations

import json
import re
import unicodedata

#: Words YAML (1.1 or 1.2) or forcecheck would read as something other than text.
_SPECIAL_WORDS = {
    *("true", "false", "null", "yes", "no", "on", "off", "y", "n", "unknown"),
    *(".inf", ".nan"),
}
#: What may stand unquoted: ids and paths, letters, digits and ``_ - . /``, not starting with
#: a digit or a hyphen (which YAML may read as a number or a list).
_PLAIN = re.compile(r"[A-Za-z_./][A-Za-z0-9_./-]*")


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as that very string.

    Plain when it is an id or a simple path; otherwise double-quoted as JSON writes it
    (valid YAML, with every control character and quote escaped).
    """
    if _PLAIN.fullmatch(text) and text.lower() not in _SPECIAL_WORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # JSON leaves DEL, C1 controls (NEL is a YAML line break) and invisible characters as
    # they are; YAML refuses some and would show none of them: escape them as \uXXXX.
    return "".join(_escaped(char) for char in quoted)


def _escaped(char: str) -> str:
    """``char`` of a JSON-quoted string, or its YAML escape if YAML cannot show it as is."""
    if char.isascii() and char != "\x7f":
        return char
    if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Co", "Cn"}:
        code = ord(char)
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return char
