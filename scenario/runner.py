"""The runner: one IR scenario on one backend → an :class:`Outcome`.

Semantics (LANGUAGE.md, "Semantics the runner guarantees"): a fresh world per
scenario; givens first (a refused given is an *error*); a when-group stops at its
first refused action, which a directly following `then it fails` captures
(otherwise the scenario *fails*); `changes` and `is retained` compare with what
was observed just before the latest when-group; a failed claim ends the scenario
and reads like the sentence it came from.
"""

from __future__ import annotations

import time
import traceback
from enum import StrEnum
from typing import Any, Callable

import attrs

from . import ir
from .backend import BackendFault, BackendInfo, NotImplementedByBackend, Throttled, scenario_id
from .errors import BackendError, SourceSpan
from .vocabulary import BASE_UNIT, in_unit

__all__ = ["Outcome", "Status", "run_scenario", "run_raw", "skip_reason", "STATUSES", "format_value"]


class Status(StrEnum):
    """What happened to one scenario on one backend (a member equals its string: ``Status.PASSED == "passed"``)."""

    PASSED = "passed"
    FAILED = "failed"  # a claim did not hold, or a when-step was refused and no `then it fails` captured it
    ERROR = "error"  # a refused given, a backend fault, an item the backend does not implement, a failed teardown
    SKIPPED = "skipped"  # the backend lacks a capability the scenario needs, or @only leaves it out
    XFAILED = "xfailed"  # failed as its @diverges or @misbelief says it does
    XPASSED = "xpassed"  # passed though its @diverges or @misbelief says it fails: a stale tag


#: the statuses in the order summaries show them
STATUSES = tuple(Status)


def _status(value: Status | str) -> Status:
    return value if value.__class__ is Status else Status(value)


@attrs.frozen
class Outcome:
    """What happened to one scenario on one backend."""

    status: Status = attrs.field(converter=_status)  # a plain string is taken too: Outcome("passed", ...)
    backend: str
    message: str = ""
    step: int | None = None  # index into scenario.steps of the step that decided it
    span: SourceSpan | None = None
    detail: str = ""  # a traceback, for a backend fault (never for a user's mistake)
    not_implemented: str | None = None  # the vocabulary item the backend lacks
    duration: float = 0.0
    #: the API calls the world made, teardown included, one line each (``trace=True`` only; empty otherwise)
    transcript: tuple[str, ...] = ()
    refused_setup: bool = False  # an error because the backend refused a given (a @diverges can name why)


def format_value(value: Any, dimension: str | None = None, unit: str | None = None, also_finer: bool = False) -> str:
    """A value as a claim message shows it; a quantity in ``unit`` when the claim wrote one."""
    if value is None:
        return "none"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if unit is not None and dimension is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        return in_unit(value, unit, also_finer)  # in the unit the claim was written in: `1 day (24 hours)`
    if dimension is not None and isinstance(value, (int, float)):
        unit = BASE_UNIT[dimension]
        v = int(value) if float(value).is_integer() else value
        return f"{v}%" if unit == "%" else f"{v} {unit}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _claims_code(sc: ir.Scenario, group: int, code: str) -> bool:
    """Whether when-group ``group`` is claimed to fail with ``code`` (`then it fails with "<code>"`)."""
    return group in sc.captured and any(type(st) is ir.ClaimOutcome and st.group == group and st.fails
                                        and st.code == code for st in sc.steps)


class _ClaimFailed(Exception):
    def __init__(self, message: str):
        self.message = message


class _SetupFailed(Exception):
    def __init__(self, message: str):
        self.message = message


_OPS = {
    "is": lambda a, b: a == b,
    "at least": lambda a, b: a is not None and a >= b,
    "at most": lambda a, b: a is not None and a <= b,
    "greater than": lambda a, b: a is not None and a > b,
    "more than": lambda a, b: a is not None and a > b,
    "less than": lambda a, b: a is not None and a < b,
    "fewer than": lambda a, b: a is not None and a < b,
    "starts with": lambda a, b: isinstance(a, str) and a.startswith(b),
    "ends with": lambda a, b: isinstance(a, str) and a.endswith(b),
    "contains": lambda a, b: isinstance(a, str) and b in a,
}
#: text claims, as a failure says them: `was expected to start with "https://"`
_TEXT_VERBS = {"starts with": "start with", "ends with": "end with", "contains": "contain"}


def run_scenario(scenario: ir.Scenario, backend: BackendInfo, *, trace: bool = False) -> Outcome:
    """Run ``scenario`` in a fresh world of ``backend``; ``trace``: keep the world's call transcript on the outcome."""
    start = time.perf_counter()
    outcome = run_raw(scenario, backend, trace=trace)
    belief = _misbelief(scenario.tags)
    diverges = scenario.divergence(backend.name) if scenario.diverges else None
    if belief is not None or diverges is not None:
        outcome = _judged(outcome, belief, diverges, backend.name)
    return _timed(outcome, time.perf_counter() - start)


def _misbelief(tags: tuple[ir.Tag, ...]) -> ir.Tag | None:
    for tag in tags:
        if tag.name == "misbelief":
            return tag
    return None


def _judged(outcome: Outcome, belief: ir.Tag | None, diverges: str | None, name: str) -> Outcome:
    """What a @misbelief and a known divergence on backend ``name`` make of an outcome as it ran."""
    status = outcome.status
    why = (belief.args[0] if belief.args else "a wrong belief") if belief is not None else ""
    stale = f"stale divergence: @diverges({name}, \"{diverges}\")"
    if belief is not None and diverges is not None:
        # a backend that departs from AWS can make a wrong belief hold there: that is its divergence
        if status == Status.PASSED:
            return _now(outcome, Status.XFAILED, f"known divergence of {name}: {diverges} (so the misbelief \"{why}\" holds there)")
        if status == Status.FAILED:
            return _now(outcome, Status.XPASSED, f"{stale} but the misbelief is caught on {name}")
    elif belief is not None:
        if status == Status.FAILED:
            return _now(outcome, Status.XFAILED, f"misbelief caught ({why}): {outcome.message}")
        if status == Status.PASSED:
            return _now(outcome, Status.XPASSED, f"@misbelief(\"{why}\") but the scenario passed on {name}")
    elif status == Status.FAILED or status == Status.ERROR and outcome.refused_setup:
        return _now(outcome, Status.XFAILED, f"known divergence of {name}: {diverges}\n{outcome.message}")
    elif status == Status.PASSED:
        return _now(outcome, Status.XPASSED, f"{stale} but the scenario passed on {name}")
    return outcome


def _now(outcome: Outcome, status: Status, message: str) -> Outcome:
    return attrs.evolve(outcome, status=status, message=message)


def _timed(o: Outcome, duration: float) -> Outcome:
    """``o`` with its ``duration``: ``attrs.evolve(o, duration=duration)`` at a third of the cost (every field by
    position: tests/test_runner.py checks that this copies each field of Outcome)."""
    return Outcome(o.status, o.backend, o.message, o.step, o.span, o.detail, o.not_implemented, duration, o.transcript,
                   o.refused_setup)


def skip_reason(scenario: ir.Scenario, backend: BackendInfo) -> str | None:
    """Why ``scenario`` does not run on ``backend`` (`needs clock`), or None."""
    if scenario.only and backend.name not in scenario.only:
        return f"only runs on {', '.join(scenario.only)}"
    missing = scenario.needs - backend.capabilities
    if missing:
        return "needs " + ", ".join(sorted(missing))
    return None


def run_raw(scenario: ir.Scenario, backend: BackendInfo, *, trace: bool = False) -> Outcome:
    """Run ``scenario`` on ``backend`` as it is: no ``@diverges``/``@misbelief`` translation.

    What the scenario did there, before the tags say what was expected: a
    comparison of two backends (the ``aws`` backend over a moto server against
    ``moto``) compares these. With ``trace``, the outcome carries the world's call
    transcript (:meth:`~scenario.backend.World.transcript`), asked for after
    :meth:`~scenario.backend.World.close` so that the teardown's calls show; without
    it nothing is asked (a normal run pays nothing).
    """
    name = backend.name
    reason = skip_reason(scenario, backend)
    if reason is not None:
        return Outcome(Status.SKIPPED, name, reason)
    try:
        world = backend.open_world()
    except BackendFault as exc:  # cannot start for a reason outside scn: one line, no traceback
        return Outcome(Status.ERROR, name, f"the {name} backend could not open a world: {exc}")
    except Exception as exc:  # a backend that cannot start is an error, not a crash
        return Outcome(Status.ERROR, name, f"the {name} backend could not open a world: {exc}",
                       detail=traceback.format_exc())
    run = _Run(scenario, world)
    outcome = None
    try:
        world.begin(scenario_id(scenario))
        outcome = run.execute(name)
    finally:
        try:
            world.close()
        except BackendFault as exc:  # the teardown left resources behind: the outcome says so, whatever it was
            outcome = _teardown_error(name, f"teardown failed: {exc}", outcome)
        except Exception as exc:  # a teardown that breaks may leak resources (on aws, billed ones): said, never swallowed
            outcome = _teardown_error(name, f"teardown raised {type(exc).__name__}: {exc}", outcome,
                                      detail=traceback.format_exc())
    if trace:
        try:
            calls = tuple(str(line) for line in world.transcript())
        except Exception:  # pragma: no cover - a transcript must not hide the outcome
            calls = ()
        if calls:
            outcome = attrs.evolve(outcome, transcript=calls)
    return outcome


def _teardown_error(name: str, message: str, outcome: Outcome | None, detail: str = "") -> Outcome:
    """An ``error`` for a teardown that failed, saying what the scenario was before it."""
    before = "" if outcome is None else f"\n(before the teardown, the scenario was {outcome.status}" + (
        f": {outcome.message.splitlines()[0]})" if outcome.message else ")")
    return Outcome(Status.ERROR, name, message + before, outcome.step if outcome else None,
                   outcome.span if outcome else None, detail=detail)


_run = run_raw


class _Run:
    __slots__ = ("sc", "world", "handles", "snapshots", "passed", "errors", "group", "index", "settle", "settle_poll")

    def __init__(self, scenario: ir.Scenario, world):
        self.sc = scenario
        self.world = world
        # a backend over eventually consistent reads may ask for failing claims to be re-observed
        self.settle = float(world.settle or 0.0)
        self.settle_poll = float(world.settle_poll or 0.0)
        self.handles: list[Any] = [None] * len(scenario.slots)
        self.snapshots: dict[ir.Probe, Any] = {}
        self.passed: dict[int, list[str]] = {}  # slot → states seen in the latest when-group
        self.errors: dict[int, tuple[ir.Step, BackendError | Throttled]] = {}  # when-group → refused step
        self.group = -1  # the latest when-group started
        self.index = 0

    def execute(self, backend: str) -> Outcome:
        sc = self.sc
        steps = sc.steps
        try:
            for i, step in enumerate(steps):
                self.index = i
                kind = type(step)
                if kind in _WHEN_TYPES and not getattr(step, "setup", False):
                    if step.group != self.group:
                        self._begin_group(step.group)
                    if step.group in self.errors:
                        continue  # the group stopped at its first refusal
                    try:
                        _DO[kind](self, step)
                    except BackendError as exc:
                        if step.group in sc.captured:
                            self.errors[step.group] = (step, exc)
                        else:
                            return Outcome(Status.FAILED, backend,
                                           f"{_quote(step.text)} was refused: {exc.code}: {exc.detail}", i, step.span)
                    except Throttled as exc:
                        if not _claims_code(sc, step.group, exc.code):
                            raise  # a fault, at this step: only a claim that names its code captures a throttle
                        self.errors[step.group] = (step, exc)
                elif kind in _DO:
                    try:
                        _DO[kind](self, step)
                    except BackendError as exc:
                        return Outcome(Status.ERROR, backend,
                                       f"setup failed: {_quote(step.text)} was refused: {exc.code}: {exc.detail}", i,
                                       step.span, refused_setup=True)
                elif self.settle > 0 and kind in _SETTLING:
                    self._settle(kind, step)
                else:
                    _CHECK[kind](self, step)
            return Outcome(Status.PASSED, backend)
        except _ClaimFailed as f:
            step = steps[self.index]
            return Outcome(Status.FAILED, backend, f.message, self.index, step.span)
        except NotImplementedByBackend as exc:
            step = steps[self.index]
            return Outcome(Status.ERROR, backend, f"the {backend} backend does not implement {exc.what}", self.index,
                           step.span, not_implemented=exc.what)
        except BackendFault as exc:  # unreachable, throttled, stuck, refused by a guard: one line, no traceback
            step = steps[self.index]
            return Outcome(Status.ERROR, backend, f"{_quote(step.text)}: {exc}", self.index, step.span)
        except Exception as exc:  # a fault of the backend (or of scn): an error, with the traceback kept aside
            step = steps[self.index]
            return Outcome(Status.ERROR, backend, f"{_quote(step.text)} raised {type(exc).__name__}: {exc}", self.index,
                           step.span, detail=traceback.format_exc())

    def _settle(self, kind, step) -> None:
        """Check a claim, re-observing while it fails, for at most ``settle`` seconds (eventually consistent reads)."""
        deadline = time.monotonic() + self.settle
        while True:
            try:
                return _CHECK[kind](self, step)
            except _ClaimFailed:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                time.sleep(min(self.settle_poll, left))

    # ---------------------------------------------------------------- acting
    def _begin_group(self, group: int) -> None:
        self.group = group
        self.passed = {}
        probes = self.sc.probes[group] if 0 <= group < len(self.sc.probes) else ()
        for p in probes:
            h = self.handles[p.slot]
            if h is None:  # not created (its creation was refused): nothing to observe
                self.snapshots[p] = None if p.what == "attribute" else (False, frozenset())
            elif p.what == "attribute":
                self.snapshots[p] = self.world.observe(h, p.attribute)
            else:
                self.snapshots[p] = (self.world.exists(h), self.world.relations(h))

    def _create(self, step: ir.Create) -> None:
        handles = self.handles
        rels = []  # (a loop, not a comprehension: this runs once per resource, and there may be thousands)
        for r, t in step.relations:
            rels.append((r, handles[t]))
        label = self.sc.slots[step.slot].full_label
        handle = handles[step.slot] = self.world.create(step.kind, label, dict(step.params), rels)
        if not step.setup:  # `when an instance "w" is launched` then `"w" passed through pending`
            states = self.world.creation_states(handle)
            if states:  # (none: a claim finds nothing either way)
                self.passed.setdefault(step.slot, []).extend(states)

    def _act(self, step: ir.Act) -> None:
        target = self._h(step.target) if step.target is not None else None
        states = self.world.act(self._h(step.slot), step.action, target, dict(step.params))
        if not step.setup:
            self.passed.setdefault(step.slot, []).extend(states)

    def _set_attr(self, step: ir.SetAttr) -> None:
        """`set to`: the action that goes the way the value moves from what it is now (up when equal, as AWS's
        Increase… call is the one that refuses an equal value)."""
        h = self._h(step.slot)
        now = self.world.observe(h, step.attribute)
        way = "down" if now is not None and step.value < now else "up"
        verb = next((v for v, d in step.actions if d == way), step.actions[0][0])
        states = self.world.act(h, verb, None, {step.attribute: step.value})
        self.passed.setdefault(step.slot, []).extend(states)

    def _advance(self, step: ir.Advance) -> None:
        entered = self.world.advance(step.seconds)
        if entered:  # what time did: `when 2 minutes pass` then `"s" passed through shutting-down`
            slots = {id(h): slot for slot, h in enumerate(self.handles) if h is not None}
            for handle, states in entered.items():
                slot = slots.get(id(handle))
                if slot is not None:
                    self.passed.setdefault(slot, []).extend(states)

    def _setting(self, step: ir.SetSetting) -> None:
        self.world.set_setting(step.setting, step.value)

    def _noop(self, step: ir.Noop) -> None:
        pass

    def _h(self, slot: int) -> Any:
        """The handle of ``slot``; a resource whose creation was refused has none."""
        h = self.handles[slot]
        if h is None:
            raise _ClaimFailed(f"{self.sc.slots[slot].label} does not exist: its creation was refused")
        return h

    # ---------------------------------------------------------------- claims
    def _label(self, slot: int) -> str:
        return self.sc.slots[slot].label

    def _observe(self, slot: int, attribute: str) -> Any:
        return self.world.observe(self._h(slot), attribute)

    def _why(self, slot: int, attribute: str) -> str:
        note = self.world.explain(self._h(slot), attribute)
        return f" ({note})" if note else ""

    def _state(self, step: ir.ClaimState) -> None:
        actual = self._observe(step.slot, step.attribute)
        holds = actual == step.value
        if holds == step.negated:
            who = self._label(step.slot)
            if step.attribute == "state":
                what = f"not {step.value}" if step.negated else step.value
                raise _ClaimFailed(f"{who} was expected to be {what} but is {actual}")
            if isinstance(step.value, bool):
                word = step.attribute
                raise _ClaimFailed(f"{who} was expected {'not ' if step.negated else ''}to be {word} but is {'' if actual else 'not '}{word}"
                                   + self._why(step.slot, step.attribute))
            raise _ClaimFailed(f"{who} was expected {'not ' if step.negated else ''}to be {step.value} but its {step.attribute} is {format_value(actual)}")

    def _attr(self, step: ir.ClaimAttr) -> None:
        actual = self._observe(step.slot, step.attribute)
        expected = step.value
        if isinstance(expected, ir.AttrValue):
            expected = self._observe(expected.slot, expected.attribute)
        try:
            holds = _OPS[step.op](actual, expected)
        except TypeError:
            holds = False
        if holds == step.negated and step.op in _TEXT_VERBS:
            raise _ClaimFailed(f"the {step.attribute} of {self._label(step.slot)} was expected {'not ' if step.negated else ''}to "
                               f"{_TEXT_VERBS[step.op]} \"{expected}\" but is " + (f'"{actual}"' if isinstance(actual, str) else format_value(actual))
                               + self._why(step.slot, step.attribute))
        if holds == step.negated:
            dim, unit = step.dimension, getattr(step, "unit", None)
            exp_text = format_value(expected, dim, unit)
            if isinstance(step.value, ir.AttrValue):
                exp_text = f"the {step.value.attribute} of {self._label(step.value.slot)} ({exp_text})"
            op = "" if step.op == "is" else f"{step.op} "
            raise _ClaimFailed(f"the {step.attribute} of {self._label(step.slot)} was expected {'not ' if step.negated else ''}to be "
                               f"{op}{exp_text} but is {format_value(actual, dim, unit, also_finer=True)}" + self._why(step.slot, step.attribute))

    def _has(self, step: ir.ClaimHas) -> None:
        actual = self._observe(step.slot, step.attribute)
        present = actual is not None and actual is not False
        if present == step.negated:
            who = self._label(step.slot)
            if step.negated:
                raise _ClaimFailed(f"{who} was expected to have no {step.attribute} but has {format_value(actual)}" + self._why(step.slot, step.attribute))
            raise _ClaimFailed(f"{who} was expected to have a {step.attribute} but has none")

    def _change(self, step: ir.ClaimChange) -> None:
        before = self.snapshots[ir.Probe("attribute", step.slot, step.attribute)]
        after = self._observe(step.slot, step.attribute)
        if (before != after) != step.changed:
            dim = step.dimension
            subject = f"the {step.attribute} of {self._label(step.slot)}"
            if step.changed:
                raise _ClaimFailed(f"{subject} was expected to change but stayed {format_value(after, dim)}" + self._why(step.slot, step.attribute))
            raise _ClaimFailed(f"{subject} was expected to stay {format_value(before, dim)} but changed to {format_value(after, dim)}"
                               + self._why(step.slot, step.attribute))

    def _exists(self, step: ir.ClaimExists) -> None:
        h = self.handles[step.slot]
        if (h is not None and self.world.exists(h)) == step.negated:
            who = self._label(step.slot)
            raise _ClaimFailed(f"{who} was expected {'not ' if step.negated else ''}to exist but it {'does' if step.negated else 'does not'}")

    def _passed(self, step: ir.ClaimPassed) -> None:
        seen = self.passed.get(step.slot, [])
        if step.state not in seen:
            shown = " → ".join(seen) if seen else "no state change"
            raise _ClaimFailed(f"{self._label(step.slot)} was expected to pass through {step.state} but went {shown}")

    def _relation(self, step: ir.ClaimRelation) -> None:
        holds = self.world.related(self._h(step.slot), step.relation, self._h(step.target))
        if holds == step.negated:
            a, b = self._label(step.slot), self._label(step.target)
            raise _ClaimFailed(f"{a} was expected {'not ' if step.negated else ''}to be {step.relation} {b} but it {'is' if holds else 'is not'}")

    def _retained(self, step: ir.ClaimRetained) -> None:
        existed, rels = self.snapshots[ir.Probe("retained", step.slot)]
        h = self._h(step.slot)
        if not self.world.exists(h):
            raise _ClaimFailed(f"{self._label(step.slot)} was expected to be retained but no longer exists")
        now = self.world.relations(h)
        if now != rels:
            def show(r):
                labels = {id(hh): self.sc.slots[i].label for i, hh in enumerate(self.handles) if hh is not None}
                return ", ".join(sorted(f"{n} {labels.get(id(t), '?')}" for n, t in r)) or "nothing"
            raise _ClaimFailed(f"{self._label(step.slot)} was expected to be retained but its relations changed from {show(rels)} to {show(now)}")

    def _outcome(self, step: ir.ClaimOutcome) -> None:
        refused = self.errors.get(step.group)
        if step.fails:
            if refused is None:
                raise _ClaimFailed("the when-steps were expected to fail" + (f" with {step.code}" if step.code else "") + " but they succeeded")
            rstep, exc = refused
            if step.code is not None and exc.code != step.code:
                raise _ClaimFailed(f"{_quote(rstep.text)} was expected to fail with {step.code} but failed with {exc.code}: {exc.detail}")
        elif refused is not None:
            rstep, exc = refused
            raise _ClaimFailed(f"{_quote(rstep.text)} was expected to succeed but was refused: {exc.code}: {exc.detail}")

    def _count(self, step: ir.ClaimCount) -> None:
        actual = self.world.count_related(step.kind, step.relation, self._h(step.target))
        holds = _OPS[step.op](actual, step.value)
        if holds == step.negated:
            raise _ClaimFailed(f"the number of {step.kind}s {step.relation} {self._label(step.target)} was expected to be "
                               f"{'not ' if step.negated else ''}{'' if step.op == 'is' else step.op + ' '}{format_value(step.value)} but is {actual}")


def _quote(text: str) -> str:
    return f"`{text}`"


_WHEN_TYPES = frozenset({ir.Create, ir.Act, ir.SetAttr, ir.Advance})
#: what the runner does for each kind of IR step, and how it checks each kind of claim
_DO: dict[type, Callable[[_Run, Any], None]] = {
    ir.Create: _Run._create,
    ir.Act: _Run._act,
    ir.SetAttr: _Run._set_attr,
    ir.Advance: _Run._advance,
    ir.SetSetting: _Run._setting,
    ir.Noop: _Run._noop,
}
#: claims that read the world now, so that re-observing them can change the verdict
_SETTLING = frozenset({ir.ClaimState, ir.ClaimAttr, ir.ClaimHas, ir.ClaimChange, ir.ClaimExists, ir.ClaimRelation,
                       ir.ClaimRetained, ir.ClaimCount})
_CHECK: dict[type, Callable[[_Run, Any], None]] = {
    ir.ClaimState: _Run._state,
    ir.ClaimAttr: _Run._attr,
    ir.ClaimHas: _Run._has,
    ir.ClaimChange: _Run._change,
    ir.ClaimExists: _Run._exists,
    ir.ClaimPassed: _Run._passed,
    ir.ClaimRelation: _Run._relation,
    ir.ClaimRetained: _Run._retained,
    ir.ClaimOutcome: _Run._outcome,
    ir.ClaimCount: _Run._count,
}
