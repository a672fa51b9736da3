"""The compiler: parse tree + vocabulary → IR.

Every word slot is resolved here, at compile time, against the vocabulary: a
typo is an :class:`ScnCompileError` with the line, a caret and "did you mean".
Outline rows are substituted as text, parsed again and compiled one by one.
Every independent mistake of a file is gathered into one :class:`SpecErrors`.

The package, top to bottom (each module imports only from those below it)::

    __init__     compile_text, compile_document: the entry points
    document     a file: rules, backgrounds, outlines row by row, tags, titles
    scenario     a scenario: its steps in order, the group each belongs to
    givens       given-steps: create, set a setting
    whens        when-steps: time passes, actions, creation by an action
    thens        then-steps: claims
    creation     the creation phrase: count, adjectives, clauses, related resources
    references   slots: names, `the <kind>`, `it`, counts, kinds by their words
    values       attributes and the values they take; units
    context      the state of a file and of a scenario; errors; phrase helpers
"""

from __future__ import annotations

from .. import ir
from .. import syntax as s
from .._gc import paused_gc
from ..errors import SpecErrors, _SpecError
from ..parser import Unstreamable, parse, parse_blocks, sentences_done
from ..vocabulary import Vocabulary
from .context import MAX_COUNT, FactCheck  # MAX_COUNT: the most resources one step may create (tests read it here)
from .document import _FileCompiler

__all__ = ["CompiledStream", "Unstreamable", "compile_document", "compile_text"]


def compile_text(text: str, vocabulary: Vocabulary, path: str = "<string>", fact_check: FactCheck | None = None) -> ir.Feature:
    """Parse and compile one .scn file.

    A file with syntax errors is still compiled where it parsed — every scenario
    whose block (or background) holds none of the bad lines — so that one pass
    reports every independent mistake.
    """
    with paused_gc():  # one pause for parsing and compiling: see scenario._gc
        return _compile_text(text, vocabulary, path, fact_check)


def _compile_text(text, vocabulary, path, fact_check) -> ir.Feature:
    try:
        doc = parse(text, path)
    except SpecErrors as exc:
        partial = exc.partial
        if not isinstance(partial, s.Document):
            raise
        doc = partial
        errors = list(exc.errors)
        try:
            compile_document(doc, vocabulary, fact_check, skip_lines={e.span.line for e in exc.errors})
        except SpecErrors as more:
            errors += more.errors
        raise SpecErrors(errors) from None
    feature = compile_document(doc, vocabulary, fact_check)
    sentences_done(path)  # the outline rows' sentences, for the next process that compiles this spec
    return feature


def compile_document(doc: s.Document, vocabulary: Vocabulary, fact_check: FactCheck | None = None,
                     skip_lines: frozenset[int] | set[int] = frozenset()) -> ir.Feature:
    """Compile a parsed file; scenarios whose block holds a line of ``skip_lines`` are left out."""
    errors: list[_SpecError] = []
    comp = _FileCompiler(doc, vocabulary, errors, fact_check)
    comp.skip_lines = skip_lines
    with paused_gc():
        feature = comp.run()
    if errors:
        raise SpecErrors(errors)
    return feature


class CompiledStream:
    """One file compiled block by block, in bounded memory: iterate it for its scenarios, each as soon as
    it is compiled (nothing is kept but their titles); then :meth:`feature` is the feature without them.

    A mistake anywhere raises :class:`Unstreamable` during the iteration: compile the file with
    :func:`compile_text` then, which reports every mistake of it at once."""

    def __init__(self, text: str, vocabulary: Vocabulary, path: str = "<string>", fact_check: FactCheck | None = None):
        doc, self._blocks = parse_blocks(text, path)
        self._compiler = _FileCompiler(doc, vocabulary, [], fact_check)
        self._path = path

    def __iter__(self):
        yield from self._compiler.stream(self._blocks)
        sentences_done(self._path)  # the outline rows' sentences, for the next process that compiles this spec

    def feature(self) -> ir.Feature:
        """The feature's title, description and tags (its scenarios are those iterated)."""
        return self._compiler.header()
