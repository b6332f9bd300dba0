"""Loading the phrase lexicon (``lexicon.yaml``): its layout, patterns and fact ids checked.

Every mistake is one located error, as for every other file: a misspelt key, a pattern that
does not parse, a fact the vocabulary does not declare (with the nearest id), a form listed
under two lemmas, an entry that gives nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from forcecheck.errors import SchemaError, UnknownFactError, did_you_mean
from forcecheck.load.input_bytes import input_name
from forcecheck.load.library import LEXICON_FILE, shipped_policy_dir
from forcecheck.load.reader import parse_bytes, read_document
from forcecheck.load.validation import validate
from forcecheck.model.document import Document
from forcecheck.model.lexicon import (
    ENTRY_ID_PATTERN,
    CompiledEntry,
    Lexicon,
    LexiconFile,
    PatternError,
    Step,
    parse_pattern,
)
from forcecheck.model.vocabulary import Vocabulary


def shipped_lexicon_path() -> Path:
    """The lexicon shipped with forcecheck, beside the shipped vocabulary."""
    return shipped_policy_dir() / LEXICON_FILE


def load_lexicon(path: str | Path, vocabulary: Vocabulary, *, raw: bytes | None = None) -> Lexicon:
    """Read and validate a lexicon file against ``vocabulary``; a located error if bad."""
    doc = read_document(path) if raw is None else parse_bytes(raw, input_name(path))
    parsed = validate(LexiconFile, doc)
    lemmas = _lemmas(parsed, doc)
    entries: list[CompiledEntry] = []
    for entry_id, entry in parsed.entries.items():
        where = ("entries", entry_id)
        if not re.match(ENTRY_ID_PATTERN, entry_id):
            raise SchemaError(
                f"entry id '{entry_id}' is not a valid id",
                location=doc.locate(where, key=True),
                help="use lower-case letters, digits and underscores, starting with a letter",
            )
        if not entry.facts and entry.conclusion is None:
            raise SchemaError(
                f"entry '{entry_id}' gives no fact value and no conclusion",
                location=doc.locate(where, key=True),
                help="add `facts:` (fact id: true or false) or `conclusion:`",
            )
        for block in ("facts", "negated"):
            for fact_id in getattr(entry, block):
                if fact_id not in vocabulary:
                    raise UnknownFactError(
                        f"entry '{entry_id}' names an undeclared fact '{fact_id}'",
                        location=doc.locate((*where, block, fact_id), key=True),
                        help=did_you_mean(fact_id, vocabulary.ids)
                        or f"declare the fact in {Path(vocabulary.path).name}",
                    )
        patterns = tuple(
            (text, _parse(text, doc, (*where, "patterns", index)))
            for index, text in enumerate(entry.patterns)
        )
        entries.append(CompiledEntry(entry_id, entry, patterns))
    return Lexicon(
        path=str(path),
        entries=tuple(entries),
        lemmas=lemmas,
        negation_cues=frozenset(cue.lower().replace("’", "'") for cue in parsed.negation.cues),
        negation_window=parsed.negation.window,
        attribution=tuple(
            (text, _parse(text, doc, ("attribution", i)))
            for i, text in enumerate(parsed.attribution)
        ),
        hedges=tuple(
            (text, _parse(text, doc, ("hedges", i))) for i, text in enumerate(parsed.hedges)
        ),
    )


def _parse(text: str, doc: Document, where: tuple[str | int, ...]) -> tuple[Step, ...]:
    try:
        return parse_pattern(text)
    except PatternError as exc:
        raise SchemaError(
            f"pattern '{text}': {exc}",
            location=doc.locate(where),
            help="words separated by spaces; a|b for either, =form for that form only, "
            "... for up to four tokens between two words",
        ) from None


def _lemmas(parsed: LexiconFile, doc: Document) -> dict[str, str]:
    """Every form's lemma; a located error for a form listed under two lemmas."""
    lemmas: dict[str, str] = {}
    for lemma, forms in parsed.forms.items():
        for index, form in enumerate(forms):
            key = form.lower().replace("’", "'")
            if key in lemmas and lemmas[key] != lemma:
                raise SchemaError(
                    f"form '{form}' is listed under two lemmas, '{lemmas[key]}' and '{lemma}'",
                    location=doc.locate(("forms", lemma, index)),
                    help="a form has one lemma: list it once",
                )
            lemmas[key] = lemma
    return lemmas
