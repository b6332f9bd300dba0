"""Breaking valid files at random, and judging what the CLI says about them.

Shared by the bounded fuzz tests (tests/test_fuzz.py, run by hypothesis) and the long
fuzzing script (scripts/fuzz.py, run by a seeded ``random.Random``): every mutation takes the
text of a valid scenario or policy file and a ``random.Random``, and returns new file content.

A run is judged by :func:`problems`: the CLI must exit 0, 1 (only ``check`` and ``lint``)
or 3 — never 4 — print no traceback, and name the broken file in its error.
"""

from __future__ import annotations

import datetime as dt
import json
import random
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
        if p.name != "facts.yaml"
    ]
    found.append(Seed("policy", ROOT / "docs" / "examples" / "example-policy.yaml"))
    return found


# ---------------------------------------------------------------- text mutations

Content = str | bytes
Mutation = Callable[[Content, random.Random], Content]


def _text(content: Content) -> str:
    return content if isinstance(content, str) else content.decode("utf-8", "replace")


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
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return raw[: rng.randrange(len(raw) + 1)]


_NASTY = [
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\x1b[31m",
    b"\r",
    b"\t",
    b": ",
    b"- ",
    b"[",
    b"{",
    b"}",
    b'"',
    b"'",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"<<: ",
    b"? ",
    b"|",
    b">",
    b"%YAML 1.1\n",
    b"---\n",
    b"\n  ",
    b"#",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xae",
]


def insert_bytes(content: Content, rng: random.Random) -> Content:
    """Insert random bytes, or YAML punctuation and escapes, at a random place."""
    raw = content.encode("utf-8") if isinstance(content, str) else content
    at = rng.randrange(len(raw) + 1)
    if rng.random() < 0.5:
        insert = rng.choice(_NASTY)
    else:
        insert = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
    return raw[:at] + insert + raw[at:]


def flip_byte(content: Content, rng: random.Random) -> Content:
    """Replace one byte with a random one."""
    raw = bytearray(content.encode("utf-8") if isinstance(content, str) else content)
    if raw:
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


# ---------------------------------------------------------------- structural mutations

_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    "",
    "unknown",
    "Unknown",
    "true",
    "yes",
    "x" * 200,
    [],
    [1, "a"],
    {},
    {"value": True},
    {"unknown_key": 1},
    dt.date(2025, 9, 12),
    "dhs-2023",
    "warning_shot",
    "subject_fleing",
    "<script>alert(1)</script>",
    "\x1b[2J",
]


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
    if rng.random() < 0.3:
        return json.dumps(data, default=str, ensure_ascii=rng.random() < 0.5)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def edit_structure(content: Content, rng: random.Random) -> Content:
    """Parse, then delete, retype, rename, duplicate or swap keys and values; write back."""
    try:
        data = yaml.safe_load(_text(content))
    except yaml.YAMLError:
        return content
    return _dump(_edit_tree(data, rng), rng)


MUTATIONS: dict[str, Mutation] = {
    "delete_line": delete_line,
    "duplicate_line": duplicate_line,
    "swap_lines": swap_lines,
    "cut_short": cut_short,
    "insert_bytes": insert_bytes,
    "flip_byte": flip_byte,
    "edit_structure": edit_structure,
}


def mutate(content: Content, steps: list[tuple[str, random.Random]]) -> Content:
    """Apply the named mutations in order."""
    for name, rng in steps:
        content = MUTATIONS[name](content, rng)
    return content


# ---------------------------------------------------------------- running and judging


def command_for(seed: Seed, path: Path, choice: int) -> list[str]:
    """The CLI arguments that read the mutated file ``path`` (``choice`` picks a command)."""
    if seed.kind == "policy":
        options = [
            ["evaluate", str(GOOD_SCENARIO), "--policy", str(path)],
            ["evaluate", str(GOOD_SCENARIO), "--policy", str(path), "--format", "json"],
            ["compare", str(GOOD_SCENARIO), "--policies", f"dhs-2023,{path}"],
            ["lint", str(path)],
        ]
    else:
        options = [
            ["evaluate", str(path)],
            ["evaluate", str(path), "--format", "json"],
            ["compare", str(path)],
            ["check", str(path)],
            ["lint", str(path)],
        ]
    return options[choice % len(options)]


def problems(args: list[str], path: Path, exit_code: int, stderr: str, exception: Any) -> list[str]:
    """What is wrong with how the CLI answered ``args`` about the mutated file ``path``."""
    found: list[str] = []
    if exception is not None and not isinstance(exception, SystemExit):
        found.append(f"uncaught {type(exception).__name__}: {exception}")
    allowed = {0, 1, 3} if args[0] in ("check", "lint") else {0, 3}
    if exit_code not in allowed:
        found.append(f"exit code {exit_code}")
    if "Traceback" in stderr:
        found.append("a traceback on stderr")
    if exit_code == 3:
        lines = stderr.splitlines()
        if not 1 <= len(lines) <= 2 or (len(lines) == 2 and not lines[1].startswith("help: ")):
            found.append(f"not one error and one help line: {lines!r}")
        elif not lines[0].startswith(str(path)):
            found.append(f"the error does not name the file: {lines[0]!r}")
    return found
