"""ElastiCache's words, as data: clusters (with their CloudWatch metrics as attributes), nodes,
backups, the application of the caching patterns, and the settings.

The sources and decisions are in :mod:`.cluster` (and each other behaviour module's docstring).
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

ENGINES = ("redis", "memcached", "valkey")
DEFAULT_NODE_TYPE = "cache.t3.micro"
STRATEGIES = ("lazy-loading", "write-through")


def _metric(name, type_, description, **kw):
    return Attribute(name, type_, description=f"the CloudWatch metric {description}", **kw)


METRIC_ATTRIBUTES = (
    _metric("cpu utilization", "quantity", "CPUUtilization (host-level, every engine)", dimension="percent", integer=False),
    _metric("swap usage", "quantity", "SwapUsage (host-level, every engine)", dimension="size"),
    _metric("evictions", "number", "Evictions: items evicted to make room"),
    _metric("curr connections", "number", "CurrConnections: client connections (one per application using it)"),
    _metric("curr items", "number", "CurrItems: the items it holds"),
    _metric("engine cpu utilization", "quantity", "EngineCPUUtilization (Redis only)", dimension="percent", integer=False),
    _metric("memory fragmentation ratio", "number", "MemoryFragmentationRatio (Redis only)", integer=False),
    _metric("cache hits", "number", "CacheHits: successful key look-ups (Redis only)"),
    _metric("cache misses", "number", "CacheMisses: unsuccessful key look-ups (Redis only)"),
    _metric("cache hit rate", "quantity", "CacheHitRate: hits / (hits + misses) (Redis only)", dimension="percent", integer=False),
    _metric("get hits", "number", "GetHits: get requests for keys present (Memcached)"),
    _metric("get misses", "number", "GetMisses: get requests for keys absent (Memcached)"),
)


CLUSTER = Kind(
    name="elasticache cluster",
    aliases=("cache cluster", "cache"),
    capability="elasticache",
    description="an ElastiCache cluster: Memcached nodes, or a Redis primary with its replicas",
    states=(State("creating", stable=False), State("available"), State("modifying", stable=False),
            State("deleting", stable=False)),
    attributes=(
        Attribute("state", "text", description="creating, then available"),
        Attribute("engine", "enum", values=ENGINES, settable=True, description="redis (default) or memcached"),
        Attribute("node type", "text", settable=True, aliases=("cache node type",),
                  description=f"the size of its nodes ({DEFAULT_NODE_TYPE} unless given)"),
        Attribute("node count", "number", settable=True, aliases=("nodes",),
                  description="its nodes: Memcached 1 to 40 at creation; Redis: the primary and its replicas"),
        Attribute("replica count", "number", settable=True, aliases=("replicas",),
                  description="Redis read replicas of the primary: 0 to 5 (Memcached has none)"),
        Attribute("at-rest encryption", "boolean", settable=True, aliases=("encryption at rest", "encrypted at rest"),
                  description="its data is encrypted at rest (Redis only)"),
        Attribute("in-transit encryption", "boolean", settable=True, aliases=("transit encryption", "in-transit encrypted", "tls"),
                  description="its connections are encrypted, TLS (Redis; Memcached 1.6.12+ on AWS today)"),
        Attribute("automatic failover", "boolean", settable=True,
                  description="a replica is promoted automatically when the primary fails (Redis, needs a replica)"),
        Attribute("multi-az", "boolean", settable=True, aliases=("multi az",),
                  description="its replicas are in other Availability Zones than its primary (Redis, needs automatic failover)"),
        Attribute("max cache memory", "quantity", dimension="size", settable=True, aliases=("memory",),
                  description="memory for items per node (Memcached's max_cache_memory; the node type's memory by default)"),
        Attribute("primary node", "text", aliases=("primary",), description="the id of its primary node (Redis; none for Memcached)"),
        Attribute("availability zone count", "number", aliases=("zone count",),
                  description="the Availability Zones its nodes are in"),
        Attribute("hourly price", "number", integer=False, capability="billing",
                  description="what an hour of it costs, in USD: per node, by node type (illustrative list prices)"),
        Attribute("charges", "number", integer=False, capability="billing", aliases=("cost",),
                  description="what it has cost so far, in USD: node-hours by node type (a started hour counts whole)"),
        Attribute("billed node hours", "number", capability="billing", description="node-hours billed so far"),
        *METRIC_ATTRIBUTES,
    ),
    actions=(
        Action("create", "created", creates=True, result="available",
               description="CreateCacheCluster (Memcached) or CreateReplicationGroup (Redis); from a backup with `restored from`"),
        Action("delete", "deleted", deletes=True, description="deleted with its nodes and data (a backup outlives it)"),
        Action("fail over", "failed over", description="TestFailover: the primary fails; a replica is promoted (Redis)"),
    ),
    relations=(Relation("restored", "from", "cache backup", description="seeded from a backup at creation"),),
)

NODE = Kind(
    name="cache node",
    aliases=("node",),
    capability="elasticache",
    description="a node of an ElastiCache cluster: a Memcached partition, or a Redis primary or replica",
    attributes=(
        Attribute("node id", "text", aliases=("id",), description="its cache node id"),
        Attribute("role", "text", description="primary or replica (Redis); none for Memcached, whose nodes are peers"),
        Attribute("availability zone", "text", settable=True, aliases=("az", "zone"),
                  description="its Availability Zone (us-east-1a unless given; Multi-AZ replicas elsewhere)"),
    ),
    actions=(
        Action("add", "added", creates=True, target="elasticache cluster", preposition="to",
               description="a node added to a cluster: Memcached scales out; Redis gains a replica"),
        Action("remove", "removed", deletes=True, description="a node removed: Memcached scales in; Redis loses a replica"),
    ),
    relations=(Relation("", "of", "elasticache cluster", description="the cluster it is a node of"),
               Relation("added", "to", "elasticache cluster", description="the cluster it was added to")),
)

BACKUP = Kind(
    name="cache backup",
    capability="elasticache",
    description="a backup (snapshot) of a Redis cluster's data; Memcached has none",
    attributes=(
        Attribute("item count", "number", description="the items it holds"),
        Attribute("engine", "text", description="the engine of the cluster it was taken of"),
    ),
    actions=(Action("create", "created", creates=True, description="CreateSnapshot: refused for Memcached"),
             Action("delete", "deleted", deletes=True, description="DeleteSnapshot")),
    relations=(Relation("", "of", "elasticache cluster", description="the cluster it is a backup of"),),
)

APPLICATION = Kind(
    name="application",
    aliases=("app",),
    capability="elasticache",
    description="the client of the caching patterns: it reads and writes items through its cache, as its strategy says",
    attributes=(
        Attribute("strategy", "enum", values=STRATEGIES, settable=True, aliases=("caching strategy",),
                  description="lazy-loading (default: fill the cache on a read miss) or write-through (on every write)"),
        Attribute("ttl", "quantity", dimension="duration", settable=True, aliases=("time-to-live",),
                  description="the TTL of the keys it writes into its cache (none unless given)"),
        Attribute("arn", "text", description="its IAM identity: arn:aws:iam::<account>:role/<name>"),
    ),
    actions=(Action("create", "created", creates=True, description="an application deployed, with its cache and strategy"),),
    relations=(Relation("", "with", "elasticache cluster", description="the cache it uses"),),
)

VOCABULARY = (
    CLUSTER, NODE, BACKUP, APPLICATION,
    Setting("valkey engine", "boolean", default=False, capability="elasticache",
            description="ElastiCache offers a third engine, Valkey (AWS since October 2024; the notes: two engines)"),
    Setting("memcached in-transit encryption", "boolean", default=False, capability="elasticache",
            description="Memcached supports in-transit encryption (AWS since 2022, Memcached 1.6.12+; the notes: Redis only)"),
    Setting("memcached node limit", "number", default=40,
            description="nodes per Memcached cluster (a soft limit: 40)"),
)
