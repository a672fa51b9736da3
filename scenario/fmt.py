"""The formatter: one canonical layout for .scn text (``scn fmt``, and the language server's formatting).

The layout:

- keywords in lower case (``Scenario Outline :`` → ``scenario outline:``, ``Given`` → ``given``);
  a synonym stays the synonym it is (``example:``, ``scenarios:``);
- two spaces of indentation per block: the feature at the margin; its description,
  background, rules and scenarios one level in; a rule's contents one more; steps and
  ``examples:`` one level below their scenario; table rows one more;
- one space between the words of a step (outside quotes and ``<placeholders>``), one
  between tags, ``@name(a, "b")`` for a tag's arguments;
- examples tables aligned: every column as wide as its widest cell (the tables of one
  outline under the same header row as one);
- exactly one blank line before a background, rule, scenario or examples (before the
  tags and comments that stand right above it), at most one blank line anywhere, none
  at the start or the end; trailing spaces removed;
- comments and descriptions stay where they are: a comment line takes the indentation
  of the line after it, a comment at the end of a line keeps its distance.

It works on the parse tree: :func:`scenario.parser.parse` says what every line is and
where it belongs, so the formatter never guesses. Text with a syntax error is not
formatted: :func:`format_text` raises the parser's :class:`SpecErrors`, positioned as
``scn check`` prints them. Formatting never changes what a spec means: the formatted
text compiles to the same IR, spans and the layout of step texts aside.
"""

from __future__ import annotations

import re

from . import syntax as s
from .errors import InternalError
from .parser import parse

__all__ = ["format_text", "INDENT"]

INDENT = "  "

# Python's case-insensitive matching reads these as ASCII letters (as the parser does)
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_TAG_NAME = re.compile(r"@[A-Za-z_][\w.\-:]*")
_TAG_WORD = re.compile(r'[^\s,()"#]+')
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?')


def _string_at(text: str, i: int) -> re.Match[str]:
    """The quoted string that starts at ``text[i]``, a `"`: to its closing quote, or to the end when it has none."""
    m = _STRING.match(text, i)
    if m is None:  # pragma: no cover - _STRING matches at any `"`
        raise InternalError(f"no quoted string at column {i + 1} of {text!r}")
    return m


def _fold(text: str) -> str:
    return text.translate(_FOLD).lower()


def format_text(text: str, path: str = "<string>") -> str:
    """``text`` in the canonical layout. Raises :class:`scenario.errors.SpecErrors` when it does not parse."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    doc = parse(text, path)  # SpecErrors on a syntax error: nothing is changed
    lines = list(doc.lines)
    if lines and lines[-1] == "":
        lines.pop()  # the parser's lines end with the empty one after the last newline
    lines[0:1] = [lines[0].removeprefix("\ufeff")] if lines else []
    lines = [line.rstrip("\r") for line in lines]
    kinds = _classify(doc)
    out: list[str] = []
    levels = [0] * (len(lines) + 2)
    # first the lines that are something of their own, each at its block's level
    rendered: dict[int, str] = {}
    for n, (what, level, item) in kinds.items():
        levels[n] = level
        rendered[n] = _render(what, item, lines[n - 1])
    tables = _tables(doc, lines)
    for n, row in tables.items():
        rendered[n] = row
    # then comments and descriptions, and which lines open a block (a blank line goes before their head)
    opens = {n for n, (what, _, item) in kinds.items()
             if what == "header" and isinstance(item, s.Header) and item.keyword != "feature"}
    next_level = 0
    kind_of = {n: what for n, (what, _, _) in kinds.items()}
    for n in range(len(lines), 0, -1):  # a comment's indentation is the next line's
        stripped = lines[n - 1].strip()
        if not stripped:
            continue
        if n in kinds:
            next_level = levels[n]
            continue
        if stripped.startswith("#"):
            levels[n] = next_level
            rendered[n] = stripped
            kind_of[n] = "comment"
        else:
            levels[n] = _description_level(n, kinds)
            rendered[n] = stripped
            kind_of[n] = "description"
            next_level = levels[n]
    # a block's head: its header and the tags and comments right above it, no blank line between
    blank_before: set[int] = set()
    for n in sorted(opens):
        start = n
        while start > 1 and lines[start - 2].strip() and kind_of.get(start - 1) in ("tags", "comment"):
            start -= 1
        blank_before.add(start)
    pending_blank = False
    for n in range(1, len(lines) + 1):
        if not lines[n - 1].strip():
            pending_blank = True
            continue
        if out and (pending_blank or n in blank_before):
            out.append("")
        pending_blank = False
        out.append(INDENT * levels[n] + rendered[n])
    return bom + newline.join(out) + newline if out else bom


def _classify(doc: s.Document) -> dict[int, tuple[str, int, object]]:
    """Line number → (what it is, its indentation level, its syntax item), for every line the parser placed."""
    kinds: dict[int, tuple[str, int, object]] = {}

    def tags(tag_items, level):
        for t in tag_items:
            kinds[t.line] = ("tags", level, None)

    def block(b: s.ScenarioBlock, level: int):
        tags(b.tags, level)
        kinds[b.line] = ("header", level, s.Header(keyword=b.keyword, title=b.title, line=b.line, col=b.col))
        for st in b.steps:
            kinds[st.line] = ("step", level + 1, st)
        for ex in b.examples:
            tags(ex.tags, level + 1)
            kinds[ex.line] = ("header", level + 1, s.Header(keyword="examples", title=ex.title, line=ex.line, col=1))
            for row in (ex.header, *ex.rows):
                if row is not None:
                    kinds[row.line] = ("row", level + 2, row)

    tags(doc.tags, 0)
    kinds[doc.line] = ("header", 0, s.Header(keyword="feature", title=doc.title, line=doc.line, col=1))
    if doc.background is not None:
        block(doc.background, 1)
    for b in doc.scenarios:
        block(b, 1)
    for r in doc.rules:
        tags(r.tags, 1)
        kinds[r.line] = ("header", 1, s.Header(keyword="rule", title=r.title, line=r.line, col=1))
        if r.background is not None:
            block(r.background, 2)
        for b in r.scenarios:
            block(b, 2)
    return kinds


def _description_level(n: int, kinds) -> int:
    """A description line is one level below the header above it."""
    for m in range(n - 1, 0, -1):
        if m in kinds and kinds[m][0] == "header":
            return kinds[m][1] + 1
    return 1  # pragma: no cover - the parser places a description under a header


def _render(what: str, item, line: str) -> str:
    if what == "tags":
        return _tag_line(line)
    if what == "header":
        return _header(line)
    if what == "step":
        return _step(item, line)
    return line.strip()  # rows: aligned per table afterwards


def _header(line: str) -> str:
    """``Scenario  Outline :  title  # note`` → ``scenario outline: title  # note``."""
    body = line.strip()
    colon = body.index(":")
    keyword = " ".join(_fold(body[:colon]).split())
    rest = body[colon + 1 :]
    hash_at = rest.find("#")  # a title holds no `#`: one starts a comment
    title, comment = (rest, "") if hash_at < 0 else (rest[:hash_at], rest[hash_at:])
    out = keyword + ":" + (" " + title.strip() if title.strip() else "")
    return out + _comment_after(title, comment, bool(title.strip()))


def _comment_after(code: str, comment: str, has_code: bool) -> str:
    """A trailing comment keeps its distance from the code before it (one space at least)."""
    if not comment:
        return ""
    gap = len(code) - len(code.rstrip()) if has_code else 1
    return " " * max(1, gap) + comment.rstrip()


def _step(st: s.Step, line: str) -> str:
    rest = line[st.text_col - 1 :]
    code, comment = _split_comment(rest)
    return st.keyword + " " + _squeeze(code).strip() + _comment_after(code, comment, True)


def _split_comment(text: str) -> tuple[str, str]:
    """Code and trailing comment: the first `#` outside a quoted string."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            m = _string_at(text, i)
            i = m.end()
            continue
        if ch == "#":
            return text[:i], text[i:]
        i += 1
    return text, ""


def _squeeze(code: str) -> str:
    """One space between words, outside quoted strings and ``<placeholders>`` (whose spaces are theirs)."""
    out, i = [], 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            m = _string_at(code, i)
            out.append(m.group(0))
            i = m.end()
        elif ch == "<":
            close = code.find(">", i)
            end = len(code) if close < 0 else close + 1
            out.append(code[i:end])
            i = end
        elif ch in " \t\f":
            j = i
            while j < len(code) and code[j] in " \t\f":
                j += 1
            out.append(" ")
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _tag_line(line: str) -> str:
    """``@a   @fact( x )  @b(y,"z")`` → ``@a @fact(x) @b(y, "z")``; a trailing comment kept."""
    text = line.strip()
    tags, i = [], 0
    code_end = len(text)
    while i < len(text):
        if text[i] in " \t\f":
            i += 1
            continue
        if text[i] == "#":
            code_end = i
            break
        m = _TAG_NAME.match(text, i)
        if m is None:  # pragma: no cover - the parser read this line as tags
            return text
        name, i = m.group(0), m.end()
        j = i
        while j < len(text) and text[j] in " \t\f":
            j += 1
        args = None
        if j < len(text) and text[j] == "(":
            args, i = [], j + 1
            while i < len(text) and text[i] != ")":
                ch = text[i]
                if ch in " \t\f,":
                    i += 1
                elif ch == '"':
                    m = _string_at(text, i)
                    args.append(m.group(0))
                    i = m.end()
                else:
                    m = _TAG_WORD.match(text, i)
                    if m is None:  # pragma: no cover - the parser read this line as tags
                        return text
                    args.append(m.group(0))
                    i = m.end()
            i += 1  # the `)`
        tags.append(name + (f"({', '.join(args)})" if args else ""))
    return " ".join(tags) + _comment_after(text[:code_end], text[code_end:], True)


def _split_row(raw: str) -> tuple[list[str], str]:
    """A table row's cells as written (escapes kept) and a trailing comment, as the parser splits it."""
    body = raw.strip()
    cells, cur, i = [], [], 1
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur.append(body[i : i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    tail = "".join(cur).strip()
    if tail and cells and tail.startswith("#"):
        return cells, tail
    if tail:
        cells.append(tail)  # an unclosed last cell: closed
    return cells, ""


def _tables(doc: s.Document, lines: list[str]) -> dict[int, str]:
    """Every examples table, its columns aligned: line number → the row as formatted."""
    out: dict[int, str] = {}
    blocks = [b for b in (doc.background, *doc.scenarios) if b is not None]
    for r in doc.rules:
        blocks += [b for b in (r.background, *r.scenarios) if b is not None]
    for b in blocks:
        # the tables of one outline under the same header row are aligned as one
        groups: dict[tuple[str, ...], list[s.Row]] = {}
        for ex in b.examples:
            rows = [row for row in (ex.header, *ex.rows) if row is not None]
            if rows:
                groups.setdefault(tuple(_split_row(lines[rows[0].line - 1])[0]), []).extend(rows)
        for rows in groups.values():
            split = {row.line: _split_row(lines[row.line - 1]) for row in rows}
            widths: list[int] = []
            for cells, _ in split.values():
                for k, cell in enumerate(cells):
                    if k == len(widths):
                        widths.append(0)
                    widths[k] = max(widths[k], len(cell))
            for n, (cells, comment) in split.items():
                text = "| " + " | ".join(c.ljust(widths[k]) for k, c in enumerate(cells)) + " |" if cells else "|"
                out[n] = text + (" " + comment if comment else "")
    return out
