"""How fast `scn lsp` answers with diagnostics after a change; prints a table.

    python bench/bench_lsp.py [--lines 1000] [--runs 15]

A spec of about 1,000 lines (scenarios of specs/ec2/placement-groups.scn repeated under
fresh titles) is edited one line at a time — a step's word changes, as when typing:

(a) the fast pass in process: each scenario compiled with its feature header and
    backgrounds, cached by text, so one edit recompiles one scenario;
(b) the exact pass in process: the whole file, as `scn check` compiles it (the server
    runs it once typing has paused for 0.3 s);
(c) over stdio, as an editor sees it: didChange sent → the first publishDiagnostics
    for that version received, the JSON-RPC round trip included.

The goal is (c) under 50 ms. Each figure is a median over the runs; the machine is noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def big_spec(lines: int) -> str:
    source = (ROOT / "specs" / "ec2" / "placement-groups.scn").read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(source) if l.strip().startswith("@fact"))
    body = [l for l in source[start:]]
    head = ["@ec2", "feature: a long spec for the language server", "", "  background:", "    given a default vpc", ""]
    out, n = list(head), 0
    while len(out) < lines:  # whole copies: at least ``lines`` lines
        n += 1
        for l in body:
            if l.lstrip().startswith(("scenario:", "scenario outline:")):
                l = l.replace(": ", f": copy {n}: ", 1)
            if l.lstrip().startswith("rule:"):
                l = l.replace(": ", f": copy {n}: ", 1)
            out.append(l)
    return "\n".join(out) + "\n"


def edits(text: str, runs: int):
    """``runs`` versions of ``text``, each with one step's word changed at another place."""
    lines = text.split("\n")
    steps = [i for i, l in enumerate(lines) if "the number of instances in" in l]
    for k in range(runs):
        i = steps[(k * 7) % len(steps)]
        changed = list(lines)
        changed[i] = changed[i].replace("instances", "instanses" if k % 2 else "instances ", 1)
        yield "\n".join(changed)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    from scenario.lsp.analysis import Analyzer
    from scenario.plugins import vocabulary

    text = big_spec(args.lines)
    n_lines = text.count("\n")
    path = str(ROOT / "specs" / "ec2" / "bench-lsp.scn")  # never written: the facts check applies as in the library
    analyzer = Analyzer(vocabulary())
    analyzer.diagnostics(text, path)  # warm: the editor has the file open

    fast, exact = [], []
    for version in edits(text, args.runs):
        t0 = time.perf_counter()
        analyzer.diagnostics(version, path)
        fast.append(time.perf_counter() - t0)
    for version in list(edits(text, args.runs))[:5]:
        t0 = time.perf_counter()
        analyzer.diagnostics(version, path, exact=True)
        exact.append(time.perf_counter() - t0)

    from lsp_client import LspClient

    client = LspClient(cwd=ROOT)
    client.initialize(ROOT)
    uri = Path(path).as_uri()
    client.open(uri, text)
    client.diagnostics(uri, 1)
    time.sleep(1.0)  # the server compiles the fast pass's pieces after opening, in a thread
    wire = []
    for v, version in enumerate(edits(text, args.runs), start=2):
        time.sleep(0.05)  # typing; the exact passes run in the server's thread meanwhile
        while not client.notifications.empty():
            client.notifications.get()
        t0 = time.perf_counter()
        client.change(uri, version, v)
        client.diagnostics(uri, v)
        wire.append(time.perf_counter() - t0)
    client.shutdown()

    ms = lambda xs: f"{statistics.median(xs) * 1000:.1f}"  # noqa: E731
    worst = lambda xs: f"{max(xs) * 1000:.1f}"  # noqa: E731
    rows = [
        ["(a) fast pass, in process", ms(fast), worst(fast), len(fast)],
        ["(b) exact pass (scn check), in process", ms(exact), worst(exact), len(exact)],
        ["(c) didChange → publishDiagnostics, over stdio", ms(wire), worst(wire), len(wire)],
    ]
    print(f"diagnostics after a one-line change of a {n_lines}-line spec ({text.count('scenario:')} scenarios)")
    print(tabulate(rows, headers=["", "median ms", "max ms", "runs"], tablefmt="github"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
