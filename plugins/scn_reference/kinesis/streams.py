"""Amazon Kinesis Data Streams: streams and their shards, and the entries they keep; the bottom of
the Kinesis package, which :mod:`.records`, :mod:`.consumers` and :mod:`.delivery` build on.

Sources: specs/notes/aws-architecture-notes.md, "Amazon Kinesis" and "Kinesis Data
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

from ..model import Resource
from .kinds import (
    BYTES_PER_SECOND,
    DEFAULT_RETENTION,
    HASH_SPACE,
    HOUR,
    MIN_RETENTION,
    ON_DEMAND_SHARDS,
    RECORDS_PER_SECOND,
)


def name_of(label: str) -> str:
    """The AWS name of a resource: the spec's name (`kinesis stream "s"` → s), else its label."""
    return label.split('"')[1] if label.count('"') >= 2 else label



class Entry:
    """A record as a stream or a delivery stream holds it (spec records and records other services wrote)."""

    # slots: a stream may hold thousands of entries, each made in a spec's step
    __slots__ = ("seq", "at", "size", "key", "record", "shard", "gone", "hops", "delivered")

    # record: the spec's record (records.Record; that module imports this one), None for one another service wrote
    def __init__(self, seq: int, at: float, size: int, key: str, record: Resource | None = None):
        self.seq = seq
        self.at = at
        self.size = size
        self.key = key
        self.record = record
        self.shard: str | None = None
        self.gone = False
        self.hops = 0  # analytics applications it came through (MAX_HOPS ends a loop of them)
        self.delivered = False  # a Firehose delivery stream has delivered it


class ShardIds(abc.Sequence[str]):
    """The ids of a stream's open shards, ``shardId-000000000004`` …, made on demand (a stream may have 20,000)."""

    def __init__(self, first: int, count: int):
        self.first, self.length = first, count  # not ``count``: that is Sequence.count(value)

    def __len__(self) -> int:
        return self.length

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (abc.Sequence)) and not isinstance(other, str) else NotImplemented

    def __repr__(self) -> str:
        return f"ShardIds({self.first}, {self.length})"

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.length))]
        if not -self.length <= i < self.length:
            raise IndexError(i)
        return f"shardId-{self.first + i % self.length:012d}"


class Stream(Resource):
    kind = "kinesis stream"

    def __init__(self, id: str, label: str, shards: int, world, mode: str = "provisioned"):
        super().__init__(id, label)
        self.name = name_of(label)
        self.mode = mode
        self.retention = DEFAULT_RETENTION
        self.deleted = False
        self.next_shard = 0
        self.shards: Sequence[str] = []
        self.open_shards(shards)
        self.entries: list[Entry] = []
        self.expired = 0  # entries[:expired] are gone
        self.seq = 0
        self.written: dict[tuple[str, int], list[int]] = {}  # (shard, second) → [records, bytes]

    def open_shards(self, n: int) -> None:
        self.shards = ShardIds(self.next_shard, n)
        self.next_shard += n
        # shard_for's memo until the shards change: one shard holds every hash; else, partition key → its shard
        self.sole_shard = self.shards[0] if n == 1 else None
        self.shard_of: dict[str, str] = {}

    def shard_for(self, key: str) -> str:
        """The shard whose hash-key range holds the MD5 hash of ``key`` (ranges split evenly, as CreateStream does).

        Remembered per key (a thousand records often share one), and not hashed at all with a single shard."""
        shard = self.sole_shard or self.shard_of.get(key)
        if shard is None:
            h = int.from_bytes(hashlib.md5(key.encode()).digest(), "big")
            shard = self.shard_of[key] = self.shards[h * len(self.shards) // HASH_SPACE]
        return shard

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
        # a record above 1 MiB (a raised `kinesis max record size`) bursts beyond the shard's 1 MiB a second
        # ("Handle large records"): the model lets it through as the only write of its second on its shard
        burst = entry.size > BYTES_PER_SECOND and window == [0, 0]
        if throttle and (window[0] + 1 > RECORDS_PER_SECOND or (window[1] + entry.size > BYTES_PER_SECOND and not burst)):
            raise BackendError("ProvisionedThroughputExceededException",
                               f"Rate exceeded for shard {shard} in stream {self.name} under account 123456789012.")
        window[0] += 1
        window[1] += entry.size
        self.seq += 1
        entry.seq = self.seq
        entry.shard = shard
        self.entries.append(entry)
        world.emit("kinesis record", self, entry)

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
    name = name_of(label)
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


def _count_shards(world, target) -> int:
    return len(target.shards) if isinstance(target, Stream) and not target.deleted else 0


def _on_tick(world, start: float, end: float) -> None:
    for stream in world.of_kind("kinesis stream"):
        stream.expire(world)


def install(world) -> None:
    world.creators["kinesis stream"] = create_stream
    world.counters[("shard", "of")] = _count_shards
    world.on("tick", _on_tick)
