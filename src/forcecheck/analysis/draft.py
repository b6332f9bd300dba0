"""A draft account from a statement's words: sentences, phrase matches, proposed values.

The statement is split into sentences (pysbd, imported only here and only when a draft is
made: it costs no other command anything), each sentence into tokens, and every pattern of
the lexicon is tried at every token. A match in a sentence that attributes its claim to
someone else ("witnesses said") or hedges it ("it is unclear whether") is shown, never
proposed; a negated match proposes only the values the entry gives for its negation. Two
sentences that give a fact different values propose neither (a wrong value is worse than a
missing one), and neither do values that together break an exclusion of the vocabulary.
Every fact no sentence gives is left out: the draft addresses only what the words do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from forcecheck.model.lexicon import GAP, ConclusionClaim, Gap, Lexicon, Step, Word
from forcecheck.model.logic import Value

if TYPE_CHECKING:
    from forcecheck.model.vocabulary import Vocabulary

#: A token: an abbreviation (U.S.), a word (with inner apostrophes or hyphens), or a mark
#: that ends a clause. Quotation marks are not tokens: "fired “defensive” shots" matches.
_TOKEN = re.compile(r"[A-Za-z](?:\.[A-Za-z])+\.?|\w+(?:['’\-]\w+)*|[,;:()!?.…—–]|(?<=\s)-(?=\s)")
#: Tokens that end the clause a negation cue is looked for in.
_CLAUSE_ENDS = frozenset({";", ":", "(", ")", "!", "?", ".", "—", "–", "-", ",", "but"})
#: A quotation inside a sentence, long enough to hold sentences of its own.
_QUOTED = re.compile(r"[“\"]([^”\"]{40,})[”\"]")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the statement: its number (from 1) and its place in the text."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    """One token: its lower-case form, its lemma and its place in the statement."""

    form: str
    lemma: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        """Whether it is a word (not a punctuation mark)."""
        return self.form[0].isalnum()


@dataclass(frozen=True)
class Match:
    """Where one lexicon entry's pattern matched, and whether its words are asserted."""

    entry: str
    pattern: str
    sentence: Sentence
    start: int
    end: int
    words: str
    negated: bool
    #: Why the sentence's claim is not the author's own, or not asserted (else None).
    withheld: str | None


@dataclass(frozen=True)
class Claim:
    """One thing a match gives (a fact value or a stated conclusion) and what became of it."""

    match: Match
    #: A fact id, or a condition (rule id) when ``conclusion`` is set.
    name: str
    #: The fact's value (``true``/``false``) or the conclusion's status (``met``/``unmet``).
    value: str
    conclusion: bool
    #: "proposed", or why not: attributed, hedged, negated, a conflict, a repeat...
    result: str

    @property
    def proposed(self) -> bool:
        """Whether the draft proposes it."""
        return self.result == "proposed"


@dataclass(frozen=True)
class Draft:
    """Everything a draft account rests on: the sentences, every claim and its result."""

    text: str
    sentences: tuple[Sentence, ...]
    claims: tuple[Claim, ...]

    @property
    def facts(self) -> tuple[Claim, ...]:
        """The proposed fact values, in vocabulary-independent order of first mention."""
        return tuple(c for c in self.claims if c.proposed and not c.conclusion)

    @property
    def conclusions(self) -> tuple[Claim, ...]:
        """The proposed stated conclusions, in order of first mention."""
        return tuple(c for c in self.claims if c.proposed and c.conclusion)


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text`` with their character offsets, by paragraph, by pysbd.

    pysbd keeps a quotation of several sentences whole ("DHS said that “... . ... .”"); the
    quotation's own sentences are split apart too, so each value points at one sentence.
    """
    import pysbd  # type: ignore[import-untyped]  # no type hints shipped

    segmenter = pysbd.Segmenter(language="en", clean=False)
    spans: list[tuple[int, int]] = []
    for start, end in _paragraphs(text):
        for s, e in _segments(segmenter, text, start, end):
            spans += _split_quotation(segmenter, text, s, e)
    return tuple(
        Sentence(number, start, end, text[start:end])
        for number, (start, end) in enumerate(spans, start=1)
    )


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for blank in _PARAGRAPH.finditer(text):
        yield start, blank.start()
        start = blank.end()
    yield start, len(text)


def _segments(segmenter: object, text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentences pysbd finds in ``text[start:end]``, located by a moving cursor, trimmed."""
    cursor = start
    for piece in segmenter.segment(text[start:end]):  # type: ignore[attr-defined]
        found = text.find(piece, cursor, end)
        if found < 0:  # pysbd changed the text: fall back on what is left
            found = cursor
        s, e = _trim(text, found, min(end, found + len(piece)))
        cursor = max(cursor, found + len(piece))
        if s < e:
            yield s, e


def _split_quotation(segmenter: object, text: str, start: int, end: int) -> list[tuple[int, int]]:
    quoted = _QUOTED.search(text, start, end)
    if quoted is None:
        return [(start, end)]
    inner = list(_segments(segmenter, text, quoted.start(1), quoted.end(1)))
    cuts = [s for s, _ in inner[1:]]
    bounds = [start, *cuts, end]
    return [_trim(text, a, b) for a, b in pairwise(bounds)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokens(sentence: Sentence, lemmas: dict[str, str]) -> tuple[Token, ...]:
    """The tokens of one sentence, with their lemmas (the lexicon's lookup table)."""
    found = []
    for m in _TOKEN.finditer(sentence.text):
        form = m.group().lower().replace("’", "'")
        found.append(
            Token(
                form, lemmas.get(form, form), sentence.start + m.start(), sentence.start + m.end()
            )
        )
    return tuple(found)


def _fits(step: Word, token: Token) -> bool:
    if not token.is_word:
        return False
    if step.exact:
        return token.form in step.options
    return token.form in step.options or token.lemma in step.options


def _match_at(
    steps: tuple[Step, ...], toks: tuple[Token, ...], at: int
) -> tuple[int, list[int]] | None:
    """The end of a match of ``steps`` at token ``at`` and the tokens its gaps skipped."""

    def walk(step_index: int, position: int, skipped: list[int]) -> tuple[int, list[int]] | None:
        if step_index == len(steps):
            return position, skipped
        step = steps[step_index]
        if isinstance(step, Gap):
            following = steps[step_index + 1]
            assert isinstance(following, Word)  # parse_pattern: a gap stands between words
            for size in range(GAP + 1):
                probe = position + size
                if probe >= len(toks):
                    return None
                if size and not (toks[probe - 1].is_word or toks[probe - 1].form == ","):
                    return None
                if _fits(following, toks[probe]):
                    found = walk(step_index + 2, probe + 1, [*skipped, *range(position, probe)])
                    if found is not None:
                        return found
            return None
        if position < len(toks) and _fits(step, toks[position]):
            return walk(step_index + 1, position + 1, skipped)
        return None

    return walk(0, at, [])


def _find(
    steps: tuple[Step, ...], toks: tuple[Token, ...], present: frozenset[str] | None = None
) -> tuple[int, int, list[int]] | None:
    """The first match of ``steps`` in ``toks``: its first token, its end, its skipped tokens.

    ``present`` (every form and lemma of the sentence) rules out at once a pattern one of
    whose words the sentence lacks: most patterns, in most sentences.
    """
    if present is not None and any(
        isinstance(step, Word) and not (step.options & present) for step in steps
    ):
        return None
    first = steps[0]
    assert isinstance(first, Word)  # parse_pattern: a pattern starts with a word
    for at, token in enumerate(toks):
        if not _fits(first, token):
            continue
        found = _match_at(steps, toks, at)
        if found is not None:
            return at, found[0], found[1]
    return None


def _present(toks: tuple[Token, ...]) -> frozenset[str]:
    return frozenset(t.form for t in toks) | frozenset(t.lemma for t in toks)


def _negated(lexicon: Lexicon, toks: tuple[Token, ...], at: int, skipped: Iterable[int]) -> bool:
    def cue(token: Token) -> bool:
        return token.form in lexicon.negation_cues or (
            "n't" in lexicon.negation_cues and token.form.endswith("n't")
        )

    if any(cue(toks[i]) for i in skipped):
        return True
    for i in range(at - 1, max(-1, at - 1 - lexicon.negation_window), -1):
        if toks[i].form in _CLAUSE_ENDS:
            break
        if cue(toks[i]):
            return True
    return False


def _withheld(lexicon: Lexicon, sentence: Sentence, toks: tuple[Token, ...]) -> str | None:
    present = _present(toks)
    if sentence.text.rstrip("”\"' ").endswith("?"):
        return "a question"
    kinds = (("attributed to others", lexicon.attribution), ("hedged", lexicon.hedges))
    for label, patterns in kinds:
        for _, steps in patterns:
            found = _find(steps, toks, present)
            if found is not None:
                at, end, _ = found
                words = sentence.text[
                    toks[at].start - sentence.start : toks[end - 1].end - sentence.start
                ]
                return f'{label} ("{words}")'
    return None


def find_matches(text: str, lexicon: Lexicon) -> tuple[tuple[Sentence, ...], tuple[Match, ...]]:
    """Every sentence of ``text``, and every entry's first match in each sentence."""
    sentences = split_sentences(text)
    matches: list[Match] = []
    for sentence in sentences:
        toks = tokens(sentence, lexicon.lemmas)
        withheld = _withheld(lexicon, sentence, toks)
        present = _present(toks)
        for compiled in lexicon.entries:
            for pattern, steps in compiled.patterns:
                found = _find(steps, toks, present)
                if found is None:
                    continue
                at, end, skipped = found
                start, stop = toks[at].start, toks[end - 1].end
                matches.append(
                    Match(
                        entry=compiled.id,
                        pattern=pattern,
                        sentence=sentence,
                        start=start,
                        end=stop,
                        words=text[start:stop],
                        negated=_negated(lexicon, toks, at, skipped),
                        withheld=withheld,
                    )
                )
                break
    return sentences, tuple(matches)


def make_draft(
    text: str,
    lexicon: Lexicon,
    vocabulary: Vocabulary,
    conditions: Iterable[str],
    policy_id: str,
) -> Draft:
    """The draft account of ``text``: each claim its words make, and what became of it.

    ``conditions`` are the rule ids of the policy the draft names (``policy_id``): a stated
    conclusion about any other condition is shown, not proposed.
    """
    sentences, matches = find_matches(text, lexicon)
    entries = {compiled.id: compiled.entry for compiled in lexicon.entries}
    known = set(conditions)
    raw: list[Claim] = []
    for match in matches:
        entry = entries[match.entry]
        gives = entry.negated if match.negated else entry.facts
        for fact_id, value in (entry.facts if match.negated and not gives else gives).items():
            result = "proposed"
            if match.withheld:
                result = f"not proposed: {match.withheld}"
            elif match.negated and not entry.negated:
                result = "not proposed: negated, and the entry gives no value for its negation"
            raw.append(Claim(match, fact_id, "true" if value else "false", False, result))
        if entry.conclusion is not None:
            raw.append(_conclusion_claim(match, entry.conclusion, known, policy_id))
    return Draft(text, sentences, _settle(raw, vocabulary))


def _conclusion_claim(
    match: Match, claim: ConclusionClaim, known: set[str], policy_id: str
) -> Claim:
    result = "proposed"
    if match.withheld:
        result = f"not proposed: {match.withheld}"
    elif match.negated:
        result = "not proposed: negated"
    elif claim.condition not in known:
        result = f"not proposed: {policy_id} has no condition '{claim.condition}'"
    return Claim(match, claim.condition, claim.status, True, result)


def _settle(claims: list[Claim], vocabulary: Vocabulary) -> tuple[Claim, ...]:
    """Keep the first claim per fact or condition; drop conflicts and broken exclusions."""
    first: dict[tuple[bool, str], Claim] = {}
    conflicting: set[tuple[bool, str]] = set()
    for claim in claims:
        if not claim.proposed:
            continue
        key = (claim.conclusion, claim.name)
        if key not in first:
            first[key] = claim
        elif first[key].value != claim.value:
            conflicting.add(key)
    values = {
        name: Value.TRUE if claim.value == "true" else Value.FALSE
        for (conclusion, name), claim in first.items()
        if not conclusion and (conclusion, name) not in conflicting
    }
    excluded: dict[str, str] = {}
    while (broken := vocabulary.broken_exclusion(values)) is not None:
        for fact_id in broken.exclusion.facts:
            if fact_id in values:
                excluded[fact_id] = broken.id
                del values[fact_id]
    settled = []
    for claim in claims:
        key = (claim.conclusion, claim.name)
        result = claim.result
        if claim.proposed:
            if key in conflicting:
                others = sorted(
                    {
                        c.match.sentence.number
                        for c in claims
                        if (c.conclusion, c.name) == key and c.proposed and c.value != claim.value
                    }
                )
                result = "not proposed: sentence " + ", ".join(map(str, others)) + " says otherwise"
            elif not claim.conclusion and claim.name in excluded:
                result = f"not proposed: with the others it breaks exclusion {excluded[claim.name]}"
            elif first[key] is not claim:
                result = f"same as sentence {first[key].match.sentence.number}"
        settled.append(Claim(claim.match, claim.name, claim.value, claim.conclusion, result))
    return tuple(settled)
