"""The plugin manager: hook specs, the ``scn`` entry-point group, and what they give.

Nothing here runs at import: the entry points are read, and the plugins imported,
when a command first needs the plugin manager (``scn --version`` and ``scn check``'s
argument parsing never do), and the ``scn`` group is read from the installed
distributions' ``entry_points.txt`` directly, without importing
:mod:`importlib.metadata` (a tenth of ``scn check``).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from typing import TYPE_CHECKING, Any, Iterator

import pluggy

from . import hookspecs

if TYPE_CHECKING:
    from .backend import BackendInfo
    from .vocabulary import Vocabulary

__all__ = ["get_plugin_manager", "vocabulary", "backends", "backend", "with_unsupported", "entry_points"]

ENTRY_POINT_GROUP = "scn"


@functools.lru_cache(maxsize=1)
def get_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("scn")
    pm.add_hookspecs(hookspecs)
    # the built-in backends too: nothing is registered by hand, nothing built-in is privileged
    found = entry_points(ENTRY_POINT_GROUP)
    if found is None:  # distributions only importlib.metadata can see (a zipped path, a finder of its own)
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    else:
        for name, value in found:  # as pluggy loads them: the first of a name wins, a blocked name is skipped
            if pm.get_plugin(name) is not None or pm.is_blocked(name):
                continue
            pm.register(_load(value), name=name)
    pm.check_pending()
    return pm


def entry_points(group: str) -> list[tuple[str, str]] | None:
    """(name, value) of each entry point of ``group`` of the distributions on ``sys.path``, in
    :func:`importlib.metadata.distributions`'s order (path by path), read from their ``entry_points.txt``.

    None when a distribution may be where only importlib.metadata looks: a path entry that is a file
    (a zip) or a meta-path finder of its own that finds distributions; the caller asks importlib.metadata then.
    """
    from importlib.machinery import PathFinder

    if any(getattr(f, "find_distributions", None) is not None and f is not PathFinder for f in sys.meta_path):
        return None
    header = f"[{group}]"
    out: list[tuple[str, str]] = []
    for entry in sys.path:
        folder = entry or "."
        if folder.lower().endswith(".egg"):  # an old-style egg folder: its EGG-INFO is importlib.metadata's to read
            return None
        try:
            names = os.listdir(folder)
        except NotADirectoryError:
            return None
        except OSError:  # missing, unreadable: importlib.metadata finds nothing there either
            continue
        # importlib.metadata's order: a folder's distributions grouped by normalized name, in listing order
        by_name: dict[str, list[str]] = {}
        for name in names:
            low = name.lower()
            if low.endswith((".dist-info", ".egg-info")):
                project = re.sub(r"[-_.]+", "-", low.rpartition(".")[0].partition("-")[0]).replace("-", "_")
                by_name.setdefault(project, []).append(name)
        for name in (n for group_ in by_name.values() for n in group_):
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:  # no entry points (or an egg-info that is a file)
                continue
            if header in text:
                out.extend(_section(text, group))
    return out


def _section(text: str, group: str) -> Iterator[tuple[str, str]]:
    """The ``name = value`` lines of ``[group]`` in an ``entry_points.txt`` (the format importlib.metadata reads)."""
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        if current == group:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def _load(value: str) -> Any:
    """What an entry point's value names: ``module`` or ``module:attribute.path`` (extras ignored, as by importlib)."""
    import importlib

    module, _, attr = value.partition("[")[0].strip().partition(":")
    obj: Any = importlib.import_module(module.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from .vocabulary import Vocabulary

    items: list[Any] = []
    for contributed in get_plugin_manager().hook.scn_vocabulary():
        items.extend(contributed or ())
    vocab = Vocabulary(items)
    vocab.check_references()
    return vocab


@functools.lru_cache(maxsize=1)
def backends() -> dict[str, BackendInfo]:
    from .errors import ConfigurationError

    out: dict[str, BackendInfo] = {}
    for contributed in get_plugin_manager().hook.scn_backends():
        for b in contributed or ():
            if b.name in out:
                raise ConfigurationError(f"two plugins contribute a backend named {b.name!r}")
            out[b.name] = _later_unsupported(b) if b.supports is not None else b
    return out


def _later_unsupported(info: BackendInfo) -> BackendInfo:
    """``info`` whose ``unsupported`` adds what its ``supports`` says no to, asked the first time it is read (a run
    that never reads it, or never uses the backend, asks nothing)."""
    import attrs

    def unsupported() -> frozenset[str]:
        return info.unsupported | _refused(info)

    return attrs.evolve(info, unsupported=unsupported)


def with_unsupported(info: BackendInfo, vocab: Vocabulary | None = None) -> BackendInfo:
    """``info`` with every kind and member of the vocabulary its ``supports`` says no to added to ``unsupported``.

    The core asks, once, outside any hook: a backend never needs the plugin manager inside its own.
    """
    if info.supports is None:
        return info
    import attrs

    unsupported: Any = info.unsupported | _refused(info, vocab)  # (evolve types a converted field by its converter)
    return attrs.evolve(info, unsupported=unsupported)


def _refused(info: BackendInfo, vocab: Vocabulary | None = None) -> set[str]:
    """Every kind and member of the vocabulary ``info.supports`` says no to."""
    supports = info.supports
    if supports is None:
        return set()
    vocab = vocabulary() if vocab is None else vocab
    no: set[str] = set()
    for kind in vocab.kinds.values():
        if not supports(kind.name):
            no.add(kind.name)
            continue
        members = [a.name for a in kind.attributes] + [a.verb for a in kind.actions] + [r.name for r in kind.relations]
        no.update(f"{kind.name}.{m}" for m in members if not supports(f"{kind.name}.{m}"))
    return no


def backend(name: str) -> BackendInfo:
    found = backends()
    if name not in found:
        from .errors import ConfigurationError

        names = ", ".join(sorted(found)) or "none"
        raise ConfigurationError(f"unknown backend {name!r}; installed backends: {names}")
    return found[name]
