"""The fact book: the notes' statements as one static web page, with what the specs say of each.

``scn report specs/ --backend reference --backend moto --html out/`` writes
``out/index.html``: every statement of the facts inventory by section, with its
verdict; the scenarios tagged with it and their outcome on each backend (the
contract matrix's cells); each failure as ``scn run`` prints it (the scenario's own
lines, the failing step marked); each divergence with its reason; each n/a with the
capability it needs; the reason of a not-testable statement. A summary on top
counts the statements verified per backend; filters (service, verdict, backend and
outcome, words) work in the browser.

The page is self-contained: inline CSS and a little vanilla JavaScript, no fonts,
scripts or styles from anywhere else, so it works offline and from ``file://``.
The data comes from :mod:`scenario.fact_coverage` (a fact's status on a backend)
and :mod:`scenario.matrix` (a scenario's cell); failures are rendered by
:func:`scenario.reporting.render_outcome`.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape
from typing import Any, Iterable, Mapping, Sequence

import attrs

from . import ir
from .fact_coverage import FACT_STATUSES, Coverage, cover
from .facts import Fact, Inventory, fact_tags
from .matrix import BAD, CATEGORIES, Category, category, cell, record
from .reporting import render_outcome
from .runner import Outcome

__all__ = ["Book", "build", "render_html"]

#: cells that show the scenario as scn run prints a failure
_SHOWN = frozenset({Category.FAIL, Category.ERROR, Category.STALE_DIVERGENCE, Category.MISBELIEF_PASSED,
                    Category.DIVERGES, Category.NOT_IMPLEMENTED})
#: cells a reader must see: their listing is open
_OPEN = BAD


@attrs.frozen
class Cell:
    """One scenario on one backend."""

    text: str  # the matrix cell: pass, FAIL, diverges: why, n/a (needs clock), ...
    category: Category
    message: str  # the outcome's first line
    listing: str = ""  # the scenario with the deciding step marked, for a failure or a divergence


@attrs.frozen
class Row:
    """One scenario (one outline row) tagged with a fact, and its cell on each backend."""

    where: str  # path:line
    title: str
    cells: Mapping[str, Cell]


@attrs.frozen
class Entry:
    """One statement of the notes and what the specs say of it."""

    fact: Fact
    status: Mapping[str, str]  # backend → verified | failing | skipped | missing | not-testable
    rows: tuple[Row, ...]
    validated: str = ""  # the latest date a scenario tagged with it passed on aws


@attrs.frozen
class Book:
    backends: tuple[str, ...]
    entries: tuple[Entry, ...]
    coverage: Mapping[str, Coverage]  # backend → fact coverage there
    totals: Mapping[str, Counter]  # backend → matrix category → count
    scenarios: int  # scenario runs per backend (outline rows counted)
    untagged: tuple[str, ...]
    mistakes: tuple[str, ...]

    def sections(self) -> list[tuple[str, list[Entry]]]:
        out: dict[str, list[Entry]] = {}
        for e in self.entries:
            out.setdefault(e.fact.section, []).append(e)
        return list(out.items())

    @property
    def services(self) -> list[str]:
        return list(dict.fromkeys(e.fact.service for e in self.entries))


def build(inventory: Inventory, runs: Iterable[tuple[ir.Scenario, Outcome]], backends: Sequence[str], *,
          validated: Mapping[str, str] | None = None) -> Book:
    """Fold scenario runs (each scenario on each of ``backends``) into the book."""
    runs = list(runs)
    coverage = {b: cover(inventory, [(sc, o) for sc, o in runs if o.backend == b], b, validated=validated)
                for b in backends}
    rows: dict[tuple[str, int, str], dict[str, Cell]] = {}
    by_fact: dict[str, list[tuple[str, int, str]]] = {}
    totals: dict[str, Counter[str]] = {b: Counter() for b in backends}
    for sc, o in runs:
        key = (str(sc.span.path), sc.span.line, sc.title)
        rec = record(sc, o)
        cat = category(rec)
        totals.setdefault(o.backend, Counter())[cat] += 1
        listing = render_outcome(sc, o) if cat in _SHOWN else ""
        rows.setdefault(key, {})[o.backend] = Cell(cell(rec), cat, rec["message"], listing)
        for fid in fact_tags(sc.tags):
            keys = by_fact.setdefault(fid, [])
            if key not in keys:
                keys.append(key)
    if not backends:
        raise ValueError("a fact book needs at least one backend")
    first = coverage[backends[0]]
    entries = []
    for i, fs in enumerate(first.facts):  # every coverage lists the inventory's facts in the same order
        fact = fs.fact
        status = {b: coverage[b].facts[i].status for b in backends}
        fact_rows = tuple(Row(f"{p}:{line}", title, rows[(p, line, title)])
                          for p, line, title in by_fact.get(fact.id, ()) if fact.testable)
        dates = [coverage[b].facts[i].validated for b in backends]
        entries.append(Entry(fact, status, fact_rows, max(dates, default="")))
    mistakes = []
    for m in first.mistakes:
        if m.problem == "dangling":
            hint = f"; did you mean {', '.join(m.suggestions)}?" if m.suggestions else ""
            mistakes.append(f"{m.where}: @fact({m.fact_id}) names no entry of the facts inventory{hint}")
        else:
            mistakes.append(f"{m.where}: @fact({m.fact_id}) tags a fact the inventory calls not-testable")
    n = len({(str(sc.span.path), sc.span.line, sc.title) for sc, _ in runs})
    return Book(tuple(backends), tuple(entries), coverage, totals, n, first.untagged, tuple(mistakes))


# ------------------------------------------------------------------ HTML
def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _token(text: str) -> str:
    """A category or status as a class name and a filter value: ``not implemented`` → ``not-implemented``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f} %" if d else "—"


_STATUS_WORDS = {"verified": "verified", "failing": "failing", "skipped": "skipped (n/a)", "missing": "no scenario",
                 "not-testable": "not testable"}


def _listing(text: str) -> str:
    """A failure as scn run prints it, the marked step and the error lines set apart."""
    out = []
    for line in text.splitlines():
        cls = ("hit" if line.startswith("  > ") else "err" if line.startswith("  E ")
               else "nr" if line.startswith("  - ") else "")
        out.append(f'<span class="{cls}">{_e(line)}</span>' if cls else _e(line))
    return "\n".join(out)


def _summary(book: Book) -> str:
    facts = len(book.entries)
    testable = sum(1 for e in book.entries if e.fact.testable)
    cards = []
    for b in book.backends:
        t = book.coverage[b].totals()
        bar = "".join(f'<span class="seg {s}" style="width:{100 * t[s] / t["testable"]:.3f}%" title="{t[s]} {s}"></span>'
                      for s in FACT_STATUSES if t["testable"] and t[s])
        counts = "".join(
            f'<li><a href="#" class="setf st-{s}" data-backend="{_e(b)}" data-outcome="s:{s}">'
            f'<b>{t[s]}</b> {_e(_STATUS_WORDS[s])}</a></li>' for s in FACT_STATUSES if t[s])
        cats = book.totals.get(b, Counter())
        scen = "".join(
            f'<li><a href="#" class="setf c-{_token(c)}" data-backend="{_e(b)}" data-outcome="c:{_token(c)}">'
            f'<b>{cats[c]}</b> {_e(c)}</a></li>' for c in CATEGORIES if cats[c])
        cards.append(
            f'<div class="card" data-card="{_e(b)}"><h3>{_e(b)}</h3>'
            f'<p class="big"><b>{t["verified"]}</b> of {t["testable"]} testable statements verified '
            f'<span class="pct">{_pct(t["verified"], t["testable"])}</span></p>'
            f'<div class="bar">{bar}</div><ul class="counts">{counts}</ul>'
            f'<p class="sub">scenario runs</p><ul class="counts">{scen}</ul></div>')
    head = "".join(f"<th>{_e(b)}</th>" for b in book.backends)
    rows = []
    for name, entries in book.sections():
        n = sum(1 for e in entries if e.fact.testable)
        cells = "".join(
            f'<td class="{"full" if n and v == n else "part" if n else ""}">{v} / {n}</td>'
            for v in (sum(1 for e in entries if e.status.get(b) == "verified") for b in book.backends))
        rows.append(f'<tr><td><a href="#section-{_slug(name)}">{_e(name)}</a></td><td>{len(entries)}</td>'
                    f'<td>{len(entries) - n}</td>{cells}</tr>')
    return (
        f'<section id="summary"><div class="cards">'
        f'<div class="card overall"><h3>the notes</h3><p class="big"><b>{facts}</b> statements</p>'
        f'<ul class="counts"><li><b>{testable}</b> testable</li><li><b>{facts - testable}</b> not testable</li>'
        f'<li><b>{book.scenarios}</b> scenarios</li><li><b>{len(book.sections())}</b> sections</li></ul></div>'
        + "".join(cards) + '</div>'
        f'<details class="bysection"><summary>by section</summary><table class="sections"><thead><tr><th>section</th>'
        f'<th>statements</th><th>not testable</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></details>'
        '</section>')


def _toolbar(book: Book) -> str:
    services = "".join(f'<option value="{_e(s)}">{_e(s)}</option>' for s in book.services)
    backends = "".join(f'<option value="{_e(b)}">{_e(b)}</option>' for b in book.backends)
    facts = "".join(f'<option value="s:{s}">{_e(_STATUS_WORDS[s])}</option>' for s in FACT_STATUSES)
    cats = "".join(f'<option value="c:{_token(c)}">{_e(c)}</option>' for c in CATEGORIES)
    return (
        '<nav id="toolbar">'
        f'<label>service <select id="f-service"><option value="">all</option>{services}</select></label>'
        '<label>verdict <select id="f-verdict"><option value="">all</option><option value="testable">testable</option>'
        '<option value="not-testable">not testable</option></select></label>'
        f'<label>on <select id="f-backend"><option value="">any backend</option>{backends}</select></label>'
        f'<label>outcome <select id="f-outcome"><option value="">any</option><optgroup label="the statement is">{facts}'
        f'</optgroup><optgroup label="a scenario is">{cats}</optgroup></select></label>'
        '<label class="grow"><input id="f-text" type="search" placeholder="search" '
        'aria-label="search"></label>'
        f'<span id="shown" aria-live="polite">{len(book.entries)} of {len(book.entries)} statements</span>'
        '<button type="button" id="reset">reset</button>'
        '<button type="button" id="fold" title="close or open every section">collapse all</button>'
        '</nav>')


def _entry(book: Book, e: Entry) -> str:
    f = e.fact
    cats = {b: sorted({_token(r.cells[b].category) for r in e.rows if b in r.cells}) for b in book.backends}
    data = "".join(f' data-s-{_token(b)}="{_e(e.status[b])}" data-c-{_token(b)}="{_e(" ".join(cats[b]))}"'
                   for b in book.backends)
    if f.testable:
        badges = "".join(f'<span class="st st-{_e(e.status[b])}" title="{_e(b)}: {_e(e.status[b])}">'
                         f'<i>{_e(b)}</i> {_e(_STATUS_WORDS[e.status[b]])}</span>' for b in book.backends)
        if e.validated:
            badges += f'<span class="st st-aws">validated on aws {_e(e.validated)}</span>'
    else:
        badges = '<span class="st st-not-testable">not testable</span>'
    out = [f'<article class="fact" id="{_e(f.id)}" data-service="{_e(f.service)}" data-verdict="{_e(f.verdict)}"{data}>',
           f'<header><a class="fid" href="#{_e(f.id)}" title="link to this statement">{_e(f.id)}</a>{badges}</header>',
           f'<p class="text">{_e(f.text)}</p>']
    notes = []
    if f.reason:
        kind, _, why = f.reason.partition(":")
        notes.append(f'<dt>why not testable</dt><dd><span class="kind">{_e(kind.strip())}</span> {_e(why.strip())}</dd>')
    if f.aws_today:
        notes.append(f"<dt>AWS today</dt><dd>{_e(f.aws_today)}</dd>")
    if f.setting:
        notes.append(f"<dt>world setting</dt><dd>{_e(f.setting)}</dd>")
    if f.error:
        notes.append(f"<dt>AWS error</dt><dd><code>{_e(f.error)}</code></dd>")
    if notes:
        out.append(f'<dl>{"".join(notes)}</dl>')
    if f.testable and not e.rows:
        out.append('<p class="none">No scenario verifies this statement yet.</p>')
    if e.rows:
        head = "".join(f'<th>{_e(b)}</th>' for b in book.backends)
        out.append(f'<table class="runs"><thead><tr><th>scenario</th>{head}</tr></thead><tbody>')
        for r in e.rows:
            cells = []
            for b in book.backends:
                c = r.cells.get(b)
                if c is None:
                    cells.append("<td></td>")
                    continue
                tip = f' title="{_e(c.message)}"' if c.message and c.category != Category.NA else ""
                cells.append(f'<td class="cell c-{_token(c.category)}" data-backend="{_e(b)}"{tip}>{_e(c.text)}</td>')
            out.append(f'<tr><td><span class="title">{_e(r.title)}</span> <span class="where">{_e(r.where)}</span></td>'
                       f'{"".join(cells)}</tr>')
            for b in book.backends:
                c = r.cells.get(b)
                if c is None or not c.listing:
                    continue
                what = {Category.DIVERGES: f"what {b} does", Category.NOT_IMPLEMENTED: f"what {b} lacks"}.get(
                    c.category, f"{c.category} on {b}")
                out.append(f'<tr class="listing c-{_token(c.category)}"><td colspan="{1 + len(book.backends)}">'
                           f'<details{" open" if c.category in _OPEN else ""}><summary>{_e(what)}</summary>'
                           f'<pre>{_listing(c.listing)}</pre></details></td></tr>')
        out.append("</tbody></table>")
    out.append("</article>")
    return "".join(out)


def _section(book: Book, name: str, entries: list[Entry]) -> str:
    t = [e for e in entries if e.fact.testable]
    counts = "".join(
        f'<span class="sc{" full" if t and v == len(t) else ""}"><i>{_e(b)}</i> {v}/{len(t)}</span>'
        for b, v in ((b, sum(1 for e in t if e.status[b] == "verified")) for b in book.backends)) if t else ""
    return (f'<details class="section" id="section-{_slug(name)}" open><summary><h2>{_e(name)}</h2>'
            f'<span class="meta"><span class="n">{len(entries)}</span> statements {counts}</span></summary>'
            + "".join(_entry(book, e) for e in entries) + "</details>")


def _extras(book: Book) -> str:
    out = []
    if book.mistakes:
        items = "".join(f"<li><code>{_e(m)}</code></li>" for m in book.mistakes)
        out.append(f'<details class="section extra" id="mistakes" open><summary><h2>Mistakes of the library</h2>'
                   f'<span class="meta">{len(book.mistakes)}</span></summary><ul>{items}</ul></details>')
    if book.untagged:
        items = "".join(f"<li><code>{_e(u)}</code></li>" for u in book.untagged)
        out.append(f'<details class="section extra" id="untagged"><summary><h2>Scenarios that verify no statement</h2>'
                   f'<span class="meta">{len(book.untagged)}</span></summary><ul>{items}</ul></details>')
    return "".join(out)


def render_html(book: Book, *, title: str = "scn fact book", command: str = "", generated: str = "") -> str:
    """The whole page, one string: self-contained HTML5."""
    made = " · ".join(x for x in (f"<code>{_e(command)}</code>" if command else "",
                                  f"generated {_e(generated)}" if generated else "") if x)
    on = ", ".join(f"<b>{_e(b)}</b>" for b in book.backends)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header id="top"><h1>{_e(title)}</h1><p class="lede">Every statement of the architecture notes, what the '
        f"spec library says of it, and how its scenarios ran on {on}.</p>"
        + (f'<p class="made">{made}</p>' if made else "") + "</header>"
        + _summary(book) + _toolbar(book)
        + '<main id="facts">' + "".join(_section(book, n, es) for n, es in book.sections())
        + '<p id="nothing" hidden>No statement matches these filters.</p>' + _extras(book) + "</main>"
        + f"<footer>scn fact book · {len(book.entries)} statements · {book.scenarios} scenarios × "
        f"{len(book.backends)} backend{'s' if len(book.backends) != 1 else ''}</footer>"
        + f"<script>{_JS}</script></body></html>\n")


_CSS = """
:root{--bg:#fbfbfa;--fg:#1d2125;--mut:#626b75;--line:#e3e5e8;--card:#fff;--code:#f4f5f7;
--ok:#1f7a3d;--okbg:#e3f4e8;--bad:#b3261e;--badbg:#fde7e5;--skip:#6b5d00;--skipbg:#fbf3c9;
--miss:#8a4b00;--missbg:#ffe9d1;--nt:#4e5968;--ntbg:#eceff3;--div:#5b3fa3;--divbg:#ede7fb;--acc:#1a5fb4}
@media (prefers-color-scheme:dark){:root{--bg:#15181c;--fg:#e4e6e9;--mut:#9aa3ad;--line:#2c3137;--card:#1c2025;
--code:#22272e;--ok:#6fd08c;--okbg:#183323;--bad:#ff8a80;--badbg:#3d1d1b;--skip:#e6d36a;--skipbg:#37321a;
--miss:#ffb866;--missbg:#3a2a16;--nt:#b6c0cc;--ntbg:#2a2f36;--div:#c3b0ff;--divbg:#2c2540;--acc:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
code,pre,.fid,.where{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
a{color:var(--acc);text-decoration:none}a:hover{text-decoration:underline}
#top,#summary,main,footer{max-width:1180px;margin:0 auto;padding:0 20px}
#top h1{margin:28px 0 4px;font-size:28px;letter-spacing:-.01em}
.lede{margin:0;color:var(--mut)}.made{margin:6px 0 0;color:var(--mut);font-size:13px}
.made code{background:var(--code);padding:1px 5px;border-radius:4px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:14px;margin:20px 0 10px;
align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card h3{margin:0 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--mut)}
.card .big{margin:0 0 8px}.card .big b{font-size:28px;margin-right:4px}.pct{color:var(--mut);margin-left:4px}
.card .sub{margin:10px 0 2px;font-size:12px;color:var(--mut);text-transform:uppercase;letter-spacing:.05em}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:var(--ntbg)}
.seg.verified{background:var(--ok)}.seg.failing{background:var(--bad)}.seg.skipped{background:#c9b233}
.seg.missing{background:var(--miss)}
.counts{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px;font-size:13px}
.counts a{color:inherit}.counts a:hover b{text-decoration:underline}
.st-failing b,.c-fail b,.c-error b,.c-stale-divergence b,.c-misbelief-passed b{color:var(--bad)}
.bysection summary{cursor:pointer;color:var(--mut);font-size:14px;margin:4px 0}
table{border-collapse:collapse;width:100%}
.sections{font-size:13px;background:var(--card);border:1px solid var(--line);margin:8px 0}
.sections th,.sections td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left}
.sections td.full{color:var(--ok)}.sections td.part{color:var(--miss)}
#toolbar{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:8px 10px;align-items:center;
padding:10px max(20px,calc((100% - 1140px)/2));background:color-mix(in srgb,var(--bg) 92%,transparent);
backdrop-filter:blur(6px);border-bottom:1px solid var(--line);margin:14px 0 8px;font-size:13px}
#toolbar label{color:var(--mut);display:flex;gap:5px;align-items:center}#toolbar .grow{flex:1 1 60px;min-width:60px}
#toolbar select{max-width:10em}#shown,#toolbar button{white-space:nowrap}
#toolbar select,#toolbar input,#toolbar button{font:inherit;color:var(--fg);background:var(--card);
border:1px solid var(--line);border-radius:6px;padding:3px 6px}
#toolbar input{width:100%}#toolbar button{cursor:pointer}#toolbar button:hover{border-color:var(--acc)}
#shown{font-weight:600}
details.section{margin:14px 0;border:1px solid var(--line);border-radius:10px;background:var(--card)}
details.section>summary{cursor:pointer;list-style:none;display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 14px;
padding:10px 16px;position:relative}
details.section>summary::-webkit-details-marker{display:none}
details.section>summary::before{content:"\\25B8";color:var(--mut);transition:transform .15s;display:inline-block}
details.section[open]>summary::before{transform:rotate(90deg)}
details.section>summary h2{margin:0;font-size:17px}
.meta{color:var(--mut);font-size:13px;display:flex;gap:10px;flex-wrap:wrap}
.sc{background:var(--ntbg);border-radius:10px;padding:0 8px}.sc.full{background:var(--okbg);color:var(--ok)}
.sc i,.st i{font-style:normal;opacity:.75;margin-right:3px}
.fact{border-top:1px solid var(--line);padding:12px 16px 14px;scroll-margin-top:70px}
.fact:target,.fact.target{background:color-mix(in srgb,var(--acc) 8%,var(--card));box-shadow:inset 3px 0 var(--acc)}
.fact>header{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.fid{font-size:12.5px;color:var(--mut);margin-right:6px}
.st{font-size:12px;border-radius:10px;padding:1px 8px;white-space:nowrap}
.st-verified{background:var(--okbg);color:var(--ok)}.st-failing{background:var(--badbg);color:var(--bad);font-weight:600}
.st-skipped{background:var(--skipbg);color:var(--skip)}.st-missing{background:var(--missbg);color:var(--miss)}
.st-not-testable{background:var(--ntbg);color:var(--nt)}.st-aws{background:var(--divbg);color:var(--div)}
.fact .text{margin:6px 0 4px;font-size:15.5px;max-width:80ch}
.fact dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0;font-size:13.5px}
.fact dt{color:var(--mut)}.fact dd{margin:0}.kind{background:var(--ntbg);border-radius:4px;padding:0 5px;font-size:12px}
.none{color:var(--miss);font-size:13.5px;margin:4px 0}
.runs{margin-top:8px;font-size:13px}
.runs th{text-align:left;font-weight:600;color:var(--mut);padding:3px 8px;border-bottom:1px solid var(--line)}
.runs td{padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
.runs tr:last-child td{border-bottom:0}
.where{color:var(--mut);font-size:11.5px;white-space:nowrap}
.cell{white-space:normal;min-width:90px}
.cell.c-pass{color:var(--ok)}
.cell.c-fail,.cell.c-error,.cell.c-stale-divergence,.cell.c-misbelief-passed{color:var(--bad);font-weight:600;
background:var(--badbg)}
.cell.c-diverges,.cell.c-misbelief-caught{color:var(--div)}.cell.c-diverges{background:var(--divbg)}
.cell.c-n-a{color:var(--mut)}.cell.c-not-implemented{color:var(--skip)}
tr.listing td{padding:0 8px 8px}tr.listing summary{cursor:pointer;font-size:12.5px;color:var(--mut)}
tr.listing.c-fail summary,tr.listing.c-error summary,tr.listing.c-stale-divergence summary,
tr.listing.c-misbelief-passed summary{color:var(--bad);font-weight:600}
pre{background:var(--code);border-radius:6px;padding:8px 10px;margin:4px 0 0;font-size:12.5px;line-height:1.45;
white-space:pre-wrap;overflow-wrap:anywhere}
pre .hit{display:inline-block;min-width:100%;background:var(--badbg);color:var(--bad);font-weight:600}
pre .err{color:var(--bad)}pre .nr{color:var(--mut)}
tr.listing.c-diverges pre .hit,tr.listing.c-not-implemented pre .hit{background:var(--divbg);color:var(--div)}
tr.listing.c-diverges pre .err{color:var(--div)}
#nothing{color:var(--mut);text-align:center;padding:30px}
.extra ul{margin:0;padding:4px 16px 14px 36px;font-size:13px}
footer{color:var(--mut);font-size:12.5px;padding:20px;text-align:center}
[hidden]{display:none!important}
@media print{#toolbar{display:none}details.section{break-inside:avoid-page}}
"""

_JS = r"""
(function(){
"use strict";
var $=function(id){return document.getElementById(id)};
var facts=[].slice.call(document.querySelectorAll("article.fact"));
var sections=[].slice.call(document.querySelectorAll("details.section:not(.extra)"));
var f={service:$("f-service"),verdict:$("f-verdict"),backend:$("f-backend"),outcome:$("f-outcome"),text:$("f-text")};
var backends=[].slice.call(f.backend.options).map(function(o){return o.value}).filter(Boolean);
var slug=function(s){return s.toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-|-$/g,"")};
facts.forEach(function(a){a._text=a.textContent.toLowerCase()});
function outcomeOk(a,b,o){
  var kind=o.slice(0,2),v=o.slice(2),key=slug(b);
  if(kind==="s:")return a.getAttribute("data-s-"+key)===v;
  return (" "+(a.getAttribute("data-c-"+key)||"")+" ").indexOf(" "+v+" ")>=0;
}
function apply(){
  var svc=f.service.value,ver=f.verdict.value,b=f.backend.value,o=f.outcome.value,
      words=f.text.value.toLowerCase().split(/\s+/).filter(Boolean),shown=0;
  facts.forEach(function(a){
    var ok=(!svc||a.dataset.service===svc)&&(!ver||a.dataset.verdict===ver);
    if(ok&&o)ok=(b?[b]:backends).some(function(x){return outcomeOk(a,x,o)});
    if(ok&&words.length)ok=words.every(function(w){return a._text.indexOf(w)>=0});
    a.hidden=!ok;if(ok)shown++;
  });
  sections.forEach(function(s){
    var n=s.querySelectorAll("article.fact:not([hidden])").length;s.hidden=n===0;
    var c=s.querySelector("summary .n");if(c)c.textContent=n;
  });
  $("shown").textContent=shown+" of "+facts.length+" statements";
  $("nothing").hidden=shown>0;
  var q=[];["service","verdict","backend","outcome","text"].forEach(function(k){if(f[k].value)q.push(k+"="+encodeURIComponent(f[k].value))});
  if(history.replaceState&&!/^#[^?]+$/.test(location.hash||""))history.replaceState(null,"",q.length?"#?"+q.join("&"):location.pathname+location.search);
}
function reset(){Object.keys(f).forEach(function(k){f[k].value=""});apply()}
Object.keys(f).forEach(function(k){f[k].addEventListener(k==="text"?"input":"change",apply)});
$("reset").addEventListener("click",function(){reset()});
function fold(){var open=!sections.some(function(s){return s.open});
  sections.forEach(function(s){s.open=open});$("fold").textContent=open?"collapse all":"expand all"}
$("fold").addEventListener("click",fold);
[].slice.call(document.querySelectorAll("a.setf")).forEach(function(a){a.addEventListener("click",function(ev){
  ev.preventDefault();reset();f.backend.value=a.dataset.backend;f.outcome.value=a.dataset.outcome;apply();
  $("toolbar").scrollIntoView({behavior:"smooth"});
})});
function go(){
  var h=decodeURIComponent((location.hash||"").slice(1));
  if(h.charAt(0)==="?"){h.slice(1).split("&").forEach(function(p){var kv=p.split("=");if(f[kv[0]])f[kv[0]].value=decodeURIComponent(kv[1]||"")});apply();return}
  var el=h&&document.getElementById(h);if(!el)return;
  if(el.hidden||(el.closest("details.section")||{}).hidden)reset();
  for(var d=el.closest("details");d;d=d.parentElement&&d.parentElement.closest("details"))d.open=true;
  document.querySelectorAll(".fact.target").forEach(function(x){x.classList.remove("target")});
  if(el.classList.contains("fact"))el.classList.add("target");
  el.scrollIntoView();
}
window.addEventListener("hashchange",go);
go();
})();
"""
