"""ElastiCache's CloudWatch metrics, as attributes of a cluster, by engine.

Sources: specs/notes/aws-architecture-notes.md, "Monitoring and Reporting"; AWS's
ElastiCache user guide, "Host-level metrics" (CPUUtilization, SwapUsage, … for every
node), "Metrics for Memcached" (CurrConnections, CurrItems, Evictions, GetHits,
GetMisses, …) and "Metrics for Valkey and Redis OSS" (EngineCPUUtilization,
MemoryFragmentationRatio, CacheHits, CacheMisses, CacheHitRate, CurrConnections,
Evictions, CurrItems, …).

A metric an engine does not publish reads none. Values are computed where the model
knows the workload (hits, misses, hit rate, connections — one per application using
the cache —, items, evictions); the model has no CPU or memory load, so CPU and swap
read 0 and the fragmentation ratio 1.0: specs claim only that they are published.

This module owns which engine publishes which metric and their values; the metrics' words
are in :mod:`.kinds`. It imports nothing of the package: it knows a cluster by its attributes.
"""

from __future__ import annotations

#: metric attribute → engines that publish it (host-level metrics: every engine)
METRICS = {
    "cpu utilization": ("redis", "memcached", "valkey"),
    "swap usage": ("redis", "memcached", "valkey"),
    "evictions": ("redis", "memcached", "valkey"),
    "curr connections": ("redis", "memcached", "valkey"),
    "curr items": ("redis", "memcached", "valkey"),
    "engine cpu utilization": ("redis", "valkey"),
    "memory fragmentation ratio": ("redis", "valkey"),
    "cache hits": ("redis", "valkey"),
    "cache misses": ("redis", "valkey"),
    "cache hit rate": ("redis", "valkey"),
    "get hits": ("memcached",),
    "get misses": ("memcached",),
}


def value(world, cluster, name):
    """The metric of the cluster now; none when its engine does not publish it."""
    if cluster.engine not in METRICS[name]:
        return None
    items = sum(1 for k in list(cluster.store) if cluster.entry(world, k))
    lookups = cluster.hits + cluster.misses
    return {
        "cpu utilization": 0.0, "swap usage": 0, "engine cpu utilization": 0.0, "memory fragmentation ratio": 1.0,
        "evictions": cluster.evictions, "curr items": items,
        "curr connections": sum(1 for a in world.of_kind("application") if a.cache is cluster),
        "cache hits": cluster.hits, "cache misses": cluster.misses, "get hits": cluster.hits, "get misses": cluster.misses,
        "cache hit rate": round(100 * cluster.hits / lookups, 2) if lookups else 0.0,
    }[name]


def explain(cluster, name) -> str | None:
    if name in METRICS and cluster.engine not in METRICS[name]:
        return f"{cluster.engine} does not publish it"
    return None
