"""API Gateway custom domain names and authorizers (see the package's docstring for sources and decisions).

Custom domain names: "Set up an edge-optimized custom domain name" (a CloudFront
distribution; certificate in us-east-1; hosted zone Z2FDTNDATAQYW2 "for all the
regions"), "Set up a Regional custom domain name" (certificate in the API's region; the
same name may be set up in each region). An edge-optimized name is global: the model
refuses the same name again anywhere with ConflictException (AWS documents no code). The
regional hosted zone ids are those of the execute-api endpoints (AWS General Reference,
from memory; only the regions below are known to the model). Authorizers: Lambda (TOKEN,
REQUEST) or COGNITO_USER_POOLS (CreateAuthorizer: providerARNs for Cognito only).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import REGION
from .access import check_management

AUTHORIZER_TYPES = {"TOKEN": "CUSTOM", "REQUEST": "CUSTOM", "COGNITO_USER_POOLS": "COGNITO_USER_POOLS"}
EDGE_ZONE = "Z2FDTNDATAQYW2"  # "the region-agnostic hosted zone ID of the edge-optimized endpoint"
REGIONAL_ZONES = {"us-east-1": "Z1UJRXOUMOOFQ8", "us-west-2": "Z2OJLYMUO9EFXC", "eu-west-1": "ZLY8HYME6SFDD",
                  "eu-central-1": "Z1U9ULNL0V5AJ3"}


def _target(relations, name):
    return next((t for r, t in relations if r == name), None)


class Authorizer(Resource):
    kind = "authorizer"

    def __init__(self, world, label, api, params):
        super().__init__(world.new_id("auth")[-6:], label)
        self.api = api
        self.type = params.get("authorizer type", "TOKEN")
        self.accepted_token = params.get("accepted token")
        self.user_pool = params.get("user pool")

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.api)})

    ATTRIBUTES = {
        "authorizer type": lambda w, a: a.type,
        "accepted token": lambda w, a: a.accepted_token,
        "user pool": lambda w, a: a.user_pool,
        "authorizer id": lambda w, a: a.id,
    }


def create_authorizer(world, label, params, relations):
    api = _target(relations, "of")
    if api is None or not api.exists(world):
        raise BackendError("NotFoundException", "Invalid API identifier specified")
    kind = params.get("authorizer type", "TOKEN")
    if kind not in AUTHORIZER_TYPES:
        raise BackendError("BadRequestException", f"Invalid authorizer type {kind!r}: TOKEN, REQUEST or COGNITO_USER_POOLS")
    if (kind == "COGNITO_USER_POOLS") != ("user pool" in params):
        raise BackendError("BadRequestException",
                           "A COGNITO_USER_POOLS authorizer needs a user pool (providerARNs); a Lambda authorizer takes none")
    check_management(world, api, "POST")
    auth = Authorizer(world, label, api, params)
    api.authorizer, api.authorization = auth, AUTHORIZER_TYPES[kind]
    return auth


class CustomDomain(Resource):
    kind = "custom domain"

    def __init__(self, world, label: str, params: Mapping[str, Any]) -> None:
        super().__init__(world.new_id("d")[-10:], label)
        self.domain = params.get("domain name", "api.example.com")
        self.endpoint = params.get("endpoint type", "edge-optimized")
        self.region = params.get("region", REGION)
        # ACM certificate: us-east-1 for an edge-optimized name, its own region for a Regional one
        self.certificate_region = params.get("certificate region", REGION if self.endpoint == "edge-optimized" else self.region)
        self.stage: Any = None  # the apis.Stage it is mapped to, or None (that module imports this one)
        self.deleted = False

    @property
    def target(self) -> str:
        if self.endpoint == "edge-optimized":
            return f"d{self.id}.cloudfront.net"
        return f"d-{self.id}.execute-api.{self.region}.amazonaws.com"

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "delete":
            self.deleted = True
            return ()
        if self.region != REGION:
            raise BackendError("BadRequestException", f"The API is in {REGION}; the domain name {self.domain} is in {self.region}")
        if target.api.api_type == "websocket" and self.endpoint == "edge-optimized":
            raise BackendError("BadRequestException", "WebSocket APIs support Regional custom domain names only")
        self.stage = target
        return ()

    def relations(self, world) -> frozenset:
        return frozenset({("mapped to", self.stage)}) if self.stage is not None else frozenset()

    ATTRIBUTES = {
        "domain name": lambda w, d: d.domain,
        "endpoint type": lambda w, d: d.endpoint,
        "region": lambda w, d: d.region,
        "target domain name": lambda w, d: d.target,
        "hosted zone id": lambda w, d: EDGE_ZONE if d.endpoint == "edge-optimized" else REGIONAL_ZONES[d.region],
        "global": lambda w, d: d.endpoint == "edge-optimized",
        "certificate region": lambda w, d: d.certificate_region,
    }


def create_domain(world, label, params, relations):
    endpoint = params.get("endpoint type", "edge-optimized")
    region = params.get("region", REGION)
    if region not in REGIONAL_ZONES:
        raise BackendError("BadRequestException", f"The model knows no API Gateway endpoint in region {region!r}")
    cert = params.get("certificate region", REGION if endpoint == "edge-optimized" else region)
    if endpoint == "edge-optimized" and cert != "us-east-1":
        raise BackendError("BadRequestException", "An edge-optimized domain name needs a certificate in us-east-1")
    if endpoint == "regional" and cert != region:
        raise BackendError("BadRequestException", f"A Regional domain name needs a certificate in its own region, {region}")
    name = params.get("domain name", "api.example.com")
    for other in world.of_kind("custom domain"):
        if other.deleted or other.domain != name:
            continue
        # an edge-optimized name is global (a CloudFront alternate domain name); a Regional one is unique in its region
        if "edge-optimized" in (other.endpoint, endpoint) or other.region == region:
            raise BackendError("ConflictException", f"The domain name you provided already exists: {name}")
    return CustomDomain(world, label, params)
