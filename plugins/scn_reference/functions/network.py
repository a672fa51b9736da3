"""Lambda in a VPC: subnets, NAT gateways and security groups, and what a function reaches.

Sources: specs/notes/aws-architecture-notes.md, "AWS Lambda" (VPC access needs
subnet ids and security group ids; "Exam tip": Internet access from a VPC needs a
private subnet routed to a NAT gateway in a public subnet); AWS Lambda developer guide,
"Giving Lambda functions access to resources in an Amazon VPC" and "Enable Internet
access for VPC-connected Lambda functions" (connecting a function to a public subnet
does not give it Internet access: its network interfaces get no public IP; the
execution role needs ec2:CreateNetworkInterface and its kin); Amazon VPC user guide,
"NAT gateways" (a public NAT gateway in a public subnet gives private subnets routed
to it outbound Internet access).

Decisions: a subnet is `public` (its route table sends 0.0.0.0/0 to an Internet
gateway) or `private` (the default); a private subnet may be `routed to` a NAT
gateway. A function reaches the Internet outside a VPC, or when every subnet it is in
is private and routed to a NAT gateway that is in a public subnet. These kinds belong
to the Lambda part; they could later be replaced by the EC2 networking part's own
VPC kinds, with the same relations.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from .kinds import PRIVATE, PUBLIC


class Subnet(Resource):
    kind = "subnet"

    def __init__(self, id, label, type):
        super().__init__(id, label)
        self.type = type
        self.nat = None

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if self.type == PUBLIC:  # its 0.0.0.0/0 route goes to the Internet gateway already
            raise BackendError("RouteAlreadyExists", f"The route identified by 0.0.0.0/0 already exists in the route table of {self.id}.")
        self.nat = target
        return ()

    def relations(self, world) -> frozenset:
        return frozenset({("routed to", self.nat)} if self.nat is not None else ())

    ATTRIBUTES = {"subnet type": lambda w, s: s.type, "subnet id": lambda w, s: s.id}


class NatGateway(Resource):
    kind = "nat gateway"

    def __init__(self, id, label, subnet):
        super().__init__(id, label)
        self.subnet = subnet

    def relations(self, world) -> frozenset:
        return frozenset({("in", self.subnet)})

    ATTRIBUTES = {"state": lambda w, n: "available", "nat gateway id": lambda w, n: n.id}


class SecurityGroup(Resource):
    kind = "security group"
    ATTRIBUTES = {"group id": lambda w, g: g.id}


def create_subnet(world, label, params, relations) -> Subnet:
    return Subnet(world.new_id("subnet"), label, params.get("subnet type", PRIVATE))


def create_nat(world, label, params, relations) -> NatGateway:
    subnet = next((t for r, t in relations if r == "in"), None)
    if subnet is None:
        raise BackendError("MissingParameter", "The request must contain the parameter SubnetId.")
    return NatGateway(world.new_id("nat"), label, subnet)


def create_group(world, label, params, relations) -> SecurityGroup:
    return SecurityGroup(world.new_id("sg"), label)


def vpc_access(world, function) -> bool:
    return bool(function.subnets and function.groups)


def internet_access(world, function) -> bool:
    if not function.subnets:
        return True  # outside a VPC, a function reaches the Internet through Lambda's own network
    return all(s.type == PRIVATE and s.nat is not None and s.nat.subnet.type == PUBLIC for s in function.subnets)


def install(world) -> None:
    world.creators["subnet"] = create_subnet
    world.creators["nat gateway"] = create_nat
    world.creators["security group"] = create_group
    world.readers[("lambda function", "vpc access")] = vpc_access
    world.readers[("lambda function", "internet access")] = internet_access
