"""Amazon Aurora in the reference model: clusters and their shared volume, Aurora Replicas,
failover, backups, Aurora Serverless, Global Database and cross-Region MySQL replicas.

The package, each module owning one thing:

- :mod:`.kinds`: the words, as data; its docstring names the sources and the decisions;
- :mod:`.global_database`: Global Databases and cross-Region MySQL replicas (the bottom: it
  knows clusters only by their attributes);
- :mod:`.cluster`: clusters and their DB instances, the volume, backups, Serverless settings,
  creation;
- :mod:`.failover`: instance and storage faults, promotion, replacement, auto-pause, the clock.
"""

from __future__ import annotations

from . import cluster, failover, global_database
from .kinds import VOCABULARY


def install(world) -> None:
    cluster.install(world)
    failover.install(world)
    global_database.install(world)


__all__ = ["VOCABULARY", "install"]
