"""What invokes a Lambda function: triggers (pushed events), event source mappings (polled
events), dead-letter queues, and the CloudWatch metrics Lambda reports.

Sources: specs/notes/aws-architecture-notes.md, "AWS Lambda": "Supported AWS event
sources include", "Services that Lambda reads events from", "Dead Letter Queue (DLQ)",
"Operations and Monitoring"; AWS Lambda developer guide, "Using AWS Lambda with other
services" (which services invoke synchronously, which asynchronously, which Lambda
reads through an event source mapping), "Lambda event source mappings" (batch size:
1 to 10,000; 100 by default for Kinesis and DynamoDB streams, 10 for SQS),
"Asynchronous invocation" (dead-letter queues), "Monitoring functions" and "Types of
metrics for Lambda functions" (Invocations, Errors, Throttles, Duration in
milliseconds, ConcurrentExecutions, in the AWS/Lambda namespace);
CreateEventSourceMapping API reference.

Decisions:

- A `trigger` is a service that pushes events to a function (S3, SNS, API Gateway, …);
  `when "t" is fired` is one event: an invocation of the function, synchronous or
  asynchronous as the developer guide lists for that service. The services are an
  enum of the trigger, not kinds, so that other parts own their own kinds; they could
  later become relations to those kinds (`on "bucket"`).
- An `event source mapping` is Lambda polling a stream or queue: Kinesis, DynamoDB
  streams and SQS (the notes' three), and Amazon MQ, Amazon MSK, self-managed Kafka and
  DocumentDB as AWS lists today. Its backlog is the `records` it has to read, or the
  messages of the `sqs queue` it is `from`. When time begins to pass, Lambda reads the
  backlog in batches of the batch size and invokes the function synchronously once per
  batch, as far as concurrency allows; what is left is read as soon as an invocation
  ends. A batch is taken off the backlog when it is handed to the function (failed
  batches are not retried here).
- A mapping may also be `from` a real `kinesis stream` or `dynamodb stream` of the other
  parts: its backlog is then the stream's records after its position, which starts at
  the `starting position` (required for streams, as CreateEventSourceMapping says:
  `latest` reads only what comes after the mapping, `trim horizon` everything the stream
  still keeps). Records the stream drops at the end of its retention before Lambda reads
  them are lost to the function, as on AWS.
- A `dead-letter queue` (an SQS queue `of` a function) receives one message for each
  asynchronous event Lambda discards: all attempts failed, the event expired, or
  reserved concurrency 0 stopped it.
- A `cloudwatch metric` of a function is a metric Lambda publishes in AWS/Lambda; its
  `sum` is the sum of the datapoints so far (ConcurrentExecutions: the value now).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import ACCOUNT, REGION
from .function import constraint
from .invocations import invoke, metric
from .kinds import BATCH_MAX, BATCH_MIN, NAMESPACE, POLLED_SOURCES, PUSH_SOURCES, STREAMS, SYNCHRONOUS


class Trigger(Resource):
    kind = "trigger"

    def __init__(self, id, label, source, function):
        super().__init__(id, label)
        self.source = source
        self.function = function

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        invoke(world, self.function, PUSH_SOURCES[self.source])
        return ()

    def relations(self, world) -> frozenset:
        return frozenset({("on", self.function)})

    ATTRIBUTES = {
        "source": lambda w, t: t.source,
        "invocation type": lambda w, t: PUSH_SOURCES[t.source],
        "polled": lambda w, t: False,
    }


class Mapping_(Resource):
    kind = "event source mapping"

    def __init__(self, id, label, source, batch, records, function, queue, stream=None, start=None, world=None):
        super().__init__(id, label)
        self.source = source
        self.batch = batch
        self.records = records
        self.function = function
        self.queue = queue
        self.stream = stream
        self.start = start
        self.position = -1  # the sequence number of the last stream record read; -1: before them all
        if stream is not None and start == "latest":
            kept = self._kept(world)
            self.position = kept[-1].seq if kept else -1

    CREATION = ("creating",)

    def _kept(self, world) -> list:
        return STREAMS[self.stream.kind][1](world, self.stream)

    def _unread(self, world) -> list:
        return [r for r in self._kept(world) if r.seq > self.position]

    def backlog(self, world) -> int:
        if self.stream is not None:
            return len(self._unread(world))
        return self.queue.messages if self.queue is not None else self.records

    def take(self, world, n: int) -> None:
        if self.stream is not None:
            self.position = self._unread(world)[n - 1].seq
        elif self.queue is not None:
            self.queue.messages -= n
        else:
            self.records -= n

    def relations(self, world) -> frozenset:
        rels = {("to", self.function)}
        if self.queue is not None:
            rels.add(("from", self.queue))
        if self.stream is not None:
            rels.add(("from", self.stream))
        return frozenset(rels)

    ATTRIBUTES = {
        "state": lambda w, m: "enabled",
        "source": lambda w, m: m.source,
        "batch size": lambda w, m: m.batch,
        "records": lambda w, m: m.backlog(w),
        "invocation type": lambda w, m: SYNCHRONOUS,
        "polled": lambda w, m: True,
        "starting position": lambda w, m: m.start,
    }


class Queue(Resource):
    kind = "sqs queue"

    def __init__(self, id, label, messages, function):
        super().__init__(id, label)
        self.messages = messages
        self.function = function  # the function it is the dead-letter queue of

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.function)} if self.function is not None else ())

    ATTRIBUTES = {
        "message count": lambda w, q: q.messages,
        "queue arn": lambda w, q: f"arn:aws:sqs:{REGION}:{ACCOUNT}:{q.id}",
    }


class Metric(Resource):
    kind = "cloudwatch metric"

    def __init__(self, id, label, name, function):
        super().__init__(id, label)
        self.name = name
        self.function = function

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.function)})

    ATTRIBUTES = {
        "metric name": lambda w, m: m.name,
        "namespace": lambda w, m: NAMESPACE,
        "sum": lambda w, m: metric(w, m.function, m.name),
    }


def _related(relations, name):
    return next((t for r, t in relations if r == name), None)


def create_trigger(world, label, params, relations) -> Trigger:
    function = _related(relations, "on")
    if function is None or "source" not in params:
        raise BackendError("ReferenceModel.MissingParameter", "A trigger has a source and is `on` a lambda function.")
    return Trigger(world.new_id("trigger"), label, params["source"], function)


def create_mapping(world, label, params, relations) -> Mapping_:
    function, origin = _related(relations, "to"), _related(relations, "from")
    if function is None:
        raise BackendError("InvalidParameterValueException", "An event source mapping needs a FunctionName.")
    stream = origin if getattr(origin, "kind", None) in STREAMS else None
    queue = origin if stream is None else None
    own = STREAMS[stream.kind][0] if stream is not None else "sqs" if queue is not None else None
    source = params.get("source", own)
    if source is None:
        raise BackendError("InvalidParameterValueException", "An event source mapping needs an EventSourceArn.")
    if own is not None and source != own:
        raise BackendError("InvalidParameterValueException", f"{origin.label} is not a {source} event source.")
    start = params.get("starting position")
    if stream is not None:
        if start is None:
            raise BackendError("InvalidParameterValueException",
                               "StartingPosition is required for a Kinesis or DynamoDB stream event source.")
        if getattr(stream, "deleted", False):
            raise BackendError("InvalidParameterValueException", f"The stream of {stream.label} does not exist.")
        if params.get("records") is not None:
            raise BackendError("ReferenceModel.InvalidParameter", "The records of a stream are the stream's own: put them into it.")
    elif start is not None:
        raise BackendError("InvalidParameterValueException", "StartingPosition is only for stream event sources.")
    batch = params.get("batch size", POLLED_SOURCES[source])
    constraint(batch, "batchSize", BATCH_MIN, BATCH_MAX)
    return Mapping_(world.new_id("esm"), label, source, batch, params.get("records", 0), function, queue,
                    stream, start, world)


def create_queue(world, label, params, relations) -> Queue:
    return Queue(world.new_id("queue"), label, params.get("message count", 0), _related(relations, "of"))


def select_metric(world, label, params, relations) -> Metric:
    function = _related(relations, "of")
    if function is None or "metric name" not in params:
        raise BackendError("InvalidParameterValue", "A metric has a metric name and is `of` a lambda function.")
    return Metric(world.new_id("metric"), label, params["metric name"], function)


def _on_poll(world) -> None:
    for m in world.of_kind("event source mapping"):
        while m.backlog(world) > 0 and not m.function.deleted:
            batch = min(m.batch, m.backlog(world))
            try:
                invoke(world, m.function, SYNCHRONOUS)
            except BackendError:  # throttled: the rest waits for the next poll
                break
            m.take(world, batch)


def _on_discarded(world, invocation) -> None:
    for q in world.of_kind("sqs queue"):
        if q.function is invocation.function:
            q.messages += 1


def install(world) -> None:
    world.creators["trigger"] = create_trigger
    world.creators["event source mapping"] = create_mapping
    world.creators["sqs queue"] = create_queue
    world.creators["cloudwatch metric"] = select_metric
    world.on("lambda poll", _on_poll)
    world.on("lambda discarded", _on_discarded)
