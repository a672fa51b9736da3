"""Athena, Glue and EMR in the reference model (analytics*.py): the branches the specs do not reach,
through World methods, and sentences that state wrong beliefs and must fail."""

from __future__ import annotations

import textwrap

import pytest
from helpers.reference import refused

from scenario import plugins
from scenario.compiler import compile_text
from scenario.runner import run_scenario
from scn_reference import scn_backends
from scn_reference.analytics.athena import athena_charges
from scn_reference.analytics.s3 import GB, MB


def dataset(world, label='s3 dataset "logs"', relations=(), **params):
    return world.create("s3 dataset", label, params, tuple(relations))


def query(world, on, label='athena query "q"', **params):
    return world.create("athena query", label, params, (("run on", on),))


# ------------------------------------------------------------------ datasets and queries
@pytest.mark.parametrize("params", [{"compression": "lz4"}, {"column count": 0}, {"partition count": 0}])
def test_a_dataset_layout_outside_the_model_is_refused(world, params):
    refused("InvalidRequestException", dataset, world, **params)


def test_a_dataset_defaults_and_its_bucket(world):
    lake = world.create("s3 bucket", 's3 bucket "lake"', {"bucket name": "my-lake"}, ())
    logs = dataset(world, relations=(("in", lake),))
    assert world.observe(logs, "location") == "s3://my-lake/logs/"
    assert [world.observe(logs, a) for a in ("format", "compression", "size", "column count", "partition count")] == \
        ["csv", "none", GB, 10, 1]
    assert world.observe(lake, "bucket name") == "my-lake"
    assert world.observe(lake, "bucket policy") == "allow"
    refused("MalformedPolicy", world.act, lake, "update", None, {"bucket policy": "open"})
    unnamed = dataset(world, "s3 dataset #1")
    assert world.observe(unnamed, "location") == "s3://data-lake/s3-dataset-1/"


def test_a_query_and_what_it_reads(world):
    logs = dataset(world, **{"partition count": 4})
    q = query(world, logs, sql="with x as (select 1) select * from x", **{"partitions read": 9})
    assert world.relations(q) == frozenset({("run on", logs)})
    assert world.creation_states(q) == ("queued", "running")
    assert world.observe(q, "partitions read") == 4  # a filter cannot keep more partitions than there are
    assert world.observe(q, "columns read") == 10
    assert world.observe(q, "sql").startswith("with")
    assert world.observe(q, "iam permission") is True
    assert world.observe(q, "state reason") is None
    assert world.observe(q, "billed bytes") == GB
    default = query(world, logs, 'athena query "d"')
    assert world.observe(default, "sql") == "SELECT * FROM logs"


def test_a_query_needs_a_source_and_sensible_reads(world):
    logs = dataset(world)
    refused("InvalidRequestException", world.create, "athena query", "athena query", {}, ())
    refused("ReferenceModel.InvalidParameter", query, world, logs, **{"partitions read": 0})
    empty = query(world, logs, sql="   ")
    assert world.observe(empty, "state") == "failed"


def test_an_unknown_capacity_mode_is_refused(world):
    world.set_setting("athena capacity mode", "spot")
    refused("InvalidRequestException", query, world, dataset(world))


def test_provisioned_charges_need_the_minimum_dpus(world):
    world.set_setting("athena capacity mode", "provisioned")
    world.set_setting("athena provisioned dpus", 3)
    refused("InvalidRequestException", athena_charges, world)


def test_the_minimum_billed_scan_is_ten_megabytes(world):
    q = query(world, dataset(world, size=1))
    assert world.observe(q, "billed bytes") == 10 * MB
    assert world.observe(q, "cost") == pytest.approx(10 / 1024 / 1024 * 5, abs=1e-8)


# ------------------------------------------------------------------ Glue
def test_crawler_job_and_table_relations(world):
    raw = dataset(world, 's3 dataset "raw"')
    out = dataset(world, 's3 dataset "out"')
    crawler = world.create("glue crawler", 'glue crawler "c"', {}, (("on", raw),))
    job = world.create("glue job", 'glue job "j"', {"output compression": "gzip"}, (("from", raw), ("into", out)))
    assert world.relations(crawler) == frozenset({("on", raw)})
    assert world.relations(job) == frozenset({("from", raw), ("into", out)})
    assert world.observe(crawler, "state") == "ready" and world.observe(crawler, "last crawl status") is None
    assert [world.observe(job, a) for a in ("state", "output format", "output compression", "output partition count",
                                            "last run state", "bytes written")] == ["ready", None, "gzip", 1, None, 0.0]
    world.act(job, "run", None, {})
    assert world.observe(out, "compression") == "gzip" and world.observe(out, "format") == "csv"
    catalog = world.create("data catalog", 'data catalog "cat"', {}, ())
    world.act(crawler, "run", None, {})
    table = world.of_kind("glue table")[0]
    assert world.observe(table, "table name") == "raw"
    assert [world.observe(table, a) for a in ("format", "location", "column count", "partition count")] == \
        ["csv", "s3://data-lake/raw/", 10, 1]
    assert world.relations(table) == frozenset({("on", raw), ("in", catalog)})
    assert world.count_related("glue table", "in", catalog) == 1


def test_glue_refusals(world):
    raw = dataset(world)
    refused("InvalidInputException", world.create, "glue table", "glue table", {}, ())
    refused("InvalidInputException", world.create, "glue job", "glue job", {}, (("from", raw), ("into", raw)))


# ------------------------------------------------------------------ EMR
def test_emr_refusals_and_defaults(world):
    refused("ValidationException", world.create, "emr cluster", "emr cluster", {"release label": "7.1"}, ())
    refused("ValidationException", world.create, "emr cluster", "emr cluster", {"instance count": 0}, ())
    refused("ValidationException", world.create, "emr cluster", "emr cluster", {"availability zones": " , "}, ())
    c = world.create("emr cluster", 'emr cluster "c"', {"applications": "Spark, spark"}, ())
    assert world.observe(c, "applications") == "Hadoop, Spark"
    assert [world.observe(c, a) for a in ("release label", "availability zones", "instance fleets", "instance count")] == \
        ["emr-7.1.0", "us-east-1a", False, 3]
    assert world.observe(c, "cluster id").startswith("j-")
    assert world.observe(c, "state") == "waiting"


# ------------------------------------------------------------------ sentences that must fail
def test_wrong_beliefs_fail_on_the_reference_model():
    feature = compile_text(textwrap.dedent("""
        feature: wrong beliefs
          scenario: a columnar copy scans as much as CSV
            given an s3 dataset "csv" with size 10 GB
            and an s3 dataset "pq" with size 10 GB and format "parquet"
            when an athena query "a" is run on "csv" with columns read 1
            and an athena query "b" is run on "pq" with columns read 1
            then the bytes scanned of "b" equals the bytes scanned of "a"

          scenario: a tiny query is billed what it scans
            given an s3 dataset "tiny" with size 1 KB
            when an athena query "q" is run on "tiny"
            then the billed bytes of "q" is 1 KB

          scenario: an EMR cluster spans zones with instance groups
            given an emr cluster "c" with availability zones "us-east-1a, us-east-1b"
            then the zone count of "c" is 2

          scenario: a crawler leaves the catalog empty
            given an s3 dataset "logs"
            and a data catalog "cat"
            and a glue crawler "c" on "logs"
            when "c" is run
            then the table count of "cat" is 0
    """), plugins.vocabulary(), "t.scn")
    statuses = [run_scenario(sc, scn_backends()[0]).status for sc in feature.scenarios]
    assert statuses == ["failed", "failed", "error", "failed"]
