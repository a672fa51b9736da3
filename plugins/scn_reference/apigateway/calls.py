"""Calls to API Gateway APIs: where they go, what the backend sees, who may make them, what they cost.

Source: see the package's docstring and :mod:`.access`. A call is sent to a stage (its invoke
URL) or to a custom domain name mapped to a stage. An edge-optimized endpoint (the API's,
or an edge-optimized custom domain's) enters through the CloudFront point of presence
nearest the client, capitalizes header names and sorts cookies by name; a regional or
private one passes them as sent. A stage that is gone, or a custom domain without a
mapping, answers 403 Forbidden, as API Gateway does. Refused calls are not billed.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from .access import decide, edge_headers, edge_location, sorted_cookies
from .billing import ledger


class Call(Resource):
    kind = "api call"

    def __init__(self, id, label, target, params):
        super().__init__(id, label)
        self.target = target
        self.path = params.get("path", "/")
        self.count = params.get("call count", 1)
        self.headers = params.get("header names")
        self.cookies = params.get("cookies")
        self.size = params.get("response size", 0)
        self.region = params.get("client region", "us-east-1")
        self.source_ip = params.get("source ip", "192.0.2.10")
        self.signed = params.get("signed", False)
        self.iam_permission = params.get("iam permission", True)
        self.token = params.get("token")
        self.vpc_endpoint = params.get("vpc endpoint")
        self.endpoint_policy = params.get("endpoint policy", "allow")
        self.status, self.message, self.backend, self.connection = 403, "Forbidden", None, None
        self.url = ""  # set by create_call: the target's address and the path
        self.edge = False
        self.entry = None

    def relations(self, world) -> frozenset:
        return frozenset({("sent to", self.target)})

    ATTRIBUTES = {
        "path": lambda w, c: c.path,
        "call count": lambda w, c: c.count,
        "header names": lambda w, c: c.headers,
        "cookies": lambda w, c: c.cookies,
        "response size": lambda w, c: c.size,
        "client region": lambda w, c: c.region,
        "source ip": lambda w, c: c.source_ip,
        "signed": lambda w, c: c.signed,
        "iam permission": lambda w, c: c.iam_permission,
        "token": lambda w, c: c.token,
        "vpc endpoint": lambda w, c: c.vpc_endpoint,
        "endpoint policy": lambda w, c: c.endpoint_policy,
        "status": lambda w, c: c.status,
        "message": lambda w, c: c.message,
        "url": lambda w, c: c.url,
        "backend": lambda w, c: c.backend,
        "connection type": lambda w, c: c.connection,
        "via cloudfront": lambda w, c: c.edge,
        "edge location": lambda w, c: edge_location(c.region) if c.edge else None,
        "forwarded header names": lambda w, c: edge_headers(c.headers) if c.edge else c.headers,
        "forwarded cookies": lambda w, c: sorted_cookies(c.cookies) if c.edge else c.cookies,
        "billed": lambda w, c: c.entry is not None and c.entry["billed"] > 0,
    }


def create_call(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Call:
    target = next((t for r, t in relations if r == "sent to"), None)
    if target is None:
        raise BackendError("ReferenceModel.NoTarget", "An API call is sent to an api stage or a custom domain.")
    call = Call(world.new_id("call"), label, target, params)
    if not isinstance(call.count, int) or call.count < 1:
        raise BackendError("ReferenceModel.InvalidCount", f"A call count is a whole number of at least 1, not {call.count}.")
    edge_location(call.region)  # a client region the model knows
    if target.kind == "custom domain":
        call.url = f"https://{target.domain}{call.path}"
        call.edge = target.endpoint == "edge-optimized"
        stage = target.stage
    else:
        stage = target
        call.url = stage.invoke_url + call.path
        call.edge = stage.api.endpoint == "edge-optimized"
    if stage is None or not stage.exists(world) or not stage.api.exists(world):
        return call  # 403 Forbidden: nothing is deployed there
    api = stage.api
    call.status, call.message = decide(api, stage, call)
    if call.status == 200:
        call.backend = api.backend
        call.connection = "VPC_LINK" if api.backend_endpoint == "private" else "INTERNET"
        call.entry = ledger(world).record(world, api, call.count, call.size, api.endpoint == "private")
    return call
