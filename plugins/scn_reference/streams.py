"""Amazon Kinesis Data Streams: streams, shards and records; the top module of the Kinesis
parts (:mod:`.streams_consumers`: consumers; :mod:`.streams_delivery`: Firehose and Data
Analytics; :mod:`.streams_video`: Video Streams).

Sources: ../shared/seed/aws-architecture-notes.md, "Amazon Kinesis" and "Kinesis Data
Streams"; AWS's Kinesis Data Streams developer guide, "Quotas and limits" (1,000 records
and 1 MiB per second of writes per shard; the account's shard quota) and "Change the data
retention period" (24 hours by default, up to 7 days extended, up to 365 days long-term);
the Kinesis Data Streams API reference: CreateStream (LimitExceededException beyond the
shard quota, ResourceInUseException for a name in use), PutRecord (the partition key's
MD5 hash picks the shard; ProvisionedThroughputExceededException beyond a shard's
throughput; ResourceNotFoundException for a stream that is gone), UpdateShardCount (at
most double, at least half the current count: LimitExceededException),
IncreaseStreamRetentionPeriod / DecreaseStreamRetentionPeriod (InvalidArgumentException
for a period not above / not below the current one, above the maximum or below 24 hours;
a decrease makes older records inaccessible at once, an increase never brings expired
ones back).
The error codes are those botocore's kinesis model lists for these operations.

Decisions:
- Throughput is counted per shard and per second of the virtual clock (the whole second
  ``floor(now)``): `when 1 second passes` opens a new second and a new budget. The 1 MiB
  counts the data blobs only (AWS's record-size wording includes the partition key; the
  difference never matters at these sizes).
- A record without a partition key gets its label as key; without a data size it is 1 KB
  (AWS requires both: a spec that cares names them).
- The shard quota counts the open shards of every provisioned stream of the account; it
  follows the notes (500) and the setting `kinesis shard limit` raises it (20,000 in
  us-east-1 today, "no upper limit" on request: the notes' "unlimited"). An on-demand
  stream (AWS today; the notes predate it) counts against no shard quota: it starts with
  4 shards' capacity (4 MB/s), and an account has 50 of them by default (setting
  `on-demand stream limit`); CreateStream beyond that is refused with
  LimitExceededException (the model's choice: AWS names no code for this quota).
- The retention maximum follows the notes (7 days); the setting `stream retention limit`
  takes AWS's 365 days.
- A shard is not a resource a spec creates: `with 2 shards` sets the shard count and
  `the number of shards of "s"` counts the open shards.
"""

from __future__ import annotations

import hashlib
from collections import abc
from typing import Any, Mapping, Sequence

from scenario.errors import BackendError
from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

from . import streams_consumers, streams_delivery, streams_video
from .model import Resource
from .streams_delivery import _name

# ---------------------------------------------------------------- tables
RECORDS_PER_SECOND = 1000  # per shard, writes
BYTES_PER_SECOND = 1024 * 1024  # per shard, writes (1 MiB)
MAX_RECORD_BYTES = 1024 * 1024  # a data blob (the default maximum record size)
DEFAULT_RECORD_BYTES = 1024  # the model's default data size, see the docstring
HOUR = 3600
DEFAULT_RETENTION = 24 * HOUR
MIN_RETENTION = 24 * HOUR
SHARD_LIMIT = 500  # notes; AWS today: 20,000 in us-east-1 (setting `kinesis shard limit`)
ON_DEMAND_SHARDS = 4  # a new on-demand stream: 4 MB/s of writes, the capacity of 4 shards
ON_DEMAND_STREAMS = 50  # on-demand streams per account by default (setting `on-demand stream limit`)
CAPACITY_MODES = ("provisioned", "on-demand")
RETENTION_LIMIT = 7 * 24 * HOUR  # notes; AWS today: 8,760 hours (setting `stream retention limit`)
HASH_SPACE = 2**128

STREAM = Kind(
    name="kinesis stream",
    aliases=("data stream", "kinesis data stream", "stream"),
    capability="kinesis",
    description="a Kinesis data stream: shards that store records for the applications that read them later",
    states=(State("creating", stable=False), State("active"), State("updating", stable=False), State("deleting", stable=False)),
    attributes=(
        Attribute("state", "text", aliases=("status", "stream status"), description="creating, active or updating"),
        Attribute("shard count", "number", settable=True, aliases=("shards", "shard", "open shard count"),
                  description="its open shards (1 by default): each takes 1,000 records and 1 MB a second"),
        Attribute("capacity mode", "enum", values=CAPACITY_MODES, settable=True, aliases=("stream mode",),
                  description="provisioned (the default: its shards count against the account's shard quota) "
                              "or on-demand (AWS manages its shards: 4 to start with)"),
        Attribute("retention period", "quantity", dimension="duration", aliases=("retention", "data retention period"),
                  description="how long a record stays readable after it was added: 24 hours unless extended"),
        Attribute("stream arn", "text", aliases=("arn",), description="its ARN"),
        Attribute("write capacity", "number", aliases=("records per second",),
                  description="the records a second its open shards take together (1,000 per shard)"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active", description="CreateStream"),
        Action("delete", "deleted", deletes=True, description="DeleteStream: its records go with it"),
        Action("reshard", "resharded", from_states=("active",), result="active", params=("shard count",),
               description="UpdateShardCount: to at most double and at least half its shard count"),
        Action("extend", "extended", from_states=("active",), result="active", params=("retention period",),
               description="IncreaseStreamRetentionPeriod: a longer retention period"),
        Action("shorten", "shortened", from_states=("active",), result="active", params=("retention period",),
               description="DecreaseStreamRetentionPeriod: a shorter retention period, never below 24 hours"),
    ),
)

SHARD = Kind(
    name="shard",
    capability="kinesis",
    description="a unit of a data stream's capacity (not created by a spec: give a stream its shard count)",
    relations=(Relation("", "of", "kinesis stream", description="an open shard of a data stream"),
               Relation("", "of", "video stream", description="(a video stream has none: it keeps fragments)")),
)

RECORD = Kind(
    name="record",
    aliases=("kinesis record",),
    capability="kinesis",
    description="a data record put into a data stream (PutRecord) or a Firehose delivery stream",
    attributes=(
        Attribute("data size", "quantity", dimension="size", settable=True, aliases=("size",),
                  description="the size of its data blob: at most 1 MB (1 KB unless given)"),
        Attribute("partition key", "text", settable=True, aliases=("key",),
                  description="the key whose MD5 hash picks its shard (its label unless given)"),
        Attribute("shard id", "text", description="the shard that holds it, in a data stream"),
        Attribute("sequence number", "text", description="its sequence number, increasing within a stream"),
        Attribute("delivered", "boolean", description="a Firehose delivery stream has delivered it to its destination"),
    ),
    actions=(Action("put", "put", creates=True, description="PutRecord into a data stream or a Firehose delivery stream"),),
    relations=(
        Relation("", "into", "kinesis stream", description="put into a data stream"),
        Relation("", "in", "kinesis stream", description="held by a data stream (until its retention period ends)"),
        Relation("", "into", "firehose delivery stream", description="put into a Firehose delivery stream"),
        Relation("buffered", "in", "firehose delivery stream", description="buffered by a Firehose delivery stream, not yet delivered"),
    ),
)

SETTINGS = (
    Setting("kinesis shard limit", "number", default=SHARD_LIMIT, capability="limits", aliases=("shard limit", "kinesis shard quota"),
            description="the open shards an account's data streams may have together (notes: 500; AWS today: 20,000 in us-east-1)"),
    Setting("on-demand stream limit", "number", default=ON_DEMAND_STREAMS, capability="limits",
            description="the on-demand data streams an account may have (AWS: 50 by default)"),
    Setting("stream retention limit", "quantity", dimension="duration", default=RETENTION_LIMIT, capability="limits",
            description="the longest retention period of a data stream (notes: 7 days; AWS today: 365 days)"),
)

VOCABULARY = (STREAM, SHARD, RECORD) + SETTINGS + streams_consumers.VOCABULARY + streams_delivery.VOCABULARY + streams_video.VOCABULARY


# ---------------------------------------------------------------- behaviour
class Entry:
    """A record as a stream or a delivery stream holds it (spec records and records other services wrote)."""

    def __init__(self, seq: int, at: float, size: int, key: str, record: "Record | None" = None):
        self.seq = seq
        self.at = at
        self.size = size
        self.key = key
        self.record = record
        self.shard: str | None = None
        self.gone = False


class ShardIds(abc.Sequence):
    """The ids of a stream's open shards, ``shardId-000000000004`` …, made on demand (a stream may have 20,000)."""

    def __init__(self, first: int, count: int):
        self.first, self.count = first, count

    def __len__(self) -> int:
        return self.count

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (abc.Sequence)) and not isinstance(other, str) else NotImplemented

    def __repr__(self) -> str:
        return f"ShardIds({self.first}, {self.count})"

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.count))]
        if not -self.count <= i < self.count:
            raise IndexError(i)
        return f"shardId-{self.first + i % self.count:012d}"


class Stream(Resource):
    kind = "kinesis stream"

    def __init__(self, id: str, label: str, shards: int, world, mode: str = "provisioned"):
        super().__init__(id, label)
        self.name = _name(label)
        self.mode = mode
        self.retention = DEFAULT_RETENTION
        self.deleted = False
        self.next_shard = 0
        self.shards: list[str] = []
        self.open_shards(shards)
        self.entries: list[Entry] = []
        self.expired = 0  # entries[:expired] are gone
        self.seq = 0
        self.written: dict[tuple[str, int], list[int]] = {}  # (shard, second) → [records, bytes]

    def open_shards(self, n: int) -> None:
        self.shards = ShardIds(self.next_shard, n)
        self.next_shard += n

    def shard_for(self, key: str) -> str:
        """The shard whose hash-key range holds the MD5 hash of ``key`` (ranges split evenly, as CreateStream does)."""
        h = int.from_bytes(hashlib.md5(key.encode()).digest(), "big")
        return self.shards[h * len(self.shards) // HASH_SPACE]

    def retained(self, world) -> list[Entry]:
        return [e for e in self.entries if not e.gone and world.now - e.at < self.retention]

    def expire(self, world) -> None:
        """Records older than the retention period are gone for good (a later extension does not bring them back).

        Entries are appended in time order, so the expired ones are a prefix: the scan resumes where it stopped.
        """
        i = self.expired
        while i < len(self.entries) and world.now - self.entries[i].at >= self.retention:
            self.entries[i].gone = True
            i += 1
        self.expired = i

    def store(self, world, entry: Entry, throttle: bool = True) -> None:
        if self.deleted:
            raise BackendError("ResourceNotFoundException", f"Stream {self.name} under account 123456789012 not found.")
        shard = self.shard_for(entry.key)
        window = self.written.setdefault((shard, int(world.now)), [0, 0])
        if throttle and (window[0] + 1 > RECORDS_PER_SECOND or window[1] + entry.size > BYTES_PER_SECOND):
            raise BackendError("ProvisionedThroughputExceededException",
                               f"Rate exceeded for shard {shard} in stream {self.name} under account 123456789012.")
        window[0] += 1
        window[1] += entry.size
        self.seq += 1
        entry.seq = self.seq
        entry.shard = shard
        self.entries.append(entry)
        world.emit("kinesis record", container=self, entry=entry)

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        self.expire(world)
        if action == "delete":
            self.deleted = True
            return ("deleting",)
        if action == "reshard":
            return reshard(world, self, params.get("shard count", len(self.shards)))
        if action in ("extend", "shorten"):
            change_retention(world, self, action, params.get("retention period", self.retention))
            return ()
        return super().act(world, action, target, params)  # pragma: no cover

    CREATION = ("creating",)

    ATTRIBUTES = {
        "state": lambda w, s: "active",
        "shard count": lambda w, s: len(s.shards),
        "capacity mode": lambda w, s: s.mode,
        "retention period": lambda w, s: s.retention,
        "stream arn": lambda w, s: f"arn:aws:kinesis:us-east-1:123456789012:stream/{s.name}",
        "write capacity": lambda w, s: RECORDS_PER_SECOND * len(s.shards),
    }


def shards_in_use(world, but: Stream | None = None) -> int:
    return sum(len(s.shards) for s in world.of_kind("kinesis stream")
               if not s.deleted and s is not but and s.mode == "provisioned")


def _check_quota(world, wanted: int, but: Stream | None = None) -> None:
    limit = world.settings["kinesis shard limit"]
    used = shards_in_use(world, but)
    if used + wanted > limit:
        raise BackendError("LimitExceededException",
                           f"This request would exceed the shard limit for the account 123456789012 in us-east-1. "
                           f"Current shard count for the account: {used}. Limit: {limit}. Number of additional shards "
                           f"that would have resulted from this request: {wanted}.")


def create_stream(world, label: str, params: Mapping[str, Any], relations) -> Stream:
    mode = params.get("capacity mode", "provisioned")
    name = _name(label)
    if any(s.name == name and not s.deleted for s in world.of_kind("kinesis stream")):
        raise BackendError("ResourceInUseException", f"Stream {name} under account 123456789012 already exists.")
    if mode == "on-demand":
        if "shard count" in params:
            raise BackendError("InvalidArgumentException", "An on-demand stream takes no shard count: Kinesis manages its shards.")
        live = [s for s in world.of_kind("kinesis stream") if not s.deleted and s.mode == "on-demand"]
        if len(live) >= world.settings["on-demand stream limit"]:
            raise BackendError("LimitExceededException",
                               f"This request would exceed the limit of {len(live)} on-demand streams for the account.")
        return Stream(world.new_id("stream"), label, ON_DEMAND_SHARDS, world, mode)
    shards = params.get("shard count", 1)
    if shards < 1:
        raise BackendError("InvalidArgumentException", f"The shard count of a provisioned stream must be at least 1, not {shards}.")
    _check_quota(world, shards)
    return Stream(world.new_id("stream"), label, shards, world)


def reshard(world, stream: Stream, target: int) -> Sequence[str]:
    if stream.mode == "on-demand":  # UpdateShardCount is for provisioned streams; the code is the model's choice
        raise BackendError("ValidationException", f"Stream {stream.name} is on-demand: Kinesis manages its shards.")
    current = len(stream.shards)
    if target > 2 * current or target * 2 < current or target < 1:
        raise BackendError("LimitExceededException",
                           f"UpdateShardCount takes {stream.name} from {current} shards to at most {2 * current} "
                           f"and at least {(current + 1) // 2}, not {target}.")
    _check_quota(world, target, but=stream)
    stream.open_shards(target)  # uniform scaling: the old shards close, new ones share the hash-key space evenly
    return ("updating",)


def change_retention(world, stream: Stream, action: str, period: int) -> None:
    hours = period / HOUR
    if period % HOUR:
        raise BackendError("InvalidArgumentException", f"The retention period is a whole number of hours, not {hours:g}.")
    if action == "extend":
        limit = world.settings["stream retention limit"]
        if period <= stream.retention:
            raise BackendError("InvalidArgumentException",
                               f"Requested retention period ({hours:g} hours) for stream {stream.name} can not be shorter "
                               f"than or equal to existing retention period ({stream.retention // HOUR} hours). "
                               f"Use DecreaseRetentionPeriod API.")
        if period > limit:
            raise BackendError("InvalidArgumentException",
                               f"Maximum allowed retention period is {limit // HOUR} hours. Requested retention period "
                               f"({hours:g} hours) is too long.")
    else:
        if period >= stream.retention:
            raise BackendError("InvalidArgumentException",
                               f"Requested retention period ({hours:g} hours) for stream {stream.name} can not be longer "
                               f"than or equal to existing retention period ({stream.retention // HOUR} hours). "
                               f"Use IncreaseRetentionPeriod API.")
        if period < MIN_RETENTION:
            raise BackendError("InvalidArgumentException",
                               f"Minimum allowed retention period is {MIN_RETENTION // HOUR} hours. Requested retention "
                               f"period ({hours:g} hours) is too short.")
    stream.retention = period
    stream.expire(world)


class Record(Resource):
    kind = "record"

    def __init__(self, id: str, label: str, container: Resource, entry: Entry):
        super().__init__(id, label)
        self.container = container
        self.entry = entry
        entry.record = self

    def held(self, world) -> bool:
        c = self.container
        if isinstance(c, Stream):
            return not c.deleted and self.entry in c.retained(world)
        return self.entry in c.buffer

    def exists(self, world) -> bool:
        if isinstance(self.container, Stream):
            return self.held(world)
        return True  # delivered records live on at their destination

    def relations(self, world) -> frozenset:
        rels = {("into", self.container)}
        if self.held(world):
            rels.add(("in" if isinstance(self.container, Stream) else "buffered in", self.container))
        return frozenset(rels)

    ATTRIBUTES = {
        "data size": lambda w, r: r.entry.size,
        "partition key": lambda w, r: r.entry.key,
        "shard id": lambda w, r: r.entry.shard,
        "sequence number": lambda w, r: f"{r.entry.seq:056d}" if isinstance(r.container, Stream) else None,
        "delivered": lambda w, r: getattr(r.entry, "delivered", False),
    }


def put_record(world, label: str, params: Mapping[str, Any], relations) -> Record:
    container = next((t for _r, t in relations), None)
    if container is None:
        raise BackendError("ValidationException", "A record is put into a stream: name one (`put into \"s\"`).")
    size = params.get("data size", DEFAULT_RECORD_BYTES)
    key = params.get("partition key", label)
    if size > MAX_RECORD_BYTES:
        raise BackendError("InvalidArgumentException", f"The data blob of a record is at most 1 MiB, not {size} bytes.")
    if not 1 <= len(key) <= 256:
        raise BackendError("InvalidArgumentException", "A partition key has 1 to 256 characters.")
    entry = Entry(0, world.now, size, key)
    if isinstance(container, Stream):
        container.expire(world)
        container.store(world, entry)
    else:
        streams_delivery.direct_put(world, container, entry)
    return Record(world.new_id("record"), label, container, entry)


def _count_shards(world, target) -> int:
    return len(target.shards) if isinstance(target, Stream) and not target.deleted else 0


def _count_records(world, target) -> int:
    if isinstance(target, Stream):
        target.expire(world)
        return 0 if target.deleted else len(target.retained(world))
    return len(target.buffer)


def _on_tick(world, start: float, end: float) -> None:
    for stream in world.of_kind("kinesis stream"):
        stream.expire(world)


def install(world) -> None:
    world.creators["kinesis stream"] = create_stream
    world.creators["record"] = put_record
    world.counters[("shard", "of")] = _count_shards
    world.counters[("record", "in")] = _count_records
    world.counters[("record", "buffered in")] = _count_records
    world.on("tick", _on_tick)
    for part in (streams_consumers, streams_delivery, streams_video):
        part.install(world)
