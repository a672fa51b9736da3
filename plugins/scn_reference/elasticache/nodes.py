"""ElastiCache nodes: Memcached scales out and in by nodes; a Redis node is a primary or a replica.

Sources: specs/notes/aws-architecture-notes.md, "Elasticache" ("Memcached … can be
scaled in and out"); AWS's ElastiCache user guide, "Scaling clusters for Memcached"
(nodes added and removed; each node holds its own share of the keys, lost with it) and
"Scaling replica nodes for Valkey or Redis OSS (cluster mode disabled)" (a node added
is a replica: up to five); CreateCacheCluster (a Memcached cluster has 1 to 40 nodes).
The primary node cannot be removed, nor a cluster's last node; a Redis cluster with
automatic failover keeps at least one replica.

This module owns the node (the bottom of the package: a cluster is made of nodes); the words
are in :mod:`.kinds`.
"""

from __future__ import annotations

import math

from scenario.errors import BackendError

from ..model import Resource

HOUR = 3600

class Node(Resource):
    kind = "cache node"

    # cluster: the cluster.Cluster it belongs to (that module imports this one)
    def __init__(self, id: str, label: str, cluster: Resource, role: str | None, zone: str, now: float) -> None:
        super().__init__(id, label)
        self.cluster = cluster
        self.role = role
        self.zone = zone
        self.started = now
        self.ended: float | None = None

    def act(self, world, action, target, params):
        self.cluster.remove(world, self)  # the only action: remove
        return ("modifying",)

    def exists(self, world) -> bool:
        return self.ended is None

    def relations(self, world):
        return frozenset({("of", self.cluster), ("added to", self.cluster)}) if self.ended is None else frozenset()

    def hours(self, world) -> int:
        return math.ceil(((self.ended if self.ended is not None else world.now) - self.started) / HOUR)

    ATTRIBUTES = {"node id": lambda w, n: n.id, "role": lambda w, n: n.role, "availability zone": lambda w, n: n.zone}


def add_node(world, label, params, relations) -> Node:
    cluster = next((t for _r, t in relations if getattr(t, "kind", None) == "elasticache cluster"), None)
    if cluster is None:  # nodes are added to a cluster (ModifyCacheCluster NumCacheNodes)
        raise BackendError("MissingParameter", "A cache node is added to an elasticache cluster.")
    return cluster.add_node(world, label, params.get("availability zone"))


def install(world) -> None:
    world.creators["cache node"] = add_node
    world.counters[("cache node", "of")] = lambda w, c: len(c.live())
    world.counters[("cache node", "added to")] = lambda w, c: len(c.live())
