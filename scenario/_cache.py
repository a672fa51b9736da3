"""Where scn keeps its caches (compiled specs, the parser's tables), safely.

The caches hold pickles, and unpickling runs code: so they live in a folder of the
user's own (``$SCN_CACHE_DIR``, else ``$XDG_CACHE_HOME/scn``, else
``~/.cache/scn``), created private (0700), and are used only while that folder
belongs to the user and nobody else can write to it. Otherwise, and when
``SCN_NO_CACHE`` is set to a true value (1, true, yes, on), scn works without
caches — only slower.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Callable, TypeVar

__all__ = ["cache_dir", "caching_enabled", "store"]

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}


def caching_enabled() -> bool:
    return os.environ.get("SCN_NO_CACHE", "").strip().lower() not in _TRUE


def _base() -> Path:
    explicit = os.environ.get("SCN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "scn" if xdg else Path.home() / ".cache" / "scn"


def cache_dir() -> Path | None:
    """The cache folder, created if need be; None when caching is off or unsafe."""
    if not caching_enabled():
        return None
    try:
        base = _base()
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = base.stat()
    except (OSError, RuntimeError):  # no home, read-only file system, a file in the way
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return None  # somebody else's folder: their pickles would run as us
    if st.st_mode & 0o022:
        return None  # others may write into it
    return base


def store(file: Path, write: Callable[[IO[bytes]], T]) -> T | None:
    """Write a cache entry: ``write`` fills a temporary file beside ``file``, which then takes its place
    at once (a reader never sees half an entry). What ``write`` returned; None when the disk refused
    (full, read-only): the cache is only slower. Anything ``write`` raises goes on, the file left out."""
    tmp = file.with_suffix(f".{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            result = write(fh)
        os.replace(tmp, file)
        return result
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
