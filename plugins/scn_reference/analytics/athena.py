"""Amazon Athena: queries over datasets in S3 or tables of the data catalog, and what they cost."""

from __future__ import annotations

import math
import re

from scenario.errors import BackendError

from ..model import Resource
from .s3 import COLUMNAR, MB, TB, name_of

PRICE_PER_TB = 5.0
MIN_BILLED = 10 * MB
DPU_HOUR = 0.30
MIN_DPUS = 4  # TargetDpus min 4 in the athena service model (the 2023 blog post said 24)
SQL_START = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)
ACCESS_DENIED_S3 = "Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)"


class Query(Resource):
    kind = "athena query"

    def __init__(self, id, label, source, dataset, params, mode):
        super().__init__(id, label)
        self.source = source
        self.sql = params.get("sql", f"SELECT * FROM {name_of(dataset.label)}")
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


def install(world) -> None:
    world.creators["athena query"] = run_query
