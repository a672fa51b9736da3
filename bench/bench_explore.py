"""`scn explore`'s speed; prints a table.

    python bench/bench_explore.py [--examples N] [--moto-examples N]

(a) examples per second on reference × reference (nothing to shrink: the cost of
    drawing, compiling and running a program twice with observation after every step);
(b) examples per second on reference × moto (EC2), shrinking and checking every
    divergence found included, and without them (the first pass over the examples);
(c) the time to find and shrink a planted divergence: a backend that is the
    reference model but for one rule (rebooting a stopped instance is accepted),
    from the first example until the two-step scenario is written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _planted():
    from scenario.backend import BackendInfo
    from scn_reference import CAPABILITIES
    from scn_reference.world import ReferenceWorld

    class PlantedWorld(ReferenceWorld):
        def act(self, handle, action, target, params):
            if action == "reboot" and self.observe(handle, "state") == "stopped":
                return ("stopped",)
            return super().act(handle, action, target, params)

    return BackendInfo(name="planted", capabilities=CAPABILITIES, open_world=PlantedWorld)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=300)
    ap.add_argument("--moto-examples", type=int, default=60)
    args = ap.parse_args(argv)
    from scenario.explore import explore

    specs = [str(ROOT / "specs" / "ec2")]
    rows = []
    explore(["reference", "reference"], service="ec2", max_examples=5, db=None, specs=specs)  # warm the caches
    t = time.perf_counter()
    r = explore(["reference", "reference"], service="ec2", seed=1, max_examples=args.examples, db=None, specs=specs)
    took = time.perf_counter() - t
    rows.append(("reference × reference (ec2)", r.examples, f"{r.examples / r.elapsed:.1f}", f"{took:.1f}", len(r.divergences)))
    try:
        import moto  # noqa: F401
    except ImportError:
        rows.append(("reference × moto (ec2)", "-", "moto not installed", "-", "-"))
    else:
        t = time.perf_counter()
        r = explore(["reference", "moto"], service="ec2", seed=1, max_examples=args.moto_examples, db=None, specs=specs)
        took = time.perf_counter() - t
        rows.append(("reference × moto (ec2), shrinking included", r.examples, f"{r.examples / r.elapsed:.2f}", f"{took:.1f}",
                     len(r.divergences)))
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        found = {}

        def progress(line):
            if "rebooted" in line and "stopped instance" in line and "t" not in found:
                found["t"] = time.perf_counter() - t

        r = explore(["reference", _planted()], service="ec2", kinds=["instance", "elastic ip"], seed=1,
                    max_examples=300, db=None, out=out, specs=specs, progress=progress)
        hit = next((d for d in r.divergences if "stopped instance is rebooted" in d.title), None)
        rows.append(("reference × planted: find and shrink", f"{hit.found_in if hit else 'not found'}",
                     "-", f"{found.get('t', float('nan')):.2f}", f"{hit.steps} steps" if hit else "-"))
    print(tabulate(rows, headers=("pair", "examples", "examples/s", "seconds", "divergences"), tablefmt="github"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
