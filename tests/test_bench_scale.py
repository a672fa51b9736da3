"""bench/bench_scale.py: its sizes, its per-child measurement, its tables and verdicts; the bench at --quick (slow)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_scale.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


bench = _load()


def test_sizes_read_as_lines_or_scenarios():
    assert [bench.count(s) for s in ("1k", "10K", "1M", "2.5k", "700")] == [1000, 10000, 1_000_000, 2500, 700]
    assert bench.parse([]).sizes == [200, 2000, 20000, 200000]
    assert bench.parse(["--quick"]).sizes == [200, 2000]
    assert bench.parse(["--scenarios", "100k"]).sizes == [100000]
    assert bench.parse(["--quick"]).pytest_sizes == [100, 1000]
    assert bench.rounds_for(100_003, None) == 1 and bench.rounds_for(10_003, None) == 3 and bench.rounds_for(10, 2) == 2


def test_the_generated_file_has_five_lines_a_scenario(tmp_path):
    assert bench.write_spec(tmp_path / "a.scn", 200) == 3 + 5 * 200


def test_each_child_is_measured_alone(tmp_path):
    """A big child, then a small one, from a big parent: the small one's peak RSS is its own — neither the
    big child's (RUSAGE_CHILDREN's maximum) nor this process's (the high-water mark exec starts from)."""
    runner = bench.Runner(tmp_path)
    ballast = bytearray(300 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched: resident
    big = runner.time([sys.executable, "-c", "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096])"])
    small = runner.time([sys.executable, "-S", "-c", "pass"])
    del ballast
    assert big.rss > 200 and small.rss < 40 and 0 < small.cpu < big.cpu + 1 and small.wall > 0


def test_the_commands_import_a_frozen_copy_of_scn(tmp_path):
    """Edits to the checkout during a run change nothing: scn (and its plugins) come from the copy."""
    runner = bench.Runner(tmp_path, bench.freeze(tmp_path, bench.REPO))
    code = "import scenario, scn_reference; print(scenario.__file__); print(scn_reference.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=runner.env, capture_output=True, text=True,
                         check=True)  # the commands run in the bench folder: the checkout is not on their path
    assert all(Path(line).is_relative_to(tmp_path / "tree") for line in out.stdout.split())


def _sample(wall, cpu, rss):
    return bench.Sample(wall, cpu, rss)


def _scale_results():
    def sized(n, per_scenario_cpu, kib):
        lines = 3 + 5 * n
        return {"n": n, "lines": lines, "median": {key: _sample(0.3 + n * per_scenario_cpu, 0.3 + n * per_scenario_cpu,
                                                                30 + n * kib / 1024) for key in bench.SCALE_COMMANDS}}
    return [sized(1, 0, 0), sized(200, 100e-6, 0.4), sized(2000, 100e-6, 0.4), sized(20000, 100e-6, 0.4)]


def test_the_scale_table_and_its_verdicts():
    rows = bench.scale_rows(_scale_results())
    assert len(rows) == 4 * 4 and all(len(r) == len(bench.SCALE_HEADERS) for r in rows)
    row = rows[3]  # scn check, cold, 20,000 scenarios: 100 µs each, 0.4 KiB each, linear
    assert row[:3] == ["100,003", "20,000", "scn check, cold"]
    assert row[8:] == ["100", "0.40", "1.00"]
    assert rows[0][:3] == ["8 (start-up)", 1, "scn check, cold"] and rows[0][6:] == [""] * 5
    notes = "\n".join(bench.scale_verdicts(_scale_results()))
    assert "lines/CPU s whole process, 50,002 net of start-up (target ≥ 25,000): met" in notes
    assert "linearity" in notes and "1.00, 1.00" in notes
    assert "at 100,000 scenarios: 69 MiB (extrapolated from 2,000 and 20,000 scenarios; target < 150 MiB): met" in notes
    assert "0.40 KiB per scenario (target < 0.5): met" in notes
    bracketing = _scale_results() + [_scale_results()[-1] | {"n": 200_000}]
    bracketing[-1]["median"] = {key: _sample(1, 1, 200) for key in bench.SCALE_COMMANDS}
    assert "(interpolated from 20,000 and 200,000 scenarios" in "\n".join(bench.scale_verdicts(bracketing))


@pytest.mark.parametrize("walls, says", [
    ([(100, 1.0, 2.0), (1000, 2.0, 2.5)], "never beats one pytest process in the measured range (up to 1,000"),
    ([(100, 1.0, 2.0), (1000, 2.0, 1.5), (5000, 8.0, 5.0)],
     "above 100 scenarios (it loses at 100, wins from 1,000 on)"),
    ([(100, 1.0, 0.9)], "at every measured size"),
    ([(100, 1.0, 0.9), (1000, 2.0, 2.5)], "does not beat one pytest process for good"),
])
def test_the_crossover_verdict(walls, says):
    assert says in bench.crossover_verdict(walls)


def test_the_start_up_and_crossover_tables():
    med = {name: _sample(w, w, 30) for name, w in (("python -c pass", 0.05), ('python -c "import lark"', 0.1),
                                                   ("scn --version", 0.15), ("scn check <one scenario>, warm", 0.25))}
    rows = bench.startup_rows(med)
    assert rows[2] == ["scn --version", "150", "150", "30", "1.50×", "1.50×"]
    notes = bench.startup_verdicts(med)
    assert notes[0].endswith(": met") and notes[1].endswith("NOT met")
    cross = [{"n": 100, "samples": {c: [_sample(1, 1, 40)] for c in bench.CROSSOVER_COMMANDS},
              "median": {c: _sample(1, 1, 40) for c in bench.CROSSOVER_COMMANDS}}]
    assert all(len(r) == len(bench.CROSSOVER_HEADERS) for r in bench.crossover_rows(cross))


@pytest.mark.slow
def test_the_quick_bench_prints_its_tables():
    args = ["--quick", "--skip-pytest", "--rounds", "1", "--startup-runs", "1"]
    out = subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=300,
                         check=True).stdout
    for heading in ("## Scale curve", "## Start-up"):
        assert heading in out
    assert "## pytest crossover" not in out
    for column in ("lines/CPU s net", "peak RSS MiB", "KiB RSS/scenario", "linearity", "wall × (python + import lark)"):
        assert column in out
    for row in ("| 1,003 ", "| 10,003 ", "scn check, cold", "scn run --quiet, warm", "scn --version"):
        assert row in out
    assert "cold compile (scn check, cold) at 10,003 lines" in out
