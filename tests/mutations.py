"""Breaking valid files at random: the mutations the fuzz tests apply.

Shared by the bounded fuzz tests (tests/test_fuzz.py, run by hypothesis) and the long
fuzzing script (scripts/fuzz.py, run by a seeded ``random.Random``): every mutation takes the
text of a valid scenario or policy file (or a JSON Lines batch) and a ``random.Random``, and
returns new file content. Besides breaking the syntax and the structure, some plant what a
hostile author would: core YAML tags with bad values (``!!bool maybe``), lone surrogates
(``"\\ud800"``), integers of 5,000 digits, and terminal escapes, line breaks, invisible and
look-alike characters inside keys and values. tests/fuzz_run.py runs the commands and judges
what they print.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: A valid scenario to evaluate mutated policies with.
GOOD_SCENARIO = ROOT / "scenarios" / "training" / "09-warning-shot.yaml"


@dataclass(frozen=True)
class Seed:
    """A valid file to mutate: a scenario or a policy."""

    kind: str  # "scenario" or "policy"
    path: Path


def seeds() -> list[Seed]:
    """Every shipped scenario and policy, and the documentation's examples."""
    found = [Seed("scenario", p) for p in sorted((ROOT / "scenarios").rglob("*.yaml"))]
    found.append(Seed("scenario", ROOT / "docs" / "examples" / "example-drill.yaml"))
    found += [
        Seed("policy", p)
        for p in sorted((ROOT / "policy").glob("*.yaml"))
        if p.name not in ("facts.yaml", "lexicon.yaml")
    ]
    found.append(Seed("policy", ROOT / "docs" / "examples" / "example-policy.yaml"))
    return found


# ---------------------------------------------------------------- text mutations

Content = str | bytes
Mutation = Callable[[Content, random.Random], Content]


def _text(content: Content) -> str:
    return content if isinstance(content, str) else content.decode("utf-8", "replace")


def as_bytes(content: Content) -> bytes:
    """The file's bytes; a surrogate a mutation decoded stays as its (invalid) UTF-8 bytes."""
    return content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content


def _lines(content: Content) -> list[str]:
    return _text(content).splitlines(keepends=True) or [""]


def delete_line(content: Content, rng: random.Random) -> Content:
    """Remove one line."""
    lines = _lines(content)
    del lines[rng.randrange(len(lines))]
    return "".join(lines)


def duplicate_line(content: Content, rng: random.Random) -> Content:
    """Repeat one line right after itself (a duplicate key, usually)."""
    lines = _lines(content)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "".join(lines)


def swap_lines(content: Content, rng: random.Random) -> Content:
    """Exchange two lines."""
    lines = _lines(content)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def cut_short(content: Content, rng: random.Random) -> Content:
    """Truncate the file at a random byte (as an interrupted download would)."""
    raw = as_bytes(content)
    return raw[: rng.randrange(len(raw) + 1)]


# fmt: off
_NASTY = [
    b"\x00", b"\xff", b"\xc3", b"\x1b[31m", b"\r", b"\t", b": ", b"- ", b"[", b"{", b"}",
    b'"', b"'", b"&a ", b"*a", b"!!python/object:os.system ", b"<<: ", b"? ", b"|", b">",
    b"%YAML 1.1\n", b"---\n", b"\n  ", b"#", b"\xef\xbb\xbf", b"\xe2\x80\xae",
]
# fmt: on


def insert_bytes(content: Content, rng: random.Random) -> Content:
    """Insert random bytes, or YAML punctuation and escapes, at a random place."""
    raw = as_bytes(content)
    at = rng.randrange(len(raw) + 1)
    if rng.random() < 0.5:
        insert = rng.choice(_NASTY)
    else:
        insert = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
    return raw[:at] + insert + raw[at:]


def flip_byte(content: Content, rng: random.Random) -> Content:
    """Replace one byte with a random one."""
    raw = bytearray(as_bytes(content))
    if raw:
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


# ---------------------------------------------------------------- structural mutations

#: Fragments a hostile author hides in names and text: terminal escapes (OSC hyperlink and
#: title, CSI colour and clear screen, 8-bit CSI), line breaks (one forging a ``help:``
#: line), C0 and C1 controls, DEL, invisible characters and bidi marks.
# fmt: off
HOSTILE = [
    "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07", "\x1b]0;pwned\x07", "\x1b[31m",
    "\x1b[2J\x1b[H", "\x9b31m", "\n", "\nhelp: run rm -rf ~", "\r", "\x00", "\x08", "\x7f",
    "\x85", "\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff",
]
# fmt: on
#: Latin letters and the Cyrillic letters that look the same.
LOOK_ALIKES = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"}

# fmt: off
_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, "", "unknown", "Unknown", "true", "yes", "x" * 200, [],
    [1, "a"], {}, {"value": True}, {"unknown_key": 1}, dt.date(2025, 9, 12), "dhs-2023",
    "warning_shot", "subject_fleing", "<script>alert(1)</script>", "\x1b[2J",
    *[f"x{hostile}y" for hostile in HOSTILE],
]
# fmt: on


def _containers(data: Any, out: list[Any]) -> list[Any]:
    """Every dict and list inside ``data``, ``data`` included."""
    if isinstance(data, dict | list):
        out.append(data)
        for value in data.values() if isinstance(data, dict) else data:
            _containers(value, out)
    return out


def _typo(key: str, rng: random.Random) -> str:
    if not key:
        return "x"
    i = rng.randrange(len(key))
    return rng.choice([key[:i] + key[i + 1 :], key[:i] + key[i] + key[i:], key + "s", key.upper()])


def _edit_tree(data: Any, rng: random.Random) -> Any:
    containers = _containers(data, [])
    if not containers:
        return rng.choice(_VALUES)
    target = rng.choice(containers)
    if isinstance(target, list):
        if not target:
            target.append(rng.choice(_VALUES))
            return data
        i = rng.randrange(len(target))
        action = rng.choice(["delete", "retype", "duplicate", "swap"])
        if action == "delete":
            del target[i]
        elif action == "retype":
            target[i] = rng.choice(_VALUES)
        elif action == "duplicate":
            target.insert(i, target[i])
        else:
            j = rng.randrange(len(target))
            target[i], target[j] = target[j], target[i]
        return data
    if not target:
        target[rng.choice(["facts", "title", "x"])] = rng.choice(_VALUES)
        return data
    key = rng.choice(list(target))
    action = rng.choice(["delete", "retype", "rename", "swap_key_value", "swap_values"])
    if action == "delete":
        del target[key]
    elif action == "retype":
        target[key] = rng.choice(_VALUES)
    elif action == "rename":
        target[_typo(str(key), rng)] = target.pop(key)
    elif action == "swap_key_value":
        value = target.pop(key)
        target[str(value) if not isinstance(value, dict | list) else "x"] = key
    else:
        other = rng.choice(list(target))
        target[key], target[other] = target[other], target[key]
    return data


def _dump(data: Any, rng: random.Random) -> str:
    """``data`` as YAML or (three times in ten) JSON; as YAML where JSON cannot hold it."""
    if rng.random() < 0.3:
        try:
            return json.dumps(data, default=str, ensure_ascii=rng.random() < 0.5)
        except (TypeError, ValueError):  # keys JSON cannot have, integers too long
            pass
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


#: Seed files already parsed, by their text (see ``remember``).
_KNOWN: dict[str, Any] = {}


def remember(text: str, data: Any) -> None:
    """Let ``load`` answer ``text`` with a copy of ``data``, its parse.

    Most cases begin by parsing one of the same hundred-odd seed files, which costs more than
    running the case; a deep copy of the one parse is the same data, so the cases are unchanged.
    """
    _KNOWN[text] = data


def load(content: Content) -> Any:
    """The parsed content, or ``UNPARSED`` if it is not YAML any more."""
    if isinstance(content, str) and content in _KNOWN:
        return copy.deepcopy(_KNOWN[content])
    try:
        return yaml.safe_load(_text(content))
    except Exception:  # PyYAML has the very bugs the fuzzer plants
        return UNPARSED


UNPARSED = object()


def edit_structure(content: Content, rng: random.Random) -> Content:
    """Parse, then delete, retype, rename, duplicate or swap keys and values; write back."""
    data = load(content)
    if data is UNPARSED:
        return content
    return _dump(_edit_tree(data, rng), rng)


def _hostile_name(name: str, rng: random.Random) -> str:
    """``name`` with a hostile fragment inside, or a Latin letter swapped for a look-alike."""
    swappable = [i for i, char in enumerate(name) if char in LOOK_ALIKES]
    if swappable and rng.random() < 0.25:
        i = rng.choice(swappable)
        return name[:i] + LOOK_ALIKES[name[i]] + name[i + 1 :]
    at = rng.randrange(len(name) + 1)
    return name[:at] + rng.choice(HOSTILE) + name[at:]


def escape_in_key(content: Content, rng: random.Random) -> Content:
    """Put an escape, line break, invisible or look-alike character in a key (or a value).

    The renamed key replaces the original or is added beside it (a look-alike twin: an
    account ``agency`` and an account ``agency`` + U+200B).
    """
    data = load(content)
    mappings = [c for c in _containers(data, []) if isinstance(c, dict) and c]
    if data is UNPARSED or not mappings:
        return content
    target = rng.choice(mappings)
    key = rng.choice(list(target))
    if rng.random() < 0.2 and isinstance(target[key], str):
        target[key] = _hostile_name(target[key], rng)
    elif rng.random() < 0.5:
        target[_hostile_name(str(key), rng)] = target.pop(key)
    else:
        target[_hostile_name(str(key), rng)] = target[key]
    return _dump(data, rng)


#: Core YAML tags with values they cannot hold: first the four that once crashed PyYAML's
#: constructors (KeyError, AttributeError, IndexError), then ones it reports itself.
BAD_TAGS = ["!!bool maybe", "!!timestamp abc", '!!int ""', '!!float ""']
OTHER_BAD_TAGS = [
    "!!int 12abc",
    "!!float .5.5",
    "!!timestamp 2025-13-45",
    '!!bool ""',
    "!!null x",
    "!!binary '@@@'",
]
_SCALAR_LINE = re.compile(r"^(\s*(?:- )?[^\s:#][^:#]*:[ \t]+)(\S.*)$|^(\s*- )(\S.*)$")


def _scalar_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Lines holding one scalar value, with the text before the value."""
    found = []
    for i, line in enumerate(lines):
        match = _SCALAR_LINE.match(line.rstrip("\n"))
        if match and not (match.group(2) or match.group(4) or "").startswith((">", "|")):
            found.append((i, match.group(1) or match.group(3)))
    return found


def _replace_value(content: Content, rng: random.Random, value: str) -> Content:
    """Replace one scalar value of a YAML file (or one value of a JSON file) by ``value``."""
    text = _text(content)
    if text.lstrip().startswith(("{", "[")):
        return _replace_json_value(text, rng, value)
    lines = _lines(text)
    candidates = _scalar_lines(lines)
    if not candidates:
        return text + f"\nx: {value}\n"
    i, head = rng.choice(candidates)
    lines[i] = f"{head}{value}\n"
    return "".join(lines)


_JSON_VALUE = re.compile(r'(:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)')


def _replace_json_value(text: str, rng: random.Random, value: str) -> str:
    matches = list(_JSON_VALUE.finditer(text))
    if not matches:
        return text
    match = rng.choice(matches)
    return text[: match.start(2)] + value + text[match.end(2) :]


def bad_tag(content: Content, rng: random.Random) -> Content:
    """Give a scalar a core tag its value does not fit (``!!bool maybe``, ``!!int ""``)."""
    text = _text(content)
    if text.lstrip().startswith(("{", "[")):
        return content  # JSON has no tags
    tags = BAD_TAGS if rng.random() < 0.7 else OTHER_BAD_TAGS
    return _replace_value(text, rng, rng.choice(tags))


def lone_surrogate(content: Content, rng: random.Random) -> Content:
    """Write a lone UTF-16 surrogate (``"\\ud800"``) into a value or a key."""
    escape = rng.choice(["\\ud800", "\\udfff", "x\\udc00y", "\\ud83d"])
    text = _text(content)
    json_keys = list(re.finditer(r'"[\w-]+"(?=\s*:)', text))
    if rng.random() < 0.5 or (text.lstrip().startswith("{") and not json_keys):
        return _replace_value(text, rng, f'"{escape}"')
    if text.lstrip().startswith("{"):
        key = rng.choice(json_keys)
        return text[: key.start()] + f'"{escape}"' + text[key.end() :]
    lines = _lines(text)
    keys = [i for i, line in enumerate(lines) if re.match(r'^\s*(?:- )?"?[\w-]+"?:', line)]
    if not keys:
        return _replace_value(text, rng, f'"{escape}"')
    i = rng.choice(keys)
    indent = re.match(r"^\s*(?:- )?", lines[i]).group(0)  # type: ignore[union-attr]
    rest = re.sub(r'^\s*(?:- )?"?[\w-]+"?:', "", lines[i])
    lines[i] = f'{indent}"{escape}":{rest}'
    return "".join(lines)


def json_number(content: Content, rng: random.Random) -> Content:
    """Write a number strict JSON has no room for (``NaN``, ``Infinity``, ``1e400``), or -0.0."""
    return _replace_value(content, rng, rng.choice(_ODD_NUMBERS))


_ODD_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "-0.0"]


def huge_integer(content: Content, rng: random.Random) -> Content:
    """Write an integer of about 5,000 digits (over Python's 4,300-digit limit) as a value."""
    digits = str(rng.randrange(1, 10)) + "7" * rng.choice([4299, 4300, 5000, 20000])
    sign = rng.choice(["", "-"])
    return _replace_value(content, rng, sign + digits)


def to_json(content: Content, rng: random.Random) -> Content:
    """Rewrite the file as JSON (dates as text), for the JSON reader's strict rules."""
    data = load(content)
    if data is UNPARSED:
        return content
    try:
        return json.dumps(data, default=str, ensure_ascii=rng.random() < 0.5, indent=1)
    except (TypeError, ValueError):
        return content


MUTATIONS: dict[str, Mutation] = {
    "delete_line": delete_line,
    "duplicate_line": duplicate_line,
    "swap_lines": swap_lines,
    "cut_short": cut_short,
    "insert_bytes": insert_bytes,
    "flip_byte": flip_byte,
    "edit_structure": edit_structure,
    "escape_in_key": escape_in_key,
    "bad_tag": bad_tag,
    "lone_surrogate": lone_surrogate,
    "huge_integer": huge_integer,
    "json_number": json_number,
    "to_json": to_json,
}
#: The mutations a hostile author would make (the ones every command meets in the matrix).
HOSTILE_MUTATIONS = ["escape_in_key", "bad_tag", "lone_surrogate", "huge_integer"]


def mutate(content: Content, steps: list[tuple[str, random.Random]]) -> Content:
    """Apply the named mutations in order."""
    for name, rng in steps:
        content = MUTATIONS[name](content, rng)
    return content
