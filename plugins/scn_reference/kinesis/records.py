"""Records put into a Kinesis data stream or straight into a Firehose delivery stream, and counting them."""

from __future__ import annotations

from typing import Any, Mapping

from scenario.errors import BackendError

from ..model import Resource
from . import delivery
from .kinds import DEFAULT_RECORD_BYTES, MAX_RECORD_BYTES
from .streams import Entry, Stream


class Record(Resource):
    kind = "record"

    def __init__(self, id: str, label: str, container: Stream | delivery.DeliveryStream, entry: Entry):
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
        "delivered": lambda w, r: r.entry.delivered,
    }

def put_record(world, label: str, params: Mapping[str, Any], relations) -> Record:
    container = relations[0][1] if relations else None  # (its one relation: `put into "s"`)
    if container is None:
        raise BackendError("ValidationException", "A record is put into a stream: name one (`put into \"s\"`).")
    size = params.get("data size", DEFAULT_RECORD_BYTES)
    key = params.get("partition key", label)
    largest = world.settings["kinesis max record size"] if isinstance(container, Stream) else MAX_RECORD_BYTES
    if size > largest:
        raise BackendError("InvalidArgumentException", f"The data blob of a record is at most {largest} bytes, not {size}.")
    if not 1 <= len(key) <= 256:
        raise BackendError("InvalidArgumentException", "A partition key has 1 to 256 characters.")
    entry = Entry(0, world.now, size, key)
    if isinstance(container, Stream):
        container.expire(world)
        container.store(world, entry)
    else:
        delivery.direct_put(world, container, entry)
    return Record(world.new_id("record"), label, container, entry)

def _count_records(world, target) -> int:
    if isinstance(target, Stream):
        target.expire(world)
        return 0 if target.deleted else len(target.retained(world))
    return len(target.buffer)



def install(world) -> None:
    world.creators["record"] = put_record
    world.counters[("record", "in")] = _count_records
    world.counters[("record", "buffered in")] = _count_records
