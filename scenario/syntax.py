"""The parse tree: what the parser hands to the compiler.

Plain, slotted classes (cheap to build: the parser makes one per phrase of every
line). Nothing here knows the vocabulary; the compiler gives these words meaning.
Columns are 1-based, as in the source; ``end`` is exclusive.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs


@attrs.define(slots=True)
class Words:
    """An open word slot: words the compiler resolves against the vocabulary."""

    words: tuple[str, ...]
    col: int
    end: int

    @property
    def text(self) -> str:
        return " ".join(self.words)


@attrs.define(slots=True)
class Name:
    """A quoted name, ``"web"``."""

    value: str
    col: int
    end: int


@attrs.define(slots=True)
class Literal:
    """A value: kind is string, number, quantity, none, true or false.

    A number's value (and a quantity's) is exact: an int, or a Fraction for a decimal
    (``1.5`` is ``Fraction(3, 2)``); the compiler turns it into the IR's int or float.
    """

    kind: str
    value: Any
    unit: str | None
    col: int
    end: int

    @property
    def text(self) -> str:
        if self.kind == "string":
            return f'"{self.value}"'
        if self.kind == "quantity":
            return f"{_num(self.value)} {self.unit}"
        if self.kind == "number":
            return _num(self.value)
        return self.kind


def _num(v) -> str:
    """A number as a person writes it: 16, 1.5. Exact for an int and a Fraction (the parser's numbers:
    never through float, which cannot hold every int); a float prints as Python prints it."""
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        places = 0
        while (v * 10**places).denominator != 1 and places < 40:  # a decimal: 10**places makes it whole
            places += 1
        if (v * 10**places).denominator != 1:  # pragma: no cover - not a decimal the parser makes
            return str(float(v))
        digits = str(abs(v.numerator) * 10**places // v.denominator).rjust(places + 1, "0")
        return ("-" if v < 0 else "") + digits[:-places] + "." + digits[-places:]
    if isinstance(v, int):
        return str(v)
    return str(int(v)) if float(v).is_integer() else str(v)


@attrs.define(slots=True)
class Body:
    """What follows a connector: ``an EIP``, ``engine "mysql"``, ``"db"``, ``7 days``.

    kind is det (det words name?), words (words literal?), value (literal) or it.
    """

    kind: str
    det: str | None
    words: Words | None
    name: Name | None
    value: Literal | None
    col: int


@attrs.define(slots=True)
class Clause:
    """``with an EIP``, ``in placement group "pg"``, ``and started``."""

    connector: str
    body: Body
    col: int


@attrs.define(slots=True)
class NounPhrase:
    """A subject or object.

    form: indef (a/an/N words), the (the words), count (the number of words),
    bare (words), name ("web") or it.
    """

    form: str
    det: str | None
    words: Words | None
    name: Name | None
    rel: tuple[Words, Clause] | None  # `"eip" associated with "web"`
    clauses: tuple[Clause, ...]
    col: int
    end: int


@attrs.define(slots=True)
class TheAttr:
    """``the address of "eip"`` used as a value."""

    words: Words
    clauses: tuple[Clause, ...]
    col: int


@attrs.define(slots=True)
class Predicate:
    """What is said of the subject. form is one of: is_words, is_value, compare,
    unchanged, retained, changes, exists, not_exists, passed, has, has_count,
    equals, fails, succeeds."""

    form: str
    negated: bool
    words: Words | None
    clauses: tuple[Clause, ...]
    value: Literal | TheAttr | None
    extra: str | None  # comparator, has-determiner, or the error code of `fails with`
    col: int


@attrs.define(slots=True)
class Sentence:
    """The words of one step after its keyword."""

    np: NounPhrase | None
    predicate: Predicate | None
    passing: Literal | None  # `2 minutes pass`


# ---------------------------------------------------------------- lines


@attrs.define(slots=True)
class Tag:
    name: str  # without the @
    args: tuple[str, ...]
    line: int
    col: int


@attrs.define(slots=True)
class TagLine:
    tags: tuple[Tag, ...]
    line: int


@attrs.define(slots=True)
class Header:
    keyword: str  # feature, background, rule, scenario, outline, examples
    title: str
    line: int
    col: int


@attrs.define(slots=True)
class Step:
    keyword: str  # given, when, then, and, but (lower case)
    sentence: Sentence | None  # None for an outline template
    template: str | None  # the raw text after the keyword, for outlines
    line: int
    col: int  # of the keyword
    text_col: int  # of the first word after the keyword


@attrs.define(slots=True)
class Row:
    cells: tuple[str, ...]
    line: int
    col: int


@attrs.define(slots=True)
class Description:
    text: str
    line: int
    col: int


# ---------------------------------------------------------------- blocks


@attrs.define(slots=True)
class Examples:
    title: str
    tags: tuple[Tag, ...]
    header: Row | None
    rows: tuple[Row, ...]
    line: int


@attrs.define(slots=True)
class ScenarioBlock:
    """A scenario, an outline, or a background (keyword tells which)."""

    keyword: str  # scenario, outline, background
    title: str
    tags: tuple[Tag, ...]
    description: tuple[str, ...]
    steps: list[Step]
    examples: list[Examples]
    line: int
    col: int


@attrs.define(slots=True)
class RuleBlock:
    title: str
    tags: tuple[Tag, ...]
    description: tuple[str, ...]
    background: ScenarioBlock | None
    scenarios: list[ScenarioBlock]
    line: int


@attrs.define(slots=True)
class Document:
    """One parsed .scn file."""

    path: str
    lines: tuple[str, ...]  # the source, for carets
    title: str
    tags: tuple[Tag, ...]
    description: tuple[str, ...]
    background: ScenarioBlock | None
    scenarios: list[ScenarioBlock]  # before the first rule
    rules: list[RuleBlock]
    line: int
