"""How the interview's ranking does with "unknown" answers, and how long a question takes.

Run with forcecheck installed:  python bench/interview_rank.py [--optimum] [POLICY ...]

For each policy (default: 8cfr-287-8, cbp-2014, dhs-2023): the expected and worst number of
questions of `forcecheck interview`'s plan over every fact set of the two models of
forcecheck.analysis.interview_space — yes/no answers only, and yes, no and unknown alike —
and, with --optimum, the exact optimum with unknowns (minutes: 8cfr-287-8 takes seconds,
cbp-2014 a few minutes, dhs-2023 does not finish in tens of minutes). Then the longest time
one question took (CPU and wall clock) over interviews from nothing answered at random,
the first question of each with the policy's space not yet built. Then, over the training
drills without a timeline, the questions asked answered from the drill's own facts (settled)
and with the first question answered "unknown". Prints Markdown (as in docs/training.md).
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

from forcecheck.analysis import interview_rank
from forcecheck.analysis.interview import Interview
from forcecheck.analysis.interview_cost import interview_plan, optimal_cost, plan_cost
from forcecheck.load.library import Library, policy_for_scenario, shipped
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.model.logic import Value
from forcecheck.model.settling import settle

DRILLS = Path(__file__).resolve().parent.parent / "scenarios" / "training"
ANSWERS = (Value.TRUE, Value.FALSE, Value.UNKNOWN)


def costs(library: Library, ids: list[str], optimum: bool) -> None:
    """The plan's costs in both models, and the optimum with unknowns if asked."""
    print("| policy | yes/no: expected | worst | with unknown: expected | worst | optimum |")
    print("|---|---|---|---|---|---|")
    for policy_id in ids:
        policy = library.get(policy_id)
        yes_no = plan_cost(policy, interview_plan(policy))
        unknown = plan_cost(policy, interview_plan(policy), unknown=True)
        best = "not run"
        if optimum:
            started = time.perf_counter()
            found = optimal_cost(policy, unknown=True)
            took = time.perf_counter() - started
            best = f"{found.expected:.3f} / {found.worst} ({took:.0f} s)"
        print(
            f"| `{policy_id}` | {yes_no.expected:.3f} | {yes_no.worst} "
            f"| {unknown.expected:.3f} | {unknown.worst} | {best} |"
        )


def timing(library: Library, ids: list[str], runs: int = 5) -> None:
    """The longest a question took, CPU and wall clock, the first of each run included."""
    print("\n| policy | questions timed | longest (CPU) | longest (wall) | first (CPU) |")
    print("|---|---|---|---|---|")
    chance = random.Random(21)
    for policy_id in ids:
        policy = library.get(policy_id)
        longest_cpu = longest_wall = first_cpu = 0.0
        asked = 0
        for _ in range(runs):
            interview_rank._RANKERS.clear()  # the first question builds the space again
            interview = Interview(policy)
            while True:
                cpu, wall = time.process_time(), time.perf_counter()
                question = interview.next_question()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if not interview.answers:
                    first_cpu = max(first_cpu, cpu)
                if question is None:
                    break
                asked += 1
                longest_cpu, longest_wall = max(longest_cpu, cpu), max(longest_wall, wall)
                interview.answer(question.fact, chance.choice(ANSWERS))
        print(
            f"| `{policy_id}` | {asked} | {longest_cpu:.2f} s | {longest_wall:.2f} s "
            f"| {first_cpu:.2f} s |"
        )


def drills(library: Library) -> None:
    """Questions over the drills without a timeline, as answered and unknown first."""
    plain = unknown_first = determined = count = 0
    rows = []
    for path in sorted(DRILLS.glob("*.yaml")):
        scenario = load_scenario(path, library.vocabulary)
        account = next(iter(scenario.accounts.values()))
        if account.discharges:
            continue
        stated = {k: e.value for k, e in account.facts.items()}
        known = {k: v for k, v in stated.items() if v is not Value.UNKNOWN}
        truth = {**stated, **settle(library.vocabulary, known).values}
        policy = policy_for_scenario(scenario, library)
        counts = []
        for first_unknown in (False, True):
            interview = Interview(policy, start=replace(account, facts={}))
            while (question := interview.next_question()) is not None:
                value = truth.get(question.fact, Value.UNKNOWN)
                if first_unknown and not interview.answers:
                    value = Value.UNKNOWN
                interview.answer(question.fact, value)
            counts.append(len(interview.answers))
            if not first_unknown and interview.outcome.value != "undetermined":
                determined += 1
        count += 1
        plain += counts[0]
        unknown_first += counts[1]
        rows.append((path.stem, policy.id, *counts))
    print(f"\n{count} drills: {plain} questions answered from the drills ({determined} end")
    print(f"determined), {unknown_first} with the first question answered unknown.\n")
    print("| drill | policy | answered | first unknown |")
    print("|---|---|---|---|")
    for stem, policy_id, answered, first in rows:
        print(f"| {stem} | `{policy_id}` | {answered} | {first} |")


def main() -> None:
    """Costs, timing and drills for the policies named (or the default three)."""
    args = sys.argv[1:]
    optimum = "--optimum" in args
    ids = [a for a in args if not a.startswith("--")] or ["8cfr-287-8", "cbp-2014", "dhs-2023"]
    library = shipped()
    costs(library, ids, optimum)
    timing(library, ids)
    drills(library)


if __name__ == "__main__":
    main()
