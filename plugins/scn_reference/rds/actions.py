"""What happens to an RDS DB instance after its creation: ModifyDBInstance, reboots, Multi-AZ
failover, maintenance, injected faults, stop/start/delete, writes and queries, and the clock.

Sources: specs/notes/aws-architecture-notes.md, "Amazon RDS" and "Multi AZ and Read Replicas"
(the seven failover triggers); AWS RDS user guide "Multi-AZ DB instance deployments" (failover
keeps the endpoint; typically 60-120 s; triggers include an AZ outage, primary failure, network
or storage loss, a class change, OS patching, a reboot with failover), "Maintaining a DB instance"
(pending maintenance in the weekly window; a Multi-AZ instance is patched standby first, then
fails over), "Stopping an Amazon RDS DB instance" (not with read replicas, not a Multi-AZ SQL
Server one; started again after 7 days), API ModifyDBInstance (no StorageEncrypted: no
in-place encryption; storage cannot shrink), RebootDBInstance ForceFailover,
ApplyPendingMaintenanceAction; "Managing automated backups" (retention 0 deletes them, from 0 to
positive takes one at once).

Decisions:
- Failover on a fault completes 60 s later on the virtual clock (the low end of AWS's 60-120 s);
  an API action that fails over (reboot with failover, class change, patching) waits for it, as
  boto3's waiters do. A single-AZ instance hit by a fault cannot fail over: the model reboots it
  in place, 10 minutes (AWS documents no figure).
- Writes to a read replica are refused by the database engine, not the RDS API: the model answers
  ReferenceModel.ReadOnly and specs say `then it fails`. AWS documents no error code for
  encrypting in place or for a failover of a single-AZ instance: InvalidParameterCombination here,
  `then it fails` in specs.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .instances import (
    AUTO_START_SECONDS,
    FAILOVER_SECONDS,
    SINGLE_AZ_RECOVERY_SECONDS,
    DBInstance,
    RunPeriod,
    backup_window_start,
    check_iam,
    check_retention,
    maintenance_window_start,
    occurrences,
    refuse,
)
from .kinds import FAULTS


def modify(world, db: DBInstance, params: Mapping[str, Any]) -> list[str]:
    db.need("available")
    if "encrypted" in params and bool(params["encrypted"]) != db.encrypted:
        # ModifyDBInstance has no StorageEncrypted: an existing DB instance cannot be encrypted (or decrypted) in place
        refuse("InvalidParameterCombination",
               "An existing DB instance cannot be encrypted in place: snapshot it, copy the snapshot encrypted, restore the copy.")
    if "iam database authentication" in params:
        check_iam(db.engine, bool(params["iam database authentication"]))
    if "backup retention" in params:
        _modify_retention(world, db, params["backup retention"])
    if "allocated storage" in params:
        if params["allocated storage"] < db.storage:
            refuse("InvalidParameterValue", "The allocated storage cannot be decreased: it must be greater than the current storage.")
        db.storage = params["allocated storage"]
    for name in ("backup window", "maintenance window"):
        if name in params:
            (backup_window_start if name == "backup window" else maintenance_window_start)(params[name])
            setattr(db, name.replace(" ", "_"), params[name])
    for name, field in (("storage type", "storage_type"), ("iops", "iops"), ("parameter group", "parameter_group"),
                        ("db security group", "security_group"), ("iam database authentication", "iam_auth")):
        if name in params:
            setattr(db, field, params[name])
    states = ["modifying"]
    if "multi-az" in params and bool(params["multi-az"]) != db.multi_az:
        db.multi_az = bool(params["multi-az"])  # a conversion: RDS snapshots the primary and restores the standby from it
    if "instance class" in params and params["instance class"] != db.instance_class:
        db.instance_class = params["instance class"]
        if db.multi_az:  # the standby is modified first, then RDS fails over to it
            db.swap_zones()
            states.append("failing-over")
        new_period(world, db)  # a billable configuration change
    return states


def _modify_retention(world, db: DBInstance, seconds: int) -> None:
    retention = check_retention(seconds)
    if db.kind == "read replica" and not db.promoted and retention and db.engine not in ("mysql", "mariadb"):
        refuse("InvalidParameterCombination", "Automated backups of a read replica are supported for MySQL and MariaDB only.")
    if retention == 0:
        world.rds.drop_automated(db)  # setting the retention to 0 deletes the automated backups
    elif db.retention == 0:
        db.retention = retention
        world.rds.backup_now(world, db)  # from 0 to a positive value: a backup at once
    db.retention = retention


def new_period(world, db: DBInstance) -> None:
    if db.run_periods and db.run_periods[-1].end is None:
        db.run_periods[-1].end = world.now
    db.run_periods.append(RunPeriod(world.now))


def apply_maintenance(world, db: DBInstance, *, on_clock: bool) -> list[str]:
    """OS or engine maintenance: a Multi-AZ instance is patched standby first, then fails over."""
    db.pending_maintenance = None
    states = ["upgrading"] + (["failing-over"] if db.multi_az else [])
    if db.multi_az:
        db.swap_zones()
    if on_clock:
        for s in states:
            db.enter(world, s)
        db.enter(world, "available")
    return states


def fault(world, db: DBInstance, what: str) -> list[str]:
    db.need("available")
    if db.multi_az:
        db.enter(world, "failing-over")
        db.recover_at = world.now + FAILOVER_SECONDS
        return ["failing-over"]
    db.enter(world, "rebooting")  # no standby: recovered in place
    db.recover_at = world.now + SINGLE_AZ_RECOVERY_SECONDS
    return ["rebooting"]


def _write(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    db.need("available")
    if db.kind == "read replica" and not db.promoted:
        refuse("ReferenceModel.ReadOnly", f"{db.identifier} is a read replica: it is read-only (the engine refuses writes).")
    db.write(world, params.get("data size", 1024**3))
    return ()


def _query(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    db.need("available")
    db.egress += params.get("data transfer out", 0)
    return ()


def _reboot(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    db.need("available")
    return ("rebooting",)


def _fail_over(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    """RebootDBInstance with ForceFailover."""
    db.need("available")
    if not db.multi_az:
        refuse("InvalidParameterCombination", f"Cannot force a failover: {db.identifier} is not a Multi-AZ DB instance.")
    db.swap_zones()
    return ("rebooting", "failing-over")


def _patch(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    """ApplyPendingMaintenanceAction, opt-in immediate."""
    db.need("available")
    if db.pending_maintenance is None:
        refuse("InvalidParameterValue", f"{db.identifier} has no pending maintenance action.")
    return apply_maintenance(world, db, on_clock=False)


def _stop(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    db.need("available")
    if db.multi_az and db.engine.startswith("sqlserver"):
        refuse("InvalidDBInstanceState", "A Multi-AZ SQL Server DB instance cannot be stopped.")
    if world.rds.replicas_of(world, db) or (db.kind == "read replica" and not db.promoted):
        refuse("InvalidDBInstanceState", f"{db.identifier} has read replicas or is one: it cannot be stopped.")
    db.state, db.stopped_at = "stopped", world.now
    db.run_periods[-1].end = world.now
    return ("stopping", "stopped")


def _start(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    db.need("stopped")
    start(world, db)
    return ("starting", "available")


def _delete(world, db: DBInstance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    db.need("available", "stopped")
    world.rds.delete(world, db, keep_backups=not params.get("delete automated backups", True))
    return ("deleting",)


def _fault(what: str):
    return lambda world, db, target, params: fault(world, db, what)


#: verb → function(world, db, target, params): what a DB instance (and a read replica) answers;
#: :func:`install` registers each in ``world.actors[("db instance", verb)]``
ACTORS = {
    "modify": lambda world, db, target, params: modify(world, db, params),
    "write": _write, "query": _query, "reboot": _reboot, "fail over": _fail_over, "patch": _patch,
    **{what: _fault(what) for what in FAULTS},
    "stop": _stop, "start": _start, "delete": _delete,
}


def start(world, db: DBInstance) -> None:
    db.state, db.stopped_at = "available", None
    db.run_periods.append(RunPeriod(world.now))


def on_tick(world, db: DBInstance, start_t: float, end: float) -> None:
    """What the clock does to one DB instance: failovers, maintenance, auto-start."""
    if db.deleted:
        return
    if db.recover_at is not None and db.recover_at <= end:
        world.now = db.recover_at
        if db.state == "failing-over":
            db.swap_zones()
        db.recover_at = None
        db.enter(world, "available")
    if db.pending_maintenance is not None and db.state == "available":
        at = occurrences(maintenance_window_start(db.maintenance_window), 7 * 86400, start_t, end)
        if at:
            world.now = at[0]
            apply_maintenance(world, db, on_clock=True)
    # a stopped DB instance has its stopped_at (``_stop`` sets both; ``start`` clears both)
    if db.state == "stopped" and db.stopped_at is not None and db.stopped_at + AUTO_START_SECONDS <= end:
        world.now = db.stopped_at + AUTO_START_SECONDS
        db.run_periods.append(RunPeriod(world.now))
        db.stopped_at = None
        db.enter(world, "available")
    world.now = end


def install(world) -> None:
    """Registers the verbs a DB instance (and a read replica) answers: :meth:`DBInstance.act` dispatches through them."""
    for verb, actor in ACTORS.items():
        world.actors[("db instance", verb)] = actor
