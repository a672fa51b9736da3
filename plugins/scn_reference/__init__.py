"""The reference backend: an executable, deterministic model of AWS as documented.

It is the default backend of scn, and an ordinary plugin: registered through the
``scn`` entry-point group, like any third-party one.
"""

from __future__ import annotations

from scenario.backend import BackendInfo
from scenario.hookspecs import hookimpl

from .vocabulary import VOCABULARY

#: what the model can do: one capability per service, plus the cross-cutting ones
CAPABILITIES = frozenset({
    "ec2", "limits", "billing", "clock", "faults", "metadata",
    "lambda", "lambda-invoke", "apigateway", "kinesis", "athena", "glue", "emr",
    "rds", "aurora", "dynamodb", "elasticache", "redshift",
})


@hookimpl
def scn_vocabulary():
    return list(VOCABULARY)


@hookimpl
def scn_backends():
    from .world import ReferenceWorld

    return [
        BackendInfo(
            name="reference",
            capabilities=CAPABILITIES,
            open_world=ReferenceWorld,
            description="the embedded, deterministic model of AWS behaviour as documented",
        )
    ]
