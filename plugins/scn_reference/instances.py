"""EC2 instances: the lifecycle as a table, public and private IPv4, the host.

Source: ../shared/seed/aws-architecture-notes.md, "valid EC2 lifecycle instance
state", "Billing of EC2" and "IP Addresses"; AWS's EC2 documentation where the
notes are silent (state codes, the transition table).

The lifecycle is the table below: (action, state) → the states passed through,
the last one final; () is accepted and changes nothing; absent is refused with
IncorrectInstanceState.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError
from scenario.vocabulary import Action, Attribute, State

from .model import Resource

ZONE = "us-east-1a"

STATES = (
    State("pending", stable=False, code=0),
    State("running", code=16),
    State("shutting-down", stable=False, code=32),
    State("terminated", code=48),
    State("stopping", stable=False, code=64),
    State("stopped", code=80),
)

ATTRIBUTES = (
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
)

ACTIONS = (
    Action("launch", "launched", creates=True, result="running", params=("public ipv4", "instance type", "hibernation")),
    Action("start", "started", result="running", from_states=("stopped",)),
    Action("stop", "stopped", result="stopped", from_states=("running",)),
    Action("hibernate", "hibernated", result="stopped", from_states=("running",)),
    Action("reboot", "rebooted", result="running", from_states=("running",)),
    Action("terminate", "terminated", result="terminated", from_states=("running", "stopped")),
)

RELATIONS = ()

STATE_CODES = {st.name: st.code for st in STATES}

# (action, current state) → states passed through; () = accepted, nothing changes.
# AWS EC2 API reference: StartInstances / StopInstances / RebootInstances /
# TerminateInstances; terminating twice succeeds ("This operation is idempotent").
LIFECYCLE: dict[tuple[str, str], tuple[str, ...]] = {
    ("start", "stopped"): ("pending", "running"),
    ("start", "running"): (),
    ("stop", "running"): ("stopping", "stopped"),
    ("stop", "stopped"): (),
    ("hibernate", "running"): ("stopping", "stopped"),
    ("hibernate", "stopped"): (),
    ("reboot", "running"): ("running",),
    ("terminate", "running"): ("shutting-down", "terminated"),
    ("terminate", "stopped"): ("shutting-down", "terminated"),
    ("terminate", "terminated"): (),
}

LAUNCH_PATH = ("pending", "running")

# states in which an instance accrues instance-hours (notes: "Billing of EC2")
BILLED_STATES = frozenset({"pending", "running"})

_PARTICIPLE = {a.verb: a.participle for a in ACTIONS}


class Instance(Resource):
    kind = "instance"

    def __init__(self, id, label, private, host, type, hibernation, auto_public):
        super().__init__(id, label)
        self.state = "pending"
        self.public: str | None = None
        self.private = private
        self.host = host
        self.type = type
        self.hibernation = hibernation
        self.hibernating = False
        self.eip = None  # the associated Elastic IP (addresses.Address), if any
        self.auto_public = auto_public

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        path = LIFECYCLE.get((action, self.state))
        if path is None:
            if action not in _PARTICIPLE:
                return super().act(world, action, target, params)
            raise BackendError(
                "IncorrectInstanceState",
                f"The instance '{self.id}' is not in a state from which it can be {_PARTICIPLE[action]}.",
            )
        if action == "hibernate" and self.state == "running" and not self.hibernation:
            raise BackendError(
                "UnsupportedHibernationConfiguration",
                f"The instance can't be hibernated because it was not configured at launch for hibernation: {self.id}",
            )
        self.hibernating = action == "hibernate"
        for state in path:
            enter(world, self, state)
        self.hibernating = False
        return path if path else (self.state,)

    def explain(self, world, attribute: str) -> str | None:
        if attribute == "public ipv4" and self.eip is not None:
            return f"{self.eip.label} is associated"
        return None

    ATTRIBUTES = {
        "state": lambda w, i: i.state,
        "state code": lambda w, i: STATE_CODES[i.state],
        "instance id": lambda w, i: i.id,
        "public ipv4": lambda w, i: i.public,
        "private ipv4": lambda w, i: i.private,
        "host": lambda w, i: i.host,
        "availability zone": lambda w, i: ZONE,
        "instance type": lambda w, i: i.type,
        "hibernation": lambda w, i: i.hibernation,
        "billed": lambda w, i: i.state in BILLED_STATES or (i.state == "stopping" and i.hibernating),
    }


def launch(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Instance:
    world.emit("launching", params=params, relations=relations)
    inst = Instance(
        world.new_id("i"), label, world.new_private_ip(), world.new_host(), params.get("instance type", "t3.micro"),
        bool(params.get("hibernation", False)), params.get("public ipv4", True) is not False,
    )
    world.emit("launched", instance=inst, params=params, relations=relations)
    for state in LAUNCH_PATH:
        enter(world, inst, state)
    return inst


def enter(world, inst: Instance, state: str) -> None:
    """Effects of entering a state (notes: "IP Addresses"); then the "state" event."""
    previous = inst.state
    inst.state = state
    if state == "running" and previous == "pending":
        if inst.eip is None and inst.auto_public and inst.public is None:
            inst.public = world.new_public_ip()  # a new auto-assigned address on every start
    elif state == "pending" and previous == "stopped":
        inst.host = world.new_host()  # a start lands on other hardware
    elif state == "stopped":
        if inst.eip is None:
            inst.public = None  # the auto-assigned public IPv4 is released on stop
    elif state == "terminated":
        inst.public = None
        inst.host = None
    world.emit("state", instance=inst, previous=previous, state=state)


def creation_states(inst: Instance) -> Sequence[str]:
    # RunInstances answers pending; the waiter sees it reach running
    return LAUNCH_PATH


def install(world) -> None:
    world.creators["instance"] = launch
