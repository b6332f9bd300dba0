"""forcecheck: check uses of deadly force against the written policy that governs them.

The library is usable on its own::

    from forcecheck.load.library import shipped, policy_for_scenario
    from forcecheck.model.scenario import load_scenario
    from forcecheck.engine.evaluation import evaluate_scenario

    library = shipped()
    scenario = load_scenario("scenarios/training/01-armed-attacker.yaml", library.vocabulary)
    result = evaluate_scenario(scenario, policy_for_scenario(scenario, library))
    print(result.outcome)
"""

__version__ = "0.1.0"
