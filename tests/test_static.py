"""The static-check baseline (issue 19, item 2): mypy and ruff, configured in pyproject.toml,
may report no more errors than tests/static-baseline.toml allows, and the baseline only shrinks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASELINE_FILE = Path(__file__).with_name("static-baseline.toml")
BASELINE = tomllib.loads(BASELINE_FILE.read_text(encoding="utf-8"))


def _tool(name: str) -> list[str]:
    """The command that runs ``name``: as a module of this interpreter, else from PATH; skip when absent."""
    try:
        __import__(name)
        return [sys.executable, "-m", name]
    except ImportError:
        exe = shutil.which(name)
        if exe is None:
            pytest.skip(f"{name} is not installed (pip install -e '.[test]' brings it)")
        return [exe]


def _count(output: str, tool: str) -> int:
    """The error count a tool's summary line reports (0 when it reports success)."""
    found = re.search(r"Found (\d+) errors?", output)
    if found:
        return int(found.group(1))
    if re.search(r"^Success: no issues found|^All checks passed!", output, re.MULTILINE):
        return 0
    raise AssertionError(f"could not read {tool}'s error count from its output:\n{output[-2000:]}")


def _check(tool: str, count: int, output: str) -> None:
    allowed = BASELINE[tool]
    assert count <= allowed, (
        f"{tool} reports {count} errors, more than the baseline of {allowed} in {BASELINE_FILE.name}; "
        f"fix the new ones (output below)\n{output[-4000:]}"
    )
    assert count == allowed, (
        f"{tool} reports {count} errors, fewer than the baseline of {allowed}: "
        f"lower `{tool} = {count}` in tests/{BASELINE_FILE.name} so the count stays down"
    )


@pytest.mark.slow  # a cold mypy run over the whole code takes ~15 s
def test_mypy_within_baseline(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*_tool("mypy"), "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), f"mypy failed to run (exit {proc.returncode}):\n{output[-4000:]}"
    _check("mypy", _count(output, "mypy"), output)


def test_ruff_within_baseline() -> None:
    proc = subprocess.run(
        [*_tool("ruff"), "check", ".", "--no-cache", "--statistics"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), f"ruff failed to run (exit {proc.returncode}):\n{output[-4000:]}"
    _check("ruff", _count(output, "ruff"), output)
