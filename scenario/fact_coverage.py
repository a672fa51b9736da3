"""Fact coverage: which facts of the inventory the spec library verifies on a backend.

A testable fact is *verified* on a backend when at least one scenario tagged
with it passed there (a ``@misbelief`` scenario counts when it failed as it
should) and none of them failed; *failing* when one failed, errored or passed
unexpectedly; *skipped* when every one was skipped there (a missing capability,
or words the backend does not implement: pytest skips those too, and the
matrix shows them as ``not implemented``, not as failures);
*missing* when no scenario is tagged with it. Given validation records
(:mod:`scenario.records`), a fact is also *validated on aws* when a scenario
tagged with it passed on AWS's own endpoints (never a custom endpoint). A tag that names no entry is
*dangling*, and a tag on a not-testable entry *contradicts* the inventory: both
are mistakes of the library.
"""

from __future__ import annotations

import json
from typing import Iterable, Mapping

import attrs
from tabulate import tabulate

from . import ir
from .facts import Fact, Inventory
from .runner import Outcome, Status

__all__ = ["FactStatus", "Coverage", "cover", "render"]

FACT_STATUSES = ("verified", "failing", "skipped", "missing")


@attrs.frozen
class Tagged:
    """One scenario run that carries a fact tag."""

    where: str
    title: str
    status: Status


@attrs.frozen
class FactStatus:
    fact: Fact
    status: str  # verified | failing | skipped | missing | not-testable
    runs: tuple[Tagged, ...] = ()
    validated: str = ""  # the latest date a scenario tagged with it passed on aws ("" if none)


@attrs.frozen
class Mistake:
    where: str
    fact_id: str
    problem: str  # dangling | not-testable
    suggestions: tuple[str, ...] = ()


@attrs.frozen
class Coverage:
    backend: str
    facts: tuple[FactStatus, ...]
    mistakes: tuple[Mistake, ...]
    untagged: tuple[str, ...]  # scenarios that verify no fact
    validations: bool = False  # validation records were given: count the facts validated on aws

    def _keys(self) -> tuple[str, ...]:
        return ("testable", *FACT_STATUSES, "not-testable") + (("validated on aws",) if self.validations else ())

    def sections(self) -> list[tuple[str, dict[str, int]]]:
        rows: dict[str, dict[str, int]] = {}
        for fs in self.facts:
            counts = rows.setdefault(fs.fact.section, {k: 0 for k in self._keys()})
            if fs.fact.testable:
                counts["testable"] += 1
                counts[fs.status] += 1
                if self.validations and fs.validated:
                    counts["validated on aws"] += 1
            else:
                counts["not-testable"] += 1
        return list(rows.items())

    def totals(self) -> dict[str, int]:
        total = {k: 0 for k in self._keys()}
        for _, counts in self.sections():
            for k, v in counts.items():
                total[k] += v
        return total


def _status(outcome: Outcome) -> Status:
    """A run's status for its facts: a backend that lacks a word of the scenario skipped it, it did not fail it."""
    if outcome.status == Status.ERROR and outcome.not_implemented:
        return Status.SKIPPED
    return outcome.status


def _verifies(status: Status, scenario: ir.Scenario) -> bool:
    if status == Status.PASSED:
        return True
    # a @misbelief scenario states a wrong belief: its expected failure is the evidence
    return status == Status.XFAILED and any(t.name == "misbelief" for t in scenario.tags)


def cover(inventory: Inventory, runs: Iterable[tuple[ir.Scenario, Outcome]], backend: str,
          *, prefix: str | None = None, validated: Mapping[str, str] | None = None) -> Coverage:
    """Fold the outcomes of scenario runs on ``backend`` into the inventory.

    :param validated: scenario id → the date it passed on aws (``records.validated_on_aws``);
        None: no records, no "validated on aws" count.
    """
    from .records import _path

    by_fact: dict[str, list[Tagged]] = {}
    dates: dict[str, str] = {}
    verdicts: dict[str, list[bool]] = {}
    mistakes: list[Mistake] = []
    untagged: list[str] = []
    for sc, outcome in runs:
        tags = [t for t in sc.tags if t.name == "fact" and len(t.args) == 1]
        where = f"{sc.span.path}:{sc.span.line}"
        date = (validated or {}).get(f"{_path(str(sc.span.path))}::{sc.title}", "")
        if not tags:
            untagged.append(f"{where} {sc.title}")
        for tag in tags:
            fid, at = tag.args[0], f"{tag.span.path}:{tag.span.line}:{tag.span.col}"
            fact = inventory.facts.get(fid)
            if fact is None:
                mistakes.append(Mistake(at, fid, "dangling", tuple(inventory.check(fid) or ())))
                continue
            if not fact.testable:
                mistakes.append(Mistake(at, fid, "not-testable"))
                continue
            run_status = _status(outcome)
            by_fact.setdefault(fid, []).append(Tagged(where, sc.title, run_status))
            if date > dates.get(fid, ""):
                dates[fid] = date
            verdicts.setdefault(fid, []).append(_verifies(run_status, sc))
    statuses = []
    for fact in inventory:
        if prefix and not (fact.id == prefix or fact.id.startswith(prefix.rstrip(".") + ".")):
            continue
        if not fact.testable:
            statuses.append(FactStatus(fact, "not-testable"))
            continue
        tagged = tuple(by_fact.get(fact.id, ()))
        if not tagged:
            status = "missing"
        elif any(t.status in (Status.FAILED, Status.ERROR, Status.XPASSED) for t in tagged):
            status = "failing"
        elif any(verdicts[fact.id]):
            status = "verified"
        else:
            status = "skipped"
        statuses.append(FactStatus(fact, status, tagged, dates.get(fact.id, "")))
    # one mistake per place and id (an outline's rows share their tags)
    unique = tuple(dict.fromkeys(mistakes))
    return Coverage(backend, tuple(statuses), unique, tuple(dict.fromkeys(untagged)), validated is not None)


# ---------------------------------------------------------------- rendering
_HEADERS = ["section", "testable", "verified", "failing", "skipped", "missing", "not testable", "verified %"]


def _row(name: str, c: dict[str, int]) -> list:
    pct = f"{100 * c['verified'] / c['testable']:.0f} %" if c["testable"] else "—"
    row = [name, c["testable"], c["verified"], c["failing"], c["skipped"], c["missing"], c["not-testable"], pct]
    return row + ([c["validated on aws"]] if "validated on aws" in c else [])


def render(cov: Coverage, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(_as_json(cov), indent=2)
    tablefmt = "github" if fmt == "markdown" else "simple"
    rows = [_row(name, counts) for name, counts in cov.sections()]
    rows.append(_row("total", cov.totals()))
    out = []
    if fmt == "markdown":
        out.append(f"# Fact coverage on the {cov.backend} backend\n")
    else:
        out.append(f"fact coverage on the {cov.backend} backend")
    headers = _HEADERS + (["validated on aws"] if cov.validations else [])
    out.append(tabulate(rows, headers=headers, tablefmt=tablefmt, disable_numparse=True))
    for status, title in (("failing", "failing"), ("skipped", "skipped everywhere it is tagged"), ("missing", "testable, with no scenario")):
        facts = [fs for fs in cov.facts if fs.status == status]
        if not facts:
            continue
        out.append("")
        out.append(f"## {title} ({len(facts)})" if fmt == "markdown" else f"{title} ({len(facts)}):")
        for fs in facts:
            runs = "; ".join(f"{t.where} {t.status}" for t in fs.runs if t.status != Status.PASSED)
            line = f"{fs.fact.id} — {fs.fact.section}" + (f" ({runs})" if runs else "")
            out.append(f"- {line}" if fmt == "markdown" else f"  {line}")
    if cov.mistakes:
        out.append("")
        out.append(f"## mistakes ({len(cov.mistakes)})" if fmt == "markdown" else f"mistakes ({len(cov.mistakes)}):")
        for m in cov.mistakes:
            if m.problem == "dangling":
                hint = f"; did you mean {', '.join(m.suggestions)}?" if m.suggestions else ""
                text = f"{m.where}: @fact({m.fact_id}) names no entry of the facts inventory{hint}"
            else:
                text = f"{m.where}: @fact({m.fact_id}) tags a fact the inventory calls not-testable"
            out.append(f"- {text}" if fmt == "markdown" else f"  {text}")
    return "\n".join(out)


def _as_json(cov: Coverage) -> dict:
    return {
        "backend": cov.backend,
        "totals": cov.totals(),
        "sections": [{"section": name, **counts} for name, counts in cov.sections()],
        "facts": [
            {
                "id": fs.fact.id,
                "section": fs.fact.section,
                "verdict": fs.fact.verdict,
                "status": fs.status,
                **({"validated_on_aws": fs.validated} if cov.validations else {}),
                **({"reason": fs.fact.reason} if fs.fact.reason else {}),
                **({"aws_today": fs.fact.aws_today} if fs.fact.aws_today else {}),
                "scenarios": [attrs.asdict(t) for t in fs.runs],
            }
            for fs in cov.facts
        ],
        "mistakes": [attrs.asdict(m) for m in cov.mistakes],
        "untagged": list(cov.untagged),
    }
