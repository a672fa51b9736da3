"""The API Gateway mapping on moto: resource policies in words and back, refusals, authorizers, regional domains."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from helpers.moto_world import moto_stopped_after, world  # noqa: E402,F401

from scenario.backend import NotImplementedByBackend  # noqa: E402
from scenario.errors import BackendError  # noqa: E402
from scn_boto.moto_backend import BACKEND  # noqa: E402
from scn_boto.services.apigateway import policy_document, policy_text  # noqa: E402


def test_a_resource_policy_in_words_is_an_iam_document_and_back():
    doc = json.loads(policy_document("allow all; deny ip 198.51.100.0/24", "arn:aws:execute-api:us-east-1:1:abc"))
    deny = doc["Statement"][1]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}}
    assert policy_text(json.dumps(doc)) == "allow all; deny ip 198.51.100.0/24"
    with pytest.raises(NotImplementedByBackend):
        policy_document("allow everyone", "arn")


def test_the_policy_and_endpoint_type_are_read_back_from_the_api(world):
    api = world.create("rest api", '"shop"', {"endpoint type": "regional", "resource policy": "allow ip 203.0.113.0/24"}, ())
    assert world.observe(api, "endpoint type") == "regional"
    assert world.observe(api, "resource policy") == "allow ip 203.0.113.0/24"
    world.act(api, "update", None, {"resource policy": "deny all"})
    assert world.observe(api, "resource policy") == "deny all"
    world.client("apigateway").update_rest_api(restApiId=api.id, patchOperations=[
        {"op": "replace", "path": "/policy", "value": policy_document("allow vpce vpce-1", "x")}])
    assert world.observe(api, "resource policy") == "allow vpce vpce-1"
    assert world.observe(api, "integration type") == "AWS_PROXY" and world.observe(api, "backend") == "lambda"


def test_a_stage_of_a_deleted_api_is_refused_with_aws_code(world):
    api = world.create("rest api", '"shop"', {}, ())
    world.act(api, "delete", None, {})
    assert not world.exists(api)
    with pytest.raises(BackendError) as info:
        world.create("api stage", '"prod"', {}, [("of", api)])
    assert info.value.code == "NotFoundException"


def test_a_cognito_authorizer_guards_the_method(world):
    api = world.create("rest api", '"shop"', {"backend": "http"}, ())
    assert world.observe(api, "authorization type") == "NONE"
    auth = world.create("authorizer", '"auth"', {"authorizer type": "COGNITO_USER_POOLS", "user pool": "us-east-1_Shop"},
                        [("of", api)])
    assert world.observe(api, "authorization type") == "COGNITO_USER_POOLS"
    assert world.observe(api, "backend") == "http"  # the integration survives the method's replacement
    assert world.observe(auth, "user pool") == "us-east-1_Shop"


def test_a_regional_domain_lives_in_its_region_and_teardown_deletes_it(world):
    d = world.create("custom domain", '"west"', {"endpoint type": "regional", "region": "eu-west-1",
                                                 "domain name": "api.example.com"}, ())
    assert ".execute-api.eu-west-1." in world.observe(d, "target domain name")
    assert world.observe(d, "global") is False
    assert world.observe(d, "certificate region") == "us-east-1"  # the default certificate region
    names = world.client("apigateway", "eu-west-1").get_domain_names()["items"]
    assert [n["domainName"] for n in names] == ["api.example.com"]
    assert world.delete_created() == []
    assert not world.exists(d)


def test_a_websocket_stage_is_not_implemented_naming_the_missing_operation(world):
    chat = world.create("websocket api", '"chat"', {}, ())
    assert world.observe(chat, "protocol") == "WEBSOCKET"
    assert world.observe(chat, "endpoint type") == "regional"
    with pytest.raises(NotImplementedByBackend, match="CreateDeployment"):
        world.create("api stage", '"live"', {}, [("of", chat)])


# ---------------------------------------------------------------- calls to an API (execute-api)
def _deployed(world, **params):
    api = world.create("rest api", 'rest api "shop"', params, ())
    return api, world.create("api stage", 'api stage "prod"', {"stage name": "prod"}, [("of", api)])


def test_a_call_is_an_https_get_of_the_invoke_url_answered_by_the_integration(world):
    api, stage = _deployed(world, backend="aws service")
    call = world.create("api call", 'api call "c"', {}, [("sent to", stage)])
    assert world.observe(call, "status") == 200 and world.observe(call, "message") == "OK"
    assert world.observe(call, "backend") == "aws service" and world.observe(call, "connection type") == "INTERNET"
    assert world.observe(call, "url") == f"https://{api.id}.execute-api.us-east-1.amazonaws.com/prod/"
    assert world.observe(call, "via cloudfront") is False  # no X-Amz-Cf-Id header in moto's answer
    assert world.relations(call) == {("sent to", stage)}
    # the API's method is GET on / and on /{proxy+}, both integrated
    resources = world.client("apigateway").get_resources(restApiId=api.id)["items"]
    assert sorted(r["path"] for r in resources) == ["/", "/{proxy+}"]
    assert all(set(r.get("resourceMethods", {})) == {"GET"} for r in resources)


def test_a_call_reaching_a_lambda_integration_is_not_implemented_naming_the_invocation(world):
    _api, stage = _deployed(world)
    with pytest.raises(NotImplementedByBackend, match="Lambda invocation"):
        world.create("api call", 'api call "c"', {}, [("sent to", stage)])


def test_what_an_http_request_cannot_carry_is_not_implemented(world):
    _api, stage = _deployed(world, backend="aws service")
    with pytest.raises(NotImplementedByBackend, match="source IP"):
        world.create("api call", 'api call "c"', {"source ip": "203.0.113.9"}, [("sent to", stage)])
    with pytest.raises(NotImplementedByBackend, match="custom domain"):
        world.create("api call", 'api call "d"', {}, [("sent to", world.known("custom domain", "api.example.com"))])


def test_an_http_backend_is_a_server_on_loopback_stopped_when_the_world_closes():
    import urllib.request

    w = BACKEND()
    try:
        api, _stage = _deployed(w, backend="http")
        apigw = w.client("apigateway")
        root = next(r["id"] for r in apigw.get_resources(restApiId=api.id)["items"] if r["path"] == "/")
        uri = apigw.get_integration(restApiId=api.id, resourceId=root, httpMethod="GET")["uri"]
        assert uri.startswith("http://127.0.0.1:") and uri.endswith("/http/")
        assert w.observe(api, "backend") == "http"
        with urllib.request.urlopen(uri, timeout=5) as answer:  # the server answers (loopback only)
            assert answer.status == 200
    finally:
        w.close()
    with pytest.raises(OSError):
        urllib.request.urlopen(uri, timeout=2)


def test_a_previous_worlds_api_does_not_answer_the_next_worlds_call():
    """moto's execute-api routes are bound to the API object: a reset drops them, or an API of the same seeded id
    in the next world would be answered by the old one's integration."""
    w = BACKEND()
    try:
        first, stage = _deployed(w, backend="aws service")
        assert w.observe(w.create("api call", 'api call "c"', {}, [("sent to", stage)]), "status") == 200
    finally:
        w.close()
    w = BACKEND()
    try:
        again, stage = _deployed(w)  # a Lambda integration, same id
        assert again.id == first.id
        with pytest.raises(NotImplementedByBackend, match="Lambda invocation"):
            w.create("api call", 'api call "c"', {}, [("sent to", stage)])
    finally:
        w.close()
