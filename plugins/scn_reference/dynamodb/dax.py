"""DynamoDB Accelerator (DAX): a write-through item cache in front of DynamoDB.

Sources: specs/notes/aws-architecture-notes.md, "DynamoDB Accelerator (DAX)"; AWS's
DynamoDB developer guide, "In-memory acceleration with DynamoDB Accelerator (DAX)",
"DAX: How it works" (a GetItem through DAX is answered from the item cache on a hit;
on a miss DAX performs an eventually consistent GetItem against DynamoDB and caches
the result; strongly consistent reads are passed through to DynamoDB and their
results are not cached; a write goes to DynamoDB first, then to the item cache —
write-through), "DAX item cache" (each entry lives for the item TTL, 5 minutes by
default: record-ttl-millis = 300000), "DAX cluster components" (1 to 11 nodes: one
primary and up to 10 read replicas), "Monitoring DAX" (ItemCacheHits, ItemCacheMisses).

Decisions: a DAX cluster serves any table of the account (it is not tied to one, as on
AWS): an item read from it is looked up in its item cache, and on a miss read from the
item's own table. A change made directly to the table (bypassing DAX) does not reach
the item cache: a cached entry stays stale until its TTL runs out, as AWS documents.
More than 11 nodes is refused with ``NodeQuotaForClusterExceededFault`` ("You have
attempted to exceed the maximum number of nodes for a DAX cluster", botocore's DAX
model); fewer than one with ``InvalidParameterValueException``.

This module owns DAX clusters and reading and writing an item through one, built on
:mod:`.tables`' item operations and registered in ``world.actors[("item", "read" | "write")]``.
The words are in :mod:`.kinds`.
"""

from __future__ import annotations

from typing import Any

from scenario.errors import BackendError

from ..model import Resource
from .tables import get_item, write_item

DEFAULT_ITEM_TTL = 300  # seconds: record-ttl-millis 300000
DEFAULT_NODES = 3  # AWS recommends at least three nodes, one per Availability Zone, for production
MAX_NODES = 11  # one primary plus up to ten read replicas

class DaxCluster(Resource):
    kind = "dax cluster"

    def __init__(self, id: str, label: str, nodes: int, ttl: float) -> None:
        super().__init__(id, label)
        self.nodes = nodes
        self.ttl = ttl
        self.cache: dict[Any, tuple[Any, float]] = {}  # item → (value, expires at)
        self.hits = 0
        self.misses = 0
        self.deleted = False

    def act(self, world, action, target, params):
        self.deleted = True  # the only action: delete
        self.cache.clear()
        return ()

    def entry(self, world, item):
        hit = self.cache.get(item)
        if hit is not None and hit[1] <= world.now:
            del self.cache[item]
            hit = None
        return hit

    def fill(self, world, item, value) -> None:
        self.cache[item] = (value, world.now + self.ttl)

    ATTRIBUTES = {
        "node count": lambda w, d: d.nodes,
        "provisioned nodes": lambda w, d: d.nodes,
        "item ttl": lambda w, d: d.ttl,
        "item cache hits": lambda w, d: d.hits,
        "item cache misses": lambda w, d: d.misses,
        "cached items": lambda w, d: sum(1 for i in list(d.cache) if d.entry(w, i)),
    }


def create(world, label, params, relations) -> DaxCluster:
    nodes = params.get("node count", DEFAULT_NODES)
    if nodes > MAX_NODES:
        raise BackendError("NodeQuotaForClusterExceededFault", "You have attempted to exceed the maximum number of nodes for a DAX cluster.")
    if nodes < 1:
        raise BackendError("InvalidParameterValueException", f"The replication factor must be at least 1, not {nodes}.")
    ttl = params.get("item ttl", DEFAULT_ITEM_TTL)
    if ttl < 0:
        raise BackendError("InvalidParameterValueException", "The record TTL cannot be negative.")
    return DaxCluster(world.new_id("dax"), label, nodes, ttl)


def _usable(dax: DaxCluster) -> None:
    if dax.deleted:
        raise BackendError("ClusterNotFoundFault", f"Cluster {dax.label} not found.")


def read(world, dax: DaxCluster, item, consistent: bool):
    """GetItem through DAX: a hit never reaches the table; a miss is an eventually consistent GetItem, then cached."""
    _usable(dax)
    if consistent:  # passed through to DynamoDB; the result is not cached
        return get_item(world, item, True)
    hit = dax.entry(world, item)
    if hit is not None:
        dax.hits += 1
        return hit[0]
    dax.misses += 1
    value = get_item(world, item, False)
    if value is not None:
        dax.fill(world, item, value)
    return value


def write(world, dax: DaxCluster, item, value, size) -> None:
    """UpdateItem through DAX: to the table first, then to the item cache (write-through)."""
    _usable(dax)
    write_item(world, item, "MODIFY", value, size)
    dax.fill(world, item, item.value)


def read_item(world, item, dax: DaxCluster, params) -> tuple:
    """`when "i" is read from "dax"`: the item's returned value is what DAX answered."""
    item.returned = read(world, dax, item, bool(params.get("consistent read", False)))
    return ()


def write_item_through(world, item, dax: DaxCluster, params) -> tuple:
    """`when "i" is written to "dax"`."""
    write(world, dax, item, params.get("value"), params.get("size"))
    return ()


def install(world) -> None:
    world.creators["dax cluster"] = create
    world.actors[("item", "read")] = read_item
    world.actors[("item", "write")] = write_item_through
    world.counters[("item", "cached by")] = lambda w, d: sum(1 for i in list(d.cache) if d.entry(w, i))
