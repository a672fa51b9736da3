"""Aurora failover and the clock: instance and storage faults, promotion, replacement, auto-pause.

The words are in :mod:`.kinds` (its docstring names the sources and the decisions). This module
builds on :mod:`.cluster` and registers the fault and failover actions in ``world.actors``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from .cluster import Cluster, Instance, accrue, enter

FAILOVER_SECONDS = 30  # "failover typically completes within 30 seconds"
RECOVER_SECONDS = 600  # a failed instance is replaced (AWS documents no duration: the model's 10 minutes)


def _next_writer(cluster: Cluster, target: Instance | None) -> Instance | None:
    ready = [i for i in cluster.readers() if i.state == "available"]
    if target is not None:
        return target if target in ready else None
    return min(ready, key=lambda i: (i.tier, cluster.instances.index(i)), default=None)


def fail_over(world, cluster: Cluster, target: Instance | None) -> Sequence[str]:
    """FailoverDBCluster: promote a replica (the target, or the first by promotion tier)."""
    if cluster.state != "available" or cluster.global_role == "secondary":
        raise BackendError("InvalidDBClusterStateFault", f"The DB cluster {cluster.id} is {cluster.state}: it cannot fail over now.")
    if target is not None and target.cluster is not cluster:
        raise BackendError("InvalidDBInstanceState", f"The DB instance {target.id} is not in the DB cluster {cluster.id}.")
    chosen = _next_writer(cluster, target)
    if chosen is None:
        raise BackendError("InvalidDBClusterStateFault", f"The DB cluster {cluster.id} has no available Aurora Replica to fail over to.")
    _promote_later(world, cluster, chosen)
    return ("failing-over",)


def _promote_later(world, cluster: Cluster, chosen: Instance) -> None:
    cluster.promoting, cluster.promote_at = chosen, world.now + FAILOVER_SECONDS
    enter(world, cluster, "failing-over")


def fail_instance(world, cluster: Cluster, inst: Instance) -> None:
    was_writer = inst.role == "writer"
    enter(world, inst, "failed")
    serverless_v1 = cluster.mode == "serverless" and world.settings["aurora serverless version"] < 2
    if serverless_v1 and was_writer:
        # Serverless v1: "Aurora will automatically recreate the DB instance in a different AZ"
        inst.zone = next(z for z in cluster.zones() if z != inst.zone and z not in cluster.failed_zones)
    # best effort: a replacement in the same zone cannot succeed while that zone is out
    inst.recover_at = None if inst.zone in cluster.failed_zones else world.now + RECOVER_SECONDS
    if not was_writer or cluster.state == "failing-over":
        return
    chosen = _next_writer(cluster, None)
    if chosen is not None:
        _promote_later(world, cluster, chosen)
    else:
        enter(world, cluster, "failing-over")  # until the writer is replaced, if it can be


def fail(world, inst: Instance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    """An injected fault: the instance fails (its host, not its zone)."""
    if inst.state != "available":
        raise BackendError("InvalidDBInstanceState", f"The DB instance {inst.id} is {inst.state}.")
    fail_instance(world, inst.cluster, inst)
    return ("failed",)


def degrade(world, cluster: Cluster, params: Mapping[str, Any]) -> Sequence[str]:
    zone = params.get("failed zone")
    if zone is not None:
        if zone not in cluster.zones():
            raise BackendError("ReferenceModel.UnknownZone", f"{zone} is not one of the cluster's zones: {', '.join(cluster.zones())}.")
        if "lost copies" in params:
            raise BackendError("ReferenceModel.OneFault", "Inject either lost copies or a failed zone, not both at once.")
        for copy in cluster.copies:
            if copy.zone == zone:
                copy.alive = False
        cluster.failed_zones.append(zone)
        hit = [i for i in cluster.instances if i.zone == zone and i.state == "available"]
        for inst in sorted(hit, key=lambda i: i.role == "writer"):  # readers first: the writer's failover skips them
            fail_instance(world, cluster, inst)
        return ()
    n = params.get("lost copies", 1)
    live = [copy for copy in cluster.copies if copy.alive]
    if not 1 <= n <= len(live):
        raise BackendError("ReferenceModel.NoSuchCopies", f"The cluster has {len(live)} live copies: it cannot lose {n}.")
    for copy in live[:n]:
        copy.alive = False
    return ()


def _due(world, cluster: Cluster, since: float) -> list[tuple[float, str, Any]]:
    events = []
    if cluster.promote_at is not None:
        events.append((cluster.promote_at, "promote", cluster.promoting))
    for inst in cluster.instances:
        if inst.state == "failed" and inst.recover_at is not None:
            events.append((inst.recover_at, "recover", inst))
    v2 = world.settings["aurora serverless version"] >= 2
    if (cluster.mode == "serverless" and cluster.state == "available" and cluster.idle_since is not None
            and (not v2 or cluster.min_capacity == 0)):
        events.append((max(cluster.idle_since + cluster.auto_pause, since), "pause", None))
    return events


def _happen(world, cluster: Cluster, what: str, subject: Any) -> None:
    if what == "promote":
        if subject.state != "available":  # the chosen replica failed meanwhile: the next one, if any
            cluster.promoting = _next_writer(cluster, None)
            cluster.promote_at = None if cluster.promoting is None else world.now + FAILOVER_SECONDS
            return
        old = cluster.writer
        if old is not None:
            old.role = "reader"  # the old writer comes back, or stays, as a reader
        subject.role = "writer"
        cluster.promote_at = cluster.promoting = None
        enter(world, cluster, "available")
    elif what == "recover":
        subject.recover_at = None
        enter(world, subject, "creating")
        enter(world, subject, "available")
        if subject.role == "writer" and cluster.state == "failing-over" and cluster.promote_at is None:
            enter(world, cluster, "available")
    else:  # pause
        enter(world, cluster, "paused")


def on_tick(world, start: float, end: float) -> None:
    since = start  # the clock already reads `end`: events happen at their own moment in between
    while True:
        due = [(at, i, c, what, subject) for i, c in enumerate(world.aurora_clusters)
               for at, what, subject in _due(world, c, since) if at <= end]
        if not due:
            break
        at, _i, cluster, what, subject = min(due, key=lambda d: (d[0], d[1]))
        for c in world.aurora_clusters:
            accrue(c, at)
        world.now = since = at
        _happen(world, cluster, what, subject)
    world.now = end
    for c in world.aurora_clusters:
        accrue(c, end)


def install(world) -> None:
    world.actors[("aurora cluster", "fail over")] = lambda w, cluster, target, params: fail_over(w, cluster, target)
    world.actors[("aurora cluster", "degrade")] = lambda w, cluster, target, params: degrade(w, cluster, params)
    world.actors[("aurora instance", "fail")] = fail
    world.actors[("aurora replica", "fail")] = fail
    world.on("tick", on_tick)
