"""The vocabulary: the words a spec may use, contributed by plugins as data.

A plugin's ``scn_vocabulary()`` hook returns a list of :class:`Kind` and
:class:`Setting` objects. :class:`Vocabulary` merges them, checks them eagerly
(a phrase may not contain a function word of the grammar; names must not clash)
and answers the compiler's questions by longest match.

Units: a quantity attribute has a ``dimension`` (duration, size, percent); its
values travel between compiler, runner and backends in the base unit of that
dimension (seconds, bytes, percent).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterable, Sequence

import attrs

from .errors import ConfigurationError

__all__ = [
    "Action",
    "Attribute",
    "Kind",
    "Relation",
    "Setting",
    "State",
    "Vocabulary",
    "FUNCTION_WORDS",
    "UNITS",
]

#: Words the grammar reserves; no vocabulary phrase may contain one.
FUNCTION_WORDS = frozenset(
    """a an the it is are not no has have of with in into to from and but on for by
    given when then fails fail succeeds succeed changes change unchanged retained passed through
    exists exist does do equals equal none true false pass passes""".split()
)

#: unit → (dimension, factor to the base unit; a Fraction for a unit below it)
UNITS: dict[str, tuple[str, int | Fraction]] = {
    "ms": ("duration", Fraction(1, 1000)),
    "seconds": ("duration", 1),
    "minutes": ("duration", 60),
    "hours": ("duration", 3600),
    "days": ("duration", 86400),
    "weeks": ("duration", 604800),
    "years": ("duration", 31_536_000),  # AWS's own year: a Reserved Instance term of 1 year is 31,536,000 s
    "bytes": ("size", 1),
    "KB": ("size", 1024),
    "MB": ("size", 1024**2),
    "GB": ("size", 1024**3),
    "TB": ("size", 1024**4),
    "%": ("percent", 1),
}
BASE_UNIT = {"duration": "seconds", "size": "bytes", "percent": "%"}


def _tuple(x) -> tuple:
    if x is None:
        return ()
    if isinstance(x, str):
        return (x,)
    return tuple(x)


@attrs.frozen
class State:
    """A state of a kind; transitional states cannot be given, only passed through."""

    name: str
    stable: bool = True
    code: int | None = None  # AWS's numeric code, where AWS has one


@attrs.frozen
class Attribute:
    """Something observable about a resource.

    type: text, number, quantity, boolean or enum. A boolean that is ``settable``
    is an adjective (`an encrypted db instance`); the ``values`` of a settable enum
    are adjectives too (`a spread placement group`).

    choice: how a settable attribute is chosen at creation. ``"value"`` (the
    default): with a value, `with instance type "t3.micro"`. ``"presence"``: only
    whether it is there at all, `with a public ipv4` / `with no public ipv4`; its
    value is the backend's to pick.
    """

    name: str
    type: str = "text"
    dimension: str | None = None  # for quantities: duration, size, percent
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    values: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    settable: bool = False  # may be given at creation: `with timeout 30 seconds`
    integer: bool = True  # for number/quantity: a whole number of base units
    capability: str | None = None
    description: str = ""
    choice: str = attrs.field(default="value", validator=attrs.validators.in_(("value", "presence")))


@attrs.frozen
class Action:
    """Something done to a resource: verb and participle (`stop`, `stopped`).

    An action that ``creates`` makes its subject (`launched`, `allocated`); one
    that ``deletes`` removes it. ``result`` is the stable state it leads to and
    ``from_states`` the states it starts from, which is how a given state is
    reached (`a stopped instance` is launched, then stopped). ``target`` names the
    kind of the object it takes after ``preposition`` (`associated with "web"`).
    """

    verb: str
    participle: str
    creates: bool = False
    deletes: bool = False
    result: str | None = None
    from_states: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    target: str | None = None
    preposition: str | None = None
    target_required: bool = False
    params: tuple[str, ...] = attrs.field(default=(), converter=_tuple)  # attributes it accepts as clauses
    capability: str | None = None
    description: str = ""
    #: the kind of resource the action makes, related to its subject (`when "f" is invoked` makes a lambda
    #: invocation of "f", created by that kind's own creating action); None: it acts on its subject
    makes: str | None = None
    #: "up" or "down": it only raises or only lowers the attribute it takes (`extended`, `shortened`), so
    #: `when the retention period of "s" is set to 7 days` picks between them by the value it has then
    direction: str | None = attrs.field(default=None, validator=attrs.validators.in_((None, "up", "down")))


@attrs.frozen
class Relation:
    """A fact linking a resource to another: `associated with`, `attached to`, `in`.

    ``make`` is the action that establishes it after creation (None: only at
    creation, as a creation clause: `launched in placement group "pg"`).
    """

    participle: str  # may be "" for a bare preposition (`in`)
    preposition: str
    target: str  # kind
    make: str | None = None
    capability: str | None = None
    description: str = ""

    @property
    def name(self) -> str:
        return f"{self.participle} {self.preposition}".strip()


@attrs.frozen
class Kind:
    """A kind of resource, with everything that can be said of it."""

    name: str
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    plurals: tuple[str, ...] = attrs.field(default=(), converter=_tuple)  # irregular ones
    states: tuple[State, ...] = attrs.field(default=(), converter=_tuple)
    attributes: tuple[Attribute, ...] = attrs.field(default=(), converter=_tuple)
    actions: tuple[Action, ...] = attrs.field(default=(), converter=_tuple)
    relations: tuple[Relation, ...] = attrs.field(default=(), converter=_tuple)
    capability: str | None = None  # needed by any use of the kind
    implicit: bool = False  # exists in every world (`a default vpc`): given is a no-op
    description: str = ""
    service: str = ""  # the AWS service it belongs to, as `scn vocab <service>` names it (lambda, api-gateway, …)

    def state(self, name: str) -> State | None:
        for st in self.states:
            if st.name == name:
                return st
        return None

    @property
    def creator(self) -> Action | None:
        for a in self.actions:
            if a.creates:
                return a
        return None

    @property
    def initial_state(self) -> str | None:
        c = self.creator
        return c.result if c else None

    def changers(self, attribute: str) -> tuple[Action, ...]:
        """The actions that change ``attribute`` of a resource that exists: the kind's own (`modified`,
        `extended`), not its creation, not an injected fault, not one that needs another resource."""
        found = tuple(a for a in self.actions if attribute in a.params and not a.creates and not a.makes
                      and not a.target_required and a.capability != "faults")
        return found

    def path_to(self, state: str) -> tuple[Action, ...] | None:
        """The shortest sequence of actions from creation to ``state``."""
        start = self.initial_state
        if start == state:
            return ()
        frontier: list[tuple[str | None, tuple[Action, ...]]] = [(start, ())]
        seen = {start}
        while frontier:
            nxt: list[tuple[str | None, tuple[Action, ...]]] = []
            for cur, path in frontier:
                for a in self.actions:
                    if a.creates or a.deletes or a.result is None or cur not in a.from_states or a.target_required:
                        continue
                    if a.result == state:
                        return path + (a,)
                    if a.result not in seen:
                        seen.add(a.result)
                        nxt.append((a.result, path + (a,)))
            frontier = nxt
        return None


@attrs.frozen
class Setting:
    """A world setting, such as a soft limit: `given the elastic ip limit is 10`."""

    name: str
    type: str = "number"
    dimension: str | None = None
    default: Any = None
    capability: str | None = "limits"
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    description: str = ""
    integer: bool = True  # for number/quantity: a whole number of base units


def _norm(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().split())


class Vocabulary:
    """Every kind and setting, indexed for the compiler's longest-match look-ups."""

    def __init__(self, items: Iterable[Kind | Setting] = ()):
        self.kinds: dict[str, Kind] = {}
        self.settings: dict[str, Setting] = {}
        self._kind_index: dict[tuple[str, ...], tuple[Kind, bool]] = {}  # phrase → (kind, plural)
        self._setting_index: dict[tuple[str, ...], Setting] = {}
        self._attr_index: dict[str, dict[tuple[str, ...], Attribute]] = {}
        self._adjectives: dict[str, dict[tuple[str, ...], tuple[str, Any]]] = {}
        self._participles: dict[str, dict[tuple[str, ...], Action]] = {}
        self._max_kind = 1
        problems: list[str] = []
        for item in items:
            self._add(item, problems)
        if problems:
            raise ConfigurationError("the vocabulary is inconsistent:\n  " + "\n  ".join(problems))

    # ---------------------------------------------------------------- loading
    def _check_phrase(self, phrase: str, where: str, problems: list[str]):
        words = _norm(phrase)
        bad = [w for w in words if w in FUNCTION_WORDS]
        if not words:
            problems.append(f"{where}: an empty phrase")
        elif bad:
            problems.append(f"{where}: the phrase {phrase!r} contains the function word {bad[0]!r}")

    def _add(self, item, problems):
        if isinstance(item, Setting):
            for phrase in (item.name, *item.aliases):
                self._check_phrase(phrase, f"setting {item.name!r}", problems)
                self._setting_index[_norm(phrase)] = item
            self.settings[item.name] = item
            return
        if not isinstance(item, Kind):
            problems.append(f"not a Kind or Setting: {item!r}")
            return
        if item.name in self.kinds:
            problems.append(f"kind {item.name!r} is contributed twice")
            return
        self.kinds[item.name] = item
        names = (item.name, *item.aliases)
        for phrase in names:
            self._check_phrase(phrase, f"kind {item.name!r}", problems)
            self._index_kind(_norm(phrase), item, False, problems)
            words = _norm(phrase)
            self._index_kind(words[:-1] + (words[-1] + "s",), item, True, problems)
        for phrase in item.plurals:
            self._index_kind(_norm(phrase), item, True, problems)
        attrs_idx: dict[tuple[str, ...], Attribute] = {}
        adjs: dict[tuple[str, ...], tuple[str, Any]] = {}
        for st in item.states:
            self._check_phrase(st.name, f"state of {item.name!r}", problems)
            if st.stable:
                adjs[_norm(st.name)] = ("state", st.name)
        for a in item.attributes:
            for phrase in (a.name, *a.aliases):
                self._check_phrase(phrase, f"attribute of {item.name!r}", problems)
                attrs_idx[_norm(phrase)] = a
            if a.settable and a.type == "boolean":
                adjs[_norm(a.name)] = ("attribute", (a.name, True))
            if a.settable and a.type == "enum":
                for v in a.values:
                    adjs[_norm(v)] = ("attribute", (a.name, v))
        parts: dict[tuple[str, ...], Action] = {}
        for act in item.actions:
            self._check_phrase(act.participle, f"action of {item.name!r}", problems)
            parts[_norm(act.participle)] = act
        self._attr_index[item.name] = attrs_idx
        self._adjectives[item.name] = adjs
        self._participles[item.name] = parts

    def _index_kind(self, words, kind, plural, problems):
        prev = self._kind_index.get(words)
        if prev is not None and prev[0].name != kind.name:
            problems.append(f"the phrase {' '.join(words)!r} names both {prev[0].name!r} and {kind.name!r}")
            return
        if prev is None or not plural:
            self._kind_index[words] = (kind, plural)
        self._max_kind = max(self._max_kind, len(words))

    def check_references(self) -> None:
        """Every kind named by an action, relation or clause exists."""
        problems = []
        for k in self.kinds.values():
            for a in k.actions:
                if a.target and a.target not in self.kinds:
                    problems.append(f"action {a.verb!r} of {k.name!r} targets the unknown kind {a.target!r}")
            for r in k.relations:
                if r.target not in self.kinds:
                    problems.append(f"relation {r.name!r} of {k.name!r} targets the unknown kind {r.target!r}")
        if problems:
            raise ConfigurationError("the vocabulary is inconsistent:\n  " + "\n  ".join(problems))

    # ---------------------------------------------------------------- look-ups
    def kind(self, words: Sequence[str]) -> tuple[Kind, bool] | None:
        """The kind named exactly by ``words`` and whether it was plural."""
        return self._kind_index.get(tuple(w.lower() for w in words))

    def find_kind(self, words: Sequence[str]) -> tuple[int, int, Kind, bool] | None:
        """The longest kind phrase inside ``words``, the rightmost on a tie: (start, stop, kind, plural)."""
        low = tuple(w.lower() for w in words)
        n = len(low)
        for size in range(min(self._max_kind, n), 0, -1):
            for start in range(n - size, -1, -1):
                hit = self._kind_index.get(low[start : start + size])
                if hit:
                    return start, start + size, hit[0], hit[1]
        return None

    def attribute(self, kind: Kind, words: Sequence[str]) -> Attribute | None:
        return self._attr_index[kind.name].get(tuple(w.lower() for w in words))

    def adjectives(self, kind: Kind, words: Sequence[str]) -> list[tuple[str, Any]] | None:
        """Split ``words`` into adjectives of ``kind`` by longest match; None if one is unknown."""
        idx = self._adjectives[kind.name]
        low = tuple(w.lower() for w in words)
        out, i = [], 0
        while i < len(low):
            for j in range(len(low), i, -1):
                hit = idx.get(low[i:j])
                if hit:
                    out.append(hit)
                    i = j
                    break
            else:
                return None
        return out

    def action(self, kind: Kind, words: Sequence[str]) -> Action | None:
        return self._participles[kind.name].get(tuple(w.lower() for w in words))

    def relation(self, kind: Kind, participle: Sequence[str], preposition: str, target: str | None = None) -> Relation | None:
        """The relation of ``kind`` said with these words; the one to ``target``'s kind first, when given."""
        part = " ".join(w.lower() for w in participle)
        found = [r for r in kind.relations if r.participle == part and r.preposition == preposition]
        return next((r for r in found if r.target == target), found[0] if found else None)

    def setting(self, words: Sequence[str]) -> Setting | None:
        return self._setting_index.get(tuple(w.lower() for w in words))

    # ---------------------------------------------------------------- for suggestions
    def kind_phrases(self) -> list[str]:
        return [" ".join(k) for k in self._kind_index]

    def attribute_phrases(self, kind: Kind | None = None) -> list[str]:
        kinds = [kind] if kind else list(self.kinds.values())
        return [" ".join(p) for k in kinds for p in self._attr_index[k.name]]

    def adjective_phrases(self, kind: Kind) -> list[str]:
        return [" ".join(p) for p in self._adjectives[kind.name]]

    def participles(self, kind: Kind) -> list[str]:
        return [" ".join(p) for p in self._participles[kind.name]]

    def setting_phrases(self) -> list[str]:
        return [" ".join(p) for p in self._setting_index]

    def fingerprint(self) -> str:
        """A hash of the whole vocabulary, for the compiled-spec cache (computed once)."""
        cached = getattr(self, "_fingerprint", None)
        if cached is not None:
            return cached
        import hashlib

        h = hashlib.sha256()
        for k in sorted(self.kinds):
            h.update(repr(self.kinds[k]).encode())
        for k in sorted(self.settings):
            h.update(repr(self.settings[k]).encode())
        self._fingerprint = h.hexdigest()[:16]
        return self._fingerprint


# ---------------------------------------------------------------- examples a person would write

#: a value for a quantity attribute, by a word of its name: what AWS's own examples use
_QUANTITY_EXAMPLES = (
    ("retention", "7 days"), ("timeout", "30 seconds"), ("run time", "2 seconds"), ("duration", "2 seconds"),
    ("memory", "512 MB"), ("storage", "100 GB"), ("cache size", "0.5 GB"), ("size", "1 MB"), ("term", "1 year"),
    ("age", "1 hour"), ("window", "30 minutes"), ("interval", "1 minute"), ("delay", "5 seconds"),
    ("transfer", "1 GB"),
)
_DIMENSION_EXAMPLES = {"duration": "1 hour", "size": "1 GB", "percent": "50%"}
#: a value for a text attribute, by its whole name, then by a word of it
_TEXT_EXAMPLES = {"instance type": '"t3.micro"', "instance class": '"db.t3.micro"', "storage type": '"gp3"',
                  "availability zone": '"us-east-1b"', "engine": '"mysql"', "backup window": '"03:00-04:00"',
                  "maintenance window": '"sun:05:00-sun:06:00"', "path": '"/orders"', "source ip": '"203.0.113.7"'}
_TEXT_WORDS = (("region", '"us-west-2"'), ("account", '"111122223333"'), ("name", '"orders"'))


def example_value(attr: Attribute) -> str:
    """A value of ``attr`` as a person writes it in a spec: `7 days`, `512 MB`, `"gp3"`, `true`, `2`."""
    name = attr.name.lower()
    if attr.type == "enum" and attr.values:
        return f'"{attr.values[0]}"'
    if attr.type == "boolean":
        return "true"
    if attr.type == "quantity":
        found = next((v for word, v in _QUANTITY_EXAMPLES if word in name and UNITS[_unit_of(v)][0] == attr.dimension), None)
        return found or _DIMENSION_EXAMPLES.get(attr.dimension or "", "1")
    if attr.type == "number":
        return "2"
    if name in _TEXT_EXAMPLES:
        return _TEXT_EXAMPLES[name]
    return next((v for word, v in _TEXT_WORDS if word in name), '"example"')


def _unit_of(quantity: str) -> str:
    unit = quantity.split()[-1] if " " in quantity else "%"
    return {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days", "year": "years"}.get(unit, unit)


def setting_sentence(kind: Kind, attr: Attribute, label: str) -> str | None:
    """The when-step that changes ``attr`` of a resource called ``label`` with the kind's own action, or None
    when no action changes it: `when "s" is extended with retention period 7 days`."""
    acts = kind.changers(attr.name)
    if not acts:
        return None
    return f"when {label} is {acts[0].participle} with {attr.name} {example_value(attr)}"


# ---------------------------------------------------------------- quantities in the unit a spec wrote

_SINGULAR = {"seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "weeks": "week", "years": "year",
             "bytes": "byte"}
#: the unit a value not whole in a larger one is shown in as well: `1.5 days (36 hours)`
_FINER = {"years": "days", "weeks": "days", "days": "hours", "hours": "minutes", "minutes": "seconds", "seconds": "ms",
          "TB": "GB", "GB": "MB", "MB": "KB", "KB": "bytes"}


def _amount(value: Fraction, unit: str) -> str:
    if value.denominator == 1:
        n = value.numerator
        text = f"{n:,}" if abs(n) >= 10_000 else str(n)
    else:
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    if unit == "%":
        return text + "%"
    name = _SINGULAR.get(unit, unit) if value == 1 else unit
    return f"{text} {name}"


def in_unit(value: int | float, unit: str, also_finer: bool = False) -> str:
    """A quantity held in its base unit, shown in ``unit`` as a spec wrote it: `7 days`; `1 day (24 hours)` with
    ``also_finer`` for days and years; `0.5 seconds (500 ms)` when it is not whole in ``unit``."""
    factor = UNITS[unit][1]
    exact = Fraction(value).limit_denominator(10**9) if isinstance(value, float) else Fraction(value)
    amount = exact / factor
    text = _amount(amount, unit)
    finer = _FINER.get(unit)
    if finer is not None and value != 0 and (amount.denominator != 1 or also_finer and unit in ("days", "years")):
        text += f" ({_amount(exact / UNITS[finer][1], finer)})"
    return text
