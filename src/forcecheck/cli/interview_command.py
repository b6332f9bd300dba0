"""``forcecheck interview``: the questions that matter, one at a time, until settled."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import guard
from forcecheck.cli.options import policy_ref


def interview(
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy id or path (default: the --from scenario's, else dhs-2023).",
            callback=policy_ref,
        ),
    ] = None,
    from_: Annotated[
        Path | None,
        typer.Option("--from", help="Start from this scenario's facts.", metavar="FILE"),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", "-a", help="With --from: the account (default: the first)."),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Read answers from a scenario file (its facts); a fact it lacks is unknown.",
            metavar="FILE",
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="Write the facts, answers included, as a scenario file; with --force, an "
            "existing scenario gets the answers in its account and keeps everything else.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --save write into an existing scenario file.")
    ] = False,
    findings: Annotated[
        bool,
        typer.Option(
            "--findings",
            help="Once the outcome is settled, ask the facts of the policy's findings too.",
        ),
    ] = False,
) -> None:
    """Ask only the questions that matter, one at a time, until the outcome is settled.

    Each question is the open fact that matters most for the still-open outcome; facts
    that can no longer change it, and facts the answers settle through the vocabulary's
    exclusions, are never asked. Answer yes, no or unknown (y, n, ?).
    Stops when the outcome is determined, or when every remaining question was answered
    unknown. With --findings it then asks what settles each of the policy's findings
    (safe tactics, say), the same way.
    """
    with guard():
        from forcecheck.analysis.interview import parse_answer
        from forcecheck.app.interview_start import start_interview
        from forcecheck.model.logic import Value
        from forcecheck.render.analysis_text import settled_facts_text

        started = start_interview(policy, from_, account, answers)
        session, scripted = started.session, started.scripted
        session.findings = findings
        chosen = session.policy
        typer.echo(f"Interview under {chosen.id}: {chosen.spec.document}")
        while (question := session.next_question()) is not None:
            remaining = len(session.open_questions())
            rule = session.asking_for()
            typer.echo("")
            if rule == chosen.spec.decision:
                so_far = f"outcome so far: {session.outcome}"
            else:
                so_far = f"outcome: {session.outcome}; for the finding {rule}"
            typer.echo(
                f"Question {len(session.answers) + 1} ({remaining} open "
                f"{'fact' if remaining == 1 else 'facts'} could still decide it; {so_far})"
            )
            typer.echo(f"{question.text} [{question.fact}]")
            settles = settled_facts_text(question)
            if settles:
                typer.echo(f"({settles})")
            if scripted is not None:
                value = scripted.get(question.fact)
                # Echoed as the person answering would have typed it.
                shown = (
                    "unknown (not in the answers file)"
                    if value is None
                    else {Value.TRUE: "yes", Value.FALSE: "no"}.get(value, "unknown")
                )
                typer.echo(f"> {shown}")
                session.answer(question.fact, Value.UNKNOWN if value is None else value)
                continue
            while True:
                typer.echo("yes / no / unknown > ", nl=False)
                line = sys.stdin.readline()
                if not line:
                    typer.echo("")
                    typer.echo("(no more input: the interview stops here)")
                    break
                value = parse_answer(line)
                if value is None:
                    typer.echo("please answer yes, no or unknown (y, n, ?)")
                    continue
                why = session.conflict(question.fact, value)
                if why is None:
                    session.answer(question.fact, value)
                    break
                typer.echo(f"that answer is impossible: {why}")
                typer.echo("please answer again (unknown if unsure)")
            if not line:
                break
        final = session.analysis()
        typer.echo("")
        asked = len(session.answers)
        typer.echo(f"Outcome: {final.outcome} after {asked} question{'' if asked == 1 else 's'}.")
        if final.outcome.value == "undetermined" and session.open_questions():
            typer.echo("Still open: " + ", ".join(q.fact for q in session.open_questions()))
        if findings:
            statuses = {"authorized": "met", "not_authorized": "unmet"}
            for finding in chosen.findings:
                status = statuses.get(session.finding_status(finding).value, "unknown")
                typer.echo(f"Finding {finding}: {status}.")
        if save is not None:
            from forcecheck.cli.output import write_atomic
            from forcecheck.render.interview_view import answer_entries, scenario_text

            if not save.is_file():
                write_atomic(save, scenario_text(session), force=force)
                typer.echo(f"Saved to {save}")
                return
            if not force:
                from forcecheck.errors import Location, OutputExistsError

                raise OutputExistsError(
                    "the file already exists",
                    location=Location(str(save)),
                    help="pass --force to write the answers into it (the rest of the file "
                    "is kept), or name another file",
                )
            from forcecheck.app.interview_save import saved_into

            entries = answer_entries(session)
            text = saved_into(save, started.account or account, entries, chosen.vocabulary)
            write_atomic(save, text, force=True)
            where = f"account '{started.account or account}' of " if started.account else ""
            typer.echo(f"Wrote {len(entries)} answered fact(s) into {where}{save}")
