"""Amazon RDS snapshots and automated backups, point-in-time restore, KMS keys, sharing.

Sources: specs/notes/aws-architecture-notes.md, "DBsnapshots", "Encryption", "Backup and
Restore"; AWS where the notes are silent or dated: RDS user guide "Managing automated backups"
(a first backup when the instance is created, then one a day in the preferred backup window;
none while the instance is not available; retention 0-35 days; setting it from 0 to a positive
value takes a backup at once, setting it to 0 deletes the automated backups), "Retaining automated
backups" (DeleteDBInstance deletes them unless DeleteAutomatedBackups is false), "Restoring to a
specified time" (transaction logs uploaded every 5 minutes: the latest restorable time is at most
5 minutes behind), "Restoring from a DB snapshot" (the default DB parameter group and security
group unless others are given), "Copying a DB snapshot" (an unencrypted snapshot can be copied
encrypted), "Sharing a DB snapshot" (manual snapshots; not one encrypted with the default
aws/rds key); error codes from botocore's rds model (DBSnapshotNotFound, InvalidDBInstanceState,
PointInTimeRestoreNotEnabled, DBInstanceAutomatedBackupNotFound).

Decisions: `the number of db snapshots of "db"` counts its manual and automated snapshots, as
DescribeDBSnapshots does without a SnapshotType. `given an automated backup "b" of "db"` names the
instance's automated backup (DescribeDBInstanceAutomatedBackups: one per instance, made by RDS,
never by a spec); it is refused when the instance has none. Sharing an encrypted snapshot that
uses the default key is refused with InvalidParameterValue (AWS documents the rule, not the code:
specs say `then it fails`). KMS keys are account keys of a Region; the default aws/rds key of a
Region exists in every world.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..model import Resource
from .instances import (
    ACCOUNT,
    REGION,
    DBInstance,
    backup_window_start,
    default_key,
    occurrences,
    refuse,
    restore_source,
)

REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1")


class Store:
    """What the RDS part keeps in one world."""

    def __init__(self) -> None:
        self.instances: list[DBInstance] = []  # DB instances and read replicas, in creation order
        self.snapshots: list[Snapshot] = []
        self.backups: dict[str, AutomatedBackup] = {}
        self.default_keys: dict[str, str] = {}
        self.keys = 0

    def replicas_of(self, world, db) -> list[DBInstance]:
        # a read replica (replicas.ReadReplica: that module imports this one) has the source it replicates
        return [r for r in self.instances if r.kind == "read replica" and getattr(r, "source", None) is db
                and not r.promoted and r.exists(world)]

    def automated(self, db) -> list:
        return [s for s in self.snapshots if s.db is db and s.type == "automated" and not s.deleted]

    def backup_now(self, world, db, at: float | None = None) -> None:
        if db.retention > 0 and not db.deleted:
            self.snapshots.append(Snapshot(world.new_id("rds"), f"rds:{db.identifier}", db, "automated", at if at is not None else world.now))
            self.backups.setdefault(db.id, AutomatedBackup(world.new_id("ab"), f"automated backup of {db.label}", db))

    def drop_automated(self, db) -> None:
        for s in self.automated(db):
            s.deleted = True
        if db.id in self.backups:
            self.backups[db.id].gone = True

    def delete(self, world, db, keep_backups: bool) -> None:
        db.deleted, db.deleted_at = True, world.now
        if db.run_periods[-1].end is None:
            db.run_periods[-1].end = world.now
        for replica in self.replicas_of(world, db):  # replicas left behind are promoted to standalone DB instances
            promote(world, replica)
        backup = self.backups.get(db.id)
        if keep_backups and backup is not None:
            backup.retained = True
        else:
            self.drop_automated(db)


def promote(world, replica) -> None:
    version, replica.replicated_bytes = replica.data_version, replica.replicated()
    replica.promoted = True
    replica.retention = 1  # PromoteReadReplica: BackupRetentionPeriod "Default: 1"
    replica.writes = [(world.now, version)]  # frozen: it no longer replicates
    world.rds.backup_now(world, replica)


class KmsKey(Resource):
    kind = "kms key"

    def __init__(self, id, label, region, arn):
        super().__init__(id, label)
        self.region, self.arn = region, arn

    ATTRIBUTES = {
        "state": lambda w, k: "enabled",
        "key id": lambda w, k: k.arn,
        "region": lambda w, k: k.region,
        "key manager": lambda w, k: "CUSTOMER",
    }


class Account(Resource):
    kind = "aws account"

    def __init__(self, id, label, number):
        super().__init__(id, label)
        self.number = number

    ATTRIBUTES = {"state": lambda w, a: "active", "account id": lambda w, a: a.number}


class Snapshot(Resource):
    kind = "db snapshot"

    def __init__(self, id: str, label: str, db: DBInstance, type_: str, at: float, version: int | None = None) -> None:
        super().__init__(id, label)
        self.db, self.type, self.created_at = db, type_, at
        self.version = db.version_at(at) if version is None else version
        self.engine, self.storage, self.retention = db.engine, db.storage, db.retention
        self.encrypted, self.kms_key = db.encrypted, db.kms_key
        self.deleted = False
        self.shared: list[Account] = []

    CREATION = ("creating",)

    def relations(self, world) -> frozenset:
        return frozenset([("of", self.db)] + [("shared with", a) for a in self.shared])

    def check_restorable(self, world) -> None:
        if self.deleted:
            refuse("DBSnapshotNotFound", f"DBSnapshot {self.label} not found.")

    def restored_version(self, world) -> int:
        return self.version

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if self.deleted:
            refuse("DBSnapshotNotFound", f"DBSnapshot {self.label} not found.")
        if action == "share":
            if self.type != "manual":
                refuse("InvalidParameterValue", "Only manual snapshots can be shared: copy an automated snapshot first.")
            if self.encrypted and self.kms_key == default_key(world, REGION):
                refuse("InvalidParameterValue",
                       "A snapshot encrypted with the default aws/rds KMS key cannot be shared: copy it with a customer managed key.")
            if target not in self.shared:
                self.shared.append(target)
            return ()
        if action == "unshare":
            if target in self.shared:
                self.shared.remove(target)
            return ()
        if action == "delete":
            self.deleted = True
            return ("deleting",)
        return super().act(world, action, target, params)  # pragma: no cover

    ATTRIBUTES = {
        "state": lambda w, s: "available",
        "snapshot type": lambda w, s: s.type,
        "encrypted": lambda w, s: s.encrypted,
        "kms key id": lambda w, s: s.kms_key,
        "data version": lambda w, s: s.version,
        "engine": lambda w, s: s.engine,
        "allocated storage": lambda w, s: s.storage,
        "snapshot identifier": lambda w, s: s.label,
        "event source type": lambda w, s: "db-snapshot",
        "point-in-time restore": lambda w, s: False,
    }


class AutomatedBackup(Resource):
    kind = "automated backup"

    def __init__(self, id, label, db):
        super().__init__(id, label)
        self.db = db
        self.retained = False
        self.gone = False

    def exists(self, world) -> bool:
        if self.retained:  # kept for the retention period after the instance was deleted
            return world.now <= self.db.deleted_at + self.db.retention * 86400
        return not self.gone

    ATTRIBUTES = {
        "state": lambda w, b: "retained" if b.retained else "active",
        "encrypted": lambda w, b: b.db.encrypted,
        "kms key id": lambda w, b: b.db.kms_key,
        "backup retention": lambda w, b: b.db.retention * 86400,
        "snapshot count": lambda w, b: len(w.rds.automated(b.db)),
    }


def create_snapshot(world, label: str, params: Mapping[str, Any], relations) -> Snapshot:
    of = next((t for r, t in relations if r == "of"), None)
    source = restore_source(relations)
    key = next((t for r, t in relations if r == "with"), None)
    if source is not None:  # CopyDBSnapshot
        source.check_restorable(world)
        snap = Snapshot(world.new_id("rds"), label, source.db, "manual", world.now, source.version)
        snap.storage, snap.engine = source.storage, source.engine
        encrypt = params.get("encrypted", source.encrypted or key is not None)
        if source.encrypted and not encrypt:
            refuse("InvalidParameterCombination", "A copy of an encrypted snapshot is encrypted: it cannot be decrypted.")
        snap.encrypted = bool(encrypt)
        snap.kms_key = (key.arn if key is not None else source.kms_key or default_key(world, REGION)) if encrypt else None
    elif of is not None:  # CreateDBSnapshot
        of.need("available")
        if params.get("encrypted", of.encrypted) != of.encrypted or key is not None:
            refuse("InvalidParameterCombination", "A DB snapshot has the encryption of its DB instance; copy it to change that.")
        snap = Snapshot(world.new_id("rds"), label, of, "manual", world.now)
    else:
        refuse("InvalidParameterValue", "A DB snapshot is taken of a DB instance or copied from another snapshot.")
    world.rds.snapshots.append(snap)
    return snap


def create_automated_backup(world, label: str, params, relations) -> AutomatedBackup:
    db = next((t for r, t in relations if r == "of"), None)
    backup = world.rds.backups.get(db.id) if db is not None else None
    if backup is None or not backup.exists(world):
        refuse("DBInstanceAutomatedBackupNotFound", "No automated backup: the DB instance's backup retention period is 0.")
    return backup


def create_key(world, label: str, params, relations) -> KmsKey:
    region = params.get("region", REGION)
    if region not in REGIONS:
        refuse("InvalidParameterValue", f"Unknown Region {region}.")
    world.rds.keys += 1
    n = world.rds.keys
    return KmsKey(world.new_id("key"), label, region, f"arn:aws:kms:{region}:{ACCOUNT}:key/{n:08d}-0000-4000-8000-{n:012d}")


def create_account(world, label: str, params, relations) -> Account:
    return Account(world.new_id("acct"), label, f"{444455556666 + len(world.of_kind('aws account')):012d}")


def count_snapshots(world, db) -> int:
    return len([s for s in world.rds.snapshots if s.db is db and not s.deleted])


def on_tick(world, db: DBInstance, start: float, end: float) -> None:
    """Daily automated backups in the backup window of an available instance; expiry after the retention period."""
    if db.deleted or db.retention <= 0:
        return
    for at in occurrences(backup_window_start(db.backup_window), 86400, start, end):
        if db.running_at(at) and db.created_at < at:
            world.rds.backup_now(world, db, at)
    for s in world.rds.automated(db):
        if s.created_at < end - db.retention * 86400:
            s.deleted = True
