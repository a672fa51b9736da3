"""DynamoDB Streams: the time-ordered log of a table's item-level changes, kept 24 hours.

Sources: specs/notes/aws-architecture-notes.md, "Dynamo DB streams"; AWS's DynamoDB
developer guide, "Change data capture for DynamoDB Streams" (each item modification
appears exactly once, in the order of the modifications of that item; records are
kept 24 hours, older ones are removed, "trimmed"; one stream per table;
StreamViewType KEYS_ONLY | NEW_IMAGE | OLD_IMAGE | NEW_AND_OLD_IMAGES); the DynamoDB
Streams API reference, GetRecords (``TrimmedDataAccessException`` when the shard
iterator points at a record already trimmed); the stream ARN format
``table/<name>/stream/<label>``, the label being the stream's creation time.

A spec reads records one at a time, as a consumer with one shard iterator that
starts at the trim horizon: `when a stream record "r" is read from "s"` gives the
next record; when there is none, nothing is read (`then "r" does not exist`).
A record is removed once it is 24 hours old (the notes' "up to 24 hours").

This module owns streams and their records; it knows tables and items only by their
attributes, so it imports nothing of the package: :mod:`.tables` calls :func:`record` on
each write. The words are in :mod:`.kinds`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from scenario.errors import BackendError

from ..model import Resource
from ..region import EPOCH

RETENTION_SECONDS = 24 * 3600
VIEW_TYPES = ("NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY")
FIRST_SEQUENCE = 100  # sequence numbers grow with each record of the stream

class Record:
    __slots__ = ("seq", "at", "event", "key", "old", "new")

    def __init__(self, seq, at, event, key, old, new):
        self.seq, self.at, self.event, self.key, self.old, self.new = seq, at, event, key, old, new


class Stream(Resource):
    kind = "dynamodb stream"

    # table: the tables.Table it streams (that module imports this one)
    def __init__(self, id: str, label: str, table: Resource, view_type: str, created_at: float) -> None:
        super().__init__(id, label)
        self.table = table
        self.view_type = view_type
        self.created_at = created_at
        self.records: list[Record] = []
        self.next_seq = FIRST_SEQUENCE
        self.cursor: int | None = None  # sequence number of the last record read; None: at the trim horizon

    @property
    def label_time(self) -> str:
        return (EPOCH + timedelta(seconds=self.created_at)).strftime("%Y-%m-%dT%H:%M:%S.000")

    def readable(self, world) -> list[Record]:
        return [r for r in self.records if world.now - r.at < RETENTION_SECONDS]

    CREATION = ("enabling",)

    def relations(self, world):
        return frozenset({("of", self.table), ("on", self.table)})

    ATTRIBUTES = {
        "state": lambda w, s: "enabled",
        "arn": lambda w, s: f"{s.table.arn}/stream/{s.label_time}",
        "stream label": lambda w, s: s.label_time,
        "view type": lambda w, s: s.view_type,
        "retention": lambda w, s: RETENTION_SECONDS,
        "record count": lambda w, s: len(s.readable(w)),
        "event names": lambda w, s: " ".join(r.event for r in s.readable(w)),
    }


class StreamRecord(Resource):
    kind = "stream record"

    def __init__(self, id, label, stream, record: Record | None):
        super().__init__(id, label)
        self.stream = stream
        self.record = record

    def exists(self, world) -> bool:
        return self.record is not None

    def relations(self, world):
        return frozenset({("read from", self.stream)}) if self.record else frozenset()

    def _image(self, which: str) -> Any:
        want = {"new": ("NEW_AND_OLD_IMAGES", "NEW_IMAGE"), "old": ("NEW_AND_OLD_IMAGES", "OLD_IMAGE")}[which]
        return getattr(self.record, which) if self.stream.view_type in want else None

    ATTRIBUTES = {
        "event name": lambda w, r: r.record and r.record.event,
        "sequence number": lambda w, r: r.record and r.record.seq,
        "item key": lambda w, r: r.record and r.record.key,
        "new value": lambda w, r: r.record and r._image("new"),
        "old value": lambda w, r: r.record and r._image("old"),
        "age": lambda w, r: r.record and w.now - r.record.at,
    }


def _table_of(relations):
    return next((t for _r, t in relations if getattr(t, "kind", None) == "dynamodb table"), None)


def create_stream(world, label, params, relations) -> Stream:
    table = _table_of(relations)
    view = params.get("view type", VIEW_TYPES[0])
    if view not in VIEW_TYPES:
        raise BackendError("ValidationException", f"1 validation error detected: Value '{view}' at 'streamSpecification.streamViewType' "
                           f"failed to satisfy constraint: Member must satisfy enum value set: [{', '.join(VIEW_TYPES)}]")
    if table is None:
        raise BackendError("ValidationException", "A stream belongs to a table: `of \"t\"`.")
    if stream_of(world, table) is not None:
        raise BackendError("ValidationException", "Table already has an enabled stream")
    return Stream(world.new_id("stream"), label, table, view, world.now)


def stream_of(world, table) -> Stream | None:
    return next((s for s in world.of_kind("dynamodb stream") if s.table is table), None)


def record(world, table, item, event: str, old, new) -> None:
    """Append the record of one item-level change to the table's stream, if it has one."""
    stream = stream_of(world, table)
    if stream is None:
        return
    stream.records.append(Record(stream.next_seq, world.now, event, item.label.split('"')[1] if '"' in item.label else item.label,
                                 None if event == "INSERT" else old, new))
    stream.next_seq += 100


def read_record(world, label, params, relations) -> StreamRecord:
    stream = next((t for _r, t in relations if isinstance(t, Stream)), None)
    if stream is None:  # GetRecords needs a ShardIterator of a stream
        raise BackendError("MissingParameter", "A stream record is read from a dynamodb stream: `read from \"s\"`.")
    readable = stream.readable(world)
    if stream.cursor is not None:
        newer = [r for r in stream.records if r.seq > stream.cursor]
        if newer and newer[0] not in readable:  # the iterator points at a record already trimmed
            raise BackendError("TrimmedDataAccessException",
                               "The operation attempted to read past the oldest stream record in a shard.")
        readable = [r for r in readable if r.seq > stream.cursor]
    rec = readable[0] if readable else None
    if rec is not None:
        stream.cursor = rec.seq
    return StreamRecord(world.new_id("record"), label, stream, rec)


def install(world) -> None:
    world.creators["dynamodb stream"] = create_stream
    world.creators["stream record"] = read_record
    world.counters[("stream record", "read from")] = lambda w, s: sum(1 for r in w.of_kind("stream record") if r.stream is s and r.record)
