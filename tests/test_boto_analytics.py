"""The Athena and Glue mappings on moto: datasets are real files in S3 read back, bucket policies, queries
over Glue tables, crawlers and their roles, jobs, teardown."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.services import athena, glue  # noqa: E402

KB = 1024


def test_capabilities_and_costs():
    assert athena.SERVICE.capability == "athena" and glue.SERVICE.capability == "glue"
    assert athena.SERVICE.kind("athena query").cost == "cheap"
    assert glue.SERVICE.kind("glue crawler").cost == "cheap"


def test_a_dataset_is_files_in_s3_read_back(world):
    lake = world.create("s3 bucket", '"lake"', {}, ())
    ds = world.create("s3 dataset", '"logs"', {"size": 8 * KB, "compression": "gzip", "column count": 4,
                                               "partition count": 2}, [("in", lake)])
    assert world.observe(ds, "location") == "s3://lake/logs/"
    keys = [o["Key"] for o in world.client("s3").list_objects_v2(Bucket="lake")["Contents"]]
    assert keys == ["logs/day=2024-01-01/part-00000.csv.gz", "logs/day=2024-01-02/part-00000.csv.gz"]
    assert world.observe(ds, "size") == 8 * KB
    assert world.observe(ds, "stored size") < 8 * KB
    assert world.observe(ds, "column count") == 4
    assert world.observe(ds, "partition count") == 2
    assert world.observe(ds, "compressed") is True and world.observe(ds, "format") == "csv"
    # read back: a file removed behind the adapter's back is seen
    world.client("s3").delete_object(Bucket="lake", Key=keys[1])
    assert world.observe(ds, "partition count") == 1


def test_what_the_adapter_cannot_write_is_not_implemented(world):
    with pytest.raises(NotImplementedByBackend):
        world.create("s3 dataset", '"big"', {"size": 100 * KB ** 3}, ())
    with pytest.raises(NotImplementedByBackend):
        world.create("s3 dataset", '"pq"', {"format": "parquet"}, ())


def test_bucket_policies_are_documents_read_back(world):
    lake = world.create("s3 bucket", '"lake"', {"bucket policy": "deny"}, ())
    doc = json.loads(world.client("s3").get_bucket_policy(Bucket=lake.id)["Policy"])
    assert doc["Statement"][0]["Effect"] == "Deny"
    assert world.observe(lake, "bucket policy") == "deny"
    world.act(lake, "update", None, {"bucket policy": "allow"})
    assert world.observe(lake, "bucket policy") == "allow"


def test_a_query_runs_over_a_table_defined_on_the_dataset(world):
    ds = world.create("s3 dataset", '"logs"', {"column count": 3}, ())
    q = world.create("athena query", '"q"', {"columns read": 2}, [("run on", ds)])
    assert world.observe(q, "state") == "succeeded"
    assert world.observe(q, "sql") == "SELECT c1, c2 FROM logs"
    assert world.observe(q, "bytes scanned") == 0  # moto runs no SQL
    assert world.relations(q) == {("run on", ds)}
    with pytest.raises(NotImplementedByBackend):
        world.create("athena query", '"denied"', {"iam permission": False}, [("run on", ds)])


def test_a_duplicate_table_is_refused_with_glues_code(world):
    ds = world.create("s3 dataset", '"logs"', {}, ())
    world.create("glue table", '"t"', {"table name": "logs"}, [("on", ds)])
    with pytest.raises(BackendError) as info:
        world.create("glue table", '"t2"', {"table name": "logs"}, [("on", ds)])
    assert info.value.code == "AlreadyExistsException"
    catalog = world.create("data catalog", '"catalog"', {}, ())
    assert world.observe(catalog, "table count") == 1
    assert world.count_related("glue table", "in", catalog) == 1


def test_a_crawler_role_reads_its_bucket_only_when_allowed(world):
    lake = world.create("s3 bucket", '"lake"', {}, ())
    ds = world.create("s3 dataset", '"logs"', {}, [("in", lake)])
    ok = world.create("glue crawler", '"ok"', {}, [("on", ds)])
    no = world.create("glue crawler", '"no"', {"iam permission": False}, [("on", ds)])
    iam = world.client("iam")
    role_of = {c.id: world.client("glue").get_crawler(Name=c.id)["Crawler"]["Role"].rsplit("/", 1)[-1] for c in (ok, no)}
    assert "scn-data" in iam.list_role_policies(RoleName=role_of[ok.id])["PolicyNames"]
    assert "scn-data" not in iam.list_role_policies(RoleName=role_of[no.id])["PolicyNames"]
    assert world.act(ok, "run", None, {}) == ("running", "ready")
    assert world.relations(ok) == {("on", ds)}


def test_teardown_deletes_roles_tables_files_and_buckets(world):
    ds = world.create("s3 dataset", '"src"', {}, ())
    dst = world.create("s3 dataset", '"dst"', {"size": 0}, ())
    job = world.create("glue job", '"etl"', {"output format": "parquet"}, [("from", ds), ("into", dst)])
    assert world.observe(job, "output compression") == "snappy"
    assert world.relations(job) == {("from", ds), ("into", dst)}
    world.create("athena query", '"q"', {}, [("run on", ds)])
    assert world.delete_created() == []
    assert world.client("s3").list_buckets()["Buckets"] == []
    assert world.client("iam").list_roles()["Roles"] == []
    assert world.client("glue").get_databases()["DatabaseList"] == []
    assert world.client("glue").get_jobs()["Jobs"] == []
