"""Finding policies: the shipped library, a user's own files, and the one a scenario needs.

The shipped policies and vocabulary travel inside the installed package as
``forcecheck/policy``; in a source checkout they are read from ``policy/`` directly. A
policy can also be named by path, so a separate policy repository can use forcecheck
without copying anything into it.

Which library a command uses (:func:`active`) is decided once, in one order
(:func:`policy_home`): the directory given on the command line (``--policies-dir``, or
pytest's ``-o forcecheck_policies=``), else the ``FORCECHECK_POLICIES`` environment variable,
else the ``forcecheck_policies`` setting of pytest's configuration file
(:mod:`forcecheck.load.project_settings`), else the shipped library.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from forcecheck.errors import Location, UnknownPolicyError, did_you_mean
from forcecheck.load.cache import load_policy_cached, load_vocabulary_cached
from forcecheck.load.input_bytes import check_regular_file
from forcecheck.load.project_settings import (
    POLICIES_ENV,
    SETTING,
    PolicyHome,
    configured_policies,
    policy_home,
)
from forcecheck.load.reader import INPUT_SUFFIXES
from forcecheck.model.binding import BESIDE_ORDER, LAYER_ORDER, StateLawGap, names_place
from forcecheck.model.dates import Uncertainty, in_force, latest_date
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario
from forcecheck.model.us_states import state_named
from forcecheck.model.vocabulary import Vocabulary

VOCABULARY_FILE = "facts.yaml"
#: The phrase lexicon of `forcecheck draft`, beside the vocabulary: not a policy.
LEXICON_FILE = "lexicon.yaml"
#: The policy used when nothing names one (``interview`` and ``new`` without --policy).
DEFAULT_POLICY = "dhs-2023"
POLICY_SUFFIXES = INPUT_SUFFIXES


def shipped_policy_dir() -> Path:
    """The directory holding the shipped policies and vocabulary."""
    installed = Path(__file__).resolve().parents[1] / "policy"
    if installed.is_dir():
        return installed
    # A source checkout (or an editable install): src/forcecheck/load -> repository root.
    return Path(__file__).resolve().parents[3] / "policy"


class Library:
    """A directory of policy files sharing one vocabulary (``facts.yaml``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._policies: dict[str, Policy] = {}

    @property
    def vocabulary(self) -> Vocabulary:
        """The vocabulary every policy of this library uses."""
        return _vocabulary(self.directory / VOCABULARY_FILE)

    def ids(self) -> tuple[str, ...]:
        """Every policy id in the library, sorted."""
        return tuple(
            sorted(
                path.stem
                for path in self.directory.iterdir()
                if path.suffix in POLICY_SUFFIXES
                and path.name not in (VOCABULARY_FILE, LEXICON_FILE)
            )
        )

    def get(self, policy_id: str, location: Location | None = None) -> Policy:
        """The policy with this id; an UnknownPolicyError (with a suggestion) if none."""
        if policy_id not in self._policies:
            ids = self.ids()
            if policy_id not in ids:
                raise UnknownPolicyError(
                    f"unknown policy '{policy_id}'",
                    location=location,
                    help=did_you_mean(policy_id, ids) or "available policies: " + ", ".join(ids),
                )
            path = next(
                self.directory / f"{policy_id}{suffix}"
                for suffix in POLICY_SUFFIXES
                if (self.directory / f"{policy_id}{suffix}").exists()
            )
            self._policies[policy_id] = load_policy_cached(path, self.vocabulary)
        return self._policies[policy_id]

    def policies(self) -> tuple[Policy, ...]:
        """Every policy of the library, loaded."""
        return tuple(self.get(policy_id) for policy_id in self.ids())


@cache
def _vocabulary(path: Path) -> Vocabulary:
    return load_vocabulary_cached(path)


@cache
def shipped() -> Library:
    """The library shipped with forcecheck."""
    return Library(shipped_policy_dir())


def library_at(home: PolicyHome) -> Library:
    """The library of ``home``; an UnknownPolicyError if it has no vocabulary."""
    if home.directory is None:
        return shipped()
    if not (home.directory / VOCABULARY_FILE).is_file():
        said = (
            f"{home.origin} names {home.directory}"
            if home.origin != SETTING
            else (f"{SETTING} = {home.directory}")
        )
        raise UnknownPolicyError(
            f"{said}, which has no {VOCABULARY_FILE}",
            location=home.location,
            help="name the directory that holds your policies and their vocabulary "
            f"({VOCABULARY_FILE}); see docs/testing.md, 'Where forcecheck finds policies'",
        )
    return Library(home.directory.absolute())


_chosen: list[Path] = []


def choose_policies_dir(directory: Path | None) -> None:
    """Set (or, with None, clear) the command line's ``--policies-dir`` for :func:`active`."""
    _chosen[:] = [] if directory is None else [directory]


def active() -> Library:
    """The library this process uses here: the first of :func:`policy_home`'s order.

    Kept per directory, variable and choice: a program that changes directory (a test, a
    notebook) finds the repository it is in, and a loop asking again pays nothing.
    """
    chosen = _chosen[0] if _chosen else None
    return _active(chosen, Path.cwd(), os.environ.get(POLICIES_ENV))


@cache
def _active(chosen: Path | None, cwd: Path, named: str | None) -> Library:
    environ = {} if named is None else {POLICIES_ENV: named}
    home = policy_home(chosen, environ, lambda: configured_policies(cwd), cwd=cwd)
    return library_at(home)


#: A scenario's own top-level ``policy:`` line, as files write it (one line, plain or quoted).
_POLICY_LINE = re.compile(rb"""^policy:[ \t]*['"]?([^'"\r\n#]+?)['"]?[ \t]*(?:#.*)?$""", re.M)


def scenario_library(file: Path, default: Library) -> Library:
    """The library whose vocabulary a scenario file is read against.

    A scenario naming its policy by a path into a directory with its own ``facts.yaml`` (a
    repository of one's own, named from outside it) is read against that vocabulary, as the
    policy is; every other scenario against ``default``. Standard input is not peeked at.
    """
    if str(file) == "-" or not file.is_file():
        return default
    with file.open("rb") as stream:
        head = stream.read(64 * 1024)
    found = _POLICY_LINE.search(head)
    if found is None:
        return default
    ref = found.group(1).decode("utf-8", "replace").strip()
    if not looks_like_path(ref):
        return default
    target = Path(ref) if Path(ref).is_absolute() else file.parent / ref
    directory = target.parent
    if (
        directory / VOCABULARY_FILE
    ).is_file() and directory.resolve() != default.directory.resolve():
        return _library_of(directory.resolve())
    return default


@cache
def _library_of(directory: Path) -> Library:
    return Library(directory)


def default_policy_id(library: Library) -> str:
    """The policy used when nothing names one (``interview``, ``new``).

    :data:`DEFAULT_POLICY` when the library has it; else the library's only policy.
    """
    ids = library.ids()
    if DEFAULT_POLICY in ids or not ids:
        return DEFAULT_POLICY
    if len(ids) == 1:
        return ids[0]
    raise UnknownPolicyError(
        f"{library.directory} has several policies and none is the default",
        help="name one with --policy: " + ", ".join(ids),
    )


def looks_like_path(ref: str) -> bool:
    """Whether a policy reference names a file rather than an id."""
    return ref.endswith(POLICY_SUFFIXES) or "/" in ref or "\\" in ref


def policy_from_ref(
    ref: str,
    library: Library,
    *,
    relative_to: Path | None = None,
    location: Location | None = None,
) -> Policy:
    """A policy named by id (in ``library``) or by path (relative to ``relative_to``)."""
    if not looks_like_path(ref):
        return library.get(ref, location)
    path = Path(ref)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if not path.exists():
        raise UnknownPolicyError(
            f"no policy file '{ref}'",
            location=location,
            help="name a policy by id (see `forcecheck policies`) or by an existing path",
        )
    if location is not None:
        # Said at the scenario's `policy:` line: /dev/zero there is the scenario's mistake.
        check_regular_file(path, location, subject=f"the policy file '{ref}' ")
    # A user's policy uses the vocabulary beside it, if it has one, else the library's.
    own = path.parent / VOCABULARY_FILE
    vocabulary = _vocabulary(own.resolve()) if own.exists() else library.vocabulary
    return load_policy_cached(path, vocabulary)


def in_force_on(policy: Policy, day: date | None) -> bool | None:
    """Whether ``policy`` was in force on ``day``.

    None when the day is not known, or falls inside one of the policy's date ranges (see
    :func:`binds`).
    """
    if day is None:
        return None
    found = in_force(policy.spec.effective, policy.spec.superseded, day)
    return found if isinstance(found, bool) else None


def binds(policy: Policy, agency: str, on: date) -> bool | Uncertainty:
    """Whether ``policy`` bound ``agency`` on ``on``.

    True, False, or an Uncertainty when ``on`` falls inside one of its date ranges (it may
    have bound that day).
    """
    agencies = {a.upper() for a in policy.spec.agencies}
    if agency.upper() not in agencies and "ALL" not in agencies:
        return False
    return in_force(policy.spec.effective, policy.spec.superseded, on)


@dataclass(frozen=True)
class Binding:
    """A policy a scenario is judged under, and, if it only may bind, why."""

    policy: Policy
    #: None when it certainly binds (or was named); else the date range that leaves it open.
    uncertain: Uncertainty | None = None


def policy_for_scenario(
    scenario: Scenario, library: Library, override: str | None = None
) -> Policy:
    """The policy to judge a scenario by.

    In order: ``override`` (the CLI's ``--policy``), the scenario's own ``policy:``, then
    the policy that bound the scenario's ``agency`` on its ``date``.
    """
    if override:
        return policy_from_ref(override, library)
    spec = scenario.spec
    here = Path(scenario.path).parent
    if spec.policy:
        return policy_from_ref(
            spec.policy, library, relative_to=here, location=scenario.doc.locate(("policy",))
        )
    available = ", ".join(library.ids())
    if spec.date is None or spec.agency is None:
        raise UnknownPolicyError(
            "the scenario names no policy, and has no `date` and `agency` to choose one by",
            location=scenario.doc.locate(()),
            help=f"add `policy: ID` to the file or pass --policy ID (available: {available})",
        )
    layers = binding_layers(library, spec.agency, spec.date)
    if not layers:
        raise UnknownPolicyError(
            f"no policy binds {spec.agency} on {spec.date.isoformat()}",
            location=scenario.doc.locate(("date",)),
            help=f"name one with `policy:` or --policy (available: {available})",
        )
    return layers[0].policy


def binding_layers(
    library: Library, agency: str, on: date, place: str | None = None
) -> list[Binding]:
    """Every policy that bound, or may have bound, ``agency`` on ``on``; then those beside.

    The federal layers first: those that certainly bound, most specific layer first (newest
    first within a layer); then those that may have (a date range covers ``on``), in the
    same order. So the first is the most specific policy known to bind, whenever one is.
    Then, when ``place`` names a state whose law is in the library, that state's law in
    force on ``on``, and the immunity view beside it (:data:`BESIDE_ORDER`).
    """
    federal: list[Binding] = []
    beside: list[Binding] = []
    for policy in library.policies():
        layer = policy.spec.layer
        if layer == "state" and not names_place(policy, place):
            continue
        if layer not in LAYER_ORDER and layer not in BESIDE_ORDER:
            continue
        verdict = binds(policy, agency, on)
        if verdict is False:
            continue
        chosen = Binding(policy) if verdict is True else Binding(policy, verdict)
        (federal if layer in LAYER_ORDER else beside).append(chosen)

    def order(within: tuple[str, ...]) -> Callable[[Binding], tuple[bool, int, int]]:
        return lambda b: (
            b.uncertain is not None,
            within.index(b.policy.spec.layer),
            -(latest_date(b.policy.spec.effective) or date.min).toordinal(),
        )

    if not any(b.policy.spec.layer == "state" for b in beside):
        beside = []  # the immunity view answers whether a state's law reaches the agent
    return sorted(federal, key=order(LAYER_ORDER)) + sorted(beside, key=order(BESIDE_ORDER))


def state_law_gap(
    library: Library, place: str | None, layers: Sequence[Binding]
) -> StateLawGap | None:
    """Why ``layers`` (chosen by a scenario's date and agency) hold no state's law.

    None when they hold one, or the scenario gives no place. The encoded states are read
    from the library's state laws' ``places`` (the state each names), never listed here.
    """
    if not place or any(b.policy.spec.layer == "state" for b in layers):
        return None
    laws = [p for p in library.policies() if p.spec.layer == "state"]
    encoded = sorted(
        {state_named(name) or name for law in laws for name in law.spec.places if len(name) > 2}
    )
    state = state_named(place)
    # The place may name a state whose law is encoded but was not in force that day.
    ours = tuple(law.id for law in laws if names_place(law, place))
    if ours and state is None:
        named = (state_named(name) for law in laws if law.id in ours for name in law.spec.places)
        state = next((found for found in named if found), None)
    return StateLawGap(place, state, tuple(encoded), ours)


#: The word for every policy in ``--policies``.
ALL_POLICIES = "all"


def every_policy(scenario: Scenario, library: Library) -> list[Binding]:
    """What ``--policies all`` names.

    With a date and an agency, every policy that bound or may have bound the agency that day
    (:func:`binding_layers`); without either, every policy of the library, benchmarks too,
    most specific layer first.
    """
    spec = scenario.spec
    if spec.date is not None and spec.agency is not None:
        return binding_layers(library, spec.agency, spec.date, spec.place)
    order = (*LAYER_ORDER, "benchmark", *BESIDE_ORDER)
    return [
        Binding(policy)
        for policy in sorted(
            library.policies(),
            key=lambda p: (
                order.index(p.spec.layer),
                -(latest_date(p.spec.effective) or date.min).toordinal(),
            ),
        )
    ]


def named_policies(scenario: Scenario, refs: Sequence[str], library: Library) -> list[Binding]:
    """The policies ``--policies`` names, in order, each once.

    ``all`` stands for :func:`every_policy`, and may be given beside other ids or paths.
    """
    found: dict[int, Binding] = {}
    for ref in refs:
        chosen = (
            every_policy(scenario, library)
            if ref == ALL_POLICIES
            else [Binding(policy_from_ref(ref, library))]
        )
        for binding in chosen:
            found.setdefault(id(binding.policy), binding)
    return list(found.values())


def scenario_layers(
    scenario: Scenario, library: Library, override: str | None = None
) -> list[Binding]:
    """The policies to report a scenario under, the main one first.

    Every binding layer (and every one that may bind) when date and agency choose the
    policy; just the chosen policy when ``--policy`` or the scenario's own ``policy:``
    names one.
    """
    spec = scenario.spec
    if override or spec.policy or spec.date is None or spec.agency is None:
        return [Binding(policy_for_scenario(scenario, library, override))]
    layers = binding_layers(library, spec.agency, spec.date, spec.place)
    if layers and layers[0].policy.spec.layer in LAYER_ORDER:
        return layers
    # No federal layer: the error says so (a state's law alone is never the main policy).
    return [Binding(policy_for_scenario(scenario, library, override))]
