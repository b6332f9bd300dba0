"""Validating parsed documents against their layouts, with one clear located error.

A layout is a record (a frozen dataclass, see forcecheck.model.hints) or a pydantic model; pydantic
validates either, and is imported only when a document is validated.

pydantic reports every problem at once, in its own words. forcecheck reports the first one
in document order, at its line and column, in the project's words, with a ``help`` line (the
nearest valid key for a misspelling, the keys allowed where an unknown one was written).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from forcecheck.errors import SchemaError, did_you_mean
from forcecheck.model.document import DocPath, Document

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import SchemaValidator, ValidationError

L = TypeVar("L")

_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}
_VALIDATORS: dict[type[Any], SchemaValidator] = {}


def adapter(layout: type[L]) -> TypeAdapter[L]:
    """The TypeAdapter of ``layout`` (its JSON Schema, its core schema), built once."""
    built = _ADAPTERS.get(layout)
    if built is None:
        from pydantic import TypeAdapter

        built = _ADAPTERS[layout] = TypeAdapter(layout)
    return built


def validator(layout: type[L]) -> SchemaValidator:
    """The validator of ``layout``, from the disk store when it holds it.

    pydantic spends most of its time building a validator in Python, generating the core
    schema from the layout's annotations; pydantic-core then builds the validator itself
    quickly. The core schema, without its ``metadata`` (which pydantic-core never reads and
    which holds JSON Schema callbacks), is kept in the store under a key of forcecheck's and
    pydantic's code, as plain JSON data (see :mod:`forcecheck.load.schema_store`): the
    classes and functions it names are written as names, and read back only as forcecheck's
    own record classes and validator functions. A command that validates a file, but finds
    the schema there, imports pydantic-core alone, not pydantic. The validator is built from
    the stored form also right after generating it, so that every run validates with the
    very same schema; a stored schema that does not read back, or that pydantic-core
    refuses, is generated afresh.
    """
    built = _VALIDATORS.get(layout)
    if built is None:
        from pydantic_core import SchemaValidator

        from forcecheck.load import schema_store, store

        caching = store.cache_dir() is not None
        name = f"{layout.__module__}.{layout.__qualname__}"
        key = store.key("validator", name, b"") if caching else ""
        stored = store.load(key) if caching else None
        try:
            built = SchemaValidator(schema_store.rebuild(stored)) if stored is not None else None
        except Exception:  # the store never makes a command fail: build it afresh
            built = None
        if built is None:
            schema = _without_metadata(adapter(layout).core_schema)
            try:
                stored = schema_store.plain(schema) if caching else None
            except schema_store.Unstorable:  # validated with as generated, never stored
                stored = None
            if stored is None:
                built = SchemaValidator(schema)
            else:
                built = SchemaValidator(schema_store.rebuild(stored))
                store.save(key, stored)
        _VALIDATORS[layout] = built
    return built


def _without_metadata(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_metadata(v) for k, v in schema.items() if k != "metadata"}
    if isinstance(schema, list):
        return [_without_metadata(item) for item in schema]
    return schema


def validate(layout: type[L], doc: Document, data: Any = None, base: DocPath = ()) -> L:
    """Validate ``data`` (default: the whole document) as ``layout``; raise a SchemaError."""
    from pydantic_core import ValidationError

    payload = doc.data if data is None and not base else data
    try:
        validated: L = validator(layout).validate_python(payload)
    except ValidationError as exc:
        raise schema_error(exc, layout, doc, base) from None
    return validated


def schema_error(
    exc: ValidationError, model: type[Any], doc: Document, base: DocPath = ()
) -> SchemaError:
    """Turn the first (in document order) of pydantic's errors into a located SchemaError."""
    errors = exc.errors(include_url=False)

    def position(error: Any) -> tuple[int, int]:
        loc = doc.locate((*base, *error["loc"]), key=error["type"] == "extra_forbidden")
        return (loc.line or 0, loc.col or 0)

    for error in errors:  # a record's (dataclass's) words for a model's
        error["type"] = _MODEL_KINDS.get(error["type"], error["type"])
    error = min(errors, key=position)
    hint: str | None = None
    if error["type"] == "missing":
        # A misspelt required key shows up twice: as an unknown key, and as the key it was
        # meant to be, missing. The unknown one says more: it points at the typo.
        parent = tuple(error["loc"][:-1])
        missing = [
            str(e["loc"][-1])
            for e in errors
            if e["type"] == "missing" and tuple(e["loc"][:-1]) == parent
        ]
        for extra in sorted(errors, key=position):
            if extra["type"] == "extra_forbidden" and tuple(extra["loc"][:-1]) == parent:
                hint = did_you_mean(str(extra["loc"][-1]), missing)
                if hint:
                    error = extra
                    break
    loc: DocPath = tuple(error["loc"])
    kind = error["type"]
    where = (*base, *loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = allowed_keys(model, loc[:-1])
        hint = hint or (did_you_mean(key, allowed) if allowed else None)
        if hint is None and allowed:
            hint = "allowed keys here: " + ", ".join(sorted(allowed))
        return SchemaError(f"unknown key '{key}'", location=doc.locate(where, key=True), help=hint)
    if kind == "missing":
        return SchemaError(
            f"missing required key '{loc[-1]}'",
            location=doc.locate(where[:-1]),
            help=f"add `{loc[-1]}:` here",
        )
    message = _TYPE_MESSAGES.get(kind, "")
    if message:
        message += f", not {_kind_of(error.get('input'))}"
    else:
        message = str(error["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
    # Name the key the value belongs to; a fact's `value` is named by its fact id, since
    # the short form (`fact: true`) has no `value` key to point at.
    named = [str(part) for part in loc if isinstance(part, str)]
    if len(named) >= 3 and named[-1] == "value" and named[-3] == "facts":
        field = f"fact '{named[-2]}'"
    else:
        field = f"'{named[-1]}'" if named else ""
    shown = f"{field}: " if field else ""
    return SchemaError(
        f"{shown}{message[:1].lower()}{message[1:]}",
        location=doc.locate(where),
        help=_type_help(kind) or _value_help(message),
    )


#: What pydantic calls an error in a dataclass, as it calls the same error in a model.
_MODEL_KINDS = {
    "unexpected_keyword_argument": "extra_forbidden",
    "missing_argument": "missing",
    "dataclass_type": "model_type",
}

#: pydantic's words for a value of the wrong type, said in the terms of a YAML file.
_TYPE_MESSAGES = {
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "string_type": "expected text",
    "bool_type": "expected true or false",
}


def _kind_of(value: Any) -> str:
    """What a YAML reader would call ``value``'s type: a list, text, a number..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__.replace("datetime", "a date and time").replace("date", "a date")


def _value_help(message: str) -> str | None:
    if "incident date" in message and "needs a day" in message:
        return (
            "write the day (YYYY-MM-DD); if it is not known, leave `date` out, name the "
            "policy with `policy: ID` (or --policy ID) and give the month in `summary`"
        )
    if "is not a date" in message or "not a date and time" in message:
        return "write the date as precisely as the source gives it: YYYY-MM-DD, YYYY-MM or YYYY"
    if any(w in message for w in ("date range", "`between`", "{between:", "for a bound")):
        return "a policy's date is YYYY-MM-DD, or {between: [earliest, latest], note: why}"
    if "number of shots" in message:
        return (
            "count the shots fired, as a whole number; leave `shots` out if the count is not known"
        )
    if "fact value" in message or "write unknown" in message or "quoted text" in message:
        return "a fact value is true, false or unknown (unquoted, lower case)"
    return None


def _type_help(kind: str) -> str | None:
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "write `key: value` lines here, indented below the key (or {key: value})"
    if kind in ("list_type", "tuple_type"):
        return "write a list here ([a, b] or one `- item` per line)"
    if kind == "int_type":
        return "write a whole number here, unquoted"
    if kind in ("string_type",):
        return "write text here (quote it if it looks like a number, date or boolean)"
    if kind.startswith("date"):
        return "write a date as YYYY-MM-DD"
    if kind == "too_long":
        return "split it into several scenarios"
    if kind == "string_too_short":
        return "write the text here; it may not be empty"
    if kind == "too_short":
        return "give at least one item"
    if kind in ("literal_error", "enum"):
        return "use one of the values listed"
    return None


def file_keys(layout: type[Any]) -> dict[str, Any]:
    """The keys a layout (record or pydantic model) accepts, each with its type."""
    if dataclasses.is_dataclass(layout):
        hints = typing.get_type_hints(layout, include_extras=True)
        return {f.name: hints[f.name] for f in dataclasses.fields(layout)}
    fields = getattr(layout, "model_fields", None)
    if isinstance(fields, Mapping):
        return {info.alias or name: info.annotation for name, info in fields.items()}
    return {}


def _is_layout(tp: Any) -> bool:
    return isinstance(tp, type) and (
        dataclasses.is_dataclass(tp) or isinstance(getattr(tp, "model_fields", None), Mapping)
    )


def allowed_keys(model: type[Any], loc: Sequence[str | int]) -> set[str]:
    """The keys a mapping at ``loc`` (inside ``model``) may hold; empty if not a layout."""
    target: Any = model
    for part in loc:
        target = _step(target, part)
        if target is None:
            return set()
    target = _unwrap(target)
    return set(file_keys(target)) if _is_layout(target) else set()


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Annotated and single-model unions down to one type."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        models = [m for m in members if _is_layout(m)]
        if len(models) == 1:
            return models[0]
        if len(members) == 1:
            return _unwrap(members[0])
    return tp


def _step(tp: Any, part: str | int) -> Any:
    tp = _unwrap(tp)
    if _is_layout(tp):
        return file_keys(tp).get(part) if isinstance(part, str) else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple, Sequence) and args:
        return args[0]
    if origin in (dict, Mapping) and len(args) == 2:
        return args[1]
    return None
