"""Kinesis Data Firehose and Kinesis Data Analytics: where records go.

Sources: specs/notes/aws-architecture-notes.md, "Kinesis Data Firehose" and "Kinesis
Data Analytics"; AWS's Amazon Data Firehose developer guide, "Choose
source and destination for your Firehose stream" (Direct PUT or a Kinesis data stream as
source; destinations S3, Redshift, OpenSearch/Elasticsearch, OpenSearch Serverless, Splunk,
HTTP endpoints, Snowflake, Apache Iceberg tables) and "Configure buffering hints" (delivery
when the buffer interval, 300 s by default, or the buffer size, 5 MiB by default, is
reached first); the Firehose API reference (CreateDeliveryStream; PutRecord: a data blob of
at most 1,000 KiB, and a stream whose source is a Kinesis data stream takes no direct puts); the Kinesis Data Analytics for SQL
Applications developer guide (one streaming source, a data stream or a Firehose stream;
outputs to data streams, Firehose streams or Lambda; discontinued: no new SQL applications
from 15 October 2025).

Records flow by the world event ``"kinesis record"`` (container, entry), emitted when a data
stream stores a record or a delivery stream buffers one: delivery streams that read that
data stream, and running applications that read that container, take it.

Decisions where the notes and AWS differ (the model follows the notes; a setting gives AWS today):
- SQL applications can be created (`kinesis analytics sql applications`: false is AWS today);
- an analytics application writes to S3, Redshift and Elasticsearch directly
  (`kinesis analytics direct outputs`: false is AWS today, where only data streams, Firehose
  streams and Lambda functions are outputs).
A destination Firehose never had (DynamoDB, RDS, SQS, EFS) is refused with
InvalidArgumentException (the API has no such destination: AWS's SDKs refuse it before any
call, so specs claim only `it fails`). Unknown codes the model answers are marked as such.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from .kinds import BUFFER_INTERVAL, BUFFER_SIZE, DIRECT_OUTPUTS, FIREHOSE_DESTINATIONS, MAX_FIREHOSE_RECORD, MAX_HOPS
from .streams import Entry, Stream, name_of


class DeliveryStream(Resource):
    kind = "firehose delivery stream"

    def __init__(self, id: str, label: str, destination: str, source):
        super().__init__(id, label)
        self.name = name_of(label)
        self.destination = destination
        self.source = source  # a data stream, or None for Direct PUT
        self.buffer: list = []
        self.delivered = 0
        self.deleted = False

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "delete":
            self.deleted = True
            return ("deleting",)
        return super().act(world, action, target, params)  # pragma: no cover

    CREATION = ("creating",)

    def relations(self, world) -> frozenset:
        return frozenset({("sourced from", self.source)}) if self.source is not None else frozenset()

    def take(self, world, entry) -> None:
        """Buffer a record; deliver at once when the buffer reaches its size."""
        entry.delivered = False
        self.buffer.append(entry)
        world.emit("kinesis record", self, entry)
        if sum(e.size for e in self.buffer) >= BUFFER_SIZE:
            self.flush()

    def flush(self) -> None:
        for e in self.buffer:
            e.delivered = True
        self.delivered += len(self.buffer)
        self.buffer = []

    ATTRIBUTES = {
        "state": lambda w, d: "active",
        "destination": lambda w, d: d.destination,
        "source": lambda w, d: "KinesisStreamAsSource" if d.source is not None else "DirectPut",
        "records delivered": lambda w, d: d.delivered,
        "buffer interval": lambda w, d: BUFFER_INTERVAL,
        "buffer size": lambda w, d: BUFFER_SIZE,
    }


def create_firehose(world, label: str, params: Mapping[str, Any], relations) -> DeliveryStream:
    destination = params.get("destination", "s3")
    if destination not in FIREHOSE_DESTINATIONS:
        raise BackendError("InvalidArgumentException", f"Firehose does not deliver to {destination}.")  # the model's code, see docstring
    source = next((t for r, t in relations if r == "sourced from"), None)
    if source is not None and source.deleted:
        raise BackendError("InvalidArgumentException", f"The source stream {source.name} does not exist.")
    name = name_of(label)
    if any(d.name == name and not d.deleted for d in world.of_kind("firehose delivery stream")):
        raise BackendError("ResourceInUseException", f"Firehose {name} under account 123456789012 already exists.")
    return DeliveryStream(world.new_id("firehose"), label, destination, source)


def direct_put(world, firehose: DeliveryStream, entry) -> None:
    if firehose.deleted:
        raise BackendError("ResourceNotFoundException", f"Firehose {firehose.name} under account 123456789012 not found.")
    if firehose.source is not None:
        raise BackendError("InvalidArgumentException",
                           "This operation is not permitted on KinesisStreamAsSource delivery stream type.")
    if entry.size > MAX_FIREHOSE_RECORD:
        raise BackendError("InvalidArgumentException", f"A Firehose record is at most 1,000 KiB, not {entry.size} bytes.")
    entry.at = world.now
    firehose.take(world, entry)


# ---------------------------------------------------------------- Data Analytics
class Application(Resource):
    kind = "analytics application"

    def __init__(self, id: str, label: str, runtime: str, destination: str | None, sources, outputs):
        super().__init__(id, label)
        self.runtime = runtime
        self.destination = destination
        self.sources = sources
        self.outputs = outputs
        self.state = "ready"
        self.processed = 0
        self.delivered = 0
        self.deleted = False

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "delete":
            self.deleted = True
            return ()
        if action == "start":
            if self.state != "ready":
                raise BackendError("ResourceInUseException", f"Application {self.label} is {self.state.upper()}.")
            if not self.sources:
                raise BackendError("InvalidApplicationConfigurationException", "The application has no streaming source to start with.")
            self.state = "running"
            return ("starting",)
        if action == "stop":
            if self.state != "running":
                raise BackendError("ResourceInUseException", f"Application {self.label} is {self.state.upper()}.")
            self.state = "ready"
            return ("stopping",)
        return super().act(world, action, target, params)  # pragma: no cover

    def relations(self, world) -> frozenset:
        return frozenset([("sourced from" if isinstance(s, Stream) else "fed from", s) for s in self.sources]
                         + [("writing to" if isinstance(o, Stream) else "delivering to", o) for o in self.outputs])

    def process(self, world, entry) -> None:
        self.processed += 1
        if self.destination is not None:
            self.delivered += 1
        hops = entry.hops + 1
        if hops > MAX_HOPS:
            return
        for out in self.outputs:
            result = Entry(0, world.now, entry.size, entry.key)
            result.hops = hops
            if isinstance(out, Stream):
                out.store(world, result, throttle=False)
            elif not out.deleted and out.source is None:
                out.take(world, result)

    ATTRIBUTES = {
        "state": lambda w, a: a.state,
        "runtime": lambda w, a: a.runtime,
        "destination": lambda w, a: a.destination,
        "records processed": lambda w, a: a.processed,
        "records delivered": lambda w, a: a.delivered,
    }


def create_application(world, label: str, params: Mapping[str, Any], relations) -> Application:
    runtime = params.get("runtime", "sql")
    if runtime == "sql" and not world.settings["kinesis analytics sql applications"]:
        # AWS documents the end of SQL applications, not the error; UnsupportedOperationException is the model's
        raise BackendError("UnsupportedOperationException",
                           "Kinesis Data Analytics for SQL applications is discontinued: use Managed Service for Apache Flink.")
    destination = params.get("destination")
    sources = [t for r, t in relations if r in ("sourced from", "fed from")]
    outputs = [t for r, t in relations if r in ("writing to", "delivering to")]
    if destination is not None and destination not in ("lambda",) + DIRECT_OUTPUTS:
        raise BackendError("InvalidArgumentException", f"An analytics application does not write to {destination}.")
    if destination in DIRECT_OUTPUTS and not world.settings["kinesis analytics direct outputs"]:
        raise BackendError("InvalidArgumentException",
                           f"An application writes to {destination} through a Firehose delivery stream, not directly.")
    if runtime == "sql" and len(sources) > 1:
        raise BackendError("InvalidArgumentException", "A SQL application has one streaming source.")
    if any(o in sources for o in outputs):
        raise BackendError("InvalidArgumentException", "An application cannot write into its own streaming source.")
    return Application(world.new_id("app"), label, runtime, destination, sources, outputs)


# ---------------------------------------------------------------- the flow of records
def _on_record(world, container, entry) -> None:
    """A record arrived in a data stream or a Firehose stream: its readers take it (neither makes a reader: no
    copy of the world's index of them, once per record)."""
    for fh in world.of_kind_view("firehose delivery stream"):
        if fh.source is container and not fh.deleted:
            copy = type(entry)(0, world.now, entry.size, entry.key)
            copy.hops = entry.hops
            fh.take(world, copy)
    for app in world.of_kind_view("analytics application"):
        if container in app.sources and app.state == "running" and not app.deleted:
            app.process(world, entry)


def _on_tick(world, start: float, end: float) -> None:
    for fh in world.of_kind("firehose delivery stream"):
        if fh.buffer and end - fh.buffer[0].at >= BUFFER_INTERVAL:
            fh.flush()


def install(world) -> None:
    world.creators["firehose delivery stream"] = create_firehose
    world.creators["analytics application"] = create_application
    world.on("kinesis record", _on_record)
    world.on("tick", _on_tick)
