"""The ``questions`` report as Markdown: what to ask each source, a document for a draft.

Each account's questions under the main policy (the parts the ``evaluate`` Markdown report
shows too), then the other layers, picked as the text report picks them
(:func:`forcecheck.render.questions_view.layer_sections`).
"""

from __future__ import annotations

from forcecheck.analysis import Questions
from forcecheck.analysis.layer_questions import LayerQuestions
from forcecheck.model.scenario import Scenario
from forcecheck.render.escape import markdown_code as code
from forcecheck.render.escape import markdown_inline as md
from forcecheck.render.evidence_text import status_suffix
from forcecheck.render.markdown import header_md, questions_md
from forcecheck.render.outcome_words import outcome_word
from forcecheck.render.questions_view import LAYERS_INTRO, layer_sections, rank_command


def render_questions_markdown(
    scenario: Scenario,
    results: tuple[Questions, ...],
    layers: tuple[tuple[LayerQuestions, ...], ...] = (),
) -> str:
    """The questions report as a Markdown document."""
    policy = results[0].policy
    lines = header_md(scenario, policy)
    for questions in results:
        status = md(status_suffix(scenario.accounts.get(questions.account)))
        outcome = outcome_word(policy.spec.layer or "", questions.outcome)
        lines += [f"## Account {code(questions.account)}: {outcome}{status}", ""]
        found = questions_md(questions)
        lines += found or ["Nothing left to ask: no open fact could change the outcome.", ""]
    if layers:
        lines += ["## Under the other layers", "", md(LAYERS_INTRO), ""]
        for section in layer_sections(scenario, layers):
            lines += [f"### {md(section.name)}", ""]
            lines += [f"- {code(name)}: {md(text)}" for name, text in section.accounts]
            lines.append("")
            if section.added:
                lines += ["It also asks:", ""]
                lines += [
                    f"- {md(words)}" + (f" — of {', '.join(code(w) for w in whom)}" if whom else "")
                    for words, whom in section.added
                ]
                lines.append("")
        lines += [f"Every question under one layer, ranked: `{rank_command(scenario, layers)}`", ""]
    return "\n".join(lines).rstrip() + "\n"
