"""Shared test configuration: the golden-file regeneration flag, and golden .scn files kept out of collection."""

from __future__ import annotations

import os

import pytest

# tests/golden/**/*.scn are data for tests/test_golden.py (the bad ones do not even
# compile), not specs for the scn pytest plugin to collect.
collect_ignore_glob = ["golden/*"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite the expected .out/.err files of tests/golden from the current output",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden") or os.environ.get("SCN_REGEN_GOLDEN"))


@pytest.fixture
def world():
    """A fresh world of the reference model (tests of other backends define their own)."""
    from scn_reference.world import ReferenceWorld

    return ReferenceWorld()
