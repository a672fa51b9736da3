"""Consumers of a Kinesis data stream.

Sources: specs/notes/aws-architecture-notes.md, "Kinesis Data Streams" (a data stream
stores data for later processing by applications); the Kinesis Data Streams API reference,
RegisterStreamConsumer (at most 20 registered consumers per stream: LimitExceededException;
ResourceNotFoundException for a stream that is gone), DeregisterStreamConsumer, GetRecords.

Decision: a consumer reads from the oldest record still retained (TRIM_HORIZON) onwards, and
a poll reads every shard up to the newest record: what it receives is what the stream still
stores when it polls, each record once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from .kinds import MAX_CONSUMERS

if TYPE_CHECKING:  # pragma: no cover
    from .streams import Stream


class Consumer(Resource):
    kind = "consumer"

    def __init__(self, id: str, label: str, stream: Stream):
        super().__init__(id, label)
        self.stream = stream
        self.received = 0
        self.last_seq = 0
        self.deleted = False

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "deregister":
            self.deleted = True
            return ()
        if action == "poll":
            if self.stream.deleted:
                raise BackendError("ResourceNotFoundException", f"Stream {self.stream.name} under account 123456789012 not found.")
            self.stream.expire(world)
            new = [e for e in self.stream.retained(world) if e.seq > self.last_seq]
            self.received += len(new)
            self.last_seq = max([self.last_seq] + [e.seq for e in new])
            return ()
        return super().act(world, action, target, params)  # pragma: no cover

    CREATION = ("creating",)

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.stream)})

    ATTRIBUTES = {
        "state": lambda w, c: "active",
        "records received": lambda w, c: c.received,
    }


def register_consumer(world, label: str, params: Mapping[str, Any], relations) -> Consumer:
    stream = next((t for r, t in relations if r == "of"), None)
    if stream is None:
        raise BackendError("InvalidArgumentException", "A consumer is registered with a stream: `a consumer of \"s\"`.")
    if stream.deleted:
        raise BackendError("ResourceNotFoundException", f"Stream {stream.name} under account 123456789012 not found.")
    limit = world.settings.get("stream consumer limit", MAX_CONSUMERS)
    if len([c for c in world.of_kind("consumer") if c.stream is stream and not c.deleted]) >= limit:
        raise BackendError("LimitExceededException", f"Stream {stream.name} already has {limit} registered consumers.")
    return Consumer(world.new_id("consumer"), label, stream)


def _count_consumers(world, target) -> int:
    return len([c for c in world.of_kind("consumer") if c.stream is target and not c.deleted])


def install(world) -> None:
    world.creators["consumer"] = register_consumer
    world.counters[("consumer", "of")] = _count_consumers
