"""The reference model's concurrency count (an index of attempt ends) agrees with counting every attempt."""

import random

import pytest

from scenario.errors import BackendError
from scn_reference.functions import invocations
from scn_reference.world import ReferenceWorld


def _scan(world, function) -> int:
    return sum(1 for i in world.of_kind("lambda invocation") if i.function is function
               for a in i.attempts if a.start <= world.now < a.end)


@pytest.mark.parametrize("seed", range(20))
def test_the_index_counts_what_a_scan_counts(seed):
    rng = random.Random(seed)
    world = ReferenceWorld()
    limit = rng.choice([5, 20, 102, 1000])
    world.set_setting("lambda concurrency limit", limit)
    reserved = {"reserved concurrency": 2} if limit >= 102 else {}
    fns = [world.create("lambda function", f'lambda function "f{k}"',
                        {"timeout": rng.choice([3, 30, 60]), **(reserved if k == 2 else {})}, [])
           for k in range(3)]
    for _ in range(300):
        roll = rng.random()
        f = rng.choice(fns)
        if roll < 0.6:
            kind = rng.choice([invocations.SYNCHRONOUS, invocations.ASYNCHRONOUS])
            try:
                invocations.invoke(world, f, kind, run=rng.choice([0, 0.5, 2, 10, 45, 90]))
            except BackendError:
                pass
        elif roll < 0.7:
            f.broken = not f.broken
        else:
            world.advance(rng.choice([0, 0.5, 1, 5, 30, 61, 200]))
        for g in fns:
            assert invocations.running(world, g) == _scan(world, g)


def test_a_clock_read_earlier_than_the_index_has_seen_is_counted_from_scratch():
    world = ReferenceWorld()
    f = world.create("lambda function", 'lambda function "f"', {"timeout": 60}, [])
    invocations.invoke(world, f, run=10)
    world.advance(20)
    assert invocations.running(world, f) == 0
    world.now = 5  # as a tick's events may read the clock back to an event's time
    assert invocations.running(world, f) == _scan(world, f) == 1


def test_the_kind_index_keeps_creation_order_however_a_resource_joins_the_world():
    """world.create indexes what it makes at once; what a part appends itself (an invocation Lambda makes) is
    indexed on the next look: either way of_kind lists them in the order the world holds them, as a copy."""
    world = ReferenceWorld()
    f = world.create("lambda function", 'lambda function "f"', {"timeout": 60}, [])
    made = [world.create("lambda invocation", "lambda invocation #1", {"run time": 1}, [("of", f)]),
            invocations.invoke(world, f, run=1),  # made by the service: appended, not created
            world.create("lambda invocation", "lambda invocation #2", {"run time": 1}, [("of", f)])]
    assert world.of_kind("lambda invocation") == made == [r for r in world.resources if r.kind == "lambda invocation"]
    copy = world.of_kind("lambda invocation")
    copy.clear()
    assert list(world.of_kind_view("lambda invocation")) == made
    assert world.of_kind("lambda function") == [f]
