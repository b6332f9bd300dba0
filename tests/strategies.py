"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from forcecheck.model.logic import Status, Value
from forcecheck.model.policy import Policy
from forcecheck.model.vocabulary import Vocabulary

from .conftest import policy_from_rules, vocabulary_of

statuses = st.sampled_from(list(Status))
values = st.sampled_from(list(Value))


def fact_sets(vocabulary: Vocabulary) -> st.SearchStrategy[dict[str, Value]]:
    """Partial fact sets: any subset of the vocabulary, each with any value."""
    return st.dictionaries(st.sampled_from(vocabulary.ids), values)


def _expr(names: list[str]) -> st.SearchStrategy[Any]:
    leaf = st.sampled_from(names)

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        parts = st.lists(inner, min_size=1, max_size=3)
        return st.one_of(
            parts.map(lambda p: {"all": p}),
            parts.map(lambda p: {"any": p}),
            inner.map(lambda p: {"not": p}),
            st.tuples(inner, inner).map(lambda t: {"if": t[0], "then": t[1]}),
        )

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
