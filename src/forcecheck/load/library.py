"""Finding policies: the shipped library, a user's own files, and the one a scenario needs.

The shipped policies and vocabulary travel inside the installed package as
``forcecheck/policy``; in a source checkout they are read from ``policy/`` directly. A
policy can also be named by path, so a separate policy repository can use forcecheck
without copying anything into it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from forcecheck.errors import Location, UnknownPolicyError, did_you_mean
from forcecheck.load.cache import load_policy_cached, load_vocabulary_cached
from forcecheck.load.input_bytes import check_regular_file
from forcecheck.load.reader import INPUT_SUFFIXES
from forcecheck.model.binding import LAYER_ORDER
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario
from forcecheck.model.vocabulary import Vocabulary

VOCABULARY_FILE = "facts.yaml"
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
                if path.suffix in POLICY_SUFFIXES and path.name != VOCABULARY_FILE
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
    """Whether ``policy`` was in force on ``day`` (None when the day is not known)."""
    if day is None:
        return None
    spec = policy.spec
    return spec.effective <= day and (spec.superseded is None or day < spec.superseded)


def in_force(policy: Policy, agency: str, on: date) -> bool:
    """Whether ``policy`` bound ``agency`` on the date ``on``."""
    agencies = {a.upper() for a in policy.spec.agencies}
    return (agency.upper() in agencies or "ALL" in agencies) and bool(in_force_on(policy, on))


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
    return layers[0]


def binding_layers(library: Library, agency: str, on: date) -> list[Policy]:
    """Every policy that bound ``agency`` on ``on``, most specific layer first."""
    bound = [
        p for p in library.policies() if p.spec.layer in LAYER_ORDER and in_force(p, agency, on)
    ]
    return sorted(
        bound, key=lambda p: (LAYER_ORDER.index(p.spec.layer), -p.spec.effective.toordinal())
    )


def scenario_layers(
    scenario: Scenario, library: Library, override: str | None = None
) -> list[Policy]:
    """The policies to report a scenario under, the main one first.

    Every binding layer when date and agency choose the policy; just the chosen policy when
    ``--policy`` or the scenario's own ``policy:`` names one.
    """
    spec = scenario.spec
    if override or spec.policy or spec.date is None or spec.agency is None:
        return [policy_for_scenario(scenario, library, override)]
    layers = binding_layers(library, spec.agency, spec.date)
    return layers or [policy_for_scenario(scenario, library, override)]
