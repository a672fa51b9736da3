"""API Gateway: REST and WebSocket APIs, their stages and cache, custom domain names,
authorizers, and the calls clients make to them.

Source: specs/notes/aws-architecture-notes.md, "API Gateway" (all subsections). AWS's
API Gateway developer guide where the notes are silent: "API endpoint types for REST
APIs" (edge-optimized is the default for REST APIs; WebSocket and HTTP APIs are regional
only), "Set up an edge-optimized custom domain name" (a CloudFront distribution; hosted
zone Z2FDTNDATAQYW2 in every region; certificate in us-east-1), "Set up a Regional custom
domain name" (certificate in the API's region), "Cache settings for REST APIs" (a cache
per stage, 0.5 GB to 237 GB; REST only), "Private REST APIs" (CreateDeployment refuses a
private API without a resource policy: BadRequestException "Private REST API doesn't have
a resource policy attached to it"), "Integration types" (AWS_PROXY for Lambda, HTTP_PROXY,
AWS, MOCK; private backends through a VPC link). Error codes: the apigateway service model
(BadRequestException, ConflictException, NotFoundException); AccessDeniedException for an
IAM denial (apigatewayv2's model; API Gateway's generic IAM answer).

Decisions: a REST API has one integration (its ``backend``) for all its paths; a stage is
a deployment; a call is sent to a stage or to a custom domain mapped to one and is
answered at once; calls refused by authorization (401/403) are not billed (AWS's
pricing FAQ, from memory: not in the stored corpus). Every API lives in us-east-1.

The package: the words (:mod:`.kinds`); access decisions and edge behaviour (:mod:`.access`);
prices, free tier and cache meter (:mod:`.billing`); custom domains and authorizers
(:mod:`.domains`); calls (:mod:`.calls`); APIs and stages (:mod:`.apis`).
"""

from __future__ import annotations

from . import apis
from .kinds import VOCABULARY

install = apis.install

__all__ = ["VOCABULARY", "install"]
