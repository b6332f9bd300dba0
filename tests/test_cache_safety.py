"""The cache under attack: nothing read back runs code, no link is followed, nothing stale.

Each test plays a hostile local user (another uid, a folder others can write, a symbolic
link, a planted entry) or a changed input, as issue 17 found them.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import forcecheck.load.store as store
from forcecheck.errors import ContradictionError
from forcecheck.load import validation
from forcecheck.load.cache import (
    load_policy_cached,
    load_scenario_cached,
    load_vocabulary_cached,
)
from forcecheck.load.library import Library
from forcecheck.load.policy_file import PolicyFile
from forcecheck.load.policy_loader import load_policy
from forcecheck.load.vocabulary_loader import VocabularyFile
from forcecheck.model.scenario import ScenarioSpec

from .conftest import ROOT

#: A well-formed change to a stored policy: its decision becomes another of its rules.
FORGED = ('"decision":"deadly_force_authorized"', '"decision":"no_warning_shot"')
#: A uid nobody on this machine uses: "another user".
OTHER_UID = 54_321
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown"
)


class _Payload:
    """Unpickling this runs code: it creates the file ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    for layout in (PolicyFile, ScenarioSpec, VocabularyFile):
        validation.validator(layout)  # stored before the cache moves: count loaded files only
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(directory))
    monkeypatch.delenv("FORCECHECK_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def policy_file(tmp_path: Path, library: Library) -> Path:
    library.vocabulary  # noqa: B018  (loaded first, so that tests count policy entries only)
    copy = tmp_path / "policies" / "dhs-2023.yaml"
    copy.parent.mkdir()
    shutil.copy(library.directory / "dhs-2023.yaml", copy)
    return copy


def _entry_names(directory: Path) -> list[str]:
    if not directory.exists():
        return []
    return sorted(p.name for p in directory.iterdir() if len(p.name) == 64)


def _cached_policy(directory: Path, policy_file: Path, library: Library) -> list[str]:
    """Fill the cache with ``policy_file``'s entry; the names of the entries there."""
    load_policy_cached(policy_file, library.vocabulary)
    names = _entry_names(directory)
    assert names
    return names


# ---------------------------------------------------------------- no code from an entry


def test_a_pickle_planted_in_the_users_own_cache_runs_no_code(
    cache_dir: Path, policy_file: Path, library: Library, tmp_path: Path
) -> None:
    marker = tmp_path / "code-ran"
    for name in _cached_policy(cache_dir, policy_file, library):
        (cache_dir / name).write_bytes(pickle.dumps(_Payload(marker)))
    policy = load_policy_cached(policy_file, library.vocabulary)
    assert not marker.exists()
    assert policy.id == "dhs-2023" and policy.decision.id == "deadly_force_authorized"


def test_a_pickle_planted_in_the_immunity_views_entry_runs_no_code(
    cache_dir: Path, library: Library, tmp_path: Path
) -> None:
    """The immunity view (it reads two other policies) is stored like any policy: JSON only."""
    library.vocabulary  # noqa: B018
    folder = tmp_path / "policies"
    folder.mkdir()
    for name in ("supremacy-clause-immunity", "8cfr-287-8", "constitutional-floor"):
        shutil.copy(library.directory / f"{name}.yaml", folder / f"{name}.yaml")
    immunity = folder / "supremacy-clause-immunity.yaml"
    marker = tmp_path / "code-ran"
    for name in _cached_policy(cache_dir, immunity, library):
        (cache_dir / name).write_bytes(pickle.dumps(_Payload(marker)))
    policy = load_policy_cached(immunity, library.vocabulary)
    assert not marker.exists()
    fresh = load_policy(immunity, library.vocabulary)
    assert (policy.rules, policy.spec, policy.order) == (fresh.rules, fresh.spec, fresh.order)


def test_entries_are_plain_json_data(cache_dir: Path, policy_file: Path, library: Library) -> None:
    for name in _cached_policy(cache_dir, policy_file, library):
        stored = json.loads((cache_dir / name).read_text(encoding="utf-8"))
        assert stored["key"] == name and "value" in stored


@pytest.mark.parametrize(
    "forge",
    [
        lambda value: {**value, "rules": "not rules"},
        lambda value: {**value, "order": value["order"][1:]},  # a rule left out
        lambda value: {**value, "order": list(reversed(value["order"]))},
        lambda value: {**value, "spec": {**value["spec"], "effective": "yesterday"}},
        lambda value: {**value, "extra": 1},
        lambda value: {k: v for k, v in value.items() if k != "path"},
        lambda value: {**value, "vocabulary": {}},
        lambda value: [[[[[[[]]]]]]] * 3,
    ],
    ids=["type", "missing-rule", "order", "date", "extra", "missing", "given", "shape"],
)
def test_a_forged_or_corrupt_entry_is_a_miss(
    cache_dir: Path, policy_file: Path, library: Library, forge: object
) -> None:
    (name,) = _cached_policy(cache_dir, policy_file, library)
    entry = cache_dir / name
    stored = json.loads(entry.read_text())
    stored["value"] = forge(stored["value"])  # type: ignore[operator]
    entry.write_text(json.dumps(stored))
    policy = load_policy_cached(policy_file, library.vocabulary)
    fresh = load_policy(policy_file, library.vocabulary)
    assert (policy.spec, policy.rules, policy.order) == (fresh.spec, fresh.rules, fresh.order)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_deeply_nested_entry_is_a_miss(
    cache_dir: Path, policy_file: Path, library: Library, depth: int
) -> None:
    (name,) = _cached_policy(cache_dir, policy_file, library)
    nested = "[" * depth + "]" * depth
    (cache_dir / name).write_text(f'{{"format": 3, "key": "{name}", "value": {nested}}}')
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    (cache_dir / name).write_text(
        f'{{"format": 3, "key": "{name}", "value": {{"rules": {nested}}}}}'
    )
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"


def test_an_entry_that_is_truncated_or_of_another_key_is_a_miss(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    (name,) = _cached_policy(cache_dir, policy_file, library)
    entry = cache_dir / name
    text = entry.read_bytes()
    entry.write_bytes(text[: len(text) // 2])
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    entry.write_bytes(text.replace(name.encode(), b"0" * 64, 1))
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    assert entry.read_bytes() == text  # and stored again, whole


def test_an_entry_over_the_size_bound_is_neither_written_nor_read(
    cache_dir: Path, policy_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _entry_names(cache_dir)
    monkeypatch.setattr(store, "MAX_ENTRY_BYTES", 1000)
    load_policy_cached(policy_file, library.vocabulary)
    assert _entry_names(cache_dir) == before  # the policy's entry holds more: not written
    monkeypatch.undo()
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(cache_dir))
    (name,) = _cached_policy(cache_dir, policy_file, library)
    monkeypatch.setattr(store, "MAX_ENTRY_BYTES", 1000)
    entry = cache_dir / name
    entry.write_text(entry.read_text().replace(*FORGED))
    assert load_policy_cached(policy_file, library.vocabulary).spec.decision == (
        "deadly_force_authorized"
    )


def test_a_stored_validator_naming_other_code_is_never_resolved(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, library: Library, tmp_path: Path
) -> None:
    from forcecheck.load.scenario_loader import load_scenario

    marker = tmp_path / "code-ran"
    key = store.key("validator", "forcecheck.model.scenario.ScenarioSpec", b"")
    # A pickle under the validator's key, as the cache held before.
    monkeypatch.setattr(validation, "_VALIDATORS", {})
    cache_dir.mkdir(mode=0o700)
    cache_dir.joinpath(key).write_bytes(pickle.dumps(_Payload(marker)))
    assert validation.validator(ScenarioSpec) is not None
    assert not marker.exists()
    for hostile in (
        {"$ref": "posix:system"},
        {"$ref": "builtins:eval"},
        {"$ref": "forcecheck.model.scenario:dt.date"},  # imported there, not defined there
        {"$ref": "forcecheck.model.scenario:Account.__init__.__globals__"},
        {"$ref": "forcecheck.model.logic:Status.__class__"},
        {"$ref": "forcecheck.load.vocabulary_loader:load_vocabulary"},  # reads files
        {"$member": ["forcecheck.model.logic:Status", "maybe"]},
    ):
        monkeypatch.setattr(validation, "_VALIDATORS", {})
        store.save(
            key,
            {
                "type": "function-plain",
                "function": {"type": "no-info", "function": hostile},
            },
        )
        validator = validation.validator(ScenarioSpec)
        scenario = load_scenario(
            ROOT / "scenarios/training/01-armed-attacker.yaml", library.vocabulary
        )
        assert scenario.spec.title and validator is not None
        assert store.load(key) != {"type": "function-plain", "function": hostile}


@pytest.mark.parametrize("layout", [PolicyFile, ScenarioSpec, VocabularyFile])
def test_every_stored_validator_reads_back_as_the_schema_pydantic_made(layout: type) -> None:
    from forcecheck.load import schema_store

    schema = validation._without_metadata(validation.adapter(layout).core_schema)
    stored = json.loads(json.dumps(schema_store.plain(schema)))
    assert schema_store.rebuild(stored) == schema


@pytest.mark.parametrize("where", ["bad\0name", "bad\ud800name", "relative/cache"])
def test_an_odd_cache_path_is_no_error(
    policy_file: Path,
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    # (No environment holds a NUL or a lone surrogate: the path is given directly.)
    monkeypatch.setattr(store, "cache_dir", lambda: Path(where))
    for _ in range(2):
        assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    if where == "relative/cache":  # taken from the working directory, and used
        assert len(_entry_names(tmp_path / where)) == 1


# ---------------------------------------------------------------- the directory


@as_root
def test_a_cache_folder_another_user_owns_is_not_used(
    cache_dir: Path, policy_file: Path, library: Library, tmp_path: Path
) -> None:
    marker = tmp_path / "code-ran"
    names = _cached_policy(cache_dir, policy_file, library)
    for name in names:
        (cache_dir / name).write_bytes(pickle.dumps(_Payload(marker)))
    os.chown(cache_dir, OTHER_UID, OTHER_UID)
    for name in names:
        os.chown(cache_dir / name, OTHER_UID, OTHER_UID)
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    assert not marker.exists()
    assert _entry_names(cache_dir) == names  # nothing written there either


@as_root
def test_an_entry_another_user_owns_is_not_read(
    cache_dir: Path, policy_file: Path, library: Library
) -> None:
    (name,) = _cached_policy(cache_dir, policy_file, library)
    entry = cache_dir / name
    entry.write_text(entry.read_text().replace(*FORGED))
    os.chown(entry, OTHER_UID, OTHER_UID)
    assert load_policy_cached(policy_file, library.vocabulary).spec.decision == (
        "deadly_force_authorized"
    )


@as_root
@pytest.mark.parametrize("planted", ["pickle", "forged"])
def test_swapping_the_folder_after_it_was_checked_changes_nothing(
    cache_dir: Path,
    policy_file: Path,
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    planted: str,
) -> None:
    """XDG_CACHE_HOME in a folder another user can write: they swap the cache folder."""
    marker = tmp_path / "code-ran"
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    directory = shared / "forcecheck"
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(directory))
    (name,) = _cached_policy(directory, policy_file, library)
    theirs = shared / "theirs"
    theirs.mkdir(mode=0o700)
    if planted == "pickle":
        theirs.joinpath(name).write_bytes(pickle.dumps(_Payload(marker)))
    else:
        text = directory.joinpath(name).read_text()
        theirs.joinpath(name).write_text(text.replace(*FORGED))
    os.chown(theirs, OTHER_UID, OTHER_UID)
    os.chown(theirs / name, OTHER_UID, OTHER_UID)
    checked = os.stat(directory)
    swapped: list[bool] = []

    def swap() -> None:
        if not swapped:
            swapped.append(True)
            os.rename(directory, shared / "mine")
            os.rename(theirs, directory)

    # The swap happens right after forcecheck looks at its folder, by path or descriptor.
    real_stat, real_fstat = os.stat, os.fstat

    def stat_then_swap(path: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if (info.st_dev, info.st_ino) == (checked.st_dev, checked.st_ino):
            swap()
        return info

    def fstat_then_swap(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        if (info.st_dev, info.st_ino) == (checked.st_dev, checked.st_ino):
            swap()
        return info

    monkeypatch.setattr(os, "stat", stat_then_swap)
    monkeypatch.setattr(os, "fstat", fstat_then_swap)
    policy = load_policy_cached(policy_file, library.vocabulary)
    monkeypatch.undo()
    assert swapped, "the folder was never looked at"
    assert not marker.exists()
    assert policy.spec.decision == "deadly_force_authorized"


def test_a_symlink_to_another_folder_of_the_user_is_neither_made_private_nor_emptied(
    cache_dir: Path, policy_file: Path, library: Library, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    victim = tmp_path / "victim-project"
    victim.mkdir()
    victim.chmod(0o755)
    precious = victim / ("a" * 64)  # a file that happens to look like an entry
    precious.write_text("the user's own data")
    link = tmp_path / "link"
    link.symlink_to(victim)
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(link))
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o755
    assert precious.read_text() == "the user's own data"
    assert sorted(p.name for p in victim.iterdir()) == [precious.name]


def test_a_symlink_in_a_folder_others_can_write_is_not_followed(
    policy_file: Path, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"  # as /tmp, or a group-writable XDG_CACHE_HOME
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim"
    (victim / "forcecheck").mkdir(parents=True)
    (victim / "forcecheck").chmod(0o755)
    precious = victim / "forcecheck" / ("b" * 64)
    precious.write_text("keep me")
    (shared / "cachehome").symlink_to(victim)
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(shared / "cachehome" / "forcecheck"))
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    assert stat.S_IMODE((victim / "forcecheck").stat().st_mode) == 0o755
    assert [p.name for p in (victim / "forcecheck").iterdir()] == [precious.name]


def test_a_loose_folder_in_a_folder_others_can_write_is_left_alone(
    policy_file: Path, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another user could have moved one of the user's folders here: never chmod or empty it.
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # writable by all, and not sticky
    loose = shared / "forcecheck"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    precious = loose / ("c" * 64)
    precious.write_text("keep me")
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(loose))
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    assert stat.S_IMODE(loose.stat().st_mode) == 0o755
    assert [p.name for p in loose.iterdir()] == [precious.name]


def test_a_symlink_the_user_made_in_their_own_folder_is_followed(
    policy_file: Path, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ~/.cache pointing at another disk: the cache works there (made private on creation).
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    elsewhere = tmp_path / "disk"
    elsewhere.mkdir(mode=0o700)
    (home / ".cache").symlink_to(elsewhere)
    monkeypatch.setenv("FORCECHECK_CACHE_DIR", str(home / ".cache" / "forcecheck"))
    load_policy_cached(policy_file, library.vocabulary)
    assert len(_entry_names(elsewhere / "forcecheck")) == 1


def test_a_symlink_entry_is_never_followed_and_is_removed_when_emptied(
    cache_dir: Path, policy_file: Path, library: Library, tmp_path: Path
) -> None:
    marker = tmp_path / "code-ran"
    (name,) = _cached_policy(cache_dir, policy_file, library)
    outside = tmp_path / "outside"
    outside.write_bytes(pickle.dumps(_Payload(marker)))
    (cache_dir / name).unlink()
    (cache_dir / name).symlink_to(outside)
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    assert not marker.exists()
    # A folder loosened (others may read it) is emptied: the link goes, not what it names.
    (cache_dir / name).unlink()
    (cache_dir / name).symlink_to(outside)
    cache_dir.chmod(0o755)
    assert load_policy_cached(policy_file, library.vocabulary).id == "dhs-2023"
    assert not marker.exists()
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert not (cache_dir / name).is_symlink() and outside.exists()


def test_a_pipe_planted_as_an_entry_does_not_hang(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "FORCECHECK_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "forcecheck", "evaluate", "-f", "json",
               "scenarios/training/01-armed-attacker.yaml"]  # fmt: skip
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    for name in _entry_names(cache):
        (cache / name).unlink()
        os.mkfifo(cache / name, 0o600)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert (again.returncode, again.stdout) == (0, first.stdout)


# ---------------------------------------------------------------- never stale


def test_a_changed_exclusion_is_seen_by_the_next_evaluate(tmp_path: Path) -> None:
    # `evaluate` reads the shipped facts.yaml: run a copy of forcecheck beside a copy of it.
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    facts = tmp_path / "policy" / "facts.yaml"
    shipped = facts.read_text()
    exclusion = (
        "  disabling_shot_is_at_vehicle:\n"
        "    statement: >-\n"
        "      A shot aimed solely at disabling the vehicle is a shot at that (moving) vehicle.\n"
        "    facts: {shot_solely_to_disable_vehicle: true, shot_at_vehicle: false}\n"
    )
    assert exclusion in shipped
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "policy: dhs-2023\nfacts:\n  shot_solely_to_disable_vehicle: true\n"
        "  shot_at_vehicle: false\n"
    )
    env = {
        **os.environ,
        "FORCECHECK_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(tmp_path / "src"),
    }
    command = [sys.executable, "-m", "forcecheck", "evaluate", "-f", "json", str(scenario)]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    facts.write_text(shipped.replace(exclusion, ""))
    allowed = run()
    assert allowed.returncode == 0, allowed.stderr  # and now cached
    assert len(_entry_names(tmp_path / "cache")) >= 2
    facts.write_text(shipped)
    refused = run()
    assert refused.returncode == 3 and "disabling_shot_is_at_vehicle" in refused.stderr
    facts.write_text(shipped.replace(exclusion, ""))
    assert run().stdout == allowed.stdout


def test_a_changed_exclusion_is_seen_by_the_cached_loaders(cache_dir: Path, tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    base = "facts:\n  a: {question: 'A?'}\n  b: {question: 'B?'}\n"
    scenario = tmp_path / "s.yaml"
    scenario.write_text("facts: {a: true, b: true}\n")
    facts.write_text(base)
    load_scenario_cached(scenario, load_vocabulary_cached(facts))
    facts.write_text(
        base + "exclusions:\n  x:\n    statement: never both\n    facts: {a: true, b: true}\n"
    )
    with pytest.raises(ContradictionError):
        load_scenario_cached(scenario, load_vocabulary_cached(facts))
