"""The exception hierarchy: every error the library raises about its input.

Each error knows where it happened (file, line, column, when known) and may carry a
``help`` line saying how to fix it. Rendering is :meth:`ForcecheckError.render`; the CLI maps
:class:`InputError` to exit code 3 and prints that text, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column count from 1."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
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
        super().__init__(message)
        self.message = message
        self.location = location
        self.help = help

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
    """A scenario gives fact values the vocabulary declares impossible together (an exclusion)."""


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
