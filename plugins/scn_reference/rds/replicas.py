"""Amazon RDS read replicas: asynchronous, read-only copies of a source DB instance.

Sources: specs/notes/aws-architecture-notes.md, "Multi AZ and Read Replicas" and
"Encryption"; AWS where the notes are silent or dated: API reference
CreateDBInstanceReadReplica (a replica is created from a snapshot of the source, with backups
disabled; the source needs automated backups, "its backup retention period must be greater than
0"; "Each DB instance can have up to 15 read replicas, except ... Oracle - up to five ... SQL
Server - up to five"; same-Region replicas of an encrypted source use the source's KMS key, a
cross-Region one needs a key of its Region; "You can't create an encrypted read replica from an
unencrypted DB instance"), PromoteReadReplica (a standalone DB instance, BackupRetentionPeriod
default 1), "Working with DB instance read replicas" (deleting the source promotes its
same-Region replicas). Error answers AWS gives, as recorded in public issue threads:
InvalidDBInstanceState "Automated backups are not enabled for this database instance...",
InvalidParameterCombination "You cannot create an encrypted Read Replica from an unencrypted DB
instance" and "Cannot create a cross region unencrypted read replica from encrypted source";
KMSKeyNotAccessibleFault from botocore's rds model.

Decisions:
- The notes' limit of 5 replicas per source is the world setting "read replica limit" (5 by
  default). AWS allows 15 today for MySQL, MariaDB and PostgreSQL (`given the read replica limit
  is 15`); Oracle and SQL Server stay at 5 whatever the setting, Db2 at 3. AWS documents no error code for
  one replica too many: the model answers ReferenceModel.ReadReplicaLimitExceeded and specs say
  `then it fails`.
- Replication lags by one second of the virtual clock (asynchronous; AWS documents no figure):
  right after a write the replica has the older data version, a second later the new one.
- A replica is in its source's Availability Zone unless given another, and in the source's
  Region unless given a "region" (a cross-Region replica).
- Replication traffic: the notes charge data going from one AZ to another and nothing within an
  AZ. AWS today charges nothing for replication between AZs of one Region (AWS Architecture Blog,
  "Exploring Data Transfer Costs for AWS Managed Databases"), only across Regions: the world
  setting "cross-az replication charge" (true by default, the notes) set to false gives that.
  Prices (USD/GB, illustrative list prices): 0.01 between AZs, 0.02 between Regions.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .backups import REGIONS, promote
from .instances import ENGINES, REGION, DBInstance, check_engine, check_iam, check_quota, refuse

REPLICA_LAG_SECONDS = 1.0
AWS_REPLICA_LIMIT = {"oracle": 5, "sqlserver": 5, "db2": 3}  # per source, whatever the setting (AWS)
CROSS_AZ_PRICE = 0.01  # USD per GB replicated between AZs
CROSS_REGION_PRICE = 0.02  # USD per GB replicated between Regions


class ReadReplica(DBInstance):
    kind = "read replica"

    def __init__(self, id, label, source: DBInstance, params, world):
        super().__init__(id, label, source.engine, params, world)
        self.source = source
        self.region = params.get("region", REGION)
        self.zone = params.get("availability zone", source.zone)
        self.retention = 0  # "RDS creates read replicas with backups disabled"
        self.storage = source.storage
        self.license = source.license
        self.instance_class = params.get("instance class", source.instance_class)
        self.parameter_group = source.parameter_group if self.region == REGION else ENGINES[source.engine][3]
        self.iam_auth = bool(params.get("iam database authentication", source.iam_auth))
        self.base = source.data_version  # created from a snapshot of the source: its data as of now
        self.base_size = source.data_size
        self.replicated_bytes: int | None = None  # frozen at promotion

    @property
    def data_version(self) -> int:
        if self.promoted:
            return self.writes[-1][1]
        return self.version_at(self._world.now)

    def version_at(self, t: float) -> int:
        if self.promoted:
            return DBInstance.version_at(self, t)
        return max(self.base, self.source.version_at(t - REPLICA_LAG_SECONDS))

    CREATION = ("creating",)

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "promote":
            return promote_replica(world, self)
        return DBInstance.act(self, world, action, target, params)

    def replicated(self) -> int:
        if self.replicated_bytes is not None:
            return self.replicated_bytes
        return self.source.data_size - self.base_size

    def replication_charge(self, world) -> float:
        if self.region != self.source.region:
            price = CROSS_REGION_PRICE
        elif self.zone != self.source.zone and world.settings["cross-az replication charge"]:
            price = CROSS_AZ_PRICE
        else:
            price = 0.0
        return round(self.replicated() / 1024**3 * price, 6)


def replica_limit(world, engine: str) -> int:
    limit = world.settings["read replica limit"]
    for family, aws in AWS_REPLICA_LIMIT.items():
        if engine.startswith(family):
            return min(limit, aws)
    return limit


def create(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> ReadReplica:
    source = next((t for r, t in relations if r == "of"), None)
    if source is None:
        refuse("InvalidParameterValue", "A read replica needs a source DB instance (SourceDBInstanceIdentifier).")
    source.need("available")
    if source.retention <= 0:
        refuse("InvalidDBInstanceState", "Automated backups are not enabled for this database instance. To enable automated backups, "
                                         "use ModifyDBInstance to set the backup retention period to a non-zero value.")
    check_engine(source.engine, world)
    existing = len(world.rds.replicas_of(world, source))
    limit = replica_limit(world, source.engine)
    if existing >= limit:
        refuse("ReferenceModel.ReadReplicaLimitExceeded",
               f"{source.identifier} already has {existing} read replicas: at most {limit} for {source.engine}.")
    region = params.get("region", REGION)
    if region not in REGIONS:
        refuse("InvalidParameterValue", f"Unknown Region {region}.")
    cross = region != REGION
    if cross and source.engine.startswith("sqlserver"):
        refuse("InvalidParameterCombination", "SQL Server does not support cross-Region read replicas.")
    key = next((t for r, t in relations if r == "with"), None)
    kms = _replica_key(source, key, params.get("encrypted"), region, world.settings["same-region replica key choice"])
    check_iam(source.engine, bool(params.get("iam database authentication", False)))
    check_quota(world, source.engine, source.license)
    replica = ReadReplica(world.new_id("db"), label, source, params, world)
    replica.encrypted, replica.kms_key = source.encrypted, kms
    world.rds.instances.append(replica)
    return replica


def _replica_key(source: DBInstance, key, wants: bool | None, region: str, choice: bool = False) -> str | None:
    """The KMS key ARN of a new replica: none, the source's (same Region), or the given key of its Region.

    ``choice``: the setting "same-region replica key choice" (AWS today): a same-Region replica given
    another key of the Region is encrypted with it."""
    if not source.encrypted:
        if key is not None or wants:
            refuse("InvalidParameterCombination", "You cannot create an encrypted Read Replica from an unencrypted DB instance.")
        return None
    if region == REGION:
        if wants is False:
            refuse("InvalidParameterCombination", "A read replica of an encrypted DB instance is encrypted with the source's KMS key.")
        if key is not None and key.arn != source.kms_key and choice:
            if key.region != region:
                refuse("KMSKeyNotAccessibleFault", f"The KMS key {key.arn} is not a key of {region}.")
            return key.arn
        if key is not None and key.arn != source.kms_key:
            refuse("InvalidParameterCombination",
                   "Your request does not require the KMS key parameter: a same-Region replica uses the source's key.")
        return source.kms_key
    if key is None or wants is False:
        refuse("InvalidParameterCombination", "Cannot create a cross region unencrypted read replica from encrypted source.")
    if key.region != region:
        refuse("KMSKeyNotAccessibleFault", f"The KMS key {key.arn} is not a key of {region}.")
    return key.arn


def promote_replica(world, replica: ReadReplica) -> Sequence[str]:
    """PromoteReadReplica: a standalone DB instance that no longer replicates."""
    replica.need("available")
    if replica.promoted:
        refuse("InvalidDBInstanceState", f"{replica.identifier} is not a read replica.")
    promote(world, replica)
    return ("modifying",)


def count(world, source) -> int:
    return len(world.rds.replicas_of(world, source))
