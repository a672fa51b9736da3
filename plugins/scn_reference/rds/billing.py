"""What an RDS DB instance is billed for: instance hours, storage, I/O, provisioned IOPS, egress,
backup storage.

Sources: specs/notes/aws-architecture-notes.md, "Billing and Provisioning" (instance hours with
partial hours charged as full hours; storage GB-month; I/O requests for magnetic storage;
provisioned IOPS for io1; egress; backup storage); AWS today: "DB instance billing for Amazon
RDS" / "On-Demand DB instances" (per second, with a 10-minute minimum each time billing starts,
including after a billable configuration change such as a class change), "Amazon RDS pricing"
(backup storage free up to 100% of the provisioned storage; I/O charged for magnetic storage only;
IOPS charged for Provisioned IOPS storage).

Decisions: the notes' hourly rounding is the default; the world setting "db per-second billing"
set to true gives AWS's per-second billing with its 10-minute minimum. Each start (creation, a
start after a stop, a class change) opens a billing period; a stopped instance is not billed for
instance hours. Prices are illustrative us-east-1 list prices (MySQL, USD); a Multi-AZ deployment
costs twice. Backup storage: the automated backups of an instance count as one full copy of its
storage (they are incremental) and each manual snapshot as another; the allowance is the
instance's own provisioned storage (AWS: the Region's total). Egress ignores the free tier.
Specs claim figures computed from these tables or ratios, never AWS's live prices.
"""

from __future__ import annotations

import math

HOURLY = {"db.t3.micro": 0.017, "db.t3.small": 0.034, "db.t3.medium": 0.068,
          "db.m5.large": 0.171, "db.m5.xlarge": 0.342, "db.r5.large": 0.25}
STORAGE_GB_MONTH = {"gp2": 0.115, "gp3": 0.115, "io1": 0.125, "standard": 0.10}
IOPS_MONTH = 0.10  # per provisioned IOPS-month (io1)
IO_PER_MILLION = 0.10  # per million I/O requests (magnetic)
BACKUP_GB_MONTH = 0.095
EGRESS_GB = 0.09
HOUR = 3600
PER_SECOND_MINIMUM = 600
GB = 1024**3


def billed_seconds(world, db) -> float:
    total = 0.0
    per_second = world.settings["db per-second billing"]
    for period in db.run_periods:
        used = (world.now if period.end is None else period.end) - period.start
        total += max(PER_SECOND_MINIMUM, used) if per_second else max(1, math.ceil(used / HOUR)) * HOUR
    return total


def deployments(db) -> int:
    return 2 if db.multi_az else 1


def hourly_price(db) -> float | None:
    price = HOURLY.get(db.instance_class)
    return None if price is None else round(price * deployments(db), 6)


def instance_charge(world, db) -> float | None:
    price = hourly_price(db)
    return None if price is None else round(billed_seconds(world, db) / HOUR * price, 6)


def backup_storage(world, db) -> int:
    snaps = [s for s in world.rds.snapshots if s.db is db and not s.deleted]
    manual = [s for s in snaps if s.type == "manual"]
    return (len(manual) + (1 if len(snaps) > len(manual) else 0)) * db.storage


def backup_storage_charge(world, db) -> float:
    free = 0 if db.deleted else db.storage
    return round(max(0, backup_storage(world, db) - free) / GB * BACKUP_GB_MONTH, 6)


READERS = {
    "billed": lambda w, d: not d.deleted and d.state != "stopped",
    "billed instance time": billed_seconds,
    "hourly price": lambda w, d: hourly_price(d),
    "instance charge": instance_charge,
    "monthly storage charge": lambda w, d: round(d.storage / GB * STORAGE_GB_MONTH[d.storage_type] * deployments(d), 6),
    "io request price": lambda w, d: IO_PER_MILLION if d.storage_type == "standard" else None,
    "provisioned iops charge": lambda w, d: round(d.iops * IOPS_MONTH * deployments(d), 6) if d.storage_type == "io1" else None,
    "egress charge": lambda w, d: round(d.egress / GB * EGRESS_GB, 6),
    "backup storage": backup_storage,
    "backup storage charge": backup_storage_charge,
}
