"""The words of Athena, Glue and EMR in the reference model: kinds and settings (behaviour: the other modules)."""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

IAM = Attribute("iam permission", "boolean", settable=True, aliases=("identity permission",),
                description="the caller's identity-based IAM policy allows the action (true by default)")

S3_BUCKET = Kind(
    name="s3 bucket",
    capability="athena",
    description="an S3 bucket holding data that Athena queries and Glue crawls",
    attributes=(
        Attribute("bucket name", "text", settable=True, aliases=("name",)),
        Attribute("bucket policy", "text", settable=True, aliases=("policy",),
                  description="allow (grants the caller read access) or deny (an explicit deny of s3:GetObject to the caller)"),
    ),
    actions=(Action("create", "created", creates=True),
             Action("update", "updated", params=("bucket policy",))),
)

S3_DATASET = Kind(
    name="s3 dataset",
    aliases=("dataset",),
    capability="athena",
    description="data files under one S3 prefix: a format, a compression, maybe partitions",
    attributes=(
        Attribute("location", "text", settable=True, description="s3://<bucket>/<prefix>/: where the files are"),
        Attribute("format", "text", settable=True, aliases=("file format",),
                  description="csv (the default), json, avro (row formats), parquet or orc (columnar)"),
        Attribute("compression", "text", settable=True, description="none (the default), gzip, snappy, zstd, bzip2"),
        Attribute("size", "quantity", dimension="size", settable=True, integer=False, aliases=("data size", "raw size"),
                  description="the data, uncompressed, as CSV text"),
        Attribute("stored size", "quantity", dimension="size", integer=False,
                  description="the bytes of its files in S3: smaller when compressed or columnar"),
        Attribute("column count", "number", settable=True, aliases=("columns",), description="10 by default"),
        Attribute("partition count", "number", settable=True, aliases=("partitions",),
                  description="how many partitions (e.g. one per day) its files are split into: 1 = not partitioned"),
        Attribute("columnar", "boolean", description="stored column by column (Parquet, ORC)"),
        Attribute("compressed", "boolean"),
        Attribute("partitioned", "boolean"),
    ),
    actions=(Action("create", "created", creates=True),),
    relations=(Relation("", "in", "s3 bucket", description="the bucket its files are in"),),
)

ATHENA_QUERY = Kind(
    name="athena query",
    aliases=("query",),
    plurals=("athena queries", "queries"),
    capability="athena",
    description="an SQL query Athena runs over data in S3 (a dataset, or a table of the data catalog)",
    states=(State("queued", stable=False), State("running", stable=False),
            State("succeeded"), State("failed")),
    attributes=(
        Attribute("state", "text", aliases=("status",)),
        Attribute("sql", "text", settable=True, aliases=("query string",), description="SELECT * FROM <table> by default"),
        Attribute("columns read", "number", settable=True, description="columns the query reads (all by default)"),
        Attribute("partitions read", "number", settable=True,
                  description="partitions its WHERE clause keeps (all by default)"),
        IAM,
        Attribute("bytes scanned", "quantity", dimension="size", integer=False, aliases=("data scanned",),
                  description="the bytes Athena read from S3 for it"),
        Attribute("billed bytes", "quantity", dimension="size", integer=False, capability="billing",
                  description="the scan billed: rounded up to a whole MB, at least 10 MB"),
        Attribute("cost", "number", integer=False, capability="billing", aliases=("charge", "price"),
                  description="USD billed for it: $5 per TB of billed bytes; none under provisioned capacity"),
        Attribute("state reason", "text", aliases=("error", "state reason message"), description="why it failed, if it did"),
    ),
    actions=(Action("run", "run", creates=True, result="succeeded"),
             Action("start", "started", creates=True, result="succeeded")),
    relations=(Relation("run", "on", "s3 dataset", description="the data it queries"),
               Relation("run", "on", "glue table", description="the catalog table it queries")),
)

DATA_CATALOG = Kind(
    name="data catalog",
    aliases=("glue data catalog",),
    capability="glue",
    description="the account's AWS Glue Data Catalog in us-east-1 (AwsDataCatalog): naming one names the same catalog",
    attributes=(
        Attribute("catalog name", "text", aliases=("name",)),
        Attribute("table count", "number", aliases=("tables",), description="the tables in it"),
        Attribute("athena charges", "number", integer=False, capability="billing",
                  description="USD Athena has billed the account: scans of its queries, or provisioned capacity"),
    ),
    actions=(Action("create", "created", creates=True),),
)

GLUE_TABLE = Kind(
    name="glue table",
    capability="glue",
    description="a table of the data catalog: the schema and location of a dataset",
    attributes=(
        Attribute("table name", "text", settable=True, aliases=("name",),
                  description="its name in the catalog (its own name by default; for a crawled table, the prefix's)"),
        Attribute("format", "text", aliases=("classification",), description="the format of its data"),
        Attribute("location", "text"),
        Attribute("column count", "number", aliases=("columns",)),
        Attribute("partition count", "number", aliases=("partitions",)),
    ),
    actions=(Action("create", "created", creates=True),),
    relations=(Relation("", "on", "s3 dataset", description="the data it describes"),
               Relation("", "in", "data catalog", description="the catalog it is in")),
)

GLUE_CRAWLER = Kind(
    name="glue crawler",
    aliases=("crawler",),
    capability="glue",
    description="crawls a data store and writes tables for what it finds into the data catalog",
    states=(State("ready"), State("running", stable=False), State("stopping", stable=False)),
    attributes=(
        Attribute("state", "text"),
        Attribute("last crawl status", "text", aliases=("last crawl",), description="SUCCEEDED or FAILED, none before its first run"),
        Attribute("tables created", "number", description="tables its last run added to the catalog"),
        IAM,
    ),
    actions=(Action("create", "created", creates=True, result="ready"),
             Action("run", "run", from_states=("ready",), result="ready")),
    relations=(Relation("", "on", "s3 dataset", description="the data store it crawls"),),
)

GLUE_JOB = Kind(
    name="glue job",
    aliases=("etl job",),
    capability="glue",
    description="a serverless Spark ETL job: reads a dataset, transforms it, writes another",
    states=(State("ready"), State("starting", stable=False), State("running", stable=False), State("stopping", stable=False)),
    attributes=(
        Attribute("state", "text"),
        Attribute("output format", "text", settable=True, description="the format it writes (its source's by default)"),
        Attribute("output compression", "text", settable=True,
                  description="the compression it writes (snappy for parquet and orc, else none, by default)"),
        Attribute("output partition count", "number", settable=True, aliases=("output partitions",),
                  description="partitions it writes (1 by default)"),
        Attribute("last run state", "text", description="SUCCEEDED or FAILED, none before its first run"),
        Attribute("bytes written", "quantity", dimension="size", integer=False),
    ),
    actions=(Action("create", "created", creates=True, result="ready"),
             Action("run", "run", from_states=("ready",), result="ready")),
    relations=(Relation("", "from", "s3 dataset", description="its source"),
               Relation("", "into", "s3 dataset", description="its target")),
)

EMR_CLUSTER = Kind(
    name="emr cluster",
    capability="emr",
    description="an Amazon EMR cluster in the default VPC: a primary node and core nodes, with applications",
    states=(State("starting", stable=False), State("bootstrapping", stable=False), State("waiting"),
            State("terminating", stable=False), State("terminated")),
    attributes=(
        Attribute("state", "text"),
        Attribute("cluster id", "text", aliases=("id",)),
        Attribute("applications", "text", settable=True, aliases=("apps",),
                  description="comma-separated: Hadoop is always there; Spark, HBase, Presto, Flink, Hive, ..."),
        Attribute("release label", "text", settable=True, description="emr-7.1.0 by default"),
        Attribute("availability zones", "text", settable=True, aliases=("zones", "subnets"),
                  description="the zones it may use, comma-separated (us-east-1a by default)"),
        Attribute("instance fleets", "boolean", settable=True,
                  description="configured with instance fleets (several zones allowed) rather than instance groups"),
        Attribute("instance count", "number", settable=True, description="its EC2 instances: 1 primary and the core ones (3 by default)"),
        Attribute("availability zone", "text", aliases=("zone", "az"), description="the one zone all its instances run in"),
        Attribute("zone count", "number", description="how many zones its instances are spread over"),
        Attribute("vpc id", "text", aliases=("vpc",), description="the VPC it runs in"),
    ),
    actions=(Action("create", "created", creates=True, result="waiting"),
             Action("launch", "launched", creates=True, result="waiting"),
             Action("terminate", "terminated", from_states=("waiting",), result="terminated")),
)

SETTINGS = (
    Setting("athena capacity mode", "text", default="on-demand", capability="billing",
            description="on-demand (the notes: pay per query, by bytes scanned) or provisioned (AWS today: DPU-hours, queries or not)"),
    Setting("athena provisioned dpus", "number", default=24, capability="billing",
            description="the DPUs of the provisioned capacity (24 by default; 4 at least)"),
)

VOCABULARY = (S3_BUCKET, S3_DATASET, ATHENA_QUERY, DATA_CATALOG, GLUE_TABLE, GLUE_CRAWLER, GLUE_JOB, EMR_CLUSTER) + SETTINGS
