"""DynamoDB: tables and items, Streams (dynamodbstreams) and DAX clusters.

A table is created on demand (``PAY_PER_REQUEST``) with a string partition key ``pk``;
``index name`` adds a global secondary index on a string attribute ``gsi``. An item's key
is its label's name; its ``value`` is the string attribute ``val``; its ``size`` is made
up with a string attribute ``pad`` so that attribute names and values add up to the size
asked for, counted as DynamoDB counts an item (UTF-8 lengths of every name and value; the
developer guide's "Item sizes and formats"), and read back the same way from GetItem.
Reads are GetItem (``consistent read`` as asked); what the latest read returned
(``returned value``, ``consistent read``) is that call's answer, kept with the handle.
An item goes with its table: teardown deletes the table only.

A stream is the table's (UpdateTable's StreamSpecification; NEW_AND_OLD_IMAGES unless a
view type is given); a stream record is read as one consumer reads the stream from the
trim horizon: GetRecords after the last sequence number that consumer read on the shard
(its checkpoint, kept with the stream's handle), one record at a time.

What DynamoDB does not answer through an API call is not mapped: how many copies and
zones hold a table (AWS says "multiple"), a table's read and write counts and consumed
capacity (CloudWatch metrics, minutes late), and everything DAX answers through its own
client (reads and writes through the item cache, its hits and misses): the DAX client is
not boto3.

An ``application`` (the vocabulary's principal; ElastiCache's caching-pattern client
too, whose uses stay not implemented) is an IAM role under the path ``/scn/``; a
``policy`` attached to it is the role's inline policy (on a table's ARN and its
sub-resources, or ``*``); a ``resource policy`` is the table's (PutResourcePolicy), a
principal naming ``role/<label>`` of an application of the world meaning that role.
Requests ``by`` an application (`"k" is requested by "app"`: GetItem; `updated by`:
UpdateItem) are signed with the role's credentials (AssumeRole): IAM decides.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, carries, tag_dict

DEFAULT_ITEM_BYTES = 1024
KEY, VALUE, PAD, INDEXED = "pk", "val", "pad", "gsi"
TABLE_TRANSITIONAL = frozenset({"creating", "updating", "deleting"})
DAX_TRANSITIONAL = frozenset({"creating", "modifying", "deleting"})
VIEW_TYPES_DEFAULT = "NEW_AND_OLD_IMAGES"


def _not_found(exc: BackendError) -> bool:
    return exc.code in ("ResourceNotFoundException", "ClusterNotFoundFault")


def name_of(label: str) -> str:
    """`item "k"` → k; `item #2` → item-2."""
    if '"' in label:
        return label.split('"')[1]
    return label.replace(" #", "-").replace(" ", "-")


# ---------------------------------------------------------------- tables
def describe_table(world: Boto3World, name: str) -> Mapping[str, Any]:
    return world.call("dynamodb", "describe_table", "describing a dynamodb table", TableName=name)["Table"]


def table_state(world: Boto3World, handle: Handle) -> str:
    return describe_table(world, handle.id)["TableStatus"].lower()


def create_table(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = world.resource_name(name_of(label), max_length=255, allowed="a-zA-Z0-9_.-", first="")
    kw: dict[str, Any] = {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": KEY, "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": KEY, "AttributeType": "S"}],
        "Tags": world.tag_list(label),
    }
    if "index name" in params:
        kw["AttributeDefinitions"].append({"AttributeName": INDEXED, "AttributeType": "S"})
        kw["GlobalSecondaryIndexes"] = [{"IndexName": str(params["index name"]),
                                         "KeySchema": [{"AttributeName": INDEXED, "KeyType": "HASH"}],
                                         "Projection": {"ProjectionType": "ALL"}}]
    answer = world.call("dynamodb", "create_table", "creating a dynamodb table", **kw)
    handle = world.remember(Handle("dynamodb table", name, label))
    first = answer["TableDescription"]["TableStatus"].lower()
    handle.creation_states = tuple(world.wait(handle, lambda: table_state(world, handle), TABLE_TRANSITIONAL, [first]))
    return handle


def _table_gone(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    def state() -> str:
        try:
            return table_state(world, handle)
        except BackendError as exc:
            if _not_found(exc):
                return "deleted"
            raise

    world.wait(handle, state, TABLE_TRANSITIONAL, seen)
    return [s for s in seen if s != "deleted"]


def act_table(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action != "delete":
        raise NotImplementedByBackend(f"{action} on a dynamodb table")
    answer = world.call("dynamodb", "delete_table", "deleting a dynamodb table", TableName=handle.id)
    handle.released = True
    return _table_gone(world, handle, [answer["TableDescription"]["TableStatus"].lower()])


def count_items(world: Boto3World, name: str) -> int:
    """Scan with Select COUNT, every page (DescribeTable's ItemCount is refreshed only every six hours)."""
    kw: dict[str, Any] = {"TableName": name, "Select": "COUNT", "ConsistentRead": True}
    total = 0
    while True:
        answer = world.call("dynamodb", "scan", "counting a table's items", **kw)
        total += answer.get("Count", 0)
        if not answer.get("LastEvaluatedKey"):
            return total
        kw["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def observe_table(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "item count":
        return count_items(world, handle.id)
    table = describe_table(world, handle.id)
    if attribute == "state":
        return table["TableStatus"].lower()
    if attribute == "arn":
        return table["TableArn"]
    index: Mapping[str, Any] = next(iter(table.get("GlobalSecondaryIndexes", ())), {})
    if attribute == "index name":
        return index.get("IndexName")
    if attribute == "index arn":
        return index.get("IndexArn")
    raise NotImplementedByBackend(f"the {attribute} of a dynamodb table")


def table_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_table(world, handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def delete_table(world: Boto3World, handle: Handle) -> None:
    try:
        answer = world.call("dynamodb", "delete_table", "deleting a dynamodb table", TableName=handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return
        raise
    _table_gone(world, handle, [answer["TableDescription"]["TableStatus"].lower()])


# ---------------------------------------------------------------- items
def _size(item: Mapping[str, Any]) -> int:
    """An item's size as DynamoDB counts it: each attribute's name and value (strings and binaries)."""
    total = 0
    for name, value in item.items():
        total += len(name.encode("utf-8"))
        (kind, raw), = value.items()
        if kind == "S":
            total += len(raw.encode("utf-8"))
        elif kind == "B":
            total += len(raw)
        else:
            raise NotImplementedByBackend(f"the size of an item attribute of type {kind}")
    return total


def _item(key: str, value: str, size: int | None) -> dict[str, Any]:
    item = {KEY: {"S": key}, VALUE: {"S": value}}
    if size is not None:
        pad = size - _size(item) - len(PAD)
        if pad < 0:
            raise NotImplementedByBackend(f"an item of {size} bytes (its key and value alone take {_size(item)})")
        item[PAD] = {"S": "x" * pad}
    return item


def _table_of(handle: Handle) -> str:
    return handle.refs["table"]


def get_item(world: Boto3World, handle: Handle, consistent: bool = True) -> Mapping[str, Any] | None:
    answer = world.call("dynamodb", "get_item", "reading an item", TableName=_table_of(handle),
                        Key={KEY: {"S": handle.id}}, ConsistentRead=consistent)
    return answer.get("Item")


def put_item(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    table = next((t for _r, t in relations if getattr(t, "kind", None) == "dynamodb table"), None)
    if table is None:
        raise NotImplementedByBackend("an item put into no table")
    key = name_of(label)
    item = _item(key, str(params.get("value", "v1")), int(params.get("size", DEFAULT_ITEM_BYTES)))
    world.call("dynamodb", "put_item", "putting an item", TableName=table.id, Item=item)
    handle = Handle("item", key, label, refs={"table": table.id})
    handle.released = True  # an item goes with its table
    return world.remember(handle)


def act_item(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if target is not None and target.kind == "application" and action in ("request", "update"):
        return _act_as(world, handle, action, target, params)
    if target is not None:
        through = "a dax cluster (the DAX client is not boto3)" if target.kind == "dax cluster" else f"an {target.kind}"
        raise NotImplementedByBackend(f"{action} of an item through {through}")
    table, key = _table_of(handle), {KEY: {"S": handle.id}}
    if action == "read":
        consistent = bool(params.get("consistent read", False))
        answer = world.call("dynamodb", "get_item", "reading an item", TableName=table, Key=key, ConsistentRead=consistent)
        found = answer.get("Item")
        # what this read returned: the answer of the call, not state of the item
        handle.refs["returned"] = found[VALUE]["S"] if found and VALUE in found else None
        handle.refs["consistent"] = consistent
        return ()
    if action == "update":
        names, values, sets = {"#v": VALUE}, {}, []
        if "value" in params:
            values[":v"] = {"S": str(params["value"])}
            sets.append("#v = :v")
        if "size" in params:
            current = get_item(world, handle) or {}
            value = str(params.get("value", current.get(VALUE, {}).get("S", "v1")))
            values[":p"] = _item(handle.id, value, int(params["size"]))[PAD]
            names["#p"] = PAD
            sets.append("#p = :p")
        if not sets:
            raise NotImplementedByBackend("an update of an item that changes nothing")
        world.call("dynamodb", "update_item", "updating an item", TableName=table, Key=key,
                   UpdateExpression="SET " + ", ".join(sets), ExpressionAttributeNames=names,
                   ExpressionAttributeValues=values)
        return ()
    if action == "delete":
        world.call("dynamodb", "delete_item", "deleting an item", TableName=table, Key=key)
        return ()
    raise NotImplementedByBackend(f"{action} on an item")


def _act_as(world: Boto3World, handle: Handle, action: str, app: Handle, params: Mapping[str, Any]) -> Sequence[str]:
    """GetItem (`requested by`) or UpdateItem (`updated by`) signed with the application's role's credentials."""
    table, key = _table_of(handle), {KEY: {"S": handle.id}}
    if action == "request":
        answer = call_as(world, app, "dynamodb", "get_item", "reading an item as an application", TableName=table, Key=key)
        found = answer.get("Item")
        handle.refs["returned"] = found[VALUE]["S"] if found and VALUE in found else None
        handle.refs["consistent"] = False
        return ()
    if set(params) - {"value"} or "value" not in params:
        raise NotImplementedByBackend("an update by an application of anything but an item's value")
    call_as(world, app, "dynamodb", "update_item", "updating an item as an application", TableName=table, Key=key,
            UpdateExpression="SET #v = :v", ExpressionAttributeNames={"#v": VALUE},
            ExpressionAttributeValues={":v": {"S": str(params["value"])}})
    return ()


def observe_item(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "returned value":
        return handle.refs.get("returned")
    if attribute == "consistent read":
        return handle.refs.get("consistent")
    item = get_item(world, handle)
    if item is None:
        return None
    if attribute == "value":
        return item.get(VALUE, {}).get("S")
    if attribute == "size":
        return _size(item)
    raise NotImplementedByBackend(f"the {attribute} of an item")


def item_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        return get_item(world, handle) is not None
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise


def item_relations(world: Boto3World, handle: Handle) -> frozenset:
    if not item_exists(world, handle):
        return frozenset()
    table = world.known("dynamodb table", _table_of(handle))
    return frozenset({("in", table), ("put into", table)})


def count_in_table(world: Boto3World, relation: str, target: Handle) -> int:
    try:
        return count_items(world, target.id)
    except BackendError as exc:
        if _not_found(exc):
            return 0
        raise


# ---------------------------------------------------------------- streams
def describe_stream(world: Boto3World, arn: str) -> Mapping[str, Any]:
    return world.call("dynamodbstreams", "describe_stream", "describing a dynamodb stream",
                      StreamArn=arn)["StreamDescription"]


def enable_stream(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    table = next((t for _r, t in relations), None)
    if table is None:
        raise NotImplementedByBackend("a dynamodb stream of no table")
    view = str(params.get("view type", VIEW_TYPES_DEFAULT))
    answer = world.call("dynamodb", "update_table", "enabling a table's stream", TableName=table.id,
                        StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    arn = answer["TableDescription"].get("LatestStreamArn") or describe_table(world, table.id)["LatestStreamArn"]
    handle = Handle("dynamodb stream", arn, label, refs={"table": table.id, "positions": {}})
    handle.released = True  # it goes with its table
    world.remember(handle)
    handle.creation_states = tuple(world.wait(
        handle, lambda: describe_stream(world, arn)["StreamStatus"].lower(), {"enabling"}))
    return handle


def _shards(world: Boto3World, arn: str) -> list[Mapping[str, Any]]:
    return list(describe_stream(world, arn).get("Shards", ()))


def _records(world: Boto3World, arn: str, shard: str, iterator_type: str = "TRIM_HORIZON", seq: str | None = None,
             limit: int | None = None) -> list[Mapping[str, Any]]:
    kw: dict[str, Any] = {"StreamArn": arn, "ShardId": shard, "ShardIteratorType": iterator_type}
    if seq is not None:
        kw["SequenceNumber"] = seq
    iterator = world.call("dynamodbstreams", "get_shard_iterator", "reading a stream's shard", **kw).get("ShardIterator")
    out: list[Mapping[str, Any]] = []
    page: dict[str, Any] = {"Limit": limit} if limit else {}
    while iterator:
        answer = world.call("dynamodbstreams", "get_records", "reading a stream's records", ShardIterator=iterator,
                            **page)
        records = answer.get("Records", ())
        out += records
        if not records or limit:
            break
        iterator = answer.get("NextShardIterator")
    return out


def all_records(world: Boto3World, arn: str) -> list[Mapping[str, Any]]:
    records = [r for s in _shards(world, arn) for r in _records(world, arn, s["ShardId"])]
    return sorted(records, key=lambda r: int(r["dynamodb"]["SequenceNumber"]))


def observe_stream(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "record count":
        return len(all_records(world, handle.id))
    if attribute == "event names":
        return " ".join(r["eventName"] for r in all_records(world, handle.id))
    desc = describe_stream(world, handle.id)
    if attribute == "arn":
        return desc["StreamArn"]
    if attribute == "stream label":
        return desc.get("StreamLabel")
    if attribute == "view type":
        return desc.get("StreamViewType")
    if attribute == "state":
        return desc["StreamStatus"].lower()
    raise NotImplementedByBackend(f"the {attribute} of a dynamodb stream")


def stream_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        return describe_stream(world, handle.id)["StreamStatus"] not in ("DISABLED",)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise


def stream_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        name = describe_stream(world, handle.id)["TableName"]
    except BackendError as exc:
        if _not_found(exc):
            return frozenset()
        raise
    table = world.known("dynamodb table", name)
    return frozenset({("of", table), ("on", table)})


# ---------------------------------------------------------------- stream records
def read_stream_record(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    stream = next((t for _r, t in relations), None)
    if stream is None:
        raise NotImplementedByBackend("a stream record read from no stream")
    positions: dict[str, str] = stream.refs["positions"]
    found = None
    for shard in _shards(world, stream.id):
        sid = shard["ShardId"]
        after = positions.get(sid)
        records = _records(world, stream.id, sid, "AFTER_SEQUENCE_NUMBER" if after else "TRIM_HORIZON", after, 1)
        if records:
            found = (sid, records[0])
            positions[sid] = records[0]["dynamodb"]["SequenceNumber"]
            break
    if found is None:
        handle = Handle("stream record", f"none-{label}", label, refs={"stream": stream.id, "shard": None})
    else:
        handle = Handle("stream record", found[1]["dynamodb"]["SequenceNumber"], label,
                        refs={"stream": stream.id, "shard": found[0]})
    handle.released = True  # records are trimmed by DynamoDB, never deleted
    return world.remember(handle)


def stream_record(world: Boto3World, handle: Handle) -> Mapping[str, Any] | None:
    if handle.refs["shard"] is None:
        return None
    try:
        records = _records(world, handle.refs["stream"], handle.refs["shard"], "AT_SEQUENCE_NUMBER", handle.id, 1)
    except BackendError as exc:
        if _not_found(exc) or exc.code == "TrimmedDataAccessException":
            return None
        raise
    return next((r for r in records if r["dynamodb"]["SequenceNumber"] == handle.id), None)


def observe_record(world: Boto3World, handle: Handle, attribute: str) -> Any:
    record = stream_record(world, handle)
    if record is None:
        return None
    body = record["dynamodb"]
    if attribute == "event name":
        return record["eventName"]
    if attribute == "sequence number":
        return int(body["SequenceNumber"])
    if attribute == "item key":
        return body.get("Keys", {}).get(KEY, {}).get("S")
    if attribute in ("new value", "old value"):
        image = body.get("NewImage" if attribute == "new value" else "OldImage")
        return (image or {}).get(VALUE, {}).get("S")
    raise NotImplementedByBackend(f"the {attribute} of a stream record")


def record_relations(world: Boto3World, handle: Handle) -> frozenset:
    if stream_record(world, handle) is None:
        return frozenset()
    return frozenset({("read from", world.known("dynamodb stream", handle.refs["stream"]))})


def count_read(world: Boto3World, relation: str, target: Handle) -> int:
    """The records this world's consumer has read from the stream (its own count, as its checkpoint)."""
    return sum(1 for h in world.created
               if h.kind == "stream record" and h.refs.get("stream") == target.id and h.refs.get("shard"))


# ---------------------------------------------------------------- DAX
def describe_dax(world: Boto3World, name: str) -> Mapping[str, Any]:
    return world.call("dax", "describe_clusters", "describing a dax cluster", ClusterNames=[name])["Clusters"][0]


def create_dax(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = world.resource_name(label, max_length=20, lower=True).replace("--", "-")
    account = world.call("sts", "get_caller_identity", "finding the account")["Account"]
    world.call("dax", "create_cluster", "creating a dax cluster", ClusterName=name, NodeType="dax.t3.small",
               ReplicationFactor=int(params.get("node count", 3)),
               IamRoleArn=f"arn:aws:iam::{account}:role/scn-dax", Tags=world.tag_list(label))
    handle = world.remember(Handle("dax cluster", name, label))
    handle.creation_states = tuple(world.wait(handle, lambda: describe_dax(world, name)["Status"].lower(),
                                              DAX_TRANSITIONAL))
    return handle


def _dax_gone(world: Boto3World, handle: Handle) -> list[str]:
    def state() -> str:
        try:
            return describe_dax(world, handle.id)["Status"].lower()
        except BackendError as exc:
            if _not_found(exc):
                return "deleted"
            raise

    return [s for s in world.wait(handle, state, DAX_TRANSITIONAL, []) if s != "deleted"]


def act_dax(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action != "delete":
        raise NotImplementedByBackend(f"{action} on a dax cluster")
    world.call("dax", "delete_cluster", "deleting a dax cluster", ClusterName=handle.id)
    handle.released = True
    return _dax_gone(world, handle)


def observe_dax(world: Boto3World, handle: Handle, attribute: str) -> Any:
    cluster = describe_dax(world, handle.id)
    if attribute == "node count":
        return cluster.get("TotalNodes")
    if attribute == "provisioned nodes":
        nodes = cluster.get("Nodes")
        return len(nodes) if nodes is not None else cluster.get("TotalNodes")
    raise NotImplementedByBackend(f"the {attribute} of a dax cluster")


def dax_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_dax(world, handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def delete_dax(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("dax", "delete_cluster", "deleting a dax cluster", ClusterName=handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return
        raise
    _dax_gone(world, handle)


def find_dax(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """DAX clusters carrying ``tags`` (for ``scn sweep``): DescribeClusters and ListTags."""
    found = []
    for c in world.call("dax", "describe_clusters", "listing dax clusters").get("Clusters", ()):
        if str(c.get("Status", "")).lower() == "deleting":
            continue
        have = tag_dict(world.call("dax", "list_tags", "reading a dax cluster's tags",
                                   ResourceName=c["ClusterArn"]).get("Tags"))
        if carries(have, tags):
            found.append(Handle("dax cluster", c["ClusterName"], c["ClusterName"],
                                refs={"arn": c["ClusterArn"], "tags": have}))
    return found


# ---------------------------------------------------------------- applications (IAM roles) and their policies
ROLE_PATH = "/scn/"
#: what an application's role trusts: the account itself (the world assumes the role to act as the application)
_TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root"}, ' \
         '"Action": "sts:AssumeRole"}]}'
_CACHING = ("strategy", "ttl")


def _account(world: Boto3World) -> str:
    return world.call("sts", "get_caller_identity", "reading the account")["Account"]


def _iam_gone(exc: BackendError) -> bool:
    return exc.code in ("NoSuchEntity", "NoSuchEntityException")


def create_application(world: Boto3World, label: str, params: Mapping[str, Any],
                       relations: Sequence[tuple[str, Any]]) -> Handle:
    """An application as DynamoDB sees it: an IAM role, whose credentials make its requests."""
    if any(p in params for p in _CACHING) or relations:
        # ElastiCache's caching patterns: the application talks to the cache engine, which no API call does
        raise NotImplementedByBackend("an application reading and writing through a cache (its caching strategy)")
    name = world.resource_name(name_of(label), max_length=64, allowed="A-Za-z0-9+=,.@_-", first="")
    role = world.call("iam", "create_role", "creating an application's IAM role", RoleName=name, Path=ROLE_PATH,
                      AssumeRolePolicyDocument=_TRUST % _account(world), Tags=world.tag_list(label))["Role"]
    return world.remember(Handle("application", name, label, refs={"arn": role["Arn"]}))


def _role(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("iam", "get_role", "reading an application's IAM role", RoleName=handle.id)["Role"]


def observe_application(world: Boto3World, handle: Handle, attribute: str) -> Any:
    return _role(world, handle)["Arn"]  # arn


def application_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        _role(world, handle)
    except BackendError as exc:
        if _iam_gone(exc):
            return False
        raise
    return True


def delete_application(world: Boto3World, handle: Handle) -> None:
    try:
        for name in world.call("iam", "list_role_policies", "listing an application's policies",
                               RoleName=handle.id).get("PolicyNames", ()):
            world.call("iam", "delete_role_policy", "deleting an application's policy", RoleName=handle.id,
                       PolicyName=name)
        world.call("iam", "delete_role", "deleting an application's IAM role", RoleName=handle.id)
    except BackendError as exc:
        if not _iam_gone(exc):
            raise


def find_applications(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """The roles under scn's path carrying ``tags`` (IAM is not in the Resource Groups Tagging API)."""
    found = []
    for role in world.call("iam", "list_roles", "listing roles", PathPrefix=ROLE_PATH).get("Roles", ()):
        have = {t["Key"]: t["Value"] for t in world.call("iam", "list_role_tags", "reading a role's tags",
                                                           RoleName=role["RoleName"]).get("Tags", ())}
        if all(k in have and (v is None or have[k] == v) for k, v in tags.items()):
            found.append(Handle("application", role["RoleName"], role["RoleName"], refs={"arn": role["Arn"], "tags": have}))
    return found


def credentials_of(world: Boto3World, app: Handle) -> Mapping[str, str]:
    """Temporary credentials of the application's role (AssumeRole; a new role may take IAM a moment to trust)."""
    out: dict[str, Any] = {}

    def assumed() -> bool:
        try:
            out.update(world.call("sts", "assume_role", "assuming an application's role", RoleArn=app.refs["arn"],
                                  RoleSessionName="scn-application")["Credentials"])
        except BackendError as exc:
            if exc.code == "AccessDenied":
                return False
            raise
        return True

    world.wait_until(assumed, app, "assumable")
    return out


def call_as(world: Boto3World, app: Handle, service: str, operation: str, doing: str, **kwargs: Any) -> Mapping[str, Any]:
    """One call signed with the application's credentials: a client like the world's, other keys; recorded alike."""
    import time

    import boto3

    from ..adapter import api_name
    from ..errors import boundary
    from ..transcript import Call

    creds = credentials_of(world, app)
    base = world.client(service)
    client = boto3.session.Session().client(
        service, region_name=base.meta.region_name, endpoint_url=base.meta.endpoint_url, config=base.meta.config,
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"])
    start, status = time.perf_counter(), "?"
    try:
        with boundary(api_name(operation), doing):
            answer = getattr(client, operation)(**kwargs)
        status = str((answer.get("ResponseMetadata") or {}).get("HTTPStatusCode", "ok"))
        return answer
    except BackendError as exc:
        status = exc.code
        raise
    finally:
        world.calls.append(Call(f"{service} (as {app.label})", operation, kwargs, status,
                                (time.perf_counter() - start) * 1000))


def _table_arn(world: Boto3World, table: Handle) -> str:
    return describe_table(world, table.id)["TableArn"]


def _actions(params: Mapping[str, Any]) -> list[str]:
    return [a.strip() for a in str(params.get("actions", "dynamodb:*")).split(",") if a.strip()]


def _statement(doc: Any) -> Mapping[str, Any]:
    import json

    doc = json.loads(doc) if isinstance(doc, str) else doc
    st = doc.get("Statement", [])
    return st[0] if isinstance(st, list) and st else st if isinstance(st, Mapping) else {}


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or ())


def create_policy(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    """An identity-based policy: the application's role's inline policy, on one table (`on "t"`) or every one."""
    import json

    app = next((t for r, t in relations if r == "attached to"), None)
    if app is None:
        raise NotImplementedByBackend("a policy attached to no application")
    table = next((t for r, t in relations if r == "on"), None)
    resource = [(arn := _table_arn(world, table)), f"{arn}/*"] if table is not None else "*"
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": str(params.get("effect", "allow")).capitalize(),
                                                   "Action": _actions(params), "Resource": resource}]}
    name = world.resource_name(name_of(label), max_length=128, allowed="A-Za-z0-9+=,.@_-", first="")
    world.call("iam", "put_role_policy", "attaching a policy to an application", RoleName=app.id, PolicyName=name,
               PolicyDocument=json.dumps(doc))
    return world.remember(Handle("policy", name, label, refs={"app": app}))


def _policy_doc(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    answer = world.call("iam", "get_role_policy", "reading an application's policy", RoleName=handle.refs["app"].id,
                        PolicyName=handle.id)
    return _statement(answer["PolicyDocument"])


def observe_policy(world: Boto3World, handle: Handle, attribute: str) -> Any:
    st = _policy_doc(world, handle)
    if attribute == "actions":
        return ",".join(_listed(st.get("Action")))
    return str(st.get("Effect", "")).lower()  # effect


def policy_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        _policy_doc(world, handle)
    except BackendError as exc:
        if _iam_gone(exc):
            return False
        raise
    return True


def _tables_named(world: Boto3World, resources: Sequence[str]) -> set[Handle]:
    out = set()
    for arn in resources:
        if ":table/" in arn and "/" not in arn.split(":table/", 1)[1]:
            out.add(world.known("dynamodb table", arn.split(":table/", 1)[1]))
    return out


def policy_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        st = _policy_doc(world, handle)
    except BackendError as exc:
        if _iam_gone(exc):
            return frozenset()
        raise
    return frozenset({("attached to", handle.refs["app"])} | {("on", t) for t in _tables_named(world, _listed(st.get("Resource")))})


def delete_policy(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("iam", "delete_role_policy", "deleting an application's policy", RoleName=handle.refs["app"].id,
                   PolicyName=handle.id)
    except BackendError as exc:
        if not _iam_gone(exc):
            raise


def _principal(world: Boto3World, text: str) -> str:
    """A principal ARN naming the role of an application of this world by its label → that role's ARN."""
    if ":role/" in text:
        label = text.rsplit(":role/", 1)[1]
        for h in world.created:
            if h.kind == "application" and name_of(h.label) == label and not h.released:
                return h.refs["arn"]
    return text


def create_resource_policy(world: Boto3World, label: str, params: Mapping[str, Any],
                           relations: Sequence[tuple[str, Any]]) -> Handle:
    """PutResourcePolicy on the table: its principal (an ARN, or *) may do its actions on the table."""
    import json

    table = next((t for r, t in relations if r == "attached to"), None)
    if table is None:
        raise NotImplementedByBackend("a resource policy attached to no table")
    arn = _table_arn(world, table)
    principal = _principal(world, str(params.get("principal", "*")))
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": str(params.get("effect", "allow")).capitalize(),
        "Principal": "*" if principal == "*" else {"AWS": principal},
        "Action": _actions(params), "Resource": [arn, f"{arn}/*"]}]}
    world.call("dynamodb", "put_resource_policy", "attaching a resource policy to a table", ResourceArn=arn,
               Policy=json.dumps(doc))
    return world.remember(Handle("resource policy", arn, label, refs={"table": table}))


def _resource_policy(world: Boto3World, handle: Handle) -> Mapping[str, Any] | None:
    try:
        answer = world.call("dynamodb", "get_resource_policy", "reading a table's resource policy", ResourceArn=handle.id)
    except BackendError as exc:
        if exc.code in ("PolicyNotFoundException", "ResourceNotFoundException"):
            return None
        raise
    return _statement(answer["Policy"])


def observe_resource_policy(world: Boto3World, handle: Handle, attribute: str) -> Any:
    st = _resource_policy(world, handle)
    if st is None:
        return None
    if attribute == "actions":
        return ",".join(_listed(st.get("Action")))
    if attribute == "principal":
        p = st.get("Principal")
        return p if isinstance(p, str) else ",".join(_listed((p or {}).get("AWS")))
    return str(st.get("Effect", "")).lower()  # effect


def resource_policy_relations(world: Boto3World, handle: Handle) -> frozenset:
    return frozenset({("attached to", handle.refs["table"])}) if _resource_policy(world, handle) is not None else frozenset()


def delete_resource_policy(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("dynamodb", "delete_resource_policy", "deleting a table's resource policy", ResourceArn=handle.id)
    except BackendError as exc:
        if exc.code not in ("PolicyNotFoundException", "ResourceNotFoundException"):
            raise


# ---------------------------------------------------------------- the service
TABLE = KindMap(
    "dynamodb table",
    attributes={"state", "arn", "index name", "index arn", "item count"},
    actions={"create", "delete"},
    params={"index name"},
    create=create_table, act=act_table, observe=observe_table, exists=table_exists, delete=delete_table,
    cost="cheap",  # on demand: billed per request and per GB stored
)

ITEM = KindMap(
    "item",
    attributes={"size", "value", "returned value", "consistent read"},
    actions={"put", "update", "read", "request", "delete"},
    relations={"in", "put into"},
    params={"size", "value"},
    action_params={"update": frozenset({"value", "size"}), "read": frozenset({"consistent read"})},
    # `requested by "app"` / `updated by "app"`: the application's own requests (act_item)
    create=put_item, act=act_item, observe=observe_item, exists=item_exists, relations_of=item_relations,
    count_related=count_in_table, cost="cheap",
)

STREAM = KindMap(
    "dynamodb stream",
    attributes={"arn", "stream label", "view type", "record count", "event names"},
    actions={"enable"},
    relations={"of", "on"},
    params={"view type"},
    create=enable_stream, observe=observe_stream, exists=stream_exists, relations_of=stream_relations, cost="cheap",
)

STREAM_RECORD = KindMap(
    "stream record",
    attributes={"event name", "sequence number", "item key", "new value", "old value"},
    actions={"read"},
    relations={"read from"},
    create=read_stream_record, observe=observe_record, exists=lambda world, h: stream_record(world, h) is not None,
    relations_of=record_relations, count_related=count_read, cost="free",
)

DAX = KindMap(
    "dax cluster",
    attributes={"node count", "provisioned nodes"},
    actions={"create", "delete"},
    params={"node count"},
    create=create_dax, act=act_dax, observe=observe_dax, exists=dax_exists, delete=delete_dax, find_tagged=find_dax,
    cost="expensive",
)

APPLICATION = KindMap(
    "application",
    attributes={"arn"},
    actions={"create"},
    relations={"with"},
    params={"strategy", "ttl"},  # ElastiCache's caching patterns: refused by create_application (not implemented)
    create=create_application, observe=observe_application, exists=application_exists, delete=delete_application,
    find_tagged=find_applications, cost="free",
)

POLICY = KindMap(
    "policy",
    attributes={"actions", "effect"},
    actions={"attach"},
    relations={"attached to", "on"},
    params={"actions", "effect"},
    create=create_policy, observe=observe_policy, exists=policy_exists, relations_of=policy_relations,
    delete=delete_policy, cost="free",
)

RESOURCE_POLICY = KindMap(
    "resource policy",
    attributes={"actions", "principal", "effect"},
    actions={"attach"},
    relations={"attached to"},
    params={"actions", "principal", "effect"},
    create=create_resource_policy, observe=observe_resource_policy,
    exists=lambda world, h: _resource_policy(world, h) is not None, relations_of=resource_policy_relations,
    delete=delete_resource_policy, cost="free",
)

_METRIC = "a CloudWatch metric, published minutes late: no API call answers it as the scenario runs"
_DAX_CLIENT = "DAX is read and written through its own client (amazon-dax-client), not boto3"

SERVICE = Service(
    capability="dynamodb",
    clients=("dynamodb", "dynamodbstreams", "dax", "sts", "iam"),
    # APPLICATION is ElastiCache's kind in the vocabulary: its service lists it (services/elasticache.py)
    kinds=(TABLE, ITEM, STREAM, STREAM_RECORD, DAX, POLICY, RESOURCE_POLICY),
    why={
        "dynamodb table.replica count": "DynamoDB does not expose how many copies it stores (AWS: 'multiple AZs')",
        "dynamodb table.availability zone count": "DynamoDB does not expose the Availability Zones of a table",
        "dynamodb table.provisioned nodes": "DynamoDB exposes no nodes or instances of a table",
        "dynamodb table.read requests": _METRIC,
        "dynamodb table.eventually consistent reads": _METRIC,
        "dynamodb table.strongly consistent reads": _METRIC,
        "dynamodb table.consumed read capacity": _METRIC,
        "dynamodb table.consumed write capacity": _METRIC,
        "item.copies": "DynamoDB does not expose the replicas of an item",
        "item.write": _DAX_CLIENT,
        "item.read": _DAX_CLIENT + " (a read from the table is mapped: GetItem)",
        "dax cluster.item cache hits": _METRIC,
        "dax cluster.item cache misses": _METRIC,
        "dax cluster.cached items": _DAX_CLIENT,
        "dax cluster.item ttl": "the record TTL lives in a parameter group (record-ttl-millis), not mapped",
        "dynamodb stream.retention": "the 24 hours are documented, not returned by DescribeStream",
        "stream record.age": "needs the clock",
        "item.look up": "a look-up in a cache is the engine's protocol (Redis GET), not an AWS API call",
    },
    recorded_settings={"dynamodb resource policies"},
    moto_backends=("dynamodbstreams", "iam"),
    description="DynamoDB tables and items, DynamoDB Streams, DAX clusters",
)
