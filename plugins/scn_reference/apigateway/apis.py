"""API Gateway's APIs and their stages (with the stage cache): the resources calls are sent to."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import REGION
from .access import check_management, check_tags, parse_policy
from .billing import CACHE_PRICES, DEFAULT_CACHE_GB, GB, CacheMeter, Ledger, cache_gb, ledger, money
from .calls import create_call
from .domains import create_authorizer, create_domain

BACKENDS = {"lambda": "AWS_PROXY", "http": "HTTP_PROXY", "ec2": "HTTP_PROXY", "aws service": "AWS", "mock": "MOCK"}



def _name(label: str) -> str:
    return label.split('"')[1] if '"' in label else label


class Api(Resource):
    api_type = "rest"

    def __init__(self, world, label, params):
        super().__init__(world.new_id("api")[-10:], label)
        self.api_id = self.id
        self.backend = params.get("backend", "lambda")
        self.backend_endpoint = params.get("backend endpoint", "public")
        if self.backend not in BACKENDS:
            raise BackendError("BadRequestException", f"Invalid integration: {self.backend!r}; one of {', '.join(BACKENDS)}")
        if self.backend_endpoint not in ("public", "private") or (self.backend_endpoint == "private" and BACKENDS[self.backend] != "HTTP_PROXY"):
            raise BackendError("BadRequestException", f"A {self.backend_endpoint} backend endpoint is not valid for a {self.backend} integration")
        self.tags = params.get("tags")
        check_tags(self.tags)
        self.resource_policy = None
        self.authorization = "NONE"
        self.authorizer = None
        self.deleted = False

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        check_management(world, self, "DELETE" if action == "delete" else "PATCH")
        if action == "delete":
            self.deleted = True
            return ()
        self.configure(params)
        return ()

    def configure(self, params) -> None:
        if "tags" in params:
            check_tags(params["tags"])
            self.tags = params["tags"]

    ATTRIBUTES = {
        "state": lambda w, a: "available",
        "api id": lambda w, a: a.api_id,
        "protocol": lambda w, a: a.api_type.upper(),
        "endpoint type": lambda w, a: a.endpoint,
        "backend": lambda w, a: a.backend,
        "integration type": lambda w, a: BACKENDS[a.backend],
        "connection type": lambda w, a: "VPC_LINK" if a.backend_endpoint == "private" else "INTERNET",
        "backend endpoint": lambda w, a: a.backend_endpoint,
        "tags": lambda w, a: a.tags,
        "resource policy": lambda w, a: a.resource_policy,
        "authorization type": lambda w, a: a.authorization,
        "call count": lambda w, a: sum(e["count"] for e in ledger(w).calls if e["api"] is a),
        "billed calls": lambda w, a: sum(e["billed"] for e in ledger(w).calls if e["api"] is a),
        "data out": lambda w, a: sum(e["bytes"] for e in ledger(w).calls if e["api"] is a),
        "call charges": lambda w, a: money(ledger(w).total(a, "call cost")),
        "data transfer charges": lambda w, a: money(ledger(w).total(a, "data cost")),
        "privatelink charges": lambda w, a: money(ledger(w).total(a, "privatelink cost")),
        "cache charges": lambda w, a: money(sum(s.meter.charges(w.now) for s in w.of_kind("api stage") if s.api is a)),
        "charges": lambda w, a: money(sum(ledger(w).total(a, f) for f in ("call cost", "data cost", "privatelink cost"))
                                      + sum(s.meter.charges(w.now) for s in w.of_kind("api stage") if s.api is a)),
    }


class RestApi(Api):
    kind = "rest api"

    def __init__(self, world, label, params):
        super().__init__(world, label, params)
        self.endpoint = params.get("endpoint type", "edge-optimized")  # the default endpoint type of a REST API
        self.configure(params)

    def configure(self, params) -> None:
        super().configure(params)
        if "resource policy" in params:
            parse_policy(params["resource policy"], ("ip", "vpce"))
            self.resource_policy = params["resource policy"]
        if "authorization type" in params:
            wanted = params["authorization type"]
            if wanted not in ("NONE", "AWS_IAM"):
                raise BackendError("BadRequestException",
                                   f"Invalid authorization type {wanted!r}: NONE or AWS_IAM; CUSTOM and COGNITO_USER_POOLS come with an authorizer")
            self.authorization = wanted


class WebSocketApi(Api):
    kind = "websocket api"
    api_type = "websocket"
    endpoint = "regional"  # WebSocket APIs are regional only

    def __init__(self, world, label, params):
        super().__init__(world, label, params)
        self.route_selection = params.get("route selection expression", "$request.body.action")
        if not self.route_selection.startswith("$request.body."):
            raise BackendError("BadRequestException", f"Invalid route selection expression: {self.route_selection!r}")

    ATTRIBUTES = {**Api.ATTRIBUTES, "route selection expression": lambda w, a: a.route_selection}


class Stage(Resource):
    kind = "api stage"

    def __init__(self, world, label: str, api: Api, params: Mapping[str, Any]) -> None:
        super().__init__(world.new_id("stage"), label)
        self.api = api
        self.name = params.get("stage name", _name(label))
        self.meter = CacheMeter()
        self.deleted = False
        self.cache_size: float | None = None
        self.set_cache(world, params)

    def set_cache(self, world, params) -> None:
        wanted = params.get("cache", "cache size" in params or None)
        if wanted is None:
            return
        size = params.get("cache size", (self.cache_size or DEFAULT_CACHE_GB * GB) if wanted else None)
        if wanted and self.api.api_type != "rest":
            raise BackendError("BadRequestException", "Caching is available for REST APIs only")
        if size is not None and cache_gb(size) not in CACHE_PRICES:
            raise BackendError("BadRequestException",
                               f"Invalid cache cluster size {cache_gb(size)}: one of {', '.join(str(s) for s in CACHE_PRICES)} (GB)")
        self.cache_size = size if wanted else None
        self.meter.set(world.now, cache_gb(size) if wanted else None)

    @property
    def invoke_url(self) -> str:
        scheme = "wss" if self.api.api_type == "websocket" else "https"
        return f"{scheme}://{self.api.api_id}.execute-api.{REGION}.amazonaws.com/{self.name}"

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        check_management(world, self.api, "DELETE" if action == "delete" else "PATCH")
        if action == "delete":
            self.meter.set(world.now, None)
            self.deleted = True
            return ()
        self.set_cache(world, params)
        return ()

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.api)})

    ATTRIBUTES = {
        "state": lambda w, s: "available",
        "stage name": lambda w, s: s.name,
        "invoke url": lambda w, s: s.invoke_url,
        "cache": lambda w, s: s.cache_size is not None,
        "cache size": lambda w, s: s.cache_size,
        "cache hourly price": lambda w, s: CACHE_PRICES[cache_gb(s.cache_size)] if s.cache_size is not None else 0.0,
        "cache charges": lambda w, s: money(s.meter.charges(w.now)),
    }


def _target(relations, name):
    return next((t for r, t in relations if r == name), None)


def create_api(world, label, params, relations):
    return RestApi(world, label, params)


def create_websocket(world, label, params, relations):
    return WebSocketApi(world, label, params)


def create_stage(world, label, params, relations):
    api = _target(relations, "of")
    if api is None or not api.exists(world):
        raise BackendError("NotFoundException", "Invalid API identifier specified")
    check_management(world, api, "POST")
    if api.api_type == "rest" and api.endpoint == "private" and not api.resource_policy:
        raise BackendError("BadRequestException", "Private REST API doesn't have a resource policy attached to it")
    return Stage(world, label, api, params)


def install(world) -> None:
    world.apigateway_ledger = Ledger()
    world.creators["rest api"] = create_api
    world.creators["websocket api"] = create_websocket
    world.creators["api stage"] = create_stage
    world.creators["authorizer"] = create_authorizer
    world.creators["custom domain"] = create_domain
    world.creators["api call"] = create_call
