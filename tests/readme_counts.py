"""The README's counts, computed from the library: ``python tests/readme_counts.py`` writes them.

Each count sits in README.md between markers, ``<!--name-->449<!--/name-->`` (invisible
once rendered). This script computes every one the way ``scn facts specs/`` and
``scn matrix specs/ --backend moto`` do (the same functions, in process) and rewrites what
is between the markers; ``--check`` only says which are stale (exit 1).
tests/test_readme_counts.py fails while any is stale.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMAND = "python tests/readme_counts.py"
MARKER = re.compile(r"<!--([a-z][a-z-]*)-->(.*?)<!--/\1-->", re.S)


def _n(value: int) -> str:
    return f"{value:,}"


def compute(specs: str | os.PathLike = ROOT / "specs") -> dict[str, str]:
    """Every count the README shows, by marker name (the moto ones only when moto is installed)."""
    from scenario.fact_coverage import cover
    from scenario.facts import load_inventory
    from scenario.loader import find_specs, load_file
    from scenario.matrix import build
    from scenario.plugins import backend, vocabulary
    from scenario.runner import run_scenario

    specs = Path(specs)
    inventory = load_inventory(specs / "facts")
    vocab = vocabulary()
    scenarios = [sc for f in find_specs([specs]) for sc in load_file(f, vocab).scenarios]
    reference = backend("reference")
    runs = [(sc, run_scenario(sc, reference)) for sc in scenarios]
    totals = cover(inventory, runs, reference.name).totals()
    out = {
        "facts": _n(len(inventory)),
        "testable": _n(totals["testable"]),
        "verified": _n(totals["verified"]),
        "runs": _n(len(runs)),
    }
    try:
        moto = backend("moto")
        if moto.check is not None:
            moto.check()
    except Exception:  # moto is an extra: without it, its counts stay as they are
        return out
    on_moto = build(scenarios, [moto]).totals()["moto"]
    out |= {
        "moto-pass": _n(on_moto["pass"]),
        "moto-diverges": _n(on_moto["diverges"]),
        "moto-na": _n(on_moto["n/a"]),
        "moto-not-implemented": _n(on_moto["not implemented"]),
    }
    return out


def rewrite(text: str, counts: dict[str, str]) -> str:
    return MARKER.sub(lambda m: m.group(0) if m.group(1) not in counts
                      else f"<!--{m.group(1)}-->{counts[m.group(1)]}<!--/{m.group(1)}-->", text)


def stale(text: str, counts: dict[str, str]) -> list[str]:
    """``name: README says X, the library Y`` for each count that differs; a count without a marker too."""
    found = {m.group(1): m.group(2) for m in MARKER.finditer(text)}
    out = [f"{k}: README says {found[k]!r}, the library {v!r}" for k, v in counts.items() if k in found and found[k] != v]
    out += [f"{k}: no <!--{k}--> marker in the README" for k in counts if k not in found]
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.chdir(ROOT)  # the library's paths as scn shows them
    text = README.read_text(encoding="utf-8")
    counts = compute("specs")
    if "--check" in argv:
        bad = stale(text, counts)
        print("\n".join(bad) or "the README's counts are up to date")
        return 1 if bad else 0
    new = rewrite(text, counts)
    if new != text:
        README.write_text(new, encoding="utf-8")
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
