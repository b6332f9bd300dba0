"""Hypothesis strategies that generate valid input for a policy: fact sets and scenarios.

For a policy repository's own property tests, e.g. "a warning shot is never authorized"::

    from hypothesis import given
    from forcecheck.engine.explain import evaluate
    from forcecheck.model.logic import Outcome
    from forcecheck.testing import fact_sets

    @given(fact_sets(policy, used_only=True, fixed={"warning_shot": True}))
    def test_no_warning_shot(facts):
        assert evaluate(policy, facts).outcome is not Outcome.AUTHORIZED

Everything generated respects the vocabulary: only declared fact ids, only the values
``true``, ``false`` and ``unknown``, and only combinations the vocabulary allows (see
:func:`possible`). Facts shrink towards *not addressed*, so a failing example comes out with
as few facts as hypothesis can manage.

Needs hypothesis (forcecheck's ``test`` extra); nothing else in forcecheck imports this.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from forcecheck.errors import UnknownFactError, did_you_mean
from forcecheck.load.library import active, policy_from_ref
from forcecheck.load.scenario_loader import build_scenario
from forcecheck.model.document import Document
from forcecheck.model.logic import Value, parse_value
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import MAX_ACCOUNTS, MAX_DISCHARGES, Scenario
from forcecheck.model.settling import settle
from forcecheck.model.vocabulary import Vocabulary
from forcecheck.testing.failures import FactSet

#: A policy, or a reference to one: a shipped policy id, or a path to a policy file.
PolicyRef = Policy | str | Path
#: A value to hold a fact at: true/false/"unknown" (or a Value), or None for "not addressed".
FixedValue = Value | bool | str | None

# libyaml's dumper when PyYAML has it: the pure-Python one dominates generation time.
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: The names given to generated accounts, in order; further ones are numbered.
ACCOUNT_NAMES = ("agency", "video", "witness", "court-record")
#: Where a generated scenario claims to come from (only used in messages).
GENERATED_PATH = "<generated>.yaml"

# The first choice is the one hypothesis shrinks to: "not addressed", then unknown.
_ABSENT = None
_CHOICES: tuple[Value | None, ...] = (_ABSENT, Value.UNKNOWN, Value.FALSE, Value.TRUE)
_YAML_VALUES: dict[Value, bool | str] = {
    Value.TRUE: True,
    Value.FALSE: False,
    Value.UNKNOWN: "unknown",
}


def resolve_policy(policy: PolicyRef) -> Policy:
    """A loaded policy: ``policy`` itself, or the policy id or policy file it names.

    A policy file uses the ``facts.yaml`` beside it, if it has one (as everywhere in
    forcecheck); to use a whole directory of your own, load it with
    ``forcecheck.load.library.Library(path).get(policy_id)`` and pass the policy.
    """
    if isinstance(policy, Policy):
        return policy
    return policy_from_ref(str(policy), active())


def possible(vocabulary: Vocabulary, facts: Mapping[str, Value]) -> bool:
    """Whether ``facts`` is a combination of values the vocabulary allows.

    A vocabulary may declare **exclusions**, combinations its facts' meanings make
    impossible (``shot_solely_to_disable_vehicle: true`` with ``shot_at_vehicle: false``);
    scenarios holding one are refused, as are those whose values break one once the values
    they settle are settled (:mod:`forcecheck.model.settling`). Every strategy here filters
    through this function, so none generates one.
    """
    if vocabulary.broken_exclusion(facts) is not None:
        return False
    return settle(vocabulary, facts).broken is None


def fact_sets(
    source: PolicyRef | Vocabulary,
    *,
    used_only: bool = False,
    fixed: Mapping[str, FixedValue] | None = None,
    not_addressed: bool = True,
) -> st.SearchStrategy[dict[str, Value]]:
    """Fact sets (fact id -> value) that a scenario could give, in vocabulary order.

    Each is a :class:`~forcecheck.testing.failures.FactSet`, a dict that prints as
    ``FactSet(warning_shot=true)``: a failing example shows only the facts given.

    ``source`` is a policy (or its id or path) or a vocabulary. With ``used_only``, only the
    facts some rule of the policy names are drawn; otherwise every fact of the vocabulary.
    ``fixed`` holds facts at a value in every example (``None``: always left out, i.e. not
    addressed). With ``not_addressed=False`` every drawn fact is given a value; by default a fact
    may also be left out. Fixed facts are kept even when ``used_only`` would leave them out.
    """
    vocabulary, facts = _scope(source, used_only)
    held = fixed_values(vocabulary, fixed or {})
    free = tuple(fact for fact in facts if fact not in held)
    choices = _CHOICES if not_addressed else _CHOICES[1:]
    if not possible(vocabulary, {f: v for f, v in held.items() if v is not None}):
        # Otherwise every example would be filtered out, and hypothesis would only say so.
        raise InvalidArgument(f"`fixed` holds a combination the vocabulary excludes: {fixed}")
    drawn = st.fixed_dictionaries({fact: st.sampled_from(choices) for fact in free})

    def fact_set(values: dict[str, Value | None]) -> dict[str, Value]:
        merged = {**values, **held}
        # A FactSet prints short, in pytest and in hypothesis's failing example.
        return FactSet((f, v) for f in vocabulary.ids if (v := merged.get(f)) is not None)

    return drawn.map(fact_set).filter(lambda found: possible(vocabulary, found))


def fixed_values(
    vocabulary: Vocabulary, fixed: Mapping[str, FixedValue]
) -> dict[str, Value | None]:
    """``fixed`` checked against the vocabulary, its values as :class:`Value` (or None)."""
    held: dict[str, Value | None] = {}
    for fact, raw in fixed.items():
        if fact not in vocabulary:
            raise UnknownFactError(
                f"`fixed` names an unknown fact '{fact}'",
                help=did_you_mean(fact, vocabulary.ids)
                or f"the facts are declared in {vocabulary.path}",
            )
        held[fact] = None if raw is None else raw if isinstance(raw, Value) else parse_value(raw)
    return held


def _scope(source: PolicyRef | Vocabulary, used_only: bool) -> tuple[Vocabulary, tuple[str, ...]]:
    if isinstance(source, Vocabulary):
        if used_only:
            raise InvalidArgument("used_only=True needs a policy, not a vocabulary")
        return source, source.ids
    policy = resolve_policy(source)
    return policy.vocabulary, policy.facts_used if used_only else policy.vocabulary.ids


def scenario_data(
    policy: PolicyRef,
    *,
    used_only: bool = False,
    fixed: Mapping[str, FixedValue] | None = None,
    not_addressed: bool = True,
    form: Literal["minimal", "accounts"] = "minimal",
    max_accounts: int = 3,
    max_discharges: int = 0,
    policy_ref: str | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Scenario documents as plain data (what a scenario file holds), ready to dump.

    ``form="minimal"`` gives top-level ``facts`` (one account, ``default``); ``"accounts"``
    gives 1 to ``max_accounts`` named accounts (agency, video, witness, ...). Each account
    (or the minimal form) has up to ``max_discharges`` discharges, each overriding some
    facts; fixed facts are never overridden, so every evaluation sees them. The scenario's
    ``policy:`` is ``policy_ref`` if given, else the shipped policy's id, else the policy
    file's absolute path (none for a policy built in memory).
    """
    if form not in ("minimal", "accounts"):
        raise InvalidArgument(f"form must be 'minimal' or 'accounts', not {form!r}")
    if not 1 <= max_accounts <= MAX_ACCOUNTS:
        raise InvalidArgument(f"max_accounts must be between 1 and {MAX_ACCOUNTS}")
    if not 0 <= max_discharges <= MAX_DISCHARGES:
        raise InvalidArgument(f"max_discharges must be between 0 and {MAX_DISCHARGES}")
    chosen = resolve_policy(policy)
    vocabulary, facts = _scope(chosen, used_only)
    held = fixed_values(vocabulary, fixed or {})
    base = fact_sets(chosen, used_only=used_only, fixed=fixed, not_addressed=not_addressed)
    free = tuple(fact for fact in facts if fact not in held)
    overrides = st.fixed_dictionaries({fact: st.sampled_from(_CHOICES) for fact in free})
    ref = policy_ref if policy_ref is not None else _reference(chosen)

    @st.composite
    def account(draw: st.DrawFn) -> dict[str, Any]:
        given = draw(base)
        body: dict[str, Any] = {"facts": _as_yaml(given)}
        discharges = []
        for number in range(1, draw(st.integers(0, max_discharges)) + 1):
            changed = {f: v for f, v in draw(overrides).items() if v is not None}
            assume(possible(vocabulary, given | changed))
            discharges.append({"id": f"shot-{number}", "facts": _as_yaml(changed)})
        if discharges:
            body["discharges"] = discharges
        return body

    @st.composite
    def scenario(draw: st.DrawFn) -> dict[str, Any]:
        data: dict[str, Any] = {"policy": ref} if ref else {}
        if form == "minimal":
            return data | draw(account())
        count = draw(st.integers(1, max_accounts))
        data["accounts"] = {account_name(i): draw(account()) for i in range(count)}
        return data

    return scenario()


def account_name(index: int) -> str:
    """The name of the ``index``-th generated account (from 0)."""
    return ACCOUNT_NAMES[index] if index < len(ACCOUNT_NAMES) else f"account-{index + 1}"


def scenario_texts(
    policy: PolicyRef,
    *,
    used_only: bool = False,
    fixed: Mapping[str, FixedValue] | None = None,
    not_addressed: bool = True,
    form: Literal["minimal", "accounts"] = "minimal",
    max_accounts: int = 3,
    max_discharges: int = 0,
    policy_ref: str | None = None,
) -> st.SearchStrategy[str]:
    """Scenario files as YAML text that ``forcecheck evaluate`` accepts.

    Arguments as for :func:`scenario_data`. Write one to a ``.yaml`` file to run it.
    """
    return scenario_data(
        policy,
        used_only=used_only,
        fixed=fixed,
        not_addressed=not_addressed,
        form=form,
        max_accounts=max_accounts,
        max_discharges=max_discharges,
        policy_ref=policy_ref,
    ).map(lambda data: yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True))


def scenarios(
    policy: PolicyRef,
    *,
    used_only: bool = False,
    fixed: Mapping[str, FixedValue] | None = None,
    not_addressed: bool = True,
    form: Literal["minimal", "accounts"] = "minimal",
    max_accounts: int = 3,
    max_discharges: int = 0,
    policy_ref: str | None = None,
) -> st.SearchStrategy[Scenario]:
    """Validated :class:`~forcecheck.model.scenario.Scenario` objects.

    Arguments as for :func:`scenario_data`. Each is validated as a scenario file is
    (built from the same data :func:`scenario_texts` writes out, without the YAML round
    trip, which would cost twenty times as much). Evaluate one with
    ``forcecheck.engine.evaluation.evaluate_scenario(scenario, policy)``.
    """
    chosen = resolve_policy(policy)
    vocabulary = chosen.vocabulary
    return scenario_data(
        chosen,
        used_only=used_only,
        fixed=fixed,
        not_addressed=not_addressed,
        form=form,
        max_accounts=max_accounts,
        max_discharges=max_discharges,
        policy_ref=policy_ref,
    ).map(lambda data: build_scenario(Document(GENERATED_PATH, data), vocabulary))


def _as_yaml(facts: Mapping[str, Value]) -> dict[str, bool | str]:
    return {fact: _YAML_VALUES[value] for fact, value in facts.items()}


def _reference(policy: Policy) -> str | None:
    """How a generated scenario names ``policy``: its id if in the active library, else its path."""
    path = Path(policy.path)
    if not path.is_file():
        return None
    library = active()
    if path.resolve().parent == library.directory.resolve() and policy.id in library.ids():
        return policy.id
    return str(path.resolve())
