"""Run a compiled program on one backend, observing after every step; compare two such runs.

A *line* is one step as written (a given that reaches a state is its creation
and the actions after it; `given 5 elastic ips` is five creations): it is run as
a unit, and after it every resource is observed through the backend contract the
runner's probes use (``exists``, ``observe``, ``relations``). A refusal is the
line's outcome (its AWS error code), never an error of the run.

Values random by nature on a backend (ids, auto-assigned addresses) are compared
by how they change — none, new, unchanged, changed — and which other observed
values they equal, not by value.
"""

from __future__ import annotations

import traceback
from typing import Any

import attrs

from .. import ir
from ..backend import BackendFault, BackendInfo, NotImplementedByBackend
from ..errors import BackendError
from ..vocabulary import Attribute

__all__ = ["Line", "Trace", "run_trace", "compare", "Difference", "is_random", "NA"]

#: words of an attribute whose value a backend picks at random: compared by how it changes
RANDOM_WORDS = frozenset({"id", "ipv4", "ipv6", "ip", "address", "arn", "host", "mac", "dns", "endpoint", "hostname"})
NA = ("n/a",)  # not observable on this backend (not implemented, or observing it was refused)
ABSENT = ("absent",)


def is_random(attr: Attribute) -> bool:
    if attr.type != "text":
        return False
    if attr.choice == "presence":
        return True
    return not attr.settable and bool(RANDOM_WORDS & set(attr.name.replace("-", " ").split()))


@attrs.define
class Line:
    """One line of the program on one backend."""

    number: int  # the source line
    steps: tuple  # its IR steps
    outcome: str = "ok"  # "ok", an AWS error code, "skipped" (a resource it needs was never made), "n/a"
    obs: dict = attrs.field(factory=dict)  # (slot, what) → value


@attrs.define
class Trace:
    backend: str
    lines: list[Line]
    fault: str | None = None  # a crash of the backend: what it raised, and where
    not_implemented: str | None = None
    calls: int = 0  # observations made


def _groups(scenario: ir.Scenario) -> list[tuple[int, tuple]]:
    out: list[tuple[int, list]] = []
    for st in scenario.steps:
        if not isinstance(st, (ir.Create, ir.Act, ir.Advance, ir.SetSetting)):
            continue
        if out and out[-1][0] == st.span.line:
            out[-1][1].append(st)
        else:
            out.append((st.span.line, [st]))
    return [(n, tuple(g)) for n, g in out]


def run_trace(scenario: ir.Scenario, backend: BackendInfo, watch: dict[str, tuple[Attribute, ...]],
              created_params: bool = True) -> Trace:
    """Run ``scenario``'s action steps on a fresh world of ``backend``, observing ``watch`` (kind → attributes) after each line."""
    trace = Trace(backend.name, [])
    try:
        world = backend.open_world()
    except Exception as exc:  # a backend that cannot open a world is at fault, not the program
        trace.fault = f"could not open a world: {type(exc).__name__}: {exc}"
        return trace
    handles: list[Any] = [None] * len(scenario.slots)
    params: dict[int, set[str]] = {}
    where = "opening"
    try:
        world.begin(f"explore::{scenario.name}")
        for number, steps in _groups(scenario):
            line = Line(number, steps)
            trace.lines.append(line)
            where = steps[0].text
            for st in steps:
                try:
                    if isinstance(st, ir.Create):
                        if any(handles[t] is None for _, t in st.relations):
                            line.outcome = "skipped"
                            break
                        handles[st.slot] = world.create(st.kind, scenario.slots[st.slot].full_label, dict(st.params),
                                                        [(r, handles[t]) for r, t in st.relations])
                        params[st.slot] = {n for n, _ in st.params}
                    elif isinstance(st, ir.Act):
                        if handles[st.slot] is None or (st.target is not None and handles[st.target] is None):
                            line.outcome = "skipped"
                            break
                        world.act(handles[st.slot], st.action, None if st.target is None else handles[st.target], dict(st.params))
                    elif isinstance(st, ir.Advance):
                        world.advance(st.seconds)
                    elif isinstance(st, ir.SetSetting):
                        world.set_setting(st.setting, st.value)
                except BackendError as exc:
                    line.outcome = exc.code or "refused"
                    break
            _observe(world, scenario, handles, watch, params if created_params else {}, line, trace,
                     _near(line, trace.lines[-2].obs if len(trace.lines) > 1 else None))
    except NotImplementedByBackend as exc:
        trace.not_implemented = exc.what
        if trace.lines:
            trace.lines[-1].outcome = "n/a"
    except BackendFault as exc:
        trace.fault = f"`{where}`: {exc}"
    except Exception as exc:  # a crash of the backend: its fault, reported with the program so far
        trace.fault = f"`{where}` raised {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"
    finally:
        try:
            world.close()
        except Exception as exc:  # a teardown that left something behind: the backend's fault too
            trace.fault = trace.fault or f"teardown failed: {exc}"
    return trace


def _near(line: Line, prev: dict | None) -> set[int] | None:
    """The slots a line can change: those it acts on or targets, and those related to them; None: all."""
    if prev is None or any(isinstance(st, (ir.Advance, ir.SetSetting)) for st in line.steps):
        return None
    subj, targ = subjects(line)
    near = subj | targ
    for k in prev:
        if k[1] == "rel" and (k[0] in near or k[3] in near):
            near |= {k[0], k[3]}
    return near


def _observe(world, scenario, handles, watch, params, line: Line, trace: Trace, near: set[int] | None = None) -> None:
    index = {id(h): i for i, h in enumerate(handles) if h is not None}
    prev = trace.lines[-2].obs if len(trace.lines) > 1 else {}
    for slot, h in enumerate(handles):
        if h is None:
            continue
        if near is not None and slot not in near:  # out of the line's reach: as it was
            line.obs.update({k: v for k, v in prev.items() if k[0] == slot})
            continue
        kind = scenario.slots[slot].kind
        trace.calls += 1
        alive = world.exists(h)
        line.obs[(slot, "exists")] = alive
        if not alive:
            continue
        attrs_ = watch.get(kind, ())
        extra = params.get(slot, set())
        for a in attrs_:
            if a.name == "exists":
                continue
            line.obs[(slot, "attr", a.name)] = _value(world, h, a.name, trace)
        for name in sorted(extra - {a.name for a in attrs_}):
            line.obs[(slot, "attr", name)] = _value(world, h, name, trace)
        trace.calls += 1
        try:
            rels = world.relations(h)
        except (NotImplementedByBackend, BackendError):
            continue
        targets = {}
        for rel, target in rels:
            t = index.get(id(target))
            if t is None:
                t = next((i for i, hh in enumerate(handles) if hh is not None and hh == target), None)
            if t is not None:
                targets[(slot, "rel", rel, t)] = True
        # every relation seen so far from this slot is observed, held or not
        line.obs.update(targets)


def _value(world, h, name, trace) -> Any:
    trace.calls += 1
    try:
        return world.observe(h, name)
    except (NotImplementedByBackend, BackendError):
        return NA


# ---------------------------------------------------------------- comparing two traces


@attrs.frozen
class Difference:
    """What two backends disagree on after one line."""

    line: int  # index into the lines
    key: tuple  # (slot, what…), or ("outcome",)
    a: Any
    b: Any


def _canon(trace: Trace, random_keys) -> list[dict]:
    """Per line, the observations with random values replaced by how they changed and what they equal."""
    out: list[dict] = []
    prev: dict[tuple, Any] = {}
    rels: set = set()
    for line in trace.lines:
        rels |= {k for k in line.obs if k[1] == "rel"}
        canon: dict[tuple, Any] = {}
        raw = dict(line.obs)
        for k in rels:  # a relation once seen and now gone is observed as not holding
            if raw.get((k[0], "exists")):
                raw.setdefault(k, False)
        for k, v in raw.items():
            if k in random_keys and v is not NA:
                if v is None:
                    canon[k] = ("none",)
                else:
                    status = "new" if k not in prev else ("same" if prev[k] == v else "changed")
                    equal = frozenset(o for o, w in raw.items() if o != k and o in random_keys and w == v)
                    canon[k] = (status, equal)
            else:
                canon[k] = v
        prev = raw
        out.append(canon)
    return out


def compare(ta: Trace, tb: Trace, random_attrs: set[tuple[str, str]], scenario: ir.Scenario) -> list[list[Difference]]:
    """For each line both traces reached, the differences that arise there (not those carried from before)."""
    keys: set[tuple] = set()
    for t in (ta, tb):
        for line in t.lines:
            keys.update(k for k in line.obs if k[1] == "attr" and (scenario.slots[k[0]].kind, k[2]) in random_attrs)
    ca, cb = _canon(ta, keys), _canon(tb, keys)
    n = min(len(t.lines) - (1 if t.fault or t.not_implemented else 0) for t in (ta, tb))  # a crash's line says nothing
    for i in range(n):  # a step a backend does not implement ends the comparison: nothing after it is comparable
        if "n/a" in (ta.lines[i].outcome, tb.lines[i].outcome):
            n = i
            break
    out: list[list[Difference]] = []
    before: dict = {}
    for i in range(n):
        la, lb = ta.lines[i], tb.lines[i]
        found = []
        now = {}
        if la.outcome != lb.outcome and not {"n/a", "skipped"} & {la.outcome, lb.outcome}:
            found.append(Difference(i, ("outcome",), la.outcome, lb.outcome))
        for k in sorted(set(ca[i]) | set(cb[i]), key=repr):
            va, vb = ca[i].get(k, ABSENT), cb[i].get(k, ABSENT)
            if va is NA or vb is NA or va == NA or vb == NA:
                continue
            if ABSENT in (va, vb):
                if k[1] != "rel":
                    continue  # made on one backend only: its outcome says so
                va = False if va is ABSENT else va
                vb = False if vb is ABSENT else vb
            if va != vb:
                now[k] = (va, vb)
                if before.get(k) != (va, vb) and k not in before:
                    found.append(Difference(i, k, va, vb))
        before = now
        out.append(found)
    return out


# ---------------------------------------------------------------- what a difference is about


def _form_of(st, scenario: ir.Scenario, state_before) -> tuple:
    if isinstance(st, ir.Create):
        names = tuple(sorted(n for n, _ in st.params))
        rels = tuple(sorted(r for r, _ in st.relations))
        return ("given" if st.setup else "create", st.kind, names, rels)
    if isinstance(st, ir.Act):
        target = None if st.target is None else scenario.slots[st.target].kind
        return ("act", scenario.slots[st.slot].kind, st.action, state_before(st.slot), target,
                tuple(sorted(n for n, _ in st.params)))
    if isinstance(st, ir.SetSetting):
        return ("setting", st.setting)
    return ("wait",)


def step_form(trace: Trace, i: int, scenario: ir.Scenario) -> tuple:
    """The form of line ``i``: what kind of step it is, on what kind, from what state (as ``trace`` saw it)."""
    prev = trace.lines[i - 1].obs if i > 0 else {}

    def state_before(slot):
        if prev.get((slot, "exists")) is False:
            return "deleted"
        return prev.get((slot, "attr", "state"))

    line = trace.lines[i]
    forms: list[tuple] = []
    for st in line.steps:
        f = _form_of(st, scenario, state_before)
        if isinstance(st, ir.Act) and st.setup and forms and forms[-1][0] == "given":
            forms[-1] = forms[-1] + (st.action,)  # `given a stopped instance`: launched, then stopped
            continue
        if forms and f == forms[-1]:
            continue  # `given 5 elastic ips`
        forms.append(f)
    if sum(1 for st in line.steps if isinstance(st, ir.Create)) > 1:
        forms[0] = forms[0] + ("many",)
    return tuple(forms)


def subjects(line: Line) -> tuple[set[int], set[int]]:
    """The slots a line acts on or creates, and the slots it targets."""
    subj: set[int] = set()
    targ: set[int] = set()
    for st in line.steps:
        if isinstance(st, ir.Create):
            subj.add(st.slot)
            targ.update(t for _, t in st.relations)
        elif isinstance(st, ir.Act):
            subj.add(st.slot)
            if st.target is not None:
                targ.add(st.target)
    return subj, targ


def _shape(v) -> Any:
    if isinstance(v, tuple) and v and v[0] in ("none", "new", "same", "changed"):
        return v[0]
    return v


def diff_key(d: Difference, line: Line, scenario: ir.Scenario) -> tuple:
    """A difference said of kinds, not of names: the same disagreement in two programs has the same key."""
    if d.key == ("outcome",):
        return ("outcome", d.a, d.b)
    slot = d.key[0]
    subj, targ = subjects(line)
    role = "subject" if slot in subj else "target" if slot in targ else "other"
    kind = scenario.slots[slot].kind
    what = d.key[1]
    if what == "exists":
        return ("exists", role, kind, d.a, d.b)
    if what == "rel":
        return ("relation", role, kind, d.key[2], scenario.slots[d.key[3]].kind, d.a, d.b)
    name = d.key[2]
    if name == "state":
        return ("state", role, kind, d.a, d.b)
    sa, sb = _shape(d.a), _shape(d.b)
    if isinstance(d.a, tuple) and isinstance(d.b, tuple):  # random values: how they changed, and whether equalities differ
        return ("attribute", role, kind, name, sa, sb if sa != sb else "equal to another")
    return ("attribute", role, kind, name)


_ORDER = {"outcome": 0, "exists": 1, "state": 2, "relation": 3, "attribute": 4}


def key_order(key: tuple) -> tuple:
    return (_ORDER[key[0]], {"subject": 0, "target": 1, "other": 2}.get(key[1], 0), repr(key))
