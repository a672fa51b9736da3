"""Amazon Athena, AWS Glue and Amazon EMR: SQL over data in S3, a data catalog, ETL, clusters.

Source: ../shared/seed/aws-architecture-notes.md, "Amazon Athena", "AWS Glue", "Amazon
EMR". Where the notes are silent: Amazon Athena pricing ($5 per TB scanned, rounded up to
the megabyte, 10 MB minimum per query; failed queries are not charged; compressed,
partitioned and columnar data scan less), AWS News Blog "Introducing Athena Provisioned
Capacity" ($0.30 per DPU-hour; 24 DPUs at least then, 4 in the API model today, billed by the minute with a one-hour
minimum, whether queries run or not), Athena's GetQueryExecution (states QUEUED,
RUNNING, SUCCEEDED, FAILED; a query that cannot be analysed is accepted and ends FAILED
with its reason); AWS Glue Web API Reference (crawler states READY, RUNNING, STOPPING;
job run states; InvalidInputException, EntityNotFoundException); Amazon EMR API reference
(Ec2InstanceAttributes: one subnet with instance groups, several with instance fleets of
which EMR picks one and launches every instance there; cluster states STARTING,
BOOTSTRAPPING, RUNNING, WAITING, TERMINATING, TERMINATED) and the EMR release guide's
application list.

Decisions. Sizes and ratios are illustrative: a dataset's ``size`` is its data as CSV
text; its files in S3 are smaller by a factor per format (Parquet and ORC encode columns)
and per compression codec. A query reads the stored bytes of the columns it needs when the
format is columnar (all of them otherwise) and only the partitions its filter keeps. A
query may run on a dataset directly (it stands for a table defined over it by DDL) or on
a table of the data catalog. Access: the caller's IAM permission is a boolean of the
request (no IAM model here): without it Athena answers AccessDeniedException; an
explicit deny in the bucket policy makes the query fail reading S3 ("Access Denied"). The
account has one data catalog: every `data catalog` of a scenario names it. Glue jobs and
crawlers run to completion when run (the clock does not move). Error codes: the athena,
glue and emr service models (InvalidRequestException, InvalidInputException,
EntityNotFoundException); EMR refuses a bad RunJobFlow with ValidationException, which
is AWS's answer but not in botocore's model (from AWS's error responses, not verified).
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from .analytics_kinds import (ATHENA_QUERY, DATA_CATALOG, EMR_CLUSTER, GLUE_CRAWLER, GLUE_JOB, GLUE_TABLE, S3_BUCKET,
                              S3_DATASET, SETTINGS)
from .analytics_glue import install_glue
from .model import Resource

VOCABULARY = (S3_BUCKET, S3_DATASET, ATHENA_QUERY, DATA_CATALOG, GLUE_TABLE, GLUE_CRAWLER, GLUE_JOB, EMR_CLUSTER) + SETTINGS

GB, MB, TB = 1024**3, 1024**2, 1024**4
#: stored bytes per byte of CSV text (illustrative): columnar formats encode columns compactly
FORMATS = {"csv": 1.0, "json": 1.5, "avro": 0.8, "parquet": 0.5, "orc": 0.5}
COLUMNAR = ("parquet", "orc")
#: stored bytes per uncompressed byte (illustrative)
CODECS = {"none": 1.0, "gzip": 0.25, "bzip2": 0.2, "snappy": 0.4, "zstd": 0.25}
PRICE_PER_TB = 5.0
MIN_BILLED = 10 * MB
DPU_HOUR = 0.30
MIN_DPUS = 4  # TargetDpus min 4 in the athena service model (the 2023 blog post said 24)
SQL_START = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)
ACCESS_DENIED_S3 = "Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)"


def _name(label: str) -> str:
    return label.split('"')[1] if '"' in label else label.replace(" ", "-").replace("#", "")


class Bucket(Resource):
    kind = "s3 bucket"

    def __init__(self, id, label, params):
        super().__init__(id, label)
        self.name = params.get("bucket name", _name(label))
        self.policy = params.get("bucket policy", "allow")
        self._check(self.policy)

    @staticmethod
    def _check(policy):
        if policy not in ("allow", "deny"):
            raise BackendError("MalformedPolicy", f"The model's bucket policies are allow or deny, not {policy!r}")

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        self._check(params.get("bucket policy", self.policy))
        self.policy = params.get("bucket policy", self.policy)
        return ()

    ATTRIBUTES = {"bucket name": lambda w, b: b.name, "bucket policy": lambda w, b: b.policy}


class Dataset(Resource):
    kind = "s3 dataset"

    def __init__(self, id, label, params, bucket):
        super().__init__(id, label)
        self.bucket = bucket
        self.location = params.get("location", f"s3://{bucket.name if bucket else 'data-lake'}/{_name(label)}/")
        self.format = params.get("format", "csv")
        self.compression = params.get("compression", "none")
        self.size = params.get("size", GB)
        self.columns = params.get("column count", 10)
        self.partitions = params.get("partition count", 1)
        check_layout(self.location, self.format, self.compression, self.columns, self.partitions, "InvalidRequestException")

    @property
    def stored(self) -> float:
        return self.size * FORMATS[self.format] * CODECS[self.compression]

    @property
    def readable(self) -> bool:
        return self.bucket is None or self.bucket.policy != "deny"

    ATTRIBUTES = {
        "location": lambda w, d: d.location,
        "format": lambda w, d: d.format,
        "compression": lambda w, d: d.compression,
        "size": lambda w, d: d.size,
        "stored size": lambda w, d: d.stored,
        "column count": lambda w, d: d.columns,
        "partition count": lambda w, d: d.partitions,
        "columnar": lambda w, d: d.format in COLUMNAR,
        "compressed": lambda w, d: d.compression != "none",
        "partitioned": lambda w, d: d.partitions > 1,
    }


def check_layout(location, fmt, codec, columns, partitions, code) -> None:
    if not str(location).startswith("s3://"):
        raise BackendError(code, f"Athena and Glue read data in Amazon S3: {location!r} is not an s3:// location")
    if fmt not in FORMATS:
        raise BackendError(code, f"Unsupported format {fmt!r}: one of {', '.join(FORMATS)}")
    if codec not in CODECS:
        raise BackendError(code, f"Unsupported compression {codec!r}: one of {', '.join(CODECS)}")
    if columns < 1 or partitions < 1:
        raise BackendError(code, "A dataset has at least one column and one partition")


class Query(Resource):
    kind = "athena query"

    def __init__(self, id, label, source, dataset, params, mode):
        super().__init__(id, label)
        self.source = source
        self.sql = params.get("sql", f"SELECT * FROM {_name(dataset.label)}")
        self.columns = params.get("columns read", dataset.columns)
        self.partitions = min(params.get("partitions read", dataset.partitions), dataset.partitions)
        self.state, self.reason, self.scanned = "succeeded", None, 0.0
        self.mode = mode
        if not SQL_START.match(self.sql):
            self.state, self.reason = "failed", f"SYNTAX_ERROR: line 1:1: mismatched input '{self.sql.split()[0] if self.sql.split() else ''}'"
        elif not 1 <= self.columns <= dataset.columns:
            self.state, self.reason = "failed", f"COLUMN_NOT_FOUND: the table has {dataset.columns} columns"
        elif not dataset.readable:
            self.state, self.reason = "failed", ACCESS_DENIED_S3
        else:
            share = self.columns / dataset.columns if dataset.format in COLUMNAR else 1.0
            self.scanned = dataset.stored * share * self.partitions / dataset.partitions

    @property
    def billed(self) -> float:
        if self.state != "succeeded" or self.mode != "on-demand":
            return 0.0
        return max(math.ceil(self.scanned / MB) * MB, MIN_BILLED)

    CREATION = ("queued", "running")

    def relations(self, world) -> frozenset:
        return frozenset({("run on", self.source)})

    ATTRIBUTES = {
        "state": lambda w, q: q.state,
        "sql": lambda w, q: q.sql,
        "columns read": lambda w, q: q.columns,
        "partitions read": lambda w, q: q.partitions,
        "iam permission": lambda w, q: True,
        "bytes scanned": lambda w, q: q.scanned,
        "billed bytes": lambda w, q: q.billed,
        "cost": lambda w, q: round(q.billed / TB * PRICE_PER_TB, 8),
        "state reason": lambda w, q: q.reason,
    }


def create_bucket(world, label, params, relations):
    return Bucket(world.new_id("bucket"), label, params)


def create_dataset(world, label, params, relations):
    bucket = next((t for r, t in relations if r == "in"), None)
    return Dataset(world.new_id("ds"), label, params, bucket)


def run_query(world, label, params, relations):
    source = next((t for r, t in relations if r == "run on"), None)
    if source is None:
        raise BackendError("InvalidRequestException", "A query runs on a dataset or a table of the data catalog")
    if not params.get("iam permission", True):
        raise BackendError("AccessDeniedException",
                           "User: arn:aws:iam::123456789012:user/caller is not authorized to perform: athena:StartQueryExecution")
    if params.get("columns read", 1) < 1 or params.get("partitions read", 1) < 1:
        raise BackendError("ReferenceModel.InvalidParameter", "A query reads at least one column and one partition")
    dataset = getattr(source, "dataset", source)  # a glue table stands for the dataset it describes
    mode = world.settings.get("athena capacity mode", "on-demand")
    if mode not in ("on-demand", "provisioned"):
        raise BackendError("InvalidRequestException", f"The athena capacity mode is on-demand or provisioned, not {mode!r}")
    if mode == "provisioned":
        _dpus(world)
    return Query(world.new_id("q"), label, source, dataset, params, mode)


def _dpus(world) -> int:
    dpus = world.settings.get("athena provisioned dpus", MIN_DPUS)
    if dpus < MIN_DPUS:  # CreateCapacityReservation: TargetDpus is 4 at least
        raise BackendError("InvalidRequestException", f"A capacity reservation has at least {MIN_DPUS} DPUs, not {dpus}")
    return dpus


def athena_charges(world) -> float:
    scans = sum(q.billed / TB * PRICE_PER_TB for q in world.of_kind("athena query"))
    if world.settings.get("athena capacity mode") != "provisioned":
        return round(scans, 8)
    dpus = _dpus(world)
    hours = max(world.now, 3600) / 3600  # billed by the minute, with a one-hour minimum
    return round(scans + dpus * hours * DPU_HOUR, 8)


from .analytics_emr import create_cluster  # noqa: E402


def install(world) -> None:
    world.creators["s3 bucket"] = create_bucket
    world.creators["s3 dataset"] = create_dataset
    world.creators["athena query"] = run_query
    world.creators["emr cluster"] = create_cluster
    install_glue(world, athena_charges)
