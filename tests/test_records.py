"""Validation records: ``--record`` writes them (to tmp paths here, never into the repo), ``scn matrix``
shows "validated on aws <date>" only for runs that reached AWS itself, ``scn facts`` counts them."""

from __future__ import annotations

import datetime
import json
import textwrap
import tomllib
from pathlib import Path

import pytest

from scenario import records
from scenario.cli import main

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

SPEC = """\
    feature: two
      scenario: zeta comes first in the file
        given a running instance "web"
        then "web" is running

      scenario: alpha comes second
        given a running instance "web"
        when "web" is stopped
        then "web" is stopped
    """


def _fields(outcome="passed", date="2026-11-20", endpoint="aws", region="eu-west-1"):
    return {"outcome": outcome, "date": date, "region": region, "endpoint": endpoint,
            "scn": "0.1.0", "boto3": "1.43.11", "botocore": "1.43.11"}


def test_the_file_is_sorted_toml_that_merges_reruns(tmp_path):
    path = tmp_path / "validations" / "aws.toml"
    assert records.update(path, [("b.scn::two", "aws", _fields()), ("a.scn::one \"quoted\"", "aws", _fields())]) == 2
    text = path.read_text(encoding="utf-8")
    assert text.index('["a.scn::one \\"quoted\\"".aws]') < text.index('["b.scn::two".aws]')
    assert tomllib.loads(text)["b.scn::two"]["aws"] == _fields()
    records.update(path, [("b.scn::two", "aws", _fields(outcome="failed", date="2026-11-21"))])
    data = records.load(path)
    assert data["b.scn::two"]["aws"]["outcome"] == "failed" and "a.scn::one \"quoted\"" in data
    # field order is stable, so that a re-run diffs as one changed line
    lines = [line.split(" = ")[0] for line in text.splitlines() if " = " in line][:7]
    assert lines == ["outcome", "date", "region", "endpoint", "scn", "boto3", "botocore"]


def test_validation_text_never_calls_a_custom_endpoint_aws():
    assert records.validation_text({"aws": _fields()}) == "validated on aws 2026-11-20"
    assert records.validation_text({"aws": _fields(endpoint="custom endpoint")}) == \
        "passed on a custom endpoint 2026-11-20 (not aws)"
    assert records.validation_text({"aws": _fields(outcome="failed")}) == "failed on aws 2026-11-20"
    assert records.validation_text(None) == ""
    both = {"x": {"aws": _fields(endpoint="custom endpoint", date="2026-11-25")}, "y": {"aws": _fields()}}
    assert records.validated_on_aws(both) == {"y": "2026-11-20"}


def test_scn_run_record_writes_one_entry_per_scenario_and_backend(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("two.scn").write_text(textwrap.dedent(SPEC))
    path = tmp_path / "out" / "reference.toml"
    assert main(["run", "two.scn", "--record", str(path), "--quiet"]) == 0
    assert f"recorded 2 outcomes in {path}" in capsys.readouterr().out
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert list(data) == ["two.scn::alpha comes second", "two.scn::zeta comes first in the file"]
    entry = data["two.scn::alpha comes second"]["reference"]
    assert entry["outcome"] == "passed" and entry["endpoint"] == "local"
    assert entry["date"] == datetime.date.today().isoformat()
    assert set(entry) == {"outcome", "date", "region", "endpoint", "scn", "boto3", "botocore"}


# slow for the fast loop's budget (issue 19): it starts a moto server of its own (~2.5 s)
@pytest.mark.slow
def test_a_run_on_a_custom_endpoint_is_recorded_as_such(tmp_path, capsys, monkeypatch):
    pytest.importorskip("boto3")
    pytest.importorskip("moto")
    from helpers.moto_server import ACCOUNT, MotoServer, server_environ

    from scn_boto.moto_backend import BACKEND

    BACKEND.stop()  # an in-process mock left open by an earlier test must not stand between boto3 and the server
    for key, value in server_environ().items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "SCN_AWS_ACCOUNTS"):
        monkeypatch.delenv(key, raising=False)
    server = MotoServer()
    try:
        server.start()
        monkeypatch.chdir(tmp_path)
        Path("two.scn").write_text(textwrap.dedent(SPEC))
        path = tmp_path / "aws.toml"
        assert main(["run", "two.scn", "--backend", "aws", "--endpoint-url", server.url, "--aws-account", ACCOUNT,
                     "--poll", "0.01", "--record", str(path), "--quiet"]) == 0
    finally:
        server.stop()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entry = data["two.scn::zeta comes first in the file"]["aws"]
    assert (entry["outcome"], entry["endpoint"], entry["region"]) == ("passed", "custom endpoint", "us-east-1")
    assert "account" not in entry


def test_scn_matrix_shows_validations_from_the_library_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("specs/ec2").mkdir(parents=True)
    Path("specs/ec2/two.scn").write_text(textwrap.dedent(SPEC))
    records.update("specs/validations/aws.toml", [
        ("specs/ec2/two.scn::zeta comes first in the file", "aws", _fields()),
        ("specs/ec2/two.scn::alpha comes second", "aws", _fields(endpoint="custom endpoint", date="2026-11-26")),
    ])
    assert main(["matrix", "specs/ec2", "--format", "json"]) == 0
    rows = {r["title"]: r["validated"] for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows == {"zeta comes first in the file": "validated on aws 2026-11-20",
                    "alpha comes second": "passed on a custom endpoint 2026-11-26 (not aws)"}
    assert main(["matrix", "specs/ec2"]) == 0
    out = capsys.readouterr().out
    assert "validated" in out.splitlines()[0] and out.count("validated on aws") == 1


def test_scn_matrix_without_records_has_no_validated_column(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("two.scn").write_text(textwrap.dedent(SPEC))
    assert main(["matrix", "two.scn", "--format", "json"]) == 0
    assert all("validated" not in r for r in json.loads(capsys.readouterr().out)["rows"])


def test_scn_facts_counts_the_facts_validated_on_aws(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = tmp_path / "aws.toml"
    records.update(path, [
        ("specs/ec2/elastic-ips.scn::an allocated Elastic IP exists and has an address", "aws", _fields()),
        ("specs/ec2/elastic-ips.scn::releasing an unassociated Elastic IP gives it back", "aws",
         _fields(endpoint="custom endpoint")),
    ])
    code = main(["facts", "specs/ec2", "--prefix", "ec2.eip.aws-allocate-release", "--records", str(path),
                 "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["totals"]["validated on aws"] == 1
    assert [f["validated_on_aws"] for f in report["facts"]] == ["2026-11-20"]
    assert main(["facts", "specs/ec2", "--prefix", "ec2.eip.aws-allocate-release", "--records", str(path)]) == 0
    assert "validated on aws" in capsys.readouterr().out


def test_pytest_scn_record_writes_the_file(pytester, tmp_path):
    pytester.makefile(".scn", two=textwrap.dedent(SPEC))
    path = tmp_path / "pytest.toml"
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark",
                                          "--scn-record", str(path))
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"scn: recorded 2 outcomes in {path}"])
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [e["reference"]["outcome"] for e in data.values()] == ["passed", "passed"]
