"""EC2 compute in the reference model, through its World methods only.

Billing by state and on the virtual clock (plugins/scn_reference/ec2/instances.py), the
purchase options and Spot interruptions (ec2/purchase.py), Reserved Instances
(ec2/reserved.py), and the instance metadata service (ec2/metadata.py).
Every assertion names an exact value.
"""

from __future__ import annotations

import json

import pytest
from helpers.reference import refused

from scenario.backend import NotImplementedByBackend
from scn_reference.ec2 import purchase, reserved

YEAR = 31_536_000
META = "http://169.254.169.254/latest/meta-data/"


def launch(world, label='instance "web"', **params):
    return world.create("instance", label, params, ())


def send(world, inst, url, label='metadata request "r"'):
    return world.create("metadata request", label, {"url": url}, (("sent from", inst),))


def buy(world, label='reserved instance "ri"', **params):
    return world.create("reserved instance", label, params, ())


def observe(world, handle, *attributes):
    return tuple(world.observe(handle, a) for a in attributes)


# ------------------------------------------------------------------ billing by state
def test_a_launch_is_billed_from_pending_as_the_notes_say(world):
    web = launch(world)
    assert observe(world, web, "billed", "billed while pending", "billed time") == (True, True, 60)
    assert world.creation_states(web) == ("pending", "running")


def test_by_aws_state_table_a_launch_is_billed_from_running_not_pending(world):
    world.set_setting("pending state billing", False)
    web = launch(world)
    assert observe(world, web, "billed", "billed while pending", "billed time") == (True, False, 60)
    world.act(web, "stop", None, {})
    world.act(web, "start", None, {})
    assert observe(world, web, "billed", "billed while pending", "billed time") == (True, False, 120)


def test_billed_time_is_per_second_with_a_minute_minimum_per_start(world):
    web = launch(world)
    world.advance(10)
    assert world.observe(web, "billed time") == 60
    world.advance(80.5)
    assert world.observe(web, "billed time") == 90.5
    assert tuple(world.act(web, "stop", None, {})) == ("stopping", "stopped")
    assert observe(world, web, "billed", "billed while stopping", "billed time") == (False, False, 90.5)
    world.advance(3600)
    assert world.observe(web, "billed time") == 90.5
    world.act(web, "start", None, {})
    assert observe(world, web, "billed", "billed while pending", "billed time") == (True, True, 150.5)
    world.act(web, "stop", None, {})
    assert world.observe(web, "billed time") == 150.5


def test_a_reboot_keeps_the_billing_period(world):
    web = launch(world)
    world.advance(30)
    assert tuple(world.act(web, "reboot", None, {})) == ("running",)
    world.advance(40)
    assert world.observe(web, "billed time") == 70


def test_stopping_to_hibernate_is_billed_stopping_to_stop_is_not(world):
    web = launch(world, hibernation=True)
    world.advance(100)
    world.act(web, "hibernate", None, {})
    assert observe(world, web, "state", "billed", "billed while stopping", "billed time") == ("stopped", False, True, 100)
    world.act(web, "start", None, {})
    world.act(web, "stop", None, {})
    assert observe(world, web, "billed while stopping", "billed time") == (False, 160)


def test_termination_ends_billing_and_the_ebs_bill(world):
    web = launch(world)
    world.advance(7200)
    assert world.observe(web, "ebs storage billed") is True
    world.act(web, "stop", None, {})
    assert observe(world, web, "billed", "ebs storage billed") == (False, True)
    world.act(web, "terminate", None, {})
    world.advance(86400)
    assert observe(world, web, "billed", "billed while shutting-down", "ebs storage billed", "billed time") == (False, False, False, 7200)


# ------------------------------------------------------------------ shutdown from inside, instance failure
def test_shutdown_follows_the_shutdown_behavior(world):
    stop = launch(world)
    term = launch(world, 'instance "t"', **{"shutdown behavior": "terminate"})
    assert world.observe(stop, "shutdown behavior") == "stop"
    assert tuple(world.act(stop, "shutdown", None, {})) == ("stopping", "stopped")
    assert tuple(world.act(term, "shutdown", None, {})) == ("shutting-down", "terminated")
    assert observe(world, term, "state", "billed", "shutdown behavior") == ("terminated", False, "terminate")


def test_a_bad_shutdown_behavior_is_refused_before_anything_exists(world):
    err = refused("InvalidParameterValue", launch, world, 'instance "web"', **{"shutdown behavior": "hibernate"})
    assert err.detail == "Value (hibernate) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate"
    assert world.of_kind("instance") == [] and world.counter == 0


def test_an_instance_failure_terminates(world):
    web = launch(world)
    world.advance(60)
    assert tuple(world.act(web, "crash", None, {})) == ("shutting-down", "terminated")
    assert observe(world, web, "billed", "billed time") == (False, 60)


@pytest.mark.parametrize("action", ["shutdown", "crash"])
def test_nothing_inside_a_stopped_instance_shuts_down_or_fails(world, action):
    web = launch(world)
    world.act(web, "stop", None, {})
    err = refused("IncorrectInstanceState", world.act, web, action, None, {})
    participle = {"shutdown": "shut down", "crash": "crashed"}[action]
    assert err.detail == f"The instance 'i-00000000000000001' is stopped: nothing runs inside it to be {participle}."


def test_an_unknown_instance_action_is_not_implemented(world):
    with pytest.raises(NotImplementedByBackend):
        world.act(launch(world), "teleport", None, {})


# ------------------------------------------------------------------ purchase options and prices
def test_an_instance_is_on_demand_by_default(world):
    web = launch(world)
    assert observe(world, web, "purchase option", "hourly price", "on-demand price", "discount", "max price",
                   "interruption behavior", "interruption notice", "interrupted") == (
        "on-demand", 0.0104, 0.0104, 0.0, None, None, None, False)


def test_a_spot_instance_pays_the_spot_price_whatever_its_max_price(world):
    low = launch(world, 'instance "low"', **{"purchase option": "spot", "instance type": "m5.large", "max price": 0.04})
    high = launch(world, 'instance "high"', **{"purchase option": "spot", "instance type": "m5.large", "max price": 0.5})
    default = launch(world, 'instance "d"', **{"purchase option": "spot", "instance type": "m5.large"})
    assert observe(world, low, "hourly price", "on-demand price", "discount", "max price") == (0.0384, 0.096, 60.0, 0.04)
    assert world.observe(high, "hourly price") == 0.0384
    assert observe(world, default, "max price", "interruption behavior") == (0.096, "terminate")


def test_every_spot_price_of_the_table_is_below_on_demand_by_at_most_90_percent():
    for on_demand, spot in purchase.PRICES.values():
        assert 0.1 * on_demand <= spot < on_demand


def test_an_instance_type_without_a_price(world):
    web = launch(world, **{"instance type": "x9.huge", "purchase option": "spot"})
    assert observe(world, web, "hourly price", "on-demand price", "discount", "max price") == (None, None, None, None)


def test_a_max_price_below_the_spot_price_is_refused(world):
    err = refused("SpotMaxPriceTooLow", launch, world, 'instance "s"',
                  **{"purchase option": "spot", "instance type": "m5.large", "max price": 0.001})
    assert err.detail == ("Your Spot request price of 0.001 is lower than the minimum required Spot request "
                          "fulfillment price of 0.0384.")


def test_spot_options_need_a_spot_instance(world):
    err = refused("InvalidParameterCombination", launch, world, 'instance "s"', **{"max price": 0.5})
    assert err.detail == "The max price applies to Spot Instances only."


def test_an_unknown_interruption_behavior_is_refused(world):
    err = refused("InvalidParameterValue", launch, world, 'instance "s"',
                  **{"purchase option": "spot", "interruption behavior": "reboot"})
    assert "InstanceInterruptionBehavior" in err.detail


# ------------------------------------------------------------------ Spot interruptions
def spot(world, label='instance "s"', **params):
    return launch(world, label, **{"purchase option": "spot", **params})


def test_an_interruption_terminates_two_minutes_after_its_notice(world):
    s = spot(world)
    world.advance(3600)
    assert tuple(world.act(s, "interrupt", None, {})) == ("running",)
    assert json.loads(world.observe(s, "interruption notice")) == {"action": "terminate", "time": "2024-01-01T01:02:00Z"}
    assert world.advance(119) == {}
    assert observe(world, s, "state", "interrupted") == ("running", False)
    assert world.advance(1000) == {s: ["shutting-down", "terminated"]}  # what time did, for `passed through`
    # the interruption happened at its own moment: billing stopped two minutes after the notice
    assert observe(world, s, "state", "interrupted", "billed time", "billed while shutting-down") == ("terminated", True, 3720, False)
    assert world.now == 4719


def test_an_interruption_with_stop_behavior_stops(world):
    s = spot(world, **{"interruption behavior": "stop"})
    world.act(s, "interrupt", None, {})
    assert world.advance(120) == {s: ["stopping", "stopped"]}
    assert observe(world, s, "state", "interrupted", "billed while stopping") == ("stopped", True, False)
    assert json.loads(world.observe(s, "interruption notice"))["action"] == "stop"


def test_an_interruption_with_hibernate_behavior_hibernates_at_once(world):
    s = spot(world, **{"interruption behavior": "hibernate"})
    assert tuple(world.act(s, "interrupt", None, {})) == ("stopping", "stopped")
    assert observe(world, s, "state", "interrupted", "billed while stopping") == ("stopped", True, True)
    assert json.loads(world.observe(s, "interruption notice")) == {"action": "hibernate", "time": "2024-01-01T00:00:00Z"}
    world.advance(300)
    assert world.observe(s, "state") == "stopped"


def test_an_instance_stopped_by_its_owner_within_the_two_minutes_is_left_stopped(world):
    s = spot(world)
    world.act(s, "interrupt", None, {})
    world.act(s, "stop", None, {})
    world.advance(120)
    assert observe(world, s, "state", "interrupted") == ("stopped", True)


def test_interruptions_happen_in_the_order_of_their_notices(world):
    a = spot(world, 'instance "a"')
    world.advance(60)
    b = spot(world, 'instance "b"')
    world.act(b, "interrupt", None, {})
    world.advance(30)
    world.act(a, "interrupt", None, {})
    seen = []
    world.on("state", lambda w, instance, previous, state: seen.append((w.now, instance.label, state)))
    world.advance(600)
    assert seen == [(180, 'instance "b"', "shutting-down"), (180, 'instance "b"', "terminated"),
                    (210, 'instance "a"', "shutting-down"), (210, 'instance "a"', "terminated")]
    assert world.now == 690


def test_on_demand_instances_are_not_interrupted(world):
    web = launch(world)
    err = refused("ReferenceModel.NotSpot", world.act, web, "interrupt", None, {})
    assert err.detail == "The instance 'i-00000000000000001' is an On-Demand Instance: EC2 does not reclaim it."


def test_an_instance_is_interrupted_once_and_only_while_running(world):
    s = spot(world)
    world.act(s, "interrupt", None, {})
    err = refused("IncorrectInstanceState", world.act, s, "interrupt", None, {})
    assert err.detail == "The instance 'i-00000000000000001' is running and already marked for interruption."
    t = spot(world, 'instance "t"')
    world.act(t, "stop", None, {})
    assert refused("IncorrectInstanceState", world.act, t, "interrupt", None, {}).detail == "The instance 'i-00000000000000002' is stopped."


def test_competing_spot_instances_do_not_interrupt(world):
    s = spot(world, **{"instance type": "m5.large", "max price": 0.04})
    spot(world, 'instance "rival"', **{"instance type": "m5.large", "max price": 5.0})
    world.advance(30 * 86400)
    assert observe(world, s, "state", "interruption notice", "interrupted", "billed time") == ("running", None, False, 30 * 86400)


# ------------------------------------------------------------------ the metadata service
def test_the_metadata_listing_and_items(world):
    web = launch(world, **{"instance type": "m5.large"})
    r = send(world, web, META)
    assert observe(world, r, "status", "body", "url") == (200, "ami-id\ninstance-id\ninstance-life-cycle\ninstance-type\n"
                                                               "local-ipv4\nplacement/\npublic-ipv4", META)
    assert world.relations(r) == frozenset({("sent from", web)})
    expected = {"instance-id": "i-00000000000000001", "instance-type": "m5.large", "local-ipv4": "172.31.16.10",
                "public-ipv4": "198.51.100.1", "placement/availability-zone": "us-east-1a", "placement/": "availability-zone",
                "instance-life-cycle": "on-demand", "ami-id": "ami-0abcdef1234567890"}
    for path, body in expected.items():
        assert observe(world, send(world, web, META + path), "status", "body") == (200, body)


@pytest.mark.parametrize("path", ["latest/meta-data", "latest/meta-data/nothing", "latest/meta-data/nothing/",
                                  "latest/meta-data/spot/instance-action", "latest/user-data", "latest/user-data/", "latest/"])
def test_what_is_not_found(world, path):
    web = launch(world)
    assert observe(world, send(world, web, "http://169.254.169.254/" + path), "status", "body") == (404, "Not Found")


def test_user_data_is_served_as_given_at_launch(world):
    web = launch(world, **{"user data": "#!/bin/sh\necho hi"})
    assert world.observe(web, "user data") == "#!/bin/sh\necho hi"
    r = send(world, web, "http://169.254.169.254/latest/user-data")
    assert observe(world, r, "status", "body") == (200, "#!/bin/sh\necho hi")


def test_the_spot_notice_is_a_metadata_item(world):
    s = spot(world)
    world.act(s, "interrupt", None, {})
    r = send(world, s, META + "spot/instance-action")
    assert observe(world, r, "status", "body") == (200, world.observe(s, "interruption notice"))
    assert world.observe(send(world, s, META + "spot/"), "body") == "instance-action"
    assert world.observe(send(world, s, META + "instance-life-cycle"), "body") == "spot"


def test_an_instance_without_a_public_ipv4_has_no_such_item(world):
    web = launch(world, **{"public ipv4": False})
    assert "public-ipv4" not in world.observe(send(world, web, META), "body").split("\n")


def test_a_request_needs_a_running_instance_an_origin_and_the_metadata_host(world):
    web = launch(world)
    world.act(web, "stop", None, {})
    err = refused("ReferenceModel.InstanceNotRunning", send, world, web, META)
    assert err.detail == "The instance 'i-00000000000000001' is stopped: nothing inside it sends requests."
    refused("MissingParameter", world.create, "metadata request", 'metadata request "r"', {"url": META}, ())
    with pytest.raises(NotImplementedByBackend):
        send(world, launch(world, 'instance "api"'), "http://example.com/")
    assert world.of_kind("metadata request") == []


# ------------------------------------------------------------------ Reserved Instances
def test_a_reserved_instance_defaults(world):
    ri = buy(world)
    assert observe(world, ri, "state", "reserved instances id", "term", "instance type", "availability zone", "platform",
                   "instance count", "billed", "billed time", "discount", "listed") == (
        "active", "ri-00000000000000001", YEAR, "m5.large", "us-east-1a", "linux", 1, True, 0, 40.0, False)
    assert world.exists(ri)


def test_a_reserved_instance_is_billed_to_the_end_of_its_term(world):
    ri = buy(world, term=3 * YEAR)
    world.advance(3 * YEAR - 1)
    assert observe(world, ri, "state", "billed", "billed time", "discount") == ("active", True, 3 * YEAR - 1, 60.0)
    world.advance(10)
    assert observe(world, ri, "state", "billed", "billed time") == ("retired", False, 3 * YEAR)
    assert world.relations(ri) == frozenset()


@pytest.mark.parametrize("params, code", [
    ({"term": 2 * YEAR}, "InvalidReservedInstancesOfferingId"),
    ({"availability zone": "eu-west-1a"}, "InvalidReservedInstancesOfferingId"),
    ({"instance count": 0}, "InvalidParameterValue"),
])
def test_purchases_refused(world, params, code):
    refused(code, buy, world, 'reserved instance "ri"', **params)


def test_choosing_what_a_reservation_applies_to_is_not_implemented(world):
    with pytest.raises(NotImplementedByBackend):
        world.create("reserved instance", 'reserved instance "ri"', {}, (("applied to", launch(world)),))


def test_a_reservation_applies_to_matching_running_on_demand_instances_up_to_its_count(world):
    ri = buy(world, **{"instance count": 2})
    a = launch(world, 'instance "a"', **{"instance type": "m5.large"})
    launch(world, 'instance "other"', **{"instance type": "c5.large"})
    spot(world, 'instance "s"', **{"instance type": "m5.large"})
    b = launch(world, 'instance "b"', **{"instance type": "m5.large"})
    launch(world, 'instance "c"', **{"instance type": "m5.large"})
    assert world.relations(ri) == frozenset({("applied to", a), ("applied to", b)})
    world.act(a, "terminate", None, {})
    assert ("applied to", a) not in world.relations(ri)
    assert world.observe(ri, "billed") is True


def test_modifications_within_the_region_and_the_family(world):
    ri = buy(world, **{"instance type": "m5.xlarge"})
    assert tuple(world.act(ri, "modify", None, {"instance type": "m5.large"})) == ("active",)
    assert observe(world, ri, "instance type", "instance count") == ("m5.large", 2)
    world.act(ri, "modify", None, {"instance type": "m5.xlarge", "instance count": 1})
    assert observe(world, ri, "instance type", "instance count") == ("m5.xlarge", 1)
    world.act(ri, "modify", None, {"availability zone": "us-east-1f"})
    assert world.observe(ri, "availability zone") == "us-east-1f"


@pytest.mark.parametrize("platform, params, detail", [
    ("linux", {"availability zone": "eu-west-1a"}, "The Availability Zone 'eu-west-1a' is not in the Region of the Reserved "
                                                   "Instance (us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f)."),
    ("linux", {"instance type": "c5.xlarge"}, "c5.xlarge is not in the instance family of m5.xlarge."),
    ("linux", {"instance type": "m5.weird"}, "m5.weird has no instance size normalization factor."),
    ("linux", {"instance type": "m5.2xlarge"}, "The instance size footprint of the target configuration (m5.2xlarge x 0.5) "
                                               "must match that of the Reserved Instance (m5.xlarge x 1)."),
    ("linux", {"instance count": 2}, "The instance size footprint of the target configuration (m5.xlarge x 2) "
                                     "must match that of the Reserved Instance (m5.xlarge x 1)."),
    ("windows", {"instance type": "m5.large"}, "Only Linux/UNIX Reserved Instances can change their instance size."),
])
def test_modifications_refused(world, platform, params, detail):
    ri = buy(world, **{"instance type": "m5.xlarge", "platform": platform})
    err = refused("InvalidParameterValue", world.act, ri, "modify", None, params)
    assert err.detail == detail
    assert observe(world, ri, "instance type", "instance count", "availability zone") == ("m5.xlarge", 1, "us-east-1a")


def test_a_windows_reservation_changes_its_zone(world):
    ri = buy(world, platform="windows")
    world.act(ri, "modify", None, {"availability zone": "us-east-1b"})
    assert world.observe(ri, "availability zone") == "us-east-1b"


def test_listing_a_reservation_for_sale(world):
    ri = buy(world)
    assert tuple(world.act(ri, "list", None, {})) == ("active",)
    assert world.observe(ri, "listed") is True
    assert refused("InvalidParameterValue", world.act, ri, "list", None, {}).detail == \
        "The Reserved Instance 'ri-00000000000000001' is already listed."


def test_a_retired_reservation_can_be_neither_listed_nor_modified(world):
    ri = buy(world)
    world.advance(YEAR)
    for action, params in (("list", {}), ("modify", {"availability zone": "us-east-1b"})):
        err = refused("InvalidParameterValue", world.act, ri, action, None, params)
        assert err.detail == "The Reserved Instance 'ri-00000000000000001' is retired."


def test_footprints():
    assert reserved.footprint("m5.xlarge", 1) == reserved.footprint("m5.large", 2) == 8
    assert reserved.footprint("t3.nano", 4) == 1
    assert reserved.footprint("m5.metal", 1) is None


# ------------------------------------------------------------------ the vocabulary of the part
def test_the_compute_words(world):
    from scn_reference.vocabulary import INSTANCE, VOCABULARY

    kinds = {k.name: k for k in VOCABULARY if hasattr(k, "states")}
    assert {"metadata request", "reserved instance"} <= set(kinds)
    participles = {a.participle for a in INSTANCE.actions}
    assert {"shut down", "crashed", "interrupted"} <= participles
    assert next(a for a in INSTANCE.attributes if a.name == "purchase option").values == ("on-demand", "spot")
    assert kinds["reserved instance"].states == ()


# ------------------------------------------------------------------ Availability Zones
def test_an_instance_is_launched_in_the_default_zone_or_the_one_asked_within_the_region(world):
    a = launch(world, 'instance "a"')
    b = launch(world, 'instance "b"', **{"availability zone": "us-east-1d"})
    assert (world.observe(a, "availability zone"), world.observe(b, "availability zone")) == ("us-east-1a", "us-east-1d")
    err = refused("InvalidParameterValue", launch, world, 'instance "c"', **{"availability zone": "eu-west-1a"})
    assert err.detail == "Invalid availability zone: [eu-west-1a]"
