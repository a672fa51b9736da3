"""What API Gateway bills: calls (messages), data transferred out, PrivateLink, the stage cache.

Source: specs/notes/aws-architecture-notes.md, "API Gateway / Charges"; "Amazon API
Gateway pricing" (aws.amazon.com/api-gateway/pricing, as quoted by third-party pages in the
stored corpus) and "Cache settings for REST APIs in API Gateway" (caching is billed per
hour by the cache size chosen, and is not in the free tier).

Prices are illustrative us-east-1 list prices, in USD: REST API calls $3.50 per million
for the first 333 million a month, then cheaper tiers; WebSocket messages $1.00 per
million for the first billion; data out at the EC2 internet rate, $0.09 per GB (the
model ignores the separate always-free 100 GB of data transfer); PrivateLink data
processing $0.01 per GB for private APIs (its per-hour endpoint charge belongs to the
VPC endpoint, not to the API, and is left out); cache by size, per hour. A GB is 2^30
bytes here, as everywhere in the language.

Free tier (the notes): one million calls a month for the first 12 months of the
account, which opens when the world's clock starts (region.EPOCH, 1 January
2024); months are calendar months; REST calls and WebSocket messages each have their own
million (AWS's pricing page). The free tier is the account's, shared by all its APIs:
the calls that come first use it. The setting ``account free tier plan`` switches to
what AWS gives accounts created from 15 July 2025: a credit-based Free or Paid plan
without the 12-month offers, so every call is billed at list price (the credits that
may pay the bill are not modelled).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from scenario.errors import BackendError

from ..region import EPOCH

GB = 1024**3
MILLION = 1_000_000

#: (calls up to this many in the month, USD per million); the last tier has no end
CALL_TIERS = {
    "rest": ((333 * MILLION, 3.50), (1000 * MILLION, 2.80), (20_000 * MILLION, 2.38), (None, 1.51)),
    "websocket": ((1000 * MILLION, 1.00), (None, 0.80)),
}
DATA_OUT_PER_GB = 0.09
PRIVATELINK_PER_GB = 0.01
#: cache size in GB → USD per hour
CACHE_PRICES = {0.5: 0.020, 1.6: 0.038, 6.1: 0.200, 13.5: 0.250, 28.4: 0.500, 58.2: 1.000, 118: 1.900, 237: 3.800}
DEFAULT_CACHE_GB = 0.5

FREE_CALLS_PER_MONTH = MILLION
FREE_TIER_MONTHS = 12
FREE_TIER_PLANS = ("12-month", "free plan", "paid plan")  # the notes' offer; AWS's plans for accounts from 15 July 2025


def month_index(seconds: float) -> int:
    """The calendar month (0 = the account's first) a moment of the virtual clock falls in."""
    day = EPOCH + timedelta(seconds=seconds)
    return (day.year - EPOCH.year) * 12 + day.month - EPOCH.month


def tiered_cost(api_type: str, before: int, count: int) -> float:
    """USD for ``count`` billed calls when ``before`` were billed earlier in the month."""
    cost, start, left = 0.0, before, count
    for end, per_million in CALL_TIERS[api_type]:
        if left <= 0:
            break
        if end is not None and start >= end:
            continue
        take = left if end is None else min(left, end - start)
        cost += take * per_million / MILLION
        start += take
        left -= take
    return cost


class Ledger:
    """The account's API Gateway usage: every call recorded with what it cost when made."""

    def __init__(self) -> None:
        self.free_used: dict[tuple[int, str], int] = {}  # (month, api type) → free calls used
        self.billed: dict[tuple[int, str], int] = {}  # (month, api type) → calls billed
        self.calls: list[dict[str, Any]] = []

    def record(self, world, api, count: int, size: int, private: bool) -> dict[str, Any]:
        plan = world.settings.get("account free tier plan", "12-month")
        if plan not in FREE_TIER_PLANS:
            raise BackendError("ReferenceModel.InvalidSetting",
                               f"The account free tier plan is one of {', '.join(FREE_TIER_PLANS)}, not {plan!r}.")
        month = month_index(world.now)
        key = (month, api.api_type)
        free = 0
        if plan == "12-month" and month < FREE_TIER_MONTHS:
            free = min(count, FREE_CALLS_PER_MONTH - self.free_used.get(key, 0))
            self.free_used[key] = self.free_used.get(key, 0) + free
        billed = count - free
        cost = tiered_cost(api.api_type, self.billed.get(key, 0), billed)
        self.billed[key] = self.billed.get(key, 0) + billed
        out = size * count
        entry = {
            "api": api, "count": count, "billed": billed, "call cost": cost, "bytes": out,
            "data cost": 0.0 if private else out / GB * DATA_OUT_PER_GB,
            "privatelink cost": out / GB * PRIVATELINK_PER_GB if private else 0.0,
        }
        self.calls.append(entry)
        return entry

    def total(self, api, field: str) -> float:
        return sum(e[field] for e in self.calls if e["api"] is api)


def ledger(world) -> Ledger:
    return world.apigateway_ledger


def cache_rate(size_gb: float | None) -> float:
    return 0.0 if size_gb is None else CACHE_PRICES[size_gb]


def cache_gb(size_bytes: float) -> float:
    """A cache size given in bytes, as the GB figure of AWS's list (0.5, 1.6, ... 237)."""
    return round(size_bytes / GB, 1)


class CacheMeter:
    """The hours a stage's cache has been provisioned, by size: billed whether or not it is used."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.size: float | None = None
        self.since = 0.0

    def set(self, now: float, size: float | None) -> None:
        self.spent = self.charges(now)
        self.size, self.since = size, now

    def charges(self, now: float) -> float:
        return self.spent + (now - self.since) / 3600 * cache_rate(self.size)


def money(x: float) -> float:
    return round(x, 6)
