"""The aws backend, proven against a moto server on 127.0.0.1 that the tests start themselves.

Everything goes through the HTTP client path real AWS takes (botocore → an
endpoint URL); faults (throttling, dependency violations, a stuck state) are
injected with botocore's own event hooks on the backend's client, so the retry
and the wait code that runs is the real one.
"""

from __future__ import annotations

import functools
import textwrap
import time

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto")

from botocore.awsrequest import AWSResponse  # noqa: E402
from helpers.moto_server import ACCOUNT, aws_env, ec2_client, live_tagged, moto_server  # noqa: E402,F401

from scenario import plugins  # noqa: E402
from scenario.backend import BackendFault, BackendInfo, NotImplementedByBackend, World  # noqa: E402
from scenario.cli import main  # noqa: E402
from scenario.compiler import compile_text  # noqa: E402
from scenario.errors import ConfigurationError  # noqa: E402
from scenario.runner import run_raw, run_scenario  # noqa: E402
from scn_boto.aws_backend import CAPABILITIES, AwsBackend, endpoint_kind  # noqa: E402
from scn_boto.aws_options import DEFAULT_INSTANCE_TYPES, AwsOptions, from_values  # noqa: E402

pytest_plugins = ["pytester"]

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"


def scenarios(text: str):
    return compile_text(textwrap.dedent(text), plugins.vocabulary(), "t.scn").scenarios


def make(url: str, **kw) -> tuple[AwsBackend, BackendInfo]:
    options = dict(accounts=(ACCOUNT,), endpoint_url=url, settle=0.0, poll=0.01, timeout=5.0)
    options.update(kw)
    backend = AwsBackend(AwsOptions(**options))
    return backend, BackendInfo("aws", CAPABILITIES, backend)


def hook(backend: AwsBackend, event: str, handler) -> None:
    backend.check()
    backend._clients.ec2.meta.events.register(event, handler)


class _Raw:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **kw):
        yield self.body


def ec2_error(code: str, status: int = 400) -> AWSResponse:
    body = (f'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
            f"<Message>injected {code}</Message></Error></Errors><RequestID>x</RequestID></Response>").encode()
    return AWSResponse("http://127.0.0.1/", status, {}, _Raw(body))


def failing(code: str, times: int, status: int = 400):
    """A before-send handler that answers ``code`` the first ``times`` calls (forever if times < 0)."""
    calls = []

    def handler(request, **kw):
        calls.append(1)
        if times < 0 or len(calls) <= times:
            return ec2_error(code, status)
        return None

    handler.calls = calls
    return handler


ONE = """\
    feature: f
      scenario: an elastic ip on a running instance
        given a running instance "web"
        and an elastic ip "eip" associated with "web"
        when "web" is stopped
        then "web" is stopped
    """


# ---------------------------------------------------------------- options
def test_options_come_from_values_and_the_environment():
    values = {"accounts": ["111111111111"], "region": "eu-west-1", "instance_types": ["t3.micro"], "timeout": 30.0}
    o = from_values(values.get, {"SCN_AWS_ACCOUNTS": "222222222222, 333333333333", "AWS_ENDPOINT_URL": "http://127.0.0.1:1"})
    assert o.accounts == ("111111111111", "222222222222", "333333333333")
    assert (o.region, o.instance_types, o.timeout, o.endpoint_url) == ("eu-west-1", ("t3.micro",), 30.0, "http://127.0.0.1:1")
    assert o.endpoint_kind == "custom endpoint" and o.run_id.startswith("scn-")
    defaults = from_values(lambda d: None, {})
    assert defaults.accounts == () and defaults.instance_types == DEFAULT_INSTANCE_TYPES and defaults.endpoint_url is None
    with pytest.raises(ConfigurationError, match="not an AWS account id"):
        from_values({"accounts": ["12345"]}.get, {})
    with pytest.raises(ConfigurationError, match="run id"):
        from_values({"run_id": "bad id;"}.get, {})


def test_endpoint_kind_is_aws_only_for_amazonaws_hosts():
    assert endpoint_kind(None) == "aws"
    assert endpoint_kind("https://ec2.eu-west-1.amazonaws.com") == "aws"
    assert endpoint_kind("http://127.0.0.1:5000") == "custom endpoint"
    assert endpoint_kind("https://amazonaws.com.evil.example") == "custom endpoint"


# ---------------------------------------------------------------- opt-in and allowlist
def test_the_aws_backend_is_never_a_default(tmp_path, capsys):
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    assert main(["run", str(spec), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "reference" in out and "aws" not in out


def test_refuses_without_an_allowlist(aws_env, tmp_path, capsys):
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    assert main(["run", str(spec), "--backend", "aws", "--endpoint-url", aws_env]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "runs only on allowlisted accounts and none is given" in err and "--aws-account" in err
    assert "SCN_AWS_ACCOUNTS" in err


def test_refuses_an_account_not_on_the_allowlist_and_never_prints_credentials(aws_env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    assert main(["run", str(spec), "--backend", "aws", "--endpoint-url", aws_env, "--aws-account", "111111111111"]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err == (f"scn: the aws backend runs only on allowlisted accounts; account {ACCOUNT} is not on it — add it "
                   f"with --aws-account {ACCOUNT} (pytest: --scn-aws-account {ACCOUNT}) or SCN_AWS_ACCOUNTS={ACCOUNT}\n")
    assert SECRET not in captured.out + err and "testing" not in err
    assert ec2_client(aws_env).describe_instances()["Reservations"] == []


def test_runs_on_an_account_allowlisted_by_the_environment(aws_env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SCN_AWS_ACCOUNTS", ACCOUNT)
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    assert main(["run", str(spec), "--backend", "aws", "--endpoint-url", aws_env, "--run-id", "env-run", "--poll", "0.01"]) == 0
    assert "1 scenario run" in capsys.readouterr().out
    assert live_tagged(aws_env, "env-run") == []  # torn down


def test_the_endpoint_comes_from_aws_endpoint_url_too(aws_env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws_env)
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    assert main(["run", str(spec), "--backend", "aws", "--aws-account", ACCOUNT, "--poll", "0.01"]) == 0


def test_no_credentials_is_one_line(aws_env, tmp_path, capsys, monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key)
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    assert main(["run", str(spec), "--backend", "aws", "--endpoint-url", aws_env, "--aws-account", ACCOUNT]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no AWS credentials were found" in err and "Traceback" not in err


def test_an_unknown_profile_and_a_missing_region_are_one_line(aws_env, tmp_path, capsys, monkeypatch):
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    assert main(["run", str(spec), "--backend", "aws", "--aws-account", ACCOUNT, "--profile", "nosuch"]) == 2
    assert capsys.readouterr().err == "scn: the aws backend: no AWS profile named 'nosuch'\n"
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert main(["run", str(spec), "--backend", "aws", "--aws-account", ACCOUNT]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs a region: give --region" in err


def test_an_unreachable_endpoint_is_one_line(aws_env, tmp_path, capsys):
    from helpers.moto_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    spec = tmp_path / "a.scn"
    spec.write_text(textwrap.dedent(ONE))
    start = time.monotonic()
    assert main(["run", str(spec), "--backend", "aws", "--endpoint-url", url, "--aws-account", ACCOUNT]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the endpoint" in err and url in err
    assert time.monotonic() - start < 15


def test_a_world_refuses_to_open_unguarded(aws_env):
    _, info = make(aws_env, accounts=("111111111111",))
    outcome = run_scenario(scenarios(ONE)[0], info)
    assert outcome.status == "error" and "is not on it" in outcome.message and not outcome.detail


def test_pytest_refuses_without_the_allowlist_and_runs_with_it(aws_env, pytester):
    pytester.makefile(".scn", a=textwrap.dedent(ONE))
    refused = pytester.runpytest("-p", "no:hypothesispytest", "-p", "no:benchmark", "--scn-backend", "aws", "--scn-endpoint-url", aws_env)
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    refused.stderr.fnmatch_lines(["*--scn-backend aws: the aws backend runs only on allowlisted accounts*"])
    ok = pytester.runpytest("-p", "no:hypothesispytest", "-p", "no:benchmark", "--scn-backend", "aws", "--scn-endpoint-url", aws_env, "--scn-aws-account", ACCOUNT,
                            "--scn-aws-poll", "0.01", "--scn-run-id", "pytest-run", "-p", "no:cacheprovider")
    ok.assert_outcomes(passed=1)
    ok.stdout.fnmatch_lines(["*aws run id pytest-run*"])
    assert live_tagged(aws_env, "pytest-run") == []


# ---------------------------------------------------------------- tags, names, image
def test_every_resource_is_tagged_and_named_with_the_run_id(aws_env):
    backend, info = make(aws_env, run_id="tag-run")
    sent = []
    hook(backend, "before-parameter-build.ec2", lambda model, params, **kw: sent.append((model.name, params)))
    sc = scenarios(ONE)[0]
    assert run_scenario(sc, info).status == "passed"
    created = [(name, p) for name, p in sent if name in ("RunInstances", "AllocateAddress")]
    assert [name for name, _ in created] == ["RunInstances", "AllocateAddress"]
    for _, params in created:
        tags = {t["Key"]: t["Value"] for t in params["TagSpecifications"][0]["Tags"]}
        assert tags["scn:run-id"] == "tag-run"
        assert tags["scn:node-id"] == "t.scn::an elastic ip on a running instance"
        assert tags["Name"].startswith("tag-run ") and tags["scn:created"].endswith("Z")
    # the instance is still described, terminated, with its tags
    ec2 = ec2_client(aws_env)
    insts = [i for r in ec2.describe_instances(Filters=[{"Name": "tag:scn:run-id", "Values": ["tag-run"]}])["Reservations"]
             for i in r["Instances"]]
    assert [i["State"]["Name"] for i in insts] == ["terminated"]
    image = ec2.describe_images(ImageIds=[insts[0]["ImageId"]])["Images"][0]
    assert image["ImageOwnerAlias"] == "amazon" and image["Architecture"] == "x86_64"
    assert image["Name"].startswith("al2023-ami-")
    assert insts[0]["InstanceType"] == "t3.micro"


def test_an_image_id_option_is_used_as_given(aws_env):
    image = ec2_client(aws_env).describe_images(Owners=["amazon"], Filters=[
        {"Name": "name", "Values": ["amzn2-ami-hvm-*-x86_64-gp2"]}])["Images"][0]["ImageId"]
    backend, info = make(aws_env, image_id=image, run_id="img-run")
    assert run_scenario(scenarios(ONE)[0], info).status == "passed"
    insts = [i for r in ec2_client(aws_env).describe_instances()["Reservations"] for i in r["Instances"]]
    assert {i["ImageId"] for i in insts} == {image}


# ---------------------------------------------------------------- teardown
def test_teardown_deletes_in_reverse_creation_order_and_verifies(aws_env):
    backend, info = make(aws_env, run_id="order-run")
    sent = []
    hook(backend, "before-parameter-build.ec2", lambda model, params, **kw: sent.append((model.name, params)))
    text = """\
        feature: f
          scenario: two instances and an address
            given a running instance "a"
            and a running instance "b"
            and an elastic ip "eip" associated with "a"
            then "b" is running
        """
    assert run_scenario(scenarios(text)[0], info).status == "passed"
    names = [n for n, _ in sent]
    after = names[names.index("AssociateAddress") + 1:]
    deletes = [(n, p) for n, p in sent[len(names) - len(after):] if n in ("ReleaseAddress", "TerminateInstances")]
    launched = [p for n, p in sent if n == "RunInstances"]
    assert [n for n, _ in deletes][:3] == ["ReleaseAddress", "TerminateInstances", "TerminateInstances"]
    ids = [p["InstanceIds"] for n, p in deletes if n == "TerminateInstances"]
    assert len(launched) == 2 and ids[0] != ids[1]  # b (created last) first
    assert "DisassociateAddress" in after and after.index("DisassociateAddress") < after.index("ReleaseAddress")
    # verification: a describe by the scenario's tags comes last
    last = [p for n, p in sent if n in ("DescribeInstances", "DescribeAddresses")][-2:]
    assert all({"Name": "tag:scn:run-id", "Values": ["order-run"]} in p["Filters"] for p in last)
    assert live_tagged(aws_env, "order-run") == []


def test_teardown_runs_after_a_failed_claim_and_after_an_error(aws_env):
    backend, info = make(aws_env, run_id="fail-run")
    text = """\
        feature: f
          scenario: a wrong claim
            given a running instance "web"
            and an elastic ip "eip" associated with "web"
            then "web" is stopped
        """
    assert run_scenario(scenarios(text)[0], info).status == "failed"
    assert live_tagged(aws_env, "fail-run") == []


def test_a_dependency_violation_in_teardown_is_retried(aws_env):
    backend, info = make(aws_env, run_id="dep-run")
    handler = failing("DependencyViolation", 2)
    hook(backend, "before-send.ec2.ReleaseAddress", handler)
    assert run_scenario(scenarios(ONE)[0], info).status == "passed"
    assert len(handler.calls) == 3
    assert live_tagged(aws_env, "dep-run") == []


def test_a_teardown_that_leaves_something_is_an_error_listing_it(aws_env):
    backend, info = make(aws_env, run_id="left-run", timeout=0.3)
    hook(backend, "before-send.ec2.ReleaseAddress", failing("DependencyViolation", -1))
    outcome = run_scenario(scenarios(ONE)[0], info)
    assert outcome.status == "error"
    assert outcome.message.startswith("teardown failed: 1 resource tagged scn:run-id=left-run")
    assert "elastic ip eipalloc-" in outcome.message and "scn sweep --run-id left-run --yes" in outcome.message
    assert "before the teardown, the scenario was passed" in outcome.message
    left = live_tagged(aws_env, "left-run")
    assert len(left) == 1 and left[0].startswith("eipalloc-")


# ---------------------------------------------------------------- bad input: throttling, stuck states
# slow for the fast loop's budget (issue 19): it waits out botocore's real backoff between retries (~7 s)
@pytest.mark.slow
def test_throttling_is_retried_with_backoff(aws_env):
    backend, info = make(aws_env, run_id="throttle-run", max_attempts=4)
    handler = failing("RequestLimitExceeded", 2, status=503)
    hook(backend, "before-send.ec2.RunInstances", handler)
    assert run_scenario(scenarios(ONE)[0], info).status == "passed"
    assert len(handler.calls) == 3


# slow for the fast loop's budget (issue 19): it waits out botocore's real backoff between retries (~7 s)
@pytest.mark.slow
def test_throttling_past_the_retries_is_an_error_and_teardown_still_runs(aws_env):
    backend, info = make(aws_env, run_id="throttled-run", max_attempts=2)
    hook(backend, "before-send.ec2.AllocateAddress", failing("RequestLimitExceeded", -1, status=503))
    outcome = run_scenario(scenarios(ONE)[0], info)
    assert outcome.status == "error" and not outcome.detail
    assert outcome.message == ('`and an elastic ip "eip" associated with "web"`: allocating an elastic ip was throttled '
                               "(AllocateAddress: RequestLimitExceeded) after 2 attempts; try again later, or lower the load")
    assert live_tagged(aws_env, "throttled-run") == []  # the instance made before was torn down


CLAIMED_THROTTLE = """\
    feature: f
      scenario: a throttle the spec claims
        given a running instance "web"
        when "web" is stopped
        then it fails with "RequestLimitExceeded"
    """


def test_a_throttle_past_the_retries_that_the_spec_claims_is_the_refusal_claimed(aws_env):
    backend, info = make(aws_env, run_id="claimed-run", max_attempts=1)  # one attempt: no backoff to wait out
    hook(backend, "before-send.ec2.StopInstances", failing("RequestLimitExceeded", -1, status=503))
    assert run_scenario(scenarios(CLAIMED_THROTTLE)[0], info).status == "passed"
    assert live_tagged(aws_env, "claimed-run") == []


def test_a_state_stuck_past_its_timeout_is_an_error_naming_it_and_teardown_still_runs(aws_env):
    backend, info = make(aws_env, run_id="stuck-run", timeout=0.3)

    def pending(parsed, **kw):  # the endpoint says pending for a running instance: stuck
        for r in parsed.get("Reservations", ()):
            for i in r.get("Instances", ()):
                if i["State"]["Name"] == "running":
                    i["State"] = {"Name": "pending", "Code": 0}

    hook(backend, "after-call.ec2.DescribeInstances", pending)
    outcome = run_scenario(scenarios(ONE)[0], info)
    assert outcome.status == "error" and not outcome.detail
    assert outcome.message.startswith('`given a running instance "web"`: instance "web" (i-')
    assert outcome.message.endswith("was still pending after 0.3 s, the longest wait allowed")
    assert live_tagged(aws_env, "stuck-run") == []


# ---------------------------------------------------------------- the cost guard
def test_the_cost_guard_refuses_an_instance_type_not_allowed(aws_env):
    backend, info = make(aws_env, run_id="type-run")
    text = """\
        feature: f
          scenario: a big one
            given a running instance "web" with instance type "m5.24xlarge"
        """
    outcome = run_scenario(scenarios(text)[0], info)
    assert outcome.status == "error" and not outcome.detail
    assert "the cost guard refuses instance type m5.24xlarge (allowed: t2.nano, t2.micro" in outcome.message
    assert "--instance-type m5.24xlarge" in outcome.message
    assert ec2_client(aws_env).describe_instances()["Reservations"] == []
    _, allowed = make(aws_env, run_id="type-run2", instance_types=("m5.24xlarge",))
    assert run_scenario(scenarios(text)[0], allowed).status == "passed"


def test_the_cost_guard_caps_resources_per_scenario_and_per_run(aws_env):
    backend, info = make(aws_env, run_id="cap-run", max_per_scenario=2, max_per_run=3)
    text = """\
        feature: f
          scenario: three
            given a running instance "a"
            and a running instance "b"
            and a running instance "c"
        """
    outcome = run_scenario(scenarios(text)[0], info)
    assert outcome.status == "error" and "allows 2 resources per scenario" in outcome.message
    assert run_scenario(scenarios(ONE)[0], info).status == "error"  # 2 + 2 > 3 per run
    assert "allows 3 resources per run" in run_scenario(scenarios(ONE)[0], info).message
    assert live_tagged(aws_env, "cap-run") == []


def test_the_cost_guard_refuses_expensive_kinds_unless_allowed(aws_env):
    from scn_boto import services
    from scn_boto.aws_backend import expensive_kinds, is_expensive

    # the guard decides from each kind's cost class: no list of its own
    assert expensive_kinds() == {name for name, k in services.KINDS.items() if k.cost == "expensive"}
    for kind in ("redshift cluster", "emr cluster", "aurora cluster", "db instance", "nat gateway"):
        if kind in services.KINDS:
            assert is_expensive(kind, ()) and not is_expensive(kind, (kind,))
    for name, k in services.KINDS.items():
        assert is_expensive(name, ()) == (k.cost == "expensive")
    assert not is_expensive("instance", ()) and not is_expensive("lambda function", ())
    assert not is_expensive("dns records", ())  # mapped by no service: not implemented, not refused
    backend, _ = make(aws_env, run_id="guard-run")
    world = backend()
    world.begin("t.scn::x")
    for kind in sorted(expensive_kinds()):
        with pytest.raises(BackendFault, match=f"refuses to create an? {kind}: it is an expensive kind; allow it with "
                                               f"--allow-kind '{kind}'"):
            world.create(kind, "big", {}, [])
    world.close()
    assert world.created == [] and backend.created_total == 0
    with pytest.raises(NotImplementedByBackend):  # not mapped: not implemented, whatever its cost
        world.create("dns records", "x", {}, [])


def test_an_expensive_kind_allowed_by_name_is_created_tagged_and_torn_down(aws_env):
    if "redshift cluster" not in __import__("scn_boto.services", fromlist=["KINDS"]).KINDS:
        pytest.skip("no service maps redshift clusters")
    _, info = make(aws_env, run_id="allow-run", allow_kinds=("redshift cluster",))
    text = """\
        feature: f
          scenario: a small cluster
            given a redshift cluster "dw"
            then "dw" is available
        """
    outcome = run_raw(scenarios(text)[0], info)
    assert outcome.status in ("passed", "failed"), outcome.message
    import boto3

    rs = boto3.client("redshift", endpoint_url=aws_env, region_name="us-east-1")
    assert rs.describe_clusters()["Clusters"] == []  # torn down


def test_the_aws_backend_declares_a_capability_per_registered_service():
    from scn_boto import services

    info = plugins.backend("aws")
    assert info.capabilities >= services.capabilities() | {"limits"}
    assert not info.capabilities & {"clock", "faults", "billing", "metadata"}
    text = """\
        feature: f
          scenario: needs billing
            given a running instance "web"
            when 2 minutes pass
            then "web" is running
        """
    outcome = run_scenario(scenarios(text)[0], info)
    assert outcome.status == "skipped" and outcome.message.startswith("needs ")


# ---------------------------------------------------------------- eventually consistent reads: World.settle
class _Lagging(World):
    """A world whose reads lag: the first ``lag`` observations of a state still show the old one."""

    def __init__(self, lag: int, settle: float):
        self.lag = lag
        self.settle = settle
        self.settle_poll = 0.01
        self.reads = 0

    def create(self, kind, label, params, relations):
        return object()

    def act(self, handle, action, target, params):
        return ("stopping", "stopped")

    def observe(self, handle, attribute):
        self.reads += 1
        return "running" if self.reads <= self.lag else "stopped"

    def exists(self, handle):
        return True

    def relations(self, handle):
        return frozenset()


LAG = """\
    feature: f
      scenario: stop
        given a running instance "web"
        when "web" is stopped
        then "web" is stopped
    """


def test_a_world_that_declares_settle_gets_failing_claims_re_observed():
    sc = scenarios(LAG)[0]
    world = _Lagging(lag=3, settle=2.0)
    outcome = run_raw(sc, BackendInfo("lagging", {"ec2"}, lambda: world))
    assert outcome.status == "passed" and world.reads == 4


def test_without_settle_a_lagging_read_fails_at_once():
    sc = scenarios(LAG)[0]
    world = _Lagging(lag=3, settle=0.0)
    outcome = run_raw(sc, BackendInfo("lagging", {"ec2"}, lambda: world))
    assert outcome.status == "failed" and world.reads == 1
    assert World.settle == 0.0  # the default: the reference backend and every in-memory one are unaffected


def test_the_aws_world_settles_on_aws_and_not_on_a_custom_endpoint(aws_env):
    from types import SimpleNamespace

    from scn_boto.adapter import Clients, Options
    from scn_boto.aws_backend import AwsWorld

    def world(endpoint, settle=None):
        return AwsWorld(SimpleNamespace(endpoint=endpoint), Clients(ec2=None), Options(), AwsOptions(settle=settle))

    assert world("https://ec2.eu-west-1.amazonaws.com").settle == 20.0
    assert world(aws_env).settle == 0.0
    assert world(aws_env, settle=3.0).settle == 3.0
    backend, _ = make(aws_env, settle=None)
    assert backend().settle == 0.0  # a moto server's reads are consistent


def test_settle_is_a_bound_not_a_wait():
    sc = scenarios(LAG)[0]
    world = _Lagging(lag=10**9, settle=0.2)
    start = time.monotonic()
    outcome = run_raw(sc, BackendInfo("lagging", {"ec2"}, lambda: world))
    took = time.monotonic() - start
    assert outcome.status == "failed" and 0.2 <= took < 1.5 and world.reads > 2


# ---------------------------------------------------------------- the library: aws over a moto server == moto, per service
def _status_class(outcome) -> str:
    return "not implemented" if outcome.status == "error" and outcome.not_implemented else outcome.status


#: scenarios per service the comparison runs (spread over the service's files); SCN_LIBRARY_FULL=1: all of them
PER_SERVICE = 14


@functools.lru_cache(maxsize=1)
def _library() -> tuple:
    """Every scenario of specs/ (a file that does not compile is left to the tests that check the library)."""
    from pathlib import Path

    from scenario.errors import SpecErrors
    from scenario.loader import find_specs, load_file

    root = Path(__file__).resolve().parents[1]
    vocab = plugins.vocabulary()
    out = []
    for f in find_specs([root / "specs"]):
        try:
            out += load_file(f, vocab).scenarios
        except SpecErrors:
            continue
    return tuple(out)


def _registered() -> list[str]:
    from scn_boto import services

    return sorted(services.capabilities())


def _chosen(capability: str, moto: BackendInfo) -> list:
    """The scenarios needing ``capability`` that run on moto, spread evenly over the library (all with SCN_LIBRARY_FULL)."""
    import os

    from scenario.runner import skip_reason

    scs = [sc for sc in _library() if capability in sc.needs and skip_reason(sc, moto) is None]
    if os.environ.get("SCN_LIBRARY_FULL") or len(scs) <= PER_SERVICE:
        return scs
    step = len(scs) / PER_SERVICE
    return [scs[int(i * step)] for i in range(PER_SERVICE)]


@pytest.mark.slow
@pytest.mark.parametrize("capability", _registered())
def test_the_library_through_aws_on_a_moto_server_matches_moto(aws_env, capability, request):
    """Raw outcomes (before @diverges/@misbelief translate them): @diverges(moto) describes moto, and the aws
    backend over a moto server is moto behind HTTP, so the two must agree scenario by scenario, for every
    registered service (a service module registered later is covered by this parametrisation as it is).
    Expensive kinds are allowed and the instance types the specs name too: nothing costs on a moto server."""
    from scenario import ir
    from scn_boto.aws_backend import expensive_kinds

    moto = plugins.backend("moto")
    scs = _chosen(capability, moto)
    if not scs:
        pytest.skip(f"no scenario of the library needs {capability} and runs on moto")
    request.addfinalizer(moto.open_world.stop)  # the in-process mock and its settings end with the test
    types = sorted({str(dict(s.params)["instance type"]) for sc in scs for s in sc.steps
                    if isinstance(s, ir.Create) and "instance type" in dict(s.params)} | {"t3.micro"})
    run_id = f"library-{capability}"
    # one attempt per call: a moto server neither throttles nor heals, and its HTML 500 for an operation it lacks
    # would otherwise be retried with backoff (botocore retries a 500, rightly so on AWS)
    backend, _ = make(aws_env, run_id=run_id, instance_types=tuple(types), max_per_scenario=100, max_per_run=5000,
                      allow_kinds=tuple(sorted(expensive_kinds())), max_attempts=1)
    aws = BackendInfo("aws", moto.capabilities, backend)  # lambda-invoke as moto has it: a moto server needs Docker too
    start = time.perf_counter()
    moto_outcomes = [run_raw(sc, moto) for sc in scs]
    on_moto = [_status_class(o) for o in moto_outcomes]
    moto_took = time.perf_counter() - start
    start = time.perf_counter()
    outcomes = [run_raw(sc, aws) for sc in scs]
    aws_took = time.perf_counter() - start
    on_aws = [_status_class(o) for o in outcomes]
    differ = [f"{sc.span} {sc.title}: moto {m} ({mo.message}), aws {a} ({o.message})"
              for sc, m, a, mo, o in zip(scs, on_moto, on_aws, moto_outcomes, outcomes) if m != a]
    assert not differ, "\n".join(differ)
    assert "passed" in on_aws or "failed" in on_aws, "nothing of the service ran through the aws backend"
    assert live_tagged(aws_env, run_id) == []
    print(f"\n{capability}: {len(scs)} scenarios: moto {moto_took:.1f}s, aws over a moto server {aws_took:.1f}s; "
          + ", ".join(f"{c} {on_aws.count(c)}" for c in sorted(set(on_aws))))


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
def test_pytest_xdist_workers_share_the_controllers_run_id(aws_env, pytester):
    pytester.makefile(".scn", a=textwrap.dedent("""\
        feature: f
          scenario: one
            given a running instance "web"
            then "web" is running
          scenario: two
            given a running instance "web"
            then "web" is running
        """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--scn-backend", "aws",
                                           "--scn-endpoint-url", aws_env, "--scn-aws-account", ACCOUNT,
                                           "--scn-aws-poll", "0.01")
    result.assert_outcomes(passed=2)
    ec2 = ec2_client(aws_env)
    run_ids = {t["Value"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
               for t in i["Tags"] if t["Key"] == "scn:run-id"}
    assert len(run_ids) == 1 and run_ids.pop().startswith("scn-")
