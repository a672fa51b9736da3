"""What `scn run` prints and writes besides failures: its header, colour, one line per scenario (-v),
skip reasons grouped, warnings about the specs, and the JUnit XML and JSON reports.

No I/O policy of its own: the CLI chooses the streams and the files, and whether to colour
(:func:`use_colour`: ``--color``, then ``NO_COLOR``, then whether the stream is a terminal).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import IO, Iterable, Sequence
from xml.etree import ElementTree as ET

from . import ir
from .runner import Outcome, Status

__all__ = ["use_colour", "paint", "header", "verbose_line", "skip_summary", "skip_summary_of", "skip_reason", "feature_warnings",
           "spec_warnings", "junit_xml", "json_report"]

_COLOURS = {Status.PASSED: "32", Status.FAILED: "31", Status.ERROR: "31", Status.XPASSED: "31", Status.SKIPPED: "33",
            Status.XFAILED: "33", "good": "32", "bad": "1;31", "warning": "33", "dim": "2"}


def use_colour(choice: str | None, stream: IO) -> bool:
    """``--color=always|never|auto``; auto: not when NO_COLOR is set (https://no-color.org), else when ``stream`` is a terminal."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR", ""):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def paint(text: str, what: str, on: bool) -> str:
    """``text`` in the colour of a status (passed, failed, …) or of good, bad, warning, dim; as it is when ``on`` is false."""
    code = _COLOURS.get(what)
    return f"\x1b[{code}m{text}\x1b[0m" if on and code else text


def header(backends: Sequence[str], files: int, scenarios: int) -> str:
    """`scn run: 62 files, 1,119 scenarios on reference`."""
    return (f"scn run: {files:,} file{'s' if files != 1 else ''}, {scenarios:,} scenario{'s' if scenarios != 1 else ''} "
            f"on {', '.join(backends)}")


def verbose_line(scenario: ir.Scenario, outcome: Outcome, colour: bool = False) -> str:
    """`-v`: one line per scenario and backend: its status, where it is, its title and backend, why if not passed."""
    status = paint(f"{outcome.status.upper():<8}", outcome.status, colour)
    why = ""
    if outcome.status != Status.PASSED and outcome.message:
        why = f" — {outcome.message.splitlines()[0]}"
    return f"{status} {scenario.span} {scenario.title} [{outcome.backend}]{why}"


def skip_summary(outcomes: Iterable[Outcome]) -> list[str]:
    """Skipped scenarios grouped by reason, most first: `needs dynamodb: 15`."""
    return skip_summary_of(Counter(skip_reason(o) for o in outcomes if o.status == Status.SKIPPED))


def skip_reason(outcome: Outcome) -> str:
    """The line a skipped outcome is counted under: its backend, and why."""
    return f"{outcome.backend}: {outcome.message}" if outcome.message else outcome.backend


def skip_summary_of(reasons: Counter) -> list[str]:
    """:func:`skip_summary` of skips already counted by :func:`skip_reason`."""
    return [f"  {why}: {n}" for why, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))]


def feature_warnings(features: Sequence[ir.Feature]) -> list[str]:
    """A feature with no scenarios; @fact tags that no inventory checks (no facts/ folder at or above the file)."""
    return spec_warnings([(f.span.path, f.name, len(f.scenarios), any(sc.facts for sc in f.scenarios)) for f in features])


def spec_warnings(specs: Sequence[tuple[str, str, int, bool]]) -> list[str]:
    """:func:`feature_warnings` of specs described by (path, feature title, scenario count, any @fact tag)."""
    from .facts import inventory_for

    out = []
    unchecked = []
    for path, name, count, facts in specs:
        if not count:
            out.append(f"{path}: the feature {name!r} has no scenarios: nothing in it runs")
        elif facts and inventory_for(path) is None:
            unchecked.append(path)
    if unchecked:
        n = len(unchecked)
        out.append(f"@fact tags of {n} file{'s' if n != 1 else ''} ({', '.join(unchecked[:3])}{', …' if n > 3 else ''}) "
                   "are checked against no inventory: no facts/ folder at or above them, so a misspelled fact id "
                   "goes unnoticed")
    return out


def junit_xml(runs: Sequence[tuple[ir.Scenario, Outcome]], suite: str = "scn") -> str:
    """The runs as JUnit XML (one testsuite per backend, one testcase per scenario) for CI."""
    root = ET.Element("testsuites")
    by_backend: dict[str, list[tuple[ir.Scenario, Outcome]]] = {}
    for sc, o in runs:
        by_backend.setdefault(o.backend, []).append((sc, o))
    for backend, items in by_backend.items():
        c = Counter(o.status for _sc, o in items)
        ts = ET.SubElement(root, "testsuite", name=f"{suite}[{backend}]", tests=str(len(items)),
                           failures=str(c[Status.FAILED] + c[Status.XPASSED]), errors=str(c[Status.ERROR]),
                           skipped=str(c[Status.SKIPPED] + c[Status.XFAILED]),
                           time=f"{sum(o.duration for _sc, o in items):.3f}")
        for sc, o in items:
            tc = ET.SubElement(ts, "testcase", classname=sc.span.path.replace("/", ".").removesuffix(".scn"),
                               name=f"{sc.title}[{backend}]", file=sc.span.path, line=str(sc.span.line), time=f"{o.duration:.3f}")
            first = o.message.splitlines()[0] if o.message else ""
            match o.status:
                case Status.FAILED | Status.XPASSED:
                    ET.SubElement(tc, "failure", message=first).text = o.message
                case Status.ERROR:
                    ET.SubElement(tc, "error", message=first).text = o.message + (f"\n\n{o.detail}" if o.detail else "")
                case Status.SKIPPED:
                    ET.SubElement(tc, "skipped", message=first)
                case Status.XFAILED:
                    ET.SubElement(tc, "skipped", message=f"xfailed: {first}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def json_report(runs: Sequence[tuple[ir.Scenario, Outcome]], took: float) -> str:
    """The runs as JSON: a summary per backend and one record per scenario and backend."""
    summary: dict[str, Counter] = {}
    records = []
    for sc, o in runs:
        summary.setdefault(o.backend, Counter())[o.status] += 1
        records.append({
            "file": sc.span.path, "line": sc.span.line, "scenario": sc.title, "backend": o.backend, "status": o.status,
            "message": o.message, "step_line": o.span.line if o.span else None, "duration": round(o.duration, 6),
            "facts": list(sc.facts),
        })
    return json.dumps({"took": round(took, 3), "summary": {b: dict(c) for b, c in summary.items()}, "scenarios": records},
                      indent=2) + "\n"
