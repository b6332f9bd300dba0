"""``forcecheck schema``: the JSON Schema of scenario, policy and vocabulary files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import emit, guard
from forcecheck.cli.options import ForceOption, OutputOption
from forcecheck.load.schema import SchemaKind


def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            help="Which file format: scenario (the default), policy, facts (the vocabulary) or "
            "lexicon (the phrases of `forcecheck draft`).",
            metavar="[KIND]",
            case_sensitive=False,
        ),
    ] = SchemaKind.scenario,
    vocabulary: Annotated[
        Path | None,
        typer.Option(
            "--vocabulary",
            help="With scenario: list the facts of this facts.yaml instead of the policy "
            "library's (the shipped vocabulary, or that of --policies-dir).",
            metavar="FILE",
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema of a file format, generated from the models the loader uses.

    Point an editor's YAML support at it for completion, hover help and errors as you type
    (see docs/editor.md); the shipped schemas are also in schemas/. The scenario schema
    lists every fact of the vocabulary with its question. Names that must exist (sources,
    rules, accounts, policies) and contradictory facts are left to the loader and `lint`.
    """
    if vocabulary is not None and kind is not SchemaKind.scenario:
        raise typer.BadParameter("--vocabulary applies to the scenario schema only")
    with guard():
        from forcecheck.load.library import active
        from forcecheck.load.schema import schema_text
        from forcecheck.load.vocabulary_loader import load_vocabulary

        facts = active().vocabulary if vocabulary is None else load_vocabulary(vocabulary)
        emit(schema_text(kind, facts), output, force)
