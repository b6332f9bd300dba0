"""Reading YAML and JSON input files safely, keeping the position of every key and value.

PyYAML's safe loader is used only to *compose* the node graph; this module turns nodes into
plain Python values itself so that it can

* remember the line and column of every key and value (for ``path:line:col`` messages),
* reject duplicate keys (PyYAML silently keeps the last one),
* reject every tag outside the YAML core schema (``!!python/object`` and friends),
* reject YAML 1.1's ambiguous booleans (``yes``, ``no``, ``on``, ``off``, ``y``, ``n``)
  instead of guessing what the author meant,
* bound the size of the result, so aliases cannot be used as a memory bomb,
* refuse what no output could show: a value PyYAML cannot build, a lone surrogate.

The bytes come from :func:`forcecheck.load.input_bytes.read_input` (regular files and
standard input only, bounded, read once).

JSON is read by the same path: a JSON document is a YAML document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forcecheck.errors import (
    DuplicateKeyError,
    FileReadError,
    InputError,
    Location,
    ParseError,
    SchemaError,
    UnsafeYamlError,
)
from forcecheck.load.input_bytes import read_input as read_input  # re-exported (load.cache)
from forcecheck.model.document import DocPath, Document

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node, ScalarNode


#: At most this many values may be built from one file, aliases expanded.
MAX_NODES = 200_000
#: At most this many levels of nesting.
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_AMBIGUOUS_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}
_DEPTH_HELP = (
    f"no scenario or policy needs more than {MAX_DEPTH} levels: give the inner parts of a "
    "rule names of their own"
)


#: The file kinds forcecheck reads: YAML, and JSON (which YAML tooling also reads).
INPUT_SUFFIXES = (".yaml", ".yml", ".json")


def input_files(paths: Iterable[Path], skip_dirs: tuple[str, ...] = ()) -> list[Path]:
    """The input files named by ``paths``, directories searched recursively, sorted.

    Directories named in ``skip_dirs`` are not entered. A path that does not exist is an
    input error, not an empty result.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(
                f
                for f in path.rglob("*")
                if f.suffix in INPUT_SUFFIXES
                and f.is_file()
                and not any(part in skip_dirs for part in f.relative_to(path).parts)
            )
        elif path.exists():
            found.add(path)
        else:
            raise FileReadError(
                "no such file or directory",
                location=Location(str(path)),
                help="check the path and try again",
            )
    return sorted(found)


def read_document(path: str | Path) -> Document:
    """Read and parse one YAML or JSON file, with positions; raise an InputError if bad."""
    shown, raw = read_input(path)
    return parse_bytes(raw, shown)


def parse_bytes(raw: bytes, path: str) -> Document:
    """Decode UTF-8 and parse; ``path`` is only used in messages."""
    encoding = _wide_encoding(raw)
    if encoding:
        raise FileReadError(
            f"the file is {encoding} text", location=Location(path), help="save the file as UTF-8"
        )
    if b"\x00" in raw:
        raise FileReadError(
            "the file is binary (it contains NUL bytes), not YAML or JSON text",
            location=Location(path),
            help="name a scenario or policy file (.yaml, .yml or .json)",
        )
    return parse_text(decode_utf8(raw, path, "save the file as UTF-8"), path)


def decode_utf8(raw: bytes, path: str, help: str) -> str:
    """``raw`` as text without a byte-order mark; a located FileReadError if not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileReadError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            location=Location(path, line, col),
            help=help,
        ) from None
    return text.removeprefix("\ufeff")


def _wide_encoding(raw: bytes) -> str | None:
    """``UTF-32`` or ``UTF-16`` if the bytes are text in one of them, else None.

    By the byte-order mark, or without one by the NUL bytes YAML's own encoding detection
    looks for around the first (ASCII) character. UTF-32's mark starts with UTF-16's, so
    it is tried first.
    """
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[:4]
    if len(head) == 4 and (head[:3] == b"\x00\x00\x00" or head[1:] == b"\x00\x00\x00"):
        return "UTF-32"
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        return "UTF-16"
    return None


def _check_strict_json(text: str, path: str) -> None:
    """Hold a ``.json`` file to JSON's own grammar (YAML would accept trailing commas)."""
    try:
        # Only the grammar is checked here: numbers are kept as text, so that 5,000 digits
        # (which int() refuses) reach the YAML reader, which locates them.
        json.loads(text, parse_int=str, parse_float=str)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"malformed JSON: {exc.msg}",
            location=Location(path, exc.lineno, exc.colno),
            help="check commas, brackets and quotes near this point (JSON has no comments "
            "and no trailing commas)",
        ) from None
    except RecursionError:
        raise ParseError(
            "the file is nested too deeply to read", location=Location(path), help=_DEPTH_HELP
        ) from None


def _text_location(text: str, position: int, path: str) -> Location:
    """The line and column of character ``position`` of ``text``."""
    line = text.count("\n", 0, position) + 1
    return Location(path, line, position - (text.rfind("\n", 0, position) + 1) + 1)


def parse_text(text: str, path: str) -> Document:
    """Parse YAML or JSON text into a :class:`Document`."""
    if path.lower().endswith(".json") and text.strip():
        _check_strict_json(text, path)
    if not text.strip():
        raise ParseError(
            "file is empty",
            location=Location(path),
            help="a scenario needs at least a `facts:` mapping",
        )
    # Imported here: a command served from the cache (forcecheck.load.cache) reads no YAML.
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "malformed YAML"
        if exc.problem and exc.context and exc.context_mark and exc.context_mark != mark:
            # "expected ']'" is clearer with where the unclosed bracket was opened.
            start = exc.context_mark
            problem += f" ({exc.context} at {start.line + 1}:{start.column + 1})"
        raise ParseError(
            f"malformed YAML or JSON: {problem}",
            location=where,
            help="check indentation, colons and quotes around this point",
        ) from None
    except yaml.reader.ReaderError as exc:
        # A control character (NUL, BEL, ...): most likely a binary file, not a typo.
        raise FileReadError(
            f"the file contains the control character U+{exc.character:04X}, "
            "which YAML does not allow",
            location=_text_location(text, exc.position, path),
            help="scenarios and policies are YAML or JSON text: is this a binary file?",
        ) from None
    except yaml.YAMLError as exc:
        raise ParseError(
            f"malformed YAML or JSON: {' '.join(str(exc).split())}",
            location=Location(path),
            help="check the file's syntax: is it YAML or JSON text?",
        ) from None
    except RecursionError:
        raise ParseError(
            "the file is nested too deeply to read",
            location=Location(path),
            help=_DEPTH_HELP,
        ) from None
    if node is None:
        raise ParseError(
            "the file holds only comments",
            location=Location(path),
            help="a scenario needs at least a `facts:` mapping",
        )
    doc = Document(path=path, data=None)
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    return doc


def _unsafe_tag(doc: Document, node: Node) -> UnsafeYamlError:
    shown = "!!" + node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
    return UnsafeYamlError(
        f"the tag '{shown}' is not allowed",
        location=_where(doc, node),
        help="forcecheck reads plain YAML only and never builds objects from tags: remove it",
    )


def _where(doc: Document, node: Node) -> Location:
    return Location(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node graph into plain values, recording positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.active: set[int] = set()
        #: Every node built so far, and whether an alias made one be built again.
        self.built: set[int] = set()
        self.aliased = False
        import yaml

        self.constructor = yaml.SafeLoader("")

    def build(self, node: Node, path: DocPath, depth: int) -> Any:
        self.count += 1
        if id(node) in self.built:
            self.aliased = True
        self.built.add(id(node))
        if self.count > MAX_NODES:
            raise self._too_many_values(node)
        if depth > MAX_DEPTH:
            raise SchemaError(
                f"nested more than {MAX_DEPTH} levels deep",
                location=_where(self.doc, node),
                help=_DEPTH_HELP,
            )
        if id(node) in self.active:
            raise UnsafeYamlError(
                "a YAML alias refers to a structure that contains it",
                location=_where(self.doc, node),
                help="remove the recursive alias",
            )
        self.doc.value_marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode  # loaded by parse_text

        if isinstance(node, MappingNode):
            self._check_tag(node, _TAG + "map")
            self.active.add(id(node))
            try:
                return self._mapping(node, path, depth)
            finally:
                self.active.discard(id(node))
        if isinstance(node, SequenceNode):
            self._check_tag(node, _TAG + "seq")
            self.active.add(id(node))
            try:
                return [
                    self.build(item, (*path, index), depth + 1)
                    for index, item in enumerate(node.value)
                ]
            finally:
                self.active.discard(id(node))
        assert isinstance(node, ScalarNode)
        return self._scalar(node)

    def _too_many_values(self, node: Node) -> InputError:
        """The error for a file over MAX_NODES values: an alias bomb, or simply too large."""
        if self.aliased:
            return UnsafeYamlError(
                f"the file expands to more than {MAX_NODES} values",
                location=_where(self.doc, node),
                help="YAML anchors and aliases (&name, *name) may not be used to repeat "
                "large structures",
            )
        return FileReadError(
            f"the file holds more than {MAX_NODES} values",
            location=_where(self.doc, node),
            help="no scenario or policy needs that many: split the file",
        )

    def _check_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            raise _unsafe_tag(self.doc, node)

    def _mapping(self, node: MappingNode, path: DocPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise UnsafeYamlError(
                    "YAML merge keys (<<) are not supported",
                    location=_where(self.doc, key_node),
                    help="write the keys out in full",
                )
            if key_node.id != "scalar":  # not a yaml ScalarNode
                raise SchemaError(
                    "a key must be plain text, not a list or a mapping",
                    location=_where(self.doc, key_node),
                    help="write `name: value`; a `?` starts a complex key, which forcecheck "
                    "does not use",
                )
            # Keys are taken as written: `on:` or `yes:` as a key is the text, not a boolean.
            key = self._text(key_node)
            if key in result:
                first = self.doc.key_marks[(*path, key)]
                raise DuplicateKeyError(
                    f"duplicate key '{key}'",
                    location=_where(self.doc, key_node),
                    help=f"'{key}' is already given at line {first[0]}; keep one of them",
                )
            self.doc.key_marks[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _unsafe_tag(self.doc, node)
        if node.tag == _TAG + "bool" and node.value.lower() in _AMBIGUOUS_BOOLEANS:
            raise SchemaError(
                f"'{node.value}' is ambiguous in YAML: version 1.1 reads it as "
                f"{str(node.value.lower() in ('yes', 'on', 'y')).lower()}, version 1.2 as text",
                location=_where(self.doc, node),
                help='write true or false (or "quote" it if you mean the text); forcecheck '
                "never guesses",
            )
        if node.tag == _TAG + "str":
            return self._text(node)
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, KeyError, AttributeError, IndexError, TypeError) as exc:
            # PyYAML recognises the kind (from the text or an explicit `!!int` tag) and then
            # fails to build it: 2025-13-45, `!!bool maybe`, `!!int ""`, 5,000 digits.
            raise _bad_scalar(self.doc, node, exc) from None
        if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
            # 0x followed by 5,000 digits is built, but could never be printed in decimal.
            raise _bad_scalar(self.doc, node, ValueError("Exceeds the limit"))
        return value

    def _text(self, node: ScalarNode) -> str:
        r"""A string scalar's text; a lone surrogate escape (``"\ud800"``) is refused.

        A surrogate is half of a UTF-16 pair, not a character: no output could encode it.
        A pair written as two escapes (as JSON writes characters beyond U+FFFF) is joined.
        """
        text: str = node.value
        if text.isascii():
            return text
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            try:
                return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                lone = text[exc.start]
                raise ParseError(
                    f"the text holds a lone surrogate escape ({lone}), which is not a character",
                    location=_where(self.doc, node),
                    help="write the character itself, or as \\UXXXXXXXX in double quotes "
                    "(in JSON, as a pair of \\uXXXX escapes)",
                ) from None
        return text


#: What to write instead of a scalar PyYAML cannot build, by its tag.
_SCALAR_HELP = {
    "bool": "write true or false",
    "int": 'write a whole number such as 3 (or "quote" it if you mean the text)',
    "float": 'write a number such as 1.5 (or "quote" it if you mean the text)',
    "timestamp": "write a date as YYYY-MM-DD with a real month and day",
}
#: Python prints at most 4,300 decimal digits of an int (sys.get_int_max_str_digits).
_MAX_INT_BITS = 14_000
#: Longer scalars are shown cut short in messages.
_SHOWN_CHARS = 40


def _bad_scalar(doc: Document, node: ScalarNode, exc: Exception) -> SchemaError:
    """The located error for a scalar PyYAML recognised (by its text or tag) but cannot build."""
    kind = node.tag.removeprefix(_TAG)
    value: str = node.value
    shown = value if len(value) <= _SHOWN_CHARS else f"{value[:20]}... ({len(value)} characters)"
    said = str(exc)
    if "limit" in said:  # Python converts at most 4,300 digits to an int
        reason = ": too many digits"
    elif isinstance(exc, ValueError) and not said.startswith(("invalid literal", "could not")):
        reason = f": {said}"  # what is wrong with a date: "day is out of range for month"
    else:
        reason = ""  # a KeyError or an IndexError from inside PyYAML says nothing useful
    return SchemaError(
        f"'{shown}' is not a valid {kind.replace('timestamp', 'date')}{reason}",
        location=_where(doc, node),
        help=_SCALAR_HELP.get(kind, "write plain text"),
    )
