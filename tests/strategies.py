"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from forcecheck.model.logic import Status, Value
from forcecheck.model.policy import Policy
from forcecheck.model.semantics import COMBINATORS, Combinator, Slot
from forcecheck.model.vocabulary import Vocabulary

from .conftest import policy_from_rules, vocabulary_of

statuses = st.sampled_from(list(Status))
values = st.sampled_from(list(Value))


def fact_sets(vocabulary: Vocabulary) -> st.SearchStrategy[dict[str, Value]]:
    """Partial fact sets: any subset of the vocabulary, each with any value."""
    return st.dictionaries(st.sampled_from(vocabulary.ids), values)


def _slot_value(slot: Slot, inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    if slot.takes == "exprs":
        return st.lists(inner, min_size=1, max_size=3)
    if slot.takes == "count":
        return st.integers(1, 3)
    if slot.takes == "choice":
        return st.sampled_from(slot.choices)
    return inner


def _combination(combinator: Combinator, inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Any use of ``combinator``, built from its slots: every combinator is drawn, new ones too."""
    slots = combinator.slots
    return st.tuples(*(_slot_value(slot, inner) for slot in slots)).map(
        lambda values: {slot.key: value for slot, value in zip(slots, values, strict=True)}
    )


def _expr(names: list[str]) -> st.SearchStrategy[Any]:
    # Combinators without parts (`unsettled`) are leaves: about one leaf in ten.
    constants = [_combination(c, st.nothing()) for c in COMBINATORS if not c.expression_slots]
    names_only = st.sampled_from(names)
    leaf = (
        st.integers(0, 9).flatmap(lambda k: st.one_of(*constants) if k == 0 else names_only)
        if constants
        else names_only
    )

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(*(_combination(c, inner) for c in COMBINATORS if c.expression_slots))

    return st.recursive(leaf, extend, max_leaves=8)


@st.composite
def policies(draw: st.DrawFn, max_facts: int = 8, max_rules: int = 5) -> Policy:
    """Random acyclic policies: rule r<i> may use facts and the rules r<j> with j > i."""
    vocabulary = vocabulary_of(draw(st.integers(1, max_facts)))
    count = draw(st.integers(1, max_rules))
    rules: dict[str, Any] = {}
    for index in reversed(range(count)):
        names = [*vocabulary.ids, *(f"r{j}" for j in range(index + 1, count))]
        raw = draw(_expr(names))
        rules[f"r{index}"] = raw if isinstance(raw, dict) else {"all": [raw]}
    ordered = {f"r{i}": rules[f"r{i}"] for i in range(count)}
    return policy_from_rules(ordered, vocabulary, decision="r0")
