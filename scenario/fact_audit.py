"""The error-code audit: every code the library asserts, checked against AWS.

A code is asserted by a spec (``then it fails with "Code"``, in a scenario tagged
``@fact(id)``), by the inventory (``error = "Code"``), or named by the inventory as
the model's own choice (``error_source = { Code = "model-choice: ..." }``). Each
(fact, code) gets one verdict:

- ``model``: botocore's service model for the fact's service lists the code, as an
  error shape's name or its wire code (the operation's errors are among them);
- ``source``: the entry's ``error_source`` names the AWS page or the response
  captured from AWS that shows it (``https://...`` or ``captured: ...``);
- ``model-choice``: the entry marks it as the reference model's own choice, where
  AWS has no code for the case (or the request cannot be expressed in its API);
- ``unverified``: none of these; a mistake of the library;
- ``unchecked``: not sourced, and botocore is not installed to check it.

``scn facts --audit`` prints the verdicts per fact, with whether ``aws_today`` is
set; tests/test_error_codes.py fails on an unverified code.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Iterable, Sequence

import attrs
from tabulate import tabulate

from . import ir
from .facts import Fact, Inventory

__all__ = ["CodeUse", "CodeVerdict", "audit", "botocore_codes", "render", "run_audit", "SERVICES"]

VERDICTS = ("model", "source", "model-choice", "unverified", "unchecked")

#: fact id prefix -> botocore service models that speak for it (the longest prefix wins)
SERVICES: dict[str, tuple[str, ...]] = {
    "apigateway": ("apigateway", "apigatewayv2"),
    "athena": ("athena",),
    "aurora": ("rds",),
    "dynamodb": ("dynamodb", "dynamodbstreams", "dax"),
    "ec2": ("ec2",),
    "elasticache": ("elasticache",),
    "emr": ("emr",),
    "glue": ("glue",),
    "kinesis": ("kinesis", "firehose", "kinesisanalytics", "kinesisanalyticsv2", "kinesisvideo"),
    "lambda": ("lambda",),
    "lambda.edge": ("lambda", "cloudfront"),  # Lambda@Edge is associated through CloudFront
    "lambda.alb": ("lambda", "elbv2"),
    "rds": ("rds",),
    "redshift": ("redshift",),
}


def services_for(fact_id: str) -> tuple[str, ...]:
    parts = fact_id.split(".")
    for n in range(len(parts), 0, -1):
        found = SERVICES.get(".".join(parts[:n]))
        if found is not None:
            return found
    return ()


@functools.lru_cache(maxsize=None)
def botocore_codes(service: str) -> frozenset[str] | None:
    """Every error shape name and wire code of a botocore service model; None without botocore."""
    try:
        import botocore.session
    except ImportError:
        return None
    model = _session().get_service_model(service)
    codes = set()
    for name in model.shape_names:
        shape = model.shape_for(name)
        if shape.metadata.get("exception") or shape.metadata.get("error"):
            codes.add(name)
            code = shape.metadata.get("error", {}).get("code")
            if code:
                codes.add(code)
    return frozenset(codes)


@functools.lru_cache(maxsize=1)
def _session():
    import botocore.session

    return botocore.session.get_session()


def botocore_version() -> str | None:
    try:
        import botocore
    except ImportError:
        return None
    return botocore.__version__


@attrs.frozen
class CodeUse:
    """Where a code is asserted: a spec line, or an inventory entry."""

    code: str
    fact_id: str
    where: str  # file:line


@attrs.frozen
class CodeVerdict:
    fact_id: str
    code: str
    verdict: str
    evidence: str  # the botocore service/shape, the source, or why not
    where: tuple[str, ...]


def uses_in_features(features: Iterable[ir.Feature]) -> list[CodeUse]:
    """Every `it fails with "Code"` of the compiled specs, once per fact tag of its scenario."""
    out = []
    for feature in features:
        for sc in feature.scenarios:
            facts = [t.args[0] for t in sc.tags if t.name == "fact" and len(t.args) == 1] or [""]
            for st in sc.steps:
                if isinstance(st, ir.ClaimOutcome) and st.fails and st.code:
                    for fid in facts:
                        out.append(CodeUse(st.code, fid, f"{st.span.path}:{st.span.line}"))
    return list(dict.fromkeys(out))


def uses_in_inventory(inventory: Inventory) -> list[CodeUse]:
    out = []
    for fact in inventory:
        where = f"{fact.file}:{fact.line}"
        if fact.error and fact.error != "undocumented":
            out.append(CodeUse(fact.error, fact.id, where))
        for code in fact.model_choices():
            out.append(CodeUse(code, fact.id, where))
    return out


def judge(fact: Fact | None, fact_id: str, code: str) -> tuple[str, str]:
    """The verdict on one (fact, code), and its evidence."""
    src = fact.error_source(code) if fact is not None else None
    if src and src.startswith("model-choice:"):
        return "model-choice", src
    services = services_for(fact_id) if fact_id else ()
    checked = False
    for service in services:
        codes = botocore_codes(service)
        if codes is None:
            break
        checked = True
        if code in codes:
            return "model", f"botocore {botocore_version()} {service}"
    if src:
        return "source", src
    if not fact_id:
        return "unverified", "the scenario has no @fact tag, so nothing names a service or a source"
    if fact is None:
        return "unverified", f"@fact({fact_id}) names no entry of the inventory"
    if not checked and services:
        return "unchecked", "botocore is not installed to check the service model"
    if not services:
        return "unverified", f"no botocore service is known for {fact_id} (scenario/fact_audit.py SERVICES)"
    return "unverified", (f"not an error shape of botocore's {', '.join(services)} model, and the entry has no "
                          "error_source (an AWS page, a captured response, or model-choice)")


def audit(inventory: Inventory, uses: Sequence[CodeUse]) -> list[CodeVerdict]:
    where: dict[tuple[str, str], list[str]] = {}
    for u in uses:
        where.setdefault((u.fact_id, u.code), []).append(u.where)
    out = []
    for (fid, code), places in where.items():
        verdict, evidence = judge(inventory.facts.get(fid), fid, code)
        out.append(CodeVerdict(fid, code, verdict, evidence, tuple(dict.fromkeys(places))))
    return sorted(out, key=lambda v: (v.fact_id, v.code))


def totals(verdicts: Sequence[CodeVerdict]) -> dict[str, int]:
    counts = {"codes": len(verdicts), **{v: 0 for v in VERDICTS}}
    for v in verdicts:
        counts[v.verdict] += 1
    counts["distinct codes"] = len({v.code for v in verdicts})
    return counts


# ---------------------------------------------------------------- rendering
def render(inventory: Inventory, verdicts: Sequence[CodeVerdict], fmt: str = "table", *, prefix: str | None = None) -> str:
    by_fact: dict[str, list[CodeVerdict]] = {}
    for v in verdicts:
        by_fact.setdefault(v.fact_id, []).append(v)
    facts = [f for f in inventory if not prefix or f.id == prefix or f.id.startswith(prefix.rstrip(".") + ".")]
    shown = [v for v in verdicts if any(v.fact_id == f.id for f in facts) or not v.fact_id]
    t = totals(shown)
    if fmt == "json":
        return json.dumps({
            "botocore": botocore_version(),
            "totals": t,
            "facts": [{
                "id": f.id,
                "aws_today": bool(f.aws_today),
                **({"setting": f.setting} if f.setting else {}),
                **({"source": f.source} if f.source else {}),
                "codes": [{"code": v.code, "verdict": v.verdict, "evidence": v.evidence, "where": list(v.where)}
                          for v in by_fact.get(f.id, [])],
            } for f in facts],
            "untagged": [attrs.asdict(v) for v in verdicts if not v.fact_id],
        }, indent=2)
    rows = []
    for f in facts:
        codes = by_fact.get(f.id, [])
        cell = ", ".join(f"{v.code}: {v.verdict}" for v in codes) or "—"
        rows.append([f.id, cell, "yes" if f.aws_today else "—", (f.source or "").split(":", 1)[0] or "—"])
    tablefmt = "github" if fmt == "markdown" else "simple"
    out = ["# Error-code audit\n" if fmt == "markdown" else "error-code audit",
           f"botocore {botocore_version() or 'not installed'}; a code is checked against the service model of its "
           "fact's service, else the entry's error_source",
           "",
           tabulate(rows, headers=["fact", "codes: verdict", "aws_today", "source"], tablefmt=tablefmt,
                    disable_numparse=True),
           "",
           (f"{t['codes']} asserted codes ({t['distinct codes']} distinct) — verified by botocore's model: {t['model']}, "
            f"by a named source: {t['source']}, model-choice: {t['model-choice']}, unverified: {t['unverified']}"
            + (f", unchecked (no botocore): {t['unchecked']}" if t["unchecked"] else ""))]
    bad = [v for v in shown if v.verdict in ("unverified", "unchecked")]
    if bad:
        out.append("")
        out.append(f"## not verified ({len(bad)})" if fmt == "markdown" else f"not verified ({len(bad)}):")
        for v in bad:
            line = f"{v.fact_id or '(no @fact)'} {v.code} at {', '.join(v.where)}: {v.evidence}"
            out.append(f"- {line}" if fmt == "markdown" else f"  {line}")
    return "\n".join(out)


def collect(path: str | os.PathLike, *, no_cache: bool = False) -> tuple[Inventory, list[CodeVerdict]]:
    """Compile the specs under ``path`` and audit their codes and their inventory's."""
    from .facts import find_inventory, load_inventory
    from .loader import find_specs, load_file
    from .plugins import vocabulary

    folder = find_inventory(path)
    if folder is None:
        raise FileNotFoundError(f"no facts inventory at or above {path}")
    inventory = load_inventory(folder)
    vocab = vocabulary()
    features = [load_file(f, vocab, use_cache=False if no_cache else None) for f in find_specs([path])]
    return inventory, audit(inventory, uses_in_features(features) + uses_in_inventory(inventory))


def run_audit(path: str, *, fmt: str = "table", prefix: str | None = None, no_cache: bool = False) -> int:
    """`scn facts --audit`: print the audit; exit 1 when a code is unverified."""
    from .errors import SpecErrors

    try:
        inventory, verdicts = collect(path, no_cache=no_cache)
    except FileNotFoundError as exc:
        print(f"scn: {exc} (a facts/ folder of TOML files, as specs/facts/)")
        return 2
    except SpecErrors as exc:
        print(exc.render())
        return 1
    print(render(inventory, verdicts, fmt, prefix=prefix))
    return 1 if any(v.verdict == "unverified" for v in verdicts) else 0
