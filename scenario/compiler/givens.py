"""Given-steps: what the world holds before anything happens.

A given creates resources in the state it names (`given a running instance "web"`),
or sets a setting of the world (`given the elastic ip limit is 10`); `given the
default vpc` only documents an implicit resource. Claims belong to then-steps.
"""

from __future__ import annotations

from .. import ir
from .. import syntax as s
from ..syntax import NounForm, PredicateForm
from .creation import Creation


class Givens(Creation):
    """The given form of a step."""

    def _given(self, sen: s.Sentence) -> None:
        if sen.passing is not None:
            self.error("time passes in a when-step: `when 2 minutes pass`", sen.passing.col)
        np, pred = sen.np, sen.predicate
        if pred is None:
            if np is not None and np.form in (NounForm.INDEF, NounForm.BARE):
                self._create(np, None, (), setup=True)
                return
            if np is not None and np.form == NounForm.THE and np.words is not None:
                hit = self.vocab.kind(np.words.words)
                if hit and hit[0].implicit:
                    self.steps.append(ir.Noop(**self._base()))
                    return
            self.error("a given creates something: `given a running instance \"web\"`", np.col if np else None)
        if (pred.form == PredicateForm.IS_VALUE and np is not None and np.form in (NounForm.THE, NounForm.BARE)
                and np.words is not None and not np.clauses):
            self._set_setting(np.words, pred)
            return
        self.error("a given creates something or sets a setting; claims are then-steps", pred.col if pred else None,
                   "write `then ...` to check it, or `given a ... ` to create it")

    def _set_setting(self, words: s.Words, pred: s.Predicate) -> None:
        """`given the elastic ip limit is 10`: a setting of the world, named by ``words``."""
        setting = self.vocab.setting(words.words)
        if setting is None:
            hint = self.suggest(words.text, self.vocab.setting_phrases())
            self.error(f"unknown setting `{words.text}`", words.col, hint or "`scn vocab` lists the world settings", words.end)
        if pred.negated or not isinstance(pred.value, s.Literal):
            self.error("a setting is given a value: `given the elastic ip limit is 10`", pred.col)
        value = self._value(setting.name, setting.type, setting.dimension, setting.integer, pred.value, none_ok=False)
        if setting.capability:
            self.needs.add(setting.capability)
        self.steps.append(ir.SetSetting(**self._base(), setting=setting.name, value=value))
