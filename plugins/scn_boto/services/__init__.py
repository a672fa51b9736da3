"""The services the boto3 adapter maps: one module per service, listed in :data:`MODULES`.

:class:`~scn_boto.adapter.Boto3World` (shared by the ``moto`` and ``aws`` backends)
keeps the machinery — the call boundary and its transcript, waiting, handles,
tags and names, settings, teardown bookkeeping — and hands each vocabulary call to
the service that maps the handle's kind. A service module knows its API and
nothing of moto or of the aws backend's guards.

Adding a service
================
1. Write ``services/<service>.py`` (``ec2.py`` is the worked example). It defines
   ``SERVICE = Service(...)`` (see :mod:`.base`) with:

   - ``capability``: the vocabulary's capability for the service (``"lambda"``,
     ``"rds"``, ``"aurora"``; ``scn vocab`` and ``plugins/scn_reference`` show them).
     The moto and aws backends declare it once the module is registered, so every
     spec needing it runs there: what the module does not map is ``not implemented``.
   - ``clients``: the boto3 client names it calls (``("rds",)``, ``("kinesis", "firehose")``).
     ``world.client(name)`` gives one, made once per process and shared by worlds.
   - ``kinds``: one :class:`~.base.KindMap` per kind it maps: the attribute, action
     (creating verb included), relation and creation-parameter names it maps, the
     action clauses each action accepts, and the functions ``create``, ``act``,
     ``observe``, ``exists``, ``relations_of``, ``count_related``, ``explain``,
     ``delete`` (the teardown of one resource, idempotent), and its ``cost`` class
     (``free`` / ``cheap`` / ``expensive``, for the aws backend's cost guard).
   - optionally ``why`` (``"kind.item"`` → why the API cannot express it),
     ``moto_backends`` (other moto backends to reset with it, e.g. ``"iam"``) and
     ``recorded_settings``.
2. Add its module name to :data:`MODULES` below: one line.

Inside the functions
--------------------
- ``world.call(client, "create_db_instance", "creating a db instance", **params)``:
  every call goes through it (errors mapped: a refusal is ``BackendError`` with AWS's
  code, a moto gap is ``not implemented`` naming the operation; recorded in the
  transcript with secrets masked).
- ``world.remember(Handle(kind, id, label, refs={...}))`` for what ``create`` made
  (``refs`` keeps other identifiers the API needs: an ARN, a parent id);
  ``world.known(kind, id)`` turns an id read from the API back into a handle.
- ``world.wait(handle, read_state, transitional, seen)`` polls a status as boto3's
  waiters do (``Options.poll`` apart, bounded by ``Options.timeout``) and returns the
  states seen, the stable one last; ``world.wait_until(predicate, handle, what)``
  polls any condition.
- Tags and names: ``world.tag_specifications(resource_type, label)`` (EC2),
  ``world.tag_list(label)`` (``[{"Key", "Value"}]``), ``world.tag_map(label)``
  (``{key: value}``), and ``world.resource_name(label, ...)`` for services that
  name resources instead (unique per run on the aws backend).
- Read state back from the API every time; never answer from the handle or memory.
- Raise ``NotImplementedByBackend("<the vocabulary item>")`` for what the API or
  moto cannot express (``"the host of an instance"``), naming the item, not the cause.
"""

from __future__ import annotations

from importlib import import_module
from typing import Mapping

from .base import COST_CLASSES, KindMap, Service

__all__ = ["MODULES", "SERVICES", "KINDS", "Service", "KindMap", "COST_CLASSES", "capabilities", "service_of",
           "cost_class", "clients_of"]

#: the registry: one line per service module of this package
MODULES: tuple[str, ...] = (
    "athena",
    "glue",
    "elasticache",
    "apigateway",
    "lambda_",
    "ec2",
    "emr",
    "redshift",
    "aurora",
    "kinesis",
    "dynamodb",
    "rds",
)

SERVICES: tuple[Service, ...] = tuple(import_module(f".{name}", __name__).SERVICE for name in MODULES)

#: kind name → its mapping, over every registered service
KINDS: Mapping[str, KindMap] = {k.name: k for s in SERVICES for k in s.kinds}

_SERVICE_OF: Mapping[str, Service] = {k.name: s for s in SERVICES for k in s.kinds}


def capabilities() -> frozenset[str]:
    """The capability of every registered service (a backend mapping them all declares these)."""
    return frozenset(s.capability for s in SERVICES)


def service_of(kind: str) -> Service | None:
    return _SERVICE_OF.get(kind)


def cost_class(kind: str) -> str | None:
    """``free`` / ``cheap`` / ``expensive`` for a mapped kind; None for a kind no service maps."""
    k = KINDS.get(kind)
    return k.cost if k is not None else None


def clients_of() -> Mapping[str, Service]:
    """boto3 client name → the first service that calls it."""
    out: dict[str, Service] = {}
    for s in SERVICES:
        for c in s.clients:
            out.setdefault(c, s)
    return out


def _check() -> None:
    seen: dict[str, str] = {}
    for s in SERVICES:
        for k in s.kinds:
            if k.name in seen:
                raise ImportError(f"the kind {k.name!r} is mapped by both {seen[k.name]} and {s.capability}")
            seen[k.name] = s.capability


_check()
