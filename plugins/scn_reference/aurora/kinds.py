"""Amazon Aurora's words, as data: the kinds (cluster, its first instance, Aurora Replicas, Global
Database, cross-Region MySQL replicas), their states, attributes and actions, and the setting.
This docstring names the sources and the decisions of the whole package.

Sources: specs/notes/aws-architecture-notes.md, "Amazon Aurora", "Aurora Serverless",
"Backup and Restore" (Aurora backup, "Aurora DB failover", "Retention periods"); the Aurora
user guide: "High availability for Amazon Aurora" (six copies in three AZs, up to 15 Aurora
Replicas, the cluster endpoint), "Fault tolerance for an Aurora DB cluster" (failover order by
promotion tier; with no replica a new instance in the same AZ, best effort), "Overview of
backing up and restoring an Aurora DB cluster" (retention 1 to 35 days, 1 by default whatever
creates the cluster; backups cannot be disabled; continuous, incremental backups and
point-in-time restore), "Using Amazon Aurora Serverless v1" (pause when idle, capacity billed
only while active; instances cannot be added: `InvalidParameterValue` "Instances cannot be added
to Aurora Serverless clusters."), "Scaling to Zero ACUs with automatic pause and resume for
Aurora Serverless v2", "Using Amazon Aurora Global Database" (storage-based replication,
typically under a second), "Replicating Amazon Aurora MySQL DB clusters across AWS Regions"
(up to five cross-Region read replica clusters, binlog replication, MySQL only). API reference
(botocore's rds model): CreateDBCluster (BackupRetentionPeriod 1..35, default 1),
CreateDBInstance (PromotionTier 0..15, default 1), FailoverDBCluster (InvalidDBClusterStateFault),
RemoveFromGlobalCluster (InvalidGlobalClusterStateFault), ScalingConfiguration /
ServerlessV2ScalingConfiguration (SecondsUntilAutoPause 300..86,400, default 300).

Decisions:

- A cluster is created with its writer instance (as the console's "Create database" does), so a
  spec names it rather than creates it: `given an aurora instance "w" of "c"` names the cluster's
  first instance. Aurora Replicas are created: `given 2 aurora replicas of "c"`.
- The volume: two copies in each of three zones. Copy losses are an injected fault
  (`when "c" is degraded with lost copies 2`, or a whole zone: `with failed zone "us-east-1a"`,
  which also fails the instances there). Writes need 4 live copies, reads 3 (AWS's quorum).
- Failover to a replica takes 30 s on the clock (AWS: "typically within 30 seconds"); with no
  replica the writer is replaced in its own zone after 10 minutes (AWS gives no duration), and
  not at all while that zone is failed ("best effort ... may not succeed").
- Settings: `aurora serverless version` is 1 by default (the notes describe Serverless v1);
  2 gives AWS today (v1 ended on 31 March 2025): capacity billed at the minimum ACUs while
  idle unless the minimum is 0, replicas allowed, failover like provisioned clusters.
- Error codes AWS does not document are the model's choices, from botocore's rds model, and
  specs say only `it fails`: the 16th replica (`InstanceQuotaExceeded`), a sixth MySQL replica
  (`DBClusterQuotaExceededFault`), a restore point outside the retention period
  (`InvalidRestoreFault`). Injected faults that no API could refuse answer `ReferenceModel.*`.
- "Instances cannot be added to Aurora Serverless clusters." is AWS's answer as users report
  it (terraform-aws-modules/terraform-aws-rds-aurora issue 147).
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

CAP = "aurora"
ENGINE_MODES = ("provisioned", "serverless")

CLUSTER = Kind(
    name="aurora cluster",
    aliases=("aurora db cluster", "db cluster"),
    capability=CAP,
    description="an Aurora DB cluster: a shared six-copy volume in three zones and its DB instances (created with its writer)",
    states=(State("available"), State("paused"), State("failing-over", stable=False)),
    attributes=(
        Attribute("state", "text", aliases=("status",), description="available, failing-over, or paused (Serverless)"),
        Attribute("cluster id", "text", aliases=("id", "db cluster identifier"), description="its DB cluster identifier"),
        Attribute("engine", "text", settable=True, description="aurora-mysql (the default) or aurora-postgresql"),
        Attribute("engine mode", "enum", values=ENGINE_MODES, settable=True,
                  description="provisioned (the default) or serverless: `a serverless aurora cluster`"),
        Attribute("region", "text", settable=True, description="its AWS Region (us-east-1 unless given)"),
        Attribute("cluster endpoint", "text", aliases=("writer endpoint",),
                  description="the cluster endpoint's DNS name: it stays the same across failovers"),
        Attribute("cluster endpoint target", "text", aliases=("cluster endpoint cname",),
                  description="the instance endpoint the cluster endpoint's CNAME points at: the writer's"),
        Attribute("storage copies", "number", description="live copies of its cluster volume (6 when healthy)"),
        Attribute("storage zone count", "number", aliases=("storage zones",),
                  description="Availability Zones holding a live copy of its volume (3 when healthy)"),
        Attribute("copies per zone", "number", description="copies of its volume in each zone (2)"),
        Attribute("lost copies", "number", description="copies of its volume lost to injected faults"),
        Attribute("failed zone", "text", description="an Availability Zone to fail, with `degraded` (a fault parameter)"),
        Attribute("writable", "boolean", description="it accepts writes: 4 live copies and an available writer"),
        Attribute("readable", "boolean", description="it serves reads: 3 live copies and an available instance"),
        Attribute("replica count", "number", description="its Aurora Replicas (reader instances)"),
        Attribute("backup retention", "quantity", dimension="duration", settable=True,
                  aliases=("backup retention period", "retention period"),
                  description="days automated backups are kept: 1 to 35, 1 by default"),
        Attribute("automated backups", "boolean", description="whether automated (continuous) backups are on: always, for Aurora"),
        Attribute("restore window", "quantity", dimension="duration",
                  description="how far back it can be restored to a point in time now: its age, at most its retention"),
        Attribute("restore age", "quantity", dimension="duration", settable=True, integer=False,
                  description="for a cluster restored to a point in time: how long before the restore that point was"),
        Attribute("minimum capacity", "number", integer=False, settable=True, aliases=("min capacity", "minimum acus"),
                  description="Serverless: the fewest ACUs it runs with while active (v1: 1 for MySQL, 2 for PostgreSQL; v2: 0.5)"),
        Attribute("auto pause delay", "quantity", dimension="duration", settable=True,
                  aliases=("seconds until auto pause",),
                  description="Serverless: how long it stays idle before it pauses (300 s to 1 day, 5 minutes by default)"),
        Attribute("capacity", "number", integer=False, description="Serverless: the ACUs it runs with now (0 while paused)"),
        Attribute("billed", "boolean", capability="billing", description="its compute capacity is billed now"),
        Attribute("billed time", "quantity", dimension="duration", integer=False, capability="billing",
                  description="how long its compute capacity has been billed, on the clock"),
        Attribute("replication lag", "quantity", dimension="duration", integer=False,
                  description="a Global Database secondary: how far it lags behind the primary (none elsewhere)"),
        Attribute("global role", "text", description="primary or secondary in its Global Database; none when standalone"),
    ),
    actions=(
        Action("create", "created", creates=True, result="available", description="CreateDBCluster, with its writer instance"),
        Action("restore", "restored", creates=True, result="available", params=("restore age",),
               description="a new cluster restored from another's backups to a point in time (RestoreDBClusterToPointInTime)"),
        Action("fail over", "failed over", target="aurora replica", preposition="to",
               description="FailoverDBCluster: a replica (the given one, or by promotion tier) becomes the writer"),
        Action("degrade", "degraded", params=("lost copies", "failed zone"), capability="faults",
               description="an injected storage fault: it loses copies of its volume (1, `with lost copies N`, or a zone's two)"),
        Action("connect", "connected", description="Serverless: a client connects; a paused cluster resumes"),
        Action("disconnect", "disconnected", description="Serverless: its last client disconnects; it is idle from now"),
        Action("detach", "detached", description="removed from its Global Database (RemoveFromGlobalCluster): standalone and writable"),
    ),
    relations=(
        Relation("", "in", "aurora global database", description="a member of a Global Database, at creation"),
        Relation("restored", "from", "aurora cluster", description="restored to a point in time from another cluster's backups"),
    ),
)

INSTANCE_ATTRIBUTES = (
    Attribute("state", "text", aliases=("status",), description="available, failed (a fault) or creating (its replacement)"),
    Attribute("role", "text", description="writer or reader"),
    Attribute("writer", "boolean", description="it is its cluster's writer (primary) instance"),
    Attribute("availability zone", "text", aliases=("az", "zone"), settable=True,
              description="its zone: the writer's is us-east-1a; replicas spread over the cluster's three zones unless given"),
    Attribute("promotion tier", "number", settable=True, description="failover priority: 0 (first) to 15, 1 by default"),
    Attribute("endpoint", "text", aliases=("instance endpoint",), description="its own DNS name"),
    Attribute("instance class", "text", description="db.r6g.large, or db.serverless in a Serverless cluster"),
)

INSTANCE_STATES = (State("available"), State("failed", stable=False), State("creating", stable=False))

WRITER = Kind(
    name="aurora instance",
    aliases=("aurora writer",),
    capability=CAP,
    description="the DB instance an Aurora cluster is created with (its first writer): named with `of`, not created; "
                "`the number of aurora instances of \"c\"` counts all the cluster's DB instances",
    states=INSTANCE_STATES,
    attributes=INSTANCE_ATTRIBUTES,
    actions=(
        Action("create", "created", creates=True, result="available", description="names the cluster's first instance (creates nothing)"),
        Action("fail", "failed", capability="faults", description="an injected fault: the instance fails (its host, not its zone)"),
    ),
    relations=(Relation("", "of", "aurora cluster", description="the first instance of a cluster: `an aurora instance \"w\" of \"c\"`"),),
)

REPLICA = Kind(
    name="aurora replica",
    capability=CAP,
    description="an Aurora Replica: a reader DB instance of a cluster, a failover target; up to 15 per cluster",
    states=INSTANCE_STATES,
    attributes=INSTANCE_ATTRIBUTES,
    actions=(
        Action("create", "created", creates=True, result="available", description="CreateDBInstance in the cluster: a reader"),
        Action("fail", "failed", capability="faults", description="an injected fault: the instance fails"),
    ),
    relations=(Relation("", "of", "aurora cluster", description="the cluster it reads from"),),
)

GLOBAL_DATABASE = Kind(
    name="aurora global database",
    aliases=("global database",),
    capability=CAP,
    description="an Aurora Global Database: a primary cluster and read-only secondary clusters in other Regions",
    states=(State("available"),),
    attributes=(
        Attribute("state", "text", description="available"),
        Attribute("primary region", "text", description="the Region of its primary (writer) cluster"),
        Attribute("region count", "number", description="the Regions its clusters are in"),
    ),
    actions=(Action("create", "created", creates=True, result="available", description="CreateGlobalCluster, empty: clusters join `in` it"),),
)

MYSQL_REPLICA = Kind(
    name="aurora mysql replica",
    capability=CAP,
    description="a cross-Region read replica cluster of an Aurora MySQL cluster (binlog replication): up to 5 per source",
    states=(State("available"),),
    attributes=(
        Attribute("state", "text", description="available"),
        Attribute("region", "text", settable=True, description="its Region (us-west-2 unless given)"),
        Attribute("replication source", "text", description="the id of the cluster it replicates"),
        Attribute("writable", "boolean", description="a read replica is read-only"),
    ),
    actions=(Action("create", "created", creates=True, result="available",
                    description="CreateDBCluster with a ReplicationSourceIdentifier in another Region"),),
    relations=(Relation("", "of", "aurora cluster", description="the cluster it replicates"),),
)

VOCABULARY = (
    CLUSTER, WRITER, REPLICA,
    Setting("aurora serverless version", "number", default=1, capability=CAP,
            description="1: Aurora Serverless v1, as the notes describe it (the default); 2: Serverless v2, AWS today"),
    GLOBAL_DATABASE, MYSQL_REPLICA,
)
