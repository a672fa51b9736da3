"""The house: imports run the way docs/architecture.md says, and no two modules import each other.

The layer tables of docs/architecture.md are the rule: each row is a layer, a
module belongs to the row naming it (or the longest name it starts with), and may
import from its own row or the rows above it in the same table. The core imports
no plugin; no plugin imports another; a service package imports no other service
but for the pairs the document declares (`a` → `b`). Every import counts,
function-level ones included.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
#: where each top-level package's source lives
SOURCES = {"scenario": ROOT / "scenario", "scn_reference": ROOT / "plugins" / "scn_reference",
           "scn_boto": ROOT / "plugins" / "scn_boto"}
SERVICE_LAYER = "services"


# ------------------------------------------------------------------ the graph
def modules_of(sources: dict[str, Path]) -> dict[str, Path]:
    """Dotted module name → file, for every .py under each package's folder."""
    out = {}
    for top, folder in sources.items():
        for path in sorted(folder.rglob("*.py")):
            parts = (top,) + path.relative_to(folder).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    parts = package.split(".")
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _known(name: str, modules) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the modules of ``modules`` it imports (anywhere in its body)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = _absolute(module, path, node)
                targets = [_known(f"{base}.{a.name}", modules) if f"{base}.{a.name}" in modules
                           else _known(base, modules) for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [_known(a.name, modules) for a in node.names]
            else:
                continue
            graph[module].update(t for t in targets if t and t != module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


# ------------------------------------------------------------------ the document's rules
def layers(text: str) -> dict[str, tuple[str, int, str]]:
    """Listed module name → (its table's package, the layer's rank in the table, the layer's name)."""
    out = {}
    rank = 0
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        names = re.findall(r"`([\w.]+)`", cells[1]) if len(cells) >= 3 else []
        if not names:
            rank = 0 if not line.startswith("|") else rank
            continue
        for name in names:
            out[name] = (name.split(".")[0], rank, cells[0])
        rank += 1
    return out


def allowed_pairs(text: str) -> set[tuple[str, str]]:
    """The declared imports between two services: `a` → `b`."""
    return set(re.findall(r"`([\w.]+)` → `([\w.]+)`", text))


def layer_of(module: str, listed: dict[str, tuple[str, int, str]]) -> tuple[str, str, int, str] | None:
    """(the listed name, package, rank, layer) of the longest listed name ``module`` is or starts with."""
    name = module
    while name:
        if name in listed:
            return (name, *listed[name])
        name = name.rpartition(".")[0]
    return None


def violations(graph, listed, pairs) -> list[str]:
    out = []
    for module in sorted(graph):
        placed = layer_of(module, listed)
        if placed is None:
            out.append(f"{module} is in no layer of docs/architecture.md")
            continue
        unit, package, rank, layer = placed
        for target in sorted(graph[module]):
            there = layer_of(target, listed)
            if there is None:
                continue  # reported as unplaced on its own
            t_unit, t_package, t_rank, t_layer = there
            if t_package != package:
                if package == "scenario" or t_package != "scenario":
                    out.append(f"{module} imports {target}: {package} may not import {t_package}")
            elif t_rank > rank:
                out.append(f"{module} ({layer}) imports {target} ({t_layer}), a layer below it")
            elif layer == t_layer == SERVICE_LAYER and unit != t_unit and (unit, t_unit) not in pairs:
                out.append(f"{module} imports {target}: one service imports another, undeclared")
    return out


# ------------------------------------------------------------------ the tests
@pytest.fixture(scope="module")
def house():
    modules = modules_of(SOURCES)
    text = DOC.read_text(encoding="utf-8")
    return import_graph(modules), layers(text), allowed_pairs(text)


def test_no_import_cycles(house):
    graph, _, _ = house
    assert cycles(graph) == []


def test_imports_run_the_documented_way(house):
    graph, listed, pairs = house
    assert violations(graph, listed, pairs) == []


def test_the_core_imports_no_plugin(house):
    graph, _, _ = house
    assert [(m, t) for m in graph if m.split(".")[0] == "scenario"
            for t in graph[m] if t.split(".")[0] != "scenario"] == []


def test_every_documented_module_exists(house):
    graph, listed, _ = house
    assert [name for name in listed if not any(m == name or m.startswith(name + ".") for m in graph)] == []


def test_every_reference_service_is_registered_and_documented(house):
    from scn_reference import vocabulary

    _, listed, _ = house
    registered = {s.__name__ for s in vocabulary.SERVICES}
    documented = {name for name, (_, _, layer) in listed.items()
                  if name.startswith("scn_reference.") and layer == SERVICE_LAYER}
    assert registered == documented


# ------------------------------------------------------------------ the checker can fail
def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return modules_of({"scenario": tmp_path / "scenario", "scn_reference": tmp_path / "scn_reference"})


DOC_SAMPLE = """
| layer | modules | what |
|---|---|---|
| base | `scenario.errors` | x |
| language | `scenario.parser` | x |

| layer | modules | what |
|---|---|---|
| core | `scn_reference.model` | x |
| services | `scn_reference.a`, `scn_reference.b`, `scn_reference.c` | x |

`scn_reference.c` → `scn_reference.a`
"""


def test_the_checker_finds_a_cycle_through_a_function_level_import(tmp_path):
    modules = _tree(tmp_path, {
        "scenario/__init__.py": "", "scenario/errors.py": "def f():\n    from . import parser\n",
        "scenario/parser.py": "from .errors import f\n",
    })
    assert cycles(import_graph(modules)) == [["scenario.errors", "scenario.parser"]]


def test_the_checker_finds_an_upward_a_plugin_and_a_cross_service_import(tmp_path):
    modules = _tree(tmp_path, {
        "scenario/__init__.py": "", "scenario/errors.py": "from scenario.parser import x\nimport scn_reference.model\n",
        "scenario/parser.py": "", "scn_reference/__init__.py": "", "scn_reference/model.py": "",
        "scn_reference/a/__init__.py": "from ..b import kinds\n", "scn_reference/b/__init__.py": "",
        "scn_reference/b/kinds.py": "from ..model import R\n", "scn_reference/c.py": "from .a import x\n",
        "scn_reference/stray.py": "",
    })
    found = violations(import_graph(modules), layers(DOC_SAMPLE), allowed_pairs(DOC_SAMPLE))
    assert found == [
        "scenario is in no layer of docs/architecture.md",
        "scenario.errors (base) imports scenario.parser (language), a layer below it",
        "scenario.errors imports scn_reference.model: scenario may not import scn_reference",
        "scn_reference is in no layer of docs/architecture.md",
        "scn_reference.a imports scn_reference.b.kinds: one service imports another, undeclared",
        "scn_reference.stray is in no layer of docs/architecture.md",
    ]
