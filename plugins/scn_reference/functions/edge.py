"""Lambda behind an Application Load Balancer, and Lambda@Edge on CloudFront.

Sources: specs/notes/aws-architecture-notes.md, "AWS Lambda" ("ALBs support Lambda
functions as targets"), "AWS Lambda / ELB" and "AWS Lambda / Lambda@Edge"; Elastic Load
Balancing user guide, "Use Lambda functions as targets of an Application Load
Balancer" (same account and Region; request body and response JSON at most 1 MB;
WebSocket upgrades refused with HTTP 400; health checks disabled by default for target
groups of type lambda) and "Troubleshoot your Application Load Balancers" (HTTP 413:
the target is a Lambda function and the request body exceeds 1 MB; HTTP 502: its
response body exceeds 1 MB, or it did not respond before its timeout; HTTP 503: no
registered targets), DescribeTargetHealth (a Lambda target with health checks
disabled is `unavailable`, reason Target.HealthCheckDisabled), RegisterTargets errors
(``InvalidTarget``); Route 53 developer guide, "Evaluate target health" (DNS failover
uses the health of the load balancer's targets); CloudFront developer guide,
"Lambda@Edge" (viewer request, origin request, origin response, viewer response; the
origin events run only when CloudFront goes to the origin, on a cache miss),
"Restrictions on Lambda@Edge" (the function must be in us-east-1) and "Quotas on
Lambda@Edge" (viewer events: 5 s timeout and 128 MB at most; origin events: 30 s),
CloudFront API errors (``InvalidLambdaFunctionAssociation``).

Decisions:

- A request's answer is decided when it is sent: the load balancer invokes the
  function synchronously (the invocation then runs on the clock like any other) and
  the status is what the client receives: 200, or 400/413/502/503 as the ELB guide
  lists. A throttled invocation answers 503 (the ELB guide does not say; specs do not
  claim it).
- A function registered in a target group of another Region or account is refused
  with ``InvalidTarget`` (AWS documents the rule, not the code; specs claim only
  `then it fails`).
- Health: with health checks enabled, a registered function is healthy unless it is
  broken (an injected fault); with them disabled it is `unavailable`. A load balancer
  is healthy for Route 53 (evaluate target health) unless every target group on it
  with a target has only unhealthy targets; an unavailable target is not unhealthy, so
  without health checks DNS failover never happens.
- An `edge function` is a Lambda function replicated by CloudFront and associated with
  a distribution for one event type; the CloudFront cache is keyed by path only.
"""

from __future__ import annotations

from typing import Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import ACCOUNT, REGION
from .function import constraint
from .invocations import invoke
from .kinds import (
    EDGE_LIMITS,
    EDGE_REGION,
    MAX_BODY,
    MAX_RESPONSE,
    MB,
    MEMORY_DEFAULT,
    MEMORY_MAX,
    MEMORY_MIN,
    SYNCHRONOUS,
    TIMEOUT_DEFAULT,
    TIMEOUT_MAX,
    TIMEOUT_MIN,
)


class LoadBalancer(Resource):
    kind = "load balancer"

    def healthy(self, world) -> bool:
        healths = [t.health(world) for t in world.of_kind("target group") if t.alb is self and t.function is not None]
        return not healths or any(h != "unhealthy" for h in healths)

    ATTRIBUTES = {
        "state": lambda w, lb: "active",
        "dns name": lambda w, lb: f"{lb.id}.{REGION}.elb.amazonaws.com",
        "healthy": lambda w, lb: lb.healthy(w),
    }


class TargetGroup(Resource):
    kind = "target group"

    def __init__(self, id, label, type, checked, region, account, alb):
        super().__init__(id, label)
        self.type = type
        self.checked = checked
        self.region = region
        self.account = account
        self.alb = alb
        self.function = None

    def health(self, world) -> str | None:
        if self.function is None:
            return None
        if not self.checked:
            return "unavailable"  # Target.HealthCheckDisabled
        return "unhealthy" if self.function.broken else "healthy"

    def relations(self, world) -> frozenset:
        return frozenset({("on", self.alb)} if self.alb is not None else ())

    ATTRIBUTES = {
        "target type": lambda w, t: t.type,
        "health checked": lambda w, t: t.checked,
        "region": lambda w, t: t.region,
        "account": lambda w, t: t.account,
        "target health": lambda w, t: t.health(w),
    }


class Request(Resource):
    kind = "alb request"

    def __init__(self, id, label, to, params, status, invoked):
        super().__init__(id, label)
        self.to = to
        self.params = params
        self.status = status
        self.invoked = invoked

    def relations(self, world) -> frozenset:
        return frozenset({("sent to", self.to)})

    ATTRIBUTES = {
        "body size": lambda w, r: r.params.get("body size", 0),
        "response size": lambda w, r: r.params.get("response size", 0),
        "websocket upgrade": lambda w, r: bool(r.params.get("websocket upgrade", False)),
        "path": lambda w, r: r.params.get("path", "/"),
        "status": lambda w, r: r.status,
        "invoked": lambda w, r: r.invoked,
    }


class Distribution(Resource):
    kind = "cloudfront distribution"

    def __init__(self, id: str, label: str) -> None:
        super().__init__(id, label)
        self.cached: set[str] = set()

    ATTRIBUTES = {"domain name": lambda w, d: f"{d.id}.cloudfront.net"}


class EdgeFunction(Resource):
    kind = "edge function"

    def __init__(self, id, label, event, timeout, memory, region, distribution):
        super().__init__(id, label)
        self.event = event
        self.timeout = timeout
        self.memory = memory
        self.region = region
        self.distribution = distribution
        self.count = 0

    def relations(self, world) -> frozenset:
        return frozenset({("associated with", self.distribution)} if self.distribution is not None else ())

    ATTRIBUTES = {
        "event type": lambda w, e: e.event,
        "timeout": lambda w, e: e.timeout,
        "memory": lambda w, e: e.memory,
        "region": lambda w, e: e.region,
        "invocation count": lambda w, e: e.count,
    }


def _related(relations, name, kind=None):
    return next((t for r, t in relations if r == name and (kind is None or t.kind == kind)), None)


def create_alb(world, label, params, relations) -> LoadBalancer:
    return LoadBalancer(world.new_id("alb"), label)


def create_target_group(world, label, params, relations) -> TargetGroup:
    type = params.get("target type", "instance")
    checked = params.get("health checked", type != "lambda")
    return TargetGroup(world.new_id("tg"), label, type, checked, params.get("region", REGION),
                       params.get("account", ACCOUNT), _related(relations, "on"))


def register(world, function, group: TargetGroup, params) -> Sequence[str]:
    if group.type != "lambda":
        raise BackendError("InvalidTarget", f"A Lambda function cannot be a target of a target group of type {group.type}.")
    if (function["region"], function["account"]) != (group.region, group.account):
        raise BackendError("InvalidTarget", "The Lambda function and the target group must be in the same account and Region.")
    group.function = function
    function.registered = group
    return ()


def _answer_alb(world, alb, params) -> tuple[int, bool]:
    """The status the client gets from ``alb``, and whether a function was invoked."""
    if params.get("websocket upgrade"):
        return 400, False  # "WebSockets are not supported. Upgrade requests are rejected with an HTTP 400 code."
    group = next((t for t in world.of_kind("target group") if t.alb is alb and t.function is not None), None)
    if group is None:
        return 503, False  # no registered targets
    if params.get("body size", 0) > MAX_BODY:
        return 413, False
    try:
        inv = invoke(world, group.function, SYNCHRONOUS)
    except BackendError:
        return 503, False  # throttled (the model's answer: the ELB guide does not say)
    outcome = inv.attempts[-1].outcome
    if outcome != "completed" or params.get("response size", 0) > MAX_RESPONSE:
        return 502, True
    return 200, True


def _answer_cdn(world, cdn: Distribution, params) -> tuple[int, bool]:
    path = params.get("path", "/")
    hit = path in cdn.cached
    ran = False
    for e in world.of_kind("edge function"):
        if e.distribution is cdn and (e.event.startswith("viewer") or not hit):
            e.count += 1
            ran = True
    cdn.cached.add(path)
    return 200, ran


def send(world, label, params, relations) -> Request:
    to = _related(relations, "sent to")
    if to is None:
        raise BackendError("ReferenceModel.MissingTarget", "A request is sent to a load balancer or a CloudFront distribution.")
    status, invoked = (_answer_alb if to.kind == "load balancer" else _answer_cdn)(world, to, params)
    return Request(world.new_id("req"), label, to, dict(params), status, invoked)


def create_distribution(world, label, params, relations) -> Distribution:
    return Distribution(world.new_id("E"), label)


def create_edge(world, label, params, relations) -> EdgeFunction:
    event = params.get("event type", "viewer-request")
    timeout = params.get("timeout", TIMEOUT_DEFAULT)
    memory = params.get("memory", MEMORY_DEFAULT)
    region = params.get("region", EDGE_REGION)
    constraint(timeout, "timeout", TIMEOUT_MIN, TIMEOUT_MAX)
    constraint(memory // MB, "memorySize", MEMORY_MIN // MB, MEMORY_MAX // MB)
    cdn = _related(relations, "associated with")
    if cdn is not None:
        max_timeout, max_memory = EDGE_LIMITS[event.split("-")[0]]
        if region != EDGE_REGION:
            raise BackendError("InvalidLambdaFunctionAssociation",
                               f"The function must be in region '{EDGE_REGION}', not '{region}'.")
        if timeout > max_timeout or memory > max_memory:
            raise BackendError("InvalidLambdaFunctionAssociation",
                               f"The function timeout or memory size exceeds the maximum for {event} events "
                               f"({max_timeout} seconds, {max_memory // MB} MB).")
    return EdgeFunction(world.new_id("edge"), label, event, timeout, memory, region, cdn)


def install(world) -> None:
    world.creators["load balancer"] = create_alb
    world.creators["target group"] = create_target_group
    world.creators["alb request"] = send
    world.creators["cloudfront distribution"] = create_distribution
    world.creators["edge function"] = create_edge
    world.actors[("lambda function", "register")] = register
