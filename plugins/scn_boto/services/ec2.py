"""EC2: instances and Elastic IPs (the default VPC is implicit).

The worked example of a service module (see the package's docstring): data saying
what is mapped, and small functions making the calls through ``world.call``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle, a_noun
from .base import KindMap, Service

#: states an instance passes through on its own; a wait ends at any other
TRANSITIONAL = frozenset({"pending", "stopping", "shutting-down"})


# ---------------------------------------------------------------- instances
def describe_instance(world: Boto3World, iid: str) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_instances", "describing an instance", InstanceIds=[iid])
    for reservation in answer.get("Reservations", ()):
        for inst in reservation.get("Instances", ()):
            if inst["InstanceId"] == iid:
                return inst
    raise BackendError("InvalidInstanceID.NotFound", f"The instance ID '{iid}' does not exist")


def wait_instance(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    """Poll until the instance is in a stable state; ``seen`` grows by every new state, the stable one last."""
    return world.wait(handle, lambda: describe_instance(world, handle.id)["State"]["Name"], TRANSITIONAL, seen)


def launch(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    o = world.options
    kw: dict[str, Any] = {
        "ImageId": o.image_id, "MinCount": 1, "MaxCount": 1,
        "InstanceType": params.get("instance type", o.instance_type),
        "TagSpecifications": world.tag_specifications("instance", label),
    }
    if "hibernation" in params:
        kw["HibernationOptions"] = {"Configured": bool(params["hibernation"])}
    if "shutdown behavior" in params:
        kw["InstanceInitiatedShutdownBehavior"] = str(params["shutdown behavior"])
    if "public ipv4" in params:
        # in the default VPC, the primary interface of the default subnet: ask for a public IPv4 or not
        kw["NetworkInterfaces"] = [{"DeviceIndex": 0, "AssociatePublicIpAddress": params["public ipv4"] is not False}]
    answer = world.call("ec2", "run_instances", "launching an instance", **kw)
    first = answer["Instances"][0]
    handle = world.remember(Handle("instance", first["InstanceId"], label))
    handle.creation_states = tuple(wait_instance(world, handle, [first["State"]["Name"]]))
    return handle


_INSTANCE_CALLS = {  # verb → (method, doing, extra params, answer key)
    "start": ("start_instances", "starting an instance", {}, "StartingInstances"),
    "stop": ("stop_instances", "stopping an instance", {}, "StoppingInstances"),
    "hibernate": ("stop_instances", "hibernating an instance", {"Hibernate": True}, "StoppingInstances"),
    "terminate": ("terminate_instances", "terminating an instance", {}, "TerminatingInstances"),
}


def act_instance(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    ids = [handle.id]
    if action == "reboot":
        world.call("ec2", "reboot_instances", "rebooting an instance", InstanceIds=ids)
        return wait_instance(world, handle, [])
    if action not in _INSTANCE_CALLS:
        raise NotImplementedByBackend(f"{action} on an instance")
    method, doing, extra, key = _INSTANCE_CALLS[action]
    change = world.call("ec2", method, doing, InstanceIds=ids, **extra)[key][0]
    before, now = change["PreviousState"]["Name"], change["CurrentState"]["Name"]
    seen = [] if now == before and now not in TRANSITIONAL else [now]
    return wait_instance(world, handle, seen)


def observe_instance(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "instance id":
        return handle.id
    if attribute == "shutdown behavior":
        answer = world.call("ec2", "describe_instance_attribute", "reading an instance's shutdown behavior",
                            InstanceId=handle.id, Attribute="instanceInitiatedShutdownBehavior")
        return answer.get("InstanceInitiatedShutdownBehavior", {}).get("Value")
    inst = describe_instance(world, handle.id)
    if attribute == "state":
        return inst["State"]["Name"]
    if attribute == "state code":
        return inst["State"]["Code"] & 0xFF  # the high byte is internal (AWS API reference, InstanceState)
    if attribute == "public ipv4":
        return inst.get("PublicIpAddress") or None
    if attribute == "private ipv4":
        return inst.get("PrivateIpAddress") or None
    if attribute == "availability zone":
        return inst.get("Placement", {}).get("AvailabilityZone")
    if attribute == "instance type":
        return inst.get("InstanceType")
    if attribute == "hibernation":
        return bool(inst.get("HibernationOptions", {}).get("Configured", False))
    raise NotImplementedByBackend(f"the {attribute} of an instance")


def _not_found(exc: BackendError) -> bool:
    return exc.code.endswith(".NotFound") or exc.code.endswith(".Malformed")


def instance_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_instance(world, handle.id)  # a terminated instance is still described
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def explain_instance(world: Boto3World, handle: Handle, attribute: str) -> str | None:
    if attribute == "public ipv4":
        answer = world.call("ec2", "describe_addresses", "describing elastic ips",
                            Filters=[{"Name": "instance-id", "Values": [handle.id]}])
        for addr in answer.get("Addresses", ()):
            owner = world.by_id.get(addr.get("AllocationId", ""))
            return f"{owner.label if owner else 'an elastic ip'} is associated"
    return None


def delete_instance(world: Boto3World, handle: Handle) -> None:
    """Terminate and wait until terminated (a terminated instance counts as gone)."""
    try:
        world.call("ec2", "terminate_instances", "terminating an instance", InstanceIds=[handle.id])
    except BackendError as exc:
        if _not_found(exc):
            return
        raise
    wait_instance(world, handle, [])


# ---------------------------------------------------------------- elastic ips
def describe_address(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_addresses", "describing an elastic ip", AllocationIds=[handle.id])
    for addr in answer.get("Addresses", ()):
        if addr.get("AllocationId") == handle.id:
            return addr
    raise BackendError("InvalidAllocationID.NotFound", f"The allocation ID '{handle.id}' does not exist")


def associate(world: Boto3World, handle: Handle, target: Any) -> None:
    if target is None or getattr(target, "kind", None) != "instance":
        raise NotImplementedByBackend(f"associating an elastic ip with {a_noun(getattr(target, 'kind', 'nothing'))}")
    world.call("ec2", "associate_address", "associating an elastic ip", AllocationId=handle.id, InstanceId=target.id,
               AllowReassociation=True)


def allocate(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    answer = world.call("ec2", "allocate_address", "allocating an elastic ip", Domain="vpc",
                        TagSpecifications=world.tag_specifications("elastic-ip", label))
    handle = world.remember(Handle("elastic ip", answer["AllocationId"], label))
    for rel, target in relations:  # "associated with"
        associate(world, handle, target)
    return handle


def act_address(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "associate":
        associate(world, handle, target)
    elif action == "disassociate":
        association = describe_address(world, handle).get("AssociationId")
        if association:
            world.call("ec2", "disassociate_address", "disassociating an elastic ip", AssociationId=association)
    elif action == "release":
        world.call("ec2", "release_address", "releasing an elastic ip", AllocationId=handle.id)
        handle.released = True
    else:
        raise NotImplementedByBackend(f"{action} on an elastic ip")
    return ()


def observe_address(world: Boto3World, handle: Handle, attribute: str) -> Any:
    addr = describe_address(world, handle)
    return addr.get("PublicIp") if attribute == "address" else addr.get("AllocationId")


def address_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_address(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def address_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        addr = describe_address(world, handle)
    except BackendError as exc:
        if exc.code.endswith(".NotFound"):
            return frozenset()
        raise
    iid = addr.get("InstanceId")
    if not iid:
        return frozenset()
    return frozenset({("associated with", world.known("instance", iid))})


def count_addresses(world: Boto3World, relation: str, target: Handle) -> int:
    answer = world.call("ec2", "describe_addresses", "counting elastic ips",
                        Filters=[{"Name": "instance-id", "Values": [target.id]}])
    return len(answer.get("Addresses", ()))


def delete_address(world: Boto3World, handle: Handle) -> None:
    """Disassociate if associated, then release (gone already is fine)."""
    try:
        association = describe_address(world, handle).get("AssociationId")
        if association:
            world.call("ec2", "disassociate_address", "disassociating an elastic ip", AssociationId=association)
        world.call("ec2", "release_address", "releasing an elastic ip", AllocationId=handle.id)
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- the service
INSTANCE = KindMap(
    "instance",
    attributes={"state", "state code", "instance id", "public ipv4", "private ipv4", "availability zone",
                "instance type", "hibernation", "shutdown behavior"},
    actions={"launch", "start", "stop", "hibernate", "reboot", "terminate"},
    params={"public ipv4", "instance type", "hibernation", "shutdown behavior"},
    create=launch, act=act_instance, observe=observe_instance, exists=instance_exists, explain=explain_instance,
    delete=delete_instance, cost="cheap", resource_type="instance",
)

ELASTIC_IP = KindMap(
    "elastic ip",
    attributes={"address", "allocation id"},
    actions={"allocate", "associate", "disassociate", "release"},
    relations={"associated with"},
    create=allocate, act=act_address, observe=observe_address, exists=address_exists,
    relations_of=address_relations, count_related=count_addresses, delete=delete_address,
    cost="cheap", resource_type="elastic-ip",
)

DEFAULT_VPC = KindMap("default vpc", implicit=True)

SERVICE = Service(
    capability="ec2",
    clients=("ec2",),
    kinds=(INSTANCE, ELASTIC_IP, DEFAULT_VPC),
    why={
        "instance.host": "EC2's API does not expose the physical host of an instance on shared tenancy",
        "instance.shutdown": "a shutdown from inside the operating system has no API call",
    },
    recorded_settings={"elastic ip limit"},
)
