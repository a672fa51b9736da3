"""Fixtures for the tests of the boto3 mappings on moto: a world of the in-process moto backend.

A test module imports both (``from helpers.moto_world import moto_stopped_after, world  # noqa: F401``):
``world`` is a fresh moto world per test, closed (torn down) after it; ``moto_stopped_after`` stops the
process's long-lived mock when the module is done, so no later test finds a mock it did not start.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="module")
def moto_stopped_after():
    from scn_boto.moto_backend import BACKEND

    yield
    BACKEND.stop()


@pytest.fixture
def world():
    from scn_boto.moto_backend import BACKEND

    w = BACKEND()
    yield w
    w.close()
