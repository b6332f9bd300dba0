"""A parsed input file: its plain data, and where in the file each part was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forcecheck.errors import Location

#: Where a value sits in a document: the keys and list indexes leading to it.
DocPath = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed input file: its plain data and where each part of it was written."""

    path: str
    data: Any
    value_marks: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[DocPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, doc_path: DocPath, *, key: bool = False) -> Location:
        """The location of the value (or, with ``key``, the key) at ``doc_path``.

        Falls back to the nearest enclosing value that has a position.
        """
        if key and doc_path in self.key_marks:
            return Location(self.path, *self.key_marks[doc_path])
        probe = doc_path
        while True:
            if probe in self.value_marks:
                return Location(self.path, *self.value_marks[probe])
            if probe in self.key_marks:
                return Location(self.path, *self.key_marks[probe])
            if not probe:
                return Location(self.path)
            probe = probe[:-1]
