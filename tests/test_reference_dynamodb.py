"""The DynamoDB part of the reference model (tables, items, Streams, DAX, access control), through World methods."""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scenario.backend import NotImplementedByBackend
from scn_reference.dynamodb.tables import name_of


def table(world, name="t", **params):
    return world.create("dynamodb table", f'dynamodb table "{name}"', params, ())


def item(world, t, name="k", **params):
    return world.create("item", f'item "{name}"', params, (("put into", t),))


def app(world, name="app", cache=None):
    rels = (("with", cache),) if cache is not None else ()
    return world.create("application", f'application "{name}"', {}, rels)


# ------------------------------------------------------------------ tables and items
def test_a_table_is_created_active_with_three_replicas_and_no_nodes(world):
    t = table(world)
    assert world.creation_states(t) == ("creating",)
    assert world.observe(t, "state") == "active"
    assert world.observe(t, "replica count") == 3
    assert world.observe(t, "availability zone count") == 3
    assert world.observe(t, "provisioned nodes") == 0
    assert world.observe(t, "index arn") is None
    assert world.observe(t, "arn") == "arn:aws:dynamodb:us-east-1:123456789012:table/t"


def test_an_unnamed_table_gets_a_name_from_its_label(world):
    t = world.create("dynamodb table", "dynamodb table #2", {}, ())
    assert world.observe(t, "arn").endswith(":table/dynamodb-table-2")


def test_the_size_limit_counts_every_byte(world):
    t = table(world)
    k = item(world, t, size=409_600)
    assert world.observe(k, "size") == 409_600
    assert world.observe(t, "consumed write capacity") == 400
    err = refused("ValidationException", item, world, t, "big", size=409_601)
    assert "maximum allowed size" in err.detail
    refused("ValidationException", item, world, t, "empty", size=0)
    assert world.count_related("item", "in", t) == 1


def test_an_item_needs_a_table(world):
    refused("ValidationException", world.create, "item", 'item "k"', {}, ())


def test_reads_cost_read_capacity_by_4_kb_and_consistency(world):
    t = table(world)
    k = item(world, t, size=9000)  # three 4 KB units
    world.act(k, "read", None, {})
    assert world.observe(t, "consumed read capacity") == 1.5
    world.act(k, "read", None, {"consistent read": True})
    assert world.observe(t, "consumed read capacity") == 4.5
    assert world.observe(k, "consistent read") is True
    assert (world.observe(t, "eventually consistent reads"), world.observe(t, "strongly consistent reads")) == (1, 1)


def test_a_deleted_item_reads_as_nothing_and_still_costs_a_read(world):
    t = table(world)
    k = item(world, t, value="v1")
    world.act(k, "delete", None, {})
    assert not world.exists(k)
    assert world.relations(k) == frozenset()
    assert world.observe(k, "value") is None and world.observe(k, "copies") == 0
    world.act(k, "read", None, {})
    assert world.observe(k, "returned value") is None
    assert world.observe(t, "consumed read capacity") == 0.5
    assert world.observe(t, "item count") == 0


def test_a_deleted_table_refuses_its_items(world):
    t = table(world)
    k = item(world, t)
    assert world.act(t, "delete", None, {}) == ("deleting",)
    assert not world.exists(t)
    refused("ResourceNotFoundException", world.act, k, "read", None, {})
    refused("ResourceNotFoundException", world.act, k, "update", None, {"value": "v2"})


def test_an_item_has_no_other_actions(world):
    k = item(world, table(world))
    world.actors = {key: actor for key, actor in world.actors.items() if key != ("item", "request")}
    with pytest.raises(NotImplementedByBackend):
        world.act(k, "request", None, {})


# ------------------------------------------------------------------ streams
def stream(world, t, name="s", **params):
    return world.create("dynamodb stream", f'dynamodb stream "{name}"', params, (("of", t),))


def read_record(world, s, name):
    return world.create("stream record", f'stream record "{name}"', {}, (("read from", s),))


def test_a_stream_records_changes_in_order_with_images(world):
    t = table(world)
    s = stream(world, t)
    assert world.creation_states(s) == ("enabling",)
    k = item(world, t, value="v1")
    world.act(k, "update", None, {"value": "v2"})
    world.act(k, "delete", None, {})
    records = [read_record(world, s, f"r{i}") for i in range(4)]
    assert [world.observe(r, "event name") for r in records[:3]] == ["INSERT", "MODIFY", "REMOVE"]
    assert [world.observe(r, "old value") for r in records[:3]] == [None, "v1", "v2"]
    assert [world.observe(r, "new value") for r in records[:3]] == ["v1", "v2", None]
    assert not world.exists(records[3]) and world.relations(records[3]) == frozenset()
    assert world.observe(records[3], "event name") is None
    assert world.count_related("stream record", "read from", s) == 3
    assert world.observe(s, "stream label") == "2024-01-01T00:00:00.000"


def test_stream_view_types(world):
    t = table(world)
    s = stream(world, t, **{"view type": "OLD_IMAGE"})
    k = item(world, t, value="v1")
    world.act(k, "update", None, {"value": "v2"})
    read_record(world, s, "r1")
    r2 = read_record(world, s, "r2")
    assert world.observe(r2, "old value") == "v1" and world.observe(r2, "new value") is None
    refused("ValidationException", stream, world, table(world, "t2"), "bad", **{"view type": "ALL"})


def test_a_stream_needs_a_table_and_there_is_one_per_table(world):
    refused("ValidationException", world.create, "dynamodb stream", 'dynamodb stream "s"', {}, ())
    t = table(world)
    stream(world, t)
    refused("ValidationException", stream, world, t, "s2")


def test_records_are_trimmed_after_24_hours_and_a_late_iterator_fails(world):
    t = table(world)
    s = stream(world, t)
    k = item(world, t)
    item(world, t, "k2")
    read_record(world, s, "r1")
    world.advance(24 * 3600 - 1)
    assert world.observe(s, "record count") == 2
    world.advance(1)
    assert world.observe(s, "record count") == 0
    refused("TrimmedDataAccessException", read_record, world, s, "r2")
    world.act(k, "update", None, {})
    # the iterator still points at the trimmed record
    refused("TrimmedDataAccessException", read_record, world, s, "r3")


def test_a_stream_created_later_sees_only_later_changes(world):
    t = table(world)
    k = item(world, t)
    s = stream(world, t)
    assert world.observe(s, "record count") == 0
    world.act(k, "update", None, {})
    assert world.observe(s, "event names") == "MODIFY"


def test_an_unnamed_item_is_keyed_by_its_label(world):
    t = table(world)
    s = stream(world, t)
    world.create("item", "item #1", {}, (("in", t),))
    assert world.observe(read_record(world, s, "r"), "item key") == "item #1"


# ------------------------------------------------------------------ DAX
def dax(world, name="d", **params):
    return world.create("dax cluster", f'dax cluster "{name}"', params, ())


def test_dax_hits_misses_and_ttl(world):
    t = table(world)
    k = item(world, t, value="v1")
    d = dax(world, **{"item ttl": 60})
    world.act(k, "read", d, {})
    world.act(k, "read", d, {})
    assert (world.observe(d, "item cache hits"), world.observe(d, "item cache misses")) == (1, 1)
    assert world.observe(t, "read requests") == 1
    assert world.observe(d, "item ttl") == 60 and world.observe(d, "node count") == 3
    assert ("cached by", d) in world.relations(k)
    assert world.count_related("item", "cached by", d) == 1
    world.advance(60)
    assert world.observe(d, "cached items") == 0
    assert ("cached by", d) not in world.relations(k)


def test_dax_passes_strong_reads_through_and_does_not_cache_missing_items(world):
    t = table(world)
    k = item(world, t)
    d = dax(world)
    world.act(k, "read", d, {"consistent read": True})
    assert world.observe(d, "cached items") == 0
    world.act(k, "delete", None, {})
    world.act(k, "read", d, {})
    assert world.observe(k, "returned value") is None
    assert world.observe(d, "cached items") == 0


def test_dax_writes_through(world):
    t = table(world)
    k = item(world, t, value="v1")
    d = dax(world)
    world.act(k, "write", d, {"value": "v2", "size": 2048})
    assert world.observe(k, "value") == "v2" and world.observe(k, "size") == 2048
    assert world.observe(d, "cached items") == 1
    refused("ValidationException", world.act, k, "write", d, {"size": 500 * 1024})


def test_dax_cluster_bounds_and_deletion(world):
    refused("InvalidParameterValueException", dax, world, "z", **{"node count": 0})
    refused("NodeQuotaForClusterExceededFault", dax, world, "big", **{"node count": 12})
    refused("InvalidParameterValueException", dax, world, "neg", **{"item ttl": -1})
    d = dax(world, **{"node count": 11})
    assert world.observe(d, "provisioned nodes") == 11
    k = item(world, table(world))
    world.act(k, "read", d, {})
    world.act(d, "delete", None, {})
    assert not world.exists(d)
    assert ("cached by", d) not in world.relations(k)
    refused("ClusterNotFoundFault", world.act, k, "read", d, {})
    refused("ClusterNotFoundFault", world.act, k, "write", d, {})


# ------------------------------------------------------------------ access control
def policy(world, principal, name="p", table_=None, **params):
    rels = [("attached to", principal)] + ([("on", table_)] if table_ is not None else [])
    return world.create("policy", f'policy "{name}"', params, tuple(rels))


def test_iam_decides_an_applications_requests(world):
    t = table(world)
    k = item(world, t, value="v1")
    a = app(world)
    err = refused("AccessDeniedException", world.act, k, "request", a, {})
    assert "no identity-based policy" in err.detail and a.arn in err.detail
    p = policy(world, a, table_=t, actions="dynamodb:GetItem, dynamodb:PutItem")
    assert world.relations(p) == frozenset({("attached to", a), ("on", t)})
    assert world.observe(p, "actions") == "dynamodb:GetItem,dynamodb:PutItem"
    world.act(k, "request", a, {})
    assert world.observe(k, "returned value") == "v1"
    refused("AccessDeniedException", world.act, k, "update", a, {"value": "v2"})
    deny = policy(world, a, "deny", effect="deny", actions="*")
    assert world.observe(deny, "effect") == "deny" and world.relations(deny) == frozenset({("attached to", a)})
    err = refused("AccessDeniedException", world.act, k, "request", a, {})
    assert "explicit deny" in err.detail


def test_a_policy_needs_a_principal(world):
    refused("ValidationException", world.create, "policy", 'policy "p"', {}, ())


def test_resource_policies_follow_the_setting(world):
    t = table(world)
    k = item(world, t, value="v1")
    a = app(world)
    refused("UnknownOperationException", world.create, "resource policy", 'resource policy "rp"', {}, (("attached to", t),))
    world.set_setting("dynamodb resource policies", True)
    refused("ValidationException", world.create, "resource policy", 'resource policy "rp"', {}, ())
    rp = world.create("resource policy", 'resource policy "rp"', {}, (("attached to", t),))
    assert world.observe(rp, "principal") == "*" and world.observe(rp, "actions") == "dynamodb:*"
    assert world.relations(rp) == frozenset({("attached to", t)})
    world.act(k, "update", a, {"value": "v2"})
    assert world.observe(k, "value") == "v2"
    world.create("resource policy", 'resource policy "no"', {"effect": "deny", "principal": a.arn, "actions": "dynamodb:UpdateItem"},
                 (("attached to", t),))
    refused("AccessDeniedException", world.act, k, "update", a, {"value": "v3"})


def test_name_of():
    assert name_of('dynamodb table "orders"') == "orders"
    assert name_of("application #3") == "application-3"
