"""EC2 compute: (being written)."""

from __future__ import annotations

from .model import KindExtras

VOCABULARY = ()
INSTANCE_EXTRAS = KindExtras()


def install(world) -> None:
    pass
