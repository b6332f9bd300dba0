"""Records as plain data (what JSON holds) and back, checked against their declared types.

The disk cache keeps loaded policies, scenarios and vocabularies as JSON text. JSON names no
code: parsing it builds only dicts, lists, strings, numbers, booleans and null. Turning that
back into records is done here, driven by the type the *caller* asks for, never by the
data: each record (a dataclass) is rebuilt field by field, each value checked against the
field's declared type (``str`` is a str, ``Status`` one of its members, ``tuple[Expr, ...]``
a list of expressions, and so on). Whatever does not fit raises :class:`Unfit`, which the
cache treats as a miss.

A union of records (a rule expression) is written ``[record name, fields]``, the name one of
the union's own members (a date among them, as in a policy's dates, is its ISO text); a
mapping whose keys are not text is a list of ``[key, value]`` pairs; a date is its ISO text.
Untyped data (``Any``: a document's parsed YAML) holds JSON's own values, and dates as
``{"$date": "2025-01-31"}`` (a mapping of that one key is never stored, so nothing written
by a user can pass for one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import inspect
import math
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

Convert = Callable[[Any], Any]

_TAGS = {"$date": dt.date, "$datetime": dt.datetime}


class Unfit(ValueError):
    """A value that does not fit its declared type: not stored, or not loaded."""


def dump(value: Any, hint: Any) -> Any:
    """``value`` (of type ``hint``) as plain data; :class:`Unfit` if it is not one."""
    return _converters(hint)[0](value)


def load(data: Any, hint: Any) -> Any:
    """The value of type ``hint`` that ``data`` (from :func:`dump`) stands for, checked."""
    return _converters(hint)[1](data)


def dump_record(record: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record's fields as plain data, but those named in ``skip`` (the caller keeps them)."""
    dumpers = _record_fields(type(record))
    return {name: convert[0](getattr(record, name)) for name, convert in dumpers.items()
            if name not in skip}  # fmt: skip


def load_record(kind: type[Any], data: Any, given: Mapping[str, Any] | None = None) -> Any:
    """The ``kind`` record ``data`` stands for; ``given`` supplies the fields it skipped."""
    given = given or {}
    fields = _record_fields(kind)
    if not isinstance(data, dict) or set(data) | set(given) != set(fields):
        raise Unfit(f"not the fields of {kind.__name__}")
    if set(data) & set(given):
        raise Unfit(f"a given field of {kind.__name__} is stored")
    values = {name: fields[name][1](value) for name, value in data.items()}
    return kind(**values, **given)


# ---------------------------------------------------------------- converters by type

_CACHE: dict[Any, tuple[Convert, Convert]] = {}


def _converters(hint: Any) -> tuple[Convert, Convert]:
    found = _CACHE.get(hint)
    if found is None:
        found = _CACHE[hint] = _build(hint)
    return found


def _exact(kind: type[Any]) -> tuple[Convert, Convert]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise Unfit(f"expected {kind.__name__}, not {type(value).__name__}")
        if kind is float and not math.isfinite(value):
            raise Unfit("a number that is not finite")
        return value

    return check, check


def _build(hint: Any) -> tuple[Convert, Convert]:
    if hint is Any:
        return _dump_any, _load_any
    if hint is None or hint is type(None):
        return _exact(type(None))
    if hint in (str, int, bool, float):
        return _exact(hint)
    if hint is dt.date or hint is dt.datetime:
        return _date(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return _converters(args[0])
    if origin is typing.Literal:
        return _literal(args)
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin is tuple:
        return _tuple(args)
    if origin is list and len(args) == 1:
        return _list(args[0])
    if origin in (dict, Mapping) and len(args) == 2:
        return _mapping(args[0], args[1])
    raise Unfit(f"no plain form for {hint!r}")


def _date(kind: type[dt.date]) -> tuple[Convert, Convert]:
    def dump_date(value: Any) -> Any:
        if type(value) is not kind:
            raise Unfit(f"expected {kind.__name__}")
        return value.isoformat()

    def load_date(data: Any) -> Any:
        if type(data) is not str:
            raise Unfit("a date is text")
        value = kind.fromisoformat(data)
        if type(value) is not kind or value.isoformat() != data:
            raise Unfit("not a date as stored")
        return value

    return dump_date, load_date


def _enum(kind: type[enum.Enum]) -> tuple[Convert, Convert]:
    def dump_member(value: Any) -> Any:
        if type(value) is not kind or type(value.value) not in (str, int):
            raise Unfit(f"expected a {kind.__name__}")
        return value.value

    def load_member(data: Any) -> Any:
        if type(data) not in (str, int):
            raise Unfit(f"expected a {kind.__name__}")
        return kind(data)  # ValueError (an Unfit's base) for no such member

    return dump_member, load_member


def _literal(allowed: tuple[Any, ...]) -> tuple[Convert, Convert]:
    def check(value: Any) -> Any:
        if not any(type(value) is type(choice) and value == choice for choice in allowed):
            raise Unfit(f"expected one of {allowed!r}")
        return value

    return check, check


def _scalars(hint: Any) -> frozenset[type[Any]] | None:
    """The exact types a hint of plain scalars allows (``str | int``: both), else None."""
    members = typing.get_args(hint) if typing.get_origin(hint) in _UNIONS else (hint,)
    if members and all(member in _SCALARS for member in members):
        return frozenset(members)
    return None


_SCALARS = (str, int, bool)
_UNIONS = (typing.Union, types.UnionType)


def _scalar_tuple(args: tuple[Any, ...]) -> tuple[Convert, Convert] | None:
    """For a tuple of plain scalars (a document path, a line and column): one quick check.

    A document's positions are most of a scenario's entry; converting them item by item
    through the general converters took most of the time to read one back.
    """
    if len(args) == 2 and args[1] is Ellipsis:
        allowed = _scalars(args[0])
        if allowed is None:
            return None

        def check_any(value: Any, kind: type[Any]) -> Any:
            if type(value) is not kind or any(type(item) not in allowed for item in value):
                raise Unfit("expected a sequence of plain values")
            return value

        return (
            lambda value: list(check_any(value, tuple)),
            lambda data: tuple(check_any(data, list)),
        )
    found = [_scalars(arg) for arg in args]
    kinds = [kind for kind in found if kind is not None]
    if len(kinds) != len(args):
        return None

    def check_fixed(value: Any, kind: type[Any]) -> Any:
        if (
            type(value) is not kind
            or len(value) != len(kinds)
            or any(type(item) not in allowed for item, allowed in zip(value, kinds, strict=True))
        ):
            raise Unfit(f"expected {len(kinds)} plain values")
        return value

    return (
        lambda value: list(check_fixed(value, tuple)),
        lambda data: tuple(check_fixed(data, list)),
    )


def _tuple(args: tuple[Any, ...]) -> tuple[Convert, Convert]:
    quick = _scalar_tuple(args)
    if quick is not None:
        return quick
    if len(args) == 2 and args[1] is Ellipsis:
        dump_item, load_item = _converters(args[0])

        def dump_tuple(value: Any) -> Any:
            if type(value) is not tuple:
                raise Unfit("expected a tuple")
            return [dump_item(item) for item in value]

        def load_tuple(data: Any) -> Any:
            if type(data) is not list:
                raise Unfit("expected a list")
            return tuple(load_item(item) for item in data)

        return dump_tuple, load_tuple
    parts = [_converters(arg) for arg in args]

    def dump_fixed(value: Any) -> Any:
        if type(value) is not tuple or len(value) != len(parts):
            raise Unfit(f"expected a tuple of {len(parts)}")
        return [part[0](item) for part, item in zip(parts, value, strict=True)]

    def load_fixed(data: Any) -> Any:
        if type(data) is not list or len(data) != len(parts):
            raise Unfit(f"expected a list of {len(parts)}")
        return tuple(part[1](item) for part, item in zip(parts, data, strict=True))

    return dump_fixed, load_fixed


def _list(item: Any) -> tuple[Convert, Convert]:
    dump_item, load_item = _converters(item)

    def dump_list(value: Any) -> Any:
        if type(value) is not list:
            raise Unfit("expected a list")
        return [dump_item(element) for element in value]

    def load_list(data: Any) -> Any:
        if type(data) is not list:
            raise Unfit("expected a list")
        return [load_item(element) for element in data]

    return dump_list, load_list


def _text_keys(key: Any) -> bool:
    if key is str:
        return True
    if isinstance(key, type) and issubclass(key, enum.Enum):
        return all(type(member.value) is str for member in key)
    return typing.get_origin(key) is typing.Literal and all(
        type(arg) is str for arg in typing.get_args(key)
    )


def _mapping(key: Any, value: Any) -> tuple[Convert, Convert]:
    dump_key, load_key = _converters(key)
    dump_value, load_value = _converters(value)
    if _text_keys(key):

        def dump_object(mapping: Any) -> Any:
            if type(mapping) is not dict:
                raise Unfit("expected a dict")
            return {dump_key(k): dump_value(v) for k, v in mapping.items()}

        def load_object(data: Any) -> Any:
            if type(data) is not dict:
                raise Unfit("expected a mapping")
            return {load_key(k): load_value(v) for k, v in data.items()}

        return dump_object, load_object

    def dump_pairs(mapping: Any) -> Any:
        if type(mapping) is not dict:
            raise Unfit("expected a dict")
        return [[dump_key(k), dump_value(v)] for k, v in mapping.items()]

    def load_pairs(data: Any) -> Any:
        if type(data) is not list:
            raise Unfit("expected a list of pairs")
        loaded = {}
        for pair in data:
            if type(pair) is not list or len(pair) != 2:
                raise Unfit("expected a [key, value] pair")
            loaded[load_key(pair[0])] = load_value(pair[1])
        if len(loaded) != len(data):
            raise Unfit("a key given twice")
        return loaded

    return dump_pairs, load_pairs


def _union(members: tuple[Any, ...]) -> tuple[Convert, Convert]:
    optional = type(None) in members
    rest = tuple(member for member in members if member is not type(None))
    if len(rest) == 1:
        inner_dump, inner_load = _converters(rest[0])
    elif all(isinstance(m, type) and dataclasses.is_dataclass(m) for m in rest):
        inner_dump, inner_load = _tagged(rest)
    elif all(m in (str, int, bool, float) for m in rest):
        inner_dump = inner_load = _exact_one_of(rest)
    elif rest[0] is dt.date and all(
        isinstance(m, type) and dataclasses.is_dataclass(m) for m in rest[1:]
    ):
        inner_dump, inner_load = _date_or_tagged(rest[1:])
    else:
        raise Unfit(f"no plain form for a union of {rest!r}")
    if not optional:
        return inner_dump, inner_load

    def dump_optional(value: Any) -> Any:
        return None if value is None else inner_dump(value)

    def load_optional(data: Any) -> Any:
        return None if data is None else inner_load(data)

    return dump_optional, load_optional


def _exact_one_of(kinds: tuple[Any, ...]) -> Convert:
    def check(value: Any) -> Any:
        if type(value) not in kinds:
            raise Unfit(f"expected one of {[kind.__name__ for kind in kinds]}")
        return value

    return check


def _date_or_tagged(kinds: tuple[Any, ...]) -> tuple[Convert, Convert]:
    """A date (its ISO text) or one of the records ``kinds`` (``[record name, fields]``)."""
    dump_date, load_date = _date(dt.date)
    dump_tagged, load_tagged = _tagged(kinds)

    def dump_either(value: Any) -> Any:
        return dump_date(value) if type(value) is dt.date else dump_tagged(value)

    def load_either(data: Any) -> Any:
        return load_date(data) if type(data) is str else load_tagged(data)

    return dump_either, load_either


def _tagged(kinds: tuple[Any, ...]) -> tuple[Convert, Convert]:
    by_name = {kind.__name__: kind for kind in kinds}
    if len(by_name) != len(kinds):
        raise Unfit("two records of one name in a union")

    def dump_tagged(value: Any) -> Any:
        kind = type(value)
        if by_name.get(kind.__name__) is not kind:
            raise Unfit(f"expected one of {sorted(by_name)}")
        return [kind.__name__, dump_record(value)]

    def load_tagged(data: Any) -> Any:
        if type(data) is not list or len(data) != 2 or type(data[0]) is not str:
            raise Unfit("expected [record name, fields]")
        kind = by_name.get(data[0])
        if kind is None:
            raise Unfit(f"expected one of {sorted(by_name)}")
        return load_record(kind, data[1])

    return dump_tagged, load_tagged


# ---------------------------------------------------------------- records

_FIELDS: dict[type[Any], dict[str, tuple[Convert, Convert]]] = {}


def _record_fields(kind: type[Any]) -> dict[str, tuple[Convert, Convert]]:
    """The converters of each field of record ``kind``, resolved once (lazily: records nest)."""
    found = _FIELDS.get(kind)
    if found is None:
        if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
            raise Unfit(f"{kind!r} is not a record")
        fields = dataclasses.fields(kind)
        if any(not field.init for field in fields):
            raise Unfit(f"{kind.__name__} has fields its constructor does not take")
        try:
            hints = _field_types(kind, [field.name for field in fields])
        except Exception as exc:  # an annotation naming what its module does not import
            raise Unfit(f"the fields of {kind.__name__} have no resolvable types") from exc
        found = {}
        _FIELDS[kind] = found  # before building: a field may be of this very record
        for field in fields:
            try:
                found[field.name] = _converters(hints[field.name])
            except Unfit as exc:  # only an error if used: the caller may supply this field
                found[field.name] = (_refuse(str(exc)), _refuse(str(exc)))
    return found


def _field_types(kind: type[Any], names: list[str]) -> dict[str, Any]:
    """The declared type of each named field of ``kind``, its annotation text evaluated.

    What :func:`typing.get_type_hints` gives (with ``Annotated`` kept), for the fields only
    and several times faster (this runs on every start-up that reads the cache). The text
    is forcecheck's own source, evaluated in the module that declares the field.
    """
    found: dict[str, Any] = {}
    for base in reversed(kind.__mro__):  # a subclass's annotation wins, as in get_type_hints
        annotations = inspect.get_annotations(base)
        namespace = sys.modules[base.__module__].__dict__
        for name in names:
            if name in annotations:
                hint = annotations[name]
                found[name] = (
                    eval(hint, namespace, dict(vars(base))) if isinstance(hint, str) else hint
                )
    if len(found) != len(names):
        raise Unfit(f"a field of {kind.__name__} has no annotation")
    return found


def _refuse(reason: str) -> Convert:
    def refuse(value: Any) -> Any:
        raise Unfit(reason)

    return refuse


def _record(kind: type[Any]) -> tuple[Convert, Convert]:
    def dump_one(value: Any) -> Any:
        if type(value) is not kind:
            raise Unfit(f"expected a {kind.__name__}")
        return dump_record(value)

    def load_one(data: Any) -> Any:
        return load_record(kind, data)

    return dump_one, load_one


# ---------------------------------------------------------------- untyped data


def _dump_any(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise Unfit("a number that is not finite")
        return value
    if kind is list:
        return [_dump_any(item) for item in value]
    if kind is dict:
        if len(value) == 1 and next(iter(value)) in _TAGS:
            raise Unfit("a mapping that reads as a tagged value")
        if any(type(key) is not str for key in value):
            raise Unfit("a mapping with keys that are not text")
        return {key: _dump_any(item) for key, item in value.items()}
    if kind is dt.date:
        return {"$date": value.isoformat()}
    if kind is dt.datetime:
        return {"$datetime": value.isoformat()}
    raise Unfit(f"no plain form for a {kind.__name__}")


def _load_any(data: Any) -> Any:
    kind = type(data)
    if kind is list:
        return [_load_any(item) for item in data]
    if kind is dict:
        if len(data) == 1:
            tag = next(iter(data))
            if tag in _TAGS:
                return _converters(_TAGS[tag])[1](data[tag])
        return {key: _load_any(item) for key, item in data.items()}
    if data is None or kind in (str, int, bool):
        return data
    if kind is float and math.isfinite(data):
        return data
    raise Unfit(f"no plain data is a {kind.__name__}")
