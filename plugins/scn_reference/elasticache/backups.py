"""ElastiCache backups (snapshots): Redis only.

Sources: specs/notes/aws-architecture-notes.md, "Elasticache" ("Redis … backup/restore");
AWS's ElastiCache API reference (botocore): CreateSnapshot refuses a Memcached cluster
with ``SnapshotFeatureNotSupportedFault`` ("Creating a snapshot of a cluster that is
running Memcached rather than Valkey or Redis OSS … not supported"); a cluster created
from a snapshot (SnapshotName) starts with its data. A backup outlives its cluster.

This module owns the backup; it copies a cluster's entries (:class:`.cluster.Entry`). The words
are in :mod:`.kinds`.
"""

from __future__ import annotations

from scenario.errors import BackendError

from ..model import Resource
from .cluster import Entry


class Backup(Resource):
    kind = "cache backup"

    def __init__(self, id, label, cluster, entries):
        super().__init__(id, label)
        self.cluster = cluster
        self.entries = entries
        self.deleted = False

    def act(self, world, action, target, params):
        self.deleted = True  # the only action: delete
        return ()

    def relations(self, world):
        return frozenset({("of", self.cluster)})

    ATTRIBUTES = {"item count": lambda w, b: len(b.entries), "engine": lambda w, b: b.cluster.engine}


def create_backup(world, label, params, relations) -> Backup:
    cluster = next((t for _r, t in relations if getattr(t, "kind", None) == "elasticache cluster"), None)
    if cluster is None:  # CreateSnapshot needs a CacheClusterId or ReplicationGroupId
        raise BackendError("MissingParameter", "A cache backup is taken of an elasticache cluster.")
    if not cluster.redis_like:
        raise BackendError("SnapshotFeatureNotSupportedFault",
                           "Creating a snapshot of a cluster that is running Memcached rather than Valkey or Redis OSS is not supported.")
    entries = {k: Entry(e.value, e.size, e.expires, e.used) for k, e in cluster.store.items() if cluster.entry(world, k)}
    return Backup(world.new_id("snapshot"), label, cluster, entries)


def install(world) -> None:
    world.creators["cache backup"] = create_backup
    world.counters[("cache backup", "of")] = lambda w, c: sum(1 for b in w.of_kind("cache backup") if b.cluster is c and not b.deleted)
