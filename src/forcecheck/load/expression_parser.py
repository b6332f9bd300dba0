"""Parsing a rule's expression: the combinators as a file writes them, names resolved.

Built from the combinators' entries (:data:`forcecheck.model.semantics.COMBINATORS`): each
slot's key and what it takes (one expression, a list, a count, a choice). A bare name is a
rule of the policy when it defines one by that name, else a fact of the vocabulary. Every
error is located in the file, with a help line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forcecheck.errors import SchemaError, UnknownFactError, did_you_mean
from forcecheck.load.policy_reference import POLICY_KEY, Imports
from forcecheck.model.document import DocPath, Document
from forcecheck.model.policy import Combination, Expr, FactRef, RuleRef
from forcecheck.model.semantics import BY_OP, COMBINATORS, FORMS, KEYS, Combinator
from forcecheck.model.vocabulary import Vocabulary

if TYPE_CHECKING:
    from forcecheck.load.policy_file import PolicyFile

#: Every key an expression may have (the combinators' slots).
EXPRESSION_KEYS = KEYS


class ExpressionParser:
    """Turns the raw expression data of rules into :data:`Expr` trees, resolving names."""

    def __init__(
        self,
        doc: Document,
        spec: PolicyFile,
        vocabulary: Vocabulary,
        imports: Imports | None = None,
    ) -> None:
        self.doc = doc
        self.spec = spec
        self.vocabulary = vocabulary
        #: The policies ``{policy: ID}`` leaves name (None: references are refused).
        self.imports = imports

    def rule_expr(self, rule_id: str) -> Expr:
        """The expression of rule ``rule_id`` (its default reading)."""
        # The forms as the file writes them, not as the model holds them: the model cannot
        # tell `all:` left empty (null) from no `all` at all, and an empty form is an error.
        written = self.doc.data["rules"][rule_id]
        raw = {key: value for key, value in written.items() if key in EXPRESSION_KEYS}
        return self.mapping(raw, ("rules", rule_id), owner=rule_id)

    def reading_expr(self, rule_id: str, name: str) -> Expr:
        """The expression of the alternative reading ``name`` of ``rule_id``."""
        written = self.doc.data["rules"][rule_id]["readings"][name]
        raw = {key: value for key, value in written.items() if key in EXPRESSION_KEYS}
        return self.mapping(raw, ("rules", rule_id, "readings", name), owner=rule_id)

    def parse(self, raw: Any, path: DocPath, owner: str) -> Expr:
        """An expression at ``path``: a name, or a mapping with one combinator's keys."""
        if isinstance(raw, str):
            return self.name(raw, path, owner)
        if isinstance(raw, dict) and POLICY_KEY in raw:
            return self.policy_decision(raw, path)
        if isinstance(raw, dict):
            for key in raw:
                if key not in EXPRESSION_KEYS:
                    raise SchemaError(
                        f"unknown key '{key}' in an expression",
                        location=self.doc.locate((*path, key), key=True),
                        help=did_you_mean(key, EXPRESSION_KEYS)
                        or f"an expression is one of {FORMS}",
                    )
            return self.mapping(raw, path, owner)
        raise SchemaError(
            f"an expression must be a fact or rule name, or a mapping with one of {FORMS}",
            location=self.doc.locate(path),
            help="write a name (`warning_shot`) or a mapping (`all: [a, b]`, `not: a`)",
        )

    def mapping(self, raw: dict[str, Any], path: DocPath, owner: str) -> Expr:
        """A mapping that must hold exactly one combinator, with its keys and no others."""
        forms = [c.op for c in COMBINATORS if c.op in raw]  # in declaration order
        if len(forms) != 1:
            for key in raw:  # a key that belongs with another: `then` without `if`
                owners = [c for c in COMBINATORS if key in (s.key for s in c.slots[1:])]
                if key not in BY_OP and owners and not forms:
                    raise SchemaError(
                        f"`{key}` without `{owners[0].op}`",
                        location=self.doc.locate((*path, key), key=True),
                        help=f"write `{owners[0].op}:` beside `{key}:`",
                    )
            found = ", ".join(forms) if forms else "none"
            raise SchemaError(
                f"an expression needs exactly one of {FORMS} (found: {found})",
                location=self.doc.locate(path, key=True),
                help="split it into separate named rules, or nest one inside another",
            )
        combinator = BY_OP[forms[0]]
        own = {slot.key for slot in combinator.slots}
        for key in raw:
            if key not in own:
                raise SchemaError(
                    f"`{key}` does not go with `{combinator.op}`",
                    location=self.doc.locate((*path, key), key=True),
                    help=f"`{combinator.op}` is written with {', '.join(sorted(own))}",
                )
        return self.combination(combinator, raw, path, owner)

    def combination(
        self, combinator: Combinator, raw: dict[str, Any], path: DocPath, owner: str
    ) -> Combination:
        """One use of ``combinator``, each slot's value checked and parsed."""
        parts: list[Expr] = []
        sizes: list[int] = []
        params: list[tuple[str, int]] = []
        for slot in combinator.slots:
            where = (*path, slot.key)
            if slot.key not in raw:
                raise SchemaError(
                    f"`{combinator.op}` without `{slot.key}`",
                    location=self.doc.locate((*path, combinator.op), key=True),
                    help=f"write `{slot.key}:` beside `{combinator.op}:` ({slot.words})",
                )
            value = raw[slot.key]
            if slot.takes == "count":
                if type(value) is not int or value < 1:
                    raise SchemaError(
                        f"`{slot.key}` needs a whole number of at least 1",
                        location=self.doc.locate(where),
                        help=f"write `{slot.key}: 2`",
                    )
                params.append((slot.key, value))
            elif slot.takes == "choice":
                if value not in slot.choices:
                    raise SchemaError(
                        f"`{slot.key}` must be one of {', '.join(slot.choices)}",
                        location=self.doc.locate(where),
                        help=did_you_mean(str(value), slot.choices) or slot.words,
                    )
                params.append((slot.key, value))
            elif slot.takes == "exprs":
                if not isinstance(value, list) or not value:
                    raise SchemaError(
                        f"`{slot.key}` needs a non-empty list",
                        location=self.doc.locate(where),
                        help=f"write `{slot.key}: [a, b]`",
                    )
                parts.extend(self.parse(item, (*where, i), owner) for i, item in enumerate(value))
                sizes.append(len(value))
            else:
                parts.append(self.parse(value, where, owner))
                sizes.append(1)
        return Combination(combinator.op, tuple(parts), path, tuple(sizes), tuple(params))

    def policy_decision(self, raw: dict[str, Any], path: DocPath) -> Expr:
        """``{policy: ID}``: the decision of policy ID of the same directory, copied in."""
        location = self.doc.locate((*path, POLICY_KEY))
        if len(raw) != 1:
            extra = next(key for key in raw if key != POLICY_KEY)
            raise SchemaError(
                f"`{extra}` does not go with `{POLICY_KEY}`",
                location=self.doc.locate((*path, extra), key=True),
                help="`{policy: ID}` stands alone: combine it with others in an `all` or `any`",
            )
        if self.imports is None:
            raise SchemaError(
                "this policy cannot read another policy's decision",
                location=location,
                help="only a policy file read from a directory may reference its neighbours",
            )
        ref = self.imports.decision_of(raw[POLICY_KEY], location)
        return RuleRef(ref.rule, path)

    def name(self, name: str, path: DocPath, owner: str) -> Expr:
        """A bare name: the policy's rule of that name, else the vocabulary's fact."""
        if name in self.spec.rules:
            return RuleRef(name, path)
        if name in self.vocabulary:
            return FactRef(name, path)
        hint = did_you_mean(name, [*self.spec.rules, *self.vocabulary.ids])
        raise UnknownFactError(
            f"rule '{owner}' names '{name}', which is neither a rule of this policy nor a "
            "declared fact",
            location=self.doc.locate(path),
            help=hint or f"declare the fact in {self.vocabulary.path} or define the rule",
        )
