"""EC2's boto3 mapping on moto: network interfaces, placement groups, Spot, user data, AMIs, EIP regions."""

from __future__ import annotations

import types

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.adapter import Clients  # noqa: E402
from scn_boto.errors import BackendNotImplemented  # noqa: E402
from scn_boto.moto_backend import BACKEND  # noqa: E402


def _ec2(w, region=None):
    return w.client("ec2", region)


# ---------------------------------------------------------------- network interfaces
def test_eth0_is_named_not_created_and_read_back_from_the_api():
    w = BACKEND()
    web = w.create("instance", "web", {}, [])
    eth0 = w.create("network interface", "eth0", {"primary": True}, [("of", web)])
    assert eth0 not in w.created  # it goes with its instance: a teardown never deletes it
    assert w.observe(eth0, "device index") == 0
    assert w.observe(eth0, "private ipv4") == w.observe(web, "private ipv4")
    assert w.relations(eth0) == frozenset({("attached to", web), ("of", web)})
    assert w.observe(web, "network interface count") == 1


def test_an_interface_attached_later_takes_the_next_device_index_and_detaches():
    w = BACKEND()
    web = w.create("instance", "web", {"instance type": "m5.large", "network interface count": 2}, [])
    assert w.count_related("network interface", "attached to", web) == 2
    eni = w.create("network interface", "eni", {"description": "nat"}, [])
    assert w.observe(eni, "state") == "available"
    assert w.act(eni, "attach", web, {}) == ("in-use",)
    assert w.observe(eni, "device index") == 2
    assert w.observe(eni, "description") == "nat"
    assert w.act(eni, "detach", None, {}) == ("available",)
    assert w.relations(eni) == frozenset()
    with pytest.raises(BackendError) as info:
        w.act(eni, "detach", None, {})
    assert info.value.code == "IncorrectState"


def test_secondary_addresses_are_assigned_and_read_back():
    w = BACKEND()
    eni = w.create("network interface", "eni", {"secondary private ipv4 count": 2}, [])
    assert w.observe(eni, "private ipv4 count") == 3
    w.act(eni, "modify", None, {"secondary private ipv4 count": 4, "source/destination check": False})
    assert w.observe(eni, "secondary private ipv4 count") == 4
    assert w.observe(eni, "elastic ip limit") == 5
    assert w.observe(eni, "source/destination check") is False


def test_the_security_groups_made_for_an_interface_are_deleted_with_it():
    w = BACKEND()
    eni = w.create("network interface", "eni", {"security group count": 3}, [])
    assert w.observe(eni, "security group count") == 3
    made = eni.refs["groups"]
    assert len(made) == 2
    assert w.delete_created() == []
    assert not w.exists(eni)
    left = _ec2(w).describe_security_groups(Filters=[{"Name": "group-id", "Values": made}])["SecurityGroups"]
    assert left == []


# ---------------------------------------------------------------- placement groups
def test_a_placement_group_is_not_implemented_naming_motos_missing_action():
    w = BACKEND()
    with pytest.raises(BackendNotImplemented) as info:
        w.create("placement group", "pg", {"strategy": "spread"}, [])
    assert info.value.operation == "CreatePlacementGroup"
    assert info.value.what.startswith("creating a placement group (CreatePlacementGroup")


# ---------------------------------------------------------------- what an instance is launched with
def test_user_data_and_spot_options_are_read_back_from_the_api():
    w = BACKEND()
    web = w.create("instance", "web", {"user data": "#!/bin/sh"}, [])
    assert w.observe(web, "user data") == "#!/bin/sh"
    assert w.observe(web, "purchase option") == "on-demand"
    assert w.observe(web, "max price") is None
    spot = w.create("instance", "s", {"purchase option": "spot"}, [])
    assert w.observe(spot, "purchase option") == "spot"
    assert w.observe(w.create("instance", "quiet", {}, []), "user data") is None


def test_an_ami_registered_for_a_launch_is_deregistered_by_the_teardown():
    w = BACKEND()
    web = w.create("instance", "web", {"ami virtualization": "hvm", "ami ena support": False}, [])
    image = web.refs["image"]
    assert _ec2(w).describe_images(ImageIds=[image])["Images"]
    assert w.delete_created() == []
    assert _ec2(w).describe_images(Filters=[{"Name": "image-id", "Values": [image]}])["Images"] == []


def test_the_type_s_network_info_comes_from_describe_instance_types():
    w = BACKEND()
    hpc = w.create("instance", "hpc", {"instance type": "c5n.18xlarge"}, [])
    assert w.observe(hpc, "efa support") is True
    assert w.observe(hpc, "ena support") is True
    assert w.observe(hpc, "network bandwidth") == "100 Gigabit"
    old = w.create("instance", "old", {"instance type": "t2.micro"}, [])
    assert w.observe(old, "ena support") is False
    intel = w.create("instance", "intel", {"instance type": "m4.large"}, [])
    assert w.observe(intel, "network adapter") == "intel 82599 vf"  # SriovNetSupport simple
    assert w.observe(intel, "enhanced networking") is True


# ---------------------------------------------------------------- Elastic IPs of another region
def test_an_elastic_ip_of_another_region_lives_and_is_released_there():
    w = BACKEND()
    web = w.create("instance", "web", {}, [])
    west = w.create("elastic ip", "west", {"region": "us-west-2"}, [])
    assert w.observe(west, "region") == "us-west-2"
    assert w.observe(w.create("elastic ip", "east", {}, []), "region") == "us-east-1"
    assert _ec2(w).describe_addresses(Filters=[{"Name": "allocation-id", "Values": [west.id]}])["Addresses"] == []
    with pytest.raises(BackendError) as info:
        w.act(west, "associate", web, {})
    assert info.value.code == "InvalidInstanceID.NotFound"
    assert w.delete_created() == []
    assert _ec2(w, "us-west-2").describe_addresses()["Addresses"] == []


def test_a_regional_client_needs_a_factory_that_takes_a_region():
    default = types.SimpleNamespace(meta=types.SimpleNamespace(region_name="us-east-1"))
    clients = Clients(lambda name: default)
    assert clients.get("ec2", region="us-east-1") is default  # the world's own region: the default client
    with pytest.raises(NotImplementedByBackend) as info:
        clients.get("ec2", region="eu-west-1")
    assert info.value.what == "a ec2 client in the region eu-west-1"
    made = []
    regional = Clients(lambda name, region=None: made.append(region) or types.SimpleNamespace(
        meta=types.SimpleNamespace(region_name=region or "us-east-1")))
    first = regional.get("ec2", region="eu-west-1")
    assert regional.get("ec2", region="eu-west-1") is first and made == [None, "eu-west-1"]
