"""Amazon ElastiCache: clusters (Redis / Valkey replication groups, Memcached cache clusters), nodes, backups.

A Redis (or Valkey) cluster is a replication group with cluster mode disabled:
CreateReplicationGroup with ``NumCacheClusters`` = the primary and its replicas
(AWS's parameter for one node group), ``AutomaticFailoverEnabled``, ``MultiAZEnabled``,
``AtRestEncryptionEnabled``, ``TransitEncryptionEnabled``, ``SnapshotName`` when
restored from a backup. Its nodes are its member cache clusters
(``NodeGroups[0].NodeGroupMembers``: ``CurrentRole``, ``PreferredAvailabilityZone``).
A Memcached cluster is a cache cluster: CreateCacheCluster with ``NumCacheNodes``
(``TransitEncryptionEnabled`` for in-transit encryption); its nodes are its
``CacheNodes``.

What only a replication group takes (replicas, at-rest encryption, automatic failover,
Multi-AZ) asked of Memcached is asked of CreateReplicationGroup with ``Engine``
memcached, which AWS's reference says must be Redis (or Valkey); a Redis cluster
with a node count is CreateCacheCluster with that ``NumCacheNodes``, which "must be 1"
for Redis. Either way the endpoint answers, and the spec's claim decides.

A node is added to a Redis cluster as AWS's guide adds a read replica: CreateCacheCluster
with the group's ``ReplicationGroupId``; removed with DeleteCacheCluster. A Memcached
cluster scales with ModifyCacheCluster (``NumCacheNodes``, ``CacheNodeIdsToRemove``).
`"c" is failed over` is TestFailover on the group's node group 0001. A backup is
CreateSnapshot. The engines' metrics are read from CloudWatch (namespace
``AWS/ElastiCache``, dimension ``CacheClusterId``: the primary's member cluster for a
group): gauges are the latest datapoint's average, counters the sum since creation; a
metric with no datapoint reads none.

A cluster being deleted (``deleting``) no longer exists for a spec: DescribeCacheClusters
and DescribeReplicationGroups show it until AWS has removed it.
"""

from __future__ import annotations

import datetime
from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, carries, tag_dict
from .dynamodb import APPLICATION

DEFAULT_NODE_TYPE = "cache.t3.micro"
#: statuses a cluster or group passes through on its own (the CacheClusterAvailable / ReplicationGroupAvailable waiters')
TRANSITIONAL = frozenset({"creating", "modifying", "snapshotting", "rebooting cluster nodes", "incompatible-network"})
SNAPSHOT_TRANSITIONAL = frozenset({"creating", "restoring", "exporting", "copying"})
GONE_STATES = frozenset({"deleting", "deleted"})
CLUSTER_GONE = frozenset({"CacheClusterNotFound", "CacheClusterNotFoundFault"})
GROUP_GONE = frozenset({"ReplicationGroupNotFoundFault", "ReplicationGroupNotFound"})
SNAPSHOT_GONE = frozenset({"SnapshotNotFoundFault", "SnapshotNotFound"})
REDIS_ONLY = ("replica count", "at-rest encryption", "automatic failover", "multi-az")

#: metric attribute → (CloudWatch metric, statistic): gauges read their latest Average, counters their Sum
METRICS: dict[str, tuple[str, str]] = {
    "cpu utilization": ("CPUUtilization", "Average"),
    "swap usage": ("SwapUsage", "Average"),
    "evictions": ("Evictions", "Sum"),
    "curr connections": ("CurrConnections", "Average"),
    "curr items": ("CurrItems", "Average"),
    "engine cpu utilization": ("EngineCPUUtilization", "Average"),
    "memory fragmentation ratio": ("MemoryFragmentationRatio", "Average"),
    "cache hits": ("CacheHits", "Sum"),
    "cache misses": ("CacheMisses", "Sum"),
    "cache hit rate": ("CacheHitRate", "Average"),
    "get hits": ("GetHits", "Sum"),
    "get misses": ("GetMisses", "Sum"),
}


# ---------------------------------------------------------------- reading
def is_group(handle: Handle) -> bool:
    return handle.refs.get("api") == "group"


def describe_group(world: Boto3World, group_id: str) -> Mapping[str, Any]:
    return world.call("elasticache", "describe_replication_groups", "describing a replication group",
                      ReplicationGroupId=group_id)["ReplicationGroups"][0]


def describe_cluster(world: Boto3World, cluster_id: str) -> Mapping[str, Any]:
    return world.call("elasticache", "describe_cache_clusters", "describing a cache cluster",
                      CacheClusterId=cluster_id, ShowCacheNodeInfo=True)["CacheClusters"][0]


def describe(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return describe_group(world, handle.id) if is_group(handle) else describe_cluster(world, handle.id)


def status_of(d: Mapping[str, Any]) -> str:
    return str(d.get("Status") or d.get("CacheClusterStatus") or "")


def members(d: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The node group members of a replication group (cluster mode disabled: one node group)."""
    return [m for g in d.get("NodeGroups") or () for m in g.get("NodeGroupMembers") or ()]


def primary_member(d: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return next((m for m in members(d) if m.get("CurrentRole") == "primary"), None)


def read_state(world: Boto3World, handle: Handle) -> str:
    return status_of(describe(world, handle))


def _gone(world: Boto3World, handle: Handle) -> bool:
    """Not found, or being deleted."""
    try:
        return read_state(world, handle) in GONE_STATES
    except BackendError as exc:
        if exc.code in CLUSTER_GONE | GROUP_GONE:
            return True
        raise


# ---------------------------------------------------------------- clusters
def _restored_from(relations: Sequence[tuple[str, Any]]) -> Handle | None:
    return next((t for r, t in relations if r == "restored from"), None)


def create_cluster(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    engine = str(params.get("engine", "redis"))
    node_type = str(params.get("node type", DEFAULT_NODE_TYPE))
    backup = _restored_from(relations)
    name = world.resource_name(label, max_length=40, lower=True)
    group = (engine != "memcached" and "node count" not in params) or any(k in params for k in REDIS_ONLY)
    if group:
        kw: dict[str, Any] = dict(ReplicationGroupId=name, ReplicationGroupDescription=f"scn {label}"[:255],
                                  Engine=engine, CacheNodeType=node_type,
                                  NumCacheClusters=1 + int(params.get("replica count", 0)),
                                  Tags=world.tag_list(label))
        for attr, key in (("automatic failover", "AutomaticFailoverEnabled"), ("multi-az", "MultiAZEnabled"),
                          ("at-rest encryption", "AtRestEncryptionEnabled"),
                          ("in-transit encryption", "TransitEncryptionEnabled")):
            if attr in params:
                kw[key] = bool(params[attr])
        if backup is not None:
            kw["SnapshotName"] = backup.id
        answer = world.call("elasticache", "create_replication_group", f"creating a {engine} replication group", **kw)
        made = answer["ReplicationGroup"]
        handle = Handle("elasticache cluster", made["ReplicationGroupId"], label, refs={"api": "group"})
    else:
        kw = dict(CacheClusterId=name, Engine=engine, CacheNodeType=node_type,
                  NumCacheNodes=int(params.get("node count", 1)), Tags=world.tag_list(label))
        if "in-transit encryption" in params:
            kw["TransitEncryptionEnabled"] = bool(params["in-transit encryption"])
        if backup is not None:
            kw["SnapshotName"] = backup.id
        answer = world.call("elasticache", "create_cache_cluster", f"creating a {engine} cache cluster", **kw)
        made = answer["CacheCluster"]
        handle = Handle("elasticache cluster", made["CacheClusterId"], label, refs={"api": "cluster"})
    world.remember(handle)
    handle.creation_states = tuple(world.wait(handle, lambda: read_state(world, handle), TRANSITIONAL,
                                              [status_of(made)]))
    return handle


def _zones(world: Boto3World, handle: Handle, d: Mapping[str, Any]) -> set[str]:
    if is_group(handle):
        return {m["PreferredAvailabilityZone"] for m in members(d) if m.get("PreferredAvailabilityZone")}
    zones = {n.get("CustomerAvailabilityZone") for n in d.get("CacheNodes") or ()} - {None}
    return zones or ({d["PreferredAvailabilityZone"]} if d.get("PreferredAvailabilityZone") else set())


def node_count(d: Mapping[str, Any]) -> int:
    if "MemberClusters" in d or "NodeGroups" in d:
        return len(d.get("MemberClusters") or ())
    return int(d.get("NumCacheNodes") or 0)


def _metric_cluster(handle: Handle, d: Mapping[str, Any]) -> str:
    if is_group(handle):
        primary = primary_member(d)
        return primary["CacheClusterId"] if primary else (d.get("MemberClusters") or [handle.id])[0]
    return handle.id


def read_metric(world: Boto3World, handle: Handle, d: Mapping[str, Any], attribute: str) -> Any:
    metric, statistic = METRICS[attribute]
    now = datetime.datetime.now(datetime.timezone.utc)
    created = d.get("ReplicationGroupCreateTime") or d.get("CacheClusterCreateTime")
    start = created if isinstance(created, datetime.datetime) else now - datetime.timedelta(hours=1)
    start = min(start, now - datetime.timedelta(minutes=5))
    answer = world.call("cloudwatch", "get_metric_statistics", f"reading the {metric} metric of a cache cluster",
                        Namespace="AWS/ElastiCache", MetricName=metric,
                        Dimensions=[{"Name": "CacheClusterId", "Value": _metric_cluster(handle, d)}],
                        StartTime=start, EndTime=now + datetime.timedelta(minutes=1), Period=60, Statistics=[statistic])
    points = sorted(answer.get("Datapoints") or (), key=lambda p: p["Timestamp"])
    if not points:
        return None
    if statistic == "Sum":
        return sum(p["Sum"] for p in points)
    return points[-1][statistic]


def observe_cluster(world: Boto3World, handle: Handle, attribute: str) -> Any:
    d = describe(world, handle)
    group = is_group(handle)
    if attribute == "state":
        return status_of(d)
    if attribute == "engine":
        return d.get("Engine")
    if attribute == "node type":
        return d.get("CacheNodeType")
    if attribute == "node count":
        return node_count(d)
    if attribute == "replica count":
        if not group:
            return 0
        return sum(1 for m in members(d) if m.get("CurrentRole") == "replica") if members(d) \
            else max(node_count(d) - 1, 0)
    if attribute == "at-rest encryption":
        return bool(d.get("AtRestEncryptionEnabled"))
    if attribute == "in-transit encryption":
        return bool(d.get("TransitEncryptionEnabled"))
    if attribute == "automatic failover":
        return group and d.get("AutomaticFailover") in ("enabled", "enabling")
    if attribute == "multi-az":
        return group and d.get("MultiAZ") == "enabled"
    if attribute == "primary node":
        primary = primary_member(d) if group else None
        return primary["CacheClusterId"] if primary else None
    if attribute == "availability zone count":
        return len(_zones(world, handle, d))
    if attribute in METRICS:
        return read_metric(world, handle, d, attribute)
    raise NotImplementedByBackend(f"the {attribute} of an elasticache cluster")


def act_cluster(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "delete":
        if is_group(handle):
            answer = world.call("elasticache", "delete_replication_group", "deleting a replication group",
                                ReplicationGroupId=handle.id, RetainPrimaryCluster=False)
            first = status_of(answer["ReplicationGroup"])
        else:
            answer = world.call("elasticache", "delete_cache_cluster", "deleting a cache cluster", CacheClusterId=handle.id)
            first = status_of(answer["CacheCluster"])
        handle.released = True
        world.wait_until(lambda: _gone(world, handle), handle, "deleted")
        return (first,)
    if action == "fail over":
        # TestFailover names a replication group: a Memcached cluster's id is none (AWS: ReplicationGroupNotFoundFault)
        seen: list[str] = []
        answer = world.call("elasticache", "test_failover", "testing a failover", ReplicationGroupId=handle.id,
                            NodeGroupId="0001")
        seen.append(status_of(answer["ReplicationGroup"]))
        return world.wait(handle, lambda: read_state(world, handle), TRANSITIONAL, seen)
    raise NotImplementedByBackend(f"{action} on an elasticache cluster")


def cluster_exists(world: Boto3World, handle: Handle) -> bool:
    return not _gone(world, handle)


def cluster_relations(world: Boto3World, handle: Handle) -> frozenset:
    raise NotImplementedByBackend("the backup an elasticache cluster is restored from")


def delete_cluster(world: Boto3World, handle: Handle) -> None:
    try:
        act_cluster(world, handle, "delete", None, {})
    except BackendError as exc:
        if exc.code not in CLUSTER_GONE | GROUP_GONE and exc.code != "InvalidReplicationGroupState" \
                and exc.code != "InvalidCacheClusterState":
            raise
        world.wait_until(lambda: _gone(world, handle), handle, "deleted")


# ---------------------------------------------------------------- nodes
def _cluster_of(relations: Sequence[tuple[str, Any]]) -> Handle | None:
    return next((t for r, t in relations if r in ("of", "added to")), None)


def _memcached_node_ids(d: Mapping[str, Any]) -> list[str]:
    return [n["CacheNodeId"] for n in d.get("CacheNodes") or ()]


def create_node(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    cluster = _cluster_of(relations)
    if cluster is None:
        raise NotImplementedByBackend("a cache node of no cluster")
    if is_group(cluster):  # a read replica: a cache cluster in the group (AWS's guide, "Adding a read replica")
        group = describe_group(world, cluster.id)
        kw: dict[str, Any] = dict(CacheClusterId=world.resource_name(label, max_length=50, lower=True),
                                  ReplicationGroupId=cluster.id, Tags=world.tag_list(label))
        if group.get("CacheNodeType"):
            kw["CacheNodeType"] = group["CacheNodeType"]
        if "availability zone" in params:
            kw["PreferredAvailabilityZone"] = str(params["availability zone"])
        made = world.call("elasticache", "create_cache_cluster", "adding a read replica to a replication group",
                          **kw)["CacheCluster"]
        handle = world.remember(Handle("cache node", made["CacheClusterId"], label,
                                       refs={"api": "replica", "cluster": cluster.id}))
        handle.creation_states = tuple(world.wait(handle, lambda: status_of(describe_cluster(world, handle.id)),
                                                  TRANSITIONAL, [status_of(made)]))
        world.wait(cluster, lambda: read_state(world, cluster), TRANSITIONAL)
        return handle
    before = describe_cluster(world, cluster.id)
    known = _memcached_node_ids(before)
    kw = dict(CacheClusterId=cluster.id, NumCacheNodes=int(before.get("NumCacheNodes") or 0) + 1, ApplyImmediately=True)
    if "availability zone" in params:
        kw["NewAvailabilityZones"] = [str(params["availability zone"])]
    world.call("elasticache", "modify_cache_cluster", "adding a node to a cache cluster", **kw)
    states = world.wait(cluster, lambda: read_state(world, cluster), TRANSITIONAL)
    new = [n for n in _memcached_node_ids(describe_cluster(world, cluster.id)) if n not in known]
    if not new:
        raise BackendError("NodeNotAdded", f"ModifyCacheCluster added no node to {cluster.id}")
    handle = world.remember(Handle("cache node", new[-1], label, refs={"api": "node", "cluster": cluster.id}))
    handle.creation_states = tuple(states)
    return handle


def _replica_member(world: Boto3World, handle: Handle) -> Mapping[str, Any] | None:
    try:
        group = describe_group(world, handle.refs["cluster"])
    except BackendError as exc:
        if exc.code in GROUP_GONE:
            return None
        raise
    return next((m for m in members(group) if m.get("CacheClusterId") == handle.id), None)


def _memcached_node(world: Boto3World, handle: Handle) -> Mapping[str, Any] | None:
    try:
        d = describe_cluster(world, handle.refs["cluster"])
    except BackendError as exc:
        if exc.code in CLUSTER_GONE:
            return None
        raise
    return next((n for n in d.get("CacheNodes") or () if n.get("CacheNodeId") == handle.id), None)


def observe_node(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "node id":
        return handle.id
    if handle.refs.get("api") == "replica":
        member = _replica_member(world, handle)
        if attribute == "role":
            return member.get("CurrentRole") if member else None
        if attribute == "availability zone":
            if member and member.get("PreferredAvailabilityZone"):
                return member["PreferredAvailabilityZone"]
            return describe_cluster(world, handle.id).get("PreferredAvailabilityZone")
    else:
        if attribute == "role":
            return None  # Memcached's nodes are peers
        if attribute == "availability zone":
            node = _memcached_node(world, handle)
            return node.get("CustomerAvailabilityZone") if node else None
    raise NotImplementedByBackend(f"the {attribute} of a cache node")


def node_exists(world: Boto3World, handle: Handle) -> bool:
    if handle.refs.get("api") == "replica":
        try:
            return status_of(describe_cluster(world, handle.id)) not in GONE_STATES
        except BackendError as exc:
            if exc.code in CLUSTER_GONE:
                return False
            raise
    return _memcached_node(world, handle) is not None


def remove_node(world: Boto3World, handle: Handle) -> list[str]:
    cluster = world.known("elasticache cluster", handle.refs["cluster"])
    if handle.refs.get("api") == "replica":
        answer = world.call("elasticache", "delete_cache_cluster", "removing a read replica", CacheClusterId=handle.id)
        seen = [status_of(answer["CacheCluster"])]
        world.wait_until(lambda: not node_exists(world, handle), handle, "removed")
        return seen
    d = describe_cluster(world, cluster.id)
    world.call("elasticache", "modify_cache_cluster", "removing a node from a cache cluster", CacheClusterId=cluster.id,
               NumCacheNodes=int(d.get("NumCacheNodes") or 0) - 1, CacheNodeIdsToRemove=[handle.id],
               ApplyImmediately=True)
    seen = world.wait(cluster, lambda: read_state(world, cluster), TRANSITIONAL)
    world.wait_until(lambda: not node_exists(world, handle), handle, "removed")
    return seen


def act_node(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "remove":
        seen = remove_node(world, handle)
        handle.released = True
        return seen
    raise NotImplementedByBackend(f"{action} on a cache node")


def node_relations(world: Boto3World, handle: Handle) -> frozenset:
    if not node_exists(world, handle):
        return frozenset()
    if handle.refs.get("api") == "replica":
        group_id = describe_cluster(world, handle.id).get("ReplicationGroupId")
        if not group_id:
            return frozenset()
        cluster = world.known("elasticache cluster", group_id)
    else:
        cluster = world.known("elasticache cluster", handle.refs["cluster"])
    return frozenset({("of", cluster), ("added to", cluster)})


def count_nodes(world: Boto3World, relation: str, target: Handle) -> int:
    return node_count(describe(world, target))


def delete_node(world: Boto3World, handle: Handle) -> None:
    if not node_exists(world, handle):
        return
    try:
        remove_node(world, handle)
    except BackendError as exc:
        if exc.code not in CLUSTER_GONE | GROUP_GONE:
            raise


# ---------------------------------------------------------------- backups
def describe_snapshot(world: Boto3World, name: str) -> Mapping[str, Any]:
    return world.call("elasticache", "describe_snapshots", "describing a cache backup", SnapshotName=name)["Snapshots"][0]


def create_backup(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    cluster = next((t for r, t in relations if r == "of"), None)
    if cluster is None:
        raise NotImplementedByBackend("a cache backup of no cluster")
    source = {"ReplicationGroupId": cluster.id} if is_group(cluster) else {"CacheClusterId": cluster.id}
    made = world.call("elasticache", "create_snapshot", "creating a cache backup",
                      SnapshotName=world.resource_name(label, max_length=255, lower=True), Tags=world.tag_list(label),
                      **source)["Snapshot"]
    handle = world.remember(Handle("cache backup", made["SnapshotName"], label, refs={"cluster": cluster.id}))
    handle.creation_states = tuple(world.wait(handle, lambda: describe_snapshot(world, handle.id).get("SnapshotStatus", ""),
                                              SNAPSHOT_TRANSITIONAL, [made.get("SnapshotStatus", "")]))
    return handle


def observe_backup(world: Boto3World, handle: Handle, attribute: str) -> Any:
    s = describe_snapshot(world, handle.id)
    if attribute == "engine":
        return s.get("Engine")
    raise NotImplementedByBackend(f"the {attribute} of a cache backup")


def backup_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        return describe_snapshot(world, handle.id).get("SnapshotStatus") not in GONE_STATES
    except BackendError as exc:
        if exc.code in SNAPSHOT_GONE:
            return False
        raise


def backup_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        s = describe_snapshot(world, handle.id)
    except BackendError as exc:
        if exc.code in SNAPSHOT_GONE:
            return frozenset()
        raise
    source = s.get("ReplicationGroupId") or s.get("CacheClusterId")
    return frozenset({("of", world.known("elasticache cluster", source))}) if source else frozenset()


def count_backups(world: Boto3World, relation: str, target: Handle) -> int:
    key = "ReplicationGroupId" if is_group(target) else "CacheClusterId"
    answer = world.call("elasticache", "describe_snapshots", "listing a cluster's backups", **{key: target.id})
    return len(answer.get("Snapshots") or ())


def act_backup(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "delete":
        answer = world.call("elasticache", "delete_snapshot", "deleting a cache backup", SnapshotName=handle.id)
        handle.released = True
        world.wait_until(lambda: not backup_exists(world, handle), handle, "deleted")
        return (answer["Snapshot"].get("SnapshotStatus", "deleting"),)
    raise NotImplementedByBackend(f"{action} on a cache backup")


def delete_backup(world: Boto3World, handle: Handle) -> None:
    try:
        act_backup(world, handle, "delete", None, {})
    except BackendError as exc:
        if exc.code not in SNAPSHOT_GONE:
            raise


def find_clusters(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """Replication groups, and cache clusters of no group, carrying ``tags`` (for ``scn sweep``): their own
    Describe calls and ListTagsForResource (the tagging API does not cover them on every endpoint)."""
    found = []
    listed = [("group", g["ReplicationGroupId"], g) for g in world.call(
        "elasticache", "describe_replication_groups", "listing replication groups").get("ReplicationGroups", ())]
    listed += [("cluster", c["CacheClusterId"], c) for c in world.call(
        "elasticache", "describe_cache_clusters", "listing cache clusters").get("CacheClusters", ())
        if not c.get("ReplicationGroupId")]
    for api, rid, d in listed:
        if status_of(d).lower() in GONE_STATES or not d.get("ARN"):
            continue
        have = tag_dict(world.call("elasticache", "list_tags_for_resource", "reading an elasticache cluster's tags",
                                   ResourceName=d["ARN"]).get("TagList"))
        if carries(have, tags):
            found.append(Handle("elasticache cluster", rid, rid, refs={"api": api, "arn": d["ARN"], "tags": have}))
    return found


# ---------------------------------------------------------------- the service
CLUSTER = KindMap(
    "elasticache cluster",
    attributes={"state", "engine", "node type", "node count", "replica count", "at-rest encryption",
                "in-transit encryption", "automatic failover", "multi-az", "primary node", "availability zone count",
                *METRICS},
    actions={"create", "delete", "fail over"},
    relations={"restored from"},
    params={"engine", "node type", "node count", "replica count", "at-rest encryption", "in-transit encryption",
            "automatic failover", "multi-az"},
    create=create_cluster, act=act_cluster, observe=observe_cluster, exists=cluster_exists,
    relations_of=cluster_relations, delete=delete_cluster, find_tagged=find_clusters, cost="expensive",
)

NODE = KindMap(
    "cache node",
    attributes={"node id", "role", "availability zone"},
    actions={"add", "remove"},
    relations={"of", "added to"},
    params={"availability zone"},
    create=create_node, act=act_node, observe=observe_node, exists=node_exists, relations_of=node_relations,
    count_related=count_nodes, delete=delete_node, cost="expensive",
)

BACKUP = KindMap(
    "cache backup",
    attributes={"engine"},
    actions={"create", "delete"},
    relations={"of"},
    create=create_backup, act=act_backup, observe=observe_backup, exists=backup_exists,
    relations_of=backup_relations, count_related=count_backups, delete=delete_backup, cost="cheap",
)

_DATA = "what a cache holds is read and written through the engine's protocol (Redis, Memcached), not an AWS API call"

SERVICE = Service(
    capability="elasticache",
    clients=("elasticache", "cloudwatch", "iam", "sts"),
    # the application is DynamoDB's principal too (an IAM role, mapped in services/dynamodb.py); its caching pattern is
    # not mapped (create refuses a strategy, a ttl or a cache)
    kinds=(CLUSTER, NODE, BACKUP, APPLICATION),
    why={
        "application.strategy": "an application reading and writing through its cache talks to the engine (Redis, "
                                "Memcached) over its own protocol; moto and the ElastiCache API have no such connection",
        "application.ttl": "the TTL an application gives the keys it writes into its cache is the engine's (SET EX)",
        "cache backup.item count": _DATA,
        "elasticache cluster.max cache memory": "Memcached's max_cache_memory is a parameter group's "
                                                "(CreateCacheParameterGroup), not mapped",
        "elasticache cluster.restored from": "DescribeReplicationGroups and DescribeCacheClusters do not say which "
                                             "snapshot a cluster was seeded from",
    },
    recorded_settings={"valkey engine", "memcached in-transit encryption", "memcached node limit"},
    description="Amazon ElastiCache: CreateReplicationGroup (Redis, Valkey), CreateCacheCluster (Memcached), "
                "nodes, CreateSnapshot, TestFailover, CloudWatch metrics",
)
