"""The exception hierarchy: every error the library raises about its input.

Each error knows where it happened (file, line, column, when known) and may carry a
``help`` line saying how to fix it. Rendering is :meth:`ForcecheckError.render`; the CLI maps
:class:`InputError` to exit code 3 and prints that text, never a traceback.

Messages quote names and values from input files, which anyone may have written. So every
message, help line and file name passes through :func:`visible` as the error is made: one
line each, no raw control character (no terminal escape sequence, no forged ``help:`` line),
and no name that looks like another (an invisible character or a letter from another script
inside a word is shown as an escape).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: Unicode categories shown as escapes: controls (C0, DEL, C1), format characters (bidi
#: marks, embeddings, overrides and isolates, zero-width spaces and joiners, the BOM),
#: line and paragraph separators, surrogates, private-use and unassigned code points.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_WORD = re.compile(r"\w+")


def _escape(char: str) -> str:
    r"""``char`` as a Python-style escape: ``\n``, ``\x1b``, ``\u200b``, ``\U000e0001``."""
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _hidden(char: str) -> bool:
    """Whether ``char`` cannot be seen for what it is: a control, an invisible, a rare space."""
    category = unicodedata.category(char)
    return category in _HIDDEN_CATEGORIES or (category == "Zs" and char != " ")


def _script(char: str) -> str:
    """The script a letter belongs to, as the first word of its Unicode name (LATIN, ...)."""
    return unicodedata.name(char, "?").split(" ", 1)[0]


def _unmask_word(match: re.Match[str]) -> str:
    r"""A word mixing Latin letters with letters of another script, non-ASCII ones escaped.

    ``\u0430gency`` (a Cyrillic a) would otherwise read as ``agency``. Words written in
    one script (or in several non-Latin ones, as Japanese is) are left as they are.
    """
    word = match[0]
    if word.isascii():
        return word
    scripts = {_script(char) for char in word if char.isalpha()}
    if len(scripts) < 2 or "LATIN" not in scripts:
        return word
    return "".join(char if char.isascii() else _escape(char) for char in word)


#: Invisible characters a report keeps out of sight otherwise: format characters (zero-width
#: spaces and joiners, bidi marks, the BOM), line and paragraph separators, private-use and
#: unassigned code points. Tabs, newlines and spaces are the renderers' business.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zl", "Zp", "Co", "Cn"})


def reveal(text: str) -> str:
    r"""``text`` with what a reader could not see for what it is shown as escapes.

    Invisible characters become ``\u200b``-style escapes, and so does every non-ASCII
    letter of a word that mixes Latin letters with another script's look-alikes, so that
    ``agency``, ``agency\u200b`` and ``\u0430gency`` read differently. Line breaks, tabs and
    spaces are kept: renderers call this on prose and names alike, after removing controls.
    """
    if text.isascii():
        return text
    # Every invisible category is one str.isprintable() (C) refuses, so a text whose lines
    # (tabs aside) are all printable holds none: skip the character-by-character pass,
    # which on a whole report costs a third of a second.
    if text.replace("\t", " ").replace("\n", " ").isprintable():
        shown = text
    else:
        shown = "".join(
            _escape(char) if unicodedata.category(char) in _INVISIBLE_CATEGORIES else char
            for char in text
        )
    return _WORD.sub(_unmask_word, shown)


def visible(text: str) -> str:
    r"""``text`` as it may be shown in a message: one line, every character seen for what it is.

    Controls (newline, tab, escape, DEL, C1), invisible and bidi format characters, line
    separators, spaces other than the plain space, surrogates and unassigned code points are
    shown as Python-style escapes (``\n``, ``\x1b``, ``\u200b``); so is every non-ASCII
    letter of a word that mixes Latin letters with another script's look-alikes. Plain text,
    accented letters and words in any single script are unchanged. Renderers can use it
    wherever a name must not be mistaken for another.
    """
    if text.isascii() and text.isprintable():
        return text
    shown = "".join(_escape(char) if _hidden(char) else char for char in text)
    return _WORD.sub(_unmask_word, shown)


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column count from 1."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [visible(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class ForcecheckError(Exception):
    """Base of every error forcecheck raises on purpose."""

    def __init__(
        self, message: str, *, location: Location | None = None, help: str | None = None
    ) -> None:
        message = visible(message)
        super().__init__(message)
        #: The message, names and values in it shown by :func:`visible` (one line).
        self.message = message
        self.location = location
        #: How to fix it, shown by :func:`visible` too; None when there is nothing to say.
        self.help = None if help is None else visible(help)

    def render(self) -> str:
        """The error as the CLI prints it: ``path:line:col: error: message`` and ``help:``."""
        head = (
            f"{self.location}: error: {self.message}"
            if self.location
            else (f"error: {self.message}")
        )
        return f"{head}\nhelp: {self.help}" if self.help else head


class InputError(ForcecheckError):
    """An input file or argument could not be read, parsed or validated (exit code 3)."""


class FileReadError(InputError):
    """A file is missing, unreadable, too large, or not UTF-8 text."""


class ParseError(InputError):
    """The file is not well-formed YAML or JSON."""


class UnsafeYamlError(InputError):
    """The YAML uses a tag or construct forcecheck refuses to load."""


class DuplicateKeyError(InputError):
    """A mapping names the same key twice."""


class SchemaError(InputError):
    """A key is unknown, a required key is missing, or a value has the wrong type."""


class UnknownFactError(InputError):
    """A scenario or rule names a fact that the vocabulary does not declare."""


class MissingReferenceError(InputError):
    """A name refers to something missing: a rule, a source, an account, a discharge."""


class CycleError(InputError):
    """Rules refer to each other in a cycle."""


class ContradictionError(InputError):
    """A scenario gives fact values that cannot hold together, or says two things silently.

    Values the vocabulary declares impossible together (an exclusion), or sources of one
    value that disagree without the entry saying so (``disagreement``).
    """


class UnknownPolicyError(InputError):
    """No policy has the requested id, or none could be chosen for a scenario."""


class OutputExistsError(InputError):
    """An output file already exists and ``--force`` was not given."""


class FileWriteError(InputError):
    """An output file cannot be written: a directory, a missing directory, no permission."""


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A ``did you mean`` hint naming the candidate closest to ``name``, if any is close."""
    import difflib  # only when there is something to suggest

    matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None
