"""Aurora clusters and their DB instances: the six-copy volume, backups, Serverless settings.

The words are in :mod:`.kinds` (its docstring names the sources and the decisions); this
module holds the tables, the resources, their creation and the two helpers every behaviour
uses (:func:`enter`, :func:`accrue`): the bottom of the cluster family, above
:mod:`.global_database` only. What faults and the clock do is :mod:`.failover`'s: it registers
its actions in ``world.actors[(kind, verb)]``, through which a cluster and an instance dispatch.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import attrs

from scenario.errors import BackendError

from ..model import Resource
from . import global_database
from .kinds import ENGINE_MODES

ENGINES = ("aurora-mysql", "aurora-postgresql")
ZONE_LETTERS = ("a", "b", "c")  # the cluster volume's three Availability Zones
COPIES_PER_ZONE = 2  # "2 copies of data are kept in each AZ ... (6 copies)"
WRITE_QUORUM = 4  # of 6: writes survive the loss of two copies
READ_QUORUM = 3  # of 6: reads survive the loss of three
MAX_REPLICAS = 15  # Aurora Replicas per cluster, besides the writer
TIERS = (0, 15)
DEFAULT_TIER = 1  # CreateDBInstance PromotionTier: "Default: 1. Valid Values: 0 - 15"
DAY = 86_400
RETENTION_DAYS = (1, 35)  # CreateDBCluster BackupRetentionPeriod: "Default: 1 ... from 1 to 35"
AUTO_PAUSE = (300, 86_400)  # SecondsUntilAutoPause: 300 to 86,400, 300 by default
V1_MIN_CAPACITY = {"aurora-mysql": 1, "aurora-postgresql": 2}  # the smallest v1 capacity per engine
V2_MIN_CAPACITY = 0.5  # v2's usual minimum; 0 turns on auto-pause
MAX_CAPACITY = 256
INSTANCE_CLASS = {"provisioned": "db.r6g.large", "serverless": "db.serverless"}
ENDPOINT = "{name}.{kind}cexample1.{region}.rds.amazonaws.com"


def enter(world, resource, state: str) -> None:
    previous, resource.state = resource.state, state
    world.emit("entered", resource, previous, state)


def accrue(cluster: Cluster, until: float) -> None:
    """Bring its billed time up to ``until``."""
    if until > cluster.accrued_to:
        if cluster.billed():
            cluster.billed_seconds += until - cluster.accrued_to
        cluster.accrued_to = until


@attrs.define
class Copy:
    """One of the six copies of a cluster's volume: its zone, and whether it is still live."""

    zone: str
    alive: bool = True


class Instance(Resource):
    """A DB instance of an Aurora cluster: its writer, or a reader (an Aurora Replica)."""

    def __init__(self, id: str, label: str, kind: str, cluster: Cluster, zone: str, tier: int, role: str) -> None:
        super().__init__(id, label)
        self.kind = kind
        self.cluster = cluster
        self.zone = zone
        self.tier = tier
        self.role = role
        self.state = "available"
        self.recover_at: float | None = None

    @property
    def endpoint(self) -> str:
        return ENDPOINT.format(name=self.id, kind="", region=self.cluster.region)

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        actor = world.actors.get((self.kind, action))  # `fail`: registered by the failover module
        if actor is not None:
            return actor(world, self, target, params)
        return super().act(world, action, target, params)  # pragma: no cover

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.cluster)})

    ATTRIBUTES = {
        "state": lambda w, i: i.state,
        "role": lambda w, i: i.role,
        "writer": lambda w, i: i.role == "writer",
        "availability zone": lambda w, i: i.zone,
        "promotion tier": lambda w, i: i.tier,
        "endpoint": lambda w, i: i.endpoint,
        "instance class": lambda w, i: INSTANCE_CLASS[i.cluster.mode],
    }


class Cluster(Resource):
    kind = "aurora cluster"

    def __init__(self, id: str, label: str, engine: str, mode: str, region: str, retention: float, now: float) -> None:
        super().__init__(id, label)
        self.engine, self.mode, self.region, self.retention = engine, mode, region, retention
        self.created_at = now
        self.state = "available"
        self.copies = [Copy(zone) for zone in self.zones() for _ in range(COPIES_PER_ZONE)]
        self.failed_zones: list[str] = []
        self.instances: list[Instance] = []
        self.promote_at: float | None = None
        self.promoting: Instance | None = None
        self.global_db: global_database.GlobalDatabase | None = None
        self.global_role: str | None = None
        self.restore_age: float | None = None
        self.source: Cluster | None = None  # restored from it
        self.min_capacity: float | None = None
        self.auto_pause = AUTO_PAUSE[0]
        self.idle_since: float | None = now  # a new cluster has no connections yet
        self.billed_seconds = 0.0
        self.accrued_to = now

    def zones(self) -> list[str]:
        return [f"{self.region}{letter}" for letter in ZONE_LETTERS]

    @property
    def writer(self) -> Instance | None:
        return next((i for i in self.instances if i.role == "writer"), None)

    def readers(self) -> list[Instance]:
        return [i for i in self.instances if i.role == "reader"]

    def live_copies(self) -> int:
        return sum(1 for copy in self.copies if copy.alive)

    def writable(self) -> bool:
        w = self.writer
        return (self.live_copies() >= WRITE_QUORUM and self.global_role != "secondary" and self.state != "failing-over"
                and w is not None and w.state == "available")

    def readable(self) -> bool:
        return self.live_copies() >= READ_QUORUM and any(i.state == "available" for i in self.instances)

    def billed(self) -> bool:
        return self.state != "paused"

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        accrue(self, world.now)
        if action == "connect":
            self.idle_since = None
            if self.state == "paused":
                enter(world, self, "available")
                return ("available",)
            return ()
        if action == "disconnect":
            if self.idle_since is None:
                self.idle_since = world.now
            return ()
        if action == "detach":
            global_database.detach(world, self)
            return ()
        actor = world.actors.get((self.kind, action))  # `fail over`, `degrade`: registered by the failover module
        if actor is not None:
            return actor(world, self, target, params)
        return super().act(world, action, target, params)  # pragma: no cover

    def relations(self, world) -> frozenset:
        rels: set[tuple[str, Resource]] = set()
        if self.global_db is not None:
            rels.add(("in", self.global_db))
        if self.source is not None:
            rels.add(("restored from", self.source))
        return frozenset(rels)

    def explain(self, world, attribute: str) -> str | None:
        if attribute in ("writable", "readable"):
            w = self.writer
            return (f"{self.live_copies()} of 6 copies live, {self.state}, "
                    f"writer {w.state if w else 'none'}{', a Global Database secondary' if self.global_role == 'secondary' else ''}")
        return None

    ATTRIBUTES = {
        "state": lambda w, c: c.state,
        "cluster id": lambda w, c: c.id,
        "engine": lambda w, c: c.engine,
        "engine mode": lambda w, c: c.mode,
        "region": lambda w, c: c.region,
        "cluster endpoint": lambda w, c: ENDPOINT.format(name=c.id, kind="cluster-", region=c.region),
        "cluster endpoint target": lambda w, c: c.writer.endpoint if c.writer else None,
        "storage copies": lambda w, c: c.live_copies(),
        "storage zone count": lambda w, c: len({copy.zone for copy in c.copies if copy.alive}),
        "copies per zone": lambda w, c: COPIES_PER_ZONE,
        "lost copies": lambda w, c: len(c.copies) - c.live_copies(),
        "failed zone": lambda w, c: ", ".join(c.failed_zones) or None,
        "writable": lambda w, c: c.writable(),
        "readable": lambda w, c: c.readable(),
        "replica count": lambda w, c: len(c.readers()),
        "backup retention": lambda w, c: c.retention,
        "automated backups": lambda w, c: True,  # Aurora's cannot be turned off (retention 0 is refused)
        "restore window": lambda w, c: restore_window(w, c),
        "restore age": lambda w, c: c.restore_age,
        "minimum capacity": lambda w, c: c.min_capacity,
        "auto pause delay": lambda w, c: c.auto_pause if c.mode == "serverless" else None,
        "capacity": lambda w, c: None if c.mode != "serverless" else (0 if c.state == "paused" else c.min_capacity),
        "billed": lambda w, c: c.billed(),
        "billed time": lambda w, c: _billed_time(w, c),
        "replication lag": lambda w, c: global_database.lag(c),
        "global role": lambda w, c: c.global_role,
    }


def _billed_time(world, cluster: Cluster) -> float:
    accrue(cluster, world.now)
    return cluster.billed_seconds


# ---------------------------------------------------------------- creation
def _invalid(message: str) -> BackendError:
    return BackendError("InvalidParameterValue", message)


def _retention(params) -> int:
    retention = params.get("backup retention", RETENTION_DAYS[0] * DAY)
    low, high = RETENTION_DAYS
    if retention % DAY or not low * DAY <= retention <= high * DAY:
        raise _invalid(f"The backup retention period must be a whole number of days from {low} to {high} "
                       f"(automated backups of an Aurora DB cluster cannot be turned off), not {retention / DAY:g} days.")
    return retention


def _serverless_settings(world, cluster, params) -> None:
    given = [name for name in ("minimum capacity", "auto pause delay") if name in params]
    if cluster.mode != "serverless":
        if given:
            raise BackendError("InvalidParameterCombination", f"The {given[0]} applies to Aurora Serverless clusters only.")
        return
    v2 = world.settings["aurora serverless version"] >= 2
    low = 0 if v2 else V1_MIN_CAPACITY[cluster.engine]
    capacity = params.get("minimum capacity", V2_MIN_CAPACITY if v2 else low)
    if not low <= capacity <= MAX_CAPACITY or (capacity * 2) % 1:
        raise _invalid(f"The minimum capacity must be from {low:g} to {MAX_CAPACITY} ACUs, not {capacity:g}.")
    delay = params.get("auto pause delay", AUTO_PAUSE[0])
    if not AUTO_PAUSE[0] <= delay <= AUTO_PAUSE[1]:
        raise _invalid(f"The auto pause delay must be from {AUTO_PAUSE[0]} to {AUTO_PAUSE[1]} seconds, not {delay:g}.")
    cluster.min_capacity, cluster.auto_pause = capacity, delay


def create_cluster(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Cluster:
    source = next((t for r, t in relations if r == "restored from"), None)
    engine = params.get("engine", source.engine if source else ENGINES[0])
    if engine not in ENGINES:
        raise _invalid(f"Invalid DB engine for an Aurora cluster: {engine} (aurora-mysql or aurora-postgresql).")
    mode = params.get("engine mode", source.mode if source else ENGINE_MODES[0])
    cluster = Cluster(world.new_id("cluster"), label, engine, mode, params.get("region", "us-east-1"), _retention(params), world.now)
    _serverless_settings(world, cluster, params)
    if "restore age" in params and source is None:
        raise BackendError("InvalidParameterCombination", "A restore age is given only when restoring from another cluster.")
    if source is not None:
        restore(world, cluster, source, params.get("restore age", 0))
    group = next((t for r, t in relations if r == "in"), None)
    if group is not None:
        global_database.join(world, cluster, group)
    first = Instance(world.new_id("db"), f"the first instance of {label}", "aurora instance", cluster, cluster.zones()[0],
                     DEFAULT_TIER, "reader" if cluster.global_role == "secondary" else "writer")
    cluster.instances.append(first)
    world.aurora_clusters.append(cluster)
    return cluster


def create_instance(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Instance:
    """`an aurora instance "w" of "c"` names the cluster's first instance; it creates nothing."""
    cluster = next((t for r, t in relations if r == "of"), None)
    if cluster is None:
        raise _invalid("An Aurora instance is named `of` its cluster: the cluster is created with it.")
    if params:
        raise _invalid("An Aurora cluster's first instance is named, not configured: its settings come from the cluster.")
    return cluster.instances[0]


def create_replica(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Instance:
    cluster = next((t for r, t in relations if r == "of"), None)
    if cluster is None:
        raise _invalid("An Aurora Replica belongs to a DB cluster: create it `of` an aurora cluster.")
    if cluster.mode == "serverless" and world.settings["aurora serverless version"] < 2:
        raise _invalid("Instances cannot be added to Aurora Serverless clusters.")  # AWS's answer for Serverless v1
    readers = cluster.readers()
    if len(readers) >= MAX_REPLICAS:
        raise BackendError("InstanceQuotaExceeded", f"A DB cluster can have at most {MAX_REPLICAS} Aurora Replicas.")
    tier = params.get("promotion tier", DEFAULT_TIER)
    if not TIERS[0] <= tier <= TIERS[1]:
        raise _invalid(f"The promotion tier must be from {TIERS[0]} to {TIERS[1]}, not {tier}.")
    zones = cluster.zones()
    zone = params.get("availability zone", zones[(len(readers) + 1) % len(zones)])  # spread: b, c, a, b, ...
    if zone not in zones:
        raise _invalid(f"The Availability Zone {zone} is not one of the cluster's: {', '.join(zones)}.")
    replica = Instance(world.new_id("db"), label, "aurora replica", cluster, zone, tier, "reader")
    cluster.instances.append(replica)
    if zone in cluster.failed_zones:
        replica.state = "failed"
    return replica


def restore_window(world, cluster: Cluster) -> float:
    return min(cluster.retention, world.now - cluster.created_at)


def restore(world, cluster: Cluster, source: Cluster, age: float) -> None:
    window = restore_window(world, source)
    if not 0 <= age <= window:
        raise BackendError("InvalidRestoreFault",
                           f"The restore time must be within the backup retention period of {source.id}: at most {window:g} seconds ago.")
    cluster.source, cluster.restore_age = source, age


def _count_replicas(world, cluster) -> int:
    return len(cluster.readers())


def install(world) -> None:
    world.aurora_clusters = []
    world.creators["aurora cluster"] = create_cluster
    world.creators["aurora instance"] = create_instance
    world.creators["aurora replica"] = create_replica
    world.counters[("aurora replica", "of")] = _count_replicas
    world.counters[("aurora instance", "of")] = lambda w, c: len(c.instances)
