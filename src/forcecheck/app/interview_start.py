"""``forcecheck interview``: the session to run, and the scripted answers if any."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forcecheck.analysis.interview import Interview
from forcecheck.app.resolution import load_scenario_file, resolve_policy, resolve_scenario
from forcecheck.errors import MissingReferenceError, did_you_mean
from forcecheck.model.logic import Value
from forcecheck.model.scenario import Account


@dataclass(frozen=True)
class InterviewStart:
    """An interview ready to run: its session, and the answers file's facts if given."""

    session: Interview
    #: The answers to give (a fact it lacks is unknown); None to ask on standard input.
    scripted: dict[str, Value] | None
    #: The account interviewed (``--from``'s, by name); None when starting from nothing.
    account: str | None = None


def start_interview(
    policy: str | None = None,
    from_: Path | None = None,
    account: str | None = None,
    answers: Path | None = None,
) -> InterviewStart:
    """The interview under ``policy`` (default: the ``from_`` scenario's, else the default).

    ``from_`` gives the starting facts of its ``account`` (default: the first);
    ``answers`` a scenario whose (first account's) facts answer the questions.
    """
    start = Account()
    name: str | None = None
    if from_ is not None:
        # The stated conclusions are not checked: the interview never shows them.
        resolved = resolve_scenario(from_, policy, conclusions=False)
        chosen = resolved.policy
        accounts = resolved.scenario.accounts
        name = account or next(iter(accounts))
        if name not in accounts:
            raise MissingReferenceError(
                f"the scenario has no account '{name}'",
                location=resolved.scenario.doc.locate(()),
                help=did_you_mean(name, accounts) or "accounts: " + ", ".join(accounts),
            )
        start = accounts[name]
    else:
        chosen = resolve_policy(policy)
    scripted = None
    if answers is not None:
        given = load_scenario_file(answers)
        scripted = {k: e.value for k, e in next(iter(given.accounts.values())).facts.items()}
    return InterviewStart(Interview(chosen, start), scripted, name)
