"""Amazon Redshift: provisioned clusters (their leader and compute nodes) and manual snapshots.

CreateCluster / RestoreFromClusterSnapshot / CreateClusterSnapshot, read back with
DescribeClusters and DescribeClusterSnapshots; states are ``ClusterStatus`` / ``Status``.
The compute nodes of a cluster are its ``NumberOfNodes`` ("the number of compute nodes in
the cluster"); its leader node is the ``ClusterNodes`` entry whose ``NodeRole`` is ``LEADER``
(``SHARED`` for a single-node cluster, whose one node is both).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, answers, carries, tag_dict

DAY = 86_400
MB = 1024 ** 2
DEFAULT_NODE_TYPE = "ra3.16xlarge"
#: node types whose smallest cluster is one node (CreateCluster: ClusterType single-node); the others start at two
SINGLE_NODE_TYPES = frozenset({"dc2.large", "ra3.xlplus", "ra3.large"})
MASTER_USER = "scnadmin"
MASTER_PASSWORD = "Scn-Passw0rd-2024"
#: ClusterStatus values a cluster passes through on its own (the ClusterAvailable waiter's)
TRANSITIONAL = frozenset({"creating", "modifying", "rebooting", "resizing", "restoring", "renaming",
                          "final-snapshot", "updating-hsm", "rotating-keys", "cancelling-resize"})
SNAPSHOT_TRANSITIONAL = frozenset({"creating"})
CLUSTER_GONE = frozenset({"ClusterNotFound", "ClusterNotFoundFault"})
SNAPSHOT_GONE = frozenset({"ClusterSnapshotNotFound", "ClusterSnapshotNotFoundFault"})


# ---------------------------------------------------------------- clusters
def describe(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("redshift", "describe_clusters", "describing a redshift cluster",
                      ClusterIdentifier=handle.id)["Clusters"][0]


def wait_cluster(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    return world.wait(handle, lambda: describe(world, handle)["ClusterStatus"], TRANSITIONAL, seen)


def _shape(params: Mapping[str, Any], node_type: str | None) -> dict[str, Any]:
    """ClusterType and NumberOfNodes for the compute node count asked (a type's smallest cluster if none)."""
    if "compute node count" in params:
        nodes = int(params["compute node count"])
    else:
        nodes = 1 if (node_type or DEFAULT_NODE_TYPE) in SINGLE_NODE_TYPES else 2
    if nodes == 1:
        return {"ClusterType": "single-node"}
    return {"ClusterType": "multi-node", "NumberOfNodes": nodes}


def _common(world: Boto3World, label: str, params: Mapping[str, Any]) -> dict[str, Any]:
    kw: dict[str, Any] = {"ClusterIdentifier": world.resource_name(label, lower=True), "Tags": world.tag_list(label)}
    if "port" in params:
        kw["Port"] = int(params["port"])
    if "availability zone" in params:
        kw["AvailabilityZone"] = str(params["availability zone"])
    if "multi-az" in params:
        kw["MultiAZ"] = bool(params["multi-az"])
    if "automated snapshot retention" in params:
        seconds = params["automated snapshot retention"]
        if seconds % DAY:
            raise NotImplementedByBackend("an automated snapshot retention that is not a whole number of days")
        kw["AutomatedSnapshotRetentionPeriod"] = int(seconds // DAY)
    return kw


def create_cluster(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    source = next((t for r, t in relations if r == "restored from"), None)
    kw = _common(world, label, params)
    if source is not None:
        if "node type" in params:
            kw["NodeType"] = str(params["node type"])
        if "compute node count" in params:
            kw["NumberOfNodes"] = int(params["compute node count"])
        kw.pop("Tags")  # RestoreFromClusterSnapshot takes no tags: they are added after
        answer = world.call("redshift", "restore_from_cluster_snapshot", "restoring a redshift cluster",
                            SnapshotIdentifier=source.id, **kw)
    else:
        node_type = str(params.get("node type", DEFAULT_NODE_TYPE))
        kw.update(NodeType=node_type, MasterUsername=MASTER_USER, MasterUserPassword=MASTER_PASSWORD,
                  **_shape(params, node_type))
        answer = world.call("redshift", "create_cluster", "creating a redshift cluster", **kw)
    cluster = answer["Cluster"]
    handle = world.remember(Handle("redshift cluster", cluster["ClusterIdentifier"], label))
    if source is not None:
        arn = _arn(world, "cluster", handle.id)
        world.call("redshift", "create_tags", "tagging a redshift cluster", ResourceName=arn, Tags=world.tag_list(label))
    handle.creation_states = tuple(wait_cluster(world, handle, [cluster["ClusterStatus"]]))
    return handle


def _arn(world: Boto3World, resource: str, name: str) -> str:
    client = world.client("redshift")
    account = world.call("sts", "get_caller_identity", "reading the account id")["Account"]
    return f"arn:aws:redshift:{client.meta.region_name}:{account}:{resource}:{name}"


def manual_snapshots(world: Boto3World, cluster_id: str) -> list[Mapping[str, Any]]:
    answer = world.call("redshift", "describe_cluster_snapshots", "listing a redshift cluster's snapshots",
                        ClusterIdentifier=cluster_id, SnapshotType="manual")
    return list(answer.get("Snapshots", ()))


def observe_cluster(world: Boto3World, handle: Handle, attribute: str) -> Any:
    c = describe(world, handle)
    endpoint = c.get("Endpoint") or {}
    if attribute == "state":
        return c["ClusterStatus"]
    if attribute == "node type":
        return c.get("NodeType")
    if attribute == "compute node count":
        return c.get("NumberOfNodes")
    if attribute == "cluster type":
        roles = {n.get("NodeRole") for n in c.get("ClusterNodes") or ()}
        if roles:
            return "single-node" if "SHARED" in roles else "multi-node"
        return "single-node" if c.get("NumberOfNodes") == 1 else "multi-node"  # multi-node clusters have 2 or more
    if attribute == "endpoint address":
        return endpoint.get("Address")
    if attribute == "port":
        return endpoint.get("Port")
    if attribute == "endpoint count":
        return 1 if endpoint.get("Address") else 0
    if attribute == "availability zone":
        return c.get("AvailabilityZone")
    if attribute in ("availability zone count", "multi-az"):
        secondary = (c.get("MultiAZSecondary") or {}).get("AvailabilityZone")
        if attribute == "multi-az":
            return c.get("MultiAZ") == "Enabled"
        return len({c.get("AvailabilityZone"), secondary} - {None})
    if attribute == "automated snapshot retention":
        days = c.get("AutomatedSnapshotRetentionPeriod")
        return None if days is None else days * DAY
    if attribute == "backed up":  # automated snapshots on, or a manual snapshot of it kept
        return bool(c.get("AutomatedSnapshotRetentionPeriod")) or bool(manual_snapshots(world, handle.id))
    raise NotImplementedByBackend(f"the {attribute} of a redshift cluster")


def act_cluster(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    raise NotImplementedByBackend(f"{action} on a redshift cluster")


def cluster_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: describe(world, handle), CLUSTER_GONE)


def cluster_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        c = describe(world, handle)
    except BackendError as exc:
        if exc.code in CLUSTER_GONE:
            return frozenset()
        raise
    if c.get("RestoreStatus"):  # restored, but DescribeClusters does not say from which snapshot
        raise NotImplementedByBackend("the snapshot a redshift cluster is restored from")
    return frozenset()


def count_compute_nodes(world: Boto3World, relation: str, target: Handle) -> int:
    return int(describe(world, target).get("NumberOfNodes") or 0)


def count_leader_nodes(world: Boto3World, relation: str, target: Handle) -> int:
    return sum(1 for n in describe(world, target).get("ClusterNodes") or () if n.get("NodeRole") in ("LEADER", "SHARED"))


def delete_cluster(world: Boto3World, handle: Handle) -> None:
    """Delete without a final snapshot and wait until DescribeClusters no longer finds it."""
    try:
        world.call("redshift", "delete_cluster", "deleting a redshift cluster", ClusterIdentifier=handle.id,
                   SkipFinalClusterSnapshot=True)
    except BackendError as exc:
        if exc.code not in CLUSTER_GONE and exc.code != "InvalidClusterState":
            raise
    world.wait_until(lambda: not cluster_exists(world, handle), handle, "deleted")


# ---------------------------------------------------------------- snapshots
def describe_snapshot(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("redshift", "describe_cluster_snapshots", "describing a redshift snapshot",
                      SnapshotIdentifier=handle.id)["Snapshots"][0]


def create_snapshot(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    cluster = next((t for r, t in relations if r == "of"), None)
    if cluster is None:
        raise NotImplementedByBackend("a redshift snapshot of no cluster")
    answer = world.call("redshift", "create_cluster_snapshot", "creating a redshift snapshot",
                        SnapshotIdentifier=world.resource_name(label, max_length=255, lower=True),
                        ClusterIdentifier=cluster.id, Tags=world.tag_list(label))
    snap = answer["Snapshot"]
    handle = world.remember(Handle("redshift snapshot", snap["SnapshotIdentifier"], label,
                                   refs={"cluster": snap["ClusterIdentifier"]}))
    handle.creation_states = tuple(world.wait(handle, lambda: describe_snapshot(world, handle)["Status"],
                                              SNAPSHOT_TRANSITIONAL, [snap["Status"]]))
    return handle


def observe_snapshot(world: Boto3World, handle: Handle, attribute: str) -> Any:
    s = describe_snapshot(world, handle)
    if attribute == "state":
        return s["Status"]
    if attribute == "snapshot type":
        return s.get("SnapshotType")
    if attribute == "availability zone":
        return s.get("AvailabilityZone")
    if attribute == "compute node count":
        return s.get("NumberOfNodes")
    if attribute == "size":
        mb = s.get("TotalBackupSizeInMegaBytes")
        return None if mb is None else mb * MB
    raise NotImplementedByBackend(f"the {attribute} of a redshift snapshot")


def snapshot_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: describe_snapshot(world, handle), SNAPSHOT_GONE)


def snapshot_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        s = describe_snapshot(world, handle)
    except BackendError as exc:
        if exc.code in SNAPSHOT_GONE:
            return frozenset()
        raise
    return frozenset({("of", world.known("redshift cluster", s["ClusterIdentifier"]))})


def count_snapshots(world: Boto3World, relation: str, target: Handle) -> int:
    answer = world.call("redshift", "describe_cluster_snapshots", "counting a redshift cluster's snapshots",
                        ClusterIdentifier=target.id)
    return len(answer.get("Snapshots", ()))


def delete_snapshot(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("redshift", "delete_cluster_snapshot", "deleting a redshift snapshot", SnapshotIdentifier=handle.id)
    except BackendError as exc:
        if exc.code not in SNAPSHOT_GONE:
            raise


def find_clusters(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """Redshift clusters carrying ``tags`` (for ``scn sweep``): DescribeClusters, which answers their tags (a moto
    server's tagging API does not cover them)."""
    found = []
    kw: dict[str, Any] = {}
    while True:
        answer = world.call("redshift", "describe_clusters", "listing redshift clusters", **kw)
        for c in answer.get("Clusters", ()):
            have = tag_dict(c.get("Tags"))
            if carries(have, tags) and str(c.get("ClusterStatus", "")).lower() != "deleting":
                found.append(Handle("redshift cluster", c["ClusterIdentifier"], c["ClusterIdentifier"],
                                    refs={"tags": have}))
        if not answer.get("Marker"):
            return found
        kw = {"Marker": answer["Marker"]}


# ---------------------------------------------------------------- the service
CLUSTER = KindMap(
    "redshift cluster",
    attributes={"state", "node type", "compute node count", "cluster type", "endpoint address", "port",
                "endpoint count", "availability zone", "availability zone count", "multi-az",
                "automated snapshot retention", "backed up"},
    actions={"create", "restore"},
    relations={"restored from"},
    params={"node type", "compute node count", "port", "availability zone", "multi-az", "automated snapshot retention"},
    create=create_cluster, act=act_cluster, observe=observe_cluster, exists=cluster_exists,
    relations_of=cluster_relations, delete=delete_cluster, find_tagged=find_clusters, cost="expensive",
)

SNAPSHOT = KindMap(
    "redshift snapshot",
    attributes={"state", "snapshot type", "availability zone", "compute node count", "size"},
    actions={"create"},
    relations={"of"},
    create=create_snapshot, observe=observe_snapshot, exists=snapshot_exists, relations_of=snapshot_relations,
    count_related=count_snapshots, delete=delete_snapshot, cost="cheap",
)

def _node_of(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    raise NotImplementedByBackend("naming one node of a redshift cluster (its nodes are counted, not created)")


COMPUTE_NODE = KindMap("compute node", relations={"of"}, create=_node_of, count_related=count_compute_nodes)
LEADER_NODE = KindMap("leader node", relations={"of"}, create=_node_of, count_related=count_leader_nodes)

_NO_DATA = "Redshift's management API has no call that loads data or reports how much a cluster holds or copies"

SERVICE = Service(
    capability="redshift",
    clients=("redshift", "sts"),
    kinds=(CLUSTER, SNAPSHOT, COMPUTE_NODE, LEADER_NODE),
    why={
        "redshift cluster.load": "loading data is SQL (COPY) through a connection, not a management API call",
        "redshift cluster.data size": _NO_DATA,
        "redshift cluster.load size": _NO_DATA,
        "redshift cluster.data copies": "the copies Redshift keeps (in the cluster, in S3) are not reported by its API",
        "redshift cluster.replicated": "the copies Redshift keeps (in the cluster, in S3) are not reported by its API",
        "redshift cluster.backup size": _NO_DATA,
        "redshift cluster.latest snapshot size": _NO_DATA,
        "redshift cluster.maximum nodes": "no API call reports a node type's largest cluster",
    },
    recorded_settings={"redshift multi-az support"},
    description="Amazon Redshift provisioned clusters and snapshots: CreateCluster, RestoreFromClusterSnapshot, "
                "CreateClusterSnapshot",
)
