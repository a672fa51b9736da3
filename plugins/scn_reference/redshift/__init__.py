"""Amazon Redshift in the reference model: provisioned clusters, snapshots, restores.

The package: the words in :mod:`.kinds` (its docstring names the sources and the decisions);
clusters and snapshots, their creation and the clock in :mod:`.cluster`.
"""

from __future__ import annotations

from . import cluster
from .kinds import VOCABULARY


def install(world) -> None:
    cluster.install(world)


__all__ = ["VOCABULARY", "install"]
