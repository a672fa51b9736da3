"""What RDS's DB instances and read replicas answer for each attribute: the readers of the words in
:mod:`.kinds`, installed as the classes' ``ATTRIBUTES`` when this module is imported (the package's
``__init__`` does); the charges are :mod:`.billing`'s.

Times are ISO 8601 UTC, counted from the virtual clock's epoch (Monday 2024-01-01 00:00 UTC).
"""

from __future__ import annotations

from datetime import timedelta

from ..region import EPOCH
from . import billing
from .instances import ENGINES, DBInstance
from .replicas import ReadReplica


def _stamp(seconds: float | None) -> str | None:
    return None if seconds is None else (EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _lag(w, d):
    t = d.latest_restorable()
    return None if t is None else w.now - t


def _replication_mode(w, d):
    if d.kind == "read replica" and not d.promoted:
        return "asynchronous"
    return "synchronous" if d.multi_az else None


READERS = {
    "state": lambda w, d: "deleted" if d.deleted else d.state,
    "identifier": lambda w, d: d.identifier,
    "engine": lambda w, d: d.engine,
    "license model": lambda w, d: d.license,
    "instance class": lambda w, d: d.instance_class,
    "allocated storage": lambda w, d: d.storage,
    "storage type": lambda w, d: d.storage_type,
    "iops": lambda w, d: d.iops,
    "multi-az": lambda w, d: d.multi_az,
    "availability zone": lambda w, d: d.zone,
    "secondary availability zone": lambda w, d: d.standby_zone if d.multi_az else None,
    "encrypted": lambda w, d: d.encrypted,
    "kms key id": lambda w, d: d.kms_key,
    "iam database authentication": lambda w, d: d.iam_auth,
    "backup retention": lambda w, d: d.retention * 86400,
    "backup window": lambda w, d: d.backup_window,
    "maintenance window": lambda w, d: d.maintenance_window,
    "pending maintenance": lambda w, d: d.pending_maintenance,
    "endpoint": lambda w, d: d.endpoint,
    "port": lambda w, d: ENGINES[d.engine][0],
    "host access": lambda w, d: False,
    "replication mode": _replication_mode,
    "read only": lambda w, d: d.kind == "read replica" and not d.promoted,
    "data version": lambda w, d: d.data_version,
    "data size": lambda w, d: d.data_size,
    "data transfer out": lambda w, d: d.egress,
    "latest restorable time": lambda w, d: _stamp(d.latest_restorable()),
    "restore lag": _lag,
    "point-in-time restore": lambda w, d: d.retention > 0 and d.storage_engine != "myisam",
    "parameter group": lambda w, d: d.parameter_group,
    "db security group": lambda w, d: d.security_group,
    "storage engine": lambda w, d: d.storage_engine,
    "delete automated backups": lambda w, d: True,
    "event source type": lambda w, d: "db-instance",
    **billing.READERS,
}

DBInstance.ATTRIBUTES = READERS
ReadReplica.ATTRIBUTES = {
    **READERS,
    "replication source": lambda w, r: None if r.promoted else r.source.identifier,
    "region": lambda w, r: r.region,
    "replication charge": lambda w, r: r.replication_charge(w),
}
