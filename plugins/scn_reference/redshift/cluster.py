"""Redshift clusters and snapshots: the tables, the resources, their creation, loads and automated
snapshots on the clock (the words, sources and decisions: :mod:`.kinds`)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource

GB = 1024**3
HOUR = 3600
DAY = 86_400
REGION = "us-east-1"
ZONES = tuple(f"{REGION}{letter}" for letter in "abcdef")
DEFAULT_NODE_TYPE = "ra3.16xlarge"
#: node type → (fewest nodes, most nodes); 1 node is a single-node cluster
NODE_TYPES = {
    "ra3.xlplus": (1, 16),
    "ra3.16xlarge": (2, 128),
    "dc2.large": (1, 32),
    "dc2.8xlarge": (2, 128),
}
DEFAULT_PORT = 5439
PORTS = {"ra3": ((5431, 5455), (8191, 8215)), "dc2": ((1150, 65535),)}
RETENTION_DAYS = (0, 35)
DEFAULT_RETENTION = 1 * DAY
SNAPSHOT_EVERY = 8 * HOUR  # "about every eight hours"
SNAPSHOT_CHANGE_PER_NODE = 5 * GB  # "or following every 5 GB per node of data changes"


def _family(node_type: str) -> str:
    return node_type.split(".")[0]


class Snapshot(Resource):
    kind = "redshift snapshot"

    def __init__(self, id, label, cluster, kind_of, taken_at, increment):
        super().__init__(id, label)
        self.cluster, self.type, self.taken_at, self.increment = cluster, kind_of, taken_at, increment
        self.size, self.zone, self.nodes, self.node_type = cluster.data, cluster.zone, cluster.nodes, cluster.node_type

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.cluster)})

    ATTRIBUTES = {
        "state": lambda w, s: "available",
        "snapshot type": lambda w, s: s.type,
        "size": lambda w, s: s.size,
        "availability zone": lambda w, s: s.zone,
        "compute node count": lambda w, s: s.nodes,
    }


class Cluster(Resource):
    kind = "redshift cluster"

    def __init__(self, id: str, label: str, node_type: str, nodes: int, port: int, zone: str, multi_az: bool,
                 retention: int, now: float) -> None:
        super().__init__(id, label)
        self.node_type, self.nodes, self.port, self.zone = node_type, nodes, port, zone
        self.multi_az, self.retention = multi_az, retention
        self.data = self.changed = self.last_load = 0
        self.changed_since: float | None = None
        self.last_auto = now
        self.snapshots: list[Snapshot] = []
        self.backup_size = 0
        self.source: Snapshot | None = None

    CREATION = ("creating",)

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "load":
            size = params.get("load size")
            if not size or size < 0:
                raise BackendError("InvalidParameterValue", "Say how much data is loaded: `loaded with load size 10 GB`.")
            self.data += size
            self.changed += size
            self.last_load = size
            if self.changed_since is None:
                self.changed_since = world.now
            if self.retention and self.changed >= SNAPSHOT_CHANGE_PER_NODE * self.nodes:
                take_automated(world, self, world.now)
            return ()
        return super().act(world, action, target, params)  # pragma: no cover

    def automated(self) -> list[Snapshot]:
        return [s for s in self.snapshots if s.type == "automated"]

    def backed_up(self) -> bool:
        # the continuous backup to S3 follows the data while automated snapshots are on; else only manual snapshots hold it
        return bool(self.retention) or any(s.type == "manual" for s in self.snapshots)

    def copies(self) -> int:
        return 1 + (self.nodes > 1) + self.backed_up()

    def zones(self) -> list[str]:
        if not self.multi_az:
            return [self.zone]
        return [self.zone, next(z for z in ZONES if z != self.zone)]

    def relations(self, world) -> frozenset:
        return frozenset({("restored from", self.source)}) if self.source is not None else frozenset()

    def explain(self, world, attribute: str) -> str | None:
        if attribute in ("data copies", "replicated", "backed up"):
            return (f"{self.nodes} compute node{'s' if self.nodes > 1 else ''}, "
                    f"automated snapshots {'on' if self.retention else 'off'}")
        return None

    ATTRIBUTES = {
        "state": lambda w, c: "available",
        "node type": lambda w, c: c.node_type,
        "compute node count": lambda w, c: c.nodes,
        "maximum nodes": lambda w, c: NODE_TYPES[c.node_type][1],
        "cluster type": lambda w, c: "single-node" if c.nodes == 1 else "multi-node",
        "endpoint address": lambda w, c: f"{c.id}.cexample2.{REGION}.redshift.amazonaws.com",
        "port": lambda w, c: c.port,
        "endpoint count": lambda w, c: 1,
        "availability zone": lambda w, c: c.zone,
        "availability zone count": lambda w, c: len(c.zones()),
        "multi-az": lambda w, c: c.multi_az,
        "data size": lambda w, c: c.data,
        "load size": lambda w, c: c.last_load,
        "data copies": lambda w, c: c.copies(),
        "replicated": lambda w, c: c.nodes > 1,
        "backed up": lambda w, c: c.backed_up(),
        "backup size": lambda w, c: c.backup_size,
        "latest snapshot size": lambda w, c: c.automated()[-1].increment if c.automated() else None,
        "automated snapshot retention": lambda w, c: c.retention,
    }


def _invalid(message: str, code: str = "InvalidParameterValue") -> BackendError:
    return BackendError(code, message)


def _check(world, params: Mapping[str, Any], base: Mapping[str, Any]) -> dict:
    """The configuration of a new cluster, checked: ``params`` over ``base`` (a snapshot's, for a restore)."""
    node_type = params.get("node type", base.get("node type", DEFAULT_NODE_TYPE))
    if node_type not in NODE_TYPES:
        raise _invalid(f"Invalid node type: {node_type} (the model knows {', '.join(NODE_TYPES)}).")
    nodes = params.get("compute node count", base.get("compute node count", NODE_TYPES[node_type][0]))
    low, high = NODE_TYPES[node_type]
    if nodes < 1:
        raise _invalid(f"The number of nodes must be at least 1, not {nodes}.")
    if nodes > high:
        raise _invalid(f"A {node_type} cluster can have at most {high} compute nodes, not {nodes}.",
                       "NumberOfNodesPerClusterLimitExceeded")
    if nodes < low:
        raise _invalid(f"A {node_type} cluster is multi-node: it needs at least {low} compute nodes.", "InvalidParameterCombination")
    port = params.get("port", DEFAULT_PORT)
    ranges = PORTS[_family(node_type) if world.settings["redshift ra3 port ranges"] else "dc2"]
    if not any(a <= port <= b for a, b in ranges):
        raise _invalid(f"The port of a {node_type} cluster must be in {' or '.join(f'{a}-{b}' for a, b in ranges)}, not {port}.")
    zone = params.get("availability zone", base.get("availability zone", ZONES[0]))
    if zone not in ZONES:
        raise _invalid(f"The Availability Zone {zone} is not in the Region of the endpoint, {REGION}.")
    retention = params.get("automated snapshot retention", DEFAULT_RETENTION)
    if retention % DAY or not RETENTION_DAYS[0] * DAY <= retention <= RETENTION_DAYS[1] * DAY:
        raise _invalid(f"The automated snapshot retention must be a whole number of days from {RETENTION_DAYS[0]} to "
                       f"{RETENTION_DAYS[1]}, not {retention / DAY:g} days.")
    if retention == 0 and _family(node_type) == "ra3":
        raise _invalid("You can't disable automated snapshots for RA3 node types.", "InvalidParameterCombination")
    multi_az = params.get("multi-az", False)
    if multi_az and not world.settings["redshift multi-az support"]:
        raise _invalid("A Redshift cluster is in one Availability Zone only.", "UnsupportedOperation")
    if multi_az and _family(node_type) != "ra3":
        raise _invalid("Multi-AZ deployments are for RA3 node types only.", "InvalidParameterCombination")
    return dict(node_type=node_type, nodes=nodes, port=port, zone=zone, multi_az=multi_az, retention=retention)


def create_cluster(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Cluster:
    source = next((t for r, t in relations if r == "restored from"), None)
    base = {}
    if source is not None:
        base = {"node type": source.node_type, "compute node count": source.nodes, "availability zone": source.zone}
    config = _check(world, params, base)
    cluster = Cluster(world.new_id("redshift"), label, now=world.now, **config)
    if source is not None:
        cluster.source = source
        cluster.data = source.size
    world.redshift_clusters.append(cluster)
    return cluster


def create_snapshot(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Snapshot:
    cluster = next((t for r, t in relations if r == "of"), None)
    if cluster is None:
        raise _invalid("A snapshot is taken `of` a cluster.", "ClusterNotFound")
    snap = Snapshot(world.new_id("snap"), label, cluster, "manual", world.now, cluster.data)
    cluster.snapshots.append(snap)
    return snap


def take_automated(world, cluster: Cluster, at: float) -> None:
    snap = Snapshot(world.new_id("snap"), f"an automated snapshot of {cluster.label}", cluster, "automated", at, cluster.changed)
    cluster.snapshots.append(snap)
    cluster.backup_size += cluster.changed  # incremental: only what changed since the last one
    cluster.changed, cluster.changed_since, cluster.last_auto = 0, None, at


def on_tick(world, start: float, end: float) -> None:
    for cluster in world.redshift_clusters:
        if cluster.retention and cluster.changed:
            at = max(cluster.last_auto + SNAPSHOT_EVERY, cluster.changed_since)
            if at <= end:
                take_automated(world, cluster, at)
        # automated snapshots older than the retention period are deleted (their blocks stay while later ones need them)
        cluster.snapshots = [s for s in cluster.snapshots if s.type == "manual" or s.taken_at + cluster.retention > end]


def install(world) -> None:
    world.redshift_clusters = []
    world.creators["redshift cluster"] = create_cluster
    world.creators["redshift snapshot"] = create_snapshot
    world.counters[("redshift snapshot", "of")] = lambda w, c: len(c.snapshots)
    world.counters[("compute node", "of")] = lambda w, c: c.nodes
    world.counters[("leader node", "of")] = lambda w, c: 1
    world.on("tick", on_tick)
