"""The docs say what the code does: generated CLI reference, real examples, full tables."""

from __future__ import annotations

import re

from forcecheck import errors
from forcecheck.checks.expect import check_expectations
from forcecheck.cli.docs import render_cli_docs
from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.load.library import Library, policy_from_ref
from forcecheck.load.policy_file import PolicyFile, RuleSpec
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.load.validation import file_keys
from forcecheck.model.policy import Citation, Interpretation, Source

from .conftest import ROOT

DOCS = ROOT / "docs"


def test_cli_reference_is_fresh() -> None:
    committed = (DOCS / "cli.md").read_text()
    assert committed == render_cli_docs(), (
        "docs/cli.md is stale: run `python -m forcecheck.cli.docs > docs/cli.md`"
    )


def test_policy_language_table_names_every_construct() -> None:
    text = (DOCS / "policy-language.md").read_text()
    table = text[text.index("## Every construct") : text.index("## Citations")]
    keys = set()
    for layout in (PolicyFile, RuleSpec, Citation, Interpretation, Source):
        keys |= set(file_keys(layout))
    keys |= {"all", "any", "not", "if", "then"}
    missing = sorted(key for key in keys if f"`{key}" not in table)
    assert not missing, f"policy-language.md does not document: {missing}"


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_policy_language_example_is_the_real_file(library: Library) -> None:
    text = (DOCS / "policy-language.md").read_text()
    example = (DOCS / "examples" / "example-policy.yaml").read_text()
    assert example in _yaml_blocks(text)
    policy = policy_from_ref("docs/examples/example-policy.yaml", library, relative_to=ROOT)
    scenario = load_scenario(DOCS / "examples" / "example-drill.yaml", library.vocabulary)
    result = evaluate_scenario(scenario, policy)
    assert str(result.outcome) == "not_authorized"


def test_example_drill_meets_its_expectations(library: Library) -> None:
    scenario = load_scenario(DOCS / "examples" / "example-drill.yaml", library.vocabulary)
    result = evaluate_scenario(scenario, library.get("dhs-2023"))
    assert check_expectations(result) == []


def test_every_error_class_is_documented() -> None:
    text = (DOCS / "errors.md").read_text()
    classes = [
        name
        for name, value in vars(errors).items()
        if isinstance(value, type)
        and issubclass(value, errors.InputError)
        and value is not errors.InputError
    ]
    assert classes
    missing = [name for name in classes if f"`{name}`" not in text]
    assert not missing, f"docs/errors.md does not list: {missing}"


def test_scenario_format_keys_table_covers_the_model() -> None:
    from forcecheck.model.scenario import (
        Account,
        AccountStatus,
        Discharge,
        FactEntry,
        FactSource,
        Hindsight,
        ScenarioSpec,
    )

    text = (DOCS / "scenario-format.md").read_text()
    table = text[text.index("## Keys at a glance") :]
    for layout in (
        ScenarioSpec,
        Account,
        FactEntry,
        Discharge,
        FactSource,
        Hindsight,
        AccountStatus,
    ):
        for name in file_keys(layout):
            assert f"`{name}`" in table, f"scenario-format.md keys table lacks `{name}`"
