"""The plugin manager: hook specs, the ``scn`` entry-point group, and what they give."""

from __future__ import annotations

import functools

import attrs
import pluggy

from . import hookspecs
from .backend import BackendInfo
from .errors import ConfigurationError
from .vocabulary import Vocabulary

__all__ = ["get_plugin_manager", "vocabulary", "backends", "backend", "with_unsupported"]

ENTRY_POINT_GROUP = "scn"


@functools.lru_cache(maxsize=1)
def get_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("scn")
    pm.add_hookspecs(hookspecs)
    # the built-in backends too: nothing is registered by hand, nothing built-in is privileged
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    pm.check_pending()
    return pm


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    items = []
    for contributed in get_plugin_manager().hook.scn_vocabulary():
        items.extend(contributed or ())
    vocab = Vocabulary(items)
    vocab.check_references()
    return vocab


@functools.lru_cache(maxsize=1)
def backends() -> dict[str, BackendInfo]:
    out: dict[str, BackendInfo] = {}
    for contributed in get_plugin_manager().hook.scn_backends():
        for b in contributed or ():
            if b.name in out:
                raise ConfigurationError(f"two plugins contribute a backend named {b.name!r}")
            out[b.name] = with_unsupported(b) if b.supports is not None else b
    return out


def with_unsupported(info: BackendInfo, vocab: Vocabulary | None = None) -> BackendInfo:
    """``info`` with every kind and member of the vocabulary its ``supports`` says no to added to ``unsupported``.

    The core asks, once, outside any hook: a backend never needs the plugin manager inside its own.
    """
    if info.supports is None:
        return info
    vocab = vocabulary() if vocab is None else vocab
    no = set()
    for kind in vocab.kinds.values():
        if not info.supports(kind.name):
            no.add(kind.name)
            continue
        members = [a.name for a in kind.attributes] + [a.verb for a in kind.actions] + [r.name for r in kind.relations]
        no.update(f"{kind.name}.{m}" for m in members if not info.supports(f"{kind.name}.{m}"))
    return attrs.evolve(info, unsupported=info.unsupported | no)


def backend(name: str) -> BackendInfo:
    found = backends()
    if name not in found:
        names = ", ".join(sorted(found)) or "none"
        raise ConfigurationError(f"unknown backend {name!r}; installed backends: {names}")
    return found[name]
