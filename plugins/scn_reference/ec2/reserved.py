"""Reserved Instances: a term of 1 or 3 years, billed to its end; modified within limits; sold.

Source: specs/notes/aws-architecture-notes.md, "Billing and provisioning"
(Reserved) and "valid EC2 lifecycle instance state" (Reserved Instances applied to
terminated instances are billed until the end of their term). AWS's EC2 user guide
where the notes are silent: "Reserved Instances" (terms of 1 year = 31,536,000 s or
3 years = 94,608,000 s; states active and retired), "Modify Reserved Instances" (the
Availability Zone within the same Region; the instance size within the same
instance family, for Linux/UNIX Reserved Instances only, keeping the instance size
footprint: the normalization factors below), "Sell in the Reserved Instance
Marketplace", the EC2 API error codes (``InvalidReservedInstancesOfferingId``: no
offering has another term).

A Reserved Instance is a billing commitment, not an instance: it applies to running
On-Demand instances of its instance type in its Availability Zone (`then "ri" is
applied to "web"`), and it is billed for its whole term whatever those instances do.
The virtual clock retires it at the end of its term.

AWS documents no error code for a modification it refuses (the modification request
ends ``failed`` with a status message) nor for a listing it refuses: the model
answers with the common ``InvalidParameterValue``, and specs claim `then it fails`.
"""

from __future__ import annotations

from typing import Any, Mapping, NoReturn, Sequence

from scenario.errors import BackendError

from ..model import NotImplementedByBackend, Resource
from ..region import REGION_ZONES, ZONE
from .purchase import purchase

YEAR = 31_536_000
TERMS = (YEAR, 3 * YEAR)
#: the discount over On-Demand of the reservation's effective hourly price, by term (illustrative figures,
#: inside AWS's "up to 72%" for Standard Reserved Instances)
DISCOUNTS = {YEAR: 40.0, 3 * YEAR: 60.0}
#: AWS's instance size normalization factors ("Instance size flexibility")
SIZES = {"nano": 0.25, "micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8, "2xlarge": 16, "4xlarge": 32,
         "8xlarge": 64, "12xlarge": 96, "16xlarge": 128, "24xlarge": 192}


def footprint(instance_type: str, count: int) -> float | None:
    size = instance_type.split(".", 1)[-1]
    factor = SIZES.get(size)
    return None if factor is None else factor * count


def _refuse(message: str) -> NoReturn:
    raise BackendError("InvalidParameterValue", message)


class Reservation(Resource):
    kind = "reserved instance"

    def __init__(self, id, label, start, term, instance_type, zone, platform, count):
        super().__init__(id, label)
        self.start = start
        self.term = term
        self.type = instance_type
        self.zone = zone
        self.platform = platform
        self.count = count
        self.listed = False

    def end(self) -> float:
        return self.start + self.term

    def state(self, world) -> str:
        return "active" if world.now < self.end() else "retired"

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if self.state(world) != "active":
            _refuse(f"The Reserved Instance '{self.id}' is retired.")
        if action == "list":
            if self.listed:
                _refuse(f"The Reserved Instance '{self.id}' is already listed.")
            self.listed = True
            return ("active",)
        if action == "modify":
            self._modify(params)
            return ("active",)
        return super().act(world, action, target, params)  # pragma: no cover

    def _modify(self, params: Mapping[str, Any]) -> None:
        zone = params.get("availability zone", self.zone)
        if zone not in REGION_ZONES:
            _refuse(f"The Availability Zone '{zone}' is not in the Region of the Reserved Instance ({', '.join(REGION_ZONES)}).")
        new_type = params.get("instance type", self.type)
        count = params.get("instance count")
        if new_type != self.type or count is not None:
            if self.platform == "windows":
                _refuse("Only Linux/UNIX Reserved Instances can change their instance size.")
            if new_type.split(".")[0] != self.type.split(".")[0]:
                _refuse(f"{new_type} is not in the instance family of {self.type}.")
            have, unit = footprint(self.type, self.count), footprint(new_type, 1)
            if unit is None:
                _refuse(f"{new_type} has no instance size normalization factor.")
            if count is None:
                if have is None:
                    _refuse(f"{self.type} has no instance size normalization factor.")
                count = have / unit
            if not float(count).is_integer() or count < 1 or footprint(new_type, int(count)) != have:
                _refuse(f"The instance size footprint of the target configuration ({new_type} x {count}) "
                        f"must match that of the Reserved Instance ({self.type} x {self.count}).")
            self.type, self.count = new_type, int(count)
        self.zone = zone

    def relations(self, world) -> frozenset:
        if self.state(world) != "active":
            return frozenset()
        matching = [i for i in world.of_kind("instance")
                    if i.state == "running" and i.type == self.type and self.zone == i.zone
                    and purchase(i).option == "on-demand"]
        return frozenset(("applied to", i) for i in matching[: self.count])

    ATTRIBUTES = {
        "state": lambda w, r: r.state(w),
        "reserved instances id": lambda w, r: r.id,
        "term": lambda w, r: r.term,
        "instance type": lambda w, r: r.type,
        "availability zone": lambda w, r: r.zone,
        "platform": lambda w, r: r.platform,
        "instance count": lambda w, r: r.count,
        "billed": lambda w, r: r.state(w) == "active",
        "billed time": lambda w, r: _whole(min(w.now, r.end()) - r.start),
        "discount": lambda w, r: DISCOUNTS[r.term],
        "listed": lambda w, r: r.listed,
    }


def _whole(seconds: float) -> float | int:
    return int(seconds) if float(seconds).is_integer() else seconds


def buy(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Reservation:
    if relations:
        raise NotImplementedByBackend("choosing the instances a Reserved Instance applies to (AWS matches them)")
    term = params.get("term", YEAR)
    if term not in TERMS:
        raise BackendError("InvalidReservedInstancesOfferingId",
                           f"No Reserved Instances offering has a term of {term} seconds: terms are 1 year or 3 years.")
    zone = params.get("availability zone", ZONE)
    if zone not in REGION_ZONES:
        raise BackendError("InvalidReservedInstancesOfferingId", f"No Reserved Instances offering is in '{zone}' in this Region.")
    count = params.get("instance count", 1)
    if count < 1:
        _refuse("The instance count of a Reserved Instance is at least 1.")
    return Reservation(world.new_id("ri"), label, world.now, term, params.get("instance type", "m5.large"), zone,
                       params.get("platform", "linux"), count)


def install(world) -> None:
    world.creators["reserved instance"] = buy
