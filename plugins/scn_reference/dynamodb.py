"""DynamoDB: tables, items, capacity, access control (IAM), and — in sub-modules — Streams and DAX.

Sources: ../shared/seed/aws-architecture-notes.md, "Dynamo DB"; where the notes are
silent, AWS's DynamoDB developer guide: "Service, account, and table quotas" (an item is
at most 400 KB, names and values counted, refused with ``ValidationException``: "Item
size has exceeded the maximum allowed size"), "Read consistency" and "Read/write
capacity mode" (a read of up to 4 KB costs 1 RCU strongly consistent, 0.5 RCU
eventually consistent; a read of a missing item still costs it; a write costs 1 WCU
per KB; GetItem is eventually consistent unless ``ConsistentRead``), the ARN formats
of the service authorization reference (``table/<name>``, ``table/<name>/index/<index>``,
``table/<name>/stream/<label>``).

Decisions:

- Replication follows the notes: three replicas in three Availability Zones, written
  synchronously (every acknowledged write is on all three: an item's ``copies`` is 3).
  AWS today says "multiple Availability Zones" without a number; nothing contradicts 3.
- Serverless: a table runs on no instance or node the account provisions
  (``provisioned nodes`` is 0; a DAX cluster, by contrast, has nodes).
- Access control (IAM, identity-based and resource-based policies) is in
  :mod:`.dynamodb_access`, DAX in :mod:`.dynamodb_dax`, Streams in :mod:`.dynamodb_streams`.
- Items carry a ``value`` (the application's data) and a ``size`` (names and values);
  the 400 KB limit is 409,600 bytes, one byte more is refused. An item's reads and
  writes by an ``application`` (the caching patterns) and its bare look-up in an
  ElastiCache cluster are carried out by :mod:`.elasticache_patterns`, which
  registers them in ``world.actors``.
"""

from __future__ import annotations

import math

from scenario.errors import BackendError
from scenario.vocabulary import Action, Attribute, Kind, Relation, State

from . import dynamodb_access, dynamodb_dax, dynamodb_streams
from .model import Resource

ACCOUNT = "123456789012"
REGION = "us-east-1"
MAX_ITEM_BYTES = 400 * 1024  # "The maximum item size in DynamoDB is 400 KB, which includes both attribute names and values"
DEFAULT_ITEM_BYTES = 1024
REPLICAS = 3  # notes: "three geographically distributed replicas", "3 facilities (AZs)"
ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")
READ_UNIT_BYTES = 4096  # one RCU: one strongly consistent read per second of up to 4 KB
WRITE_UNIT_BYTES = 1024  # one WCU: one write per second of up to 1 KB
EVENTUAL_READ_COST = 0.5  # an eventually consistent read costs half a strongly consistent one

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

VOCABULARY = (TABLE, ITEM, *dynamodb_access.VOCABULARY, *dynamodb_streams.VOCABULARY, *dynamodb_dax.VOCABULARY)


def name_of(label: str) -> str:
    """`dynamodb table "t"` → t; `dynamodb table #2` → dynamodb-table-2."""
    if '"' in label:
        return label.split('"')[1]
    return label.replace(" #", "-").replace(" ", "-")


def _related(relations, kind: str):
    return next((t for _r, t in relations if getattr(t, "kind", None) == kind), None)


# ---------------------------------------------------------------- tables
class Table(Resource):
    kind = "dynamodb table"

    def __init__(self, id, label, index):
        super().__init__(id, label)
        self.name = name_of(label)
        self.index = index
        self.deleted = False
        self.reads = {True: 0, False: 0}  # consistent → GetItem count
        self.rcu = 0.0
        self.wcu = 0.0
        self.items: list[Item] = []

    @property
    def arn(self) -> str:
        return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{self.name}"

    def act(self, world, action, target, params):
        self.deleted = True  # the only action: delete
        return ("deleting",)

    CREATION = ("creating",)

    def live(self):
        return [i for i in self.items if not i.deleted]

    ATTRIBUTES = {
        "state": lambda w, t: "active",
        "arn": lambda w, t: t.arn,
        "index name": lambda w, t: t.index,
        "index arn": lambda w, t: f"{t.arn}/index/{t.index}" if t.index else None,
        "replica count": lambda w, t: REPLICAS,
        "availability zone count": lambda w, t: len(ZONES),
        "provisioned nodes": lambda w, t: 0,
        "item count": lambda w, t: len(t.live()),
        "read requests": lambda w, t: t.reads[True] + t.reads[False],
        "eventually consistent reads": lambda w, t: t.reads[False],
        "strongly consistent reads": lambda w, t: t.reads[True],
        "consumed read capacity": lambda w, t: round(t.rcu, 6),
        "consumed write capacity": lambda w, t: round(t.wcu, 6),
    }


def create_table(world, label, params, relations) -> Table:
    return Table(world.new_id("table"), label, params.get("index name"))


def check_size(size: int) -> None:
    if size > MAX_ITEM_BYTES:
        raise BackendError("ValidationException", f"Item size has exceeded the maximum allowed size ({size} bytes > {MAX_ITEM_BYTES}).")
    if size < 1:
        raise BackendError("ValidationException", "An item holds at least its key: its size is at least 1 byte.")


def _usable(table: Table) -> None:
    if table.deleted:
        raise BackendError("ResourceNotFoundException", f"Requested resource not found: Table: {table.name} not found")


def get_item(world, item: "Item", consistent: bool) -> str | None:
    """GetItem on the item's table: counts the read and its capacity; the stored value (none once deleted)."""
    table = item.table
    _usable(table)
    table.reads[consistent] += 1
    size = item.size if not item.deleted else 0
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    table.rcu += units * (1 if consistent else EVENTUAL_READ_COST)
    item.consistent = consistent
    return None if item.deleted else item.value


def write_item(world, item: "Item", event: str, value: str | None = None, size: int | None = None) -> None:
    """PutItem / UpdateItem / DeleteItem on the table: the size limit, capacity, the stream record."""
    table = item.table
    _usable(table)
    old = item.value
    if event != "REMOVE":
        size = item.size if size is None else size
        check_size(size)
        item.size = size
        if value is not None:
            item.value = value
        table.wcu += math.ceil(size / WRITE_UNIT_BYTES)
    else:
        table.wcu += math.ceil(item.size / WRITE_UNIT_BYTES)
    dynamodb_streams.record(world, table, item, event, old, None if event == "REMOVE" else item.value)


# ---------------------------------------------------------------- items
class Item(Resource):
    kind = "item"

    def __init__(self, id, label, table, size, value):
        super().__init__(id, label)
        self.table = table
        self.size = size
        self.value = value
        self.returned: str | None = None
        self.consistent: bool | None = None
        self.deleted = False

    def act(self, world, action, target, params):
        if action == "delete":
            write_item(world, self, "REMOVE")
            self.deleted = True
            return ()
        if action == "read" and target is None:
            self.returned = get_item(world, self, bool(params.get("consistent read", False)))
            return ()
        if action == "update" and target is None:
            write_item(world, self, "MODIFY", params.get("value"), params.get("size"))
            return ()
        if action == "read":
            self.returned = dynamodb_dax.read(world, target, self, bool(params.get("consistent read", False)))
            return ()
        if action == "write":
            dynamodb_dax.write(world, target, self, params.get("value"), params.get("size"))
            return ()
        actor = world.actors.get(("item", action))
        if actor is None:
            return super().act(world, action, target, params)
        return actor(world, self, target, params)

    def relations(self, world):
        rels = {("in", self.table), ("put into", self.table)} if not self.deleted else set()
        rels |= {("cached by", d) for d in dynamodb_dax.caching(world, self)}
        for cache in world.of_kind("elasticache cluster"):
            if cache.holds(world, self):
                rels.add(("cached in", cache))
        return frozenset(rels)

    ATTRIBUTES = {
        "size": lambda w, i: i.size,
        "value": lambda w, i: None if i.deleted else i.value,
        "returned value": lambda w, i: i.returned,
        "consistent read": lambda w, i: i.consistent,
        "copies": lambda w, i: 0 if i.deleted else REPLICAS,  # synchronous: acknowledged writes are on every replica
    }


def create_item(world, label, params, relations) -> Item:
    table = _related(relations, "dynamodb table")
    if table is None:
        raise BackendError("ValidationException", "An item is put into a table: name the table (`put into \"t\"`).")
    item = Item(world.new_id("item"), label, table, params.get("size", DEFAULT_ITEM_BYTES), params.get("value", "v1"))
    write_item(world, item, "INSERT")
    table.items.append(item)
    return item


def install(world) -> None:
    world.creators["dynamodb table"] = create_table
    world.creators["item"] = create_item
    world.counters[("item", "in")] = lambda w, t: len(t.live())
    dynamodb_access.install(world)
    dynamodb_streams.install(world)
    dynamodb_dax.install(world)
