"""The IR: what the compiler makes of a spec and the runner executes.

Frozen attrs classes; the first field of every node is its :class:`SourceSpan`.
Resources are not names here but *slots*: indices into ``Scenario.slots``, fixed
at compile time, which the runner binds to a backend's handles. Values are in
the base unit of their dimension (seconds, bytes, percent).
"""

from __future__ import annotations

import copyreg
import operator
from typing import Any, Iterable

import attrs

from .errors import InternalError, SourceSpan

__all__ = [
    "Act", "Advance", "ClaimAttr", "ClaimChange", "ClaimCount", "ClaimExists",
    "ClaimHas", "ClaimOutcome", "ClaimPassed", "ClaimRelation", "ClaimRetained",
    "ClaimState", "Create", "Feature", "Noop", "Probe", "Scenario", "SetAttr", "SetSetting",
    "Slot", "Step", "Tag", "AttrValue", "named_backends",
]


def _tuple(x):
    return tuple(x)


@attrs.frozen
class Tag:
    """`@name(args)` as written; inherited downward."""

    span: SourceSpan
    name: str
    args: tuple[str, ...] = attrs.field(converter=_tuple, default=())


@attrs.frozen
class Slot:
    """A resource of the scenario: its kind and how it is shown."""

    kind: str
    name: str | None  # the quoted name, if any
    number: int  # n in `instance #n`, counted per kind in order of creation

    @property
    def label(self) -> str:
        """How a claim names it: `"web"` or `instance #1`."""
        return f'"{self.name}"' if self.name is not None else f"{self.kind} #{self.number}"

    @property
    def full_label(self) -> str:
        """With its kind: `instance "web"` or `instance #1`."""
        return f'{self.kind} "{self.name}"' if self.name is not None else f"{self.kind} #{self.number}"


@attrs.frozen
class Step:
    """Base of all steps: where it is written, and what it says."""

    span: SourceSpan
    keyword: str  # given, when, then, and, but — as written, lower case
    text: str  # the whole step line, stripped
    group: int  # index of the when-group it belongs to or speaks of; -1 before any


# ---------------------------------------------------------------- arrange and act


@attrs.frozen
class Noop(Step):
    """`given a default vpc`: documents a default of every world."""


@attrs.frozen
class SetSetting(Step):
    setting: str
    value: Any


@attrs.frozen
class Create(Step):
    """Create a resource into ``slot`` with the kind's creating action."""

    slot: int
    kind: str
    action: str  # the creating verb: launch, allocate, create
    params: tuple[tuple[str, Any], ...] = attrs.field(converter=_tuple)
    relations: tuple[tuple[str, int], ...] = attrs.field(converter=_tuple)  # established at creation
    setup: bool = True  # a given (failure is an error) or a when (failure is captured)


@attrs.frozen
class Act(Step):
    """Do ``action`` to ``slot`` (optionally with a target resource)."""

    slot: int
    action: str
    target: int | None
    params: tuple[tuple[str, Any], ...] = attrs.field(converter=_tuple)
    setup: bool = False  # True: part of reaching a given state


@attrs.frozen
class SetAttr(Step):
    """`when the retention period of "s" is set to 7 days`, where the kind changes it with one of several
    actions by direction (`extended` raises it, `shortened` lowers it): the runner reads the value then and
    does the action that goes that way."""

    slot: int
    attribute: str
    value: Any
    actions: tuple[tuple[str, str], ...] = attrs.field(converter=_tuple)  # (verb, "up" or "down")


@attrs.frozen
class Advance(Step):
    """`when 2 minutes pass`: the virtual clock moves."""

    seconds: float


# ---------------------------------------------------------------- claims


@attrs.frozen
class AttrValue:
    """``the <attribute> of <slot>`` used as the expected value."""

    slot: int
    attribute: str


@attrs.frozen
class ClaimState(Step):
    """`"web" is running`, `"web" is not billed` (a boolean attribute), `"pg" is spread`."""

    slot: int
    attribute: str  # "state", or a boolean / enum attribute
    value: Any
    negated: bool


@attrs.frozen
class ClaimAttr(Step):
    """`the <attribute> of <slot> <op> <value>`; op is is, at least, at most, greater than, less than."""

    slot: int
    attribute: str
    op: str
    value: Any  # a value, or an AttrValue
    negated: bool
    dimension: str | None  # for display
    unit: str | None = None  # the unit the claim was written in (`7 days`): a failure shows both values in it


@attrs.frozen
class ClaimHas(Step):
    """`"web" has a public ipv4` / `has no public ipv4`."""

    slot: int
    attribute: str
    negated: bool


@attrs.frozen
class ClaimChange(Step):
    """`the <attribute> of <slot> changes` / `is unchanged`, against the snapshot."""

    slot: int
    attribute: str
    changed: bool
    dimension: str | None


@attrs.frozen
class ClaimExists(Step):
    slot: int
    negated: bool


@attrs.frozen
class ClaimPassed(Step):
    """`"web" passed through stopping`, during when-group ``group``."""

    slot: int
    state: str


@attrs.frozen
class ClaimRelation(Step):
    """`"eip" is associated with "web"`."""

    slot: int
    relation: str
    target: int
    negated: bool


@attrs.frozen
class ClaimRetained(Step):
    """`EIP is retained`: still exists and its relations are as before the when-group."""

    slot: int


@attrs.frozen
class ClaimOutcome(Step):
    """`it fails [with "Code"]` / `it succeeds`, about when-group ``group``."""

    fails: bool
    code: str | None


@attrs.frozen
class ClaimCount(Step):
    """`the number of <kind> <relation> <slot> <op> <value>`."""

    kind: str
    relation: str
    target: int
    op: str
    value: Any
    negated: bool


@attrs.frozen
class Probe:
    """What the runner observes just before a when-group, for claims after it."""

    what: str  # "attribute" or "retained"
    slot: int
    attribute: str | None = None


# ---------------------------------------------------------------- scenario and feature


@attrs.frozen
class Scenario:
    """One runnable scenario (one row of an outline), background steps included."""

    span: SourceSpan
    name: str
    feature: str
    rule: str | None
    row_id: str | None  # the examples row's cells joined by -, for outlines
    tags: tuple[Tag, ...] = attrs.field(converter=_tuple)
    slots: tuple[Slot, ...] = attrs.field(converter=_tuple)
    steps: tuple[Step, ...] = attrs.field(converter=_tuple)
    probes: tuple[tuple[Probe, ...], ...] = attrs.field(converter=_tuple)  # per when-group
    captured: frozenset[int] = frozenset()  # when-groups whose rejection a claim captures
    needs: frozenset[str] = frozenset()  # capabilities
    facts: tuple[str, ...] = attrs.field(converter=_tuple, default=())
    only: tuple[str, ...] = attrs.field(converter=_tuple, default=())  # backends; empty: all
    diverges: tuple[tuple[str, str], ...] = attrs.field(converter=_tuple, default=())  # (backend, why)
    headers: tuple[tuple[int, str], ...] = attrs.field(converter=_tuple, default=())  # (line, text) of background and scenario headers

    def __attrs_post_init__(self):
        for st in self.steps:
            for field in ("slot", "target"):
                v = getattr(st, field, None)
                if isinstance(v, int) and not 0 <= v < len(self.slots):
                    raise InternalError(f"{st.span}: step refers to slot {v} of {len(self.slots)}")

    @property
    def source(self) -> list[tuple[int, str]]:
        """The scenario as written (outline rows substituted): (line, text), in file order."""
        seen = {}
        for line, text in self.headers:
            seen[line] = text
        for st in self.steps:
            seen.setdefault(st.span.line, st.text)
        return sorted(seen.items())

    @property
    def title(self) -> str:
        return f"{self.name}[{self.row_id}]" if self.row_id is not None else self.name

    def divergence(self, backend: str) -> str | None:
        for b, why in self.diverges:
            if b == backend:
                return why
        return None


@attrs.frozen
class Feature:
    """One compiled .scn file."""

    span: SourceSpan
    name: str
    description: tuple[str, ...] = attrs.field(converter=_tuple)
    tags: tuple[Tag, ...] = attrs.field(converter=_tuple)
    scenarios: tuple[Scenario, ...] = attrs.field(converter=_tuple)


#: class → how to read its fields in order (:func:`_reduce`), or None where ``__init__`` does not take them so
_GETTERS: dict[type, operator.attrgetter | None] = {}


def _reduce(self: Any) -> tuple:
    """Pickle an IR node as a call of its class with its fields in order, rather than through attrs'
    ``__getstate__``/``__setstate__``: the values are read at C speed (:func:`operator.attrgetter`) and set by the
    generated ``__init__`` (converters and checks included: they hold for what they made) rather than by a loop of
    ``object.__setattr__``; a compiled spec pickles a quarter smaller and a third faster, both ways."""
    cls = self.__class__
    try:
        get = _GETTERS[cls]
    except KeyError:
        fields = attrs.fields(cls)
        positional = len(fields) > 1 and all(a.init and not a.kw_only and a.alias == a.name for a in fields)
        get = _GETTERS[cls] = operator.attrgetter(*(a.name for a in fields)) if positional else None
    if get is None:  # a subclass whose __init__ takes other arguments (or one field): as object.__reduce_ex__ does
        return copyreg.__newobj__, (cls,), self.__getstate__()  # type: ignore[attr-defined]
    return cls, get(self)  # (more than one name: attrgetter gives a tuple)


for _cls in (Tag, Slot, Step, AttrValue, Probe, Scenario, Feature):  # the steps inherit it from Step
    _cls.__reduce__ = _reduce  # type: ignore[assignment,method-assign]
del _cls


def named_backends(feature: Feature) -> list[tuple[str, str, str]]:
    """Every backend a tag names: (where, tag, backend), once each."""
    return named_backends_of(feature.scenarios)


def named_backends_of(scenarios: Iterable[Scenario]) -> list[tuple[str, str, str]]:
    """Every backend a tag of these scenarios names: (where, tag, backend), once each."""
    out = []
    for sc in scenarios:
        for tag in sc.tags:
            if tag.name == "only":
                wanted = tag.args
            elif tag.name == "diverges" and tag.args:
                wanted = tag.args[:1]
            else:
                continue
            for name in wanted:
                item = (str(tag.span), tag.name, name)
                if item not in out:
                    out.append(item)
    return out
