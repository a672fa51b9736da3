"""The reference backend: an executable, deterministic model of AWS as documented.

It is the default backend of scn, and an ordinary plugin: registered through the
``scn`` entry-point group, like any third-party one.

Importing it imports none of the model: the services are imported when a hook first
asks for the words (``scn_vocabulary``) or the backend (``scn_backends``), so that a
process that never compiles a spec (pytest without .scn files) does not pay for them.
"""

from __future__ import annotations

import functools
from typing import Any

from scenario.hookspecs import hookimpl

__all__ = ["CAPABILITIES", "GENERAL_CAPABILITIES", "capabilities", "scn_vocabulary", "scn_backends"]

#: what the model does across services: the virtual clock, billing, quotas, injected faults, instance metadata
GENERAL_CAPABILITIES = frozenset({"limits", "billing", "clock", "faults", "metadata"})


@functools.lru_cache(maxsize=1)
def capabilities() -> frozenset[str]:
    """Every capability the model's words need (one per service, and per word that needs more), and the general ones:
    what the model can do (a new service brings its capability along)."""
    from scenario.vocabulary import Kind

    from .vocabulary import VOCABULARY

    needed = set(GENERAL_CAPABILITIES)
    for item in VOCABULARY:
        words: tuple[Any, ...] = (item,)
        if isinstance(item, Kind):
            words += (*item.attributes, *item.actions, *item.relations)
        needed.update(w.capability for w in words if w.capability)
    return frozenset(needed)


def __getattr__(name: str) -> Any:
    if name == "CAPABILITIES":  # computed on first use: it needs every service's words
        return capabilities()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@hookimpl
def scn_vocabulary():
    from .vocabulary import VOCABULARY

    return list(VOCABULARY)


@hookimpl
def scn_backends():
    from scenario.backend import BackendInfo

    from .world import ReferenceWorld

    return [
        BackendInfo(
            name="reference",
            capabilities=capabilities(),
            open_world=ReferenceWorld,
            description="the embedded, deterministic model of AWS behaviour as documented",
        )
    ]
