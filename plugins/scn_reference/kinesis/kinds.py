"""The words of Kinesis in the reference model: kinds, settings, and the limits and tables they state.

Data streams, shards and records (behaviour: :mod:`.streams`, :mod:`.records`); consumers
(:mod:`.consumers`); Firehose and Data Analytics (:mod:`.delivery`); Video Streams (:mod:`.video`).
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

# ---------------------------------------------------------------- data streams
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
        Action("extend", "extended", from_states=("active",), result="active", params=("retention period",), direction="up",
               description="IncreaseStreamRetentionPeriod: a longer retention period"),
        Action("shorten", "shortened", from_states=("active",), result="active", params=("retention period",), direction="down",
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

STREAM_SETTINGS = (
    Setting("kinesis shard limit", "number", default=SHARD_LIMIT, capability="limits", aliases=("shard limit", "kinesis shard quota"),
            description="the open shards an account's data streams may have together (notes: 500; AWS today: 20,000 in us-east-1)"),
    Setting("on-demand stream limit", "number", default=ON_DEMAND_STREAMS, capability="limits",
            description="the on-demand data streams an account may have (AWS: 50 by default)"),
    Setting("stream retention limit", "quantity", dimension="duration", default=RETENTION_LIMIT, capability="limits",
            description="the longest retention period of a data stream (notes: 7 days; AWS today: 365 days)"),
    Setting("kinesis max record size", "quantity", dimension="size", default=MAX_RECORD_BYTES, capability="kinesis",
            description="the largest record a data stream takes: 1 MiB by default; AWS today: up to 10 MiB once raised "
                        "with UpdateMaxRecordSize (CreateStream's MaxRecordSizeInKiB, 1,024 to 10,240)"),
    Setting("stream consumer limit", "number", default=20, capability="limits",
            description="registered (enhanced fan-out) consumers per stream: 20 for Provisioned and On-demand Standard "
                        "streams; AWS today: 50 for On-demand Advantage streams (RegisterStreamConsumer)"),
)

# ---------------------------------------------------------------- consumers
MAX_CONSUMERS = 20  # registered (enhanced fan-out) consumers per stream

CONSUMER = Kind(
    name="consumer",
    capability="kinesis",
    description="an application that reads a data stream's records (RegisterStreamConsumer, GetRecords)",
    states=(State("creating", stable=False), State("active")),
    attributes=(
        Attribute("state", "text", aliases=("status", "consumer status"), description="creating or active"),
        Attribute("records received", "number", aliases=("records read",),
                  description="the records it has read from its stream so far"),
    ),
    actions=(
        Action("register", "registered", creates=True, result="active", description="RegisterStreamConsumer"),
        Action("deregister", "deregistered", deletes=True, description="DeregisterStreamConsumer"),
        Action("poll", "polled", from_states=("active",), result="active",
               description="GetRecords on every shard: the records added since its last poll that are still retained"),
    ),
    relations=(Relation("", "of", "kinesis stream", description="registered with a data stream"),),
)

# ---------------------------------------------------------------- Firehose and Data Analytics
FIREHOSE_DESTINATIONS = ("s3", "redshift", "elasticsearch", "splunk",  # the notes
                         "opensearch", "opensearch serverless", "http endpoint", "snowflake", "iceberg")  # AWS today too
NOT_FIREHOSE_DESTINATIONS = ("dynamodb", "rds", "sqs", "efs")  # never destinations of Firehose
BUFFER_INTERVAL = 300  # seconds, the default buffering hint
BUFFER_SIZE = 5 * 1024 * 1024  # bytes, the default buffering hint
MAX_FIREHOSE_RECORD = 1000 * 1024  # bytes: "a data blob that can be up to 1,000 KiB" (Firehose PutRecord)
RUNTIMES = ("sql", "flink")
DIRECT_OUTPUTS = ("s3", "redshift", "elasticsearch")  # notes: an analytics application writes to them itself
ANALYTICS_DESTINATIONS = DIRECT_OUTPUTS + ("lambda", "dynamodb", "splunk")
MAX_HOPS = 8  # an analytics application writing into a stream another one reads: stop runaway loops

FIREHOSE = Kind(
    name="firehose delivery stream",
    aliases=("delivery stream", "firehose"),
    capability="kinesis",
    description="a Kinesis Data Firehose delivery stream: buffers records and delivers them to a destination",
    states=(State("creating", stable=False), State("active"), State("deleting", stable=False)),
    attributes=(
        Attribute("state", "text", aliases=("status",), description="creating or active"),
        Attribute("destination", "enum", values=FIREHOSE_DESTINATIONS + NOT_FIREHOSE_DESTINATIONS, settable=True,
                  description="where it delivers: s3 (the model's default), redshift, elasticsearch, splunk, or a newer one"),
        Attribute("source", "text", aliases=("delivery stream type",),
                  description="DirectPut, or KinesisStreamAsSource when it reads a data stream"),
        Attribute("records delivered", "number", description="the records it has delivered to its destination"),
        Attribute("buffer interval", "quantity", dimension="duration", description="how long it buffers before delivering (300 s)"),
        Attribute("buffer size", "quantity", dimension="size", description="how much it buffers before delivering (5 MB)"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active", description="CreateDeliveryStream"),
        Action("delete", "deleted", deletes=True, description="DeleteDeliveryStream"),
    ),
    relations=(Relation("sourced", "from", "kinesis stream", description="reads a data stream (KinesisStreamAsSource)"),),
)

ANALYTICS = Kind(
    name="analytics application",
    aliases=("kinesis analytics application",),
    capability="kinesis",
    description="a Kinesis Data Analytics application: SQL (or Flink) over a data stream or a Firehose stream",
    states=(State("ready"), State("starting", stable=False), State("running"), State("stopping", stable=False)),
    attributes=(
        Attribute("state", "text", aliases=("status",), description="ready, starting, running or stopping"),
        Attribute("runtime", "enum", values=RUNTIMES, settable=True, description="sql (the notes' standard SQL, the default) or flink"),
        Attribute("destination", "enum", values=ANALYTICS_DESTINATIONS, settable=True,
                  description="a service it writes its results to itself (besides streams it writes to)"),
        Attribute("records processed", "number", description="the source records it has processed"),
        Attribute("records delivered", "number", description="the results it has written to its destination"),
    ),
    actions=(
        Action("create", "created", creates=True, result="ready", description="CreateApplication"),
        Action("start", "started", from_states=("ready",), result="running", description="StartApplication"),
        Action("stop", "stopped", from_states=("running",), result="ready", description="StopApplication"),
        Action("delete", "deleted", deletes=True, description="DeleteApplication"),
    ),
    relations=(
        Relation("sourced", "from", "kinesis stream", description="its streaming source is a data stream"),
        Relation("fed", "from", "firehose delivery stream", description="its streaming source is a Firehose stream"),
        Relation("writing", "to", "kinesis stream", description="an output: a data stream"),
        Relation("delivering", "to", "firehose delivery stream", description="an output: a Firehose stream"),
    ),
)

DELIVERY_SETTINGS = (
    Setting("kinesis analytics sql applications", "boolean", default=True, capability="kinesis",
            description="new Kinesis Data Analytics SQL applications can be created (false: AWS since 15 October 2025)"),
    Setting("kinesis analytics direct outputs", "boolean", default=True, capability="kinesis",
            description="an analytics application writes to S3, Redshift and Elasticsearch itself (notes; false: AWS, through Firehose only)"),
)

# ---------------------------------------------------------------- Video Streams
VIDEO_RETENTION = 24 * HOUR  # notes; AWS today 0 (setting `video stream retention`)
VIDEO_RETENTION_LIMIT = 7 * 24 * HOUR  # notes; AWS today 87,600 hours (setting `video stream retention limit`)

VIDEO = Kind(
    name="video stream",
    aliases=("kinesis video stream",),
    capability="kinesis",
    description="a Kinesis video stream: media fragments kept for its data retention period",
    states=(State("creating", stable=False), State("active")),
    attributes=(
        Attribute("state", "text", aliases=("status",), description="creating or active"),
        Attribute("retention period", "quantity", dimension="duration", settable=True,
                  aliases=("retention", "data retention", "data retention period"),
                  description="how long it keeps media (notes: 24 hours by default, up to 7 days)"),
        Attribute("persistent", "boolean", description="it keeps media: its retention period is above 0 hours"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active", description="CreateStream"),
        Action("delete", "deleted", deletes=True, description="DeleteStream"),
        Action("extend", "extended", from_states=("active",), result="active", params=("retention period",), direction="up",
               description="UpdateDataRetention, INCREASE_DATA_RETENTION"),
        Action("shorten", "shortened", from_states=("active",), result="active", params=("retention period",), direction="down",
               description="UpdateDataRetention, DECREASE_DATA_RETENTION"),
    ),
)

VIDEO_SETTINGS = (
    Setting("video stream retention", "quantity", dimension="duration", default=VIDEO_RETENTION, capability="kinesis",
            description="the retention period of a new video stream that names none (notes: 24 hours; AWS today: 0)"),
    Setting("video stream retention limit", "quantity", dimension="duration", default=VIDEO_RETENTION_LIMIT, capability="limits",
            description="the longest retention period of a video stream (notes: 7 days; AWS today: 87,600 hours)"),
)

VOCABULARY = ((STREAM, SHARD, RECORD) + STREAM_SETTINGS + (CONSUMER,) + (FIREHOSE, ANALYTICS) + DELIVERY_SETTINGS
              + (VIDEO,) + VIDEO_SETTINGS)
