"""The README's example spec compiles and passes on the reference backend, and its
two commands are the ones CI runs."""

import re
from pathlib import Path

from scenario.compiler import compile_text
from scenario.facts import load_inventory
from scenario.plugins import backend, vocabulary
from scenario.runner import run_scenario

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_example_passes():
    block = next(b for b in re.findall(r"```\n(.*?)```", README, re.S) if "feature:" in b)
    inventory = load_inventory(ROOT / "specs" / "facts")  # its @fact names a real entry
    feature = compile_text(block, vocabulary(), "README.md", inventory.check)
    outcomes = [run_scenario(sc, backend("reference")) for sc in feature.scenarios]
    assert [o.status for o in outcomes] == ["passed"]


def test_the_readme_has_exactly_the_two_commands():
    commands = [line for line in README.splitlines() if "pip install" in line]
    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && scn run specs/",
        "python3 -m venv .venv && . .venv/bin/activate && pip install '.[test]' && pytest -n 2 --all",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet '.[test]'" in ci
    assert [line for line in ci.splitlines() if line.startswith("pytest")] == ["pytest -n 2 --all"]  # the README's own
