"""How many questions `forcecheck interview` asks, against the best possible interview.

Run with forcecheck installed:  python bench/interview_cost.py

For each shipped policy: the expected and worst number of yes/no questions, over every
true/false truth the vocabulary's exclusions allow (all equally likely), of the interview's
plan and of the optimal adaptive interview (exact; see
forcecheck.analysis.interview_cost), and the time the optimum took. Prints a Markdown table
(as in docs/training.md).
"""

from __future__ import annotations

import time

from forcecheck.analysis.interview_cost import interview_plan, optimal_cost, plan_cost
from forcecheck.load.library import shipped


def main() -> None:
    """Print the comparison for every shipped policy."""
    library = shipped()
    print(
        "| policy | interview: expected | optimum: expected | ratio | interview: worst "
        "| optimum: worst | optimum took |"
    )
    print("|---|---|---|---|---|---|---|")
    for policy in library.policies():
        started = time.perf_counter()
        best = optimal_cost(policy)
        took = time.perf_counter() - started
        ours = plan_cost(policy, interview_plan(policy))
        print(
            f"| `{policy.id}` | {ours.expected:.3f} | {best.expected:.3f} "
            f"| {ours.expected / best.expected:.3f} | {ours.worst} | {best.worst} | {took:.1f} s |"
        )


if __name__ == "__main__":
    main()
