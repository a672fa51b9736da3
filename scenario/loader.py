"""From files to compiled features, with a cache of compiled specs.

The cache is keyed by a hash of the file's content, the grammar, the vocabulary
and the version of scn, so an unchanged spec is never parsed or compiled twice.
It lives in ``$SCN_CACHE_DIR`` (default: ``scn-<uid>`` in the temp directory);
``SCN_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

import attrs

from . import ir
from ._cache import cache_dir, store
from ._gc import paused_gc
from ._version import __version__
from .errors import InternalError, ScnSyntaxError, SourceSpan, SpecErrors
from .vocabulary import Vocabulary

__all__ = ["check_file", "check_text", "load_file", "load_text", "open_file", "open_text", "Spec", "compile_chunks", "find_specs",
           "read_spec", "cache_dir", "fact_options"]


# The compiler and the parser (and Lark) are imported when a spec must be compiled: a spec
# loaded from the cache needs neither, and a pytest run of cached specs starts faster for it.


def compile_text(text: str, vocab: Vocabulary, path: str = "<string>", fact_check=None) -> ir.Feature:
    """:func:`scenario.compiler.compile_text`, the whole file at once, imported on the first miss of the cache."""
    return _compile_whole(text, vocab, path, fact_check)


def _compile_whole(text, vocab, path, fact_check) -> ir.Feature:
    from .compiler import compile_text as compile_

    return compile_(text, vocab, path, fact_check)


#: scenarios per pickle of a cache entry: a run holds one chunk of a file at a time, whatever its length
CHUNK = 256


def compile_chunks(text: str, vocab: Vocabulary, path: str = "<string>", fact_check=None) -> Iterator[list[ir.Scenario] | ir.Feature]:
    """The file compiled block by block (:class:`scenario.compiler.CompiledStream`): lists of up to
    :data:`CHUNK` scenarios, then the feature without them, last. A file with a mistake raises
    :class:`SpecErrors` with every mistake of it (compiled whole, as :func:`compile_text` does)."""
    from .compiler import CompiledStream, Unstreamable

    stream = CompiledStream(text, vocab, path, fact_check)
    chunk: list[ir.Scenario] = []
    try:
        for sc in stream:
            chunk.append(sc)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    except Unstreamable:
        _compile_whole(text, vocab, path, fact_check)  # raises SpecErrors: every mistake, each at its line
        raise InternalError(f"{path}: read block by block the file has a mistake, read whole it has none") from None
    if chunk:
        yield chunk
    yield stream.feature()


# A cache entry is a file of pickles: the chunks of scenarios, then a trailer
# {"summary", "feature"}, then 8 bytes giving the trailer's offset. `scn check` reads
# the trailer only: a spec that compiled once needs no second look, nor the cost of
# loading what it compiled to; `scn run` reads the chunks one at a time (open_spec).


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
    return _fingerprint_of(os.path.dirname(os.path.abspath(__file__)))


def _fingerprint_of(here: str) -> str:
    """The .py files under ``here``, sub-folders too (the compiler is one): their paths, sizes and times."""
    found = []
    for folder, subfolders, names in os.walk(here):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        rel = os.path.relpath(folder, here).replace(os.sep, "/")
        for name in names:
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                found.append(f"{rel}/{name}:{st.st_size}:{st.st_mtime_ns};")
    return hashlib.sha256("".join(sorted(found)).encode()).hexdigest()[:16]


_PIECE = 1 << 20


def _key(text: str, path: str, vocab: Vocabulary, extra: str) -> str:
    h = hashlib.sha256()
    for part in (__version__, _grammar_hash(), _code_fingerprint(), vocab.fingerprint(), path, extra, text):
        for i in range(0, len(part), _PIECE):  # a long text in pieces: never a second copy of it in memory
            h.update(part[i : i + _PIECE].encode())
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


def _write_entry(fh: IO[bytes] | None, text: str, path: str, vocab: Vocabulary, fact_check, keep: list | None = None) -> dict:
    """Compile ``text`` into ``fh`` (chunks, trailer, offset); the trailer. ``keep``: a list the scenarios go to
    as well. Without ``fh``, only the trailer: what `scn check` needs when nothing is cached."""
    summary: dict = {"scenarios": 0, "backends": [], "facts": False}  # and "name", the feature's title
    feature = None
    for item in compile_chunks(text, vocab, path, fact_check):
        if isinstance(item, ir.Feature):
            feature = item
            break
        if fh is not None:
            pickle.dump(item, fh, protocol=pickle.HIGHEST_PROTOCOL)
        if keep is not None:
            keep += item
        summary["scenarios"] += len(item)
        summary["facts"] = summary["facts"] or any(sc.facts for sc in item)
        summary["backends"] += [b for b in ir.named_backends_of(item) if b not in summary["backends"]]
    assert feature is not None  # compile_chunks ends with it
    summary["name"] = feature.name
    offset = fh.tell() if fh is not None else 0
    trailer = {"summary": summary, "feature": feature, "offset": offset}
    if fh is not None:
        pickle.dump(trailer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.write(offset.to_bytes(8, "little"))
    return trailer


def _store(text, path, vocab, fact_check, file: Path, keep: list | None = None) -> dict | None:
    """Compile into the cache entry ``file``; its trailer, or None if it could not be written
    (SpecErrors are not cached: they are cheap to find again)."""
    return store(file, lambda fh: _write_entry(fh, text, path, vocab, fact_check, keep))


def _read_trailer(fh: IO[bytes]) -> dict:
    """The trailer of a cache entry; anything damaged, missing or stale raises."""
    size = fh.seek(0, os.SEEK_END)
    fh.seek(size - 8)
    offset = int.from_bytes(fh.read(8), "little")
    if not 0 <= offset < size - 8:
        raise ValueError("no trailer")
    fh.seek(offset)
    trailer = pickle.load(fh)
    summary = trailer["summary"]
    if (not isinstance(trailer["feature"], ir.Feature) or trailer["offset"] != offset or fh.tell() != size - 8
            or not isinstance(summary["scenarios"], int) or not isinstance(summary["backends"], list)):
        raise ValueError("a damaged trailer")
    return trailer


def _read_chunks(fh: IO[bytes], trailer: dict) -> Iterator[list[ir.Scenario]]:
    fh.seek(0)
    while fh.tell() < trailer["offset"]:
        chunk = pickle.load(fh)
        if not isinstance(chunk, list) or not all(isinstance(sc, ir.Scenario) for sc in chunk):
            raise ValueError("a damaged chunk")
        yield chunk
    if fh.tell() != trailer["offset"]:
        raise ValueError("a damaged chunk")


def _load_entry(file: Path) -> ir.Feature:
    """The whole feature a cache entry holds (raises if it is damaged)."""
    with paused_gc(), open(file, "rb") as fh:
        trailer = _read_trailer(fh)
        scenarios = [sc for chunk in _read_chunks(fh, trailer) for sc in chunk]
    if len(scenarios) != trailer["summary"]["scenarios"]:
        raise ValueError("a damaged entry")
    return attrs.evolve(trailer["feature"], scenarios=scenarios)


def load_text(text: str, path: str, vocab: Vocabulary, *, fact_check=None, fact_key: str = "", use_cache: bool | None = None) -> ir.Feature:
    """Compile ``text`` (read from ``path``), from the cache when it is there."""
    file = _cache_file(text, path, vocab, fact_key, use_cache)
    if file is None:
        return compile_text(text, vocab, path, fact_check)
    try:
        return _load_entry(file)
    except Exception:  # missing, damaged or stale: any failure to load is a miss
        pass
    kept: list[ir.Scenario] = []  # what is written to the cache is what this run loads: not read back
    trailer = _store(text, path, vocab, fact_check, file, kept)
    if trailer is None:
        return compile_text(text, vocab, path, fact_check)
    return attrs.evolve(trailer["feature"], scenarios=kept)


def check_text(text: str, path: str, vocab: Vocabulary, *, fact_check=None, fact_key: str = "", use_cache: bool | None = None) -> dict:
    """Check that ``text`` compiles (raising :class:`SpecErrors` if not): a summary,
    ``{"scenarios": n, "backends": [(where, tag, backend), ...], "facts": any @fact tag}``."""
    file = _cache_file(text, path, vocab, fact_key, use_cache)
    if file is not None:
        try:
            with open(file, "rb") as fh:
                return _read_trailer(fh)["summary"]
        except Exception:  # missing, damaged or stale: any failure to load is a miss
            trailer = _store(text, path, vocab, fact_check, file)
            if trailer is not None:
                return trailer["summary"]
    return _write_entry(None, text, path, vocab, fact_check)["summary"]  # without the cache: compiled, kept nowhere


class Spec:
    """A compiled spec file opened for a run: its feature (without scenarios), its summary, and its
    scenarios read one chunk at a time — from the cache entry, or from a temporary file when the cache is
    off — so that a run holds one chunk of a file, whatever its length. A cache entry is opened again for
    each iteration; a temporary file stays open until :meth:`close`.

    A cache entry that goes missing or is damaged during a run (another process cleaned the cache) is
    compiled again, from ``recompile``, into a temporary file, and the run goes on where it was."""

    def __init__(self, source: Path | IO[bytes], trailer: dict, path: str, recompile: Callable[[IO[bytes]], dict]) -> None:
        self._source = source
        self._trailer = trailer
        self._recompile = recompile
        self.feature: ir.Feature = trailer["feature"]
        self.summary: dict = trailer["summary"]
        self.path = path

    def __iter__(self) -> Iterator[ir.Scenario]:
        given = 0
        try:
            for sc in self._read():
                yield sc
                given += 1
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            if not isinstance(self._source, Path):
                raise  # our own temporary file: nothing else writes to it
            self._source = tempfile.TemporaryFile()
            self._trailer = self._recompile(self._source)
            for i, sc in enumerate(self._read()):
                if i >= given:
                    yield sc

    def _read(self) -> Iterator[ir.Scenario]:
        if isinstance(self._source, Path):
            with open(self._source, "rb") as fh:
                for chunk in _read_chunks(fh, self._trailer):
                    yield from chunk
        else:
            for chunk in _read_chunks(self._source, self._trailer):
                yield from chunk

    def close(self) -> None:
        if not isinstance(self._source, Path):
            self._source.close()

    def __enter__(self) -> "Spec":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_text(text: str, path: str, vocab: Vocabulary, *, fact_check=None, fact_key: str = "", use_cache: bool | None = None,
              source: Callable[[], str] | None = None) -> Spec:
    """``text`` compiled (from the cache when it is there) and opened for a run: see :class:`Spec`.
    ``source`` reads the text again if the cache entry has to be compiled anew during the run (by
    default the text is kept for that)."""
    again = source if source is not None else (lambda: text)

    def recompile(fh: IO[bytes]) -> dict:
        return _write_entry(fh, again(), path, vocab, fact_check)

    file = _cache_file(text, path, vocab, fact_key, use_cache)
    if file is not None:
        try:
            with open(file, "rb") as fh:
                return Spec(file, _read_trailer(fh), path, recompile)
        except Exception:  # missing, damaged or stale: a miss
            trailer = _store(text, path, vocab, fact_check, file)
            if trailer is not None:
                return Spec(file, trailer, path, recompile)
    spool = tempfile.TemporaryFile()
    try:
        return Spec(spool, _write_entry(spool, text, path, vocab, fact_check), path, recompile)
    except BaseException:
        spool.close()
        raise


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


def open_file(path: str | os.PathLike, vocab: Vocabulary, **kwargs) -> Spec:
    """The spec at ``path`` opened for a run, chunk by chunk: see :class:`Spec`."""
    p = Path(path)
    shown = _display_path(p)
    return open_text(read_spec(p, shown), shown, vocab, source=lambda: read_spec(p, shown), **{**fact_options(p), **kwargs})


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
