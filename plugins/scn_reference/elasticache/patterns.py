"""Caching patterns: an application in front of a DynamoDB table with an ElastiCache cache.

Sources: specs/notes/aws-architecture-notes.md, "Patterns"; AWS's ElastiCache user
guide, "Caching strategies" (lazy loading: a read asks the cache first; on a hit the
cache returns the data; on a miss — absent or expired — the cache returns null and the
application reads the database and writes the result into the cache; data can go
stale, since a database write does not touch the cache. Write-through: every database
write also writes the cache, which stays current; data never read piles up. "Adding
TTL": each key written with a time to live expires, and the next read is a miss).

Decisions: an ``application`` (the client, with an IAM identity: its ``arn``) uses at
most one cache, a strategy — lazy-loading (default) or write-through — and an
optional TTL. A write-through application on a read miss reads the database and
returns the data without caching it (the strategy writes only on writes; AWS
recommends combining it with lazy loading). Every request the application makes to
DynamoDB is authorized by IAM (see ``scn_reference.dynamodb.access``): give it a policy. A bare
`when "k" is looked up in "c"` is a GET of the item's key alone: the cache's answer,
null on a miss, without the database.

This module owns the application and the patterns, registered in ``world.actors[("item", verb)]``;
the words are in :mod:`.kinds`. It is the one place a service imports another: ElastiCache →
DynamoDB, one way, and only DynamoDB's modules that own items and IAM's decision
(``dynamodb.tables``: ``ACCOUNT``, ``name_of``, ``get_item``, ``write_item``; ``dynamodb.access``:
``authorize``), never its ``__init__``; DynamoDB imports nothing of ElastiCache. It knows a cache
by its attributes (``get``, ``set``, ``deleted``), so it imports nothing else of this package.
"""

from __future__ import annotations

from typing import Any, Mapping

from scenario.errors import BackendError

from ..dynamodb.access import authorize
from ..dynamodb.tables import ACCOUNT, get_item, name_of, write_item
from ..model import Resource


class Application(Resource):
    kind = "application"

    def __init__(self, id, label, strategy, ttl, cache):
        super().__init__(id, label)
        self.strategy = strategy
        self.ttl = ttl
        self.cache = cache
        self.arn = f"arn:aws:iam::{ACCOUNT}:role/{name_of(label)}"

    def relations(self, world):
        return frozenset({("with", self.cache)}) if self.cache is not None else frozenset()

    ATTRIBUTES = {"strategy": lambda w, a: a.strategy, "ttl": lambda w, a: a.ttl, "arn": lambda w, a: a.arn}


def create(world, label, params, relations) -> Application:
    cache = next((t for _r, t in relations if getattr(t, "kind", None) == "elasticache cluster"), None)
    ttl = params.get("ttl")
    if ttl is not None and ttl <= 0:
        raise BackendError("InvalidParameterValue", "A TTL is a positive number of seconds (Redis EXPIRE / Memcached exptime).")
    return Application(world.new_id("app"), label, params.get("strategy", "lazy-loading"), ttl, cache)


def _cache(app: Application):
    cache = app.cache
    return cache if cache is not None and not cache.deleted else None


def request(world, item, app: Application, params: Mapping[str, Any]):
    """A read by the application: the cache first; on a miss the database (and, lazy loading, fill the cache)."""
    cache = _cache(app)
    if cache is not None:
        hit = cache.get(world, item)
        if hit is not None:
            item.returned = hit.value
            return ()
    authorize(world, app, "read", item.table)
    value = get_item(world, item, False)
    if cache is not None and app.strategy == "lazy-loading" and value is not None:
        cache.set(world, item, value, item.size, app.ttl)
    item.returned = value
    return ()


def update(world, item, app: Application, params: Mapping[str, Any]):
    """A write by the application: the database; write-through also writes the cache."""
    authorize(world, app, "update", item.table)
    write_item(world, item, "MODIFY", params.get("value"), params.get("size"))
    cache = _cache(app)
    if cache is not None and app.strategy == "write-through":
        cache.set(world, item, item.value, item.size, app.ttl)
    return ()


def look_up(world, item, cache, params: Mapping[str, Any]):
    """A bare GET of the item's key: the cached data, or null."""
    hit = cache.get(world, item)
    item.returned = hit.value if hit is not None else None
    return ()


def install(world) -> None:
    world.creators["application"] = create
    world.actors[("item", "request")] = request
    world.actors[("item", "update")] = update
    world.actors[("item", "look up")] = look_up
