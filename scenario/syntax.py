"""The parse tree: what the parser hands to the compiler.

Plain, slotted classes (cheap to build: the parser makes one per phrase of every
line). Nothing here knows the vocabulary; the compiler gives these words meaning.
Columns are 1-based, as in the source; ``end`` is exclusive.

The shape of a phrase is one of a few forms, each a :class:`enum.StrEnum` (its
members equal their strings, so ``np.form == "it"`` still holds). The nodes of a
sentence are built with keyword arguments only; what a form lacks defaults to None.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction
from typing import Any

import attrs


class LiteralKind(StrEnum):
    """What a :class:`Literal` is."""

    STRING = "string"  # "gp3"
    NUMBER = "number"  # 16, 1.5
    QUANTITY = "quantity"  # 20 GB, 7 days
    NONE = "none"
    TRUE = "true"
    FALSE = "false"


class BodyKind(StrEnum):
    """What follows the connector of a :class:`Clause`."""

    DET = "det"  # a determiner, words and maybe a name: `an EIP`, `the instance "web"`, `2 ENIs`
    WORDS = "words"  # words and maybe a value: `engine "mysql"`, `multi-az enabled`
    VALUE = "value"  # a value alone: `"db"`, `7 days`
    IT = "it"


class NounForm(StrEnum):
    """The form of a :class:`NounPhrase`."""

    INDEF = "indef"  # a/an/N words: `a running instance "web"`
    THE = "the"  # the words: `the instance`, `the public ipv4 of "web"`
    COUNT = "count"  # the number of words
    BARE = "bare"  # words: `public ipv4`, `started` (a when-step's own)
    NAME = "name"  # "web"
    IT = "it"


class PredicateForm(StrEnum):
    """The form of a :class:`Predicate`: what is said of the subject."""

    IS_WORDS = "is_words"  # is running, is associated with "web"
    IS_VALUE = "is_value"  # is 20 GB, is the address of "eip"
    COMPARE = "compare"  # is at most 5
    UNCHANGED = "unchanged"
    RETAINED = "retained"
    CHANGES = "changes"
    EXISTS = "exists"  # exists, does not exist (negated)
    PASSED = "passed"  # passed through <state>
    HAS = "has"  # has a public ipv4, has no ..., has active tracing
    HAS_COUNT = "has_count"  # has 2 elastic ips
    EQUALS = "equals"
    TEXT = "text"  # starts with, ends with, contains (extra says which)
    FAILS = "fails"
    SUCCEEDS = "succeeds"


@attrs.define(slots=True, kw_only=True)
class Words:
    """An open word slot: words the compiler resolves against the vocabulary."""

    words: tuple[str, ...]
    col: int
    end: int

    @property
    def text(self) -> str:
        return " ".join(self.words)


@attrs.define(slots=True, kw_only=True)
class Name:
    """A quoted name, ``"web"``."""

    value: str
    col: int
    end: int


@attrs.define(slots=True, kw_only=True)
class Literal:
    """A value of one of the :class:`LiteralKind` kinds: string, number, quantity, none, true or false.

    A number's value (and a quantity's) is exact: an int, or a Fraction for a decimal
    (``1.5`` is ``Fraction(3, 2)``); the compiler turns it into the IR's int or float.
    """

    kind: LiteralKind
    value: Any
    unit: str | None = None  # a quantity's
    col: int
    end: int

    @property
    def text(self) -> str:
        match self.kind:
            case LiteralKind.STRING:
                return f'"{self.value}"'
            case LiteralKind.QUANTITY:
                return f"{_num(self.value)} {self.unit}"
            case LiteralKind.NUMBER:
                return _num(self.value)
        return str(self.kind)  # none, true, false


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


@attrs.define(slots=True, kw_only=True)
class Body:
    """What follows a connector: ``an EIP``, ``engine "mysql"``, ``"db"``, ``7 days``.

    kind (:class:`BodyKind`) is det (det words name?), words (words literal?), value (literal) or it.
    """

    kind: BodyKind
    det: str | None = None
    words: Words | None = None
    name: Name | None = None
    value: Literal | None = None
    col: int


@attrs.define(slots=True, kw_only=True)
class Clause:
    """``with an EIP``, ``in placement group "pg"``, ``and started``."""

    connector: str
    body: Body
    col: int


@attrs.define(slots=True, kw_only=True)
class NounPhrase:
    """A subject or object.

    form (:class:`NounForm`): indef (a/an/N words), the (the words), count (the number
    of words), bare (words), name ("web") or it.
    """

    form: NounForm
    det: str | None = None
    words: Words | None = None
    name: Name | None = None
    rel: tuple[Words, Clause] | None = None  # `"eip" associated with "web"`
    clauses: tuple[Clause, ...] = ()
    col: int
    end: int


@attrs.define(slots=True, kw_only=True)
class TheAttr:
    """``the address of "eip"`` used as a value."""

    words: Words
    clauses: tuple[Clause, ...]
    col: int


@attrs.define(slots=True, kw_only=True)
class Predicate:
    """What is said of the subject. form (:class:`PredicateForm`) is one of: is_words,
    is_value, compare, unchanged, retained, changes, exists (negated: does not exist),
    passed, has, has_count, equals, text, fails, succeeds."""

    form: PredicateForm
    negated: bool = False
    words: Words | None = None
    clauses: tuple[Clause, ...] = ()
    value: Literal | TheAttr | None = None
    extra: str | None = None  # comparator, has-determiner, the text claim's verb, or the error code of `fails with`
    col: int


@attrs.define(slots=True, kw_only=True)
class Sentence:
    """The words of one step after its keyword."""

    np: NounPhrase | None = None
    predicate: Predicate | None = None
    passing: Literal | None = None  # `2 minutes pass`


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
