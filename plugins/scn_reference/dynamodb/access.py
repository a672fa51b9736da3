"""DynamoDB access control: IAM identity-based policies and (AWS since 2024) resource-based policies.

Sources: specs/notes/aws-architecture-notes.md, "Dynamo DB" / "Access Control"; AWS's
DynamoDB developer guide, "Identity and access management for DynamoDB" (every request
is authenticated and authorized by IAM; a request no policy allows is refused with
``AccessDeniedException``; an explicit deny overrides any allow), "Using resource-based
policies for DynamoDB" (since March 2024: PutResourcePolicy on tables and streams).

Decisions: an ``application`` (the principal, defined by the ElastiCache part, with an
IAM role ARN) reaches a table only if a ``policy`` attached to it allows the action on
that table, or on every table when the policy names none. Direct reads and writes in a
spec are the account owner's and always allowed. Resource-based policies follow the
notes: DynamoDB has none, so PutResourcePolicy does not exist (the model answers
``UnknownOperationException``, as a JSON API does for an operation it lacks; specs
claim only `then it fails`). The setting ``dynamodb resource policies`` gives AWS since
2024: a ``resource policy`` attached to a table grants its principal (an ARN, or ``*``).

This module owns the policies and IAM's decision (:func:`authorize`); the words are in :mod:`.kinds`.
"""

from __future__ import annotations

from scenario.errors import BackendError

from ..model import Resource
from .tables import Table

API_ACTIONS = {"read": "dynamodb:GetItem", "update": "dynamodb:UpdateItem", "put": "dynamodb:PutItem"}

def _related(relations, kind: str):
    return next((t for _r, t in relations if getattr(t, "kind", None) == kind), None)


class Policy(Resource):
    kind = "policy"

    def __init__(self, id, label, principal, table, actions, effect):
        super().__init__(id, label)
        self.principal = principal  # an application, or (resource policy) a principal ARN
        self.table = table
        self.actions = [a.strip() for a in actions.split(",") if a.strip()]
        self.effect = effect

    def covers(self, api_action: str) -> bool:
        return any(a in ("*", "dynamodb:*", api_action) for a in self.actions)

    def relations(self, world):
        return frozenset({("attached to", self.principal)} | ({("on", self.table)} if self.table else set()))

    ATTRIBUTES = {"actions": lambda w, p: ",".join(p.actions), "effect": lambda w, p: p.effect}


class ResourcePolicy(Policy):
    kind = "resource policy"

    def relations(self, world):
        return frozenset({("attached to", self.table)})

    ATTRIBUTES = {**Policy.ATTRIBUTES, "principal": lambda w, p: p.principal}


def _effect(params) -> str:
    return params.get("effect", "allow")


def create_policy(world, label, params, relations) -> Policy:
    app = _related(relations, "application")
    if app is None:
        raise BackendError("ValidationException", "An identity-based policy is attached to a principal: `attached to \"app\"`.")
    return Policy(world.new_id("policy"), label, app, _related(relations, "dynamodb table"),
                  params.get("actions", "dynamodb:*"), _effect(params))


def create_resource_policy(world, label, params, relations) -> ResourcePolicy:
    if not world.settings["dynamodb resource policies"]:
        raise BackendError("UnknownOperationException", "DynamoDB has no resource-based policies (PutResourcePolicy is unknown).")
    table = _related(relations, "dynamodb table")
    if table is None:
        raise BackendError("ValidationException", "A resource-based policy is attached to a table: `attached to \"t\"`.")
    return ResourcePolicy(world.new_id("policy"), label, params.get("principal", "*"), table,
                          params.get("actions", "dynamodb:*"), _effect(params))


def authorize(world, app, verb: str, table: Table) -> None:
    """IAM's decision for a request of ``app``: an explicit deny wins, then any allow; else AccessDeniedException."""
    api = API_ACTIONS[verb]
    statements = [p for p in world.of_kind("policy") if p.principal is app and p.table in (None, table) and p.covers(api)]
    statements += [p for p in world.of_kind("resource policy")
                   if p.table is table and p.principal in ("*", app.arn) and p.covers(api)]
    effects = {p.effect for p in statements}
    if "allow" in effects and "deny" not in effects:
        return
    why = "an explicit deny" if "deny" in effects else "no identity-based policy"
    raise BackendError("AccessDeniedException",
                       f"User: {app.arn} is not authorized to perform: {api} on resource: {table.arn} because {why} allows it")


def install(world) -> None:
    world.creators["policy"] = create_policy
    world.creators["resource policy"] = create_resource_policy
