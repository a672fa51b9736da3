"""Shared test configuration: the fast loop (slow tests deselected unless ``--all`` or ``-m``),
the golden-file regeneration flag, golden .scn files kept out of collection, and shared fixtures."""

from __future__ import annotations

import os

import pytest

# tests/golden/**/*.scn are data for tests/test_golden.py (the bad ones do not even
# compile), not specs for the scn pytest plugin to collect; nor is the example backend's
# spec, whose words only that backend brings (tests/test_example_backend.py runs it).
collect_ignore_glob = ["golden/*", "example_backend/*"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite the expected .out/.err files of tests/golden from the current output",
    )
    parser.addoption(
        "--all",
        action="store_true",
        default=False,
        dest="scn_all",
        help="run the whole suite, the tests marked slow too (CI and the README's command do); "
             "plain `pytest` is the fast loop, `pytest -m slow` runs only the slow ones",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Plain `pytest` (the whole suite, from its testpaths) uses every CPU through pytest-xdist: the fast
    loop is meant to take under a minute on two cores. Naming files or folders, `-n`, `--pdb` or
    `--collect-only` says otherwise; `-n 0` runs in one process. (Before xdist's own hook, which
    turns `auto` into a number of workers; never in a worker, whose own workers would each start more.)"""
    if "PYTEST_XDIST_WORKER" in os.environ:
        return
    if (getattr(config.option, "numprocesses", 0) is None and config.args_source == pytest.Config.ArgsSource.TESTPATHS
            and not config.option.usepdb and not config.option.collectonly):
        config.option.numprocesses = "auto"


def _fast_loop(config: pytest.Config) -> bool:
    """Plain `pytest` leaves the slow tests out; `--all` or any `-m` expression says otherwise."""
    return not config.getoption("scn_all") and not config.option.markexpr


def pytest_report_header(config: pytest.Config) -> str | None:
    return "fast loop: tests marked slow are deselected (--all runs everything)" if _fast_loop(config) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _fast_loop(config):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden") or os.environ.get("SCN_REGEN_GOLDEN"))


@pytest.fixture
def compile_steps():
    """``compile_steps(body, vocab=None)``: the IR steps of one scenario whose step lines are ``body``."""
    from helpers.specs import compile_steps

    return compile_steps


@pytest.fixture
def errors_of():
    """``errors_of(body, vocab=None, whole=False)``: every mistake as (line, column, message, hint)."""
    from helpers.specs import errors_of

    return errors_of


@pytest.fixture
def run_text():
    """``run_text(text, backend="reference")``: the outcomes of a feature's scenarios."""
    from helpers.specs import run_text

    return run_text


@pytest.fixture
def world():
    """A fresh world of the reference model (tests of other backends define their own)."""
    from scn_reference.world import ReferenceWorld

    return ReferenceWorld()
