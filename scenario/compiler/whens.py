"""When-steps: time passing, actions on resources that exist, and resources created by an action.

`when 2 minutes pass` advances the clock; `when "web" is stopped and started` is
one Act per action, each with its target (`attached to "web"`) and parameters
(`with size 20 GiB`); `when an instance "db" is launched` creates, as a given does.
"""

from __future__ import annotations

from typing import Any, Sequence

from .. import ir
from .. import syntax as s
from ..vocabulary import UNITS, Kind
from .context import _a, _plain
from .creation import Creation


class Whens(Creation):
    """The when form of a step."""

    def _when(self, sen: s.Sentence) -> None:
        if sen.passing is not None:
            self._advance(sen.passing)
            return
        np, pred = sen.np, sen.predicate
        if pred is None:
            if np.form == "bare":  # `when started`, `when stopped and started`
                subject = self._it(np.col)
                self._actions(subject, np.words, np.clauses)
                return
            if np.form in ("indef",):
                self.error(f"say what happens to it: `when {self.cur_text.split(None, 1)[-1]} is created`", np.end)
            self.error("a when-step does something: `when \"web\" is stopped`", np.col)
        if pred.form != "is_words" or pred.words is None:
            self.error("a when-step does something: `when \"web\" is stopped`; claims are then-steps", pred.col,
                       "write this as a `then` step")
        if pred.negated:
            self.error("an action cannot be negated", pred.col)
        if np is None:
            subject = self._it(pred.col)
            self._actions(subject, pred.words, pred.clauses)
            return
        if np.form == "indef":
            self._create(np, pred.words, pred.clauses, setup=False)
            return
        subject = self._ref_np(np)
        self.last_subject = subject
        self._actions(subject, pred.words, pred.clauses)

    def _advance(self, lit: s.Literal) -> None:
        """`when 2 minutes pass`: the clock moves on."""
        dim, factor = UNITS[lit.unit]
        if dim != "duration":
            self.error(f"time passes in seconds, minutes, hours, days or years, not {lit.unit}", lit.col)
        seconds = self._in_range(lit, dim, factor)
        self.needs.add("clock")
        self.steps.append(ir.Advance(**self._base(), seconds=_plain(seconds)))

    def _actions(self, subject: int, words: s.Words, clauses: Sequence[s.Clause]) -> None:
        """`stopped and started`: each action with the clauses that follow it."""
        kind = self._kind_of(subject)
        todo: list[tuple[s.Words, list]] = [(words, [])]
        for cl in clauses:
            if cl.connector == "and" and cl.body.kind == "words" and cl.body.value is None and self.vocab.action(kind, cl.body.words.words):
                todo.append((cl.body.words, []))
            else:
                todo[-1][1].append(cl)
        for w, cls in todo:
            self._action(subject, kind, w, cls)

    def _action(self, subject: int, kind: Kind, w: s.Words, cls: Sequence[s.Clause]) -> None:
        """One action on ``subject``: its target and parameters from its clauses."""
        act = self.vocab.action(kind, w.words)
        if act is None or act.creates:
            options = [a.participle for a in kind.actions if not a.creates]
            hint = self.suggest(w.text, options)
            self.error(f"{_a(kind.name)} cannot be `{w.text}`", w.col, hint or f"{_a(kind.name)} can be {', '.join(options)}", w.end)
        if act.capability:
            self.needs.add(act.capability)
        target = None
        params: list[tuple[str, Any]] = []
        for cl in cls:
            if act.target and cl.connector == act.preposition and target is None:
                target = self._ref_body(cl.body)
                self._check_target(act.target, target, cl.body.col)
                continue
            if self._action_param(kind, act, cl, params):
                continue
            self.error(f"`{cl.connector} …` does not go with `{act.participle}`", cl.col,
                       f"write `{act.participle} {act.preposition} …`" if act.target else None)
        if act.target_required and target is None:
            self.error(f"`{act.participle}` needs `{act.preposition} <{act.target}>`", w.end)
        self.steps.append(ir.Act(**self._base(), slot=subject, action=act.verb, target=target, params=params, setup=False))

    def _action_param(self, kind: Kind, act, cl: s.Clause, params: list) -> bool:
        """`with <attribute> <value>` for a parameter of the action: added to ``params``; False if ``cl`` is not one."""
        if cl.connector not in ("with", "and") or cl.body.words is None:
            return False
        attr = self.vocab.attribute(kind, cl.body.words.words)
        if attr is None or attr.name not in act.params or cl.body.value is None:
            return False
        if attr.choice == "presence":
            self.error(f"the {attr.name} cannot be chosen, only whether there is one", cl.body.value.col,
                       f"write `with {_a(attr.name)}` or `with no {attr.name}`", cl.body.value.end)
        if any(n == attr.name for n, _v in params):
            self.error(f"the {attr.name} is given twice", cl.body.col, "say it once: two values for one attribute contradict each other")
        params.append((attr.name, self._attr_value(attr, cl.body.value, none_ok=False)))
        return True
