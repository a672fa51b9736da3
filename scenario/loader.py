"""From files to compiled features, with a cache of compiled specs.

The cache is keyed by a hash of the file's content, the grammar, the vocabulary
and the version of scn, so an unchanged spec is never parsed or compiled twice.
It lives in ``$SCN_CACHE_DIR`` (default: ``scn-<uid>`` in the temp directory);
``SCN_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import hashlib
import os
import pickle
from pathlib import Path
from typing import Iterable, Iterator

from . import ir
from ._cache import cache_dir
from ._gc import paused_gc
from ._version import __version__
from .errors import ScnSyntaxError, SourceSpan, SpecErrors
from .vocabulary import Vocabulary

__all__ = ["check_file", "check_text", "load_file", "load_text", "find_specs", "read_spec", "cache_dir", "fact_options"]


# The compiler and the parser (and Lark) are imported when a spec must be compiled: a spec
# loaded from the cache needs neither, and a pytest run of cached specs starts faster for it.


def compile_text(text: str, vocab: Vocabulary, path: str = "<string>", fact_check=None) -> ir.Feature:
    """:func:`scenario.compiler.compile_text`, imported on the first miss of the cache."""
    from .compiler import compile_text as compile_

    return compile_(text, vocab, path, fact_check)


@functools.lru_cache(maxsize=1)
def _grammar_hash() -> str:
    """:data:`scenario.parser.GRAMMAR_HASH`, without importing the parser: the same file, the same hash."""
    here = Path(__file__).parent
    for candidate in (here / "grammar" / "scenario.lark", here.parent / "grammar" / "scenario.lark"):
        if candidate.is_file():
            return hashlib.sha256(candidate.read_text(encoding="utf-8").encode()).hexdigest()[:16]
    from .parser import GRAMMAR_HASH  # pragma: no cover - the parser says where the grammar went

    return GRAMMAR_HASH  # pragma: no cover


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """scn's own modules as they are on disk: a changed compiler never reads a stale cache."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for f in sorted(here.rglob("*.py")):  # sub-packages too: the compiler is one
        st = f.stat()
        h.update(f"{f.relative_to(here).as_posix()}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def _key(text: str, path: str, vocab: Vocabulary, extra: str) -> str:
    h = hashlib.sha256()
    for part in (__version__, _grammar_hash(), _code_fingerprint(), vocab.fingerprint(), path, extra, text):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _cache_file(text: str, path: str, vocab: Vocabulary, fact_key: str, use_cache: bool | None) -> Path | None:
    """Where the compiled form of ``text`` is kept; None: compile without the cache."""
    if use_cache is False:
        return None
    base = cache_dir()
    if base is None:
        return None
    key = _key(text, path, vocab, fact_key)
    return base / "specs" / key[:2] / f"{key}.pickle"


# A cache file holds two pickles: a small summary ({"scenarios": n}), then the
# compiled feature. `scn check` reads the summary only: a spec that compiled once
# needs no second look, nor the cost of loading what it compiled to.


def _compile_and_store(text, path, vocab, fact_check, file: Path | None) -> ir.Feature:
    feature = compile_text(text, vocab, path, fact_check)  # SpecErrors are not cached: they are cheap to find again
    if file is not None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            tmp = file.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(_summary(feature), fh, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(feature, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, file)
        except OSError:  # a full or read-only disk: the cache is only slower
            with contextlib.suppress(OSError, UnboundLocalError):
                tmp.unlink()
    return feature




def load_text(text: str, path: str, vocab: Vocabulary, *, fact_check=None, fact_key: str = "", use_cache: bool | None = None) -> ir.Feature:
    """Compile ``text`` (read from ``path``), from the cache when it is there."""
    file = _cache_file(text, path, vocab, fact_key, use_cache)
    if file is None:
        return compile_text(text, vocab, path, fact_check)
    try:
        with paused_gc(), open(file, "rb") as fh:
            pickle.load(fh)  # the summary
            feature = pickle.load(fh)
        if isinstance(feature, ir.Feature):
            return feature
    except Exception:  # missing, damaged or stale: any failure to load is a miss
        pass
    return _compile_and_store(text, path, vocab, fact_check, file)


def _summary(feature: ir.Feature) -> dict:
    """What `scn check` needs to know of a compiled spec."""
    return {"scenarios": len(feature.scenarios), "backends": ir.named_backends(feature)}


def check_text(text: str, path: str, vocab: Vocabulary, *, fact_check=None, fact_key: str = "", use_cache: bool | None = None) -> dict:
    """Check that ``text`` compiles (raising :class:`SpecErrors` if not): a summary,
    ``{"scenarios": n, "backends": [(where, tag, backend), ...]}``."""
    file = _cache_file(text, path, vocab, fact_key, use_cache)
    if file is None:
        return _summary(compile_text(text, vocab, path, fact_check))
    try:
        with open(file, "rb") as fh:
            summary = pickle.load(fh)
        if isinstance(summary, dict) and isinstance(summary.get("scenarios"), int) and "backends" in summary:
            return summary
    except Exception:  # missing, damaged or stale: any failure to load is a miss
        pass
    return _summary(_compile_and_store(text, path, vocab, fact_check, file))


def fact_options(path: str | os.PathLike) -> dict:
    """How ``@fact`` tags of the spec at ``path`` are checked: against the inventory
    of its library (the nearest ``facts/`` folder above it), if it has one."""
    from .facts import inventory_for

    inventory = inventory_for(path)
    if inventory is None:
        return {}
    return {"fact_check": inventory.check, "fact_key": inventory.fingerprint}


def check_file(path: str | os.PathLike, vocab: Vocabulary, **kwargs) -> dict:
    p = Path(path)
    shown = _display_path(p)
    return check_text(read_spec(p, shown), shown, vocab, **{**fact_options(p), **kwargs})


def read_spec(path: str | os.PathLike, shown: str | None = None) -> str:
    """The text of a spec file; a file that is not UTF-8 is a mistake at its line and column."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        end = data.find(b"\n", exc.start)
        source = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace")
        err = ScnSyntaxError(f"this file is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read",
                             SourceSpan(shown or str(path), line, col, col + 1), source_line=source,
                             hint="save it as UTF-8 (specs are UTF-8 text)")
        raise SpecErrors([err]) from None


def load_file(path: str | os.PathLike, vocab: Vocabulary, **kwargs) -> ir.Feature:
    p = Path(path)
    shown = _display_path(p)
    return load_text(read_spec(p, shown), shown, vocab, **{**fact_options(p), **kwargs})


def _display_path(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(p)
    return str(p) if rel.startswith("..") else rel


#: folders never searched for specs (pytest's default norecursedirs, and hidden ones)
SKIPPED_FOLDERS = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}", "__pycache__")


def _skipped(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in SKIPPED_FOLDERS)


def find_specs(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Every .scn file named, or under a named folder (sorted, hidden and build
    folders left out, as pytest does), each once."""
    seen: set[Path] = set()
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not _skipped(d))
                found += [Path(root) / f for f in files if f.endswith(".scn")]
            candidates = sorted(found)
        else:
            candidates = [p]
        for q in candidates:
            key = q.resolve()
            if key not in seen:
                seen.add(key)
                yield q
