"""One scenario's world on an account, for the ``aws`` backend (:mod:`.aws_backend`): tagged, cost-guarded,
torn down and verified.

A module of its own so that the backend's module, the ``scn`` entry point every start
loads, imports neither the adapter nor the service modules: this one is imported when
the first aws world opens.
"""

from __future__ import annotations

import datetime
from typing import Any, Mapping, Sequence

from scenario.backend import BackendFault

from . import services
from .adapter import Boto3World, Clients, Options
from .aws_flags import AWS_SETTLE, endpoint_kind, is_expensive
from .aws_options import AwsOptions
from .tagging import (
    TAG_CREATED,
    TAG_NODE,
    TAG_RUN,
    created_stamp,
    delete_found,
    ec2_via,
    find_all,
    retrying,
    terminate_instances,
    wait_terminated,
    waits_on,
)

__all__ = ["AwsWorld"]


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class AwsWorld(Boto3World):
    """One scenario's world on an account: tagged, guarded, torn down and verified."""

    settle_poll = 1.0

    def __init__(self, backend: Any, clients: Clients, options: Options, aws: AwsOptions):
        super().__init__(clients, options, kinds=services.KINDS)
        self.backend = backend
        self.aws = aws
        self.settle = aws.settle if aws.settle is not None else (
            AWS_SETTLE if endpoint_kind(backend.endpoint) == "aws" else 0.0)
        self.settle_poll = min(1.0, max(aws.poll, 0.1))
        self.node_id = "unnamed scenario"
        self._stamp = _now()
        #: this world's number in the run: names stay unique per run (a name freed by a teardown may linger on AWS)
        self.serial = backend.next_serial() if hasattr(backend, "next_serial") else 0
        self.made = 0  # resources this world created through the guard (what the per-scenario cap counts)

    # ---------------------------------------------------------------- identity
    def begin(self, scenario_id: str) -> None:
        self.node_id = scenario_id

    def _created(self) -> str:
        """When the resource being tagged is made, to the microsecond, later than any before it in this world:
        a sweep deletes the newest first, which is the reverse of creation."""
        now = _now()
        self._stamp = now if now > self._stamp else self._stamp + datetime.timedelta(microseconds=1)
        return created_stamp(self._stamp)

    def resource_tags(self) -> Sequence[tuple[str, str]]:
        return ((TAG_RUN, self.aws.run_id), (TAG_NODE, self.node_id[:255]), (TAG_CREATED, self._created()))

    def _name(self, label: str) -> str:
        """``<run id> <n> <label>``: the Name tag, and what ``resource_name`` makes a name of (unique per run)."""
        return f"{self.aws.run_id} {self.serial} {label}"[:255]

    # ---------------------------------------------------------------- the cost guard
    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        a = self.aws
        if is_expensive(kind, a.allow_kinds):
            raise BackendFault(f"the cost guard refuses to create {_a(kind)}: it is an expensive kind; "
                               f"allow it with --allow-kind {kind!r} (pytest: --scn-aws-allow-kind)")
        # what the adapter cannot create is not implemented, not refused
        mapped = self.check_mapped(kind, params, relations)
        if kind == "instance":
            itype = str(params.get("instance type", self.options.instance_type))
            if itype not in a.instance_types:
                raise BackendFault(f"the cost guard refuses instance type {itype} "
                                   f"(allowed: {', '.join(a.instance_types)}); "
                                   f"allow it with --instance-type {itype} (pytest: --scn-aws-instance-type)")
        if mapped.delete is None:  # a record put in a stream, a row: data in a resource, not a resource of its own
            return super().create(kind, label, params, relations)
        if self.made >= a.max_per_scenario:
            raise BackendFault(f"the cost guard allows {a.max_per_scenario} resources per scenario and this one asks "
                               f"for more; raise it with --max-per-scenario")
        self.backend.reserve(1)
        self.made += 1
        return super().create(kind, label, params, relations)

    # ---------------------------------------------------------------- teardown
    def close(self) -> None:
        leftovers, problems = self.teardown()
        if leftovers:
            n = len(leftovers)
            raise BackendFault(f"{n} resource{'s' if n != 1 else ''} tagged {TAG_RUN}={self.aws.run_id} "
                               f"{TAG_NODE}={self.node_id!r} left behind: " + "; ".join(leftovers)
                               + (f" (on the way: {'; '.join(problems)})" if problems else "")
                               + f" — remove {'them' if n != 1 else 'it'} with "
                               f"`scn sweep --run-id {self.aws.run_id} --yes`")

    def teardown(self) -> tuple[list[str], list[str]]:
        """Delete what this world created, last first; then whatever still carries its tags.

        :returns: what is left, described (empty: verified clean), and what went wrong on the way.
        """
        o = self.options
        timing: dict[str, Any] = dict(timeout=o.timeout, poll=o.poll, sleep=o.sleep, clock=o.clock)
        ec2 = ec2_via(self)
        pending: list[tuple[Any, Any]] = []  # instances terminated, not yet waited for: (handle, kind map)
        problems: list[str] = []

        def flush() -> None:
            if not pending:
                return
            batch = list(pending)
            pending.clear()
            stuck = wait_terminated(ec2, [h.id for h, _ in batch], **timing)
            problems.extend(f"instance {iid}: not terminated after {o.timeout:g} s" for iid in stuck)
            for handle, mapped in batch:  # what goes with it (an AMI registered for it): its kind's delete, now quick
                if handle.id not in stuck:
                    try:
                        mapped.delete(self, handle)
                    except Exception as exc:
                        problems.append(f"{handle.kind} {handle.id}: {exc}")

        def run(handle, mapped) -> None:
            if handle.kind == "instance" and not self._spot(ec2, handle.id):
                terminate_instances(ec2, [handle.id], **timing, wait=False)  # wait for all of them together
                pending.append((handle, mapped))
                return
            flush()  # what came before it may depend on them
            retrying(lambda: mapped.delete(self, handle), codes=(), timeout=o.timeout, poll=o.poll, sleep=o.sleep,
                     clock=o.clock, when=waits_on)

        problems += self.delete_created(run)
        try:
            flush()
        except Exception as exc:
            problems.append(f"instances: {exc}")
        # verify: nothing tagged with this scenario is left in the services it used; what the record missed
        # (an answer lost on the way back, a resource made on the side) is deleted too, and looked for again
        tags = {TAG_RUN: self.aws.run_id, TAG_NODE: self.node_id[:255]}
        used = {s.capability for s in (services.service_of(h.kind) for h in self.created) if s is not None}
        try:
            left, _blind = find_all(self, tags, within=used)
            if left:
                problems += delete_found(self, left, **timing)
                left, _blind = find_all(self, tags, within=used)
        except Exception as exc:
            return [f"unknown (could not verify the teardown: {exc})"], problems
        return [r.describe() for r in left], (problems if left else [])

    def _spot(self, ec2: Any, iid: str) -> bool:
        """Whether the instance came from a Spot request (its kind's delete cancels the request first)."""
        try:
            answer = ec2.describe_instances(InstanceIds=[iid])
        except Exception:
            return False
        return any(i.get("SpotInstanceRequestId")
                   for r in answer.get("Reservations", ()) for i in r.get("Instances", ()))


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
