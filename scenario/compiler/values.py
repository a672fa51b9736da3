"""Attributes and the values they take: a literal checked against a type, a unit converted to its base.

A quantity (`2 GiB`, `5 minutes`) becomes a number of its dimension's base unit;
a whole-number attribute refuses a fraction; an enum takes one of its values, in
any case; text is quoted. Settings of the world are checked the same way.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from .. import syntax as s
from ..errors import InternalError
from ..syntax import BodyKind, LiteralKind
from ..vocabulary import BASE_UNIT, UNITS, Attribute, Kind
from .context import MAX_QUANTITY, ScenarioContext, _a, _grouped, _num, _plain, _type_phrase


class Values(ScenarioContext):
    """Literals against the type of an attribute or setting."""

    def _attribute(self, kind: Kind, words: s.Words) -> Attribute:
        a = self.vocab.attribute(kind, words.words)
        if a is None:
            hint = self.suggest(words.text, self.vocab.attribute_phrases(kind))
            self.error(f"{_a(kind.name)} has no attribute `{words.text}`", words.col, hint or f"`scn vocab {kind.name}` lists its attributes", words.end)
        if a.capability:
            self.needs.add(a.capability)
        return a

    def _attribute_switch(self, kind: Kind, body: s.Body) -> tuple[Attribute, bool] | None:
        """`multi-az enabled`, `active tracing disabled`: a boolean attribute and its value, or None."""
        if body.kind != BodyKind.WORDS or body.value is not None or body.words is None or len(body.words.words) < 2:
            return None
        last = body.words.words[-1].lower()
        if last not in ("enabled", "disabled", "off"):
            return None
        attr = self.vocab.attribute(kind, body.words.words[:-1])
        if attr is None or attr.type != "boolean":
            return None
        if attr.capability:
            self.needs.add(attr.capability)
        return attr, last == "enabled"

    def _attr_value(self, attr: Attribute, lit: s.Literal, none_ok: bool = True) -> Any:
        return self._value(attr.name, attr.type, attr.dimension, attr.integer, lit, attr.values, none_ok)

    def _value(self, attr_name: str, attr_type: str, dimension: str | None, integer: bool, lit: s.Literal,
               values: Sequence[str] = (), none_ok: bool = True) -> Any:
        """A literal checked against the type of an attribute or setting."""
        if lit.kind == LiteralKind.NONE:
            if none_ok:
                return None
            self.error(f"the {attr_name} is {_type_phrase(attr_type, dimension, integer, values)}, not none", lit.col, end=lit.end)
        if attr_type == "quantity":
            if dimension is None:  # pragma: no cover - a vocabulary mistake
                raise InternalError(f"the quantity {attr_name} has no dimension")
            return self._quantity(attr_name, dimension, integer, lit)
        if attr_type == "number":
            return self._number(attr_name, dimension, integer, lit)
        if attr_type == "boolean":
            if lit.kind not in (LiteralKind.TRUE, LiteralKind.FALSE):
                self.error(f"the {attr_name} is true or false, not {lit.text}", lit.col, end=lit.end)
            return lit.value
        if attr_type == "enum":
            return self._enum(attr_name, values, lit)
        # text
        if lit.kind == LiteralKind.STRING:
            return lit.value
        self.error(f"the {attr_name} is text, not {lit.text}; quote it: \"{lit.text}\"", lit.col, end=lit.end)

    def _quantity(self, attr_name: str, dimension: str, integer: bool, lit: s.Literal) -> Any:
        """`2 GiB` for a quantity: in the base unit of its dimension."""
        if lit.kind == LiteralKind.NUMBER:
            self.error(f"the {attr_name} is a {dimension}: give a unit, e.g. `{_num(lit.value)} {BASE_UNIT[dimension]}`", lit.col, end=lit.end)
        if lit.kind != LiteralKind.QUANTITY or lit.unit is None:
            self.error(f"the {attr_name} is a {dimension}, not {lit.text}", lit.col, end=lit.end)
        dim, factor = UNITS[lit.unit]
        if dim != dimension:
            self.error(f"the {attr_name} is a {dimension}, and {lit.unit} measure a {dim}", lit.col, end=lit.end)
        v = self._in_range(lit, dim, factor)
        return self._whole(v, lit, f"{lit.text} is not a whole number of {BASE_UNIT[dimension]}") if integer else _plain(v)

    def _in_range(self, lit: s.Literal, dim: str, factor: int | Fraction) -> int | Fraction:
        """A quantity in its base unit, exactly, if it is within the range of its dimension."""
        v = lit.value * factor
        top, sentence, hint = MAX_QUANTITY[dim]
        if v > top:
            self.error(f"{sentence}, not {_grouped(lit)}", lit.col, hint, lit.end)
        return v

    def _number(self, attr_name: str, dimension: str | None, integer: bool, lit: s.Literal) -> Any:
        """A plain number, without a unit."""
        if lit.kind == LiteralKind.QUANTITY:
            self.error(f"the {attr_name} is a plain number; drop the unit `{lit.unit}`", lit.col, end=lit.end)
        if lit.kind != LiteralKind.NUMBER:
            self.error(f"the {attr_name} is {_type_phrase('number', dimension, integer)}, not {lit.text}", lit.col, end=lit.end)
        v = lit.value
        return self._whole(v, lit, f"the {attr_name} is a whole number, not {lit.text}") if integer else _plain(v)

    def _enum(self, attr_name: str, values: Sequence[str], lit: s.Literal) -> str:
        """One of ``values``, quoted, in any case: as the vocabulary spells it."""
        if lit.kind != LiteralKind.STRING:
            self.error(f'the {attr_name} is one of {", ".join(values)} (quoted), not {lit.text}', lit.col, end=lit.end)
        low = {v.lower(): v for v in values}
        loose = {_loose(v): v for v in values}
        if lit.value.lower() not in low and _loose(lit.value) in loose:  # `edge optimized` for `edge-optimized`
            return loose[_loose(lit.value)]
        if lit.value.lower() not in low:
            hint = self.suggest(lit.value, values)
            self.error(f'"{lit.value}" is not {_a(attr_name)}: one of {", ".join(values)}', lit.col, hint, lit.end)
        return low[lit.value.lower()]

    def _whole(self, v: int | Fraction, lit: s.Literal, message: str) -> int:
        """``v`` as an int, or ``message`` as an error at the literal (exact: never through float)."""
        if isinstance(v, Fraction):
            if v.denominator != 1:
                self.error(message, lit.col, end=lit.end)
            return v.numerator
        return v


def _loose(text: str) -> str:
    """A value as compared when its spaces, hyphens and case do not matter."""
    return "".join(ch for ch in text.lower() if ch.isalnum())
