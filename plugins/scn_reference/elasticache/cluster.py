"""ElastiCache clusters: Redis and Memcached, their key store, evictions, failover and billing.

Sources: specs/notes/aws-architecture-notes.md, "Elasticache" and "Monitoring and
Reporting"; AWS's ElastiCache user guide where the notes are silent: "Comparing
node-based Valkey, Memcached, and Redis OSS clusters" (Memcached: multi-threaded, nodes
added and removed, no replication, no backup; Redis: replication, Multi-AZ with
automatic failover, backup and restore, encryption), and the ElastiCache API reference (botocore's model): CreateCacheCluster (Memcached: 1 to
40 nodes, ``NodeQuotaForClusterExceeded``), CreateReplicationGroup (0 to 5 replicas;
automatic failover needs a replica; AtRestEncryptionEnabled / TransitEncryptionEnabled
only for Redis), CreateSnapshot (``SnapshotFeatureNotSupportedFault`` for Memcached),
TestFailover, ``InvalidParameterValue`` / ``InvalidParameterCombination``.

Decisions:

- One kind, ``elasticache cluster`` (the console's "cluster"): a Memcached cache
  cluster or a Redis (cluster mode disabled) replication group: one primary node plus
  ``replica count`` replicas. Its engine is an adjective: `a redis cache "c"`.
- Engines: redis and memcached, per the notes. Valkey (AWS since October 2024) is
  refused with ``InvalidParameterValue`` unless the setting ``valkey engine`` is true;
  a Valkey cluster then behaves as a Redis one.
- Encryption: Redis only, per the notes; Memcached in-transit encryption (AWS today,
  Memcached 1.6.12+) with the setting ``memcached in-transit encryption``. A refusal is
  ``InvalidParameterCombination``.
- Multi-AZ: a Redis cluster with Multi-AZ places its replicas in other Availability
  Zones than its primary; it needs automatic failover, which needs a replica.
  `when "c" is failed over` is TestFailover: a replica becomes the primary and the
  cached data survives. Without automatic failover it is refused (``then it fails``).
- Billing: per node, by node type and hour (illustrative us-east-1 list prices below);
  a started node-hour counts as a whole one (from memory of the pricing page: "partial
  node-hours consumed are billed as full hours"); specs claim whole hours only.
- Nodes are in :mod:`.nodes`, backups in :mod:`.backups`, the
  CloudWatch metrics in :mod:`.metrics`, the caching patterns in
  :mod:`.patterns`; the words in :mod:`.kinds`.
- Evictions: Memcached evicts the least recently used items when its memory
  (``max cache memory``, the Memcached parameter max_cache_memory; the node type's
  memory by default) is full. Redis's default policy is volatile-lru: only keys with a
  TTL are evicted; when none can be, the write is dropped (the application ignores the
  cache's OOM error). Redis's maxmemory is not settable on ElastiCache.

This module owns the cluster, its key store (:class:`Entry`) and its creation; it builds on
:mod:`.nodes` and :mod:`.metrics`, and :mod:`.backups` and :mod:`.patterns` build on it.
"""

from __future__ import annotations

import zlib
from typing import Any, NoReturn

from scenario.errors import BackendError

from ..model import Resource
from . import metrics
from .kinds import DEFAULT_NODE_TYPE
from .nodes import Node

#: node type → (memory in GiB, vCPUs, USD per node-hour); illustrative us-east-1 On-Demand list prices
NODE_TYPES: dict[str, tuple[float, int, float]] = {
    "cache.t3.micro": (0.5, 2, 0.017),
    "cache.t3.small": (1.37, 2, 0.034),
    "cache.t3.medium": (3.09, 2, 0.068),
    "cache.m5.large": (6.38, 2, 0.156),
    "cache.r5.large": (13.07, 2, 0.216),
}
MAX_REPLICAS = 5
ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")

class Entry:
    __slots__ = ("value", "size", "expires", "used", "node")

    def __init__(self, value, size, expires, used, node=None):
        self.value, self.size, self.expires, self.used, self.node = value, size, expires, used, node


class Cluster(Resource):
    kind = "elasticache cluster"

    def __init__(self, id: str, label: str, engine: str, node_type: str, options: dict[str, Any]) -> None:
        super().__init__(id, label)
        self.engine = engine
        self.node_type = node_type
        self.options = options  # at-rest encryption, in-transit encryption, automatic failover, multi-az
        self.memory: int | None = None  # bytes per node, when Memcached's max_cache_memory is given
        self.nodes: list[Node] = []
        self.store: dict[Any, Entry] = {}
        self.hits = self.misses = self.evictions = 0
        self.deleted = False

    @property
    def redis_like(self) -> bool:
        return self.engine != "memcached"

    def live(self) -> list[Node]:
        return [n for n in self.nodes if n.ended is None]

    def primary(self) -> Node | None:
        return next((n for n in self.live() if n.role == "primary"), None)

    def zone_for(self, role: str) -> str:
        if role == "primary" or not self.options.get("multi-az"):
            return ZONES[0]
        primary = self.primary()
        others = [z for z in ZONES if primary is None or z != primary.zone]
        return others[sum(1 for n in self.live() if n.role == "replica") % len(others)]

    def add_node(self, world, label, zone=None) -> Node:
        role = None
        if self.redis_like:
            role = "primary" if self.primary() is None else "replica"
            if role == "replica" and sum(1 for n in self.live() if n.role == "replica") >= MAX_REPLICAS:
                raise BackendError("InvalidParameterValue", f"A Redis cluster has at most {MAX_REPLICAS} replicas.")
        elif len(self.live()) >= world.settings["memcached node limit"]:
            raise BackendError("NodeQuotaForClusterExceeded",
                               "The request cannot be processed because it would exceed the allowed number of cache nodes in a single cluster.")
        node = Node(world.new_id("node"), label, self, role, zone or self.zone_for(role or "primary"), world.now)
        self.nodes.append(node)
        return node

    def remove(self, world, node: Node) -> None:
        if node.role == "primary":
            raise BackendError("InvalidParameterValue", "The primary node cannot be removed; fail over first.")
        if len(self.live()) == 1:
            raise BackendError("InvalidParameterValue", "A cluster keeps at least one node.")
        if self.redis_like and self.options.get("automatic failover") and len(self.live()) == 2:
            raise BackendError("InvalidParameterCombination", "Automatic failover needs at least one replica.")
        node.ended = world.now
        if not self.redis_like:  # a Memcached node holds its own share of the keys: they go with it
            for key in [k for k, e in self.store.items() if e.node is node]:
                del self.store[key]

    def act(self, world, action, target, params):
        if action == "delete":
            for n in self.live():
                n.ended = world.now
            self.deleted = True
            return ("deleting",)
        return fail_over(world, self)

    CREATION = ("creating",)

    def relations(self, world):
        return frozenset(("restored from", b) for b in world.of_kind("cache backup") if b in self.options.get("from", ()))

    def capacity(self) -> int:
        per_node = self.memory if self.memory is not None else int(NODE_TYPES[self.node_type][0] * 1024**3)
        return per_node * (len(self.live()) if not self.redis_like else 1)

    # ------------------------------------------------------------ the key store
    def entry(self, world, item) -> Entry | None:
        e = self.store.get(item)
        if e is not None and e.expires is not None and e.expires <= world.now:
            del self.store[item]
            e = None
        return e

    def holds(self, world, item) -> bool:
        return not self.deleted and self.entry(world, item) is not None

    def get(self, world, item) -> Entry | None:
        """A GET of the item's key: counted as a hit or a miss."""
        e = self.entry(world, item)
        if e is None:
            self.misses += 1
            return None
        self.hits += 1
        e.used = world.now
        return e

    def set(self, world, item, value, size, ttl) -> bool:
        """A SET of the item's key, evicting least recently used items when memory is full."""
        for key in list(self.store):
            self.entry(world, key)
        self.store.pop(item, None)
        used, cap = sum(e.size for e in self.store.values()), self.capacity()
        # Memcached: any item; Redis (volatile-lru): only items with a TTL; the least recently used first
        victims = sorted((k for k, e in self.store.items() if not self.redis_like or e.expires is not None),
                         key=lambda k: self.store[k].used)
        while used + size > cap and victims:
            victim = victims.pop(0)
            used -= self.store.pop(victim).size
            self.evictions += 1
        if used + size > cap:
            return False  # nothing (more) evictable: the SET is refused (OOM) and the application ignores it
        live = self.live()
        node = live[zlib.crc32(item.id.encode()) % len(live)] if not self.redis_like else None
        self.store[item] = Entry(value, size, None if ttl is None else world.now + ttl, world.now, node)
        return True

    def observe(self, world, attribute):
        if attribute in metrics.METRICS:
            return metrics.value(world, self, attribute)
        return super().observe(world, attribute)

    def explain(self, world, attribute):
        return metrics.explain(self, attribute)

    ATTRIBUTES = {
        "state": lambda w, c: "available",
        "engine": lambda w, c: c.engine,
        "node type": lambda w, c: c.node_type,
        "node count": lambda w, c: len(c.live()),
        "replica count": lambda w, c: sum(1 for n in c.live() if n.role == "replica"),
        "at-rest encryption": lambda w, c: bool(c.options.get("at-rest encryption")),
        "in-transit encryption": lambda w, c: bool(c.options.get("in-transit encryption")),
        "automatic failover": lambda w, c: bool(c.options.get("automatic failover")),
        "multi-az": lambda w, c: bool(c.options.get("multi-az")),
        "max cache memory": lambda w, c: c.capacity() // (len(c.live()) if not c.redis_like else 1),
        "primary node": lambda w, c: c.primary().id if c.primary() else None,
        "availability zone count": lambda w, c: len({n.zone for n in c.live()}),
        "hourly price": lambda w, c: round(NODE_TYPES[c.node_type][2] * len(c.live()), 6),
        "billed node hours": lambda w, c: sum(n.hours(w) for n in c.nodes),
        "charges": lambda w, c: round(NODE_TYPES[c.node_type][2] * sum(n.hours(w) for n in c.nodes), 6),
    }


def _refuse(code: str, message: str) -> NoReturn:
    raise BackendError(code, message)


def _memcached_nodes(world, params, options) -> int:
    """The nodes of a new Memcached cluster; Redis's features refused."""
    redis_only = [k for k in ("at-rest encryption", "automatic failover", "multi-az") if k in options]
    if "in-transit encryption" in options and not world.settings["memcached in-transit encryption"]:
        redis_only.insert(0, "in-transit encryption")
    if "replica count" in params:
        redis_only.append("replica count")
    if redis_only:
        _refuse("InvalidParameterCombination", f"The {redis_only[0]} is a feature of Redis (a replication group), not of Memcached.")
    nodes = params.get("node count", 1)
    if nodes < 1:
        _refuse("InvalidParameterValue", "The number of cache nodes must be between 1 and 40.")
    if nodes > world.settings["memcached node limit"]:
        _refuse("NodeQuotaForClusterExceeded",
                "The request cannot be processed because it would exceed the allowed number of cache nodes in a single cluster.")
    return nodes


def _redis_nodes(params, options) -> int:
    """The nodes of a new Redis cluster: its primary and its replicas."""
    replicas = params.get("replica count", 0)
    if "node count" in params:
        _refuse("InvalidParameterCombination", "A Redis cluster has one primary node: give its replica count instead.")
    if "max cache memory" in params:
        _refuse("InvalidParameterCombination", "Redis's maxmemory is not modifiable on ElastiCache.")
    if not 0 <= replicas <= MAX_REPLICAS:
        _refuse("InvalidParameterValue", f"ReplicasPerNodeGroup must be between 0 and {MAX_REPLICAS}, not {replicas}.")
    if options.get("automatic failover") and replicas < 1:
        _refuse("InvalidParameterCombination", "Automatic failover needs at least one replica (NumCacheClusters at least 2).")
    if options.get("multi-az") and not options.get("automatic failover"):
        _refuse("InvalidParameterCombination", "Multi-AZ needs automatic failover.")
    return 1 + replicas


def create(world, label, params, relations) -> Cluster:
    engine = params.get("engine", "redis")
    if engine == "valkey" and not world.settings["valkey engine"]:
        _refuse("InvalidParameterValue", "Invalid engine 'valkey': the engine is redis or memcached.")
    node_type = params.get("node type", DEFAULT_NODE_TYPE)
    if node_type not in NODE_TYPES:
        _refuse("InvalidParameterValue", f"Invalid CacheNodeType: {node_type}")
    memcached = engine == "memcached"
    options = {k: params[k] for k in ("at-rest encryption", "in-transit encryption", "automatic failover", "multi-az") if params.get(k)}
    nodes = _memcached_nodes(world, params, options) if memcached else _redis_nodes(params, options)
    backup = next((t for _r, t in relations if getattr(t, "kind", None) == "cache backup"), None)
    if backup is not None and memcached:
        _refuse("InvalidParameterCombination", "A Memcached cluster cannot be restored from a backup.")
    cluster = Cluster(world.new_id("cache"), label, engine, node_type, options)
    cluster.memory = params.get("max cache memory")
    for i in range(nodes):
        cluster.add_node(world, f"{label} node {i + 1}")
    if backup is not None:
        cluster.options["from"] = (backup,)
        for item, e in backup.entries.items():
            cluster.store[item] = Entry(e.value, e.size, e.expires, world.now)
    return cluster


def fail_over(world, cluster: Cluster):
    if not cluster.redis_like:
        _refuse("InvalidParameterCombination", "Memcached has no replicas to fail over to.")
    if not cluster.options.get("automatic failover"):
        _refuse("TestFailoverNotAvailableFault", "The TestFailover action is not available: automatic failover is disabled.")
    old = cluster.primary()
    assert old is not None, "a live Redis cluster has its primary (it cannot be removed, only failed over)"
    new = next(n for n in cluster.live() if n.role == "replica")
    new.role, old.role = "primary", "replica"  # the failed primary is replaced and comes back as a replica
    return ("modifying",)


def install(world) -> None:
    world.creators["elasticache cluster"] = create
    world.counters[("item", "cached in")] = lambda w, c: sum(1 for k in list(c.store) if c.entry(w, k))
