"""The spec library per service on the reference backend: compile and run, side by side.

    python bench/bench_library.py [--rounds N]

For each folder of ``specs/``: its scenario runs; the median time to compile it
afresh (parse + compile, no cache), to load it from the compiled-spec cache, and
to run every scenario on the reference backend through the runner API; and the
median run time per scenario. Machines here are noisy: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

from scenario import loader
from scenario.plugins import backend, vocabulary
from scenario.runner import run_scenario

SPECS = Path(__file__).resolve().parents[1] / "specs"


def _median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args(argv)
    vocab, reference = vocabulary(), backend("reference")
    rows, totals = [], [0, 0.0, 0.0, 0.0]
    per_scenario: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SCN_CACHE_DIR"] = cache  # a cache of its own, filled by the first load
        for folder in sorted(d for d in SPECS.iterdir() if d.is_dir() and any(d.glob("*.scn"))):
            files = sorted(folder.glob("*.scn"))

            def compile_all(use_cache: bool):
                return [loader.load_file(f, vocab, use_cache=use_cache) for f in files]

            features = compile_all(True)  # fills the cache
            scenarios = [sc for feat in features for sc in feat.scenarios]

            def run_all():
                for sc in scenarios:
                    run_scenario(sc, reference)

            cold = _median_ms(lambda: compile_all(False), args.rounds)
            warm = _median_ms(lambda: compile_all(True), args.rounds)
            run = _median_ms(run_all, args.rounds)
            rows.append([folder.name, len(scenarios), f"{cold:.1f}", f"{warm:.1f}", f"{run:.1f}",
                         f"{run / max(1, len(scenarios)) * 1000:.0f}"])
            per_scenario[folder.name] = run / max(1, len(scenarios))
            totals[0] += len(scenarios)
            totals[1] += cold
            totals[2] += warm
            totals[3] += run
    ec2 = per_scenario.get("ec2")
    for row in rows:  # the run time per scenario as a multiple of EC2's (the issue 17 bound: at most 5×)
        row.append(f"{per_scenario[row[0]] / ec2:.1f}×" if ec2 else "")
    rows.append(["total", totals[0], f"{totals[1]:.1f}", f"{totals[2]:.1f}", f"{totals[3]:.1f}",
                 f"{totals[3] / max(1, totals[0]) * 1000:.0f}"])
    print(tabulate(rows, headers=["specs", "scenario runs", "compile ms (no cache)", "load ms (cached)",
                                  "run ms (reference)", "µs per scenario", "× EC2 per scenario"], tablefmt="github"))


if __name__ == "__main__":
    main()
