"""Placement groups: cluster, spread and partition.

Source: specs/notes/aws-architecture-notes.md, "Placement Group"; AWS EC2 user
guide, "Placement strategies" and "Placement group rules and limitations";
CreatePlacementGroup / DeletePlacementGroup API references.

- cluster: one Availability Zone. The first instance fixes the zone; a launch into
  another zone is refused with ``InvalidPlacementGroup.InUse`` ("The placement group
  'pg' is in use in another availability zone: us-east-1a", AWS's own answer).
- spread (rack level): at most seven running instances per Availability Zone per
  group. AWS documents the limit but no error code for the eighth launch; the model
  answers ``InsufficientInstanceCapacity`` and specs claim only `then it fails`.
- partition: at most seven partitions per Availability Zone (default 2, as the
  console and SDKs create); each partition has its own racks, so two instances in
  different partitions never share a rack. Instances go to the emptiest partition
  (lowest number first) unless a partition number is given. CreatePlacementGroup's
  refusal of an eighth partition has no documented code; the model answers
  ``InvalidParameterValue``.

A rack is the model's name for "its own set of racks": AWS does not expose rack ids.
Only instances in a spread or partition group have one; elsewhere it is unknown (none).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import ZONE

MAX_SPREAD_PER_ZONE = 7
MAX_PARTITIONS = 7
DEFAULT_PARTITIONS = 2


class PlacementGroup(Resource):
    kind = "placement group"

    def __init__(self, id: str, label: str, strategy: str, partitions: int | None) -> None:
        super().__init__(id, label)
        self.strategy = strategy
        self.partitions = partitions
        self.zone: str | None = None
        self.deleted = False
        self.members: list[tuple[Any, int | None, str | None, str]] = []  # (instance, partition, rack, zone)

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "delete":
            if any(m[0].state != "terminated" for m in self.members):
                # DeletePlacementGroup: "You must terminate all instances in the placement group before you can delete it."
                raise BackendError("InvalidPlacementGroup.InUse", f"The placement group '{self.label}' is in use and cannot be deleted.")
            self.deleted = True
            return ()
        return super().act(world, action, target, params)  # pragma: no cover

    def live(self, zone: str | None = None) -> list:
        return [m for m in self.members if m[0].state != "terminated" and zone in (None, m[3])]

    ATTRIBUTES = {
        "state": lambda w, g: "available",
        "strategy": lambda w, g: g.strategy,
        "partition count": lambda w, g: g.partitions,
        "group id": lambda w, g: g.id,
        "availability zone": lambda w, g: g.zone,
    }


def create(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> PlacementGroup:
    strategy = params.get("strategy", "cluster")  # the model's default when a spec names none
    partitions = params.get("partition count")
    if partitions is not None and strategy != "partition":
        raise BackendError("InvalidParameterCombination", "The partition count is valid only for a partition placement group.")
    if strategy == "partition":
        partitions = DEFAULT_PARTITIONS if partitions is None else partitions
        if not 1 <= partitions <= MAX_PARTITIONS:
            raise BackendError("InvalidParameterValue",
                               f"A partition placement group can have 1 to {MAX_PARTITIONS} partitions per Availability Zone, not {partitions}.")
    return PlacementGroup(world.new_id("pg"), label, strategy, partitions)


def _group_of(relations) -> PlacementGroup | None:
    for name, target in relations:
        if name == "in" and isinstance(target, PlacementGroup):
            return target
    return None


def _on_launching(world, params, relations) -> None:
    group = _group_of(relations)
    partition = params.get("partition")
    if group is None:
        if partition is not None:
            raise BackendError("InvalidParameterCombination", "A partition number needs a partition placement group.")
        return
    if group.deleted:
        raise BackendError("InvalidPlacementGroup.Unknown", f"The placement group '{group.label}' is unknown.")
    zone = params.get("availability zone", ZONE)
    if group.strategy == "cluster" and group.live() and group.zone != zone:
        raise BackendError("InvalidPlacementGroup.InUse", f"The placement group '{group.label}' is in use in another availability zone: {group.zone}")
    if group.strategy == "spread":
        running = [m for m in group.live(zone) if m[0].state != "stopped"]
        if len(running) >= MAX_SPREAD_PER_ZONE:
            raise BackendError("InsufficientInstanceCapacity",
                               f"A spread placement group can have at most {MAX_SPREAD_PER_ZONE} running instances per Availability Zone.")
    if partition is not None and (group.strategy != "partition" or not 1 <= partition <= group.partitions):
        raise BackendError("InvalidParameterValue", f"The partition number {partition} is not a partition of '{group.label}'.")


def _on_starting(world, instance) -> None:
    """A stopped member of a spread group starts only while its zone has fewer than seven running."""
    for group in world.of_kind("placement group"):
        member = next((m for m in group.members if m[0] is instance), None)
        if member is None or group.strategy != "spread":
            continue
        running = [m for m in group.live(member[3]) if m[0].state not in ("stopped", "stopping") and m[0] is not instance]
        if len(running) >= MAX_SPREAD_PER_ZONE:
            raise BackendError("InsufficientInstanceCapacity",
                               f"A spread placement group can have at most {MAX_SPREAD_PER_ZONE} running instances per Availability Zone.")


def _on_launched(world, instance, params, relations) -> None:
    group = _group_of(relations)
    if group is None:
        return
    zone = params.get("availability zone", ZONE)
    if group.strategy == "cluster":
        group.zone = zone
    partition = rack = None
    if group.strategy == "partition":
        partition = params.get("partition")
        if partition is None:  # the emptiest partition, lowest number first
            assert group.partitions is not None, "create gives a partition placement group its partition count"
            load = {p: 0 for p in range(1, group.partitions + 1)}
            for member in group.live(zone):
                load[member[1]] += 1
            partition = min(load, key=lambda p: (load[p], p))
        rack = f"{group.id}-partition-{partition}"
    elif group.strategy == "spread":
        rack = f"{group.id}-rack-{len(group.members) + 1}"
    group.members.append((instance, partition, rack, zone))


def _membership(world, instance):
    for group in world.of_kind("placement group"):
        for inst, partition, rack, _zone in group.members:
            if inst is instance:
                return group, partition, rack
    return None, None, None


def _count_in(world, group) -> int:
    return len(group.live())


def install(world) -> None:
    world.creators["placement group"] = create
    world.on("launching", _on_launching)
    world.on("launched", _on_launched)
    world.on("starting", _on_starting)
    world.readers[("instance", "partition")] = lambda w, i: _membership(w, i)[1]
    world.readers[("instance", "rack")] = lambda w, i: _membership(w, i)[2]
    world.counters[("instance", "in")] = _count_in
