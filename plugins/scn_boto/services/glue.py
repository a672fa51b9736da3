"""AWS Glue: the data catalog, its tables, crawlers and ETL jobs.

- ``data catalog``: the account's Glue Data Catalog, as Athena names it (``AwsDataCatalog``:
  GetDataCatalog); the tables specs count are those of a database of the world's own
  (CreateDatabase), where crawlers write and ``glue table`` creates (GetTables).
- ``glue table``: CreateTable over a dataset (its location, columns, SerDe, ``classification``).
- ``glue crawler``: CreateCrawler with an S3 target (the dataset's location) and an IAM role
  the adapter creates for it (trusting glue.amazonaws.com; allowed to read the dataset's
  bucket unless ``iam permission`` is false). `run` is StartCrawler, polled as the crawl
  goes with ListCrawls and GetCrawler (``RUNNING``, ``STOPPING``, then ``READY``);
  ``last crawl status`` is ``LastCrawl.Status``, ``tables created`` GetCrawlerMetrics'
  ``TablesCreated``.
- ``glue job``: CreateJob (``glueetl``, Glue 4.0) with a PySpark script the adapter writes to
  S3, reading the source dataset and writing the target in the output format, compression
  and partitions asked (``DefaultArguments``); `run` is StartJobRun, polled with GetJobRun.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from . import athena
from .base import KindMap, Service, answers

CRAWLER_TRANSITIONAL = frozenset({"running", "stopping"})
JOB_RUN_TRANSITIONAL = frozenset({"STARTING", "RUNNING", "STOPPING", "WAITING"})
WRITABLE = ("csv", "json", "parquet", "orc", "avro")
GONE = frozenset({"EntityNotFoundException"})
ROLE_GONE = frozenset({"NoSuchEntity"})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
#: the part of AWSGlueServiceRole a crawler and a job need besides their data (inline: moto loads no managed policies)
GLUE_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["glue:*", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                                   "cloudwatch:PutMetricData"], "Resource": "*"}]})

SCRIPT = '''import sys
from awsglue.context import GlueContext
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["source", "source_format", "target", "output_format", "output_compression",
                                     "output_partitions"])
spark = GlueContext(SparkContext.getOrCreate()).spark_session
reader = spark.read.option("header", "true") if args["source_format"] == "csv" else spark.read
frame = reader.format(args["source_format"]).load(args["source"])
writer = frame.repartition(int(args["output_partitions"])).write.mode("overwrite")
if args["output_compression"] != "none":
    writer = writer.option("compression", args["output_compression"])
writer.format(args["output_format"]).save(args["target"])
'''


# ---------------------------------------------------------------- the catalog
def create_catalog(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    db = athena.database(world, "catalog")
    return world.remember(Handle("data catalog", "AwsDataCatalog", label, refs={"database": db}))


def tables(world: Boto3World, db: str) -> list[Mapping[str, Any]]:
    try:
        return list(world.call("glue", "get_tables", "listing the catalog's tables", DatabaseName=db).get("TableList") or ())
    except BackendError as exc:
        if exc.code in GONE:
            return []
        raise


def observe_catalog(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "catalog name":
        return world.call("athena", "get_data_catalog", "reading the data catalog", Name=handle.id)["DataCatalog"]["Name"]
    if attribute == "table count":
        return len(tables(world, handle.refs["database"]))
    raise NotImplementedByBackend(f"the {attribute} of a data catalog")


def catalog_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: world.call("glue", "get_database", "reading the catalog's database", Name=handle.refs["database"]), GONE)


def delete_catalog(world: Boto3World, handle: Handle) -> None:
    """The catalog is the account's: what goes is a database of the world's own (a handle with a ``role``)."""
    if handle.refs.get("role"):
        athena.delete_database(world, handle)


# ---------------------------------------------------------------- tables
def create_table(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    dataset = next((t for r, t in relations if r == "on"), None)
    if dataset is None:
        raise NotImplementedByBackend("a glue table on no dataset")
    db = athena.database(world, "catalog")
    name = str(params.get("table name", athena.name_of(label))).lower()
    world.call("glue", "create_table", "creating a table of the data catalog", DatabaseName=db,
               TableInput=athena.table_input(world, dataset, name))
    return world.remember(Handle("glue table", name, label, refs={"database": db}))


def get_table(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("glue", "get_table", "reading a table", DatabaseName=handle.refs["database"], Name=handle.id)["Table"]


def observe_table(world: Boto3World, handle: Handle, attribute: str) -> Any:
    t = get_table(world, handle)
    sd = t.get("StorageDescriptor") or {}
    if attribute == "table name":
        return t["Name"]
    if attribute == "format":
        return (t.get("Parameters") or {}).get("classification")
    if attribute == "location":
        return sd.get("Location")
    if attribute == "column count":
        return len(sd.get("Columns") or ())
    if attribute == "partition count":
        if not t.get("PartitionKeys"):
            return 1
        answer = world.call("glue", "get_partitions", "listing a table's partitions",
                            DatabaseName=handle.refs["database"], TableName=handle.id)
        return len(answer.get("Partitions") or ())
    raise NotImplementedByBackend(f"the {attribute} of a glue table")


def table_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: get_table(world, handle), GONE)


def table_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        t = get_table(world, handle)
    except BackendError as exc:
        if exc.code in GONE:
            return frozenset()
        raise
    out = {("on", athena.dataset_at(world, (t.get("StorageDescriptor") or {}).get("Location", "")))}
    for h in world.created:
        if h.kind == "data catalog" and h.refs.get("database") == handle.refs["database"]:
            out.add(("in", h))
    return frozenset(out)


def count_tables(world: Boto3World, relation: str, target: Handle) -> int:
    return len(tables(world, target.refs["database"]))


def delete_table(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("glue", "delete_table", "deleting a table", DatabaseName=handle.refs["database"], Name=handle.id)
    except BackendError as exc:
        if exc.code not in GONE:
            raise


# ---------------------------------------------------------------- roles
def make_role(world: Boto3World, label: str, buckets: Sequence[str], allowed: bool) -> str:
    name = world.resource_name(f"{label} glue role", max_length=64, allowed="A-Za-z0-9+=,.@_-")
    role = world.call("iam", "create_role", "creating a Glue role", RoleName=name, AssumeRolePolicyDocument=TRUST,
                      Tags=world.tag_list(label))["Role"]
    world.call("iam", "put_role_policy", "giving a Glue role what Glue needs", RoleName=name, PolicyName="scn-glue",
               PolicyDocument=GLUE_POLICY)
    if allowed and buckets:
        resources = [f"arn:aws:s3:::{b}" for b in buckets] + [f"arn:aws:s3:::{b}/*" for b in buckets]
        world.call("iam", "put_role_policy", "letting a Glue role use its data", RoleName=name, PolicyName="scn-data",
                   PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                       {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
                        "Resource": resources}]}))
    return role["Arn"]


def delete_role(world: Boto3World, role: str | None) -> None:
    """Delete the role the adapter made for a crawler or a job (idempotent)."""
    if not role:
        return
    try:
        for p in world.call("iam", "list_role_policies", "listing a role's policies", RoleName=role).get("PolicyNames") or ():
            world.call("iam", "delete_role_policy", "deleting a role's policy", RoleName=role, PolicyName=p)
        for p in world.call("iam", "list_attached_role_policies", "listing a role's policies",
                            RoleName=role).get("AttachedPolicies") or ():
            world.call("iam", "detach_role_policy", "detaching a role's policy", RoleName=role, PolicyArn=p["PolicyArn"])
        world.call("iam", "delete_role", "deleting a role", RoleName=role)
    except BackendError as exc:
        if exc.code not in ROLE_GONE:
            raise


# ---------------------------------------------------------------- crawlers
def create_crawler(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    dataset = next((t for r, t in relations if r == "on"), None)
    db = athena.database(world, "catalog")
    buckets = [dataset.refs["bucket"]] if dataset is not None else []
    role = make_role(world, label, buckets, params.get("iam permission", True) is not False)
    targets = {"S3Targets": [{"Path": dataset.refs["location"]}]} if dataset is not None else {}
    name = world.resource_name(label, max_length=255, allowed="A-Za-z0-9_-")
    try:
        world.call("glue", "create_crawler", "creating a crawler", Name=name, Role=role, DatabaseName=db,
                   Targets=targets, Tags=world.tag_map(label))
    except Exception:
        delete_role(world, role.rsplit("/", 1)[-1])  # the role was made for it: nothing left behind
        raise
    handle = world.remember(Handle("glue crawler", name, label, refs={"database": db, "role": role.rsplit("/", 1)[-1]}))
    handle.creation_states = tuple(world.wait(handle, lambda: crawler_state(world, handle), CRAWLER_TRANSITIONAL))
    return handle


def get_crawler(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("glue", "get_crawler", "reading a crawler", Name=handle.id)["Crawler"]


def crawler_state(world: Boto3World, handle: Handle) -> str:
    """GetCrawler's State, then ListCrawls (the crawls as they go: moto moves a crawl on when it is listed)."""
    state = str(get_crawler(world, handle)["State"]).lower()
    world.call("glue", "list_crawls", "reading a crawler's crawls", CrawlerName=handle.id)
    return state


def act_crawler(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "run":
        world.call("glue", "start_crawler", "starting a crawler", Name=handle.id)
        return world.wait(handle, lambda: crawler_state(world, handle), CRAWLER_TRANSITIONAL)
    raise NotImplementedByBackend(f"{action} on a glue crawler")


def observe_crawler(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "state":
        return str(get_crawler(world, handle)["State"]).lower()
    if attribute == "last crawl status":
        return (get_crawler(world, handle).get("LastCrawl") or {}).get("Status")
    if attribute == "tables created":
        answer = world.call("glue", "get_crawler_metrics", "reading a crawler's metrics", CrawlerNameList=[handle.id])
        metrics = answer.get("CrawlerMetricsList") or [{}]
        return metrics[0].get("TablesCreated")
    raise NotImplementedByBackend(f"the {attribute} of a glue crawler")


def crawler_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: get_crawler(world, handle), GONE)


def crawler_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        c = get_crawler(world, handle)
    except BackendError as exc:
        if exc.code in GONE:
            return frozenset()
        raise
    paths = [t["Path"] for t in (c.get("Targets") or {}).get("S3Targets") or ()]
    return frozenset(("on", athena.dataset_at(world, p)) for p in paths)


def delete_crawler(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("glue", "delete_crawler", "deleting a crawler", Name=handle.id)
    except BackendError as exc:
        if exc.code not in GONE:
            raise
    delete_role(world, handle.refs.get("role"))


# ---------------------------------------------------------------- jobs
def create_job(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    source = next((t for r, t in relations if r == "from"), None)
    target = next((t for r, t in relations if r == "into"), None)
    if source is None or target is None:
        raise NotImplementedByBackend("a glue job without a source or a target (CreateJob knows only its script)")
    src_format = athena.observe_dataset(world, source, "format") or "csv"
    out_format = str(params.get("output format", src_format))
    if out_format not in WRITABLE:
        raise NotImplementedByBackend(f"a glue job writing {out_format} (its script writes {', '.join(WRITABLE)})")
    compression = str(params.get("output compression", "snappy" if out_format in ("parquet", "orc") else "none"))
    bucket = athena.default_bucket(world)
    name = world.resource_name(label, max_length=255, allowed="A-Za-z0-9_-")
    script = f"scripts/{name}.py"
    world.call("s3", "put_object", "writing a job's script", Bucket=bucket, Key=script, Body=SCRIPT.encode())
    role = make_role(world, label, sorted({source.refs["bucket"], target.refs["bucket"], bucket}), True)
    args = {"--source": source.refs["location"], "--source_format": src_format, "--target": target.refs["location"],
            "--output_format": out_format, "--output_compression": compression,
            "--output_partitions": str(int(params.get("output partition count", 1)))}
    try:
        world.call("glue", "create_job", "creating a job", Name=name, Role=role, GlueVersion="4.0",
                   Command={"Name": "glueetl", "ScriptLocation": f"s3://{bucket}/{script}", "PythonVersion": "3"},
                   DefaultArguments=args, WorkerType="G.1X", NumberOfWorkers=2, Tags=world.tag_map(label))
    except Exception:
        delete_role(world, role.rsplit("/", 1)[-1])
        raise
    return world.remember(Handle("glue job", name, label, refs={"role": role.rsplit("/", 1)[-1]}))


def get_job(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("glue", "get_job", "reading a job", JobName=handle.id)["Job"]


def last_run(world: Boto3World, handle: Handle) -> Mapping[str, Any] | None:
    runs = world.call("glue", "get_job_runs", "listing a job's runs", JobName=handle.id).get("JobRuns") or ()
    return max(runs, key=lambda r: r.get("StartedOn") or 0, default=None) if runs else None


def _job_state(run_state: str | None) -> str:
    return {"STARTING": "starting", "RUNNING": "running", "STOPPING": "stopping", "WAITING": "starting"}.get(
        run_state or "", "ready")


def act_job(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "run":
        rid = world.call("glue", "start_job_run", "starting a job run", JobName=handle.id)["JobRunId"]

        def state() -> str:
            return world.call("glue", "get_job_run", "reading a job run", JobName=handle.id,
                              RunId=rid)["JobRun"]["JobRunState"]

        runs = world.wait(handle, state, JOB_RUN_TRANSITIONAL)
        out: list[str] = []
        for s in runs:
            mapped = _job_state(s)
            if not out or out[-1] != mapped:
                out.append(mapped)
        return out
    raise NotImplementedByBackend(f"{action} on a glue job")


def observe_job(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "state":
        run = last_run(world, handle)
        return _job_state(run.get("JobRunState") if run else None)
    if attribute == "last run state":
        run = last_run(world, handle)
        return run.get("JobRunState") if run else None
    args = get_job(world, handle).get("DefaultArguments") or {}
    if attribute == "output format":
        return args.get("--output_format")
    if attribute == "output compression":
        return args.get("--output_compression")
    if attribute == "output partition count":
        return int(args["--output_partitions"]) if "--output_partitions" in args else None
    raise NotImplementedByBackend(f"the {attribute} of a glue job")


def job_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: get_job(world, handle), GONE)


def job_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        args = get_job(world, handle).get("DefaultArguments") or {}
    except BackendError as exc:
        if exc.code in GONE:
            return frozenset()
        raise
    out = set()
    if "--source" in args:
        out.add(("from", athena.dataset_at(world, args["--source"])))
    if "--target" in args:
        out.add(("into", athena.dataset_at(world, args["--target"])))
    return frozenset(out)


def delete_job(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("glue", "delete_job", "deleting a job", JobName=handle.id)
    except BackendError as exc:
        if exc.code not in GONE:
            raise
    delete_role(world, handle.refs.get("role"))


# ---------------------------------------------------------------- the service
CATALOG = KindMap(
    "data catalog",
    attributes={"catalog name", "table count"},
    actions={"create"},
    create=create_catalog, observe=observe_catalog, exists=catalog_exists, delete=delete_catalog, cost="free",
)

TABLE = KindMap(
    "glue table",
    attributes={"table name", "format", "location", "column count", "partition count"},
    actions={"create"},
    relations={"on", "in"},
    params={"table name"},
    create=create_table, observe=observe_table, exists=table_exists, relations_of=table_relations,
    count_related=count_tables, delete=delete_table, cost="free",
)

CRAWLER = KindMap(
    "glue crawler",
    attributes={"state", "last crawl status", "tables created"},
    actions={"create", "run"},
    relations={"on"},
    params={"iam permission"},
    create=create_crawler, act=act_crawler, observe=observe_crawler, exists=crawler_exists,
    relations_of=crawler_relations, delete=delete_crawler, cost="cheap",
)

JOB = KindMap(
    "glue job",
    attributes={"state", "last run state", "output format", "output compression", "output partition count"},
    actions={"create", "run"},
    relations={"from", "into"},
    params={"output format", "output compression", "output partition count"},
    create=create_job, act=act_job, observe=observe_job, exists=job_exists, relations_of=job_relations,
    delete=delete_job, cost="cheap",
)

SERVICE = Service(
    capability="glue",
    clients=("glue", "iam", "s3", "athena", "sts"),
    kinds=(CATALOG, TABLE, CRAWLER, JOB),
    why={
        "glue job.bytes written": "a job run's output size is not in GetJobRun",
        "glue crawler.iam permission": "read back: the role's policies say it",
    },
    description="AWS Glue: the Data Catalog (GetDataCatalog, GetTables), CreateTable, crawlers, ETL jobs",
)
