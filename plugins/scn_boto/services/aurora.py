"""Amazon Aurora (the rds client): DB clusters with their writer, Aurora Replicas, failover,
Serverless v1 settings, cross-Region MySQL read replica clusters and Global Database.

An ``aurora cluster`` is CreateDBCluster and then CreateDBInstance of its first instance
(the writer; none for an Aurora Serverless v1 cluster, which has no DB instances); `an aurora
instance "w" of "c"` names that first instance, read from DescribeDBClusters'
``DBClusterMembers``. Roles, the writer, replicas and the cluster endpoint's target are read
from ``DBClusterMembers`` (``IsClusterWriter``) and the instances' ``Endpoint``; a cluster's
place in a Global Database from DescribeGlobalClusters (``GlobalClusterMembers``, ``IsWriter``).
A cluster of another Region is addressed with that Region's rds client.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, answers

DAY = 86_400
DEFAULT_ENGINE = "aurora-mysql"
INSTANCE_CLASS = "db.r6g.large"
MYSQL_REPLICA_REGION = "us-west-2"  # where a cross-Region MySQL read replica goes unless a Region is given
MASTER_USER = "scnadmin"
MASTER_PASSWORD = "Scn-Passw0rd-2024"
#: DBCluster Status values a cluster passes through on its own
CLUSTER_TRANSITIONAL = frozenset({"creating", "modifying", "backing-up", "failing-over", "migrating", "promoting",
                                  "upgrading", "renaming", "resetting-master-credentials", "starting", "stopping",
                                  "maintenance", "resuming", "scaling-compute", "scaling-capacity", "deleting"})
#: DBInstanceStatus values an instance passes through on its own (the db_instance_available waiter's)
INSTANCE_TRANSITIONAL = frozenset({"creating", "modifying", "backing-up", "rebooting", "starting", "stopping",
                                   "configuring-enhanced-monitoring", "configuring-iam-database-auth",
                                   "configuring-log-exports", "upgrading", "renaming", "resetting-master-credentials",
                                   "deleting", "maintenance", "converting-to-vpc", "moving-to-vpc"})
CLUSTER_GONE = frozenset({"DBClusterNotFoundFault", "DBClusterNotFound"})
INSTANCE_GONE = frozenset({"DBInstanceNotFound", "DBInstanceNotFoundFault"})
GLOBAL_GONE = frozenset({"GlobalClusterNotFoundFault", "GlobalClusterNotFound"})


def _region(handle: Handle) -> str | None:
    return handle.refs.get("region")


def _days(world: Boto3World, seconds: Any, what: str) -> int:
    if seconds % DAY:
        raise NotImplementedByBackend(f"{what} that is not a whole number of days")
    return int(seconds // DAY)


# ---------------------------------------------------------------- reading
def describe_cluster(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("rds", "describe_db_clusters", "describing an aurora cluster", region=_region(handle),
                      DBClusterIdentifier=handle.id)["DBClusters"][0]


def describe_instance(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("rds", "describe_db_instances", "describing an aurora db instance", region=_region(handle),
                      DBInstanceIdentifier=handle.id)["DBInstances"][0]


def wait_cluster(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    return world.wait(handle, lambda: describe_cluster(world, handle)["Status"], CLUSTER_TRANSITIONAL, seen)


def wait_instance(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    return world.wait(handle, lambda: describe_instance(world, handle)["DBInstanceStatus"], INSTANCE_TRANSITIONAL, seen)


def global_membership(world: Boto3World, arn: str) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """(the global cluster, this cluster's member entry) of the Global Database holding ``arn``, or None."""
    for g in world.call("rds", "describe_global_clusters", "describing global databases").get("GlobalClusters", ()):
        for m in g.get("GlobalClusterMembers", ()):
            if m.get("DBClusterArn") == arn:
                return g, m
    return None


def _region_of_arn(arn: str) -> str:
    return arn.split(":")[3]


# ---------------------------------------------------------------- clusters
def _cluster_handle(world: Boto3World, kind: str, cluster: Mapping[str, Any], label: str, region: str | None) -> Handle:
    return world.remember(Handle(kind, cluster["DBClusterIdentifier"], label,
                                 refs={"region": region, "arn": cluster["DBClusterArn"]}))


def _first_instance(world: Boto3World, cluster: Handle, engine: str, label: str) -> Handle:
    answer = world.call("rds", "create_db_instance", "creating an aurora cluster's first instance",
                        region=_region(cluster),
                        DBInstanceIdentifier=world.resource_name(label, lower=True, max_length=58) + "-inst1",
                        DBClusterIdentifier=cluster.id, Engine=engine, DBInstanceClass=INSTANCE_CLASS,
                        Tags=world.tag_list(f"{label} instance 1"))
    inst = answer["DBInstance"]
    handle = world.remember(Handle("aurora instance", inst["DBInstanceIdentifier"], f"{label} instance 1",
                                   refs={"region": _region(cluster), "cluster": cluster.id}))
    wait_instance(world, handle, [inst["DBInstanceStatus"]])
    return handle


def create_cluster(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    source = next((t for r, t in relations if r == "restored from"), None)
    group = next((t for r, t in relations if r == "in"), None)
    if "restore age" in params and source is None:
        raise NotImplementedByBackend("a restore age when creating an aurora cluster (it belongs to a restore)")
    region = params.get("region")
    region = str(region) if region is not None else None
    mode = str(params.get("engine mode", "provisioned"))
    kw: dict[str, Any] = {"DBClusterIdentifier": world.resource_name(label, lower=True), "Tags": world.tag_list(label)}
    if "backup retention" in params:
        kw["BackupRetentionPeriod"] = _days(world, params["backup retention"], "a backup retention")
    scaling: dict[str, Any] = {}
    if "minimum capacity" in params:
        scaling["MinCapacity"] = params["minimum capacity"]
    if "auto pause delay" in params:
        scaling.update(AutoPause=True, SecondsUntilAutoPause=int(params["auto pause delay"]))
    if scaling:
        kw["ScalingConfiguration"] = scaling
    if source is not None:
        src = describe_cluster(world, source)
        engine = str(params.get("engine", src["Engine"]))
        kw.update(SourceDBClusterIdentifier=source.id)
        if "restore age" in params:
            kw["RestoreToTime"] = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(seconds=float(params["restore age"]))
        else:
            kw["UseLatestRestorableTime"] = True
        if mode != "provisioned" or "engine mode" in params:
            kw["EngineMode"] = mode
        answer = world.call("rds", "restore_db_cluster_to_point_in_time", "restoring an aurora cluster",
                            region=region, **kw)
    else:
        engine = str(params.get("engine", DEFAULT_ENGINE))
        kw.update(Engine=engine, EngineMode=mode)
        secondary = False
        if group is not None:
            kw["GlobalClusterIdentifier"] = group.id
            g = world.call("rds", "describe_global_clusters", "describing a global database",
                           GlobalClusterIdentifier=group.id)["GlobalClusters"][0]
            secondary = bool(g.get("GlobalClusterMembers"))  # a secondary takes its credentials from the primary
        if not secondary:
            kw.update(MasterUsername=MASTER_USER, MasterUserPassword=MASTER_PASSWORD)
        answer = world.call("rds", "create_db_cluster", "creating an aurora cluster", region=region, **kw)
    cluster = answer["DBCluster"]
    handle = _cluster_handle(world, "aurora cluster", cluster, label, region)
    states = wait_cluster(world, handle, [cluster["Status"]])
    if cluster.get("EngineMode", mode) != "serverless":  # Aurora Serverless v1 has no DB instances
        _first_instance(world, handle, engine, label)
    handle.creation_states = tuple(states)
    return handle


def _members(world: Boto3World, cluster: Handle) -> list[Mapping[str, Any]]:
    return list(describe_cluster(world, cluster).get("DBClusterMembers", ()))


def _writer_id(world: Boto3World, cluster: Handle) -> str | None:
    return next((m["DBInstanceIdentifier"] for m in _members(world, cluster) if m.get("IsClusterWriter")), None)


def _writable(world: Boto3World, handle: Handle, c: Mapping[str, Any]) -> bool:
    if c["Status"] != "available" or c.get("ReplicationSourceIdentifier"):
        return False
    membership = global_membership(world, c["DBClusterArn"])
    if membership is not None and not membership[1].get("IsWriter"):
        return False
    for m in c.get("DBClusterMembers", ()):
        if m.get("IsClusterWriter"):
            inst = describe_instance(world, Handle("aurora instance", m["DBInstanceIdentifier"], m["DBInstanceIdentifier"],
                                                   refs={"region": _region(handle)}))
            return inst["DBInstanceStatus"] == "available"
    return c.get("EngineMode") == "serverless"  # a Serverless v1 cluster's capacity is its writer


def _readable(world: Boto3World, handle: Handle, c: Mapping[str, Any]) -> bool:
    if c["Status"] != "available":
        return False
    if c.get("EngineMode") == "serverless":
        return True
    for m in c.get("DBClusterMembers", ()):
        inst = describe_instance(world, Handle("aurora instance", m["DBInstanceIdentifier"], m["DBInstanceIdentifier"],
                                               refs={"region": _region(handle)}))
        if inst["DBInstanceStatus"] == "available":
            return True
    return False


def _instance_endpoint(world: Boto3World, handle: Handle, instance_id: str) -> str | None:
    inst = describe_instance(world, Handle("aurora instance", instance_id, instance_id, refs={"region": _region(handle)}))
    return (inst.get("Endpoint") or {}).get("Address")


def observe_cluster(world: Boto3World, handle: Handle, attribute: str) -> Any:
    c = describe_cluster(world, handle)
    scaling = c.get("ScalingConfigurationInfo") or {}
    if attribute == "state":
        return c["Status"]
    if attribute == "cluster id":
        return c["DBClusterIdentifier"]
    if attribute == "engine":
        return c.get("Engine")
    if attribute == "engine mode":
        return c.get("EngineMode")
    if attribute == "region":
        return _region_of_arn(c["DBClusterArn"])
    if attribute == "cluster endpoint":
        return c.get("Endpoint")
    if attribute == "cluster endpoint target":  # the cluster endpoint points at the current writer
        writer = next((m["DBInstanceIdentifier"] for m in c.get("DBClusterMembers", ()) if m.get("IsClusterWriter")), None)
        return _instance_endpoint(world, handle, writer) if writer else None
    if attribute == "writable":
        return _writable(world, handle, c)
    if attribute == "readable":
        return _readable(world, handle, c)
    if attribute == "replica count":
        return sum(1 for m in c.get("DBClusterMembers", ()) if not m.get("IsClusterWriter"))
    if attribute == "backup retention":
        days = c.get("BackupRetentionPeriod")
        return None if days is None else days * DAY
    if attribute == "automated backups":
        return bool(c.get("BackupRetentionPeriod"))
    if attribute == "restore window":
        earliest, latest = c.get("EarliestRestorableTime"), c.get("LatestRestorableTime")
        return None if not (earliest and latest) else (latest - earliest).total_seconds()
    if attribute == "minimum capacity":
        return scaling.get("MinCapacity")
    if attribute == "auto pause delay":
        return scaling.get("SecondsUntilAutoPause") if c.get("EngineMode") == "serverless" else None
    if attribute == "capacity":
        return c.get("Capacity") if c.get("EngineMode") == "serverless" else None
    if attribute == "global role":
        membership = global_membership(world, c["DBClusterArn"])
        if membership is None:
            return None
        return "primary" if membership[1].get("IsWriter") else "secondary"
    raise NotImplementedByBackend(f"the {attribute} of an aurora cluster")


def act_cluster(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "fail over":
        kw: dict[str, Any] = {"DBClusterIdentifier": handle.id}
        if target is not None:
            kw["TargetDBInstanceIdentifier"] = target.id
        answer = world.call("rds", "failover_db_cluster", "failing over an aurora cluster", region=_region(handle), **kw)
        return wait_cluster(world, handle, [answer["DBCluster"]["Status"]])
    if action == "detach":
        c = describe_cluster(world, handle)
        membership = global_membership(world, c["DBClusterArn"])
        g = membership[0]["GlobalClusterIdentifier"] if membership else None
        if g is None:  # ask anyway, naming no global database it is in: AWS answers the refusal
            raise NotImplementedByBackend("detaching an aurora cluster that is in no global database")
        world.call("rds", "remove_from_global_cluster", "detaching an aurora cluster from its global database",
                   region=_region(handle), GlobalClusterIdentifier=g, DbClusterIdentifier=c["DBClusterArn"])
        return wait_cluster(world, handle, [])  # the cluster is promoted to a standalone one (its status says when)
    raise NotImplementedByBackend(f"{action} on an aurora cluster")


def cluster_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: describe_cluster(world, handle), CLUSTER_GONE)


def cluster_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        c = describe_cluster(world, handle)
    except BackendError as exc:
        if exc.code in CLUSTER_GONE:
            return frozenset()
        raise
    rels = set()
    membership = global_membership(world, c["DBClusterArn"])
    if membership is not None:
        rels.add(("in", world.known("aurora global database", membership[0]["GlobalClusterIdentifier"])))
    return frozenset(rels)


def count_in_global(world: Boto3World, relation: str, target: Handle) -> int:
    g = describe_global(world, target)
    return len(g.get("GlobalClusterMembers", ()))


def delete_cluster(world: Boto3World, handle: Handle) -> None:
    """Leave its global database, delete its instances, then the cluster (no final snapshot); wait until gone."""
    try:
        c = describe_cluster(world, handle)
    except BackendError as exc:
        if exc.code in CLUSTER_GONE:
            return
        raise
    membership = global_membership(world, c["DBClusterArn"])
    if membership is not None:
        world.call("rds", "remove_from_global_cluster", "detaching an aurora cluster for teardown",
                   region=_region(handle), GlobalClusterIdentifier=membership[0]["GlobalClusterIdentifier"], DbClusterIdentifier=c["DBClusterArn"])
    for m in c.get("DBClusterMembers", ()):
        delete_instance(world, Handle("aurora instance", m["DBInstanceIdentifier"], m["DBInstanceIdentifier"],
                                      refs={"region": _region(handle)}))
    try:
        world.call("rds", "delete_db_cluster", "deleting an aurora cluster", region=_region(handle),
                   DBClusterIdentifier=handle.id, SkipFinalSnapshot=True)
    except BackendError as exc:
        if exc.code not in CLUSTER_GONE:
            raise
    world.wait_until(lambda: not cluster_exists(world, handle), handle, "deleted")


# ---------------------------------------------------------------- instances (the writer and Aurora Replicas)
def name_instance(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    """`an aurora instance "w" of "c"` names the cluster's first instance (its writer when created)."""
    cluster = next((t for r, t in relations if r == "of"), None)
    if cluster is None:
        raise NotImplementedByBackend("an aurora instance of no cluster")
    first = next((h for h in world.created if h.kind == "aurora instance" and h.refs.get("cluster") == cluster.id), None)
    if first is None:
        raise NotImplementedByBackend("the DB instance of an Aurora Serverless v1 cluster (it has none in the API)")
    if not instance_exists(world, first):
        raise BackendError("DBInstanceNotFound", f"The first instance of {cluster.id} no longer exists.")
    return first


def create_replica(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    cluster = next((t for r, t in relations if r == "of"), None)
    if cluster is None:
        raise NotImplementedByBackend("an aurora replica of no cluster")
    c = describe_cluster(world, cluster)
    kw: dict[str, Any] = {
        "DBInstanceIdentifier": world.resource_name(label, lower=True), "DBClusterIdentifier": cluster.id,
        "Engine": c["Engine"], "DBInstanceClass": INSTANCE_CLASS, "Tags": world.tag_list(label),
    }
    if "availability zone" in params:
        kw["AvailabilityZone"] = str(params["availability zone"])
    if "promotion tier" in params:
        kw["PromotionTier"] = int(params["promotion tier"])
    inst = world.call("rds", "create_db_instance", "creating an aurora replica", region=_region(cluster), **kw)["DBInstance"]
    handle = world.remember(Handle("aurora replica", inst["DBInstanceIdentifier"], label,
                                   refs={"region": _region(cluster), "cluster": cluster.id}))
    handle.creation_states = tuple(wait_instance(world, handle, [inst["DBInstanceStatus"]]))
    return handle


def _is_writer(world: Boto3World, handle: Handle, inst: Mapping[str, Any]) -> bool:
    cid = inst.get("DBClusterIdentifier")
    if not cid:
        return False
    c = describe_cluster(world, Handle("aurora cluster", cid, cid, refs={"region": _region(handle)}))
    return any(m["DBInstanceIdentifier"] == handle.id and m.get("IsClusterWriter") for m in c.get("DBClusterMembers", ()))


def observe_instance(world: Boto3World, handle: Handle, attribute: str) -> Any:
    inst = describe_instance(world, handle)
    if attribute == "state":
        return inst["DBInstanceStatus"]
    if attribute == "writer":
        return _is_writer(world, handle, inst)
    if attribute == "role":
        return "writer" if _is_writer(world, handle, inst) else "reader"
    if attribute == "availability zone":
        return inst.get("AvailabilityZone")
    if attribute == "promotion tier":
        return inst.get("PromotionTier")
    if attribute == "endpoint":
        return (inst.get("Endpoint") or {}).get("Address")
    if attribute == "instance class":
        return inst.get("DBInstanceClass")
    raise NotImplementedByBackend(f"the {attribute} of an aurora db instance")


def instance_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: describe_instance(world, handle), INSTANCE_GONE)


def instance_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        inst = describe_instance(world, handle)
    except BackendError as exc:
        if exc.code in INSTANCE_GONE:
            return frozenset()
        raise
    cid = inst.get("DBClusterIdentifier")
    return frozenset({("of", world.known("aurora cluster", cid))}) if cid else frozenset()


def count_instances(world: Boto3World, relation: str, target: Handle) -> int:
    return len(_members(world, target))


def count_replicas(world: Boto3World, relation: str, target: Handle) -> int:
    return sum(1 for m in _members(world, target) if not m.get("IsClusterWriter"))


def delete_instance(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("rds", "delete_db_instance", "deleting an aurora db instance", region=_region(handle),
                   DBInstanceIdentifier=handle.id, SkipFinalSnapshot=True)
    except BackendError as exc:
        if exc.code in INSTANCE_GONE:
            return
        if exc.code != "InvalidDBInstanceState":
            raise
    world.wait_until(lambda: not instance_exists(world, handle), handle, "deleted")


# ---------------------------------------------------------------- cross-Region MySQL read replica clusters
def create_mysql_replica(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    source = next((t for r, t in relations if r == "of"), None)
    if source is None:
        raise NotImplementedByBackend("an aurora mysql replica of no cluster")
    src = describe_cluster(world, source)
    region = str(params.get("region", MYSQL_REPLICA_REGION))
    answer = world.call("rds", "create_db_cluster", "creating a cross-Region read replica cluster", region=region,
                        DBClusterIdentifier=world.resource_name(label, lower=True), Engine=src["Engine"],
                        ReplicationSourceIdentifier=src["DBClusterArn"], Tags=world.tag_list(label))
    cluster = answer["DBCluster"]
    handle = _cluster_handle(world, "aurora mysql replica", cluster, label, region)
    handle.creation_states = tuple(wait_cluster(world, handle, [cluster["Status"]]))
    return handle


def observe_mysql_replica(world: Boto3World, handle: Handle, attribute: str) -> Any:
    c = describe_cluster(world, handle)
    if attribute == "state":
        return c["Status"]
    if attribute == "region":
        return _region_of_arn(c["DBClusterArn"])
    if attribute == "replication source":  # an ARN for a cross-Region source: its identifier is the last part
        source = c.get("ReplicationSourceIdentifier")
        return source.rsplit(":", 1)[-1] if source else None
    if attribute == "writable":
        return _writable(world, handle, c)
    raise NotImplementedByBackend(f"the {attribute} of an aurora mysql replica")


def mysql_replica_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        c = describe_cluster(world, handle)
    except BackendError as exc:
        if exc.code in CLUSTER_GONE:
            return frozenset()
        raise
    source = c.get("ReplicationSourceIdentifier")
    return frozenset({("of", world.known("aurora cluster", source.rsplit(":", 1)[-1]))}) if source else frozenset()


def count_mysql_replicas(world: Boto3World, relation: str, target: Handle) -> int:
    return len(describe_cluster(world, target).get("ReadReplicaIdentifiers", ()))


# ---------------------------------------------------------------- Global Database
def describe_global(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("rds", "describe_global_clusters", "describing a global database",
                      GlobalClusterIdentifier=handle.id)["GlobalClusters"][0]


def create_global(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    answer = world.call("rds", "create_global_cluster", "creating a global database",
                        GlobalClusterIdentifier=world.resource_name(label, lower=True), Engine=DEFAULT_ENGINE)
    g = answer["GlobalCluster"]
    handle = world.remember(Handle("aurora global database", g["GlobalClusterIdentifier"], label,
                                   refs={"arn": g.get("GlobalClusterArn")}))
    handle.creation_states = tuple(world.wait(handle, lambda: describe_global(world, handle)["Status"],
                                              {"creating", "modifying", "upgrading"}, [g["Status"]]))
    return handle


def observe_global(world: Boto3World, handle: Handle, attribute: str) -> Any:
    g = describe_global(world, handle)
    members = g.get("GlobalClusterMembers", ())
    if attribute == "state":
        return g["Status"]
    if attribute == "primary region":
        writer = next((m for m in members if m.get("IsWriter")), None)
        return _region_of_arn(writer["DBClusterArn"]) if writer else None
    if attribute == "region count":
        return len({_region_of_arn(m["DBClusterArn"]) for m in members})
    raise NotImplementedByBackend(f"the {attribute} of an aurora global database")


def global_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: describe_global(world, handle), GLOBAL_GONE)


def delete_global(world: Boto3World, handle: Handle) -> None:
    try:
        for m in describe_global(world, handle).get("GlobalClusterMembers", ()):
            world.call("rds", "remove_from_global_cluster", "detaching a cluster for teardown",
                       GlobalClusterIdentifier=handle.id, DbClusterIdentifier=m["DBClusterArn"])
        world.call("rds", "delete_global_cluster", "deleting a global database", GlobalClusterIdentifier=handle.id)
    except BackendError as exc:
        if exc.code not in GLOBAL_GONE:
            raise


# ---------------------------------------------------------------- the service
_INSTANCE_ATTRIBUTES = {"state", "role", "writer", "availability zone", "promotion tier", "endpoint", "instance class"}

CLUSTER = KindMap(
    "aurora cluster",
    attributes={"state", "cluster id", "engine", "engine mode", "region", "cluster endpoint", "cluster endpoint target",
                "writable", "readable", "replica count", "backup retention", "automated backups", "restore window",
                "minimum capacity", "auto pause delay", "capacity", "global role"},
    actions={"create", "restore", "fail over", "detach"},
    relations={"in", "restored from"},
    params={"engine", "engine mode", "region", "backup retention", "restore age", "minimum capacity", "auto pause delay"},
    create=create_cluster, act=act_cluster, observe=observe_cluster, exists=cluster_exists,
    relations_of=cluster_relations, count_related=count_in_global, delete=delete_cluster, cost="expensive",
)

INSTANCE = KindMap(
    "aurora instance",
    attributes=_INSTANCE_ATTRIBUTES,
    actions={"create"},
    relations={"of"},
    create=name_instance, observe=observe_instance, exists=instance_exists, relations_of=instance_relations,
    count_related=count_instances, delete=delete_instance, cost="expensive",
)

REPLICA = KindMap(
    "aurora replica",
    attributes=_INSTANCE_ATTRIBUTES,
    actions={"create"},
    relations={"of"},
    params={"availability zone", "promotion tier"},
    create=create_replica, observe=observe_instance, exists=instance_exists, relations_of=instance_relations,
    count_related=count_replicas, delete=delete_instance, cost="expensive",
)

MYSQL_REPLICA = KindMap(
    "aurora mysql replica",
    attributes={"state", "region", "replication source", "writable"},
    actions={"create"},
    relations={"of"},
    params={"region"},
    create=create_mysql_replica, observe=observe_mysql_replica, exists=cluster_exists,
    relations_of=mysql_replica_relations, count_related=count_mysql_replicas, delete=delete_cluster, cost="expensive",
)

GLOBAL = KindMap(
    "aurora global database",
    attributes={"state", "primary region", "region count"},
    actions={"create"},
    create=create_global, observe=observe_global, exists=global_exists, delete=delete_global, cost="free",
)

_STORAGE = "the copies of an Aurora cluster volume are not reported by the RDS API"

SERVICE = Service(
    capability="aurora",
    clients=("rds",),
    kinds=(CLUSTER, INSTANCE, REPLICA, MYSQL_REPLICA, GLOBAL),
    why={
        "aurora cluster.storage copies": _STORAGE,
        "aurora cluster.storage zone count": _STORAGE,
        "aurora cluster.copies per zone": _STORAGE,
        "aurora cluster.lost copies": _STORAGE,
        "aurora cluster.failed zone": "the loss of a zone is a fault, not an API call",
        "aurora cluster.replication lag": "Global Database's lag is a CloudWatch metric "
                                          "(AuroraGlobalDBReplicationLag), not part of DescribeDBClusters",
        "aurora cluster.restore age": "DescribeDBClusters does not say to which point in time a cluster was restored",
        "aurora cluster.connect": "a client connection is not an API call",
        "aurora cluster.disconnect": "a client connection is not an API call",
    },
    description="Amazon Aurora through the rds client: CreateDBCluster, CreateDBInstance in a cluster, "
                "FailoverDBCluster, RestoreDBClusterToPointInTime, CreateGlobalCluster, RemoveFromGlobalCluster",
)
