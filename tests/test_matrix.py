"""The backend matrix: cells, totals, formats, stale divergences; `scn matrix`; pytest's summary."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers.fake_backend import FakePlugin, fake_backend, registered  # noqa: E402

from scenario import plugins  # noqa: E402
from scenario.compiler import compile_text  # noqa: E402
from scenario.matrix import Matrix, build, category, cell, fidelity_page, record, service_of  # noqa: E402
from scenario.runner import Outcome  # noqa: E402

# the fake backend keeps a stopped instance's public IPv4 (AWS releases it) and has no billing
SPEC = """\
feature: matrix sample

  scenario: a running instance is running
    given a running instance "web"
    then "web" is running

  @diverges(fake, "keeps the public IPv4 of a stopped instance")
  scenario: a stop releases the public IPv4
    given a running instance "web"
    when "web" is stopped
    then "web" has no public ipv4

  @diverges(fake, "this was fixed long ago")
  scenario: a reboot keeps it running
    given a running instance "web"
    when "web" is rebooted
    then "web" is running

  scenario: the billing of a running instance
    given a running instance "web"
    then "web" is billed

  scenario: a stop releases the public IPv4, untagged
    given a running instance "web"
    when "web" is stopped
    then "web" has no public ipv4
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path / "scn-cache"))


@pytest.fixture
def fake():
    with registered(FakePlugin(fake_backend()), "scn-tests-matrix-fake") as plugin:
        yield plugin


def _matrix():
    feature = compile_text(SPEC, plugins.vocabulary(), "m.scn")
    return build(feature.scenarios, [plugins.backend("reference"), fake_backend()])


def test_cells_and_totals(fake):
    m = _matrix()
    cells = {title: {b: cell(r) for b, r in row.items()} for (_, _, title), row in m.rows.items()}
    assert cells["a running instance is running"] == {"reference": "pass", "fake": "pass"}
    assert cells["a stop releases the public IPv4"]["fake"] == "diverges: keeps the public IPv4 of a stopped instance"
    assert cells["a stop releases the public IPv4"]["reference"] == "pass"
    assert cells["a reboot keeps it running"]["fake"] == "stale divergence"
    assert cells["the billing of a running instance"]["fake"] == "n/a (needs billing)"
    assert cells["a stop releases the public IPv4, untagged"]["fake"] == "FAIL"
    totals = m.totals()
    assert totals["reference"]["pass"] == 5
    assert dict(totals["fake"]) == {"pass": 1, "diverges": 1, "stale divergence": 1, "n/a": 1, "FAIL": 1}
    assert not m.green


def test_categories_of_every_status():
    base = {"path": "a.scn", "line": 1, "title": "t", "backend": "b", "message": "", "not_implemented": None,
            "divergence": None, "misbelief": False}
    assert category({**base, "status": "error", "not_implemented": "the host of an instance"}) == "not implemented"
    assert category({**base, "status": "error"}) == "ERROR"
    assert category({**base, "status": "xfailed", "misbelief": True}) == "misbelief caught"
    assert category({**base, "status": "xpassed", "misbelief": True}) == "misbelief passed"
    assert cell({**base, "status": "skipped", "message": "only runs on reference"}) == "n/a (only runs on reference)"
    green = Matrix([{**base, "status": "passed"}, {**base, "backend": "c", "status": "error", "not_implemented": "x"}])
    assert green.green  # not implemented is named, not a failure


def test_table_markdown_and_json(fake):
    m = _matrix()
    table = m.render("table")
    assert "stale divergence" in table and "n/a (needs billing)" in table
    assert table.splitlines()[0].split() == ["where", "scenario", "reference", "fake"]
    md = m.render("markdown")
    assert md.startswith("| where | scenario | reference | fake |\n|---|---|---|---|\n")
    assert "| `m.scn:8` | a stop releases the public IPv4 | pass | diverges: keeps the public IPv4 of a stopped instance |" in md
    assert "**Totals**" in md
    data = json.loads(m.render("json"))
    assert data["backends"] == ["reference", "fake"]
    assert data["green"] is False
    stale = [r for r in data["rows"] if r["cells"]["fake"]["category"] == "stale divergence"]
    assert [r["title"] for r in stale] == ["a reboot keeps it running"]
    assert data["totals"]["fake"]["FAIL"] == 1


def test_rows_keep_file_order_whatever_order_records_come_in():
    recs = [{"path": "a.scn", "line": n, "title": f"t{n}", "backend": b, "status": "passed", "message": "",
             "not_implemented": None, "divergence": None, "misbelief": False} for n in (9, 3, 5) for b in ("x", "y")]
    m = Matrix(list(reversed(recs)), ["x", "y"])
    assert [line for _, line, _ in m.rows] == [3, 5, 9]


def test_record_of_an_outcome(fake):
    feature = compile_text(SPEC, plugins.vocabulary(), "m.scn")
    sc = feature.scenarios[1]
    rec = record(sc, Outcome("xfailed", "fake", "known divergence of fake: keeps\nmore"))
    assert rec["divergence"] == "keeps the public IPv4 of a stopped instance"
    assert rec["message"] == "known divergence of fake: keeps"
    json.dumps(rec)  # plain data


def test_fidelity_page(fake):
    page = fidelity_page(_matrix(), "fake", "scn matrix m.scn --fidelity fake")
    assert page.startswith("# fake fidelity report\n\nGenerated by `scn matrix m.scn --fidelity fake`")
    assert "- diverges: 1" in page
    assert "keeps the public IPv4 of a stopped instance" in page
    assert "(not yet named)" in page  # the untagged failure is listed too
    # what the backend cannot express is counted by need, and kept out of the matrix
    assert "## Out of fake's reach" in page and "| billing | 1 |" in page
    # a section per service (the spec's folder), with its counts in the table above
    service = service_of(_matrix().records[0]["path"])
    assert f"\n## {service}\n" in page and f"| [{service}](#{service}) |" in page
    matrix_part = page.split("## The matrix", 1)[1]
    assert "the billing of a running instance" not in matrix_part
    assert "a stop releases the public IPv4" in matrix_part


def test_scn_matrix_command(fake, tmp_path, capsys):
    from scenario.cli import main

    spec = tmp_path / "m.scn"
    spec.write_text(SPEC)
    assert main(["matrix", str(spec), "-b", "reference", "-b", "fake", "--format", "json"]) == 1  # a stale divergence
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["fake"]["stale divergence"] == 1
    out = tmp_path / "page.md"
    assert main(["matrix", str(spec), "-b", "reference", "--fidelity", "fake", "-o", str(out)]) == 1
    assert out.read_text().startswith("# fake fidelity report")
    assert f"wrote {out}" in capsys.readouterr().out


def test_scn_matrix_green(fake, tmp_path, capsys):
    from scenario.cli import main

    spec = tmp_path / "g.scn"
    spec.write_text(SPEC.split("  @diverges(fake, \"this was")[0])
    assert main(["matrix", str(spec), "-b", "reference", "-b", "fake"]) == 0
    assert "diverges: keeps the public IPv4" in capsys.readouterr().out


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
def test_pytest_prints_the_matrix_with_two_backends_also_under_xdist(tmp_path):
    pytest.importorskip("moto")
    spec = tmp_path / "two.scn"
    spec.write_text(textwrap.dedent("""\
        feature: two backends
          scenario: a running instance is running
            given a running instance "web"
            then "web" is running

          scenario: the host of an instance
            given a running instance "web"
            then the host of "web" is not none

          scenario: billing
            given a running instance "web"
            then "web" is billed
        """))
    for extra in ([], ["-n", "2"]):
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(spec),
                              "--scn-backend", "reference", "--scn-backend", "moto", *extra],
                             cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        out = run.stdout
        assert "scn backend matrix" in out
        assert "not implemented" in out and "n/a (needs billing)" in out
        assert "4 passed, 2 skipped" in out


def test_a_validated_column_from_validation_records():
    recs = [{"path": "a.scn", "line": n, "title": f"t{n}", "backend": "reference", "status": "passed", "message": "",
             "not_implemented": None, "divergence": None, "misbelief": False} for n in (1, 2, 3)]
    fields = {"outcome": "passed", "date": "2026-11-20", "region": "eu-west-1", "endpoint": "aws"}
    validations = {"a.scn::t1": {"aws": fields}, "a.scn::t2": {"aws": {**fields, "endpoint": "custom endpoint"}}}
    m = Matrix(recs, ["reference"], validations)
    assert m.to_table().splitlines()[0].split() == ["where", "scenario", "reference", "validated"]
    md = m.to_markdown()
    assert md.startswith("| where | scenario | reference | validated |\n|---|---|---|---|\n")
    assert "| `a.scn:1` | t1 | pass | validated on aws 2026-11-20 |" in md
    assert "| `a.scn:2` | t2 | pass | passed on a custom endpoint 2026-11-20 (not aws) |" in md
    assert "| `a.scn:3` | t3 | pass |  |" in md
    assert [r["validated"] for r in json.loads(m.to_json())["rows"]] == [
        "validated on aws 2026-11-20", "passed on a custom endpoint 2026-11-20 (not aws)", ""]
    assert "validated" not in Matrix(recs, ["reference"]).to_table().splitlines()[0]


def test_a_spec_belongs_to_the_service_of_its_folder():
    assert service_of("specs/rds/backups.scn") == "rds"
    assert service_of("lib/specs/api-gateway/edge.scn") == "api-gateway"
