"""From files to compiled features, with a cache of compiled specs.

The cache is keyed by a hash of the file's content, the grammar, the vocabulary
and the version of scn, so an unchanged spec is never parsed or compiled twice.
It lives in ``$SCN_CACHE_DIR`` (default: ``scn-<uid>`` in the temp directory);
``SCN_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__, ir
from ._gc import paused_gc
from .compiler import compile_text
from .errors import SpecErrors
from .parser import GRAMMAR_HASH
from .vocabulary import Vocabulary

__all__ = ["load_file", "load_text", "find_specs", "cache_dir"]


def cache_dir() -> Path:
    base = os.environ.get("SCN_CACHE_DIR") or os.path.join(tempfile.gettempdir(), f"scn-{os.getuid() if hasattr(os, 'getuid') else 'u'}")
    return Path(base)


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


def load_text(text: str, path: str, vocab: Vocabulary, *, fact_check=None, fact_key: str = "", use_cache: bool | None = None) -> ir.Feature:
    """Compile ``text`` (read from ``path``), from the cache when it is there."""
    if use_cache is None:
        use_cache = os.environ.get("SCN_NO_CACHE", "") in ("", "0")
    if not use_cache:
        return compile_text(text, vocab, path, fact_check)
    key = _key(text, path, vocab, fact_key)
    file = cache_dir() / "specs" / key[:2] / f"{key}.pickle"
    try:
        with paused_gc(), open(file, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    feature = compile_text(text, vocab, path, fact_check)  # SpecErrors are not cached: they are cheap to find again
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(feature, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except OSError:  # pragma: no cover - a read-only cache is only slower
        pass
    return feature


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
