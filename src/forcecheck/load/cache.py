"""A disk cache of loaded policies, vocabularies and scenarios, to start quickly.

Reading a policy file means parsing YAML in pure Python and validating it: several
milliseconds a file, paid by every command, and by a scenario chosen by date and agency
once per policy in the library. The loaded records are kept in the disk store
(forcecheck.load.store) as plain JSON data (forcecheck.load.plain), rebuilt and checked
field by field when read back: an entry that does not fit is a miss, never code.

An entry's key hashes everything the loaded record depends on: the file's bytes, its path as
given (the path appears in messages), the code that read it, and, for a policy or a
scenario, the whole content of the vocabulary it was checked against -- facts *and*
exclusions (a scenario that breaks an exclusion is refused). A policy that reads another's
decision (``{policy: ID}``) also depends on the files it names: its key hashes, for every id
its bytes could name, which of the id's files exist and their bytes, so an edit to any of
them is a miss. Invalid files are never cached: their errors come from reading them afresh
every time.
"""

from __future__ import annotations

import hashlib
import json
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from forcecheck.load import plain, store
from forcecheck.load.input_bytes import is_stream
from forcecheck.load.policy_loader import load_policy
from forcecheck.load.policy_reference import SEPARATOR
from forcecheck.load.reader import INPUT_SUFFIXES, read_input
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.load.vocabulary_loader import load_vocabulary
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario
from forcecheck.model.vocabulary import Exclusion, Fact, Vocabulary

T = TypeVar("T")

#: What a Vocabulary holds; one that holds anything more is not stored (its plain form
#: would leave it out).
_VOCABULARY_PARTS = {"path": str, "facts": dict[str, Fact], "exclusions": dict[str, Exclusion]}


def _dump_vocabulary(vocabulary: Vocabulary) -> dict[str, Any]:
    if set(vars(vocabulary)) != set(_VOCABULARY_PARTS):
        raise plain.Unfit("a vocabulary with parts the cache does not know")
    return {
        name: plain.dump(getattr(vocabulary, name), hint)
        for name, hint in _VOCABULARY_PARTS.items()
    }


def _load_vocabulary(data: Any) -> Vocabulary:
    if type(data) is not dict or set(data) != set(_VOCABULARY_PARTS):
        raise plain.Unfit("not a vocabulary")
    parts = {name: plain.load(data[name], hint) for name, hint in _VOCABULARY_PARTS.items()}
    return Vocabulary(parts["facts"], parts["path"], parts["exclusions"])


_FINGERPRINTS: weakref.WeakKeyDictionary[Vocabulary, str] = weakref.WeakKeyDictionary()


def _vocabulary_fingerprint(vocabulary: Vocabulary) -> str:
    """A digest of everything in ``vocabulary``: its path, its facts and its exclusions.

    For one read through :func:`load_vocabulary_cached`, the digest of the path and the
    bytes it was read from (which make all of it); for any other, of its plain form. A
    vocabulary is never changed once made, so the digest is computed once. Raises
    :class:`plain.Unfit` for a vocabulary that has no plain form (then nothing checked
    against it is cached).
    """
    found = _FINGERPRINTS.get(vocabulary)
    if found is None:
        text = json.dumps(_dump_vocabulary(vocabulary), ensure_ascii=False, allow_nan=False)
        found = _FINGERPRINTS[vocabulary] = "content:" + _digest(text.encode())
    return found


def _remember_file(vocabulary: Vocabulary, path: str, raw: bytes) -> None:
    """Note that ``vocabulary`` was read from ``raw`` at ``path``: its cheap fingerprint."""
    _FINGERPRINTS[vocabulary] = "file:" + _digest(path.encode() + b"\0" + raw)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cached(
    kind: type[T],
    path: str | Path,
    load: Callable[[bytes], T],
    dump: Callable[[T], Any],
    rebuild: Callable[[Any], T],
    vocabulary: Vocabulary | None,
    remember: Callable[[T, str, bytes], None] | None = None,
    raw: bytes | None = None,
    depends: Callable[[], str] | None = None,
) -> T:
    """What ``load(raw)`` returns for the file at ``path``, from the store when it holds it.

    ``vocabulary`` is what the file was checked against (None for the vocabulary itself):
    its content is part of the key. ``dump`` makes the plain form of a loaded record,
    ``rebuild`` the record back from it (raising on anything that does not fit).
    ``remember`` is told the bytes a record was made from, when that is certain.
    ``depends`` gives a digest of the other files the record is made from, for the key.
    """
    if raw is None:  # read once (stdin, pipes), bounded; a bad file is reported here
        raw = read_input(path)[1]
    if store.cache_dir() is None:  # turned off: not even a key is worth computing
        return load(raw)
    try:
        extra = "" if vocabulary is None else _vocabulary_fingerprint(vocabulary)
        if depends is not None:
            extra += "\0" + depends()
    except plain.Unfit:
        return load(raw)
    key = store.key(kind.__name__.lower(), str(path), raw, extra)
    stored = store.load(key)
    if stored is not None:
        try:
            found = rebuild(stored)
        except Exception:  # hostile or corrupt: read the file afresh (and store it again)
            found = None
        if isinstance(found, kind):
            if remember is not None:
                remember(found, str(path), raw)
            return found
    loaded = load(raw)  # parsed from the very bytes the key hashes
    if remember is not None:
        remember(loaded, str(path), raw)
    try:
        data = dump(loaded)
    except Exception:  # no plain form: not cached
        return loaded
    store.save(key, data)
    return loaded


#: Every id a policy file's bytes could name in a ``{policy: ID}`` leaf, in YAML or JSON,
#: block or flow style: more than it names (a word after "policy:" in a note) costs nothing.
_NAMED_POLICY = re.compile(rb"""policy['"]?[ \t]*:[ \t]*['"]?([A-Za-z0-9_][A-Za-z0-9_.-]*)""")


def load_policy_cached(path: str | Path, vocabulary: Vocabulary) -> Policy:
    """:func:`forcecheck.load.policy_loader.load_policy`, served from the cache when possible.

    A policy that reads another's decision (``{policy: ID}``) is stored with a key that
    hashes each file it may read (:func:`_named_files`); one that reads a policy its key
    does not hash is not stored. The policies it reads are served from the cache as any
    other.
    """
    raw = read_input(path)[1]
    named = sorted({match.decode() for match in _NAMED_POLICY.findall(raw)})
    if named and is_stream(path):  # no directory to read them from: refused as ever
        return load_policy(path, vocabulary, raw=raw)
    return _cached(
        Policy,
        path,
        lambda raw: load_policy(
            path, vocabulary, raw=raw, resolve=lambda found: load_policy_cached(found, vocabulary)
        ),
        lambda policy: _dumped_policy(policy, named),
        lambda data: _checked_policy(
            plain.load_record(Policy, data, {"vocabulary": vocabulary}), vocabulary
        ),
        vocabulary,
        raw=raw,
        depends=(lambda: _named_files(Path(path).parent, named)) if named else None,
    )


def _named_files(directory: Path, named: list[str]) -> str:
    """A digest of the files ``named`` ids resolve to: which exist, and their bytes.

    A reference resolves to the first of ``ID.yaml``, ``ID.yml``, ``ID.json`` that is a
    file, so each one's presence is part of the digest.
    """
    digest = hashlib.sha256()
    for policy_id in named:
        for suffix in INPUT_SUFFIXES:
            candidate = directory / f"{policy_id}{suffix}"
            digest.update(f"{policy_id}{suffix}\0".encode())
            if candidate.is_file():
                content = read_input(candidate)[1]
                digest.update(b"file\0%d\0" % len(content) + content)
            else:
                digest.update(b"absent\0")
    return digest.hexdigest()


def _dumped_policy(policy: Policy, named: list[str]) -> Any:
    """The plain form of ``policy``, unless it read a policy its key did not hash."""
    read = {rule_id.split(SEPARATOR, 1)[0] for rule_id in policy.rules if SEPARATOR in rule_id}
    if not read <= set(named):
        raise plain.Unfit("the policy read a file its key does not hash")
    return plain.dump_record(policy, skip=("vocabulary",))


def _checked_policy(policy: Policy, vocabulary: Vocabulary) -> Policy:
    """``policy`` if it holds together as a loaded one does, else :class:`plain.Unfit`."""
    if set(policy.order) != set(policy.rules) or len(policy.order) != len(policy.rules):
        raise plain.Unfit("rules and their order differ")
    if policy.spec.decision not in policy.rules or any(
        finding not in policy.rules for finding in policy.spec.findings
    ):
        raise plain.Unfit("a decision or finding names no rule")
    place = {rule_id: index for index, rule_id in enumerate(policy.order)}
    for rule_id, rule in policy.rules.items():
        if rule.id != rule_id:
            raise plain.Unfit("a rule under another name")
        if any(place.get(ref, len(place)) >= place[rule_id] for ref in rule.rule_refs):
            raise plain.Unfit("a rule uses one that is not before it")
        if any(fact not in vocabulary for fact in rule.facts):
            raise plain.Unfit("a rule names an undeclared fact")
    if any(prop.rule not in policy.rules for prop in policy.properties.values()):
        raise plain.Unfit("a property names no rule")
    return policy


def load_vocabulary_cached(path: str | Path) -> Vocabulary:
    """:func:`~forcecheck.load.vocabulary_loader.load_vocabulary`, from the cache when possible."""
    return _cached(
        Vocabulary,
        path,
        lambda raw: load_vocabulary(path, raw=raw),
        _dump_vocabulary,
        _load_vocabulary,
        None,
        _remember_file,
    )


def load_scenario_cached(path: str | Path, vocabulary: Vocabulary) -> Scenario:
    """:func:`forcecheck.load.scenario_loader.load_scenario`, served from the cache when possible.

    A scenario is validated against the vocabulary only, so the key holds the file and the
    vocabulary's content; which policy judges it is decided afresh every time.
    """
    return _cached(
        Scenario,
        path,
        lambda raw: load_scenario(path, vocabulary, raw=raw),
        plain.dump_record,
        lambda data: _checked_scenario(plain.load_record(Scenario, data), vocabulary),
        vocabulary,
    )


def _checked_scenario(scenario: Scenario, vocabulary: Vocabulary) -> Scenario:
    """``scenario`` if it names only declared facts, else :class:`plain.Unfit`."""
    for account in scenario.accounts.values():
        moments = [account.facts, *(discharge.facts for discharge in account.discharges)]
        if any(fact not in vocabulary for facts in moments for fact in facts):
            raise plain.Unfit("a scenario names an undeclared fact")
    return scenario
