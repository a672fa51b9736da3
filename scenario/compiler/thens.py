"""Then-steps: claims about the world after the when-steps.

A claim is one of: the outcome of the actions (`then it fails with ...`); that a
resource exists, was retained or passed through a state; that it is in a state,
boolean or enum value (`is running`), or related to another (`is associated with
"web"`); that it has an attribute or a number of related resources; that an
attribute is, compares with, changes or keeps a value. Claims that compare with
the world before a when-group record the probe the runner must take then.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .. import ir
from .. import syntax as s
from ..errors import InternalError
from ..syntax import LiteralKind, NounForm, PredicateForm
from ..vocabulary import Attribute, Kind
from .context import MAX_CLAIM_COUNT, _a, _grouped, _part, _type_phrase
from .references import References
from .values import Values

_NUMERIC = ("number", "quantity")


class Thens(References, Values):
    """The then form of a step."""

    def _then(self, sen: s.Sentence) -> None:
        if sen.passing is not None:
            self.error("time passes in a when-step, not in a claim", sen.passing.col)
        np, pred = sen.np, sen.predicate
        if pred is None:
            self.error("a then-step claims something: `then \"web\" is running`", np.col if np else None)
        b = self._base()
        match pred.form:
            case PredicateForm.FAILS | PredicateForm.SUCCEEDS:
                self._claim_outcome(np, pred, b)
            case PredicateForm.EXISTS | PredicateForm.RETAINED | PredicateForm.PASSED:
                self._claim_presence(np, pred, b)
            case PredicateForm.IS_WORDS:
                if pred.negated and pred.words is not None:
                    self._not_negatable(pred, pred.words)
                self._then_is_words(np, pred, b)
            case PredicateForm.HAS:
                self._claim_has(np, pred, b)
            case PredicateForm.HAS_COUNT:
                subject = self._subject(np, pred.col)
                if not isinstance(pred.value, s.Literal):  # pragma: no cover - the grammar's `has <number> <words>`
                    raise InternalError("a count claim without its number")
                self._count_claim(_part(pred.words), None, subject, "is", pred.value, False, b)
            case _ if np is not None and np.form == NounForm.COUNT:
                self._claim_number_of(np, pred, b)
            case _:  # attribute claims: is <value>, compare, equals, text, changes, unchanged
                self._claim_attr(np, pred, b)

    def _claim_has(self, np: s.NounPhrase | None, pred: s.Predicate, b: dict) -> None:
        """`has a public ipv4`, `has no public ipv4`, `has active tracing`."""
        subject = self._subject(np, pred.col)
        kind = self._kind_of(subject)
        attr = self._attribute(kind, _part(pred.words))
        if pred.extra is None and attr.type == "boolean":  # `has active tracing`: it is so
            self.steps.append(ir.ClaimState(**b, slot=subject, attribute=attr.name, value=True, negated=pred.negated))
            return
        if pred.extra is None and attr.choice != "presence":
            self.error(f"say what {self.slots[subject].label} has: `has {_a(attr.name)}`, or its value: "
                       f"`the {attr.name} of {self.slots[subject].label} is ...`", pred.col)
        self.steps.append(ir.ClaimHas(**b, slot=subject, attribute=attr.name, negated=pred.negated))

    # ---------------------------------------------------------------- the when-group compared with
    def _need_when(self, what: str, col: int) -> None:
        if self.when_index < 0:
            self.error(f"`{what}` needs an earlier when-step to compare with", col, "add `when ...` before this claim")

    def _existed_before(self, slot: int, what: str, col: int) -> None:
        """`changes`, `is unchanged`, `is retained` compare with the world before the nearest when-group."""
        made = self.created_in.get(slot)
        if made is not None and made[0] == self.when_index:
            label = self.slots[slot].label
            self.error(f"`{what}` compares with the moment before the when-group, but {label} was created in it (line {made[1]}): "
                       "nothing existed before that when-group to compare with", col,
                       "create it in a given, or compare after a later when-step")

    def _probe(self, probe: ir.Probe) -> None:
        group = self.probes[self.when_index]
        if probe not in group:
            group.append(probe)

    # ---------------------------------------------------------------- outcome, existence, states
    def _claim_outcome(self, np: s.NounPhrase | None, pred: s.Predicate, b: dict) -> None:
        """`then it fails with "Code"`, `then it succeeds`: said of the when-steps just before."""
        f = pred.form
        if np is not None and np.form != NounForm.IT:
            self.error(f"`{f}` is said of the action: `then it {f}`", np.col)
        self._need_when(f"it {f}", pred.col)
        if self.steps_since_when != 0:
            self.error(f"`then it {f}` must directly follow the when-steps it speaks of", pred.col)
        self.captured.add(self.when_index)
        self.steps.append(ir.ClaimOutcome(**b, fails=f == PredicateForm.FAILS, code=pred.extra))

    def _claim_presence(self, np: s.NounPhrase | None, pred: s.Predicate, b: dict) -> None:
        """`exists`, `is retained`, `passed through <state>`."""
        subject = self._subject(np, pred.col)
        match pred.form:
            case PredicateForm.EXISTS:
                self.steps.append(ir.ClaimExists(**b, slot=subject, negated=pred.negated))
            case PredicateForm.RETAINED:
                self._need_when("is retained", pred.col)
                self._existed_before(subject, "is retained", pred.col)
                self._probe(ir.Probe("retained", subject))
                self.steps.append(ir.ClaimRetained(**b, slot=subject))
            case _:  # passed through <state>
                self._need_when("passed through", pred.col)
                kind = self._kind_of(subject)
                words = _part(pred.words)
                st = kind.state(" ".join(words.words).lower())
                if st is None:
                    hint = self.suggest(words.text, [x.name for x in kind.states])
                    self.error(f"{_a(kind.name)} has no state `{words.text}`", words.col, hint, words.end)
                self.steps.append(ir.ClaimPassed(**b, slot=subject, state=st.name))

    def _not_negatable(self, pred: s.Predicate, words: s.Words) -> None:
        """`is not retained`, `not passed through`, `is not unchanged` (``words``: the predicate's): say what to write
        instead."""
        low = [w.lower() for w in words.words]
        said, hint = None, None
        if low[:1] == ["retained"]:
            said, hint = "is retained", 'to claim it is gone, write `then "eip" does not exist`; a relation that ended, `is not associated with "web"`'
        elif low[:2] == ["passed", "through"]:
            said, hint = "passed through", 'claim what it did pass through, or the state it ended in: `then "web" is stopped`'
        elif low[:1] == ["unchanged"]:
            said, hint = "is unchanged", "write `changes`"
        if said is not None:
            self.error(f"`{said}` cannot be negated", pred.col, hint)

    def _then_is_words(self, np: s.NounPhrase | None, pred: s.Predicate, b: dict) -> None:
        """`is running`, `is public`, `is "gp3"`, `is associated with "web"`."""
        subject = self._subject(np, pred.col)
        kind = self._kind_of(subject)
        state = self._state_phrase(kind, pred)
        if state is not None:  # `is in the stopped state`
            self.steps.append(ir.ClaimState(**b, slot=subject, attribute="state", value=state.name, negated=pred.negated))
            return
        if pred.clauses:  # a relation: `is associated with "web"`, `is in placement group "pg"`
            self._claim_relation(subject, kind, pred, b)
            return
        words = _part(pred.words)
        if len(words.words) > 1 and words.words[0].lower() in ("still", "now", "already"):  # `is still running`
            words = s.Words(words=words.words[1:], col=words.col + len(words.words[0]) + 1, end=words.end)
        low = " ".join(words.words).lower()
        st = kind.state(low)
        if st is not None:
            self.steps.append(ir.ClaimState(**b, slot=subject, attribute="state", value=st.name, negated=pred.negated))
            return
        attr = self.vocab.attribute(kind, words.words)
        if attr is not None and attr.type == "boolean":
            if attr.capability:
                self.needs.add(attr.capability)
            self.steps.append(ir.ClaimState(**b, slot=subject, attribute=attr.name, value=True, negated=pred.negated))
            return
        for a in kind.attributes:
            if a.type == "enum" and low in [v.lower() for v in a.values]:
                if a.capability:
                    self.needs.add(a.capability)
                value = next(v for v in a.values if v.lower() == low)
                self.steps.append(ir.ClaimState(**b, slot=subject, attribute=a.name, value=value, negated=pred.negated))
                return
        options = [x.name for x in kind.states] + [a.name for a in kind.attributes if a.type == "boolean"]
        hint = self.suggest(words.text, options + [a.participle for a in kind.actions])
        if self.vocab.action(kind, words.words) is not None:
            self.error(f"`{words.text}` is an action, and a then-step claims a state", words.col,
                       f"write `when {self.slots[subject].label} is {words.text}` to act", words.end)
        self.error(f"{_a(kind.name)} is never `{words.text}`", words.col,
                   hint or f"{_a(kind.name)} can be {', '.join(options)}", words.end)

    def _state_phrase(self, kind: Kind, pred: s.Predicate):
        """`in the stopped state`, `in state stopped`: a state of the kind, or None when the words say no state."""
        if pred.words is not None or len(pred.clauses) != 1 or pred.clauses[0].connector != "in":
            return None
        body = pred.clauses[0].body
        if body.words is None or body.name is not None or body.value is not None or body.det not in (None, "the"):
            return None
        low = [w.lower() for w in body.words.words]
        if len(low) >= 2 and low[-1] == "state":
            name = " ".join(low[:-1])
        elif len(low) >= 2 and low[0] == "state":
            name = " ".join(low[1:])
        else:
            return None
        st = kind.state(name)
        if st is None:
            hint = self.suggest(name, [x.name for x in kind.states])
            self.error(f"{_a(kind.name)} has no state `{name}`", body.words.col,
                       hint or f"its states: {', '.join(x.name for x in kind.states) or 'none'}", body.words.end)
        return st

    def _claim_relation(self, subject: int, kind: Kind, pred: s.Predicate, b: dict) -> None:
        """`is associated with "web"`, `is in placement group "pg"`: one relation per claim."""
        words = pred.words
        clauses = list(pred.clauses)
        cl = clauses[0]
        participle = words.words if words is not None else ()
        rel = self.vocab.relation(kind, participle, cl.connector)
        if rel is None:
            names = [r.name for r in kind.relations]
            said = f"{' '.join(participle)} {cl.connector}".strip()
            hint = self.suggest(said, names)
            self.error(f"{_a(kind.name)} is never `{said}` anything", words.col if words else cl.col,
                       hint or (f"{_a(kind.name)} can be {', '.join(names)}" if names else None))
        if len(clauses) > 1:
            self.error("one relation per claim", clauses[1].col)
        target = self._ref_body(cl.body)
        # the relation to the target's kind first
        rel = self.vocab.relation(kind, participle, cl.connector, self.slots[target].kind) or rel
        self._check_target(rel.target, target, cl.body.col)
        if rel.capability:
            self.needs.add(rel.capability)
        self.steps.append(ir.ClaimRelation(**b, slot=subject, relation=rel.name, target=target, negated=pred.negated))

    # ---------------------------------------------------------------- counts of related resources
    def _claim_number_of(self, np: s.NounPhrase, pred: s.Predicate, b: dict) -> None:
        """`the number of elastic ips associated with "web" is at most 5`."""
        f = pred.form
        if f not in (PredicateForm.IS_VALUE, PredicateForm.COMPARE, PredicateForm.EQUALS):
            self.error("a number is compared: `is at most 5`", pred.col)
        words = _part(np.words)
        if len(np.clauses) != 1:
            found = self.vocab.find_kind(words.words)
            counted = found[2] if found else None
            rels = counted.relations if counted else ()
            # a relation to a resource of the scenario first: `the number of elastic ips associated with "web"`
            rel = next((r for r in rels if self.per_kind.get(r.target)), rels[0] if rels else None)
            if rel is None or counted is None:
                example = 'the number of elastic ips associated with "web"'
            else:
                mine = self.per_kind.get(rel.target)
                label = self.slots[mine[0]].label if mine else f'"<{rel.target}>"'
                example = f"the number of {counted.name}s {rel.name} {label}"
            self.error(f"say whose: `{example}`", np.col)
        clause = np.clauses[0]
        target = self._ref_body(clause.body)
        if not isinstance(pred.value, s.Literal) or pred.value.kind != LiteralKind.NUMBER:
            self.error("a number of resources is compared with a number", pred.col)
        op = "is" if f in (PredicateForm.IS_VALUE, PredicateForm.EQUALS) else _part(pred.extra)
        self._count_claim(words, clause.connector, target, op, pred.value, pred.negated, b)

    def _count_claim(self, words: s.Words, connector: str | None, target: int, op: str, lit: s.Literal, negated: bool, b: dict) -> None:
        """`the number of <kinds> [<participle>] <connector> <target>`, `<target> has N <kinds>`."""
        found = self.vocab.find_kind(words.words)
        if found is None:
            self._unknown_kind(words)
        start, stop, kind, plural = found
        if start != 0:
            self.error(f"count {kind.name}s without `{' '.join(words.words[:start])}` before them", words.col)
        count = self._claimed_count(lit)
        if connector is None:  # `has 2 elastic ips`: the count stands before the kind, as in a given
            said = " ".join(words.words[start:stop])
            if lit.value != 1 and not plural:
                self.error(f"after {lit.text}, write the plural: `{lit.text} {said}s`", words.col, end=words.end)
            if lit.value == 1 and plural:
                self.error(f"after 1, write the singular: `1 {kind.name}`", words.col, end=words.end)
        participle = " ".join(words.words[stop:]).lower()
        tkind = self.slots[target].kind
        rels = [r for r in kind.relations if r.target == tkind]
        if connector is not None:
            rels = [r for r in rels if r.preposition == connector and (not participle or r.participle == participle)]
        elif participle:
            self.error(f"`{participle}` after `{' '.join(words.words[start:stop])}` is not understood", words.col)
        if not rels:
            said = f"{participle} {connector}".strip() if connector else "related to"
            self.error(f"{_a(kind.name)} is never `{said}` {_a(tkind)}", words.col,
                       f"{_a(kind.name)} can be {', '.join(r.name + ' ' + _a(r.target) for r in kind.relations)}" if kind.relations else None)
        rel = rels[0]
        if rel.capability:
            self.needs.add(rel.capability)
        self.steps.append(ir.ClaimCount(**b, kind=kind.name, relation=rel.name, target=target, op=op, value=count, negated=negated))

    def _claimed_count(self, lit: s.Literal) -> int:
        """The number of resources a claim counts: a whole number from 0 to MAX_CLAIM_COUNT."""
        v = lit.value
        if isinstance(v, Fraction):
            if v.denominator != 1:
                self.error(f"a count is a whole number, not {lit.text}", lit.col, end=lit.end)
            v = v.numerator
        if v > MAX_CLAIM_COUNT:
            self.error(f"a count of resources is at most {MAX_CLAIM_COUNT:,}, not {_grouped(lit)}", lit.col,
                       "no scenario makes that many: check the number", lit.end)
        return v

    # ---------------------------------------------------------------- attributes
    def _claim_attr(self, np: s.NounPhrase | None, pred: s.Predicate, b: dict) -> None:
        """`the public ipv4 of "web" is none`, `... is at least 2 GiB`, `... equals the ... of ...`, `... changes`."""
        f = pred.form
        subject, attr = self._attr_subject(np, pred.col)
        if f in (PredicateForm.CHANGES, PredicateForm.UNCHANGED):
            what = "changes" if f == PredicateForm.CHANGES else "is unchanged"
            self._need_when(what, pred.col)
            self._existed_before(subject, what, pred.col)
            self._probe(ir.Probe("attribute", subject, attr.name))
            self.steps.append(ir.ClaimChange(**b, slot=subject, attribute=attr.name, changed=f == PredicateForm.CHANGES,
                                             dimension=attr.dimension))
            return
        value = pred.value
        if f == PredicateForm.TEXT:
            self._claim_text(subject, attr, pred, b)
            return
        if f == PredicateForm.COMPARE and attr.type not in _NUMERIC:
            self.error(f"the {attr.name} is not a number; it can only be `is` or `is not`", pred.col)
        if isinstance(value, s.TheAttr):
            expected: Any = self._other_attr(attr, pred, value)
        else:
            value = _part(value)
            if f == PredicateForm.COMPARE and value.kind == LiteralKind.NONE:
                self.error(f"`{pred.extra}` compares numbers, and none is not a number", value.col,
                           "write `is none` or `is not none`", value.end)
            expected = self._attr_value(attr, value)
        op = _part(pred.extra) if f == PredicateForm.COMPARE else "is"
        unit = value.unit if isinstance(value, s.Literal) and value.kind == LiteralKind.QUANTITY else None
        self.steps.append(ir.ClaimAttr(**b, slot=subject, attribute=attr.name, op=op, value=expected, negated=pred.negated,
                                       dimension=attr.dimension, unit=unit))

    def _claim_text(self, subject: int, attr: Attribute, pred: s.Predicate, b: dict) -> None:
        """`the invoke url of "api" ends with ".amazonaws.com/prod"`: part of a text, as AWS documents its shape."""
        lit = pred.value
        verb = pred.extra
        if not isinstance(lit, s.Literal) or verb is None:  # pragma: no cover - the grammar's `starts with "…"`
            raise InternalError("a text claim without its text")
        if attr.type not in ("text", "enum"):
            self.error(f"the {attr.name} is {_type_phrase(attr.type, attr.dimension, attr.integer, attr.values)}, and `{verb}` "
                       "is said of text", pred.col, "compare it with `is`, `is at least`, …")
        if lit.kind != LiteralKind.STRING:
            self.error(f"`{verb}` takes quoted text, not {lit.text}", lit.col, f'write `{verb} "{lit.text}"`', lit.end)
        self.steps.append(ir.ClaimAttr(**b, slot=subject, attribute=attr.name, op=verb, value=lit.value,
                                       negated=pred.negated, dimension=None))

    def _other_attr(self, attr: Attribute, pred: s.Predicate, value: s.TheAttr) -> ir.AttrValue:
        """`... equals the <attribute> of "other"`: an attribute compared with another, of the same type."""
        oslot, oattr = self._the_attr(value)
        if pred.form == PredicateForm.COMPARE:
            if oattr.type not in _NUMERIC:
                self.error(f"`{pred.extra}` compares numbers, and the {oattr.name} is {_type_phrase(oattr.type, oattr.dimension, oattr.integer, oattr.values)}",
                           value.col)
            if (attr.type, attr.dimension) != (oattr.type, oattr.dimension):
                mine = _type_phrase(attr.type, attr.dimension, attr.integer)
                theirs = _type_phrase(oattr.type, oattr.dimension, oattr.integer)
                self.error(f"the {attr.name} is {mine} and the {oattr.name} is {theirs}: they cannot be compared", value.col)
        return ir.AttrValue(oslot, oattr.name)

    def _attr_subject(self, np: s.NounPhrase | None, col: int) -> tuple[int, Attribute]:
        """`the public ipv4 of "web"`, `public IPv4` (of it), `the timeout`."""
        if np is None or np.form in (NounForm.NAME, NounForm.IT, NounForm.INDEF):
            self.error("say which attribute: `the public ipv4 of \"web\" ...`", col)
        of = [c for c in np.clauses if c.connector == "of"]
        if np.name is not None:
            self.error("say which attribute: `the public ipv4 of \"web\" ...`", np.col)
        words = _part(np.words)  # `the`, `count` and `bare` phrases have words
        if of:
            subject = self._ref_body(of[-1].body)
        else:
            hit = self.vocab.kind(words.words)
            if hit is not None:
                self.error(f"say which attribute of the {hit[0].name}: `the <attribute> of the {hit[0].name}`", np.col)
            subject = self._it(np.col)
        self.last_subject = subject
        attr = self._attribute(self._kind_of(subject), words)
        return subject, attr

    def _the_attr(self, value: s.TheAttr) -> tuple[int, Attribute]:
        of = [c for c in value.clauses if c.connector == "of"]
        subject = self._ref_body(of[-1].body) if of else self._it(value.col)
        return subject, self._attribute(self._kind_of(subject), value.words)
