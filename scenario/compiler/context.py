"""The bottom of the compiler: the state of one file and of one scenario, and how a mistake is reported.

:class:`FileContext` gathers a file's errors, each place and message once.
:class:`ScenarioContext` holds what one scenario (one outline row) has made so
far — slots, names, steps, probes, the capabilities it needs — and the step being
compiled, so that :meth:`ScenarioContext.error` can point into it, map a column of
a substituted examples row back to its template line, and abort the step.
The small phrase helpers every other module uses live here too.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Callable, NoReturn, Sequence, TypeVar

from .. import ir
from .. import syntax as s
from ..errors import InternalError, ScnCompileError, SourceSpan, _SpecError, closest
from ..parser import _odd_char
from ..syntax import LiteralKind, _num
from ..vocabulary import Vocabulary

FactCheck = Callable[[str], "list[str] | None"]  # None: known id; list: suggestions

# The ranges of numbers (docs/language.md, "Numbers and their ranges"). Every number the
# parser reads has at most 18 digits before its decimal point and 12 after it
# (scenario.parser.MAX_DIGITS, MAX_DECIMALS); these narrow it where a number means something.

#: the most resources one step may create (`given 7 running instances`, `with 2 ENIs`)
MAX_COUNT = 1000
#: the most resources a claim may count (`has 3 elastic ips`, `the number of ... is at most 5`)
MAX_CLAIM_COUNT = 1_000_000
#: the largest quantity of each dimension, in its base unit: (it, the sentence that says so, a hint)
MAX_QUANTITY: dict[str, tuple[int, str, str]] = {
    "duration": (100 * 31_536_000, "a duration is at most 100 years (3,153,600,000 seconds)",
                 "check the number and its unit (seconds, minutes, hours, days, years)"),
    "size": (2**60, "a size is at most 1,073,741,824 GB (2^60 bytes, 1 EiB)",
             "check the number and its unit (bytes, KB, MB, GB; 1 TiB is 1,024 GB, 1 PiB 1,048,576 GB)"),
    "percent": (100, "a percentage is at most 100%", "a percentage runs from 0% to 100%"),
}


class _Abort(Exception):
    """One step could not compile; its error is already recorded."""


_T = TypeVar("_T")


def _part(x: _T | None) -> _T:
    """A part of a phrase that its grammar rule always gives (the words after `has`, the comparator of a
    comparison): None here is a bug of the parser, not a mistake of the user's."""
    if x is None:  # pragma: no cover - the grammar guarantees it
        raise InternalError("the parse tree lacks a part its grammar rule always gives")
    return x


class FileContext:
    """One .scn file being compiled: its parse tree, the vocabulary, the errors found so far."""

    def __init__(self, doc: s.Document, vocab: Vocabulary, errors: list[_SpecError], fact_check: FactCheck | None):
        self.doc = doc
        self.vocab = vocab
        self.errors = errors
        self.fact_check = fact_check

    def error(self, message: str, line: int, col: int, hint: str | None = None, end: int | None = None) -> None:
        src = self.doc.lines[line - 1] if 0 < line <= len(self.doc.lines) else ""
        err = ScnCompileError(message, SourceSpan(self.doc.path, line, max(col, 1), end), source_line=src, hint=hint)
        if any(e.span == err.span and e.message == message for e in self.errors):
            return  # a background step, or a step of an outline, compiled once per scenario or row
        self.errors.append(err)


class ScenarioContext:
    """What one scenario (one outline row) has made so far, and the step being compiled."""

    def __init__(self, fc: FileContext, block: s.ScenarioBlock, backgrounds: Sequence[s.ScenarioBlock],
                 tags: tuple[ir.Tag, ...], rule: s.RuleBlock | None, values: dict[str, str] | None, row: s.Row | None):
        self.fc = fc
        self.vocab = fc.vocab
        self.block = block
        self.backgrounds = backgrounds
        self.tags = tags
        self.rule = rule
        self.values = values
        self.row = row
        self.slots: list[ir.Slot] = []
        self.names: dict[str, int] = {}
        self.per_kind: dict[str, list[int]] = {}
        self.counters: dict[str, int] = {}
        self.last_subject: int | None = None
        self.it_subject: int | None = None
        self.steps: list[ir.Step] = []
        self.needs: set[str] = set()
        self.group_kind: str | None = None
        self.when_index = -1
        self.probes: list[list[ir.Probe]] = []
        self.captured: set[int] = set()
        self.created_in: dict[int, tuple[int, int]] = {}  # slot → (when-group, line) of a resource a when-step created
        self.steps_since_when = 0  # then-steps since the latest when-group
        self.failed = False
        self.row_failed = False  # a step of this examples row failed: report nothing more of the row
        # the step being compiled
        self.cur: s.Step | None = None
        self.cur_text = ""
        self.cur_source = ""  # the text the columns of the current sentence index
        self.cur_line = 0
        self.in_sentence = False  # columns of errors come from the step's sentence
        self.broken_given = False  # a given failed: later references to what it made are not new mistakes

    @property
    def step(self) -> s.Step:
        """The step being compiled; only asked for while one is."""
        if self.cur is None:
            raise InternalError("no step is being compiled")
        return self.cur

    def error(self, message: str, col: int | None = None, hint: str | None = None, end: int | None = None) -> NoReturn:
        """Record a mistake of the current step and abort the step."""
        st = self.step
        line = st.line
        odd = self._odd_in_user_text(message)
        if odd is not None:  # `instаnce` with a Cyrillic а: say why a word that looks right is not understood
            message += f": it holds {odd[1]}"
            hint = odd[2]
        if self.row is not None and st.template is not None:
            message, col, hint, end = self._in_row(st.template, self.row, message, col, hint, end)
        self.fc.error(message, line, col if col is not None else st.text_col, hint, end)
        self.failed = True
        raise _Abort()

    def _odd_in_user_text(self, message: str):
        """An odd character of a phrase the message quotes, if the user wrote it: a phrase the compiler renders
        (`and …`, `<kind>`) holds characters of its own, which are not the user's to retype."""
        written = self.cur_text
        for quoted in re.finditer(r"`([^`]*)`", message):
            odd = _odd_char(quoted.group(1))
            if odd is not None and quoted.group(1)[odd[0]] in written:
                return odd
        return None

    def _in_row(self, template: str, row: s.Row, message: str, col: int | None, hint: str | None,
                end: int | None) -> tuple[str, int | None, str | None, int | None]:
        """A mistake in a step of an outline (its ``template``, substituted from ``row``): say which row, and point
        into the template line."""
        st = self.step
        values = self.values or {}  # a row always comes with its values
        self.row_failed = True  # the rest of this row is not compiled: its mistakes would only follow from this one
        empty = next((m for m in re.finditer(r"<([^<>]*)>", template) if not values.get(m.group(1), "?").strip()), None)
        if empty is not None:  # most likely the cause: say so rather than what the parser made of the gap
            message = f"the cell for <{empty.group(1)}> is empty (row at line {row.line})"
            col, hint, end = st.text_col + empty.start(), "fill in the cell", None
        else:
            message += f" (in the examples row at line {row.line}: | {' | '.join(map(_short, row.cells))} |)"
            if self.in_sentence:  # columns of the substituted text: map them back to the template line
                col = st.text_col + _template_offset(template, values, (col or 1) - 1)
                end = None
        lines = self.fc.doc.lines
        src = lines[st.line - 1].rstrip() if 0 < st.line <= len(lines) else ""
        if col is not None and col > len(src):  # never past the end of the template line
            col = max(len(src), 1)
        return message, col, hint, end

    def said(self, col: int, end: int | None = None) -> str:
        """What the user wrote from column ``col`` to ``end`` (exclusive; the end of the step if None), comments dropped."""
        text = self.cur_source[col - 1 : (end - 1) if end is not None else None]
        return text.split("#", 1)[0].strip() if '"' not in text else text.strip()

    def rewritten(self, col: int, end: int, new: str) -> str:
        """The current step with what the user wrote from ``col`` to ``end`` replaced by ``new``: a sentence to hand over."""
        src = self.cur_source
        text = (src[: col - 1] + new + src[end - 1 :]).split("#", 1)[0].strip() if '"' not in src else (src[: col - 1] + new + src[end - 1 :]).strip()
        if self.cur is not None and self.cur.template is not None:
            text = f"{self.cur.keyword} {text}"
        return " ".join(text.split())

    def suggest(self, word: str, candidates) -> str | None:
        near = closest(word, candidates)
        if near:
            return "did you mean " + " or ".join(f"`{n}`" for n in near) + "?"
        return None

    def _base(self) -> dict:
        """The fields every IR step of the current step shares."""
        st = self.step
        return dict(span=SourceSpan(self.fc.doc.path, st.line, st.col), keyword=st.keyword, text=self.cur_text, group=self.when_index)


def _short(cell: str, width: int = 40) -> str:
    """A cell as a message quotes it: a very long one (a number of 5,000 digits) cut in the middle."""
    return cell if len(cell) <= width else f"{cell[: width // 2]}…{cell[-width // 4:]} ({len(cell):,} characters)"


def _subst(text: str, values: dict[str, str]) -> str:
    return re.sub(r"<([^<>]*)>", lambda m: values.get(m.group(1), m.group(0)), text)


def _template_offset(template: str, values: dict[str, str], offset: int) -> int:
    """An offset into the substituted text → the offset of the same place in the template."""
    src = out = 0
    for m in re.finditer(r"<([^<>]*)>", template):
        literal = m.start() - src
        if offset < out + literal:
            return src + offset - out
        out += literal
        value = values.get(m.group(1), m.group(0))
        if offset < out + len(value):
            return m.start()  # inside a substituted value: point at its placeholder
        out += len(value)
        src = m.end()
    return src + offset - out


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _type_phrase(attr_type: str, dimension: str | None, integer: bool, values: Sequence[str] = ()) -> str:
    """What values an attribute takes, as the object of `is`: `a whole number`, `a duration`."""
    if attr_type == "number":
        return "a whole number" if integer else "a number"
    if attr_type == "quantity":
        return f"a {dimension}"
    if attr_type == "boolean":
        return "true or false"
    if attr_type == "enum":
        return f"one of {', '.join(values)}"
    return "text"


def _grouped(lit: s.Literal) -> str:
    """A number or quantity as a range message quotes it, its thousands grouped: `1,000,001`, `36,501 days`."""
    v = lit.value
    if isinstance(v, Fraction) and v.denominator == 1:
        v = v.numerator
    text = f"{v:,}" if isinstance(v, int) else _num(v)
    return f"{text} {lit.unit}" if lit.kind == LiteralKind.QUANTITY else text


def _plain(v: int | Fraction) -> int | float:
    """An exact number of the parse tree as the IR holds it: an int when it is whole, else a float."""
    if isinstance(v, Fraction):
        return v.numerator if v.denominator == 1 else float(v)
    return v
