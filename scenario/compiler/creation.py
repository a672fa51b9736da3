"""Creating resources: `a running instance "web" with an EIP in subnet "a"`, in a given or a when-step.

A creation phrase is read in order — the kind and its count, the creating action,
adjectives (a stable state, booleans, enum values), then its clauses: attributes
chosen at creation (`with instance type "t3.micro"`, `of 401 KB`), relations to
resources that exist (`in placement group "pg"`, `associated with "web"`) and
resources made along with it (`with an EIP`, `with 2 ENIs`). The IR it becomes is
a Create per resource, the actions that relate them, and the path of actions that
brings each to the state it was given.
"""

from __future__ import annotations

from typing import Any, NoReturn, Sequence

from .. import ir
from .. import syntax as s
from ..syntax import BodyKind, LiteralKind
from ..vocabulary import UNITS, Action, Attribute, Kind, Relation
from .context import _a
from .references import References
from .values import Values

_TWICE = "say it once: two values for one attribute contradict each other"


class Creation(References, Values):
    """The creation phrase, shared by givens (setup) and when-steps."""

    def _create(self, np: s.NounPhrase, participle: s.Words | None, more_clauses: Sequence[s.Clause], setup: bool):
        """`a running instance "web" with an EIP`, and its `when ... is launched` form."""
        phrase = np.words
        if phrase is None:
            self.error("say what to create: `a running instance`", np.col)
        found = self.vocab.find_kind(phrase.words)
        if found is None:
            self._unknown_kind(phrase)
        start, stop, kind, plural = found
        words = phrase.words
        count = self._creation_count(np, phrase, kind, plural, words[start:stop])
        if kind.implicit:
            if setup:
                self.steps.append(ir.Noop(**self._base()))
                return
            self.error(f"the {kind.name} exists in every world and cannot be created", phrase.col)
        creator = self._creator(kind, participle, phrase)
        state, params = self._creation_adjectives(kind, words[:start], phrase)
        if state is not None and not setup:
            self.error(f"{_a(kind.name)} created in a when-step starts {kind.initial_state}; give it a state in a given", phrase.col)
        clauses = self._creation_clause_list(np, phrase, words[stop:], more_clauses)
        relations, later, related = self._creation_clauses(kind, clauses, params)
        path: tuple[Action, ...] = ()
        if state is not None:
            to_state = kind.path_to(state)
            if to_state is None:
                self.error(f"{_a(kind.name)} cannot be brought to {state} by its actions", phrase.col)
            path = to_state
        named = next((r[4] for r in related if r[4][0] is not None), None)
        if named is not None and count != 1:
            self.error(f'"{named[0]}" names one resource, and this step makes {count} of them', named[1],
                       "drop the name, or make them one by one")
        for i in range(count):
            slot = self._new_slot(kind, np.name.value if np.name else None, np.name.col if np.name else np.col)
            self.steps.append(ir.Create(**self._base(), slot=slot, kind=kind.name, action=creator.verb, params=params,
                                        relations=relations, setup=setup))
            for verb, target in later:
                self.steps.append(ir.Act(**self._base(), slot=slot, action=verb, target=target, params=(), setup=setup))
            self._create_related(slot, related, np.col, setup)
            for act in path:
                if act.capability:
                    self.needs.add(act.capability)
                self.steps.append(ir.Act(**self._base(), slot=slot, action=act.verb, target=None, params=(), setup=setup))
            self.last_subject = slot if i == 0 else self.last_subject

    def _creation_count(self, np: s.NounPhrase, phrase: s.Words, kind: Kind, plural: bool, kind_words: Sequence[str]) -> int:
        """How many to create: `3 instances`, or one; a name goes with one only. ``phrase``: the words of ``np``."""
        count = 1
        if np.det and np.det[0].isdigit():
            count = self._count(np.det, np.col)
        if count != 1 and not plural and count > 1:
            self.error(f"after {count}, write the plural: `{count} {' '.join(kind_words)}s`", phrase.col)
        if count == 1 and plural:
            self.error(f"one {kind.name}, or several? write `{_a(kind.name)}` or a number", phrase.col)
        if np.name is not None and count != 1:
            self.error("a name belongs to one resource; drop the name or the count", np.name.col)
        return count

    def _creator(self, kind: Kind, participle: s.Words | None, words: s.Words):
        """The action that creates it: the kind's own, or the one a when-step names (`is launched`)."""
        creator = kind.creator
        if participle is not None:
            act = self.vocab.action(kind, participle.words)
            if act is None or not act.creates:
                creating = [a.participle for a in kind.actions if a.creates]
                self.error(f"{_a(kind.name)} is not `{participle.text}`: it is {', '.join(creating) or 'never created by a spec'}",
                           participle.col, end=participle.end)
            creator = act
        if creator is None:
            self.error(f"a spec cannot create {_a(kind.name)}", words.col)
        if creator.capability:
            self.needs.add(creator.capability)
        return creator

    def _creation_adjectives(self, kind: Kind, adjectives: Sequence[str], words: s.Words) -> tuple[str | None, list[tuple[str, Any]]]:
        """The adjectives before the kind: a state, booleans, enum values → (state, params)."""
        state = None
        params: list[tuple[str, Any]] = []
        if not adjectives:
            return state, params
        adj = self.vocab.adjectives(kind, adjectives)
        if adj is None:
            self._unknown_adjectives(kind, adjectives, words)
        for what, val in adj:
            if what == "state":
                if state is not None:
                    self.error(f"two states for one {kind.name}: {state} and {val}", words.col)
                state = val
            else:
                if any(n == val[0] for n, _v in params):
                    self.error(f"the {val[0]} is given twice", words.col, _TWICE)
                params.append(val)
        return state, params

    def _unknown_adjectives(self, kind: Kind, adjectives: Sequence[str], words: s.Words) -> NoReturn:
        """Adjectives that do not describe the kind: a transitional state, something that cannot be chosen, a typo."""
        bad = " ".join(adjectives)
        transitional = next((st for st in kind.states if not st.stable and st.name in (w.lower() for w in adjectives)), None)
        if transitional is not None:
            stable = ", ".join(st.name for st in kind.states if st.stable)
            self.error(f"`{transitional.name}` is a transitional state: it cannot be given, only passed through",
                       words.col, f"give a stable state ({stable}), then `when` and `passed through {transitional.name}`")
        self._bad_adjective(kind, adjectives, words)
        hint = self.suggest(bad, self.vocab.adjective_phrases(kind))
        if hint is None:  # not a near miss of an adjective: most likely a kind we do not know
            self._unknown_kind(words)
        self.error(f"`{bad}` does not describe {_a(kind.name)}", words.col, hint, words.end)

    def _bad_adjective(self, kind: Kind, adjectives: Sequence[str], words: s.Words) -> None:
        """An adjective that names something real but cannot be chosen: say why."""
        low = [w.lower() for w in adjectives]
        stable = ", ".join(st.name for st in kind.states if st.stable)
        known = set(self.vocab.adjective_phrases(kind))
        for i in range(len(low)):
            for j in range(len(low), i, -1):
                phrase = " ".join(low[i:j])
                if phrase in known:
                    break
                attr = self.vocab.attribute(kind, low[i:j])
                if attr is not None and (attr.type == "boolean" or attr.type == "enum") and not attr.settable:
                    self.error(f"`{phrase}` cannot be chosen: whether {_a(kind.name)} is {phrase} follows from its state", words.col,
                               f"give a state ({stable}) and claim it: `then ... is {phrase}`", words.end)
                enum = next((a for a in kind.attributes if a.type == "enum" and not a.settable
                             and phrase in (v.lower() for v in a.values)), None)
                if enum is not None:
                    self.error(f"`{phrase}` cannot be chosen: the {enum.name} of {_a(kind.name)} follows from what happens to it",
                               words.col, None, words.end)
                act = self.vocab.action(kind, low[i:j])
                if act is not None and kind.state(phrase) is None:
                    self.error(f"`{phrase}` is an action of {_a(kind.name)}, not a state", words.col,
                               f"give a state ({stable}), then act in a when-step: `when ... is {phrase}`", words.end)

    def _creation_clause_list(self, np: s.NounPhrase, phrase: s.Words, trailing: Sequence[str],
                              more_clauses: Sequence[s.Clause]) -> list:
        """The clauses of the phrase, words after the kind (`... associated with "web"`) made a relation.
        ``phrase``: the words of ``np``."""
        clauses: list = list(np.clauses)
        if trailing:
            if np.name is not None or not clauses:
                self.error(f"`{' '.join(trailing)}` after the kind is not understood", phrase.col)
            clauses[0] = ("rel", s.Words(words=tuple(trailing), col=phrase.col, end=phrase.end), clauses[0])
        if np.rel is not None:
            clauses.insert(0, ("rel", np.rel[0], np.rel[1]))
        clauses.extend(more_clauses)
        return clauses

    def _creation_clauses(self, kind: Kind, clauses: list, params: list) -> tuple[list, list, list]:
        """Every clause, in order → (relations passed to the create, relations an action makes later, resources made with it)."""
        relations: list[tuple[str, int]] = []
        later: list = []  # relations made by an action after creation
        related: list = []  # resources to create with it: `with an EIP`
        clauses = self._participle_relations(kind, clauses)
        previous = None  # `with "eni" and "eni2"`: an `and` repeats the connector of the relation before it
        for cl in clauses:
            if isinstance(cl, tuple):  # `associated with "web"`: a participle's own relation
                previous = None
            else:
                if cl.connector == "and" and cl.body.kind == BodyKind.VALUE and cl.body.name is not None:
                    # `with engine "x" and "key"` = `with "key"`
                    cl = s.Clause(connector=previous or "with", body=cl.body, col=cl.col)
                previous = cl.connector if cl.body.kind == BodyKind.VALUE and cl.body.name is not None else None
            self._creation_clause(kind, cl, params, relations, later, related)
        return relations, later, related

    def _participle_relations(self, kind: Kind, clauses: list) -> list:
        """`... sourced from "in" and writing to "out"`: `and writing` + `to "out"` is one relation."""
        out: list = []
        i = 0
        while i < len(clauses):
            cl = clauses[i]
            nxt = clauses[i + 1] if i + 1 < len(clauses) else None
            if (not isinstance(cl, tuple) and not isinstance(nxt, tuple) and nxt is not None and cl.connector in ("and", "with")
                    and cl.body.kind == BodyKind.WORDS and cl.body.value is None and cl.body.words is not None
                    and self.vocab.attribute(kind, cl.body.words.words) is None
                    and self.vocab.relation(kind, cl.body.words.words, nxt.connector) is not None):
                out.append(("rel", cl.body.words, nxt))
                i += 2
                continue
            out.append(cl)
            i += 1
        return out

    def _creation_clause(self, kind: Kind, cl, params: list, relations: list, later: list, related: list) -> None:
        if isinstance(cl, tuple):  # a relation written as words + clause: `associated with "web"`
            self._participle_clause(kind, cl, relations, later)
            return
        body = cl.body
        conn = cl.connector
        # a measure: `an item of 401 KB` sets the kind's one settable quantity of that dimension
        if (conn == "of" and body.kind == BodyKind.VALUE and body.name is None and body.value is not None
                and body.value.kind in (LiteralKind.QUANTITY, LiteralKind.NUMBER)):
            self._measure_clause(kind, body.value, params)
            return
        # a relation by preposition alone: `in placement group "pg"`, `with "web"`
        named_kind = (conn in ("with", "and") and body.kind == BodyKind.WORDS and body.value is not None
                      and body.value.kind == LiteralKind.STRING and self.vocab.attribute(kind, body.words.words) is None
                      and self.vocab.kind(body.words.words) is not None)
        if named_kind:  # `with execution role "r"`: the resource of that kind named "r", as `with "r"`
            conn = "with"
        if (conn in ("in", "of", "to", "into", "from", "on") or named_kind
                or (conn in ("with", "and") and body.kind == BodyKind.VALUE and body.name is not None)):
            self._preposition_clause(kind, conn, cl, relations, later)
            return
        if conn not in ("with", "and"):
            self.error(f"`{conn}` cannot start this clause", cl.col)  # pragma: no cover
        # with <attribute> <value>, with a <attribute>, with no <attribute>, with a <kind>, with N <kinds>
        if body.words is None:
            self.error("say what it is created with: `with instance type \"t3.micro\"`", body.col)
        attr = self.vocab.attribute(kind, body.words.words)
        if attr is not None:
            self._with_attribute(kind, attr, body, params)
            return
        switch = self._attribute_switch(kind, body)
        if switch is not None:  # `with multi-az enabled`
            attr, value = switch
            if not attr.settable:
                self.error(f"the {attr.name} of {_a(kind.name)} cannot be chosen at creation", body.col)
            if any(n == attr.name for n, _v in params):
                self.error(f"the {attr.name} is given twice", body.col, _TWICE)
            params.append((attr.name, value))
            return
        self._with_resource(kind, body, body.words, related)

    def _participle_clause(self, kind: Kind, cl: tuple, relations: list, later: list) -> None:
        """`associated with "web"`: a relation named by its participle and connector."""
        _, words, clause = cl
        rel = self.vocab.relation(kind, words.words, clause.connector)
        if rel is None:
            names = [r.name for r in kind.relations]
            hint = self.suggest(f"{words.text} {clause.connector}", names)
            self.error(f"{_a(kind.name)} is not `{words.text} {clause.connector}` anything", words.col,
                       hint or (f"{_a(kind.name)} can be {', '.join(names)}" if names else None))
        target = self._ref_body(clause.body)
        # the relation to the target's kind first
        rel = self.vocab.relation(kind, words.words, clause.connector, self.slots[target].kind) or rel
        self._check_target(rel.target, target, clause.body.col)
        self._relate(rel, target, relations, later)

    def _preposition_clause(self, kind: Kind, conn: str, cl: s.Clause, relations: list, later: list) -> None:
        """`in placement group "pg"`, `with "web"`: a relation found by its preposition and the target's kind."""
        target = self._ref_body(cl.body)
        tkind = self.slots[target].kind
        rel = next((r for r in kind.relations if r.preposition == conn and r.target == tkind and not r.participle), None)
        if rel is None:
            rel = next((r for r in kind.relations if r.preposition == conn and r.target == tkind), None)
        if rel is None:
            other = next((r for r in kind.relations if r.target == tkind), None)
            hint = (f"{_a(kind.name)} is `{other.name}` {_a(tkind)}: write `{self.rewritten(cl.col, cl.col + len(conn), other.name)}`"
                    if other else f"nothing relates {_a(kind.name)} to {_a(tkind)}")
            self.error(f"{_a(kind.name)} cannot be created `{conn}` {_a(tkind)}", cl.col, hint)
        self._relate(rel, target, relations, later)

    def _with_attribute(self, kind: Kind, attr: Attribute, body: s.Body, params: list) -> None:
        """`with <attribute> <value>`, `with a <attribute>`, `with no <attribute>`, `with 2 shards`."""
        if attr.capability:
            self.needs.add(attr.capability)
        if not attr.settable:
            self.error(f"the {attr.name} of {_a(kind.name)} cannot be chosen at creation", body.col,
                       f"settable: {', '.join(a.name for a in kind.attributes if a.settable) or 'nothing'}")
        presence = attr.choice == "presence"
        if body.kind == BodyKind.WORDS and body.value is not None:
            if presence:
                self.error(f"the {attr.name} of {_a(kind.name)} cannot be chosen, only whether there is one", body.value.col,
                           f"write `with {_a(attr.name)}` or `with no {attr.name}`", body.value.end)
            value = self._attr_value(attr, body.value, none_ok=False)
        elif body.kind == BodyKind.WORDS and body.value is None:
            if presence:
                self.error(f"say whether it has one: `with {_a(attr.name)}` or `with no {attr.name}`", body.col)
            if attr.type != "boolean":
                self.error(f"give the {attr.name} a value: `with {attr.name} <value>`", body.col)
            value = True
        elif body.kind == BodyKind.DET and body.det in ("a", "an", "no") and body.name is None:
            if not presence and attr.type != "boolean":
                self.error(f"give the {attr.name} a value: `with {attr.name} <value>`", body.col)
            value = body.det != "no"
        elif body.kind == BodyKind.DET and body.det is not None and body.det[0].isdigit() and attr.type in ("number",):
            # `with 2 shards`: a value, not a count of resources, so 0 or 100,000 are the backend's to judge
            text = body.det.replace(",", "")
            if not text.isdigit():
                self.error(f"the {attr.name} is a whole number, not {body.det}", body.col)
            value = int(text)  # at most 18 digits: the lexer has checked (scenario.parser.MAX_DIGITS)
        else:
            self.error(f"cannot read this as a {attr.name}", body.col)
        if any(n == attr.name for n, _v in params):
            self.error(f"the {attr.name} is given twice", body.col, _TWICE)
        params.append((attr.name, value))

    def _with_resource(self, kind: Kind, body: s.Body, words: s.Words, related: list) -> None:
        """`with an EIP`, `with 2 ENIs`: resources created along with this one and related to it (``words``: the body's)."""
        hit = self.vocab.kind(words.words)
        if (hit is not None and body.kind == BodyKind.DET and body.det is not None
                and (body.det in ("a", "an") or body.det[0].isdigit())):
            rkind = hit[0]
            n = 1 if body.det in ("a", "an") else self._count(body.det, body.col)
            rel = next((r for r in rkind.relations if r.target == kind.name), None)
            forward = False
            if rel is None:
                rel = next((r for r in kind.relations if r.target == rkind.name and r.make), None)
                forward = rel is not None
            if rel is None or (not forward and rel.make is None and rkind.creator is None):
                self.error(f"{_a(kind.name)} cannot be created with {_a(rkind.name)}", body.col)
            if rkind.creator is None:
                self.error(f"a spec cannot create {_a(rkind.name)}", body.col)
            if rkind.capability:
                self.needs.add(rkind.capability)
            name = body.name.value if body.name is not None else None
            if body.name is not None and n != 1:
                self.error("a name belongs to one resource; drop the name or the count", body.name.col, end=body.name.end)
            for _ in range(n):
                related.append((rkind, rel, forward, (), (name, body.name.col if body.name else body.col)))
            return
        if hit is not None:
            self.error(f"`{words.text}` here needs `a` or a name: `with an {words.text}`", body.col)
        hint = self.suggest(words.text, self.vocab.attribute_phrases(kind)) or \
            self.suggest(words.text, self.vocab.kind_phrases())  # an attribute first: `engin` is `engine`, not `eni`
        self.error(f"{_a(kind.name)} has no attribute `{words.text}`", words.col, hint, words.end)

    def _measure_clause(self, kind: Kind, lit: s.Literal, params: list) -> None:
        """`of 401 KB`: the value of the one settable quantity of the kind measured in that unit."""
        if lit.kind == LiteralKind.NUMBER or lit.unit is None:
            self.error(f"`of {lit.text}` needs a unit, e.g. `of {lit.text} KB`", lit.col, end=lit.end)
        dim = UNITS[lit.unit][0]
        found = [a for a in kind.attributes if a.settable and a.type == "quantity" and a.dimension == dim]
        if len(found) != 1:
            what = "no" if not found else "more than one"
            self.error(f"{_a(kind.name)} has {what} settable {dim} to be `of {lit.text}`", lit.col,
                       f"name it: `with {found[0].name} {lit.text}`" if found else None, lit.end)
        attr = found[0]
        if attr.capability:
            self.needs.add(attr.capability)
        if any(n == attr.name for n, _v in params):
            self.error(f"the {attr.name} is given twice", lit.col, _TWICE)
        params.append((attr.name, self._attr_value(attr, lit, none_ok=False)))

    def _relate(self, rel: Relation, target: int, relations: list, later: list) -> None:
        """A relation given at creation: made by an action afterwards, or passed to the create."""
        if rel.capability:
            self.needs.add(rel.capability)
        if rel.make:
            later.append((rel.make, target))
        else:
            relations.append((rel.name, target))

    def _create_related(self, slot: int, related: list, col: int, setup: bool) -> None:
        """The resources made with one just created (`with an EIP`), related to it the way their relation is made."""
        for rkind, rrel, forward, rparams, (name, name_col) in related:
            rslot = self._new_slot(rkind, name, name_col if name is not None else col)
            rcreator = rkind.creator
            if forward:  # this resource points at the new one: create it first? it exists now, so relate after
                self.steps.append(ir.Create(**self._base(), slot=rslot, kind=rkind.name, action=rcreator.verb, params=rparams, relations=(), setup=setup))
                self.steps.append(ir.Act(**self._base(), slot=slot, action=rrel.make, target=rslot, params=(), setup=setup))
            elif rrel.make is None:
                self.steps.append(ir.Create(**self._base(), slot=rslot, kind=rkind.name, action=rcreator.verb, params=rparams, relations=((rrel.name, slot),), setup=setup))
            else:
                self.steps.append(ir.Create(**self._base(), slot=rslot, kind=rkind.name, action=rcreator.verb, params=rparams, relations=(), setup=setup))
                self.steps.append(ir.Act(**self._base(), slot=rslot, action=rrel.make, target=slot, params=(), setup=setup))
