"""The networking parts of the reference model (Elastic IPs' charge and region,
placement groups, network interfaces, ENA/EFA), through World methods only."""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scenario.backend import NotImplementedByBackend


def launch(world, label='instance "web"', relations=(), **params):
    return world.create("instance", label, params, tuple(relations))


def group(world, strategy, label='placement group "pg"', **params):
    return world.create("placement group", label, {"strategy": strategy, **params}, ())


def eni(world, label='network interface "eni"', relations=(), **params):
    return world.create("network interface", label, params, tuple(relations))


# ------------------------------------------------------------------ Elastic IPs: charge and region
def test_an_eip_is_billed_unless_associated_with_a_running_instance(world):
    web = launch(world)
    eip = world.create("elastic ip", 'elastic ip "eip"', {}, ())
    assert world.observe(eip, "billed") is True
    world.act(eip, "associate", web, {})
    assert world.observe(eip, "billed") is False
    world.act(web, "stop", None, {})
    assert world.observe(eip, "billed") is True
    world.act(web, "start", None, {})
    world.set_setting("in-use public ipv4 charge", True)
    assert world.observe(eip, "billed") is True
    world.act(eip, "release", None, {})
    assert world.observe(eip, "billed") is False


def test_an_eip_belongs_to_its_region(world):
    web = launch(world)
    for _ in range(5):
        world.create("elastic ip", "elastic ip", {}, ())
    west = world.create("elastic ip", 'elastic ip "west"', {"region": "us-west-2"}, ())
    assert world.observe(west, "region") == "us-west-2"
    err = refused("InvalidInstanceID.NotFound", world.act, west, "associate", web, {})
    assert err.detail == "The instance ID 'i-00000000000000001' does not exist"
    assert world.relations(west) == frozenset()
    refused("AddressLimitExceeded", world.create, "elastic ip", "elastic ip", {}, ())
    refused("InvalidParameterValue", world.create, "elastic ip", "elastic ip", {"region": "mars-1"}, ())


# ------------------------------------------------------------------ placement groups
def test_a_placement_group_and_its_defaults(world):
    pg = world.create("placement group", 'placement group "pg"', {}, ())
    assert [world.observe(pg, a) for a in ("state", "strategy", "partition count", "availability zone")] == \
        ["available", "cluster", None, None]
    assert world.observe(pg, "group id") == "pg-00000000000000001"
    pp = group(world, "partition", 'placement group "pp"')
    assert world.observe(pp, "partition count") == 2
    refused("InvalidParameterCombination", group, world, "spread", "pg", **{"partition count": 3})
    refused("InvalidParameterValue", group, world, "partition", "pg", **{"partition count": 8})
    refused("InvalidParameterValue", group, world, "partition", "pg", **{"partition count": 0})


def test_a_cluster_group_stays_in_one_zone(world):
    pg = group(world, "cluster")
    a = launch(world, relations=[("in", pg)])
    assert world.observe(pg, "availability zone") == "us-east-1a"
    assert world.count_related("instance", "in", pg) == 1
    assert world.observe(a, "rack") is None and world.observe(a, "partition") is None
    err = refused("InvalidPlacementGroup.InUse", launch, world, "b", [("in", pg)], **{"availability zone": "us-east-1b"})
    assert err.detail == "The placement group 'placement group \"pg\"' is in use in another availability zone: us-east-1a"
    # once its instances are gone, another zone is fine
    world.act(a, "terminate", None, {})
    launch(world, "c", [("in", pg)], **{"availability zone": "us-east-1b"})
    assert world.observe(pg, "availability zone") == "us-east-1b"


def test_a_spread_group_takes_seven_running_instances_per_zone(world):
    pg = group(world, "spread")
    members = [launch(world, f"w{n}", [("in", pg)]) for n in range(7)]
    assert len({world.observe(m, "rack") for m in members}) == 7
    err = refused("InsufficientInstanceCapacity", launch, world, "w8", [("in", pg)])
    assert "seven" not in err.detail and "7 running instances" in err.detail
    launch(world, "other zone", [("in", pg)], **{"availability zone": "us-east-1b"})
    world.act(members[0], "stop", None, {})
    launch(world, "w8", [("in", pg)])
    assert world.count_related("instance", "in", pg) == 9


def test_a_partition_group_spreads_over_partitions_with_their_own_racks(world):
    pp = group(world, "partition", **{"partition count": 3})
    insts = [launch(world, f"w{n}", [("in", pp)]) for n in range(4)]
    assert [world.observe(i, "partition") for i in insts] == [1, 2, 3, 1]
    assert world.observe(insts[0], "rack") == world.observe(insts[3], "rack") == "pg-00000000000000001-partition-1"
    assert world.observe(insts[1], "rack") != world.observe(insts[0], "rack")
    chosen = launch(world, "p3", [("in", pp)], partition=3)
    assert world.observe(chosen, "partition") == 3
    refused("InvalidParameterValue", launch, world, "p4", [("in", pp)], partition=4)
    refused("InvalidParameterCombination", launch, world, "nogroup", (), partition=1)
    spread = group(world, "spread", 'placement group "s"')
    refused("InvalidParameterValue", launch, world, "sp", [("in", spread)], partition=1)


def test_hundreds_of_instances_in_a_partition_group(world):
    pp = group(world, "partition", **{"partition count": 7})
    for n in range(200):
        launch(world, f"w{n}", [("in", pp)])
    assert world.count_related("instance", "in", pp) == 200
    assert world.observe(launch(world, "last", [("in", pp)]), "partition") == 5


def test_deleting_a_placement_group(world):
    pg = group(world, "spread")
    a = launch(world, relations=[("in", pg)])
    refused("InvalidPlacementGroup.InUse", world.act, pg, "delete", None, {})
    world.act(a, "terminate", None, {})
    assert world.count_related("instance", "in", pg) == 0
    assert tuple(world.act(pg, "delete", None, {})) == ()
    assert world.exists(pg) is False
    refused("InvalidPlacementGroup.Unknown", launch, world, "b", [("in", pg)])
    with pytest.raises(NotImplementedByBackend):
        world.act(pg, "reboot", None, {})


# ------------------------------------------------------------------ network interfaces
def test_eth0_is_created_with_the_instance_and_takes_no_id(world):
    web = launch(world)
    api = launch(world, 'instance "api"')
    assert world.observe(api, "instance id") == "i-00000000000000002"
    assert world.observe(web, "network interface count") == 1
    eth0 = eni(world, 'network interface "eth0"', [("of", web)], primary=True)
    assert world.observe(eth0, "network interface id") == "eni-00000000000000001"
    assert world.observe(eth0, "mac address") == "02:00:00:00:00:01"
    assert world.observe(eth0, "device index") == 0
    assert world.observe(eth0, "attachment type") == "cold"
    assert world.observe(eth0, "private ipv4") == world.observe(web, "private ipv4")
    assert world.observe(eth0, "public ipv4") == "198.51.100.1"
    assert world.observe(eth0, "delete-on-termination") is True
    assert world.observe(eth0, "primary") is True
    assert world.relations(eth0) == frozenset({("attached to", web), ("of", web)})
    err = refused("OperationNotPermitted", world.act, eth0, "detach", None, {})
    assert err.detail == "The network interface at device index 0 and networkCard index 0 cannot be detached."
    refused("InvalidNetworkInterface.InUse", world.act, eth0, "attach", api, {})
    refused("InvalidNetworkInterface.InUse", world.act, eth0, "delete", None, {})
    refused("InvalidParameterValue", eni, world, "x", (), primary=True)
    refused("InvalidParameterValue", eni, world, "y", [("of", web)])
    world.act(web, "terminate", None, {})
    assert world.exists(eth0) is False
    refused("InvalidNetworkInterfaceID.NotFound", world.act, eth0, "detach", None, {})


def test_eth0_named_late_is_what_it_was_made_at_launch(world):
    """The model makes eth0 when something first asks for it: named after a stop and a start, or after its
    instance terminated, it is what it would be had it been named at launch."""
    web = launch(world)
    world.act(web, "stop", None, {})
    world.act(web, "start", None, {})
    eth0 = eni(world, 'network interface "eth0"', [("of", web)], primary=True)
    assert [world.observe(eth0, a) for a in ("network interface id", "device index", "attachment type", "state")] == \
        ["eni-00000000000000001", 0, "cold", "in-use"]
    assert world.observe(eth0, "private ipv4") == world.observe(web, "private ipv4") == "172.31.16.10"
    assert eni(world, 'network interface "again"', [("of", web)], primary=True) is eth0
    gone = launch(world, 'instance "gone"')
    world.act(gone, "terminate", None, {})
    late = eni(world, 'network interface "late"', [("of", gone)], primary=True)
    assert world.exists(late) is False and world.relations(late) == frozenset()
    assert world.observe(gone, "network interface count") == 0
    kept = launch(world, 'instance "kept"')
    k0 = eni(world, 'network interface "k0"', [("of", kept)], primary=True)
    world.act(k0, "modify", None, {"delete-on-termination": False})
    world.act(kept, "terminate", None, {})
    assert world.exists(k0) is True and world.observe(k0, "state") == "available"


def test_an_added_interface_and_its_attributes(world):
    web = launch(world, **{"instance type": "m5.large"})
    e = eni(world, **{"secondary private ipv4 count": 2, "description": "nat", "security group count": 3})
    assert world.observe(e, "network interface id") == "eni-00000000000000002"
    assert world.observe(e, "private ipv4") == "172.31.16.11"
    assert world.observe(e, "state") == "available"
    assert [world.observe(e, a) for a in ("private ipv4 count", "elastic ip limit", "security group count", "description")] == [3, 3, 3, "nat"]
    assert world.observe(e, "source/destination check") is True
    assert world.observe(e, "public ipv4") is None
    assert world.observe(e, "delete-on-termination") is False
    assert world.relations(e) == frozenset()
    bandwidth = world.observe(web, "network bandwidth")
    assert tuple(world.act(e, "attach", web, {})) == ("in-use",)
    assert world.observe(e, "state") == "in-use" and world.observe(e, "attachment type") == "hot"
    assert world.observe(e, "device index") == 1
    assert world.relations(e) == frozenset({("attached to", web)})
    assert world.count_related("network interface", "attached to", web) == 2
    assert world.observe(web, "network bandwidth") == bandwidth == "Up to 10 Gigabit"
    world.act(e, "modify", None, {"source/destination check": False, "security group count": 0})
    assert world.observe(e, "source/destination check") is False and world.observe(e, "security group count") == 1
    refused("SecurityGroupsPerInterfaceLimitExceeded", world.act, e, "modify", None, {"security group count": 6})
    assert tuple(world.act(e, "detach", None, {})) == ("available",)
    refused("IncorrectState", world.act, e, "detach", None, {})
    assert tuple(world.act(e, "delete", None, {})) == ()
    assert world.exists(e) is False


def test_hot_warm_and_cold_attach(world):
    web = launch(world)
    world.act(web, "stop", None, {})
    warm = eni(world, 'network interface "warm"')
    world.act(warm, "attach", web, {})
    assert world.observe(warm, "attachment type") == "warm"
    cold = eni(world, 'network interface "cold"')
    api = launch(world, 'instance "api"', [("launched with", cold)])
    assert world.observe(cold, "attachment type") == "cold" and world.observe(cold, "device index") == 1
    assert world.relations(cold) == frozenset({("attached to", api)})
    made = launch(world, 'instance "db"', **{"network interface count": 2})
    assert world.observe(made, "network interface count") == 2


def test_limits_on_interfaces(world):
    refused("AttachmentLimitExceeded", launch, world, "a", (), **{"network interface count": 3, "instance type": "m5.large"})
    world.set_setting("launch network interface limit", 15)
    refused("AttachmentLimitExceeded", launch, world, "b", (), **{"network interface count": 3})  # t3.micro has 2
    web = launch(world, **{"network interface count": 3, "instance type": "m5.large"})
    extra = eni(world)
    refused("AttachmentLimitExceeded", world.act, extra, "attach", web, {})
    small = launch(world, 'instance "small"')
    refused("InvalidParameterValue", world.act, extra, "attach", small, {"device index": 0})
    taken = eni(world, 'network interface "taken"', (), **{"device index": 1})
    world.act(taken, "attach", small, {})
    refused("InvalidNetworkInterface.InUse", launch, world, "c", [("launched with", taken)])
    world.act(small, "terminate", None, {})
    refused("IncorrectInstanceState", world.act, extra, "attach", small, {})


def test_termination_deletes_eth0_and_interfaces_set_to_go(world):
    web = launch(world, **{"network interface count": 2})
    kept = eni(world, 'network interface "kept"')
    gone = eni(world, 'network interface "gone"', (), **{"delete-on-termination": True})
    world.set_setting("launch network interface limit", 15)
    big = launch(world, 'instance "big"', **{"instance type": "c5n.18xlarge"})
    world.act(kept, "attach", big, {})
    world.act(gone, "attach", big, {})
    world.act(big, "terminate", None, {})
    assert world.exists(kept) is True and world.relations(kept) == frozenset()
    assert world.exists(gone) is False
    assert world.observe(web, "network interface count") == 2
    world.act(web, "terminate", None, {})
    assert world.observe(web, "network interface count") == 0  # eth0 and the one made at launch are gone


# ------------------------------------------------------------------ ENA and EFA
@pytest.mark.parametrize("itype, enhanced, adapter, ena, efa", [
    ("t3.micro", True, "ena", True, False),
    ("c5n.18xlarge", True, "ena", True, True),
    ("m4.large", True, "intel 82599 vf", False, False),
    ("t2.micro", False, None, False, False),
    ("x9.unknown", False, None, None, None),
])
def test_enhanced_networking_by_type(world, itype, enhanced, adapter, ena, efa):
    web = launch(world, **{"instance type": itype})
    assert world.observe(web, "enhanced networking") is enhanced
    assert world.observe(web, "network adapter") == adapter
    assert world.observe(web, "ena support") is ena
    assert world.observe(web, "efa support") is efa
    assert world.observe(web, "ami virtualization") == "hvm"
    assert world.observe(web, "ami ena support") is True
    assert world.observe(web, "efa") is False


def test_hvm_and_the_ena_driver_are_needed(world):
    pv = launch(world, **{"instance type": "c3.large", "ami virtualization": "paravirtual"})
    assert world.observe(pv, "enhanced networking") is False
    assert world.observe(pv, "ami virtualization") == "paravirtual"
    refused("InvalidParameterCombination", launch, world, "x", (), **{"ami virtualization": "paravirtual"})
    err = refused("InvalidParameterCombination", launch, world, "y", (), **{"ami ena support": False})
    assert err.detail.startswith("Enhanced networking with the Elastic Network Adapter (ENA) is required for the 't3.micro'")
    old = launch(world, 'instance "old"', **{"instance type": "m4.16xlarge", "ami ena support": False})
    assert world.observe(old, "enhanced networking") is False


def test_efa_only_on_supported_types(world):
    hpc = launch(world, **{"instance type": "c5n.18xlarge", "efa": True})
    assert world.observe(hpc, "efa") is True
    err = refused("InvalidParameterCombination", launch, world, "x", (), efa=True)
    assert err.detail == "t3.micro instances do not support Elastic Fabric Adapters."
