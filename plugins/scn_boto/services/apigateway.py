"""API Gateway: REST APIs (``apigateway``) and WebSocket APIs (``apigatewayv2``), their
stages, authorizers and custom domain names.

A REST API is created with the method ``GET`` on ``/`` and on ``/{proxy+}`` (every path),
integrated with the API's ``backend`` (lambda → AWS_PROXY, http and ec2 → HTTP_PROXY to a
tiny HTTP server the world serves on 127.0.0.1, never an outside host; aws service → AWS,
DynamoDB's ListTables; mock → MOCK; a private backend endpoint goes through a VPC link),
with the API's authorization type. A WebSocket API has one ``$default`` route to its backend. A resource
policy is written in the vocabulary's words (`allow ip 203.0.113.0/24; deny all`) and
sent as the IAM policy document they mean; it is read back the same way.

A call to an API (`api call`) is an HTTPS GET of the stage's invoke URL and path
(``requests``: moto answers it in process, as it does for the integrations it serves;
elsewhere it goes to the endpoint), with the call's header names, cookies and token as
headers, signed with SigV4 when it says so; its status, message and headers are read
from the answer. A Lambda integration needs a function to invoke, which the adapter does
not deploy: not implemented, naming the Lambda invocation. What an HTTP request cannot
carry (the source IP, the caller's IAM permission, the VPC endpoint, the client's
region) is not implemented, and so is a call through a custom domain (its name is in no
DNS) or to a WebSocket API (a WebSocket message). Not mapped either: the caller's own IAM
policy (`api management policy`).
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence
from urllib.parse import urlsplit

from scenario.backend import BackendFault, NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, carries

REGION = "us-east-1"
ENDPOINT_TYPES = {"edge-optimized": "EDGE", "regional": "REGIONAL", "private": "PRIVATE"}
INTEGRATION_TYPES = {"lambda": "AWS_PROXY", "http": "HTTP_PROXY", "ec2": "HTTP_PROXY", "aws service": "AWS", "mock": "MOCK"}
BACKEND_URIS = {
    "lambda": "arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/arn:aws:lambda:{region}:{account}:function:scn-backend/invocations",
    "http": "{loopback}/http/",  # the world's own HTTP server on 127.0.0.1: never an outside host
    "ec2": "{loopback}/ec2/",
    "aws service": "arn:aws:apigateway:{region}:dynamodb:action/ListTables",
}
METHOD = "GET"  # the API's method, on / and on /{proxy+}: what a call sends
PROXY = "{proxy+}"
EXECUTE = "execute-api:Invoke"


def _not_found(exc: BackendError) -> bool:
    return exc.code in ("NotFoundException",)


def _account(world: Boto3World) -> str:
    return world.call("sts", "get_caller_identity", "reading the account")["Account"]


# ---------------------------------------------------------------- resource policies in the vocabulary's words
def policy_document(text: str, api_arn: str) -> str:
    """`allow ip 203.0.113.0/24; deny all` → the IAM policy document it means."""
    statements = []
    for part in [p.strip() for p in str(text).split(";") if p.strip()]:
        words = part.split()
        effect = words[0].lower() if words else ""
        if effect not in ("allow", "deny") or len(words) not in (2, 3) or (len(words) == 2 and words[1] != "all") \
                or (len(words) == 3 and words[1] not in ("ip", "vpce")):
            raise NotImplementedByBackend(f"the resource policy {text!r} (no IAM policy document says it)")
        st: dict[str, Any] = {"Effect": effect.capitalize(), "Principal": "*", "Action": EXECUTE, "Resource": f"{api_arn}/*"}
        if len(words) == 3:
            key = "aws:SourceIp" if words[1] == "ip" else "aws:SourceVpce"
            st["Condition"] = {"IpAddress" if words[1] == "ip" else "StringEquals": {key: words[2]}}
        statements.append(st)
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def policy_text(document: str | None) -> str | None:
    """The IAM policy document of an API → the vocabulary's words (None without one)."""
    if not document:
        return None
    try:
        doc = json.loads(document.replace('\\"', '"')) if isinstance(document, str) else document
    except ValueError:
        return document
    st = doc.get("Statement", [])
    parts = []
    for s in [st] if isinstance(st, Mapping) else st:
        effect = str(s.get("Effect", "")).lower()
        cond = s.get("Condition") or {}
        ip = (cond.get("IpAddress") or {}).get("aws:SourceIp")
        vpce = (cond.get("StringEquals") or {}).get("aws:SourceVpce")
        parts.append(f"{effect} ip {ip}" if ip else f"{effect} vpce {vpce}" if vpce else f"{effect} all")
    return "; ".join(parts)


def tags_of(text: str) -> dict[str, str]:
    """`team=blue, env=prod` → {"team": "blue", "env": "prod"}."""
    tags = {}
    for part in [p.strip() for p in str(text).split(",") if p.strip()]:
        if "=" not in part:
            raise NotImplementedByBackend(f"the tag {part!r} (an API's tags are key=value pairs)")
        k, v = part.split("=", 1)
        tags[k.strip()] = v.strip()
    return tags


def tags_text(tags: Mapping[str, str], world: Boto3World, label: str) -> str | None:
    own = set(world.tag_map(label))
    shown = [f"{k}={v}" for k, v in sorted(tags.items()) if k not in own]
    return ", ".join(shown) or None


# ---------------------------------------------------------------- REST APIs
def _rest(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("apigateway", "get_rest_api", "reading a REST API", restApiId=handle.id)


def _root(world: Boto3World, api: str) -> str:
    items = world.call("apigateway", "get_resources", "reading an API's resources", restApiId=api).get("items", ())
    return next(r["id"] for r in items if r.get("path") == "/")


def _integration(world: Boto3World, api: str, backend: str, endpoint: str, account: str) -> dict[str, Any]:
    if backend not in INTEGRATION_TYPES:
        raise NotImplementedByBackend(f"the backend {backend!r} of an API (no integration type of API Gateway)")
    kw: dict[str, Any] = {"type": INTEGRATION_TYPES[backend]}
    if backend in BACKEND_URIS:
        loopback = loopback_server(world).url if backend in ("http", "ec2") else ""
        kw["uri"] = BACKEND_URIS[backend].format(region=REGION, account=account, loopback=loopback)
        kw["integrationHttpMethod"] = "POST" if backend in ("lambda", "aws service") else "GET"
    if endpoint == "private":
        kw["connectionType"] = "VPC_LINK"
        kw["connectionId"] = "${stageVariables.vpcLinkId}"
    return kw


def create_rest(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    backend = str(params.get("backend", "lambda"))
    endpoint = str(params.get("backend endpoint", "public"))
    tags = dict(world.tag_map(label))
    if "tags" in params:
        tags.update(tags_of(params["tags"]))
    account = _account(world)
    kw: dict[str, Any] = {"name": world.resource_name(label, max_length=128), "tags": tags,
                          "endpointConfiguration": {"types": [ENDPOINT_TYPES[str(params.get("endpoint type", "edge-optimized"))]]}}
    integration = _integration(world, "", backend, endpoint, account)
    if "resource policy" in params:
        policy_document(params["resource policy"], "")  # a policy no document says is not sent at all
    api = world.call("apigateway", "create_rest_api", "creating a REST API", **kw)["id"]
    handle = world.remember(Handle("rest api", api, label, refs={"account": account,
                                                                  "loopback": backend in ("http", "ec2")}))
    try:
        if "resource policy" in params:
            _put_policy(world, handle, params["resource policy"])
        root = _root(world, api)
        proxy = world.call("apigateway", "create_resource", "adding every path to an API", restApiId=api, parentId=root,
                           pathPart=PROXY)["id"]
        for resource in (root, proxy):
            world.call("apigateway", "put_method", "adding a method to an API", restApiId=api, resourceId=resource,
                       httpMethod=METHOD, authorizationType=str(params.get("authorization type", "NONE")))
            world.call("apigateway", "put_integration", "integrating an API with its backend", restApiId=api,
                       resourceId=resource, httpMethod=METHOD, **integration)
    except BaseException:  # the API as a whole was refused
        delete_rest(world, handle)
        handle.released = True
        raise
    return handle


def _api_arn(handle: Handle) -> str:
    return f"arn:aws:execute-api:{REGION}:{handle.refs.get('account', '*')}:{handle.id}"


def _put_policy(world: Boto3World, handle: Handle, text: str) -> None:
    world.call("apigateway", "update_rest_api", "setting an API's resource policy", restApiId=handle.id,
               patchOperations=[{"op": "replace", "path": "/policy", "value": policy_document(text, _api_arn(handle))}])


def _resources(world: Boto3World, api: str) -> list[str]:
    """The ids of the API's resources that carry its method: / and /{proxy+}."""
    items = world.call("apigateway", "get_resources", "reading an API's resources", restApiId=api).get("items", ())
    return [r["id"] for r in items if r.get("path") in ("/", "/" + PROXY)]


def _method(world: Boto3World, api: str) -> Mapping[str, Any]:
    return world.call("apigateway", "get_method", "reading an API's method", restApiId=api, resourceId=_root(world, api),
                      httpMethod=METHOD)


def _backend_of(integration: Mapping[str, Any]) -> str | None:
    kind, uri = integration.get("type"), str(integration.get("uri", ""))
    if kind == "AWS_PROXY":
        return "lambda"
    if kind == "AWS":
        return "lambda" if ":lambda:path" in uri else "aws service"
    if kind == "MOCK":
        return "mock"
    if kind in ("HTTP_PROXY", "HTTP"):
        return "ec2" if "/ec2/" in uri or "://ec2" in uri else "http"
    return None


def act_rest(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "delete":
        world.call("apigateway", "delete_rest_api", "deleting a REST API", restApiId=handle.id)
        handle.released = True
        _stop_when_unused(world)
        return ()
    # update
    if "tags" in params:
        world.call("apigateway", "tag_resource", "tagging an API",
                   resourceArn=f"arn:aws:apigateway:{REGION}::/restapis/{handle.id}", tags=tags_of(params["tags"]))
    if "resource policy" in params:
        _put_policy(world, handle, params["resource policy"])
    if "authorization type" in params:
        _reput_method(world, handle.id, str(params["authorization type"]))
    return ()


def _reput_method(world: Boto3World, api: str, authorization: str, authorizer: str | None = None) -> None:
    """The API's methods again, with another authorization (PutMethod after DeleteMethod; their integration kept)."""
    integration = dict(_method(world, api).get("methodIntegration") or {})
    kw: dict[str, Any] = {"authorizationType": authorization}
    if authorizer:
        kw["authorizerId"] = authorizer
    ikw = {k: integration[k] for k in ("type", "uri", "connectionType", "connectionId") if integration.get(k)}
    if integration.get("httpMethod"):
        ikw["integrationHttpMethod"] = integration["httpMethod"]
    for resource in _resources(world, api):
        world.call("apigateway", "delete_method", "replacing an API's method", restApiId=api, resourceId=resource,
                   httpMethod=METHOD)
        world.call("apigateway", "put_method", "replacing an API's method", restApiId=api, resourceId=resource,
                   httpMethod=METHOD, **kw)
        if ikw:
            world.call("apigateway", "put_integration", "integrating an API with its backend", restApiId=api,
                       resourceId=resource, httpMethod=METHOD, **ikw)


def observe_rest(world: Boto3World, handle: Handle, attribute: str) -> Any:
    api = _rest(world, handle)
    if attribute == "state":
        return "available"  # a REST API that GetRestApi describes is available (it has no status field)
    if attribute == "api id":
        return api["id"]
    if attribute == "protocol":
        return "REST"
    if attribute == "endpoint type":
        types = (api.get("endpointConfiguration") or {}).get("types") or ["EDGE"]
        return {v: k for k, v in ENDPOINT_TYPES.items()}.get(types[0], types[0])
    if attribute == "resource policy":
        return policy_text(api.get("policy"))
    if attribute == "tags":
        return tags_text(api.get("tags") or {}, world, handle.label)
    if attribute == "authorization type":
        return _method(world, handle.id).get("authorizationType")
    integration = _method(world, handle.id).get("methodIntegration") or {}
    if attribute == "integration type":
        return integration.get("type")
    if attribute == "backend":
        return _backend_of(integration)
    if attribute == "connection type":
        return integration.get("connectionType", "INTERNET")
    if attribute == "backend endpoint":
        return "private" if integration.get("connectionType") == "VPC_LINK" else "public"
    raise NotImplementedByBackend(f"the {attribute} of a rest api")


def rest_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        _rest(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def delete_rest(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("apigateway", "delete_rest_api", "deleting a REST API", restApiId=handle.id)
    except BackendError as exc:
        if not _not_found(exc):
            raise
    handle.released = True
    _stop_when_unused(world)


# ---------------------------------------------------------------- WebSocket APIs
def _ws(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("apigatewayv2", "get_api", "reading a WebSocket API", ApiId=handle.id)


def create_ws(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    backend = str(params.get("backend", "lambda"))
    if backend not in ("lambda", "aws service", "http", "mock"):
        raise NotImplementedByBackend(f"the backend {backend!r} of a websocket api")
    tags = dict(world.tag_map(label))
    if "tags" in params:
        tags.update(tags_of(params["tags"]))
    account = _account(world)
    kw: dict[str, Any] = {"Name": world.resource_name(label, max_length=128), "ProtocolType": "WEBSOCKET",
                          "RouteSelectionExpression": str(params.get("route selection expression", "$request.body.action")),
                          "Tags": tags}
    api = world.call("apigatewayv2", "create_api", "creating a WebSocket API", **kw)["ApiId"]
    handle = world.remember(Handle("websocket api", api, label, refs={"account": account}))
    ikw: dict[str, Any] = {"IntegrationType": INTEGRATION_TYPES[backend]}
    if backend in BACKEND_URIS:
        ikw["IntegrationUri"] = BACKEND_URIS[backend].format(region=REGION, account=account)
        ikw["IntegrationMethod"] = "POST"
    integration = world.call("apigatewayv2", "create_integration", "integrating a WebSocket API with its backend",
                             ApiId=api, **ikw)["IntegrationId"]
    world.call("apigatewayv2", "create_route", "adding the $default route", ApiId=api, RouteKey="$default",
               Target=f"integrations/{integration}")
    return handle


def _ws_integration(world: Boto3World, api: str) -> Mapping[str, Any]:
    items = world.call("apigatewayv2", "get_integrations", "reading a WebSocket API's integrations", ApiId=api).get("Items", ())
    return items[0] if items else {}


def act_ws(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "delete":
        world.call("apigatewayv2", "delete_api", "deleting a WebSocket API", ApiId=handle.id)
        handle.released = True
        return ()
    if "tags" in params:
        world.call("apigatewayv2", "tag_resource", "tagging an API",
                   ResourceArn=f"arn:aws:apigateway:{REGION}::/apis/{handle.id}", Tags=tags_of(params["tags"]))
    return ()


def observe_ws(world: Boto3World, handle: Handle, attribute: str) -> Any:
    api = _ws(world, handle)
    if attribute == "state":
        return "available"  # a WebSocket API that GetApi describes is available (it has no status field)
    if attribute == "api id":
        return api["ApiId"]
    if attribute == "protocol":
        return api.get("ProtocolType")
    if attribute == "endpoint type":
        # its endpoint is a Regional execute-api host name: wss://<id>.execute-api.<region>.amazonaws.com
        return "regional" if ".execute-api." in str(api.get("ApiEndpoint", "")) else None
    if attribute == "route selection expression":
        return api.get("RouteSelectionExpression")
    if attribute == "tags":
        return tags_text(api.get("Tags") or {}, world, handle.label)
    integration = _ws_integration(world, handle.id)
    if attribute == "integration type":
        return integration.get("IntegrationType")
    if attribute == "backend":
        return _backend_of({"type": integration.get("IntegrationType"), "uri": integration.get("IntegrationUri")})
    if attribute == "connection type":
        return integration.get("ConnectionType", "INTERNET")
    if attribute == "backend endpoint":
        return "private" if integration.get("ConnectionType") == "VPC_LINK" else "public"
    raise NotImplementedByBackend(f"the {attribute} of a websocket api")


def ws_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        _ws(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def delete_ws(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("apigatewayv2", "delete_api", "deleting a WebSocket API", ApiId=handle.id)
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- stages
CACHE_SIZES = {0.5: "0.5", 1.6: "1.6", 6.1: "6.1", 13.5: "13.5", 28.4: "28.4", 58.2: "58.2", 118: "118", 237: "237"}
GB = 1024 ** 3  # the vocabulary's GB (2^30 bytes)


def _cache_size(size: Any) -> str:
    """Bytes → the cacheClusterSize API Gateway takes (GB, as text); a size off its list is sent as it is."""
    gb = float(size) / GB
    for known, text in CACHE_SIZES.items():
        if abs(known - gb) < 1e-6:
            return text
    return f"{gb:g}"


def create_stage(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    api = next((t for r, t in relations if r == "of"), None)
    if api is None:
        raise NotImplementedByBackend("an api stage of no API")
    name = str(params.get("stage name", world.resource_name(label, max_length=128, allowed="A-Za-z0-9_-")))
    cache = bool(params.get("cache", False)) or "cache size" in params
    if api.kind == "websocket api":
        if cache:
            raise NotImplementedByBackend("a cache on a websocket api stage (CreateStage has no cache parameter)")
        try:
            deployment = world.call("apigatewayv2", "create_deployment", "deploying a WebSocket API", ApiId=api.id)["DeploymentId"]
        except BackendError as exc:  # moto answers an operation it lacks with 404 "Not yet implemented"
            if "not yet implemented" in str(exc).lower():
                raise NotImplementedByBackend("deploying a websocket api (CreateDeployment)") from exc
            raise
        world.call("apigatewayv2", "create_stage", "creating a WebSocket API stage", ApiId=api.id, StageName=name,
                   DeploymentId=deployment, Tags=world.tag_map(label))
    else:
        kw: dict[str, Any] = {"restApiId": api.id, "stageName": name}
        if cache:
            kw["cacheClusterEnabled"] = True
            if "cache size" in params:
                kw["cacheClusterSize"] = _cache_size(params["cache size"])
        world.call("apigateway", "create_deployment", "deploying a REST API to a stage", **kw)
    return world.remember(Handle("api stage", name, label, refs={"api": api}))


def _stage(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    api = handle.refs["api"]
    if api.kind == "websocket api":
        return world.call("apigatewayv2", "get_stage", "reading a stage", ApiId=api.id, StageName=handle.id)
    return world.call("apigateway", "get_stage", "reading a stage", restApiId=api.id, stageName=handle.id)


def act_stage(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    api = handle.refs["api"]
    if action == "delete":
        if api.kind == "websocket api":
            world.call("apigatewayv2", "delete_stage", "deleting a stage", ApiId=api.id, StageName=handle.id)
        else:
            world.call("apigateway", "delete_stage", "deleting a stage", restApiId=api.id, stageName=handle.id)
        handle.released = True
        return ()
    if api.kind == "websocket api":
        raise NotImplementedByBackend("a cache on a websocket api stage (UpdateStage has no cache parameter)")
    ops = []
    if "cache" in params:
        ops.append({"op": "replace", "path": "/cacheClusterEnabled", "value": "true" if params["cache"] else "false"})
    if "cache size" in params:
        ops.append({"op": "replace", "path": "/cacheClusterSize", "value": _cache_size(params["cache size"])})
    if ops:
        world.call("apigateway", "update_stage", "updating a stage", restApiId=api.id, stageName=handle.id,
                   patchOperations=ops)
    return ()


def observe_stage(world: Boto3World, handle: Handle, attribute: str) -> Any:
    stage = _stage(world, handle)
    api = handle.refs["api"]
    if attribute == "state":
        return "available"
    if attribute == "stage name":
        return stage.get("stageName", stage.get("StageName"))
    if attribute == "invoke url":
        if api.kind == "websocket api":
            return f"{_ws(world, api)['ApiEndpoint']}/{handle.id}"
        return f"https://{api.id}.execute-api.{REGION}.amazonaws.com/{handle.id}"
    if attribute == "cache":
        return bool(stage.get("cacheClusterEnabled", False))
    if attribute == "cache size":
        size = stage.get("cacheClusterSize")
        return float(size) * GB if size and stage.get("cacheClusterEnabled") else None
    raise NotImplementedByBackend(f"the {attribute} of an api stage")


def stage_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        _stage(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def stage_relations(world: Boto3World, handle: Handle) -> frozenset:
    return frozenset({("of", handle.refs["api"])}) if stage_exists(world, handle) else frozenset()


def delete_stage(world: Boto3World, handle: Handle) -> None:
    try:
        act_stage(world, handle, "delete", None, {})
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- authorizers
def create_authorizer(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    api = next((t for r, t in relations if r == "of"), None)
    if api is None:
        raise NotImplementedByBackend("an authorizer of no API")
    if "accepted token" in params:
        raise NotImplementedByBackend("the accepted token of an authorizer (its Lambda function's code)")
    kind = str(params.get("authorizer type", "TOKEN"))
    account = api.refs.get("account") or _account(world)
    kw: dict[str, Any] = {"restApiId": api.id, "name": world.resource_name(label, max_length=128), "type": kind,
                          "identitySource": "method.request.header.Authorization"}
    if kind != "COGNITO_USER_POOLS":
        kw["authorizerUri"] = BACKEND_URIS["lambda"].format(region=REGION, account=account)
    if "user pool" in params:
        kw["providerARNs"] = [f"arn:aws:cognito-idp:{REGION}:{account}:userpool/{params['user pool']}"]
    answer = world.call("apigateway", "create_authorizer", "creating an authorizer", **kw)
    handle = world.remember(Handle("authorizer", answer["id"], label, refs={"api": api}))
    # the API's method uses it
    _reput_method(world, api.id, "COGNITO_USER_POOLS" if kind == "COGNITO_USER_POOLS" else "CUSTOM", answer["id"])
    return handle


def _authorizer(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("apigateway", "get_authorizer", "reading an authorizer", restApiId=handle.refs["api"].id,
                      authorizerId=handle.id)


def observe_authorizer(world: Boto3World, handle: Handle, attribute: str) -> Any:
    a = _authorizer(world, handle)
    if attribute == "authorizer type":
        return a.get("type")
    if attribute == "user pool":
        arns = a.get("providerARNs") or []
        return arns[0].rsplit("/", 1)[-1] if arns else None
    return a["id"]  # authorizer id


def authorizer_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        _authorizer(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def delete_authorizer(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("apigateway", "delete_authorizer", "deleting an authorizer", restApiId=handle.refs["api"].id,
                   authorizerId=handle.id)
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- custom domain names
def _region(region: str) -> str | None:
    """None for the world's own region (its default clients), else the region."""
    return None if region == REGION else region


def _certificate(region: str, account: str, label: str) -> str:
    return f"arn:aws:acm:{region}:{account}:certificate/{label}"


def create_domain(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    region = str(params.get("region", REGION))
    kind = str(params.get("endpoint type", "edge-optimized"))
    name = str(params.get("domain name", "api.example.com"))
    account = _account(world)
    cert = _certificate(str(params.get("certificate region", REGION)), account, world.resource_name(label))
    kw: dict[str, Any] = {"domainName": name, "endpointConfiguration": {"types": [ENDPOINT_TYPES[kind]]},
                          "tags": world.tag_map(label)}
    kw["certificateArn" if kind == "edge-optimized" else "regionalCertificateArn"] = cert
    world.call("apigateway", "create_domain_name", "creating a custom domain name", region=_region(region), **kw)
    handle = world.remember(Handle("custom domain", name, label, refs={"region": region}))
    for rel, target in relations:  # "mapped to"
        _map(world, handle, target)
    return handle


def _map(world: Boto3World, handle: Handle, stage: Handle) -> None:
    api = stage.refs["api"]
    region = _region(handle.refs["region"])
    if api.kind == "websocket api":
        world.call("apigatewayv2", "create_api_mapping", "mapping a custom domain to a stage", region=region,
                   DomainName=handle.id, ApiId=api.id, Stage=stage.id)
    else:
        world.call("apigateway", "create_base_path_mapping", "mapping a custom domain to a stage", region=region,
                   domainName=handle.id, restApiId=api.id, stage=stage.id)


def _domain(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("apigateway", "get_domain_name", "reading a custom domain name", region=_region(handle.refs["region"]),
                      domainName=handle.id)


def act_domain(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "delete":
        world.call("apigateway", "delete_domain_name", "deleting a custom domain name", region=_region(handle.refs["region"]),
                   domainName=handle.id)
        handle.released = True
        return ()
    _map(world, handle, target)  # map
    return ()


def observe_domain(world: Boto3World, handle: Handle, attribute: str) -> Any:
    d = _domain(world, handle)
    edge = "EDGE" in ((d.get("endpointConfiguration") or {}).get("types") or ["EDGE"])
    if attribute == "domain name":
        return d["domainName"]
    if attribute == "endpoint type":
        return "edge-optimized" if edge else "regional"
    if attribute == "region":
        return handle.refs["region"]  # the region whose endpoint describes it (GetDomainName answered there)
    if attribute == "certificate region":
        arn = d.get("certificateArn") if edge else d.get("regionalCertificateArn")
        return arn.split(":")[3] if arn else None
    if attribute == "target domain name":
        return d.get("distributionDomainName") if edge else d.get("regionalDomainName")
    if attribute == "hosted zone id":
        return d.get("distributionHostedZoneId") if edge else d.get("regionalHostedZoneId")
    if attribute == "global":
        return edge
    raise NotImplementedByBackend(f"the {attribute} of a custom domain")


def domain_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        _domain(world, handle)
    except BackendError as exc:
        if _not_found(exc):
            return False
        raise
    return True


def domain_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        items = world.call("apigateway", "get_base_path_mappings", "reading a domain's mappings",
                           region=_region(handle.refs["region"]), domainName=handle.id).get("items", ())
    except BackendError as exc:
        if _not_found(exc):
            return frozenset()
        raise
    rels = set()
    for m in items:
        for stage in [h for h in world.created if h.kind == "api stage" and not h.released]:
            if stage.refs["api"].id == m.get("restApiId") and stage.id == m.get("stage"):
                rels.add(("mapped to", stage))
    return frozenset(rels)


def delete_domain(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("apigateway", "delete_domain_name", "deleting a custom domain name", region=_region(handle.refs["region"]),
                   domainName=handle.id)
    except BackendError as exc:
        if not _not_found(exc):
            raise


# ---------------------------------------------------------------- the HTTP backend: a server on 127.0.0.1
class LoopbackServer:
    """A tiny threaded HTTP server on 127.0.0.1 standing for an http (or ec2) backend: it answers every request 200
    and records what it saw (path, header names, cookies), for the forwarded headers of a call."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.seen: list[tuple[str, str, list[tuple[str, str]]]] = []  # (method, path, [(header name, value)])
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                seen.append((self.command, self.path, list(self.headers.items())))
                body = json.dumps({"backend": self.path.strip("/").split("/")[0] or "http"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="scn-apigw-backend", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)


_LOOPBACK = "_scn_apigateway_loopback"


def loopback_server(world: Boto3World) -> LoopbackServer:
    """The world's backend server, started on first need and stopped when the world closes (or its last API goes)."""
    import weakref

    server = getattr(world, _LOOPBACK, None)
    if server is None:
        server = LoopbackServer()
        setattr(world, _LOOPBACK, server)
        weakref.finalize(world, server.stop)
        before = world.on_close

        def closing(w: Boto3World, before: Any = before) -> None:
            stop_loopback(w)
            if before is not None:
                before(w)

        world.on_close = closing
    return server


def stop_loopback(world: Boto3World) -> None:
    server = getattr(world, _LOOPBACK, None)
    if server is not None:
        server.stop()
        setattr(world, _LOOPBACK, None)


def _stop_when_unused(world: Boto3World) -> None:
    if not any(h.kind == "rest api" and not h.released and h.refs.get("loopback") for h in world.created):
        stop_loopback(world)


# ---------------------------------------------------------------- calls to an API
#: what an HTTP request cannot carry, or needs what the adapter does not make
CALL_UNMAPPED = {
    "source ip": "the source IP of a call (an HTTP request is sent from where the world runs)",
    "iam permission": "the IAM permission of a call's signer (the world signs as its own identity)",
    "vpc endpoint": "a call through an interface VPC endpoint (it is sent from outside any VPC)",
    "endpoint policy": "the endpoint policy of a call's VPC endpoint (it is sent from outside any VPC)",
    "client region": "the region a call comes from (it is sent from where the world runs)",
    "response size": "the size of what a backend answers (the adapter's backends answer a few bytes)",
}
MAX_CALLS = 100
#: a call that reaches a Lambda integration: the adapter deploys no function behind an API (a call refused before,
#: by a resource policy or an authorization, needs none)
LAMBDA_INVOCATION = "the Lambda invocation behind an api call (lambda-invoke: no function is deployed behind the API)"


def _header_names(text: Any) -> list[str]:
    return [h.strip() for h in str(text).split(",") if h.strip()]


def _integration_of(world: Boto3World, stage: Handle) -> Mapping[str, Any] | None:
    """The integration a call to ``stage`` reaches, read from the API; None when the stage or the API is gone."""
    api = stage.refs["api"]
    try:
        world.call("apigateway", "get_stage", "reading a stage", restApiId=api.id, stageName=stage.id)
        return _method(world, api.id).get("methodIntegration") or {}
    except BackendError as exc:
        if _not_found(exc):
            return None
        raise


def _signed_headers(world: Boto3World, url: str, headers: Mapping[str, str]) -> dict[str, str]:
    """SigV4 headers for a GET of ``url`` as the world's own identity (execute-api)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    client = world.client("apigateway")
    credentials = client._request_signer._credentials.get_frozen_credentials()
    request = AWSRequest(method=METHOD, url=url, headers=dict(headers))
    SigV4Auth(credentials, "execute-api", client.meta.region_name).add_auth(request)
    return dict(request.headers.items())


def create_call(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    """GET the stage's invoke URL and path, ``call count`` times; the last answer is the call's."""
    import requests

    target = next((t for r, t in relations if r == "sent to"), None)
    if target is None:
        raise NotImplementedByBackend("an api call sent to nothing")
    if target.kind == "custom domain":
        raise NotImplementedByBackend("an api call through a custom domain name (the name is in no DNS)")
    api = target.refs["api"]
    if api.kind == "websocket api":
        raise NotImplementedByBackend("an api call to a websocket api (a WebSocket message)")
    for name, why in CALL_UNMAPPED.items():
        if name in params:
            raise NotImplementedByBackend(why)
    count = int(params.get("call count", 1))
    if not 1 <= count <= MAX_CALLS:
        raise NotImplementedByBackend(f"{count} calls at once (the adapter sends at most {MAX_CALLS})")
    endpoint = str(world.client("apigateway").meta.endpoint_url)
    if not (urlsplit(endpoint).hostname or "").endswith(".amazonaws.com"):
        # a stand-in reached at its own address (a moto server) serves no execute-api host: the call would go to AWS
        raise NotImplementedByBackend(f"an api call through the endpoint {endpoint} (execute-api is AWS's own host)")
    integration = _integration_of(world, target)
    backend = _backend_of(integration) if integration else None
    path = str(params.get("path", "/"))
    path = path if path.startswith("/") else "/" + path
    stage_url = f"https://{api.id}.execute-api.{REGION}.amazonaws.com/{target.id}"
    url = stage_url + ("" if path == "/" else path)
    headers = {name: "scn" for name in _header_names(params.get("header names", ""))}
    if "cookies" in params:
        headers["Cookie"] = str(params["cookies"])
    if "token" in params:
        headers["Authorization"] = str(params["token"])
    server = getattr(world, _LOOPBACK, None)
    seen_before = len(server.seen) if server is not None else 0
    answer = None
    for _ in range(count):
        sent = _signed_headers(world, url, headers) if params.get("signed") else headers
        try:
            answer = requests.get(url, headers=sent, timeout=30, allow_redirects=False)
        except NotImplementedError as exc:  # moto in process: an integration type it does not serve
            if backend == "lambda":
                raise NotImplementedByBackend(LAMBDA_INVOCATION) from exc
            kind = (integration or {}).get("type")
            by = f"its {kind} integration" if kind else "a stage or API that is gone"
            raise NotImplementedByBackend(f"an api call answered by {by} ({exc})") from exc
        except requests.RequestException as exc:
            raise BackendFault(f"an api call to {url} could not be sent: {exc}") from exc
        if answer.status_code == 404 and answer.text.strip() == "Not yet implemented":
            raise NotImplementedByBackend(f"an api call to the path {path} of a stage (the endpoint answered 404 Not "
                                          "yet implemented)")
    assert answer is not None
    seen = server.seen[seen_before:] if server is not None else []
    if backend == "lambda" and answer.status_code >= 500:  # the call got past the API's checks to the integration
        raise NotImplementedByBackend(LAMBDA_INVOCATION)
    if backend in ("http", "ec2") and not seen and answer.status_code >= 500:
        raise NotImplementedByBackend("an http backend the endpoint can reach (the adapter serves it on 127.0.0.1)")
    try:
        body = answer.json()
    except ValueError:
        body = None
    message = None
    if isinstance(body, Mapping):
        message = body.get("message", body.get("Message"))
    ok = 200 <= answer.status_code < 300
    handle = Handle("api call", f"{api.id}/{target.id}{path}#{len(world.created)}", label, refs={
        "target": target, "params": dict(params),
        "status": answer.status_code, "message": message if message is not None else answer.reason,
        "url": f"https://{api.id}.execute-api.{REGION}.amazonaws.com/{target.id}{path}",
        "headers": {k.lower(): v for k, v in answer.headers.items()},
        "backend": backend if ok and (backend not in ("http", "ec2") or seen) else None,
        "connection": (integration or {}).get("connectionType", "INTERNET") if ok else None,
        "seen": seen[-1] if seen else None,
    })
    handle.released = True  # a call is an event: nothing to delete
    return world.remember(handle)


def observe_call(world: Boto3World, handle: Handle, attribute: str) -> Any:
    r = handle.refs
    asked = r["params"]
    if attribute in ("path", "call count", "header names", "cookies", "signed", "token"):
        defaults = {"path": "/", "call count": 1, "signed": False}
        return asked.get(attribute, defaults.get(attribute))
    if attribute == "status":
        return r["status"]
    if attribute == "message":
        return r["message"]
    if attribute == "url":
        return r["url"]
    if attribute == "backend":
        return r["backend"]
    if attribute == "connection type":
        return r["connection"]
    if attribute == "via cloudfront":
        return "x-amz-cf-id" in r["headers"]
    if attribute == "edge location":
        pop = r["headers"].get("x-amz-cf-pop")
        return pop[:3] if pop else None
    if attribute in ("forwarded header names", "forwarded cookies"):
        seen = r["seen"]
        if seen is None:
            raise NotImplementedByBackend(f"the {attribute} of an api call (only the adapter's own http backend shows "
                                          "what it received)")
        headers = seen[2]
        if attribute == "forwarded cookies":
            return next((v for k, v in headers if k.lower() == "cookie"), None)
        wanted = {h.lower() for h in _header_names(asked.get("header names", ""))}
        return ", ".join(k for k, _ in headers if k.lower() in wanted) or None
    raise NotImplementedByBackend(f"the {attribute} of an api call")


def call_relations(world: Boto3World, handle: Handle) -> frozenset:
    return frozenset({("sent to", handle.refs["target"])})


def find_rest(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """REST APIs carrying ``tags`` (for ``scn sweep``): GetRestApis, which answers their tags (a moto server's
    tagging API does not cover API Gateway); their stages and authorizers go with them."""
    found = []
    kw: dict[str, Any] = {}
    while True:
        answer = world.call("apigateway", "get_rest_apis", "listing REST APIs", **kw)
        for api in answer.get("items", ()):
            have = dict(api.get("tags") or {})
            if carries(have, tags):
                found.append(Handle("rest api", api["id"], api.get("name") or api["id"], refs={"tags": have}))
        if not answer.get("position"):
            return found
        kw = {"position": answer["position"]}


def find_ws(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """WebSocket APIs carrying ``tags`` (for ``scn sweep``): GetApis, which answers their tags."""
    found = []
    kw: dict[str, Any] = {}
    while True:
        answer = world.call("apigatewayv2", "get_apis", "listing WebSocket APIs", **kw)
        for api in answer.get("Items", ()):
            have = dict(api.get("Tags") or {})
            if api.get("ProtocolType", "WEBSOCKET") == "WEBSOCKET" and carries(have, tags):
                found.append(Handle("websocket api", api["ApiId"], api.get("Name") or api["ApiId"], refs={"tags": have}))
        if not answer.get("NextToken"):
            return found
        kw = {"NextToken": answer["NextToken"]}


# ---------------------------------------------------------------- the service
_API_ATTRIBUTES = {"state", "api id", "protocol", "endpoint type", "backend", "integration type", "backend endpoint",
                   "connection type", "tags"}

REST_API = KindMap(
    "rest api",
    attributes=_API_ATTRIBUTES | {"resource policy", "authorization type"},
    actions={"create", "update", "delete"},
    params={"endpoint type", "backend", "backend endpoint", "tags", "resource policy", "authorization type"},
    action_params={"update": frozenset({"resource policy", "tags", "authorization type"})},
    create=create_rest, act=act_rest, observe=observe_rest, exists=rest_exists, delete=delete_rest,
    find_tagged=find_rest, cost="free",
)

WEBSOCKET_API = KindMap(
    "websocket api",
    attributes=_API_ATTRIBUTES | {"route selection expression"},
    actions={"create", "update", "delete"},
    params={"backend", "tags", "route selection expression"},
    action_params={"update": frozenset({"tags"})},
    create=create_ws, act=act_ws, observe=observe_ws, exists=ws_exists, delete=delete_ws,
    find_tagged=find_ws, cost="free",
)

API_STAGE = KindMap(
    "api stage",
    attributes={"state", "stage name", "invoke url", "cache", "cache size"},
    actions={"create", "deploy", "update", "delete"},
    relations={"of"},
    params={"stage name", "cache", "cache size"},
    action_params={"update": frozenset({"cache", "cache size"})},
    create=create_stage, act=act_stage, observe=observe_stage, exists=stage_exists, relations_of=stage_relations,
    delete=delete_stage, cost="cheap",
)

AUTHORIZER = KindMap(
    "authorizer",
    attributes={"authorizer type", "user pool", "authorizer id"},
    actions={"create"},
    relations={"of"},
    params={"authorizer type", "user pool", "accepted token"},
    create=create_authorizer, observe=observe_authorizer, exists=authorizer_exists, delete=delete_authorizer,
    cost="free",
)

API_CALL = KindMap(
    "api call",
    attributes={"path", "call count", "header names", "cookies", "signed", "token", "status", "message", "url",
                "backend", "connection type", "via cloudfront", "edge location", "forwarded header names",
                "forwarded cookies"},
    actions={"send"},
    relations={"sent to"},
    params={"path", "call count", "header names", "cookies", "signed", "token"} | set(CALL_UNMAPPED),
    create=create_call, observe=observe_call, exists=lambda world, h: True, relations_of=call_relations,
    cost="free",  # cheap on AWS: billed per million calls
)

CUSTOM_DOMAIN = KindMap(
    "custom domain",
    attributes={"domain name", "endpoint type", "region", "certificate region", "target domain name", "hosted zone id",
                "global"},
    actions={"create", "map", "delete"},
    relations={"mapped to"},
    params={"domain name", "endpoint type", "region", "certificate region"},
    create=create_domain, act=act_domain, observe=observe_domain, exists=domain_exists, relations_of=domain_relations,
    delete=delete_domain, cost="free",
)

SERVICE = Service(
    capability="apigateway",
    clients=("apigateway", "apigatewayv2"),
    kinds=(REST_API, WEBSOCKET_API, API_STAGE, AUTHORIZER, CUSTOM_DOMAIN, API_CALL),
    why={
        "api call.billed": "billing",
        **{f"api call.{name}": why for name, why in CALL_UNMAPPED.items()},
        "rest api.call count": "API Gateway's Count metric in CloudWatch, published minutes late",
        "rest api.billed calls": "billing",
        "rest api.data out": "billing (data transferred out)",
        "authorizer.accepted token": "what a Lambda authorizer accepts is its function's code",
    },
    description="API Gateway REST and WebSocket APIs, stages, authorizers and custom domain names",
)
