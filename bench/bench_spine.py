"""Benchmarks of the spine, measured side by side in one run; prints a table.

    python bench/bench_spine.py [--quick]

(a) parse + compile of a generated 100,000-line spec vs raw Lark LALR parsing of
    the same text with the same grammar (a plain Lark tree, no transformer);
(b) the compiled-spec cache: warm vs cold load of the same spec;
(c) the reference backend through the runner API: ten-step EC2 scenarios per second;
(d) 1,000 scenarios through pytest vs 1,000 equivalent plain pytest functions;
(e) `scn run` of the same 1,000 scenarios, whole process.

Each figure is the median of several runs; machines here are noisy, so compare
the ratios of one run rather than absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lark import Lark
from tabulate import tabulate

from scenario.compiler import compile_text
from scenario.loader import check_text, load_text
from scenario.parser import grammar_text
from scenario.plugins import backend, vocabulary
from scenario.runner import run_scenario

SCENARIO = '''
  @fact(ec2.bench.{i})
  scenario: stop and start number {i}
    given a running instance "web{i}" with a public ipv4
    and an elastic ip "eip{i}"
    when "web{i}" is stopped
    then "web{i}" is stopped
    and "web{i}" has no public ipv4
    when "web{i}" is started
    then the private ipv4 of "web{i}" is unchanged
    and the state code of "web{i}" is 16
'''
# 11 lines per scenario (blank + tag + header + 8 steps)

TEN_STEPS = '''feature: ten steps
  scenario: ten steps
    given a running instance "web"
    and an elastic ip "eip"
    when "eip" is associated with "web"
    then the public ipv4 of "web" equals the address of "eip"
    when "web" is stopped
    then "web" is stopped
    and "web" passed through stopping
    when "web" is started
    then the public ipv4 of "web" is unchanged
    and "web" is running
'''


def spec(lines: int) -> str:
    head = "@bench\nfeature: generated\n  generated for the benchmark\n"
    n = max(1, (lines - 3) // 11)
    return head + "".join(SCENARIO.format(i=i) for i in range(n))


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_parse(lines: int, repeat: int):
    text = spec(lines)
    n = text.count("\n")
    vocab = vocabulary()
    raw = Lark(grammar_text(), parser="lalr", lexer="contextual", start=["document", "sentence"])
    compile_text(text, vocab, "bench.scn")  # warm both up once
    raw.parse(text, start="document")
    raw_times, ours_times = [], []
    for _ in range(repeat):  # interleaved, so that both see the same machine
        raw_times.append(median_time(lambda: raw.parse(text, start="document"), 1))
        ours_times.append(median_time(lambda: compile_text(text, vocab, "bench.scn"), 1))
    raw_t, ours_t = statistics.median(raw_times), statistics.median(ours_times)
    return n, n / raw_t, n / ours_t


def bench_cache(lines: int, repeat: int, work=None):
    """Cold (a new content hash each time) vs warm, for `scn check`'s work (check_text)
    or `scn run`'s (load_text)."""
    work = work or check_text
    text = spec(lines)
    vocab = vocabulary()
    with tempfile.TemporaryDirectory() as d:
        os.environ["SCN_CACHE_DIR"] = d
        colds = []
        for i in range(repeat):
            t = text + f"# {i}\n"
            s = time.perf_counter()
            work(t, "bench.scn", vocab, use_cache=True)
            colds.append(time.perf_counter() - s)
        warm = median_time(lambda: work(text + "# 0\n", "bench.scn", vocab, use_cache=True), repeat)
        del os.environ["SCN_CACHE_DIR"]
    return statistics.median(colds), warm


def bench_runner(seconds: float):
    feature = compile_text(TEN_STEPS, vocabulary(), "ten.scn")
    sc = feature.scenarios[0]
    ref = backend("reference")
    assert run_scenario(sc, ref).status == "passed"
    rates = []
    for _ in range(5):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5:
            for _ in range(100):
                run_scenario(sc, ref)
            n += 100
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates)


PLAIN = '''
from scn_reference.world import ReferenceWorld

def _scenario(i):
    w = ReferenceWorld()
    web = w.create("instance", f'instance "web{i}"', {"public ipv4": True}, [])
    eip = w.create("elastic ip", f'elastic ip "eip{i}"', {}, [])
    w.act(web, "stop", None, {})
    assert w.observe(web, "state") == "stopped"
    assert w.observe(web, "public ipv4") is None
    private = w.observe(web, "private ipv4")
    w.act(web, "start", None, {})
    assert w.observe(web, "private ipv4") == private
    assert w.observe(web, "state code") == 16
    w.close()
'''


def bench_pytest(count: int, repeat: int):
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / "specs").mkdir()
        (root / "specs" / "many.scn").write_text(spec(count * 11 + 3))
        plain = PLAIN + "".join(f"\ndef test_{i}():\n    _scenario({i})\n" for i in range(count))
        (root / "plain").mkdir()
        (root / "plain" / "test_plain.py").write_text(plain)
        env = dict(os.environ, SCN_CACHE_DIR=str(root / "cache"))
        base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]

        def run(args):
            r = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"{' '.join(args)} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")

        run(base + ["specs"])  # warm the compiled-spec cache and the grammar cache
        scn_pytest = median_time(lambda: run(base + ["specs"]), repeat)
        plain_pytest = median_time(lambda: run(base + ["plain"]), repeat)
        scn_exe = str(Path(sys.executable).with_name("scn"))
        scn_cmd = [scn_exe] if os.path.exists(scn_exe) else [sys.executable, "-m", "scenario.cli"]
        scn_run = median_time(lambda: run(scn_cmd + ["run", "specs", "--quiet"]), repeat)
        python_bare = median_time(lambda: run([sys.executable, "-c", "pass"]), repeat)
    return scn_pytest, plain_pytest, scn_run, python_bare


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    args = ap.parse_args()
    big = 20_000 if args.quick else 100_000
    repeat = 3 if args.quick else 5
    rows = []

    n, raw_rate, ours_rate = bench_parse(big, repeat)
    rows.append(["(a) parse+compile, %d lines" % n, f"{ours_rate:,.0f} lines/s", f"raw Lark LALR {raw_rate:,.0f} lines/s",
                 f"{ours_rate / raw_rate:.2f}× raw", "≥ 25,000 lines/s and ≥ 1× raw"])
    n10, raw10, ours10 = bench_parse(10_000, repeat * 3)
    rows.append(["(a) parse+compile, %d lines" % n10, f"{ours10:,.0f} lines/s", f"raw Lark LALR {raw10:,.0f} lines/s",
                 f"{ours10 / raw10:.2f}× raw", "≥ 25,000 lines/s and ≥ 1× raw"])

    cold, warm = bench_cache(10_000, repeat)
    rows.append(["(b) scn check of a 10,000-line spec", f"warm {warm * 1000:.1f} ms", f"cold {cold * 1000:.1f} ms",
                 f"{cold / warm:.0f}× faster warm", "≥ 10×"])
    cold, warm = bench_cache(10_000, repeat, load_text)
    rows.append(["(b) load it to run it", f"warm {warm * 1000:.1f} ms", f"cold {cold * 1000:.1f} ms",
                 f"{cold / warm:.1f}× faster warm", ""])

    rate = bench_runner(2.0 if args.quick else 5.0)
    rows.append(["(c) runner, ten-step EC2 scenario", f"{rate:,.0f} scenarios/s", "", "", "≥ 2,000 scenarios/s"])

    scn_pytest, plain_pytest, scn_run, bare = bench_pytest(1000, repeat)
    rows.append(["(d) pytest, 1,000 scenarios", f"{scn_pytest:.2f} s", f"1,000 plain functions {plain_pytest:.2f} s",
                 f"{scn_pytest / plain_pytest:.2f}×", "≤ 1.5×"])
    rows.append(["(e) scn run, 1,000 scenarios", f"{scn_run:.2f} s", f"python -c pass {bare:.2f} s", "", "< 1 s"])

    print(tabulate(rows, headers=["measure", "scn", "baseline", "ratio", "target"], tablefmt="github"))


if __name__ == "__main__":
    main()
