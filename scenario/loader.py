"""From files to compiled features, with a cache of compiled specs.

The cache is keyed by a hash of the file's content, the grammar, the vocabulary
and the version of scn, so an unchanged spec is never parsed or compiled twice.
It lives in ``$SCN_CACHE_DIR`` (default: ``scn-<uid>`` in the temp directory);
``SCN_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__, ir
from ._cache import cache_dir
from ._gc import paused_gc
from .compiler import compile_text
from .errors import SpecErrors
from .parser import GRAMMAR_HASH
from .vocabulary import Vocabulary

__all__ = ["check_file", "check_text", "load_file", "load_text", "find_specs", "cache_dir"]


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """scn's own modules as they are on disk: a changed compiler never reads a stale cache."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for f in sorted(here.glob("*.py")):
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def _key(text: str, path: str, vocab: Vocabulary, extra: str) -> str:
    h = hashlib.sha256()
    for part in (__version__, GRAMMAR_HASH, _code_fingerprint(), vocab.fingerprint(), path, extra, text):
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
                pickle.dump({"scenarios": len(feature.scenarios)}, fh, protocol=pickle.HIGHEST_PROTOCOL)
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


def check_text(text: str, path: str, vocab: Vocabulary, *, fact_check=None, fact_key: str = "", use_cache: bool | None = None) -> int:
    """Check that ``text`` compiles (raising :class:`SpecErrors` if not); the number of scenarios."""
    file = _cache_file(text, path, vocab, fact_key, use_cache)
    if file is None:
        return len(compile_text(text, vocab, path, fact_check).scenarios)
    try:
        with open(file, "rb") as fh:
            return int(pickle.load(fh)["scenarios"])
    except Exception:  # missing, damaged or stale: any failure to load is a miss
        pass
    return len(_compile_and_store(text, path, vocab, fact_check, file).scenarios)


def check_file(path: str | os.PathLike, vocab: Vocabulary, **kwargs) -> int:
    p = Path(path)
    return check_text(p.read_text(encoding="utf-8"), _display_path(p), vocab, **kwargs)


def load_file(path: str | os.PathLike, vocab: Vocabulary, **kwargs) -> ir.Feature:
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    return load_text(text, _display_path(p), vocab, **kwargs)


def _display_path(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(p)
    return str(p) if rel.startswith("..") else rel


def find_specs(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Every .scn file named or under a named folder, sorted."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.scn") if q.is_file())
        else:
            yield p
