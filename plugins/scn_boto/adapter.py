"""The boto3 adapter: scn's vocabulary as EC2 API calls, and the answers back.

One :class:`Boto3World` is one scenario's world on an AWS-compatible endpoint: the
``moto`` backend builds it over an in-process mock, the ``aws`` backend
over a real session. Everything that differs between the two is in
:class:`Options` and in the ``Clients`` given; the mapping itself is shared.

- ``create`` / ``act`` wait until the resource is stable, polling as boto3's
  waiters do (``Options.poll`` seconds apart, at most ``Options.timeout``), and
  return every state seen on the way: the one the API answered, then the ones
  ``Describe*`` showed, the stable one last.
- Every boto3 call goes through :func:`.errors.boundary`: a refusal is a
  ``BackendError`` with AWS's code; an operation the backend lacks is
  ``NotImplementedByBackend``, never a crash or a failed claim.
- Vocabulary the adapter does not map raises ``NotImplementedByBackend`` naming the
  item (`the host of an instance`), so a spec using it is ``not implemented``.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Mapping, Sequence

import attrs

from scenario.backend import BackendFault, NotImplementedByBackend, World
from scenario.errors import BackendError

from .errors import boundary

__all__ = ["Boto3World", "Clients", "Handle", "Options", "MAPPED", "TRANSITIONAL", "StuckResource"]


class StuckResource(BackendFault, TimeoutError):
    """A resource stayed in a transitional state past the longest wait: an ``error`` outcome naming it."""

TRANSITIONAL = frozenset({"pending", "stopping", "shutting-down"})

#: what the adapter maps: kind → attributes, actions (its creating verb included), relations
MAPPED: dict[str, dict[str, frozenset[str]]] = {
    "instance": {
        "attributes": frozenset({"state", "state code", "instance id", "public ipv4", "private ipv4", "availability zone",
                                 "instance type", "hibernation", "shutdown behavior"}),
        "actions": frozenset({"launch", "start", "stop", "hibernate", "reboot", "terminate"}),
        "relations": frozenset(),
        "params": frozenset({"public ipv4", "instance type", "hibernation", "shutdown behavior"}),
    },
    "elastic ip": {
        "attributes": frozenset({"address", "allocation id"}),
        "actions": frozenset({"allocate", "associate", "disassociate", "release"}),
        "relations": frozenset({"associated with"}),
        "params": frozenset(),
    },
    "default vpc": {"attributes": frozenset(), "actions": frozenset(), "relations": frozenset(), "params": frozenset()},
}

#: why an item is not mapped, where that is worth saying
UNMAPPED_WHY = {
    "instance.host": "EC2's API does not expose the physical host of an instance on shared tenancy",
    "instance.shutdown": "a shutdown from inside the operating system has no API call",
}


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


@attrs.define(eq=False, repr=False)
class Handle:
    """A resource of a boto3 world: its kind, AWS id and scn label."""

    kind: str
    id: str
    label: str
    creation_states: tuple[str, ...] = ()
    released: bool = False

    def __repr__(self) -> str:
        return f"<{self.kind} {self.label} {self.id}>"


@attrs.frozen
class Options:
    """How a boto3 world behaves on its endpoint."""

    image_id: str = "ami-12c6146b"
    instance_type: str = "t3.micro"
    poll: float = 0.0  # seconds between two Describe calls while waiting (0 on moto: its transitions are immediate)
    timeout: float = 600.0  # the longest wait for a stable state
    #: settings a world accepts and records without enforcing them (a quota the account is said to have)
    recorded_settings: frozenset[str] = frozenset()
    #: tags put on every resource created, besides Name (the aws backend: run id, node id)
    tags: tuple[tuple[str, str], ...] = ()
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


@attrs.frozen
class Clients:
    """The boto3 clients a world uses (long-lived: made once, shared by worlds)."""

    ec2: Any


class Boto3World(World):
    """One scenario's world over boto3."""

    def __init__(self, clients: Clients, options: Options = Options(), on_close: Callable[["Boto3World"], None] | None = None):
        self.ec2 = clients.ec2
        self.options = options
        self.on_close = on_close
        self.settings: dict[str, Any] = {}
        self.created: list[Handle] = []  # in creation order: what a teardown deletes, last first
        self.by_id: dict[str, Handle] = {}

    # ---------------------------------------------------------------- calls
    def call(self, operation: str, doing: str = "", **kwargs) -> Mapping[str, Any]:
        """One boto3 call through the error boundary: ``operation`` is the method name (``run_instances``)."""
        method = getattr(self.ec2, operation)
        with boundary(_api_name(operation), doing):
            return method(**kwargs)

    def _tags(self, resource_type: str, label: str) -> list[dict]:
        tags = [{"Key": "Name", "Value": self._name(label)}] + [{"Key": k, "Value": v} for k, v in self.resource_tags()]
        return [{"ResourceType": resource_type, "Tags": tags}]

    def _name(self, label: str) -> str:
        """The Name tag of a resource labelled ``label``."""
        return label

    def resource_tags(self) -> Sequence[tuple[str, str]]:
        """The tags every resource of this world carries besides Name."""
        return self.options.tags

    def _remember(self, handle: Handle) -> Handle:
        self.created.append(handle)
        self.by_id[handle.id] = handle
        return handle

    # ---------------------------------------------------------------- create
    def check_mapped(self, kind: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> None:
        """Raise NotImplementedByBackend unless the adapter maps creating ``kind`` with these params and relations."""
        mapped = MAPPED.get(kind)
        if mapped is None or kind == "default vpc":
            raise NotImplementedByBackend(f"creating {_a(kind)}")
        for name in params:
            if name not in mapped["params"]:
                raise NotImplementedByBackend(f"creating {_a(kind)} with its {name} set")
        for rel, _ in relations:
            if rel not in mapped["relations"]:
                raise NotImplementedByBackend(f"creating {_a(kind)} {rel} something")

    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        self.check_mapped(kind, params, relations)
        if kind == "instance":
            return self._launch(label, params)
        return self._allocate(label, relations)

    def _launch(self, label: str, params: Mapping[str, Any]) -> Handle:
        o = self.options
        kw: dict[str, Any] = {
            "ImageId": o.image_id, "MinCount": 1, "MaxCount": 1,
            "InstanceType": params.get("instance type", o.instance_type),
            "TagSpecifications": self._tags("instance", label),
        }
        if "hibernation" in params:
            kw["HibernationOptions"] = {"Configured": bool(params["hibernation"])}
        if "shutdown behavior" in params:
            kw["InstanceInitiatedShutdownBehavior"] = str(params["shutdown behavior"])
        if "public ipv4" in params:
            # in the default VPC, the primary interface of the default subnet: ask for a public IPv4 or not
            kw["NetworkInterfaces"] = [{"DeviceIndex": 0, "AssociatePublicIpAddress": params["public ipv4"] is not False}]
        answer = self.call("run_instances", "launching an instance", **kw)
        first = answer["Instances"][0]
        handle = self._remember(Handle("instance", first["InstanceId"], label))
        seen = [first["State"]["Name"]]
        handle.creation_states = tuple(self._wait_instance(handle, seen))
        return handle

    def _allocate(self, label: str, relations: Sequence[tuple[str, Any]]) -> Handle:
        answer = self.call("allocate_address", "allocating an elastic ip", Domain="vpc",
                           TagSpecifications=self._tags("elastic-ip", label))
        handle = self._remember(Handle("elastic ip", answer["AllocationId"], label))
        for rel, target in relations:  # "associated with"
            self._associate(handle, target)
        return handle

    def creation_states(self, handle: Any) -> Sequence[str]:
        return handle.creation_states

    # ---------------------------------------------------------------- waiting
    def _describe_instance(self, iid: str) -> Mapping[str, Any]:
        answer = self.call("describe_instances", "describing an instance", InstanceIds=[iid])
        for reservation in answer.get("Reservations", ()):
            for inst in reservation.get("Instances", ()):
                if inst["InstanceId"] == iid:
                    return inst
        raise BackendError("InvalidInstanceID.NotFound", f"The instance ID '{iid}' does not exist")

    def _wait_instance(self, handle: Handle, seen: list[str]) -> list[str]:
        """Poll until the instance is in a stable state; ``seen`` grows by every new state, the stable one last."""
        o = self.options
        deadline = o.clock() + o.timeout
        while True:
            state = self._describe_instance(handle.id)["State"]["Name"]
            if not seen or seen[-1] != state:
                seen.append(state)
            if state not in TRANSITIONAL:
                return seen
            if o.clock() >= deadline:
                raise StuckResource(f"{handle.label} ({handle.id}) was still {state} after {o.timeout:g} s, "
                                    "the longest wait allowed")
            if o.poll:
                o.sleep(o.poll)

    # ---------------------------------------------------------------- act
    def act(self, handle: Any, action: str, target: Any | None, params: Mapping[str, Any]) -> Sequence[str]:
        kind = handle.kind
        if action not in MAPPED.get(kind, {}).get("actions", ()):
            raise NotImplementedByBackend(f"{action} on {_a(kind)}")
        if params:
            raise NotImplementedByBackend(f"{action} on {_a(kind)} with {', '.join(params)}")
        if kind == "elastic ip":
            return self._act_address(handle, action, target)
        ids = [handle.id]
        if action == "reboot":
            self.call("reboot_instances", "rebooting an instance", InstanceIds=ids)
            return tuple(self._wait_instance(handle, []))
        if action == "start":
            answer = self.call("start_instances", "starting an instance", InstanceIds=ids)["StartingInstances"]
        elif action == "stop":
            answer = self.call("stop_instances", "stopping an instance", InstanceIds=ids)["StoppingInstances"]
        elif action == "hibernate":
            answer = self.call("stop_instances", "hibernating an instance", InstanceIds=ids, Hibernate=True)["StoppingInstances"]
        else:  # terminate
            answer = self.call("terminate_instances", "terminating an instance", InstanceIds=ids)["TerminatingInstances"]
        change = answer[0]
        before, now = change["PreviousState"]["Name"], change["CurrentState"]["Name"]
        seen = [] if now == before and now not in TRANSITIONAL else [now]
        return tuple(self._wait_instance(handle, seen))

    def _act_address(self, handle: Handle, action: str, target: Any | None) -> Sequence[str]:
        if action == "associate":
            self._associate(handle, target)
        elif action == "disassociate":
            association = self._describe_address(handle).get("AssociationId")
            if association:
                self.call("disassociate_address", "disassociating an elastic ip", AssociationId=association)
        else:  # release
            self.call("release_address", "releasing an elastic ip", AllocationId=handle.id)
            handle.released = True
        return ()

    def _associate(self, handle: Handle, target: Any) -> None:
        if target is None or getattr(target, "kind", None) != "instance":
            raise NotImplementedByBackend(f"associating an elastic ip with {_a(getattr(target, 'kind', 'nothing'))}")
        self.call("associate_address", "associating an elastic ip", AllocationId=handle.id, InstanceId=target.id,
                  AllowReassociation=True)

    def _describe_address(self, handle: Handle) -> Mapping[str, Any]:
        answer = self.call("describe_addresses", "describing an elastic ip", AllocationIds=[handle.id])
        for addr in answer.get("Addresses", ()):
            if addr.get("AllocationId") == handle.id:
                return addr
        raise BackendError("InvalidAllocationID.NotFound", f"The allocation ID '{handle.id}' does not exist")

    # ---------------------------------------------------------------- observe
    def observe(self, handle: Any, attribute: str) -> Any:
        kind = handle.kind
        if attribute not in MAPPED.get(kind, {}).get("attributes", ()):
            raise NotImplementedByBackend(f"the {attribute} of {_a(kind)}")
        if kind == "elastic ip":
            addr = self._describe_address(handle)
            return addr.get("PublicIp") if attribute == "address" else addr.get("AllocationId")
        if attribute == "instance id":
            return handle.id
        if attribute == "shutdown behavior":
            answer = self.call("describe_instance_attribute", "reading an instance's shutdown behavior",
                               InstanceId=handle.id, Attribute="instanceInitiatedShutdownBehavior")
            return answer.get("InstanceInitiatedShutdownBehavior", {}).get("Value")
        inst = self._describe_instance(handle.id)
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
        # hibernation
        return bool(inst.get("HibernationOptions", {}).get("Configured", False))

    def exists(self, handle: Any) -> bool:
        try:
            if handle.kind == "instance":
                self._describe_instance(handle.id)  # a terminated instance is still described
            else:
                self._describe_address(handle)
        except BackendError as exc:
            if exc.code.endswith(".NotFound") or exc.code.endswith(".Malformed"):
                return False
            raise
        return True

    def relations(self, handle: Any) -> frozenset:
        if handle.kind != "elastic ip":
            return frozenset()
        try:
            addr = self._describe_address(handle)
        except BackendError as exc:
            if exc.code.endswith(".NotFound"):
                return frozenset()
            raise
        iid = addr.get("InstanceId")
        if not iid:
            return frozenset()
        target = self.by_id.get(iid)
        if target is None:  # an instance this scenario did not make: shown by its id
            target = Handle("instance", iid, iid)
        return frozenset({("associated with", target)})

    def count_related(self, kind: str, relation: str, target: Any) -> int:
        if (kind, relation) != ("elastic ip", "associated with"):
            raise NotImplementedByBackend(f"counting {kind}s {relation} something")
        answer = self.call("describe_addresses", "counting elastic ips", Filters=[{"Name": "instance-id", "Values": [target.id]}])
        return len(answer.get("Addresses", ()))

    def explain(self, handle: Any, attribute: str) -> str | None:
        if handle.kind == "instance" and attribute == "public ipv4":
            answer = self.call("describe_addresses", "describing elastic ips",
                               Filters=[{"Name": "instance-id", "Values": [handle.id]}])
            for addr in answer.get("Addresses", ()):
                owner = self.by_id.get(addr.get("AllocationId", ""))
                return f"{owner.label if owner else 'an elastic ip'} is associated"
        return None

    def set_setting(self, name: str, value: Any) -> None:
        if name not in self.options.recorded_settings:
            raise NotImplementedByBackend(f"the setting {name!r}")
        self.settings[name] = value  # the account is said to have this quota; the endpoint enforces its own

    def advance(self, seconds: float) -> None:
        raise NotImplementedByBackend("the virtual clock")

    def close(self) -> None:
        if self.on_close is not None:
            self.on_close(self)


def _api_name(method: str) -> str:
    """``run_instances`` → ``RunInstances``: the operation's name in AWS's API reference."""
    return "".join(part.capitalize() for part in method.split("_"))
