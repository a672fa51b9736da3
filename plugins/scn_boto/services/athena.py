"""Amazon Athena over data in S3: buckets, datasets (objects under a prefix, and a table over them), queries.

- ``s3 bucket``: CreateBucket; its ``bucket policy`` "allow" / "deny" is a bucket policy
  (PutBucketPolicy) allowing the account, or denying everyone, ``s3:GetObject`` on its
  objects; any other text is sent as the policy document itself. Read back with
  GetBucketPolicy (a Deny statement: deny; otherwise, or none: allow).
- ``s3 dataset``: the adapter writes real files (PutObject) under ``s3://<bucket>/<name>/``
  (a bucket of the world's own when none is given): CSV (a header ``c1,…,cN``) or JSON
  lines, compressed with gzip or bzip2 or not, one file per partition
  (``day=2024-01-DD/``), ``size`` bytes of text in all (4 KB unless given; at most 16 MB:
  a larger dataset is not implemented). Everything is read back from S3: the format and
  compression from the keys, ``size`` from the files decompressed, ``stored size`` from
  their ``ContentLength``, the columns from the first file's first line.
- ``athena query``: StartQueryExecution over a Glue table the adapter defines over the
  dataset (CreateTable in a database of the world's own: the dataset's name, its columns,
  its SerDe, partitioned by ``day``), or over a ``glue table``; the SQL is the spec's, or
  ``SELECT c1, …, cN FROM <table>`` for ``columns read`` N. Polled with
  GetQueryExecution (``QUEUED``, ``RUNNING``; then ``SUCCEEDED`` or ``FAILED``);
  ``bytes scanned`` is ``Statistics.DataScannedInBytes``, ``state reason``
  ``Status.StateChangeReason``.

moto runs no SQL: every query succeeds at once with ``DataScannedInBytes`` 0, whatever
it reads; the specs name that where a claim depends on it.
"""

from __future__ import annotations

import bz2
import gzip
import json
import re
from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, answers, carries, tag_dict

KB, MB = 1024, 1024 ** 2
MAX_WRITTEN = 16 * MB
DEFAULT_SIZE = 4 * KB
WRITABLE = ("csv", "json")
CODECS = {"none": ("", None), "gzip": (".gz", "gzip"), "bzip2": (".bz2", "bzip2")}
COLUMNAR = ("parquet", "orc")
QUERY_TRANSITIONAL = frozenset({"queued", "running"})
NO_POLICY = frozenset({"NoSuchBucketPolicy"})
BUCKET_GONE = frozenset({"NoSuchBucket"})


def account_of(world: Boto3World) -> str:
    return world.call("sts", "get_caller_identity", "reading the account id")["Account"]


def name_of(label: str) -> str:
    return label.split('"')[1] if '"' in label else label


# ---------------------------------------------------------------- buckets
def _policy(world: Boto3World, bucket: str, policy: str) -> str:
    if policy not in ("allow", "deny"):
        return policy  # sent as it is: S3 judges the document
    arn = f"arn:aws:s3:::{bucket}"
    if policy == "allow":
        statement = {"Sid": "ScnAllowRead", "Effect": "Allow",
                     "Principal": {"AWS": f"arn:aws:iam::{account_of(world)}:root"},
                     "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [arn, f"{arn}/*"]}
    else:
        statement = {"Sid": "ScnDenyRead", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                     "Resource": f"{arn}/*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def put_policy(world: Boto3World, bucket: str, policy: str) -> None:
    world.call("s3", "put_bucket_policy", "setting a bucket policy", Bucket=bucket, Policy=_policy(world, bucket, policy))


def make_bucket(world: Boto3World, label: str, name: str) -> Handle:
    world.call("s3", "create_bucket", "creating a bucket", Bucket=name)
    handle = world.remember(Handle("s3 bucket", name, label))
    world.call("s3", "put_bucket_tagging", "tagging a bucket", Bucket=name, Tagging={"TagSet": world.tag_list(label)})
    return handle


def create_bucket(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = str(params["bucket name"]) if "bucket name" in params else \
        world.resource_name(name_of(label), allowed="a-z0-9-", first="a-z0-9", lower=True)
    handle = make_bucket(world, label, name)
    if "bucket policy" in params:
        put_policy(world, name, str(params["bucket policy"]))
    return handle


def default_bucket(world: Boto3World) -> str:
    """The world's own bucket: datasets given no bucket, query results, job scripts."""
    for h in world.created:
        if h.kind == "s3 bucket" and h.refs.get("default"):
            return h.id
    handle = make_bucket(world, "data lake", world.resource_name("scn-data-lake", allowed="a-z0-9-", lower=True))
    handle.refs["default"] = True
    return handle.id


def observe_bucket(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "bucket name":
        world.call("s3", "head_bucket", "reading a bucket", Bucket=handle.id)
        return handle.id
    if attribute == "bucket policy":
        try:
            doc = json.loads(world.call("s3", "get_bucket_policy", "reading a bucket policy", Bucket=handle.id)["Policy"])
        except BackendError as exc:
            if exc.code in NO_POLICY:
                return "allow"
            raise
        except ValueError:
            return None
        effects = {s.get("Effect") for s in doc.get("Statement", ())} if isinstance(doc, dict) else set()
        return "deny" if "Deny" in effects else "allow"
    raise NotImplementedByBackend(f"the {attribute} of an s3 bucket")


def act_bucket(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if "bucket policy" in params:
        put_policy(world, handle.id, str(params["bucket policy"]))
    return ()


def bucket_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        world.call("s3", "head_bucket", "reading a bucket", Bucket=handle.id)
    except BackendError as exc:
        if exc.code in BUCKET_GONE | {"404", "NotFound"}:
            return False
        raise
    return True


def find_buckets(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """Buckets carrying ``tags`` (for ``scn sweep``): ListBuckets and GetBucketTagging (an untagged bucket answers
    NoSuchTagSet; one deleted meanwhile, NoSuchBucket)."""
    found = []
    for b in world.call("s3", "list_buckets", "listing buckets").get("Buckets", ()):
        try:
            have = tag_dict(world.call("s3", "get_bucket_tagging", "reading a bucket's tags",
                                       Bucket=b["Name"]).get("TagSet"))
        except BackendError as exc:
            if exc.code in ("NoSuchTagSet", "NoSuchTagSetError") or exc.code in BUCKET_GONE:
                continue
            raise
        if carries(have, tags):
            found.append(Handle("s3 bucket", b["Name"], b["Name"], refs={"tags": have}))
    return found


def delete_bucket(world: Boto3World, handle: Handle) -> None:
    try:
        while True:
            listed = world.call("s3", "list_objects_v2", "listing a bucket", Bucket=handle.id)
            keys = [{"Key": o["Key"]} for o in listed.get("Contents") or ()]
            if not keys:
                break
            world.call("s3", "delete_objects", "emptying a bucket", Bucket=handle.id, Delete={"Objects": keys})
        world.call("s3", "delete_bucket", "deleting a bucket", Bucket=handle.id)
    except BackendError as exc:
        if exc.code not in BUCKET_GONE | {"404", "NotFound"}:
            raise


# ---------------------------------------------------------------- datasets
def split_location(location: str) -> tuple[str, str]:
    m = re.match(r"s3://([^/]+)/?(.*)$", location)
    if not m:
        raise ValueError(location)
    prefix = m.group(2)
    return m.group(1), (prefix if not prefix or prefix.endswith("/") else prefix + "/")


def _text(fmt: str, columns: int, size: int, part: int) -> bytes:
    """``size`` bytes of CSV (a header) or JSON lines with ``columns`` columns."""
    if size <= 0:
        return b""
    names = [f"c{i}" for i in range(1, columns + 1)]
    lines: list[str] = [",".join(names)] if fmt == "csv" else []
    n, total = 0, 0
    out: list[str] = []
    for line in lines:
        out.append(line + "\n")
        total += len(line) + 1
    while total < size:
        n += 1
        values = [f"p{part}r{n}v{i}" for i in range(1, columns + 1)]
        line = ",".join(values) if fmt == "csv" else json.dumps(dict(zip(names, values)), separators=(",", ":"))
        out.append(line + "\n")
        total += len(line) + 1
    data = "".join(out).encode()[:size]
    return data


def _compress(data: bytes, codec: str) -> bytes:
    if codec == "gzip":
        return gzip.compress(data, mtime=0)
    if codec == "bzip2":
        return bz2.compress(data)
    return data


def _decompress(data: bytes, encoding: str | None, key: str) -> bytes:
    if encoding == "gzip" or key.endswith(".gz"):
        return gzip.decompress(data)
    if encoding == "bzip2" or key.endswith(".bz2"):
        return bz2.decompress(data)
    return data


def create_dataset(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    bucket_handle = next((t for r, t in relations if r == "in"), None)
    fmt = str(params.get("format", "csv"))
    codec = str(params.get("compression", "none"))
    size = int(params.get("size", DEFAULT_SIZE))
    columns = int(params.get("column count", 10))
    partitions = int(params.get("partition count", 1))
    if "location" in params and not str(params["location"]).startswith("s3://"):
        raise NotImplementedByBackend("an s3 dataset outside Amazon S3")
    if fmt not in WRITABLE:
        raise NotImplementedByBackend(f"an s3 dataset in {fmt} (the adapter writes csv and json files)")
    if codec not in CODECS:
        raise NotImplementedByBackend(f"an s3 dataset compressed with {codec} (the adapter writes gzip and bzip2)")
    if size > MAX_WRITTEN:
        raise NotImplementedByBackend("an s3 dataset larger than 16 MB (the adapter writes a dataset's bytes to S3)")
    if columns < 1 or partitions < 1:
        raise NotImplementedByBackend("an s3 dataset of no column or no partition")
    if "location" in params:
        bucket, prefix = split_location(str(params["location"]))
    else:
        bucket = bucket_handle.id if bucket_handle is not None else default_bucket(world)
        prefix = world.resource_name(name_of(label), allowed="a-z0-9_-", first="a-z", lower=True) + "/"
    ext, encoding = CODECS[codec]
    share, rest = divmod(size, partitions)
    for p in range(1, partitions + 1):
        part_size = share + (1 if p <= rest else 0)
        if part_size <= 0:
            continue
        key = prefix + (f"day=2024-01-{p:02d}/" if partitions > 1 else "") + f"part-00000.{fmt}{ext}"
        kw: dict[str, Any] = {"ContentType": "text/csv" if fmt == "csv" else "application/json"}
        if encoding:
            kw["ContentEncoding"] = encoding
        world.call("s3", "put_object", "writing a dataset's file", Bucket=bucket, Key=key,
                   Body=_compress(_text(fmt, columns, part_size, p), codec), **kw)
    location = f"s3://{bucket}/{prefix}"
    return world.remember(Handle("s3 dataset", location, label, refs={"bucket": bucket, "prefix": prefix,
                                                                       "location": location}))


def list_files(world: Boto3World, handle: Handle) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    token = None
    while True:
        kw: dict[str, Any] = {"Bucket": handle.refs["bucket"], "Prefix": handle.refs["prefix"]}
        if token:
            kw["ContinuationToken"] = token
        answer = world.call("s3", "list_objects_v2", "listing a dataset's files", **kw)
        out += [o for o in answer.get("Contents") or () if not o["Key"].endswith("/")]
        token = answer.get("NextContinuationToken")
        if not token:
            return sorted(out, key=lambda o: o["Key"])


def _layout(key: str) -> tuple[str | None, str]:
    name = key.rsplit("/", 1)[-1]
    codec = "gzip" if name.endswith(".gz") else "bzip2" if name.endswith(".bz2") else "none"
    base = re.sub(r"\.(gz|bz2)$", "", name)
    fmt = base.rsplit(".", 1)[-1] if "." in base else None
    return fmt, codec


def read_file(world: Boto3World, handle: Handle, key: str) -> bytes:
    answer = world.call("s3", "get_object", "reading a dataset's file", Bucket=handle.refs["bucket"], Key=key)
    return _decompress(answer["Body"].read(), answer.get("ContentEncoding"), key)


def columns_of(world: Boto3World, handle: Handle, files: Sequence[Mapping[str, Any]]) -> int | None:
    if not files:
        return None
    first = read_file(world, handle, files[0]["Key"]).split(b"\n", 1)[0].decode()
    fmt, _ = _layout(files[0]["Key"])
    if fmt == "json":
        try:
            return len(json.loads(first))
        except ValueError:
            return None
    return len(first.split(","))


def partitions_of(files: Sequence[Mapping[str, Any]]) -> int:
    parts = {m.group(0) for o in files for m in [re.search(r"/[^/=]+=[^/]+/", o["Key"])] if m}
    return len(parts) or (1 if files else 0)


def observe_dataset(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "location":
        return handle.refs["location"]
    files = list_files(world, handle)
    fmt, codec = _layout(files[0]["Key"]) if files else (None, None)
    if attribute == "format":
        return fmt
    if attribute == "compression":
        return codec
    if attribute == "columnar":
        return fmt in COLUMNAR if fmt else None
    if attribute == "compressed":
        return codec != "none" if codec else None
    if attribute == "stored size":
        return sum(o["Size"] for o in files)
    if attribute == "size":
        return sum(len(read_file(world, handle, o["Key"])) for o in files)
    if attribute == "column count":
        return columns_of(world, handle, files)
    if attribute in ("partition count", "partitioned"):
        n = partitions_of(files)
        return n if attribute == "partition count" else n > 1
    raise NotImplementedByBackend(f"the {attribute} of an s3 dataset")


def dataset_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        return bool(list_files(world, handle)) or bucket_exists(world, Handle("s3 bucket", handle.refs["bucket"], ""))
    except BackendError as exc:
        if exc.code in BUCKET_GONE:
            return False
        raise


def dataset_relations(world: Boto3World, handle: Handle) -> frozenset:
    return frozenset({("in", world.known("s3 bucket", handle.refs["bucket"]))})


def delete_dataset(world: Boto3World, handle: Handle) -> None:
    try:
        keys = [{"Key": o["Key"]} for o in list_files(world, handle)]
        if keys:
            world.call("s3", "delete_objects", "deleting a dataset's files", Bucket=handle.refs["bucket"],
                       Delete={"Objects": keys})
    except BackendError as exc:
        if exc.code not in BUCKET_GONE:
            raise


def dataset_at(world: Boto3World, location: str) -> Handle:
    """The dataset handle whose location is ``location`` (a handle of it by its location otherwise)."""
    want = location if location.endswith("/") else location + "/"
    for h in world.created:
        if h.kind == "s3 dataset" and h.refs.get("location") == want:
            return h
    return world.known("s3 dataset", want)


# ---------------------------------------------------------------- a table over a dataset (Glue's catalog)
def database(world: Boto3World, role: str) -> str:
    """The world's Glue database for ``role`` ("catalog": the tables specs see; "datasets": Athena's own)."""
    for h in world.created:
        if h.kind == "data catalog" and h.refs.get("role") == role:
            return h.id
    name = world.resource_name(f"scn {role}", allowed="a-z0-9_", first="a-z", lower=True)
    try:
        world.call("glue", "create_database", "creating a database of the data catalog",
                   DatabaseInput={"Name": name, "Description": f"scn: {role}"})
    except BackendError as exc:
        if exc.code != "AlreadyExistsException":
            raise
    # a handle of the catalog standing for this database: its teardown (glue's) deletes the database
    world.remember(Handle("data catalog", name, f"{role} database", refs={"role": role, "database": name}))
    return name


def table_input(world: Boto3World, dataset: Handle, name: str) -> dict[str, Any]:
    files = list_files(world, dataset)
    fmt, codec = _layout(files[0]["Key"]) if files else ("csv", "none")
    n = columns_of(world, dataset, files) or 1
    serde: dict[str, Any]
    if fmt == "json":
        serde = {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"}
    else:
        serde = {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                 "Parameters": {"field.delim": ","}}
    params = {"classification": fmt or "csv", "compressionType": codec or "none", "EXTERNAL": "TRUE"}
    if fmt == "csv":
        params["skip.header.line.count"] = "1"
    partitioned = partitions_of(files) > 1
    return {"Name": name, "TableType": "EXTERNAL_TABLE", "Parameters": params,
            "PartitionKeys": [{"Name": "day", "Type": "string"}] if partitioned else [],
            "StorageDescriptor": {"Location": dataset.refs["location"],
                                  "Columns": [{"Name": f"c{i}", "Type": "string"} for i in range(1, n + 1)],
                                  "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                                  "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                                  "SerdeInfo": serde}}


def dataset_table(world: Boto3World, dataset: Handle) -> tuple[str, str]:
    """(database, table) of the table the adapter defines over ``dataset`` for Athena, made once."""
    db = database(world, "datasets")
    name = re.sub(r"[^a-z0-9_]", "_", name_of(dataset.label).lower()) or "t"
    try:
        world.call("glue", "get_table", "reading a dataset's table", DatabaseName=db, Name=name)
    except BackendError as exc:
        if exc.code != "EntityNotFoundException":
            raise
        world.call("glue", "create_table", "defining a table over a dataset", DatabaseName=db,
                   TableInput=table_input(world, dataset, name))
    return db, name


def delete_database(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("glue", "delete_database", "deleting a database of the data catalog", Name=handle.id)
    except BackendError as exc:
        if exc.code != "EntityNotFoundException":
            raise


# ---------------------------------------------------------------- queries
def get_query(world: Boto3World, qid: str) -> Mapping[str, Any]:
    return world.call("athena", "get_query_execution", "reading a query", QueryExecutionId=qid)["QueryExecution"]


def query_state(q: Mapping[str, Any]) -> str:
    return str(q["Status"]["State"]).lower()


def run_query(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    source = next((t for r, t in relations if r == "run on"), None)
    if source is None:
        raise NotImplementedByBackend("an athena query on nothing")
    if params.get("iam permission") is False:
        raise NotImplementedByBackend("an athena query by a caller whose IAM policy does not allow it")
    if source.kind == "glue table":
        db, table = source.refs["database"], source.id
    else:
        db, table = dataset_table(world, source)
    if "sql" in params:
        sql = str(params["sql"])
    elif "columns read" in params:
        sql = f"SELECT {', '.join(f'c{i}' for i in range(1, int(params['columns read']) + 1))} FROM {table}"
    else:
        sql = f"SELECT * FROM {table}"
    output = f"s3://{default_bucket(world)}/athena-results/"
    qid = world.call("athena", "start_query_execution", "starting a query", QueryString=sql,
                     QueryExecutionContext={"Database": db, "Catalog": "AwsDataCatalog"},
                     ResultConfiguration={"OutputLocation": output})["QueryExecutionId"]
    handle = world.remember(Handle("athena query", qid, label, refs={"source": source, "database": db, "table": table}))
    handle.creation_states = tuple(world.wait(handle, lambda: query_state(get_query(world, qid)), QUERY_TRANSITIONAL))
    return handle


def observe_query(world: Boto3World, handle: Handle, attribute: str) -> Any:
    q = get_query(world, handle.id)
    if attribute == "state":
        return query_state(q)
    if attribute == "sql":
        return q.get("Query")
    if attribute == "bytes scanned":
        return (q.get("Statistics") or {}).get("DataScannedInBytes")
    if attribute == "state reason":
        return q["Status"].get("StateChangeReason")
    raise NotImplementedByBackend(f"the {attribute} of an athena query")


def query_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: get_query(world, handle.id), ("InvalidRequestException",))


def query_relations(world: Boto3World, handle: Handle) -> frozenset:
    """What the query's table is defined over, read back: the table (GetTable) and the dataset at its location."""
    q = get_query(world, handle.id)
    db = (q.get("QueryExecutionContext") or {}).get("Database", handle.refs["database"])
    source = handle.refs["source"]
    if source.kind == "glue table":
        world.call("glue", "get_table", "reading a query's table", DatabaseName=db, Name=source.id)
        return frozenset({("run on", source)})
    table = world.call("glue", "get_table", "reading a query's table", DatabaseName=db, Name=handle.refs["table"])["Table"]
    return frozenset({("run on", dataset_at(world, table["StorageDescriptor"]["Location"]))})


def _no_delete(world: Boto3World, handle: Handle) -> None:
    """A query's execution cannot be deleted (its results are in the world's bucket, deleted with it)."""


# ---------------------------------------------------------------- the service
BUCKET = KindMap(
    "s3 bucket",
    attributes={"bucket name", "bucket policy"},
    actions={"create", "update"},
    action_params={"update": frozenset({"bucket policy"})},
    params={"bucket name", "bucket policy"},
    create=create_bucket, act=act_bucket, observe=observe_bucket, exists=bucket_exists, delete=delete_bucket,
    find_tagged=find_buckets, cost="cheap",
)

DATASET = KindMap(
    "s3 dataset",
    attributes={"location", "format", "compression", "size", "stored size", "column count", "partition count",
                "columnar", "compressed", "partitioned"},
    actions={"create"},
    relations={"in"},
    params={"location", "format", "compression", "size", "column count", "partition count"},
    create=create_dataset, observe=observe_dataset, exists=dataset_exists, relations_of=dataset_relations,
    delete=delete_dataset, cost="cheap",
)

QUERY = KindMap(
    "athena query",
    attributes={"state", "sql", "bytes scanned", "state reason"},
    actions={"run", "start"},
    relations={"run on"},
    params={"sql", "columns read", "iam permission"},
    create=run_query, observe=observe_query, exists=query_exists, relations_of=query_relations, delete=_no_delete,
    cost="cheap",
)

SERVICE = Service(
    capability="athena",
    clients=("athena", "s3", "glue", "sts"),
    kinds=(BUCKET, DATASET, QUERY),
    why={
        "athena query.partitions read": "not mapped: the WHERE clause keeping some partitions is not written",
        "athena query.columns read": "read back: the SQL says it, GetQueryExecution has no column count",
        "athena query.iam permission": "a caller whose IAM policy denies StartQueryExecution needs another identity, "
                                       "not mapped",
    },
    description="Amazon Athena: StartQueryExecution over Glue tables on files the adapter writes to S3",
)
