"""Validation records: which scenario ran on which backend, where, when, and how it went.

``scn run --record FILE`` (pytest: ``--scn-record FILE``) keeps one entry per
scenario and backend in a TOML file that diffs well: one table per entry, sorted
by scenario id (``path::title``) then backend, a re-run replacing only the entries
it ran::

    ["specs/ec2/lifecycle.scn::a stopped instance can be started".aws]
    outcome = "passed"
    date = "2026-11-27"
    region = "eu-west-1"
    endpoint = "aws"
    scn = "0.1.0"
    boto3 = "1.43.11"
    botocore = "1.43.11"

``endpoint`` is ``aws`` only when the run reached AWS's own endpoints; a run
against any other endpoint (a moto server) says ``custom endpoint`` and is never
shown as "validated on aws". ``scn matrix`` shows the latest validation of each
scenario; ``scn facts`` counts the facts validated on aws.
"""

from __future__ import annotations

import datetime
import json
import os
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

from .backend import scenario_id
from .errors import ConfigurationError

__all__ = ["entry", "entry_from", "load", "update", "find_records", "validated_on_aws", "validation_text", "status_word"]

HEADER = ("# scn validation records: one entry per scenario and backend, sorted by scenario id.\n"
          "# Written by `scn run --record` / `pytest --scn-record`; a re-run replaces the entries it ran.\n")
FIELDS = ("outcome", "date", "region", "endpoint", "scn", "boto3", "botocore")


def status_word(outcome) -> str:
    """The outcome as a record keeps it: the status, or ``not implemented``."""
    if outcome.status == "error" and outcome.not_implemented:
        return "not implemented"
    return str(outcome.status)  # the plain string, as a file keeps it


def _versions() -> dict[str, str]:
    out = {}
    for dist in ("scn", "boto3", "botocore"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "none"
    return out


def _path(path: str) -> str:
    """A spec's path as records key it: relative to the working folder where it can be, with forward slashes."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            pass
    return p.as_posix()


def entry(scenario, outcome, info: Mapping[str, str] | None = None, *, today: datetime.date | None = None) -> tuple[str, str, dict]:
    """(scenario id, backend, fields) of one run."""
    info = dict(info or {})
    sid = scenario_id(scenario)
    sid = _path(str(scenario.span.path)) + sid[len(str(scenario.span.path)):]
    fields = {"outcome": status_word(outcome), "date": (today or datetime.date.today()).isoformat(),
              "region": info.get("region", ""), "endpoint": info.get("endpoint", "local"), **_versions()}
    return sid, outcome.backend, fields


def entry_from(rec: Mapping[str, Any], info: Mapping[str, str] | None = None, *,
               today: datetime.date | None = None) -> tuple[str, str, dict]:
    """The same as :func:`entry`, from a matrix record (what pytest-xdist hands its controller)."""
    info = dict(info or {})
    status = "not implemented" if rec["status"] == "error" and rec.get("not_implemented") else rec["status"]
    fields = {"outcome": status, "date": (today or datetime.date.today()).isoformat(),
              "region": info.get("region", ""), "endpoint": info.get("endpoint", "local"), **_versions()}
    return f"{_path(rec['path'])}::{rec['title']}", rec["backend"], fields


def load(path: str | os.PathLike) -> dict[str, dict[str, dict]]:
    """scenario id → backend → fields; an absent file is empty."""
    p = Path(path)
    if not p.exists():
        return {}
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{p}: not a validation records file: {exc}") from None
    return {sid: {b: dict(f) for b, f in backends.items() if isinstance(f, dict)}
            for sid, backends in data.items() if isinstance(backends, dict)}


def _q(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)  # a JSON string is a TOML basic string


def _key(text: str) -> str:
    """A TOML key: bare where it can be (``aws``), quoted otherwise."""
    return text if text and all(c.isascii() and (c.isalnum() or c in "-_") for c in text) else _q(text)


def dumps(records: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> str:
    out = [HEADER]
    for sid in sorted(records):
        for backend in sorted(records[sid]):
            fields = records[sid][backend]
            out.append(f"\n[{_q(sid)}.{_key(backend)}]\n")
            keys = [k for k in FIELDS if k in fields] + sorted(k for k in fields if k not in FIELDS)
            out += [f"{k} = {_q(fields[k])}\n" for k in keys]
    return "".join(out)


def update(path: str | os.PathLike, entries: Iterable[tuple[str, str, dict]]) -> int:
    """Merge ``entries`` into the file at ``path`` (made with its folder if absent); how many were written."""
    p = Path(path)
    records = load(p)
    n = 0
    for sid, backend, fields in entries:
        records.setdefault(sid, {})[backend] = dict(fields)
        n += 1
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(dumps(records), encoding="utf-8")
    os.replace(tmp, p)
    return n


def find_records(start: str | os.PathLike) -> list[Path]:
    """The validation files of the library that holds ``start``: ``validations/*.toml`` at or above it."""
    p = Path(start).resolve()
    for folder in [p, *p.parents] if p.is_dir() else list(p.parents):
        candidate = folder / "validations"
        if candidate.is_dir():
            return sorted(candidate.glob("*.toml"))
        if (folder / "facts").is_dir() or (folder / ".git").exists():
            break
    return []


def merged(paths: Iterable[str | os.PathLike]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for path in paths:
        for sid, backends in load(path).items():
            out.setdefault(sid, {}).update(backends)
    return out


def validated_on_aws(records: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, str]:
    """scenario id → the latest date it passed on AWS's own endpoints."""
    out: dict[str, str] = {}
    for sid, backends in records.items():
        for fields in backends.values():
            if fields.get("endpoint") == "aws" and fields.get("outcome") == "passed":
                date = str(fields.get("date", ""))
                if date > out.get(sid, ""):
                    out[sid] = date
    return out


def validation_text(records: Mapping[str, Mapping[str, Any]] | None) -> str:
    """How the matrix shows one scenario's records: ``validated on aws 2026-11-27``, or what else is known."""
    if not records:
        return ""
    real = [f for f in records.values() if f.get("endpoint") == "aws"]
    passed = sorted(str(f.get("date", "")) for f in real if f.get("outcome") == "passed")
    if passed:
        return f"validated on aws {passed[-1]}"
    if real:
        latest = max(real, key=lambda f: str(f.get("date", "")))
        return f"{latest.get('outcome')} on aws {latest.get('date')}"
    custom = [f for f in records.values() if f.get("endpoint") == "custom endpoint"]
    if custom:
        latest = max(custom, key=lambda f: str(f.get("date", "")))
        return f"{latest.get('outcome')} on a custom endpoint {latest.get('date')} (not aws)"
    return ""
