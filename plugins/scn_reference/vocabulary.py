"""The words of the reference model, gathered from its parts.

Each part (a module listed in :data:`PARTS`) contributes its own kinds and
settings, and may add attributes, actions and relations to the instance kind
(``INSTANCE_EXTRAS``), which :mod:`.instances` defines.
"""

from __future__ import annotations

from scenario.vocabulary import Kind

from . import (addresses, analytics, apigateway, aurora, dynamodb, ec2_compute, ec2_network, elasticache, functions, instances, kinesis,
               rds, redshift)

#: the parts of the model, in the order their words and behaviour are installed
PARTS = (instances, addresses, ec2_compute, ec2_network,  # EC2
         functions, apigateway, kinesis, analytics,  # serverless and analytics: Lambda, API Gateway, Kinesis, Athena/Glue/EMR
         rds, aurora, dynamodb, elasticache, redshift)  # databases


def _instance_kind() -> Kind:
    attributes, actions, relations = list(instances.ATTRIBUTES), list(instances.ACTIONS), list(instances.RELATIONS)
    for part in PARTS:
        extras = getattr(part, "INSTANCE_EXTRAS", None)
        if extras is not None:
            attributes += extras.attributes
            actions += extras.actions
            relations += extras.relations
    return Kind(
        name="instance",
        aliases=("ec2 instance", "server"),
        capability="ec2",
        description="an EC2 instance in the default VPC",
        states=instances.STATES,
        attributes=attributes,
        actions=actions,
        relations=relations,
    )


INSTANCE = _instance_kind()

DEFAULT_VPC = Kind(
    name="default vpc",
    implicit=True,
    description="the default VPC of a new account (us-east-1, default subnet in us-east-1a)",
)

VOCABULARY = (INSTANCE, DEFAULT_VPC) + tuple(item for part in PARTS for item in getattr(part, "VOCABULARY", ()))
