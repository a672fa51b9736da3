"""The boto3 adapter and the moto backend: error mapping, isolation, not implemented, the missing extra."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from botocore.exceptions import ClientError  # noqa: E402
from botocore.parsers import ResponseParserError  # noqa: E402

from scenario import plugins  # noqa: E402
from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.compiler import compile_text  # noqa: E402
from scenario.errors import BackendError, ConfigurationError  # noqa: E402
from scenario.runner import run_scenario  # noqa: E402
from scn_boto.adapter import Boto3World, Clients, Handle, Options  # noqa: E402
from scn_boto.errors import BackendNotImplemented, map_exception  # noqa: E402
from scn_boto.moto_backend import BACKEND, INSTALL_HINT, MotoBackend  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="module")
def _stop_the_mock_after():
    """The long-lived mock is per process: stop it once this module is done, for the tests after it."""
    yield
    BACKEND.stop()


def moto_info():
    return plugins.backend("moto")


def compile_one(text: str):
    return compile_text(textwrap.dedent(text), plugins.vocabulary(), "t.scn").scenarios


# ---------------------------------------------------------------- error mapping: the four kinds
class _Raising:
    """A stand-in ec2 client whose every call raises ``exc``."""

    def __init__(self, exc):
        self.exc = exc

    def __getattr__(self, name):
        def call(**kwargs):
            raise self.exc
        return call


def _world_raising(exc) -> Boto3World:
    return Boto3World(Clients(ec2=_Raising(exc)))


def test_a_client_error_is_a_backend_error_with_aws_code():
    exc = ClientError({"Error": {"Code": "IncorrectInstanceState", "Message": "not now"}}, "StopInstances")
    with pytest.raises(BackendError) as info:
        _world_raising(exc).act(Handle("instance", "i-1", "web"), "stop", None, {})
    assert info.value.code == "IncorrectInstanceState"
    assert "not now" in info.value.detail


def test_motos_not_implemented_error_is_not_implemented():
    w = _world_raising(NotImplementedError("The placement strategy is not yet implemented"))
    with pytest.raises(NotImplementedByBackend) as info:
        w.create("elastic ip", "eip", {}, [])
    assert isinstance(info.value, BackendNotImplemented)
    assert info.value.what.startswith("allocating an elastic ip (AllocateAddress: The placement strategy")
    assert info.value.cause == "NotImplementedError"


def test_a_leaked_python_exception_is_not_implemented_not_a_crash():
    w = _world_raising(KeyError("mariadb"))
    with pytest.raises(NotImplementedByBackend) as info:
        w.create("instance", "web", {}, [])
    assert "RunInstances raised KeyError" in info.value.what
    assert info.value.cause == "KeyError"


def test_an_unparsable_http_answer_is_not_implemented():
    w = _world_raising(ResponseParserError("Unable to parse response (not well-formed), invalid XML received: <html>500"))
    with pytest.raises(NotImplementedByBackend) as info:
        w.observe(Handle("instance", "i-1", "web"), "state")
    assert "DescribeInstances answered a page boto3 cannot parse" in info.value.what
    assert info.value.cause == "ResponseParserError"


def test_only_exceptions_inside_the_call_are_mapped():
    assert map_exception(KeyboardInterrupt(), "RunInstances") is None
    assert map_exception(NotImplementedByBackend("x"), "RunInstances") is None


def test_a_not_implemented_call_is_an_outcome_naming_it_not_a_failed_claim():
    (sc,) = compile_one("""\
        feature: f
          scenario: s
            when an elastic ip "eip" is allocated
            then it succeeds
        """)
    info = moto_info()
    real = BACKEND.__call__

    def opening():
        w = real()
        w.ec2 = _Raising(KeyError("leaked"))
        return w

    import attrs

    broken = attrs.evolve(info, open_world=opening)
    outcome = run_scenario(sc, broken)
    assert outcome.status == "error"
    assert outcome.not_implemented.startswith("allocating an elastic ip (AllocateAddress raised KeyError")
    assert outcome.message.startswith("the moto backend does not implement allocating an elastic ip")


def test_a_real_refusal_from_moto_is_a_backend_error():
    w = BACKEND()
    with pytest.raises(BackendError) as info:
        w.act(Handle("instance", "i-0123456789abcdef0", "ghost"), "stop", None, {})
    assert info.value.code == "InvalidInstanceID.NotFound"


# ---------------------------------------------------------------- vocabulary the adapter does not map
def test_unmapped_vocabulary_is_not_implemented_naming_the_item():
    w = BACKEND()
    web = w.create("instance", "web", {}, [])
    with pytest.raises(NotImplementedByBackend) as info:
        w.observe(web, "host")
    assert info.value.what == "the host of an instance"
    with pytest.raises(NotImplementedByBackend) as info:
        w.create("placement group", "pg", {}, [])
    assert info.value.what == "creating a placement group"
    with pytest.raises(NotImplementedByBackend) as info:
        w.act(web, "shutdown", None, {})
    assert info.value.what == "shutdown on an instance"
    with pytest.raises(NotImplementedByBackend):
        w.set_setting("some quota", 3)


def test_a_scenario_using_unmapped_vocabulary_is_not_implemented_on_moto():
    (sc,) = compile_one("""\
        feature: f
          scenario: s
            given a running instance "web"
            then the host of "web" is not none
        """)
    outcome = run_scenario(sc, moto_info())
    assert outcome.status == "error"
    assert outcome.not_implemented == "the host of an instance"


def test_the_backend_declares_what_it_cannot_express():
    info = moto_info()
    assert {"clock", "billing", "faults", "metadata"}.isdisjoint(info.capabilities)
    assert "instance.host" in info.unsupported
    assert "instance.launch" not in info.unsupported


# ---------------------------------------------------------------- the mapping itself
def test_the_lifecycle_through_the_adapter():
    w = BACKEND()
    web = w.create("instance", "web", {"instance type": "t3.small", "hibernation": True}, [])
    assert w.creation_states(web) == ("pending", "running")
    assert w.observe(web, "state code") == 16
    assert w.observe(web, "instance type") == "t3.small"
    assert w.observe(web, "hibernation") is True
    assert w.observe(web, "availability zone").startswith("us-east-1")
    assert w.act(web, "stop", None, {}) == ("stopping", "stopped")
    assert w.act(web, "start", None, {}) == ("pending", "running")
    assert w.act(web, "reboot", None, {}) == ("running",)
    assert w.act(web, "terminate", None, {}) == ("shutting-down", "terminated")
    assert w.exists(web)


def test_elastic_ips_through_the_adapter():
    w = BACKEND()
    web = w.create("instance", "web", {}, [])
    quiet = w.create("instance", "quiet", {"public ipv4": False}, [])
    assert w.observe(quiet, "public ipv4") is None
    eip = w.create("elastic ip", "eip", {}, [("associated with", web)])
    assert w.relations(eip) == frozenset({("associated with", web)})
    assert w.observe(web, "public ipv4") == w.observe(eip, "address")
    assert w.count_related("elastic ip", "associated with", web) == 1
    assert w.explain(web, "public ipv4") == "eip is associated"
    w.act(eip, "disassociate", None, {})
    assert w.relations(eip) == frozenset()
    w.act(eip, "release", None, {})
    assert not w.exists(eip)


def test_a_stuck_transition_times_out():
    class Stuck:
        def describe_instances(self, **kw):
            return {"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": "pending", "Code": 0}}]}]}

    ticks = iter(range(100))
    w = Boto3World(Clients(ec2=Stuck()), Options(timeout=3, poll=1, sleep=lambda s: None, clock=lambda: next(ticks)))
    with pytest.raises(TimeoutError, match="still pending after 3 s"):
        w._wait_instance(Handle("instance", "i-1", "web"), [])


# ---------------------------------------------------------------- isolation
def test_state_never_leaks_between_worlds():
    first = BACKEND()
    for n in range(3):
        first.create("instance", f"w{n}", {}, [])
        first.create("elastic ip", f"e{n}", {}, [])
    first.set_setting("elastic ip limit", 10)
    first.close()
    second = BACKEND()
    assert second.ec2.describe_instances()["Reservations"] == []
    assert second.ec2.describe_addresses()["Addresses"] == []
    assert second.settings == {}


def test_worlds_are_repeatable():
    ids = []
    for _ in range(2):
        w = BACKEND()
        ids.append((w.create("instance", "web", {}, []).id, w.create("elastic ip", "eip", {}, []).id))
    assert ids[0] == ids[1]


def test_isolation_under_xdist(tmp_path):
    test = tmp_path / "test_iso.py"
    test.write_text(textwrap.dedent("""\
        import pytest
        from scn_boto.moto_backend import BACKEND

        @pytest.mark.parametrize("n", range(12))
        def test_fresh(n):
            w = BACKEND()
            assert w.ec2.describe_instances()["Reservations"] == []
            assert w.ec2.describe_addresses()["Addresses"] == []
            for k in range(n % 4 + 1):
                w.create("instance", f"w{k}", {}, [])
                w.create("elastic ip", f"e{k}", {}, [])
        """))
    spec = tmp_path / "iso.scn"
    spec.write_text(textwrap.dedent("""\
        feature: isolation
          scenario outline: a fresh world each time <n>
            given <n> elastic ips
            and a running instance "web"
            and an elastic ip "eip" associated with "web"
            then the number of elastic ips associated with "web" is 1

            examples:
              | n |
              | 2 |
              | 3 |
              | 4 |
              | 5 |
        """))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
                          "--scn-backend", "moto", str(test), str(spec)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "16 passed" in run.stdout


# ---------------------------------------------------------------- a missing install
def test_a_missing_moto_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "moto", None)
    with pytest.raises(ConfigurationError) as info:
        MotoBackend().check()
    assert str(info.value) == INSTALL_HINT == "the moto backend needs moto: pip install 'scn[moto]'"


def test_the_cli_says_it_in_one_line(monkeypatch, capsys, tmp_path):
    from scenario.cli import main

    spec = tmp_path / "a.scn"
    spec.write_text("feature: f\n  scenario: s\n    given a running instance \"web\"\n    then \"web\" is running\n")
    monkeypatch.setitem(sys.modules, "moto", None)
    assert main(["run", str(spec), "--backend", "moto"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "scn: the moto backend needs moto: pip install 'scn[moto]'"


def test_the_backend_is_registered_through_the_entry_point_group():
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="scn")}
    assert names.get("moto") == "scn_boto.moto_backend"
