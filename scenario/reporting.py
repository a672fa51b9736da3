"""Reporting: outcomes as people read them — a failed scenario, a summary table."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from tabulate import tabulate

from . import ir
from .ir import named_backends
from .runner import STATUSES, Outcome

__all__ = ["named_backends", "render_outcome", "render_transcript", "summary_table", "summary_table_of", "unknown_backends"]


def render_outcome(scenario: ir.Scenario, outcome: Outcome) -> str:
    """The scenario's own lines, the deciding step marked, the message under it."""
    out = []
    where = f"{outcome.span}" if outcome.span else f"{scenario.span}"
    first = outcome.message.splitlines()[0] if outcome.message else ""
    out.append(f"{where}: {outcome.status} on {outcome.backend}: {first}")  # a summary line says why
    decided = outcome.span.line if outcome.span else None
    after = False
    for line, text in scenario.source:
        if line == decided and not after:
            out.append(f"  > {line:>4} | {text}")
            for msg_line in outcome.message.splitlines():
                out.append(f"  E      | {msg_line}")
            after = True
        elif after and line > (decided or 0):
            out.append(f"  - {line:>4} | {text}   (not run)")
        else:
            out.append(f"    {line:>4} | {text}")
    if decided is None:
        for msg_line in outcome.message.splitlines():
            out.append(f"  E      | {msg_line}")
    if outcome.transcript:
        out.append("")
        out.extend(render_transcript(outcome))
    if outcome.detail:
        out.append("")
        out.append(outcome.detail.rstrip())
    return "\n".join(out)


def render_transcript(outcome: Outcome, indent: str = "  ") -> list[str]:
    """The API calls behind an outcome (``--trace``), one line each, under a heading; none without a transcript."""
    calls = outcome.transcript
    if not calls:
        return []
    n = len(calls)
    head = (f"{indent}API calls on {outcome.backend} ({n} call{'s' if n != 1 else ''}, the teardown's included, "
            "secrets masked):")
    return [head] + [f"{indent}  {line}" for line in calls]


def summary_table(outcomes: Iterable[Outcome], backends: Sequence[str], fmt: str = "simple") -> str:
    counts: dict[str, Counter[str]] = {b: Counter() for b in backends}
    for o in outcomes:
        counts.setdefault(o.backend, Counter())[o.status] += 1
    return summary_table_of(counts, fmt)


def summary_table_of(counts: dict[str, Counter[str]], fmt: str = "simple") -> str:
    """:func:`summary_table` of outcomes already counted: backend → status → runs."""
    rows = []
    for b, c in counts.items():
        rows.append([b] + [c.get(s, 0) for s in STATUSES] + [sum(c.values())])
    return tabulate(rows, headers=["backend", *STATUSES, "total"], tablefmt=fmt)


def unknown_backends(named: list[tuple[str, str, str]], installed) -> list[str]:
    """A warning for each @only / @diverges naming a backend that is not installed."""
    from .errors import closest

    names = sorted(installed)
    out = []
    for where, tag, name in named:
        if name.lower() in installed:
            continue
        near = closest(name, names, n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        out.append(f"{where}: @{tag} names the backend {name!r}, which is not installed (installed: {', '.join(names)}){hint}")
    return out
