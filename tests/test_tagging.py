"""Teardown's and sweep's tolerant paths, on a scripted EC2 client: a resource already gone is
fine, a dependency is waited out within a bound, and what cannot be deleted is named."""

from __future__ import annotations

import datetime

import pytest

botocore = pytest.importorskip("botocore")

from botocore.exceptions import ClientError  # noqa: E402

from scn_boto import tagging  # noqa: E402
from scn_boto.tagging import Tagged, delete, delete_address, find_tagged, terminate_instances, wait_terminated  # noqa: E402


def refusal(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "Operation")


class Script:
    """An EC2 client whose answers are scripted per method, in order; every call is logged."""

    def __init__(self, **answers):
        self.answers = {k: list(v) for k, v in answers.items()}
        self.calls: list[tuple[str, dict]] = []

    def __getattr__(self, method):
        def answer(**kw):
            self.calls.append((method, kw))
            queue = self.answers[method]
            got = queue.pop(0) if len(queue) > 1 else queue[0]
            if isinstance(got, Exception):
                raise got
            return got
        return answer


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.now += s


FAST = dict(timeout=5.0, poll=0.1)


def _instance(iid, state="running", tags=()):
    return {"InstanceId": iid, "State": {"Name": state}, "Tags": [{"Key": k, "Value": v} for k, v in tags]}


def test_the_creation_time_comes_from_the_tag_else_the_launch_time_else_nothing():
    utc = datetime.timezone.utc
    assert tagging._when({"scn:created": "2026-01-01T00:00:00Z"}) == datetime.datetime(2026, 1, 1, tzinfo=utc)
    naive = datetime.datetime(2026, 2, 2)
    assert tagging._when({"scn:created": "yesterday"}, naive) == naive.replace(tzinfo=utc)
    assert tagging._when({}, naive.replace(tzinfo=utc)) == naive.replace(tzinfo=utc)
    assert tagging._when({"scn:created": "2026-03-03T00:00:00"}) == datetime.datetime(2026, 3, 3, tzinfo=utc)
    assert tagging._when({}) is None


def test_find_tagged_follows_pages_and_leaves_terminated_instances_out():
    ec2 = Script(describe_instances=[
        {"Reservations": [{"Instances": [_instance("i-1", tags=[("scn:run-id", "r")])]}], "NextToken": "p2"},
        {"Reservations": [{"Instances": [_instance("i-2", "terminated"), _instance("i-3", "stopped")]}]},
    ], describe_addresses=[{"Addresses": [{"AllocationId": "eipalloc-1", "AssociationId": "eipassoc-1", "Tags": []},
                                          {"AllocationId": "eipalloc-2"}]}])
    found = find_tagged(ec2, {"scn:run-id": "r", "scn:node-id": None})
    assert [(t.kind, t.id, t.state) for t in found] == [
        ("instance", "i-1", "running"), ("instance", "i-3", "stopped"),
        ("elastic ip", "eipalloc-1", "associated"), ("elastic ip", "eipalloc-2", "allocated")]
    assert ec2.calls[1][1]["NextToken"] == "p2"
    assert {"Name": "tag-key", "Values": ["scn:node-id"]} in ec2.calls[0][1]["Filters"]


def test_an_address_already_gone_is_fine_at_every_step():
    assert delete_address(Script(describe_addresses=[refusal("InvalidAllocationID.NotFound")]), "eipalloc-1", **FAST) is None
    ec2 = Script(describe_addresses=[{"Addresses": [{"AllocationId": "eipalloc-1", "AssociationId": "eipassoc-1"}]}],
                 disassociate_address=[refusal("InvalidAssociationID.NotFound")],
                 release_address=[refusal("InvalidAllocationID.NotFound")])
    delete_address(ec2, "eipalloc-1", **FAST)
    assert [m for m, _ in ec2.calls] == ["describe_addresses", "disassociate_address", "release_address"]


def test_an_address_that_cannot_be_described_or_disassociated_is_an_error():
    with pytest.raises(Exception, match="UnauthorizedOperation"):
        delete_address(Script(describe_addresses=[refusal("UnauthorizedOperation")]), "eipalloc-1", **FAST)
    ec2 = Script(describe_addresses=[{"Addresses": [{"AllocationId": "eipalloc-1", "AssociationId": "eipassoc-1"}]}],
                 disassociate_address=[refusal("UnauthorizedOperation")])
    with pytest.raises(Exception, match="UnauthorizedOperation"):
        delete_address(ec2, "eipalloc-1", **FAST)


def test_a_release_waits_out_a_dependency_within_its_bound():
    clock = Clock()
    ec2 = Script(describe_addresses=[{"Addresses": []}],
                 release_address=[refusal("InvalidIPAddress.InUse"), refusal("InvalidIPAddress.InUse"), {}])
    delete_address(ec2, "eipalloc-1", sleep=clock.sleep, clock=clock, **FAST)
    assert [m for m, _ in ec2.calls].count("release_address") == 3 and 0 < clock.now < 5
    forever = Script(describe_addresses=[{"Addresses": []}], release_address=[refusal("InvalidIPAddress.InUse")])
    with pytest.raises(Exception, match="InvalidIPAddress.InUse"):
        delete_address(forever, "eipalloc-1", sleep=clock.sleep, clock=clock, **FAST)


def test_one_instance_gone_does_not_stop_the_others_from_being_terminated():
    ec2 = Script(terminate_instances=[refusal("InvalidInstanceID.NotFound"), refusal("InvalidInstanceID.NotFound"), {}])
    assert terminate_instances(ec2, ["i-gone", "i-live"], wait=False, **FAST) == []
    assert [kw["InstanceIds"] for m, kw in ec2.calls] == [["i-gone", "i-live"], ["i-gone"], ["i-live"]]
    assert terminate_instances(Script(), [], **FAST) == []
    with pytest.raises(Exception, match="UnauthorizedOperation"):
        terminate_instances(Script(terminate_instances=[refusal("UnauthorizedOperation")]), ["i-1"], wait=False, **FAST)


def test_waiting_for_termination_asks_one_by_one_when_one_is_gone_and_gives_up_at_the_bound():
    clock = Clock()
    ec2 = Script(describe_instances=[
        refusal("InvalidInstanceID.NotFound"),  # the batch: one of them is gone for good
        refusal("InvalidInstanceID.NotFound"),  # i-gone
        {"Reservations": [{"Instances": [_instance("i-stuck", "shutting-down")]}]},  # i-stuck
        {"Reservations": [{"Instances": [_instance("i-stuck", "shutting-down")]}]},  # then, every time
    ])
    left = wait_terminated(ec2, ["i-gone", "i-stuck"], timeout=1.0, poll=0.4, sleep=clock.sleep, clock=clock)
    assert left == ["i-stuck"] and clock.now >= 1.0
    with pytest.raises(Exception, match="UnauthorizedOperation"):
        wait_terminated(Script(describe_instances=[refusal("UnauthorizedOperation")]), ["i-1"], **FAST)


def test_delete_names_what_it_could_not_delete():
    clock = Clock()
    ec2 = Script(describe_addresses=[refusal("UnauthorizedOperation")],
                 terminate_instances=[{}],
                 describe_instances=[{"Reservations": [{"Instances": [_instance("i-1", "shutting-down")]}]}])
    problems = delete(ec2, [Tagged("elastic ip", "eipalloc-1", "allocated"), Tagged("instance", "i-1", "running")],
                      timeout=1.0, poll=0.5, sleep=clock.sleep, clock=clock)
    assert problems[0].startswith("elastic ip eipalloc-1 (allocated): ") and "UnauthorizedOperation" in problems[0]
    assert problems[1] == "instance i-1: not terminated after 1 s"
    broken = Script(terminate_instances=[refusal("UnauthorizedOperation")])
    assert delete(broken, [Tagged("instance", "i-1", "running")], **FAST)[0].startswith("instances i-1: ")
