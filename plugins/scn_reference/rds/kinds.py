"""Amazon RDS's words: the kinds (DB instance, read replica, DB snapshot, automated backup, KMS key,
AWS account), their states, attributes and actions, and the world settings, as data.

Limits of the vocabulary: no `event subscription` kind (not a phrase given to this part), so RDS
events are only described by each resource's "event source type"; no DB parameter group or DB
security group kinds: a DB instance names its groups as text attributes.
Source of the facts: specs/notes/aws-architecture-notes.md, sections "Amazon RDS",
"Encryption", "Billing and Provisioning", "Multi AZ and Read Replicas", "DBsnapshots",
"Monitoring, Logging and Reporting", "Backup and Restore"; specs/facts/rds.toml.
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

C = "rds"

FAULTS = {  # participle → what fails (the notes' failover triggers 1-4)
    "zone-fail": "loss of the primary's Availability Zone",
    "instance-fail": "failure of the primary DB instance",
    "network-fail": "loss of network connectivity to the primary",
    "compute-fail": "failure of the primary's compute unit",
    "storage-fail": "failure of the primary's storage unit",
}

STATES = (
    State("creating", stable=False), State("available"), State("backing-up", stable=False),
    State("modifying", stable=False), State("rebooting", stable=False), State("failing-over", stable=False),
    State("upgrading", stable=False), State("stopping", stable=False), State("stopped"),
    State("starting", stable=False), State("deleting", stable=False),
)

MODIFIABLE = ("instance class", "allocated storage", "backup retention", "encrypted", "iam database authentication",
              "multi-az", "storage type", "iops", "backup window", "maintenance window", "parameter group", "db security group")  # what ModifyDBInstance changes


def _a(name, type_="text", description="", **kw):
    return Attribute(name, type_, description=description, **kw)


def _billing(name, description, **kw):
    return Attribute(name, "number", integer=False, capability="billing", description=description, **kw)


INSTANCE_ATTRIBUTES = (
    _a("state", description="the DB instance status: available, stopped, ... (creating, backing-up, modifying, rebooting, "
                            "failing-over, upgrading are passed through)"),
    _a("identifier", aliases=("db instance identifier",), description="its DBInstanceIdentifier (the spec's name)"),
    _a("engine", settable=True, description="the DB engine, with the API's names: mysql (the model's default), mariadb, postgres, "
                                           "oracle-ee, oracle-se2, sqlserver-ee/-se/-ex/-web (db2-se, db2-ae with the db2 engine setting); "
                                           "aurora-* belong to a DB cluster"),
    _a("license model", settable=True, description="general-public-license, postgresql-license, license-included or "
                                                  "bring-your-own-license; the engine's first by default"),
    _a("instance class", settable=True, aliases=("db instance class", "class"), description="the DB instance class (db.t3.micro by default)"),
    _a("allocated storage", "quantity", dimension="size", settable=True, aliases=("storage",), description="20 GB by default"),
    _a("storage type", settable=True, description="gp2 (the default), gp3, io1 (Provisioned IOPS) or standard (magnetic)"),
    _a("iops", "number", settable=True, aliases=("provisioned iops",), description="the Provisioned IOPS of io1 storage"),
    _a("multi-az", "boolean", settable=True, aliases=("multi az",), description="a Multi-AZ deployment: a synchronous standby in another zone"),
    _a("availability zone", settable=True, aliases=("az", "zone", "primary zone"), description="the primary's zone (us-east-1a by default)"),
    _a("secondary availability zone", aliases=("standby zone", "standby availability zone", "secondary zone"),
       description="the zone of a Multi-AZ instance's standby; none when single-AZ"),
    _a("encrypted", "boolean", settable=True, aliases=("storage encrypted", "storage encryption"),
       description="encrypted at rest with a KMS key (chosen at creation only)"),
    _a("kms key id", aliases=("kms key arn", "encryption key id"), description="the ARN of the KMS key that encrypts it; none if unencrypted"),
    _a("iam database authentication", "boolean", settable=True, aliases=("iam authentication", "iam db authentication"),
       description="IAM database authentication enabled (MariaDB, MySQL, PostgreSQL only)"),
    _a("backup retention", "quantity", dimension="duration", settable=True, aliases=("backup retention period", "retention period"),
       description="how long automated backups are kept: 0 (off) to 35 days; 1 day when not given (the API's default)"),
    _a("backup window", settable=True, aliases=("preferred backup window",), description="the daily backup window hh:mm-hh:mm UTC (03:00-03:30)"),
    _a("maintenance window", settable=True, aliases=("preferred maintenance window",),
       description="the weekly maintenance window ddd:hh:mm-ddd:hh:mm UTC (sun:05:00-sun:05:30)"),
    _a("pending maintenance", settable=True, description="a pending maintenance action (system-update, db-upgrade), applied in the window"),
    _a("endpoint", aliases=("endpoint address", "address"), description="the DNS name applications connect to (DescribeDBInstances Endpoint)"),
    _a("port", "number", description="the endpoint's port: 3306 MySQL/MariaDB, 5432 PostgreSQL, 1521 Oracle, 1433 SQL Server, 50000 Db2"),
    _a("host access", "boolean", description="whether the account can log in to the underlying host (never: RDS is managed)"),
    _a("replication mode", description="synchronous to a Multi-AZ standby; asynchronous from a read replica's source; none otherwise"),
    _a("read only", "boolean", aliases=("read-only",), description="only a read replica is; a promoted one is not"),
    _a("data version", "number", description="how many writes its data holds (the model's stand-in for the data)"),
    _a("data size", "quantity", dimension="size", description="how much data has been written to it (1 GB per write by default)"),
    _a("data transfer out", "quantity", dimension="size", description="the data its queries sent out of AWS (egress)"),
    _a("latest restorable time", description="the latest time point-in-time restore can reach (ISO 8601 UTC)"),
    _a("restore lag", "quantity", dimension="duration", integer=False, aliases=("point-in-time lag",),
       description="how far its latest restorable time is behind now (under 5 minutes)"),
    _a("point-in-time restore", "boolean", description="whether point-in-time restore is supported: automated backups on, and for "
                                                         "MySQL the InnoDB storage engine"),
    _a("parameter group", settable=True, aliases=("parameter group name",), description="its DB parameter group (the engine's default)"),
    _a("db security group", settable=True, aliases=("security group name",), description="its security group (default)"),
    _a("storage engine", settable=True, description="the MySQL/MariaDB storage engine of its tables: innodb (default) or myisam"),
    _a("delete automated backups", "boolean", description="DeleteDBInstance's choice: delete the automated backups (the default)"),
    _a("event source type", description="the RDS event source type its events are subscribed by (db-instance, db-snapshot)"),
    _a("billed", "boolean", capability="billing", description="billed for instance hours now (not while stopped)"),
    _a("billed instance time", "quantity", dimension="duration", integer=False, capability="billing", aliases=("billed time",),
       description="instance time billed so far: whole hours per period (the notes), or per second with a 10-minute minimum"),
    _billing("hourly price", "its On-Demand price per hour, USD (illustrative; twice for Multi-AZ)", aliases=("price per hour",)),
    _billing("instance charge", "instance hours billed so far times the hourly price, USD"),
    _billing("monthly storage charge", "allocated storage times the GB-month price of its storage type, USD"),
    _billing("io request price", "USD per million I/O requests: magnetic storage only"),
    _billing("provisioned iops charge", "Provisioned IOPS times the IOPS-month price, USD (io1 only)"),
    _billing("egress charge", "data transferred out times the per-GB price, USD"),
    _a("backup storage", "quantity", dimension="size", capability="billing",
       description="its backup storage: one copy of its storage for its automated backups, one per manual snapshot"),
    _billing("backup storage charge", "backup storage beyond its provisioned storage, times the GB-month price, USD"),
)

REPLICA_ATTRIBUTES = INSTANCE_ATTRIBUTES + (
    _a("replication source", aliases=("source",), description="the identifier of its source DB instance; none once promoted"),
    _a("region", settable=True, description="its Region: the source's unless given (a cross-Region replica)"),
    _billing("replication charge", "data replicated to it across AZs or Regions times the per-GB price, USD"),
)

FAULT_ACTIONS = tuple(Action(verb, verb + "ed", from_states=("available",), capability="faults",
                             description=f"an injected fault: {what}; a Multi-AZ instance fails over (60 s on the clock)")
                      for verb, what in FAULTS.items())

COMMON_ACTIONS = (
    Action("modify", "modified", from_states=("available",), result="available", params=MODIFIABLE,
           description="ModifyDBInstance: class, storage, retention, IAM authentication, Multi-AZ, windows"),
    Action("reboot", "rebooted", from_states=("available",), result="available", description="RebootDBInstance"),
    Action("write", "written", from_states=("available",), params=("data size",),
           description="a write through its endpoint (1 GB unless a data size is given); refused on a read replica"),
    Action("query", "queried", from_states=("available",), params=("data transfer out",),
           description="reads sending data out of AWS (egress)"),
    Action("delete", "deleted", deletes=True, params=("delete automated backups",), description="DeleteDBInstance"),
)

DB_INSTANCE = Kind(
    name="db instance", aliases=("database", "rds instance", "rds database"), capability=C,
    description="an Amazon RDS DB instance (a managed database: no host access)",
    states=STATES, attributes=INSTANCE_ATTRIBUTES,
    actions=(
        Action("create", "created", creates=True, result="available", description="CreateDBInstance"),
        Action("restore", "restored", creates=True, result="available",
               description="restored from a DB snapshot, or from a DB instance to its latest restorable time"),
        Action("stop", "stopped", from_states=("available",), result="stopped", description="StopDBInstance (started again after 7 days)"),
        Action("start", "started", from_states=("stopped",), result="available", description="StartDBInstance"),
        Action("fail over", "failed over", from_states=("available",), result="available",
               description="RebootDBInstance with ForceFailover: a Multi-AZ instance's manual failover"),
        Action("patch", "patched", from_states=("available",), result="available",
               description="ApplyPendingMaintenanceAction now (a Multi-AZ instance fails over)"),
    ) + COMMON_ACTIONS + FAULT_ACTIONS,
    relations=(
        Relation("", "from", "db snapshot", description="restored from a DB snapshot (only at creation)"),
        Relation("", "from", "db instance", description="restored from a DB instance to its latest restorable time (only at creation)"),
        Relation("", "with", "kms key", description="encrypted with this KMS key (only at creation)"),
    ),
)

READ_REPLICA = Kind(
    name="read replica", aliases=("replica",), capability=C,
    description="an RDS read replica: an asynchronous, read-only copy of a source DB instance, with its own endpoint",
    states=(State("creating", stable=False), State("available"), State("modifying", stable=False), State("rebooting", stable=False),
            State("deleting", stable=False)),
    attributes=REPLICA_ATTRIBUTES,
    actions=(Action("create", "created", creates=True, result="available", description="CreateDBInstanceReadReplica"),
             Action("promote", "promoted", from_states=("available",), result="available",
                    description="PromoteReadReplica: a standalone DB instance that no longer replicates")) + COMMON_ACTIONS,
    relations=(Relation("", "of", "db instance", description="the source it replicates (only at creation)"),
               Relation("", "with", "kms key", description="the KMS key of a cross-Region replica's Region")),
)

DB_SNAPSHOT = Kind(
    name="db snapshot", aliases=("snapshot", "rds snapshot"), capability=C,
    description="a DB snapshot: manual (kept until deleted) or automated (kept for the retention period)",
    states=(State("creating", stable=False), State("available")),
    attributes=(
        _a("state"), _a("snapshot type", description="manual or automated"),
        _a("encrypted", "boolean", settable=True, description="encrypted (a copy may be encrypted; a snapshot has its instance's encryption)"),
        _a("kms key id", aliases=("kms key arn",), description="the ARN of its KMS key"),
        _a("data version", "number", description="the data it holds: its instance's as of the snapshot"),
        _a("engine"), _a("allocated storage", "quantity", dimension="size"),
        _a("snapshot identifier", aliases=("identifier",)),
        _a("event source type", description="db-snapshot"),
        _a("point-in-time restore", "boolean", description="never: a snapshot restores its own moment only"),
    ),
    actions=(
        Action("create", "created", creates=True, result="available", description="CreateDBSnapshot of a DB instance"),
        Action("copy", "copied", creates=True, result="available", description="CopyDBSnapshot, optionally encrypted with a KMS key"),
        Action("share", "shared", target="aws account", preposition="with", target_required=True,
               description="ModifyDBSnapshotAttribute restore: shared with another AWS account"),
        Action("unshare", "unshared", target="aws account", preposition="with", target_required=True),
        Action("delete", "deleted", deletes=True, description="DeleteDBSnapshot"),
    ),
    relations=(
        Relation("", "of", "db instance", description="the DB instance it was taken of"),
        Relation("", "from", "db snapshot", description="the snapshot it was copied from (only at creation)"),
        Relation("", "with", "kms key", description="the key of an encrypted copy (only at creation)"),
        Relation("shared", "with", "aws account", make="share", description="the accounts it is shared with"),
    ),
)

AUTOMATED_BACKUP = Kind(
    name="automated backup", capability=C,
    description="a DB instance's automated backups (DescribeDBInstanceAutomatedBackups): made by RDS; a spec names them",
    states=(State("active"),),  # AWS's "retained" is a function word of the language: the state attribute says it
    attributes=(_a("state", description="active, or retained after its instance was deleted"),
                _a("encrypted", "boolean"), _a("kms key id"),
                _a("backup retention", "quantity", dimension="duration", aliases=("retention period",)),
                _a("snapshot count", "number", description="how many daily automated snapshots it holds")),
    actions=(Action("create", "created", creates=True, result="active",
                    description="names the automated backups RDS keeps for a DB instance (refused when it has none)"),),
    relations=(Relation("", "of", "db instance"),),
)

KMS_KEY = Kind(
    name="kms key", aliases=("encryption key", "key"), capability=C,
    description="a customer managed AWS KMS key of a Region",
    states=(State("enabled"),),
    attributes=(_a("key id", aliases=("key arn", "arn")), _a("region", settable=True, description="us-east-1 unless given"),
                _a("key manager", description="CUSTOMER")),
    actions=(Action("create", "created", creates=True, result="enabled", description="CreateKey"),),
)

AWS_ACCOUNT = Kind(
    name="aws account", aliases=("account",), capability=C, description="another AWS account",
    states=(State("active"),), attributes=(_a("account id"),),
    actions=(Action("create", "created", creates=True, result="active"),),
)

SETTINGS = (
    Setting("db instance limit", "number", default=40, capability="limits", aliases=("rds instance limit",),
            description="DB instances per Region (RDS quota 'DB instances', adjustable; 40)"),
    Setting("read replica limit", "number", default=5, capability="limits",
            description="read replicas per source: the notes' 5; AWS allows 15 for MySQL, MariaDB and PostgreSQL today"),
    Setting("db per-second billing", "boolean", default=False, capability="billing",
            description="bill DB instance time per second with a 10-minute minimum (AWS today) instead of whole hours (the notes)"),
    Setting("db2 engine", "boolean", default=False, capability=C,
            description="RDS for Db2 (db2-se, db2-ae) exists, as on AWS today; the notes list six engines without it"),
    Setting("cross-az replication charge", "boolean", default=True, capability="billing",
            description="charge replication between AZs (the notes); AWS today does not, only between Regions"),
    Setting("same-region replica key choice", "boolean", default=False, capability=C,
            description="false: a same-Region read replica is encrypted with its source's KMS key, as the notes say; "
                        "true: it may be given another key (AWS today, CreateDBInstanceReadReplica KmsKeyId)"),
)

VOCABULARY = (DB_INSTANCE, READ_REPLICA, DB_SNAPSHOT, AUTOMATED_BACKUP, KMS_KEY, AWS_ACCOUNT) + SETTINGS
