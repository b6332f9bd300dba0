"""How long `forcecheck verify` takes: each shipped policy, and generated policies of 60 facts.

Run with forcecheck installed:  python bench/verify_scale.py [--facts 60] [--seeds 5]

The generated policies have the shape of the real ones, only larger: a decision that is the
conjunction of a dozen limits; limits built from `all`, `any`, `not` and `if`/`then` over
facts and shared sub-rules (three layers deep); every fact used; a few exclusions; and
twenty declared properties, some of which fail (so that counterexamples are searched for).
Brute force would need 3**60 (about 4e28) evaluations per property.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date
from typing import Any

from forcecheck.checks.verify import ProofResult, verify_policy
from forcecheck.load.library import shipped
from forcecheck.load.policy_loader import build_policy
from forcecheck.model.document import Document
from forcecheck.model.policy import Policy
from forcecheck.model.vocabulary import Exclusion, Fact, Vocabulary

CITATION = {"source": "src", "section": "1", "quote": "q", "wording": "secondary"}


def generated_policy(n_facts: int = 60, seed: int = 0) -> Policy:
    """A policy-shaped rule set over ``n_facts`` facts, with exclusions and properties."""
    rng = random.Random(seed)
    facts = [f"f{i:02d}" for i in range(n_facts)]
    unused = facts[:]
    rng.shuffle(unused)

    def leaf() -> Any:
        fact = unused.pop() if unused else rng.choice(facts)
        return {"not": fact} if rng.random() < 0.3 else fact

    rules: dict[str, dict[str, Any]] = {}
    layers: list[list[str]] = []
    for depth, count in enumerate((8, 10, 12)):
        names = []
        for index in range(count):
            name = f"r{depth}_{index}"
            below = [r for layer in layers for r in layer]
            size = rng.randint(2, 4)
            parts = [rng.choice(below)] if below and rng.random() < 0.6 else []
            parts += [leaf() for _ in range(size - len(parts))]
            kind = rng.choice(["all", "any", "if", "all", "any"])
            if kind == "if":
                rules[name] = {"if": parts[0], "then": {"any": parts[1:]}}
            else:
                rules[name] = {kind: parts}
            names.append(name)
        layers.append(names)
    rules["decision"] = {"all": layers[-1] + [leaf() for _ in range(len(unused))]}

    exclusions = {
        f"x{i}": Exclusion(statement="generated", facts=dict.fromkeys(rng.sample(facts, 2), True))
        for i in range(5)
    }
    properties = {}
    for i in range(20):
        fixed = {f: rng.choice([True, False]) for f in rng.sample(facts, rng.randint(1, 3))}
        claim = rng.choice([{"is_not": "met"}, {"at_most": "unknown"}, {"is": "unmet"}])
        properties[f"p{i}"] = {
            "statement": "generated",
            "citation": CITATION,
            "given": {"facts": fixed},
            **claim,
        }
    data = {
        "id": "generated",
        "title": "Generated policy",
        "document": "generated",
        "issuer": "bench",
        "agencies": ["TEST"],
        "effective": date(2000, 1, 1),
        "sources": {"src": {"title": "source"}},
        "decision": "decision",
        "rules": {rid: {"title": rid, "citation": CITATION, **expr} for rid, expr in rules.items()},
        "properties": properties,
    }
    vocabulary = Vocabulary(
        {f: Fact(question=f"{f}?") for f in facts}, path="<generated>", exclusions=exclusions
    )
    return build_policy(Document(path="<generated>", data=data), vocabulary)


def timed(policy: Policy) -> tuple[float, dict[ProofResult, int]]:
    """Seconds to verify ``policy`` (encoding included), and the verdicts."""
    start = time.perf_counter()
    result = verify_policy(policy)
    elapsed = time.perf_counter() - start
    counts = {v: sum(r.verdict is v for r in result.results) for v in ProofResult}
    return elapsed, counts


def main() -> None:
    """Time the shipped policies, then generated ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    print("shipped policies (19 facts each):")
    for policy in shipped().policies():
        elapsed, counts = timed(policy)
        print(f"  {policy.id:22} {elapsed * 1000:8.1f} ms  {len(policy.properties) + 2} properties")
    print(f"generated policies ({args.facts} facts):")
    times = []
    for seed in range(args.seeds):
        policy = generated_policy(args.facts, seed)
        elapsed, counts = timed(policy)
        times.append(elapsed)
        shown = ", ".join(f"{n} {v}" for v, n in counts.items())
        print(f"  seed {seed}: {len(policy.rules)} rules  {elapsed * 1000:8.1f} ms  ({shown})")
    print(f"  median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
