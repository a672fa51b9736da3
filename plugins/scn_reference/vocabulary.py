"""The words of EC2 (instances and Elastic IPs), as data.

Source: ../shared/seed/aws-architecture-notes.md, sections "valid EC2 lifecycle
instance state" and "IP Addresses", and AWS's EC2 documentation where the notes
are silent (state codes, the transition table of the lifecycle).
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

INSTANCE = Kind(
    name="instance",
    aliases=("ec2 instance", "server"),
    capability="ec2",
    description="an EC2 instance in the default VPC",
    states=(
        State("pending", stable=False, code=0),
        State("running", code=16),
        State("shutting-down", stable=False, code=32),
        State("terminated", code=48),
        State("stopping", stable=False, code=64),
        State("stopped", code=80),
    ),
    attributes=(
        Attribute("state", "text", description="the lifecycle state"),
        Attribute("state code", "number", description="AWS's numeric state code (running is 16)"),
        Attribute("instance id", "text", aliases=("id",)),
        Attribute("public ipv4", "text", aliases=("public ip", "public ipv4 address", "public ip address", "public address"),
                  settable=True, choice="presence",
                  description="the public IPv4 address: auto-assigned, or the associated Elastic IP's"),
        Attribute("private ipv4", "text", aliases=("private ip", "private ipv4 address", "private ip address", "private address")),
        Attribute("host", "text", aliases=("host id", "underlying hardware", "hardware"),
                  description="the physical host it runs on; changes on stop and start"),
        Attribute("availability zone", "text", aliases=("az", "zone")),
        Attribute("instance type", "text", aliases=("type",), settable=True),
        Attribute("hibernation", "boolean", aliases=("hibernation enabled",), settable=True,
                  description="launched with hibernation enabled"),
        Attribute("billed", "boolean", capability="billing",
                  description="billed for instance hours now: pending, running, or stopping to hibernate"),
    ),
    actions=(
        Action("launch", "launched", creates=True, result="running", params=("public ipv4", "instance type", "hibernation")),
        Action("start", "started", result="running", from_states=("stopped",)),
        Action("stop", "stopped", result="stopped", from_states=("running",)),
        Action("hibernate", "hibernated", result="stopped", from_states=("running",)),
        Action("reboot", "rebooted", result="running", from_states=("running",)),
        Action("terminate", "terminated", result="terminated", from_states=("running", "stopped")),
    ),
)

ELASTIC_IP = Kind(
    name="elastic ip",
    aliases=("eip", "elastic ip address", "elastic ipv4"),
    capability="ec2",
    description="a static public IPv4 address of one region, remappable between instances",
    attributes=(
        Attribute("address", "text", aliases=("public ipv4", "public ip", "ip", "ip address")),
        Attribute("allocation id", "text", aliases=("id",)),
    ),
    actions=(
        Action("allocate", "allocated", creates=True),
        Action("associate", "associated", target="instance", preposition="with", target_required=True),
        Action("disassociate", "disassociated"),
        Action("release", "released", deletes=True),
    ),
    relations=(Relation("associated", "with", "instance", make="associate"),),
)

DEFAULT_VPC = Kind(
    name="default vpc",
    implicit=True,
    description="the default VPC of a new account (us-east-1, default subnet in us-east-1a)",
)

VOCABULARY = (
    INSTANCE,
    ELASTIC_IP,
    DEFAULT_VPC,
    Setting("elastic ip limit", "number", default=5, aliases=("eip limit", "elastic ip quota"),
            description="Elastic IPs per region (a soft limit: 5 by default)"),
)
