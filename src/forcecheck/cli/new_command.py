"""``forcecheck new``: write a commented scenario template for a drill."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import guard
from forcecheck.cli.options import policy_ref


def new(
    file: Annotated[
        Path,
        typer.Argument(
            help="The scenario file to write (.yaml); - prints the template instead.",
            metavar="FILE",
        ),
    ],
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy id or path to a policy file the drill is judged under "
            "(default: dhs-2023; in a policy directory without it, its only policy).",
            callback=policy_ref,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    incident: Annotated[
        bool,
        typer.Option(
            "--incident",
            help="Write an incident template instead: sources, attributed accounts, date, "
            "place and agency, no policy (date and agency choose the layers), every fact "
            "listed as a comment by topic.",
        ),
    ] = False,
) -> None:
    """Write a scenario template: every fact the policy tests, unknown, with its question.

    Each fact carries its plain-English question and the rules (with their sections) that
    test it as a comment; facts the policy does not test follow, commented out. Title,
    summary and commented examples of date, stated conclusions, discharges and an `expect:`
    block are included. The file is a valid scenario as written: `forcecheck evaluate` runs
    it (outcome undetermined). Never replaces an existing file without --force. The first
    line points editors at the scenario JSON Schema (see docs/editor.md).
    """
    to_stdout = str(file) == "-"
    if file.suffix.lower() == ".json":
        raise typer.BadParameter(
            "the template is YAML with comments; name a .yaml file", param_hint="FILE"
        )
    with guard():
        from forcecheck.app.library_report import blank_evaluation
        from forcecheck.app.resolution import resolve_policy
        from forcecheck.load.library import active, default_policy_id, looks_like_path, shipped
        from forcecheck.load.schema import SchemaKind, shipped_schema_path
        from forcecheck.render.template import relative_reference, scenario_template

        library = shipped()
        if incident:
            from forcecheck.render.incident_template import incident_template

            if policy is not None:
                raise typer.BadParameter(
                    "an incident names no policy: its date and agency choose the layers",
                    param_hint="--policy",
                )
            target = Path("incident.yaml") if to_stdout else file
            schema_path = shipped_schema_path(SchemaKind.scenario)
            vocabulary = active().vocabulary
            own = Path(vocabulary.path).resolve() != Path(library.vocabulary.path).resolve()
            text = incident_template(
                vocabulary,
                scenario_id=None if to_stdout else file.stem,
                schema=None
                if own or not schema_path.exists()
                else relative_reference(target, schema_path),
            )
            _write(
                None if to_stdout else file,
                text,
                force,
                "an incident template. Next: fill in its accounts, then",
            )
            return
        ref = policy or default_policy_id(active())
        chosen = resolve_policy(ref)
        target = Path("template.yaml") if to_stdout else file
        # The file's `policy:` is read relative to the file itself.
        written_ref = (
            relative_reference(target, Path(chosen.path)) if looks_like_path(ref) else None
        )
        # The shipped schema lists the shipped vocabulary's facts: point at it only when the
        # policy uses that vocabulary (a policy of one's own may have other facts).
        schema = shipped_schema_path(SchemaKind.scenario)
        own_facts = (
            Path(chosen.vocabulary.path).resolve() != Path(library.vocabulary.path).resolve()
        )
        text = scenario_template(
            chosen,
            blank_evaluation(chosen),
            policy_ref=written_ref,
            scenario_id=None if to_stdout else file.stem,
            schema=None if own_facts or not schema.exists() else relative_reference(target, schema),
        )
        if to_stdout:
            sys.stdout.write(text)
            return
        _write(
            file, text, force, f"{len(chosen.facts_used)} facts for {chosen.id}, all unknown. Next:"
        )
        if own_facts:
            typer.echo(
                "No schema line: the policy has a vocabulary of its own. For editor support: "
                f"forcecheck schema scenario --vocabulary {chosen.vocabulary.path} --output FILE",
                err=True,
            )


def _write(file: Path | None, text: str, force: bool, what: str) -> None:
    """Print ``text`` (``file`` None), or write it and say what was written and what next."""
    if file is None:
        sys.stdout.write(text)
        return
    from forcecheck.cli.output import write_atomic

    write_atomic(file, text, force=force)
    typer.echo(f"Wrote {file}: {what} forcecheck evaluate {file}", err=True)
