"""The driver of one file: its rules, backgrounds and scenarios, outlines expanded row by row, tags checked.

Each scenario, and each row of an outline's examples, is compiled by its own
:class:`~scenario.compiler.scenario._ScenarioCompiler`; a block whose lines did
not parse is left out. Then the titles are checked: they name the tests.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Sequence

from .. import ir
from .. import syntax as s
from ..errors import ScnCompileError, SourceSpan, closest
from ..parser import Unstreamable
from .context import FileContext
from .scenario import _ScenarioCompiler


def _tags(tags: Sequence[s.Tag], path: str) -> tuple[ir.Tag, ...]:
    return tuple(ir.Tag(SourceSpan(path, t.line, t.col), t.name, t.args) for t in tags)


class _FileCompiler(FileContext):
    """Compiles one parsed file into an IR feature; mistakes gather in ``errors``."""

    skip_lines: frozenset[int] | set[int] = frozenset()

    def __init__(self, doc, vocab, errors, fact_check):
        super().__init__(doc, vocab, errors, fact_check)
        self.row_lines: dict[int, tuple[int, int]] = {}  # id() of the Scenario of an examples row → (line, col) of the row
        self._ftags: tuple[ir.Tag, ...] | None = None

    def run(self) -> ir.Feature:
        doc = self.doc
        ftags = self.feature_tags()
        scenarios = self._scenarios(ftags)
        self._check_titles(scenarios)
        return ir.Feature(SourceSpan(doc.path, doc.line, 1), doc.title, doc.description, ftags, scenarios)

    def _scenarios(self, ftags: tuple[ir.Tag, ...]) -> list[ir.Scenario]:
        """Every scenario of the file, and of its rules, with the backgrounds that apply to it."""
        doc = self.doc
        scenarios: list[ir.Scenario] = []
        starts = self._block_starts() if self.skip_lines else []
        for rule in [None, *doc.rules]:  # a rule's tags are checked even when it has no scenarios
            if rule is not None:
                self._check_tags(rule.tags)
            for block in (rule.scenarios if rule is not None else doc.scenarios):
                if self.skip_lines and self._broken(rule, block, starts):
                    continue
                scenarios.extend(self._block(rule, block, ftags))
        return scenarios

    def stream(self, blocks: Iterable[tuple[s.RuleBlock | None, s.ScenarioBlock]]) -> Iterator[ir.Scenario]:
        """The scenarios of blocks read one by one (:func:`scenario.parser.parse_blocks`), each as soon as it
        is compiled; nothing is kept but the titles. The first mistake raises :class:`Unstreamable`, and the
        file is then compiled whole, for every mistake at once."""
        titles: set[str] = set()
        rules_seen: set[int] = set()
        for rule, block in blocks:
            if rule is not None and id(rule) not in rules_seen:
                rules_seen.add(id(rule))
                self._check_tags(rule.tags)
            for sc in self._block(rule, block, self.feature_tags()):
                if "::" in sc.title or sc.title in titles:
                    raise Unstreamable(self.doc.path)
                titles.add(sc.title)
                yield sc
            self.row_lines.clear()
            if self.errors:
                raise Unstreamable(self.doc.path)
        self.feature_tags()
        for rule in self.doc.rules:  # a rule without scenarios
            if id(rule) not in rules_seen:
                self._check_tags(rule.tags)
        if self.errors:
            raise Unstreamable(self.doc.path)

    def feature_tags(self) -> tuple[ir.Tag, ...]:
        """The feature's own tags, checked once."""
        if self._ftags is None:
            self._check_tags(self.doc.tags)
            self._ftags = _tags(self.doc.tags, self.doc.path)
        return self._ftags

    def header(self) -> ir.Feature:
        """The feature without its scenarios (for a file compiled by :meth:`stream`)."""
        doc = self.doc
        return ir.Feature(SourceSpan(doc.path, doc.line, 1), doc.title, doc.description, self.feature_tags(), ())

    def _broken(self, rule: s.RuleBlock | None, block: s.ScenarioBlock, starts: list[int]) -> bool:
        """A line of the block, of its backgrounds, or of the heading before them (where a misspelled
        `Backgroud:` stands) did not parse: compiling it would only guess."""
        doc = self.doc
        backgrounds = [b for b in (doc.background, rule.background if rule else None) if b is not None]
        heads = (doc.line, *((rule.line,) if rule else ()), *(b.line for b in backgrounds), block.line)
        return any(self._holds_bad_line(line, starts) for line in heads)

    def _block(self, rule: s.RuleBlock | None, block: s.ScenarioBlock, ftags: tuple[ir.Tag, ...]) -> list[ir.Scenario]:
        """The scenarios of one block (one per examples row of an outline), with the backgrounds that apply."""
        doc = self.doc
        backgrounds = [b for b in (doc.background, rule.background if rule else None) if b is not None]
        self._check_tags(block.tags)
        rtags = _tags(rule.tags, doc.path) if rule is not None else ()
        tags = ftags + rtags + _tags(block.tags, doc.path)
        if block.keyword == "outline":
            return self._outline(block, backgrounds, tags, rule)
        sc = _ScenarioCompiler(self, block, backgrounds, tags, rule, None, None).run()
        return [sc] if sc is not None else []

    def _check_titles(self, scenarios: list[ir.Scenario]) -> None:
        """Titles name the tests: each one unique, and without pytest's `::`."""
        seen: dict[str, ir.Scenario] = {}
        for sc in scenarios:
            if "::" in sc.title:  # pytest splits test ids there: such a test could never be selected
                row = self.row_lines.get(id(sc))
                line, col = row if row is not None else (sc.span.line, sc.span.col)
                self.error("a test title cannot hold `::`: it separates the parts of a test id", line, col,
                           hint="write it another way, e.g. with a single `:`")
                continue
            other = seen.setdefault(sc.title, sc)
            if other is not sc:
                first = self.row_lines.get(id(other))
                where = f"the examples row at line {first[0]}" if first else f"the scenario at line {other.span.line}"
                row = self.row_lines.get(id(sc))
                if row is not None:
                    self.error(f"the examples row at line {row[0]} gives the same test as {where}: both are titled `{sc.title}`",
                               row[0], row[1], hint="each row is a test named by its cells: drop the repeated row or change a cell")
                else:
                    self.error(f"a second scenario titled `{sc.title}` in this file (the first is {where if first else f'at line {other.span.line}'})",
                               sc.span.line, sc.span.col, hint="titles name the tests: make each one unique")

    def _block_starts(self) -> list[int]:
        doc = self.doc
        heads = [doc.line] + [r.line for r in doc.rules]
        for b in (doc.background, *doc.scenarios):
            if b is not None:
                heads.append(b.line)
        for r in doc.rules:
            heads += [b.line for b in (r.background, *r.scenarios) if b is not None]
        return sorted(set(heads)) + [len(doc.lines) + 1]

    def _holds_bad_line(self, start: int, starts: list[int]) -> bool:
        end = next(h for h in starts if h > start)
        return any(start <= line < end for line in self.skip_lines)

    def _check_tags(self, tags: Sequence[s.Tag]) -> None:
        for t in tags:
            if t.name == "fact":
                if len(t.args) != 1:
                    self.error("@fact takes one fact id: @fact(ec2.ip.public-released-on-stop)", t.line, t.col)
                elif self.fact_check is not None:
                    near = self.fact_check(t.args[0])
                    if near is not None:
                        hint = f"did you mean {', '.join(near)}?" if near else "add it to the facts inventory under specs/"
                        self.error(f"@fact({t.args[0]}) names no entry of the facts inventory", t.line, t.col, hint=hint)
            elif t.name == "only" and not t.args:
                self.error("@only names at least one backend: @only(reference)", t.line, t.col)
            elif t.name == "diverges" and len(t.args) != 2:
                self.error('@diverges takes a backend and the reason: @diverges(moto, "what moto does instead")', t.line, t.col)

    # ---------------------------------------------------------------- outlines
    def _outline(self, block: s.ScenarioBlock, backgrounds, tags, rule) -> list[ir.Scenario]:
        """One scenario per row of each examples table whose header fits the template."""
        out = []
        for ex in block.examples:
            if ex.header is None:
                continue
            header = ex.header.cells
            if not self._header_ok(ex) or not self._placeholders_ok(block, ex):
                continue
            ex_tags = tags + _tags(ex.tags, self.doc.path)
            self._check_tags(ex.tags)
            for row in ex.rows:
                if len(row.cells) != len(header):
                    self.errors.append(ScnCompileError(
                        f"this row has {len(row.cells)} cells but the header has {len(header)}",
                        SourceSpan(self.doc.path, row.line, row.col), source_line=self.doc.lines[row.line - 1]))
                    continue
                values = dict(zip(header, row.cells))
                sc = _ScenarioCompiler(self, block, backgrounds, ex_tags, rule, values, row).run()
                if sc is not None:
                    self.row_lines[id(sc)] = (row.line, row.col)
                    out.append(sc)
        return out

    def _header_ok(self, ex) -> bool:
        """No column named twice in the examples header."""
        header = ex.header.cells
        dup = next((i for i, c in enumerate(header) if c in header[:i]), None)
        if dup is None:
            return True
        src = self.doc.lines[ex.header.line - 1]
        bars = [m.start() for m in re.finditer(r"(?<!\\)\|", src)]
        col = ex.header.col
        if dup < len(bars):
            at = bars[dup] + 1
            col = at + len(src[at:]) - len(src[at:].lstrip()) + 1
        self.error(f"the column `{header[dup]}` appears twice in this examples header", ex.header.line, col,
                   hint="a <placeholder> names one column: rename one of them")
        return False

    def _placeholders_ok(self, block: s.ScenarioBlock, ex) -> bool:
        """Every <placeholder> of the outline's steps has a column in these examples; each one missing is reported."""
        header = ex.header.cells
        ok = True
        for st in block.steps:
            if st.template is None:
                continue
            for m in re.finditer(r"<([^<>]*)>", st.template):
                if m.group(1) not in header:
                    near = closest(m.group(1), header)
                    self.error(f"the placeholder <{m.group(1)}> has no column in the examples at line {ex.line}",
                               st.line, st.text_col + m.start(),
                               hint=f"did you mean <{near[0]}>?" if near else f"the columns are {', '.join(header)}")
                    ok = False
        return ok
