"""Shared helpers for tests that compile or run a few lines of spec (also conftest fixtures).

- :func:`compile_steps`: the IR steps of one scenario whose step lines are ``body``;
- :func:`errors_of`: every mistake of such a body (line 1 is its first step), or of a whole
  file (``whole=True``), as ``(line, column, message, hint)``; :func:`messages_of` the messages only;
- :func:`run_text`: the outcomes of a whole feature's scenarios on a backend.
"""

from __future__ import annotations

import textwrap

import pytest

from scenario import ir
from scenario.compiler import compile_text
from scenario.errors import SpecErrors
from scenario.vocabulary import Vocabulary


def _vocab(vocab: Vocabulary | None) -> Vocabulary:
    from scenario import plugins

    return plugins.vocabulary() if vocab is None else vocab


def as_text(body: str) -> str:
    """Step lines as a file: a feature with one scenario (the first step on line 3)."""
    return "feature: f\n  scenario: s\n" + "".join(f"    {line.strip()}\n" for line in body.strip().splitlines())


def compile_steps(body: str, vocab: Vocabulary | None = None) -> tuple[ir.Step, ...]:
    (sc,) = compile_text(as_text(body), _vocab(vocab), "t.scn").scenarios
    return sc.steps


def errors_of(text: str, vocab: Vocabulary | None = None, *, whole: bool = False) -> list[tuple[int, int, str, str | None]]:
    """``(line, column, message, hint)`` of every mistake: of step lines (line 1 is the first step), or of a whole file."""
    with pytest.raises(SpecErrors) as info:
        compile_text(text if whole else as_text(text), _vocab(vocab), "t.scn")
    shift = 0 if whole else 2
    return [(e.span.line - shift, e.span.col, e.message, e.hint) for e in info.value.errors]


def messages_of(body: str, vocab: Vocabulary | None = None) -> list[str]:
    return [message for _line, _col, message, _hint in errors_of(body, vocab)]


def run_text(text: str, backend: str = "reference", vocab: Vocabulary | None = None) -> list:
    """The outcomes of every scenario of a feature (dedented) on the backend named."""
    from scenario import plugins
    from scenario.runner import run_scenario

    info = plugins.backend(backend)
    feature = compile_text(textwrap.dedent(text), _vocab(vocab), "t.scn")
    return [run_scenario(sc, info) for sc in feature.scenarios]
