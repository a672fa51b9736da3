"""Amazon Redshift's words, as data: provisioned clusters (a leader node and compute nodes),
snapshots, the nodes a spec counts, and the Multi-AZ setting. This docstring names the sources
and the decisions of the whole package.

Sources: specs/notes/aws-architecture-notes.md, "Amazon RedShift"; Amazon Redshift
management guide: "Amazon Redshift provisioned clusters" (node types and how many nodes each
allows: ra3.xlplus 1-16, ra3.16xlarge 2-128, dc2.large 1-32, dc2.8xlarge 2-128; a single-node cluster's one node is both leader and compute node), "Amazon Redshift
snapshots and backups" (automated snapshots are incremental, taken about every eight hours or
every 5 GB per node of changed data, whichever comes first; retention 1 day by default, 0 to 35
days, and automated snapshots cannot be turned off for RA3 types; a snapshot restores into a new
cluster in any Availability Zone of the Region), "Multi-AZ deployments" (RA3 only, since
November 2023); the Amazon Redshift FAQ (data replicated within the cluster and continuously
backed up to S3: the original, a replica on the compute nodes and a backup in S3 — single-node
clusters do not replicate data). API reference (botocore's redshift model): CreateCluster
(NumberOfNodes, Port 5439 by default — RA3 5431-5455 or 8191-8215, DC2 1150-65535 —,
AutomatedSnapshotRetentionPeriod 0..35, default 1; MultiAZ), errors
NumberOfNodesPerClusterLimitExceeded, InvalidParameterCombination, InvalidParameterValue,
UnsupportedOperation (UnsupportedOperationFault), ClusterSnapshotNotFound.

Decisions:

- The default node type is ra3.16xlarge, the type that allows the notes' 128 compute nodes.
- Nodes are not created by a spec: `the number of compute nodes of "dw"` and `... leader nodes`
  count them (a single-node cluster counts its one shared node as both).
- Copies of the data: the original, a replica on another compute node (multi-node clusters
  only), and the backup in S3 (continuous: it follows every load). Automated snapshots are the
  restore points of that backup: incremental, every 8 hours of clock time with changed data,
  or at once when the changed data reaches 5 GB per node.
- Multi-AZ: the notes say one AZ only, the model's default; `given the redshift multi-az
  support is true` gives AWS today (RA3 clusters in two zones). Otherwise `multi-az` is refused
  with UnsupportedOperation.
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

CAP = "redshift"

CLUSTER = Kind(
    name="redshift cluster",
    aliases=("data warehouse", "redshift data warehouse"),
    capability=CAP,
    description="a provisioned Amazon Redshift cluster: a leader node and compute nodes in one Availability Zone",
    states=(State("available"), State("creating", stable=False)),
    attributes=(
        Attribute("state", "text", aliases=("status",), description="available once created"),
        Attribute("node type", "text", settable=True, description="ra3.16xlarge (the default), ra3.xlplus, dc2.8xlarge or dc2.large"),
        Attribute("compute node count", "number", settable=True, aliases=("compute nodes", "compute node", "node count", "nodes"),
                  description="its compute nodes (NumberOfNodes): 1 is a single-node cluster; at most 128 on the largest types"),
        Attribute("maximum nodes", "number", aliases=("node limit",), description="the most compute nodes its node type allows"),
        Attribute("cluster type", "text", description="single-node or multi-node"),
        Attribute("endpoint address", "text", aliases=("endpoint",), description="its one SQL endpoint, on the leader node"),
        Attribute("port", "number", settable=True, description="the endpoint's port: 5439 by default"),
        Attribute("endpoint count", "number", description="SQL endpoints it has: one, whatever its size"),
        Attribute("availability zone", "text", aliases=("az", "zone"), settable=True,
                  description="the zone its nodes are in (us-east-1a unless given)"),
        Attribute("availability zone count", "number", aliases=("zone count",), description="zones its nodes are in"),
        Attribute("multi-az", "boolean", settable=True, description="an RA3 Multi-AZ deployment (AWS since 2023; see the setting)"),
        Attribute("data size", "quantity", dimension="size", description="the data it holds"),
        Attribute("load size", "quantity", dimension="size", description="how much a load adds (a parameter of `loaded`)"),
        Attribute("data copies", "number", description="copies of its data: original, replica in the cluster, backup in S3"),
        Attribute("replicated", "boolean", description="its data has a second copy on another compute node"),
        Attribute("backed up", "boolean", description="its data has a backup copy in S3"),
        Attribute("backup size", "quantity", dimension="size", description="what its automated snapshots hold in S3 together"),
        Attribute("latest snapshot size", "quantity", dimension="size",
                  description="what its latest automated snapshot added: the data changed since the one before"),
        Attribute("automated snapshot retention", "quantity", dimension="duration", settable=True,
                  aliases=("snapshot retention", "backup retention"),
                  description="days automated snapshots are kept: 0 (off; not for RA3) to 35, 1 by default"),
    ),
    actions=(
        Action("create", "created", creates=True, result="available", description="CreateCluster"),
        Action("restore", "restored", creates=True, result="available",
               description="a new cluster from a snapshot (RestoreFromClusterSnapshot), in any zone of the Region"),
        Action("load", "loaded", params=("load size",), description="data is loaded into it (COPY): `loaded with load size 10 GB`"),
    ),
    relations=(Relation("restored", "from", "redshift snapshot", description="restored from a snapshot"),),
)

SNAPSHOT = Kind(
    name="redshift snapshot",
    capability=CAP,
    description="a snapshot of a Redshift cluster, kept in S3: manual (created) or automated",
    states=(State("available"),),
    attributes=(
        Attribute("state", "text", description="available"),
        Attribute("snapshot type", "text", description="manual or automated"),
        Attribute("size", "quantity", dimension="size", aliases=("data size",), description="the data of its cluster it restores"),
        Attribute("availability zone", "text", aliases=("az", "zone"), description="the zone of the cluster it was taken of"),
        Attribute("compute node count", "number", aliases=("compute nodes", "node count", "nodes"),
                  description="the compute nodes of the cluster it was taken of"),
    ),
    actions=(Action("create", "created", creates=True, result="available", description="CreateClusterSnapshot: a manual snapshot"),),
    relations=(Relation("", "of", "redshift cluster", description="the cluster it is a snapshot of"),),
)

COMPUTE_NODE = Kind(
    name="compute node",
    capability=CAP,
    description="a compute node of a Redshift cluster: counted, not created (`the number of compute nodes of \"dw\"`)",
    relations=(Relation("", "of", "redshift cluster", description="the cluster it is a node of"),),
)

LEADER_NODE = Kind(
    name="leader node",
    capability=CAP,
    description="the leader node of a Redshift cluster (its SQL endpoint): counted, not created",
    relations=(Relation("", "of", "redshift cluster", description="the cluster it leads"),),
)

VOCABULARY = (
    CLUSTER, SNAPSHOT, COMPUTE_NODE, LEADER_NODE,
    Setting("redshift multi-az support", "boolean", default=False, capability=CAP,
            description="false: a cluster is in one AZ only, as the notes say; true: RA3 Multi-AZ deployments, AWS since 2023"),
    Setting("redshift ra3 port ranges", "boolean", default=True, capability=CAP,
            description="true: a new RA3 cluster takes a port in 5431-5455 or 8191-8215 (AWS today, CreateCluster Port); "
                        "false: any port 1150-65535, as before, which RA3 clusters created then keep"),
)
