"""EC2: instances, Elastic IPs, network interfaces and placement groups (the default VPC is implicit).

The worked example of a service module (see the package's docstring): data saying
what is mapped, and small functions making the calls through ``world.call``.

What an instance is launched with maps to RunInstances' parameters: Spot
(``InstanceMarketOptions``), user data, placement (group, partition, zone), the
network interfaces (``NetworkInterfaces``: a count, existing ones, an EFA) and the
AMI (one DescribeImages finds with the virtualization and ENA support asked for).
Enhanced networking is read as AWS's user guide says to check it: the instance's
``EnaSupport`` on a type whose ``NetworkInfo.EnaSupport`` is supported or required
(the ENA), or its ``SriovNetSupport`` = ``simple`` (the Intel 82599 VF); EC2 sets
neither for an instance that cannot use them (a paravirtual AMI, a type without). An Elastic IP of another region is allocated and addressed with that
region's client (``Handle.refs["region"]``).
"""

from __future__ import annotations

import base64
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


def default_subnet(world: Boto3World, zone: str | None = None) -> Mapping[str, Any]:
    """The default subnet of ``zone`` (of the first zone by name when None)."""
    filters = [{"Name": "default-for-az", "Values": ["true"]}]
    if zone:
        filters.append({"Name": "availability-zone", "Values": [zone]})
    subnets = world.call("ec2", "describe_subnets", "finding the default subnet", Filters=filters).get("Subnets", ())
    if not subnets:
        raise BackendError("InvalidSubnetID.NotFound", f"no default subnet{' in ' + zone if zone else ''}")
    return sorted(subnets, key=lambda n: n.get("AvailabilityZone", ""))[0]


def find_image(world: Boto3World, label: str, params: Mapping[str, Any]) -> tuple[str, str | None]:
    """An AMI with the virtualization and ENA support asked for, else the default one: (its id, the id if registered here).

    DescribeImages finds one of Amazon's (filtering on ENA support where the endpoint
    can, else on the answer); when there is none, one is registered (RegisterImage)
    with those properties, deregistered with its instance.
    """
    if "ami virtualization" not in params and "ami ena support" not in params:
        return world.options.image_id, None
    virtualization = str(params.get("ami virtualization", "hvm"))
    ena = bool(params.get("ami ena support", True))
    filters = [{"Name": "state", "Values": ["available"]}, {"Name": "virtualization-type", "Values": [virtualization]}]
    try:
        images = world.call("ec2", "describe_images", "finding an AMI", Owners=["amazon"],
                            Filters=filters + [{"Name": "ena-support", "Values": [str(ena).lower()]}]).get("Images", ())
    except NotImplementedByBackend:  # the endpoint cannot filter on ENA support: filter its answer
        images = world.call("ec2", "describe_images", "finding an AMI", Owners=["amazon"], Filters=filters).get("Images", ())
    images = [i for i in images if bool(i.get("EnaSupport", False)) == ena and i.get("VirtualizationType") == virtualization]
    if images:
        return sorted(images, key=lambda i: i.get("CreationDate", ""), reverse=True)[0]["ImageId"], None
    answer = world.call("ec2", "register_image", "registering an AMI",
                        Name=world.resource_name(f"{label}-ami", max_length=128), Architecture="x86_64",
                        RootDeviceName="/dev/xvda", VirtualizationType=virtualization, EnaSupport=ena,
                        TagSpecifications=world.tag_specifications("image", f"{label}-ami"))
    return answer["ImageId"], answer["ImageId"]


def deregister_image(world: Boto3World, image: str | None) -> None:
    if not image:
        return
    try:
        world.call("ec2", "deregister_image", "deregistering an AMI", ImageId=image)
    except BackendError as exc:
        if not (_not_found(exc) or exc.code.startswith("InvalidAMIID")):
            raise


def _market_options(params: Mapping[str, Any]) -> dict[str, Any] | None:
    spot: dict[str, Any] = {}
    if "max price" in params:
        spot["MaxPrice"] = f"{float(params['max price']):g}"
    if "interruption behavior" in params:
        behavior = str(params["interruption behavior"])
        spot["InstanceInterruptionBehavior"] = behavior
        if behavior in ("stop", "hibernate"):  # only a persistent request can stop or hibernate
            spot["SpotInstanceType"] = "persistent"
    option = params.get("purchase option")
    if option == "spot":
        return {"MarketType": "spot", **({"SpotOptions": spot} if spot else {})}
    if spot:  # Spot options asked for an instance that is not Spot: sent as they are, for EC2 to judge
        return {"SpotOptions": spot}
    return None


def _network_interfaces(world: Boto3World, params: Mapping[str, Any], named: Sequence[Handle]) -> list[dict] | None:
    """RunInstances' NetworkInterfaces: eth0, the existing interfaces named, new ones up to the count."""
    count = params.get("network interface count")
    if count is None and not named and "public ipv4" not in params and not params.get("efa"):
        return None
    total = max(int(count if count is not None else 1), 1 + len(named))
    if named:
        subnet = describe_interface(world, named[0])["SubnetId"]
    else:
        subnet = default_subnet(world, params.get("availability zone"))["SubnetId"]
    eth0: dict[str, Any] = {"DeviceIndex": 0, "SubnetId": subnet}
    if "public ipv4" in params:
        # in the default VPC, the primary interface of the default subnet: ask for a public IPv4 or not
        eth0["AssociatePublicIpAddress"] = params["public ipv4"] is not False
    if params.get("efa"):
        eth0["InterfaceType"] = "efa"
    out = [eth0]
    for index, eni in enumerate(named, start=1):
        out.append({"DeviceIndex": index, "NetworkInterfaceId": eni.id})
    for index in range(1 + len(named), total):
        out.append({"DeviceIndex": index, "SubnetId": subnet})
    return out


def launch(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    o = world.options
    image, registered = find_image(world, label, params)
    try:
        return _launch(world, label, params, relations, image, registered)
    except BaseException:
        if registered and not any(h.refs.get("image") == registered for h in world.created):
            deregister_image(world, registered)
        raise


def _launch(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]],
            image: str, registered: str | None) -> Handle:
    o = world.options
    kw: dict[str, Any] = {
        "ImageId": image, "MinCount": 1, "MaxCount": 1,
        "InstanceType": params.get("instance type", o.instance_type),
        "TagSpecifications": world.tag_specifications("instance", label),
    }
    if "hibernation" in params:
        kw["HibernationOptions"] = {"Configured": bool(params["hibernation"])}
    if "shutdown behavior" in params:
        kw["InstanceInitiatedShutdownBehavior"] = str(params["shutdown behavior"])
    if "user data" in params:
        kw["UserData"] = str(params["user data"])  # botocore encodes it in base64
    market = _market_options(params)
    if market is not None:
        kw["InstanceMarketOptions"] = market
    placement: dict[str, Any] = {}
    group = next((t for r, t in relations if r == "in"), None)
    if group is not None:
        placement["GroupName"] = group.id
    if "partition" in params:
        placement["PartitionNumber"] = int(params["partition"])
    named = [t for r, t in relations if r == "launched with"]
    interfaces = _network_interfaces(world, params, named)
    if interfaces is not None:
        kw["NetworkInterfaces"] = interfaces  # their subnet fixes the zone
    elif "availability zone" in params:
        placement["AvailabilityZone"] = str(params["availability zone"])
    if placement:
        kw["Placement"] = placement
    answer = world.call("ec2", "run_instances", "launching an instance", **kw)
    first = answer["Instances"][0]
    handle = world.remember(Handle("instance", first["InstanceId"], label, refs={"image": registered} if registered else {}))
    handle.creation_states = tuple(wait_instance(world, handle, [first["State"]["Name"]]))
    return handle


#: verb → (method, doing, extra params, answer key)
_INSTANCE_CALLS: dict[str, tuple[str, str, dict[str, Any], str]] = {
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


def instance_type_info(world: Boto3World, itype: str) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_instance_types", "describing an instance type", InstanceTypes=[itype])
    for info in answer.get("InstanceTypes", ()):
        if info.get("InstanceType") == itype:
            return info
    raise BackendError("InvalidInstanceType", f"The instance type '{itype}' does not exist")


def network_adapter(world: Boto3World, inst: Mapping[str, Any]) -> str | None:
    """The enhanced-networking adapter in use, as the EC2 user guide says to check it (see the module's docstring)."""
    ena_type = instance_type_info(world, inst["InstanceType"]).get("NetworkInfo", {}).get("EnaSupport")
    if inst.get("EnaSupport") and ena_type in ("supported", "required"):
        return "ena"
    if inst.get("SriovNetSupport") == "simple":
        return "intel 82599 vf"
    return None


def spot_request(world: Boto3World, inst: Mapping[str, Any]) -> Mapping[str, Any] | None:
    rid = inst.get("SpotInstanceRequestId")
    if not rid:
        return None
    answer = world.call("ec2", "describe_spot_instance_requests", "describing a spot request",
                        SpotInstanceRequestIds=[rid])
    return next(iter(answer.get("SpotInstanceRequests", ())), None)


def _instance_attribute(world: Boto3World, handle: Handle, attribute: str, key: str) -> Any:
    answer = world.call("ec2", "describe_instance_attribute", f"reading an instance's {attribute}",
                        InstanceId=handle.id, Attribute=attribute)
    return (answer.get(key) or {}).get("Value")


def observe_instance(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "instance id":
        return handle.id
    if attribute == "shutdown behavior":
        return _instance_attribute(world, handle, "instanceInitiatedShutdownBehavior", "InstanceInitiatedShutdownBehavior")
    if attribute == "user data":
        encoded = _instance_attribute(world, handle, "userData", "UserData")
        return base64.b64decode(encoded).decode("utf-8") if encoded else None
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
    if attribute == "purchase option":
        return "spot" if inst.get("InstanceLifecycle") == "spot" else "on-demand"
    if attribute in ("max price", "interruption behavior"):
        request = spot_request(world, inst)
        if request is None:
            return None
        if attribute == "max price":
            return float(request["SpotPrice"]) if request.get("SpotPrice") else None
        return request.get("InstanceInterruptionBehavior")
    if attribute == "partition":
        return inst.get("Placement", {}).get("PartitionNumber")
    if attribute == "network interface count":
        return len(inst.get("NetworkInterfaces", ()))
    if attribute == "efa":
        return any(n.get("InterfaceType") == "efa" for n in inst.get("NetworkInterfaces", ()))
    if attribute in ("ami virtualization", "ami ena support"):
        images = world.call("ec2", "describe_images", "describing an instance's AMI",
                            ImageIds=[inst["ImageId"]]).get("Images", ())
        image = images[0] if images else {}
        if attribute == "ami virtualization":
            return image.get("VirtualizationType")
        return bool(image.get("EnaSupport", False))
    if attribute == "network adapter":
        return network_adapter(world, inst)
    if attribute == "enhanced networking":
        return network_adapter(world, inst) is not None
    net = instance_type_info(world, inst["InstanceType"]).get("NetworkInfo", {})
    if attribute == "ena support":
        return net.get("EnaSupport") in ("supported", "required")
    if attribute == "efa support":
        return bool(net.get("EfaSupported", False))
    if attribute == "network bandwidth":
        return net.get("NetworkPerformance")
    raise NotImplementedByBackend(f"the {attribute} of an instance")


def instance_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        inst = describe_instance(world, handle.id)
    except BackendError as exc:
        if _not_found(exc):
            return frozenset()
        raise
    group = inst.get("Placement", {}).get("GroupName")
    if not group or inst["State"]["Name"] == "terminated":
        return frozenset()
    return frozenset({("in", world.known("placement group", group))})


def instances_in(world: Boto3World, group: str) -> list[Mapping[str, Any]]:
    """The instances of a placement group that are not terminated."""
    answer = world.call("ec2", "describe_instances", "describing the instances of a placement group",
                        Filters=[{"Name": "placement-group-name", "Values": [group]}])
    return [inst for r in answer.get("Reservations", ()) for inst in r.get("Instances", ())
            if inst["State"]["Name"] not in ("terminated", "shutting-down")]


def count_instances(world: Boto3World, relation: str, target: Handle) -> int:
    return len(instances_in(world, target.id))


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
    """Cancel its Spot request (a persistent one would launch another), terminate, wait until terminated;
    then deregister the AMI registered for it, if one was."""
    try:
        rid = describe_instance(world, handle.id).get("SpotInstanceRequestId")
        if rid:
            world.call("ec2", "cancel_spot_instance_requests", "cancelling a spot request", SpotInstanceRequestIds=[rid])
        world.call("ec2", "terminate_instances", "terminating an instance", InstanceIds=[handle.id])
        wait_instance(world, handle, [])
    except BackendError as exc:
        if not _not_found(exc):
            raise
    deregister_image(world, handle.refs.get("image"))


# ---------------------------------------------------------------- elastic ips
def _region(handle: Handle) -> str | None:
    return handle.refs.get("region")


def describe_address(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_addresses", "describing an elastic ip", region=_region(handle),
                        AllocationIds=[handle.id])
    for addr in answer.get("Addresses", ()):
        if addr.get("AllocationId") == handle.id:
            return addr
    raise BackendError("InvalidAllocationID.NotFound", f"The allocation ID '{handle.id}' does not exist")


def associate(world: Boto3World, handle: Handle, target: Any) -> None:
    if target is None or getattr(target, "kind", None) != "instance":
        raise NotImplementedByBackend(f"associating an elastic ip with {a_noun(getattr(target, 'kind', 'nothing'))}")
    world.call("ec2", "associate_address", "associating an elastic ip", region=_region(handle),
               AllocationId=handle.id, InstanceId=target.id, AllowReassociation=True)


def allocate(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    region = str(params["region"]) if "region" in params else None
    answer = world.call("ec2", "allocate_address", "allocating an elastic ip", region=region, Domain="vpc",
                        TagSpecifications=world.tag_specifications("elastic-ip", label))
    handle = world.remember(Handle("elastic ip", answer["AllocationId"], label,
                                   refs={"region": region} if region else {}))
    for rel, target in relations:  # "associated with"
        associate(world, handle, target)
    return handle


def act_address(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    region = _region(handle)
    if action == "associate":
        associate(world, handle, target)
    elif action == "disassociate":
        association = describe_address(world, handle).get("AssociationId")
        if association:
            world.call("ec2", "disassociate_address", "disassociating an elastic ip", region=region,
                       AssociationId=association)
    elif action == "release":
        world.call("ec2", "release_address", "releasing an elastic ip", region=region, AllocationId=handle.id)
        handle.released = True
    else:
        raise NotImplementedByBackend(f"{action} on an elastic ip")
    return ()


def observe_address(world: Boto3World, handle: Handle, attribute: str) -> Any:
    addr = describe_address(world, handle)
    if attribute == "region":  # the region whose endpoint describes it
        return getattr(getattr(world.client("ec2", _region(handle)), "meta", None), "region_name", None)
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
    region = _region(handle)
    try:
        association = describe_address(world, handle).get("AssociationId")
        if association:
            world.call("ec2", "disassociate_address", "disassociating an elastic ip", region=region,
                       AssociationId=association)
        world.call("ec2", "release_address", "releasing an elastic ip", region=region, AllocationId=handle.id)
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- network interfaces
#: an attachment's statuses on the way to attached or detached
ATTACHING = frozenset({"attaching", "detaching"})


def describe_interface(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_network_interfaces", "describing a network interface",
                        NetworkInterfaceIds=[handle.id])
    for eni in answer.get("NetworkInterfaces", ()):
        if eni.get("NetworkInterfaceId") == handle.id:
            return eni
    raise BackendError("InvalidNetworkInterfaceID.NotFound", f"The networkInterface ID '{handle.id}' does not exist")


def interfaces_of(world: Boto3World, instance: Handle) -> list[Mapping[str, Any]]:
    answer = world.call("ec2", "describe_network_interfaces", "describing the network interfaces of an instance",
                        Filters=[{"Name": "attachment.instance-id", "Values": [instance.id]}])
    return [n for n in answer.get("NetworkInterfaces", ())
            if (n.get("Attachment") or {}).get("InstanceId") == instance.id]


def _attachment(eni: Mapping[str, Any]) -> Mapping[str, Any]:
    att = eni.get("Attachment") or {}
    return att if att.get("Status") in ("attaching", "attached") else {}


def wait_attachment(world: Boto3World, handle: Handle) -> list[str]:
    """Poll until the interface is attached or detached; the interface's status, last."""
    world.wait(handle, lambda: (describe_interface(world, handle).get("Attachment") or {}).get("Status", "detached"),
               ATTACHING)
    return [describe_interface(world, handle).get("Status", "")]


def attach_interface(world: Boto3World, handle: Handle, target: Any, index: Any) -> list[str]:
    if target is None or getattr(target, "kind", None) != "instance":
        raise NotImplementedByBackend(f"attaching a network interface to {a_noun(getattr(target, 'kind', 'nothing'))}")
    if index is None:
        taken = {(n.get("Attachment") or {}).get("DeviceIndex") for n in interfaces_of(world, target)}
        index = next(i for i in range(1, len(taken) + 2) if i not in taken)
    answer = world.call("ec2", "attach_network_interface", "attaching a network interface",
                        NetworkInterfaceId=handle.id, InstanceId=target.id, DeviceIndex=int(index))
    if handle.refs.get("delete-on-termination") is not None:  # asked at creation: set on its attachment
        _set_delete_on_termination(world, handle, answer.get("AttachmentId"), handle.refs["delete-on-termination"])
    return wait_attachment(world, handle)


def _set_delete_on_termination(world: Boto3World, handle: Handle, attachment: str | None, value: Any) -> None:
    if not attachment:
        attachment = (describe_interface(world, handle).get("Attachment") or {}).get("AttachmentId")
    if not attachment:
        raise BackendError("InvalidAttachmentID.NotFound",
                           f"The network interface '{handle.id}' is not attached: it has no delete-on-termination")
    world.call("ec2", "modify_network_interface_attribute", "setting an interface's delete-on-termination",
               NetworkInterfaceId=handle.id, Attachment={"AttachmentId": attachment, "DeleteOnTermination": bool(value)})


def _security_groups(world: Boto3World, label: str, count: int, vpc: str) -> tuple[list[str], list[str]]:
    """The default security group and ``count - 1`` new ones: (every group id, the ids created)."""
    default = world.call("ec2", "describe_security_groups", "finding the default security group",
                         Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])
    groups = [g["GroupId"] for g in default.get("SecurityGroups", ())][:1]
    made: list[str] = []
    try:
        for n in range(2, count + 1):
            name = world.resource_name(f"{label}-sg{n}", max_length=255, allowed="A-Za-z0-9-")
            answer = world.call("ec2", "create_security_group", "creating a security group", GroupName=name,
                                Description=f"scn: security group {n} of {label}", VpcId=vpc,
                                TagSpecifications=world.tag_specifications("security-group", f"{label}-sg{n}"))
            made.append(answer["GroupId"])
    except BaseException:
        _delete_groups(world, made)
        raise
    return groups + made, made


def _delete_groups(world: Boto3World, groups: Sequence[str]) -> None:
    for gid in groups:
        try:
            world.call("ec2", "delete_security_group", "deleting a security group", GroupId=gid)
        except BackendError as exc:
            if not _not_found(exc):
                raise


def _primary_of(world: Boto3World, label: str, instance: Handle) -> Handle:
    """The existing eth0 of ``instance``: named, not created (it goes with its instance)."""
    for eni in interfaces_of(world, instance):
        if (eni.get("Attachment") or {}).get("DeviceIndex") == 0:
            handle = Handle("network interface", eni["NetworkInterfaceId"], label, refs={"primary": True})
            world.by_id[handle.id] = handle  # not in world.created: the instance's termination deletes it
            return handle
    raise BackendError("InvalidNetworkInterfaceID.NotFound", f"{instance.label} has no network interface at device index 0")


def create_interface(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    of = next((t for r, t in relations if r == "of"), None)
    if params.get("primary"):
        if of is None:
            raise BackendError("InvalidParameterValue", "A primary network interface is named with `of` an instance")
        return _primary_of(world, label, of)
    if of is not None:
        raise BackendError("InvalidParameterValue", "Only the primary network interface is `of` an instance")
    to = next((t for r, t in relations if r == "attached to"), None)
    subnet = describe_instance(world, to.id)["SubnetId"] if to is not None else default_subnet(world)["SubnetId"]
    kw: dict[str, Any] = {"SubnetId": subnet, "TagSpecifications": world.tag_specifications("network-interface", label)}
    if "description" in params:
        kw["Description"] = str(params["description"])
    if params.get("secondary private ipv4 count"):
        kw["SecondaryPrivateIpAddressCount"] = int(params["secondary private ipv4 count"])
    made: list[str] = []
    if int(params.get("security group count", 1)) > 1:
        vpc = world.call("ec2", "describe_subnets", "describing a subnet", SubnetIds=[subnet])["Subnets"][0]["VpcId"]
        kw["Groups"], made = _security_groups(world, label, int(params["security group count"]), vpc)
    try:
        answer = world.call("ec2", "create_network_interface", "creating a network interface", **kw)
    except BaseException:
        _delete_groups(world, made)
        raise
    refs: dict[str, Any] = {"groups": made}
    if "device index" in params:
        refs["device index"] = params["device index"]  # where to attach it, when it is attached
    if "delete-on-termination" in params:
        refs["delete-on-termination"] = params["delete-on-termination"]
    handle = world.remember(Handle("network interface", answer["NetworkInterface"]["NetworkInterfaceId"], label, refs=refs))
    if params.get("source/destination check") is False:
        world.call("ec2", "modify_network_interface_attribute", "turning the source/destination check off",
                   NetworkInterfaceId=handle.id, SourceDestCheck={"Value": False})
    if to is not None:
        attach_interface(world, handle, to, params.get("device index"))
    return handle


def _set_secondary(world: Boto3World, handle: Handle, wanted: int) -> None:
    secondary = [a["PrivateIpAddress"] for a in describe_interface(world, handle).get("PrivateIpAddresses", ())
                 if not a.get("Primary")]
    if wanted > len(secondary):
        world.call("ec2", "assign_private_ip_addresses", "assigning secondary private ipv4s",
                   NetworkInterfaceId=handle.id, SecondaryPrivateIpAddressCount=wanted - len(secondary))
    elif wanted < len(secondary):
        world.call("ec2", "unassign_private_ip_addresses", "unassigning secondary private ipv4s",
                   NetworkInterfaceId=handle.id, PrivateIpAddresses=secondary[wanted:])


def act_interface(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "attach":
        return attach_interface(world, handle, target, params.get("device index", handle.refs.get("device index")))
    if action == "detach":
        attachment = (describe_interface(world, handle).get("Attachment") or {}).get("AttachmentId")
        if not attachment:
            raise BackendError("IncorrectState", f"The network interface '{handle.id}' is not attached.")
        world.call("ec2", "detach_network_interface", "detaching a network interface", AttachmentId=attachment)
        return wait_attachment(world, handle)
    if action == "modify":
        if "delete-on-termination" in params:
            _set_delete_on_termination(world, handle, None, params["delete-on-termination"])
        if "source/destination check" in params:
            world.call("ec2", "modify_network_interface_attribute", "setting the source/destination check",
                       NetworkInterfaceId=handle.id, SourceDestCheck={"Value": bool(params["source/destination check"])})
        if "description" in params:
            world.call("ec2", "modify_network_interface_attribute", "setting an interface's description",
                       NetworkInterfaceId=handle.id, Description={"Value": str(params["description"])})
        if "secondary private ipv4 count" in params:
            _set_secondary(world, handle, int(params["secondary private ipv4 count"]))
        return ()
    if action == "delete":
        world.call("ec2", "delete_network_interface", "deleting a network interface", NetworkInterfaceId=handle.id)
        handle.released = True
        _delete_groups(world, handle.refs.get("groups", ()))
        return ()
    raise NotImplementedByBackend(f"{action} on a network interface")


def observe_interface(world: Boto3World, handle: Handle, attribute: str) -> Any:
    eni = describe_interface(world, handle)
    att = _attachment(eni)
    private = eni.get("PrivateIpAddresses", ())
    if attribute == "state":
        return eni.get("Status")
    if attribute == "network interface id":
        return eni.get("NetworkInterfaceId")
    if attribute == "primary":
        return att.get("DeviceIndex") == 0
    if attribute == "device index":
        return att.get("DeviceIndex")
    if attribute == "private ipv4":
        return eni.get("PrivateIpAddress")
    if attribute == "secondary private ipv4 count":
        return sum(1 for a in private if not a.get("Primary"))
    if attribute in ("private ipv4 count", "elastic ip limit"):  # one Elastic IP per private IPv4 address
        return len(private)
    if attribute == "public ipv4":
        return (eni.get("Association") or {}).get("PublicIp") or None
    if attribute == "security group count":
        return len(eni.get("Groups", ()))
    if attribute == "mac address":
        return eni.get("MacAddress")
    if attribute == "source/destination check":
        return eni.get("SourceDestCheck")
    if attribute == "description":
        return eni.get("Description")
    if attribute == "delete-on-termination":
        return bool(att.get("DeleteOnTermination", False))
    raise NotImplementedByBackend(f"the {attribute} of a network interface")


def interface_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe_interface(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def interface_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        att = _attachment(describe_interface(world, handle))
    except BackendError as exc:
        if _not_found(exc):
            return frozenset()
        raise
    if not att.get("InstanceId"):
        return frozenset()
    instance = world.known("instance", att["InstanceId"])
    rel = {("attached to", instance)}
    if att.get("DeviceIndex") == 0:
        rel.add(("of", instance))
    return frozenset(rel)


def count_interfaces(world: Boto3World, relation: str, target: Handle) -> int:
    return len(interfaces_of(world, target))


def delete_interface(world: Boto3World, handle: Handle) -> None:
    """Detach if attached, delete, then delete the security groups made for it (gone already is fine)."""
    try:
        try:
            att = _attachment(describe_interface(world, handle))
            if att.get("AttachmentId") and att.get("DeviceIndex") != 0:
                world.call("ec2", "detach_network_interface", "detaching a network interface",
                           AttachmentId=att["AttachmentId"], Force=True)
                wait_attachment(world, handle)
            world.call("ec2", "delete_network_interface", "deleting a network interface", NetworkInterfaceId=handle.id)
        except BackendError as exc:
            if not _not_found(exc):
                raise
    finally:
        _delete_groups(world, handle.refs.get("groups", ()))


# ---------------------------------------------------------------- placement groups
def describe_group(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_placement_groups", "describing a placement group", GroupNames=[handle.id])
    for group in answer.get("PlacementGroups", ()):
        if group.get("GroupName") == handle.id:
            return group
    raise BackendError("InvalidPlacementGroup.Unknown", f"The Placement Group '{handle.id}' is unknown.")


def create_group(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = world.resource_name(label, max_length=255, allowed="A-Za-z0-9-_")
    kw: dict[str, Any] = {"GroupName": name, "Strategy": str(params.get("strategy", "cluster")),
                          "TagSpecifications": world.tag_specifications("placement-group", label)}
    if "partition count" in params:
        kw["PartitionCount"] = int(params["partition count"])
    world.call("ec2", "create_placement_group", "creating a placement group", **kw)
    handle = world.remember(Handle("placement group", name, label))
    world.wait(handle, lambda: describe_group(world, handle).get("State", ""), {"pending"})
    return handle


def act_group(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action != "delete":
        raise NotImplementedByBackend(f"{action} on a placement group")
    world.call("ec2", "delete_placement_group", "deleting a placement group", GroupName=handle.id)
    handle.released = True
    return ()


def observe_group(world: Boto3World, handle: Handle, attribute: str) -> Any:
    group = describe_group(world, handle)
    if attribute == "state":
        return group.get("State")
    if attribute == "strategy":
        return group.get("Strategy")
    if attribute == "partition count":
        return group.get("PartitionCount")
    if attribute == "group id":
        return group.get("GroupId")
    # availability zone: the group shows none; a cluster group's is its instances' zone
    zones = sorted({i.get("Placement", {}).get("AvailabilityZone") for i in instances_in(world, handle.id)})
    return zones[0] if len(zones) == 1 else None


def group_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        return describe_group(world, handle).get("State") != "deleted"
    except BackendError as exc:
        if exc.code.startswith("InvalidPlacementGroup"):
            return False
        raise


def delete_group(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("ec2", "delete_placement_group", "deleting a placement group", GroupName=handle.id)
    except BackendError as exc:
        if not exc.code.startswith("InvalidPlacementGroup.Unknown"):
            raise


# ---------------------------------------------------------------- the service
INSTANCE = KindMap(
    "instance",
    attributes={"state", "state code", "instance id", "public ipv4", "private ipv4", "availability zone",
                "instance type", "hibernation", "shutdown behavior", "user data", "purchase option", "max price",
                "interruption behavior", "partition", "network interface count", "ami virtualization",
                "ami ena support", "enhanced networking", "network adapter", "ena support", "efa support", "efa",
                "network bandwidth"},
    actions={"launch", "start", "stop", "hibernate", "reboot", "terminate"},
    relations={"in", "launched with"},
    params={"public ipv4", "instance type", "hibernation", "shutdown behavior", "availability zone", "user data",
            "purchase option", "max price", "interruption behavior", "partition", "network interface count",
            "ami virtualization", "ami ena support", "efa"},
    create=launch, act=act_instance, observe=observe_instance, exists=instance_exists, explain=explain_instance,
    relations_of=instance_relations, count_related=count_instances,
    delete=delete_instance, cost="cheap", resource_type="instance",
)

ELASTIC_IP = KindMap(
    "elastic ip",
    attributes={"address", "allocation id", "region"},
    actions={"allocate", "associate", "disassociate", "release"},
    relations={"associated with"},
    params={"region"},
    create=allocate, act=act_address, observe=observe_address, exists=address_exists,
    relations_of=address_relations, count_related=count_addresses, delete=delete_address,
    cost="cheap", resource_type="elastic-ip",
)

NETWORK_INTERFACE = KindMap(
    "network interface",
    attributes={"state", "network interface id", "primary", "device index", "private ipv4",
                "secondary private ipv4 count", "private ipv4 count", "elastic ip limit", "public ipv4",
                "security group count", "mac address", "source/destination check", "description",
                "delete-on-termination"},
    actions={"create", "attach", "detach", "modify", "delete"},
    relations={"attached to", "of"},
    params={"primary", "device index", "secondary private ipv4 count", "security group count",
            "source/destination check", "description", "delete-on-termination"},
    action_params={"attach": frozenset({"device index"}),
                   "modify": frozenset({"delete-on-termination", "source/destination check", "description",
                                        "secondary private ipv4 count"})},
    create=create_interface, act=act_interface, observe=observe_interface, exists=interface_exists,
    relations_of=interface_relations, count_related=count_interfaces, delete=delete_interface,
    cost="free", resource_type="network-interface",
)

PLACEMENT_GROUP = KindMap(
    "placement group",
    attributes={"state", "strategy", "partition count", "group id", "availability zone"},
    actions={"create", "delete"},
    params={"strategy", "partition count"},
    create=create_group, act=act_group, observe=observe_group, exists=group_exists, delete=delete_group,
    cost="free", resource_type="placement-group",
)

DEFAULT_VPC = KindMap("default vpc", implicit=True)

SERVICE = Service(
    capability="ec2",
    clients=("ec2",),
    kinds=(INSTANCE, ELASTIC_IP, NETWORK_INTERFACE, PLACEMENT_GROUP, DEFAULT_VPC),
    why={
        "instance.host": "EC2's API does not expose the physical host of an instance on shared tenancy",
        "instance.shutdown": "a shutdown from inside the operating system has no API call",
        "instance.rack": "EC2's API does not show the racks of a spread or partition placement group",
        "instance.crash": "an instance failure cannot be caused through an API call",
        "instance.interrupt": "a Spot interruption is EC2's to make; no API call causes one",
        "network interface.attachment type": "EC2's API does not record whether an interface was attached hot "
                                             "(running), warm (stopped) or cold (at launch)",
    },
    #: an account quota, and AWS's rule of today for interfaces at launch (the endpoint applies its own)
    recorded_settings={"elastic ip limit", "launch network interface limit"},
)
