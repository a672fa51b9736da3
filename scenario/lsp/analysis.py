"""What the language server knows about a document, from its text alone (no protocol here).

Every answer is computed from the text as it is, half-typed or not, and never raises for
a bad document: the server's handlers call these functions and send what they return.

Diagnostics are ``scn check``'s errors. Two passes give them: a fast one that compiles
each scenario with the feature's header and the backgrounds that apply to it, each such
piece cached by its text (so an edit recompiles one scenario), and the exact one, the
whole file as ``scn check`` compiles it, which the server runs once typing pauses. Lines
and columns here are 0-based, as the protocol counts them.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

import attrs

from ..compiler import compile_text
from ..errors import SpecErrors, word_end
from ..facts import Fact, Inventory, InventoryError, inventory_for
from ..fmt import format_text
from ..vocabulary import BASE_UNIT, Attribute, Kind, Vocabulary

__all__ = ["Analyzer", "Diagnostic", "Symbol", "Completion", "Location", "blocks"]

_HEADER = re.compile(r"^[ \t]*(feature|background|rule|scenario[ \t]+(?:outline|template)|scenario|example|examples|scenarios)[ \t]*:(.*)$",
                     re.IGNORECASE)
_STEP = re.compile(r"^([ \t]*)(given|when|then|and|but)(?![\w-])[ \t]*", re.IGNORECASE)
_FACT_TAG = re.compile(r"@fact[ \t]*\([ \t]*([^\s,()\"#]*)")
_QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_WORD = re.compile(r"[A-Za-z][\w\-/.]*|%")
_SCENARIO_WORDS = ("scenario", "scenario outline", "scenario template", "example")


@attrs.frozen
class Diagnostic:
    line: int
    col: int
    end_col: int
    message: str
    hint: str | None = None
    syntax: bool = False
    fixes: tuple[tuple[int, int, str], ...] = ()  # (col, end_col, new text): what the hint suggests, on this line


@attrs.frozen
class Symbol:
    kind: str  # feature, rule, background, scenario, outline
    name: str
    line: int
    end_line: int  # inclusive
    children: tuple["Symbol", ...] = ()


@attrs.frozen
class Completion:
    label: str
    kind: str  # kind, state, action, attribute, setting, fact, name, keyword
    detail: str = ""
    insert: str | None = None


@attrs.frozen
class Location:
    path: str
    line: int
    col: int
    end_col: int


# ---------------------------------------------------------------- blocks


@attrs.frozen
class Block:
    kind: str  # prelude, background, rule, scenario (outlines too)
    start: int  # 0-based, the first of its tags
    end: int  # exclusive
    header: int  # the header line
    title: str
    in_rule: int | None  # the index of its rule's block


def _keyword(text: str) -> str:
    return " ".join(text.lower().split())


def blocks(lines: list[str]) -> list[Block]:
    """The file cut at its block headers (by the headers' own patterns; examples stay in their outline)."""
    cuts: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m:
            kw = _keyword(m.group(1))
            if kw in ("examples", "scenarios"):
                continue
            cuts.append((i, kw, m.group(2).split("#")[0].strip()))
    out: list[Block] = []
    first = next((k for k, c in enumerate(cuts) if c[1] != "feature"), len(cuts))
    feature = next((c for c in cuts if c[1] == "feature"), None)
    starts = []
    for i, kw, title in cuts[first:]:
        start = i
        while start > 0 and lines[start - 1].lstrip().startswith(("@", "#")):
            start -= 1
        starts.append(start)
    prelude_end = starts[0] if starts else len(lines)
    out.append(Block("prelude", 0, prelude_end, feature[0] if feature else 0, feature[2] if feature else "", None))
    rule = None
    for k, (i, kw, title) in enumerate(cuts[first:]):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        kind = {"rule": "rule", "background": "background", "feature": "prelude"}.get(kw, "scenario")
        if kind == "rule":
            rule = len(out)
        out.append(Block(kind, starts[k], end, i, title, rule if kind != "rule" else None))
    return out


# ---------------------------------------------------------------- the analyzer


class Analyzer:
    """Answers for documents, against one vocabulary; keeps the compiled pieces of files it has seen."""

    def __init__(self, vocab: Vocabulary, cache_size: int = 4096):
        self.vocab = vocab
        self._pieces: OrderedDict[tuple, tuple] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the server warms the cache in a thread
        self._attrs: dict[str, list[tuple[Kind, Attribute]]] = {}
        for k in vocab.kinds.values():
            for a in k.attributes:
                for phrase in (a.name, *a.aliases):
                    self._attrs.setdefault(phrase.lower(), []).append((k, a))

    # ------------------------------------------------ facts
    @staticmethod
    def inventory(path: str | None) -> Inventory | None:
        """The facts inventory of the library the file is in; None outside a spec tree (or a broken inventory)."""
        if not path:
            return None
        try:
            return inventory_for(path)
        except (InventoryError, OSError):
            return None

    # ------------------------------------------------ diagnostics
    def diagnostics(self, text: str, path: str | None, *, exact: bool = False) -> list[Diagnostic]:
        """``scn check``'s errors for ``text`` (read from ``path``; the facts check only inside a spec tree)."""
        inv = self.inventory(path)
        shown = path or "<editor>"
        fact_check = inv.check if inv is not None else None
        if exact:
            return self._compile(text, shown, fact_check, None)
        lines = text.split("\n")
        bs = blocks(lines)
        scenarios = [b for b in bs if b.kind == "scenario"]
        if not scenarios:
            return self._compile(text, shown, fact_check, None)
        out: dict[tuple, Diagnostic] = {}
        feature_bg = None
        for b in bs:
            if b.kind == "background" and b.in_rule is None and feature_bg is None:
                feature_bg = b
            if b.kind != "scenario":
                continue
            parts = [bs[0]]
            if feature_bg is not None and feature_bg.start < b.start:
                parts.append(feature_bg)
            if b.in_rule is not None:
                parts.append(bs[b.in_rule])
                parts += [x for x in bs[b.in_rule + 1 : bs.index(b)] if x.kind == "background"][:1]
            parts.append(b)
            where = [i for p in parts for i in range(p.start, p.end)]
            piece = "\n".join(lines[i] for i in where)
            key = (piece, shown, inv.fingerprint if inv is not None else "")
            with self._lock:
                found = self._pieces.get(key)
                if found is not None:
                    self._pieces.move_to_end(key)
            if found is None:
                found = tuple(self._compile(piece, shown, fact_check, None))
                with self._lock:
                    self._pieces[key] = found
                    if len(self._pieces) > self._cache_size:
                        self._pieces.popitem(last=False)
            for d in found:
                real = attrs.evolve(d, line=where[d.line] if d.line < len(where) else where[-1])
                out.setdefault((real.line, real.col, real.message), real)
        return sorted(out.values(), key=lambda d: (d.line, d.col))

    def _compile(self, text: str, path: str, fact_check, _unused) -> list[Diagnostic]:
        try:
            compile_text(text, self.vocab, path, fact_check)
        except SpecErrors as exc:
            lines = text.split("\n")
            return [_diagnostic(e, lines) for e in exc.errors]
        except Exception as exc:  # noqa: BLE001 - a bug of scn must not stop the editor: say it where it is
            return [Diagnostic(0, 0, 1, f"scn could not check this file (a bug of scn, please report it): {exc!r}")]
        return []

    # ------------------------------------------------ formatting
    @staticmethod
    def format(text: str) -> str | None:
        """The formatted text, or None when it does not parse (the diagnostics say why)."""
        try:
            return format_text(text)
        except SpecErrors:
            return None

    # ------------------------------------------------ symbols
    @staticmethod
    def symbols(text: str) -> list[Symbol]:
        lines = text.split("\n")
        bs = blocks(lines)
        last = max(0, len(lines) - 1)
        rules: list[Symbol] = []
        top: list[Symbol] = []
        for b in bs[1:]:
            name = b.title or b.kind
            head = _HEADER.match(lines[b.header])  # blocks() cut the file at lines it matches
            kw = _keyword(head.group(1)) if head else b.kind
            kind = "outline" if kw.startswith("scenario ") else b.kind
            sym = Symbol(kind, name, b.header, max(b.header, b.end - 1))
            if b.kind == "rule":
                rules.append(sym)
                top.append(sym)
            elif b.in_rule is not None and rules:
                r = rules[-1]
                rules[-1] = attrs.evolve(r, end_line=sym.end_line, children=r.children + (sym,))
                top[top.index(r)] = rules[-1]
            else:
                top.append(sym)
        pre = bs[0]
        return [Symbol("feature", pre.title or "feature", pre.header, last, tuple(top))]

    # ------------------------------------------------ completion
    def complete(self, text: str, line: int, col: int, path: str | None = None) -> list[Completion]:
        lines = text.split("\n")
        if line >= len(lines):
            return []
        before = lines[line][:col]
        fact = re.search(r"@fact[ \t]*\([ \t]*([^\s,()\"#]*)$", before)
        if fact is not None:
            inv = self.inventory(path)
            if inv is None:
                return []
            return [Completion(f.id, "fact", f"{f.verdict}: {f.text[:80]}") for f in inv if f.id.startswith(fact.group(1))]
        if before.count('"') % 2 == 1:  # inside quotes: the names so far in the scenario
            return [Completion(n, "name", f"{k}" if k else "") for n, k in self._names(lines, line)]
        step = _STEP.match(before)
        if step is None:
            if before.strip() == "" or re.fullmatch(r"[ \t]*[A-Za-z ]*", before):
                return [Completion(k, "keyword") for k in ("given", "when", "then", "and", "but")] + \
                       [Completion(k + ":", "keyword") for k in ("feature", "background", "rule", "scenario", "scenario outline", "examples")]
            return []
        rest = before[step.end():]
        words = rest.split()
        partial = "" if rest.endswith((" ", "\t")) or not rest else words.pop()
        low = [w.lower() for w in words]
        kw = step.group(2).lower()
        out: list[Completion]
        if low == ["the"] and kw == "given":
            out = [Completion(p, "setting", self._setting_detail(p)) for p in sorted(self.vocab.setting_phrases())]
        elif low and low[-1] == "the" or low[-2:] == ["number", "of"]:
            out = [Completion(p, "attribute", d) for p, d in self._attribute_items(self._subject_kind(lines, line, rest))]
            if low[-1] == "the":
                out.append(Completion("number of", "keyword"))
        elif low and low[0] in ("a", "an") or (low and low[0].replace(",", "").isdigit()):
            out = self._kind_items(low[1:])
        elif low and low[-1] in ("is", "are") or low[-2:] in (["is", "not"], ["are", "not"]):
            kind = self._subject_kind(lines, line, rest)
            out = self._state_items(kind, participles=kw in ("when",) or self._in_when_group(lines, line))
        elif rest.strip().endswith('"') or low == ["it"] or (low and rest.rstrip().endswith(('"',))):
            kind = self._subject_kind(lines, line, rest)
            out = [Completion(f"is {p}", "action", "") for p in self._participles(kind)]
            out += [Completion(c, "keyword") for c in ("is", "is not", "has a", "has no", "exists", "does not exist",
                                                          "changes", "is unchanged", "is retained", "passed through")]
        elif not low:
            out = [Completion("a", "keyword"), Completion("an", "keyword"), Completion("the", "keyword")]
            if kw in ("then", "and", "but"):
                out += [Completion(c, "keyword") for c in ("it fails", "it fails with", "it succeeds")]
        else:
            out = []
        p = partial.lower()
        return [c for c in out if c.label.lower().startswith(p)] if p else out

    def _setting_detail(self, phrase: str) -> str:
        s = self.vocab.setting(phrase.split())
        if s is None:
            return ""
        return f"world setting ({s.type}{', default ' + str(s.default) if s.default is not None else ''})"

    def _kind_items(self, adjectives: list[str]) -> list[Completion]:
        out = []
        for k in sorted(self.vocab.kinds.values(), key=lambda k: k.name):
            detail = f"{k.name}: " + ", ".join(st.name for st in k.states if st.stable)
            for alias in (k.name, *k.aliases):
                out.append(Completion(alias, "kind", detail))
            if not adjectives:
                for st in k.states:
                    if st.stable and k.path_to(st.name) is not None:
                        out.append(Completion(f"{st.name} {k.name}", "kind", f"a {k.name} in state {st.name}"))
                for adj in self.vocab.adjective_phrases(k):
                    if k.state(adj) is None:
                        out.append(Completion(f"{adj} {k.name}", "kind", f"a {adj} {k.name}"))
        return out

    def _attribute_items(self, kind: Kind | None):
        kinds = [kind] if kind else sorted(self.vocab.kinds.values(), key=lambda k: k.name)
        seen: dict[str, str] = {}
        for k in kinds:
            for a in k.attributes:
                for phrase in (a.name, *a.aliases):
                    seen.setdefault(phrase, _attr_detail(k, a))
        return sorted(seen.items())

    def _state_items(self, kind: Kind | None, participles: bool) -> list[Completion]:
        kinds = [kind] if kind else list(self.vocab.kinds.values())
        out: dict[str, Completion] = {}
        for k in kinds:
            for st in k.states:
                out.setdefault(st.name, Completion(st.name, "state", f"a state of {k.name}" + ("" if st.stable else " (transitional)")))
            for a in k.attributes:
                if a.type == "boolean":
                    out.setdefault(a.name, Completion(a.name, "attribute", f"{k.name}: boolean"))
            if participles:
                for p in self.vocab.participles(k):
                    out.setdefault(p, Completion(p, "action", f"an action on {k.name}"))
        return sorted(out.values(), key=lambda c: c.label)

    def _participles(self, kind: Kind | None) -> list[str]:
        kinds = [kind] if kind else list(self.vocab.kinds.values())
        return sorted({p for k in kinds for p in self.vocab.participles(k)})

    # ------------------------------------------------ scenario scope: names and their kinds
    def _scope(self, lines: list[str], line: int) -> list[int]:
        """The lines of the backgrounds and the scenario that ``line`` is in, up to ``line``."""
        bs = blocks(lines)
        here = next((b for b in bs if b.start <= line < b.end), bs[-1])
        out: list[int] = []
        fbg = next((b for b in bs if b.kind == "background" and b.in_rule is None), None)
        if fbg is not None and fbg is not here and fbg.start < here.start:
            out += range(fbg.start, fbg.end)
        if here.in_rule is not None:
            idx = bs.index(here)
            rbg = next((b for b in bs[here.in_rule + 1 : idx] if b.kind == "background"), None)
            if rbg is not None and rbg is not here:
                out += range(rbg.start, rbg.end)
        out += range(here.start, min(line + 1, here.end))
        return out

    def _names(self, lines: list[str], line: int) -> list[tuple[str, str | None]]:
        """The quoted names of the scenario so far (backgrounds first), each with its kind when a step made it."""
        found: dict[str, str | None] = {}
        for i in self._scope(lines, line):
            text = lines[i] if i != line else ""
            if not _STEP.match(text):
                continue
            for m in _QUOTED.finditer(text):
                kind = self._kind_before(text, m.start())
                if m.group(1) not in found or (found[m.group(1)] is None and kind):
                    found[m.group(1)] = kind.name if kind else None
        return list(found.items())

    def _kind_before(self, text: str, quote_at: int) -> Kind | None:
        """`a running instance "web"` → instance: the kind named right before a quoted name."""
        words = [w.lower() for w in _WORD.findall(text[:quote_at])]
        for size in range(min(4, len(words)), 0, -1):
            hit = self.vocab.kind(words[len(words) - size :])
            if hit:
                return hit[0]
        return None

    def _subject_kind(self, lines: list[str], line: int, rest: str) -> Kind | None:
        """The kind of the step's subject: a quoted name made earlier, or a kind named in the step."""
        m = _QUOTED.search(rest)
        if m is not None:
            for name, kind in self._names(lines, line + 1):
                if name == m.group(1) and kind:
                    return self.vocab.kinds.get(kind)
        words = [w.lower() for w in _WORD.findall(rest)]
        found = self.vocab.find_kind(words) if words else None
        return found[2] if found else None

    @staticmethod
    def _in_when_group(lines: list[str], line: int) -> bool:
        for i in range(line, -1, -1):
            m = _STEP.match(lines[i])
            if m is None:
                if _HEADER.match(lines[i]):
                    return False
                continue
            kw = m.group(2).lower()
            if kw in ("given", "when", "then"):
                return kw == "when"
        return False

    # ------------------------------------------------ hover and definition
    def hover(self, text: str, line: int, col: int, path: str | None = None) -> str | None:
        lines = text.split("\n")
        if line >= len(lines):
            return None
        src = lines[line]
        fact = self._fact_at(src, col, path)
        if fact is not None:
            f, fid = fact
            if f is None:
                return f"`@fact({fid})`: no such entry in the facts inventory"
            extra = f"\n\nwhy not testable: {f.reason}" if f.reason else ""
            extra += f"\n\nAWS today: {f.aws_today}" if f.aws_today else ""
            return f"**{f.id}** — {f.verdict}\n\n{f.section}\n\n> {f.text}{extra}\n\n{f.file}:{f.line}"
        words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(src)]
        at = [k for k, (a, b, _) in enumerate(words) if a <= col <= b]
        if not at:
            return None
        k = at[0]
        best = None
        for size in range(4, 0, -1):
            for start in range(max(0, k - size + 1), k + 1):
                phrase = [w for _, _, w in words[start : start + size]]
                if len(phrase) < size:
                    continue
                hit = self.vocab.kind(phrase)
                if hit:
                    return _kind_hover(hit[0], self.vocab)
                if best is None and " ".join(phrase) in self._attrs:
                    best = " ".join(phrase)
        if best is not None:
            subject = self._subject_kind(lines, line, src)
            pairs = self._attrs[best]
            pairs = [p for p in pairs if subject is None or p[0].name == subject.name] or pairs
            return "\n\n".join(f"**{best}**: {_attr_detail(k, a)}" + (f" — {a.description}" if a.description else "")
                               for k, a in pairs[:6])
        return None

    def _fact_at(self, src: str, col: int, path: str | None) -> tuple[Fact | None, str] | None:
        for m in _FACT_TAG.finditer(src):
            close = src.find(")", m.end())
            if m.start() <= col <= (close if close >= 0 else len(src)):
                inv = self.inventory(path)
                fid = m.group(1)
                return (inv.facts.get(fid) if inv is not None else None), fid
        return None

    def definition(self, text: str, line: int, col: int, path: str | None = None) -> Location | None:
        lines = text.split("\n")
        if line >= len(lines):
            return None
        src = lines[line]
        fact = self._fact_at(src, col, path)
        if fact is not None:
            f, _ = fact
            inv = self.inventory(path)
            if f is None or inv is None:
                return None
            file = inv.root / Path(f.file).name
            return Location(str(file), max(0, f.line - 1), 0, len("[[fact]]"))
        for m in _QUOTED.finditer(src):
            if m.start() <= col <= m.end():
                return self._creation(lines, line, m.group(1))
        return None

    def _creation(self, lines: list[str], line: int, name: str) -> Location | None:
        quoted = f'"{name}"'
        first = None
        for i in self._scope(lines, line):
            text = lines[i]
            if not _STEP.match(text) or quoted not in text:
                continue
            at = text.index(quoted)
            loc = Location("", i, at, at + len(quoted))
            if first is None:
                first = loc
            if self._kind_before(text, at) is not None:
                return loc  # `a running instance "web"`, `an elastic ip "eip" is allocated`
        return first


def _kind_hover(k: Kind, vocab: Vocabulary) -> str:
    out = [f"**{k.name}**" + (f" (also: {', '.join(k.aliases)})" if k.aliases else "")]
    if k.description:
        out.append(k.description)
    if k.states:
        out.append("states: " + ", ".join(st.name + ("" if st.stable else " (transitional)") for st in k.states))
    if k.attributes:
        out.append("attributes: " + ", ".join(a.name + (f" ({BASE_UNIT[a.dimension]})" if a.dimension else "")
                                              for a in k.attributes))
    if k.actions:
        out.append("actions: " + ", ".join(f"{a.verb} ({a.participle})" for a in k.actions))
    if k.relations:
        out.append("relations: " + ", ".join(f"{r.name} {r.target}" for r in k.relations))
    return "\n\n".join(out)


def _attr_detail(k: Kind, a) -> str:
    what = a.type
    if a.dimension:
        what += f", {a.dimension} in {BASE_UNIT[a.dimension]}"
    if a.values:
        what += ": " + " | ".join(a.values)
    return f"attribute of {k.name} ({what})"


_MEAN = re.compile(r"did you mean (.+?)\??\)?$")


def _fixes(hint: str | None, message: str, covered: str, col: int) -> tuple[tuple[int, int, str], ...]:
    """The replacements a "did you mean" hint offers: of the word the message names (`runing`) when the
    error covers more (`runing instance`), else of the whole covered text."""
    if not hint:
        return ()
    m = _MEAN.search(hint)
    if m is None:
        return ()
    said = m.group(1)
    options = re.findall(r"`([^`]+)`", said) or [o.strip() for o in re.split(r",| or ", said) if o.strip()]
    if covered.startswith("@fact"):  # the tag is covered: the suggestion is its id
        return tuple((col, col + len(covered), f"@fact({o})") for o in options)
    start, stop = col, col + len(covered)
    named = re.search(r"`([^`]+)`", message)
    if named and named.group(1) != covered and named.group(1) in covered:
        start = col + covered.index(named.group(1))
        stop = start + len(named.group(1))
    return tuple((start, stop, o) for o in options)


def _diagnostic(e, lines: list[str]) -> Diagnostic:
    line = e.span.line - 1
    src = lines[line] if 0 <= line < len(lines) else ""
    col = e.span.col - 1
    end = e.span.end_col - 1 if e.span.end_col else word_end(src, col)
    if src[col:].startswith("@fact"):
        close = src.find(")", col)
        end = close + 1 if close > 0 else end
    return Diagnostic(max(0, line), col, max(end, col + 1), e.message, e.hint, e.kind == "syntax error",
                      _fixes(e.hint, e.message, src[col:end], col))
