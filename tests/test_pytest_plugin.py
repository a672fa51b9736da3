"""The pytest plugin, through pytest's public ``pytester`` fixture.

Most runs are in-process (fast); the xdist run is a real subprocess. A second
backend (the in-memory fake of tests/helpers) is registered on scn's plugin
manager for the tests that need one, and unregistered afterwards.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import samples  # noqa: E402
from helpers.fake_backend import FakePlugin, ThirdPartyPlugin, registered  # noqa: E402

import scenario.loader  # noqa: E402,F401  imported once here, not again in every in-process run
import scenario.reporting  # noqa: E402,F401
from scenario import plugins  # noqa: E402
from scenario.compiler import compile_text  # noqa: E402
from scenario.errors import SpecErrors  # noqa: E402

pytest_plugins = ["pytester"]

IP_SCN = """\
@ec2 @networking
feature: EC2 IP addressing across stop and start

  background:
    given a default vpc

  @fact(ec2.ip.public-released-on-stop)
  scenario: a public IPv4 is released on stop and replaced on start
    given a running instance "web" with a public ipv4
    when "web" is stopped
    then "web" is stopped
    and "web" has no public ipv4
    when "web" is started
    then "web" has a public ipv4

  @needs-review
  scenario: a stop and start gives a new public IPv4 and keeps the private one
    given a running instance "web" with a public ipv4
    when "web" is stopped and started
    then the public ipv4 of "web" changes
    and the private ipv4 of "web" is unchanged

  scenario outline: lifecycle actions end in their documented state
    given a running instance "web"
    when "web" is <action>
    then "web" is <state>

    examples:
      | action     | state      |
      | stopped    | stopped    |
      | rebooted   | running    |
      | terminated | terminated |
"""

IP_IDS = [
    "ip.scn::a public IPv4 is released on stop and replaced on start[reference]",
    "ip.scn::a stop and start gives a new public IPv4 and keeps the private one[reference]",
    "ip.scn::lifecycle actions end in their documented state[stopped-stopped][reference]",
    "ip.scn::lifecycle actions end in their documented state[rebooted-running][reference]",
    "ip.scn::lifecycle actions end in their documented state[terminated-terminated][reference]",
]

EIP_SCN = """\
feature: Elastic IPs
  scenario: an elastic ip is allocated
    when an elastic ip "eip" is allocated
    then "eip" exists
"""

FAILING_SCN = samples.FAILING

FAKE_SCN = """\
feature: on two backends
  scenario: billed
    given a running instance "web"
    then "web" is billed

  @diverges(fake, "the fake keeps the address on stop")
  scenario: released on stop
    given a running instance "web"
    when "web" is stopped
    then "web" has no public ipv4

  @diverges(fake, "no longer true")
  scenario: still running
    given a running instance "web"
    then "web" is running

  @misbelief("stop keeps the address")
  scenario: wrong belief
    given a running instance "web"
    when "web" is stopped
    then "web" has a public ipv4

  @only(reference)
  scenario: reference only
    given a running instance "web"
    then "web" is running
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path / "scn-cache"))


@pytest.fixture
def fake_backend_plugin():
    """Register the fake backend on scn's plugin manager for one test."""
    with registered(FakePlugin(), "scn-tests-fake") as plugin:
        yield plugin


def esc(text: str) -> str:
    """``text`` as a literal fnmatch pattern (node ids hold brackets)."""
    return re.sub(r"[\[\]]", lambda m: f"[{m.group()}]", text)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # hypothesis's plugin would import hypothesis afresh in every in-process run (pytester
    # restores sys.modules afterwards): a second each; these runs do not need it
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark", *args)


def diagnostics(path: str, text: str) -> list[str]:
    """The lines scn's compiler prints for the mistakes in ``text``."""
    with pytest.raises(SpecErrors) as info:
        compile_text(text, plugins.vocabulary(), path)
    return info.value.render().splitlines()


def no_python_traceback(result: pytest.RunResult) -> None:
    out = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in out
    assert "scenario/runner.py" not in out
    assert "/_pytest/" not in out
    assert "raise " not in out


# ---------------------------------------------------------------- collection


def test_scn_files_are_collected_with_no_python_glue(pytester):
    pytester.makefile(".scn", ip=IP_SCN)
    result = run(pytester, "-v")
    result.assert_outcomes(passed=5)
    assert result.ret == 0
    result.stdout.fnmatch_lines([esc(nid) + " PASSED*" for nid in IP_IDS])
    result.stdout.fnmatch_lines(["scn backends: reference"])


def test_collect_only_quiet_lists_node_ids(pytester):
    pytester.makefile(".scn", ip=IP_SCN)
    result = run(pytester, "--collect-only", "-q")
    assert result.ret == 0
    assert result.stdout.lines[:6] == IP_IDS + [""]
    assert result.stdout.lines[6].startswith("5 tests collected in ")


def test_node_ids_of_a_spec_in_a_folder(pytester):
    pytester.mkdir("specs")
    (pytester.path / "specs" / "eip.scn").write_text(EIP_SCN)
    result = run(pytester, "--collect-only", "-q")
    assert result.stdout.lines[0] == "specs/eip.scn::an elastic ip is allocated[reference]"


def test_tags_are_markers_and_strict_markers_passes(pytester):
    pytester.makefile(".scn", ip=IP_SCN, eip=EIP_SCN)
    result = run(pytester, "--strict-markers", "-m", "networking", "-v")
    result.assert_outcomes(passed=5, deselected=1)
    assert result.ret == 0


@pytest.mark.parametrize(
    "expr, selected",
    [
        ("fact", [IP_IDS[0]]),
        ("needs-review", [IP_IDS[1]]),
        ("ec2 and not needs-review", [IP_IDS[0]] + IP_IDS[2:]),
        ("not networking", ["eip.scn::an elastic ip is allocated[reference]"]),
        ("scn", ["eip.scn::an elastic ip is allocated[reference]"] + IP_IDS),
    ],
)
def test_dash_m_selects_by_tag(pytester, expr, selected):
    pytester.makefile(".scn", ip=IP_SCN, eip=EIP_SCN)
    result = run(pytester, "--strict-markers", "-m", expr, "--collect-only", "-q")
    assert result.ret == 0
    assert result.stdout.lines[: len(selected)] == selected
    assert result.stdout.lines[len(selected)] == ""


def test_dash_k_selects_by_title_and_row(pytester):
    pytester.makefile(".scn", ip=IP_SCN)
    result = run(pytester, "-k", "rebooted or released", "-v")
    result.assert_outcomes(passed=2, deselected=3)
    result.stdout.fnmatch_lines([esc(IP_IDS[0]) + " PASSED*", esc(IP_IDS[3]) + " PASSED*"])


BAD_SCN = 'feature: f\n  scenario: s\n    given a runing instance "web"\n'
SYNTAX_SCN = 'feature: f\n  Scenaro: s\n    given a running instance "web"\n'


def test_a_compile_error_is_a_collection_error_of_that_file(pytester):
    pytester.makefile(".scn", ip=IP_SCN, bad=BAD_SCN)
    expected = diagnostics("bad.scn", BAD_SCN)
    assert expected[0].startswith("bad.scn:3:13: error: `runing`")
    assert expected[1] == '       3 |     given a runing instance "web"'
    assert expected[2][:23] == "         |             " and set(expected[2][23:]) == {"^"}  # the caret under `runing`
    assert "did you mean `running`?" in expected[3]
    result = run(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting bad.scn*", *map(esc, expected), "*short test summary info*", "ERROR bad.scn"])
    assert "PASSED" not in result.stdout.str()
    no_python_traceback(result)


def test_a_syntax_error_is_a_collection_error_with_a_caret(pytester):
    pytester.makefile(".scn", syn=SYNTAX_SCN)
    expected = diagnostics("syn.scn", SYNTAX_SCN)
    assert expected[:4] == [
        "syn.scn:2:3: syntax error: `Scenaro:` is not a keyword",
        "       2 |   Scenaro: s",
        "         |   ^^^^^^^^",
        "    hint: did you mean `scenario:`?",
    ]
    result = run(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting syn.scn*", *map(esc, expected)])
    no_python_traceback(result)


def test_other_files_still_run_after_a_collection_error(pytester):
    pytester.makefile(".scn", ip=IP_SCN, bad=BAD_SCN)
    result = run(pytester, "--continue-on-collection-errors")
    result.assert_outcomes(passed=5, errors=1)


def test_an_unknown_backend_is_a_usage_error_listing_installed_backends(pytester):
    pytester.makefile(".scn", ip=IP_SCN)
    result = run(pytester, "--scn-backend", "nosuch")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --scn-backend: unknown backend 'nosuch'; installed backends: aws, moto, reference"])
    assert "collecting" not in result.stdout.str()
    no_python_traceback(result)


# ---------------------------------------------------------------- outcomes


def test_a_failed_scenario_prints_its_lines_with_the_failing_step_marked(pytester):
    pytester.makefile(".scn", failing=FAILING_SCN)
    result = run(pytester)
    result.assert_outcomes(failed=1, errors=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*scenario: stop keeps the address [[]reference[]]*",
        'failing.scn:5:5: failed on reference: "web" was expected to have a public ipv4 but has none',
        "       2 | scenario: stop keeps the address",
        '       3 | given a running instance "web"',
        '       4 | when "web" is stopped',
        '  >    5 | then "web" has a public ipv4',
        '  E      | "web" was expected to have a public ipv4 but has none',
        '  -    6 | and "web" is stopped   (not run)',
    ])
    result.stdout.fnmatch_lines(["FAILED failing.scn::stop keeps the address[[]reference[]] - failing.scn:5:5: fail*"])
    assert "scenario/pytest_plugin.py" not in result.stdout.str()
    no_python_traceback(result)


def test_a_refused_given_is_a_pytest_error(pytester):
    pytester.makefile(".scn", failing=FAILING_SCN)
    result = run(pytester, "-k", "too and many")
    result.assert_outcomes(errors=1, deselected=1)
    result.stdout.fnmatch_lines([
        "*ERROR at setup of scenario: too many addresses [[]reference[]]*",
        "failing.scn:10:5: error on reference: setup failed: `given 2 elastic ips` was refused: AddressLimitExceeded: "
        "The maximum number of addresses has been reached.",
        "       8 | scenario: too many addresses",
        "       9 | given the elastic ip limit is 1",
        "  >   10 | given 2 elastic ips",
        "  E      | setup failed: `given 2 elastic ips` was refused: AddressLimitExceeded: "
        "The maximum number of addresses has been reached.",
    ])
    result.stdout.fnmatch_lines(["ERROR failing.scn::too many addresses[[]reference[]] - *"])
    assert "scenario/pytest_plugin.py" not in result.stdout.str()
    no_python_traceback(result)


def test_junitxml_has_one_testcase_per_item(pytester):
    pytester.makefile(".scn", ip=IP_SCN, failing=FAILING_SCN)
    result = run(pytester, "--junitxml=out.xml")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    suite = ET.parse(pytester.path / "out.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "1", "1")
    cases = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")]
    assert cases == [
        ("failing.scn", "stop keeps the address[reference]"),
        ("failing.scn", "too many addresses[reference]"),
    ] + [("ip.scn", nid.split("::")[1]) for nid in IP_IDS]
    (failure,) = suite.iter("failure")
    assert '"web" was expected to have a public ipv4 but has none' in failure.text
    (error,) = suite.iter("error")
    assert "setup failed: `given 2 elastic ips` was refused" in error.text


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
def test_xdist_runs_scenarios_in_parallel(pytester):
    pytester.makefile(".scn", ip=IP_SCN, eip=EIP_SCN)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["created: 2/2 workers", "*6 passed*"])


# ---------------------------------------------------------------- a second backend


def test_two_backends_give_one_item_each(pytester, fake_backend_plugin):
    pytester.makefile(".scn", eip=EIP_SCN)
    result = run(pytester, "--scn-backend", "reference", "--scn-backend", "fake", "--collect-only", "-q")
    assert result.stdout.lines[:2] == [
        "eip.scn::an elastic ip is allocated[reference]",
        "eip.scn::an elastic ip is allocated[fake]",
    ]


def _record_keys(pytester, *args: str) -> list[list[str]]:
    """The user_properties keys of each setup report of an in-process run."""
    rec = pytester.inline_run("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark", *args)
    reports = rec.getreports("pytest_runtest_logreport")
    return [[key for key, _ in r.user_properties] for r in reports if r.when == "setup"]


def test_matrix_records_ride_on_reports_only_when_something_reads_them(pytester, fake_backend_plugin):
    pytester.makefile(".scn", eip=EIP_SCN)
    assert _record_keys(pytester) == [[]]  # one backend, no --scn-record: no matrix to print, nothing carried
    assert _record_keys(pytester, "--scn-backend", "reference", "--scn-backend", "fake") == [
        ["scn_matrix_record"], ["scn_matrix_record"]]
    recorded = _record_keys(pytester, "--scn-record", str(pytester.path / "v.toml"))
    assert recorded == [["scn_matrix_record", "scn_run_info"]]


def test_unknown_backend_lists_every_installed_backend(pytester, fake_backend_plugin):
    pytester.makefile(".scn", eip=EIP_SCN)
    result = run(pytester, "--scn-backend", "nosuch")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --scn-backend: unknown backend 'nosuch'; installed backends: aws, fake, moto, reference"])


# ---------------------------------------------------------------- a plugin's own options


@pytest.fixture
def third_party_plugin():
    """A third-party backend plugin with its own option, registered on scn's plugin manager for one test."""
    with registered(ThirdPartyPlugin(), "scn-tests-third-party") as plugin:
        yield plugin


def test_a_plugins_options_are_pytest_options_in_their_own_group(pytester, third_party_plugin):
    result = run(pytester, "--help")
    assert result.ret == 0
    result.stdout.fnmatch_lines([
        "scn's aws backend (opt-in: --scn-backend aws, an allowlisted account):",
        "  --scn-aws-account=ACCOUNT_ID",
    ])
    result.stdout.fnmatch_lines([
        "the fake backend (a third-party plugin):",
        "  --scn-fake-greeting=WORDS",
        "*what the fake backend says when it is configured",
    ])


def test_a_plugin_configures_its_backend_from_its_pytest_options(pytester, third_party_plugin):
    pytester.makefile(".scn", eip=EIP_SCN)
    result = run(pytester, "--scn-backend", "fake", "--scn-fake-greeting", "bonjour", "--collect-only")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["scn backends: fake (fake says bonjour)"])
    assert third_party_plugin.configured == [("pytest", "bonjour")]
    result = run(pytester, "--scn-fake-greeting", "boom", "--collect-only")  # its backend is not used
    assert result.ret == 0 and third_party_plugin.configured == [("pytest", "bonjour")]
    result = run(pytester, "--scn-backend", "fake", "--scn-fake-greeting", "boom")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: scn: the fake backend will not say boom"])


def test_outcomes_on_a_backend_with_fewer_capabilities_and_divergences(pytester, fake_backend_plugin):
    pytester.makefile(".scn", two=FAKE_SCN)
    result = run(pytester, "--strict-markers", "--scn-backend", "reference", "--scn-backend", "fake", "-rA")
    result.assert_outcomes(passed=4, failed=2, skipped=2, xfailed=2)
    result.stdout.fnmatch_lines(["scn backends: reference, fake"])
    out = result.stdout.lines
    summary = {line.split(" - ")[0]: line for line in out[out.index(next(x for x in out if "short test summary info" in x)):]}

    def status(title: str, backend: str) -> str:
        found = [line.split(" ")[0] for line in summary if f"two.scn::{title}[{backend}]" in line]
        assert len(found) == 1, (title, backend, summary)
        return found[0]

    assert {t: status(t, "reference") for t in ("billed", "released on stop", "still running", "reference only")} == {
        "billed": "PASSED", "released on stop": "PASSED", "still running": "PASSED", "reference only": "PASSED"}
    assert status("wrong belief", "reference") == "XFAIL"
    assert status("released on stop", "fake") == "XFAIL"
    assert status("still running", "fake") == "FAILED"
    assert status("wrong belief", "fake") == "FAILED"
    result.stdout.fnmatch_lines([
        "XFAIL two.scn::released on stop[[]fake[]] - known divergence of fake: the fake keeps the address on stop",
        "XFAIL two.scn::wrong belief[[]reference[]] - misbelief caught (stop keeps the address): "
        '"web" was expected to have a public ipv4 but has none',
    ])
    result.stdout.fnmatch_lines(["SKIPPED [[]1[]] *: needs billing", "SKIPPED [[]1[]] *: only runs on reference"])
    result.stdout.fnmatch_lines([
        "*scenario: still running [[]fake[]]*",
        'two.scn:13:3: xpassed on fake: stale divergence: @diverges(fake, "no longer true") but the scenario passed on fake',
        "*",
        '  E      | stale divergence: @diverges(fake, "no longer true") but the scenario passed on fake',
    ])
    result.stdout.fnmatch_lines(['  E      | @misbelief("stop keeps the address") but the scenario passed on fake'])
    no_python_traceback(result)


def test_needs_capability_skip_reason_in_verbose_output(pytester, fake_backend_plugin):
    pytester.makefile(".scn", two=FAKE_SCN)
    result = run(pytester, "--scn-backend", "fake", "-k", "billed", "-v", "-rs")
    result.assert_outcomes(skipped=1, deselected=4)
    result.stdout.fnmatch_lines(["two.scn::billed[[]fake[]] SKIPPED (needs billing)*"])


# ---------------------------------------------------------------- the collector's work


FREEZE_PROBE = """
import gc

def pytest_runtest_setup(item):
    with open("freeze-counts.txt", "a") as fh:
        fh.write(f"{gc.get_freeze_count()}\\n")
"""


def _freeze_counts(pytester) -> list[int]:
    return [int(n) for n in (pytester.path / "freeze-counts.txt").read_text().split()]


def test_collected_scenarios_are_moved_out_of_the_garbage_collectors_sight(pytester):
    import gc

    gc.unfreeze()
    pytester.makeconftest(FREEZE_PROBE)
    pytester.makefile(".scn", ip=IP_SCN)
    run(pytester, "-q").assert_outcomes(passed=5)
    assert all(n > 0 for n in _freeze_counts(pytester))
    gc.collect(0)  # this process goes on: the collector's next pass (the youngest will do) ends the freeze
    assert gc.get_freeze_count() == 0
    assert sum(cb.__name__ == "_thaw" for cb in gc.callbacks) == 1  # hooked once a process, however many sessions


AT_EXIT_PROBE = """
import atexit, gc

def _after_pytest():  # registered before scn's own exit hook: runs after it
    gc.collect()
    with open("at-exit.txt", "w") as fh:
        fh.write(str(gc.get_freeze_count()))

atexit.register(_after_pytest)
"""


def test_a_process_that_exits_after_the_session_does_not_scan_its_objects_again(pytester):
    pytester.makeconftest(AT_EXIT_PROBE)
    pytester.makefile(".scn", ip=IP_SCN)
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=5)
    assert int((pytester.path / "at-exit.txt").read_text()) > 0  # still frozen at exit, even through a full pass


def test_no_freeze_when_python_tests_share_the_session(pytester):
    import gc

    gc.unfreeze()
    pytester.makeconftest(FREEZE_PROBE)
    pytester.makefile(".scn", ip=IP_SCN)
    pytester.makepyfile(test_plain="def test_one():\n    pass\n")
    run(pytester, "-q").assert_outcomes(passed=6)
    assert _freeze_counts(pytester) == [0] * 6


# ---------------------------------------------------------------- a spec is data


TAGS_SCN = """\
feature: tags pytest would act on
  @skip @xfail @filterwarnings(bogus)
  @skipif("open('PWNED', 'w').write('x') or True")
  scenario: tagged
    given a running instance "web"
    then "web" is running
"""


def test_tags_named_like_acting_markers_never_act(pytester):
    pytester.makefile(".scn", tags=TAGS_SCN)
    result = run(pytester, "-q", "--strict-markers")
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "PWNED").exists()
    # they are still markers, under a name of scn's own
    run(pytester, "-q", "-m", "scn_skipif").assert_outcomes(passed=1)
    run(pytester, "-q", "-m", "not scn_xfail").assert_outcomes(deselected=1)


def test_a_binary_scn_file_of_another_tool_is_not_collected(pytester):
    (pytester.path / "scene.scn").write_bytes(b"RSRC\x00\x01\x02binary scene")
    pytester.makefile(".scn", ip=IP_SCN)
    run(pytester, "-q").assert_outcomes(passed=5)


def test_a_spec_that_is_not_utf8_is_a_positioned_error(pytester):
    (pytester.path / "latin.scn").write_bytes(b"feature: caf\xe9\n")
    result = run(pytester, "-q")
    result.stdout.fnmatch_lines([
        "latin.scn:1:13: syntax error: this file is not UTF-8 text: byte 0xe9 cannot be read",
        "*hint: save it as UTF-8*",
    ])
    no_python_traceback(result)


def test_an_unknown_backend_in_a_tag_is_a_warning(pytester):
    pytester.makefile(".scn", only="feature: f\n  @only(refrence)\n  scenario: s\n    given a running instance \"web\"\n")
    result = run(pytester, "-q", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines([
        "*only.scn:2:3: @only names the backend 'refrence', which is not installed (installed: aws, moto, reference); did you mean reference?*",
    ])


def test_locations_open_from_where_pytest_was_started(pytester, monkeypatch):
    pytester.makeini("[pytest]\n")
    sub = pytester.mkdir("sub")
    (sub / "failing.scn").write_text(FAILING_SCN)
    monkeypatch.chdir(sub)
    result = run(pytester, "-q", "failing.scn")
    result.stdout.fnmatch_lines(['failing.scn:5:5: failed on reference: *'])


# ---------------------------------------------------------------- --scn-trace
TRACED_RDS = """\
feature: traced
  scenario: a wrong claim about a db instance
    given a db instance "db"
    then "db" is stopped
"""


def test_scn_trace_shows_the_calls_under_a_failure_with_secrets_masked(pytester):
    pytest.importorskip("moto")
    pytester.makefile(".scn", t=TRACED_RDS)
    plain = run(pytester, "--scn-backend", "moto")
    plain.assert_outcomes(failed=1)
    assert "API calls" not in plain.stdout.str()
    traced = run(pytester, "--scn-backend", "moto", "--scn-trace")
    traced.assert_outcomes(failed=1)
    out = traced.stdout.str()
    traced.stdout.fnmatch_lines(["*E      | \"db\" was expected to be stopped but is available*",
                                 "*API calls on moto (* calls, the teardown's included, secrets masked):*",
                                 "*rds.create_db_instance(*MasterUserPassword='***'*"])
    assert not re.search(r"Scn[0-9a-f]{24}", out)
    no_python_traceback(traced)

