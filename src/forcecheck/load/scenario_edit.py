"""Setting some facts of one account in a scenario file's text, and changing nothing else.

``forcecheck interview --save`` writes its answers into an existing scenario: the file's
metadata, sources, comments and other accounts must come out byte for byte as they were.
A YAML round trip (load, change, dump) would lose the comments and re-quote every string,
and no dependency keeps them (ruamel.yaml is not one). So the text is edited where the
facts are: PyYAML's composer gives the position of every key and value, and only the
entries of the one account's ``facts:`` mapping that change are rewritten, or new ones
added after its last entry. A fact entry replaced keeps the comment after it on its line.

The caller validates the result as a scenario (:func:`with_facts` only edits text).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from forcecheck.errors import Location, SchemaError

#: How far an account's ``facts:`` entries are indented past its own keys when the block
#: is written anew.
INDENT = 2


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def with_facts(text: str, path: str, account: str | None, entries: Mapping[str, Any]) -> str:
    """``text`` with ``entries`` (fact id -> its entry, as plain data) set in one account.

    ``account`` None is the minimal form's top-level ``facts:``; else the account of that
    name under ``accounts:``. Existing entries of those facts are replaced (the comment
    after one on its line stays); the others are added after the last entry, in the order
    given. Nothing outside that ``facts:`` mapping changes. A JSON file (``path`` ending
    in ``.json``; it has no comments to keep) is written anew, indented, with the same
    keys in the same order.
    """
    if path.lower().endswith(".json"):
        return _with_facts_json(text, path, account, entries)
    shown = {fact: _flow(entry) for fact, entry in entries.items()}
    return _with_facts_yaml(text, path, account, shown)


def _flow(data: Any) -> str:
    """One entry as YAML on one line: ``true``, ``{value: true, note: ...}``."""
    dumped: str = yaml.safe_dump(
        data, default_flow_style=True, sort_keys=False, width=1 << 30, allow_unicode=True
    )
    return dumped.removesuffix("\n").removesuffix("\n...")


def _with_facts_json(text: str, path: str, account: str | None, entries: Mapping[str, Any]) -> str:
    data = json.loads(text)
    holder = data if account is None else data.get("accounts", {}).get(account)
    if not isinstance(holder, dict):
        raise SchemaError(
            f"the file has no account '{account}'",
            location=Location(path),
            help="name one of its accounts with --account, or save to a new file",
        )
    facts = holder.setdefault("facts", {})
    if facts is None:
        facts = holder["facts"] = {}
    facts.update(entries)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _with_facts_yaml(text: str, path: str, account: str | None, entries: Mapping[str, str]) -> str:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    container = root if account is None else _account_node(root, account, path)
    if not isinstance(container, MappingNode) or container.flow_style:
        raise SchemaError(
            f"cannot write into account '{account}': it is not a block mapping",
            location=_at(path, container),
            help="write the account's keys one per line (block style), or save to a new file",
        )
    facts = _value(container, "facts")
    edits: list[_Edit]
    if facts is None:
        edits = [_new_block(text, container, entries)]
    elif isinstance(facts, MappingNode) and not facts.flow_style and facts.value:
        edits = _edit_block(text, facts, entries)
    elif isinstance(facts, MappingNode) or _is_null(facts):
        edits = [_rewrite_flow(text, container, facts, entries)]
    else:
        raise SchemaError(
            "`facts` must be a mapping",
            location=_at(path, facts),
            help="facts: is a mapping of fact ids to values",
        )
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _account_node(root: Node | None, account: str, path: str) -> Node:
    accounts = _value(root, "accounts") if isinstance(root, MappingNode) else None
    found = _value(accounts, account) if isinstance(accounts, MappingNode) else None
    if found is None:
        raise SchemaError(
            f"the file has no account '{account}'",
            location=Location(path),
            help="name one of its accounts with --account, or save to a new file",
        )
    return found


def _value(mapping: Node | None, key: str) -> Node | None:
    if not isinstance(mapping, MappingNode):
        return None
    for k, v in mapping.value:
        if isinstance(k, ScalarNode) and k.value == key:
            found: Node = v
            return found
    return None


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _at(path: str, node: Node | None) -> Location:
    if node is None:
        return Location(path)
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _end(text: str, node: Node) -> int:
    """Where a value's own text ends: its last scalar, not the comments and lines after it.

    A block collection's end mark lies at the next token, past trailing comments and blank
    lines that belong to whatever follows; a block scalar's (``>-``, ``|``) past the line
    breaks that end it.
    """
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        return _end(text, node.value[-1][1])
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return _end(text, node.value[-1])
    start, end = int(node.start_mark.index), int(node.end_mark.index)
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _line_end(text: str, index: int) -> int:
    """The index just past the newline ending the line ``index`` is on (or the text's end)."""
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _edit_block(text: str, facts: MappingNode, entries: Mapping[str, str]) -> list[_Edit]:
    """Replace the entries of a block ``facts:`` mapping that exist, add the others."""
    indent = " " * facts.value[0][0].start_mark.column
    edits: list[_Edit] = []
    existing = {k.value: (k, v) for k, v in facts.value if isinstance(k, ScalarNode)}
    added: list[str] = []
    for fact, entry in entries.items():
        if fact in existing:
            key, value = existing[fact]
            edits.append(_Edit(key.start_mark.index, _end(text, value), f"{fact}: {entry}"))
        else:
            added.append(f"{indent}{fact}: {entry}\n")
    if added:
        after = _line_end(text, _end(text, facts.value[-1][1]))
        prefix = "" if after == 0 or text[after - 1] == "\n" else "\n"
        edits.append(_Edit(after, after, prefix + "".join(added)))
    return edits


def _rewrite_flow(
    text: str, container: MappingNode, facts: Node, entries: Mapping[str, str]
) -> _Edit:
    """A flow mapping (``facts: {}``) or an empty value, written anew as a block."""
    indent = " " * (container.value[0][0].start_mark.column + INDENT)
    kept = []
    if isinstance(facts, MappingNode):
        kept = [
            (str(k.value), text[v.start_mark.index : v.end_mark.index])
            for k, v in facts.value
            if isinstance(k, ScalarNode) and k.value not in entries
        ]
    lines = [f"\n{indent}{fact}: {value}" for fact, value in [*kept, *entries.items()]]
    start, end = facts.start_mark.index, facts.end_mark.index
    while start > 0 and text[start - 1] == " ":  # no space left after `facts:`
        start -= 1
    return _Edit(start, end, "".join(lines))


def _new_block(text: str, container: MappingNode, entries: Mapping[str, str]) -> _Edit:
    """A ``facts:`` block, put before the account's first key."""
    first = container.value[0][0]
    column = first.start_mark.column
    line_start = first.start_mark.index - column
    indent = " " * column
    lines = [f"{indent}facts:\n"]
    lines += [f"{indent}{' ' * INDENT}{fact}: {entry}\n" for fact, entry in entries.items()]
    # The first key's line keeps its own indentation after the inserted block.
    return _Edit(line_start, line_start, "".join(lines))
