"""editors/scn.tmLanguage.json on the spec library: every keyword, tag, string, number, unit and
comment gets its scope.

A small interpreter of TextMate grammars (match, begin/end, captures, includes; one line at a
time, as every rule of this grammar ends by the end of its line) applies the grammar's own
regexes with Python's ``re`` (they are written in the part of Oniguruma's syntax that both
share). What each line holds comes independently from scn's parser and the grammar's terminals.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from scenario.fmt import _split_comment
from scenario.parser import parse

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "editors" / "scn.tmLanguage.json"
LIBRARY = sorted((ROOT / "specs").rglob("*.scn")) + sorted((ROOT / "tests" / "golden" / "good").rglob("*.scn"))

STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
NUMBER = re.compile(r"(?<![\w.,])[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![\w])")
UNIT = re.compile(r"[ \t]*(%)|[ \t]+(seconds?|minutes?|hours?|days?|years?|bytes?|kb|mb|gb)(?![\w-])", re.IGNORECASE)
FUNCTION = {"a", "an", "the", "it", "is", "are", "not", "no", "has", "have", "of", "with", "in", "into", "to", "from",
            "on", "for", "by"}


# ---------------------------------------------------------------- the interpreter


@functools.lru_cache(maxsize=None)
def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern)


class TextMate:
    def __init__(self, grammar: dict):
        self.grammar = grammar
        self.repo = grammar.get("repository", {})

    def _rules(self, patterns) -> list[dict]:
        out = []
        for p in patterns:
            if "include" in p:
                out += self._rules([self.repo[p["include"][1:]]])
            elif "match" in p or "begin" in p:
                out.append(p)
            else:
                out += self._rules(p.get("patterns", []))
        return out

    def line(self, text: str) -> list[set[str]]:
        """The scopes of each character of ``text``."""
        scopes: list[set[str]] = [set() for _ in range(len(text) + 1)]
        self._scan(text, 0, self.grammar["patterns"], None, scopes)
        return scopes[: len(text)]

    @staticmethod
    def _mark(scopes, start, end, name):
        if name:
            for i in range(start, max(end, start)):
                scopes[i].add(name)

    def _captures(self, m, captures, scopes):
        for k, v in (captures or {}).items():
            g = int(k)
            if m.group(g) is not None:
                self._mark(scopes, m.start(g), m.end(g), v.get("name"))

    def _scan(self, text, pos, patterns, end, scopes) -> tuple[int, re.Match | None]:
        rules = self._rules(patterns)
        while pos <= len(text):
            best = None
            if end is not None:
                m = _re(end).search(text, pos)
                if m:
                    best = (m.start(), -1, None, m)
            for i, r in enumerate(rules):
                m = _re(r.get("match") or r["begin"]).search(text, pos)
                if m and (best is None or m.start() < best[0]):
                    best = (m.start(), i, r, m)
            if best is None:
                return len(text), None
            _, _, rule, m = best
            if rule is None:  # the end of the enclosing rule
                return m.end(), m
            if "match" in rule:
                self._mark(scopes, m.start(), m.end(), rule.get("name"))
                self._captures(m, rule.get("captures"), scopes)
                pos = m.end() if m.end() > pos else pos + 1
                continue
            self._captures(m, rule.get("beginCaptures"), scopes)
            after, closing = self._scan(text, m.end(), rule.get("patterns", []), rule["end"], scopes)
            if closing is not None:
                self._captures(closing, rule.get("endCaptures"), scopes)
            self._mark(scopes, m.start(), after, rule.get("name"))
            if after >= len(text):
                return len(text), None
            pos = after if after > pos else pos + 1
        return len(text), None


@pytest.fixture(scope="module")
def tm() -> TextMate:
    return TextMate(json.loads(GRAMMAR.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- what each line holds, from scn itself


def expected(path: Path):
    """(line number, start, end, scope) of everything the grammar must scope, from the parse tree."""
    doc = parse(path.read_text(encoding="utf-8"), str(path))
    lines = doc.lines
    out = []

    def blocks():
        for b in (doc.background, *doc.scenarios):
            if b is not None:
                yield b
        for r in doc.rules:
            yield r
            for b in (r.background, *r.scenarios):
                if b is not None:
                    yield b

    headers = [doc.line] + [b.line for b in blocks()] + [ex.line for b in blocks() for ex in getattr(b, "examples", ())]
    for n in headers:
        src = lines[n - 1]
        m = re.match(r"\s*([^:]*?)\s*:", src)
        out.append((n, m.start(1), m.end(1), "keyword.control.block.scn"))
    tags = list(doc.tags) + [t for b in blocks() for t in b.tags]
    tags += [t for b in blocks() for ex in getattr(b, "examples", ()) for t in ex.tags]
    for t in tags:
        out.append((t.line, t.col - 1, t.col + len(t.name), "entity.name.tag.scn"))
        src = lines[t.line - 1]
        for m in STRING.finditer(src):
            out.append((t.line, m.start(), m.end(), "string.quoted.double.scn"))
    for b in blocks():
        for st in getattr(b, "steps", ()):
            src = lines[st.line - 1]
            out.append((st.line, st.col - 1, st.col - 1 + len(st.keyword), "keyword.control.step.scn"))
            code, comment = _split_comment(src[st.text_col - 1 :])
            base = st.text_col - 1
            if comment:
                out.append((st.line, base + len(code), base + len(code) + len(comment.rstrip()), "comment.line.number-sign.scn"))
            strings = [(m.start(), m.end()) for m in STRING.finditer(code)]
            for a, z in strings:
                out.append((st.line, base + a, base + z, "string.quoted.double.scn"))
            bare = "".join(" " if any(a <= i < z for a, z in strings) else ch for i, ch in enumerate(code))
            bare = re.sub(r"<[^<>]*>", lambda m: " " * len(m.group(0)), bare)
            for m in NUMBER.finditer(bare):
                out.append((st.line, base + m.start(), base + m.end(), "constant.numeric.scn"))
                u = UNIT.match(bare, m.end())
                if u:
                    g = 1 if u.group(1) else 2
                    out.append((st.line, base + u.start(g), base + u.end(g), "keyword.other.unit.scn"))
            for m in re.finditer(r"[A-Za-z][\w\-/.]*", bare):
                if m.group(0).lower() in FUNCTION:
                    out.append((st.line, base + m.start(), base + m.end(), "keyword.operator.word.scn"))
        for ex in getattr(b, "examples", ()):
            for row in (ex.header, *ex.rows):
                if row is None:
                    continue
                src = lines[row.line - 1]
                for m in re.finditer(r"(?<!\\)\|", src):
                    out.append((row.line, m.start(), m.end(), "punctuation.separator.table.scn"))
    for n, src in enumerate(lines, 1):
        if src.lstrip().startswith("#"):
            out.append((n, len(src) - len(src.lstrip()), len(src.rstrip()), "comment.line.number-sign.scn"))
    return lines, out


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_grammar_scopes_every_keyword_tag_string_number_and_unit(tm, path):
    lines, wanted = expected(path)
    scoped = {}
    missing = []
    for n, start, end, scope in wanted:
        if n not in scoped:
            scoped[n] = tm.line(lines[n - 1])
        chars = scoped[n][start:end]
        if not chars or not all(scope in c for c in chars):
            missing.append(f"{path.name}:{n}:{start + 1}: {lines[n - 1][start:end]!r} is not {scope}")
    assert missing == []


def test_the_interpreter_sees_a_typical_step(tm):
    line = '    when an item of 401 KB is put into "t" # a note'
    scopes = tm.line(line)

    def at(word):
        i = line.index(word)
        return scopes[i]

    assert "keyword.control.step.scn" in at("when")
    assert "constant.numeric.scn" in at("401") and "keyword.other.unit.scn" in at("KB")
    assert "string.quoted.double.scn" in at('"t"') and "comment.line.number-sign.scn" in at("# a note")
    assert "keyword.operator.word.scn" in at("into") and not scopes[line.index("item")]


def test_the_vscode_extension_points_at_the_grammar_and_starts_scn_lsp():
    folder = ROOT / "editors" / "vscode"
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    grammar = manifest["contributes"]["grammars"][0]
    assert grammar["scopeName"] == "source.scn" and (folder / grammar["path"]).resolve() == GRAMMAR.resolve()
    assert manifest["contributes"]["languages"][0]["extensions"] == [".scn"]
    json.loads((folder / "language-configuration.json").read_text(encoding="utf-8"))
    assert '"lsp"' in (folder / "extension.js").read_text(encoding="utf-8")
