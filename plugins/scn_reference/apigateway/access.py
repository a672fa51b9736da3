"""Who may call an API Gateway API, and what an edge-optimized endpoint does to a request.

Sources: specs/notes/aws-architecture-notes.md, "API Gateway / Identity and Access
Management" and "Edge-Optimized Endpoint"; AWS API Gateway developer guide: "Control and
manage access to REST APIs" (resource policies, IAM permissions, tags, VPC endpoint
policies, Lambda authorizers, Amazon Cognito user pools), "How API Gateway resource
policies affect authorization workflow", "Using tags to control access to API Gateway
REST API resources" (tag conditions apply to the apigateway:* management actions),
"API endpoint types for REST APIs" (edge-optimized APIs capitalize header names; the
request goes through the nearest CloudFront point of presence); CloudFront developer
guide, "Cache content based on cookies" (CloudFront sorts cookies in natural order by
cookie name before forwarding the request).

Policies are written in a small language instead of JSON, one statement per `;`:

- a resource policy (of an API): `allow all`, `deny all`, `allow ip 203.0.113.0/24`,
  `deny ip <cidr>`, `allow vpce vpce-1a2b`, `deny vpce <id>`;
- the management policy of the caller (setting ``api management policy``): `allow all`,
  `deny all`, `allow tag <key>=<value>` (only on APIs with that tag), `deny tag <key>=<value>`;
- a VPC endpoint policy: `allow` (the default policy: full access) or `deny`.

The decision (a simplification of AWS's workflow, same account): a private API answers
only calls through an interface VPC endpoint whose policy allows them; an authorizer is
evaluated first (Lambda: no token 401, a token its function denies 403; Cognito: a token
not issued by its user pool 401); an explicit deny in the resource policy wins (403);
with IAM authorization an unsigned call is refused (403 "Missing Authentication Token")
and a signed one needs its identity policy or the resource policy to allow it; otherwise
a resource policy with statements must allow the call. A Lambda authorizer's code is
modelled by the one token it accepts; a Cognito ID token by ``<user pool id>:<user>``.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from scenario.errors import BackendError

#: the nearest CloudFront point of presence to a client in a region (illustrative, one per region)
EDGE_LOCATIONS = {
    "us-east-1": "IAD", "us-east-2": "CMH", "us-west-1": "SFO", "us-west-2": "SEA", "ca-central-1": "YUL",
    "eu-west-1": "DUB", "eu-west-2": "LHR", "eu-west-3": "CDG", "eu-central-1": "FRA", "eu-north-1": "ARN",
    "ap-northeast-1": "NRT", "ap-southeast-1": "SIN", "ap-southeast-2": "SYD", "ap-south-1": "BOM",
    "sa-east-1": "GRU",
}

EXPLICIT_DENY = "User: anonymous is not authorized to perform: execute-api:Invoke on resource: {arn} with an explicit deny"
IMPLICIT_DENY = "User: anonymous is not authorized to perform: execute-api:Invoke on resource: {arn}"


def parse_policy(text: str | None, kinds: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """`allow ip 10.0.0.0/8; deny all` → [(effect, what, value)]; BadRequestException if malformed."""
    statements = []
    for raw in (text or "").split(";"):
        words = raw.split()
        if not words:
            continue
        effect = words[0].lower()
        what = words[1].lower() if len(words) > 1 else ""
        value = words[2] if len(words) > 2 else ""
        if effect not in ("allow", "deny") or (what != "all" and what not in kinds) or (what != "all" and not value) \
                or len(words) > (2 if what == "all" else 3):
            raise BackendError("BadRequestException", f"Invalid policy statement: {raw.strip()!r}")
        if what == "ip":
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise BackendError("BadRequestException", f"Invalid IP address or range: {value!r}") from None
        statements.append((effect, what, value))
    return statements


def _matches(what: str, value: str, call) -> bool:
    if what == "all":
        return True
    if what == "ip":
        return ipaddress.ip_address(call.source_ip) in ipaddress.ip_network(value, strict=False)
    return call.vpc_endpoint == value  # vpce


def decide(api, stage, call) -> tuple[int, str]:
    """(HTTP status, message) of a call that reached the stage of ``api``."""
    arn = f"arn:aws:execute-api:us-east-1:123456789012:{api.api_id}/{stage.name}/GET{call.path}"
    if api.endpoint == "private":
        if call.vpc_endpoint is None:
            return 403, "Forbidden"  # a private API is reachable only through an interface VPC endpoint
        if call.endpoint_policy != "allow":
            return 403, IMPLICIT_DENY.format(arn=arn) + " because no VPC endpoint policy allows the execute-api:Invoke action"
    auth = api.authorization
    authorizer = api.authorizer
    if auth == "CUSTOM":
        if call.token is None:
            return 401, "Unauthorized"
        if call.token != authorizer.accepted_token:
            return 403, "User is not authorized to access this resource with an explicit deny"
    elif auth == "COGNITO_USER_POOLS":
        if call.token is None or not call.token.startswith(f"{authorizer.user_pool}:"):
            return 401, "Unauthorized"
    policy = parse_policy(api.resource_policy, ("ip", "vpce"))
    if any(effect == "deny" and _matches(what, value, call) for effect, what, value in policy):
        return 403, EXPLICIT_DENY.format(arn=arn)
    allowed_by_policy = any(effect == "allow" and _matches(what, value, call) for effect, what, value in policy)
    if auth == "AWS_IAM":
        if not call.signed:
            return 403, "Missing Authentication Token"
        if not (call.iam_permission or allowed_by_policy):
            return 403, IMPLICIT_DENY.format(arn=arn).replace("anonymous", "arn:aws:iam::123456789012:user/caller")
    elif policy and not allowed_by_policy:
        return 403, IMPLICIT_DENY.format(arn=arn)
    return 200, "OK"


def check_management(world, api, action: str) -> None:
    """The caller's identity policy (the setting ``api management policy``) may refuse apigateway:* on ``api``."""
    policy = parse_policy(world.settings.get("api management policy", "allow all"), ("tag",))
    tags = dict(pair.split("=", 1) for pair in _tag_pairs(api.tags))

    def hit(what, value):
        if what == "all":
            return True
        key, _, wanted = value.partition("=")
        return tags.get(key) == wanted

    denied = any(effect == "deny" and hit(what, value) for effect, what, value in policy)
    if denied or not any(effect == "allow" and hit(what, value) for effect, what, value in policy):
        raise BackendError("AccessDeniedException",
                           f"User: arn:aws:iam::123456789012:user/caller is not authorized to perform: apigateway:{action} "
                           f"on resource: arn:aws:apigateway:us-east-1::/restapis/{api.api_id}")


def _tag_pairs(text: str | None) -> list[str]:
    pairs = [p.strip() for p in (text or "").split(",") if p.strip()]
    for p in pairs:
        if "=" not in p:
            raise BackendError("BadRequestException", f"Invalid tag {p!r}: write key=value")
    return pairs


def check_tags(text: str | None) -> None:
    _tag_pairs(text)


def edge_headers(names: str | None) -> str | None:
    """`cookie, x-amz-date` → `Cookie, X-Amz-Date`: how an edge-optimized API forwards header names."""
    if names is None:
        return None
    return ", ".join("-".join(part[:1].upper() + part[1:].lower() for part in n.strip().split("-"))
                     for n in names.split(",") if n.strip())


def sorted_cookies(cookies: str | None) -> str | None:
    """`b=2; a=1` → `a=1; b=2`: CloudFront forwards cookies sorted by name."""
    if cookies is None:
        return None
    pairs = [c.strip() for c in cookies.split(";") if c.strip()]
    return "; ".join(sorted(pairs, key=lambda c: c.split("=", 1)[0]))


def edge_location(region: str) -> Any:
    if region not in EDGE_LOCATIONS:
        raise BackendError("ReferenceModel.UnknownRegion", f"The model knows no CloudFront point of presence near {region!r}.")
    return EDGE_LOCATIONS[region]
