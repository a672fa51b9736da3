"""The backend matrix: scenarios × backends, each cell what happened there.

Cells: ``pass``, ``FAIL``, ``ERROR``, ``n/a (needs clock)`` (the backend lacks a
capability, or ``@only`` excludes it), ``not implemented`` (the backend does not
implement a vocabulary item the scenario uses), ``diverges: <reason>`` (a known
divergence, ``@diverges(backend, "reason")``, seen failing as recorded),
``stale divergence`` (a ``@diverges`` scenario that passes: the backend was fixed),
``misbelief caught`` / ``misbelief passed`` (``@misbelief`` scenarios).

The matrix is built from *records*, one per scenario and backend, plain dicts that
survive pytest-xdist's report serialisation, so that ``scn matrix`` and pytest's
terminal summary print the same thing.
"""

from __future__ import annotations

import json
from collections import Counter
from enum import StrEnum
from typing import Any, Iterable, Mapping, Sequence

from . import ir
from .runner import Outcome, Status

__all__ = ["record", "cell", "category", "Matrix", "build", "Category", "CATEGORIES", "BAD"]


class Category(StrEnum):
    """The kind of a cell: an outcome's status read with the scenario's tags (a member equals its string)."""

    PASS = "pass"
    DIVERGES = "diverges"  # failed as its @diverges of this backend says
    NA = "n/a"  # skipped: a capability the backend lacks, or @only
    NOT_IMPLEMENTED = "not implemented"  # an error: a vocabulary item the backend does not implement
    MISBELIEF_CAUGHT = "misbelief caught"  # a @misbelief scenario failed, as it should
    FAIL = "FAIL"
    ERROR = "ERROR"
    STALE_DIVERGENCE = "stale divergence"  # a @diverges scenario passed: the backend was fixed
    MISBELIEF_PASSED = "misbelief passed"  # a @misbelief scenario passed: the belief holds there


#: the cell categories, in the order totals show them
CATEGORIES = tuple(Category)
#: categories that make a matrix not green
BAD = frozenset({Category.FAIL, Category.ERROR, Category.STALE_DIVERGENCE, Category.MISBELIEF_PASSED})


def record(scenario: ir.Scenario, outcome: Outcome) -> dict[str, Any]:
    """One cell's facts as a plain dict (JSON- and xdist-safe)."""
    misbelief = any(t.name == "misbelief" for t in scenario.tags)
    return {
        "path": str(scenario.span.path),
        "line": scenario.span.line,
        "title": scenario.title,
        "backend": outcome.backend,
        "status": str(outcome.status),  # the plain string: records cross pytest-xdist's serialisation
        "message": outcome.message.splitlines()[0] if outcome.message else "",
        "not_implemented": outcome.not_implemented,
        "divergence": scenario.divergence(outcome.backend),
        "misbelief": misbelief,
    }


def category(rec: Mapping[str, Any]) -> Category:
    """The kind of cell a record makes."""
    # a @diverges of this backend explains the outcome first, a @misbelief's included
    misbelief = rec.get("misbelief") and not rec.get("divergence")
    match rec["status"]:
        case Status.PASSED:
            return Category.PASS
        case Status.FAILED:
            return Category.FAIL
        case Status.SKIPPED:
            return Category.NA
        case Status.ERROR:
            return Category.NOT_IMPLEMENTED if rec.get("not_implemented") else Category.ERROR
        case Status.XFAILED:
            return Category.MISBELIEF_CAUGHT if misbelief else Category.DIVERGES
        case Status.XPASSED:
            return Category.MISBELIEF_PASSED if misbelief else Category.STALE_DIVERGENCE
    return Category.ERROR  # pragma: no cover - an unknown status


def cell(rec: Mapping[str, Any]) -> str:
    """The text of a cell."""
    cat = category(rec)
    if cat == Category.NA:
        return f"n/a ({rec.get('message') or 'skipped'})"
    if cat == Category.DIVERGES:
        return f"diverges: {rec.get('divergence') or ''}".rstrip()
    return str(cat)


class Matrix:
    """Rows of scenarios, columns of backends."""

    def __init__(self, records: Iterable[Mapping[str, Any]], backends: Sequence[str] | None = None,
                 validations: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None):
        self.records = list(records)
        #: validation records (scenario id → backend → fields, :mod:`scenario.records`): a "validated" column
        self.validations = validations
        self.backends = list(dict.fromkeys(backends or [r["backend"] for r in self.records]))
        self.rows: dict[tuple[str, int, str], dict[str, Mapping[str, Any]]] = {}
        order: dict[tuple[str, int, str], int] = {}
        for r in self.records:  # rows in file order, whatever order the records came in (pytest-xdist)
            order.setdefault((r["path"], r["line"], r["title"]), len(order))
        self.records.sort(key=lambda r: (r["path"], r["line"], order[(r["path"], r["line"], r["title"])]))
        for r in self.records:
            self.rows.setdefault((r["path"], r["line"], r["title"]), {})[r["backend"]] = r

    def totals(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {b: Counter() for b in self.backends}
        for r in self.records:
            out.setdefault(r["backend"], Counter())[category(r)] += 1
        return out

    @property
    def green(self) -> bool:
        return not any(category(r) in BAD for r in self.records)

    def validated(self, path: str, title: str) -> str:
        """The validation column of a row: ``validated on aws <date>`` or what else the records know."""
        if self.validations is None:
            return ""
        from .records import _path, validation_text

        return validation_text(self.validations.get(f"{_path(path)}::{title}"))

    @property
    def _columns(self) -> list[str]:
        return [*self.backends] + (["validated"] if self.validations is not None else [])

    def _grid(self) -> list[list[str]]:
        grid = []
        for (path, line, title), cells in self.rows.items():
            row = [f"{path}:{line}", title] + [cell(cells[b]) if b in cells else "" for b in self.backends]
            if self.validations is not None:
                row.append(self.validated(path, title))
            grid.append(row)
        return grid

    def _totals_grid(self) -> tuple[list[str], list[list[Any]]]:
        totals = self.totals()
        cats = [c for c in CATEGORIES if any(totals[b][c] for b in totals)]
        return ["backend", *cats, "total"], [[b, *(totals[b][c] for c in cats), sum(totals[b].values())] for b in totals]

    # ---------------------------------------------------------------- formats
    def render(self, fmt: str = "table") -> str:
        if fmt == "json":
            return self.to_json()
        if fmt == "markdown":
            return self.to_markdown()
        return self.to_table()

    def to_table(self) -> str:
        from tabulate import tabulate  # here: a pytest run records a row per item, and prints a table at most once

        head, rows = self._totals_grid()
        return (tabulate(self._grid(), headers=["where", "scenario", *self._columns], tablefmt="simple") + "\n\n"
                + tabulate(rows, headers=head, tablefmt="simple") + "\n")

    def to_markdown(self) -> str:
        head, rows = self._totals_grid()
        grid = [[f"`{w}`", _md(t), *(_md(c) for c in cs)] for w, t, *cs in self._grid()]
        return ("| where | scenario | " + " | ".join(self._columns) + " |\n"
                + "|" + "---|" * (2 + len(self._columns)) + "\n"
                + "".join("| " + " | ".join(r) + " |\n" for r in grid)
                + "\n**Totals**\n\n"
                + "| " + " | ".join(head) + " |\n" + "|" + "---|" * len(head) + "\n"
                + "".join("| " + " | ".join(str(x) for x in r) + " |\n" for r in rows))

    def to_json(self) -> str:
        rows = []
        for (path, line, title), cells in self.rows.items():
            rows.append({
                "path": path, "line": line, "title": title,
                "cells": {b: {"cell": cell(r), "category": category(r), "status": r["status"], "message": r.get("message", ""),
                              "not_implemented": r.get("not_implemented"), "divergence": r.get("divergence")}
                          for b, r in cells.items()},
                **({"validated": self.validated(path, title)} if self.validations is not None else {}),
            })
        totals = {b: dict(c) for b, c in self.totals().items()}
        return json.dumps({"backends": self.backends, "rows": rows, "totals": totals, "green": self.green}, indent=2) + "\n"

    # ---------------------------------------------------------------- summaries
    def by_category(self, backend: str, cat: str) -> list[Mapping[str, Any]]:
        return [r for r in self.records if r["backend"] == backend and category(r) == cat]


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def build(scenarios: Iterable[ir.Scenario], backends: Sequence, run=None, validations=None) -> Matrix:
    """Run every scenario on every backend (:class:`~scenario.backend.BackendInfo`) and gather the matrix."""
    if run is None:
        from .runner import run_scenario as run
    records = [record(sc, run(sc, b)) for sc in scenarios for b in backends]
    return Matrix(records, [b.name for b in backends], validations)


def service_of(path: str) -> str:
    """The service a spec belongs to: its folder (``specs/rds/backups.scn`` → ``rds``)."""
    parts = str(path).replace("\\", "/").split("/")
    return parts[-2] if len(parts) > 1 else "(top)"


def fidelity_page(matrix: Matrix, backend: str, command: str) -> str:
    """A docs page: how ``backend`` departs from the documented behaviour, from ``matrix``, service by service."""
    totals = matrix.totals().get(backend, Counter())
    out = [f"# {backend} fidelity report", "",
           f"Generated by `{command}` — do not edit by hand.", "",
           f"Every scenario of the spec library run on `{backend}` beside the reference model (AWS as documented). "
           "A cell says what happened: `pass`; `diverges: <reason>` (a known, named departure of the backend from "
           "documented AWS behaviour, `@diverges` in the spec); `n/a (needs X)` (the backend cannot express X at all); "
           "`not implemented` (the backend lacks a vocabulary item the scenario uses); `FAIL` (an unexplained failure); "
           "`stale divergence` (a named divergence that no longer shows: the backend was fixed).", "",
           "## Totals on " + backend, ""]
    out += [f"- {c}: {totals[c]}" for c in CATEGORIES if totals[c]]
    out.append(f"- total: {sum(totals.values())}")
    mine = [r for r in matrix.records if r["backend"] == backend]
    services = sorted({service_of(r["path"]) for r in mine})
    out += _service_totals(mine, services)
    for service in services:
        out += _service_section([r for r in mine if service_of(r["path"]) == service], backend, service)
    unreachable = {(r["path"], r["line"], r["title"]) for r in mine if category(r) == Category.NA}
    shown = Matrix([r for r in matrix.records if (r["path"], r["line"], r["title"]) not in unreachable],
                   matrix.backends, matrix.validations)
    out += ["", "## The matrix", "",
            f"Every scenario `{backend}` can run (those out of its reach are counted above, not listed).", "",
            shown.to_markdown()]
    return "\n".join(out).rstrip() + "\n"


def _service_totals(records: Sequence[Mapping[str, Any]], services: Sequence[str]) -> list[str]:
    by = {s: Counter(category(r) for r in records if service_of(r["path"]) == s) for s in services}
    shown = [c for c in CATEGORIES if any(by[s][c] for s in services)]
    out = ["", "## By service", "", "| service | " + " | ".join(shown) + " | total |",
           "|---|" + "---|" * (len(shown) + 1)]
    out += [f"| [{s}](#{s}) | " + " | ".join(str(by[s][c]) for c in shown) + f" | {sum(by[s].values())} |"
            for s in services]
    return out


def _service_section(records: Sequence[Mapping[str, Any]], backend: str, service: str) -> list[str]:
    """One service: its counts, where the backend departs (with reasons and spec lines), what it lacks, what it cannot reach."""
    counts = Counter(category(r) for r in records)
    out = ["", f"## {service}", "", ", ".join(f"{c}: {counts[c]}" for c in CATEGORIES if counts[c])]
    diverging = [r for r in records if category(r) in (Category.DIVERGES, Category.FAIL, Category.MISBELIEF_PASSED)]
    if diverging:
        out += ["", f"### Where {backend} departs from AWS", ""]
        for r in diverging:
            cat = category(r)
            why = (r.get("divergence") if cat == Category.DIVERGES
                   else f"(a wrong belief that holds on {backend}) {r.get('message', '')}"
                   if cat == Category.MISBELIEF_PASSED
                   else f"(not yet named) {r.get('message', '')}")
            out.append(f"- `{r['path']}:{r['line']}` {_md(r['title'])}: {_md(why)}")
    stale = [r for r in records if category(r) == Category.STALE_DIVERGENCE]
    if stale:
        out += ["", "### Stale divergences (the backend now behaves as documented: remove the tag)", ""]
        out += [f"- `{r['path']}:{r['line']}` {_md(r['title'])}: was {_md(r.get('divergence') or '')}" for r in stale]
    missing = Counter(r.get("not_implemented") for r in records if category(r) == Category.NOT_IMPLEMENTED)
    if missing:
        out += ["", "### Not implemented", "", "| vocabulary item | scenarios |", "|---|---|"]
        out += [f"| {_md(item)} | {n} |" for item, n in sorted(missing.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    needs = Counter(cell(r).removeprefix("n/a (needs ").removesuffix(")") for r in records
                    if category(r) == Category.NA)
    if needs:
        out += ["", f"### Out of {backend}'s reach", "", "| needs | scenarios |", "|---|---|"]
        out += [f"| {_md(c)} | {n} |" for c, n in sorted(needs.items(), key=lambda kv: (-kv[1], kv[0]))]
    return out
