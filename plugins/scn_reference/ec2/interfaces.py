"""Elastic network interfaces: the primary one (eth0) of every instance, and added ones.

Source: specs/notes/aws-architecture-notes.md, "Elastic Network Interfaces" and
"Attaching ENIs"; AWS EC2 user guide, "Elastic network interfaces" (attach when
running — hot —, stopped — warm —, or at launch — cold; delete on termination is
true for interfaces created with the instance and false for ones attached later);
API references AttachNetworkInterface / DetachNetworkInterface /
DeleteNetworkInterface / ModifyNetworkInterfaceAttribute, error codes list.

How a spec names eth0: it is created with its instance, implicitly, and is not a
resource of the scenario until named: `given a primary network interface "eth0" of
"web"` names the existing primary interface of "web" (it creates nothing). Detaching
it is refused with OperationNotPermitted ("The network interface at device index 0
and networkCard index 0 cannot be detached.", AWS's answer); attaching anything at
device index 0 is refused too (the index is taken).

Ids of primary interfaces are derived from the instance's id (eni-<same digits>),
so they take nothing from the world's id counter.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from . import adapters

MAX_SECURITY_GROUPS = 5  # security groups per network interface (a VPC quota, 5 by default)


class Interface(Resource):
    kind = "network interface"

    # a new interface, until it is attached or configured (each interface sets its own when they change)
    instance: Any = None
    index: int | None = None
    attachment: str | None = None
    wanted_index: int | None = None
    secondary = 0
    security_groups = 1
    source_dest_check = True
    description = ""

    def __init__(self, id: str, label: str, private: str, *, primary: bool = False) -> None:
        super().__init__(id, label)
        self.private = private
        self.primary = primary
        self.delete_on_termination = primary

    @property
    def mac(self) -> str:
        """Its MAC address, made from its id's digits (read when asked for: most interfaces never are)."""
        return "02:00:00:" + ":".join(f"{b:02x}" for b in int(self.id.split("-")[1], 16).to_bytes(3, "big"))

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if self.deleted:
            raise _gone(self)
        if action == "attach":
            attach(world, self, target, params.get("device index", self.wanted_index), "warm" if target.state == "stopped" else "hot")
            return ("in-use",)
        if action == "detach":
            if self.primary:
                raise BackendError("OperationNotPermitted",
                                   "The network interface at device index 0 and networkCard index 0 cannot be detached.")
            if self.instance is None:
                raise BackendError("IncorrectState", f"The network interface '{self.id}' is not attached.")
            self.detach()
            return ("available",)
        if action == "modify":
            configure(self, params)
            return ()
        if action == "delete":
            if self.instance is not None:
                raise BackendError("InvalidNetworkInterface.InUse", f"The network interface '{self.id}' is currently in use.")
            self.deleted = True
            return ()
        return super().act(world, action, target, params)  # pragma: no cover

    def detach(self) -> None:
        self.instance = self.index = self.attachment = None

    def relations(self, world) -> frozenset:
        if self.instance is None:
            return frozenset()
        rel = {("attached to", self.instance)}
        if self.primary:
            rel.add(("of", self.instance))
        return frozenset(rel)

    ATTRIBUTES = {
        "state": lambda w, n: "in-use" if n.instance is not None else "available",
        "network interface id": lambda w, n: n.id,
        "primary": lambda w, n: n.primary,
        "device index": lambda w, n: n.index,
        "attachment type": lambda w, n: n.attachment,
        "private ipv4": lambda w, n: n.private,
        "secondary private ipv4 count": lambda w, n: n.secondary,
        "private ipv4 count": lambda w, n: 1 + n.secondary,
        "elastic ip limit": lambda w, n: 1 + n.secondary,
        "public ipv4": lambda w, n: n.instance.public if n.primary else None,
        "security group count": lambda w, n: n.security_groups,
        "mac address": lambda w, n: n.mac,
        "source/destination check": lambda w, n: n.source_dest_check,
        "description": lambda w, n: n.description,
        "delete-on-termination": lambda w, n: n.delete_on_termination,
    }


def configure(eni: Interface, params: Mapping[str, Any]) -> None:
    groups = params.get("security group count", eni.security_groups)
    if groups > MAX_SECURITY_GROUPS:
        raise BackendError("SecurityGroupsPerInterfaceLimitExceeded",
                           f"You have exceeded the maximum number of security groups ({MAX_SECURITY_GROUPS}) for a network interface.")
    if groups < 1:
        groups = 1  # no group given: the VPC's default security group
    eni.security_groups = groups
    eni.secondary = params.get("secondary private ipv4 count", eni.secondary)
    eni.source_dest_check = params.get("source/destination check", eni.source_dest_check)
    eni.description = params.get("description", eni.description)
    eni.delete_on_termination = params.get("delete-on-termination", eni.delete_on_termination)


def _added(world) -> list[Interface]:
    """The interfaces of the world but the instances' eth0 (each instance keeps its own, ``parts["eth0"]``)."""
    return world.network_interfaces


def primary_of(instance) -> Interface:
    """The instance's eth0, which RunInstances makes with it. The model makes it the first time something
    asks (at the latest when the instance terminates): nothing about it can change before, and most are
    never asked for."""
    eth0 = instance.parts.get("eth0")
    if eth0 is None:
        digits = instance.id.split("-", 1)[1]
        eth0 = Interface(f"eni-{digits}", f"the primary network interface of {instance.label}", instance.private, primary=True)
        eth0.instance, eth0.index, eth0.attachment = instance, 0, "cold"
        instance.parts["eth0"] = eth0
    return eth0


def interfaces_of(world, instance) -> list[Interface]:
    eth0 = primary_of(instance)
    mine = [n for n in _added(world) if n.instance is instance and not n.deleted]
    return mine if eth0.instance is not instance or eth0.deleted else [eth0, *mine]


def attach(world, eni: Interface, instance, index: int | None, how: str) -> None:
    if instance.state not in ("running", "stopped", "pending"):
        raise BackendError("IncorrectInstanceState", f"The instance '{instance.id}' is not in a valid state for this operation.")
    if eni.instance is not None:
        raise BackendError("InvalidNetworkInterface.InUse", f"Interface: [{eni.id}] in use.")
    taken = {n.index for n in interfaces_of(world, instance)}
    net = adapters.networking(instance.type)
    if net is not None and len(taken) >= net.max_interfaces:
        raise BackendError("AttachmentLimitExceeded",
                           f"Interface count {len(taken) + 1} exceeds the limit for {instance.type}")
    if index is None:
        index = next(i for i in range(1, len(taken) + 2) if i not in taken)
    if index in taken:
        raise BackendError("InvalidParameterValue",
                           f"Instance '{instance.id}' already has an interface attached at device index '{index}'.")
    eni.instance, eni.index, eni.attachment = instance, index, how


def create(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Interface:
    of = next((t for r, t in relations if r == "of"), None)
    if params.get("primary"):
        if of is None:
            raise BackendError("InvalidParameterValue", "A primary network interface is named with `of` an instance: it is created with it.")
        return primary_of(of)
    if of is not None:
        raise BackendError("InvalidParameterValue", "Only the primary network interface is `of` an instance; attach others `to` it.")
    eni = Interface(world.new_id("eni"), label, world.new_private_ip())
    configure(eni, params)
    eni.wanted_index = params.get("device index")
    _added(world).append(eni)
    return eni


def _gone(eni: Interface) -> BackendError:
    """What EC2 answers for a network interface that was deleted."""
    return BackendError("InvalidNetworkInterfaceID.NotFound", f"The networkInterface ID '{eni.id}' does not exist")


def _launched_with(relations) -> list[Interface]:
    return [t for r, t in relations if r == "launched with"]


def _on_launching(world, params, relations) -> None:
    named = _launched_with(relations)
    total = max(params.get("network interface count", 1), 1 + len(named))
    if total > world.settings["launch network interface limit"]:
        raise BackendError("AttachmentLimitExceeded",
                           f"Only {world.settings['launch network interface limit'] - 1} network interface besides eth0 can be added at launch.")
    net = adapters.networking(params.get("instance type", adapters.DEFAULT_TYPE))
    if net is not None and total > net.max_interfaces:
        raise BackendError("AttachmentLimitExceeded", f"Interface count {total} exceeds the limit for {params.get('instance type', adapters.DEFAULT_TYPE)}")
    for eni in named:
        if eni.deleted:
            raise _gone(eni)
        if eni.instance is not None:
            raise BackendError("InvalidNetworkInterface.InUse", f"Interface: [{eni.id}] in use.")


def _on_launched(world, instance, params, relations) -> None:
    named = _launched_with(relations)
    for eni in named:
        attach(world, eni, instance, None, "cold")
    for _ in range(params.get("network interface count", 1) - 1 - len(named)):
        eni = Interface(world.new_id("eni"), f"a network interface of {instance.label}", world.new_private_ip(instance.zone))
        eni.delete_on_termination = True  # made by RunInstances: deleted with the instance by default
        _added(world).append(eni)
        attach(world, eni, instance, None, "cold")


def _on_terminated(world, instance) -> None:
    for eni in interfaces_of(world, instance):
        if eni.delete_on_termination:
            eni.detach()
            eni.deleted = True
        else:
            eni.detach()  # kept, available for another instance


def _count_attached(world, instance) -> int:
    return len(interfaces_of(world, instance))


def install(world) -> None:
    world.network_interfaces = []  # in the order they were made
    world.creators["network interface"] = create
    world.on("launching", _on_launching)
    world.on("launched", _on_launched)
    world.on("terminated", _on_terminated)
    world.readers[("instance", "network interface count")] = _count_attached
    world.counters[("network interface", "attached to")] = _count_attached
