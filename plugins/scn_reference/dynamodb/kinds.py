"""DynamoDB's words, as data: tables and items, IAM and resource-based policies, Streams and their
records, DAX clusters, and the setting for resource-based policies.

Each behaviour module's docstring names its sources and decisions: :mod:`.tables`,
:mod:`.access`, :mod:`.streams`, :mod:`.dax`.
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

POLICY_EFFECTS = ("allow", "deny")

TABLE = Kind(
    name="dynamodb table",
    aliases=("ddb table", "table"),
    capability="dynamodb",
    description="a DynamoDB table: a collection of items, replicated three times across Availability Zones",
    states=(State("creating", stable=False), State("active"), State("deleting", stable=False)),
    attributes=(
        Attribute("state", "text", description="creating, then active (TableStatus)"),
        Attribute("arn", "text", aliases=("table arn",), description="arn:aws:dynamodb:<region>:<account>:table/<name>"),
        Attribute("index name", "text", settable=True,
                  description="a global secondary index created with it (a sub-resource of the table)"),
        Attribute("index arn", "text", description="the ARN of its index: the table's ARN + /index/<name>"),
        Attribute("replica count", "number", aliases=("replicas",),
                  description="the copies DynamoDB stores of its data (notes: three)"),
        Attribute("availability zone count", "number", aliases=("zone count",),
                  description="the Availability Zones its data is synchronously replicated across (notes: three)"),
        Attribute("provisioned nodes", "number",
                  description="the instances or nodes the account provisions for it: none, DynamoDB is serverless"),
        Attribute("item count", "number", description="the items in it"),
        Attribute("read requests", "number", aliases=("reads",), description="GetItem requests the table served"),
        Attribute("eventually consistent reads", "number", description="of its read requests, the eventually consistent ones"),
        Attribute("strongly consistent reads", "number", description="of its read requests, the strongly consistent ones"),
        Attribute("consumed read capacity", "number", integer=False,
                  description="read capacity units consumed: per 4 KB, 1 strongly consistent, 0.5 eventually consistent"),
        Attribute("consumed write capacity", "number", integer=False, description="write capacity units consumed: 1 per KB written"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active", description="CreateTable: creating, then active"),
        Action("delete", "deleted", deletes=True, description="DeleteTable: the table and its items are gone"),
    ),
)

ITEM = Kind(
    name="item",
    aliases=("dynamodb item",),
    capability="dynamodb",
    description="an item of a DynamoDB table: attributes (names and values) of at most 400 KB in all",
    attributes=(
        Attribute("size", "quantity", dimension="size", settable=True, aliases=("item size",),
                  description="its size, attribute names and values counted (1 KB unless given): at most 400 KB"),
        Attribute("value", "text", settable=True, aliases=("data",),
                  description="the application's data it holds, as stored in the table"),
        Attribute("returned value", "text", aliases=("read value", "result"),
                  description="what the latest read of it returned (none: not found, or a cache miss of a bare look-up)"),
        Attribute("consistent read", "boolean",
                  description="the latest GetItem of it that reached the table was strongly consistent (ConsistentRead)"),
        Attribute("copies", "number", description="the replicas holding its latest version once a write is acknowledged"),
    ),
    actions=(
        Action("put", "put", creates=True, target="dynamodb table", preposition="into",
               description="PutItem: written into a table"),
        Action("update", "updated", target="application", preposition="by", params=("value", "size"),
               description="UpdateItem, by the account (no target) or by an application through its caching strategy"),
        Action("write", "written", target="dax cluster", preposition="to", target_required=True, params=("value", "size"),
               description="UpdateItem through a DAX cluster: write-through, to the table and the item cache"),
        Action("read", "read", target="dax cluster", preposition="from", params=("consistent read",),
               description="GetItem, from the table (no target) or through a DAX cluster"),
        Action("request", "requested", target="application", preposition="by", target_required=True,
               description="read by an application: from its cache, or the database on a miss"),
        Action("look up", "looked up", target="elasticache cluster", preposition="in", target_required=True,
               description="a bare cache GET of its key, without going to the database"),
        Action("delete", "deleted", deletes=True, description="DeleteItem"),
    ),
    relations=(
        Relation("", "in", "dynamodb table", description="the table it is stored in"),
        Relation("put", "into", "dynamodb table", description="put into a table (at creation)"),
        Relation("cached", "by", "dax cluster", description="in the item cache of a DAX cluster, unexpired"),
        Relation("cached", "in", "elasticache cluster", description="its key is in an ElastiCache cache, unexpired"),
    ),
)

POLICY = Kind(
    name="policy",
    capability="dynamodb",
    description="an IAM identity-based policy attached to an application: actions it allows or denies on tables",
    attributes=(
        Attribute("actions", "text", settable=True, aliases=("action",),
                  description="comma-separated DynamoDB actions (dynamodb:GetItem, …; dynamodb:* by default)"),
        Attribute("effect", "enum", values=POLICY_EFFECTS, settable=True, description="allow (default) or deny"),
    ),
    actions=(Action("attach", "attached", creates=True, target="application", preposition="to",
                    description="attached to an application's IAM role"),),
    relations=(
        Relation("attached", "to", "application", description="the principal it is attached to"),
        Relation("", "on", "dynamodb table", description="the table it applies to (all tables when none)"),
    ),
)

RESOURCE_POLICY = Kind(
    name="resource policy",
    capability="dynamodb",
    description="a resource-based policy on a table (PutResourcePolicy): none per the notes, AWS since March 2024",
    attributes=(
        Attribute("actions", "text", settable=True, aliases=("action",),
                  description="comma-separated DynamoDB actions (dynamodb:* by default)"),
        Attribute("principal", "text", settable=True, description="the principal ARN it grants (* by default)"),
        Attribute("effect", "enum", values=POLICY_EFFECTS, settable=True, description="allow (default) or deny"),
    ),
    actions=(Action("attach", "attached", creates=True, target="dynamodb table", preposition="to",
                    description="PutResourcePolicy on a table (refused unless the setting `dynamodb resource policies`)"),),
    relations=(Relation("attached", "to", "dynamodb table", description="the table it is attached to"),),
)

STREAM = Kind(
    name="dynamodb stream",
    aliases=("table stream",),
    capability="dynamodb",
    description="the DynamoDB Stream of a table: its item-level modifications, in order, kept 24 hours",
    states=(State("enabling", stable=False), State("enabled")),
    attributes=(
        Attribute("arn", "text", aliases=("stream arn",), description="the table's ARN + /stream/<label>"),
        Attribute("stream label", "text", aliases=("label",), description="the stream's creation time (ISO 8601)"),
        Attribute("view type", "text", settable=True, aliases=("stream view type",),
                  description="what a record holds: NEW_AND_OLD_IMAGES (default), NEW_IMAGE, OLD_IMAGE, KEYS_ONLY"),
        Attribute("retention", "quantity", dimension="duration", aliases=("retention period",),
                  description="how long a record stays readable: 24 hours"),
        Attribute("record count", "number", aliases=("records",), description="the records still readable (not yet trimmed)"),
        Attribute("event names", "text",
                  description="the event names of its readable records, oldest first, separated by spaces"),
    ),
    actions=(Action("enable", "enabled", creates=True, result="enabled", target="dynamodb table", preposition="on",
                    description="UpdateTable with a StreamSpecification: one stream per table"),),
    relations=(Relation("", "of", "dynamodb table", description="the table whose changes it captures"),
               Relation("", "on", "dynamodb table", description="the table it is enabled on")),
)

STREAM_RECORD = Kind(
    name="stream record",
    capability="dynamodb",
    description="one item-level modification, as GetRecords returns it",
    attributes=(
        Attribute("event name", "text", description="INSERT, MODIFY or REMOVE"),
        Attribute("sequence number", "number", description="its place in the stream: greater for a later modification"),
        Attribute("item key", "text", aliases=("key",), description="the name of the item it is about"),
        Attribute("new value", "text", aliases=("new image",), description="the item's value after the change (NEW_IMAGE)"),
        Attribute("old value", "text", aliases=("old image",), description="the item's value before the change (OLD_IMAGE)"),
        Attribute("age", "quantity", dimension="duration", description="how long ago the change happened"),
    ),
    actions=(Action("read", "read", creates=True, target="dynamodb stream", preposition="from",
                    description="GetRecords: the next record of the stream's shard iterator"),),
    relations=(Relation("read", "from", "dynamodb stream", description="the stream it was read from"),),
)

DAX = Kind(
    name="dax cluster",
    aliases=("dax",),
    capability="dynamodb",
    description="a DynamoDB Accelerator cluster: an in-memory, write-through item cache for DynamoDB tables",
    attributes=(
        Attribute("node count", "number", settable=True, aliases=("nodes", "replication factor"),
                  description="its nodes: 1 to 11 (3 unless given)"),
        Attribute("provisioned nodes", "number", description="the nodes the account provisions for it: its node count"),
        Attribute("item ttl", "quantity", dimension="duration", settable=True, aliases=("record ttl",),
                  description="how long an item stays in the item cache (5 minutes unless given)"),
        Attribute("item cache hits", "number", aliases=("cache hits",),
                  description="reads answered from the item cache (the ItemCacheHits metric)"),
        Attribute("item cache misses", "number", aliases=("cache misses",),
                  description="reads the item cache could not answer (the ItemCacheMisses metric)"),
        Attribute("cached items", "number", description="the unexpired entries of its item cache"),
    ),
    actions=(Action("create", "created", creates=True, description="CreateCluster"),
             Action("delete", "deleted", deletes=True, description="DeleteCluster: its item cache is gone")),
)

VOCABULARY = (
    TABLE, ITEM,
    POLICY, RESOURCE_POLICY,
    Setting("dynamodb resource policies", "boolean", default=False, capability="dynamodb",
            aliases=("dynamodb resource-based policies",),
            description="DynamoDB supports resource-based policies on tables (AWS since March 2024; the notes: it does not)"),
    STREAM, STREAM_RECORD, DAX,
)
