"""The shipped vocabulary holds the contract's 19 core facts."""

from forcecheck.load.library import Library

CORE_FACTS = [
    "subject_fleeing",
    "subject_armed",
    "subject_threatened_deadly_force",
    "threat_only_to_property_or_self",
    "threat_ended",
    "significant_threat_if_escapes",
    "escape_poses_imminent_danger",
    "necessary_to_prevent_escape",
    "shot_at_vehicle",
    "vehicle_moving_toward_person",
    "person_in_vehicle_path",
    "person_struck_or_dragged",
    "could_avoid_vehicle",
    "officer_placed_self_in_path",
    "shot_solely_to_disable_vehicle",
    "other_defense_available",
    "warning_shot",
    "verbal_warning_given",
    "verbal_warning_feasible",
]


def test_all_core_facts_are_declared_boolean_with_a_question(library: Library) -> None:
    vocabulary = library.vocabulary
    assert set(CORE_FACTS) <= set(vocabulary.ids)
    for fact_id in CORE_FACTS:
        fact = vocabulary.facts[fact_id]
        assert fact.type == "boolean"
        assert fact.question.endswith("?") and fact.description


def test_core_questions_keep_their_meaning(library: Library) -> None:
    facts = library.vocabulary.facts
    assert facts["could_avoid_vehicle"].question == (
        "Could the endangered person reasonably have moved out of the vehicle's path, or let go "
        "of it?"
    )
    assert facts["escape_poses_imminent_danger"].question.startswith(
        "Was there probable cause to believe that the subject's escape would pose an imminent "
        "danger"
    )
