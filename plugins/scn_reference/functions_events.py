"""What invokes a Lambda function: triggers (pushed events), event source mappings (polled
events), dead-letter queues, and the CloudWatch metrics Lambda reports.

Sources: ../shared/seed/aws-architecture-notes.md, "AWS Lambda": "Supported AWS event
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
from scenario.vocabulary import Action, Attribute, Kind, Relation, State

from . import functions as fn
from .model import Resource

#: a service that invokes a function itself → how it invokes it ("Using AWS Lambda with other services")
PUSH_SOURCES = {
    "s3": fn.ASYNCHRONOUS, "sns": fn.ASYNCHRONOUS, "ses": fn.ASYNCHRONOUS, "cloudformation": fn.ASYNCHRONOUS,
    "cloudwatch-logs": fn.ASYNCHRONOUS, "cloudwatch-events": fn.ASYNCHRONOUS, "eventbridge": fn.ASYNCHRONOUS,
    "codecommit": fn.ASYNCHRONOUS, "config": fn.ASYNCHRONOUS, "iot": fn.ASYNCHRONOUS,
    "cognito": fn.SYNCHRONOUS, "lex": fn.SYNCHRONOUS, "alexa": fn.SYNCHRONOUS, "api-gateway": fn.SYNCHRONOUS,
    "firehose": fn.SYNCHRONOUS,
}
#: a stream or queue Lambda reads through an event source mapping → default batch size
POLLED_SOURCES = {"kinesis": 100, "dynamodb": 100, "sqs": 10, "mq": 100, "msk": 100, "kafka": 100, "documentdb": 100}
BATCH_MIN, BATCH_MAX = 1, 10000
STARTING_POSITIONS = ("latest", "trim horizon")
#: the kind of a stream a mapping can read → its source, and how to list the records it still keeps (ordered by seq)
STREAMS = {
    "kinesis stream": ("kinesis", lambda world, stream: stream.retained(world)),
    "dynamodb stream": ("dynamodb", lambda world, stream: stream.readable(world)),
}
METRICS = ("Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions")
NAMESPACE = "AWS/Lambda"

TRIGGER = Kind(
    name="trigger",
    capability="lambda",
    description="a service that invokes a Lambda function itself when its events happen",
    attributes=(
        Attribute("source", "enum", values=tuple(PUSH_SOURCES), settable=True, aliases=("event source", "service"),
                  description="the service whose events invoke the function"),
        Attribute("invocation type", "enum", values=(fn.SYNCHRONOUS, fn.ASYNCHRONOUS),
                  description="how that service invokes the function"),
        Attribute("polled", "boolean", description="Lambda reads the events (false: the service pushes them)"),
    ),
    actions=(
        Action("create", "created", creates=True, description="the service configured to invoke the function"),
        Action("fire", "fired", description="one event of the service: it invokes the function"),
    ),
    relations=(Relation("", "on", "lambda function", description="the function it invokes"),),
)

EVENT_SOURCE_MAPPING = Kind(
    name="event source mapping",
    capability="lambda",
    description="Lambda reading a stream or queue and invoking a function with batches of records",
    states=(State("creating", stable=False), State("enabled")),
    attributes=(
        Attribute("state", "text"),
        Attribute("source", "enum", values=tuple(POLLED_SOURCES), settable=True, aliases=("event source",),
                  description="the stream or queue Lambda reads: kinesis, dynamodb, sqs (and mq, msk, kafka, documentdb)"),
        Attribute("batch size", "number", settable=True,
                  description="records per invocation at most: 1 to 10,000; 100 by default (SQS: 10)"),
        Attribute("records", "number", settable=True, aliases=("backlog",),
                  description="records waiting in the stream for Lambda to read (an SQS queue's own messages when from one)"),
        Attribute("invocation type", "enum", values=(fn.SYNCHRONOUS, fn.ASYNCHRONOUS),
                  description="how Lambda invokes the function with a batch: synchronously"),
        Attribute("polled", "boolean", description="Lambda reads the events itself"),
        Attribute("starting position", "enum", values=STARTING_POSITIONS, settable=True,
                  description="where Lambda starts reading a stream: latest (after its newest record) or trim horizon "
                              "(its oldest record still kept); required for a stream"),
    ),
    actions=(Action("create", "created", creates=True, result="enabled", description="CreateEventSourceMapping"),),
    relations=(
        Relation("", "to", "lambda function", description="the function it invokes"),
        Relation("", "from", "sqs queue", description="the SQS queue it reads"),
        Relation("", "from", "kinesis stream", description="the Kinesis data stream it reads"),
        Relation("", "from", "dynamodb stream", description="the DynamoDB stream it reads"),
    ),
)

SQS_QUEUE = Kind(
    name="sqs queue",
    aliases=("dead-letter queue", "dlq"),
    capability="lambda",
    description="an Amazon SQS queue: an event source, or a function's dead-letter queue",
    attributes=(
        Attribute("message count", "number", settable=True, aliases=("messages",),
                  description="messages in the queue"),
        Attribute("queue arn", "text", aliases=("arn",)),
    ),
    actions=(Action("create", "created", creates=True),),
    relations=(Relation("", "of", "lambda function",
                        description="the function it is the dead-letter queue of (DeadLetterConfig.TargetArn)"),),
)

METRIC = Kind(
    name="cloudwatch metric",
    aliases=("metric",),
    capability="lambda",
    description="a metric Lambda reports for a function in CloudWatch (namespace AWS/Lambda)",
    attributes=(
        Attribute("metric name", "enum", values=METRICS, settable=True,
                  description="Invocations, Errors, Throttles, Duration (milliseconds) or ConcurrentExecutions"),
        Attribute("namespace", "text"),
        Attribute("sum", "number", integer=False, aliases=("value",),
                  description="the sum of its datapoints so far (ConcurrentExecutions: its value now)"),
    ),
    actions=(Action("select", "selected", creates=True, description="GetMetricStatistics, from CloudWatch"),),
    relations=(Relation("", "of", "lambda function", description="the function whose metric it is (dimension FunctionName)"),),
)

VOCABULARY = (TRIGGER, EVENT_SOURCE_MAPPING, SQS_QUEUE, METRIC)


class Trigger(Resource):
    kind = "trigger"

    def __init__(self, id, label, source, function):
        super().__init__(id, label)
        self.source = source
        self.function = function

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        fn.invoke(world, self.function, PUSH_SOURCES[self.source])
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
        "invocation type": lambda w, m: fn.SYNCHRONOUS,
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
        "queue arn": lambda w, q: f"arn:aws:sqs:{fn.REGION}:{fn.ACCOUNT}:{q.id}",
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
        "sum": lambda w, m: fn.metric(w, m.function, m.name),
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
    fn._constraint(batch, "batchSize", BATCH_MIN, BATCH_MAX)
    return Mapping_(world.new_id("esm"), label, source, batch, params.get("records", 0), function, queue,
                    stream, start, world)


def create_queue(world, label, params, relations) -> Queue:
    return Queue(world.new_id("queue"), label, params.get("message count", 0), _related(relations, "of"))


def select_metric(world, label, params, relations) -> Metric:
    function = _related(relations, "of")
    if function is None or "metric name" not in params:
        raise BackendError("InvalidParameterValue", "A metric has a metric name and is `of` a lambda function.")
    return Metric(world.new_id("metric"), label, params["metric name"], function)


def backlog(world) -> bool:
    """Some event source mapping has records left to read."""
    return any(m.backlog(world) > 0 and not m.function.deleted for m in world.of_kind("event source mapping"))


def _on_poll(world) -> None:
    for m in world.of_kind("event source mapping"):
        while m.backlog(world) > 0 and not m.function.deleted:
            batch = min(m.batch, m.backlog(world))
            try:
                fn.invoke(world, m.function, fn.SYNCHRONOUS)
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
