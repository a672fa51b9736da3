"""API Gateway in the reference model (apis*.py): the branches the specs do not reach, through World methods,
and a few sentences compiled and run to show that wrong beliefs fail."""

from __future__ import annotations

import textwrap

import pytest
from helpers.reference import refused

from scenario import plugins
from scenario.compiler import compile_text
from scenario.errors import BackendError
from scenario.runner import run_scenario
from scn_reference import scn_backends
from scn_reference.apigateway.access import edge_headers, edge_location, parse_policy, sorted_cookies
from scn_reference.apigateway.billing import GB, CacheMeter, month_index, tiered_cost


def api(world, label='rest api "shop"', **params):
    return world.create("rest api", label, params, ())


def stage(world, of, label='api stage "prod"', **params):
    return world.create("api stage", label, params, (("of", of),))


def call(world, to, label='api call "c"', **params):
    return world.create("api call", label, params, (("sent to", to),))


def run(text: str):
    """The outcomes of the scenarios of a feature, on the reference backend."""
    feature = compile_text(textwrap.dedent(text), plugins.vocabulary(), "t.scn")
    backend = scn_backends()[0]
    return [run_scenario(sc, backend).status for sc in feature.scenarios]


# ------------------------------------------------------------------ APIs and stages
def test_an_api_and_its_stage_answer_with_their_relations(world):
    shop = api(world)
    prod = stage(world, shop)
    c = call(world, prod, path="/x")
    assert world.relations(prod) == frozenset({("of", shop)})
    assert world.relations(c) == frozenset({("sent to", prod)})
    assert world.observe(shop, "state") == "available"
    assert world.observe(shop, "api id") == "0000000001"
    assert world.observe(prod, "stage name") == "prod"
    assert world.observe(c, "url").endswith("/prod/x")
    for name, value in {"path": "/x", "call count": 1, "header names": None, "cookies": None, "response size": 0,
                        "client region": "us-east-1", "source ip": "192.0.2.10", "signed": False, "iam permission": True,
                        "token": None, "vpc endpoint": None, "endpoint policy": "allow", "message": "OK"}.items():
        assert world.observe(c, name) == value, name
    assert world.observe(shop, "tags") is None
    assert world.observe(shop, "backend endpoint") == "public"


def test_a_stage_name_may_differ_from_its_label(world):
    prod = stage(world, api(world), **{"stage name": "v1"})
    assert world.observe(prod, "invoke url").endswith("/v1")


def test_an_update_and_a_delete_of_a_stage(world):
    shop = api(world)
    prod = stage(world, shop)
    world.act(prod, "update", None, {"cache size": 1.6 * GB})
    assert world.observe(prod, "cache")
    assert world.observe(prod, "cache hourly price") == 0.038
    world.act(prod, "update", None, {"cache": True})  # enabling again keeps the size
    assert world.observe(prod, "cache size") == 1.6 * GB
    world.now = 3600
    world.act(prod, "delete", None, {})
    assert not world.exists(prod)
    world.now = 7200
    assert world.observe(prod, "cache charges") == 0.038
    assert world.observe(shop, "cache charges") == 0.038


def test_tags_are_updated_and_checked(world):
    shop = api(world)
    world.act(shop, "update", None, {"tags": "team=blue"})
    assert world.observe(shop, "tags") == "team=blue"
    refused("BadRequestException", world.act, shop, "update", None, {"tags": "blue"})
    chat = world.create("websocket api", 'websocket api "chat"', {}, ())
    world.act(chat, "update", None, {"tags": "team=red"})
    assert world.observe(chat, "resource policy") is None


def test_an_authorizer_and_its_attributes(world):
    shop = api(world)
    auth = world.create("authorizer", 'authorizer "a"', {"authorizer type": "REQUEST", "accepted token": "t"}, (("of", shop),))
    assert world.relations(auth) == frozenset({("of", shop)})
    assert [world.observe(auth, a) for a in ("authorizer type", "accepted token", "user pool")] == ["REQUEST", "t", None]
    assert world.observe(auth, "authorizer id")
    assert world.observe(shop, "authorization type") == "CUSTOM"
    refused("BadRequestException", world.create, "authorizer", "authorizer", {"user pool": "p"}, (("of", shop),))
    refused("NotFoundException", world.create, "authorizer", "authorizer", {}, ())


# ------------------------------------------------------------------ custom domains
def test_custom_domains_their_region_and_deletion(world):
    d = world.create("custom domain", 'custom domain "d"', {"region": "eu-west-1", "endpoint type": "regional"}, ())
    assert world.observe(d, "region") == "eu-west-1"
    assert world.observe(d, "domain name") == "api.example.com"
    assert world.observe(d, "endpoint type") == "regional"
    assert world.observe(d, "hosted zone id") == "ZLY8HYME6SFDD"
    prod = stage(world, api(world))
    refused("BadRequestException", world.act, d, "map", prod, {})  # the API is in us-east-1, the name in eu-west-1
    refused("ConflictException", world.create, "custom domain", "custom domain",
            {"region": "eu-west-1", "endpoint type": "regional"}, ())
    world.act(d, "delete", None, {})
    assert not world.exists(d)
    world.create("custom domain", "custom domain", {"region": "eu-west-1", "endpoint type": "regional"}, ())
    refused("BadRequestException", world.create, "custom domain", "custom domain", {"region": "mars-1"}, ())


def test_a_regional_domain_name_in_the_api_region_maps_to_a_websocket_stage(world):
    chat = world.create("websocket api", 'websocket api "chat"', {}, ())
    live = stage(world, chat, 'api stage "live"')
    d = world.create("custom domain", 'custom domain "d"', {"endpoint type": "regional"}, ())
    world.act(d, "map", live, {})
    c = call(world, d)
    assert world.observe(c, "status") == 200
    assert world.observe(c, "via cloudfront") is False


# ------------------------------------------------------------------ calls
def test_a_call_needs_a_target_and_a_count_and_a_known_region(world):
    prod = stage(world, api(world))
    refused("ReferenceModel.NoTarget", world.create, "api call", "api call", {}, ())
    refused("ReferenceModel.InvalidCount", call, world, prod, **{"call count": 0})
    refused("ReferenceModel.UnknownRegion", call, world, prod, **{"client region": "mars-1"})


def test_edge_helpers():
    assert edge_headers(None) is None and sorted_cookies(None) is None
    assert edge_headers("content-TYPE,  , x-forwarded-for") == "Content-Type, X-Forwarded-For"
    assert sorted_cookies("b=1;; a=2") == "a=2; b=1"
    assert edge_location("sa-east-1") == "GRU"


# ------------------------------------------------------------------ policies
@pytest.mark.parametrize("text", ["permit all", "allow", "allow ip", "allow all now", "allow ip 300.1.2.3/8", "allow tag x=y"])
def test_malformed_resource_policies_are_refused(text):
    with pytest.raises(BackendError) as info:
        parse_policy(text, ("ip", "vpce"))
    assert info.value.code == "BadRequestException"


def test_a_policy_is_parsed_into_statements():
    assert parse_policy(" allow all ;; deny vpce vpce-1 ", ("ip", "vpce")) == [("allow", "all", ""), ("deny", "vpce", "vpce-1")]


def test_a_management_policy_without_an_allow_denies(world):
    shop = api(world)
    world.set_setting("api management policy", "deny tag team=red")
    refused("AccessDeniedException", world.act, shop, "delete", None, {})


def test_a_cognito_call_without_a_token_is_unauthorized(world):
    shop = api(world)
    world.create("authorizer", "authorizer", {"authorizer type": "COGNITO_USER_POOLS", "user pool": "p1"}, (("of", shop),))
    c = call(world, stage(world, shop))
    assert (world.observe(c, "status"), world.observe(c, "message")) == (401, "Unauthorized")


# ------------------------------------------------------------------ billing
def test_tiers_months_and_the_cache_meter():
    assert tiered_cost("rest", 333_000_000, 1_000_000) == pytest.approx(2.80)
    assert tiered_cost("rest", 20_000_000_000, 1_000_000) == pytest.approx(1.51)
    assert tiered_cost("websocket", 0, 0) == 0
    assert month_index(0) == 0 and month_index(31 * 86400) == 1 and month_index(366 * 86400) == 12
    meter = CacheMeter()
    meter.set(0, 0.5)
    assert meter.charges(1800) == pytest.approx(0.01)


def test_the_tier_follows_the_month_total_across_calls(world):
    world.set_setting("account free tier plan", "paid plan")
    shop = api(world)
    prod = stage(world, shop)
    call(world, prod, **{"call count": 333_000_000})
    call(world, prod, 'api call "d"', **{"call count": 1_000_000})
    assert world.observe(shop, "call charges") == pytest.approx(333 * 3.5 + 2.8)


# ------------------------------------------------------------------ sentences that must fail
def test_wrong_beliefs_fail_on_the_reference_model():
    statuses = run("""
        feature: wrong beliefs
          scenario: a REST API is regional by default
            given a rest api "shop"
            then the endpoint type of "shop" is "regional"

          scenario: a private API is billed for data out
            given the account free tier plan is "paid plan"
            and a private rest api "p" with resource policy "allow all"
            and an api stage "s" of "p"
            when an api call "c" is sent to "s" with response size 1 GB and vpc endpoint "vpce-1"
            then the data transfer charges of "p" is greater than 0

          scenario: the free tier covers the cache
            given a rest api "shop"
            and an api stage "prod" of "shop" with a cache
            when 1 hour passes
            then the cache charges of "prod" is 0

          scenario: a regional API capitalizes header names
            given a regional rest api "shop"
            and an api stage "prod" of "shop"
            when an api call "c" is sent to "prod" with header names "cookie"
            then the forwarded header names of "c" is "Cookie"
    """)
    assert statuses == ["failed"] * 4
