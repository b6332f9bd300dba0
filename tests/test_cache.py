"""The policy cache: served from disk when the content is the same, never stale, never fatal."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml

import forcecheck.load.store as store
from forcecheck.engine.explain import decide
from forcecheck.errors import SchemaError
from forcecheck.load import validation
from forcecheck.load.cache import load_policy_cached, load_vocabulary_cached
from forcecheck.load.library import Library
from forcecheck.load.policy_file import PolicyFile
from forcecheck.load.policy_loader import load_policy
from forcecheck.load.vocabulary_loader import VocabularyFile
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.scenario import ScenarioSpec

from .conftest import SCENARIOS


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    # The validators of the file layouts are stored too, the first time each is built in a
    # process: build them before the cache moves here, so tests count loaded files only.
    for layout in (PolicyFile, ScenarioSpec, VocabularyFile):
        validation.validator(layout)
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(directory))
    monkeypatch.delenv("FORCECHECK_NO_CACHE", raising=False)
    return directory


def _entries(directory: Path) -> int:
    return len(list(directory.iterdir())) if directory.exists() else 0


@pytest.fixture
def policy_file(tmp_path: Path, library: Library) -> Path:
    library.vocabulary  # noqa: B018  (loaded first, so that tests count policy entries only)
    copy = tmp_path / "policies" / "dhs-2023.yaml"
    copy.parent.mkdir()
    shutil.copy(library.directory / "dhs-2023.yaml", copy)
    return copy


def test_a_second_load_comes_from_the_cache_and_is_the_same_policy(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    before = _entries(cache_dir)
    first = load_policy_cached(policy_file, library.vocabulary)
    assert _entries(cache_dir) == before + 1
    second = load_policy_cached(policy_file, library.vocabulary)
    assert second is not first
    assert second.rules == first.rules and second.spec == first.spec
    assert second.order == first.order and second.path == first.path
    assert second.vocabulary is library.vocabulary  # not a stored copy


def test_a_changed_file_is_read_afresh(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    load_policy_cached(policy_file, library.vocabulary)
    text = policy_file.read_text()
    # Make the decision rule a plain `not warning_shot`: a different outcome on {}.
    policy_file.write_text(
        text.replace("decision: deadly_force_authorized", "decision: no_warning_shot")
    )
    changed = load_policy_cached(policy_file, library.vocabulary)
    assert changed.spec.decision == "no_warning_shot"
    assert decide(changed, {}) is Outcome.UNDETERMINED
    assert len(list(cache_dir.iterdir())) == 2


def test_an_invalid_file_raises_every_time_and_is_not_cached(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    policy_file.write_text(policy_file.read_text().replace("issuer:", "issuer_typo:"))
    before = _entries(cache_dir)
    for _ in range(2):
        with pytest.raises(SchemaError):
            load_policy_cached(policy_file, library.vocabulary)
    assert _entries(cache_dir) == before


def test_a_corrupt_entry_is_ignored(cache_dir: Path, policy_file: Path, library: Library) -> None:
    first = load_policy_cached(policy_file, library.vocabulary)
    for entry in cache_dir.iterdir():
        entry.write_bytes(b"not JSON")
    assert load_policy_cached(policy_file, library.vocabulary).rules == first.rules


def test_an_unwritable_cache_is_not_an_error(
    tmp_path: Path, policy_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(blocker / "cache"))
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"


def test_the_cache_can_be_turned_off(
    cache_dir: Path, policy_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCECHECK_NO_CACHE", "1")
    before = _entries(cache_dir)
    load_policy_cached(policy_file, library.vocabulary)
    load_vocabulary_cached(library.directory / "facts.yaml")
    assert _entries(cache_dir) == before


def test_vocabularies_are_cached_too(cache_dir: Path, library: Library) -> None:
    path = library.directory / "facts.yaml"
    first = load_vocabulary_cached(path)
    assert _entries(cache_dir) == 1
    second = load_vocabulary_cached(path)
    assert second is not first
    assert second.facts == first.facts and second.path == first.path


def test_scenarios_are_cached_and_a_changed_one_is_read_afresh(
    cache_dir: Path, tmp_path: Path, library: Library
) -> None:
    from forcecheck.load.cache import load_scenario_cached

    library.vocabulary  # noqa: B018  (cached first: count scenario entries only)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("policy: dhs-2023\nfacts:\n  warning_shot: true\n")
    before = _entries(cache_dir)
    first = load_scenario_cached(scenario, library.vocabulary)
    second = load_scenario_cached(scenario, library.vocabulary)
    assert _entries(cache_dir) == before + 1
    assert second is not first and second.spec == first.spec and second.doc == first.doc
    scenario.write_text("policy: dhs-2023\nfacts:\n  warning_shot: false\n")
    changed = load_scenario_cached(scenario, library.vocabulary)
    assert changed.spec.facts is not None
    assert changed.spec.facts["warning_shot"].value is Value.FALSE


def test_the_path_as_given_is_part_of_the_key(
    cache_dir: Path, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The path appears in messages: `./s.yaml` and `s.yaml` must not share an entry.
    from forcecheck.load.cache import load_scenario_cached

    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text("policy: dhs-2023\nfacts: {}\n")
    assert load_scenario_cached("./s.yaml", library.vocabulary).path == "./s.yaml"
    assert load_scenario_cached("s.yaml", library.vocabulary).path == "s.yaml"


#: A well-formed change to a stored policy: its decision becomes another of its rules.
FORGED = ('"decision":"deadly_force_authorized"', '"decision":"no_warning_shot"')


def _forge(directory: Path) -> None:
    """Rewrite every policy entry: its decision becomes another rule (still well-formed)."""
    for entry in directory.iterdir():
        text = entry.read_text()
        if '"decision":"deadly_force_authorized"' in text:
            entry.write_text(text.replace(*FORGED))


def _forged_then_loosened(directory: Path, policy_file: Path, library: Library, mode: int) -> None:
    """A cached policy whose entry was rewritten (another decision); directory ``mode``."""
    load_policy_cached(policy_file, library.vocabulary)
    _forge(directory)
    directory.chmod(mode)


def test_a_cache_directory_others_can_use_is_neither_read_nor_written(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    # As in a shared directory: anyone could have written the entries.
    _forged_then_loosened(cache_dir, policy_file, library, 0o777)
    assert load_policy_cached(policy_file, library.vocabulary).spec.decision == (
        "deadly_force_authorized"
    )
    entries = sorted(p.name for p in cache_dir.iterdir())
    (cache_dir / entries[0]).unlink()
    load_policy_cached(policy_file, library.vocabulary)
    assert sorted(p.name for p in cache_dir.iterdir()) == entries[1:]  # nothing written
    # The user's own private directory is trusted with data: the same entry is served.
    cache_dir.chmod(0o700)
    load_policy_cached(policy_file, library.vocabulary)
    _forge(cache_dir)
    assert load_policy_cached(policy_file, library.vocabulary).spec.decision == "no_warning_shot"


def test_a_cache_directory_owned_by_someone_else_is_not_used(
    cache_dir: Path, policy_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_policy_cached(policy_file, library.vocabulary)
    _forge(cache_dir)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(cache_dir).st_uid + 1)
    assert load_policy_cached(policy_file, library.vocabulary).spec.decision == (
        "deadly_force_authorized"
    )


def test_the_cache_directory_is_created_private(cache_dir: Path, library: Library) -> None:
    load_vocabulary_cached(library.directory / "facts.yaml")
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700


def test_the_suite_itself_uses_a_temporary_cache() -> None:
    # conftest points the cache at a temporary directory: tests never write ~/.cache.
    directory = store.cache_dir()
    assert directory is not None
    assert Path(os.environ["FORCECHECK_CACHE_DIR"]) == directory
    assert "forcecheck-test-cache" in directory.name


def _fill(directory: Path, count: int, size: int) -> list[Path]:
    """``count`` fake entries of ``size`` bytes, the first the least recently used."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"{index:064x}"
        path.write_bytes(b"x" * size)
        os.utime(path, (1_000_000 + index, 1_000_000 + index))
        paths.append(path)
    return paths


def _trim(directory: Path, limit: int) -> None:
    with store.opened() as descriptor:
        assert descriptor is not None
        store.trim(descriptor, limit=limit)


def test_trimming_removes_the_least_recently_used_entries(cache_dir: Path) -> None:
    paths = _fill(cache_dir, 10, 100)
    stranger = cache_dir / "notes.txt"  # not forcecheck's: never touched
    stranger.write_text("mine")
    _trim(cache_dir, limit=1000)  # 1000 bytes in entries: at the limit, kept
    assert all(p.exists() for p in paths)
    _trim(cache_dir, limit=900)  # over: trimmed to three quarters (675 bytes)
    assert [p.exists() for p in paths] == [False] * 4 + [True] * 6
    assert stranger.exists()


def test_a_hit_makes_an_entry_recently_used(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    load_policy_cached(policy_file, library.vocabulary)
    entries = sorted(cache_dir.iterdir())
    for entry in entries:
        os.utime(entry, (1_000_000, 1_000_000))
    load_policy_cached(policy_file, library.vocabulary)  # a hit
    used = [entry for entry in entries if entry.stat().st_mtime > 1_000_000]
    assert len(used) == 1  # the policy's entry, read just now


def test_writing_keeps_the_cache_under_its_limit(
    cache_dir: Path, library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    old = _fill(cache_dir, 20, 5000)
    abandoned = cache_dir / f"{'a' * 64}.123.tmp"
    abandoned.write_bytes(b"partial")
    os.utime(abandoned, (1_000_000, 1_000_000))
    # The vocabulary's own entry is tens of kilobytes (every fact's rule of thumb): the
    # limit leaves room for it and for some, not all, of the 100 kB of old entries.
    monkeypatch.setattr(store, "MAX_CACHE_BYTES", 120_000)
    load_vocabulary_cached(library.directory / "facts.yaml")  # a miss: written, then trimmed
    sizes = sum(p.stat().st_size for p in cache_dir.iterdir())
    assert sizes <= 120_000
    assert not old[0].exists() and old[-1].exists()  # the oldest went first
    assert not abandoned.exists()
    assert load_vocabulary_cached(library.directory / "facts.yaml").ids == library.vocabulary.ids


def test_a_cache_directory_others_can_only_read_is_made_private_and_emptied(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    # As an older forcecheck or a loose umask left it.
    _forged_then_loosened(cache_dir, policy_file, library, 0o755)
    policy = load_policy_cached(policy_file, library.vocabulary)
    assert policy.spec.decision == "deadly_force_authorized"  # old entries discarded
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert _entries(cache_dir) == 1  # and the cache works again: the policy was written
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"


def test_a_stored_validator_schema_that_is_refused_is_built_afresh(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    from forcecheck.load.scenario_loader import load_scenario

    monkeypatch.setattr(validation, "_VALIDATORS", {})
    key = store.key("validator", "forcecheck.model.scenario.ScenarioSpec", b"")
    store.save(key, {"type": "no-such-schema"})
    assert validation.validator(ScenarioSpec) is not None
    scenario = load_scenario(SCENARIOS / "training/01-armed-attacker.yaml", library.vocabulary)
    assert scenario.spec.title
    assert store.load(key)["type"] != "no-such-schema"  # replaced by the real one


# ---------------------------------------------------------------- a policy that reads others

IMMUNITY = "supremacy-clause-immunity"
#: The files the immunity view reads: itself and the two policies it names.
IMMUNITY_FILES = (f"{IMMUNITY}.yaml", "8cfr-287-8.yaml", "constitutional-floor.yaml")


@pytest.fixture
def immunity_file(tmp_path: Path, library: Library) -> Path:
    library.vocabulary  # noqa: B018  (loaded first, so that tests count policy entries only)
    folder = tmp_path / "policies"
    folder.mkdir()
    for name in IMMUNITY_FILES:
        shutil.copy(library.directory / name, folder / name)
    return folder / f"{IMMUNITY}.yaml"


def test_the_immunity_view_is_cached_with_the_policies_it_reads(
    cache_dir: Path, immunity_file: Path, library: Library
) -> None:
    before = _entries(cache_dir)
    first = load_policy_cached(immunity_file, library.vocabulary)
    assert _entries(cache_dir) == before + 3  # itself and the two policies it reads
    second = load_policy_cached(immunity_file, library.vocabulary)
    assert second is not first
    assert (second.rules, second.spec, second.order) == (first.rules, first.spec, first.order)
    assert _entries(cache_dir) == before + 3


@pytest.mark.parametrize("edited", ["8cfr-287-8", "constitutional-floor"])
def test_an_edit_to_a_policy_the_immunity_view_reads_is_seen(
    cache_dir: Path, immunity_file: Path, library: Library, edited: str
) -> None:
    load_policy_cached(immunity_file, library.vocabulary)
    referenced = immunity_file.parent / f"{edited}.yaml"
    text = referenced.read_text()
    rule = "  deadly_force_authorized:\n    title: "
    assert rule in text  # each one's decision, which the immunity view copies in
    referenced.write_text(text.replace(rule, rule + "Edited, ", 1))
    changed = load_policy_cached(immunity_file, library.vocabulary)
    assert changed.rules[f"{edited}.deadly_force_authorized"].title.startswith("Edited, ")
    fresh = load_policy(immunity_file, library.vocabulary)
    assert (changed.rules, changed.spec) == (fresh.rules, fresh.spec)


def test_a_reference_the_key_cannot_see_is_never_stored(
    cache_dir: Path, immunity_file: Path, library: Library
) -> None:
    """A key written with a JSON escape (\\u0070olicy) hides the reference from the key."""
    data = yaml.safe_load(immunity_file.read_text())
    hidden = immunity_file.with_suffix(".json")
    text = json.dumps(data, default=str).replace('"policy":', '"\\u0070olicy":')
    immunity_file.unlink()
    hidden.write_text(text)
    before = _entries(cache_dir)
    policy = load_policy_cached(hidden, library.vocabulary)
    assert any(rule_id.startswith("8cfr-287-8.") for rule_id in policy.rules)
    assert _entries(cache_dir) == before + 2  # the two policies it reads; not itself
