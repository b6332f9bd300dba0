"""Validation hints on the fields of records: read by pydantic only when it validates a file.

The records a loaded policy, vocabulary or scenario is made of (citations, facts, accounts,
fact entries…) are plain frozen dataclasses. They are what every command reads and what
the cache stores, and a command that finds them in the cache should not have to import
pydantic, whose model machinery costs more at start-up than everything else such a command
does (docs/performance.md). pydantic validates files into these dataclasses all the same;
a :class:`Hint` in a field's annotation carries what it needs beyond the type:

* the arguments of ``pydantic.Field`` (``min_length``, ``description``, ``strict``…),
* ``before``: a function applied to the value as read, before its type is checked,
* ``json_schema``: the field's JSON Schema, in place of the one pydantic would write.

This module imports nothing from pydantic: a hint does its work inside the two hooks below,
which pydantic calls while it builds a validator or a schema, never at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any


def record_config(**config: Any) -> dict[str, Any]:
    """A record's ``__pydantic_config__``: unknown keys are errors, and ``config`` besides.

    A new dict for each record (pydantic takes anything but a dict for a class-based
    configuration, which it deprecates).
    """
    return {"extra": "forbid", **config}


class Hint:
    """What pydantic needs to know about a record field beyond its type."""

    __slots__ = ("before", "field", "json_schema")

    def __init__(
        self,
        *,
        before: Callable[[Any], Any] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        **field: Any,
    ) -> None:
        self.before = before
        self.json_schema = json_schema
        self.field = field

    def __repr__(self) -> str:
        parts = [f"{key}={value!r}" for key, value in self.field.items()]
        if self.before is not None:
            parts.append(f"before={getattr(self.before, '__name__', self.before)}")
        if self.json_schema is not None:
            parts.append(f"json_schema={dict(self.json_schema)!r}")
        return f"Hint({', '.join(parts)})"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        """Pydantic's hook: the schema of ``source`` with this hint's constraints."""
        if self.field:
            from pydantic import Field

            schema = handler(Annotated[source, Field(**self.field)])
        else:
            schema = handler(source)
        if self.before is not None:
            from pydantic_core import core_schema

            schema = core_schema.no_info_before_validator_function(self.before, schema)
        return schema

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        """Pydantic's hook: the field's JSON Schema, replaced when the hint gives one."""
        if self.json_schema is not None:
            return dict(self.json_schema)
        return handler(schema)
