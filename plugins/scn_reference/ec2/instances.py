"""EC2 instances: the lifecycle as a table, what each state bills, public and private IPv4, the host.

Source: specs/notes/aws-architecture-notes.md, "valid EC2 lifecycle instance
state", "Billing of EC2" and "IP Addresses"; AWS's EC2 documentation where the
notes are silent (state codes, the transition table).

The lifecycle is the table below: (action, state) → the states passed through,
the last one final; () is accepted and changes nothing; absent is refused with
IncorrectInstanceState. A shutdown from inside the operating system
(``shutdown -h``) follows the instance's shutdown behaviour (AWS:
InstanceInitiatedShutdownBehavior, ``stop`` by default); an injected instance
failure (capability ``faults``) terminates it.

Billing of instance usage: the notes say "billing commences when Amazon EC2
initiates the boot sequence of an AMI instance", so by default an instance is
billed from ``pending``. AWS's instance-state table today bills it from
``running`` (``pending`` is "not billed"): the world setting "pending state
billing" (true by default) set to false gives that. Either way it is billed while
running and while stopping *to hibernate*; not while stopping to stop, stopped,
shutting-down or terminated ("Differences between reboot, stop, hibernate, and
terminate"). Each start opens a billing period, billed per second with a
one-minute minimum (Linux On-Demand); a reboot does not open a new one. The
periods are measured on the world's virtual clock. The EBS root volume is billed
in every state but terminated (it is deleted on termination by default).

Actions that other parts add to the instance kind are dispatched through
``world.actors[("instance", verb)]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import REGION_ZONES, ZONE
from .kinds import INSTANCE_ACTIONS, STATES

if TYPE_CHECKING:  # pragma: no cover
    from .addresses import Address


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

SHUTDOWN_PATHS = {"stop": ("stopping", "stopped"), "terminate": ("shutting-down", "terminated")}
SHUTDOWN_BEHAVIORS = tuple(SHUTDOWN_PATHS)

# the state in which an instance accrues instance usage (AWS EC2 user guide, "Instance state");
# stopping is billed too while it prepares to hibernate
BILLED_STATES = frozenset({"running"})
# the notes: "Billing commences when Amazon EC2 initiates the boot sequence of an AMI instance"
BILLED_FROM_BOOT = frozenset({"pending", "running"})
TRANSITIONAL = ("pending", "stopping", "shutting-down")
MINIMUM_BILLED_SECONDS = 60  # "a one-minute minimum every time you start your instance"

_PARTICIPLE = {a.verb: a.participle for a in INSTANCE_ACTIONS}


class Instance(Resource):
    kind = "instance"
    CREATION = LAUNCH_PATH  # RunInstances answers pending; the waiter sees it reach running

    # a new instance (each instance sets its own as they change)
    state = "pending"
    public: str | None = None
    hibernating = False
    zone = ZONE
    eip: Address | None = None  # the associated Elastic IP, if any
    shutdown_behavior = "stop"
    billed_seconds = 0.0  # closed billing periods
    billing_since: float | None = None  # the virtual time the open billing period began

    def __init__(self, id: str, label: str, private: str, host: str, type: str, hibernation: bool,
                 auto_public: bool) -> None:
        super().__init__(id, label)
        self.private = private
        self.host: str | None = host  # None once terminated
        self.type = type
        self.hibernation = hibernation
        self.auto_public = auto_public
        self.billed_in: dict[str, bool] = {}  # transitional state → whether its latest pass was billed
        self.parts: dict[str, Any] = {}  # what other parts of the model keep about this instance

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action in ("shutdown", "crash"):
            return self._from_inside(world, action)
        path = LIFECYCLE.get((action, self.state))
        if path is None:
            actor = world.actors.get((self.kind, action))
            if actor is not None:
                return actor(world, self, target, params)
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
        if action == "start":
            world.emit("starting", self)  # a listener may refuse the start
        return self.go(world, path, hibernate=action == "hibernate")

    def go(self, world, path: Sequence[str], hibernate: bool = False) -> Sequence[str]:
        """Pass through ``path``; what a stop, a hibernation or a termination does, whoever asked for it."""
        self.hibernating = hibernate
        for state in path:
            enter(world, self, state)
        self.hibernating = False
        return tuple(path) if path else (self.state,)

    def _from_inside(self, world, action: str) -> Sequence[str]:
        # `shutdown -h` and an instance failure happen inside a running instance; there is
        # no API call, so AWS has no error code for them: the model refuses like a lifecycle action
        if self.state != "running":
            raise BackendError(
                "IncorrectInstanceState",
                f"The instance '{self.id}' is {self.state}: nothing runs inside it to be {_PARTICIPLE[action]}.",
            )
        if action == "crash":
            return self.go(world, SHUTDOWN_PATHS["terminate"])
        return self.go(world, SHUTDOWN_PATHS[self.shutdown_behavior])

    def billed_time(self, world) -> float:
        open_period = 0.0
        if self.billing_since is not None:
            open_period = max(MINIMUM_BILLED_SECONDS, world.now - self.billing_since)
        return _whole(self.billed_seconds + open_period)

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
        "availability zone": lambda w, i: i.zone,
        "instance type": lambda w, i: i.type,
        "hibernation": lambda w, i: i.hibernation,
        "billed": lambda w, i: i.billing_since is not None,
        "billed while pending": lambda w, i: i.billed_in.get("pending", False),
        "billed while stopping": lambda w, i: i.billed_in.get("stopping", False),
        "billed while shutting-down": lambda w, i: i.billed_in.get("shutting-down", False),
        "billed time": lambda w, i: i.billed_time(w),
        "ebs storage billed": lambda w, i: i.state != "terminated",
        "shutdown behavior": lambda w, i: i.shutdown_behavior,
    }


def launch(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Instance:
    behavior = params.get("shutdown behavior", "stop")
    if behavior not in SHUTDOWN_BEHAVIORS:
        raise BackendError(
            "InvalidParameterValue",
            f"Value ({behavior}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate",
        )
    zone = params.get("availability zone", ZONE)
    if zone not in REGION_ZONES:  # RunInstances' answer for a zone outside the Region
        raise BackendError("InvalidParameterValue", f"Invalid availability zone: [{zone}]")
    world.emit("launching", params, relations)
    inst = Instance(
        world.new_id("i"), label, world.new_private_ip(zone), world.new_host(), params.get("instance type", "t3.micro"),
        bool(params.get("hibernation", False)), params.get("public ipv4", True) is not False,
    )
    inst.shutdown_behavior = behavior
    inst.zone = zone
    world.emit("launched", inst, params, relations)
    for state in LAUNCH_PATH:
        enter(world, inst, state)
    return inst


def enter(world, inst: Instance, state: str) -> None:
    """Effects of entering a state (notes: "IP Addresses", "Billing of EC2"); then the "state" event (after the
    "terminated" one, when it is that)."""
    previous = inst.state
    inst.state = state
    billed = BILLED_FROM_BOOT if world.settings["pending state billing"] else BILLED_STATES
    if state in billed and inst.billing_since is None:
        inst.billing_since = world.now  # a new billing period: every start is billed at least a minute
    elif state not in billed and inst.billing_since is not None and not (state == "stopping" and inst.hibernating):
        inst.billed_seconds += max(MINIMUM_BILLED_SECONDS, world.now - inst.billing_since)
        inst.billing_since = None
    if state in TRANSITIONAL:
        inst.billed_in[state] = inst.billing_since is not None
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
        world.emit("terminated", inst)  # what goes with it (its interfaces, its Elastic IP's association)
    world.emit("state", inst, previous, state)


def _whole(seconds: float) -> float | int:
    return int(seconds) if float(seconds).is_integer() else seconds


def install(world) -> None:
    world.creators["instance"] = launch
