"""Lambda invocations: attempts on the virtual clock, concurrency and throttling, asynchronous
retries, charges and metrics.

Sources: AWS Lambda developer guide, "Lambda quotas" and "Understanding Lambda function
scaling" (concurrency), "Configuring reserved concurrency", "Asynchronous invocation"
(two retries after a function error, one minute and then two minutes after an attempt;
a throttled event returns to the queue and is tried again with a back-off from 1 second
to 5 minutes, for up to the maximum event age; reserved concurrency 0 sends new events
to the dead-letter queue without retries), "Types of metrics for Lambda functions";
AWS Lambda pricing; Invoke API reference (TooManyRequestsException, HTTP 429).

An invocation's attempts run on the virtual clock: an attempt is running from its start
until its INIT phase (if any) and its run time, cut at the timeout, have passed. A
synchronous invocation's state is read off the clock; an asynchronous one is driven by
the clock (`tick`), which also lets event source mappings poll (``"lambda poll"``) and
hands discarded events to dead-letter queues (``"lambda discarded"``).
"""

from __future__ import annotations

import heapq
import math
from typing import Any, Mapping

from scenario.errors import BackendError

from ..model import Resource
from .function import Function, functions
from .kinds import (
    ASYNCHRONOUS,
    MB,
    PRICE_PER_GB_SECOND,
    PRICE_PER_REQUEST,
    RETRY_WAITS,
    SYNCHRONOUS,
    THROTTLE_BACKOFF_FIRST,
    THROTTLE_BACKOFF_MAX,
)


class Attempt:
    """One run of an invocation's code: when it started, when it ends, how."""

    __slots__ = ("start", "init", "duration", "end", "outcome", "init_billed", "settled")  # one per invocation, 1,000s

    def __init__(self, start: float, run: float, timeout: float, broken: bool, init: float = 0, init_billed: bool = False):
        self.start = start
        self.init = init  # the INIT phase of a cold start, before the code's own run
        self.duration = min(run, timeout)
        self.end = start + init + self.duration
        self.outcome = "failed" if broken else "timed-out" if run > timeout else "completed"
        self.init_billed = init_billed
        self.settled = False  # an asynchronous attempt whose end the clock has handled

    def billed(self) -> float:
        charged = self.duration + (self.init if self.init_billed else 0)
        return math.ceil(round(charged * 1000, 6)) / 1000  # rounded up to the next millisecond


class Invocation(Resource):
    kind = "lambda invocation"

    # what an invocation starts with, until the clock or Lambda changes it (on the class: a spec may make 1,000s)
    final: str | None = None  # how it ended, from final_at on
    final_at: float | None = None
    next_at: float | None = None  # when an asynchronous event is tried again
    backoff: float = THROTTLE_BACKOFF_FIRST  # the wait before the next try of a throttled asynchronous event

    def __init__(self, id: str, label: str, function: Function, kind: str, run: float, created: float,
                 memory: int, init: float = 0.0) -> None:
        super().__init__(id, label)
        self.function = function
        self.type = kind
        self.run = run
        self.created = created
        self.memory = memory
        self.attempts: list[Attempt] = []
        self.traced = bool(function["active tracing"])
        self.init = self.init_given = init  # the INIT phase its first attempt still has to go through

    def started(self, world) -> list[Attempt]:
        return [a for a in self.attempts if a.start <= world.now]

    def finished(self, world) -> list[Attempt]:
        return [a for a in self.attempts if a.end <= world.now]

    def state(self, world) -> str:
        if self.final is not None and self.final_at <= world.now:
            return self.final
        if self.attempts and self.attempts[-1].start <= world.now < self.attempts[-1].end:
            return "running"
        return "queued"

    def billed(self, world) -> float:
        return sum(a.billed() for a in self.finished(world))

    def gb_seconds(self, world) -> float:
        return self.billed(world) * self.memory / (1024 * MB)

    def charge(self, world) -> float:
        return len(self.started(world)) * PRICE_PER_REQUEST + self.gb_seconds(world) * PRICE_PER_GB_SECOND

    def relations(self, world) -> frozenset:
        return frozenset({("of", self.function)})

    def _duration(world, self):
        done = self.finished(world)
        return _ms(done[-1].duration) if done else None

    ATTRIBUTES = {
        "state": lambda w, i: i.state(w),
        "invocation type": lambda w, i: i.type,
        "run time": lambda w, i: i.run,
        "init duration": lambda w, i: i.init_given,
        "duration": _duration,
        "billed duration": lambda w, i: _ms(i.billed(w)),
        "memory": lambda w, i: i.memory,
        "gb-seconds": lambda w, i: _round(i.gb_seconds(w)),
        "charge": lambda w, i: _round(i.charge(w)),
        "attempts": lambda w, i: len(i.started(w)),
        "assumed role": lambda w, i: i.function.role.arn if i.started(w) else None,
        "traced": lambda w, i: i.traced and bool(i.started(w)),
    }

    def explain(self, world, attribute: str) -> str | None:
        if attribute == "state" and self.attempts:
            a = self.attempts[-1]
            return f"latest attempt {a.start:g}s to {a.end:g}s, {a.outcome}; the clock is at {world.now:g}s"
        return None


def _ms(seconds: float) -> float:
    return round(seconds, 3)


def _round(x: float) -> float:
    return round(x, 12)


# ---------------------------------------------------------------- concurrency
def invocations_of(world, function) -> list[Invocation]:
    return [i for i in world.of_kind("lambda invocation") if i.function is function]


class Running:
    """The attempts of one function that may still be running, as a heap of their ends: counting
    those running now drops the ends the clock has passed, so each invoke costs O(log n), not a
    scan of every attempt so far (1,000 concurrent invocations were 500,000 steps).

    Exact while the clock moves forward: every attempt starts at the clock's time, so at a time
    no earlier than the latest start and the last count, the attempts running are those whose end
    is still ahead. Should the clock ever read earlier than either, :func:`running` counts from
    scratch, as it always did."""

    __slots__ = ("ends", "counted_at", "latest_start")

    def __init__(self) -> None:
        self.ends: list[float] = []
        self.counted_at = self.latest_start = -math.inf

    def add(self, attempt: Attempt) -> None:
        heapq.heappush(self.ends, attempt.end)
        if attempt.start > self.latest_start:
            self.latest_start = attempt.start

    def count(self, now: float) -> int | None:
        """Attempts running at ``now``; None when the clock is behind what this index has seen."""
        if now < self.counted_at or now < self.latest_start:
            return None
        ends = self.ends
        while ends and ends[0] <= now:
            heapq.heappop(ends)
        self.counted_at = now
        return len(ends)


def running(world, function=None) -> int:
    """Attempts running now, of one function or of all."""
    if function is not None and function.concurrency is not None:
        n = function.concurrency.count(world.now)
        if n is not None:
            return n
    elif function is not None:  # no attempt yet
        return 0
    return sum(1 for i in world.of_kind("lambda invocation") if function in (None, i.function)
               for a in i.attempts if a.start <= world.now < a.end)


def throttle_reason(world, function) -> str | None:
    """Why an attempt of ``function`` cannot start now, or None when it can."""
    reserved = function["reserved concurrency"]
    if reserved is not None:
        return "ReservedFunctionConcurrentInvocationLimitExceeded" if running(world, function) >= reserved else None
    pool = world.settings["lambda concurrency limit"]  # less what the functions reserve, shared by the others
    shared = 0
    for f in functions(world):  # (once per invocation: one pass)
        if f["reserved concurrency"] is None:
            shared += running(world, f)
        else:
            pool -= f["reserved concurrency"]
    return "ConcurrentInvocationLimitExceeded" if shared >= pool else None


def start_attempt(world, inv: Invocation) -> Attempt:
    f = inv.function
    init, inv.init = inv.init, 0  # only the first attempt finds no environment ready
    attempt = Attempt(world.now, inv.run, f["timeout"], f.broken, init, world.settings["lambda init billing"])
    inv.attempts.append(attempt)
    if f.concurrency is None:
        f.concurrency = Running()
    f.concurrency.add(attempt)
    return attempt


def invoke(world, function: Function, kind: str = SYNCHRONOUS, run: float | None = None, label: str | None = None,
           init: float = 0) -> Invocation:
    """Invoke: a synchronous invocation runs at once or is refused; an asynchronous one is queued by Lambda."""
    if function.deleted:
        raise BackendError("ResourceNotFoundException", f"Function not found: {function.arn}")
    run = function["run time"] if run is None else run
    if run < 0:
        raise BackendError("ReferenceModel.InvalidRunTime", "A run time is not negative.")
    inv = Invocation(world.new_id("inv"), label or "lambda invocation", function, kind, run, world.now, function["memory"],
                     init)
    reason = throttle_reason(world, function)
    if kind == SYNCHRONOUS:
        if reason is not None:
            function.throttles += 1
            raise BackendError("TooManyRequestsException", f"Rate Exceeded. (Reason: {reason})")
        a = start_attempt(world, inv)
        inv.final, inv.final_at = a.outcome, a.end
        return _made(world, inv, label)
    if function["reserved concurrency"] == 0:  # new events go to the dead-letter queue at once, without retries
        function.throttles += 1
        _discard(world, inv, "throttled")
    elif reason is None:
        start_attempt(world, inv)
    else:
        function.throttles += 1
        inv.next_at = world.now + inv.backoff
    return _made(world, inv, label)


def _made(world, inv: Invocation, label: str | None) -> Invocation:
    if label is None:  # made by a service, not by a spec: the world keeps it as it keeps a spec's
        world.resources.append(inv)
    return inv


def make_invocation(world, label: str, params: Mapping[str, Any], relations) -> Invocation:
    function = None
    for relation, target in relations:  # (a loop, not next() over a generator: once per invocation, 1,000s)
        if relation == "of":
            function = target
            break
    if function is None:
        raise BackendError("ReferenceModel.MissingFunction", "An invocation is `of` a lambda function.")
    init = params.get("init duration", 0)
    if init < 0:
        raise BackendError("ReferenceModel.InvalidRunTime", "An init duration is not negative.")
    return invoke(world, function, params.get("invocation type", SYNCHRONOUS), params.get("run time"), label, init)


def _discard(world, inv: Invocation, state: str) -> None:
    inv.final, inv.final_at, inv.next_at = state, world.now, None
    world.emit("lambda discarded", inv)


def backlog(world) -> bool:
    """Some event source mapping has records left to read."""
    return any(m.backlog(world) > 0 and not m.function.deleted for m in world.of_kind("event source mapping"))



def _next_event(world, end: float):
    """The earliest thing an asynchronous invocation does by ``end``: (time, invocation, what)."""
    best = None
    for inv in world.of_kind("lambda invocation"):
        if inv.type != ASYNCHRONOUS or inv.final is not None:
            continue
        expiry = inv.created + inv.function["maximum event age"]
        if inv.attempts and not inv.attempts[-1].settled:
            cand = (inv.attempts[-1].end, inv.id, inv, "settle")
        elif inv.next_at is not None:
            cand = (expiry, inv.id, inv, "expire") if expiry <= inv.next_at else (inv.next_at, inv.id, inv, "retry")
        else:  # pragma: no cover - an unfinished asynchronous invocation always has something next
            continue
        if cand[0] <= end and (best is None or cand[:2] < best[:2]):
            best = cand
    if backlog(world):  # a mapping waits for concurrency: it polls again as soon as an attempt ends
        ends = [a.end for i in world.of_kind("lambda invocation") for a in i.attempts if world.now < a.end <= end]
        if ends and (best is None or min(ends) < best[0]):
            best = (min(ends), "", None, "poll")
    return best


def _on_tick(world, start: float, end: float) -> None:
    world.now = start
    world.emit("lambda poll")  # event source mappings read their backlog as time begins to pass
    while True:
        event = _next_event(world, end)
        if event is None:
            break
        at, _id, inv, what = event
        world.now = at
        if what == "poll":
            world.emit("lambda poll")
            continue
        f = inv.function
        if what == "settle":
            a = inv.attempts[-1]
            a.settled = True
            if a.outcome == "completed":
                inv.final, inv.final_at = "completed", at
            elif len(inv.attempts) <= f["maximum retry attempts"]:
                inv.next_at = at + RETRY_WAITS[len(inv.attempts) - 1]
            else:
                _discard(world, inv, "failed")
        elif what == "expire":
            _discard(world, inv, "expired")
        elif throttle_reason(world, f) is None:  # a retry: after an error, or after a throttle
            inv.next_at = None
            start_attempt(world, inv)
        else:
            f.throttles += 1
            inv.backoff = min(inv.backoff * 2, THROTTLE_BACKOFF_MAX)
            inv.next_at = at + inv.backoff
    world.now = end


def metric(world, function, name: str) -> float:
    """What Lambda has reported to CloudWatch for ``function`` so far (Duration in milliseconds)."""
    if name == "Throttles":
        return function.throttles
    if name == "ConcurrentExecutions":
        return running(world, function)
    invs = invocations_of(world, function)
    if name == "Invocations":
        return sum(len(i.started(world)) for i in invs)
    if name == "Errors":
        return sum(1 for i in invs for a in i.finished(world) if a.outcome != "completed")
    return round(sum(i.billed(world) for i in invs) * 1000, 3)


def _count_of(world, function) -> int:
    return len(invocations_of(world, function))


# ---------------------------------------------------------------- a function's charges, read off its invocations
FUNCTION_READERS = {
    "concurrent executions": lambda w, f: running(w, f),
    "request count": lambda w, f: sum(len(i.started(w)) for i in invocations_of(w, f)),
    "billed duration": lambda w, f: _ms(sum(i.billed(w) for i in invocations_of(w, f))),
    "gb-seconds": lambda w, f: _round(sum(i.gb_seconds(w) for i in invocations_of(w, f))),
    "request charge": lambda w, f: _round(sum(len(i.started(w)) for i in invocations_of(w, f)) * PRICE_PER_REQUEST),
    "duration charge": lambda w, f: _round(sum(i.gb_seconds(w) for i in invocations_of(w, f)) * PRICE_PER_GB_SECOND),
    "charge": lambda w, f: _round(sum(i.charge(w) for i in invocations_of(w, f))),
}


def install(world) -> None:
    world.creators["lambda invocation"] = make_invocation
    world.counters[("lambda invocation", "of")] = _count_of
    world.on("tick", _on_tick)
    for name, read in FUNCTION_READERS.items():
        world.readers[("lambda function", name)] = read
