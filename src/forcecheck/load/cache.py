"""A disk cache of loaded policies, vocabularies and scenarios, to start quickly.

Reading a policy file means parsing YAML in pure Python and validating it: several
milliseconds a file, paid by every command, and by a scenario chosen by date and agency
once per policy in the library. The loaded objects are kept, pickled, in the disk store
(forcecheck.load.store), under a key that hashes the file's bytes and its path (the path appears
in messages), for a policy or a scenario the content of the vocabulary it was checked
against, and the code that read it. Invalid files are never cached: their errors come from
reading them afresh every time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from forcecheck.load import store
from forcecheck.load.policy_loader import load_policy
from forcecheck.load.reader import read_input
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.load.vocabulary_loader import load_vocabulary
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario
from forcecheck.model.vocabulary import Vocabulary

T = TypeVar("T")


def _vocabulary_fingerprint(vocabulary: Vocabulary) -> str:
    # The repr of a frozen dataclass lists every field: equal text, equal vocabulary.
    return f"{vocabulary.path}|{vocabulary.facts!r}"


def _cached(
    kind: type[T], path: str | Path, load: Callable[[bytes], T], vocabulary: Vocabulary | None
) -> T:
    """What ``load(raw)`` returns for the file at ``path``, from the store when it holds it.

    ``vocabulary`` is what the file was checked against (None for the vocabulary itself):
    its content is part of the key, and the loaded object's reference to it is not stored.
    """
    raw = read_input(path)[1]  # read once (stdin), bounded; a bad file is reported here
    extra = "" if vocabulary is None else _vocabulary_fingerprint(vocabulary)
    key = store.key(kind.__name__.lower(), str(path), raw, extra)
    found = store.load(key, vocabulary)
    if isinstance(found, kind):
        return found
    loaded = load(raw)  # parsed from the very bytes the key hashes
    store.save(key, loaded, vocabulary)
    return loaded


def load_policy_cached(path: str | Path, vocabulary: Vocabulary) -> Policy:
    """:func:`forcecheck.load.policy_loader.load_policy`, served from the cache when possible."""
    return _cached(Policy, path, lambda raw: load_policy(path, vocabulary, raw=raw), vocabulary)


def load_vocabulary_cached(path: str | Path) -> Vocabulary:
    """:func:`~forcecheck.load.vocabulary_loader.load_vocabulary`, from the cache when possible."""
    return _cached(Vocabulary, path, lambda raw: load_vocabulary(path, raw=raw), None)


def load_scenario_cached(path: str | Path, vocabulary: Vocabulary) -> Scenario:
    """:func:`forcecheck.load.scenario_loader.load_scenario`, served from the cache when possible.

    A scenario is validated against the vocabulary only, so the key holds the file and the
    vocabulary's content; which policy judges it is decided afresh every time.
    """
    return _cached(Scenario, path, lambda raw: load_scenario(path, vocabulary, raw=raw), vocabulary)
