"""The ElastiCache part of the reference model (clusters, nodes, backups, billing, metrics, caching patterns)."""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scenario.compiler import compile_text
from scenario.errors import SpecErrors
from scenario.vocabulary import Vocabulary
from scn_reference.vocabulary import VOCABULARY


def cache(world, engine="redis", name="c", relations=(), **params):
    return world.create("elasticache cluster", f'elasticache cluster "{name}"', {"engine": engine, **params}, tuple(relations))


def node(world, c, name="n", **params):
    return world.create("cache node", f'cache node "{name}"', params, (("added to", c),))


def item(world, t, name="k", **params):
    return world.create("item", f'item "{name}"', params, (("in", t),))


def app(world, c, name="app", **params):
    a = world.create("application", f'application "{name}"', params, (("with", c),) if c is not None else ())
    world.create("policy", f'policy "{name}-p"', {}, (("attached to", a),))
    return a


# ------------------------------------------------------------------ clusters and nodes
def test_a_redis_cluster_by_default(world):
    c = world.create("elasticache cluster", 'elasticache cluster "c"', {}, ())
    assert world.creation_states(c) == ("creating",)
    assert (world.observe(c, "engine"), world.observe(c, "state"), world.observe(c, "node count")) == ("redis", "available", 1)
    assert world.observe(c, "max cache memory") == 512 * 1024**2
    assert world.relations(c) == frozenset()


def test_the_primary_and_the_last_node_cannot_be_removed(world):
    r = cache(world, **{"replica count": 1, "automatic failover": True})
    primary = next(n for n in r.live() if n.role == "primary")
    refused("InvalidParameterValue", world.act, primary, "remove", None, {})
    replica = next(n for n in r.live() if n.role == "replica")
    refused("InvalidParameterCombination", world.act, replica, "remove", None, {})  # failover needs a replica
    m = cache(world, "memcached", "m")
    refused("InvalidParameterValue", world.act, m.live()[0], "remove", None, {})


def test_a_removed_node_ends_its_relations(world):
    m = cache(world, "memcached")
    n = node(world, m, **{"availability zone": "us-east-1b"})
    assert world.observe(n, "availability zone") == "us-east-1b" and world.observe(n, "node id") == n.id
    assert world.act(n, "remove", None, {}) == ("modifying",)
    assert world.relations(n) == frozenset() and not world.exists(n)
    assert world.count_related("cache node", "added to", m) == 1


def test_bounds_of_creation(world):
    refused("InvalidParameterValue", cache, world, "redis", "x", **{"node type": "cache.nope"})
    refused("InvalidParameterValue", cache, world, "redis", "x", **{"replica count": -1})
    refused("InvalidParameterCombination", cache, world, "redis", "x", **{"max cache memory": 1024})
    refused("InvalidParameterCombination", cache, world, "memcached", "x", **{"automatic failover": True})


def test_multi_az_replicas_go_round_the_other_zones(world):
    c = cache(world, **{"replica count": 4, "automatic failover": True, "multi-az": True})
    zones = [n.zone for n in c.live()]
    assert zones == ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1b", "us-east-1c"]
    assert world.observe(c, "multi-az") is True and world.observe(c, "automatic failover") is True


def test_failover_swaps_the_primary(world):
    c = cache(world, **{"replica count": 1, "automatic failover": True})
    first = world.observe(c, "primary node")
    assert world.act(c, "fail over", None, {}) == ("modifying",)
    assert world.observe(c, "primary node") != first
    m = cache(world, "memcached", "m")
    refused("InvalidParameterCombination", world.act, m, "fail over", None, {})


def test_a_deleted_cluster_is_gone_and_its_nodes_stop_billing(world):
    c = cache(world, "memcached", **{"node count": 2})
    world.advance(3600)
    world.act(c, "delete", None, {})
    world.advance(5 * 3600)
    assert not world.exists(c)
    assert world.observe(c, "billed node hours") == 2
    a = app(world, c)
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    k = item(world, t)
    world.act(k, "update", a, {"value": "v2"})  # the application writes on without its cache
    assert world.observe(k, "value") == "v2"
    assert ("cached in", c) not in world.relations(k)


def test_backups(world):
    c = cache(world)
    b = world.create("cache backup", 'cache backup "b"', {}, (("of", c),))
    assert world.observe(b, "engine") == "redis" and world.observe(b, "item count") == 0
    assert world.count_related("cache backup", "of", c) == 1
    world.act(b, "delete", None, {})
    assert not world.exists(b)
    assert world.count_related("cache backup", "of", c) == 0


# ------------------------------------------------------------------ the key store: TTL, eviction
def test_memcached_evicts_least_recently_used(world):
    m = cache(world, "memcached", **{"max cache memory": 3000})
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    a, b, x = (item(world, t, n, size=1000) for n in "abx")
    for i in (a, b):
        assert m.set(world, i, "v", 1000, None)
    world.advance(1)
    m.get(world, a)  # a is now more recently used than b
    assert m.set(world, x, "v", 1500, None)
    assert world.observe(m, "evictions") == 1
    assert not m.holds(world, b) and m.holds(world, a)
    assert not m.set(world, item(world, t, "huge"), "v", 5000, None)


def test_redis_evicts_only_keys_with_a_ttl(world):
    r = cache(world)
    r.memory = 2000
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    a, b, x = (item(world, t, n) for n in "abx")
    assert r.set(world, a, "v", 1000, None)
    assert r.set(world, b, "v", 1000, 60)
    assert r.set(world, x, "v", 1000, None)  # evicts b, the only key with a TTL
    assert (r.holds(world, a), r.holds(world, b)) == (True, False)
    assert not r.set(world, b, "v", 1000, None)  # nothing evictable: OOM, dropped
    assert world.observe(r, "evictions") == 1


def test_metrics_by_engine_and_their_explanation(world):
    r, m = cache(world), cache(world, "memcached", "m")
    assert world.observe(r, "get hits") is None and world.explain(r, "get hits") == "redis does not publish it"
    assert world.observe(m, "engine cpu utilization") is None and world.explain(m, "engine cpu utilization") == "memcached does not publish it"
    assert world.observe(r, "memory fragmentation ratio") == 1.0 and world.observe(m, "swap usage") == 0
    assert world.explain(r, "cache hits") is None and world.explain(r, "node type") is None


def test_ttl_of_an_application_must_be_positive(world):
    c = cache(world)
    refused("InvalidParameterValue", world.create, "application", 'application "a"', {"ttl": 0}, (("with", c),))
    a = world.create("application", "application #1", {"strategy": "write-through", "ttl": 60}, ())
    assert world.relations(a) == frozenset()
    assert (world.observe(a, "strategy"), world.observe(a, "ttl")) == ("write-through", 60)
    assert world.observe(a, "arn") == "arn:aws:iam::123456789012:role/application-1"


def test_an_application_without_a_cache_reads_the_database_every_time(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    k = item(world, t, value="v1")
    a = app(world, None)
    world.act(k, "request", a, {})
    world.act(k, "request", a, {})
    assert world.observe(t, "read requests") == 2
    assert world.observe(k, "returned value") == "v1"


def test_a_lazy_loading_miss_on_a_deleted_item_caches_nothing(world):
    c = cache(world)
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    k = item(world, t)
    a = app(world, c)
    world.act(k, "delete", None, {})
    world.act(k, "request", a, {})
    assert world.observe(k, "returned value") is None
    assert world.count_related("item", "cached in", c) == 0


# ------------------------------------------------------------------ the language, as written
def test_the_language_phrases_compile():
    vocab = Vocabulary(VOCABULARY)
    text = '''@elasticache
feature: f
  scenario: s
    given a dynamodb table "t"
    and a redis cache "c" with replica count 1 and automatic failover
    and a write-through app "a" with "c" and ttl 5 minutes
    when an item of 401 KB is put into "t"
    then it fails with "ValidationException"
'''
    feature = compile_text(text, vocab)
    assert feature.scenarios[0].needs >= {"dynamodb", "elasticache"}
    with pytest.raises(SpecErrors):
        compile_text(text.replace("redis cache", "mysql cache"), vocab)
