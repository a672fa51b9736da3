"""DynamoDB tables and items: their size, reads and writes, capacity, replication.

Sources: specs/notes/aws-architecture-notes.md, "Dynamo DB"; where the notes are
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
  :mod:`.access`, DAX in :mod:`.dax`, Streams in :mod:`.streams`.
- Items carry a ``value`` (the application's data) and a ``size`` (names and values);
  the 400 KB limit is 409,600 bytes, one byte more is refused. An item's reads and
  writes by an ``application`` (the caching patterns) and its bare look-up in an
  ElastiCache cluster are carried out by ``scn_reference.elasticache.patterns``, and its
  reads and writes through a DAX cluster by :mod:`.dax`: both register them in
  ``world.actors[("item", verb)]``.

The bottom of the table family: the resources and the item operations (:func:`get_item`,
:func:`write_item`) that DAX and ElastiCache's caching patterns build on; it imports only
:mod:`.streams` (each write appends its stream record). The words are in :mod:`.kinds`.
"""

from __future__ import annotations

import math
from typing import Any

from scenario.errors import BackendError

from ..model import Resource
from . import streams

ACCOUNT = "123456789012"
REGION = "us-east-1"
MAX_ITEM_BYTES = 400 * 1024  # "The maximum item size in DynamoDB is 400 KB, which includes both attribute names and values"
DEFAULT_ITEM_BYTES = 1024
REPLICAS = 3  # notes: "three geographically distributed replicas", "3 facilities (AZs)"
ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")
READ_UNIT_BYTES = 4096  # one RCU: one strongly consistent read per second of up to 4 KB
WRITE_UNIT_BYTES = 1024  # one WCU: one write per second of up to 1 KB
EVENTUAL_READ_COST = 0.5  # an eventually consistent read costs half a strongly consistent one

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

    def __init__(self, id: str, label: str, index: str | None) -> None:
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
    streams.record(world, table, item, event, old, None if event == "REMOVE" else item.value)


# ---------------------------------------------------------------- items
class Item(Resource):
    kind = "item"

    def __init__(self, id: str, label: str, table: Table, size: int, value: Any) -> None:
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
        # through a DAX cluster (read, write: the dax module), or by an application (ElastiCache's patterns)
        actor = world.actors.get(("item", action))
        if actor is None:
            return super().act(world, action, target, params)
        return actor(world, self, target, params)

    def relations(self, world):
        rels = {("in", self.table), ("put into", self.table)} if not self.deleted else set()
        rels |= {("cached by", d) for d in world.of_kind("dax cluster") if not d.deleted and d.entry(world, self) is not None}
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
