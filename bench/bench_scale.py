"""scn at scale: compile and run from 1k to 1M lines, start-up, and where ``pytest -n 2`` starts to pay.

    python bench/bench_scale.py [--lines 1k 10k 100k 1M | --scenarios 100k] [--rounds N]
                                [--pytest-sizes 100 1000 5000 20000] [--skip-pytest] [--quick]

Three tables, from one generator: N scenarios of three steps each (create an
instance, stop it, claim its state; five lines a scenario, the shape of
bench_peers.py) in one ``.scn`` file.

1. The scale curve. For each size (``--lines``, default 1k, 10k, 100k and 1M lines,
   i.e. 200 to 200,000 scenarios; or ``--scenarios``): ``scn check FILE`` and
   ``scn run FILE --quiet``, each cold (a fresh, empty ``SCN_CACHE_DIR``: the parser
   tables are built and the file compiled) and warm (the cache filled by the cold
   run). Per command: wall s, CPU s (user + system), peak RSS; lines per CPU second
   of the whole process; the same command on a one-scenario file is the start-up
   (the "start-up" rows), and what lies above it is the cost of the lines: lines per
   CPU second net of start-up, µs of CPU per scenario, KiB of peak RSS per scenario,
   and the linearity — net CPU per line at this size ÷ at the previous size
   (≈ 1.0: linear; above: worse than linear).
2. Start-up: ``python -c pass``, ``python -c "import lark"``, ``scn --version`` and a
   warm ``scn check`` of a one-scenario file, medians of ``--startup-runs`` runs, and
   scn's ratio to the interpreter plus lark's import (target ≤ 2×).
3. The pytest crossover (``--pytest-sizes``, in scenarios; ``--skip-pytest`` leaves it
   out): ``scn run``, ``pytest FILE`` and ``pytest -n 2 FILE`` (pytest-xdist), warm,
   and the size above which ``-n 2`` beats one process on this machine.

Every command is a whole process (interpreter start to exit), started by a small
wrapper interpreter of its own and reaped there with ``os.wait4``, which gives that
child's own resource use (its children's too: xdist's workers) — not
``RUSAGE_CHILDREN``, whose peak RSS is a maximum over every child so far; and not
from this process, whose own high-water mark a child's peak RSS would start from.
Figures are medians over ``--rounds`` (default: 1 for files of 100k lines and
more, 3 below). The code measured is a copy of
scn's (this checkout's, or ``--tree DIR``'s) taken at the start and imported
through PYTHONPATH, so that edits to the checkout during the run change nothing;
a warm run that compiled afresh all the same is run again. Bytecode is written
and used as in an ordinary installation (this machine sets
PYTHONDONTWRITEBYTECODE; the benchmark unsets it and keeps bytecode under a
PYTHONPYCACHEPREFIX of its own, filled by a warm-up). Files live in a temporary
folder, removed at the end. Machines here are noisy: compare the rows of one
run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

HEAD = "@bench\nfeature: generated\n  N scenarios for the scale benchmark\n"
SCENARIO = '''
  scenario: stop number {i}
    given a running instance "web{i}"
    when "web{i}" is stopped
    then "web{i}" is stopped
'''
LINES_PER_SCENARIO = SCENARIO.count("\n")
DEFAULT_LINES = ["1k", "10k", "100k", "1M"]
QUICK_LINES = ["1k", "10k"]
DEFAULT_PYTEST = [100, 1000, 5000, 20000]
QUICK_PYTEST = [100, 1000]

TARGET_LINES_PER_CPU_S = 25_000
TARGET_LINEARITY = 1.25  # net CPU per line may grow by at most this much from one size to the next
TARGET_RSS_MIB, TARGET_RSS_AT = 150, 100_000
TARGET_KIB_PER_SCENARIO = 0.5
TARGET_STARTUP = 2.0

SCALE_COMMANDS = [("scn check", "cold"), ("scn check", "warm"),
                  ("scn run --quiet", "cold"), ("scn run --quiet", "warm")]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:hypothesispytest", "-p", "no:cacheprovider",
          "-p", "no:benchmark", "-p", "no:pytest-bdd"]


def count(text: str) -> int:
    """'1k' → 1000, '1M' → 1000000, '20000' → 20000."""
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def write_spec(path: Path, n: int) -> int:
    """N generated scenarios in one .scn file, written a scenario at a time; returns its number of lines."""
    with open(path, "w") as fh:
        fh.write(HEAD)
        for i in range(n):
            fh.write(SCENARIO.format(i=i))
    return HEAD.count("\n") + n * LINES_PER_SCENARIO


def _exe(name: str) -> list[str]:
    exe = Path(sys.executable).with_name(name)
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "scenario"]


SCN = _exe("scn")


@dataclass
class Sample:
    wall: float  # s
    cpu: float  # s, user + system, the child and its reaped children
    rss: float  # MiB, the child's peak (its children's too, if larger)


REPO = Path(__file__).resolve().parents[1]
CODE = ("scenario", "plugins", "grammar")


def freeze(root: Path, source: Path) -> Path:
    """A copy of scn's code (scenario/, plugins/, grammar/) taken now, imported by every command: others
    editing the checkout during the run can neither break it nor turn a warm cache cold."""
    tree = root / "tree"
    for part in CODE:
        shutil.copytree(source / part, tree / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return tree


def describe(source: Path) -> str:
    """Which code is measured: the tree, its commit, and whether scn's code differs from it."""
    def git(*args):
        r = subprocess.run(["git", "-C", str(source), *args], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""
    head = git("rev-parse", "--short", "HEAD")
    dirty = " with uncommitted changes" if git("status", "--porcelain", "--", *CODE) else ""
    return f"scn from a copy of {source} taken at the start" + (f" (at {head}{dirty})" if head else "")


# The child's peak RSS (ru_maxrss) starts at its parent's high-water mark: exec records the RSS of the
# address space it replaces, which a fork copied (or a vfork shared) from the parent. So no command is
# started by this process, which may be large (a test session calling it, say): a fresh interpreter, as small
# as one gets (isolated, no site, no subprocess module: its own peak is below any command's)
# starts each one, reaps it with os.wait4 (that child's own use, its children's too: xdist's workers)
# and writes wall s, CPU s and ru_maxrss KiB to the file named first; its exit status is the child's.
WRAPPER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as fh:
    fh.write(f"{wall} {ru.ru_utime + ru.ru_stime} {ru.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF or (1 if status else 0))
"""


class Runner:
    """Runs whole processes in a folder of its own, with a compiled-spec cache it can empty; with
    ``tree``, scn is imported from there (PYTHONPATH) instead of the installation."""

    def __init__(self, root: Path, tree: Path | None = None):
        self.root = root
        self.cache = root / "scn-cache"
        drop = ("PYTHONDONTWRITEBYTECODE", "SCN_NO_CACHE", "PYTEST_ADDOPTS", "PYTHONPATH")
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        self.env.update(SCN_CACHE_DIR=str(self.cache), PYTHONPYCACHEPREFIX=str(root / "pycache"))
        if tree:
            self.env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (tree, tree / "plugins"))
        (root / "pytest.ini").write_text("[pytest]\n")  # the rootdir: no configuration from above

    def time(self, args: list[str], cold: bool = False) -> Sample:
        """One whole process, started and reaped by a small wrapper process (WRAPPER) that reports its wall
        time and its rusage from os.wait4."""
        if cold:
            shutil.rmtree(self.cache, ignore_errors=True)
        result = self.root / "rusage.txt"
        with tempfile.TemporaryFile("w+") as out:
            wrapper = [sys.executable, "-I", "-S", "-c", WRAPPER, str(result)]
            r = subprocess.run(wrapper + args, cwd=self.root, env=self.env, stdout=out, stderr=subprocess.STDOUT)
            if r.returncode != 0:
                out.seek(0)
                raise SystemExit(f"{' '.join(args)} failed ({r.returncode}):\n{out.read()[-3000:]}")
        wall, cpu, maxrss = (float(x) for x in result.read_text().split())
        return Sample(wall, cpu, maxrss / 1024)

    def cached(self) -> set[Path]:
        return set((self.cache / "specs").rglob("*.pickle"))

    def time_warm(self, args: list[str]) -> Sample:
        """A warm run; run again if it compiled afresh after all (scn's sources changed on disk meanwhile:
        the cache key holds their modification times, and others edit this checkout)."""
        before = self.cached()
        sample = self.time(args)
        for _ in range(3):
            if self.cached() <= before:
                break
            _say(f"  a warm run missed the cache, run again: {' '.join(args[-3:])}")
            before = self.cached()
            sample = self.time(args)
        return sample


def median(samples: list[Sample]) -> Sample:
    return Sample(*(statistics.median(getattr(s, f) for s in samples) for f in ("wall", "cpu", "rss")))


def rounds_for(lines: int, rounds: int | None) -> int:
    return rounds if rounds else (1 if lines >= 100_000 else 3)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- 1. the scale curve


def scale_args(command: str, spec: Path) -> list[str]:
    return SCN + ["check", str(spec)] if command == "scn check" else SCN + ["run", str(spec), "--quiet"]


def measure_size(runner: Runner, n: int, rounds: int | None) -> dict:
    """The four scale commands on N scenarios: median Sample per (command, temperature)."""
    spec = runner.root / f"scale-{n}.scn"
    lines = write_spec(spec, n)
    samples: dict[tuple[str, str], list[Sample]] = {key: [] for key in SCALE_COMMANDS}
    for r in range(rounds_for(lines, rounds)):
        for command, temp in SCALE_COMMANDS:  # each cold run empties the cache, its warm run reuses it
            args = scale_args(command, spec)
            samples[(command, temp)].append(runner.time(args, cold=True) if temp == "cold" else runner.time_warm(args))
        _say(f"  {lines:,} lines: round {r + 1} done")
    spec.unlink()
    return {"n": n, "lines": lines, "median": {key: median(v) for key, v in samples.items()}}


def measure_scale(runner: Runner, sizes: list[int], rounds: int | None) -> list[dict]:
    """The start-up (a one-scenario file; 3 rounds unless told) first, then every size, smallest first."""
    for command, _ in SCALE_COMMANDS:  # a warm-up: the installed packages' bytecode
        runner.time(scale_args(command, _small(runner)))
    base = measure_size(runner, 1, rounds or 3)
    return [base] + [measure_size(runner, n, rounds) for n in sorted(sizes)]


def _small(runner: Runner) -> Path:
    spec = runner.root / "small.scn"
    if not spec.exists():
        write_spec(spec, 1)
    return spec


NOISE_CPU_S = 0.02  # less CPU than this above the start-up is noise: no net figures from it


def scale_rows(results: list[dict]) -> list[list]:
    """One row per size and command; the first result (one scenario) is the start-up every other is net of."""
    base, rows = results[0], []
    for key in SCALE_COMMANDS:
        b = base["median"][key]
        rows.append([f"{base['lines']} (start-up)", 1, f"{key[0]}, {key[1]}", f"{b.wall:.2f}", f"{b.cpu:.2f}",
                     f"{b.rss:.0f}", "", "", "", "", ""])
        prev = None
        for res in results[1:]:
            s, n, lines = res["median"][key], res["n"], res["lines"]
            net = s.cpu - b.cpu
            per_line = net / lines if net >= NOISE_CPU_S else None
            rows.append([f"{lines:,}", f"{n:,}", f"{key[0]}, {key[1]}", f"{s.wall:.2f}", f"{s.cpu:.2f}", f"{s.rss:.0f}",
                         f"{lines / s.cpu:,.0f}", f"{lines / net:,.0f}" if per_line else "n/a",
                         f"{net / n * 1e6:,.0f}" if per_line else "n/a", f"{(s.rss - b.rss) * 1024 / n:.2f}",
                         f"{per_line / prev:.2f}" if per_line and prev else "—"])
            prev = per_line
    return rows


SCALE_HEADERS = ["lines", "scenarios", "command", "wall s", "CPU s", "peak RSS MiB",
                 "lines/CPU s", "lines/CPU s net", "µs CPU/scenario net", "KiB RSS/scenario", "linearity"]


def scale_verdicts(results: list[dict]) -> list[str]:
    """The targets, next to the figures: cold compile throughput and linearity, run RSS and its growth."""
    base, sized = results[0]["median"], results[1:]
    out = [f"net figures are n/a where a command's CPU above its start-up is under {NOISE_CPU_S} s (noise)",
           _throughput(base, sized), _linearity(base, sized)]
    out += [_rss_at(sized, temp) for temp in ("cold", "warm")]
    out += [_growth(base, sized, temp) for temp in ("cold", "warm")]
    return [line for line in out if line]


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _throughput(base: dict, sized: list[dict]) -> str:
    big = sized[-1]
    s, b = big["median"][("scn check", "cold")], base[("scn check", "cold")]
    whole, net = big["lines"] / s.cpu, big["lines"] / max(s.cpu - b.cpu, 1e-9)
    return (f"cold compile (scn check, cold) at {big['lines']:,} lines: {whole:,.0f} lines/CPU s whole process, "
            f"{net:,.0f} net of start-up (target ≥ {TARGET_LINES_PER_CPU_S:,}): {_met(net >= TARGET_LINES_PER_CPU_S)}")


def _linearity(base: dict, sized: list[dict]) -> str:
    b = base[("scn check", "cold")].cpu
    per_line = [max(r["median"][("scn check", "cold")].cpu - b, 1e-9) / r["lines"] for r in sized]
    ratios = [later / earlier for earlier, later in zip(per_line, per_line[1:])]
    if not ratios:
        return ""
    shown = ", ".join(f"{x:.2f}" for x in ratios)
    return f"cold compile linearity (net CPU per line, size over previous size): {shown} " \
           f"(target ≤ {TARGET_LINEARITY}): {_met(max(ratios) <= TARGET_LINEARITY)}"


def _rss_at(sized: list[dict], temp: str) -> str:
    """Peak RSS of scn run at TARGET_RSS_AT scenarios: measured, else on a straight line through the sizes
    either side of it (the nearest two on one side if it lies outside them)."""
    points = sorted((r["n"], r["median"][("scn run --quiet", temp)].rss) for r in sized)
    exact = [rss for n, rss in points if n == TARGET_RSS_AT]
    below = [p for p in points if p[0] < TARGET_RSS_AT]
    above = [p for p in points if p[0] > TARGET_RSS_AT]
    if exact:
        rss, how = exact[0], "measured"
    elif len(points) >= 2:
        (n0, r0), (n1, r1) = (below[-1], above[0]) if below and above else (below[-2:] or above[:2])
        rss = r0 + (r1 - r0) * (TARGET_RSS_AT - n0) / (n1 - n0)
        how = f"{'interpolated' if below and above else 'extrapolated'} from {n0:,} and {n1:,} scenarios"
    else:
        return ""
    return f"peak RSS of scn run, {temp}, at {TARGET_RSS_AT:,} scenarios: {rss:.0f} MiB ({how}; " \
           f"target < {TARGET_RSS_MIB} MiB): {_met(rss < TARGET_RSS_MIB)}"


def _growth(base: dict, sized: list[dict], temp: str) -> str:
    big = sized[-1]
    kib = (big["median"][("scn run --quiet", temp)].rss - base[("scn run --quiet", temp)].rss) * 1024 / big["n"]
    return f"RSS growth of scn run, {temp}, at {big['n']:,} scenarios: {kib:.2f} KiB per scenario " \
           f"(target < {TARGET_KIB_PER_SCENARIO}): {_met(kib < TARGET_KIB_PER_SCENARIO)}"


# ---------------------------------------------------------------- 2. start-up


def startup_commands(runner: Runner) -> list[tuple[str, list[str]]]:
    return [("python -c pass", [sys.executable, "-c", "pass"]),
            ('python -c "import lark"', [sys.executable, "-c", "import lark"]),
            ("scn --version", SCN + ["--version"]),
            ("scn check <one scenario>, warm", SCN + ["check", str(_small(runner))])]


def measure_startup(runner: Runner, runs: int) -> dict[str, Sample]:
    """Medians of RUNS interleaved runs of each start-up command, after one warm-up run of each."""
    cmds = startup_commands(runner)
    samples: dict[str, list[Sample]] = {name: [] for name, _ in cmds}
    for _ in range(runs + 1):
        for name, args in cmds:
            samples[name].append(runner.time_warm(args))
    _say(f"  start-up: {runs} runs done")
    return {name: median(v[1:]) for name, v in samples.items()}


def startup_rows(med: dict[str, Sample]) -> list[list]:
    lark = med['python -c "import lark"']
    return [[name, f"{s.wall * 1000:.0f}", f"{s.cpu * 1000:.0f}", f"{s.rss:.0f}",
             f"{s.wall / lark.wall:.2f}×", f"{s.cpu / lark.cpu:.2f}×"] for name, s in med.items()]


STARTUP_HEADERS = ["command", "wall ms", "CPU ms", "peak RSS MiB",
                   "wall × (python + import lark)", "CPU × (python + import lark)"]


def startup_verdicts(med: dict[str, Sample]) -> list[str]:
    lark = med['python -c "import lark"']
    out = []
    for name in ("scn --version", "scn check <one scenario>, warm"):
        wall, cpu = med[name].wall / lark.wall, med[name].cpu / lark.cpu
        out.append(f"start-up of {name}: {wall:.2f}× python + import lark wall, {cpu:.2f}× CPU "
                   f"(target ≤ {TARGET_STARTUP}×): {_met(max(wall, cpu) <= TARGET_STARTUP)}")
    return out


# ---------------------------------------------------------------- 3. the pytest crossover

CROSSOVER_COMMANDS = ["scn run --quiet", "pytest", "pytest -n 2"]


def crossover_args(command: str, spec: Path) -> list[str]:
    return {"scn run --quiet": SCN + ["run", str(spec), "--quiet"],
            "pytest": PYTEST + [str(spec)],
            "pytest -n 2": PYTEST + ["-n", "2", str(spec)]}[command]


def measure_crossover(runner: Runner, sizes: list[int], rounds: int | None) -> list[dict]:
    """scn run, pytest and pytest -n 2 on N scenarios, warm (a first run of each fills the cache), per size."""
    results = []
    for n in sorted(sizes):
        spec = runner.root / f"crossover-{n}.scn"
        lines = write_spec(spec, n)
        samples: dict[str, list[Sample]] = {c: [] for c in CROSSOVER_COMMANDS}
        for c in CROSSOVER_COMMANDS:
            runner.time(crossover_args(c, spec))
        for r in range(rounds_for(lines, rounds)):
            for c in CROSSOVER_COMMANDS:
                samples[c].append(runner.time_warm(crossover_args(c, spec)))
        _say(f"  pytest crossover: {n:,} scenarios done")
        spec.unlink()
        results.append({"n": n, "samples": samples, "median": {c: median(v) for c, v in samples.items()}})
    return results


def crossover_rows(results: list[dict]) -> list[list]:
    rows = []
    for res in results:
        one = res["median"]["pytest"]
        for c in CROSSOVER_COMMANDS:
            s, walls = res["median"][c], [x.wall for x in res["samples"][c]]
            rows.append([f"{res['n']:,}", c, f"{s.wall:.2f}", f"{min(walls):.2f}–{max(walls):.2f}", f"{s.cpu:.2f}",
                         f"{s.rss:.0f}", f"{s.wall / one.wall:.2f}×", f"{s.wall / res['n'] * 1e6:,.0f}"])
    return rows


CROSSOVER_HEADERS = ["scenarios", "command", "wall s", "wall min–max", "CPU s", "peak RSS MiB",
                     "wall × pytest", "µs wall/scenario"]


def crossover_verdict(walls: list[tuple[int, float, float]]) -> str:
    """From (scenarios, pytest wall, pytest -n 2 wall), smallest first: the size above which -n 2 wins for good."""
    losses = [i for i, (_, one, two) in enumerate(walls) if two >= one]
    if not walls:
        return ""
    if not losses:
        return f"pytest -n 2 beats one pytest process at every measured size (from {walls[0][0]:,} scenarios)"
    if len(losses) == len(walls):
        return f"pytest -n 2 never beats one pytest process in the measured range (up to {walls[-1][0]:,} scenarios)"
    last = losses[-1]
    if last == len(walls) - 1:
        return f"pytest -n 2 does not beat one pytest process for good: it loses at the largest size ({walls[-1][0]:,})"
    return f"pytest -n 2 beats one pytest process above {walls[last][0]:,} scenarios " \
           f"(it loses at {walls[last][0]:,}, wins from {walls[last + 1][0]:,} on)"


def crossover_verdicts(results: list[dict]) -> list[str]:
    walls = [(r["n"], r["median"]["pytest"].wall, r["median"]["pytest -n 2"].wall) for r in results]
    return [crossover_verdict(walls)] if results else []


# ---------------------------------------------------------------- main


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = p.add_mutually_exclusive_group()
    sizes.add_argument("--lines", nargs="+", metavar="N", help="file sizes in lines (1k, 10k, 100k, 1M: the default)")
    sizes.add_argument("--scenarios", nargs="+", metavar="N", help="file sizes in scenarios instead (e.g. 100k)")
    p.add_argument("--rounds", type=int, help="rounds per size (default: 1 from 100k lines on, 3 below)")
    p.add_argument("--pytest-sizes", nargs="+", metavar="N",
                   help="crossover sizes in scenarios (default 100 1000 5000 20000)")
    p.add_argument("--skip-pytest", action="store_true", help="leave out the pytest crossover")
    p.add_argument("--startup-runs", type=int, help="runs of each start-up command (default 10; 3 with --quick)")
    p.add_argument("--quick", action="store_true", help="1k and 10k lines, crossover at 100 and 1000 scenarios")
    p.add_argument("--tree", type=Path, default=REPO, metavar="DIR",
                   help="measure the scn code of DIR (its scenario/, plugins/, grammar/; default: this checkout), "
                        "copied at the start")
    args = p.parse_args(argv)
    if args.scenarios:
        args.sizes = [count(s) for s in args.scenarios]
    else:
        lines = args.lines or (QUICK_LINES if args.quick else DEFAULT_LINES)
        args.sizes = [max(1, count(s) // LINES_PER_SCENARIO) for s in lines]
    args.pytest_sizes = [count(s) for s in args.pytest_sizes] if args.pytest_sizes else \
        (QUICK_PYTEST if args.quick else DEFAULT_PYTEST)
    args.startup_runs = args.startup_runs or (3 if args.quick else 10)
    return args


def _table(title: str, rows: list[list], headers: list[str], notes: list[str]) -> None:
    print(f"\n## {title}\n")
    print(tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True))
    for note in notes:
        print(f"- {note}")


def main(argv=None) -> None:
    args = parse(argv)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="scn-bench-scale-") as d:
        runner = Runner(Path(d), freeze(Path(d), args.tree.resolve()))
        scale = measure_scale(runner, args.sizes, args.rounds)
        startup = measure_startup(runner, args.startup_runs)
        cross = [] if args.skip_pytest else measure_crossover(runner, args.pytest_sizes, args.rounds)
    try:
        load = " (load average %.1f %.1f %.1f at the end)" % os.getloadavg()
    except OSError:  # pragma: no cover
        load = ""
    print(f"whole processes, {os.cpu_count()} CPUs{load}, {time.perf_counter() - start:.0f} s in all; "
          f"rounds: {args.rounds or '3 below 100k lines, 1 from 100k on'}; {describe(args.tree.resolve())}")
    _table("Scale curve", scale_rows(scale), SCALE_HEADERS, scale_verdicts(scale))
    _table("Start-up", startup_rows(startup), STARTUP_HEADERS, startup_verdicts(startup))
    if cross:
        _table("pytest crossover (warm)", crossover_rows(cross), CROSSOVER_HEADERS, crossover_verdicts(cross))


if __name__ == "__main__":
    main()
