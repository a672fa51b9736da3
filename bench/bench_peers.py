"""scn against its peers on the same work, whole processes, side by side; prints one table.

    python bench/bench_peers.py [--sizes 1000 10000] [--rounds 5] [--only NAME ...]

One generator writes the same N scenarios — three steps each: create an instance,
act on it (stop it), claim its state — as

- a ``.scn`` file, run by ``scn run`` and by ``pytest`` (the scn plugin): cold (no
  compiled-spec cache for it) and warm, and with ``pytest -n 2`` (pytest-xdist);
- a Gherkin feature with pytest-bdd step definitions (dict work in the steps);
- the same feature with behave step definitions, run by behave's own runner;
- N plain pytest functions: trivial ones (``pass``) and ones doing the equivalent
  dict work (create, act, assert), each cold (no bytecode of the test module, so
  pytest rewrites its asserts) and warm.

Every command is timed as a whole process (interpreter start to exit), over
``--rounds`` interleaved rounds in a shuffled order, so that all of them see the
same machine; the table gives median, min and max, and ratios to plain pytest
(trivial functions, same temperature: cold rows to the cold run, others to the
warm run) and to the best peer (the faster of pytest-bdd and behave). Each is
also timed collecting only (``pytest --collect-only``, ``behave --dry-run``,
``scn check``).

Fairness: each pytest run loads only the plugins its tool needs — the scn plugin
only on .scn files, pytest-bdd only on the feature (``-p no:…``), and neither
hypothesis's nor pytest-benchmark's plugin anywhere (they are installed by the
test extra, not part of what is measured); pytest-xdist stays loaded everywhere.
Bytecode is written and used as in an ordinary installation (this machine sets
PYTHONDONTWRITEBYTECODE; the benchmark unsets it and keeps bytecode in a
PYTHONPYCACHEPREFIX of its own, filled by a first warm-up round). "Cold" means the
generated files' own caches only: the compiled .scn (scn's cache) and the test
module's rewritten bytecode (pytest's), as after an edit of the names in the file:
what scn learned of its grammar (the parser tables, and the shapes of the file's
lines, which spare it Lark's import) and the installed packages' bytecode stay warm,
as after any first run. An edit that brings a line of a new shape pays for Lark too:
"first run" drops scn's whole cache folder, scn's first run on a machine, for
comparison (no target).

pytest-bdd and behave come with the ``bench`` extra: ``pip install -e '.[bench]'``.
Machines here are noisy: compare the ratios of one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_scale import SCENARIO  # (bench/ is on the path: this script's folder)
from tabulate import tabulate

# ---------------------------------------------------------------- the generator

SCN_HEAD = "@bench\nfeature: generated\n  N scenarios for the peer benchmark\n"
SCN_SCENARIO = SCENARIO  # the scale benchmark's scenario: the same work in both

GHERKIN_HEAD = "Feature: generated\n  N scenarios for the peer benchmark\n"
GHERKIN_SCENARIO = '''
  Scenario: stop number {i}
    Given a running instance "web{i}"
    When "web{i}" is stopped
    Then "web{i}" is stopped
'''

BDD_STEPS = '''import pytest
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("many.feature")


@pytest.fixture
def world():
    return {}


@given(parsers.parse('a running instance "{name}"'))
def running_instance(world, name):
    world[name] = {"kind": "instance", "state": "running"}


@when(parsers.parse('"{name}" is stopped'))
def stop(world, name):
    world[name]["state"] = "stopped"


@then(parsers.parse('"{name}" is stopped'))
def is_stopped(world, name):
    assert world[name]["state"] == "stopped"
'''

BEHAVE_STEPS = '''from behave import given, then, when


@given('a running instance "{name}"')
def running_instance(context, name):
    context.world[name] = {"kind": "instance", "state": "running"}


@when('"{name}" is stopped')
def stop(context, name):
    context.world[name]["state"] = "stopped"


@then('"{name}" is stopped')
def is_stopped(context, name):
    assert context.world[name]["state"] == "stopped"
'''

BEHAVE_ENVIRONMENT = '''def before_scenario(context, scenario):
    context.world = {}
'''

PLAIN_TRIVIAL = '''
def test_{i}():
    pass
'''

PLAIN_DICT = '''
def test_{i}():
    world = {{}}
    world["web{i}"] = {{"kind": "instance", "state": "running"}}
    world["web{i}"]["state"] = "stopped"
    assert world["web{i}"]["state"] == "stopped"
'''


def generate(root: Path, n: int) -> None:
    """The same N scenarios for every tool, each under a folder of its own."""
    (root / "pytest.ini").write_text("[pytest]\n")  # the rootdir: no configuration from above
    (root / "scn").mkdir()
    (root / "scn" / "many.scn").write_text(SCN_HEAD + "".join(SCN_SCENARIO.format(i=i) for i in range(n)))
    feature = GHERKIN_HEAD + "".join(GHERKIN_SCENARIO.format(i=i) for i in range(n))
    (root / "bdd").mkdir()
    (root / "bdd" / "many.feature").write_text(feature)
    (root / "bdd" / "test_bdd.py").write_text(BDD_STEPS)
    steps = root / "behave" / "features" / "steps"
    steps.mkdir(parents=True)
    (root / "behave" / "features" / "many.feature").write_text(feature)
    (root / "behave" / "features" / "environment.py").write_text(BEHAVE_ENVIRONMENT)
    (steps / "steps.py").write_text(BEHAVE_STEPS)
    (root / "trivial").mkdir()
    (root / "trivial" / "test_trivial.py").write_text("".join(PLAIN_TRIVIAL.format(i=i) for i in range(n)))
    (root / "dict").mkdir()
    (root / "dict" / "test_dict.py").write_text("".join(PLAIN_DICT.format(i=i) for i in range(n)))


# ---------------------------------------------------------------- the commands


def _exe(name: str) -> list[str]:
    exe = Path(sys.executable).with_name(name)
    return [str(exe)] if exe.exists() else [sys.executable, "-m", {"scn": "scenario", "behave": "behave"}[name]]


PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:hypothesispytest", "-p", "no:benchmark"]
NO_SCN = ["-p", "no:scn"]
NO_BDD = ["-p", "no:pytest-bdd"]


class Command:
    """One tool on its files: how to run it, how to collect only, and what makes it cold."""

    def __init__(self, name: str, run: list[str], collect: list[str], *, cold: str | None = None,
                 peer: bool = False, baseline: str | None = None, pythonpath: str | None = None):
        self.name, self.run, self.collect = name, run, collect
        self.pythonpath = pythonpath  # scn imported from another tree (--baseline-tree)
        # "scn": drop the compiled-spec cache first; "first": all of scn's cache; "pyc": the test module's bytecode
        self.cold = cold
        self.peer = peer  # pytest-bdd and behave: the tools users choose between
        self.baseline = baseline  # the plain pytest row this one is compared with


def commands(baseline_tree: str | None = None) -> list[Command]:
    scn_pytest = PYTEST + NO_BDD
    plain = PYTEST + NO_SCN + NO_BDD
    ours = _ours(scn_pytest)
    if baseline_tree:  # the same scn commands with scn imported from another tree, side by side
        root = Path(baseline_tree).resolve()
        path = os.pathsep.join(str(p) for p in (root, root / "plugins"))
        ours = [Command(f"{c.name} [baseline]", c.run, c.collect, cold=c.cold, baseline=c.baseline, pythonpath=path)
                for c in ours] + ours
    return ours + _peers(plain)


def _ours(scn_pytest: list[str]) -> list[Command]:
    return [
        Command("scn run", _exe("scn") + ["run", "scn", "--quiet"], _exe("scn") + ["check", "scn"], baseline="plain pytest, trivial"),
        Command("pytest .scn, cold", scn_pytest + ["scn"], scn_pytest + ["--collect-only", "scn"], cold="scn",
                baseline="plain pytest, trivial, cold"),
        Command("pytest .scn, warm", scn_pytest + ["scn"], scn_pytest + ["--collect-only", "scn"], baseline="plain pytest, trivial"),
        Command("pytest .scn, first run", scn_pytest + ["scn"], scn_pytest + ["--collect-only", "scn"], cold="first",
                baseline="plain pytest, trivial, cold"),
        Command("pytest -n 2 .scn", scn_pytest + ["-n", "2", "scn"], scn_pytest + ["-n", "2", "--collect-only", "scn"],
                baseline="plain pytest, trivial"),
    ]


def _peers(plain: list[str]) -> list[Command]:
    return [
        Command("pytest-bdd", PYTEST + NO_SCN + ["bdd"], PYTEST + NO_SCN + ["--collect-only", "bdd"], peer=True,
                baseline="plain pytest, trivial"),
        Command("behave", _exe("behave") + ["-f", "progress", "--no-capture", "behave/features"],
                _exe("behave") + ["--dry-run", "-f", "progress", "behave/features"], peer=True, baseline="plain pytest, trivial"),
        Command("plain pytest, trivial, cold", plain + ["trivial"], plain + ["--collect-only", "trivial"], cold="pyc"),
        Command("plain pytest, trivial", plain + ["trivial"], plain + ["--collect-only", "trivial"]),
        Command("plain pytest, dict work, cold", plain + ["dict"], plain + ["--collect-only", "dict"], cold="pyc",
                baseline="plain pytest, trivial, cold"),
        Command("plain pytest, dict work", plain + ["dict"], plain + ["--collect-only", "dict"], baseline="plain pytest, trivial"),
    ]


class Bench:
    def __init__(self, root: Path):
        self.root = root
        self.cache = root / "scn-cache"
        self.first_cache = root / "scn-cache-first"  # the "first run" rows' own: emptying it leaves the others' warm
        self.pycache = root / "pycache"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "SCN_NO_CACHE", "PYTEST_ADDOPTS")}
        env.update(SCN_CACHE_DIR=str(self.cache), PYTHONPYCACHEPREFIX=str(self.pycache))
        self.env = env

    def make_cold(self, how: str | None, folder: str) -> None:
        if how == "scn":  # the compiled specs go; what scn learned of its grammar stays, as after any first run
            shutil.rmtree(self.cache / "specs", ignore_errors=True)
        elif how == "first":  # a cache folder of its own, empty: no parser tables, no learned line shapes
            shutil.rmtree(self.first_cache, ignore_errors=True)
        elif how == "pyc":  # the generated test module's bytecode (asserts rewritten) goes; the other modules' stays
            mirror = self.pycache / self.root.resolve().relative_to(self.root.resolve().anchor)
            shutil.rmtree(mirror / folder, ignore_errors=True)

    def time(self, args: list[str], cold: str | None, pythonpath: str | None = None) -> tuple[float, float]:
        """Wall time, and CPU time (user + system, the process and its children, xdist's workers too)."""
        self.make_cold(cold, args[-1])  # the command's last argument: the folder of its generated files
        env = self.env if not pythonpath else dict(self.env, PYTHONPATH=pythonpath)
        if cold == "first":
            env = dict(env, SCN_CACHE_DIR=str(self.first_cache))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        r = subprocess.run(args, cwd=self.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout[-3000:]}")
        return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(n: int, rounds: int, only: list[str] | None, seed: int, baseline_tree: str | None = None) -> dict:
    cmds = [c for c in commands(baseline_tree) if not only or any(o in c.name for o in only) or c.name == "plain pytest, trivial"
            or c.name == "plain pytest, trivial, cold" or c.peer]
    times: dict[tuple[str, str], list[float]] = {(c.name, mode): [] for c in cmds for mode in ("run", "collect", "cpu")}
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="scn-bench-peers-") as d:
        bench = Bench(Path(d))
        generate(bench.root, n)
        for c in cmds:  # a warm-up round: bytecode of the installed packages, parser tables, compiled specs
            bench.time(c.run, None, c.pythonpath)
        jobs = [(c, mode) for c in cmds for mode in ("run", "collect")]
        for r in range(rounds):
            rng.shuffle(jobs)
            for c, mode in jobs:
                wall, cpu = bench.time(c.run if mode == "run" else c.collect, c.cold, c.pythonpath)
                times[(c.name, mode)].append(wall)
                if mode == "run":
                    times[(c.name, "cpu")].append(cpu)
            print(f"  N={n:,}: round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    return {"cmds": cmds, "times": times}


def rows_for(n: int, result: dict) -> list[list]:
    cmds, times = result["cmds"], result["times"]
    med = {key: statistics.median(v) for key, v in times.items()}
    peers = [c.name for c in cmds if c.peer]
    rows = []
    for c in cmds:
        base = c.baseline or c.name

        def best(mode):
            return min(med[(p, mode)] for p in peers) if peers else float("nan")

        run = times[(c.name, "run")]
        rows.append([
            f"{n:,}", c.name,
            f"{med[(c.name, 'run')]:.2f}", f"{min(run):.2f}–{max(run):.2f}",
            f"{med[(c.name, 'run')] / med[(base, 'run')]:.2f}×", f"{med[(c.name, 'run')] / best('run'):.2f}×",
            f"{med[(c.name, 'cpu')]:.2f}", f"{med[(c.name, 'cpu')] / med[(base, 'cpu')]:.2f}×",
            f"{med[(c.name, 'cpu')] / best('cpu'):.2f}×",
            f"{med[(c.name, 'collect')]:.2f}", f"{med[(c.name, 'collect')] / med[(base, 'collect')]:.2f}×",
            f"{med[(c.name, 'collect')] / best('collect'):.2f}×",
        ])
    return rows


HEADERS = ["N", "command", "wall s (median)", "wall min–max", "× plain", "× best peer",
           "CPU s (median)", "CPU × plain", "CPU × best peer", "collect-only wall s", "× plain", "× best peer"]


def verdicts(n: int, result: dict) -> list[str]:
    med = {key: statistics.median(v) for key, v in result["times"].items()}
    out = []
    for name, base, target in (("pytest .scn, cold [baseline]", "plain pytest, trivial, cold", 1.2),
                               ("pytest .scn, warm [baseline]", "plain pytest, trivial", 1.0),
                               ("pytest .scn, cold", "plain pytest, trivial, cold", 1.2),
                               ("pytest .scn, warm", "plain pytest, trivial", 1.0)):
        if (name, "run") in med:
            wall = med[(name, "run")] / med[(base, "run")]
            cpu = med[(name, "cpu")] / med[(base, "cpu")]
            met = "met" if max(wall, cpu) <= target else "met on " + ("wall" if wall <= target else "CPU") \
                if min(wall, cpu) <= target else "NOT met"
            out.append(f"N={n:,}: {name} is {wall:.2f}× {base} wall, {cpu:.2f}× CPU (target ≤ {target}×): {met}")
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--only", nargs="+", help="measure only the commands whose names contain these words (plus the baselines and peers)")
    p.add_argument("--seed", type=int, default=0, help="the seed of the rounds' shuffled order")
    p.add_argument("--baseline-tree", metavar="DIR",
                   help="also time the scn commands with scn imported from DIR (a copy of another version's "
                        "scenario/, plugins/ and grammar/), side by side, as rows marked [baseline]")
    args = p.parse_args(argv)
    rows, notes = [], []
    for n in args.sizes:
        result = measure(n, args.rounds, args.only, args.seed, args.baseline_tree)
        rows += rows_for(n, result)
        notes += verdicts(n, result)
    try:
        load = " (load average %.1f %.1f %.1f at the end)" % os.getloadavg()
    except OSError:  # pragma: no cover
        load = ""
    print(f"whole processes, {args.rounds} interleaved rounds, {os.cpu_count()} CPUs{load}")
    print(tabulate(rows, headers=HEADERS, tablefmt="github"))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
