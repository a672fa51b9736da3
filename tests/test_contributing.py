"""docs/contributing.md's worked example works: a service added as one package and one line.

The test copies the reference model to a scratch folder, writes every file the
page shows (each fenced block whose first line is ``# <path>``), adds the page's
registration line to ``NAMES``, and then, with the copy first on the path, runs
the example's spec, its facts report and its unit tests in subprocesses.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "contributing.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)

pytestmark = pytest.mark.slow


def blocks() -> list[tuple[str, str]]:
    """(language, text) of every fenced block of the page."""
    return BLOCK.findall(PAGE.read_text(encoding="utf-8"))


def files() -> dict[str, str]:
    """Path → text of every block that names its file on its first line."""
    out = {}
    for _, text in blocks():
        first, _, rest = text.partition("\n")
        if first.startswith("# ") and "/" in first:
            out[first[2:].strip()] = text if first.endswith(".scn") else rest
    return out


def registration() -> str:
    """The one line the page adds to NAMES."""
    (line,) = [text.strip() for lang, text in blocks() if lang == "python" and text.strip().startswith('"')]
    return line


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("contributing")
    shutil.copytree(ROOT / "plugins" / "scn_reference", top / "plugins" / "scn_reference",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for rel, text in files().items():
        target = top / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "tests" / "conftest.py", top / "tests" / "conftest.py")
    registry = top / "plugins" / "scn_reference" / "vocabulary.py"
    text = registry.read_text(encoding="utf-8")
    assert "NAMES = (\n" in text, "the registry is no longer a NAMES tuple: update docs/contributing.md"
    registry.write_text(text.replace("NAMES = (\n", f"NAMES = (\n    {registration()}\n", 1), encoding="utf-8")
    return top


def run(scratch: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(scratch / "plugins"), "SCN_CACHE_DIR": str(scratch / ".cache")}
    return subprocess.run([sys.executable, *args], cwd=scratch, env=env, capture_output=True, text=True, timeout=300)


def test_the_page_shows_a_whole_service():
    assert set(files()) == {
        "plugins/scn_reference/logs/kinds.py", "plugins/scn_reference/logs/log_groups.py",
        "plugins/scn_reference/logs/__init__.py", "specs/facts/logs.toml", "specs/logs/log-groups.scn",
        "tests/test_reference_logs.py",
    }
    assert registration() == '"logs",'


def test_the_example_spec_runs_green_on_the_reference_model(scratch):
    done = run(scratch, "-m", "scenario", "run", "specs/logs")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 scenario runs" in done.stdout and "all good" in done.stdout


def test_the_example_facts_are_all_verified(scratch):
    done = run(scratch, "-m", "scenario", "facts", "specs", "--fail-under", "100")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"total\s+2\s+2\s", done.stdout), done.stdout


def test_the_example_unit_tests_pass(scratch):
    done = run(scratch, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_reference_logs.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_without_the_registration_line_the_words_are_unknown(scratch, tmp_path):
    """The one line is what makes the service: without it the spec does not compile."""
    bare = tmp_path / "bare"
    shutil.copytree(scratch, bare, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
    registry = bare / "plugins" / "scn_reference" / "vocabulary.py"
    registry.write_text(registry.read_text().replace(f"    {registration()}\n", "", 1))
    done = run(bare, "-m", "scenario", "check", "specs/logs")
    assert done.returncode == 1 and "log group" in done.stdout + done.stderr
