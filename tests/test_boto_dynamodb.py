"""The DynamoDB mapping on moto: refusals with AWS's codes, state read back from the API, teardown."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.services.dynamodb import _item, _size  # noqa: E402

KB = 1024


def test_an_item_is_made_to_the_size_asked_for_as_dynamodb_counts_it():
    item = _item("k", "v1", 300 * KB)
    assert _size(item) == 300 * KB
    assert _size({"pk": {"S": "é"}}) == 2 + 2  # UTF-8 bytes, name included


def test_an_oversized_item_is_refused_with_aws_code_and_not_stored(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    with pytest.raises(BackendError) as info:
        world.create("item", 'item "big"', {"size": 1024 * KB}, [("put into", t)])
    assert info.value.code == "ValidationException"
    assert world.count_related("item", "in", t) == 0


def test_item_value_and_size_are_read_back_from_the_api(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {"index name": "by-date"}, ())
    k = world.create("item", 'item "k"', {"value": "v1", "size": 2 * KB}, [("put into", t)])
    world.client("dynamodb").update_item(TableName=t.id, Key={"pk": {"S": "k"}}, UpdateExpression="SET val = :v",
                                         ExpressionAttributeValues={":v": {"S": "v9"}})
    assert world.observe(k, "value") == "v9"
    assert world.observe(k, "size") == 2 * KB  # v1 → v9: the same length
    world.act(k, "read", None, {"consistent read": True})
    assert world.observe(k, "returned value") == "v9"
    assert world.observe(t, "index name") == "by-date"


def test_stream_records_come_in_order_and_one_at_a_time(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    s = world.create("dynamodb stream", 'dynamodb stream "s"', {}, [("of", t)])
    k = world.create("item", 'item "k"', {"value": "v1"}, [("put into", t)])
    world.act(k, "update", None, {"value": "v2"})
    world.act(k, "delete", None, {})
    assert world.observe(s, "event names") == "INSERT MODIFY REMOVE"
    r1 = world.create("stream record", 'stream record "r1"', {}, [("read from", s)])
    r2 = world.create("stream record", 'stream record "r2"', {}, [("read from", s)])
    assert world.observe(r2, "event name") == "MODIFY"
    assert world.observe(r2, "old value") == "v1" and world.observe(r2, "new value") == "v2"
    assert world.observe(r2, "sequence number") > world.observe(r1, "sequence number")
    assert world.count_related("stream record", "read from", s) == 2


def test_reads_through_dax_are_not_implemented(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    k = world.create("item", 'item "k"', {}, [("put into", t)])
    d = world.create("dax cluster", 'dax cluster "d"', {"node count": 1}, ())
    assert world.observe(d, "provisioned nodes") == 1
    with pytest.raises(NotImplementedByBackend, match="DAX client"):
        world.act(k, "read", d, {})


def test_teardown_deletes_tables_and_dax_clusters(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    world.create("item", 'item "k"', {}, [("put into", t)])
    d = world.create("dax cluster", 'dax cluster "d"', {}, ())
    assert world.delete_created() == []
    assert not world.exists(t)
    assert not world.exists(d)


# ---------------------------------------------------------------- applications, policies, resource policies
def test_an_application_is_an_iam_role_whose_requests_carry_its_credentials(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    k = world.create("item", 'item "k"', {"value": "v1"}, [("put into", t)])
    app = world.create("application", 'application "app"', {}, ())
    assert world.observe(app, "arn") == "arn:aws:iam::123456789012:role/scn/app"
    p = world.create("policy", 'policy "p"', {"actions": "dynamodb:GetItem"}, [("attached to", app), ("on", t)])
    assert world.observe(p, "actions") == "dynamodb:GetItem" and world.observe(p, "effect") == "allow"
    assert world.relations(p) == {("attached to", app), ("on", world.known("dynamodb table", "t"))}
    world.act(k, "request", app, {})
    assert world.observe(k, "returned value") == "v1"
    world.act(k, "update", app, {"value": "v2"})
    assert world.observe(k, "value") == "v2"
    signed = [line for line in world.transcript() if line.startswith('dynamodb (as application "app")')]
    assert [line.split(".", 1)[1].split("(")[0] for line in signed] == ["get_item", "update_item"]
    # the requests were made with the role's session, not the world's keys
    assert any(".assume_role(" in line for line in world.transcript())


def test_an_application_of_a_caching_pattern_is_not_implemented(world):
    with pytest.raises(NotImplementedByBackend, match="caching strategy"):
        world.create("application", 'application "app"', {"strategy": "lazy-loading"}, ())
    cluster = world.known("elasticache cluster", "c")
    with pytest.raises(NotImplementedByBackend, match="caching strategy"):
        world.create("application", 'application "a1"', {}, [("with", cluster)])
    assert not any(h.kind == "application" for h in world.created)


def test_a_resource_policy_names_the_role_of_the_application_labelled_in_its_principal(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    app = world.create("application", 'application "app"', {}, ())
    rp = world.create("resource policy", 'resource policy "rp"',
                      {"principal": "arn:aws:iam::123456789012:role/app", "actions": "dynamodb:GetItem"},
                      [("attached to", t)])
    assert world.observe(rp, "principal") == world.observe(app, "arn")
    assert world.relations(rp) == {("attached to", t)}
    assert world.exists(rp)


def test_teardown_deletes_roles_their_policies_and_resource_policies(world):
    t = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    app = world.create("application", 'application "app"', {}, ())
    p = world.create("policy", 'deny policy "no"', {"effect": "deny"}, [("attached to", app)])
    assert world.observe(p, "effect") == "deny" and world.relations(p) == {("attached to", app)}
    rp = world.create("resource policy", 'resource policy "rp"', {}, [("attached to", t)])
    assert world.delete_created() == []
    assert not world.exists(app) and not world.exists(p) and not world.exists(rp) and not world.exists(t)
    assert world.client("iam").list_roles(PathPrefix="/scn/")["Roles"] == []
