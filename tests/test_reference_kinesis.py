"""The Kinesis package of the reference model (plugins/scn_reference/kinesis/): data streams,
records, consumers, Firehose, Data Analytics and Video Streams, through World methods, plus a
few sentences through the compiler and the runner."""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scn_reference.kinesis import kinds, streams

HOUR = 3600


def stream(world, name="s", **params):
    return world.create("kinesis stream", f'kinesis stream "{name}"', params, ())


def put(world, target, label="record", relation="into", **params):
    return world.create("record", label, params, ((relation, target),))


def firehose(world, name="fh", relations=(), **params):
    return world.create("firehose delivery stream", f'firehose delivery stream "{name}"', params, tuple(relations))


def app(world, name="app", relations=(), **params):
    return world.create("analytics application", f'analytics application "{name}"', params, tuple(relations))


# ------------------------------------------------------------------ data streams
def test_a_stream_name_is_unique_until_the_stream_is_deleted(world):
    s = stream(world)
    refused("ResourceInUseException", stream, world)
    world.act(s, "delete", None, {})
    assert stream(world).name == "s"


def test_an_unnamed_stream_is_named_by_its_label(world):
    s = world.create("kinesis stream", "kinesis stream #1", {}, ())
    assert s.name == "kinesis stream #1"
    assert world.observe(s, "stream arn") == "arn:aws:kinesis:us-east-1:123456789012:stream/kinesis stream #1"
    assert world.creation_states(s) == ("creating",)
    assert world.observe(s, "state") == "active"


def test_shards_split_the_hash_key_space_evenly(world):
    s = stream(world, **{"shard count": 2})
    assert s.shard_for("alpha") == "shardId-000000000000"
    assert s.shard_for("beta") == "shardId-000000000001"
    world.act(s, "reshard", None, {"shard count": 4})
    assert s.shards == [f"shardId-{i:012d}" for i in range(2, 6)]  # new shards; the old ones are closed
    assert world.count_related("shard", "of", s) == 4


def test_the_shard_memo_never_changes_a_key_s_shard(world):
    """shard_for remembers each key's shard (and hashes nothing with one shard): always the MD5 mapping's."""
    import hashlib

    def hashed(s, key):
        h = int.from_bytes(hashlib.md5(key.encode()).digest(), "big")
        return s.shards[h * len(s.shards) // kinds.HASH_SPACE]

    s = stream(world, **{"shard count": 1})
    keys = ["alpha", "beta", "a", "record #7", "é" * 3, "alpha"]
    for count in (1, 2, 3, 2, 1, 2, 4, 8, 4):  # reshards up and down: the memo follows the shards
        if count != len(s.shards):
            world.act(s, "reshard", None, {"shard count": count})
        assert [s.shard_for(k) for k in keys * 2] == [hashed(s, k) for k in keys * 2]


def test_reshard_without_a_count_keeps_the_count(world):
    s = stream(world, **{"shard count": 3})
    assert world.act(s, "reshard", None, {}) == ("updating",)
    assert len(s.shards) == 3


def test_the_quota_message_names_the_usage(world):
    stream(world, "a", **{"shard count": 400})
    err = refused("LimitExceededException", stream, world, "b", **{"shard count": 101})
    assert "Current shard count for the account: 400. Limit: 500." in err.detail
    assert streams.shards_in_use(world) == 400


def test_throughput_is_per_shard_and_per_second(world):
    s = stream(world)
    world.now = 10.2
    for i in range(kinds.RECORDS_PER_SECOND):
        put(world, s, f"record #{i}")
    refused("ProvisionedThroughputExceededException", put, world, s, "late")
    world.now = 10.9  # the same second
    refused("ProvisionedThroughputExceededException", put, world, s, "later")
    world.now = 11.0  # the next one
    put(world, s, "next")


def test_the_byte_budget_counts_data_blobs(world):
    s = stream(world)
    put(world, s, "a", **{"data size": 1024 * 1024 - 10})
    put(world, s, "b", **{"data size": 10})
    refused("ProvisionedThroughputExceededException", put, world, s, "c", **{"data size": 1})


def test_a_record_needs_a_stream_and_a_fitting_key(world):
    refused("ValidationException", world.create, "record", "record", {}, ())
    s = stream(world)
    refused("InvalidArgumentException", put, world, s, "r", **{"partition key": "k" * 257})
    refused("InvalidArgumentException", put, world, s, "r", **{"partition key": ""})
    r = put(world, s, 'record "r"', **{"partition key": "k" * 256})
    assert world.observe(r, "partition key") == "k" * 256


def test_a_record_knows_its_shard_and_sequence(world):
    s = stream(world)
    a = put(world, s, 'record "a"')
    b = put(world, s, 'record "b"')
    assert world.observe(a, "sequence number") < world.observe(b, "sequence number")
    assert len(world.observe(a, "sequence number")) == 56
    assert world.observe(a, "shard id") == "shardId-000000000000"
    assert world.observe(a, "data size") == kinds.DEFAULT_RECORD_BYTES
    assert world.observe(a, "partition key") == 'record "a"'
    assert world.observe(a, "delivered") is False
    assert world.relations(a) == frozenset({("into", s), ("in", s)})


def test_a_record_put_via_the_in_relation_counts_too(world):
    s = stream(world)
    put(world, s, relation="in")
    assert world.count_related("record", "in", s) == 1


def test_records_expire_with_the_clock_and_never_come_back(world):
    s = stream(world)
    r = put(world, s, 'record "r"')
    world.advance(24 * HOUR)
    assert not world.exists(r)
    assert world.relations(r) == frozenset({("into", s)})
    world.act(s, "extend", None, {"retention period": 48 * HOUR})
    assert not world.exists(r)
    assert s.retention == 48 * HOUR


@pytest.mark.parametrize("action, period, words", [
    ("extend", 24 * HOUR, "can not be shorter than or equal"),
    ("extend", 169 * HOUR, "Maximum allowed retention period is 168 hours"),
    ("shorten", 24 * HOUR, "can not be longer than or equal"),
    ("extend", 90 * 60, "whole number of hours"),
])
def test_retention_changes_are_refused_with_a_reason(world, action, period, words):
    s = stream(world)
    err = refused("InvalidArgumentException", world.act, s, action, None, {"retention period": period})
    assert words in err.detail


def test_the_retention_floor_is_24_hours(world):
    s = stream(world)
    world.act(s, "extend", None, {"retention period": 72 * HOUR})
    err = refused("InvalidArgumentException", world.act, s, "shorten", None, {"retention period": 12 * HOUR})
    assert "Minimum allowed retention period is 24 hours" in err.detail


def test_a_retention_change_without_a_period_is_refused(world):
    s = stream(world)
    refused("InvalidArgumentException", world.act, s, "extend", None, {})
    refused("InvalidArgumentException", world.act, s, "shorten", None, {})


def test_the_retention_limit_setting_takes_aws_today(world):
    world.set_setting("stream retention limit", 8760 * HOUR)
    s = stream(world)
    world.act(s, "extend", None, {"retention period": 8760 * HOUR})
    assert world.observe(s, "retention period") == 8760 * HOUR


# ------------------------------------------------------------------ consumers
def test_a_consumer_needs_a_live_stream(world):
    refused("InvalidArgumentException", world.create, "consumer", "consumer", {}, ())
    s = stream(world)
    c = world.create("consumer", 'consumer "c"', {}, (("of", s),))
    assert world.relations(c) == frozenset({("of", s)})
    assert world.creation_states(c) == ("creating",)
    assert world.observe(c, "state") == "active"
    world.act(s, "delete", None, {})
    refused("ResourceNotFoundException", world.create, "consumer", 'consumer "d"', {}, (("of", s),))
    refused("ResourceNotFoundException", world.act, c, "poll", None, {})


def test_twenty_consumers_per_stream_and_deregistered_ones_free_a_place(world):
    s = stream(world)
    consumers = [world.create("consumer", f"consumer #{i}", {}, (("of", s),)) for i in range(kinds.MAX_CONSUMERS)]
    refused("LimitExceededException", world.create, "consumer", "consumer #21", {}, (("of", s),))
    world.act(consumers[0], "deregister", None, {})
    assert not world.exists(consumers[0])
    assert world.count_related("consumer", "of", s) == kinds.MAX_CONSUMERS - 1
    world.create("consumer", "consumer #22", {}, (("of", s),))


def test_a_poll_reads_each_record_once(world):
    s = stream(world)
    c = world.create("consumer", 'consumer "c"', {}, (("of", s),))
    world.act(c, "poll", None, {})
    assert world.observe(c, "records received") == 0
    put(world, s)
    put(world, s)
    world.act(c, "poll", None, {})
    world.act(c, "poll", None, {})
    assert world.observe(c, "records received") == 2


# ------------------------------------------------------------------ Firehose
def test_a_firehose_name_is_unique(world):
    fh = firehose(world)
    refused("ResourceInUseException", firehose, world)
    world.act(fh, "delete", None, {})
    assert not world.exists(fh)
    firehose(world)


def test_a_firehose_buffers_then_delivers(world):
    fh = firehose(world, destination="splunk")
    assert world.creation_states(fh) == ("creating",)
    r = put(world, fh, 'record "r"')
    assert world.exists(r)
    assert world.relations(r) == frozenset({("into", fh), ("buffered in", fh)})
    assert world.count_related("record", "buffered in", fh) == 1
    assert world.observe(r, "sequence number") is None
    assert world.observe(r, "shard id") is None
    world.advance(kinds.BUFFER_INTERVAL - 1)
    assert world.observe(r, "delivered") is False
    world.advance(1)
    assert world.observe(r, "delivered") is True
    assert world.relations(r) == frozenset({("into", fh)})
    assert world.observe(fh, "records delivered") == 1
    assert world.observe(fh, "buffer size") == 5 * 1024 * 1024


def test_a_firehose_refuses_unknown_destinations_and_dead_sources(world):
    refused("InvalidArgumentException", firehose, world, destination="dynamodb")
    s = stream(world)
    world.act(s, "delete", None, {})
    refused("InvalidArgumentException", firehose, world, relations=(("sourced from", s),))


def test_a_firehose_sourced_from_a_stream_takes_its_records_only(world):
    s = stream(world)
    fh = firehose(world, relations=(("sourced from", s),))
    assert world.relations(fh) == frozenset({("sourced from", s)})
    assert world.observe(fh, "source") == "KinesisStreamAsSource"
    err = refused("InvalidArgumentException", put, world, fh)
    assert "KinesisStreamAsSource" in err.detail
    put(world, s)
    assert len(fh.buffer) == 1
    world.act(fh, "delete", None, {})
    put(world, s)  # a deleted delivery stream reads nothing
    assert len(fh.buffer) == 1
    refused("ResourceNotFoundException", put, world, fh)


# ------------------------------------------------------------------ Data Analytics
def test_an_application_checks_its_configuration(world):
    s = stream(world)
    t = stream(world, "t")
    refused("InvalidArgumentException", app, world, destination="splunk")
    refused("InvalidArgumentException", app, world, relations=(("sourced from", s), ("sourced from", t)))
    refused("InvalidArgumentException", app, world, relations=(("sourced from", s), ("writing to", s)))
    flink = app(world, "f", runtime="flink", relations=(("sourced from", s), ("sourced from", t)))
    assert world.observe(flink, "runtime") == "flink"
    lam = app(world, "l", destination="lambda", relations=(("sourced from", s),))
    assert world.observe(lam, "destination") == "lambda"
    world.set_setting("kinesis analytics direct outputs", False)
    refused("InvalidArgumentException", app, world, destination="redshift")
    app(world, "l2", destination="lambda")
    world.set_setting("kinesis analytics sql applications", False)
    refused("UnsupportedOperationException", app, world, "sql")


def test_an_application_states_and_relations(world):
    s = stream(world)
    fh = firehose(world)
    a = app(world, relations=(("fed from", fh), ("writing to", s)))
    assert world.relations(a) == frozenset({("fed from", fh), ("writing to", s)})
    assert world.observe(a, "state") == "ready"
    assert world.act(a, "start", None, {}) == ("starting",)
    assert world.observe(a, "state") == "running"
    refused("ResourceInUseException", world.act, a, "start", None, {})
    assert world.act(a, "stop", None, {}) == ("stopping",)
    refused("ResourceInUseException", world.act, a, "stop", None, {})
    refused("InvalidApplicationConfigurationException", world.act, app(world, "bare"), "start", None, {})


def test_an_application_writes_to_streams_and_firehoses(world):
    src = stream(world, "src")
    out = stream(world, "out")
    fh = firehose(world, "fh")
    fed = firehose(world, "fed", relations=(("sourced from", src),))
    a = app(world, relations=(("sourced from", src), ("writing to", out), ("delivering to", fh), ("delivering to", fed)))
    world.act(a, "start", None, {})
    put(world, src)
    assert world.count_related("record", "in", out) == 1
    assert len(fh.buffer) == 1
    assert len(fed.buffer) == 1  # it reads its source itself; the application does not put into it
    world.act(fh, "delete", None, {})
    put(world, src)
    assert len(fh.buffer) == 1


def test_applications_feeding_each_other_stop_after_a_few_hops(world):
    a_stream, b_stream = stream(world, "a"), stream(world, "b")
    one = app(world, "one", relations=(("sourced from", a_stream), ("writing to", b_stream)))
    two = app(world, "two", relations=(("sourced from", b_stream), ("writing to", a_stream)))
    world.act(one, "start", None, {})
    world.act(two, "start", None, {})
    put(world, a_stream)
    total = world.observe(one, "records processed") + world.observe(two, "records processed")
    assert total == kinds.MAX_HOPS + 1


def test_a_deleted_application_processes_nothing(world):
    s = stream(world)
    a = app(world, relations=(("sourced from", s),), destination="s3")
    world.act(a, "start", None, {})
    world.act(a, "delete", None, {})
    assert not world.exists(a)
    put(world, s)
    assert world.observe(a, "records processed") == 0
    assert world.observe(a, "records delivered") == 0


# ------------------------------------------------------------------ Video Streams
def test_a_video_stream_retention_follows_the_settings(world):
    v = world.create("video stream", 'video stream "v"', {}, ())
    assert world.observe(v, "retention period") == 24 * HOUR
    assert world.creation_states(v) == ("creating",)
    assert world.observe(v, "state") == "active"
    assert world.count_related("shard", "of", v) == 0
    world.set_setting("video stream retention", 0)
    assert world.observe(world.create("video stream", "video stream #2", {}, ()), "persistent") is False
    refused("InvalidArgumentException", world.act, v, "extend", None, {})
    err = refused("InvalidArgumentException", world.act, v, "extend", None, {"retention period": 169 * HOUR})
    assert "up to 168" in err.detail
    world.set_setting("video stream retention limit", 87600 * HOUR)
    world.act(v, "extend", None, {"retention period": 87600 * HOUR})
    assert world.observe(v, "retention period") == 87600 * HOUR


# ------------------------------------------------------------------ through the language
def test_the_language_example_compiles_and_runs():
    from scenario.compiler import compile_text
    from scenario.plugins import backend, vocabulary
    from scenario.runner import run_scenario

    text = '''@kinesis
feature: the LANGUAGE example
  scenario: two shards
    given a kinesis stream "s" with 2 shards
    then the number of shards of "s" is 2
    and the write capacity of "s" is 2000
'''
    feature = compile_text(text, vocabulary())
    outcome = run_scenario(feature.scenarios[0], backend("reference"))
    assert outcome.status == "passed", outcome.message
