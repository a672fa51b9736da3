"""The collector around scn's bulk work: one pause, and a session's freeze that ends at the next pass."""

from __future__ import annotations

import gc
import weakref

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


class _Finalized(_Cycle):
    finalized: list = []

    def __del__(self):
        self.finalized.append(self)


def test_a_freeze_collects_the_young_garbage_first(unfrozen):
    gc.collect()
    _Finalized.finalized.clear()
    _Finalized()
    _gc.freeze()
    assert gc.get_freeze_count() > 0
    assert len(_Finalized.finalized) == 1  # its finalizer ran before the freeze, while the caller watched
    _Finalized.finalized.clear()


def test_garbage_in_the_oldest_generation_is_frozen_and_collected_when_the_freeze_ends(unfrozen):
    cycle = _Cycle()
    gc.collect()  # it survives a full pass: in the oldest generation now
    ref = weakref.ref(cycle)
    del cycle
    _gc.freeze()
    assert ref() is not None  # only the young generations were collected
    _gc.thaw_later()
    gc.collect()
    assert ref() is None


def test_a_freeze_after_one_still_in_place_collects_its_garbage(unfrozen):
    cycle = _Cycle()
    _gc.freeze()
    ref = weakref.ref(cycle)
    del cycle
    _gc.thaw_later()
    _gc.freeze()  # the next session of the process, before any pass ended the first freeze
    assert ref() is None


def test_the_freeze_ends_at_the_collectors_next_pass(unfrozen):
    _gc.freeze()
    _gc.thaw_later()
    assert gc.get_freeze_count() > 0  # nothing has looked yet
    gc.collect(0)
    assert gc.get_freeze_count() == 0


def test_at_exit_the_freeze_stays(unfrozen):
    _gc.freeze()
    _gc.thaw_later()
    _gc._stay_frozen()  # what the exit hook does
    gc.collect()
    assert gc.get_freeze_count() > 0
