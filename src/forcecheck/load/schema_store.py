"""pydantic-core schemas as plain JSON data, for the disk store, naming only forcecheck's code.

A core schema is mostly data, but it names Python objects: the record classes a validator
builds (``cls``), the functions a field runs on its input first (``parse_value``),
``default_factory=dict``, enum members, tuples. Pickling it would store those as "import
this, call that", which anyone able to write an entry could aim at any code. Here each is
written as a name (``{"$ref": "forcecheck.model.logic:Status"}``) and read back only when it
names:

- a class, or a function, *defined in* one of forcecheck's record or file-layout modules
  (``forcecheck.model.*``, ``forcecheck.load.policy_file``,
  ``forcecheck.load.vocabulary_loader``; of the last two, only classes and their methods),
  already imported -- reading a schema never imports anything -- and found there under that
  very name; or
- one of the builtins ``dict``, ``list`` and ``tuple``.

Anything else makes the whole entry a miss. The worst an entry could do, then, is make a
validator call forcecheck's own pure validator functions and record classes in another
arrangement; and the store keeps entries where only the user can write them.
"""

from __future__ import annotations

import enum
import math
import sys
import types
from typing import Any

_BUILTINS = {"dict": dict, "list": list, "tuple": tuple}
_MODULES = ("forcecheck.load.policy_file", "forcecheck.load.vocabulary_loader")
_MODULE_PREFIX = "forcecheck.model."
_TAGS = ("$ref", "$member", "$tuple")


class Unstorable(ValueError):
    """A schema (or stored data) that has no plain form this module accepts."""


def plain(schema: Any) -> Any:
    """``schema`` as plain JSON data; :class:`Unstorable` if it names what cannot be named."""
    kind = type(schema)
    if schema is None or kind in (str, int, bool):
        return schema
    if kind is float:
        if not math.isfinite(schema):
            raise Unstorable("a number that is not finite")
        return schema
    if kind is list:
        return [plain(item) for item in schema]
    if kind is tuple:
        return {"$tuple": [plain(item) for item in schema]}
    if kind is dict:
        if any(type(key) is not str for key in schema) or (
            len(schema) == 1 and next(iter(schema)) in _TAGS
        ):
            raise Unstorable("a mapping with keys that are not plain text")
        return {key: plain(value) for key, value in schema.items()}
    if isinstance(schema, enum.Enum):
        value = schema.value
        if type(value) not in (str, int):
            raise Unstorable("an enum member whose value is not text or a number")
        return {"$member": [_name(type(schema)), value]}
    return {"$ref": _name(schema)}


def _name(obj: Any) -> str:
    name = f"{getattr(obj, '__module__', None)}:{getattr(obj, '__qualname__', None)}"
    if _resolve(name) is not obj and _resolve(name) != obj:
        raise Unstorable(f"{obj!r} is not forcecheck's to name")
    return name


def rebuild(data: Any) -> Any:
    """The schema ``data`` (from :func:`plain`) stands for.

    Raises :class:`Unstorable` if it names anything but what the module docstring allows.
    """
    kind = type(data)
    if kind is list:
        return [rebuild(item) for item in data]
    if kind is dict:
        if len(data) == 1:
            tag, value = next(iter(data.items()))
            if tag == "$ref":
                return _resolved(value)
            if tag == "$member":
                return _member(value)
            if tag == "$tuple":
                if type(value) is not list:
                    raise Unstorable("a stored tuple that is not a list")
                return tuple(rebuild(item) for item in value)
        return {key: rebuild(value) for key, value in data.items()}
    if data is None or kind in (str, int, bool) or (kind is float and math.isfinite(data)):
        return data
    raise Unstorable(f"no plain data is a {kind.__name__}")


def _member(value: Any) -> enum.Enum:
    if type(value) is not list or len(value) != 2 or type(value[1]) not in (str, int):
        raise Unstorable("a stored enum member that is not [class, value]")
    cls = _resolved(value[0])
    if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
        raise Unstorable("a stored enum member of a class that is no enum")
    return cls(value[1])  # ValueError for no such member


def _resolved(name: Any) -> Any:
    found = _resolve(name) if type(name) is str else None
    if found is None:
        raise Unstorable(f"a stored name that names nothing forcecheck allows: {name!r}")
    return found


def _resolve(name: str) -> Any:
    """The object ``module:qualname`` names, if the module docstring allows it, else None."""
    module_name, _, qualname = name.partition(":")
    if module_name == "builtins":
        return _BUILTINS.get(qualname)
    if not (module_name.startswith(_MODULE_PREFIX) or module_name in _MODULES):
        return None
    module = sys.modules.get(module_name)  # already imported: nothing is imported here
    parts = qualname.split(".")
    if module is None or not all(
        part.isidentifier() and not part.startswith("__") for part in parts
    ):
        return None
    found: Any = module
    for part in parts:
        found = getattr(found, part, None)
        if found is None:
            return None
    if isinstance(found, types.MethodType):  # a classmethod, as bound to its class
        owner = found.__self__
        function = found.__func__
    else:
        owner, function = None, found
    if not isinstance(function, type | types.FunctionType):
        return None
    if function.__module__ != module_name or function.__qualname__ != qualname:
        return None  # imported there, or a name pointing elsewhere
    if (
        isinstance(function, types.FunctionType)
        and "." not in qualname
        and not module_name.startswith(_MODULE_PREFIX)
    ):
        return None  # a loader's own function (it reads files): no validator calls one
    if owner is not None and not (
        isinstance(owner, type)
        and owner.__module__ == module_name
        and qualname.startswith(owner.__qualname__ + ".")
    ):
        return None
    return found
