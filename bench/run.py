"""Benchmark forcecheck against hand-written Python and general rule engines.

    pip install -e '.[bench]'
    python bench/run.py              # full run: rewrites the results in docs/performance.md
    python bench/run.py --smoke      # a few seconds: proves the script works

Every figure is a ratio to a baseline measured in the same process, interleaved batch by
batch (the machine is shared and noisy): the dhs-2023 decision written by hand
(bench/handwritten.py) for evaluation costs, ``python -c "import pydantic, typer, yaml,
tabulate"`` for start-up. Every engine is checked to give forcecheck's outcome on every
input it is timed on. Each general engine runs in its own process (some of their native
libraries cannot share one).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import handwritten  # noqa: E402
import verify_scale  # noqa: E402
from engines import ENGINES, decision_facts  # noqa: E402

from forcecheck.engine.compiled import OUTCOME_BY_CODE, compile_policy  # noqa: E402
from forcecheck.engine.evaluation import evaluate_scenario  # noqa: E402
from forcecheck.engine.explain import decide, evaluate, evaluate_interpreted  # noqa: E402
from forcecheck.load.library import shipped  # noqa: E402
from forcecheck.load.policy_loader import build_policy  # noqa: E402
from forcecheck.load.scenario_loader import build_scenario  # noqa: E402
from forcecheck.model.document import Document  # noqa: E402
from forcecheck.model.logic import Value  # noqa: E402
from forcecheck.model.policy import Policy  # noqa: E402
from forcecheck.model.vocabulary import Fact, Vocabulary  # noqa: E402

START, END = "<!-- bench results: start -->", "<!-- bench results: end -->"
VALUE_OF = {True: Value.TRUE, False: Value.FALSE}
Input = dict[str, Any]


# ---------------------------------------------------------------- inputs


def random_inputs(facts: list[str], count: int, seed: int) -> list[Input]:
    """Three-valued fact sets, some facts left out; biased so all three outcomes occur.

    Each fact leans to the value that authorizes (drawn from a reference fact set) so that
    authorized and undetermined outcomes are common, not just not_authorized.
    """
    rng = random.Random(seed)
    lean = {fact: rng.random() < 0.5 for fact in facts}
    lean.update(handwritten.AUTHORIZING)
    found = []
    for _ in range(count):
        unknown = rng.choice((0.0, 0.05, 0.2))
        values: Input = {}
        for fact in facts:
            draw = rng.random()
            if draw < unknown:
                if rng.random() < 0.5:
                    values[fact] = None
            else:
                values[fact] = lean[fact] if rng.random() < 0.93 else not lean[fact]
        found.append(values)
    return found


def as_values(values: Input) -> dict[str, Value]:
    """An input as forcecheck's library takes it."""
    return {k: VALUE_OF.get(v, Value.UNKNOWN) for k, v in values.items()}


# ---------------------------------------------------------------- timing


def interleaved(
    baseline: Callable[[Any], Any],
    candidate: Callable[[Any], Any],
    base_inputs: list[Any],
    inputs: list[Any],
    batch: int,
    budget: float,
) -> tuple[float, float, int, list[Any]]:
    """Median µs per call of baseline and candidate, timed batch by batch in turn.

    Stops once the candidate has run for ``budget`` seconds (after at least three
    batches). Returns both medians, the number of inputs timed and the candidate results.
    """
    base_times: list[float] = []
    times: list[float] = []
    results: list[Any] = []
    spent = 0.0
    clock = time.perf_counter
    for start in range(0, len(inputs), batch):
        base_chunk, chunk = base_inputs[start : start + batch], inputs[start : start + batch]
        t0 = clock()
        for item in base_chunk:
            baseline(item)
        t1 = clock()
        out = [candidate(item) for item in chunk]
        t2 = clock()
        base_times.append((t1 - t0) / len(base_chunk) * 1e6)
        times.append((t2 - t1) / len(chunk) * 1e6)
        results += out
        spent += t2 - t1
        if spent > budget and len(times) >= 3:
            break
    return statistics.median(base_times), statistics.median(times), len(results), results


def row(name: str, base: float, cost: float, count: int, note: str = "") -> dict[str, Any]:
    """One table row: a method's median cost and its ratio to the hand-written baseline."""
    ratio = cost / base
    return {"name": name, "us": cost, "base_us": base, "ratio": ratio, "n": count, "note": note}


# ---------------------------------------------------------------- decision: forcecheck


def forcecheck_rows(policy: Policy, inputs: list[Input], budget: float) -> list[dict[str, Any]]:
    """The ways forcecheck decides, each against the hand-written function."""
    compiled = compile_policy(policy)
    expected = [handwritten.decide(x) for x in inputs]
    reference = [str(OUTCOME_BY_CODE[compiled.decision_code(x)]) for x in inputs]
    assert reference == expected, "the hand-written function disagrees with forcecheck"
    values = [as_values(x) for x in inputs]
    rows = []
    decision_code, rule_codes = compiled.decision_code, compiled.rule_codes
    decision_id = compiled.rule_ids.index(policy.spec.decision)
    methods: list[tuple[str, Callable[[Any], Any], list[Any], Callable[[Any], str], str]] = [
        (
            "forcecheck compiled decision",
            lambda x: OUTCOME_BY_CODE[decision_code(x)],
            inputs,
            str,
            "facts as plain values",
        ),
        (
            "forcecheck compiled, every rule's status",
            rule_codes,
            inputs,
            lambda codes: str(OUTCOME_BY_CODE[codes[decision_id]]),
            "all 14 rules",
        ),
        (
            "forcecheck `engine.decide`",
            lambda v: decide(policy, v),
            values,
            str,
            "library call: checks fact ids, converts values",
        ),
        (
            "forcecheck `engine.evaluate` (explanation)",
            lambda v: evaluate(policy, v),
            values,
            lambda e: str(e.outcome),
            "every node, reasons, fact uses",
        ),
        (
            "tree-walking interpreter (explanation)",
            lambda v: evaluate_interpreted(policy, v),
            values,
            lambda e: str(e.outcome),
            "`engine.evaluate_interpreted`, the reference",
        ),
    ]
    for name, fn, data, outcome, note in methods:
        batch = 1000 if "explanation" not in name else 100
        base, cost, count, results = interleaved(
            handwritten.decide, fn, inputs, data, batch, budget
        )
        assert [outcome(r) for r in results] == expected[:count], f"{name} disagrees"
        rows.append(row(name, base, cost, count, note))
    return rows


# ---------------------------------------------------------------- decision: other engines


def engine_worker(name: str, count: int, seed: int, budget: float) -> dict[str, Any]:
    """Time one general engine against the hand-written function (run in its own process)."""
    policy = shipped().get("dhs-2023")
    make = ENGINES[name][1]
    prepare, decide_fn = make(policy)
    inputs = random_inputs(decision_facts(policy), count, seed)
    native = [prepare(x) for x in inputs]
    expected = [handwritten.decide(x) for x in inputs]
    base, cost, timed, results = interleaved(
        handwritten.decide, decide_fn, inputs, native, 100, budget
    )
    disagree = sum(r != e for r, e in zip(results, expected, strict=False))
    return {
        "name": name,
        "version": importlib.metadata.version(name),
        "base_us": base,
        "us": cost,
        "n": timed,
        "disagree": disagree,
    }


def engine_rows(
    names: list[str], count: int, seed: int, budget: float, smoke: bool
) -> list[dict[str, Any]]:
    """The general engines, each in a fresh process; missing ones only skipped in smoke."""
    rows = []
    for name in names:
        module = ENGINES[name][0]
        if importlib.util.find_spec(module) is None:
            if smoke:
                continue
            raise SystemExit(f"{name} is not installed: pip install -e '.[bench]'")
        args = ["--worker", name, "--count", str(count), "--seed", str(seed)]
        done = subprocess.run(
            [sys.executable, __file__, *args, "--budget", str(budget)],
            capture_output=True,
            text=True,
            check=True,
        )
        found = json.loads(done.stdout)
        if found["disagree"]:
            raise SystemExit(f"{name} disagrees with forcecheck on {found['disagree']} inputs")
        rows.append(row(f"{name} {found['version']}", found["base_us"], found["us"], found["n"]))
    return rows


# ---------------------------------------------------------------- growth with policy size


def generated_policy(facts: int) -> Policy:
    """A policy over ``facts`` facts shaped like the real ones: groups, shared rules, ifs."""
    vocabulary = Vocabulary({f"f{i}": Fact(question=f"Fact {i}?") for i in range(facts)})
    names = list(vocabulary.ids)
    groups = [names[i : i + 5] for i in range(0, facts, 5)]
    rules: dict[str, Any] = {}
    shapes: list[Callable[[list[str]], dict[str, Any]]] = [
        lambda g: {"all": g},
        lambda g: {"any": [{"all": g[:2]}, *g[2:]]},
        lambda g: {"all": [{"not": g[0]}, {"any": g[1:3]}, {"if": g[3], "then": g[-1]}]},
        lambda g: {"any": [{"not": g[0]}, {"all": g[1:]}]},
    ]
    for index, group in enumerate(groups):
        rules[f"g{index}"] = shapes[index % 4](group if len(group) >= 5 else group * 5)
    rules["shared"] = {"any": ["g0", "g1"]}
    pairs = [f"g{i}" for i in range(2, len(groups))]
    mids = []
    for index in range(0, len(pairs), 2):
        rules[f"m{index}"] = {"any": [*pairs[index : index + 2], "shared"]}
        mids.append(f"m{index}")
    rules["decision"] = {"all": ["shared", *mids]} if mids else {"all": ["shared"]}
    citation = {"source": "s", "section": "1", "quote": "q", "wording": "verbatim"}
    data = {
        "id": f"generated-{facts}",
        "title": "Generated",
        "document": "generated",
        "issuer": "bench",
        "agencies": ["ALL"],
        "effective": __import__("datetime").date(2000, 1, 1),
        "sources": {"s": {"title": "source"}},
        "decision": "decision",
        "rules": {k: {"title": k, "citation": citation, **v} for k, v in rules.items()},
    }
    return build_policy(Document(path="<bench>", data=data), vocabulary)


def size_rows(sizes: tuple[int, ...], count: int, budget: float) -> list[dict[str, Any]]:
    """Cost per decision for generated policies of each size, as ratios to hand-written."""
    dhs = shipped().get("dhs-2023")
    base_inputs = random_inputs(decision_facts(dhs), count, seed=1)
    rows = []
    for size in sizes:
        policy = generated_policy(size)
        compiled = compile_policy(policy)
        inputs = random_inputs(list(policy.vocabulary.ids), count, seed=size)
        values = [as_values(x) for x in inputs]
        for name, fn, data, batch in (
            ("compiled decision", compiled.decision_code, inputs, 1000),
            ("compiled, every rule", compiled.rule_codes, inputs, 1000),
            ("explanation (`evaluate`)", lambda v, p=policy: evaluate(p, v), values, 50),
            ("interpreter", lambda v, p=policy: evaluate_interpreted(p, v), values, 50),
        ):
            base, cost, timed, _ = interleaved(
                handwritten.decide, fn, base_inputs, data, batch, budget
            )
            rows.append({**row(name, base, cost, timed), "facts": size, "rules": len(policy.rules)})
    return rows


# ---------------------------------------------------------------- accounts and discharges


def scenario_rows(shapes: tuple[tuple[int, int], ...], budget: float) -> list[dict[str, Any]]:
    """Cost of evaluating whole scenarios with more accounts and discharges."""
    policy = shipped().get("dhs-2023")
    facts = decision_facts(policy)
    rng = random.Random(7)
    base_inputs = random_inputs(facts, 2000, seed=1)
    rows = []

    def account(discharges: int) -> dict[str, Any]:
        # Redraw until the values are possible (the vocabulary's exclusions), at every
        # discharge: threat_ended is the only fact a discharge overrides.
        ended = [rng.random() < 0.3 for _ in range(discharges)]
        while True:
            values = random_inputs(facts, 1, rng.randrange(10**6))[0]
            facts_of = {k: v if v is not None else "unknown" for k, v in values.items()}
            known = {k: Value(str(v).lower()) for k, v in values.items() if v is not None}
            moments = [{**known, "threat_ended": Value(str(e).lower())} for e in ended] or [known]
            if all(policy.vocabulary.broken_exclusion(m) is None for m in moments):
                break
        body: dict[str, Any] = {"facts": facts_of}
        if discharges:
            body["discharges"] = [
                {"id": f"shot-{d}", "facts": {"threat_ended": e}} for d, e in enumerate(ended)
            ]
        return body

    for accounts, discharges in shapes:
        data = {
            "policy": "dhs-2023",
            "accounts": {f"account-{a}": account(discharges) for a in range(accounts)},
        }
        scenario = build_scenario(Document(path="<bench>", data=data), policy.vocabulary)
        evaluations = accounts * max(discharges, 1)
        base, cost, timed, _ = interleaved(
            handwritten.decide,
            lambda s: evaluate_scenario(s, policy),
            base_inputs,
            [scenario] * 200,
            5,
            budget,
        )
        rows.append(
            {
                **row(f"{accounts} × {discharges}", base, cost, timed),
                "accounts": accounts,
                "discharges": discharges,
                "evaluations": evaluations,
            }
        )
    return rows


# ---------------------------------------------------------------- batch throughput


def batch_rows(lines: int, smoke: bool) -> list[dict[str, Any]]:
    """End-to-end ``evaluate --batch`` throughput, process start-up included."""
    policy = shipped().get("dhs-2023")
    inputs = random_inputs(decision_facts(policy), lines, seed=3)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenarios.jsonl"
        with path.open("w") as out:
            for values in inputs:
                facts = {k: v if v is not None else "unknown" for k, v in values.items()}
                out.write(json.dumps({"policy": "dhs-2023", "facts": facts}) + "\n")
        size = path.stat().st_size
        configs: list[tuple[int, list[str]]] = [(1, []), (2, []), (2, ["--conditions"])]
        for jobs, extra in configs[:1] if smoke else configs:
            command = [sys.executable, "-m", "forcecheck", "evaluate", "--batch", str(path)]
            command += ["--jobs", str(jobs), *extra]
            walls = []
            for _ in range(1 if smoke else 3):
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, check=False)
                walls.append(time.perf_counter() - start)
                assert done.returncode == 0, done.stderr.decode()
                assert done.stdout.count(b"\n") == lines
            wall = statistics.median(walls)
            rows.append(
                {
                    "name": f"--jobs {jobs} {' '.join(extra)}".strip(),
                    "lines": lines,
                    "bytes": size,
                    "seconds": wall,
                    "per_second": lines / wall,
                }
            )
    return rows


# ---------------------------------------------------------------- start-up


def draft_statement(words: int = 2000) -> str:
    """A statement of about ``words`` words: the shipped statement fixtures, repeated.

    The fixtures are the agencies' own words (tests/fixtures/statements); repeating them
    keeps the text's phrases, and so the matches, those of real statements.
    """
    texts = []
    for path in sorted((ROOT / "tests" / "fixtures" / "statements").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        texts.append("\n".join(line for line in lines if not line.startswith("#")).strip())
    out: list[str] = []
    while sum(len(text.split()) for text in out) < words:
        out += texts
    return "\n\n".join(out) + "\n"


def startup_rows(runs: int, smoke: bool) -> list[dict[str, Any]]:
    """Whole-process wall time, side by side with importing the unavoidable libraries.

    Every command but the cache-miss rows finds the policies and the scenario in a private
    cache of its own, filled by a warm-up run; the cache-miss rows run with the cache off.
    The edited-scenario row rewrites its scenario before every run (a comment changes), as
    a trainer editing a drill would: the policies come from the cache, the scenario not.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cache = Path(tempfile.mkdtemp(prefix="forcecheck-bench-cache-"))
    edited = cache / "edited.yaml"
    statement = cache / "statement.txt"
    statement.write_text(draft_statement(), encoding="utf-8")
    drill = (ROOT / "scenarios/training/01-armed-attacker.yaml").read_text()

    def edit() -> None:
        edited.write_text(f"{drill}\n# edited {time.perf_counter_ns()}\n")

    cached = {**env, "FORCECHECK_CACHE_DIR": str(cache)}
    uncached = {**env, "FORCECHECK_NO_CACHE": "1"}
    python = sys.executable
    armed = "scenarios/training/01-armed-attacker.yaml"
    chicago = "scenarios/incidents/chicago-brighton-park-2025-10-04.yaml"
    commands = [
        ("`python -c \"import pydantic, typer, yaml, tabulate\"` (baseline)",
         [python, "-c", "import pydantic, typer, yaml, tabulate"], env),
        ("`python -c pass`", [python, "-c", "pass"], env),
        ("a typer command with `evaluate`'s options that does nothing",
         [python, str(HERE / "typer_floor.py"), "evaluate", "x"], env),
        ("`forcecheck evaluate` training/01-armed-attacker.yaml",
         [python, "-m", "forcecheck", "evaluate", armed], cached),
        ("the same, cache miss (`FORCECHECK_NO_CACHE=1`)",
         [python, "-m", "forcecheck", "evaluate", armed], uncached),
        ("the same, the scenario edited before each run (policies cached)",
         [python, "-m", "forcecheck", "evaluate", str(edited)], cached),
        ("the same through the typer application (no fast path)",
         [python, "-c", "from forcecheck.cli import main; main()", "evaluate", armed], cached),
        ("`forcecheck evaluate --format json` training/01-armed-attacker.yaml",
         [python, "-m", "forcecheck", "evaluate", "-f", "json", armed], cached),
        ("`forcecheck evaluate` incidents/chicago-brighton-park (every binding layer)",
         [python, "-m", "forcecheck", "evaluate", chicago], cached),
        ("the same, cache miss",
         [python, "-m", "forcecheck", "evaluate", chicago], uncached),
        ("`forcecheck draft` a 2,000-word statement (pysbd and the lexicon loaded)",
         [python, "-m", "forcecheck", "draft", str(statement), "--quiet"], cached),
    ]  # fmt: skip
    if smoke:
        commands = [commands[0], commands[3], commands[6], commands[-1]]
    try:
        edit()
        for _, command, command_env in [] if smoke else commands:  # warm: bytecode, cache
            subprocess.run(command, cwd=ROOT, env=command_env, capture_output=True, check=True)
        walls: list[list[float]] = [[] for _ in commands]
        for _ in range(runs):
            for index, (_, command, command_env) in enumerate(commands):
                if str(edited) in command:
                    edit()
                start = time.perf_counter()
                subprocess.run(command, cwd=ROOT, env=command_env, capture_output=True, check=True)
                walls[index].append(time.perf_counter() - start)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    base = statistics.median(walls[0])
    return [
        {"name": name, "ms": statistics.median(w) * 1000, "ratio": statistics.median(w) / base}
        for (name, _, _), w in zip(commands, walls, strict=True)
    ]


# ---------------------------------------------------------------- verify


def verify_rows(
    runs: int, seeds: int, facts: int, only: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """`forcecheck verify`'s library call per policy: each shipped one, and generated ones.

    The shipped policies (or those ``only`` names) are timed ``runs`` times each (median); the
    generated policies of ``facts`` facts (bench/verify_scale.py: twenty properties, some
    failing) once per seed.
    """
    rows = []
    verify_scale.timed(shipped().get("dhs-2023"))  # warm: imports, compiled code
    for policy in shipped().policies():
        if only and policy.id not in only:
            continue
        timings = [verify_scale.timed(policy) for _ in range(runs)]
        times = [elapsed for elapsed, _ in timings]
        counts = timings[0][1]
        rows.append(
            {
                "name": policy.id,
                "facts": len(policy.facts_used),
                "rules": len(policy.rules),
                "properties": len(policy.properties),
                "ms": statistics.median(times) * 1000,
                "max_ms": max(times) * 1000,
                "verdicts": ", ".join(f"{n} {v}" for v, n in counts.items() if n),
            }
        )
    times, verdicts = [], Counter[str]()
    for seed in range(seeds):
        policy = verify_scale.generated_policy(facts, seed)
        elapsed, counts = verify_scale.timed(policy)
        times.append(elapsed)
        verdicts.update({str(v): n for v, n in counts.items()})
    rows.append(
        {
            "name": f"generated (bench/verify_scale.py), seeds 0–{seeds - 1}",
            "facts": facts,
            "rules": len(policy.rules),
            "properties": len(policy.properties),
            "ms": statistics.median(times) * 1000,
            "max_ms": max(times) * 1000,
            "verdicts": ", ".join(f"{n} {v}" for v, n in verdicts.items() if n),
        }
    )
    return rows


# ---------------------------------------------------------------- report


def machine() -> list[str]:
    """The machine and the versions of everything measured."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = ["forcecheck", "pydantic", "typer", "PyYAML", "tabulate", *ENGINES]
    versions = []
    for name in packages:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- Versions: {', '.join(versions)}",
        f"- Load average when the run started: {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def report(results: dict[str, Any], smoke: bool) -> str:
    """The results as Markdown."""
    out = [
        f"Generated by `python bench/run.py{' --smoke' if smoke else ''}` on "
        f"{time.strftime('%Y-%m-%d')}. Medians; ratios are to a baseline timed in the same "
        "process, interleaved batch by batch.",
        "",
        *machine(),
        "",
        "### The dhs-2023 decision",
        "",
        f"{results['inputs']:,} three-valued inputs over the decision's "
        f"{results['facts']} facts; outcomes {results['outcomes']}. Baseline: "
        "`bench/handwritten.py`. Every engine agreed with forcecheck on every input timed "
        "(`inputs` column).",
        "",
    ]
    decision = results["decision"]
    out += _table(
        ["method", "µs / decision", "× hand-written", "inputs", "note"],
        [
            [r["name"], f"{r['us']:.2f}", f"{r['ratio']:.2f}", f"{r['n']:,}", r["note"]]
            for r in decision
        ],
    )
    out += ["", "### Batch mode (`forcecheck evaluate --batch`, end to end)", ""]
    out += _table(
        ["options", "lines", "MB", "seconds", "scenarios / s"],
        [
            [r["name"], f"{r['lines']:,}", f"{r['bytes'] / 1e6:.1f}", f"{r['seconds']:.2f}",
             f"{r['per_second']:,.0f}"]
            for r in results["batch"]
        ],
    )  # fmt: skip
    out += ["", "### Start-up (whole process, wall time)", ""]
    out += _table(
        ["command", "ms", "× baseline"],
        [[r["name"], f"{r['ms']:.0f}", f"{r['ratio']:.2f}"] for r in results["startup"]],
    )
    out += ["", "### `forcecheck verify` (library call: encoding and every property)", ""]
    out += _table(
        ["policy", "facts", "rules", "properties", "ms", "max ms", "verdicts"],
        [
            [r["name"], str(r["facts"]), str(r["rules"]), str(r["properties"] + 2),
             f"{r['ms']:.1f}", f"{r['max_ms']:.1f}", r["verdicts"]]
            for r in results["verify"]
        ],
    )  # fmt: skip
    out += [
        "",
        "Properties include the two every policy gets (the decision can be met, and unmet). "
        "The generated policies are those of `bench/verify_scale.py`: twenty declared "
        "properties, some of which fail, so counterexamples are searched for.",
    ]
    out += ["", "### Cost against policy size (generated policies)", ""]
    out += _table(
        ["facts", "rules", "method", "µs / decision", "× hand-written dhs-2023"],
        [
            [str(r["facts"]), str(r["rules"]), r["name"], f"{r['us']:.2f}", f"{r['ratio']:.1f}"]
            for r in results["size"]
        ],
    )
    out += ["", "![cost against policy size](performance-size.png)", ""]
    out += ["### Whole scenarios: accounts × discharges (`evaluate_scenario`, explanations)", ""]
    out += _table(
        ["accounts × discharges", "evaluations", "µs / scenario", "µs / evaluation"],
        [
            [r["name"], str(r["evaluations"]), f"{r['us']:.0f}",
             f"{r['us'] / r['evaluations']:.0f}"]
            for r in results["scenarios"]
        ],
    )  # fmt: skip
    return "\n".join(out) + "\n"


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """Cost against policy size, one line per method; False if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=120)
    for name in dict.fromkeys(r["name"] for r in rows):
        mine = [r for r in rows if r["name"] == name]
        axes.plot([r["facts"] for r in mine], [r["us"] for r in mine], marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xticks([r["facts"] for r in rows][:: len(dict.fromkeys(r["name"] for r in rows))])
    axes.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    axes.get_xaxis().set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes.set_xlabel("facts in the policy")
    axes.set_ylabel("µs per evaluation (median)")
    axes.set_title("forcecheck: cost against policy size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return True


def write_report(text: str, path: Path) -> None:
    """Replace the results between the markers in ``path`` (or write them alone)."""
    block = f"{START}\n{text}{END}\n"
    if path.exists() and START in path.read_text():
        current = path.read_text()
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        path.write_text(before + block + ("\n" + after if after else ""))
    else:
        path.write_text(block)


def main() -> None:
    """Run the benchmark (or, with --worker, one engine's part of it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds, small inputs")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "performance-size.png")
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated general engines to compare (default: all; '' for none)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=100_000, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=3.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(engine_worker(args.worker, args.count, args.seed, args.budget)))
        return
    smoke = args.smoke
    count = 2_000 if smoke else 100_000
    budget = 0.05 if smoke else 3.0
    policy = shipped().get("dhs-2023")
    facts = decision_facts(policy)
    inputs = random_inputs(facts, count, seed=0)
    outcomes = Counter(handwritten.decide(x) for x in inputs)
    results: dict[str, Any] = {
        "inputs": count,
        "facts": len(facts),
        "outcomes": ", ".join(f"{k} {v / count:.0%}" for k, v in sorted(outcomes.items())),
    }

    def step(name: str) -> None:
        print(f"bench: {name}", file=sys.stderr, flush=True)

    step("decision")
    results["decision"] = forcecheck_rows(policy, inputs, budget * 3)
    names = [name for name in args.engines.split(",") if name]
    unknown = [name for name in names if name not in ENGINES]
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(ENGINES)}")
    results["decision"] += engine_rows(names, min(count, 20_000), 0, budget, smoke)
    step("batch")
    results["batch"] = batch_rows(2_000 if smoke else 200_000, smoke)
    step("start-up")
    results["startup"] = startup_rows(1 if smoke else 15, smoke)
    step("verify")
    # The smoke run times one shipped policy: proving them all is the test suite's and
    # `forcecheck verify`'s job, and costs more than the rest of the smoke run.
    only = ("dhs-2023",) if smoke else ()
    results["verify"] = verify_rows(1 if smoke else 7, 1 if smoke else 5, 20 if smoke else 60, only)
    step("policy size")
    results["size"] = size_rows((20, 60, 200), 500 if smoke else 20_000, budget)
    step("scenarios")
    shapes = ((1, 0), (1, 5), (4, 0), (4, 5), (10, 10))
    # The smoke run leaves out the largest shape: 100 evaluations a scenario, most of its time.
    results["scenarios"] = scenario_rows(shapes[:-1] if smoke else shapes, budget)
    write_report(report(results, smoke), args.output)
    plotted = plot(results["size"], args.plot)
    if not plotted and not smoke:
        raise SystemExit("matplotlib is not installed: pip install -e '.[bench]'")
    step(f"wrote {args.output}" + (f" and {args.plot}" if plotted else ""))


if __name__ == "__main__":
    main()
