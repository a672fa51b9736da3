"""`scn run`'s output besides failures: header, colour (NO_COLOR, --color), -v, skip reasons grouped,
warnings about the specs, and --junitxml / --json written by the CLI itself (scenario/run_output.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from scenario.cli import main
from scenario.run_output import use_colour

SPEC = '''\
feature: output
  scenario: passes
    given a running instance "web"
    then "web" is running

  scenario: fails
    given a running instance "web"
    then "web" is stopped

  scenario: needs a clock
    given a running instance "web"
    when 2 minutes pass
    then "web" is running

  @only(moto)
  scenario: only elsewhere
    given a running instance "web"
    then "web" is running
'''


@pytest.fixture
def spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("out.scn").write_text(SPEC, encoding="utf-8")
    return "out.scn"


def test_the_header_names_the_backends_the_files_and_the_scenarios(capsys, spec):
    assert main(["run", spec]) == 1
    assert capsys.readouterr().out.splitlines()[0] == "scn run: 1 file, 4 scenarios on reference"


def test_verbose_prints_one_line_per_scenario(capsys, spec):
    main(["run", "-v", spec])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "PASSED   out.scn:2:3 passes [reference]"
    assert lines[2].startswith("FAILED   out.scn:6:3 fails [reference] — \"web\" was expected to be stopped")
    assert lines[4] == "SKIPPED  out.scn:16:3 only elsewhere [reference] — only runs on moto"
    assert not any(line.startswith("out.scn ") for line in lines)  # no progress marks beside the lines


def test_skip_reasons_are_grouped_at_the_end(capsys, spec):
    main(["run", spec, "--backend", "reference", "--backend", "moto"])
    out = capsys.readouterr().out
    block = out[out.index("\nskipped:\n"):].split("\n\n")[0].splitlines()[2:]
    assert "  moto: needs clock: 1" in block and "  reference: only runs on moto: 1" in block


def test_colour_follows_the_flag_then_no_color_then_the_terminal(monkeypatch, capsys, spec):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour("auto", Tty()) and not use_colour("auto", io.StringIO())
    assert use_colour("always", io.StringIO()) and not use_colour("never", Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour("auto", Tty()) and use_colour("always", Tty())
    main(["run", spec, "--color", "always"])
    out = capsys.readouterr().out
    assert "\x1b[31mF\x1b[0m" in out and "\x1b[1;31m1 not good\x1b[0m" in out
    main(["run", spec, "--color", "never"])
    assert "\x1b[" not in capsys.readouterr().out


def test_junit_xml_and_json_are_written_by_the_cli(capsys, spec):
    assert main(["run", spec, "--junitxml", "reports/junit.xml", "--json", "reports/run.json"]) == 1
    out = capsys.readouterr().out
    assert "wrote reports/junit.xml" in out and "wrote reports/run.json" in out
    suite = ET.parse("reports/junit.xml").getroot().find("testsuite")
    assert suite.get("name") == "scn[reference]" and suite.get("tests") == "4" and suite.get("failures") == "1"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert cases["fails[reference]"].find("failure").get("message").startswith('"web" was expected to be stopped')
    assert cases["only elsewhere[reference]"].find("skipped") is not None
    assert cases["passes[reference]"].get("file") == "out.scn" and cases["passes[reference]"].get("line") == "2"
    data = json.loads(Path("reports/run.json").read_text())
    assert data["summary"] == {"reference": {"passed": 2, "failed": 1, "skipped": 1}}
    assert [s["status"] for s in data["scenarios"]] == ["passed", "failed", "passed", "skipped"]
    assert data["scenarios"][1]["step_line"] == 8


def test_warnings_for_a_feature_without_scenarios_and_facts_without_an_inventory(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("empty.scn").write_text("feature: nothing yet\n", encoding="utf-8")
    Path("fact.scn").write_text('feature: f\n  @fact(ec2.made.up)\n  scenario: s\n    given a running instance "w"\n', encoding="utf-8")
    assert main(["run", "-q", "empty.scn", "fact.scn"]) == 0
    out = capsys.readouterr().out
    assert "warning: empty.scn: the feature 'nothing yet' has no scenarios: nothing in it runs" in out
    assert "warning: @fact tags of 1 file (fact.scn) are checked against no inventory" in out
