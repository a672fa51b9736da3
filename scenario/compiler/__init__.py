"""The compiler: parse tree + vocabulary → IR.

Every word slot is resolved here, at compile time, against the vocabulary: a
typo is an :class:`ScnCompileError` with the line, a caret and "did you mean".
Outline rows are substituted as text, parsed again and compiled one by one.
Every independent mistake of a file is gathered into one :class:`SpecErrors`.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from .. import ir
from .. import syntax as s
from .._gc import paused_gc
from ..errors import ScnCompileError, SourceSpan, SpecErrors, _SpecError, closest
from ..parser import _odd_char, parse, parse_sentence
from ..vocabulary import BASE_UNIT, UNITS, Attribute, Kind, Vocabulary

__all__ = ["compile_document", "compile_text"]

FactCheck = Callable[[str], "list[str] | None"]  # None: known id; list: suggestions


#: the most resources one step may create
MAX_COUNT = 1000


class _Abort(Exception):
    """One step could not compile; its error is already recorded."""


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
        doc = getattr(exc, "partial", None)
        if doc is None:
            raise
        errors = list(exc.errors)
        try:
            compile_document(doc, vocabulary, fact_check, skip_lines={e.span.line for e in exc.errors})
        except SpecErrors as more:
            errors += more.errors
        raise SpecErrors(errors) from None
    return compile_document(doc, vocabulary, fact_check)


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


def _tags(tags: Sequence[s.Tag], path: str) -> tuple[ir.Tag, ...]:
    return tuple(ir.Tag(SourceSpan(path, t.line, t.col), t.name, t.args) for t in tags)


class _FileCompiler:
    def __init__(self, doc: s.Document, vocab: Vocabulary, errors: list, fact_check: FactCheck | None):
        self.doc = doc
        self.vocab = vocab
        self.errors = errors
        self.fact_check = fact_check
        self.row_lines: dict[int, tuple[int, int]] = {}  # id() of the Scenario of an examples row → (line, col) of the row

    def error(self, message: str, line: int, col: int, hint: str | None = None, end: int | None = None) -> None:
        src = self.doc.lines[line - 1] if 0 < line <= len(self.doc.lines) else ""
        err = ScnCompileError(message, SourceSpan(self.doc.path, line, max(col, 1), end), source_line=src, hint=hint)
        if any(e.span == err.span and e.message == message for e in self.errors):
            return  # a background step, or a step of an outline, compiled once per scenario or row
        self.errors.append(err)

    def run(self) -> ir.Feature:
        doc = self.doc
        ftags = _tags(doc.tags, doc.path)
        scenarios: list[ir.Scenario] = []
        self._check_tags(doc.tags)
        groups = [(None, (), doc.background, doc.scenarios)]
        for r in doc.rules:
            groups.append((r, r.tags, r.background, r.scenarios))
        starts = self._block_starts() if self.skip_lines else []
        for rule, rtags, rbg, blocks in groups:
            self._check_tags(rtags)
            backgrounds = [b for b in (doc.background, rbg if rule else None) if b is not None]
            for block in blocks:
                # a line of it, of its background, or of the heading before them (where a
                # misspelled `Backgroud:` stands) did not parse: compiling it would only guess
                heads = (doc.line, *((rule.line,) if rule else ()), *(b.line for b in backgrounds), block.line)
                if self.skip_lines and any(self._holds_bad_line(line, starts) for line in heads):
                    continue
                self._check_tags(block.tags)
                tags = ftags + _tags(rtags, doc.path) + _tags(block.tags, doc.path)
                if block.keyword == "outline":
                    scenarios.extend(self._outline(block, backgrounds, tags, rule))
                else:
                    sc = _ScenarioCompiler(self, block, backgrounds, tags, rule, None, None).run()
                    if sc is not None:
                        scenarios.append(sc)
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
        return ir.Feature(SourceSpan(doc.path, doc.line, 1), doc.title, doc.description, ftags, scenarios)

    skip_lines: frozenset[int] | set[int] = frozenset()

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

    def _outline(self, block: s.ScenarioBlock, backgrounds, tags, rule):
        out = []
        for ex in block.examples:
            if ex.header is None:
                continue
            header = ex.header.cells
            dup = next((i for i, c in enumerate(header) if c in header[:i]), None)
            if dup is not None:
                src = self.doc.lines[ex.header.line - 1]
                bars = [m.start() for m in re.finditer(r"(?<!\\)\|", src)]
                col = ex.header.col
                if dup < len(bars):
                    at = bars[dup] + 1
                    col = at + len(src[at:]) - len(src[at:].lstrip()) + 1
                self.error(f"the column `{header[dup]}` appears twice in this examples header", ex.header.line, col,
                           hint="a <placeholder> names one column: rename one of them")
                continue
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
            if not ok:
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


class _ScenarioCompiler:
    """Compiles the steps of one scenario (one outline row), background first."""

    def __init__(self, fc: _FileCompiler, block, backgrounds, tags, rule, values, row):
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
        self.cur_line = 0
        self.in_sentence = False  # columns of errors come from the step's sentence
        self.broken_given = False  # a given failed: later references to what it made are not new mistakes

    # ---------------------------------------------------------------- errors
    def error(self, message: str, col: int | None = None, hint: str | None = None, end: int | None = None):
        st = self.cur
        line = st.line
        quoted = re.search(r"`([^`]*)`", message)
        odd = _odd_char(quoted.group(1)) if quoted else None
        if odd is not None:  # `instаnce` with a Cyrillic а: say why a word that looks right is not understood
            message += f": it holds {odd[1]}"
            hint = odd[2]
        if self.row is not None and st.template is not None:
            self.row_failed = True  # the rest of this row is not compiled: its mistakes would only follow from this one
            empty = next((m for m in re.finditer(r"<([^<>]*)>", st.template) if not self.values.get(m.group(1), "?").strip()), None)
            if empty is not None:  # most likely the cause: say so rather than what the parser made of the gap
                message = f"the cell for <{empty.group(1)}> is empty (row at line {self.row.line})"
                col, hint, end = st.text_col + empty.start(), "fill in the cell", None
            else:
                message += f" (in the examples row at line {self.row.line}: | {' | '.join(self.row.cells)} |)"
                if self.in_sentence:  # columns of the substituted text: map them back to the template line
                    col = st.text_col + _template_offset(st.template, self.values, (col or 1) - 1)
                    end = None
            src = self.fc.doc.lines[line - 1].rstrip() if 0 < line <= len(self.fc.doc.lines) else ""
            if col is not None and col > len(src):  # never past the end of the template line
                col = max(len(src), 1)
        self.fc.error(message, line, col if col is not None else st.text_col, hint, end)
        self.failed = True
        raise _Abort()

    def suggest(self, word: str, candidates, what: str = "") -> str | None:
        near = closest(word, candidates)
        if near:
            return "did you mean " + " or ".join(f"`{n}`" for n in near) + "?"
        return None

    # ---------------------------------------------------------------- driver
    def run(self) -> ir.Scenario | None:
        block = self.block
        for bg in self.backgrounds:
            for st in bg.steps:
                self._step(st, in_background=True)
            self.group_kind = self.group_kind if self.group_kind != "when" else "when"
        for st in block.steps:
            if self.row_failed:
                break
            self._step(st, in_background=False)
        if self.failed:
            return None
        path = self.fc.doc.path
        facts, only, diverges = [], [], []
        for t in self.tags:
            if t.name == "fact" and t.args:
                facts.append(t.args[0])
            elif t.name == "only":
                only.extend(a.lower() for a in t.args)
            elif t.name == "diverges" and len(t.args) == 2:
                diverges.append((t.args[0].lower(), t.args[1]))
        title = block.title or f"scenario at line {block.line}"
        row_id = None
        if self.values is not None:
            title = _subst(title, self.values)
            row_id = "-".join(self.row.cells)
        lines = self.fc.doc.lines
        headers = [(bg.line, lines[bg.line - 1].strip()) for bg in self.backgrounds]
        header = lines[block.line - 1].strip()
        headers.append((block.line, _subst(header, self.values) if self.values else header))
        return ir.Scenario(
            span=SourceSpan(path, block.line, block.col),
            name=title,
            feature=self.fc.doc.title,
            rule=self.rule.title if self.rule else None,
            row_id=row_id,
            tags=self.tags,
            slots=self.slots,
            steps=self.steps,
            probes=tuple(tuple(p) for p in self.probes),
            captured=frozenset(self.captured),
            needs=frozenset(self.needs),
            facts=facts,
            only=only,
            diverges=diverges,
            headers=headers,
        )

    def _step(self, st: s.Step, in_background: bool):
        self.cur = st
        self.it_subject = self.last_subject  # `it` in this step: the previous step's main resource
        self.in_sentence = False
        line_text = self.fc.doc.lines[st.line - 1].strip()
        sentence = st.sentence
        try:
            if st.template is not None:
                text = _subst(st.template, self.values or {})
                line_text = f"{st.keyword} {text}"
                try:
                    sentence = parse_sentence(text, self.fc.doc.path, st.line, st.text_col - 1, self.fc.doc.lines[st.line - 1])
                except SpecErrors as e:
                    err = e.errors[0]
                    self.in_sentence = True
                    self.error(f"{err.message}, once <…> is replaced by the examples row", err.span.col - (st.text_col - 1))
                line_text = _subst(line_text, self.values or {})
            self.cur_text = _subst(line_text, self.values) if self.values else line_text
            kw = st.keyword
            if kw in ("given", "when", "then"):
                if kw == "given" and self.group_kind in ("when", "then"):
                    self.error("a given after a when or then step", st.col, "givens come first; use `when` to act later in the scenario")
                if kw == "when":
                    if in_background:
                        self.error("a background holds givens only", st.col)
                    self.when_index += 1
                    self.probes.append([])
                    self.steps_since_when = 0
                if kw == "then" and in_background:
                    self.error("a background holds givens only", st.col)
                self.group_kind = kw
            elif self.group_kind is None:
                self.error(f"`{kw}` continues a step, but nothing comes before it", st.col, "start with given, when or then")
            group = self.group_kind
            self.in_sentence = True
            if group == "given":
                self._given(sentence)
            elif group == "when":
                self._when(sentence)
            else:
                self._then(sentence)
                self.steps_since_when += 1
        except _Abort:
            creating = self.group_kind == "when" and getattr(getattr(sentence, "np", None), "form", None) == "indef"
            if self.group_kind == "given" or creating:
                self.broken_given = True  # what it would have made is unknown, not misnamed
                self.last_subject = None  # `it` would mean what the failed step made

    def _base(self) -> dict:
        st = self.cur
        return dict(span=SourceSpan(self.fc.doc.path, st.line, st.col), keyword=st.keyword, text=self.cur_text, group=self.when_index)

    # ---------------------------------------------------------------- resources
    def _new_slot(self, kind: Kind, name: str | None, col: int) -> int:
        if name is not None and name in self.names:
            self.error(f'the name "{name}" is already taken in this scenario', col, "names are scoped to one scenario; choose another")
        n = self.counters.get(kind.name, 0) + 1
        self.counters[kind.name] = n
        self.slots.append(ir.Slot(kind.name, name, n))
        idx = len(self.slots) - 1
        if name is not None:
            self.names[name] = idx
        self.per_kind.setdefault(kind.name, []).append(idx)
        if self.group_kind == "when":
            self.created_in[idx] = (self.when_index, self.cur.line)
        if kind.capability:
            self.needs.add(kind.capability)
        return idx

    def _kind_of(self, slot: int) -> Kind:
        return self.vocab.kinds[self.slots[slot].kind]

    def _by_name(self, name: s.Name, kind: Kind | None = None) -> int:
        idx = self.names.get(name.value)
        if idx is None:
            if self.broken_given:
                raise _Abort()  # most likely made by the given that failed: reported once, there
            near = closest(name.value, self.names)
            hint = "did you mean " + " or ".join(f'`"{n}"`' for n in near) + "?" if near else None
            if hint is None:
                hint = "a name must be given earlier in the scenario, e.g. `given a running instance \"web\"`"
            self.error(f'no resource is named "{name.value}" in this scenario', name.col, hint, name.end)
        if kind is not None and self.slots[idx].kind != kind.name:
            self.error(f'"{name.value}" is {_a(self.slots[idx].kind)}, not {_a(kind.name)}', name.col)
        return idx

    def _the_kind(self, kind: Kind, col: int, end: int) -> int:
        found = self.per_kind.get(kind.name, [])
        if not found:
            if self.broken_given:
                raise _Abort()
            self.error(f"there is no {kind.name} in this scenario yet", col, f"create one first: `given {_a(kind.name)}`", end)
        if len(found) > 1:
            labels = ", ".join(self.slots[i].label for i in found)
            self.error(f"`the {kind.name}` is ambiguous: this scenario has {len(found)} ({labels})", col, "refer to one by its name", end)
        return found[0]

    def _count(self, det: str, col: int) -> int:
        """A count of resources: a whole number from 1 to MAX_COUNT."""
        text = det.replace(",", "")
        if not text.isdigit():
            self.error(f"a count is a whole number, not {det}", col)
        count = int(text)
        if count < 1:
            self.error("a count is at least 1", col)
        if count > MAX_COUNT:
            self.error(f"a count is at most {MAX_COUNT:,} in one step", col)
        return count

    def _it(self, col: int) -> int:
        """`it`, or no subject: the main resource of the nearest *earlier* step."""
        if self.it_subject is None:
            if self.broken_given:
                raise _Abort()
            self.error("`it` refers to nothing: no earlier step names a resource", col, "name the resource, e.g. \"web\"")
        return self.it_subject

    def _ref_np(self, np: s.NounPhrase) -> int:
        """A noun phrase that names an existing resource."""
        if np.form == "it":
            return self._it(np.col)
        if np.form == "name":
            return self._by_name(np.name)
        if np.words is not None:
            hit = self.vocab.kind(np.words.words)
            if hit is None:
                self._unknown_kind(np.words)
            kind = hit[0]
            self._not_implicit(kind, np.words)
            if np.name is not None:
                return self._by_name(np.name, kind)
            return self._the_kind(kind, np.words.col, np.words.end)
        self.error("this does not name a resource", np.col)  # pragma: no cover

    def _ref_body(self, body: s.Body) -> int:
        """A clause body that names an existing resource."""
        if body.kind == "it":
            return self._it(body.col)
        if body.kind == "value" and body.name is not None:
            return self._by_name(body.name)
        if body.words is not None and body.kind in ("det", "words"):
            if body.kind == "det" and body.det not in ("the",) and body.name is None:
                self.error(f"`{body.det} {body.words.text}` does not say which one", body.col, f"write `the {body.words.text}` or its name")
            hit = self.vocab.kind(body.words.words)
            if hit is None:
                self._unknown_kind(body.words)
            self._not_implicit(hit[0], body.words)
            if body.name is not None:
                return self._by_name(body.name, hit[0])
            if body.kind == "words" and body.value is not None and body.value.kind == "string":
                return self._by_name(s.Name(body.value.value, body.value.col, body.value.end), hit[0])
            return self._the_kind(hit[0], body.words.col, body.words.end)
        self.error("this does not name a resource", body.col)

    def _not_implicit(self, kind: Kind, words: s.Words):
        """The default VPC and its like exist in every world, behind the scenes: no step can point at one."""
        if kind.implicit:
            where = {"then": "a claim", "when": "an action"}.get(self.group_kind or "", "a step")
            self.error(f"the {kind.name} is implicit and cannot be named in {where}", words.col,
                       f"it exists in every world; `given {_a(kind.name)}` only documents that", words.end)

    def _unknown_kind(self, words: s.Words, extra: Sequence[str] = ()):
        phrase = words.text
        hint = self.suggest(phrase, list(self.vocab.kind_phrases()) + list(extra)) or self._suggest_kind(words.words)
        self.error(f"unknown kind `{phrase}`", words.col, hint or "`scn vocab` lists the kinds", words.end)

    def _suggest_kind(self, words: Sequence[str]) -> str | None:
        """`runing instanse` → did you mean `running instance`: adjectives, then a kind."""
        for i in range(1, len(words)):
            near = closest(" ".join(words[i:]), self.vocab.kind_phrases(), n=1)
            if near:
                kind = self.vocab.kind(near[0].split())[0]
                adj: str | None = " ".join(words[:i])
                if self.vocab.adjectives(kind, words[:i]) is None:
                    guess = closest(adj, self.vocab.adjective_phrases(kind), n=1)
                    adj = guess[0] if guess else None
                return f"did you mean `{adj} {near[0]}`?" if adj else f"did you mean `{near[0]}`?"
        return None

    # ---------------------------------------------------------------- values
    def _value(self, attr_name: str, attr_type: str, dimension: str | None, integer: bool, lit: s.Literal,
               values: Sequence[str] = (), none_ok: bool = True) -> Any:
        """A literal checked against the type of an attribute or setting."""
        if lit.kind == "none":
            if none_ok:
                return None
            self.error(f"the {attr_name} is {_type_phrase(attr_type, dimension, integer, values)}, not none", lit.col, end=lit.end)
        if attr_type == "quantity":
            if lit.kind == "number":
                self.error(f"the {attr_name} is a {dimension}: give a unit, e.g. `{_num(lit.value)} {BASE_UNIT[dimension]}`", lit.col, end=lit.end)
            if lit.kind != "quantity":
                self.error(f"the {attr_name} is a {dimension}, not {lit.text}", lit.col, end=lit.end)
            dim, factor = UNITS[lit.unit]
            if dim != dimension:
                self.error(f"the {attr_name} is a {dimension}, and {lit.unit} measure a {dim}", lit.col, end=lit.end)
            v = lit.value * factor
            return self._whole(v, lit, f"{lit.text} is not a whole number of {BASE_UNIT[dimension]}") if integer else v
        if attr_type == "number":
            if lit.kind == "quantity":
                self.error(f"the {attr_name} is a plain number; drop the unit `{lit.unit}`", lit.col, end=lit.end)
            if lit.kind != "number":
                self.error(f"the {attr_name} is {_type_phrase(attr_type, dimension, integer)}, not {lit.text}", lit.col, end=lit.end)
            v = lit.value
            return self._whole(v, lit, f"the {attr_name} is a whole number, not {lit.text}") if integer else v
        if attr_type == "boolean":
            if lit.kind not in ("true", "false"):
                self.error(f"the {attr_name} is true or false, not {lit.text}", lit.col, end=lit.end)
            return lit.value
        if attr_type == "enum":
            if lit.kind != "string":
                self.error(f'the {attr_name} is one of {", ".join(values)} (quoted), not {lit.text}', lit.col, end=lit.end)
            low = {v.lower(): v for v in values}
            if lit.value.lower() not in low:
                hint = self.suggest(lit.value, values)
                self.error(f'"{lit.value}" is not {_a(attr_name)}: one of {", ".join(values)}', lit.col, hint, lit.end)
            return low[lit.value.lower()]
        # text
        if lit.kind == "string":
            return lit.value
        self.error(f"the {attr_name} is text, not {lit.text}; quote it: \"{lit.text}\"", lit.col, end=lit.end)

    def _whole(self, v, lit: s.Literal, message: str) -> int:
        """``v`` as an int, or ``message`` as an error at the literal."""
        if float(v) != int(v):
            self.error(message, lit.col, end=lit.end)
        return int(v)

    def _attr_value(self, attr: Attribute, lit: s.Literal, none_ok: bool = True) -> Any:
        return self._value(attr.name, attr.type, attr.dimension, attr.integer, lit, attr.values, none_ok)

    def _attribute(self, kind: Kind, words: s.Words) -> Attribute:
        a = self.vocab.attribute(kind, words.words)
        if a is None:
            hint = self.suggest(words.text, self.vocab.attribute_phrases(kind))
            self.error(f"{_a(kind.name)} has no attribute `{words.text}`", words.col, hint or f"`scn vocab {kind.name}` lists its attributes", words.end)
        if a.capability:
            self.needs.add(a.capability)
        return a

    # ---------------------------------------------------------------- given
    def _given(self, sen: s.Sentence):
        if sen.passing is not None:
            self.error("time passes in a when-step: `when 2 minutes pass`", sen.passing.col)
        np, pred = sen.np, sen.predicate
        if pred is None:
            if np.form in ("indef", "bare"):
                self._create(np, None, (), setup=True)
                return
            if np.form == "the" and np.words is not None:
                hit = self.vocab.kind(np.words.words)
                if hit and hit[0].implicit:
                    self.steps.append(ir.Noop(**self._base()))
                    return
            self.error("a given creates something: `given a running instance \"web\"`", np.col)
        if pred.form == "is_value" and np is not None and np.form in ("the", "bare") and not np.clauses:
            setting = self.vocab.setting(np.words.words)
            if setting is None:
                hint = self.suggest(np.words.text, self.vocab.setting_phrases())
                self.error(f"unknown setting `{np.words.text}`", np.words.col, hint or "`scn vocab` lists the world settings", np.words.end)
            if pred.negated or not isinstance(pred.value, s.Literal):
                self.error("a setting is given a value: `given the elastic ip limit is 10`", pred.col)
            value = self._value(setting.name, setting.type, setting.dimension, setting.integer, pred.value, none_ok=False)
            if setting.capability:
                self.needs.add(setting.capability)
            self.steps.append(ir.SetSetting(**self._base(), setting=setting.name, value=value))
            return
        self.error("a given creates something or sets a setting; claims are then-steps", pred.col if pred else None,
                   "write `then ...` to check it, or `given a ... ` to create it")

    def _create(self, np: s.NounPhrase, participle: s.Words | None, more_clauses: Sequence[s.Clause], setup: bool):
        """`a running instance "web" with an EIP`, and its `when ... is launched` form."""
        if np.words is None:
            self.error("say what to create: `a running instance`", np.col)
        found = self.vocab.find_kind(np.words.words)
        if found is None:
            self._unknown_kind(np.words)
        start, stop, kind, plural = found
        words = np.words.words
        adjectives = words[:start]
        trailing = words[stop:]
        count = 1
        if np.det and np.det[0].isdigit():
            count = self._count(np.det, np.col)
        if count != 1 and not plural and count > 1:
            self.error(f"after {count}, write the plural: `{count} {' '.join(words[start:stop])}s`", np.words.col)
        if count == 1 and plural:
            self.error(f"one {kind.name}, or several? write `{_a(kind.name)}` or a number", np.words.col)
        if np.name is not None and count != 1:
            self.error("a name belongs to one resource; drop the name or the count", np.name.col)
        if kind.implicit:
            if setup:
                self.steps.append(ir.Noop(**self._base()))
                return
            self.error(f"the {kind.name} exists in every world and cannot be created", np.words.col)
        creator = kind.creator
        if participle is not None:
            act = self.vocab.action(kind, participle.words)
            if act is None or not act.creates:
                creating = [a.participle for a in kind.actions if a.creates]
                self.error(f"{_a(kind.name)} is not `{participle.text}`: it is {', '.join(creating) or 'never created by a spec'}",
                           participle.col, end=participle.end)
            creator = act
        if creator is None:
            self.error(f"a spec cannot create {_a(kind.name)}", np.words.col)
        if creator.capability:
            self.needs.add(creator.capability)
        # adjectives: a state, booleans, enum values
        state = None
        params: list[tuple[str, Any]] = []
        if adjectives:
            adj = self.vocab.adjectives(kind, adjectives)
            if adj is None:
                bad = " ".join(adjectives)
                transitional = next((st for st in kind.states if not st.stable and st.name in (w.lower() for w in adjectives)), None)
                if transitional is not None:
                    stable = ", ".join(st.name for st in kind.states if st.stable)
                    self.error(f"`{transitional.name}` is a transitional state: it cannot be given, only passed through",
                               np.words.col, f"give a stable state ({stable}), then `when` and `passed through {transitional.name}`")
                self._bad_adjective(kind, adjectives, np.words)
                hint = self.suggest(bad, self.vocab.adjective_phrases(kind))
                if hint is None:  # not a near miss of an adjective: most likely a kind we do not know
                    self._unknown_kind(np.words)
                self.error(f"`{bad}` does not describe {_a(kind.name)}", np.words.col, hint, np.words.end)
            for what, val in adj:
                if what == "state":
                    if state is not None:
                        self.error(f"two states for one {kind.name}: {state} and {val}", np.words.col)
                    state = val
                else:
                    if any(n == val[0] for n, _v in params):
                        self.error(f"the {val[0]} is given twice", np.words.col, "say it once: two values for one attribute contradict each other")
                    params.append(val)
        if state is not None and not setup:
            self.error(f"{_a(kind.name)} created in a when-step starts {kind.initial_state}; give it a state in a given", np.words.col)
        clauses = list(np.clauses)
        if trailing:
            if np.name is not None or not clauses:
                self.error(f"`{' '.join(trailing)}` after the kind is not understood", np.words.col)
            clauses[0] = ("rel", s.Words(tuple(trailing), np.words.col, np.words.end), clauses[0])
        if np.rel is not None:
            clauses.insert(0, ("rel", np.rel[0], np.rel[1]))
        clauses.extend(more_clauses)
        relations: list[tuple[str, int]] = []
        later: list = []  # relations made by an action after creation
        related: list = []  # resources to create with it: `with an EIP`
        clauses = self._participle_relations(kind, clauses)
        previous = None  # `with "eni" and "eni2"`: an `and` repeats the connector of the relation before it
        for cl in clauses:
            if isinstance(cl, tuple):  # `associated with "web"`: a participle's own relation
                previous = None
            else:
                if cl.connector == "and" and cl.body.kind == "value" and cl.body.name is not None:
                    cl = s.Clause(previous or "with", cl.body, cl.col)  # `with engine "x" and "key"` = `with "key"`
                previous = cl.connector if cl.body.kind == "value" and cl.body.name is not None else None
            self._creation_clause(kind, creator, cl, params, relations, later, related)
        path = ()
        if state is not None:
            st = kind.state(state)
            path = kind.path_to(state)
            if path is None:
                self.error(f"{_a(kind.name)} cannot be brought to {state} by its actions", np.words.col)
        for i in range(count):
            slot = self._new_slot(kind, np.name.value if np.name else None, np.name.col if np.name else np.col)
            self.steps.append(ir.Create(**self._base(), slot=slot, kind=kind.name, action=creator.verb, params=params,
                                        relations=relations, setup=setup))
            for verb, target in later:
                self.steps.append(ir.Act(**self._base(), slot=slot, action=verb, target=target, params=(), setup=setup))
            for rkind, rrel, forward, rparams in related:
                rslot = self._new_slot(rkind, None, np.col)
                rcreator = rkind.creator
                if forward:  # this resource points at the new one: create it first? it exists now, so relate after
                    self.steps.append(ir.Create(**self._base(), slot=rslot, kind=rkind.name, action=rcreator.verb, params=rparams, relations=(), setup=setup))
                    self.steps.append(ir.Act(**self._base(), slot=slot, action=rrel.make, target=rslot, params=(), setup=setup))
                elif rrel.make is None:
                    self.steps.append(ir.Create(**self._base(), slot=rslot, kind=rkind.name, action=rcreator.verb, params=rparams, relations=((rrel.name, slot),), setup=setup))
                else:
                    self.steps.append(ir.Create(**self._base(), slot=rslot, kind=rkind.name, action=rcreator.verb, params=rparams, relations=(), setup=setup))
                    self.steps.append(ir.Act(**self._base(), slot=rslot, action=rrel.make, target=slot, params=(), setup=setup))
            for act in path:
                if act.capability:
                    self.needs.add(act.capability)
                self.steps.append(ir.Act(**self._base(), slot=slot, action=act.verb, target=None, params=(), setup=setup))
            self.last_subject = slot if i == 0 else self.last_subject

    def _bad_adjective(self, kind: Kind, adjectives: Sequence[str], words: s.Words) -> None:
        """An adjective that names something real but cannot be chosen: say why."""
        low = [w.lower() for w in adjectives]
        stable = ", ".join(st.name for st in kind.states if st.stable)
        known = set(self.vocab.adjective_phrases(kind))
        for i in range(len(low)):
            for j in range(len(low), i, -1):
                phrase = " ".join(low[i:j])
                if phrase in known:
                    break
                attr = self.vocab.attribute(kind, low[i:j])
                if attr is not None and (attr.type == "boolean" or attr.type == "enum") and not attr.settable:
                    self.error(f"`{phrase}` cannot be chosen: whether {_a(kind.name)} is {phrase} follows from its state", words.col,
                               f"give a state ({stable}) and claim it: `then ... is {phrase}`", words.end)
                enum = next((a for a in kind.attributes if a.type == "enum" and not a.settable
                             and phrase in (v.lower() for v in a.values)), None)
                if enum is not None:
                    self.error(f"`{phrase}` cannot be chosen: the {enum.name} of {_a(kind.name)} follows from what happens to it",
                               words.col, None, words.end)
                act = self.vocab.action(kind, low[i:j])
                if act is not None and kind.state(phrase) is None:
                    self.error(f"`{phrase}` is an action of {_a(kind.name)}, not a state", words.col,
                               f"give a state ({stable}), then act in a when-step: `when ... is {phrase}`", words.end)

    def _creation_clause(self, kind, creator, cl, params, relations, later, related):
        if isinstance(cl, tuple):  # a relation written as words + clause: `associated with "web"`
            _, words, clause = cl
            rel = self.vocab.relation(kind, words.words, clause.connector)
            if rel is None:
                names = [r.name for r in kind.relations]
                hint = self.suggest(f"{words.text} {clause.connector}", names)
                self.error(f"{_a(kind.name)} is not `{words.text} {clause.connector}` anything", words.col,
                           hint or (f"{_a(kind.name)} can be {', '.join(names)}" if names else None))
            target = self._ref_body(clause.body)
            rel = self.vocab.relation(kind, words.words, clause.connector, self.slots[target].kind)
            self._check_target(rel.target, target, clause.body.col)
            self._relate(rel, target, relations, later)
            return
        body = cl.body
        conn = cl.connector
        # a measure: `an item of 401 KB` sets the kind's one settable quantity of that dimension
        if conn == "of" and body.kind == "value" and body.name is None and body.value is not None and body.value.kind in ("quantity", "number"):
            self._measure_clause(kind, body.value, params)
            return
        # a relation by preposition alone: `in placement group "pg"`, `with "web"`
        named_kind = (conn in ("with", "and") and body.kind == "words" and body.value is not None and body.value.kind == "string"
                      and self.vocab.attribute(kind, body.words.words) is None and self.vocab.kind(body.words.words) is not None)
        if named_kind:  # `with execution role "r"`: the resource of that kind named "r", as `with "r"`
            conn = "with"
        if conn in ("in", "of", "to", "into", "from", "on") or (conn in ("with", "and") and body.kind == "value" and body.name is not None) or named_kind:
            target = self._ref_body(body)
            tkind = self.slots[target].kind
            rel = next((r for r in kind.relations if r.preposition == conn and r.target == tkind and not r.participle), None)
            if rel is None:
                rel = next((r for r in kind.relations if r.preposition == conn and r.target == tkind), None)
            if rel is None:
                self.error(f"{_a(kind.name)} cannot be created `{conn}` {_a(tkind)}", cl.col)
            self._relate(rel, target, relations, later)
            return
        if conn not in ("with", "and"):
            self.error(f"`{conn}` cannot start this clause", cl.col)  # pragma: no cover
        # with <attribute> <value>, with a <attribute>, with no <attribute>, with a <kind>, with N <kinds>
        if body.words is None:
            self.error("say what it is created with: `with instance type \"t3.micro\"`", body.col)
        attr = self.vocab.attribute(kind, body.words.words)
        if attr is not None:
            if attr.capability:
                self.needs.add(attr.capability)
            if not attr.settable:
                self.error(f"the {attr.name} of {_a(kind.name)} cannot be chosen at creation", body.col,
                           f"settable: {', '.join(a.name for a in kind.attributes if a.settable) or 'nothing'}")
            presence = attr.choice == "presence"
            if body.kind == "words" and body.value is not None:
                if presence:
                    self.error(f"the {attr.name} of {_a(kind.name)} cannot be chosen, only whether there is one", body.value.col,
                               f"write `with {_a(attr.name)}` or `with no {attr.name}`", body.value.end)
                value = self._attr_value(attr, body.value, none_ok=False)
            elif body.kind == "words" and body.value is None:
                if presence:
                    self.error(f"say whether it has one: `with {_a(attr.name)}` or `with no {attr.name}`", body.col)
                if attr.type != "boolean":
                    self.error(f"give the {attr.name} a value: `with {attr.name} <value>`", body.col)
                value = True
            elif body.kind == "det" and body.det in ("a", "an", "no") and body.name is None:
                if not presence and attr.type != "boolean":
                    self.error(f"give the {attr.name} a value: `with {attr.name} <value>`", body.col)
                value = body.det != "no"
            elif body.kind == "det" and body.det[0].isdigit() and attr.type in ("number",):
                # `with 2 shards`: a value, not a count of resources, so 0 or 100,000 are the backend's to judge
                text = body.det.replace(",", "")
                if not text.isdigit():
                    self.error(f"the {attr.name} is a whole number, not {body.det}", body.col)
                value = int(text)
            else:
                self.error(f"cannot read this as a {attr.name}", body.col)
            if any(n == attr.name for n, _v in params):
                self.error(f"the {attr.name} is given twice", body.col, "say it once: two values for one attribute contradict each other")
            params.append((attr.name, value))
            return
        hit = self.vocab.kind(body.words.words)
        if hit is not None and body.kind == "det" and body.det in ("a", "an") or (hit is not None and body.kind == "det" and body.det[0].isdigit()):
            rkind = hit[0]
            n = 1 if body.det in ("a", "an") else self._count(body.det, body.col)
            rel = next((r for r in rkind.relations if r.target == kind.name), None)
            forward = False
            if rel is None:
                rel = next((r for r in kind.relations if r.target == rkind.name and r.make), None)
                forward = rel is not None
            if rel is None or (not forward and rel.make is None and rkind.creator is None):
                self.error(f"{_a(kind.name)} cannot be created with {_a(rkind.name)}", body.col)
            if rkind.creator is None:
                self.error(f"a spec cannot create {_a(rkind.name)}", body.col)
            if rkind.capability:
                self.needs.add(rkind.capability)
            for _ in range(n):
                related.append((rkind, rel, forward, ()))
            return
        if hit is not None:
            self.error(f"`{body.words.text}` here needs `a` or a name: `with an {body.words.text}`", body.col)
        hint = self.suggest(body.words.text, self.vocab.attribute_phrases(kind) + self.vocab.kind_phrases())
        self.error(f"{_a(kind.name)} has no attribute `{body.words.text}`", body.words.col, hint, body.words.end)

    def _participle_relations(self, kind: Kind, clauses: list) -> list:
        """`... sourced from "in" and writing to "out"`: `and writing` + `to "out"` is one relation."""
        out: list = []
        i = 0
        while i < len(clauses):
            cl = clauses[i]
            nxt = clauses[i + 1] if i + 1 < len(clauses) else None
            if (not isinstance(cl, tuple) and not isinstance(nxt, tuple) and nxt is not None and cl.connector in ("and", "with")
                    and cl.body.kind == "words" and cl.body.value is None and cl.body.words is not None
                    and self.vocab.attribute(kind, cl.body.words.words) is None
                    and self.vocab.relation(kind, cl.body.words.words, nxt.connector) is not None):
                out.append(("rel", cl.body.words, nxt))
                i += 2
                continue
            out.append(cl)
            i += 1
        return out

    def _measure_clause(self, kind: Kind, lit: s.Literal, params: list) -> None:
        """`of 401 KB`: the value of the one settable quantity of the kind measured in that unit."""
        if lit.kind == "number":
            self.error(f"`of {lit.text}` needs a unit, e.g. `of {lit.text} KB`", lit.col, end=lit.end)
        dim = UNITS[lit.unit][0]
        found = [a for a in kind.attributes if a.settable and a.type == "quantity" and a.dimension == dim]
        if len(found) != 1:
            what = "no" if not found else "more than one"
            self.error(f"{_a(kind.name)} has {what} settable {dim} to be `of {lit.text}`", lit.col,
                       f"name it: `with {found[0].name} {lit.text}`" if found else None, lit.end)
        attr = found[0]
        if attr.capability:
            self.needs.add(attr.capability)
        if any(n == attr.name for n, _v in params):
            self.error(f"the {attr.name} is given twice", lit.col, "say it once: two values for one attribute contradict each other")
        params.append((attr.name, self._attr_value(attr, lit, none_ok=False)))

    def _relate(self, rel, target: int, relations: list, later: list) -> None:
        """A relation given at creation: made by an action afterwards, or passed to the create."""
        if rel.capability:
            self.needs.add(rel.capability)
        if rel.make:
            later.append((rel.make, target))
        else:
            relations.append((rel.name, target))

    def _check_target(self, kind_name: str, slot: int, col: int):
        if self.slots[slot].kind != kind_name:
            self.error(f"{self.slots[slot].label} is {_a(self.slots[slot].kind)}; this needs {_a(kind_name)}", col)

    # ---------------------------------------------------------------- when
    def _when(self, sen: s.Sentence):
        if sen.passing is not None:
            lit = sen.passing
            dim, factor = UNITS[lit.unit]
            if dim != "duration":
                self.error(f"time passes in seconds, minutes, hours, days or years, not {lit.unit}", lit.col)
            self.needs.add("clock")
            self.steps.append(ir.Advance(**self._base(), seconds=lit.value * factor))
            return
        np, pred = sen.np, sen.predicate
        if pred is None:
            if np.form == "bare":  # `when started`, `when stopped and started`
                subject = self._it(np.col)
                self._actions(subject, np.words, np.clauses)
                return
            if np.form in ("indef",):
                self.error(f"say what happens to it: `when {self.cur_text.split(None, 1)[-1]} is created`", np.end)
            self.error("a when-step does something: `when \"web\" is stopped`", np.col)
        if pred.form != "is_words" or pred.words is None:
            self.error("a when-step does something: `when \"web\" is stopped`; claims are then-steps", pred.col,
                       "write this as a `then` step")
        if pred.negated:
            self.error("an action cannot be negated", pred.col)
        if np is None:
            subject = self._it(pred.col)
            self._actions(subject, pred.words, pred.clauses)
            return
        if np.form == "indef":
            self._create(np, pred.words, pred.clauses, setup=False)
            return
        subject = self._ref_np(np)
        self.last_subject = subject
        self._actions(subject, pred.words, pred.clauses)

    def _actions(self, subject: int, words: s.Words, clauses: Sequence[s.Clause]):
        kind = self._kind_of(subject)
        todo: list[tuple[s.Words, list]] = [(words, [])]
        for cl in clauses:
            if cl.connector == "and" and cl.body.kind == "words" and cl.body.value is None and self.vocab.action(kind, cl.body.words.words):
                todo.append((cl.body.words, []))
            else:
                todo[-1][1].append(cl)
        for w, cls in todo:
            act = self.vocab.action(kind, w.words)
            if act is None or act.creates:
                options = [a.participle for a in kind.actions if not a.creates]
                hint = self.suggest(w.text, options)
                self.error(f"{_a(kind.name)} cannot be `{w.text}`", w.col, hint or f"{_a(kind.name)} can be {', '.join(options)}", w.end)
            if act.capability:
                self.needs.add(act.capability)
            target = None
            params: list[tuple[str, Any]] = []
            for cl in cls:
                if act.target and cl.connector == act.preposition and target is None:
                    target = self._ref_body(cl.body)
                    self._check_target(act.target, target, cl.body.col)
                    continue
                if cl.connector in ("with", "and") and cl.body.words is not None:
                    attr = self.vocab.attribute(kind, cl.body.words.words)
                    if attr is not None and attr.name in act.params and cl.body.value is not None:
                        if attr.choice == "presence":
                            self.error(f"the {attr.name} cannot be chosen, only whether there is one", cl.body.value.col,
                                       f"write `with {_a(attr.name)}` or `with no {attr.name}`", cl.body.value.end)
                        if any(n == attr.name for n, _v in params):
                            self.error(f"the {attr.name} is given twice", cl.body.col, "say it once: two values for one attribute contradict each other")
                        params.append((attr.name, self._attr_value(attr, cl.body.value, none_ok=False)))
                        continue
                self.error(f"`{cl.connector} …` does not go with `{act.participle}`", cl.col,
                           f"write `{act.participle} {act.preposition} …`" if act.target else None)
            if act.target_required and target is None:
                self.error(f"`{act.participle}` needs `{act.preposition} <{act.target}>`", w.end)
            self.steps.append(ir.Act(**self._base(), slot=subject, action=act.verb, target=target, params=params, setup=False))

    # ---------------------------------------------------------------- then
    def _need_when(self, what: str, col: int):
        if self.when_index < 0:
            self.error(f"`{what}` needs an earlier when-step to compare with", col, "add `when ...` before this claim")

    def _existed_before(self, slot: int, what: str, col: int):
        """`changes`, `is unchanged`, `is retained` compare with the world before the nearest when-group."""
        made = self.created_in.get(slot)
        if made is not None and made[0] == self.when_index:
            label = self.slots[slot].label
            self.error(f"`{what}` compares with the moment before the when-group, but {label} was created in it (line {made[1]}): "
                       "nothing existed before that when-group to compare with", col,
                       "create it in a given, or compare after a later when-step")

    def _probe(self, probe: ir.Probe):
        group = self.probes[self.when_index]
        if probe not in group:
            group.append(probe)

    def _then(self, sen: s.Sentence):
        if sen.passing is not None:
            self.error("time passes in a when-step, not in a claim", sen.passing.col)
        np, pred = sen.np, sen.predicate
        if pred is None:
            self.error("a then-step claims something: `then \"web\" is running`", np.col)
        b = self._base()
        f = pred.form
        if f in ("fails", "succeeds"):
            if np is not None and np.form != "it":
                self.error(f"`{f}` is said of the action: `then it {f}`", np.col)
            self._need_when(f"it {f}", pred.col)
            if self.steps_since_when != 0:
                self.error(f"`then it {f}` must directly follow the when-steps it speaks of", pred.col)
            self.captured.add(self.when_index)
            self.steps.append(ir.ClaimOutcome(**b, fails=f == "fails", code=pred.extra))
            return
        if f in ("exists", "retained", "passed"):
            subject = self._subject(np, pred.col)
            if f == "exists":
                self.steps.append(ir.ClaimExists(**b, slot=subject, negated=pred.negated))
            elif f == "retained":
                self._need_when("is retained", pred.col)
                self._existed_before(subject, "is retained", pred.col)
                self._probe(ir.Probe("retained", subject))
                self.steps.append(ir.ClaimRetained(**b, slot=subject))
            else:
                self._need_when("passed through", pred.col)
                kind = self._kind_of(subject)
                st = kind.state(" ".join(pred.words.words).lower())
                if st is None:
                    hint = self.suggest(pred.words.text, [x.name for x in kind.states])
                    self.error(f"{_a(kind.name)} has no state `{pred.words.text}`", pred.words.col, hint, pred.words.end)
                self.steps.append(ir.ClaimPassed(**b, slot=subject, state=st.name))
            return
        if f == "is_words":
            if pred.negated and pred.words is not None:
                low = [w.lower() for w in pred.words.words]
                said, hint = None, None
                if low[:1] == ["retained"]:
                    said, hint = "is retained", 'to claim it is gone, write `then "eip" does not exist`; a relation that ended, `is not associated with "web"`'
                elif low[:2] == ["passed", "through"]:
                    said, hint = "passed through", 'claim what it did pass through, or the state it ended in: `then "web" is stopped`'
                elif low[:1] == ["unchanged"]:
                    said, hint = "is unchanged", "write `changes`"
                if said is not None:
                    self.error(f"`{said}` cannot be negated", pred.col, hint)
            self._then_is_words(np, pred, b)
            return
        if f == "has":
            subject = self._subject(np, pred.col)
            kind = self._kind_of(subject)
            attr = self._attribute(kind, pred.words)
            self.steps.append(ir.ClaimHas(**b, slot=subject, attribute=attr.name, negated=pred.negated))
            return
        if f == "has_count":
            subject = self._subject(np, pred.col)
            self._count_claim(pred.words, None, subject, "is", pred.value, False, b)
            return
        # attribute claims: is <value>, compare, equals, changes, unchanged
        if np is not None and np.form == "count":
            if f not in ("is_value", "compare", "equals"):
                self.error("a number is compared: `is at most 5`", pred.col)
            if len(np.clauses) != 1:
                self.error("say whose: `the number of elastic ips associated with \"web\"`", np.col)
            clause = np.clauses[0]
            target = self._ref_body(clause.body)
            if not isinstance(pred.value, s.Literal) or pred.value.kind != "number":
                self.error("a number of resources is compared with a number", pred.col)
            op = "is" if f in ("is_value", "equals") else pred.extra
            self._count_claim(np.words, clause.connector, target, op, pred.value, pred.negated, b)
            return
        subject, attr = self._attr_subject(np, pred.col)
        if f in ("changes", "unchanged"):
            self._need_when("changes" if f == "changes" else "is unchanged", pred.col)
            self._existed_before(subject, "changes" if f == "changes" else "is unchanged", pred.col)
            self._probe(ir.Probe("attribute", subject, attr.name))
            self.steps.append(ir.ClaimChange(**b, slot=subject, attribute=attr.name, changed=f == "changes", dimension=attr.dimension))
            return
        value = pred.value
        if f == "compare" and attr.type not in ("number", "quantity"):
            self.error(f"the {attr.name} is not a number; it can only be `is` or `is not`", pred.col)
        if isinstance(value, s.TheAttr):
            oslot, oattr = self._the_attr(value)
            if f == "compare":
                if oattr.type not in ("number", "quantity"):
                    self.error(f"`{pred.extra}` compares numbers, and the {oattr.name} is {_type_phrase(oattr.type, oattr.dimension, oattr.integer, oattr.values)}",
                               value.col)
                if (attr.type, attr.dimension) != (oattr.type, oattr.dimension):
                    mine = _type_phrase(attr.type, attr.dimension, attr.integer)
                    theirs = _type_phrase(oattr.type, oattr.dimension, oattr.integer)
                    self.error(f"the {attr.name} is {mine} and the {oattr.name} is {theirs}: they cannot be compared", value.col)
            expected: Any = ir.AttrValue(oslot, oattr.name)
        else:
            if f == "compare" and value.kind == "none":
                self.error(f"`{pred.extra}` compares numbers, and none is not a number", value.col,
                           f"write `is none` or `is not none`", value.end)
            expected = self._attr_value(attr, value)
        op = pred.extra if f == "compare" else "is"
        self.steps.append(ir.ClaimAttr(**b, slot=subject, attribute=attr.name, op=op, value=expected, negated=pred.negated, dimension=attr.dimension))

    def _count_claim(self, words: s.Words, connector: str | None, target: int, op: str, lit: s.Literal, negated: bool, b: dict):
        """`the number of <kinds> [<participle>] <connector> <target>`, `<target> has N <kinds>`."""
        found = self.vocab.find_kind(words.words)
        if found is None:
            self._unknown_kind(words)
        start, stop, kind, plural = found
        if start != 0:
            self.error(f"count {kind.name}s without `{' '.join(words.words[:start])}` before them", words.col)
        if connector is None:  # `has 2 elastic ips`: the count stands before the kind, as in a given
            said = " ".join(words.words[start:stop])
            if float(lit.value) != int(lit.value):
                self.error(f"a count is a whole number, not {lit.text}", lit.col, end=lit.end)
            if lit.value != 1 and not plural:
                self.error(f"after {lit.text}, write the plural: `{lit.text} {said}s`", words.col, end=words.end)
            if lit.value == 1 and plural:
                self.error(f"after 1, write the singular: `1 {kind.name}`", words.col, end=words.end)
        participle = " ".join(words.words[stop:]).lower()
        tkind = self.slots[target].kind
        rels = [r for r in kind.relations if r.target == tkind]
        if connector is not None:
            rels = [r for r in rels if r.preposition == connector and (not participle or r.participle == participle)]
        elif participle:
            self.error(f"`{participle}` after `{' '.join(words.words[start:stop])}` is not understood", words.col)
        if not rels:
            said = f"{participle} {connector}".strip() if connector else "related to"
            self.error(f"{_a(kind.name)} is never `{said}` {_a(tkind)}", words.col,
                       f"{_a(kind.name)} can be {', '.join(r.name + ' ' + _a(r.target) for r in kind.relations)}" if kind.relations else None)
        rel = rels[0]
        if rel.capability:
            self.needs.add(rel.capability)
        self.steps.append(ir.ClaimCount(**b, kind=kind.name, relation=rel.name, target=target, op=op, value=lit.value, negated=negated))

    def _subject(self, np: s.NounPhrase | None, col: int) -> int:
        if np is None:
            return self._it(col)
        subject = self._ref_np(np)
        self.last_subject = subject
        return subject

    def _attr_subject(self, np: s.NounPhrase | None, col: int) -> tuple[int, Attribute]:
        """`the public ipv4 of "web"`, `public IPv4` (of it), `the timeout`."""
        if np is None or np.form in ("name", "it", "indef"):
            self.error("say which attribute: `the public ipv4 of \"web\" ...`", col)
        of = [c for c in np.clauses if c.connector == "of"]
        if np.name is not None:
            self.error("say which attribute: `the public ipv4 of \"web\" ...`", np.col)
        if of:
            subject = self._ref_body(of[-1].body)
        else:
            hit = self.vocab.kind(np.words.words)
            if hit is not None:
                self.error(f"say which attribute of the {hit[0].name}: `the <attribute> of the {hit[0].name}`", np.col)
            subject = self._it(np.col)
        self.last_subject = subject
        attr = self._attribute(self._kind_of(subject), np.words)
        return subject, attr

    def _the_attr(self, value: s.TheAttr) -> tuple[int, Attribute]:
        of = [c for c in value.clauses if c.connector == "of"]
        subject = self._ref_body(of[-1].body) if of else self._it(value.col)
        return subject, self._attribute(self._kind_of(subject), value.words)

    def _then_is_words(self, np, pred: s.Predicate, b: dict):
        subject = self._subject(np, pred.col)
        kind = self._kind_of(subject)
        words = pred.words
        clauses = list(pred.clauses)
        if clauses:  # a relation: `is associated with "web"`, `is in placement group "pg"`
            cl = clauses[0]
            participle = words.words if words is not None else ()
            rel = self.vocab.relation(kind, participle, cl.connector)
            if rel is None:
                names = [r.name for r in kind.relations]
                said = f"{' '.join(participle)} {cl.connector}".strip()
                hint = self.suggest(said, names)
                self.error(f"{_a(kind.name)} is never `{said}` anything", words.col if words else cl.col,
                           hint or (f"{_a(kind.name)} can be {', '.join(names)}" if names else None))
            if len(clauses) > 1:
                self.error("one relation per claim", clauses[1].col)
            target = self._ref_body(cl.body)
            rel = self.vocab.relation(kind, participle, cl.connector, self.slots[target].kind)
            self._check_target(rel.target, target, cl.body.col)
            if rel.capability:
                self.needs.add(rel.capability)
            self.steps.append(ir.ClaimRelation(**b, slot=subject, relation=rel.name, target=target, negated=pred.negated))
            return
        low = " ".join(words.words).lower()
        st = kind.state(low)
        if st is not None:
            self.steps.append(ir.ClaimState(**b, slot=subject, attribute="state", value=st.name, negated=pred.negated))
            return
        attr = self.vocab.attribute(kind, words.words)
        if attr is not None and attr.type == "boolean":
            if attr.capability:
                self.needs.add(attr.capability)
            self.steps.append(ir.ClaimState(**b, slot=subject, attribute=attr.name, value=True, negated=pred.negated))
            return
        for a in kind.attributes:
            if a.type == "enum" and low in [v.lower() for v in a.values]:
                if a.capability:
                    self.needs.add(a.capability)
                value = next(v for v in a.values if v.lower() == low)
                self.steps.append(ir.ClaimState(**b, slot=subject, attribute=a.name, value=value, negated=pred.negated))
                return
        options = [x.name for x in kind.states] + [a.name for a in kind.attributes if a.type == "boolean"]
        hint = self.suggest(words.text, options + [a.participle for a in kind.actions])
        if self.vocab.action(kind, words.words) is not None:
            self.error(f"`{words.text}` is an action, and a then-step claims a state", words.col,
                       f"write `when {self.slots[subject].label} is {words.text}` to act", words.end)
        self.error(f"{_a(kind.name)} is never `{words.text}`", words.col,
                   hint or f"{_a(kind.name)} can be {', '.join(options)}", words.end)


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


def _num(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
