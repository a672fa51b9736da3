"""The words of the reference model, gathered from its services: the one place services are registered.

A service is a package with the part interface (see :mod:`.model`): ``VOCABULARY``,
optionally ``INSTANCE_EXTRAS`` (words it adds to the instance kind, which :mod:`.ec2`
defines), and ``install(world)``. Adding a service is one package and its name in
:data:`NAMES`.
"""

from __future__ import annotations

from importlib import import_module

import attrs

from . import ec2

#: the registry: the service packages of the model, in the order their words and behaviour are installed
NAMES = (
    "ec2",
    # serverless and analytics: Lambda, API Gateway, Kinesis, Athena/Glue/EMR
    "functions", "apigateway", "kinesis", "analytics",
    "rds", "aurora", "dynamodb", "elasticache", "redshift",  # databases
)

SERVICES = tuple(import_module(f".{name}", __package__) for name in NAMES)


def _instance_kind():
    """EC2's instance kind, with the attributes, actions and relations other services add to it."""
    kind = ec2.INSTANCE
    for service in SERVICES:
        extras = getattr(service, "INSTANCE_EXTRAS", None)
        if extras is not None:
            kind = attrs.evolve(kind, attributes=kind.attributes + tuple(extras.attributes),
                                actions=kind.actions + tuple(extras.actions),
                                relations=kind.relations + tuple(extras.relations))
    return kind


INSTANCE = _instance_kind()

#: the AWS service of a package's kinds where `scn vocab <service>` and the spec folders name it otherwise than the
#: package; the analytics package holds three, told apart by the capability of each kind (athena, glue, emr). A
#: package not listed is its kinds' capability, or its own name.
SERVICE_NAMES = {"functions": "lambda", "apigateway": "api-gateway", "analytics": None}


def _with_service(item, package: str):
    if not hasattr(item, "service") or not hasattr(item, "states"):  # a Setting
        return item
    return attrs.evolve(item, service=SERVICE_NAMES.get(package) or item.capability or package)


VOCABULARY = tuple(_with_service(INSTANCE if item is ec2.INSTANCE else item, name)
                   for name, service in zip(NAMES, SERVICES) for item in service.VOCABULARY)
