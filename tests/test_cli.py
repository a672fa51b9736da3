"""The ``scn`` command: mostly in-process through scenario.cli.main, once as a real process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import samples
from helpers.fake_backend import ThirdPartyPlugin, registered

import scenario
from scenario.cli import main

GOOD_IP = """\
@ec2
feature: EC2 IP addressing
  background:
    given a default vpc

  scenario: a public IPv4 is released on stop
    given a running instance "web"
    when "web" is stopped
    then "web" has no public ipv4

  scenario outline: lifecycle actions end in their documented state
    given a running instance "web"
    when "web" is <action>
    then "web" is <state>

    examples:
      | action   | state   |
      | stopped  | stopped |
      | rebooted | running |
"""

GOOD_EIP = """\
feature: Elastic IPs
  scenario: an elastic ip is allocated
    when an elastic ip "eip" is allocated
    then "eip" exists

  @misbelief("a stopped instance keeps its auto-assigned address")
  scenario: stop keeps the address
    given a running instance "web"
    when "web" is stopped
    then "web" has a public ipv4
"""

FAILING = samples.FAILING

BAD_WORDS = """\
feature: f
  scenario: a
    given a runing instance "web"
  scenario: b
    given a running instance "web"
    then "web" is runnin
"""

BAD_SYNTAX = """\
feature: f
  Scenaro: s
"""

TABLE_HEADER = "backend      passed    failed    error    skipped    xfailed    xpassed    total"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Run in an empty folder (paths print relative to it), with a cache of its own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path / ".scn-cache"))


def write(path: str, text: str) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def good_specs():
    write("specs/ip.scn", GOOD_IP)
    write("specs/eip.scn", GOOD_EIP)
    return "specs"


# ---------------------------------------------------------------- --version and usage


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"scn {scenario.__version__}\n"


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: scn ")
    assert "check" in out and "run" in out


# ---------------------------------------------------------------- check


def test_check_ok(capsys, good_specs):
    assert main(["check", good_specs]) == 0
    assert capsys.readouterr().out == "ok: 2 files, 5 scenarios\n"


def test_check_one_file(capsys, good_specs):
    assert main(["check", "specs/eip.scn"]) == 0
    assert capsys.readouterr().out == "ok: 1 file, 2 scenarios\n"


def test_check_prints_every_error_with_place_and_caret(capsys, good_specs):
    write("bad/words.scn", BAD_WORDS)
    write("bad/syntax.scn", BAD_SYNTAX)
    assert main(["check", "bad", good_specs]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "3 errors in 4 files"  # the files, not the arguments: bad/ holds two, specs/ two
    headers = [i for i, line in enumerate(lines) if re.match(r"^bad/\w+\.scn:\d+:\d+: ", line)]
    assert [lines[i].split(": ")[0] for i in headers] == ["bad/syntax.scn:2:3", "bad/words.scn:3:13", "bad/words.scn:6:19"]
    for i in headers:  # every error: the sentence, the source line, a caret under the column
        line_no, col = map(int, lines[i].split(": ")[0].split(":")[1:])
        assert re.match(rf"^ +{line_no} \| ", lines[i + 1])
        bar = lines[i + 1].index("| ") + 2
        assert lines[i + 2].index("^") == bar + col - 1
        assert set(lines[i + 2][bar + col - 1:]) == {"^"}
    assert lines[headers[0]: headers[0] + 4] == [
        "bad/syntax.scn:2:3: syntax error: `Scenaro:` is not a keyword",
        "       2 |   Scenaro: s",
        "         |   ^^^^^^^^",
        "    hint: did you mean `scenario:`?",
    ]
    assert lines[headers[1]].startswith("bad/words.scn:3:13: error: `runing` ")
    assert lines[headers[2]].startswith("bad/words.scn:6:19: error: ")
    assert "did you mean `running`?" in lines[headers[1] + 3]
    assert not any(line.startswith("ok:") for line in lines)


def test_check_missing_path(capsys, good_specs):
    assert main(["check", good_specs, "nosuch.scn"]) == 1
    assert capsys.readouterr().out == "scn: nosuch.scn: no such file or folder\n1 error in 3 files\n"


def test_check_a_folder_with_no_specs(capsys, tmp_path):
    Path("empty").mkdir()
    assert main(["check", "empty"]) == 1
    assert capsys.readouterr().out == "scn: no .scn files found in empty\n1 error in 1 file\n"


# ---------------------------------------------------------------- run


def summary(out: str) -> list[str]:
    lines = out.splitlines()
    i = lines.index(TABLE_HEADER)
    return lines[i:]


def test_run_a_folder(capsys, good_specs):
    assert main(["run", good_specs]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:4] == ["scn run: 2 files, 5 scenarios on reference", "specs/eip.scn .x", "specs/ip.scn ...", ""]
    table = summary(out)
    assert table[0] == TABLE_HEADER
    assert table[1].startswith("---------  --------")
    assert table[2].split() == ["reference", "4", "0", "0", "0", "1", "0", "5"]
    assert re.fullmatch(r"5 scenario runs in \d+\.\d\ds: all good", table[3])
    assert len(table) == 4


def test_run_quiet_prints_only_the_summary(capsys, good_specs):
    assert main(["run", "-q", good_specs]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["", TABLE_HEADER]


def test_run_a_failing_spec(capsys, good_specs):
    write("failing.scn", FAILING)
    assert main(["run", "failing.scn", good_specs]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[:4] == ["scn run: 3 files, 7 scenarios on reference", "failing.scn FE", "specs/eip.scn .x", "specs/ip.scn ..."]
    assert (
        '\nfailing.scn:5:5: failed on reference: "web" was expected to have a public ipv4 but has none\n'
        "       2 | scenario: stop keeps the address\n"
        '       3 | given a running instance "web"\n'
        '       4 | when "web" is stopped\n'
        '  >    5 | then "web" has a public ipv4\n'
        '  E      | "web" was expected to have a public ipv4 but has none\n'
        '  -    6 | and "web" is stopped   (not run)\n'
        "\nfailing.scn:10:5: error on reference: setup failed: `given 2 elastic ips` was refused: AddressLimitExceeded: "
        "The maximum number of addresses has been reached.\n"
        "       8 | scenario: too many addresses\n"
        "       9 | given the elastic ip limit is 1\n"
        "  >   10 | given 2 elastic ips\n"
        "  E      | setup failed: `given 2 elastic ips` was refused: AddressLimitExceeded: "
        "The maximum number of addresses has been reached.\n"
    ) in out
    table = summary(out)
    assert table[2].split() == ["reference", "4", "1", "1", "0", "1", "0", "7"]
    assert re.fullmatch(r"7 scenario runs in \d+\.\d\ds: 2 not good", table[3])
    assert "Traceback" not in out


def test_run_with_a_spec_that_does_not_compile_runs_nothing(capsys, good_specs):
    write("bad.scn", BAD_SYNTAX)
    assert main(["run", good_specs, "bad.scn"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("bad.scn:2:3: syntax error: `Scenaro:` is not a keyword\n")
    assert out.endswith("\n1 error: nothing was run\n")
    assert TABLE_HEADER not in out


def test_run_unknown_backend(capsys, good_specs):
    assert main(["run", "--backend", "nosuch", good_specs]) == 2
    captured = capsys.readouterr()
    assert captured.err == "scn: unknown backend 'nosuch'; installed backends: aws, moto, reference\n"
    assert captured.out == ""


def test_run_missing_path(capsys):
    assert main(["run", "nosuch"]) == 1
    assert capsys.readouterr().out == "scn: nosuch: no such file or folder\n1 error: nothing was run\n"


def test_run_the_same_backend_twice_runs_once(capsys, good_specs):
    assert main(["run", "-b", "reference", "-b", "reference", "specs/eip.scn"]) == 0
    assert summary(capsys.readouterr().out)[2].split() == ["reference", "1", "0", "0", "0", "1", "0", "2"]


# ---------------------------------------------------------------- a real process


def _scn() -> list[str]:
    exe = shutil.which("scn", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return [exe] if exe else [sys.executable, "-m", "scenario.cli"]


def test_the_scn_command_as_a_process(good_specs):
    write("failing.scn", FAILING)
    ok = subprocess.run([*_scn(), "check", good_specs], capture_output=True, text=True, timeout=60)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "ok: 2 files, 5 scenarios\n", "")
    bad = subprocess.run([*_scn(), "run", "failing.scn"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout.startswith('scn run: 1 file, 2 scenarios on reference\nfailing.scn FE\n\n'
                                 'failing.scn:5:5: failed on reference: "web" was expected to have a public ipv4 but has none\n')
    assert "\x1b[" not in bad.stdout  # not a terminal: no colour
    assert "Traceback" not in bad.stdout + bad.stderr
    usage = subprocess.run([*_scn(), "run", "-b", "nosuch", good_specs], capture_output=True, text=True, timeout=60)
    assert (usage.returncode, usage.stderr) == (2, "scn: unknown backend 'nosuch'; installed backends: aws, moto, reference\n")


def test_a_reader_that_goes_away_ends_the_run_quietly(good_specs):
    proc = subprocess.Popen([*_scn(), "run", good_specs, "specs", good_specs], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head -0`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err and err == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line(good_specs):
    with open("/dev/full", "w") as full:
        done = subprocess.run([*_scn(), "run", good_specs], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (1, "scn: cannot write the output: No space left on device\n")


def test_hidden_and_build_folders_are_not_searched(good_specs):
    write(".venv/lib/bad.scn", "not a spec\n")
    write("build/copy.scn", "not a spec either\n")
    write("node_modules/x/bad.scn", "nor this\n")
    assert main(["check", "."]) == 0


def test_a_file_named_twice_is_checked_once(capsys, good_specs):
    assert main(["check", "specs/ip.scn", "specs/ip.scn", "specs"]) == 0
    assert capsys.readouterr().out == "ok: 2 files, 5 scenarios\n"


def test_an_empty_folder_beside_specs_is_mentioned(capsys, good_specs):
    Path("empty").mkdir()
    assert main(["check", good_specs, "empty"]) == 0
    assert capsys.readouterr().out == "scn: empty: no .scn files in this folder\nok: 2 files, 5 scenarios\n"


def test_a_misspelled_backend_in_a_tag_is_a_warning(capsys):
    write("only.scn", 'feature: f\n  @only(refrence)\n  scenario: s\n    given a running instance "web"\n')
    assert main(["check", "only.scn"]) == 0
    assert capsys.readouterr().out == (
        "warning: only.scn:2:3: @only names the backend 'refrence', which is not installed (installed: aws, moto, reference); "
        "did you mean reference?\nok: 1 file, 1 scenario\n"
    )


def test_python_dash_m_scenario_is_the_scn_command():
    done = subprocess.run([sys.executable, "-m", "scenario", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("scn ")


# ---------------------------------------------------------------- a plugin's own options and commands


@pytest.fixture
def third_party():
    """A third-party backend plugin with an option and a command, registered for one test."""
    with registered(ThirdPartyPlugin(), "scn-tests-third-party") as plugin:
        yield plugin


def help_of(*argv: str) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([*argv, "--help"])
    return out.getvalue()


def test_a_plugins_command_is_a_command_of_scn(capsys, third_party):
    assert re.search(r"\n    fake-hello\s+the fake backend says hello\n", help_of())
    assert main(["fake-hello", "--name", "you"]) == 0
    assert capsys.readouterr().out == "hello, you\n"
    assert main(["fake-hello", "--name", "nobody"]) == 2
    assert capsys.readouterr().err == "scn: the fake backend greets somebody\n"


def test_a_plugins_options_are_in_their_own_group_on_every_command_that_runs_specs(third_party):
    for command in ("run", "facts", "matrix"):
        text = help_of(command)
        assert "the fake backend (a third-party plugin):\n  --fake-greeting WORDS" in text, command
        assert "the aws backend (opt-in: --backend aws, an allowlisted account):" in text, command
    assert "--fake-greeting" not in help_of("check") + help_of("vocab") + help_of("sweep")


def test_a_plugin_configures_its_backend_from_its_options(capsys, good_specs, third_party):
    assert main(["run", "-q", good_specs, "--backend", "fake", "--fake-greeting", "bonjour"]) == 1  # fake's rules differ
    assert third_party.configured == [("scn", "bonjour")]
    assert main(["run", "-q", good_specs]) == 0  # a run without its backend leaves it alone
    assert third_party.configured == [("scn", "bonjour")]
    capsys.readouterr()
    assert main(["run", good_specs, "--backend", "fake", "--fake-greeting", "boom"]) == 2
    assert capsys.readouterr() == ("", "scn: the fake backend will not say boom\n")


def test_sweep_and_the_aws_options_come_from_the_aws_plugins():
    from scenario.plugins import get_plugin_manager

    pm = get_plugin_manager()
    aws, sweep = pm.get_plugin("aws"), pm.get_plugin("aws-sweep")
    assert {impl.plugin_name for impl in pm.hook.scn_cli_commands.get_hookimpls()} >= {"aws-sweep"}
    assert {impl.plugin_name for impl in pm.hook.scn_addoption.get_hookimpls()} >= {"aws"}
    order = pm.list_name_plugin()  # registration order: the order hooks answer in (backends, vocabulary columns)
    pm.unregister(aws)
    pm.unregister(sweep)
    try:
        assert "sweep" not in help_of()
        assert "--aws-account" not in help_of("run")
        with pytest.raises(SystemExit):
            main(["sweep", "--run-id", "x"])
    finally:  # every plugin again, in its first order: later tests of this process see what they would have
        for name, _plugin in order:
            if pm.has_plugin(name):
                pm.unregister(name=name)
        for name, plugin in order:
            pm.register(plugin, name)
    assert [name for name, _ in pm.list_name_plugin()] == [name for name, _ in order]
    assert "sweep" in help_of() and "--aws-account" in help_of("run")


# ---------------------------------------------------------------- --trace: the API calls under a failure
TRACED_RDS = """\
feature: traced
  scenario: a wrong claim about a db instance
    given a db instance "db"
    then "db" is stopped

  scenario: a right one
    given a db instance "db"
    then "db" is available
"""


def test_run_trace_shows_the_calls_under_a_failure_with_secrets_masked(capsys):
    pytest.importorskip("moto")
    write("t.scn", TRACED_RDS)
    assert main(["run", "t.scn", "--backend", "moto"]) == 1
    assert "API calls" not in capsys.readouterr().out  # no tracing, no transcript
    assert main(["run", "t.scn", "--backend", "moto", "--trace"]) == 1
    out = capsys.readouterr().out
    failure = out[out.index("t.scn:4:"):]
    assert out.count("API calls on moto (") == 1  # the failure's; the scenario that passed prints none
    assert "rds.create_db_instance(" in failure and "MasterUserPassword='***'" in failure
    assert re.search(r"rds\.describe_db_instances\(DBInstanceIdentifier='db'\)  → 200, \d+ ms", failure)
    assert not re.search(r"Scn[0-9a-f]{24}", out)  # the generated password never shows
