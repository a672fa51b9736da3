"""Aurora across Regions: Global Database, and cross-Region Aurora MySQL read replicas.

Sources: notes "Amazon Aurora" (Global Database: "a single Aurora database can span multiple
AWS regions ... storage-based replication ... typical latency of less than 1 second"; "MySQL
Read Replica (up to 5)"); Aurora user guide "Using Amazon Aurora Global Database" (one primary
cluster, read-only secondary clusters in other Regions; RemoveFromGlobalCluster detaches a
secondary, which becomes a standalone, writable cluster; the primary is removed last) and
"Replicating Amazon Aurora MySQL DB clusters across AWS Regions" (up to five cross-Region
read replica clusters per source, binlog replication, Aurora MySQL only).

Decisions: a secondary's replication lag is a constant 0.2 s (AWS: "typically under a
second"; the figure is the model's). Two members of one Global Database in the same Region are
refused (`InvalidParameterValue`, the model's choice: AWS documents the rule, not the code);
so are a sixth MySQL replica (`DBClusterQuotaExceededFault`) and a MySQL replica of an Aurora
PostgreSQL cluster (`InvalidParameterCombination`): specs claim only `it fails`.

This module owns the Global Database and MySQL replica resources and what joining and leaving do
to a cluster; it knows clusters only by their attributes (region, global role, instances), so it
imports nothing of the package: :mod:`.cluster` builds on it. The words are in :mod:`.kinds`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource

GLOBAL_LAG_SECONDS = 0.2  # "typical latency of less than 1 second"
MAX_MYSQL_REPLICAS = 5
MYSQL_REPLICA_REGION = "us-west-2"  # where a cross-Region replica goes unless told

class GlobalDatabase(Resource):
    kind = "aurora global database"

    def __init__(self, id: str, label: str) -> None:
        super().__init__(id, label)
        self.members: list[Any] = []  # its cluster.Cluster members (that module imports this one)

    @property
    def primary(self) -> Any:
        return next((c for c in self.members if c.global_role == "primary"), None)

    ATTRIBUTES = {
        "state": lambda w, g: "available",
        "primary region": lambda w, g: g.primary.region if g.primary else None,
        "region count": lambda w, g: len({c.region for c in g.members}),
    }


class MySQLReplica(Resource):
    kind = "aurora mysql replica"

    def __init__(self, id, label, source, region):
        super().__init__(id, label)
        self.source, self.region = source, region

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.source)})

    ATTRIBUTES = {
        "state": lambda w, r: "available",
        "region": lambda w, r: r.region,
        "replication source": lambda w, r: r.source.id,
        "writable": lambda w, r: False,
    }


def join(world, cluster, group: GlobalDatabase) -> None:
    """A new cluster joins a Global Database: the first is its primary, the others secondaries."""
    taken = {c.region for c in group.members}
    if cluster.region in taken:
        raise BackendError("InvalidParameterValue",
                           f"The global database {group.id} already has a cluster in {cluster.region}: each Region holds one.")
    cluster.global_db = group
    cluster.global_role = "secondary" if group.members else "primary"
    group.members.append(cluster)


def detach(world, cluster) -> None:
    """RemoveFromGlobalCluster: the cluster leaves and stands alone, writable."""
    group = cluster.global_db
    if group is None:
        raise BackendError("GlobalClusterNotFoundFault", f"The DB cluster {cluster.id} is not in a global database.")
    if cluster.global_role == "primary" and len(group.members) > 1:
        raise BackendError("InvalidGlobalClusterStateFault",
                           f"The primary cluster {cluster.id} is removed last: remove the secondary clusters first.")
    group.members.remove(cluster)
    cluster.global_db = cluster.global_role = None
    first = next((i for i in cluster.instances if i.state == "available"), cluster.instances[0])
    if cluster.writer is None:
        first.role = "writer"


def lag(cluster) -> float | None:
    return GLOBAL_LAG_SECONDS if cluster.global_role == "secondary" else None


def create_global(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> GlobalDatabase:
    return GlobalDatabase(world.new_id("global"), label)


def create_mysql_replica(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> MySQLReplica:
    source = next((t for r, t in relations if r == "of"), None)
    if source is None:
        raise BackendError("InvalidParameterValue", "A MySQL read replica is created `of` the Aurora MySQL cluster it replicates.")
    if source.engine != "aurora-mysql":
        raise BackendError("InvalidParameterCombination",
                           f"Cross-Region binlog read replicas are for Aurora MySQL; {source.id} runs {source.engine}.")
    replicas = [r for r in world.aurora_mysql_replicas if r.source is source]
    if len(replicas) >= MAX_MYSQL_REPLICAS:
        raise BackendError("DBClusterQuotaExceededFault",
                           f"An Aurora MySQL cluster can have at most {MAX_MYSQL_REPLICAS} cross-Region read replicas.")
    replica = MySQLReplica(world.new_id("cluster"), label, source, params.get("region", MYSQL_REPLICA_REGION))
    world.aurora_mysql_replicas.append(replica)
    return replica


def install(world) -> None:
    world.aurora_mysql_replicas = []
    world.creators["aurora global database"] = create_global
    world.creators["aurora mysql replica"] = create_mysql_replica
    world.counters[("aurora cluster", "in")] = lambda w, g: len(g.members)
    world.counters[("aurora mysql replica", "of")] = lambda w, c: len([r for r in w.aurora_mysql_replicas if r.source is c])
