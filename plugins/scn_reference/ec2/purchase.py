"""Purchase options of an EC2 instance: On-Demand and Spot; the price paid; Spot interruptions.

Source: specs/notes/aws-architecture-notes.md, "Billing and provisioning"; AWS's
EC2 user guide where the notes are silent: "Spot Instance interruption notices"
(a notice two minutes before EC2 stops or terminates a Spot Instance; hibernation
begins at once, without the two minutes), "Behavior of Spot Instance interruptions"
(terminate by default; stop or hibernate on request), "Spot Instance pricing
history" (you pay the Spot price in effect, not your maximum price); the EC2 API
error codes (``SpotMaxPriceTooLow`` when the maximum price is below the Spot price).

Prices: the figures below are illustrative, per hour, Linux, us-east-1. The
On-Demand ones are the list prices AWS published for these types
(aws.amazon.com/ec2/pricing/on-demand); the Spot ones are made-up points inside the
range AWS documents ("up to 90% off the On-Demand price"). Specs should claim
ratios (`the discount of "s" is at most 90 %`), not figures.

An interruption is a fault a spec injects (capability ``faults``):
`when "s" is interrupted` gives the instance its interruption notice; the virtual
clock then carries out the interruption two minutes later (`when 2 minutes pass`).
Nothing else interrupts a Spot Instance here: a higher maximum price or another
Spot Instance does not (notes: "Instances are not interrupted because of higher
competing bids").
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..region import EPOCH
from .instances import SHUTDOWN_PATHS, Instance
from .kinds import INTERRUPTION_BEHAVIORS

#: instance type → (On-Demand $/hour, Spot $/hour); illustrative, see the module's docstring
PRICES: dict[str, tuple[float, float]] = {
    "t3.micro": (0.0104, 0.0031),
    "m5.large": (0.096, 0.0384),
    "m5.xlarge": (0.192, 0.0768),
    "c5.large": (0.085, 0.034),
}

#: the launch parameters only a Spot Instance takes
SPOT_ONLY = ("max price", "interruption behavior")

NOTICE_SECONDS = 120  # "a warning that is issued two minutes before Amazon EC2 stops or terminates your Spot Instance"


class Purchase:
    """What the purchase option part keeps about one instance."""

    def __init__(self, option: str, max_price: float | None, behavior: str):
        self.option = option
        self.max_price = max_price
        self.behavior = behavior
        self.notice_at: float | None = None  # virtual time of the interruption notice
        self.interrupted = False


def purchase(inst: Instance) -> Purchase:
    """What the part keeps about ``inst``; launched with no purchase option, it is On-Demand (kept once asked)."""
    kept = inst.parts.get("purchase")
    if kept is None:
        kept = inst.parts["purchase"] = Purchase("on-demand", None, "terminate")
    return kept


def hourly_price(inst: Instance) -> float | None:
    prices = PRICES.get(inst.type)
    if prices is None:
        return None
    return prices[1] if purchase(inst).option == "spot" else prices[0]


def notice(inst: Instance) -> str | None:
    """The instance-action item AWS puts in the metadata of a Spot Instance marked for interruption."""
    p = purchase(inst)
    if p.notice_at is None:
        return None
    when = p.notice_at + (0 if p.behavior == "hibernate" else NOTICE_SECONDS)
    stamp = (EPOCH + timedelta(seconds=when)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({"action": p.behavior, "time": stamp})


def _discount(w, inst) -> float | None:
    prices, price = PRICES.get(inst.type), hourly_price(inst)
    if prices is None or price is None:  # both None together: hourly_price reads PRICES
        return None
    return round(100 * (1 - price / prices[0]), 2)


READERS = {
    "purchase option": lambda w, i: purchase(i).option,
    "hourly price": lambda w, i: hourly_price(i),
    "on-demand price": lambda w, i: PRICES[i.type][0] if i.type in PRICES else None,
    "discount": _discount,
    "max price": lambda w, i: purchase(i).max_price,
    "interruption behavior": lambda w, i: purchase(i).behavior if purchase(i).option == "spot" else None,
    "interruption notice": lambda w, i: notice(i),
    "interrupted": lambda w, i: purchase(i).interrupted,
}


def _on_launching(world, params: Mapping[str, Any], relations) -> None:
    if params.get("purchase option", "on-demand") != "spot":
        for name in SPOT_ONLY:
            if name in params:
                # RunInstances takes them only inside InstanceMarketOptions with MarketType spot
                raise BackendError("InvalidParameterCombination", f"The {name} applies to Spot Instances only.")
        return
    behavior = params.get("interruption behavior", "terminate")
    if behavior not in INTERRUPTION_BEHAVIORS:
        raise BackendError(
            "InvalidParameterValue",
            f"Value ({behavior}) for parameter InstanceInterruptionBehavior is invalid. Valid values: hibernate, stop, terminate",
        )
    prices = PRICES.get(params.get("instance type", "t3.micro"))
    if "max price" in params and prices is not None and params["max price"] < prices[1]:
        raise BackendError("SpotMaxPriceTooLow",
                           f"Your Spot request price of {params['max price']} is lower than the minimum required Spot request "
                           f"fulfillment price of {prices[1]}.")


def _on_launched(world, instance: Instance, params: Mapping[str, Any], relations) -> None:
    if "purchase option" not in params:
        return  # On-Demand (launching refused the Spot words without it): purchase() makes it when asked
    option = params["purchase option"]
    max_price = None
    if option == "spot":
        prices = PRICES.get(instance.type)
        max_price = params.get("max price", prices[0] if prices else None)
    instance.parts["purchase"] = Purchase(option, max_price, params.get("interruption behavior", "terminate"))


def interrupt(world, inst: Instance, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    p = purchase(inst)
    if p.option != "spot":
        # a fault only a Spot Instance suffers; no AWS API does this, hence no AWS error code
        raise BackendError("ReferenceModel.NotSpot", f"The instance '{inst.id}' is an On-Demand Instance: EC2 does not reclaim it.")
    if inst.state != "running" or p.notice_at is not None:
        raise BackendError("IncorrectInstanceState",
                           f"The instance '{inst.id}' is {inst.state}{' and already marked for interruption' if p.notice_at is not None else ''}.")
    p.notice_at = world.now
    if p.behavior == "hibernate":  # no two-minute warning: hibernation begins immediately
        p.interrupted = True
        return inst.go(world, ("stopping", "stopped"), hibernate=True)
    return (inst.state,)


def _on_tick(world, start: float, end: float) -> None:
    due = []
    for inst in world.of_kind("instance"):
        p = inst.parts.get("purchase")
        if p is not None and p.notice_at is not None and not p.interrupted:
            due.append((p.notice_at + NOTICE_SECONDS, inst.id, inst))
    for at, _id, inst in sorted(due):
        if at > end:
            continue
        p = purchase(inst)
        p.interrupted = True
        if inst.state != "running":  # stopped or terminated by its owner within the two minutes
            continue
        world.now = at  # the interruption happens at its own moment of the clock
        inst.go(world, SHUTDOWN_PATHS["terminate" if p.behavior == "terminate" else "stop"])
        world.now = end


def install(world) -> None:
    world.on("launching", _on_launching)
    world.on("launched", _on_launched)
    world.on("tick", _on_tick)
    world.actors[("instance", "interrupt")] = interrupt
    for name, read in READERS.items():
        world.readers[("instance", name)] = read
