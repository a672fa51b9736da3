"""Elastic IP addresses: allocate, associate, disassociate, release; the limit; the charge.

Source: specs/notes/aws-architecture-notes.md, "IP Addresses"; AWS's
AllocateAddress / AssociateAddress / ReleaseAddress API references where the
notes are silent.

- The limit is per region (5 by default, a setting): an address allocated in
  another region does not count against this one's.
- An address belongs to the region it was allocated in. The model's instances all
  run in us-east-1; associating an address of another region with one is refused as
  AWS refuses it: the instance does not exist in that region
  (``InvalidInstanceID.NotFound``).
- The charge (notes: "AWS charges for elastic IP's when they're not being used"): an
  address is billed unless it is associated with a running instance. Since 1 February
  2024 AWS charges every public IPv4 address, in use or not (Amazon VPC pricing); the
  setting ``in-use public ipv4 charge`` gives that.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import REGION

REGIONS = frozenset({
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-central-1", "eu-north-1", "eu-south-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2", "ap-east-1", "sa-east-1", "me-south-1", "af-south-1",
})


class Address(Resource):
    kind = "elastic ip"

    def __init__(self, id, label, ip, region=REGION):
        super().__init__(id, label)
        self.ip = ip
        self.region = region
        self.instance = None
        self.released = False

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if self.released:
            raise BackendError("InvalidAllocationID.NotFound", f"The allocation ID '{self.id}' does not exist")
        if action == "associate":
            inst = target
            if self.region != REGION:  # the instance lives in another region: this one does not know it
                raise BackendError("InvalidInstanceID.NotFound", f"The instance ID '{inst.id}' does not exist")
            if inst.state not in ("running", "stopped"):
                # AWS's answer, as real AssociateAddress calls report it
                raise BackendError("InvalidInstanceID", f"The {inst.state} instance '{inst.id}' is not in a valid state for this operation.")
            if self.instance is not None:
                disassociate(world, self)
            if inst.eip is not None:  # the instance's previous Elastic IP gives way, staying allocated
                inst.eip.instance = None
            self.instance = inst
            inst.eip = self
            inst.public = self.ip  # the auto-assigned public IPv4 is released in its favour
            return ()
        if action == "disassociate":
            if self.instance is not None:
                disassociate(world, self)
            return ()
        if action == "release":
            # AWS API reference, ReleaseAddress: in a default VPC (every instance of this
            # world is in one) releasing an associated address first disassociates it; in a
            # nondefault VPC it is refused with InvalidIPAddress.InUse.
            if self.instance is not None:
                disassociate(world, self)
            self.released = True
            return ()
        return super().act(world, action, target, params)  # pragma: no cover

    def exists(self, world) -> bool:
        return not self.released

    def relations(self, world) -> frozenset:
        if self.instance is not None:
            return frozenset({("associated with", self.instance)})
        return frozenset()

    ATTRIBUTES = {
        "address": lambda w, a: a.ip,
        "allocation id": lambda w, a: a.id,
        "region": lambda w, a: a.region,
        "billed": lambda w, a: not a.released and (
            w.settings["in-use public ipv4 charge"] or a.instance is None or a.instance.state != "running"),
    }


def allocate(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Address:
    region = params.get("region", REGION)
    if region not in REGIONS:
        raise BackendError("InvalidParameterValue", f"The region '{region}' does not exist.")
    live = sum(1 for a in world.of_kind("elastic ip") if not a.released and a.region == region)
    if live >= world.settings["elastic ip limit"]:
        raise BackendError("AddressLimitExceeded", "The maximum number of addresses has been reached.")
    world.eip_pool += 1
    return Address(world.new_id("eipalloc"), label, f"203.0.113.{(world.eip_pool - 1) % 254 + 1}", region)


def disassociate(world, addr: Address) -> None:
    inst = addr.instance
    addr.instance = None
    inst.eip = None
    inst.public = None
    if inst.state == "running" and inst.auto_public:
        inst.public = world.new_public_ip()  # a running instance gets a new public IPv4


def _on_terminated(world, instance) -> None:
    if instance.eip is not None:
        instance.eip.instance = None  # the Elastic IP stays allocated, disassociated
        instance.eip = None


def _count_associated(world, target) -> int:
    return sum(1 for a in world.of_kind("elastic ip") if a.instance is target and not a.released)


def install(world) -> None:
    world.creators["elastic ip"] = allocate
    world.on("terminated", _on_terminated)
    world.counters[("elastic ip", "associated with")] = _count_associated
