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
from scn_boto.services import KINDS, ec2  # noqa: E402

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
    return Boto3World(Clients(ec2=_Raising(exc)), kinds=KINDS)


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
        w.clients = Clients(ec2=_Raising(KeyError("leaked")))
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
    with pytest.raises(NotImplementedByBackend) as info:  # mapped; moto lacks the action
        w.create("placement group", "pg", {}, [])
    assert info.value.what.startswith("creating a placement group (CreatePlacementGroup")
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
    assert "instance.host" in info.unsupported  # the core asks the backend's supports(item), outside its hook
    assert "instance.launch" not in info.unsupported
    from scn_boto import moto_backend

    assert not moto_backend.supports("instance.host") and moto_backend.supports("instance.launch")


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
    w = Boto3World(Clients(ec2=Stuck()), Options(timeout=3, poll=1, sleep=lambda s: None, clock=lambda: next(ticks)),
                   kinds=KINDS)
    with pytest.raises(TimeoutError, match="still pending after 3 s"):
        ec2.wait_instance(w, Handle("instance", "i-1", "web"), [])


# ---------------------------------------------------------------- the service registry
def test_capabilities_come_from_the_service_registry(monkeypatch):
    from scn_boto import moto_backend, services

    monkeypatch.setattr(moto_backend, "lambda_invoke_reachable", lambda: False)
    assert moto_backend.capabilities() == services.capabilities() | {"limits"}
    assert {"ec2", "lambda"} <= moto_backend.capabilities()
    monkeypatch.setattr(moto_backend, "lambda_invoke_reachable", lambda: True)
    assert moto_backend.capabilities() == services.capabilities() | {"limits", "lambda-invoke"}
    without = tuple(s for s in services.SERVICES if s.capability != "lambda")
    monkeypatch.setattr(services, "SERVICES", without)
    assert "lambda-invoke" not in moto_backend.capabilities()  # invoking needs Lambda mapped, whatever Docker says


def test_every_mapped_name_is_in_the_vocabulary():
    """A service module maps vocabulary names exactly: a typo would silently stay not implemented."""
    from scn_boto import services

    kinds = plugins.vocabulary().kinds
    for service in services.SERVICES:
        assert service.clients, service.capability
        for m in service.kinds:
            assert m.name in kinds, m.name
            k = kinds[m.name]
            assert m.attributes <= {a.name for a in k.attributes} | {"state"}, m.name
            assert m.actions <= {a.verb for a in k.actions}, m.name
            assert m.relations <= {r.name for r in k.relations}, m.name
            assert m.params <= {a.name for a in k.attributes}, m.name
            assert m.implicit == k.implicit and (m.create is None) == k.implicit, m.name
            assert k.capability in (None, service.capability), m.name


def test_an_unmapped_kind_is_not_implemented():
    w = BACKEND()
    with pytest.raises(NotImplementedByBackend) as info:
        w.create("cloudwatch metric", "m", {}, [])
    assert info.value.what == "creating a cloudwatch metric"
    ghost = Handle("cloudwatch metric", "m", "m")
    with pytest.raises(NotImplementedByBackend) as info:
        w.observe(ghost, "sum")
    assert info.value.what == "the sum of a cloudwatch metric"
    with pytest.raises(NotImplementedByBackend) as info:
        w.act(ghost, "select", None, {})
    assert info.value.what == "select on a cloudwatch metric"
    with pytest.raises(NotImplementedByBackend) as info:
        w.count_related("cloudwatch metric", "of", ghost)
    assert info.value.what == "counting cloudwatch metrics of something"


def test_a_missing_moto_extra_is_one_line_naming_it(monkeypatch):
    import moto.backends

    from scn_boto.errors import MissingExtra

    def get_backend(name):
        raise ModuleNotFoundError("No module named 'docker'", name="docker")

    monkeypatch.setattr(moto.backends, "get_backend", get_backend)
    with pytest.raises(MissingExtra) as info:
        MotoBackend().check_service("lambda")
    assert str(info.value) == ("the moto backend needs moto's awslambda extra for lambda (docker is missing): "
                               "pip install 'scn[moto]' (or 'moto[awslambda]')")
    assert isinstance(info.value, ConfigurationError)


def test_only_the_services_a_world_touched_are_reset(monkeypatch):
    from scn_boto import moto_backend

    BACKEND().client("ec2")  # the ec2 client made (its extra checked) before counting, whatever ran before
    BACKEND()  # whatever came before is reset now
    reset: list[str] = []
    real = moto_backend._moto_backends_of
    monkeypatch.setattr(moto_backend, "_moto_backends_of", lambda name: reset.append(name) or real(name))
    w = BACKEND()
    assert reset == [] and BACKEND._touched == set()
    w.create("instance", "web", {}, [])
    assert BACKEND._touched == {"ec2"}
    BACKEND()
    assert reset == ["ec2"] and BACKEND._touched == set()


# ---------------------------------------------------------------- transcripts
class _Answering:
    def __getattr__(self, name):
        def call(**kwargs):
            if name == "fail":
                raise ClientError({"Error": {"Code": "InvalidParameterValue", "Message": "no"},
                                   "ResponseMetadata": {"HTTPStatusCode": 400}}, "Fail")
            return {"ResponseMetadata": {"HTTPStatusCode": 200}}
        return call


def test_a_transcript_records_each_call_with_secrets_masked():
    w = Boto3World(Clients(rds=_Answering(), **{"lambda": _Answering()}), kinds=KINDS)
    w.call("rds", "create_db_instance", "creating a db instance", DBInstanceIdentifier="db",
           MasterUserPassword="hunter2", Tags=[{"Key": "Name", "Value": "db"}])
    w.call("lambda", "create_function", "creating a function", FunctionName="fn", Code={"ZipFile": b"PK" * 500},
           Environment={"Variables": {"API_TOKEN": "abc", "MODE": "x" * 500}})
    with pytest.raises(BackendError):
        w.call("rds", "fail", "failing", SecretAccessKey="AKIA", SessionToken="tok")
    first, second, third = w.transcript()
    assert first.startswith("rds.create_db_instance(DBInstanceIdentifier='db', MasterUserPassword='***', "
                            "Tags=[{'Key': 'Name', 'Value': 'db'}])  → 200, ")
    assert first.endswith(" ms")
    assert "'ZipFile': '<1000 bytes>'" in second and "'API_TOKEN': '***'" in second and "(+440 chars)" in second
    assert third.startswith("rds.fail(SecretAccessKey='***', SessionToken='***')  → InvalidParameterValue, ")
    assert not any(secret in line for line in w.transcript() for secret in ("hunter2", "AKIA", "tok'", "abc"))
    assert [c.status for c in w.calls] == ["200", "200", "InvalidParameterValue"]


def test_a_moto_world_has_a_transcript():
    w = BACKEND()
    web = w.create("instance", "web", {}, [])
    w.observe(web, "state")
    lines = w.transcript()
    assert lines[0].startswith("ec2.run_instances(ImageId='ami-12c6146b', MinCount=1, MaxCount=1, ")
    assert "→ 200" in lines[0]
    assert all(line.startswith("ec2.describe_instances(InstanceIds=[") for line in lines[1:])
    with pytest.raises(BackendError):
        w.act(Handle("instance", "i-0123456789abcdef0", "ghost"), "stop", None, {})
    assert " → InvalidInstanceID.NotFound, " in w.transcript()[-1]


def test_the_world_contract_has_an_empty_transcript_by_default():
    from scenario.backend import World

    assert World.transcript(object()) == ()


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


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
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
