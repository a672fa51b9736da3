"""Errors of scn, and the source spans they point at.

The hierarchy::

    ScenarioError(message, span)          root of everything scn raises on purpose
    ├── ScnSyntaxError                    the text of a .scn file is not the language
    ├── ScnCompileError                   it parses, but does not mean anything
    │                                     (unknown word, bad reference, bad order)
    ├── BackendError(code, message)       a backend refused an action, with AWS's code
    ├── ConfigurationError                bad option, unknown backend, missing extra
    └── InternalError                     a bug of scn itself (IR invariants and the like)

``ScnSyntaxError`` and ``ScnCompileError`` are the user's mistakes: they carry a
:class:`SourceSpan`, the offending source line, a sentence and a suggestion, and
print like a compiler's diagnostic. Several of them are gathered in a
:class:`SpecErrors`, so that one pass reports every independent mistake of a file.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import attrs

__all__ = [
    "BackendError",
    "ConfigurationError",
    "InternalError",
    "ScenarioError",
    "ScnCompileError",
    "ScnSyntaxError",
    "SourceSpan",
    "SpecErrors",
    "closest",
    "word_end",
]


@attrs.frozen(repr=False)
class SourceSpan:
    """A place in a .scn file: 1-based line and column (and where it ends)."""

    path: str
    line: int = attrs.field()
    col: int = 1
    end_col: int | None = None  # exclusive; None: to the end of the word at col

    @line.validator
    def _check(self, _attr, value):
        if value < 1 or self.col < 1:
            raise InternalError(f"bad source span {self.path}:{value}:{self.col}")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def __reduce__(self) -> tuple:
        """Pickled as a call of the class with its four fields (a compiled spec holds one per step): cheaper
        both ways than attrs' Python-level ``__getstate__``/``__setstate__``."""
        return SourceSpan, (self.path, self.line, self.col, self.end_col)

    __repr__ = __str__


class ScenarioError(Exception):
    """Root of the errors scn raises on purpose."""

    def __init__(self, message: str, span: SourceSpan | None = None):
        super().__init__(message)
        self.message = message
        self.span = span

    def __str__(self) -> str:
        return f"{self.span}: {self.message}" if self.span else self.message


class _SpecError(ScenarioError):
    """A mistake in a spec: positioned, with the source line and a caret."""

    kind = "error"
    span: SourceSpan  # always placed, unlike a ScenarioError's

    def __init__(
        self,
        message: str,
        span: SourceSpan,
        *,
        source_line: str | None = None,
        hint: str | None = None,
    ):
        super().__init__(message, span)
        self.source_line = source_line
        self.hint = hint

    def render(self) -> str:
        """The diagnostic as a person reads it: place, sentence, line, caret, hint."""
        out = [f"{self.span}: {self.kind}: {self.message}"]
        if self.source_line is not None:
            line = self.source_line.rstrip("\n").expandtabs(1)
            out.append(f"    {self.span.line:>4} | {line}")
            start = self.span.col - 1
            stop = self.span.end_col - 1 if self.span.end_col else word_end(line, start)
            out.append("         | " + " " * start + "^" * max(1, stop - start))
        if self.hint:
            out.append(f"    hint: {self.hint}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def word_end(line: str, start: int) -> int:
    """Where the word (or quoted name) at index ``start`` of ``line`` ends: what a caret underlines
    when a span gives no end."""
    if start >= len(line):
        return start + 1
    if line[start] == '"':
        close = line.find('"', start + 1)
        return close + 1 if close > 0 else len(line)
    end = start
    while end < len(line) and not line[end].isspace():
        end += 1
    return max(end, start + 1)


class ScnSyntaxError(_SpecError):
    """The text is not a sentence of the language."""

    kind = "syntax error"


class ScnCompileError(_SpecError):
    """The text parses but does not resolve against the vocabulary or the rules."""

    kind = "error"


class SpecErrors(ScenarioError):
    """Every independent mistake found in one or more spec files."""

    #: what did parse of a file with syntax errors (a :class:`scenario.syntax.Document`), so that the
    #: compiler can still check the rest; set by the parser
    partial: object = None

    def __init__(self, errors: Sequence[_SpecError]):
        self.errors = tuple(sorted(errors, key=lambda e: (e.span.path, e.span.line, e.span.col)))
        first = self.errors[0]
        super().__init__(first.message, first.span)

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)

    def __str__(self) -> str:
        return self.render()


class BackendError(ScenarioError):
    """A backend refused an action; ``code`` is AWS's own error code."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.detail = message


class ConfigurationError(ScenarioError):
    """A bad option, an unknown backend, a missing optional dependency."""


class InternalError(ScenarioError):
    """A bug in scn itself, never the user's mistake."""


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of two neighbours as one edit (`whne` → `when`),
    giving up (returning limit + 1) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, before[j - 2] + 1)
            cur.append(v)
            best = min(best, v)
        if best > limit:
            return limit + 1
        before, prev = prev, cur
    return prev[-1]


def closest(word: str, candidates: Iterable[str], *, limit: int | None = None, n: int = 3) -> list[str]:
    """The candidates nearest to ``word`` by edit distance, nearest first."""
    word = word.lower()
    if limit is None:
        limit = max(2, len(word) // 3)
    scored = []
    for c in set(candidates):
        d = _distance(word, c.lower(), limit)
        if d <= limit:
            scored.append((d, c))
    scored.sort()
    return [c for _, c in scored[:n]]
