"""Kleene's strong three-valued logic: the laws the engine relies on, checked exhaustively."""

from itertools import product

from hypothesis import given

from forcecheck.model.logic import (
    CODE,
    STATUS_BY_CODE,
    Kleene,
    Outcome,
    Status,
    Value,
    all_of,
    any_of,
    combine_outcomes,
    negate,
)
from forcecheck.model.semantics import meaning

from .strategies import statuses

# Named as the statuses are: U is Value.UNKNOWN in the other test files, so no U here.
MET, UNMET, UNKNOWN = Status.MET, Status.UNMET, Status.UNKNOWN
ORDER = {UNMET: 0, UNKNOWN: 1, MET: 2}  # the truth order: unmet < unknown < met


def implies(condition: Status, consequence: Status) -> Status:
    """``if``/``then`` as the one definition (model/semantics.py) gives it, on statuses."""
    return STATUS_BY_CODE[meaning("if", Kleene(), [CODE[condition], CODE[consequence]])]


def refines(a: Status, b: Status) -> bool:
    """b is a (not necessarily strict) refinement of a: same, or a is unknown."""
    return a is UNKNOWN or a is b


def test_truth_tables() -> None:
    assert (
        all_of([MET, MET]) is MET
        and all_of([MET, UNKNOWN]) is UNKNOWN
        and all_of([UNKNOWN, UNMET]) is UNMET
    )
    assert (
        any_of([UNMET, UNMET]) is UNMET
        and any_of([UNMET, UNKNOWN]) is UNKNOWN
        and any_of([UNKNOWN, MET]) is MET
    )
    assert (negate(MET), negate(UNMET), negate(UNKNOWN)) == (UNMET, MET, UNKNOWN)
    assert all_of([]) is MET and any_of([]) is UNMET


@given(statuses, statuses)
def test_de_morgan(a: Status, b: Status) -> None:
    assert negate(all_of([a, b])) is any_of([negate(a), negate(b)])
    assert negate(any_of([a, b])) is all_of([negate(a), negate(b)])


@given(statuses)
def test_not_is_an_involution(a: Status) -> None:
    assert negate(negate(a)) is a


@given(statuses)
def test_absorbing_and_neutral_elements(a: Status) -> None:
    assert all_of([a, UNMET]) is UNMET and any_of([a, MET]) is MET  # absorption by unmet / met
    assert all_of([a, MET]) is a and any_of([a, UNMET]) is a  # neutral elements


@given(statuses, statuses)
def test_absorption_laws(a: Status, b: Status) -> None:
    assert all_of([a, any_of([a, b])]) is a
    assert any_of([a, all_of([a, b])]) is a


@given(statuses, statuses, statuses)
def test_commutative_and_associative(a: Status, b: Status, c: Status) -> None:
    assert all_of([a, b]) is all_of([b, a]) and any_of([a, b]) is any_of([b, a])
    assert all_of([all_of([a, b]), c]) is all_of([a, all_of([b, c])])
    assert any_of([any_of([a, b]), c]) is any_of([a, any_of([b, c])])


def test_conjunction_is_the_minimum_and_disjunction_the_maximum() -> None:
    for a, b in product(Status, repeat=2):
        assert ORDER[all_of([a, b])] == min(ORDER[a], ORDER[b])
        assert ORDER[any_of([a, b])] == max(ORDER[a], ORDER[b])


def test_every_operator_is_monotone_in_the_information_order() -> None:
    for a, b, a2, b2 in product(Status, repeat=4):
        if refines(a, a2) and refines(b, b2):
            for op in (lambda x, y: all_of([x, y]), lambda x, y: any_of([x, y]), implies):
                assert refines(op(a, b), op(a2, b2))
            assert refines(negate(a), negate(a2))


def test_implication_is_met_when_its_condition_is_unmet() -> None:
    for b in Status:
        assert implies(UNMET, b) is MET
        assert implies(MET, b) is b


def test_value_to_status() -> None:
    assert (Value.TRUE.status, Value.FALSE.status, Value.UNKNOWN.status) == (MET, UNMET, UNKNOWN)


def test_timeline_outcome() -> None:
    a, n, u = Outcome.AUTHORIZED, Outcome.NOT_AUTHORIZED, Outcome.UNDETERMINED
    assert combine_outcomes([a, a]) is a
    assert combine_outcomes([a, u]) is u
    assert combine_outcomes([u, n, a]) is n
