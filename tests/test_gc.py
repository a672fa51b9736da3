"""The collector around scn's bulk work: one pause, and a session's freeze that ends at the next pass."""

from __future__ import annotations

import gc

import pytest

from scenario import _gc


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    _gc._stay_frozen()
    gc.unfreeze()


def test_nested_pauses_are_one_pause():
    assert gc.isenabled()
    with _gc.paused_gc():
        with _gc.paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not re-enable it
    assert gc.isenabled()


def test_a_pause_in_a_process_that_disabled_the_collector_leaves_it_disabled():
    gc.disable()
    try:
        with _gc.paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Cycle:
    def __init__(self):
        self.me = self


def test_a_freeze_collects_the_garbage_first(unfrozen):
    _Cycle()
    _gc.freeze()
    assert gc.get_freeze_count() > 0
    assert not any(isinstance(o, _Cycle) for o in gc.get_objects())  # frozen objects are not listed: none was


def test_the_freeze_ends_at_the_collectors_next_pass(unfrozen):
    _gc.freeze()
    _gc.thaw_later()
    assert gc.get_freeze_count() > 0  # nothing has looked yet
    gc.collect(0)
    assert gc.get_freeze_count() == 0


def test_frozen_garbage_is_collected_by_the_pass_that_ends_the_freeze(unfrozen):
    cycle = _Cycle()
    _gc.freeze()
    ref = __import__("weakref").ref(cycle)
    del cycle
    _gc.thaw_later()
    gc.collect()
    assert ref() is None


def test_at_exit_the_freeze_stays(unfrozen):
    _gc.freeze()
    _gc.thaw_later()
    _gc._stay_frozen()  # what the exit hook does
    gc.collect()
    assert gc.get_freeze_count() > 0
