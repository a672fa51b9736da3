"""scn's tags on AWS resources, and finding and deleting what carries them.

Every resource the ``aws`` backend creates carries :data:`TAG_RUN` (the run id),
:data:`TAG_NODE` (the scenario's id) and :data:`TAG_CREATED` (when, ISO 8601 UTC),
and a Name that starts with the run id. A world's teardown and ``scn sweep`` both
find resources by these tags (:func:`find_tagged`) and delete them
(:func:`delete`): Elastic IPs disassociated and released, instances terminated
and waited for. A terminated instance counts as gone (AWS keeps describing it for
an hour, and it costs nothing); so does a released address.
"""

from __future__ import annotations

import datetime
import time
from typing import Any, Callable, Iterable, Mapping, Sequence

import attrs

from scenario.backend import BackendFault
from scenario.errors import BackendError

from .errors import boundary

__all__ = ["TAG_RUN", "TAG_NODE", "TAG_CREATED", "Tagged", "find_tagged", "delete", "retrying", "KINDS"]

TAG_RUN = "scn:run-id"
TAG_NODE = "scn:node-id"
TAG_CREATED = "scn:created"
#: the kinds scn creates on AWS, which teardown and sweep look for
KINDS = ("instance", "elastic ip")
#: codes that mean "not yet: something still depends on it" (retried within a bound)
DEPENDENCY = frozenset({"DependencyViolation", "InvalidIPAddress.InUse", "InvalidState", "IncorrectInstanceState"})
#: codes that mean the resource is already gone
GONE = frozenset({"InvalidInstanceID.NotFound", "InvalidAllocationID.NotFound", "InvalidAssociationID.NotFound",
                  "InvalidAddress.NotFound", "InvalidAddressID.NotFound"})
GONE_STATES = frozenset({"terminated"})


def _api(method: str) -> str:
    return "".join(part.capitalize() for part in method.split("_"))


def call(ec2: Any, method: str, doing: str, **kwargs) -> Mapping[str, Any]:
    with boundary(_api(method), doing):
        return getattr(ec2, method)(**kwargs)


def retrying(fn: Callable[[], Any], *, codes: Iterable[str] = DEPENDENCY, timeout: float, poll: float,
             sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> Any:
    """``fn()``, again while it is refused with one of ``codes``, for at most ``timeout`` seconds (backing off)."""
    codes = frozenset(codes)
    deadline = clock() + timeout
    pause = max(poll, 0.05)
    while True:
        try:
            return fn()
        except BackendError as exc:
            if exc.code not in codes or clock() >= deadline:
                raise
        sleep(min(pause, max(0.0, deadline - clock())))
        pause = min(pause * 2, 30.0)


@attrs.frozen
class Tagged:
    """A resource scn tagged, as the endpoint describes it now."""

    kind: str  # "instance" | "elastic ip"
    id: str
    state: str  # an instance's state; "associated" or "allocated" for an address
    tags: Mapping[str, str] = attrs.field(converter=dict, factory=dict)
    created: datetime.datetime | None = None
    association: str | None = None  # an address's association id

    def describe(self) -> str:
        name = self.tags.get("Name")
        return f"{self.kind} {self.id} ({self.state}" + (f", {name!r}" if name else "") + ")"


def _when(tags: Mapping[str, str], fallback: Any = None) -> datetime.datetime | None:
    text = tags.get(TAG_CREATED)
    if text:
        try:
            when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            pass
    if isinstance(fallback, datetime.datetime):
        return fallback if fallback.tzinfo else fallback.replace(tzinfo=datetime.timezone.utc)
    return None


def find_tagged(ec2: Any, tags: Mapping[str, str | None], *, kinds: Sequence[str] = KINDS) -> list[Tagged]:
    """Every live resource carrying ``tags`` (key → value, or None: the key with any value)."""
    filters = [{"Name": f"tag:{k}", "Values": [v]} if v is not None else {"Name": "tag-key", "Values": [k]}
               for k, v in tags.items()]
    found: list[Tagged] = []
    if "instance" in kinds:
        token = None
        while True:
            kw: dict[str, Any] = {"Filters": filters}
            if token:
                kw["NextToken"] = token
            answer = call(ec2, "describe_instances", "finding tagged instances", **kw)
            for reservation in answer.get("Reservations", ()):
                for inst in reservation.get("Instances", ()):
                    state = inst.get("State", {}).get("Name", "?")
                    if state in GONE_STATES:
                        continue
                    itags = {t["Key"]: t["Value"] for t in inst.get("Tags", ())}
                    found.append(Tagged("instance", inst["InstanceId"], state, itags, _when(itags, inst.get("LaunchTime"))))
            token = answer.get("NextToken")
            if not token:
                break
    if "elastic ip" in kinds:
        answer = call(ec2, "describe_addresses", "finding tagged elastic ips", Filters=filters)
        for addr in answer.get("Addresses", ()):
            atags = {t["Key"]: t["Value"] for t in addr.get("Tags", ())}
            assoc = addr.get("AssociationId") or None
            state = "associated" if (assoc or addr.get("InstanceId")) else "allocated"
            found.append(Tagged("elastic ip", addr["AllocationId"], state, atags, _when(atags), assoc))
    return found


def delete_address(ec2: Any, allocation_id: str, *, timeout: float, poll: float, sleep=time.sleep,
                   clock=time.monotonic) -> None:
    """Disassociate (if associated) and release an Elastic IP; gone already is fine."""
    try:
        answer = call(ec2, "describe_addresses", "describing an elastic ip", AllocationIds=[allocation_id])
    except BackendError as exc:
        if exc.code in GONE:
            return
        raise
    for addr in answer.get("Addresses", ()):
        assoc = addr.get("AssociationId")
        if assoc:
            try:
                call(ec2, "disassociate_address", "disassociating an elastic ip", AssociationId=assoc)
            except BackendError as exc:
                if exc.code not in GONE:
                    raise
    try:
        retrying(lambda: call(ec2, "release_address", "releasing an elastic ip", AllocationId=allocation_id),
                 timeout=timeout, poll=poll, sleep=sleep, clock=clock)
    except BackendError as exc:
        if exc.code not in GONE:
            raise


def terminate_instances(ec2: Any, ids: Sequence[str], *, timeout: float, poll: float, sleep=time.sleep,
                        clock=time.monotonic, wait: bool = True) -> list[str]:
    """Terminate ``ids`` (gone already is fine) and, with ``wait``, wait (bounded) until each is terminated.

    :returns: the ids still not terminated (with ``wait``), else ``[]``.
    """
    if not ids:
        return []
    live = list(ids)
    try:
        retrying(lambda: call(ec2, "terminate_instances", "terminating instances", InstanceIds=live),
                 timeout=timeout, poll=poll, sleep=sleep, clock=clock)
    except BackendError as exc:
        if exc.code not in GONE:
            raise
        for iid in list(live):  # one of them is gone: terminate the others one by one
            try:
                call(ec2, "terminate_instances", "terminating an instance", InstanceIds=[iid])
            except BackendError as one:
                if one.code not in GONE:
                    raise
    return wait_terminated(ec2, live, timeout=timeout, poll=poll, sleep=sleep, clock=clock) if wait else []


def wait_terminated(ec2: Any, ids: Sequence[str], *, timeout: float, poll: float, sleep=time.sleep,
                    clock=time.monotonic) -> list[str]:
    """Poll (one Describe for all of them) until every instance of ``ids`` is terminated; the ids that are not."""
    deadline = clock() + timeout
    live = list(ids)
    while live:
        try:
            answer = call(ec2, "describe_instances", "waiting for instances to terminate", InstanceIds=live)
            states = {i["InstanceId"]: i["State"]["Name"] for r in answer.get("Reservations", ()) for i in r.get("Instances", ())}
        except BackendError as exc:
            if exc.code not in GONE:
                raise
            states = {}
            for iid in live:  # one of them is gone for good: ask one by one
                try:
                    one = call(ec2, "describe_instances", "waiting for an instance to terminate", InstanceIds=[iid])
                    states.update({i["InstanceId"]: i["State"]["Name"] for r in one.get("Reservations", ())
                                   for i in r.get("Instances", ())})
                except BackendError as gone:
                    if gone.code not in GONE:
                        raise
        live = [iid for iid in live if iid in states and states[iid] not in GONE_STATES]
        if not live or clock() >= deadline:
            return live
        if poll:
            sleep(min(poll, max(0.0, deadline - clock())))
    return []


def delete(ec2: Any, resources: Sequence[Tagged], *, timeout: float, poll: float, sleep=time.sleep,
           clock=time.monotonic) -> list[str]:
    """Delete ``resources`` (addresses first, then instances); what could not be deleted, described."""
    problems: list[str] = []
    for r in resources:
        if r.kind == "elastic ip":
            try:
                delete_address(ec2, r.id, timeout=timeout, poll=poll, sleep=sleep, clock=clock)
            except (BackendError, BackendFault) as exc:
                problems.append(f"{r.describe()}: {exc}")
    ids = [r.id for r in resources if r.kind == "instance"]
    try:
        stuck = terminate_instances(ec2, ids, timeout=timeout, poll=poll, sleep=sleep, clock=clock)
        problems += [f"instance {iid}: not terminated after {timeout:g} s" for iid in stuck]
    except (BackendError, BackendFault) as exc:
        problems.append(f"instances {', '.join(ids)}: {exc}")
    return problems
