"""The reference backend: an executable, deterministic model of AWS as documented.

It is the default backend of scn, and an ordinary plugin: registered through the
``scn`` entry-point group, like any third-party one.
"""

from __future__ import annotations

from scenario.backend import BackendInfo
from scenario.hookspecs import hookimpl
from scenario.vocabulary import Kind

from .vocabulary import VOCABULARY

#: what the model does across services: the virtual clock, billing, quotas, injected faults, instance metadata
GENERAL_CAPABILITIES = frozenset({"limits", "billing", "clock", "faults", "metadata"})


def _capabilities() -> frozenset[str]:
    """Every capability the model's words need (one per service, and per word that needs more), and the general ones."""
    needed = set(GENERAL_CAPABILITIES)
    for item in VOCABULARY:
        words = (item, *item.attributes, *item.actions, *item.relations) if isinstance(item, Kind) else (item,)
        needed.update(w.capability for w in words if w.capability)
    return frozenset(needed)


#: what the model can do: everything its own vocabulary needs (a new service brings its capability along)
CAPABILITIES = _capabilities()


@hookimpl
def scn_vocabulary():
    return list(VOCABULARY)


@hookimpl
def scn_backends():
    from .world import ReferenceWorld

    return [
        BackendInfo(
            name="reference",
            capabilities=CAPABILITIES,
            open_world=ReferenceWorld,
            description="the embedded, deterministic model of AWS behaviour as documented",
        )
    ]
