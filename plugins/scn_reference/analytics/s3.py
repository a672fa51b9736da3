"""S3 as Athena and Glue see it: buckets, datasets in them, and the rules a dataset's layout follows.

The bottom of the analytics package: Athena (:mod:`.athena`) and Glue (:mod:`.glue`) both read
datasets and check a layout with :func:`check_layout`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource

GB, MB, TB = 1024**3, 1024**2, 1024**4
#: stored bytes per byte of CSV text (illustrative): columnar formats encode columns compactly
FORMATS = {"csv": 1.0, "json": 1.5, "avro": 0.8, "parquet": 0.5, "orc": 0.5}
COLUMNAR = ("parquet", "orc")
#: stored bytes per uncompressed byte (illustrative)
CODECS = {"none": 1.0, "gzip": 0.25, "bzip2": 0.2, "snappy": 0.4, "zstd": 0.25}

def name_of(label: str) -> str:
    return label.split('"')[1] if '"' in label else label.replace(" ", "-").replace("#", "")


class Bucket(Resource):
    kind = "s3 bucket"

    def __init__(self, id, label, params):
        super().__init__(id, label)
        self.name = params.get("bucket name", name_of(label))
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
        self.location = params.get("location", f"s3://{bucket.name if bucket else 'data-lake'}/{name_of(label)}/")
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


def create_bucket(world, label, params, relations):
    return Bucket(world.new_id("bucket"), label, params)


def create_dataset(world, label, params, relations):
    bucket = next((t for r, t in relations if r == "in"), None)
    return Dataset(world.new_id("ds"), label, params, bucket)


def install(world) -> None:
    world.creators["s3 bucket"] = create_bucket
    world.creators["s3 dataset"] = create_dataset
