"""The facts inventory: every statement of the notes, with its verdict.

The inventory is a folder ``facts/`` of TOML files beside the spec library
(``specs/facts/*.toml``). Each file holds entries::

    [[fact]]
    id = "ec2.ip.public-released-on-stop"
    section = "AWS EC2 / IP Addresses"
    text = "Public IPv4 addresses are lost when the instance is stopped ..."
    verdict = "testable"            # or "not-testable", with a reason
    aws_today = "..."               # where AWS's documentation now says otherwise
    setting = "read replica limit"  # the world setting that gives AWS's current value
    error = "AddressLimitExceeded"  # AWS's code for the refusal, or "undocumented"
    error_source = "https://..."    # where AWS shows a code botocore's model does not list
    error_source = { InstanceQuotaExceeded = "model-choice: ..." }  # or per code
    source = "notes-only: ..."      # a figure AWS's documentation does not give

A spec belongs to the inventory of the nearest ``facts/`` folder above it; its
``@fact(id)`` tags must name entries of that inventory (checked when it compiles).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
from pathlib import Path
from typing import Iterable

import attrs

from ._cache import cache_dir, store
from .errors import ConfigurationError, closest

__all__ = ["Fact", "Inventory", "InventoryError", "find_inventory", "load_inventory", "inventory_for"]

VERDICTS = ("testable", "not-testable")
REASON_KINDS = ("opinion", "advice", "definition", "marketing", "pricing-detail", "console-only",
                "outside-model", "duplicate", "external-service")
ID_PATTERN = re.compile(r"^[a-z0-9]+(\.[a-z0-9][a-z0-9-]*)+$")
_REQUIRED = ("id", "section", "text", "verdict")
_OPTIONAL = ("reason", "aws_today", "setting", "error", "error_source", "source")
#: how an error_source value begins: an AWS page, a response captured from AWS, or the model's own choice
ERROR_SOURCE_KINDS = ("https://", "captured:", "model-choice:")
#: how a source value begins: an AWS page, or the notes' claim that AWS's documentation does not give
SOURCE_KINDS = ("https://", "notes-only:")
ALL_CODES = "*"  # the key of an error_source given as one string: every code of the fact


class InventoryError(ConfigurationError):
    """The inventory itself is wrong: a mistake at ``file:line``."""


@attrs.frozen
class Fact:
    id: str
    section: str
    text: str
    verdict: str
    reason: str | None = None
    aws_today: str | None = None
    setting: str | None = None
    error: str | None = None
    #: (code, source) pairs; code ALL_CODES when error_source is one string for every code of the fact
    error_sources: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    file: str = ""
    line: int = 0

    @property
    def testable(self) -> bool:
        return self.verdict == "testable"

    @property
    def service(self) -> str:
        return self.id.split(".", 1)[0]

    def error_source(self, code: str) -> str | None:
        """Where the inventory says AWS shows ``code`` (a page, a captured response), or its model-choice mark."""
        named = dict(self.error_sources)
        return named.get(code, named.get(ALL_CODES))

    def model_choices(self) -> list[str]:
        """The codes this entry marks as the reference model's own choice (no AWS code behind them)."""
        return [c for c, src in self.error_sources if c != ALL_CODES and src.startswith("model-choice:")]


@attrs.frozen
class Inventory:
    root: Path
    facts: dict[str, Fact] = attrs.field(eq=False)
    fingerprint: str = ""

    def __contains__(self, fact_id: str) -> bool:
        return fact_id in self.facts

    def __iter__(self):
        return iter(self.facts.values())

    def __len__(self) -> int:
        return len(self.facts)

    def check(self, fact_id: str) -> list[str] | None:
        """None when ``fact_id`` is an entry; else the closest ids (maybe none)."""
        if fact_id in self.facts:
            return None
        near = closest(fact_id, self.facts, limit=max(3, len(fact_id) // 4))
        if not near:  # the same area: `ec2.ip.` for `ec2.ip.anything`
            head = fact_id.rsplit(".", 1)[0] + "."
            near = sorted(i for i in self.facts if i.startswith(head))[:3]
        return near

    def sections(self) -> list[str]:
        """Section names in the order the inventory first mentions them."""
        return list(dict.fromkeys(f.section for f in self.facts.values()))


def find_inventory(path: str | os.PathLike) -> Path | None:
    """The ``facts/`` folder of the nearest library at or above ``path``."""
    p = Path(path).resolve()
    start = p if p.is_dir() else p.parent
    for folder in (start, *start.parents):
        candidate = folder / "facts"
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
        if (folder / "pyproject.toml").exists() or (folder / ".git").exists():
            break  # the top of a project: a library does not reach above it
    return None


def _stamp(folder: Path) -> tuple:
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(folder.glob("*.toml")))


def load_inventory(folder: str | os.PathLike) -> Inventory:
    """Read and check every ``*.toml`` in ``folder`` (cached while the files are unchanged: in the process,
    and in scn's cache folder, so that a `scn check` of one file does not parse the whole inventory)."""
    folder = Path(folder).resolve()
    return _load_cached(folder, _stamp(folder))


@functools.lru_cache(maxsize=8)
def _load_cached(folder: Path, stamp: tuple) -> Inventory:
    base = cache_dir()
    if base is None:
        return _load(folder, stamp)
    here = Path(__file__)
    key = hashlib.sha256(repr((str(folder), stamp, here.stat().st_mtime_ns, here.stat().st_size)).encode()).hexdigest()
    file = base / "facts" / f"{key}.pickle"
    try:
        with open(file, "rb") as fh:
            found = pickle.load(fh)
        if isinstance(found, Inventory) and found.root == folder:
            return found
    except Exception:  # missing, damaged or stale: any failure to load is a miss
        pass
    inventory = _load(folder, stamp)  # an inventory with mistakes raises, and is never kept
    store(file, lambda fh: pickle.dump(inventory, fh, protocol=pickle.HIGHEST_PROTOCOL))
    return inventory


def inventory_for(path: str | os.PathLike) -> Inventory | None:
    folder = find_inventory(path)
    return None if folder is None else load_inventory(folder)


@functools.lru_cache(maxsize=8)
def _load(folder: Path, stamp: tuple) -> Inventory:
    import tomllib  # only when the inventory is not in the cache

    facts: dict[str, Fact] = {}
    problems: list[str] = []
    for file in sorted(folder.glob("*.toml")):
        shown = _shown(file)
        text = file.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InventoryError(f"{shown}: not valid TOML: {exc}") from None
        unknown = set(data) - {"fact"}
        if unknown:
            problems.append(f"{shown}: unknown table(s) {', '.join(sorted(unknown))}; entries are [[fact]] tables")
        heads = [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == "[[fact]]"]
        entries = data.get("fact", [])
        if not isinstance(entries, list):
            problems.append(f"{shown}: `fact` must be an array of tables ([[fact]])")
            continue
        for n, entry in enumerate(entries):
            line = heads[n] if n < len(heads) else 0
            where = f"{shown}:{line}"
            fact = _entry(entry, where, problems, file=shown, line=line)
            if fact is None:
                continue
            if fact.id in facts:
                first = facts[fact.id]
                problems.append(f"{where}: the id {fact.id} is already used at {first.file}:{first.line}")
                continue
            facts[fact.id] = fact
    for fact in facts.values():  # a duplicate names the entry it repeats
        if fact.reason and fact.reason.split(":", 1)[0].strip() == "duplicate":
            named = fact.reason.split(":", 1)[1].split()
            other = named[0].rstrip(".,;") if named else ""
            if other not in facts or other == fact.id:
                near = closest(other, facts) if other else []
                hint = f" (did you mean {near[0]}?)" if near else ""
                problems.append(f"{fact.file}:{fact.line}: `duplicate:` names {other or 'nothing'}, which is not another entry{hint}")
    if problems:
        raise InventoryError("the facts inventory has mistakes:\n  " + "\n  ".join(problems))
    h = hashlib.sha256("\n".join(sorted(facts)).encode()).hexdigest()[:16]
    return Inventory(folder, facts, h)


def _entry(entry, where: str, problems: list[str], *, file: str, line: int) -> Fact | None:
    if not isinstance(entry, dict):  # pragma: no cover - TOML arrays of tables are dicts
        problems.append(f"{where}: an entry must be a table")
        return None
    missing = [k for k in _REQUIRED if not isinstance(value := entry.get(k), str) or not value.strip()]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
        return None
    extra = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if extra:
        near = closest(extra[0], _REQUIRED + _OPTIONAL)
        hint = f" (did you mean {near[0]}?)" if near else ""
        problems.append(f"{where}: unknown key(s) {', '.join(extra)}{hint}")
    for k in _OPTIONAL:
        if k == "error_source":
            continue
        if k in entry and (not isinstance(entry[k], str) or not entry[k].strip()):
            problems.append(f"{where}: {k} must be a non-empty string")
    sources = _error_sources(entry.get("error_source"), where, problems)
    source = entry.get("source")
    if isinstance(source, str) and source.strip() and not _sourced(source, SOURCE_KINDS):
        problems.append(f"{where}: source starts with {' or '.join(SOURCE_KINDS)} and says what it is")
    fid = entry["id"]
    if not ID_PATTERN.match(fid):
        problems.append(f"{where}: the id {fid!r} is not of the form service.area.slug (lowercase letters, digits and -)")
    verdict = entry["verdict"]
    if verdict not in VERDICTS:
        problems.append(f"{where}: verdict {verdict!r} must be testable or not-testable")
    reason = entry.get("reason")
    if verdict == "not-testable":
        if not reason:
            problems.append(f"{where}: a not-testable fact needs a reason")
        elif reason.split(":", 1)[0].strip() not in REASON_KINDS:
            problems.append(f"{where}: a reason starts with one of {', '.join(REASON_KINDS)}, then a colon")
    elif verdict == "testable" and reason:
        problems.append(f"{where}: a testable fact has no reason (its scenarios are its evidence)")
    return Fact(fid, entry["section"].strip(), " ".join(entry["text"].split()), verdict, reason,
                entry.get("aws_today"), entry.get("setting"), entry.get("error"), sources,
                source if isinstance(source, str) else None, file, line)


def _sourced(value: str, kinds: tuple[str, ...]) -> bool:
    """``value`` starts with one of ``kinds`` and says something after it."""
    return any(value.startswith(k) and value[len(k):].strip() for k in kinds)


def _error_sources(value, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """``error_source``: one string for every code of the fact, or a table code -> string."""
    if value is None:
        return ()
    pairs = [(ALL_CODES, value)] if isinstance(value, str) else list(value.items()) if isinstance(value, dict) else None
    if pairs is None:
        problems.append(f"{where}: error_source must be a string or a table of code = string")
        return ()
    out = []
    for code, src in pairs:
        if not isinstance(src, str) or not _sourced(src.strip(), ERROR_SOURCE_KINDS):
            problems.append(f"{where}: error_source{'' if code == ALL_CODES else f'.{code}'} starts with "
                            f"{', '.join(ERROR_SOURCE_KINDS)} and names the page or response (or why the model chose it)")
            continue
        out.append((code, " ".join(src.split())))
    return tuple(out)


def _shown(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(p)
    return str(p) if rel.startswith("..") else rel


def fact_tags(tags: Iterable) -> list[str]:
    """The fact ids of a scenario's ``@fact`` tags."""
    return [t.args[0] for t in tags if t.name == "fact" and len(t.args) == 1]
