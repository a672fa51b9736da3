"""The reference model of EC2 (plugins/scn_reference/world.py), through its World methods only.

Every assertion names an exact value: ids, addresses from the documentation ranges
(198.51.100.0/24 auto-assigned public, 203.0.113.0/24 Elastic IPs, 172.31.16.0/20
private), states, the states passed through, error codes and explanations.
"""

from __future__ import annotations

import pytest
from helpers.reference import refused

from scenario.backend import NotImplementedByBackend, World
from scenario.errors import BackendError
from scn_reference import CAPABILITIES, scn_backends
from scn_reference.world import ReferenceWorld


def launch(world: ReferenceWorld, label: str = 'instance "web"', **params):
    return world.create("instance", label, params, ())


def allocate(world: ReferenceWorld, label: str = 'elastic ip "eip"'):
    return world.create("elastic ip", label, {}, ())


def state(world, inst) -> tuple[str, int]:
    return world.observe(inst, "state"), world.observe(inst, "state code")


# ------------------------------------------------------------------ the backend as a plugin
def test_the_backend_is_registered_with_its_capabilities():
    (info,) = scn_backends()
    assert info.name == "reference"
    assert info.capabilities == frozenset({
        "ec2", "limits", "billing", "clock", "faults", "metadata",
        "lambda", "lambda-invoke", "apigateway", "kinesis", "athena", "glue", "emr",
        "rds", "aurora", "dynamodb", "elasticache", "redshift",
    }) == CAPABILITIES
    w = info.open_world()
    assert isinstance(w, ReferenceWorld) and isinstance(w, World)


# ------------------------------------------------------------------ ids and addresses
def test_ids_and_addresses_are_deterministic(world):
    web = launch(world)
    api = launch(world, 'instance "api"')
    eip = allocate(world)
    assert world.observe(web, "instance id") == "i-00000000000000001"
    assert world.observe(api, "instance id") == "i-00000000000000002"
    assert world.observe(eip, "allocation id") == "eipalloc-00000000000000003"
    assert world.observe(web, "public ipv4") == "198.51.100.1"
    assert world.observe(api, "public ipv4") == "198.51.100.2"
    assert world.observe(web, "private ipv4") == "172.31.16.10"
    assert world.observe(api, "private ipv4") == "172.31.16.11"
    assert world.observe(eip, "address") == "203.0.113.1"
    assert world.observe(allocate(world, 'elastic ip "eip2"'), "address") == "203.0.113.2"
    assert world.observe(web, "host") == "h-00000000000000001"
    assert world.observe(api, "host") == "h-00000000000000002"


def test_two_worlds_give_the_same_ids(world):
    other = ReferenceWorld()
    a, b = launch(world), launch(other)
    for attribute in ("instance id", "public ipv4", "private ipv4", "host"):
        assert world.observe(a, attribute) == other.observe(b, attribute)


def test_launch_defaults(world):
    web = launch(world)
    assert state(world, web) == ("running", 16)
    assert world.observe(web, "availability zone") == "us-east-1a"
    assert world.observe(web, "instance type") == "t3.micro"
    assert world.observe(web, "hibernation") is False
    assert world.observe(web, "billed") is True
    assert world.exists(web) is True
    assert world.relations(web) == frozenset()


def test_launch_parameters(world):
    web = launch(world, **{"instance type": "m5.large", "hibernation": True, "public ipv4": False})
    assert world.observe(web, "instance type") == "m5.large"
    assert world.observe(web, "hibernation") is True
    assert world.observe(web, "public ipv4") is None
    assert world.observe(web, "private ipv4") == "172.31.16.10"


def test_a_launch_passes_through_pending(world):
    web = launch(world)
    assert tuple(world.creation_states(web)) == ("pending", "running")
    assert tuple(world.creation_states(allocate(world))) == ()


# ------------------------------------------------------------------ lifecycle
def test_stop_releases_the_public_ipv4_and_keeps_the_private(world):
    web = launch(world)
    assert tuple(world.act(web, "stop", None, {})) == ("stopping", "stopped")
    assert state(world, web) == ("stopped", 80)
    assert world.observe(web, "public ipv4") is None
    assert world.observe(web, "private ipv4") == "172.31.16.10"
    assert world.observe(web, "billed") is False
    assert world.observe(web, "host") == "h-00000000000000001"


def test_start_gives_a_new_public_ipv4_and_other_hardware(world):
    web = launch(world)
    world.act(web, "stop", None, {})
    assert tuple(world.act(web, "start", None, {})) == ("pending", "running")
    assert state(world, web) == ("running", 16)
    assert world.observe(web, "public ipv4") == "198.51.100.2"
    assert world.observe(web, "private ipv4") == "172.31.16.10"
    assert world.observe(web, "host") == "h-00000000000000002"
    assert world.observe(web, "billed") is True


def test_reboot_keeps_addresses_and_host(world):
    web = launch(world)
    assert tuple(world.act(web, "reboot", None, {})) == ("running",)
    assert state(world, web) == ("running", 16)
    assert world.observe(web, "public ipv4") == "198.51.100.1"
    assert world.observe(web, "host") == "h-00000000000000001"


@pytest.mark.parametrize("given", [(), ("stop",)], ids=["running", "stopped"])
def test_terminate_passes_through_shutting_down(world, given):
    web = launch(world)
    for action in given:
        world.act(web, action, None, {})
    assert tuple(world.act(web, "terminate", None, {})) == ("shutting-down", "terminated")
    assert state(world, web) == ("terminated", 48)
    assert world.observe(web, "public ipv4") is None
    assert world.observe(web, "host") is None
    assert world.observe(web, "private ipv4") == "172.31.16.10"
    assert world.observe(web, "billed") is False
    assert world.exists(web) is True


@pytest.mark.parametrize(
    "given, action, final",
    [
        ((), "start", "running"),
        (("stop",), "stop", "stopped"),
        (("terminate",), "terminate", "terminated"),
    ],
    ids=["start-running", "stop-stopped", "terminate-terminated"],
)
def test_an_action_towards_the_current_state_changes_nothing(world, given, action, final):
    web = launch(world)
    for a in given:
        world.act(web, a, None, {})
    before = {a: world.observe(web, a) for a in ("public ipv4", "private ipv4", "host")}
    assert tuple(world.act(web, action, None, {})) == (final,)
    assert world.observe(web, "state") == final
    assert {a: world.observe(web, a) for a in before} == before


@pytest.mark.parametrize(
    "given, action",
    [
        (("stop",), "reboot"),
        (("terminate",), "start"),
        (("terminate",), "stop"),
        (("terminate",), "reboot"),
        (("terminate",), "hibernate"),
    ],
    ids=["reboot-stopped", "start-terminated", "stop-terminated", "reboot-terminated", "hibernate-terminated"],
)
def test_refused_transitions(world, given, action):
    web = launch(world, hibernation=True)
    for a in given:
        world.act(web, a, None, {})
    before = world.observe(web, "state")
    err = refused("IncorrectInstanceState", world.act, web, action, None, {})
    participle = {"start": "started", "stop": "stopped", "reboot": "rebooted", "hibernate": "hibernated"}[action]
    assert err.detail == f"The instance 'i-00000000000000001' is not in a state from which it can be {participle}."
    assert world.observe(web, "state") == before


def test_hibernate_with_hibernation(world):
    web = launch(world, hibernation=True)
    assert tuple(world.act(web, "hibernate", None, {})) == ("stopping", "stopped")
    assert state(world, web) == ("stopped", 80)
    assert world.observe(web, "public ipv4") is None
    assert world.observe(web, "billed") is False
    assert tuple(world.act(web, "start", None, {})) == ("pending", "running")
    assert world.observe(web, "public ipv4") == "198.51.100.2"


def test_hibernate_without_hibernation_is_refused(world):
    web = launch(world)
    err = refused("UnsupportedHibernationConfiguration", world.act, web, "hibernate", None, {})
    # AWS's own wording for StopInstances(Hibernate=True) on such an instance
    assert err.detail == "The instance can't be hibernated because it was not configured at launch for hibernation: i-00000000000000001"
    assert state(world, web) == ("running", 16)
    assert world.observe(web, "public ipv4") == "198.51.100.1"


# ------------------------------------------------------------------ Elastic IPs
def test_associate_makes_the_eip_the_public_ipv4(world):
    web = launch(world)
    eip = allocate(world)
    assert tuple(world.act(eip, "associate", web, {})) == ()
    assert world.observe(web, "public ipv4") == "203.0.113.1"
    assert world.relations(eip) == frozenset({("associated with", web)})
    assert world.related(eip, "associated with", web) is True


def test_the_eip_is_kept_across_stop_and_start(world):
    web = launch(world)
    eip = allocate(world)
    world.act(eip, "associate", web, {})
    world.act(web, "stop", None, {})
    assert world.observe(web, "public ipv4") == "203.0.113.1"
    world.act(web, "start", None, {})
    assert world.observe(web, "public ipv4") == "203.0.113.1"
    assert world.observe(web, "host") == "h-00000000000000002"
    assert world.relations(eip) == frozenset({("associated with", web)})


def test_disassociating_gives_a_running_instance_a_new_public_ipv4(world):
    web = launch(world)
    eip = allocate(world)
    world.act(eip, "associate", web, {})
    world.act(eip, "disassociate", None, {})
    assert world.observe(web, "public ipv4") == "198.51.100.2"
    assert world.relations(eip) == frozenset()
    assert world.exists(eip) is True


def test_disassociating_from_a_stopped_instance_leaves_no_public_ipv4(world):
    web = launch(world)
    eip = allocate(world)
    world.act(eip, "associate", web, {})
    world.act(web, "stop", None, {})
    world.act(eip, "disassociate", None, {})
    assert world.observe(web, "public ipv4") is None


def test_remapping_moves_the_eip(world):
    web = launch(world)
    api = launch(world, 'instance "api"')
    eip = allocate(world)
    world.act(eip, "associate", web, {})
    world.act(eip, "associate", api, {})
    assert world.relations(eip) == frozenset({("associated with", api)})
    assert world.observe(api, "public ipv4") == "203.0.113.1"
    assert world.observe(web, "public ipv4") == "198.51.100.3"


def test_a_second_eip_replaces_the_first_on_the_instance(world):
    web = launch(world)
    first = allocate(world)
    second = allocate(world, 'elastic ip "eip2"')
    world.act(first, "associate", web, {})
    world.act(second, "associate", web, {})
    assert world.relations(first) == frozenset()
    assert world.relations(second) == frozenset({("associated with", web)})
    assert world.observe(web, "public ipv4") == "203.0.113.2"
    assert world.explain(web, "public ipv4") == 'elastic ip "eip2" is associated'
    world.act(second, "disassociate", None, {})
    assert world.observe(web, "public ipv4") == "198.51.100.2"  # no address was spent in between


def test_releasing_an_associated_eip_disassociates_it_in_the_default_vpc(world):
    web = launch(world)
    eip = allocate(world)
    world.act(eip, "associate", web, {})
    assert world.observe(web, "public ipv4") == "203.0.113.1"
    assert tuple(world.act(eip, "release", None, {})) == ()
    assert world.exists(eip) is False
    assert world.relations(eip) == frozenset()
    assert world.observe(web, "public ipv4") == "198.51.100.2"  # a running instance gets a new one
    assert world.explain(web, "public ipv4") is None
    refused("InvalidAllocationID.NotFound", world.act, eip, "associate", web, {})


def test_terminating_disassociates_the_eip_and_keeps_it_allocated(world):
    web = launch(world)
    eip = allocate(world)
    world.act(eip, "associate", web, {})
    world.act(web, "terminate", None, {})
    assert world.relations(eip) == frozenset()
    assert world.exists(eip) is True
    assert world.observe(web, "public ipv4") is None
    err = refused("InvalidInstanceID", world.act, eip, "associate", web, {})
    assert err.detail == "The terminated instance 'i-00000000000000001' is not in a valid state for this operation."


def test_the_eip_limit_is_5_by_default(world):
    for _ in range(5):
        allocate(world)
    err = refused("AddressLimitExceeded", allocate, world)
    assert err.detail == "The maximum number of addresses has been reached."


def test_a_released_eip_frees_room_under_the_limit(world):
    eips = [allocate(world) for _ in range(5)]
    world.act(eips[0], "release", None, {})
    sixth = allocate(world)
    assert world.observe(sixth, "address") == "203.0.113.6"
    refused("AddressLimitExceeded", allocate, world)


def test_the_eip_limit_is_a_setting(world):
    world.set_setting("elastic ip limit", 10)
    eips = [allocate(world) for _ in range(10)]
    assert world.observe(eips[-1], "address") == "203.0.113.10"
    refused("AddressLimitExceeded", allocate, world)


def test_an_unknown_setting_is_not_implemented(world):
    with pytest.raises(NotImplementedByBackend) as info:
        world.set_setting("quantum tunnel limit", 15)
    assert info.value.what == "the setting 'quantum tunnel limit'"


def test_an_unknown_kind_is_not_implemented(world):
    with pytest.raises(NotImplementedByBackend) as info:
        world.create("quantum computer", 'quantum computer "q"', {}, ())
    assert info.value.what == "creating a quantum computer"


def test_a_refused_creation_leaves_nothing_that_exists(world):
    assert world.exists(None) is False


# ------------------------------------------------------------------ explain
def test_explain_names_the_associated_eip(world):
    web = launch(world)
    eip = allocate(world)
    assert world.explain(web, "public ipv4") is None
    world.act(eip, "associate", web, {})
    assert world.explain(web, "public ipv4") == 'elastic ip "eip" is associated'
    assert world.explain(web, "private ipv4") is None
    assert world.explain(eip, "address") is None
    world.act(eip, "disassociate", None, {})
    assert world.explain(web, "public ipv4") is None


# ------------------------------------------------------------------ the vocabulary and the model agree
def _bare_kinds():
    from scenario.plugins import vocabulary

    return [k for k in vocabulary().kinds.values() if not k.implicit and k.creator is not None]


@pytest.mark.parametrize("kind", _bare_kinds(), ids=lambda k: k.name)
def test_every_word_of_a_kind_is_implemented_by_the_model(kind):
    """Each attribute (and the state, for a kind with states) of a resource the model can make
    with nothing but its kind is observable: the vocabulary promises nothing the model lacks."""

    world = ReferenceWorld()
    handle = _make(world, kind, depth=3)
    if handle is None:
        pytest.skip(f"{_article(kind.name)} {kind.name} needs parameters to exist")
    names = [a.name for a in kind.attributes] + (["state"] if kind.states else [])
    missing = []
    for name in names:
        try:
            world.observe(handle, name)
        except NotImplementedByBackend as exc:
            missing.append(exc.what)
    assert missing == []


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _make(world, kind, depth):
    """A resource of ``kind``: bare if the model allows, else related to one of each kind it relates to."""
    from scenario.plugins import vocabulary

    kinds = vocabulary().kinds
    try:
        return world.create(kind.name, f'{kind.name} "x"', {}, ())
    except BackendError:
        if depth == 0:
            return None
    relations = []
    for rel in kind.relations:
        if rel.make is None and all(r[1] is not None for r in relations):
            target = _make(world, kinds[rel.target], depth - 1) if not kinds[rel.target].implicit else None
            if target is not None:
                relations.append((rel.name, target))
    for n in range(len(relations), 0, -1):  # all the relations it may have, then fewer
        try:
            return world.create(kind.name, f'{kind.name} "x"', {}, tuple(relations[:n]))
        except BackendError:
            continue
    return None
