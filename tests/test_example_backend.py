"""docs/backends.md's example: a third-party backend in a package of its own
(tests/example_backend), found through its ``scn`` entry point, using only the public API."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

import pytest

import scenario
from scenario import plugins
from scenario.cli import main

HERE = Path(__file__).resolve().parent / "example_backend"
PYPROJECT = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))
SPEC = HERE / "specs" / "topics.scn"


def _clear() -> None:
    for cached in (plugins.get_plugin_manager, plugins.vocabulary, plugins.backends):
        cached.cache_clear()


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The example as pip would leave it: its package importable and a dist-info with the
    entry points its pyproject declares (built here from the pyproject; no venv, no network)."""
    project = PYPROJECT["project"]
    dist = tmp_path / "site" / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    lines = ["[scn]"] + [f"{k} = {v}" for k, v in project["entry-points"]["scn"].items()]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.syspath_prepend(str(HERE))
    _clear()  # scn's plugin manager loads the `scn` entry points afresh: the example's among them
    try:
        yield
    finally:
        monkeypatch.undo()
        sys.modules.pop("scn_topics", None)
        _clear()


def test_the_entry_point_is_declared_in_its_pyproject():
    eps = PYPROJECT["project"]["entry-points"]["scn"]
    assert eps == {"topics": "scn_topics"}
    assert PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["scn_topics"]


def test_it_uses_only_the_public_api():
    tree = ast.parse((HERE / "scn_topics" / "__init__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "scenario":
            assert node.module == "scenario", f"line {node.lineno}: from {node.module} (not the public API)"
            assert {a.name for a in node.names} <= set(scenario.__all__), f"line {node.lineno}"
        if isinstance(node, ast.Import):
            assert all(a.name.split(".")[0] != "scenario" for a in node.names), f"line {node.lineno}"


def test_it_is_found_through_its_entry_point_and_runs_its_spec(installed, capsys):
    assert any(ep.value == "scn_topics" for ep in importlib.metadata.entry_points(group="scn"))
    info = plugins.backend("topics")
    assert info.description.startswith("an example third-party backend")
    assert "instance" in info.unsupported and "sns topic" not in info.unsupported  # from its supports(item)
    assert main(["run", str(SPEC), "--backend", "topics", "--backend", "reference", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "6 scenario runs" in out and "all good" in out
    assert [line.split()[:5] for line in out.splitlines() if line.startswith(("topics ", "reference "))] == [
        ["topics", "3", "0", "0", "0"],  # passed, failed, error, skipped
        ["reference", "0", "0", "0", "3"],  # the reference model has no `sns` capability: skipped, needs sns
    ]


def test_without_it_its_words_are_unknown(capsys):
    assert "sns topic" not in plugins.vocabulary().kinds
    assert main(["check", str(SPEC), "--no-cache"]) == 1
    assert "sns topic" in capsys.readouterr().out
