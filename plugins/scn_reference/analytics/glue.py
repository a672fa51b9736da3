"""AWS Glue: the data catalog, its tables, crawlers that fill it, and ETL jobs.

Source: specs/notes/aws-architecture-notes.md, "AWS Glue" (crawls your data, builds a
data catalog, prepares, transforms and ingests data); AWS Glue Web API Reference: a
crawler (states READY, RUNNING, STOPPING) needs at least one target and writes a table
per data store it classifies into the Data Catalog, updating the table on a later run;
StartJobRun runs a job (run states STARTING, RUNNING, STOPPING, SUCCEEDED, FAILED); Glue
writes Parquet with Snappy compression by default. Errors: InvalidInputException (a
crawler or job without its source or target, an unknown format), from the glue service model.

See the package's docstring (:mod:`scn_reference.analytics`) for the model's decisions.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from .athena import athena_charges
from .s3 import Dataset, check_layout

CATALOG_NAME = "AwsDataCatalog"


class Catalog(Resource):
    """A handle on the account's one data catalog."""

    kind = "data catalog"

    def tables(self, world) -> list:
        return [t for t in world.of_kind("glue table") if t.catalog_member]

    ATTRIBUTES = {
        "catalog name": lambda w, c: CATALOG_NAME,
        "table count": lambda w, c: len(c.tables(w)),
        "athena charges": lambda w, c: athena_charges(w),
    }


class Table(Resource):
    kind = "glue table"

    def __init__(self, id, label, dataset, name):
        super().__init__(id, label)
        self.dataset = dataset
        self.name = name
        self.catalog_member = True
        self.refresh()

    def refresh(self) -> None:
        """What a crawl (or a CREATE TABLE) records of the dataset now."""
        d = self.dataset
        self.format, self.location, self.columns, self.partitions = d.format, d.location, d.columns, d.partitions

    def relations(self, world) -> frozenset:
        return frozenset({("on", self.dataset)} | {("in", c) for c in world.of_kind("data catalog")})

    ATTRIBUTES = {
        "table name": lambda w, t: t.name,
        "format": lambda w, t: t.format,
        "location": lambda w, t: t.location,
        "column count": lambda w, t: t.columns,
        "partition count": lambda w, t: t.partitions,
    }


def table_name(dataset) -> str:
    return dataset.location.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")


class Crawler(Resource):
    kind = "glue crawler"

    def __init__(self, id: str, label: str, dataset: Dataset, permitted: bool = True) -> None:
        super().__init__(id, label)
        self.dataset = dataset
        self.permitted = permitted  # its IAM role may read the data store
        self.status: str | None = None
        self.created = 0

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        d = self.dataset
        self.created = 0
        if not d.readable or not self.permitted:
            self.status = "FAILED"  # the crawler cannot list the bucket: a bucket policy or its own role denies it
            return ("running", "stopping")
        self.status = "SUCCEEDED"
        if d.size > 0:
            table = next((t for t in world.of_kind("glue table") if t.location == d.location), None)
            if table is None:
                world.resources.append(Table(world.new_id("tbl"), f'glue table "{table_name(d)}"', d, table_name(d)))
                self.created = 1
            else:
                table.refresh()
        return ("running", "stopping")

    def relations(self, world) -> frozenset:
        return frozenset({("on", self.dataset)})

    ATTRIBUTES = {
        "state": lambda w, c: "ready",
        "last crawl status": lambda w, c: c.status,
        "tables created": lambda w, c: c.created,
        "iam permission": lambda w, c: c.permitted,
    }


class Job(Resource):
    kind = "glue job"

    def __init__(self, id: str, label: str, source: Dataset, target: Dataset, params: Mapping[str, Any]) -> None:
        super().__init__(id, label)
        self.source, self.target = source, target
        self.format = params.get("output format")
        self.codec = params.get("output compression")
        self.partitions = params.get("output partition count", 1)
        self.run_state: str | None = None
        self.written = 0.0

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        src, dst = self.source, self.target
        if not src.readable or not dst.readable:
            self.run_state = "FAILED"
            return ("starting", "running", "stopping")
        fmt = self.format or src.format
        dst.format = fmt
        dst.compression = self.codec or (("snappy" if fmt in ("parquet", "orc") else "none") if self.format else src.compression)
        dst.size, dst.columns, dst.partitions = src.size, src.columns, self.partitions
        self.run_state = "SUCCEEDED"
        self.written = dst.stored
        return ("starting", "running", "stopping")

    def relations(self, world) -> frozenset:
        return frozenset({("from", self.source), ("into", self.target)})

    ATTRIBUTES = {
        "state": lambda w, j: "ready",
        "output format": lambda w, j: j.format,
        "output compression": lambda w, j: j.codec,
        "output partition count": lambda w, j: j.partitions,
        "last run state": lambda w, j: j.run_state,
        "bytes written": lambda w, j: j.written,
    }


def _rel(relations, name):
    return next((t for r, t in relations if r == name), None)


def create_catalog(world, label, params, relations):
    return Catalog(world.new_id("catalog"), label)


def create_table(world, label, params, relations):
    dataset = _rel(relations, "on")
    if dataset is None:
        raise BackendError("InvalidInputException", "A table needs a location: the dataset it is on")
    name = params.get("table name", label.split('"')[1] if '"' in label else table_name(dataset))
    if any(t.name == name for t in world.of_kind("glue table")):
        raise BackendError("AlreadyExistsException", f"Table already exists: {name}")
    return Table(world.new_id("tbl"), label, dataset, name)


def create_crawler(world, label, params, relations):
    dataset = _rel(relations, "on")
    if dataset is None:
        raise BackendError("InvalidInputException", "A crawler needs at least one target: the dataset it is on")
    return Crawler(world.new_id("crawler"), label, dataset, params.get("iam permission", True))


def create_job(world, label, params, relations):
    source, target = _rel(relations, "from"), _rel(relations, "into")
    if source is None or target is None:
        raise BackendError("InvalidInputException", "An ETL job reads from a source dataset and writes into a target one")
    if source is target:
        raise BackendError("InvalidInputException", "An ETL job writes into another dataset than the one it reads")
    fmt = params.get("output format", source.format)
    codec = params.get("output compression", "none")
    partitions = params.get("output partition count", 1)
    check_layout(target.location, fmt, codec, source.columns, partitions, "InvalidInputException")
    return Job(world.new_id("job"), label, source, target, params)


def _count_in(world, catalog) -> int:
    return len(catalog.tables(world))


def install(world) -> None:
    world.creators["data catalog"] = create_catalog
    world.creators["glue table"] = create_table
    world.creators["glue crawler"] = create_crawler
    world.creators["glue job"] = create_job
    world.counters[("glue table", "in")] = _count_in
