"""ElastiCache in the reference model: Redis and Memcached clusters, nodes, backups, billing,
CloudWatch metrics, and the caching patterns of an application in front of DynamoDB.

The package, each module owning one thing (sources and decisions in each docstring):

- :mod:`.kinds`: the words, as data;
- :mod:`.nodes`: cache nodes (the bottom, with :mod:`.metrics`: which engine publishes what);
- :mod:`.cluster`: clusters, their key store, evictions, failover, billing, creation;
- :mod:`.backups`: Redis backups;
- :mod:`.patterns`: lazy loading and write-through: the one module that imports another
  service, DynamoDB (its ``tables`` and ``access`` modules, never the other way round).
"""

from __future__ import annotations

from . import backups, cluster, nodes, patterns
from .kinds import VOCABULARY


def install(world) -> None:
    cluster.install(world)
    nodes.install(world)
    backups.install(world)
    patterns.install(world)


__all__ = ["VOCABULARY", "install"]
