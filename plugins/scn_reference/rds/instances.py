"""Amazon RDS DB instances: engines, licences, quotas, endpoints, IAM authentication,
encryption at rest, Multi-AZ with its synchronous standby and failover, maintenance.

Sources: specs/notes/aws-architecture-notes.md, "Amazon RDS", "Encryption", "Multi AZ and
Read Replicas", "Backup and Restore"; AWS where the notes are silent or dated: RDS user guide
"Quotas and constraints for Amazon RDS" (40 DB instances, adjustable; 10 per SQL Server edition
and 10 Oracle under license-included), "IAM database authentication" (MariaDB, MySQL,
PostgreSQL), "Encrypting Amazon RDS resources" (no in-place encryption; replicas, snapshots,
backups share the key), "Multi-AZ DB instance deployments" (synchronous standby in another zone;
failover keeps the endpoint; failovers typically take 60-120 s), "Maintaining a DB instance"
(pending maintenance applied in the weekly preferred maintenance window; OS maintenance of a
Multi-AZ instance fails it over); API reference CreateDBInstance / ModifyDBInstance /
RebootDBInstance (ForceFailover) / ApplyPendingMaintenanceAction; error codes from botocore's
rds service model (InstanceQuotaExceeded, InvalidDBInstanceState) and AWS's common errors
(InvalidParameterValue: "Invalid DB engine", InvalidParameterCombination).

Decisions:
- Engines use the API's names (mysql, mariadb, postgres, oracle-ee, oracle-se2, sqlserver-ee/-se/
  -ex/-web; aurora-mysql, aurora-postgresql). A spec that names none gets mysql. Aurora is an RDS
  engine, but an Aurora DB instance belongs to a DB cluster (the Aurora part's business): a
  standalone one is refused (InvalidParameterCombination; AWS documents no code, specs say
  `then it fails`). RDS for Db2 (db2-se, db2-ae; AWS today, not in the notes' six engines) is
  refused as an unknown engine unless the world setting "db2 engine" is true.
- The model is the RDS API: a DB instance created without a retention period keeps automated
  backups 1 day (CreateDBInstance, BackupRetentionPeriod "Default: 1"); 7 is the console's.
- Data is a counter: each write bumps the "data version" (and adds its size). It makes
  replication (synchronous standby, asynchronous replicas) and restores (snapshot, point in time)
  observable.
- The virtual clock starts on Monday 2024-01-01 00:00 UTC, so windows ("mon:03:00-mon:03:30",
  "03:00-03:30") fall at known offsets.
- What happens to a DB instance after its creation (modify, reboot, failover, maintenance,
  faults, stop/start/delete, the clock) is in :mod:`.actions`, which registers each verb in
  ``world.actors[("db instance", verb)]``; :meth:`DBInstance.act` dispatches through it.

The bottom of the package: the constants, the DB instance (which :mod:`.replicas` builds on),
its creation and checks, the Region's default aws/rds key and a restore's source; it imports
nothing of the package but the words.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, NoReturn, Sequence

import attrs

from scenario.errors import BackendError

from ..model import Resource

REGION = "us-east-1"
ZONES = tuple(f"us-east-1{z}" for z in "abcdef")
PRIMARY_ZONE, STANDBY_ZONE = "us-east-1a", "us-east-1b"
ACCOUNT = "111122223333"
ENDPOINT_DOMAIN = "c0example1ab.us-east-1.rds.amazonaws.com"

#: engine → (port, licence models allowed (the first is the default), IAM DB auth, default parameter group)
ENGINES: dict[str, tuple[int, tuple[str, ...], bool, str]] = {
    "mysql": (3306, ("general-public-license",), True, "default.mysql8.0"),
    "mariadb": (3306, ("general-public-license",), True, "default.mariadb10.11"),
    "postgres": (5432, ("postgresql-license",), True, "default.postgres16"),
    "oracle-ee": (1521, ("bring-your-own-license",), False, "default.oracle-ee-19"),
    "oracle-se2": (1521, ("bring-your-own-license", "license-included"), False, "default.oracle-se2-19"),
    "sqlserver-ee": (1433, ("license-included",), False, "default.sqlserver-ee-16.0"),
    "sqlserver-se": (1433, ("license-included",), False, "default.sqlserver-se-16.0"),
    "sqlserver-ex": (1433, ("license-included",), False, "default.sqlserver-ex-16.0"),
    "sqlserver-web": (1433, ("license-included",), False, "default.sqlserver-web-16.0"),
    "db2-se": (50000, ("bring-your-own-license", "marketplace-license"), False, "default.db2-se-11.5"),
    "db2-ae": (50000, ("bring-your-own-license", "marketplace-license"), False, "default.db2-ae-11.5"),
}
DB2_ENGINES = ("db2-se", "db2-ae")  # AWS today, not in the notes: only with the world setting "db2 engine"
AURORA_ENGINES = ("aurora-mysql", "aurora-postgresql")
LICENSE_INCLUDED_LIMIT = 10  # per SQL Server edition, and for Oracle (all editions together)
MAX_RETENTION_DAYS = 35
DEFAULT_RETENTION_DAYS = 1  # the API's and the CLI's default
DEFAULT_BACKUP_WINDOW = "03:00-03:30"
DEFAULT_MAINTENANCE_WINDOW = "sun:05:00-sun:05:30"
LOG_UPLOAD_SECONDS = 300  # transaction logs are uploaded every 5 minutes: the latest restorable time lags by < 5 min
FAILOVER_SECONDS = 60
SINGLE_AZ_RECOVERY_SECONDS = 600
AUTO_START_SECONDS = 7 * 86400  # a stopped DB instance is started again after seven days
STORAGE_TYPES = ("gp2", "gp3", "io1", "standard")
STORAGE_ENGINES = ("innodb", "myisam")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")



def refuse(code: str, message: str) -> NoReturn:
    raise BackendError(code, message)


def days(seconds: int) -> int:
    if seconds % 86400:
        refuse("InvalidParameterValue", "The backup retention period is a whole number of days.")
    return seconds // 86400


def check_retention(seconds: int) -> int:
    d = days(seconds)
    if not 0 <= d <= MAX_RETENTION_DAYS:
        refuse("InvalidParameterValue",
               f"Invalid backup retention period: {d}. The backup retention period must be between 0 and {MAX_RETENTION_DAYS} days.")
    return d


def clock(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


def backup_window_start(window: str) -> int:
    """Seconds after midnight UTC at which a daily window "hh:mm-hh:mm" opens."""
    try:
        start, _end = window.split("-")
        return clock(start)
    except ValueError:
        refuse("InvalidParameterValue", f"The backup window {window!r} is not hh24:mi-hh24:mi.")


def maintenance_window_start(window: str) -> int:
    """Seconds after Monday 00:00 UTC at which a weekly window "ddd:hh:mm-ddd:hh:mm" opens."""
    try:
        start, _end = window.split("-")
        day, rest = start.split(":", 1)
        return DAYS.index(day.lower()) * 86400 + clock(rest)
    except ValueError:
        refuse("InvalidParameterValue", f"The maintenance window {window!r} is not ddd:hh24:mi-ddd:hh24:mi.")


def occurrences(offset: int, period: int, start: float, end: float) -> list[float]:
    """The moments offset + k·period in (start, end]."""
    k = math.floor((start - offset) / period) + 1
    out: list[float] = []
    while offset + k * period <= end:
        out.append(offset + k * period)
        k += 1
    return out


def identifier(label: str) -> str:
    """The DBInstanceIdentifier: the spec's name (`db instance "db"` → db), else its label (db-instance-1)."""
    quoted = label.split('"')
    name = quoted[1] if len(quoted) > 2 else label
    return "-".join(name.lower().replace("#", "").split())


@attrs.define
class RunPeriod:
    """A billed period of a DB instance: running from ``start`` until ``end`` (None: it still runs)."""

    start: float
    end: float | None = None


class DBInstance(Resource):
    """A DB instance (also the base of a read replica)."""

    kind = "db instance"

    def __init__(self, id: str, label: str, engine: str, params: Mapping[str, Any], world):
        super().__init__(id, label)
        self._world = world
        self.region = REGION
        self.engine = engine
        self.license = params.get("license model", ENGINES[engine][1][0])
        self.instance_class = params.get("instance class", "db.t3.micro")
        self.storage = params.get("allocated storage", 20 * 1024**3)
        self.storage_type = params.get("storage type", "gp2")
        self.iops = params.get("iops")
        self.multi_az = bool(params.get("multi-az", False))
        self.zone = params.get("availability zone", PRIMARY_ZONE)
        self.standby_zone = STANDBY_ZONE if self.zone != STANDBY_ZONE else PRIMARY_ZONE
        self.encrypted = False
        self.kms_key: str | None = None
        self.iam_auth = bool(params.get("iam database authentication", False))
        self.retention = DEFAULT_RETENTION_DAYS
        self.backup_window = params.get("backup window", DEFAULT_BACKUP_WINDOW)
        self.maintenance_window = params.get("maintenance window", DEFAULT_MAINTENANCE_WINDOW)
        self.pending_maintenance = params.get("pending maintenance")
        self.parameter_group = params.get("parameter group", ENGINES[engine][3])
        self.security_group = params.get("db security group", "default")
        self.storage_engine = params.get("storage engine", "innodb" if engine in ("mysql", "mariadb") else None)
        self.state = "available"
        self.created_at = world.now
        self.deleted = False
        self.writes: list[tuple[float, int]] = [(world.now, 0)]  # (time, data version after the write)
        self.data_size = 0
        self.egress = 0
        self.recover_at: float | None = None  # a failover or an in-place recovery in progress completes then
        self.stopped_at: float | None = None
        self.run_periods: list[RunPeriod] = [RunPeriod(world.now)]  # billed periods, oldest first
        self.promoted = False

    # ------------------------------------------------------------ data
    @property
    def data_version(self) -> int:
        return self.writes[-1][1]

    def version_at(self, t: float) -> int:
        return max((v for when, v in self.writes if when <= t), default=0)

    def write(self, world, size: int) -> None:
        self.writes.append((world.now, self.data_version + 1))
        self.data_size += size

    def running_at(self, t: float) -> bool:
        """Available (not stopped) at the moment t, by its billing periods."""
        return any(p.start <= t and (p.end is None or t < p.end) for p in self.run_periods)

    # ------------------------------------------------------------ lifecycle helpers
    @property
    def identifier(self) -> str:
        return identifier(self.label)

    @property
    def endpoint(self) -> str | None:
        return f"{self.identifier}.{ENDPOINT_DOMAIN}" if not self.deleted else None

    def creation_states(self, world) -> Sequence[str]:
        return ("creating", "backing-up") if self.retention > 0 else ("creating",)

    def enter(self, world, state: str) -> None:
        previous, self.state = self.state, state
        world.emit("entered", self, previous, state)

    def swap_zones(self) -> None:
        self.zone, self.standby_zone = self.standby_zone, self.zone

    def need(self, *states: str) -> None:
        if self.deleted or self.state not in states:
            refuse("InvalidDBInstanceState", f"DB instance {self.identifier} is not in {' or '.join(states)} state (it is {self.state}).")

    def latest_restorable(self) -> float | None:
        if self.retention <= 0 or self.deleted:
            return None
        until = self.stopped_at if self.stopped_at is not None else world_now(self)
        return max(self.created_at, math.floor(until / LOG_UPLOAD_SECONDS) * LOG_UPLOAD_SECONDS)

    def check_restorable(self, world) -> None:
        """RestoreDBInstanceToPointInTime needs the source's automated backups."""
        if self.deleted:
            refuse("DBInstanceNotFound", f"DBInstance {self.identifier} not found.")
        if self.retention <= 0:
            refuse("PointInTimeRestoreNotEnabled", f"{self.identifier} has a backup retention period of 0: no point-in-time restore.")

    def restored_version(self, world) -> int:
        t = self.latest_restorable()
        assert t is not None, "check_restorable refused a source without automated backups"
        return self.version_at(t)

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        actor = world.actors.get(("db instance", action))  # registered by the actions module
        if actor is None:
            refuse("ReferenceModel.NotAnAction", f"{action} on a DB instance")  # pragma: no cover
        return actor(world, self, target, params)

    def explain(self, world, attribute: str) -> str | None:
        if attribute in ("availability zone", "secondary availability zone") and self.multi_az:
            return f"Multi-AZ: primary in {self.zone}, standby in {self.standby_zone}"
        return None


def world_now(db: DBInstance) -> float:
    return db._world.now


def default_key(world, region: str) -> str:
    """The ARN of the Region's default aws/rds KMS key (made the first time it is asked for)."""
    store = world.rds
    if region not in store.default_keys:
        store.keys += 1
        store.default_keys[region] = f"arn:aws:kms:{region}:{ACCOUNT}:key/{store.keys:08d}-0000-4000-8000-aws0rds0key0"
    return store.default_keys[region]


def restore_source(relations: Sequence[tuple[str, Any]]):
    """What a creation restores or copies from (`from "x"`), if anything."""
    return next((t for r, t in relations if r == "from"), None)


def set_encryption(world, db: DBInstance, encrypted: bool, key) -> None:
    if key is not None and not encrypted:
        refuse("InvalidParameterCombination", "A KMS key is given but StorageEncrypted is false.")
    db.encrypted = encrypted
    if encrypted:
        db.kms_key = key.arn if key is not None else default_key(world, REGION)


def check_engine(engine: str, world) -> None:
    if engine in DB2_ENGINES and not world.settings["db2 engine"]:
        refuse("InvalidParameterValue", f"Invalid DB engine: {engine}")
    if engine in AURORA_ENGINES:
        refuse("InvalidParameterCombination",
               f"An {engine} DB instance is a member of a DB cluster: create the cluster first (CreateDBCluster).")
    if engine not in ENGINES:
        refuse("InvalidParameterValue", f"Invalid DB engine: {engine}")


def check_iam(engine: str, enabled: bool) -> None:
    if enabled and not ENGINES[engine][2]:
        refuse("InvalidParameterCombination",
               f"IAM database authentication is available for MariaDB, MySQL and PostgreSQL, not {engine}.")


def check_quota(world, engine: str, license: str) -> None:
    live = [r for r in world.rds.instances if r.exists(world)]
    limit = world.settings["db instance limit"]
    if len(live) >= limit:
        refuse("InstanceQuotaExceeded", f"DB instance quota exceeded: the account has {len(live)} of {limit} DB instances.")
    if license == "license-included":
        family = engine if engine.startswith("sqlserver") else "oracle" if engine.startswith("oracle") else None
        same = [r for r in live if r.license == "license-included" and (r.engine == engine or family == "oracle" and r.engine.startswith("oracle"))]
        if family is not None and len(same) >= LICENSE_INCLUDED_LIMIT:
            what = f"{engine} edition" if family != "oracle" else "Oracle"
            refuse("InstanceQuotaExceeded",
                   f"DB instance quota exceeded: at most {LICENSE_INCLUDED_LIMIT} {what} DB instances under the license-included model.")


def check_params(engine: str, params: Mapping[str, Any]) -> None:
    license = params.get("license model")
    if license is not None and license not in ENGINES[engine][1]:
        refuse("InvalidParameterCombination",
               f"RDS does not support creating a DB instance with the following combination: Engine={engine}, LicenseModel={license}.")
    check_iam(engine, bool(params.get("iam database authentication", False)))
    if params.get("storage type", "gp2") not in STORAGE_TYPES:
        refuse("InvalidParameterValue", f"Invalid storage type: {params['storage type']}")
    if (params.get("storage type") == "io1") != ("iops" in params) and params.get("storage type") != "gp3":
        refuse("InvalidParameterCombination", "Provisioned IOPS go with the io1 storage type, and io1 needs them.")
    if params.get("storage engine") is not None and (engine not in ("mysql", "mariadb") or params["storage engine"] not in STORAGE_ENGINES):
        refuse("InvalidParameterValue", f"The storage engine {params['storage engine']} is not one of a MySQL DB instance's.")
    for name, parse in (("backup window", backup_window_start), ("maintenance window", maintenance_window_start)):
        if name in params:
            parse(params[name])


def create(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> DBInstance:
    source = restore_source(relations)  # a snapshot, or a DB instance to restore to its latest restorable time
    engine = params.get("engine", source.engine if source is not None else "mysql")
    check_engine(engine, world)
    check_params(engine, params)
    retention = check_retention(params["backup retention"]) if "backup retention" in params else (
        source.retention if source is not None else DEFAULT_RETENTION_DAYS)
    key = next((t for r, t in relations if r == "with"), None)
    if source is not None:
        source.check_restorable(world)
    check_quota(world, engine, params.get("license model", ENGINES[engine][1][0]))
    db = DBInstance(world.new_id("db"), label, engine, params, world)
    db.retention = retention
    if source is not None:  # restored: the source's data and encryption, the default groups unless given
        db.writes = [(world.now, source.restored_version(world))]
        db.storage = params.get("allocated storage", source.storage)
        db.encrypted, db.kms_key = source.encrypted, source.kms_key
        if "encrypted" in params and bool(params["encrypted"]) != source.encrypted:
            refuse("InvalidParameterCombination", "A restored DB instance has the encryption of its source.")
    else:
        set_encryption(world, db, bool(params.get("encrypted", False)) or key is not None and params.get("encrypted", True), key)
    world.rds.instances.append(db)
    world.rds.backup_now(world, db)  # the first backup, right after creation
    return db
