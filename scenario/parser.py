"""The parser: .scn text → :class:`scenario.syntax.Document`.

One LALR grammar (``grammar/scenario.lark``, shipped inside the package) reads a
file as a flat sequence of lines in one pass, building the parse tree through an
inline transformer (no intermediate Lark trees). A small state machine then
assembles the blocks: feature > background / rule > scenario > steps > examples.

A file with mistakes is read again line by line, so that every independent
mistake is reported at once, each as a :class:`ScnSyntaxError` with a sentence a
person understands.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import pickle
import re
import sys
import unicodedata
from array import array
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, TypeGuard, cast

import attrs

from . import syntax as s
from ._cache import cache_dir, store
from ._gc import paused_gc
from .errors import InternalError, ScnSyntaxError, SourceSpan, SpecErrors, closest

if TYPE_CHECKING:  # Lark is imported when a line must go through it (_lark()), not with this module
    from lark import Lark, Token
    from lark.exceptions import UnexpectedInput

__all__ = ["parse", "parse_blocks", "parse_sentence", "grammar_text", "GRAMMAR_HASH", "SourceLines", "Unstreamable"]

STEP_KEYWORDS = ("given", "when", "then", "and", "but")
BLOCK_KEYWORDS = {
    "feature": "feature",
    "background": "background",
    "rule": "rule",
    "scenario": "scenario",
    "example": "scenario",
    "scenario outline": "outline",
    "scenario template": "outline",
    "examples": "examples",
    "scenarios": "examples",
}
_UNITS = {
    "second": "seconds", "seconds": "seconds", "minute": "minutes", "minutes": "minutes",
    "hour": "hours", "hours": "hours", "day": "days", "days": "days", "year": "years", "years": "years",
    "byte": "bytes", "bytes": "bytes", "kb": "KB", "mb": "MB", "gb": "GB", "%": "%",
    # what people write on their first day: abbreviations, and the binary names AWS's consoles use
    "ms": "ms", "millisecond": "ms", "milliseconds": "ms", "s": "seconds", "sec": "seconds", "secs": "seconds",
    "min": "minutes", "mins": "minutes", "h": "hours", "hr": "hours", "hrs": "hours", "d": "days",
    "yr": "years", "yrs": "years", "week": "weeks", "weeks": "weeks", "wk": "weeks", "wks": "weeks", "kib": "KB", "mib": "MB", "gib": "GB", "tb": "TB", "tib": "TB",
}
_GLUED = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)(.*)", re.S)


# Python's case-insensitive matching equates these with ASCII letters (`scenarİo:`
# is `scenario:`); fold them so that a keyword always comes out in its plain spelling.
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


def _fold(keyword: str) -> str:
    """A keyword token as lower-case ASCII."""
    return str(keyword).translate(_FOLD).lower()


def _grammar_path() -> Path:
    here = Path(__file__).parent
    for candidate in (here / "grammar" / "scenario.lark", here.parent / "grammar" / "scenario.lark"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("scenario.lark is missing from the scn installation")  # pragma: no cover


def grammar_text() -> str:
    return _grammar_path().read_text(encoding="utf-8")


GRAMMAR_HASH = hashlib.sha256(grammar_text().encode()).hexdigest()[:16]


# ---------------------------------------------------------------- the transformer


def _words(children: list[Token]) -> s.Words:
    first, last = children[0], children[-1]
    return s.Words(words=tuple(str(t) for t in children), col=_placed(first)[1], end=_placed(last)[2])


def _placed(tok: Token) -> tuple[int, int, int]:
    """A token's line, column and end column (1-based, the end exclusive): the lexer gives every token it
    makes all three; only a Token made by hand lacks them."""
    if tok.line is None or tok.column is None or tok.end_column is None:  # pragma: no cover
        raise InternalError(f"the token {tok!r} has no place in the text")
    return tok.line, tok.column, tok.end_column


def _glued(text: str) -> tuple[str, str]:
    """A QUANTITY token (`3s`, `1.5GB`) cut into its number and its unit."""
    m = _GLUED.match(text)
    if m is None:  # pragma: no cover - the lexer's QUANTITY starts with a digit
        raise InternalError(f"{text!r} is not a number glued to a unit")
    return m.group(1), m.group(2)


def _name(tok: Token) -> s.Name:
    raw = tok[1:-1]
    if "\\" in raw:
        raw = re.sub(r"\\(.)", r"\1", raw)
    _, col, end = _placed(tok)
    return s.Name(value=raw, col=col, end=end)


# ---------------------------------------------------------------- numbers

#: the most digits a number may have before its decimal point (so at most 999,999,999,999,999,999)
MAX_DIGITS = 18
#: the most digits a number may have after its decimal point
MAX_DECIMALS = 12


class _NumberError(Exception):
    """A number token longer than the language reads; raised by the lexer, reported as a ScnSyntaxError."""

    def __init__(self, token: Token, message: str, hint: str):
        super().__init__(message)
        self.token, self.message, self.hint = token, message, hint


def _check_number(tok: Token) -> Token:
    """The lexer's callback for NUMBER: too many digits is a mistake here, before any int() sees the text
    (Python refuses to convert more than 4,300 digits, and a float overflows long before)."""
    whole, _, frac = str(tok).partition(".")
    digits = len(whole) - whole.count(",")
    if digits > MAX_DIGITS:
        before = " before its decimal point" if frac else ""
        raise _NumberError(tok, f"a number is at most 999,999,999,999,999,999 ({MAX_DIGITS} digits); this one has {digits:,} digits{before}",
                           "write a smaller number; a size or a duration can take a larger unit (GB, days, years)")
    if len(frac) > MAX_DECIMALS:
        raise _NumberError(tok, f"a number has at most {MAX_DECIMALS} digits after its decimal point; this one has {len(frac):,}",
                           f"round it to {MAX_DECIMALS} decimal places")
    return tok


def _check_quantity(tok: Token) -> Token:
    """The lexer's callback for QUANTITY (`3s`): its number is checked as a NUMBER is."""
    num = _glued(str(tok))[0]
    line, col, _ = _placed(tok)
    end_pos = None if tok.start_pos is None else tok.start_pos + len(num)
    _check_number(type(tok)("NUMBER", num, tok.start_pos, line, col, line, col + len(num), end_pos))  # a Token
    return tok


def _number(text: str) -> int | Fraction:
    """A NUMBER token's value, exactly: an int, or a Fraction for a decimal (never a float on the way).
    The lexer has checked its length (:func:`_check_number`)."""
    text = str(text).replace(",", "")
    if "." not in text:
        return int(text)
    whole, frac = text.split(".")
    return Fraction(int(whole + frac), 10 ** len(frac))


def _number_syntax_error(exc: _NumberError, path: str, lines, line_offset: int = 0, col_offset: int = 0,
                         source_line: str | None = None) -> ScnSyntaxError:
    tok_line, tok_col, tok_end = _placed(exc.token)
    line = tok_line + line_offset
    src = source_line if source_line is not None else (lines[line - 1] if 0 < line <= len(lines) else "")
    col = tok_col + col_offset
    return ScnSyntaxError(exc.message, SourceSpan(path, line, col, tok_end + col_offset), source_line=src,
                          hint=exc.hint)


#: the token types of the constants, as literals: their kind and their value
_CONSTANTS = {"NONE": (s.LiteralKind.NONE, None), "TRUE": (s.LiteralKind.TRUE, True),
              "FALSE": (s.LiteralKind.FALSE, False)}


def _literal(x: Token | s.Literal) -> s.Literal:
    if isinstance(x, s.Literal):
        return x
    _, col, end = _placed(x)
    if x.type == "NAME":
        return s.Literal(kind=s.LiteralKind.STRING, value=_name(x).value, col=col, end=end)
    if x.type == "NUMBER":
        return s.Literal(kind=s.LiteralKind.NUMBER, value=_number(x), col=col, end=end)
    kind, value = _CONSTANTS[x.type]
    return s.Literal(kind=kind, value=value, col=col, end=end)


def _split_np_tail(children: list, i: int) -> tuple[s.Name | None, tuple[s.Words, s.Clause] | None,
                                                     tuple[s.Clause, ...]]:
    """From position i: NAME? rel? clause* → (name, rel, clauses)."""
    name = rel = None
    n = len(children)
    if i < n and _is_token(children[i]) and children[i].type == "NAME":
        name = _name(children[i])
        i += 1
    if i < n and isinstance(children[i], tuple):
        rel = children[i]
        i += 1
    return name, rel, tuple(children[i:])


def _is_token(x: object) -> TypeGuard[Token]:
    """A rule's child is a lark Token (a str) or what a callback made of a sub-rule (a syntax node, a tuple)."""
    return isinstance(x, str)


class _Build:
    """Inline callbacks of the LALR parser: children in, syntax objects out. (Lark looks each rule's callback up
    by name; a rule without one becomes a Tree, as a lark.Transformer's default would make it.)"""

    # ---- lines
    def document(self, children: list) -> list:
        return children

    def tags(self, children: list[s.Tag]) -> s.TagLine:
        return s.TagLine(tags=tuple(children), line=children[0].line)

    def tag(self, children: list[Token]) -> s.Tag:
        tok = children[0]
        args = []
        for a in children[1:]:
            args.append(_name(a).value if a.type == "NAME" else str(a))
        line, col, _ = _placed(tok)
        return s.Tag(name=tok[1:], args=tuple(args), line=line, col=col)

    def header(self, children: list[Token]) -> s.Header:
        kw = children[0]
        word = re.sub(r"[\s:]+", " ", _fold(kw)).strip()
        title = str(children[1]).strip() if len(children) > 1 else ""
        line, col, _ = _placed(kw)
        return s.Header(keyword=BLOCK_KEYWORDS[word], title=title, line=line, col=col)

    def row(self, children: list[Token]) -> s.Row:
        line, col, _ = _placed(children[0])
        return s.Row(cells=_split_row(str(children[0])), line=line, col=col)

    def description(self, children: list[Token]) -> s.Description:
        line, col, _ = _placed(children[0])
        return s.Description(text=str(children[0]).rstrip(), line=line, col=col)

    def step(self, children: list) -> s.Step:
        kw, sentence = children
        line, col, _ = _placed(kw)
        return s.Step(keyword=_fold(kw), sentence=sentence, template=None, line=line, col=col,
                      text_col=_first_col(sentence, kw))

    def template_step(self, children: list[Token]) -> s.Step:
        kw, tok = children
        text = str(tok)
        lead = len(text) - len(text.lstrip())  # the token starts at the blank after the keyword
        line, col, _ = _placed(kw)
        return s.Step(keyword=_fold(kw), sentence=None, template=_strip_comment(text[lead:]), line=line, col=col,
                      text_col=_placed(tok)[1] + lead)

    # ---- sentences
    def s_np(self, children: list) -> s.Sentence:
        return s.Sentence(np=children[0])

    def s_pred(self, children: list) -> s.Sentence:
        if len(children) == 1:
            return s.Sentence(predicate=children[0])
        return s.Sentence(np=children[0], predicate=children[1])

    def s_pass(self, children: list) -> s.Sentence:
        return s.Sentence(passing=children[0])

    def words(self, children: list[Token]) -> s.Words:
        return _words(children)

    def quantity(self, children: list[Token]) -> s.Literal:
        if len(children) == 1:  # `3s`: one QUANTITY token
            tok = children[0]
            num, unit = _glued(str(tok))
            _, col, end = _placed(tok)
        else:
            num, unit = children
            col, end = _placed(children[0])[1], _placed(children[1])[2]
        return s.Literal(kind=s.LiteralKind.QUANTITY, value=_number(num), unit=_UNITS[_fold(unit)], col=col, end=end)

    def np_indef(self, children: list) -> s.NounPhrase:
        det = children[0]
        name, rel, clauses = _split_np_tail(children, 2)
        return s.NounPhrase(form=s.NounForm.INDEF, det=_fold(det), words=children[1], name=name, rel=rel,
                            clauses=clauses, col=det.column, end=_end(children))

    def np_the(self, children: list) -> s.NounPhrase:
        the = children[0]
        name, rel, clauses = _split_np_tail(children, 2)
        return s.NounPhrase(form=s.NounForm.THE, det="the", words=children[1], name=name, clauses=clauses,
                            col=the.column, end=_end(children))

    def np_count(self, children: list) -> s.NounPhrase:
        the = children[0]
        return s.NounPhrase(form=s.NounForm.COUNT, det="the", words=children[2], clauses=tuple(children[3:]),
                            col=the.column, end=_end(children))

    def np_bare(self, children: list) -> s.NounPhrase:
        w = children[0]
        name, rel, clauses = _split_np_tail(children, 1)
        return s.NounPhrase(form=s.NounForm.BARE, words=w, name=name, rel=rel, clauses=clauses, col=w.col,
                            end=_end(children))

    def np_name(self, children: list) -> s.NounPhrase:
        tok = children[0]
        name, rel, clauses = _split_np_tail(children, 0)
        return s.NounPhrase(form=s.NounForm.NAME, name=name, rel=rel, clauses=clauses, col=tok.column,
                            end=_end(children))

    def np_it(self, children: list[Token]) -> s.NounPhrase:
        _, col, end = _placed(children[0])
        return s.NounPhrase(form=s.NounForm.IT, col=col, end=end)

    def rel(self, children: list) -> tuple[s.Words, s.Clause]:
        return (children[0], children[1])

    def clause(self, children: list) -> s.Clause:
        conn, body = children
        return s.Clause(connector=_fold(conn), body=body, col=conn.column)

    def body_det(self, children: list) -> s.Body:
        det = children[0]
        name = _name(children[2]) if len(children) > 2 else None
        return s.Body(kind=s.BodyKind.DET, det=_fold(det), words=children[1], name=name, col=det.column)

    def body_words(self, children: list) -> s.Body:
        w = children[0]
        value = _literal(children[1]) if len(children) > 1 else None
        return s.Body(kind=s.BodyKind.WORDS, words=w, value=value, col=w.col)

    def body_value(self, children: list) -> s.Body:
        lit = _literal(children[0])
        name = s.Name(value=lit.value, col=lit.col, end=lit.end) if lit.kind == s.LiteralKind.STRING else None
        return s.Body(kind=s.BodyKind.VALUE, name=name, value=lit, col=lit.col)

    def body_it(self, children: list[Token]) -> s.Body:
        return s.Body(kind=s.BodyKind.IT, col=_placed(children[0])[1])

    def the_attr(self, children: list) -> s.TheAttr:
        return s.TheAttr(words=children[1], clauses=tuple(children[2:]), col=children[0].column)

    # ---- predicates
    def p_is_words(self, children: list) -> s.Predicate:
        neg, rest = _neg(children)
        col = _col(children[0])
        if rest and isinstance(rest[0], s.Words):
            return s.Predicate(form=s.PredicateForm.IS_WORDS, negated=neg, words=rest[0], clauses=tuple(rest[1:]),
                               col=col)
        return s.Predicate(form=s.PredicateForm.IS_WORDS, negated=neg, clauses=tuple(rest), col=col)

    def p_is_value(self, children: list) -> s.Predicate:
        neg, rest = _neg(children)
        v = rest[0]
        value = v if isinstance(v, s.TheAttr) else _literal(v)
        return s.Predicate(form=s.PredicateForm.IS_VALUE, negated=neg, value=value, col=_col(children[0]))

    def p_compare(self, children: list) -> s.Predicate:
        cmp, v = children
        value = v if isinstance(v, s.TheAttr) else _literal(v)
        return s.Predicate(form=s.PredicateForm.COMPARE, value=value, extra=re.sub(r"\s+", " ", _fold(cmp)),
                           col=cmp.column)

    def p_unchanged(self, children: list[Token]) -> s.Predicate:
        return s.Predicate(form=s.PredicateForm.UNCHANGED, col=_placed(children[0])[1])

    def p_retained(self, children: list[Token]) -> s.Predicate:
        return s.Predicate(form=s.PredicateForm.RETAINED, col=_placed(children[0])[1])

    def p_changes(self, children: list[Token]) -> s.Predicate:
        return s.Predicate(form=s.PredicateForm.CHANGES, col=_placed(children[0])[1])

    def p_exists(self, children: list[Token]) -> s.Predicate:
        return s.Predicate(form=s.PredicateForm.EXISTS, col=_placed(children[0])[1])

    def p_not_exists(self, children: list[Token]) -> s.Predicate:
        return s.Predicate(form=s.PredicateForm.EXISTS, negated=True, col=_placed(children[0])[1])

    def p_passed(self, children: list) -> s.Predicate:
        return s.Predicate(form=s.PredicateForm.PASSED, words=children[1], col=children[0].column)

    def p_has(self, children: list) -> s.Predicate:
        det, w = children
        return s.Predicate(form=s.PredicateForm.HAS, negated=_fold(det) == "no", words=w, extra=_fold(det),
                           col=det.column)

    def p_has_bare(self, children: list) -> s.Predicate:
        """`has active tracing`: a boolean, or a thing there is or is not."""
        (w,) = children
        return s.Predicate(form=s.PredicateForm.HAS, words=w, col=w.col)

    def p_has_count(self, children: list) -> s.Predicate:
        num, w = children
        return s.Predicate(form=s.PredicateForm.HAS_COUNT, words=w, value=_literal(num), col=num.column)

    def p_equals(self, children: list) -> s.Predicate:
        v = children[1]
        value = v if isinstance(v, s.TheAttr) else _literal(v)
        return s.Predicate(form=s.PredicateForm.EQUALS, value=value, col=children[0].column)

    def p_text(self, children: list) -> s.Predicate:
        op, v = children
        words = re.sub(r"\s+", " ", _fold(op)).split()
        negated = words[:2] in (["does", "not"], ["do", "not"])
        verb = words[2:] if negated else words
        what = {"start": "starts with", "end": "ends with", "contain": "contains"}[verb[0].rstrip("s")]
        return s.Predicate(form=s.PredicateForm.TEXT, negated=negated, value=_literal(v), extra=what, col=op.column)

    def p_fails(self, children: list) -> s.Predicate:
        code = _name(children[1]).value if len(children) > 1 else None
        return s.Predicate(form=s.PredicateForm.FAILS, extra=code, col=children[0].column)

    def p_succeeds(self, children: list[Token]) -> s.Predicate:
        return s.Predicate(form=s.PredicateForm.SUCCEEDS, col=_placed(children[0])[1])


def _neg(children):
    if children and _is_token(children[0]) and children[0].type == "NOT":
        return True, children[1:]
    return False, children


def _col(x) -> int:
    if _is_token(x):
        return _placed(x)[1]
    return getattr(x, "col", 1)


def _end(children) -> int:
    last = children[-1]
    if _is_token(last):
        return _placed(last)[2]
    if isinstance(last, tuple):
        last = last[1]
    if isinstance(last, s.Clause):
        b = last.body
        for part in (b.value, b.name, b.words):
            if part is not None:
                return part.end
        return b.col + 2
    return getattr(last, "end", 1)


def _first_col(sentence: s.Sentence, kw: Token) -> int:
    if sentence.np is not None:
        return sentence.np.col
    if sentence.predicate is not None:
        return sentence.predicate.col
    if sentence.passing is not None:
        return sentence.passing.col
    return _placed(kw)[2] + 1  # pragma: no cover


def _split_row(text: str) -> tuple[str, ...]:
    body = text.strip()
    cells, cur, i = [], [], 1
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            cur.append({"n": "\n", "|": "|", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    tail = "".join(cur).strip()
    if tail and not (cells and tail.startswith("#")):  # `| a | b | # note`: a comment, not a cell
        cells.append(tail)  # an unclosed last cell
    return tuple(cells)


def _strip_comment(text: str) -> str:
    """Drop a trailing `# comment` that is outside quotes."""
    inside = False
    for i, ch in enumerate(text):
        if ch == '"':
            inside = not inside
        elif ch == "#" and not inside:
            return text[:i].rstrip()
    return text.rstrip()


# ---------------------------------------------------------------- the Lark parser


def _cache_file() -> str | None:
    """The parser tables' cache file, in scn's own safe cache folder (see scenario._cache)."""
    import lark

    base = cache_dir()
    if base is None:
        return None
    return str(base / f"grammar-{GRAMMAR_HASH}-{lark.__version__}-{sys.version_info[0]}{sys.version_info[1]}.lark-cache")


_PARSER: Lark | None = None

#: what a parse raises for a text the grammar refuses: a number too long (_NumberError, from the lexer), and
#: lark's UnexpectedInput, which joins when _lark() first imports lark (no text meets lark before that)
_REFUSED: tuple[type[Exception], ...] = (_NumberError,)


def _lark() -> Lark:
    """The grammar's LALR parser, made (or loaded from its table cache) the first time a line must go through it."""
    global _PARSER, _REFUSED
    if _PARSER is None:
        from lark import Lark
        from lark.exceptions import UnexpectedInput

        _REFUSED = (UnexpectedInput, _NumberError)
        kwargs = dict(parser="lalr", lexer="contextual", start=["document", "sentence"], transformer=_Build(), maybe_placeholders=False,
                      lexer_callbacks={"NUMBER": _check_number, "QUANTITY": _check_quantity})
        cache = _cache_file()
        try:
            _PARSER = Lark(grammar_text(), cache=cache, **kwargs) if cache else Lark(grammar_text(), **kwargs)
        except OSError:  # pragma: no cover - the cache file could not be written
            _PARSER = Lark(grammar_text(), **kwargs)
    return _PARSER


# ---------------------------------------------------------------- errors in words

_TOKEN_WORDS = {
    "WORD": "a word",
    "NAME": 'a quoted name such as "web"',
    "NUMBER": "a number",
    "UNIT": "a unit (ms, seconds, minutes, hours, days, years, bytes, KB, MB, GB, TB or %)",
    "QUANTITY": "a quantity such as 30 seconds",
    "_NL": "the end of the line",
    "$END": "the end of the line",
    "CONNECTOR": "with, and, in, of, to, into or from",
    "_IS": "is",
    "_HAS": "has",
    "_WITH": "with",
    "NOT": "not",
    "A": "a",
    "AN": "an",
    "THE": "the",
    "NO": "no",
    "IT": "it",
    "NONE": "none",
    "TRUE": "true",
    "FALSE": "false",
    "PASS": "pass",
    "CHANGES": "changes",
    "EXISTS": "exists",
    "DOES_NOT_EXIST": "does not exist",
    "DOES_NOT_CHANGE": "does not change",
    "PASSED_THROUGH": "passed through",
    "UNCHANGED": "unchanged",
    "RETAINED": "retained",
    "EQUALS": "equals",
    "FAILS": "fails",
    "SUCCEEDS": "succeeds",
    "NUMBER_OF": "number of",
    "COMPARATOR": "at least, at most, greater than or less than",
    "TEXT_OP": "starts with, ends with or contains",
    "STEP_KW": "a step keyword (given, when, then, and, but)",
    "TAG": "a tag such as @ec2",
    "TAG_WORD": "a tag argument",
    "LPAR": "(",
    "RPAR": ")",
    "COMMA": ",",
    "TITLE": "a title",
    "ROW": "a table row",
    "DESCRIPTION": "a description line",
    "TEMPLATE": "a step with a <placeholder>",
}


def _describe_expected(expected) -> str:
    names = []
    order = {"WORD": 0, "NAME": 1, "NUMBER": 2, "_IS": 3, "CONNECTOR": 4}
    for e in sorted(expected, key=lambda e: (order.get(e, 9), e)):
        if e in ("FEATURE", "BACKGROUND", "RULE", "OUTLINE", "SCENARIO", "EXAMPLES"):
            continue
        w = _TOKEN_WORDS.get(e, e.lower())
        if w not in names:
            names.append(w)
    if not names:
        return ""
    if len(names) > 5:
        names = names[:5] + ["…"]
    return " or ".join(names) if len(names) == 2 else ", ".join(names)


def _describe_token(tok) -> str:
    if tok is None or tok.type in ("$END", "_NL"):
        return "the end of the line"
    text = str(tok)
    if tok.type == "DESCRIPTION":
        text = text.split()[0] if text.split() else text
    return f"`{text}`"


# what a step that stops after this word is missing: (sentence, hint)
_ENDS_TOO_EARLY = {
    "is": ("say what it is after `is`", 'a state (`is running`), a value (`is "203.0.113.7"`, `is 16`, `is none`) or a comparison (`is at most 5`)'),
    "are": ("say what they are after `are`", "a state (`are running`) or a value"),
    "not": ("say what it is not", "a state (`is not running`) or a value (`is not none`)"),
    "with": ("say with what", 'an attribute and its value (`with instance type "t3.micro"`), or a resource (`with an EIP`, `with "web"`)'),
    "and": ("`and` inside a step joins another clause or action", 'e.g. `when "web" is stopped and started`'),
    "of": ("say of what", 'a resource: `of "web"`, `of the instance`'),
    "in": ("say in what", 'a resource: `in placement group "pg"`'),
    "to": ("say to what", 'a resource: `attached to "web"`'),
    "has": ("say what it has", "`has a public ipv4`, `has no public ipv4`"),
    "through": ("say which state", "`passed through stopping`"),
    "equals": ("say what it equals", 'a value, or `the address of "eip"`'),
    "a": ("say a what", "a kind, e.g. `a running instance`"),
    "an": ("say an what", "a kind, e.g. `an elastic ip`"),
    "the": ("say the what", 'a kind (`the instance`) or an attribute (`the public ipv4 of "web"`)'),
}


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].lower() if words else ""


_SMART_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2018\u2019\u201a\u201b\u2032"


def _odd_char(text: str) -> tuple[int, str, str | None] | None:
    """The first character of ``text`` that is not plain ASCII: (index, `U+00A0 NO-BREAK SPACE`, hint)."""
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        name = f"U+{ord(ch):04X} {unicodedata.name(ch, 'an unnamed character')}"
        if ch in _SMART_QUOTES:
            hint = 'names are quoted with straight quotes: "web" (an editor may have turned them into smart quotes)'
        elif unicodedata.category(ch) in ("Zs", "Zl", "Zp"):
            hint = "replace it with a plain space"
        elif unicodedata.category(ch).startswith("C"):
            hint = "delete it: it is invisible, most likely pasted along with the text"
        else:
            hint = "it looks like a plain letter or sign but is not one: retype it"
        return i, name, hint
    return None


# a line whose second word could be a step keyword: at least three characters (folding keeps the length of a word),
# the first an ASCII g, w, t, a or b in either case (of the letters Python lower-cases to ASCII, U+0130 and U+212A
# fold to i and k)
_SECOND_WORD_MAYBE_KEYWORD = re.compile(r"\s*\S+\s+[gwtabGWTAB]\S\S")


def _doubled_keyword(src: str) -> str | None:
    """`and then "web" is running`: the second of two step keywords at the start of a line."""
    if _SECOND_WORD_MAYBE_KEYWORD.match(src) is None:  # most lines: checked without splitting them
        return None
    words = src.split(None, 2)
    if len(words) >= 2 and _fold(words[0]) in STEP_KEYWORDS and _fold(words[1]) in STEP_KEYWORDS:
        return _fold(words[1])
    return None


def _unclosed_tag(src: str) -> int | None:
    """The column of a tag's `(` that is never closed, on a tag line."""
    if not src.lstrip().startswith("@"):
        return None
    depth_at = None
    inside = False
    for i, ch in enumerate(src):
        if ch == '"':
            inside = not inside
        elif inside:
            continue
        elif ch == "(":
            depth_at = i
        elif ch == ")":
            depth_at = None
        elif ch == "#":
            break
    return None if depth_at is None else depth_at + 1


def _syntax_error(exc: UnexpectedInput, path: str, lines, line_offset: int = 0, col_offset: int = 0) -> ScnSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken  # imported: lark raised exc

    line = (exc.line if exc.line and exc.line > 0 else 1) + line_offset
    col = (exc.column if exc.column and exc.column > 0 else 1) + col_offset
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = None
    doubled = _doubled_keyword(src)
    if doubled is not None:
        col = len(src) - len(src.lstrip()) + 1
        return ScnSyntaxError(f"two step keywords: write `{doubled} …`", SourceSpan(path, line, col), source_line=src,
                              hint=f"drop the first keyword: a `{doubled}` step starts a new group by itself")
    if src[col - 1 : col] == "-" and src[col : col + 1].isdigit():  # `-5`: the grammar has no sign
        m = re.match(r"-[\d,.]*", src[col - 1 :])
        assert m is not None  # a "-" stands there
        return ScnSyntaxError("a number in a spec is never negative", SourceSpan(path, line, col, col + len(m.group(0))),
                              source_line=src, hint=f"numbers run from 0 up: write `{m.group(0)[1:]}`, without the `-`")
    paren = _unclosed_tag(src)
    if paren is not None:
        return ScnSyntaxError("this tag's `(` is never closed", SourceSpan(path, line, paren), source_line=src,
                              hint="close it on the same line: `@fact(ec2.ip.public-released-on-stop)`")
    quote = None
    if src[col - 2 : col - 1].strip() == "":  # a quote that opens a word, not the apostrophe of `isn't`
        quote = re.match(r"'([^'\n]*)'(?!\w)|`([^`\n]*)`(?!\w)", src[col - 1 :])
    if quote is not None:  # `'web'`: a name in single quotes
        return ScnSyntaxError("names are quoted with double quotes, not single ones", SourceSpan(path, line, col, col + len(quote.group(0))),
                              source_line=src, hint=f'write `"{quote.group(1) if quote.group(1) is not None else quote.group(2)}"`')
    glued = re.match(r"([0-9][0-9,]*(?:\.[0-9]+)?)([A-Za-z]+)(?![\w-])", src[col - 1 :])
    if glued is not None:  # `3sx`: a number glued to a unit we do not know
        return ScnSyntaxError(f"`{glued.group(0)}` is not a number with a unit scn knows", SourceSpan(path, line, col, col + len(glued.group(0))),
                              source_line=src, hint=f"write a number and a unit: `{glued.group(1)} seconds`; the units are ms, seconds (s), "
                                                    "minutes (min), hours (h), days (d), years, bytes, KB, MB, GB, TB and %")
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type in ("$END", "_NL"):
            col = len(src.rstrip()) + 1
            msg = "this step ends too early"
            last = _last_word(src[: col - 1])
            after = _ENDS_TOO_EARLY.get(last)
            passive = re.search(r"\b(gets|get|got|was|were|becomes|has been|have been)\s+(\w[\w-]*)\s*$", src[: col - 1])
            if passive is not None and _fold(src.split()[0]) in ("when", "then", "and", "but"):  # `when "web" gets stopped`
                at = passive.start(1)
                exc.expected = set()
                return ScnSyntaxError(f"`{passive.group(1)}` is not how a step says it: write `is {passive.group(2)}`",
                                      SourceSpan(path, line, at + 1, at + 1 + len(passive.group(1))), source_line=src,
                                      hint=f"write `{(src[:at] + 'is' + src[passive.end(1):]).strip()}`")
            if last == "is" and src.split()[:1] == ["when"]:
                after = ("say what is done to it after `is`", 'an action: `is stopped`, `is started`, `is associated with "web"`')
            if after is not None:
                msg, hint = f"this step ends too early: {after[0]}", after[1]
                exc.expected = set()
        elif str(tok).startswith('"') and str(tok).count('"') == 1:
            msg = "this quoted name is never closed"
            hint = 'close it with a second " on the same line'
            exc.expected = set()
        elif (odd := _odd_char(str(tok))) is not None:
            at, name, hint = odd
            col += at
            msg = f"unexpected character {name} here"
            exc.expected = set()
        else:
            msg = f"unexpected {_describe_token(tok)} here"
        exp = _describe_expected(exc.expected)
        if exp:
            msg += f"; expected {exp}"
        expected = set(exc.expected or ())
        if tok.type in ("WORD", "DESCRIPTION") and expected <= {"NAME", "_NL", "$END"} and "NAME" in expected:
            hint = f'names and error codes are quoted: "{str(tok).split()[0]}"'
    elif isinstance(exc, UnexpectedCharacters):
        ch = src[col - 1] if 0 < col <= len(src) else exc.char
        if ch == '"':
            msg = "this quoted name is never closed"
            hint = 'close it with a second " on the same line'
        elif ch == "<":
            msg = "a <placeholder> can only stand in a scenario outline step"
        elif (odd := _odd_char(ch)) is not None:
            _, name, hint = odd
            msg = f"unexpected character {name} here"
        else:
            msg = f"unexpected character `{ch}` here"
            exp = _describe_expected(exc.allowed or ())
            if exp:
                msg += f"; expected {exp}"
    elif isinstance(exc, UnexpectedEOF):
        col = len(src.rstrip()) + 1
        msg = "this step ends too early"
    else:  # pragma: no cover
        msg = str(exc)
    return ScnSyntaxError(msg, SourceSpan(path, line, max(col, 1)), source_line=src, hint=hint)


# ---------------------------------------------------------------- entry points


def _document_items(text: str) -> list:
    """Lark's parse of ``text`` as lines: the inline transformer (:class:`_Build`) makes it a list of line items."""
    return cast(list, _lark().parse(text, start="document"))


def parse_sentence(text: str, path: str = "<step>", line: int = 1, col_offset: int = 0, source_line: str | None = None) -> s.Sentence:
    """Parse the words of one step (after its keyword); used for outline rows. A text parsed before (in this process,
    or by the last compile of spec ``path``: see :func:`sentences_done`) is not parsed again."""
    try:
        return _LineShapes.shared().sentence(text, path)
    except _NumberError as exc:
        err = _number_syntax_error(exc, path, (), line - 1, col_offset, source_line if source_line is not None else text)
        raise SpecErrors([err]) from None
    except _REFUSED as exc:  # lark's UnexpectedInput (a _NumberError is caught above)
        lines = [""] * (line - 1) + [source_line if source_line is not None else text]
        err = _syntax_error(cast("UnexpectedInput", exc), path, lines, line - 1, col_offset)
        raise SpecErrors([err]) from None


def sentences_done(path: str) -> None:
    """The compile of spec ``path`` is over: the outline rows' sentences it parsed are saved with its shapes (if they
    are not what its file holds), so that a later process compiling it again parses none of them."""
    _LineShapes.shared().sentences_done(path)


def parse(text: str, path: str = "<string>") -> s.Document:
    """Parse a whole .scn file. Raises :class:`SpecErrors` with every mistake found."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.endswith("\n"):
        text += "\n"
    lines = text.split("\n")
    errors: list[ScnSyntaxError] = []
    with paused_gc():
        items = _LineShapes.shared().parse(lines, path)
        if items is None:
            items = _parse_line_by_line(lines, path, errors)
        doc = _Assembler(path, lines, errors).run(items)
    if errors:
        exc = SpecErrors(errors)
        exc.partial = doc  # what did parse, so that the compiler can still check the rest
        raise exc
    return doc


class Unstreamable(Exception):
    """A file that cannot be read block by block because it holds a mistake: read it whole with
    :func:`parse` (and compile it with :func:`scenario.compiler.compile_text`) for every mistake at once."""


class SourceLines:
    """The lines of a text, looked up by index without a list of them: one offset per line read.

    ``lines[i]`` is what ``text.split("\n")[i]`` would be, for every line :meth:`read` has reached."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = array("q", [0])

    def read(self) -> Iterator[tuple[int, str]]:
        """(number, line) for each line, numbered from 1; each one's offset is kept."""
        text, pos, number = self.text, 0, 0
        while True:
            end = text.find("\n", pos)
            if end < 0:
                return
            number += 1
            self.starts.append(end + 1)
            yield number, text[pos:end]
            pos = end + 1

    def __getitem__(self, i: int) -> str:
        start = self.starts[i]
        end = self.text.find("\n", start)
        return self.text[start:end] if end >= 0 else self.text[start:]

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


def parse_blocks(text: str, path: str = "<string>") -> tuple[s.Document, Iterator[tuple[s.RuleBlock | None, s.ScenarioBlock]]]:
    """A file block by block: the document (its title, tags, description and background filled in by the
    time the first block comes; its ``scenarios`` and its rules' stay empty) and each scenario or outline
    with its rule, handed on as soon as its last line is read and kept nowhere. Memory stays that of one
    block whatever the length of the file. The first mistake raises :class:`Unstreamable`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.endswith("\n"):
        text += "\n"
    lines = SourceLines(text)
    assembler = _Assembler(path, lines, [], keep=False)

    def items():
        shapes = _LineShapes.shared()
        shapes.begin(path)
        try:
            for number, line in lines.read():
                if line.strip():
                    yield from shapes.items(line, number)
        except _REFUSED:
            raise Unstreamable(path) from None
        shapes.end()  # the file's shapes, for the next process that reads it

    def blocks():
        for rule, block in assembler.blocks(items()):
            if assembler.errors or (block.keyword == "outline" and not block.examples) or any(ex.header is None for ex in block.examples):
                raise Unstreamable(path)
            assembler.close_descriptions()
            yield rule, block
        if assembler.errors:
            raise Unstreamable(path)
        assembler.close_descriptions()

    return assembler.doc, blocks()


def _lark_items(text: str) -> list:
    """The lines of a whole file in one Lark parse: what :class:`_LineShapes` must give, line for line (tests compare)."""
    return _document_items(text if text.endswith("\n") else text + "\n")


# ---------------------------------------------------------------- one shape of line, parsed once
#
# The grammar reads a file as a flat sequence of lines, so each line can be parsed alone. A
# library repeats a few shapes of line many times: `when "web7" is stopped` differs from
# `when "web8" is stopped` only inside the quotes. So the quoted names of a step line (and the
# title of a header line) are replaced by as many x's, that shape is parsed by Lark once, and
# each line of the shape gets the shape's syntax with its own names put back, column for column
# (the filler has the same length, so every column is the same). A step shape is kept as a
# :class:`_StepShape`: its Step, and a builder that makes the nodes holding a name (and those on
# the way to one) afresh for each line, sharing every other node. A shape whose parse does not
# hold each filler exactly where it stood (`fails with "Code"` keeps the code as text) is parsed
# line by line as written. Parse time then grows with the shapes of a file, not with its lines.

_STEP_LINE = re.compile(r"[ \t]*(given|when|then|and|but)(?![\w-])", re.I)
_HEADER_LINE = re.compile(r"([ \t]*(?:scenario[ \t]+(?:outline|template)|feature|background|rule|scenarios|scenario"
                          r"|examples|example)[ \t]*:[ \t]*)(.*?)([ \t\r]*)", re.I | re.S)
_QUOTED = re.compile(r'("(?:[^"\\\n]|\\.)*")')  # one group: split() gives the text around each name, and the name
_FIELDS: dict[type, tuple[str, ...]] = {}
_UNSEEN = object()  # a key no saved file holds
_NOT_SHAPED = object()  # a shape whose lines are parsed as written


class _LineShapes:
    """Lines → line items (Header, Step, TagLine, Row, Description), each shape through Lark once.

    The shapes of each file's lines are kept between processes too (:class:`_SavedShapes`): a line of a shape
    an earlier process found in the same file is built without Lark."""

    _shared: "_LineShapes | None" = None
    MAX_SHAPES = 50_000  # the memo is cleared past this many shapes: memory stays bounded on any file

    def __init__(self) -> None:
        self.shapes: dict[object, object] = {}  # a shape's key → its _StepShape or Header, or _NOT_SHAPED
        self.plain: dict[str, tuple] = {}  # a line kept by its whole text → its items at line 1
        self.sentences: dict[str, s.Sentence] = {}  # an outline row's words → their sentence
        self.saved = _NO_FILE  # the saved shapes of the file being parsed (begin … end)
        self.files: dict[str, _SavedShapes] = {}  # a file's saved shapes as this process last read or wrote them

    @classmethod
    def shared(cls) -> "_LineShapes":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def parse(self, lines: list[str], path: str = "<string>") -> list | None:
        """Every line's items, numbered; None if a line does not parse (the caller reads it line by line)."""
        items: list = []
        self.begin(path)
        try:
            for i, line in enumerate(lines):
                if line.strip():
                    items += self.items(line, i + 1)
        except _REFUSED:
            self.saved = _NO_FILE  # a file in error: what it was saved with stays
            return None
        self.end()
        return items

    def begin(self, path: str) -> None:
        """The parse of file ``path`` starts: the shapes its lines had when it was last parsed are at hand (read
        from its file once a process: the language server parses one file again at each edit)."""
        saved = self.files.get(path)
        self.saved = saved.again() if saved is not None else _SavedShapes.read(path)

    def end(self) -> None:
        """The parse of the file is over: its shapes are saved if they changed."""
        saved = self.saved
        saved.write()
        if saved.file is not None:
            self.files[saved.path] = saved
        self.saved = _NO_FILE

    def sentence(self, text: str, path: str) -> s.Sentence:
        """The sentence of ``text`` (the words of an outline row's step), recorded as used by the spec ``path``'s
        compile; lark's errors as lark raises them."""
        saved = self.saved if self.saved.path == path else self.files.get(path, _NO_FILE)
        found = self.sentences.get(text)
        if found is None:
            found = saved.sentences.get(text)
            if found is None:
                found = cast(s.Sentence, _lark().parse(text, start="sentence"))  # made by the inline transformer
            self._remember(self.sentences, text, found)
        saved.used_sentences[text] = found
        return found

    def sentences_done(self, path: str) -> None:
        saved = self.files.get(path)  # (put there by the end of the spec's parse; not there if it had a mistake)
        if saved is not None:
            saved.write_sentences()

    def items(self, line: str, number: int) -> list:
        """The items of one line (a line is one item, or none for a comment), at line ``number``."""
        if _STEP_LINE.match(line):
            step = self._step(line, number) if "<" not in line else None
            return [step] if step is not None else self._by_text(line, number)
        m = _HEADER_LINE.fullmatch(line)
        if m and m.group(2) and "#" not in m.group(2) and not m.group(2)[0].isspace():
            header = self._header(m, number)
            if header is not None:
                return [header]
        return self._by_text(line, number)

    def _by_text(self, line: str, number: int) -> list:
        """A line that is neither a step nor a header of a known shape (a tag line, a description, a table row,
        an outline's step, a step whose shape does not keep its names): remembered by its whole text, as Lark
        made it at line 1, and copied at each line of that text. A line that does not parse raises _REFUSED."""
        kept = self.plain.get(line)
        if kept is None:
            kept = self.saved.plain.get(line)
            if kept is None:
                kept = tuple(_document_items(line + "\n"))
            self._remember(self.plain, line, kept)
        self.saved.used_plain[line] = kept
        return [_at_line(item, number) for item in kept]

    def _remember(self, memo: dict, key: object, found: object) -> object:
        """``found`` under ``key`` in ``memo`` (self.shapes, self.plain or self.sentences), all cleared first if they
        are full."""
        if len(self.shapes) + len(self.plain) + len(self.sentences) >= self.MAX_SHAPES:
            self.shapes.clear()
            self.plain.clear()
            self.sentences.clear()
            self.files.clear()
        memo[key] = found
        return found

    def _step(self, line: str, number: int) -> s.Step | None:
        pieces = _QUOTED.split(line)  # text, "name", text, "name", ..., text
        names = pieces[1::2]
        key = (*pieces[::2], *map(len, names))  # the text around the names, and the length of each
        shape = self.shapes.get(key)
        if shape is None:
            tmpl = self.saved.shapes.get(key, _UNSEEN)
            if tmpl is None:  # a shape an earlier process found keeps no names: its lines go by their text
                shape = _NOT_SHAPED
            else:
                shape = _StepShape.made(tmpl, [len(p) for p in pieces]) if isinstance(tmpl, s.Step) else _NOT_SHAPED
                if shape is _NOT_SHAPED:  # not saved (or not faithful now): through Lark
                    shape = _StepShape.of(pieces)
            self._remember(self.shapes, key, shape)
        if shape is _NOT_SHAPED:
            self.saved.used[key] = None
            return None
        assert isinstance(shape, _StepShape)
        self.saved.used[key] = shape.tmpl
        return shape.step(names, number)

    def _header(self, m: re.Match, number: int) -> s.Header | None:
        title = m.group(2)
        filler = "x" * len(title)
        key = m.group(1) + filler + m.group(3)
        tmpl = self.shapes.get(key)
        if tmpl is None:
            tmpl = self.saved.shapes.get(key, _UNSEEN)
            if tmpl is None:  # a shape an earlier process found is no header: its lines go by their text
                tmpl = _NOT_SHAPED
            elif not isinstance(tmpl, s.Header):
                got = _one_item(key)
                tmpl = got if isinstance(got, s.Header) and got.title == filler else _NOT_SHAPED
            self._remember(self.shapes, key, tmpl)
        if tmpl is _NOT_SHAPED:
            self.saved.used[key] = None
            return None
        assert isinstance(tmpl, s.Header)
        self.saved.used[key] = tmpl
        return s.Header(tmpl.keyword, title, number, tmpl.col)


def _at_line(item: _LineItem, number: int) -> _LineItem:
    """A new copy of a remembered line's item (made at line 1), at line ``number`` (what it holds is shared: a
    line's syntax is never changed once made, as a step shape's shared nodes are not)."""
    match item:
        case s.Step():
            return s.Step(item.keyword, item.sentence, item.template, number, item.col, item.text_col)
        case s.Row():
            return s.Row(item.cells, number, item.col)
        case s.TagLine():
            return s.TagLine(tuple(s.Tag(t.name, t.args, number, t.col) for t in item.tags), number)
        case s.Header():
            return s.Header(item.keyword, item.title, number, item.col)
        case s.Description():
            return s.Description(item.text, number, item.col)
    raise InternalError(f"a line item of an unknown kind: {item!r}")


#: what a line's items can be (a comment has none)
_LineItem = s.Step | s.Row | s.TagLine | s.Header | s.Description
_LINE_ITEMS: tuple[type, ...] = _LineItem.__args__


# ---------------------------------------------------------------- the shapes, kept between processes
#
# The shapes of each file's lines go to a file of their own in scn's cache folder (beside the
# parser's tables), named by a hash of the spec's path, so that a later process compiling that spec
# (after an edit, or with its compiled form gone) builds the lines of known shapes without Lark,
# and never imports Lark if they are all known. Only what the memo trusts is kept: a step shape's
# Step (its builder is made again and checked again on reading), a header shape's Header, and the
# items of a line with no name to vary (tags, a description, a comment). A spec's file holds the
# shapes its lines have now: it is read when the spec's parse begins (what one spec needs, never a
# whole library's shapes) and written when the parse ends, only if they changed; a spec in error
# keeps what it had. The folder's name and each file's first field are a hash of everything that
# decides what a shape parses to; a file that is missing, damaged, truncated, foreign or stale is
# ignored (and replaced at the next write). Writes replace a file at once (scenario._cache.store).


class _SavedShapes:
    """One spec's shapes: as its file held them when the parse began, and as its lines have them now."""

    MAX = 50_000  # entries in a file at most: a spec's shapes past that are not kept

    def __init__(self, file: Path | None, path: str, shapes: dict, plain: dict, sentences: dict | None = None) -> None:
        self.file = file  # None: the cache is off (or the text is not a file's), nothing is read or written
        self.path = path
        # a shape's key (as in _LineShapes) → its syntax; None: its lines go by their whole text (no Lark to find that)
        self.shapes: dict[object, s.Step | s.Header | None] = shapes
        self.plain: dict[str, tuple] = plain  # a line with no name to vary → its items, at line 1
        self.sentences: dict[str, s.Sentence] = sentences or {}  # an outline row's words → their sentence
        self.used: dict[object, s.Step | s.Header | None] = {}  # the shapes this parse met, in order
        self.used_plain: dict[str, tuple] = {}
        self.used_sentences: dict[str, s.Sentence] = {}  # the rows' sentences the compile after this parse met

    @classmethod
    def read(cls, path: str) -> "_SavedShapes":
        base = cache_dir() if not path.startswith("<") else None  # `<string>`: a text of no file
        if base is None:
            return cls(None, path, {}, {})
        key = _shapes_key()
        file = base / f"shapes-{key[:16]}" / f"{hashlib.sha256(path.encode()).hexdigest()[:32]}.pickle"
        try:
            with open(file, "rb") as fh:
                got = pickle.load(fh)
        except Exception:  # noqa: BLE001 - missing, or not a pickle any more (unpickling raises anything): relearned
            return cls(file, path, {}, {})
        if not _well_formed(got, key, path):
            return cls(file, path, {}, {})
        return cls(file, path, got[2], got[3], got[4])

    def again(self) -> "_SavedShapes":
        """The same file, for another parse of its spec."""
        self.used, self.used_plain, self.used_sentences = {}, {}, {}
        return self

    def write(self) -> None:
        """At the end of a parse: the spec's file, if its lines' shapes are not what it holds; then it holds them."""
        unchanged = self.used.keys() == self.shapes.keys() and self.used_plain.keys() == self.plain.keys()
        if self.file is None or unchanged:
            return
        self.shapes = dict(itertools.islice(self.used.items(), self.MAX))
        self.plain = dict(itertools.islice(self.used_plain.items(), self.MAX - len(self.shapes)))
        self._store()

    def write_sentences(self) -> None:
        """At the end of a compile: the spec's file, if its outline rows' sentences are not what it holds."""
        if self.file is None or self.used_sentences.keys() == self.sentences.keys():
            return
        self.sentences = dict(itertools.islice(self.used_sentences.items(), self.MAX))
        self._store()

    def _store(self) -> None:
        assert self.file is not None
        content = (_shapes_key(), self.path, self.shapes, self.plain, self.sentences)
        store(self.file, lambda fh: pickle.dump(content, fh, protocol=pickle.HIGHEST_PROTOCOL))


class _Forget(dict):
    """A dict that keeps nothing: what the lines read outside a file's parse (begin … end) use is not recorded."""

    def __setitem__(self, key: object, value: object) -> None:
        pass


_NO_FILE = _SavedShapes(None, "<string>", {}, {})  # between parses: nothing saved at hand, nothing kept
_NO_FILE.used = _NO_FILE.used_plain = _NO_FILE.used_sentences = _Forget()


def _well_formed(got: object, key: str, path: str) -> bool:
    """A saved file's content is (key, path, shapes, plain lines, rows' sentences) for this key and spec, of the
    kinds kept."""
    if (type(got) is not tuple or len(got) != 5 or got[0] != key or got[1] != path
            or any(type(part) is not dict for part in got[2:])):
        return False
    return (all(v is None or type(v) in (s.Step, s.Header) for v in got[2].values())
            and all(type(k) is str and type(v) is tuple and all(type(i) in _LINE_ITEMS for i in v)
                    for k, v in got[3].items())
            and all(type(k) is str and type(v) is s.Sentence for k, v in got[4].items()))


_SHAPES_KEY: str | None = None


def _shapes_key() -> str:
    """A hash of what decides what a line parses to: the grammar, this module and scenario.syntax as written,
    lark's version (its ``__init__.py``, which states it: read, not imported), and Python's major.minor."""
    global _SHAPES_KEY
    if _SHAPES_KEY is None:
        h = hashlib.sha256(f"{GRAMMAR_HASH} python {sys.version_info[0]}.{sys.version_info[1]}".encode())
        lark = importlib.util.find_spec("lark")
        for file in (__file__, s.__file__, lark.origin if lark is not None else None):
            h.update(b"\0" + (Path(file).read_bytes() if file else b"-"))
        _SHAPES_KEY = h.hexdigest()
    return _SHAPES_KEY


def _one_item(shape: str) -> object:
    """The one item Lark makes of the line ``shape``; None if it makes none, or several, or the line does not parse
    (the line as written then says what is wrong)."""
    try:
        got = _document_items(shape + "\n")
    except _REFUSED:
        return None
    return got[0] if len(got) == 1 else None


class _StepShape:
    """One shape of step line, parsed once: its Step, and how each line of the shape gets its own names."""

    def __init__(self, tmpl: s.Step, build) -> None:
        self.tmpl = tmpl
        self.build = build  # a line's names (unquoted, in order) → its sentence; None: the sentence holds no name

    @classmethod
    def of(cls, pieces: list[str]) -> "_StepShape | object":
        """The shape of the line split into ``pieces`` (text, "name", text, ...); _NOT_SHAPED if Lark's parse of
        the shape does not keep every name where it stood."""
        shape = "".join(p if i % 2 == 0 else '"' + "x" * (len(p) - 2) + '"' for i, p in enumerate(pieces))
        tmpl = _one_item(shape)
        if not isinstance(tmpl, s.Step):
            return _NOT_SHAPED
        return cls.made(tmpl, [len(p) for p in pieces])

    @classmethod
    def made(cls, tmpl: s.Step, lengths: list[int]) -> "_StepShape | object":
        """The shape whose Step is ``tmpl``, for a line of pieces of these ``lengths`` (text, "name", text, ...);
        _NOT_SHAPED if the Step does not keep every name where it stood."""
        if tmpl.sentence is None:
            return _NOT_SHAPED
        at: dict[int, int] = {}  # the column of each name (Lark's columns count from 1) → its index in the line
        col = 1
        for i, length in enumerate(lengths):
            if i % 2:
                at[col] = i // 2
            col += length
        found: set[int] = set()
        build = _builder(tmpl.sentence, at, found)
        if found != set(at):  # a name the syntax keeps elsewhere: read such lines as written
            return _NOT_SHAPED
        return cls(tmpl, build)

    def step(self, names: list[str], number: int) -> s.Step:
        """The Step of a line of this shape, at line ``number``, with ``names`` (as quoted, in order) put back."""
        tmpl = self.tmpl
        sentence = tmpl.sentence if self.build is None else self.build([_unquote(n) for n in names])
        return s.Step(tmpl.keyword, sentence, None, number, tmpl.col, tmpl.text_col)


def _unquote(token: str) -> str:
    """A NAME token's value (as :func:`_name` reads it)."""
    raw = token[1:-1]
    return re.sub(r"\\(.)", r"\1", raw) if "\\" in raw else raw


def _fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls)) if attrs.has(cls) else ()
    return fields


def _holds_name(node) -> int | None:
    """The column of ``node`` if it is a name (or a quoted literal)."""
    if type(node) is s.Name or (type(node) is s.Literal and node.kind == "string"):
        return node.col
    return None


def _builder(node, at: dict[int, int], found: set[int]):
    """How to make ``node`` of a shape's syntax for one line: a function of the line's names (unquoted, in order)
    → the node with each name (and quoted literal) taken from them by its column (``at``: column → index), or
    None if no name is inside it (every line shares it then). The columns of the names met go to ``found``."""
    if isinstance(node, tuple):
        parts = [_builder(x, at, found) for x in node]
        if not any(parts):
            return None
        pairs = tuple(zip(node, parts))
        return lambda names: tuple(x if part is None else part(names) for x, part in pairs)
    fields = _fields(type(node))
    if not fields:
        return None
    inner = []  # (field, builder) of each field that holds a name
    for f in fields:
        part = _builder(getattr(node, f), at, found)
        if part is not None:
            inner.append((f, part))
    col = _holds_name(node)
    index = at.get(col) if col is not None else None
    if index is not None and col is not None:
        found.add(col)
    if not inner and index is None:
        return None
    cls = type(node)
    fixed = {f: getattr(node, f) for f in fields}

    def build(names: list[str]):
        args = fixed.copy()
        for f, part in inner:
            args[f] = part(names)
        if index is not None:
            args["value"] = names[index]
        return cls(**args)

    return build


def _parse_line_by_line(lines, path, errors):
    """The slow path: every line alone, so that each mistake is found on its own."""
    items = []
    in_description = False  # after `feature:`, before the first other block header
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            got = _document_items(line + "\n")
        except _NumberError as exc:
            errors.append(_number_syntax_error(exc, path, lines, i))
            continue
        except _REFUSED as exc:  # lark's UnexpectedInput (a _NumberError is caught above)
            first = line.split()[0]
            if in_description and _fold(first) in STEP_KEYWORDS:
                col = len(line) - len(line.lstrip()) + 1
                errors.append(ScnSyntaxError(
                    f"a description line cannot begin with the step keyword `{first}`", SourceSpan(path, i + 1, col),
                    source_line=line, hint="reword it: a line that begins with given, when, then, and or but is read as a step"))
            else:
                errors.append(_syntax_error(exc, path, lines, i))
            continue
        for item in got:
            if isinstance(item, s.Header):
                in_description = item.keyword == "feature"
            elif isinstance(item, s.Description) and _misspelled_header(item.text):
                in_description = False  # `Scenaro: one`: the lines after it are meant as steps
            _shift_line(item, i)
            items.append(item)
    return items


def _shift_line(item, offset):
    if offset == 0:
        return
    item.line += offset
    if isinstance(item, s.TagLine):
        for t in item.tags:
            t.line += offset


# ---------------------------------------------------------------- block structure


class _Assembler:
    """Lines → blocks, with a sentence for every line that stands in the wrong place."""

    def __init__(self, path, lines, errors, *, keep: bool = True):
        self.path = path
        self.lines = lines
        self.errors = errors
        self.pending_tags: list[s.Tag] = []
        self.pending_tag_line = 0
        self.keep = keep  # False: blocks are handed on as they end (blocks()), not kept in the document
        self.with_scenarios: set[int] = set()  # id() of the document and rules that have a scenario
        self.describing: list[tuple[s.Document | s.RuleBlock | s.ScenarioBlock, list[str]]] = []
        self.doc = s.Document(path=self.path, lines=self.lines, title="", tags=(), description=(), background=None,
                              scenarios=[], rules=[], line=1)

    def error(self, message, line, col, hint=None, end_col=None):
        src = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        self.errors.append(ScnSyntaxError(message, SourceSpan(self.path, line, col, end_col), source_line=src, hint=hint))

    def describe(self, owner: s.Document | s.RuleBlock | s.ScenarioBlock) -> list[str]:
        """The list the description lines of ``owner`` go to, until :meth:`close_descriptions`."""
        lines: list[str] = []
        self.describing.append((owner, lines))
        return lines

    def close_descriptions(self) -> None:
        """The description lines read so far, given to their owners (as tuples)."""
        for owner, lines in self.describing:
            owner.description = tuple(lines)
        self.describing.clear()

    def take_tags(self):
        tags = tuple(self.pending_tags)
        self.pending_tags = []
        return tags

    def run(self, items) -> s.Document:
        """The whole document, every block kept in it."""
        self.doc.lines = tuple(self.lines)
        for _ in self.blocks(items):
            pass
        return self.finish()

    def blocks(self, items) -> Iterator[tuple[s.RuleBlock | None, s.ScenarioBlock]]:
        """Each scenario or outline with its rule (None: the feature's own), as soon as its last line is read."""
        doc = self.doc
        feature_seen = False
        ended: tuple[s.RuleBlock | None, s.ScenarioBlock] | None = None  # the block the next header ends
        rule: s.RuleBlock | None = None
        block: s.ScenarioBlock | None = None  # the scenario/outline/background being filled
        examples: s.Examples | None = None
        desc_target: list[str] | None = None  # list to which description lines go, or None
        for item in items:
            if isinstance(item, s.TagLine):
                if not self.pending_tags:
                    self.pending_tag_line = item.line
                self.pending_tags.extend(item.tags)
                desc_target = None
                continue
            if isinstance(item, s.Header):
                kw = item.keyword
                if ended is not None and kw != "examples":
                    yield ended
                    ended = None
                if kw != "feature" and not feature_seen:
                    self.error(f"`{kw}:` before `feature:`", item.line, item.col, hint="a file starts with `feature: <title>`")
                    feature_seen = True
                if kw == "feature":
                    if feature_seen:
                        self.error("a second `feature:` in one file", item.line, item.col, hint="one feature per file: move it to a file of its own")
                        continue
                    feature_seen = True
                    doc.title, doc.tags, doc.line = item.title, self.take_tags(), item.line
                    desc_target = self.describe(doc)
                    block = examples = None
                    continue
                if kw == "examples":
                    if block is None or block.keyword != "outline":
                        where = "a scenario" if block is not None and block.keyword == "scenario" else "this place"
                        self.error(f"`examples:` in {where}: examples belong to a `scenario outline:`", item.line, item.col,
                                   hint="write `scenario outline:` for a scenario with <placeholders>")
                        self.take_tags()
                        examples = s.Examples(title=item.title, tags=(), header=None, rows=(), line=item.line)  # takes its rows: reported once, here
                        continue
                    examples = s.Examples(title=item.title, tags=self.take_tags(), header=None, rows=(), line=item.line)
                    block.examples.append(examples)
                    desc_target = None
                    continue
                examples = None
                if kw == "rule":
                    rule = s.RuleBlock(title=item.title, tags=self.take_tags(), description=(), background=None, scenarios=[], line=item.line)
                    doc.rules.append(rule)
                    block = None
                    desc_target = self.describe(rule)
                    continue
                if kw == "background":
                    if self.pending_tags:
                        t = self.pending_tags[0]
                        self.error("a tag cannot stand before `background:`", t.line, t.col, hint="tags go before feature, rule, scenario or examples")
                        self.take_tags()
                    owner = rule if rule is not None else doc
                    if owner.background is not None or id(owner) in self.with_scenarios:
                        why = "a second `background:`" if owner.background is not None else "`background:` after a scenario"
                        self.error(f"{why} in this {'rule' if rule else 'feature'}", item.line, item.col,
                                   hint="one background, before the first scenario")
                    block = s.ScenarioBlock(keyword="background", title=item.title, tags=(), description=(), steps=[], examples=[],
                                            line=item.line, col=item.col)
                    owner.background = block
                    desc_target = self.describe(block)
                    continue
                # scenario or outline
                block = s.ScenarioBlock(keyword=kw, title=item.title, tags=self.take_tags(), description=(), steps=[], examples=[],
                                        line=item.line, col=item.col)
                owner = rule if rule is not None else doc
                self.with_scenarios.add(id(owner))
                if self.keep:
                    owner.scenarios.append(block)
                ended = (rule, block)
                desc_target = self.describe(block)
                continue
            if self.pending_tags and not isinstance(item, s.Description):
                t = self.pending_tags[0]
                self.error("tags must be followed by feature, rule, scenario or examples", t.line, t.col)
                self.take_tags()
            if isinstance(item, s.Step):
                desc_target = None
                if block is None or examples is not None:
                    where = "after examples" if examples is not None else "outside a scenario"
                    self.error(f"a step {where}", item.line, item.col,
                               hint="steps belong to a `scenario:`, `scenario outline:` or `background:`")
                    continue
                doubled = _doubled_keyword(self.lines[item.line - 1])
                if doubled is not None:
                    self.error(f"two step keywords: write `{doubled} …`", item.line, item.col,
                               hint=f"drop the first keyword: a `{doubled}` step starts a new group by itself")
                    continue
                if item.template is not None and block.keyword != "outline":
                    ph = re.search(r"<[^>]*>", item.template)
                    col = item.text_col + (ph.start() if ph else 0)
                    self.error(f"the placeholder `{ph.group(0) if ph else '<…>'}` can only stand in a `scenario outline:`",
                               item.line, col, hint="make this a `scenario outline:` with an `examples:` table")
                    continue
                block.steps.append(item)
                continue
            if isinstance(item, s.Row):
                desc_target = None
                if examples is None:
                    self.error("a table row outside `examples:`", item.line, item.col,
                               hint="tables hold the examples of a `scenario outline:`")
                    continue
                if examples.header is None:
                    examples.header = item
                else:
                    examples.rows = examples.rows + (item,)
                continue
            if isinstance(item, s.Description):
                misspelled = self._check_description(item)
                if misspelled in ("scenario", "outline", "background", "examples"):
                    # read on as the block it was meant to be, so its steps or rows are not
                    # reported again, one by one (this stand-in block is not compiled)
                    self.take_tags()
                    if misspelled == "examples":
                        examples = s.Examples(title="", tags=(), header=None, rows=(), line=item.line)
                    else:
                        block = s.ScenarioBlock(keyword=misspelled, title="", tags=(), description=(), steps=[], examples=[],
                                                line=item.line, col=item.col)
                        examples = None
                    desc_target = []
                    continue
                if self.pending_tags:
                    t = self.pending_tags[0]
                    self.error("tags must be followed by feature, rule, scenario or examples", t.line, t.col)
                    self.take_tags()
                if desc_target is None:
                    if misspelled:
                        continue  # already reported, with a better sentence
                    if block is not None:
                        first = item.text.split()[0]
                        guess = closest(first, STEP_KEYWORDS, limit=2, n=1)
                        hint = f"did you mean `{guess[0]}`?" if guess else "steps begin with given, when, then, and or but"
                        self.error(f"`{first}` is not a step: a line in a scenario begins with given, when, then, and or but",
                                   item.line, item.col, hint=hint)
                    else:
                        self.error("text outside any block", item.line, item.col, hint="a file starts with `feature: <title>`")
                    continue
                desc_target.append(item.text)
                continue
        if ended is not None:
            yield ended
        if self.pending_tags:
            t = self.pending_tags[0]
            self.error("tags at the end of the file tag nothing", t.line, t.col)
        if not feature_seen and not self.errors:
            self.error("this file has no `feature:`", 1, 1, hint="a file starts with `feature: <title>`")

    def finish(self) -> s.Document:
        """The checks that need the whole document: outlines without examples."""
        doc = self.doc
        self.close_descriptions()
        for b in _blocks(doc):
            if b.keyword == "outline" and not b.examples:
                self.error("a scenario outline without `examples:`", b.line, b.col, hint="add an `examples:` table with a header row")
            for ex in b.examples:
                if ex.header is None:
                    self.error("`examples:` without a table", ex.line, 1, hint="add a header row such as | action | state |")
        return doc

    def _check_description(self, item: s.Description) -> str | bool:
        """Report a misspelled keyword: the block keyword it stands for (`scenario`),
        True for a step keyword, False if the line is a plain description."""
        text = item.text
        m = re.match(r"([A-Za-z][\w ]*?)\s*:", text)
        if m:
            word = m.group(1).lower()
            guess = closest(word, BLOCK_KEYWORDS, limit=2, n=1)
            if guess:
                self.error(f"`{m.group(1)}:` is not a keyword", item.line, item.col,
                           hint=f"did you mean `{guess[0]}:`?", end_col=item.col + len(m.group(1)) + 1)
                return BLOCK_KEYWORDS[guess[0]]
        first = re.match(r"[A-Za-z]+", text)
        if first and len(first.group(0)) >= 3:
            w = first.group(0).lower()
            if w not in STEP_KEYWORDS:
                guess = closest(w, STEP_KEYWORDS, limit=1 if len(w) <= 4 else 2, n=1)
                if guess and _looks_like_step(text):
                    self.error(f"`{first.group(0)}` is not a step keyword", item.line, item.col, hint=f"did you mean `{guess[0]}`?")
                    return True
        return False


def _misspelled_header(text: str) -> bool:
    """`Scenaro: one`: a description line that is most likely a misspelled block keyword."""
    m = re.match(r"([A-Za-z][\w ]*?)\s*:", text)
    return bool(m and closest(m.group(1).lower(), BLOCK_KEYWORDS, limit=2, n=1))


def _looks_like_step(text: str) -> bool:
    """A misspelled step keyword followed by something a step would say."""
    words = text.split()
    return len(words) >= 2 and (words[1].lower() in ("a", "an", "the", "it") or words[1][0] in '"0123456789')


def _blocks(doc: s.Document):
    if doc.background is not None:
        yield doc.background
    yield from doc.scenarios
    for r in doc.rules:
        if r.background is not None:
            yield r.background
        yield from r.scenarios
