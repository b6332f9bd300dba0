"""The dhs-2023 decision written by hand in Python: the baseline every figure is a ratio to.

Three-valued facts as Python values: ``True``, ``False``, and ``None`` (or absent) for
unknown. Each condition of ``policy/dhs-2023.yaml`` is one local, in Kleene's strong logic,
written the way a careful programmer would write it without a rules engine. The benchmark
checks that it agrees with forcecheck on every input it times.
"""

from __future__ import annotations

from collections.abc import Mapping

AUTHORIZED, NOT_AUTHORIZED, UNDETERMINED = "authorized", "not_authorized", "undetermined"


def decide(facts: Mapping[str, bool | None]) -> str:
    """authorized, not_authorized or undetermined under dhs-2023."""
    get = facts.get
    threatened = get("subject_threatened_deadly_force")
    ended = get("threat_ended")
    moving = get("vehicle_moving_toward_person")
    in_path = get("person_in_vehicle_path")
    struck = get("person_struck_or_dragged")

    # vehicle_threat: any(all(moving toward a person, person in its path), struck or dragged)
    if (moving is True and in_path is True) or struck is True:
        vehicle_threat: bool | None = True
    elif (moving is False or in_path is False) and struck is False:
        vehicle_threat = False
    else:
        vehicle_threat = None

    # the subject's vehicle threat: all(subject_driving, vehicle_threat)
    driving = get("subject_driving")
    if driving is True and vehicle_threat is True:
        drove_at: bool | None = True
    elif driving is False or vehicle_threat is False:
        drove_at = False
    else:
        drove_at = None

    # imminent_threat: all(any(threatened, the subject's vehicle threat), not threat_ended)
    if (threatened is True or drove_at is True) and ended is False:
        imminent: bool | None = True
    elif (threatened is False and drove_at is False) or ended is True:
        imminent = False
    else:
        imminent = None

    # fleeing_subject_exception: all(fleeing, significant threat, necessary)
    fleeing = get("subject_fleeing")
    significant = get("significant_threat_if_escapes")
    necessary = get("necessary_to_prevent_escape")
    if fleeing is True and significant is True and necessary is True:
        fleeing_exception: bool | None = True
    elif fleeing is False or significant is False or necessary is False:
        fleeing_exception = False
    else:
        fleeing_exception = None

    # lawful_basis: any(imminent_threat, fleeing_subject_exception)
    if imminent is True or fleeing_exception is True:
        lawful: bool | None = True
    elif imminent is False and fleeing_exception is False:
        lawful = False
    else:
        lawful = None

    # vehicle_exception: any(threatened, all(vehicle_threat, not ended, not could_avoid))
    avoid = get("could_avoid_vehicle")
    if vehicle_threat is True and ended is False and avoid is False:
        no_alternative: bool | None = True
    elif vehicle_threat is False or ended is True or avoid is True:
        no_alternative = False
    else:
        no_alternative = None
    if threatened is True or no_alternative is True:
        vehicle_exception: bool | None = True
    elif threatened is False and no_alternative is False:
        vehicle_exception = False
    else:
        vehicle_exception = None

    # moving_vehicle_rule: if shot_at_vehicle then vehicle_exception
    shot_at_vehicle = get("shot_at_vehicle")
    if shot_at_vehicle is False or vehicle_exception is True:
        vehicle_rule: bool | None = True
    elif shot_at_vehicle is True and vehicle_exception is False:
        vehicle_rule = False
    else:
        vehicle_rule = None

    # verbal_warning_rule: if feasible then given
    feasible = get("verbal_warning_feasible")
    given = get("verbal_warning_given")
    if feasible is False or given is True:
        warning_rule: bool | None = True
    elif feasible is True and given is False:
        warning_rule = False
    else:
        warning_rule = None

    # The prohibitions: each is met when its fact is false.
    alternative = get("other_defense_available")
    property_only = get("threat_only_to_property_or_self")
    disabling = get("shot_solely_to_disable_vehicle")
    warning_shot = get("warning_shot")

    # deadly_force_authorized: all of the above.
    if (
        lawful is False
        or alternative is True
        or property_only is True
        or vehicle_rule is False
        or disabling is True
        or warning_shot is True
        or warning_rule is False
    ):
        return NOT_AUTHORIZED
    if (
        lawful is True
        and alternative is False
        and property_only is False
        and vehicle_rule is True
        and disabling is False
        and warning_shot is False
        and warning_rule is True
    ):
        return AUTHORIZED
    return UNDETERMINED


#: A fact set that authorizes: the subject threatened deadly force, and no prohibition
#: applies (the benchmark leans its random inputs towards it).
AUTHORIZING: dict[str, bool] = {
    "subject_threatened_deadly_force": True,
    "threat_ended": False,
    "other_defense_available": False,
    "threat_only_to_property_or_self": False,
    "shot_at_vehicle": False,
    "shot_solely_to_disable_vehicle": False,
    "warning_shot": False,
    "verbal_warning_feasible": True,
    "verbal_warning_given": True,
}
