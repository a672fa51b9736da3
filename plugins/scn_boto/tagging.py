"""scn's tags on AWS resources, and finding and deleting what carries them, for every service.

Every resource the ``aws`` backend creates carries :data:`TAG_RUN` (the run id),
:data:`TAG_NODE` (the scenario's id) and :data:`TAG_CREATED` (when it was made, ISO
8601 UTC to the microsecond: the newest first is the reverse of creation, so a sweep
deletes dependents before what they depend on), and a Name that starts with the run
id; a resource the API names instead of tagging is named after the run id.

A world's teardown check and ``scn sweep`` find resources by these tags across the
registered services (:func:`find_all`), kind by kind (:data:`scn_boto.services.KINDS`):

- EC2 instances and Elastic IPs by their own Describe calls (:func:`find_tagged`:
  a terminated instance counts as gone: AWS keeps describing it for an hour, and it
  costs nothing; so does a released address);
- every other EC2 resource by ``DescribeTags`` (a network interface, a placement
  group, a subnet, a security group, an AMI registered for an instance…), mapped to
  the kind whose ``resource_type`` it is, or deleted by EC2's own call when no kind
  maps it (:data:`EC2_DELETERS`);
- a kind with its own ``find_tagged`` by that;
- any other kind by the Resource Groups Tagging API (``GetResources``) for its
  ``arn_type`` (:data:`ARN_TYPES` for kinds whose module names none).

What it finds is deleted (:func:`delete_found`) newest first, through each kind's
``delete``, in rounds: a refusal because something still depends on it is tried again
once the rest is gone, within the timeout; what is left is named.
"""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

import attrs

from scenario.backend import BackendFault, NotImplementedByBackend
from scenario.errors import BackendError

from . import services
from .adapter import Handle
from .errors import boundary

if TYPE_CHECKING:  # pragma: no cover
    from .adapter import Boto3World
    from .services.base import KindMap, Service

__all__ = ["TAG_RUN", "TAG_NODE", "TAG_CREATED", "Tagged", "find_tagged", "delete", "retrying", "KINDS",
           "find_all", "delete_found", "handle_of", "created_stamp", "ARN_TYPES", "EC2_DELETERS", "waits_on",
           "ec2_via", "find_tagged_ec2", "newest_first"]

TAG_RUN = "scn:run-id"
TAG_NODE = "scn:node-id"
TAG_CREATED = "scn:created"
#: the kinds scn creates on AWS, which teardown and sweep look for
KINDS = ("instance", "elastic ip")
#: codes that mean "not yet: something still depends on it" (retried within a bound)
DEPENDENCY = frozenset({"DependencyViolation", "InvalidIPAddress.InUse", "InvalidState", "IncorrectInstanceState"})
#: codes that mean the resource is already gone
GONE = frozenset({"InvalidInstanceID.NotFound", "InvalidAllocationID.NotFound", "InvalidAssociationID.NotFound",
                  "InvalidAddress.NotFound", "InvalidAddressID.NotFound"})
GONE_STATES = frozenset({"terminated"})
#: words of an error code that mean "not yet: something still depends on it, or it is busy" (any service)
WAITING_WORDS = ("Dependency", "InUse", "InvalidState", "IncorrectState", "IncorrectInstanceState", "Conflict",
                 "ResourceInUse", "InvalidDBInstanceState", "InvalidDBClusterState", "InvalidClusterState",
                 "InvalidParameterCombination")

#: the Resource Groups Tagging API's resource type of the kinds registered today whose module names no
#: ``arn_type`` (a KindMap's own ``arn_type`` or ``find_tagged`` wins); the handle's id is the ARN's last part
ARN_TYPES: Mapping[str, str] = {
    "lambda function": "lambda:function",
    "db instance": "rds:db",
    "read replica": "rds:db",
    "db snapshot": "rds:snapshot",
    "aurora cluster": "rds:cluster",
    "aurora mysql replica": "rds:cluster",
    "aurora instance": "rds:db",
    "aurora replica": "rds:db",
    "websocket api": "apigateway:/apis",
    "redshift cluster": "redshift:cluster",
    "redshift snapshot": "redshift:snapshot",
    "emr cluster": "elasticmapreduce:cluster",
    "kinesis stream": "kinesis:stream",
    "firehose delivery stream": "firehose:deliverystream",
    "rest api": "apigateway:/restapis",
    "dynamodb table": "dynamodb:table",
}


def waits_on(exc: BaseException) -> bool:
    """Whether ``exc`` refuses a deletion because of something that will pass (a dependency, a busy state)."""
    code = getattr(exc, "code", "") or ""
    return isinstance(exc, BackendError) and (code in DEPENDENCY or any(w in code for w in WAITING_WORDS))


def created_stamp(now: datetime.datetime | None = None) -> str:
    """``2026-11-27T14:30:00.123456Z``: :data:`TAG_CREATED`'s value, to the microsecond (newest first = reverse order)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _api(method: str) -> str:
    return "".join(part.capitalize() for part in method.split("_"))


def call(ec2: Any, method: str, doing: str, **kwargs) -> Mapping[str, Any]:
    if isinstance(ec2, _WorldEc2):  # through a world: its boundary, recorded in its transcript
        return ec2._world.call("ec2", method, doing, **kwargs)
    with boundary(_api(method), doing):
        return getattr(ec2, method)(**kwargs)


def retrying(fn: Callable[[], Any], *, codes: Iterable[str] = DEPENDENCY, timeout: float, poll: float,
             sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
             when: Callable[[BackendError], bool] | None = None) -> Any:
    """``fn()``, again while it is refused with one of ``codes`` (or a refusal ``when`` accepts), for at most
    ``timeout`` seconds (backing off)."""
    codes = frozenset(codes)
    deadline = clock() + timeout
    pause = max(poll, 0.05)
    while True:
        try:
            return fn()
        except BackendError as exc:
            if not (exc.code in codes or (when is not None and when(exc))) or clock() >= deadline:
                raise
        sleep(min(pause, max(0.0, deadline - clock())))
        pause = min(pause * 2, 30.0)


def _str_dict(tags: Mapping[str, str]) -> dict[str, str]:
    return dict(tags)


def _any_dict(refs: Mapping[str, Any]) -> dict[str, Any]:
    return dict(refs)


@attrs.frozen
class Tagged:
    """A resource scn tagged, as the endpoint describes it now."""

    kind: str  # "instance" | "elastic ip"
    id: str
    state: str  # an instance's state; "associated" or "allocated" for an address
    tags: Mapping[str, str] = attrs.field(converter=_str_dict, factory=dict)
    created: datetime.datetime | None = None
    association: str | None = None  # an address's association id
    arn: str | None = None  # as the tagging API names it, where it was found that way
    #: EC2's resource type when DescribeTags found it and no kind maps it ("image", "internet-gateway")
    ec2_type: str | None = None
    #: the refs of the handle a kind's ``find_tagged`` answered (what its ``delete`` needs besides the id)
    refs: Mapping[str, Any] = attrs.field(converter=_any_dict, factory=dict)

    def describe(self) -> str:
        name = self.tags.get("Name")
        return f"{self.kind} {self.id} ({self.state}" + (f", {name!r}" if name else "") + ")"


def _when(tags: Mapping[str, str], fallback: Any = None) -> datetime.datetime | None:
    text = tags.get(TAG_CREATED)
    if text:
        try:
            when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            pass
    if isinstance(fallback, datetime.datetime):
        return fallback if fallback.tzinfo else fallback.replace(tzinfo=datetime.timezone.utc)
    return None


def find_tagged(ec2: Any, tags: Mapping[str, str | None], *, kinds: Sequence[str] = KINDS) -> list[Tagged]:
    """Every live resource carrying ``tags`` (key → value, or None: the key with any value)."""
    filters = [{"Name": f"tag:{k}", "Values": [v]} if v is not None else {"Name": "tag-key", "Values": [k]}
               for k, v in tags.items()]
    found: list[Tagged] = []
    if "instance" in kinds:
        token = None
        while True:
            kw: dict[str, Any] = {"Filters": filters}
            if token:
                kw["NextToken"] = token
            answer = call(ec2, "describe_instances", "finding tagged instances", **kw)
            for reservation in answer.get("Reservations", ()):
                for inst in reservation.get("Instances", ()):
                    state = inst.get("State", {}).get("Name", "?")
                    if state in GONE_STATES:
                        continue
                    itags = {t["Key"]: t["Value"] for t in inst.get("Tags", ())}
                    found.append(Tagged("instance", inst["InstanceId"], state, itags, _when(itags, inst.get("LaunchTime"))))
            token = answer.get("NextToken")
            if not token:
                break
    if "elastic ip" in kinds:
        answer = call(ec2, "describe_addresses", "finding tagged elastic ips", Filters=filters)
        for addr in answer.get("Addresses", ()):
            atags = {t["Key"]: t["Value"] for t in addr.get("Tags", ())}
            assoc = addr.get("AssociationId") or None
            state = "associated" if (assoc or addr.get("InstanceId")) else "allocated"
            found.append(Tagged("elastic ip", addr["AllocationId"], state, atags, _when(atags), assoc))
    return found


def delete_address(ec2: Any, allocation_id: str, *, timeout: float, poll: float, sleep=time.sleep,
                   clock=time.monotonic) -> None:
    """Disassociate (if associated) and release an Elastic IP; gone already is fine."""
    try:
        answer = call(ec2, "describe_addresses", "describing an elastic ip", AllocationIds=[allocation_id])
    except BackendError as exc:
        if exc.code in GONE:
            return
        raise
    for addr in answer.get("Addresses", ()):
        assoc = addr.get("AssociationId")
        if assoc:
            try:
                call(ec2, "disassociate_address", "disassociating an elastic ip", AssociationId=assoc)
            except BackendError as exc:
                if exc.code not in GONE:
                    raise
    try:
        retrying(lambda: call(ec2, "release_address", "releasing an elastic ip", AllocationId=allocation_id),
                 timeout=timeout, poll=poll, sleep=sleep, clock=clock)
    except BackendError as exc:
        if exc.code not in GONE:
            raise


def terminate_instances(ec2: Any, ids: Sequence[str], *, timeout: float, poll: float, sleep=time.sleep,
                        clock=time.monotonic, wait: bool = True) -> list[str]:
    """Terminate ``ids`` (gone already is fine) and, with ``wait``, wait (bounded) until each is terminated.

    :returns: the ids still not terminated (with ``wait``), else ``[]``.
    """
    if not ids:
        return []
    live = list(ids)
    try:
        retrying(lambda: call(ec2, "terminate_instances", "terminating instances", InstanceIds=live),
                 timeout=timeout, poll=poll, sleep=sleep, clock=clock)
    except BackendError as exc:
        if exc.code not in GONE:
            raise
        for iid in list(live):  # one of them is gone: terminate the others one by one
            try:
                call(ec2, "terminate_instances", "terminating an instance", InstanceIds=[iid])
            except BackendError as one:
                if one.code not in GONE:
                    raise
    return wait_terminated(ec2, live, timeout=timeout, poll=poll, sleep=sleep, clock=clock) if wait else []


def wait_terminated(ec2: Any, ids: Sequence[str], *, timeout: float, poll: float, sleep=time.sleep,
                    clock=time.monotonic) -> list[str]:
    """Poll (one Describe for all of them) until every instance of ``ids`` is terminated; the ids that are not."""
    deadline = clock() + timeout
    live = list(ids)
    while live:
        try:
            answer = call(ec2, "describe_instances", "waiting for instances to terminate", InstanceIds=live)
            states = {i["InstanceId"]: i["State"]["Name"] for r in answer.get("Reservations", ()) for i in r.get("Instances", ())}
        except BackendError as exc:
            if exc.code not in GONE:
                raise
            states = {}
            for iid in live:  # one of them is gone for good: ask one by one
                try:
                    one = call(ec2, "describe_instances", "waiting for an instance to terminate", InstanceIds=[iid])
                    states.update({i["InstanceId"]: i["State"]["Name"] for r in one.get("Reservations", ())
                                   for i in r.get("Instances", ())})
                except BackendError as gone:
                    if gone.code not in GONE:
                        raise
        live = [iid for iid in live if iid in states and states[iid] not in GONE_STATES]
        if not live or clock() >= deadline:
            return live
        if poll:
            sleep(min(poll, max(0.0, deadline - clock())))
    return []


def delete(ec2: Any, resources: Sequence[Tagged], *, timeout: float, poll: float, sleep=time.sleep,
           clock=time.monotonic) -> list[str]:
    """Delete ``resources`` (addresses first, then instances); what could not be deleted, described."""
    problems: list[str] = []
    for r in resources:
        if r.kind == "elastic ip":
            try:
                delete_address(ec2, r.id, timeout=timeout, poll=poll, sleep=sleep, clock=clock)
            except (BackendError, BackendFault) as exc:
                problems.append(f"{r.describe()}: {exc}")
    ids = [r.id for r in resources if r.kind == "instance"]
    try:
        stuck = terminate_instances(ec2, ids, timeout=timeout, poll=poll, sleep=sleep, clock=clock)
        problems += [f"instance {iid}: not terminated after {timeout:g} s" for iid in stuck]
    except (BackendError, BackendFault) as exc:
        problems.append(f"instances {', '.join(ids)}: {exc}")
    return problems


# ---------------------------------------------------------------- every service: finding
def _label(tags: Mapping[str, str], fallback: str) -> str:
    name = tags.get("Name") or ""
    run = tags.get(TAG_RUN)
    if run and name.startswith(run + " "):
        name = name[len(run) + 1:]
    return name or fallback


def handle_of(r: Tagged) -> Handle:
    """A handle for a resource found by tag: its kind, id, label (its Name without the run id) and ARN."""
    refs = {k: v for k, v in r.refs.items() if k != "tags"}
    if r.arn:
        refs["arn"] = r.arn
    return Handle(r.kind, r.id, _label(r.tags, r.id), refs=refs)


def _filters(tags: Mapping[str, str | None]) -> list[dict]:
    return [{"Name": f"tag:{k}", "Values": [v]} if v is not None else {"Name": "tag-key", "Values": [k]}
            for k, v in tags.items()]


def _carries(found: Mapping[str, str], tags: Mapping[str, str | None]) -> bool:
    return all(k in found and (v is None or found[k] == v) for k, v in tags.items())


#: EC2's answer for an Elastic IP in DescribeTags (moto's, and AWS's)
_EIP_TYPES = frozenset({"elastic-ip", "vpc-elastic-ip"})
#: DescribeTags' names for a resource type that TagSpecifications spells otherwise (moto's among them)
_EC2_TYPE_ALIASES = {"nat-gateway": "natgateway"}


def _ec2_types() -> dict[str, str]:
    """EC2 resource type → the first kind mapping it (``resource_type``), over the registered services."""
    out: dict[str, str] = {}
    for k in services.KINDS.values():
        if k.resource_type and k.name not in KINDS:
            out.setdefault(k.resource_type, k.name)
    return out


def _find_ec2_others(world: "Boto3World", tags: Mapping[str, str | None]) -> list[Tagged]:
    """Every EC2 resource but instances and addresses carrying ``tags``, by DescribeTags."""
    by_id: dict[str, tuple[str, dict[str, str]]] = {}
    token = None
    while True:
        kw: dict[str, Any] = {"Filters": _filters(tags)}
        if token:
            kw["NextToken"] = token
        answer = world.call("ec2", "describe_tags", "finding tagged ec2 resources", **kw)
        for t in answer.get("Tags", ()):
            rtype = _EC2_TYPE_ALIASES.get(t.get("ResourceType", ""), t.get("ResourceType", ""))
            if rtype in ("instance", "spot-instances-request") or rtype in _EIP_TYPES:
                continue
            by_id.setdefault(t["ResourceId"], (rtype, {}))[1][t["Key"]] = t["Value"]
        token = answer.get("NextToken")
        if not token:
            break
    kinds = _ec2_types()
    out = []
    for rid, (rtype, found) in by_id.items():
        full = _all_tags(world, rid) if not _carries(found, tags) or "Name" not in found else found
        if not _carries(full, tags) or not _ec2_exists(world, rtype, rid):
            continue
        kind = kinds.get(rtype)
        if kind and rtype == "placement-group":  # the kind knows a placement group by its name, not its pg- id
            rid = _placement_group_name(world, rid)
        out.append(Tagged(kind or f"ec2 {rtype}", rid, "present", full, _when(full), ec2_type=None if kind else rtype))
    return out


#: EC2 resource type → (Describe method, its ids parameter, the answer's list): to tell a live resource from a
#: deleted one whose tags DescribeTags still shows (moto keeps them; AWS shows a deleted NAT gateway for a while)
EC2_DESCRIBE: Mapping[str, tuple[str, str, str]] = {
    "image": ("describe_images", "ImageIds", "Images"),
    "security-group": ("describe_security_groups", "GroupIds", "SecurityGroups"),
    "internet-gateway": ("describe_internet_gateways", "InternetGatewayIds", "InternetGateways"),
    "route-table": ("describe_route_tables", "RouteTableIds", "RouteTables"),
    "subnet": ("describe_subnets", "SubnetIds", "Subnets"),
    "vpc": ("describe_vpcs", "VpcIds", "Vpcs"),
    "network-interface": ("describe_network_interfaces", "NetworkInterfaceIds", "NetworkInterfaces"),
    "natgateway": ("describe_nat_gateways", "NatGatewayIds", "NatGateways"),
    "placement-group": ("describe_placement_groups", "GroupIds", "PlacementGroups"),
}
#: states of an EC2 resource that count as gone
EC2_GONE_STATES = frozenset({"deleted", "deregistered", "failed"})


def _ec2_exists(world: "Boto3World", rtype: str, rid: str) -> bool:
    """Whether the EC2 resource ``rid`` is still there (a type this module cannot describe: assumed so)."""
    how = EC2_DESCRIBE.get(rtype)
    if how is None:
        return True
    method, param, key = how
    try:
        filters: dict[str, Any] = {param: [rid]}
        answer = world.call("ec2", method, f"checking that a tagged {rtype} is still there", **filters)
    except BackendError as exc:
        if _gone(exc):
            return False
        raise
    items = answer.get(key, ())
    return any(str(i.get("State", "")).lower() not in EC2_GONE_STATES for i in items)


def _placement_group_name(world: "Boto3World", group_id: str) -> str:
    answer = world.call("ec2", "describe_placement_groups", "naming a tagged placement group", GroupIds=[group_id])
    return next((g["GroupName"] for g in answer.get("PlacementGroups", ()) if g.get("GroupName")), group_id)


def _all_tags(world: "Boto3World", rid: str) -> dict[str, str]:
    answer = world.call("ec2", "describe_tags", "reading a resource's tags",
                        Filters=[{"Name": "resource-id", "Values": [rid]}])
    return {t["Key"]: t["Value"] for t in answer.get("Tags", ())}


def _arn_id(arn: str) -> str:
    resource = arn.split(":", 5)[-1]
    return resource.replace(":", "/").rstrip("/").rsplit("/", 1)[-1]


def _find_by_arn_type(world: "Boto3World", kind: str, arn_type: str, tags: Mapping[str, str | None]) -> list[Tagged]:
    filters = [{"Key": k, "Values": [v]} if v is not None else {"Key": k} for k, v in tags.items()]
    out = []
    token = ""
    while True:
        kw: dict[str, Any] = {"TagFilters": filters, "ResourceTypeFilters": [arn_type]}
        if token:
            kw["PaginationToken"] = token
        answer = world.call("resourcegroupstaggingapi", "get_resources", f"finding tagged {kind}s", **kw)
        for r in answer.get("ResourceTagMappingList", ()):
            found = {t["Key"]: t["Value"] for t in r.get("Tags", ())}
            if _carries(found, tags):
                out.append(Tagged(kind, _arn_id(r["ResourceARN"]), "present", found, _when(found), arn=r["ResourceARN"]))
        token = answer.get("PaginationToken") or ""
        if not token:
            return out


def arn_type_of(kind: Any) -> str | None:
    return getattr(kind, "arn_type", None) or ARN_TYPES.get(kind.name)


def _finders(service_names: Iterable[str] | None) -> Iterator[tuple[Service, KindMap]]:
    """(capability, kind) for every kind to look for, in the registry's order; EC2's instances and addresses apart."""
    chosen = None if service_names is None else set(service_names)
    for s in services.SERVICES:
        if chosen is not None and s.capability not in chosen:
            continue
        for k in s.kinds:
            if k.implicit or k.name in KINDS:
                continue
            yield s, k


def find_all(world: "Boto3World", tags: Mapping[str, str | None], *, within: Iterable[str] | None = None
             ) -> tuple[list[Tagged], list[tuple[str, str]]]:
    """Every live resource carrying ``tags``, over the registered services (``within``: only the services of
    these capabilities); and the kinds that could not be looked for: (kind, why).

    Each resource once: a kind found twice (two kinds of one ARN type) is kept under the first.
    """
    within = None if within is None else set(within)
    found: list[Tagged] = []
    blind: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(items: Iterable[Tagged]) -> None:
        for r in items:
            key = r.arn or r.id
            if key not in seen and r.id not in seen:
                seen.add(key)
                seen.add(r.id)
                found.append(r)

    ec2_wanted = within is None or "ec2" in within
    searched_types: set[str] = set()
    for service, kind in _finders(within):
        try:
            if kind.find_tagged is not None:
                add(Tagged(kind.name, h.id, "present", dict(tags_of(h)), _when(tags_of(h)), arn=h.refs.get("arn"),
                           refs=h.refs)
                    for h in kind.find_tagged(world, tags))
            elif kind.resource_type and "ec2" in service.clients:
                ec2_wanted = True
            elif arn_type := arn_type_of(kind):
                if arn_type not in searched_types:  # one search per type: the first kind of it deletes them
                    searched_types.add(arn_type)
                    add(_find_by_arn_type(world, kind.name, arn_type, tags))
            elif kind.create is not None and kind.delete is not None:
                blind.append((kind.name, "no way to find them by tag is mapped"))
        except NotImplementedByBackend as exc:
            blind.append((kind.name, f"the endpoint does not implement {exc.what}"))
    if ec2_wanted:
        add(find_tagged_ec2(world, tags))
        try:
            add(_find_ec2_others(world, tags))
        except NotImplementedByBackend as exc:
            blind.append(("other ec2 resource", f"the endpoint does not implement {exc.what}"))
    return found, blind


def tags_of(handle: Handle) -> Mapping[str, str]:
    return handle.refs.get("tags") or {}


def find_tagged_ec2(world: "Boto3World", tags: Mapping[str, str | None]) -> list[Tagged]:
    """Instances (not terminated) and Elastic IPs carrying ``tags``, through the world's calls."""
    return find_tagged(_WorldEc2(world), tags)


def ec2_via(world: "Boto3World") -> Any:
    """An EC2 client for this module's functions whose calls go through ``world`` (its error boundary and transcript)."""
    return _WorldEc2(world)


class _WorldEc2:
    """An EC2 client whose calls go through a world (mapped errors, recorded in its transcript)."""

    def __init__(self, world: "Boto3World"):
        self._world = world

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        world = self._world

        def call_it(**kwargs):
            return world.call("ec2", method, "", **kwargs)
        return call_it


# ---------------------------------------------------------------- every service: deleting
def _ec2_delete_image(world, rid):
    world.call("ec2", "deregister_image", "deregistering an AMI", ImageId=rid)


def _ec2_delete_group(world, rid):
    world.call("ec2", "delete_security_group", "deleting a security group", GroupId=rid)


def _ec2_delete_gateway(world, rid):
    gws = world.call("ec2", "describe_internet_gateways", "describing an internet gateway",
                     InternetGatewayIds=[rid]).get("InternetGateways", ())
    for gw in gws:
        for att in gw.get("Attachments", ()):
            world.call("ec2", "detach_internet_gateway", "detaching an internet gateway", InternetGatewayId=rid,
                       VpcId=att["VpcId"])
    world.call("ec2", "delete_internet_gateway", "deleting an internet gateway", InternetGatewayId=rid)


def _ec2_delete_route_table(world, rid):
    tables = world.call("ec2", "describe_route_tables", "describing a route table",
                        RouteTableIds=[rid]).get("RouteTables", ())
    for table in tables:
        for assoc in table.get("Associations", ()):
            if not assoc.get("Main") and assoc.get("RouteTableAssociationId"):
                world.call("ec2", "disassociate_route_table", "disassociating a route table",
                           AssociationId=assoc["RouteTableAssociationId"])
    world.call("ec2", "delete_route_table", "deleting a route table", RouteTableId=rid)


def _ec2_delete_subnet(world, rid):
    world.call("ec2", "delete_subnet", "deleting a subnet", SubnetId=rid)


def _ec2_delete_vpc(world, rid):
    world.call("ec2", "delete_vpc", "deleting a vpc", VpcId=rid)


def _ec2_delete_interface(world, rid):
    world.call("ec2", "delete_network_interface", "deleting a network interface", NetworkInterfaceId=rid)


def _ec2_delete_nat(world, rid):
    world.call("ec2", "delete_nat_gateway", "deleting a NAT gateway", NatGatewayId=rid)


#: EC2's own call for a tagged resource no kind maps (what a kind's create made on the side: an AMI, a security group)
EC2_DELETERS: Mapping[str, Callable[["Boto3World", str], None]] = {
    "image": _ec2_delete_image,
    "security-group": _ec2_delete_group,
    "internet-gateway": _ec2_delete_gateway,
    "route-table": _ec2_delete_route_table,
    "subnet": _ec2_delete_subnet,
    "vpc": _ec2_delete_vpc,
    "network-interface": _ec2_delete_interface,
    "natgateway": _ec2_delete_nat,
}


def _gone(exc: BaseException) -> bool:
    code = getattr(exc, "code", "") or ""
    return isinstance(exc, BackendError) and (code in GONE or "NotFound" in code or "NoSuch" in code)


def _delete_one(world: "Boto3World", r: Tagged) -> None:
    if r.ec2_type is not None:
        deleter = EC2_DELETERS.get(r.ec2_type)
        if deleter is None:
            raise BackendFault(f"no way to delete an ec2 {r.ec2_type} is mapped")
        try:
            deleter(world, r.id)
        except BackendError as exc:
            if not _gone(exc):
                raise
        return
    kind = services.KINDS.get(r.kind)
    if kind is None or kind.delete is None:
        raise BackendFault(f"no way to delete {r.kind}s is mapped")
    kind.delete(world, handle_of(r))


def newest_first(resources: Sequence[Tagged]) -> list[Tagged]:
    epoch = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
    return sorted(resources, key=lambda r: r.created or epoch, reverse=True)


def delete_found(world: "Boto3World", resources: Sequence[Tagged], *, timeout: float, poll: float,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> list[str]:
    """Delete ``resources`` found by tag, newest first (dependents before what they depend on); what is left, described.

    In rounds: every resource once (instances and Elastic IPs at the end of the round, as :func:`delete`
    does); a refusal because something still depends on it (:func:`waits_on`) is tried again in the
    next round, while anything else still goes and within ``timeout`` seconds.
    """
    deadline = clock() + timeout
    pending = newest_first(resources)
    pause = max(poll, 0.05)
    problems: dict[str, str] = {}
    while pending:
        failed: list[Tagged] = []
        waiting = False  # a refusal that will pass once something else is gone
        for r in [r for r in pending if r.kind not in KINDS]:
            try:
                _delete_one(world, r)
                problems.pop(r.id, None)
            except (BackendError, BackendFault, NotImplementedByBackend, KeyError) as exc:
                problems[r.id] = f"{r.describe()}: {exc}"
                failed.append(r)
                waiting = waiting or waits_on(exc)
        core = [r for r in pending if r.kind in KINDS]
        if core:  # they wait out their own dependencies within the bound
            trouble = delete(_WorldEc2(world), core, timeout=max(0.0, deadline - clock()), poll=poll, sleep=sleep,
                             clock=clock)
            for r in core:
                mine = [p for p in trouble if r.id in p]
                if mine:
                    problems[r.id] = "; ".join(mine)
                    failed.append(r)
                else:
                    problems.pop(r.id, None)
        progress = len(failed) < len(pending)
        if not failed or clock() >= deadline or not (progress or waiting):
            break
        pending = newest_first(failed)
        if not progress:
            sleep(min(pause, max(0.0, deadline - clock())))
            pause = min(pause * 2, 30.0)
    return list(problems.values())
