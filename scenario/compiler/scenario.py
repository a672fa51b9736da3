"""The driver of one scenario (one outline row): its steps in order, background first, into an IR scenario.

Each step is substituted from its examples row if it is a template, parsed again,
checked against the order of groups (givens, then when-steps, then claims; a
background holds givens only) and handed to the given, when or then form. A step
that fails is reported once and skipped; the scenario is then dropped from the IR.
"""

from __future__ import annotations

from .. import ir
from .. import syntax as s
from ..errors import InternalError, SourceSpan, SpecErrors
from ..parser import parse_sentence
from .context import _Abort, _subst
from .givens import Givens
from .thens import Thens
from .whens import Whens


class _ScenarioCompiler(Givens, Whens, Thens):
    """Compiles the steps of one scenario (one outline row), background first."""

    def run(self) -> ir.Scenario | None:
        block = self.block
        for bg in self.backgrounds:
            for st in bg.steps:
                self._step(st, in_background=True)
        for st in block.steps:
            if self.row_failed:
                break
            self._step(st, in_background=False)
        if self.failed:
            return None
        facts, only, diverges = self._tag_args()
        title = block.title or f"scenario at line {block.line}"
        row_id = None
        if self.values is not None and self.row is not None:
            title = _subst(title, self.values)
            row_id = "-".join(self.row.cells)
        return ir.Scenario(
            span=SourceSpan(self.fc.doc.path, block.line, block.col),
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
            headers=self._headers(),
        )

    def _tag_args(self) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        """What the tags say to the runner: facts verified, backends it runs on, known divergences."""
        facts: list[str] = []
        only: list[str] = []
        diverges: list[tuple[str, str]] = []
        for t in self.tags:
            if t.name == "fact" and t.args:
                facts.append(t.args[0])
            elif t.name == "only":
                only.extend(a.lower() for a in t.args)
            elif t.name == "diverges" and len(t.args) == 2:
                diverges.append((t.args[0].lower(), t.args[1]))
        return facts, only, diverges

    def _headers(self) -> list[tuple[int, str]]:
        """The heading lines a failure report prints above the steps: backgrounds', then the scenario's."""
        block = self.block
        lines = self.fc.doc.lines
        headers = [(bg.line, lines[bg.line - 1].strip()) for bg in self.backgrounds]
        header = lines[block.line - 1].strip()
        headers.append((block.line, _subst(header, self.values) if self.values else header))
        return headers

    def _step(self, st: s.Step, in_background: bool) -> None:
        self.cur = st
        self.it_subject = self.last_subject  # `it` in this step: the previous step's main resource
        self.in_sentence = False
        sentence = st.sentence
        try:
            sentence = self._sentence(st)
            self._enter_group(st, in_background)
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

    def _sentence(self, st: s.Step) -> s.Sentence:
        """The step's sentence, parsed again from its examples row if it is a template; sets ``cur_text``."""
        source_line = self.fc.doc.lines[st.line - 1]  # (read once: the document's lines are read lazily)
        line_text = source_line.strip()
        sentence = st.sentence
        if st.template is not None:
            text = _subst(st.template, self.values or {})
            line_text = f"{st.keyword} {text}"
            try:
                sentence = parse_sentence(text, self.fc.doc.path, st.line, st.text_col - 1, source_line)
            except SpecErrors as e:
                err = e.errors[0]
                self.in_sentence = True
                self.error(f"{err.message}, once <…> is replaced by the examples row", err.span.col - (st.text_col - 1), err.hint)
            line_text = _subst(line_text, self.values or {})
        self.cur_text = _subst(line_text, self.values) if self.values else line_text
        # the text the sentence's columns index: the line, or the substituted words of a template
        self.cur_source = _subst(st.template, self.values or {}) if st.template is not None else source_line
        if sentence is None:  # pragma: no cover - the parser gives every step but a template its sentence
            raise InternalError(f"the step at line {st.line} has no sentence")
        return sentence

    def _enter_group(self, st: s.Step, in_background: bool) -> None:
        """`given`, `when`, `then` start a group in that order; `and` and `but` continue one."""
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
