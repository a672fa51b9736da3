"""The reference world: EC2 instances and Elastic IPs, as AWS documents them.

Deterministic: ids count up from a per-world counter; public addresses come from
the documentation ranges (198.51.100.0/24 auto-assigned, 203.0.113.0/24 Elastic
IPs), private ones from the default VPC's 172.31.0.0/16 (its us-east-1a subnet).
The lifecycle is the table below: (action, state) → the states passed through,
the last one final; () is accepted and changes nothing; absent is refused with
IncorrectInstanceState.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend, World
from scenario.errors import BackendError

from scenario.vocabulary import Setting

from .vocabulary import VOCABULARY

REGION = "us-east-1"
ZONE = "us-east-1a"

STATE_CODES = {st.name: st.code for st in VOCABULARY[0].states}

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

DEFAULT_SETTINGS = {s.name: s.default for s in VOCABULARY if isinstance(s, Setting)}


class _Instance:
    __slots__ = ("id", "label", "state", "public", "private", "host", "type", "hibernation", "hibernating", "eip", "auto_public")

    def __init__(self, id, label, private, host, type, hibernation, auto_public):
        self.id = id
        self.label = label
        self.state = "pending"
        self.public: str | None = None
        self.private = private
        self.host = host
        self.type = type
        self.hibernation = hibernation
        self.hibernating = False
        self.eip: _Address | None = None
        self.auto_public = auto_public


class _Address:
    __slots__ = ("id", "label", "ip", "instance", "released")

    def __init__(self, id, label, ip):
        self.id = id
        self.label = label
        self.ip = ip
        self.instance: _Instance | None = None
        self.released = False


class ReferenceWorld(World):
    """One isolated world of the reference model."""

    def __init__(self):
        self.counter = 0
        self.public_pool = 0
        self.eip_pool = 0
        self.private_pool = 0
        self.host_pool = 0
        self.settings: dict[str, Any] = dict(DEFAULT_SETTINGS)
        self.addresses: list[_Address] = []

    # ---------------------------------------------------------------- ids and addresses
    def _id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter:017x}"

    def _public_ip(self) -> str:
        self.public_pool += 1
        return f"198.51.100.{(self.public_pool - 1) % 254 + 1}"

    def _host(self) -> str:
        self.host_pool += 1
        return f"h-{self.host_pool:017x}"

    # ---------------------------------------------------------------- contract
    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        if kind == "instance":
            return self._launch(label, params)
        if kind == "elastic ip":
            return self._allocate(label)
        raise NotImplementedByBackend(f"creating a {kind}")

    def _launch(self, label, params):
        self.private_pool += 1
        n = self.private_pool + 9  # .0-.3 and the last are reserved by AWS in every subnet
        private = f"172.31.{16 + n // 256}.{n % 256}"
        inst = _Instance(
            self._id("i"), label, private, self._host(), params.get("instance type", "t3.micro"),
            bool(params.get("hibernation", False)), params.get("public ipv4", True) is not False,
        )
        for state in LAUNCH_PATH:
            self._enter(inst, state)
        return inst

    def _allocate(self, label):
        live = sum(1 for a in self.addresses if not a.released)
        if live >= self.settings["elastic ip limit"]:
            raise BackendError("AddressLimitExceeded", "The maximum number of addresses has been reached.")
        self.eip_pool += 1
        addr = _Address(self._id("eipalloc"), label, f"203.0.113.{(self.eip_pool - 1) % 254 + 1}")
        self.addresses.append(addr)
        return addr

    def creation_states(self, handle: Any) -> Sequence[str]:
        # RunInstances answers pending; the waiter sees it reach running
        return LAUNCH_PATH if isinstance(handle, _Instance) else ()

    def act(self, handle: Any, action: str, target: Any | None, params: Mapping[str, Any]) -> Sequence[str]:
        if isinstance(handle, _Instance):
            return self._instance_action(handle, action)
        if isinstance(handle, _Address):
            return self._address_action(handle, action, target)
        raise NotImplementedByBackend(f"{action} on {handle!r}")  # pragma: no cover

    def _instance_action(self, inst: _Instance, action: str) -> Sequence[str]:
        path = LIFECYCLE.get((action, inst.state))
        if path is None:
            raise BackendError(
                "IncorrectInstanceState",
                f"The instance '{inst.id}' is not in a state from which it can be {_PARTICIPLE.get(action, action)}.",
            )
        if action == "hibernate" and inst.state == "running" and not inst.hibernation:
            raise BackendError(
                "UnsupportedHibernationConfiguration",
                f"The instance can't be hibernated because it was not configured at launch for hibernation: {inst.id}",
            )
        inst.hibernating = action == "hibernate"
        for state in path:
            self._enter(inst, state)
        inst.hibernating = False
        return path if path else (inst.state,)

    def _enter(self, inst: _Instance, state: str) -> None:
        """Effects of entering a state (notes: "IP Addresses")."""
        previous = inst.state
        inst.state = state
        if state == "running" and previous == "pending":
            if inst.eip is None and inst.auto_public and inst.public is None:
                inst.public = self._public_ip()  # a new auto-assigned address on every start
        elif state == "pending" and previous == "stopped":
            inst.host = self._host()  # a start lands on other hardware
        elif state == "stopped":
            if inst.eip is None:
                inst.public = None  # the auto-assigned public IPv4 is released on stop
        elif state == "terminated":
            inst.public = None
            if inst.eip is not None:
                inst.eip.instance = None  # the Elastic IP stays allocated, disassociated
                inst.eip = None
            inst.host = None

    def _address_action(self, addr: _Address, action: str, target: Any) -> Sequence[str]:
        if addr.released:
            raise BackendError("InvalidAllocationID.NotFound", f"The allocation ID '{addr.id}' does not exist")
        if action == "associate":
            inst = target
            if inst.state not in ("running", "stopped"):
                # AWS's answer, as real AssociateAddress calls report it
                raise BackendError("InvalidInstanceID", f"The {inst.state} instance '{inst.id}' is not in a valid state for this operation.")
            if addr.instance is not None:
                self._disassociate(addr)
            if inst.eip is not None:  # the instance's previous Elastic IP gives way, staying allocated
                inst.eip.instance = None
            addr.instance = inst
            inst.eip = addr
            inst.public = addr.ip  # the auto-assigned public IPv4 is released in its favour
            return ()
        if action == "disassociate":
            if addr.instance is not None:
                self._disassociate(addr)
            return ()
        if action == "release":
            # AWS API reference, ReleaseAddress: in a default VPC (every instance of this
            # world is in one) releasing an associated address first disassociates it; in a
            # nondefault VPC it is refused with InvalidIPAddress.InUse.
            if addr.instance is not None:
                self._disassociate(addr)
            addr.released = True
            return ()
        raise NotImplementedByBackend(f"{action} on an elastic ip")  # pragma: no cover

    def _disassociate(self, addr: _Address) -> None:
        inst = addr.instance
        addr.instance = None
        inst.eip = None
        inst.public = None
        if inst.state == "running" and inst.auto_public:
            inst.public = self._public_ip()  # a running instance gets a new public IPv4

    def observe(self, handle: Any, attribute: str) -> Any:
        if isinstance(handle, _Instance):
            return _INSTANCE_ATTRIBUTES[attribute](handle)
        if isinstance(handle, _Address):
            return _ADDRESS_ATTRIBUTES[attribute](handle)
        raise NotImplementedByBackend(f"{attribute} of {handle!r}")  # pragma: no cover

    def exists(self, handle: Any) -> bool:
        if isinstance(handle, _Address):
            return not handle.released
        # a terminated instance stays visible, as on AWS; a refused creation left nothing
        return isinstance(handle, _Instance)

    def relations(self, handle: Any) -> frozenset:
        if isinstance(handle, _Address) and handle.instance is not None:
            return frozenset({("associated with", handle.instance)})
        return frozenset()

    def count_related(self, kind: str, relation: str, target: Any) -> int:
        if kind == "elastic ip" and relation == "associated with":
            return sum(1 for a in self.addresses if a.instance is target and not a.released)
        raise NotImplementedByBackend(f"counting {kind}s {relation} something")

    def explain(self, handle: Any, attribute: str) -> str | None:
        if isinstance(handle, _Instance) and attribute == "public ipv4" and handle.eip is not None:
            return f"{handle.eip.label} is associated"
        return None

    def set_setting(self, name: str, value: Any) -> None:
        if name not in self.settings:
            raise NotImplementedByBackend(f"the setting {name!r}")
        self.settings[name] = value


_PARTICIPLE = {"start": "started", "stop": "stopped", "hibernate": "hibernated", "reboot": "rebooted", "terminate": "terminated"}

_INSTANCE_ATTRIBUTES = {
    "state": lambda i: i.state,
    "state code": lambda i: STATE_CODES[i.state],
    "instance id": lambda i: i.id,
    "public ipv4": lambda i: i.public,
    "private ipv4": lambda i: i.private,
    "host": lambda i: i.host,
    "availability zone": lambda i: ZONE,
    "instance type": lambda i: i.type,
    "hibernation": lambda i: i.hibernation,
    "billed": lambda i: i.state in BILLED_STATES or (i.state == "stopping" and i.hibernating),
}

_ADDRESS_ATTRIBUTES = {
    "address": lambda a: a.ip,
    "allocation id": lambda a: a.id,
}
