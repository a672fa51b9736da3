"""Amazon RDS in the reference model: DB instances, read replicas, snapshots and automated backups,
KMS keys, accounts to share with.

The package, each module owning one thing (sources and decisions in each docstring):

- :mod:`.kinds`: the words — kinds, states, attributes, actions, settings, as data;
- :mod:`.instances`: engines, quotas, endpoints, IAM authentication, encryption; the DB instance
  and its creation (the bottom: the other modules build on it);
- :mod:`.billing`: what a DB instance is charged;
- :mod:`.backups`: snapshots, automated backups, point-in-time restore, KMS keys, sharing, and
  the store the package keeps in a world (``world.rds``);
- :mod:`.replicas`: read replicas;
- :mod:`.actions`: modify, Multi-AZ failover, maintenance, faults, stop/start/delete, the clock;
- :mod:`.attributes`: what each attribute reads.
"""

from __future__ import annotations

from . import (
    actions,
    attributes,  # noqa: F401 -- importing it installs the readers on the resource classes
    backups,
    instances,
    replicas,
)
from .kinds import VOCABULARY


def _on_tick(world, start: float, end: float) -> None:
    for db in list(world.rds.instances):
        actions.on_tick(world, db, start, end)
        backups.on_tick(world, db, start, end)
    world.now = end


def install(world) -> None:
    world.rds = backups.Store()
    world.creators["db instance"] = instances.create
    world.creators["read replica"] = replicas.create
    world.creators["db snapshot"] = backups.create_snapshot
    world.creators["automated backup"] = backups.create_automated_backup
    world.creators["kms key"] = backups.create_key
    world.creators["aws account"] = backups.create_account
    world.counters[("read replica", "of")] = replicas.count
    world.counters[("db snapshot", "of")] = backups.count_snapshots
    actions.install(world)
    world.on("tick", _on_tick)


__all__ = ["VOCABULARY", "install"]
