"""The Lambda mapping on moto: refusals with AWS's codes, state read back from the API, teardown."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.adapter import Handle  # noqa: E402

MB = 1024 * 1024


def test_a_refused_update_surfaces_aws_code_and_changes_nothing(world):
    fn = world.create("lambda function", '"fn"', {"timeout": 30}, ())
    with pytest.raises(BackendError) as info:
        world.act(fn, "update", None, {"maximum retry attempts": 3})
    assert info.value.code == "ValidationException"
    assert world.observe(fn, "maximum retry attempts") == 2  # Lambda's default: no event invoke config was stored


def test_attributes_are_read_back_from_the_api(world):
    fn = world.create("lambda function", '"fn"', {"timeout": 30, "memory": 256 * MB}, ())
    assert world.observe(fn, "timeout") == 30
    world.client("lambda").update_function_configuration(FunctionName=fn.id, Timeout=45, MemorySize=512)
    assert world.observe(fn, "timeout") == 45
    assert world.observe(fn, "memory") == 512 * MB
    assert world.observe(fn, "state") == "active"


def test_one_default_role_per_world_and_teardown_deletes_functions_and_role(world):
    a = world.create("lambda function", '"a"', {}, ())
    b = world.create("lambda function", '"b"', {}, ())
    roles = [h for h in world.created if h.kind == "execution role"]
    assert len(roles) == 1 and roles[0].refs["default"]
    assert world.observe(a, "role arn") == world.observe(b, "role arn") == roles[0].refs["arn"]
    assert ("configured with", roles[0]) not in world.relations(a)  # the default role is not the spec's
    assert world.delete_created() == []
    assert not world.exists(a) and not world.exists(b)
    assert not world.exists(roles[0])


def test_a_role_given_is_the_functions_relation(world):
    role = world.create("execution role", '"r"', {"xray permissions": True}, ())
    fn = world.create("lambda function", '"fn"', {}, [("configured with", role)])
    assert ("configured with", role) in world.relations(fn)
    assert world.observe(role, "xray permissions") is True
    assert world.observe(role, "vpc permissions") is False
    assert world.observe(role, "trusted service") == "lambda.amazonaws.com"


def test_a_refused_setting_at_creation_leaves_no_function(world, monkeypatch):
    # moto accepts any reserved concurrency (and botocore validates nothing: parameter_validation is off), so the
    # refusal AWS answers for -1 is made here, at the call boundary
    call = world.call

    def refusing(service, operation, *args, **kwargs):
        if operation == "put_function_concurrency":
            raise BackendError("InvalidParameterValueException", "ReservedConcurrentExecutions must be >= 0")
        return call(service, operation, *args, **kwargs)

    monkeypatch.setattr(world, "call", refusing)
    with pytest.raises((BackendError, NotImplementedByBackend)):
        world.create("lambda function", '"fn"', {"reserved concurrency": -1}, ())
    names = [f["FunctionName"] for f in world.client("lambda").list_functions()["Functions"]]
    assert names == []


def test_internet_access_needs_a_route_to_a_nat_gateway_in_a_public_subnet(world):
    pub = world.create("subnet", '"pub"', {"subnet type": "public"}, ())
    app = world.create("subnet", '"app"', {"subnet type": "private"}, ())
    sg = world.create("security group", '"sg"', {}, ())
    nat = world.create("nat gateway", '"nat"', {}, [("in", pub)])
    fn = world.create("lambda function", '"fn"', {}, [("in", app), ("in", sg)])
    assert world.observe(fn, "vpc access") is True
    assert world.observe(fn, "internet access") is False
    world.act(app, "route", nat, {})
    assert world.observe(fn, "internet access") is True
    assert ("routed to", nat) in world.relations(app)
    assert world.observe(pub, "subnet type") == "public" and world.observe(app, "subnet type") == "private"
    with pytest.raises(BackendError):  # a public subnet already routes 0.0.0.0/0 to the Internet gateway
        world.act(pub, "route", nat, {})
    assert world.delete_created() == []
    vpcs = world.client("ec2").describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"]
    assert vpcs == []  # the world's VPC went with its first subnet, last


def test_an_event_source_mapping_reads_a_kinesis_stream_by_its_arn(world):
    world.client("kinesis").create_stream(StreamName="s", ShardCount=1)
    stream = Handle("kinesis stream", "s", '"s"')
    fn = world.create("lambda function", '"fn"', {}, ())
    m = world.create("event source mapping", '"m"', {"starting position": "latest", "batch size": 50},
                     [("from", stream), ("to", fn)])
    assert world.observe(m, "state") == "enabled"
    assert world.observe(m, "source") == "kinesis"
    assert world.observe(m, "starting position") == "latest"
    assert world.observe(m, "batch size") == 50
    assert ("from", stream) in world.relations(m)
    with pytest.raises(NotImplementedByBackend, match="source"):
        world.create("event source mapping", '"bad"', {"source": "sqs"}, [("from", stream), ("to", fn)])


def test_invocation_needs_lambda_invoke_which_moto_declares_only_with_docker():
    from scenario import plugins
    from scn_boto.moto_backend import lambda_invoke_reachable

    info = plugins.backend("moto")
    assert "lambda" in info.capabilities
    assert ("lambda-invoke" in info.capabilities) == lambda_invoke_reachable()
    vocab = plugins.vocabulary()
    assert vocab.kinds["lambda invocation"].creator.capability == "lambda-invoke"
