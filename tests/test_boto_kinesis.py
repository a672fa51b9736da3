"""The Kinesis mapping on moto: refusals with AWS's codes, state read back from the API, teardown."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.errors import map_exception  # noqa: E402

HOUR = 3600


def test_a_refused_decrease_surfaces_aws_code_and_keeps_the_period(world):
    s = world.create("kinesis stream", 'kinesis stream "s"', {}, ())
    with pytest.raises(BackendError) as info:
        world.act(s, "shorten", None, {"retention period": 23 * HOUR})
    assert info.value.code == "InvalidArgumentException"
    assert world.observe(s, "retention period") == 24 * HOUR


def test_stream_attributes_are_read_back_from_the_api(world):
    s = world.create("kinesis stream", 'kinesis stream "s"', {"shard count": 2}, ())
    assert world.observe(s, "shard count") == 2
    world.client("kinesis").update_shard_count(StreamName=s.id, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
    assert world.observe(s, "shard count") == 4  # not the 2 it was created with
    assert world.observe(s, "write capacity") == 4000
    assert world.count_related("shard", "of", s) == 4


def test_the_partition_key_picks_the_shard_and_a_record_is_read_back(world):
    s = world.create("kinesis stream", 'kinesis stream "s"', {"shard count": 2}, ())
    a = world.create("record", 'record "a"', {"partition key": "alpha"}, [("into", s)])
    b = world.create("record", 'record "b"', {"partition key": "beta", "data size": 10}, [("into", s)])
    assert world.observe(a, "shard id") == "shardId-000000000000"
    assert world.observe(b, "shard id") == "shardId-000000000001"
    assert world.observe(b, "data size") == 10
    assert world.count_related("record", "in", s) == 2
    assert ("in", s) in world.relations(a)


def test_a_consumer_reads_only_what_is_new_since_its_last_poll(world):
    s = world.create("kinesis stream", 'kinesis stream "s"', {}, ())
    c = world.create("consumer", 'consumer "c"', {}, [("of", s)])
    for i in range(2):
        world.create("record", f"record #{i}", {}, [("into", s)])
    world.act(c, "poll", None, {})
    world.create("record", "record #3", {}, [("into", s)])
    world.act(c, "poll", None, {})
    assert world.observe(c, "records received") == 3
    world.act(c, "deregister", None, {})
    assert not world.exists(c)
    assert world.count_related("consumer", "of", s) == 0


def test_a_destination_firehose_has_no_field_for_is_refused_by_firehose(world):
    with pytest.raises(BackendError) as info:  # sent with no destination: Firehose itself refuses
        world.create("firehose delivery stream", 'firehose "fh"', {"destination": "dynamodb"}, ())
    assert info.value.code == "InvalidArgumentException"
    assert "DynamodbDestinationConfiguration" not in " ".join(world.transcript())
    fh = world.create("firehose delivery stream", 'firehose "fh"', {"destination": "splunk"}, ())
    assert world.observe(fh, "destination") == "splunk"
    assert world.observe(fh, "source") == "DirectPut"


def test_a_fraction_of_an_hour_is_not_implemented(world):
    s = world.create("kinesis stream", 'kinesis stream "s"', {}, ())
    with pytest.raises(NotImplementedByBackend, match="whole number of hours"):
        world.act(s, "extend", None, {"retention period": 90 * 60})


def test_motos_not_yet_implemented_answer_is_not_implemented():
    from botocore.exceptions import ClientError

    exc = ClientError({"Error": {"Code": "404", "Message": "Not yet implemented"}}, "UpdateDataRetention")
    assert isinstance(map_exception(exc, "UpdateDataRetention"), NotImplementedByBackend)
    # AWS names its errors: a bare 404 is a route the endpoint lacks, except on a HEAD request, where it is the answer
    route = ClientError({"Error": {"Code": "404", "Message": "Not Found"}}, "GetThing")
    assert isinstance(map_exception(route, "GetThing"), NotImplementedByBackend)
    head = ClientError({"Error": {"Code": "404", "Message": "Not Found"}}, "HeadObject")
    assert isinstance(map_exception(head, "HeadObject"), BackendError)
    named = ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "no stream"}}, "DescribeStream")
    assert isinstance(map_exception(named, "DescribeStream"), BackendError)


def test_teardown_deletes_streams_firehoses_and_their_buckets(world):
    s = world.create("kinesis stream", 'kinesis stream "s"', {}, ())
    fh = world.create("firehose delivery stream", 'firehose "fh"', {}, [("sourced from", s)])
    bucket = fh.refs["bucket"]
    assert world.delete_created() == []
    assert not world.exists(s) and not world.exists(fh)
    names = [b["Name"] for b in world.client("s3").list_buckets().get("Buckets", ())]
    assert bucket not in names
