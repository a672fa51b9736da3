"""Kinesis: data streams, their shards, records and consumers; Firehose delivery streams;
Data Analytics applications (kinesisanalyticsv2); video streams (kinesisvideo).

A data stream is named after its label (``world.resource_name``) and addressed by that
name; a record is put with PutRecord (its data ``data size`` bytes, 1 KB unless given, its
partition key the label unless given) and read back with GetRecords at its sequence number
on its shard. A consumer is registered with RegisterStreamConsumer and polled as the
application it stands for polls: GetRecords on every shard of its stream, after the last
sequence number it read there. Where it stopped reading and how many records it has read
(``records received``) are the application's own checkpoint (what the KCL keeps in its
lease table), kept in the handle; everything else is read back from the API.

A Firehose delivery stream gets the destination configuration of its ``destination``
(``ExtendedS3DestinationConfiguration`` for s3, …). The role, the bucket and the other
endpoints it names are placeholders: an S3 destination gets a bucket of the world's own
(created with it, emptied and deleted at teardown) so that a direct put can land. A
destination Firehose has no field for (DynamoDB, RDS, SQS, EFS) is sent as a field of its
name, which the SDK refuses before any call (``ParamValidationError``: a refusal).

What Kinesis does with time (throughput per second, retention expiring records, Firehose
buffering) needs the clock; how many records Firehose delivered or an analytics
application processed is not read by any API call (CloudWatch metrics, minutes late):
those stay unmapped.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from ..errors import BackendNotImplemented
from .base import KindMap, Service, carries, tag_dict

HOUR = 3600
DEFAULT_RECORD_BYTES = 1024
RECORDS_PER_SHARD = 1000  # records a second a shard takes (Kinesis developer guide, "Quotas and limits")
STREAM_TRANSITIONAL = frozenset({"creating", "updating", "deleting"})
NAME_CHARS = "a-zA-Z0-9_.-"


def _name(world: Boto3World, label: str) -> str:
    return world.resource_name(label, max_length=128, allowed=NAME_CHARS)


def _not_found(exc: BackendError) -> bool:
    return exc.code in ("ResourceNotFoundException", "ResourceNotFound")


def _hours(seconds: Any, what: str) -> int:
    """A duration in whole hours, as the API takes it; a fraction of an hour cannot be sent."""
    value = float(seconds)
    if value % HOUR:
        raise NotImplementedByBackend(f"{what} that is not a whole number of hours")
    return int(value // HOUR)


def _sdk_refuses(world: Boto3World, client: str, method: str, doing: str, **kw: Any) -> Mapping[str, Any]:
    """A call whose parameters the SDK itself may refuse (a field the API lacks): that refusal is AWS's answer."""
    try:
        return world.call(client, method, doing, **kw)
    except BackendNotImplemented as exc:
        if exc.cause == "ParamValidationError":
            raise BackendError("ParamValidationError", str(exc)) from exc
        raise


def _tags(world: Boto3World, label: str) -> list[dict[str, str]]:
    """The world's tags, their values in the characters Firehose and Kinesis Analytics allow (no quotes)."""
    return [{"Key": t["Key"], "Value": re.sub(r"[^\w .:/=+\-@%]", "", t["Value"])} for t in world.tag_list(label)]


def _account(world: Boto3World) -> str:
    return world.call("sts", "get_caller_identity", "finding the account")["Account"]


# ---------------------------------------------------------------- data streams
def describe_stream(world: Boto3World, name: str) -> Mapping[str, Any]:
    return world.call("kinesis", "describe_stream_summary", "describing a kinesis stream",
                      StreamName=name)["StreamDescriptionSummary"]


def stream_state(world: Boto3World, handle: Handle) -> str:
    return describe_stream(world, handle.id)["StreamStatus"].lower()


def wait_stream(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    return world.wait(handle, lambda: stream_state(world, handle), STREAM_TRANSITIONAL, seen)


def create_stream(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = _name(world, label)
    kw: dict[str, Any] = {"StreamName": name}
    on_demand = params.get("capacity mode") == "on-demand"
    if on_demand:
        kw["StreamModeDetails"] = {"StreamMode": "ON_DEMAND"}
    if "shard count" in params or not on_demand:
        kw["ShardCount"] = int(params.get("shard count", 1))
    world.call("kinesis", "create_stream", "creating a kinesis stream", **kw)
    handle = world.remember(Handle("kinesis stream", name, label))
    world.call("kinesis", "add_tags_to_stream", "tagging a kinesis stream", StreamName=name, Tags=world.tag_map(label))
    handle.creation_states = tuple(wait_stream(world, handle, []))
    return handle


def _gone(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    """Poll until the stream is gone; ``seen`` grows by the states it passed through."""

    def state() -> str:
        try:
            return stream_state(world, handle)
        except BackendError as exc:
            if _not_found(exc):
                return "deleted"
            raise

    world.wait(handle, state, STREAM_TRANSITIONAL, seen)
    return [s for s in seen if s != "deleted"]


def act_stream(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    name = handle.id
    if action == "delete":
        world.call("kinesis", "delete_stream", "deleting a kinesis stream", StreamName=name, EnforceConsumerDeletion=True)
        handle.released = True
        return _gone(world, handle, [])
    if action == "reshard":
        world.call("kinesis", "update_shard_count", "resharding a kinesis stream", StreamName=name,
                   TargetShardCount=int(params["shard count"]), ScalingType="UNIFORM_SCALING")
    elif action in ("extend", "shorten"):
        hours = _hours(params["retention period"], "a retention period")
        method = "increase_stream_retention_period" if action == "extend" else "decrease_stream_retention_period"
        world.call("kinesis", method, f"{action}ing a kinesis stream's retention", StreamName=name,
                   RetentionPeriodHours=hours)
    else:
        raise NotImplementedByBackend(f"{action} on a kinesis stream")
    return wait_stream(world, handle, [])


def open_shards(world: Boto3World, name: str) -> list[Mapping[str, Any]]:
    """The stream's open shards (ListShards: those whose sequence range has no end)."""
    shards: list[Mapping[str, Any]] = []
    kw: dict[str, Any] = {"StreamName": name}
    while True:
        answer = world.call("kinesis", "list_shards", "listing a kinesis stream's shards", **kw)
        shards += answer.get("Shards", ())
        token = answer.get("NextToken")
        if not token:
            break
        kw = {"NextToken": token}
    return [s for s in shards if "EndingSequenceNumber" not in s.get("SequenceNumberRange", {})]


def observe_stream(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "stream arn":
        return describe_stream(world, handle.id)["StreamARN"]
    summary = describe_stream(world, handle.id)
    if attribute == "state":
        return summary["StreamStatus"].lower()
    if attribute == "capacity mode":
        mode = summary.get("StreamModeDetails", {}).get("StreamMode", "PROVISIONED")
        return "on-demand" if mode == "ON_DEMAND" else "provisioned"
    if attribute == "retention period":
        return summary["RetentionPeriodHours"] * HOUR
    count = summary.get("OpenShardCount")
    if count is None:
        count = len(open_shards(world, handle.id))
    if attribute == "shard count":
        return count
    if attribute == "write capacity":
        return count * RECORDS_PER_SHARD
    raise NotImplementedByBackend(f"the {attribute} of a kinesis stream")


def stream_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_stream(world, handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def delete_stream(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("kinesis", "delete_stream", "deleting a kinesis stream", StreamName=handle.id,
                   EnforceConsumerDeletion=True)
    except BackendError as exc:
        if _not_found(exc):
            return
        raise
    _gone(world, handle, [])


def count_shards(world: Boto3World, relation: str, target: Handle) -> int:
    if target.kind == "video stream":
        video_stream(world, target)  # it exists (or the refusal says why)
        return 0  # a video stream keeps fragments: Kinesis Video Streams has no shards, no ListShards
    try:
        return len(open_shards(world, target.id))
    except BackendError as exc:
        if _not_found(exc):
            return 0  # a deleted stream has no shards
        raise


# ---------------------------------------------------------------- records
def _shard_records(world: Boto3World, stream: str, shard: str, iterator_type: str = "TRIM_HORIZON",
                   after: str | None = None, limit: int | None = None) -> list[Mapping[str, Any]]:
    kw: dict[str, Any] = {"StreamName": stream, "ShardId": shard, "ShardIteratorType": iterator_type}
    if after is not None:
        kw["StartingSequenceNumber"] = after
    iterator = world.call("kinesis", "get_shard_iterator", "reading a shard", **kw).get("ShardIterator")
    out: list[Mapping[str, Any]] = []
    page: dict[str, Any] = {"Limit": limit} if limit else {}
    while iterator:
        answer = world.call("kinesis", "get_records", "reading a shard's records", ShardIterator=iterator, **page)
        records = answer.get("Records", ())
        out += records
        if not records or limit or not answer.get("MillisBehindLatest"):
            break
        iterator = answer.get("NextShardIterator")
    return out


def stream_records(world: Boto3World, stream: str) -> list[Mapping[str, Any]]:
    shards = world.call("kinesis", "list_shards", "listing a kinesis stream's shards", StreamName=stream).get("Shards", ())
    return [r for s in shards for r in _shard_records(world, stream, s["ShardId"])]


def put_record(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    container = next((t for _r, t in relations), None)
    if container is None:
        raise NotImplementedByBackend("a record put into no stream")
    data = b"x" * int(params.get("data size", DEFAULT_RECORD_BYTES))
    key = str(params.get("partition key", label))
    if container.kind == "firehose delivery stream":
        if "partition key" in params:
            raise NotImplementedByBackend("the partition key of a firehose record")
        answer = _sdk_refuses(world, "firehose", "put_record", "putting a record into a firehose",
                              DeliveryStreamName=container.id, Record={"Data": data})
        handle = Handle("record", answer["RecordId"], label, refs={"firehose": container.id})
        handle.released = True  # delivered onwards: nothing of it is left to delete
        return world.remember(handle)
    answer = _sdk_refuses(world, "kinesis", "put_record", "putting a record into a kinesis stream",
                          StreamName=container.id, Data=data, PartitionKey=key)
    handle = Handle("record", answer["SequenceNumber"], label,
                    refs={"stream": container.id, "shard": answer["ShardId"]})
    handle.released = True  # a record is not deleted: it goes with its stream, or when its retention ends
    return world.remember(handle)


def read_record(world: Boto3World, handle: Handle) -> Mapping[str, Any] | None:
    """The record as GetRecords returns it at its sequence number; None once it is gone."""
    if "stream" not in handle.refs:
        raise NotImplementedByBackend("reading back a record put into a firehose")
    try:
        found = _shard_records(world, handle.refs["stream"], handle.refs["shard"], "AT_SEQUENCE_NUMBER", handle.id, 1)
    except BackendError as exc:
        if _not_found(exc):
            return None
        raise
    return next((r for r in found if r.get("SequenceNumber") == handle.id), None)


def observe_record(world: Boto3World, handle: Handle, attribute: str) -> Any:
    record = read_record(world, handle)
    if record is None:
        return None
    if attribute == "data size":
        return len(record["Data"])
    if attribute == "partition key":
        return record["PartitionKey"]
    if attribute == "sequence number":
        return record["SequenceNumber"]
    if attribute == "shard id":
        return handle.refs["shard"]  # the shard GetRecords found it on
    raise NotImplementedByBackend(f"the {attribute} of a record")


def record_exists(world: Boto3World, handle: Handle) -> bool:
    return read_record(world, handle) is not None


def record_relations(world: Boto3World, handle: Handle) -> frozenset:
    if "stream" not in handle.refs:
        raise NotImplementedByBackend("where a firehose record is")
    stream = world.known("kinesis stream", handle.refs["stream"])
    rels = {("into", stream)}
    if read_record(world, handle) is not None:
        rels.add(("in", stream))
    return frozenset(rels)


def count_records(world: Boto3World, relation: str, target: Handle) -> int:
    if target.kind != "kinesis stream":
        raise NotImplementedByBackend("counting the records a firehose buffers")
    try:
        return len(stream_records(world, target.id))
    except BackendError as exc:
        if _not_found(exc):
            return 0  # a deleted stream holds no records
        raise


# ---------------------------------------------------------------- consumers
def describe_consumer(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("kinesis", "describe_stream_consumer", "describing a consumer",
                      ConsumerARN=handle.id)["ConsumerDescription"]


def register_consumer(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    stream = next((t for r, t in relations if r == "of"), None)
    if stream is None:
        raise NotImplementedByBackend("a consumer of no stream")
    arn = describe_stream(world, stream.id)["StreamARN"]
    answer = world.call("kinesis", "register_stream_consumer", "registering a consumer", StreamARN=arn,
                        ConsumerName=_name(world, label))["Consumer"]
    handle = world.remember(Handle("consumer", answer["ConsumerARN"], label,
                                   refs={"stream": stream.id, "positions": {}, "received": 0}))
    handle.creation_states = tuple(world.wait(
        handle, lambda: describe_consumer(world, handle)["ConsumerStatus"].lower(), {"creating"},
        [answer["ConsumerStatus"].lower()]))
    return handle


def poll(world: Boto3World, handle: Handle) -> None:
    """GetRecords on every shard after the last sequence number read there (from the trim horizon at first)."""
    stream = handle.refs["stream"]
    positions: dict[str, str] = handle.refs["positions"]
    shards = world.call("kinesis", "list_shards", "listing a kinesis stream's shards", StreamName=stream).get("Shards", ())
    for shard in shards:
        sid = shard["ShardId"]
        after = positions.get(sid)
        records = _shard_records(world, stream, sid, "AFTER_SEQUENCE_NUMBER" if after else "TRIM_HORIZON", after)
        if records:
            positions[sid] = records[-1]["SequenceNumber"]
            handle.refs["received"] += len(records)


def act_consumer(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "deregister":
        world.call("kinesis", "deregister_stream_consumer", "deregistering a consumer", ConsumerARN=handle.id)
        handle.released = True
        return ()
    if action == "poll":
        poll(world, handle)
        return (describe_consumer(world, handle)["ConsumerStatus"].lower(),)
    raise NotImplementedByBackend(f"{action} on a consumer")


def observe_consumer(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "records received":
        return handle.refs["received"]  # the application's own count of what it read (see the module's docstring)
    return describe_consumer(world, handle)["ConsumerStatus"].lower()


def consumer_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_consumer(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def consumer_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        arn = describe_consumer(world, handle)["StreamARN"]
    except BackendError as exc:
        if _not_found(exc):
            return frozenset()
        raise
    return frozenset({("of", world.known("kinesis stream", arn.rsplit("/", 1)[-1]))})


def count_consumers(world: Boto3World, relation: str, target: Handle) -> int:
    try:
        arn = describe_stream(world, target.id)["StreamARN"]
        return len(world.call("kinesis", "list_stream_consumers", "listing a stream's consumers",
                              StreamARN=arn).get("Consumers", ()))
    except BackendError as exc:
        if _not_found(exc):
            return 0
        raise


def delete_consumer(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("kinesis", "deregister_stream_consumer", "deregistering a consumer", ConsumerARN=handle.id)
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- Firehose
#: destination → (CreateDeliveryStream's field, its key in a destination description)
DESTINATIONS = {
    "s3": ("ExtendedS3DestinationConfiguration", "ExtendedS3DestinationDescription"),
    "redshift": ("RedshiftDestinationConfiguration", "RedshiftDestinationDescription"),
    "elasticsearch": ("ElasticsearchDestinationConfiguration", "ElasticsearchDestinationDescription"),
    "opensearch": ("AmazonopensearchserviceDestinationConfiguration", "AmazonopensearchserviceDestinationDescription"),
    "opensearch serverless": ("AmazonOpenSearchServerlessDestinationConfiguration",
                              "AmazonOpenSearchServerlessDestinationDescription"),
    "splunk": ("SplunkDestinationConfiguration", "SplunkDestinationDescription"),
    "http endpoint": ("HttpEndpointDestinationConfiguration", "HttpEndpointDestinationDescription"),
    "snowflake": ("SnowflakeDestinationConfiguration", "SnowflakeDestinationDescription"),
    "iceberg": ("IcebergDestinationConfiguration", "IcebergDestinationDescription"),
}


def _destination(destination: str, account: str, bucket: str) -> tuple[str | None, dict[str, Any]]:
    role = f"arn:aws:iam::{account}:role/scn-firehose"
    s3 = {"RoleARN": role, "BucketARN": f"arn:aws:s3:::{bucket}"}
    configs: dict[str, dict[str, Any]] = {
        "s3": s3,
        "redshift": {"RoleARN": role, "ClusterJDBCURL": "jdbc:redshift://scn.example:5439/dev",
                     "CopyCommand": {"DataTableName": "records"}, "Username": "scn", "Password": "scn-Passw0rd",
                     "S3Configuration": s3},
        "elasticsearch": {"RoleARN": role, "DomainARN": f"arn:aws:es:us-east-1:{account}:domain/scn",
                          "IndexName": "records", "S3Configuration": s3},
        "opensearch": {"RoleARN": role, "DomainARN": f"arn:aws:es:us-east-1:{account}:domain/scn",
                       "IndexName": "records", "S3Configuration": s3},
        "opensearch serverless": {"RoleARN": role, "CollectionEndpoint": "https://scn.us-east-1.aoss.amazonaws.com",
                                  "IndexName": "records", "S3Configuration": s3},
        "splunk": {"HECEndpoint": "https://scn.example:8088", "HECEndpointType": "Raw",
                   "HECToken": "00000000-0000-0000-0000-000000000000", "S3Configuration": s3},
        "http endpoint": {"EndpointConfiguration": {"Url": "https://scn.example/records"}, "S3Configuration": s3},
        "snowflake": {"AccountUrl": "https://scn.snowflakecomputing.com", "Database": "scn", "Schema": "scn",
                      "Table": "records", "RoleARN": role, "S3Configuration": s3},
        "iceberg": {"RoleARN": role, "CatalogConfiguration": {"CatalogARN": f"arn:aws:glue:us-east-1:{account}:catalog"},
                    "S3Configuration": s3},
    }
    if destination in DESTINATIONS:
        return DESTINATIONS[destination][0], configs[destination]
    # not a destination of Firehose: CreateDeliveryStream has no field for it, so the request names no destination
    # and Firehose answers for itself (the SDK's parameter validation is off: it refuses nothing first)
    return None, {}


def describe_firehose(world: Boto3World, name: str) -> Mapping[str, Any]:
    return world.call("firehose", "describe_delivery_stream", "describing a firehose",
                      DeliveryStreamName=name)["DeliveryStreamDescription"]


def create_firehose(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = _name(world, label)[:64]
    account = _account(world)
    destination = str(params.get("destination", "s3"))
    bucket = world.resource_name(f"{label}-firehose", lower=True, first="a-z0-9")
    field, config = _destination(destination, account, bucket)
    kw: dict[str, Any] = {"DeliveryStreamName": name, "Tags": _tags(world, label)}
    if field is not None:
        kw[field] = config
    source = next((t for r, t in relations if r == "sourced from"), None)
    if source is not None:
        kw["DeliveryStreamType"] = "KinesisStreamAsSource"
        kw["KinesisStreamSourceConfiguration"] = {
            "KinesisStreamARN": describe_stream(world, source.id)["StreamARN"],
            "RoleARN": f"arn:aws:iam::{account}:role/scn-firehose"}
    else:
        kw["DeliveryStreamType"] = "DirectPut"
    refs: dict[str, Any] = {}
    if destination in DESTINATIONS:
        world.call("s3", "create_bucket", "creating a firehose's bucket", Bucket=bucket)
        refs["bucket"] = bucket
    try:
        _sdk_refuses(world, "firehose", "create_delivery_stream", "creating a firehose", **kw)
    except BaseException:
        if refs:
            _delete_bucket(world, bucket)
        raise
    handle = world.remember(Handle("firehose delivery stream", name, label, refs=refs))
    handle.creation_states = tuple(world.wait(handle, lambda: firehose_state(world, handle), {"creating", "deleting"}))
    return handle


def firehose_state(world: Boto3World, handle: Handle) -> str:
    return describe_firehose(world, handle.id)["DeliveryStreamStatus"].lower()


def _description(desc: Mapping[str, Any]) -> Mapping[str, Any]:
    return next(iter(desc.get("Destinations", ())), {})


def observe_firehose(world: Boto3World, handle: Handle, attribute: str) -> Any:
    desc = describe_firehose(world, handle.id)
    if attribute == "state":
        return desc["DeliveryStreamStatus"].lower()
    if attribute == "source":
        return desc.get("DeliveryStreamType")
    dest = _description(desc)
    if attribute == "destination":
        for name, (_field, key) in DESTINATIONS.items():
            if key in dest:
                return name
        return None
    if attribute in ("buffer interval", "buffer size"):
        hints = next((d.get("BufferingHints") for d in dest.values() if isinstance(d, Mapping) and "BufferingHints" in d), None)
        if not hints:
            return None
        if attribute == "buffer interval":
            return hints.get("IntervalInSeconds")
        return hints["SizeInMBs"] * 1024 * 1024 if "SizeInMBs" in hints else None
    raise NotImplementedByBackend(f"the {attribute} of a firehose delivery stream")


def firehose_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_firehose(world, handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def firehose_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        desc = describe_firehose(world, handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return frozenset()
        raise
    source = (desc.get("Source") or {}).get("KinesisStreamSourceDescription") or {}
    arn = source.get("KinesisStreamARN")
    return frozenset({("sourced from", world.known("kinesis stream", arn.rsplit("/", 1)[-1]))}) if arn else frozenset()


def _delete_bucket(world: Boto3World, bucket: str) -> None:
    try:
        listed = world.call("s3", "list_objects_v2", "listing a firehose's bucket", Bucket=bucket).get("Contents", ())
        for obj in listed:
            world.call("s3", "delete_object", "emptying a firehose's bucket", Bucket=bucket, Key=obj["Key"])
        world.call("s3", "delete_bucket", "deleting a firehose's bucket", Bucket=bucket)
    except BackendError as exc:
        if exc.code != "NoSuchBucket":
            raise


def _delete_firehose(world: Boto3World, handle: Handle) -> list[str]:
    world.call("firehose", "delete_delivery_stream", "deleting a firehose", DeliveryStreamName=handle.id)

    def state() -> str:
        try:
            return firehose_state(world, handle)
        except BackendError as exc:
            if _not_found(exc):
                return "deleted"
            raise

    seen = world.wait(handle, state, {"deleting", "creating"}, [])
    if handle.refs.get("bucket"):
        _delete_bucket(world, handle.refs["bucket"])
    return [s for s in seen if s != "deleted"]


def act_firehose(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action != "delete":
        raise NotImplementedByBackend(f"{action} on a firehose delivery stream")
    seen = _delete_firehose(world, handle)
    handle.released = True
    return seen


def delete_firehose(world: Boto3World, handle: Handle) -> None:
    try:
        _delete_firehose(world, handle)
    except BackendError as exc:
        if not _not_found(exc):
            raise
        if handle.refs.get("bucket"):
            _delete_bucket(world, handle.refs["bucket"])


# ---------------------------------------------------------------- Data Analytics (kinesisanalyticsv2)
RUNTIMES = {"sql": "SQL-1_0", "flink": "FLINK-1_20"}
APP_TRANSITIONAL = frozenset({"starting", "stopping", "updating", "deleting", "creating"})


def describe_app(world: Boto3World, name: str) -> Mapping[str, Any]:
    return world.call("kinesisanalyticsv2", "describe_application", "describing an analytics application",
                      ApplicationName=name)["ApplicationDetail"]


def _arn_of(world: Boto3World, target: Handle) -> str:
    if target.kind == "kinesis stream":
        return describe_stream(world, target.id)["StreamARN"]
    return describe_firehose(world, target.id)["DeliveryStreamARN"]


def create_app(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    runtime = str(params.get("runtime", "sql"))
    if "destination" in params and params["destination"] != "lambda":
        raise NotImplementedByBackend(f"an analytics application writing to {params['destination']} itself")
    name = _name(world, label)
    account = _account(world)
    role = f"arn:aws:iam::{account}:role/scn-analytics"
    inputs, outputs = [], []
    for rel, target in relations:
        arn = _arn_of(world, target)
        if rel in ("sourced from", "fed from"):
            key = "KinesisStreamsInput" if rel == "sourced from" else "KinesisFirehoseInput"
            inputs.append({"NamePrefix": "SOURCE_SQL_STREAM", key: {"ResourceARN": arn},
                           "InputSchema": {"RecordFormat": {"RecordFormatType": "JSON", "MappingParameters": {
                               "JSONMappingParameters": {"RecordRowPath": "$"}}},
                               "RecordColumns": [{"Name": "data", "SqlType": "VARCHAR(64)", "Mapping": "$.data"}]}})
        else:
            key = "KinesisStreamsOutput" if rel == "writing to" else "KinesisFirehoseOutput"
            outputs.append({"Name": "DESTINATION_SQL_STREAM", key: {"ResourceARN": arn},
                            "DestinationSchema": {"RecordFormatType": "JSON"}})
    kw: dict[str, Any] = {"ApplicationName": name, "RuntimeEnvironment": RUNTIMES[runtime], "ServiceExecutionRole": role,
                          "Tags": _tags(world, label)}
    if runtime == "sql" and (inputs or outputs):
        kw["ApplicationConfiguration"] = {"SqlApplicationConfiguration": {"Inputs": inputs, "Outputs": outputs}}
    elif runtime == "flink" and (inputs or outputs):
        raise NotImplementedByBackend("the sources and outputs of a flink analytics application (they are in its code)")
    world.call("kinesisanalyticsv2", "create_application", "creating an analytics application", **kw)
    handle = world.remember(Handle("analytics application", name, label))
    # CreateApplication leaves an application READY (no creating state): only an update could be under way
    handle.creation_states = tuple(world.wait(handle, lambda: app_state(world, handle), {"updating"}))
    return handle


def app_state(world: Boto3World, handle: Handle) -> str:
    return describe_app(world, handle.id)["ApplicationStatus"].lower()


def act_app(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "start":
        world.call("kinesisanalyticsv2", "start_application", "starting an analytics application",
                   ApplicationName=handle.id, RunConfiguration={})
    elif action == "stop":
        world.call("kinesisanalyticsv2", "stop_application", "stopping an analytics application", ApplicationName=handle.id)
    elif action == "delete":
        created = describe_app(world, handle.id)["CreateTimestamp"]
        world.call("kinesisanalyticsv2", "delete_application", "deleting an analytics application",
                   ApplicationName=handle.id, CreateTimestamp=created)
        handle.released = True
        return ()
    else:
        raise NotImplementedByBackend(f"{action} on an analytics application")
    return world.wait(handle, lambda: app_state(world, handle), APP_TRANSITIONAL, [])


def _sql_config(detail: Mapping[str, Any]) -> Mapping[str, Any]:
    return (detail.get("ApplicationConfigurationDescription") or {}).get("SqlApplicationConfigurationDescription") or {}


def observe_app(world: Boto3World, handle: Handle, attribute: str) -> Any:
    detail = describe_app(world, handle.id)
    if attribute == "state":
        return detail["ApplicationStatus"].lower()
    if attribute == "runtime":
        return "sql" if detail["RuntimeEnvironment"].startswith("SQL") else "flink"
    raise NotImplementedByBackend(f"the {attribute} of an analytics application")


def app_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_app(world, handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def app_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        config = _sql_config(describe_app(world, handle.id))
    except BackendError as exc:
        if _not_found(exc):
            return frozenset()
        raise
    rels = set()
    pairs = (("InputDescriptions", "KinesisStreamsInputDescription", "sourced from", "kinesis stream"),
             ("InputDescriptions", "KinesisFirehoseInputDescription", "fed from", "firehose delivery stream"),
             ("OutputDescriptions", "KinesisStreamsOutputDescription", "writing to", "kinesis stream"),
             ("OutputDescriptions", "KinesisFirehoseOutputDescription", "delivering to", "firehose delivery stream"))
    for group, key, rel, kind in pairs:
        for desc in config.get(group, ()):
            arn = (desc.get(key) or {}).get("ResourceARN")
            if arn:
                rels.add((rel, world.known(kind, arn.rsplit("/", 1)[-1])))
    return frozenset(rels)


def delete_app(world: Boto3World, handle: Handle) -> None:
    try:
        created = describe_app(world, handle.id)["CreateTimestamp"]
        world.call("kinesisanalyticsv2", "delete_application", "deleting an analytics application",
                   ApplicationName=handle.id, CreateTimestamp=created)
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- video streams (kinesisvideo)
def video_stream(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("kinesisvideo", "describe_stream", "describing a video stream", StreamName=handle.id)["StreamInfo"]


def create_video(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = _name(world, label)
    kw: dict[str, Any] = {"StreamName": name, "Tags": world.tag_map(label)}
    if "retention period" in params:
        kw["DataRetentionInHours"] = _hours(params["retention period"], "a video stream's retention period")
    answer = world.call("kinesisvideo", "create_stream", "creating a video stream", **kw)
    handle = world.remember(Handle("video stream", name, label, refs={"arn": answer["StreamARN"]}))
    handle.creation_states = tuple(world.wait(handle, lambda: video_stream(world, handle)["Status"].lower(),
                                              {"creating", "updating", "deleting"}))
    return handle


def act_video(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "delete":
        world.call("kinesisvideo", "delete_stream", "deleting a video stream", StreamARN=handle.refs["arn"])
        handle.released = True
        return ()
    if action not in ("extend", "shorten"):
        raise NotImplementedByBackend(f"{action} on a video stream")
    info = video_stream(world, handle)
    target_hours = _hours(params["retention period"], "a video stream's retention period")
    change = abs(target_hours - int(info.get("DataRetentionInHours") or 0))
    world.call("kinesisvideo", "update_data_retention", f"{action}ing a video stream's retention", StreamName=handle.id,
               CurrentVersion=info["Version"], DataRetentionChangeInHours=change,
               Operation="INCREASE_DATA_RETENTION" if action == "extend" else "DECREASE_DATA_RETENTION")
    return world.wait(handle, lambda: video_stream(world, handle)["Status"].lower(), {"updating"}, [])


def observe_video(world: Boto3World, handle: Handle, attribute: str) -> Any:
    info = video_stream(world, handle)
    if attribute == "state":
        return info["Status"].lower()
    hours = int(info.get("DataRetentionInHours") or 0)
    if attribute == "retention period":
        return hours * HOUR
    if attribute == "persistent":
        return hours > 0
    raise NotImplementedByBackend(f"the {attribute} of a video stream")


def video_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        video_stream(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def delete_video(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("kinesisvideo", "delete_stream", "deleting a video stream", StreamARN=handle.refs["arn"])
    except BackendError as exc:
        if not _not_found(exc):
            raise


def find_videos(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """Video streams carrying ``tags`` (for ``scn sweep``): ListStreams and ListTagsForStream of kinesisvideo."""
    found = []
    for s in world.call("kinesisvideo", "list_streams", "listing video streams").get("StreamInfoList", ()):
        if str(s.get("Status", "")).lower() == "deleting":
            continue
        have = dict(world.call("kinesisvideo", "list_tags_for_stream", "reading a video stream's tags",
                               StreamARN=s["StreamARN"]).get("Tags") or {})
        if carries(have, tags):
            found.append(Handle("video stream", s["StreamName"], s["StreamName"],
                                refs={"arn": s["StreamARN"], "tags": have}))
    return found


def find_streams(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """Kinesis data streams carrying ``tags`` (for ``scn sweep``): ListStreams and ListTagsForStream (a moto
    server's tagging API does not cover them)."""
    found = []
    names: list[str] = []
    kw: dict[str, Any] = {}
    while True:
        answer = world.call("kinesis", "list_streams", "listing kinesis streams", **kw)
        names += answer.get("StreamNames", ())
        if not answer.get("HasMoreStreams") or not answer.get("StreamNames"):
            break
        kw = {"ExclusiveStartStreamName": answer["StreamNames"][-1]}
    for name in names:
        try:
            have = tag_dict(world.call("kinesis", "list_tags_for_stream", "reading a kinesis stream's tags",
                                       StreamName=name).get("Tags"))
        except BackendError as exc:
            if _not_found(exc):
                continue
            raise
        if carries(have, tags):
            found.append(Handle("kinesis stream", name, name, refs={"tags": have}))
    return found


# ---------------------------------------------------------------- the service
STREAM = KindMap(
    "kinesis stream",
    attributes={"state", "shard count", "capacity mode", "retention period", "stream arn", "write capacity"},
    actions={"create", "delete", "reshard", "extend", "shorten"},
    params={"shard count", "capacity mode"},
    action_params={"reshard": frozenset({"shard count"}), "extend": frozenset({"retention period"}),
                   "shorten": frozenset({"retention period"})},
    create=create_stream, act=act_stream, observe=observe_stream, exists=stream_exists, delete=delete_stream,
    find_tagged=find_streams, cost="cheap",
)

def create_shard(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    raise NotImplementedByBackend("creating a shard (a stream's shard count makes its shards)")


SHARD = KindMap("shard", relations={"of"}, create=create_shard, count_related=count_shards)

RECORD = KindMap(
    "record",
    attributes={"data size", "partition key", "shard id", "sequence number"},
    actions={"put"},
    relations={"into", "in"},
    params={"data size", "partition key"},
    create=put_record, observe=observe_record, exists=record_exists, relations_of=record_relations,
    count_related=count_records, cost="cheap",
)

CONSUMER = KindMap(
    "consumer",
    attributes={"state", "records received"},
    actions={"register", "deregister", "poll"},
    relations={"of"},
    create=register_consumer, act=act_consumer, observe=observe_consumer, exists=consumer_exists,
    relations_of=consumer_relations, count_related=count_consumers, delete=delete_consumer, cost="cheap",
)

FIREHOSE = KindMap(
    "firehose delivery stream",
    attributes={"state", "destination", "source", "buffer interval", "buffer size"},
    actions={"create", "delete"},
    relations={"sourced from"},
    params={"destination"},
    create=create_firehose, act=act_firehose, observe=observe_firehose, exists=firehose_exists,
    relations_of=firehose_relations, delete=delete_firehose, cost="cheap",
)

ANALYTICS = KindMap(
    "analytics application",
    attributes={"state", "runtime"},
    actions={"create", "start", "stop", "delete"},
    relations={"sourced from", "fed from", "writing to", "delivering to"},
    params={"runtime", "destination"},
    create=create_app, act=act_app, observe=observe_app, exists=app_exists, relations_of=app_relations,
    delete=delete_app, cost="cheap",  # billed per KPU-hour only while running
)

VIDEO = KindMap(
    "video stream",
    attributes={"state", "retention period", "persistent"},
    actions={"create", "delete", "extend", "shorten"},
    params={"retention period"},
    action_params={"extend": frozenset({"retention period"}), "shorten": frozenset({"retention period"})},
    create=create_video, act=act_video, observe=observe_video, exists=video_exists, delete=delete_video,
    find_tagged=find_videos, cost="cheap",
)

SERVICE = Service(
    capability="kinesis",
    clients=("kinesis", "firehose", "kinesisanalyticsv2", "kinesisvideo", "s3", "sts"),
    kinds=(STREAM, SHARD, RECORD, CONSUMER, FIREHOSE, ANALYTICS, VIDEO),
    why={
        "record.delivered": "whether Firehose delivered a record is not answered by any call (its destination's "
                            "contents, CloudWatch's DeliveryToS3.Records minutes later)",
        "firehose delivery stream.records delivered": "CloudWatch's DeliveryTo*.Records metrics, published minutes late",
        "analytics application.records processed": "CloudWatch's metrics of an application, published minutes late",
        "analytics application.records delivered": "CloudWatch's metrics of an application, published minutes late",
        "analytics application.destination": "a SQL application writes to data streams, Firehose streams and Lambda "
                                             "only: no output field for S3, Redshift or OpenSearch",
    },
    recorded_settings={"kinesis shard limit", "on-demand stream limit", "stream retention limit",
                       "kinesis analytics sql applications", "kinesis analytics direct outputs",
                       "video stream retention", "video stream retention limit"},
    description="Kinesis Data Streams, Firehose, Data Analytics (v2) and Video Streams",
)
