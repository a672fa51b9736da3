"""AWS Lambda in the reference model (plugins/scn_reference/functions/), through World
methods, and the LANGUAGE.md phrases through the compiler and runner.

Covers the branches the specs in specs/lambda do not: refusals without an AWS code,
deleted functions, relations, the throttle back-off of asynchronous events, and edge
values. Every assertion names an exact value.
"""

from __future__ import annotations

import textwrap

import pytest
from helpers.reference import refused

from scenario import plugins
from scenario.compiler import compile_text
from scenario.runner import run_scenario
from scn_reference.functions import function as lambda_function
from scn_reference.functions import invocations

MB = 1024 * 1024


def function(world, name="fn", relations=(), **params):
    return world.create("lambda function", f'lambda function "{name}"', params, tuple(relations))


def invoke(world, fn, label='lambda invocation "i"', **params):
    return world.create("lambda invocation", label, params, (("of", fn),))


def observe(world, handle, *names):
    return [world.observe(handle, n) for n in names]


# ------------------------------------------------------------------ functions and roles
def test_a_function_and_its_defaults(world):
    fn = function(world)
    assert observe(world, fn, "state", "timeout", "memory", "run time", "reserved concurrency",
                   "maximum retry attempts", "maximum event age", "active tracing", "region", "account") == \
        ["active", 3, 128 * MB, 1, None, 2, 21600, False, "us-east-1", "123456789012"]
    assert world.observe(fn, "arn") == "arn:aws:lambda:us-east-1:123456789012:function:fn"
    assert world.creation_states(fn) == ("pending",)
    assert world.relations(fn) == frozenset()  # its implicit role is not a resource of the scenario
    assert world.observe(fn, "role arn").startswith("arn:aws:iam::123456789012:role/role-")


def test_a_function_with_an_explicit_role_relates_to_it(world):
    role = world.create("execution role", 'execution role "r"', {}, ())
    assert observe(world, role, "trusted service", "xray permissions", "vpc permissions") == \
        ["lambda.amazonaws.com", False, False]
    fn = function(world, relations=[("configured with", role)])
    assert world.relations(fn) == frozenset({("configured with", role)})


def test_tracing_turned_on_later_gets_its_permission_in_the_implicit_role_only(world):
    fn = function(world)
    world.act(fn, "update", None, {"active tracing": True})
    assert fn.role.xray is True
    i = invoke(world, fn)
    assert world.observe(i, "traced") is True
    role = world.create("execution role", 'execution role "r"', {}, ())
    other = function(world, "other", relations=[("configured with", role)])
    refused("InvalidParameterValueException", world.act, other, "update", None, {"active tracing": True})
    assert role.xray is False


def test_constraints_are_refused_with_aws_messages(world):
    err = refused("ValidationException", function, world, timeout=901)
    assert err.detail == ("1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: "
                          "Member must have value less than or equal to 900")
    err = refused("ValidationException", function, world, timeout=0)
    assert "greater than or equal to 1" in err.detail
    refused("ValidationException", function, world, memory=127 * MB)
    refused("ValidationException", function, world, **{"maximum retry attempts": 3})
    refused("ValidationException", function, world, **{"maximum event age": 59})
    refused("ValidationException", function, world, **{"reserved concurrency": -1})
    refused("ReferenceModel.InvalidRunTime", function, world, **{"run time": -1})
    assert world.of_kind("lambda function") == []


def test_reservations_leave_100_unreserved(world):
    a = function(world, "a", **{"reserved concurrency": 500})
    refused("InvalidParameterValueException", function, world, "b", **{"reserved concurrency": 401})
    function(world, "b", **{"reserved concurrency": 400})
    # a function's own reservation does not count against itself when it changes it
    world.act(a, "update", None, {"reserved concurrency": 500})
    refused("InvalidParameterValueException", world.act, a, "update", None, {"reserved concurrency": 501})
    assert world.observe(a, "reserved concurrency") == 500


def test_a_deleted_function_is_gone(world):
    fn = function(world)
    i = invoke(world, fn)
    world.act(fn, "delete", None, {})
    assert world.exists(fn) is False
    assert lambda_function.functions(world) == []
    refused("ResourceNotFoundException", world.act, fn, "update", None, {"timeout": 5})
    refused("ResourceNotFoundException", invoke, world, fn, 'lambda invocation "j"')
    assert world.observe(i, "state") == "running"  # an invocation already running is not stopped here


# ------------------------------------------------------------------ invocations
def test_an_invocation_is_refused_without_a_function_or_with_a_negative_time(world):
    refused("ReferenceModel.MissingFunction", world.create, "lambda invocation", "lambda invocation", {}, ())
    fn = function(world)
    refused("ReferenceModel.InvalidRunTime", invoke, world, fn, **{"run time": -1})
    refused("ReferenceModel.InvalidRunTime", invoke, world, fn, **{"init duration": -1})


def test_an_invocation_reads_off_the_clock(world):
    fn = function(world, timeout=10, memory=512 * MB)
    i = invoke(world, fn, **{"run time": 4.2})
    assert world.relations(i) == frozenset({("of", fn)})
    assert observe(world, i, "state", "duration", "billed duration", "attempts", "traced") == \
        ["running", None, 0, 1, False]
    assert world.explain(i, "state") == "latest attempt 0s to 4.2s, completed; the clock is at 0s"
    assert world.explain(i, "duration") is None
    world.advance(5)
    assert observe(world, i, "state", "duration", "billed duration", "gb-seconds", "memory") == \
        ["completed", 4.2, 4.2, 2.1, 512 * MB]
    assert world.observe(i, "charge") == round(0.2 / 1e6 + 2.1 * 0.0000166667, 12)
    assert world.observe(fn, "charge") == world.observe(i, "charge")
    assert world.count_related("lambda invocation", "of", fn) == 1


def test_an_asynchronous_event_backs_off_while_throttled(world):
    world.set_setting("lambda concurrency limit", 1)
    busy = function(world, "busy", timeout=900)
    fn = function(world, "fn")
    invoke(world, busy, 'lambda invocation "long"', **{"run time": 10})
    e = invoke(world, fn, 'lambda invocation "e"', **{"invocation type": "asynchronous"})
    assert world.observe(e, "state") == "queued"
    assert fn.throttles == 1
    world.advance(9)  # tried again at 1, 3 and 7 seconds: still throttled each time
    assert fn.throttles == 4
    assert e.next_at == 15 and e.backoff == 8
    world.advance(10)
    assert world.observe(e, "state") == "completed"
    assert e.attempts[0].start == 15


def test_the_throttle_back_off_stops_at_five_minutes(world):
    world.set_setting("lambda concurrency limit", 1)
    busy = function(world, "busy", timeout=900)
    fn = function(world, "fn")
    invoke(world, busy, 'lambda invocation "long"', **{"run time": 900})
    e = invoke(world, fn, 'lambda invocation "e"', **{"invocation type": "asynchronous"})
    world.advance(899)
    assert e.backoff == 300
    world.advance(300)
    assert world.observe(e, "state") == "completed"


def test_an_attempt_is_billed_to_the_millisecond():
    a = invocations.Attempt(0, 0.0011, 3, False)
    assert a.billed() == 0.002
    a = invocations.Attempt(0, 5, 3, False, init=0.25, init_billed=True)
    assert (a.outcome, a.end, a.billed()) == ("timed-out", 3.25, 3.25)
    a = invocations.Attempt(0, 1, 3, True)
    assert a.outcome == "failed"


def test_metrics_read_off_the_invocations(world):
    fn = function(world)
    for name in ("Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"):
        assert invocations.metric(world, fn, name) == 0
    m = world.create("cloudwatch metric", 'cloudwatch metric "m"', {"metric name": "Duration"}, (("of", fn),))
    assert world.relations(m) == frozenset({("of", fn)})
    invoke(world, fn, **{"run time": 0.25})
    world.advance(1)
    assert world.observe(m, "sum") == 250
    refused("InvalidParameterValue", world.create, "cloudwatch metric", "cloudwatch metric", {}, (("of", fn),))


# ------------------------------------------------------------------ event sources
def test_triggers_and_mappings_need_their_parts(world):
    fn = function(world)
    refused("ReferenceModel.MissingParameter", world.create, "trigger", "trigger", {"source": "s3"}, ())
    refused("ReferenceModel.MissingParameter", world.create, "trigger", "trigger", {}, (("on", fn),))
    t = world.create("trigger", 'trigger "t"', {"source": "sns"}, (("on", fn),))
    assert world.relations(t) == frozenset({("on", fn)})
    assert observe(world, t, "invocation type", "polled") == ["asynchronous", False]
    refused("InvalidParameterValueException", world.create, "event source mapping", "m", {"source": "kinesis"}, ())
    refused("InvalidParameterValueException", world.create, "event source mapping", "m", {}, (("to", fn),))
    q = world.create("sqs queue", 'sqs queue "q"', {"message count": 3}, ())
    assert world.relations(q) == frozenset()
    assert world.observe(q, "queue arn").startswith("arn:aws:sqs:us-east-1:123456789012:queue-")
    m = world.create("event source mapping", 'event source mapping "m"', {}, (("to", fn), ("from", q)))
    assert world.relations(m) == frozenset({("to", fn), ("from", q)})
    assert observe(world, m, "state", "source", "batch size", "records", "invocation type") == \
        ["enabled", "sqs", 10, 3, "synchronous"]
    assert world.creation_states(m) == ("creating",)


def test_a_mapping_stops_reading_for_a_deleted_function(world):
    fn = function(world)
    m = world.create("event source mapping", 'event source mapping "m"', {"source": "kinesis", "records": 50}, (("to", fn),))
    world.act(fn, "delete", None, {})
    world.advance(10)
    assert world.observe(m, "records") == 50


# ------------------------------------------------------------------ VPC
def test_a_nat_gateway_is_created_in_a_subnet(world):
    refused("MissingParameter", world.create, "nat gateway", "nat gateway", {}, ())
    pub = world.create("subnet", 'subnet "pub"', {"subnet type": "public"}, ())
    nat = world.create("nat gateway", 'nat gateway "nat"', {}, (("in", pub),))
    assert world.relations(nat) == frozenset({("in", pub)})
    assert world.observe(nat, "nat gateway id").startswith("nat-")
    sg = world.create("security group", 'security group "sg"', {}, ())
    assert world.observe(sg, "group id").startswith("sg-")
    priv = world.create("subnet", 'subnet "priv"', {}, ())
    assert world.relations(priv) == frozenset()
    world.act(priv, "route", nat, {})
    fn = function(world, relations=[("in", priv), ("in", sg)])
    assert world.relations(fn) == frozenset({("in", priv), ("in", sg)})
    assert observe(world, fn, "vpc access", "internet access") == [True, True]


# ------------------------------------------------------------------ load balancers and Lambda@Edge
def test_a_request_needs_somewhere_to_go(world):
    refused("ReferenceModel.MissingTarget", world.create, "alb request", "alb request", {}, ())


def test_a_throttled_function_behind_a_load_balancer_answers_503(world):
    world.set_setting("lambda concurrency limit", 100)
    alb = world.create("load balancer", 'load balancer "alb"', {}, ())
    tg = world.create("target group", 'target group "tg"', {"target type": "lambda"}, (("on", alb),))
    assert world.observe(tg, "target health") is None
    assert world.observe(alb, "healthy") is True
    fn = function(world, **{"reserved concurrency": 0})
    world.act(fn, "register", tg, {})
    assert world.relations(fn) == frozenset({("registered with", tg)})
    r = world.create("alb request", 'alb request "r"', {"path": "/x"}, (("sent to", alb),))
    assert observe(world, r, "status", "invoked", "path", "body size", "response size", "websocket upgrade") == \
        [503, False, "/x", 0, 0, False]
    assert world.observe(alb, "dns name").startswith("alb-")


def test_an_edge_function_needs_no_distribution(world):
    e = world.create("edge function", 'edge function "e"', {"region": "eu-west-1", "timeout": 60}, ())
    assert world.relations(e) == frozenset()
    assert observe(world, e, "event type", "timeout", "memory", "region", "invocation count") == \
        ["viewer-request", 60, 128 * MB, "eu-west-1", 0]
    refused("ValidationException", world.create, "edge function", "edge function", {"timeout": 901}, ())
    cdn = world.create("cloudfront distribution", 'cloudfront distribution "cdn"', {}, ())
    assert world.observe(cdn, "domain name").endswith(".cloudfront.net")


# ------------------------------------------------------------------ the phrases LANGUAGE.md promises
PHRASES = """
    @lambda
    feature: LANGUAGE.md's Lambda phrases

      scenario: a timeout given, and the default
        given a lambda function "fn" with timeout 30 seconds
        and a lambda function "other"
        then the timeout of "fn" is 30 seconds
        and the timeout of "other" is 3 seconds

      scenario: a timeout past the maximum is refused
        when a lambda function "f2" is created with timeout 901 seconds
        then it fails with "ValidationException"

      scenario: a wrong claim fails
        given a lambda function "fn"
        then the timeout of "fn" is 30 seconds
"""


def test_the_language_phrases_compile_and_run():
    feature = compile_text(textwrap.dedent(PHRASES), plugins.vocabulary(), "lambda.scn")
    backend = plugins.backend("reference")
    outcomes = [run_scenario(sc, backend) for sc in feature.scenarios]
    assert [o.status for o in outcomes] == ["passed", "passed", "failed"]
    assert "expected to be 30 seconds" in outcomes[2].message


# ------------------------------------------------------------------ mappings from the other parts' streams
def _stream(world, kind="kinesis stream"):
    if kind == "kinesis stream":
        return world.create(kind, 'kinesis stream "s"', {}, ())
    table = world.create("dynamodb table", 'dynamodb table "t"', {}, ())
    return world.create(kind, 'dynamodb stream "ds"', {}, (("of", table),))


@pytest.mark.parametrize("kind, source", [("kinesis stream", "kinesis"), ("dynamodb stream", "dynamodb")])
def test_a_mapping_from_a_stream_takes_its_source_and_needs_a_starting_position(world, kind, source):
    fn = function(world)
    stream = _stream(world, kind)
    refused("InvalidParameterValueException", world.create, "event source mapping", "m", {}, (("to", fn), ("from", stream)))
    m = world.create("event source mapping", "m", {"starting position": "latest"}, (("to", fn), ("from", stream)))
    assert observe(world, m, "source", "starting position", "records") == [source, "latest", 0]
    assert world.relations(m) == frozenset({("to", fn), ("from", stream)})


def test_a_mapping_from_a_stream_has_no_records_of_its_own_and_a_queue_no_starting_position(world):
    fn, stream = function(world), _stream(world)
    refused("ReferenceModel.InvalidParameter", world.create, "event source mapping", "m",
            {"starting position": "latest", "records": 5}, (("to", fn), ("from", stream)))
    queue = world.create("sqs queue", 'sqs queue "q"', {}, ())
    refused("InvalidParameterValueException", world.create, "event source mapping", "m",
            {"starting position": "latest"}, (("to", fn), ("from", queue)))


def test_a_deleted_stream_cannot_be_read(world):
    fn, stream = function(world), _stream(world)
    stream.deleted = True
    refused("InvalidParameterValueException", world.create, "event source mapping", "m",
            {"starting position": "trim horizon"}, (("to", fn), ("from", stream)))
