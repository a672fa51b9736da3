"""When-steps: time passing, actions on resources that exist, and resources created by an action.

`when 2 minutes pass` advances the clock; `when "web" is stopped and started` is
one Act per action, each with its target (`attached to "web"`) and parameters
(`with size 20 GiB`); `when an instance "db" is launched` creates, as a given does.
"""

from __future__ import annotations

from typing import Any, NoReturn, Sequence

from .. import ir
from .. import syntax as s
from ..syntax import BodyKind, LiteralKind, NounForm, PredicateForm
from ..vocabulary import UNITS, Action, Attribute, Kind, example_value, setting_sentence
from .context import _a, _plain
from .creation import Creation

#: what people say for an action the vocabulary names otherwise: tried when the kind has no such participle
SYNONYMS = {
    "called": ("invoked", "run"), "executed": ("run", "invoked"), "triggered": ("invoked", "fired", "run"),
    "removed": ("deleted", "terminated", "released"), "destroyed": ("deleted", "terminated"), "dropped": ("deleted",),
    "killed": ("terminated", "deleted"), "shut": ("shut down", "stopped"), "restarted": ("rebooted",),
    "started": ("run", "connected"), "launched": ("created",), "resized": ("resharded", "modified"),
    "scaled": ("resharded", "modified"), "failed": ("failed over", "zone-failed"), "written": ("put",),
}

#: participles that change an attribute whatever the kind calls its own action: `when "db" is modified with
#: multi-az true`, `when the timeout of "f" is set to 30 seconds`
GENERIC_CHANGES = ("set", "changed", "modified", "updated", "increased", "decreased", "raised", "lowered", "reconfigured")


class Whens(Creation):
    """The when form of a step."""

    def _when(self, sen: s.Sentence) -> None:
        if sen.passing is not None:
            self._advance(sen.passing)
            return
        np, pred = sen.np, sen.predicate
        if np is not None and np.words is not None and self._names_attribute(np):
            self._when_attribute(np, np.words, pred)
            return
        if pred is None:
            # `when started`, `when stopped and started`
            if np is not None and np.form == NounForm.BARE and np.words is not None:
                subject = self._it(np.col)
                self._actions(subject, np.words, np.clauses)
                return
            if np is not None and np.form == NounForm.INDEF:
                self.error(f"say what happens to it: `when {self.cur_text.split(None, 1)[-1]} is created`", np.end)
            self.error("a when-step does something: `when \"web\" is stopped`", np.col if np else None)
        if pred.form == PredicateForm.FAILS and np is not None:
            self._fault_hint(np, pred)
        if pred.form != PredicateForm.IS_WORDS or pred.words is None:
            self.error("a when-step does something: `when \"web\" is stopped`; claims are then-steps", pred.col,
                       "write this as a `then` step")
        if pred.negated:
            self.error("an action cannot be negated", pred.col)
        if np is None:
            subject = self._it(pred.col)
            self._actions(subject, pred.words, pred.clauses)
            return
        if np.form == NounForm.INDEF:
            self._create(np, pred.words, pred.clauses, setup=False)
            return
        subject = self._ref_np(np)
        self.last_subject = subject
        self._actions(subject, pred.words, pred.clauses)

    def _advance(self, lit: s.Literal) -> None:
        """`when 2 minutes pass`: the clock moves on."""
        if lit.unit is None:  # pragma: no cover - the grammar reads `<quantity> pass` only
            self.error("time passes in seconds, minutes, hours, days or years: give a unit", lit.col)
        dim, factor = UNITS[lit.unit]
        if dim != "duration":
            self.error(f"time passes in seconds, minutes, hours, days or years, not {lit.unit}", lit.col)
        seconds = self._in_range(lit, dim, factor)
        self.needs.add("clock")
        self.steps.append(ir.Advance(**self._base(), seconds=_plain(seconds)))

    # ---------------------------------------------------------------- actions on a resource
    def _actions(self, subject: int, words: s.Words, clauses: Sequence[s.Clause]) -> None:
        """`stopped and started`, `stopped and then started`: each action with the clauses that follow it."""
        kind = self._kind_of(subject)
        todo: list[tuple[s.Words, list]] = [(words, [])]
        for cl in clauses:
            w = cl.body.words
            if cl.connector == "and" and cl.body.kind == BodyKind.WORDS and cl.body.value is None and w is not None:
                if len(w.words) > 1 and w.words[0].lower() == "then":  # `and then started`: the order is the steps' own
                    w = s.Words(words=w.words[1:], col=w.col + len(w.words[0]) + 1, end=w.end)
                if self.vocab.action(kind, w.words) or (w.words[0].lower() in GENERIC_CHANGES and len(w.words) == 1):
                    todo.append((w, []))
                    continue
            todo[-1][1].append(cl)
        for i, (w, cls) in enumerate(todo):
            following = todo[i + 1][0].col if i + 1 < len(todo) else None
            self._action(subject, kind, w, cls, following)

    def _action(self, subject: int, kind: Kind, w: s.Words, cls: Sequence[s.Clause], following: int | None = None) -> None:
        """One action on ``subject``: its target and parameters from its clauses."""
        act = self.vocab.action(kind, w.words)
        adverb = None
        if act is None and len(w.words) > 1:  # `invoked asynchronously`: a value of one of its parameters, as an adverb
            act, adverb = self._adverb(kind, w)
        if act is None and " ".join(w.words).lower() in GENERIC_CHANGES:
            self._generic_change(subject, kind, w, cls)
            return
        if act is None or act.creates:
            self._unknown_action(subject, kind, w, cls)
        if act.makes is not None:
            self._make(subject, kind, act, self.vocab.kinds[act.makes], w, cls, adverb)
            return
        if act.capability:
            self.needs.add(act.capability)
        target = None
        params: list[tuple[str, Any]] = []
        for i, cl in enumerate(cls):
            if act.target and cl.connector == act.preposition and target is None:
                target = self._ref_body(cl.body)
                self._check_target(act.target, target, cl.body.col)
                continue
            if self._action_param(kind, act, cl, params) or self._param_to(kind, act, cl, params):
                continue
            self._clause_mismatch(subject, kind, act, cl, cls[i + 1].col if i + 1 < len(cls) else following)
        if adverb is not None:
            params.append(adverb)
        if act.target_required and target is None:
            self.error(f"`{act.participle}` needs `{act.preposition} <{act.target}>`", w.end)
        self.steps.append(ir.Act(**self._base(), slot=subject, action=act.verb, target=target, params=params, setup=False))

    def _adverb(self, kind: Kind, w: s.Words) -> tuple[Action | None, tuple[str, str] | None]:
        """`invoked asynchronously` → (invoke, ("invocation type", "asynchronous")); (None, None) if it is not that."""
        act = self.vocab.action(kind, w.words[:-1])
        if act is None:
            return None, None
        word = w.words[-1].lower()
        stem = word[:-2] if word.endswith("ly") else None
        owner = self.vocab.kinds[act.makes] if act.makes else kind
        for a in owner.attributes:
            if a.name in act.params and a.type == "enum" and stem:
                for v in a.values:
                    if v.lower() == stem:
                        return act, (a.name, v)
        return None, None

    def _unknown_action(self, subject: int, kind: Kind, w: s.Words, cls: Sequence[s.Clause]) -> NoReturn:
        """A participle the kind does not take: the nearest it does, or the sentence that does what was meant."""
        options = [a.participle for a in kind.actions if not a.creates]
        label = self.slots[subject].label
        low = w.text.lower()
        said = next((p for p in SYNONYMS.get(low, ()) if p in options), None)
        state = kind.state(low)
        reaching = next((a for a in kind.actions if state is not None and a.result == state.name and not a.creates), None)
        hint: str | None
        if state is not None:  # `when "web" is running`: a state, which a claim says and an action reaches
            hint = f"`{low}` is a state: claim it with `then {label} is {low}`" + (
                f", or reach it with `when {label} is {reaching.participle}`" if reaching else "")
        elif said:
            hint = f"write `when {label} is {said}`"
        else:
            hint = self.suggest(w.text, options)
        if hint is None and kind.creator is not None and low == kind.creator.participle:
            hint = f"{label} exists already; to make another: `when {_a(kind.name)} \"{kind.name.split()[-1]}2\" is {low}`"
        if hint is None and options:
            hint = f"{_a(kind.name)} can be {', '.join(options)}: e.g. `when {label} is {options[0]}`"
        if hint is None:
            hint = f"nothing is done to {_a(kind.name)} in a spec; `scn vocab {kind.name}` shows what can be said of it"
        self.error(f"{_a(kind.name)} cannot be `{w.text}`", w.col, hint, w.end)

    def _action_param(self, kind: Kind, act: Action, cl: s.Clause, params: list) -> bool:
        """`with <attribute> <value>` for a parameter of the action: added to ``params``; False if ``cl`` is not one."""
        if cl.connector not in ("with", "and") or cl.body.words is None:
            return False
        owner = self.vocab.kinds[act.makes] if act.makes else kind
        found = self._attribute_switch(owner, cl.body)
        if found is not None and found[0].name in act.params:  # `with multi-az enabled`
            switched, value = found
            self._once(switched, params, cl.body.col)
            params.append((switched.name, value))
            return True
        attr = self.vocab.attribute(owner, cl.body.words.words)
        if attr is None or attr.name not in act.params or cl.body.value is None:
            return False
        if attr.choice == "presence":
            self.error(f"the {attr.name} cannot be chosen, only whether there is one", cl.body.value.col,
                       f"write `with {_a(attr.name)}` or `with no {attr.name}`", cl.body.value.end)
        self._once(attr, params, cl.body.col)
        params.append((attr.name, self._attr_value(attr, cl.body.value, none_ok=False)))
        return True

    def _once(self, attr: Attribute, params: list, col: int) -> None:
        if any(n == attr.name for n, _v in params):
            self.error(f"the {attr.name} is given twice", col, "say it once: two values for one attribute contradict each other")

    def _param_to(self, kind: Kind, act: Action, cl: s.Clause, params: list) -> bool:
        """`extended to 7 days`, `resharded to 4 shards`: the one parameter of the action that value can be."""
        if cl.connector not in ("to", "with") or not act.params:
            return False
        # `loaded with 1 GB`; `with load size 1 GB` is a named one
        if cl.connector == "with" and cl.body.kind != BodyKind.VALUE:
            return False
        body = cl.body
        owner = self.vocab.kinds[act.makes] if act.makes else kind
        attrs = [a for a in owner.attributes if a.name in act.params]
        if (body.kind == BodyKind.DET and body.det and body.det.replace(",", "").isdigit() and body.name is None
                and body.words is not None):  # `to 4 shards`
            attr = self.vocab.attribute(owner, body.words.words)
            if attr is None or attr.name not in act.params or attr.type != "number":
                return False
            lit = s.Literal(kind=LiteralKind.NUMBER, value=int(body.det.replace(",", "")), col=body.col,
                            end=body.words.end)
        elif body.kind == BodyKind.VALUE and body.value is not None and body.name is None:
            lit = body.value
            fits = [a for a in attrs if _fits(a, lit)]
            if len(fits) != 1:
                return False
            attr = fits[0]
        else:
            return False
        self._once(attr, params, body.col)
        params.append((attr.name, self._attr_value(attr, lit, none_ok=False)))
        return True

    def _clause_mismatch(self, subject: int, kind: Kind, act: Action, cl: s.Clause, end: int | None) -> NoReturn:
        """A clause the action does not take: say what the user wrote, and what the action does take."""
        said = self.said(cl.col, end) or cl.connector
        label = self.slots[subject].label
        owner = self.vocab.kinds[act.makes] if act.makes else kind
        takes = [a for a in owner.attributes if a.name in act.params]
        other = self._changer_for(kind, cl, label)
        if other is not None and other[0].name not in act.params:  # `shortened with shard count 4`
            hint = f"the {other[0].name} is changed by `{other[2]}`: `{other[1]}`"
        elif act.target and cl.connector != act.preposition:
            hint = f"write `{act.participle} {act.preposition} <{act.target}>`"
        elif takes:
            a = takes[0]
            hint = f"`{act.participle}` takes {', '.join(x.name for x in takes)}: write `when {label} is {act.participle} with {a.name} {example_value(a)}`"
        else:
            hint = f"`{act.participle}` takes nothing more: write `when {label} is {act.participle}`"
        self.error(f"`{said}` does not go with `{act.participle}`", cl.col, hint, end if end is not None else cl.col + len(said))

    def _changer_for(self, kind: Kind, cl: s.Clause, label: str):
        """The attribute a stray clause names (`with retention period 7 days`), the sentence that changes it, and
        the participles of the actions that do."""
        words = cl.body.words
        if words is None:
            return None
        attr = self.vocab.attribute(kind, words.words)
        if attr is None:
            return None
        sentence = setting_sentence(kind, attr, label)
        return (attr, sentence, "` or `".join(a.participle for a in kind.changers(attr.name))) if sentence else None

    # ---------------------------------------------------------------- an action that makes another resource
    def _make(self, subject: int, kind: Kind, act: Action, made: Kind, w: s.Words, cls: Sequence[s.Clause],
              adverb: tuple[str, str] | None = None) -> None:
        """`when "f" is invoked [with run time 10 seconds]`: a new resource of the kind the action makes (``made``),
        related to the subject, created by its own kind's action; `it` in the next step is the new one."""
        rel = next((r for r in made.relations if r.target == kind.name and not r.participle), None) or \
            next((r for r in made.relations if r.target == kind.name), None)
        if rel is None or made.creator is None:  # pragma: no cover - a vocabulary mistake, caught by its tests
            self.error(f"{_a(kind.name)} cannot be `{w.text}` here", w.col)
        for c in (act.capability, made.creator.capability):
            if c:
                self.needs.add(c)
        params: list[tuple[str, Any]] = []
        for i, cl in enumerate(cls):
            if self._action_param(kind, act, cl, params) or self._param_to(kind, act, cl, params):
                continue
            self._clause_mismatch(subject, kind, act, cl, cls[i + 1].col if i + 1 < len(cls) else None)
        if adverb is not None:
            params.append(adverb)
        slot = self._new_slot(made, None, w.col)
        self.steps.append(ir.Create(**self._base(), slot=slot, kind=made.name, action=made.creator.verb, params=params,
                                    relations=((rel.name, subject),), setup=False))
        self.last_subject = slot

    # ---------------------------------------------------------------- changing an attribute
    def _names_attribute(self, np: s.NounPhrase) -> bool:
        """`the retention period of "s"` (not `the instance`): a when-step about an attribute."""
        if np.form not in (NounForm.THE, NounForm.BARE) or np.words is None or np.name is not None:
            return False
        of = [c for c in np.clauses if c.connector == "of"]
        if not of:  # `when the retention is set to 7 days`: an attribute of `it`
            return (np.form == NounForm.THE and not np.clauses and self.it_subject is not None
                    and self.vocab.kind(np.words.words) is None
                    and self.vocab.attribute(self._kind_of(self.it_subject), np.words.words) is not None)
        if self.vocab.kind(np.words.words) is None:
            return True
        target = of[-1].body  # `the cache of "prod"`: a word that names a kind and an attribute of "prod"
        if target.kind == BodyKind.VALUE and target.name is not None and target.name.value in self.names:
            return self.vocab.attribute(self._kind_of(self.names[target.name.value]), np.words.words) is not None
        return False

    def _when_attribute(self, np: s.NounPhrase, words: s.Words, pred: s.Predicate | None) -> None:
        """`when the timeout of "f" is set to 30 seconds`, `... is extended to 7 days` (``words``: the attribute's)."""
        of = [c for c in np.clauses if c.connector == "of"]
        subject = self._ref_body(of[-1].body) if of else self._it(np.col)
        self.last_subject = subject
        kind = self._kind_of(subject)
        attr = self._attribute(kind, words)
        label = self.slots[subject].label
        example = f"when the {attr.name} of {label} is set to {example_value(attr)}"
        if pred is not None and pred.form == PredicateForm.FAILS:
            self._fault_hint(np, pred)
        if pred is None or pred.form != PredicateForm.IS_WORDS or pred.words is None or pred.negated:
            self.error(f"say what is done to the {attr.name}: `{example}`", pred.col if pred else np.end,
                       "a claim about it is a then-step: `then the ... of ... is ...`")
        to = [c for c in pred.clauses if c.connector in ("to", "with")]
        if len(pred.clauses) != 1 or not to or to[0].body.kind != BodyKind.VALUE or to[0].body.value is None:
            self.error(f"say the value it is {pred.words.text} to: `{example}`", pred.col)
        lit = to[0].body.value
        act = self.vocab.action(kind, pred.words.words)
        if act is not None and attr.name in act.params and not act.creates:
            if act.capability:
                self.needs.add(act.capability)
            self.steps.append(ir.Act(**self._base(), slot=subject, action=act.verb, target=None,
                                     params=((attr.name, self._attr_value(attr, lit, none_ok=False)),), setup=False))
            return
        if " ".join(pred.words.words).lower() not in GENERIC_CHANGES:
            options = [a.participle for a in kind.changers(attr.name)]
            self.error(f"the {attr.name} of {_a(kind.name)} is not `{pred.words.text}`", pred.words.col,
                       f"write `{example}`" + (f" (its own action: {', '.join(options)})" if options else ""), pred.words.end)
        self._set(subject, kind, attr, lit, pred.words.col)

    def _generic_change(self, subject: int, kind: Kind, w: s.Words, cls: Sequence[s.Clause]) -> None:
        """`when "db" is modified with multi-az true and backup retention 7 days`: each attribute by the kind's own action."""
        if not cls:
            self.error(f"say what is {w.text}: `when {self.slots[subject].label} is {w.text} with <attribute> <value>`", w.end)
        for cl in cls:
            body = cl.body
            if cl.connector not in ("with", "and") or body.words is None:
                self.error(f"`{self.said(cl.col)}` does not say which attribute is {w.text}", cl.col,
                           f"write `{w.text} with <attribute> <value>`")
            switch = self._attribute_switch(kind, body)
            if switch is not None:
                attr, value = switch
                said = s.Literal(kind=LiteralKind.TRUE if value else LiteralKind.FALSE, value=value, col=body.col,
                                 end=body.col)
                self._set(subject, kind, attr, said, body.col)
                continue
            attr = self._attribute(kind, body.words)
            if body.value is None:
                self.error(f"give the {attr.name} a value: `{w.text} with {attr.name} {example_value(attr)}`", body.col)
            self._set(subject, kind, attr, body.value, body.col)

    def _set(self, subject: int, kind: Kind, attr: Attribute, lit: s.Literal, col: int) -> None:
        """The attribute changed to the value by the kind's own action, or by the one going the right way."""
        acts = kind.changers(attr.name)
        if not acts:
            label = self.slots[subject].label
            if attr.settable:
                hint = f"choose it at creation: `given {_a(kind.name)} with {attr.name} {example_value(attr)}`"
            else:
                hint = f"it follows from what happens to {label}"
            self.error(f"no action changes the {attr.name} of {_a(kind.name)} once it exists", col, hint)
        value = self._attr_value(attr, lit, none_ok=False)
        for a in acts:
            if a.capability:
                self.needs.add(a.capability)
        directed = [a for a in acts if a.direction]
        if len(directed) > 1 and len(directed) == len(acts):
            self.steps.append(ir.SetAttr(**self._base(), slot=subject, attribute=attr.name, value=value,
                                         actions=tuple((a.verb, a.direction) for a in directed)))
            return
        act = next((a for a in acts if not a.direction), acts[0])
        self.steps.append(ir.Act(**self._base(), slot=subject, action=act.verb, target=None, params=((attr.name, value),), setup=False))

    # ---------------------------------------------------------------- faults said of an attribute
    def _fault_hint(self, np: s.NounPhrase, pred: s.Predicate) -> NoReturn:
        """`when the availability zone of "db" fails`: the kind's action whose words are nearest, `is zone-failed`."""
        try:
            of = [c for c in np.clauses if c.connector == "of"]
            subject = self._ref_body(of[-1].body) if of else self._ref_np(np)
        except Exception:
            raise
        kind = self._kind_of(subject)
        said = {w.lower()[:4] for w in (np.words.words if np.words else ())} | {"fail"}
        best, score = None, 0
        for a in kind.actions:
            if a.creates or a.makes:
                continue
            parts = {p[:4] for p in a.participle.lower().replace("-", " ").split()}
            n = len(parts & said)
            if n > score:
                best, score = a, n
        label = self.slots[subject].label
        faults = [a.participle for a in kind.actions if a.capability == "faults"]
        if best is None and faults:
            best = next(a for a in kind.actions if a.participle == faults[0])
        hint = (f"write `when {label} is {best.participle}`" + (f" (its faults: {', '.join(faults)})" if len(faults) > 1 else "")
                if best else f"no fault of {_a(kind.name)} is in the vocabulary: `scn vocab {kind.name}`")
        self.error("a when-step does something to a resource; an attribute does not fail", pred.col, hint)


def _fits(attr: Attribute, lit: s.Literal) -> bool:
    """Whether ``lit`` can be a value of ``attr``: a quantity of its dimension, a number, a quoted text."""
    if attr.type == "quantity":
        return lit.kind == LiteralKind.QUANTITY and lit.unit is not None and UNITS[lit.unit][0] == attr.dimension
    if attr.type == "number":
        return lit.kind == LiteralKind.NUMBER
    if attr.type == "boolean":
        return lit.kind in (LiteralKind.TRUE, LiteralKind.FALSE)
    return lit.kind == LiteralKind.STRING
