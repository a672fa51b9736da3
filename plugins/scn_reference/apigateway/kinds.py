"""The words of API Gateway in the reference model: kinds and settings (behaviour: the other modules)."""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

CAP = "apigateway"


def _money(name, description, aliases=()):
    return Attribute(name, "number", integer=False, capability="billing", aliases=aliases, description=description)


def _api_attributes(rest: bool) -> tuple:
    endpoint = (Attribute("endpoint type", "enum", values=("edge-optimized", "regional", "private"), settable=True,
                          aliases=("endpoint configuration",),
                          description="where clients reach it: edge-optimized (the default, through CloudFront), regional, or private (a VPC)")
                if rest else
                Attribute("endpoint type", "text", aliases=("endpoint configuration",),
                          description="regional: WebSocket APIs have no other endpoint type"))
    common = (
        Attribute("state", "text"),
        Attribute("api id", "text", aliases=("id",), description="the 10-character id in its execute-api host name"),
        Attribute("protocol", "text", aliases=("protocol type",), description="REST or WEBSOCKET"),
        endpoint,
        Attribute("backend", "text", settable=True, aliases=("integration", "backend service"),
                  description="what answers its calls: lambda (the default), http (any web application), ec2, aws service, mock"),
        Attribute("integration type", "text", description="AWS_PROXY for Lambda, HTTP_PROXY for a web application or EC2, AWS, MOCK"),
        Attribute("backend endpoint", "text", settable=True,
                  description="public (the default) or private: a private web backend is reached through a VPC link"),
        Attribute("connection type", "text", description="INTERNET, or VPC_LINK for a private backend endpoint"),
        Attribute("tags", "text", settable=True, description="its tags, `key=value, key=value`; IAM policies may grant by tag"),
        Attribute("call count", "number", aliases=("calls received",), description="the calls (messages) it has answered"),
        Attribute("billed calls", "number", description="the calls the free tier did not cover"),
        Attribute("data out", "quantity", dimension="size", aliases=("data transferred out",),
                  description="the bytes its answers sent out"),
        _money("call charges", "USD for its calls (REST $3.50, WebSocket $1.00 per million; illustrative list prices)"),
        _money("data transfer charges", "USD for the data it sent out ($0.09 per GB; none for a private API)",
               aliases=("data out charges",)),
        _money("privatelink charges", "USD of AWS PrivateLink data processing for a private API ($0.01 per GB)"),
        _money("cache charges", "USD for the caches of its stages, by the hour and size"),
        _money("charges", "USD it has cost: calls, data out, PrivateLink, cache", aliases=("cost", "bill")),
    )
    if rest:
        return common + (
            Attribute("resource policy", "text", settable=True, aliases=("policy",),
                      description="who may invoke it: `allow ip <cidr>`, `deny ip <cidr>`, `allow vpce <id>`, `allow all`, `deny all`"),
            Attribute("authorization type", "text", settable=True, aliases=("authorization",),
                      description="NONE (the default), AWS_IAM; CUSTOM or COGNITO_USER_POOLS once it has an authorizer"),
        )
    return common + (Attribute("route selection expression", "text", settable=True,
                               description="where a message names its route ($request.body.action by default)"),)


_API_ACTIONS = (
    Action("create", "created", creates=True, result="available"),
    Action("update", "updated", params=("resource policy", "tags", "authorization type")),
    Action("delete", "deleted", deletes=True),
)

REST_API = Kind(
    name="rest api",
    aliases=("api", "api gateway"),
    capability=CAP,
    description="an API Gateway REST API in us-east-1, with one integration (its backend)",
    states=(State("available"),),
    attributes=_api_attributes(rest=True),
    actions=_API_ACTIONS,
)

WEBSOCKET_API = Kind(
    name="websocket api",
    capability=CAP,
    description="an API Gateway WebSocket API in us-east-1: two-way messages over wss://",
    states=(State("available"),),
    attributes=_api_attributes(rest=False),
    actions=(_API_ACTIONS[0], Action("update", "updated", params=("tags",)), _API_ACTIONS[2]),
)

API_STAGE = Kind(
    name="api stage",
    aliases=("stage",),
    capability=CAP,
    description="a deployment of an API, reachable at its invoke URL; a REST stage may have a cache",
    states=(State("available"),),
    attributes=(
        Attribute("stage name", "text", settable=True, description="the last part of its invoke URL (its name by default)"),
        Attribute("invoke url", "text", aliases=("url", "endpoint url"),
                  description="https://<api id>.execute-api.us-east-1.amazonaws.com/<stage> (wss:// for WebSocket)"),
        Attribute("cache", "boolean", settable=True, aliases=("api cache", "cache cluster"),
                  description="whether it has a cache (0.5 GB unless a cache size is given)"),
        Attribute("cache size", "quantity", dimension="size", integer=False, settable=True, aliases=("cache capacity",),
                  description="0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237 GB"),
        _money("cache hourly price", "USD per hour of its cache, by size (0 without one)"),
        _money("cache charges", "USD its cache has cost so far: hours × the hourly price of its size"),
    ),
    actions=(
        Action("create", "created", creates=True, result="available"),
        Action("deploy", "deployed", creates=True, result="available"),
        Action("update", "updated", params=("cache", "cache size")),
        Action("delete", "deleted", deletes=True),
    ),
    relations=(Relation("", "of", "rest api", description="the REST API it deploys"),
               Relation("", "of", "websocket api", description="the WebSocket API it deploys")),
)

API_CALL = Kind(
    name="api call",
    aliases=("api request",),
    capability=CAP,
    description="calls (or WebSocket messages) a client sends to a stage or a custom domain, answered at once",
    attributes=(
        Attribute("path", "text", settable=True, description="the resource path called (/ by default)"),
        Attribute("call count", "number", settable=True, aliases=("calls", "repeat count"),
                  description="how many identical calls it stands for (1 by default)"),
        Attribute("header names", "text", settable=True, aliases=("headers",), description="the names of its headers, comma-separated"),
        Attribute("cookies", "text", settable=True, aliases=("cookie header",), description="its Cookie header: `name=value; name=value`"),
        Attribute("response size", "quantity", dimension="size", settable=True, aliases=("payload size",),
                  description="the size of each answer (0 by default): the data transferred out"),
        Attribute("client region", "text", settable=True, aliases=("origin region",),
                  description="where the client is (us-east-1 by default)"),
        Attribute("source ip", "text", settable=True, aliases=("client ip",), description="the client's IP address (192.0.2.10 by default)"),
        Attribute("signed", "boolean", settable=True, aliases=("sigv4 signed",),
                  description="signed with Signature Version 4 by an IAM identity"),
        Attribute("iam permission", "boolean", settable=True, aliases=("identity permission",),
                  description="the signer's identity-based IAM policy allows execute-api:Invoke (true by default)"),
        Attribute("token", "text", settable=True, aliases=("authorization token", "bearer token"),
                  description="the token an authorizer checks; a Cognito ID token is `<user pool id>:<user>` here"),
        Attribute("vpc endpoint", "text", settable=True, aliases=("interface endpoint",),
                  description="the interface VPC endpoint it comes through, if any"),
        Attribute("endpoint policy", "text", settable=True, aliases=("vpc endpoint policy",),
                  description="the policy of that VPC endpoint: allow (the default policy) or deny"),
        Attribute("status", "number", aliases=("status code", "http status"), description="the HTTP status of the answers"),
        Attribute("message", "text", aliases=("error message", "response message"), description="OK, or why it was refused"),
        Attribute("url", "text", description="the URL called"),
        Attribute("backend", "text", aliases=("answered backend",), description="the integration that answered (none when refused)"),
        Attribute("connection type", "text", description="how API Gateway reached the backend: INTERNET or VPC_LINK"),
        Attribute("via cloudfront", "boolean", aliases=("cloudfront routed",),
                  description="routed through a CloudFront point of presence (edge-optimized endpoints)"),
        Attribute("edge location", "text", aliases=("cloudfront pop", "pop"),
                  description="the CloudFront point of presence it entered at, nearest the client (none if not via CloudFront)"),
        Attribute("forwarded header names", "text", description="the header names as the backend received them"),
        Attribute("forwarded cookies", "text", description="the Cookie header as the backend received it"),
        Attribute("billed", "boolean", description="it was charged for: not refused, and not all covered by the free tier"),
    ),
    actions=(Action("send", "sent", creates=True),),
    relations=(Relation("sent", "to", "api stage", description="the stage it was sent to"),
               Relation("sent", "to", "custom domain", description="the custom domain name it was sent to")),
)

AUTHORIZER = Kind(
    name="authorizer",
    capability=CAP,
    description="a Lambda (TOKEN or REQUEST) or Amazon Cognito user pool authorizer of a REST API",
    attributes=(
        Attribute("authorizer type", "text", settable=True, aliases=("type",),
                  description="TOKEN (the default) or REQUEST: a Lambda authorizer; COGNITO_USER_POOLS"),
        Attribute("accepted token", "text", settable=True,
                  description="the token its Lambda function allows (the model's stand-in for the function's code)"),
        Attribute("user pool", "text", settable=True, aliases=("user pool id",),
                  description="the Cognito user pool whose ID tokens it accepts"),
        Attribute("authorizer id", "text", aliases=("id",)),
    ),
    actions=(Action("create", "created", creates=True),),
    relations=(Relation("", "of", "rest api", description="the API it guards: its methods use it"),),
)

CUSTOM_DOMAIN = Kind(
    name="custom domain",
    aliases=("custom domain name",),
    capability=CAP,
    description="a custom domain name for APIs: edge-optimized (a CloudFront distribution, global) or regional",
    attributes=(
        Attribute("domain name", "text", settable=True, aliases=("name",), description="api.example.com by default"),
        Attribute("endpoint type", "enum", values=("edge-optimized", "regional"), settable=True,
                  description="edge-optimized (the default) or regional"),
        Attribute("region", "text", settable=True, description="the region it is created in (us-east-1 by default)"),
        Attribute("certificate region", "text", settable=True,
                  description="where its ACM certificate is: us-east-1 for edge-optimized, its own region for regional"),
        Attribute("target domain name", "text", aliases=("distribution domain name",),
                  description="what its DNS record points at: a cloudfront.net distribution, or a regional execute-api name"),
        Attribute("hosted zone id", "text", description="the Route 53 zone of that target: Z2FDTNDATAQYW2 in every region for edge-optimized"),
        Attribute("global", "boolean", description="applies across all regions (edge-optimized)"),
    ),
    actions=(
        Action("create", "created", creates=True),
        Action("map", "mapped", target="api stage", preposition="to", target_required=True),
        Action("delete", "deleted", deletes=True),
    ),
    relations=(Relation("mapped", "to", "api stage", make="map", description="its base path mapping"),),
)

SETTINGS = (
    Setting("account free tier plan", "text", default="12-month", capability="billing",
            description="the account's free tier: \"12-month\" (the notes: one million API calls a month for 12 months) or, "
                        "for accounts created from 15 July 2025 (AWS today), \"free plan\" / \"paid plan\" with credits instead"),
    Setting("api management policy", "text", default="allow all", capability="apigateway",
            description="the caller's identity policy for apigateway:* actions: allow all, deny all, allow tag k=v, deny tag k=v (`;`-separated)"),
)

VOCABULARY = (REST_API, WEBSOCKET_API, API_STAGE, API_CALL, AUTHORIZER, CUSTOM_DOMAIN) + SETTINGS
