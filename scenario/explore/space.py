"""What exploration may draw, read off the vocabulary as data, and the generator that draws it.

:class:`Space` holds the kinds both backends can express (their capability and
their creating action declared by both, not listed as unsupported by either),
their stable states, the attributes to set at creation with candidate values,
the actions with their targets, the settings with boundary values, and the
kinds a limit setting counts. :func:`draw` makes one program from a
``random.Random``.

Values come from the vocabulary (booleans, enumerations, presence) and from the
spec library when one is given (the values its specs write for each attribute,
and for numbers the ones just under and just over them); settings from their
defaults (at, just under, just over) and the library's values.
"""

from __future__ import annotations

import random
from typing import Any, Iterable

import attrs

from ..backend import BackendInfo
from ..errors import ConfigurationError
from ..vocabulary import Action, Attribute, Kind, Vocabulary
from .program import Act, Create, Given, Setting, Wait

__all__ = ["Space", "build_space", "draw", "harvest"]

MAX_COUNT = 12  # the most resources one `given N <kinds>` draws


def _allowed(cap: str | None, backends: tuple[BackendInfo, ...]) -> bool:
    return cap is None or all(cap in b.capabilities for b in backends)


def _unsupported(item: str, backends) -> bool:
    return any(item in b.unsupported for b in backends)


@attrs.define
class Space:
    vocab: Vocabulary
    kinds: dict[str, Kind]
    states: dict[str, tuple[str | None, ...]]  # kind → stable states a given may name (None: as created)
    params: dict[str, dict[str, tuple[Any, ...]]]  # kind → settable attribute → candidate values
    actions: dict[str, tuple]  # kind → actions (not creating)
    settings: dict[str, tuple[Any, ...]]  # setting → candidate values
    limits: dict[str, str]  # kind → the setting that limits how many there are
    observed: dict[str, tuple[Attribute, ...]]  # kind → attributes both backends may be asked for
    prefixes: dict[str, str]  # kind → the prefix of its resources' names
    clock: bool = False

    def describe(self) -> str:
        return ", ".join(sorted(self.kinds))


def services(vocab: Vocabulary) -> set[str]:
    return {k.capability for k in vocab.kinds.values() if k.capability}


def _prefix(kind: Kind, taken: set[str]) -> str:
    words = kind.name.split()
    for p in (words[0][0] if len(words) == 1 else "".join(w[0] for w in words), words[0][:3], kind.name.replace(" ", "")):
        if p not in taken:
            taken.add(p)
            return p
    return kind.name.replace(" ", "-")


def harvest(features: Iterable) -> tuple[dict, dict]:
    """The values a spec library writes: (kind, attribute) → values at creation, setting → values."""
    from .. import ir

    params: dict[tuple[str, str], set] = {}
    settings: dict[str, set] = {}
    for feature in features:
        for sc in feature.scenarios:
            for st in sc.steps:
                if isinstance(st, ir.Create):
                    for name, value in st.params:
                        if isinstance(value, (str, int, float, bool)):
                            params.setdefault((st.kind, name), set()).add(value)
                elif isinstance(st, ir.SetSetting) and isinstance(st.value, (str, int, float, bool)):
                    settings.setdefault(st.setting, set()).add(st.value)
    return params, settings


def _sorted(values) -> tuple:
    return tuple(sorted(values, key=lambda v: (type(v).__name__, v)))


def _number_values(found, attr_or_setting) -> tuple:
    out = set()
    for v in found:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        out.add(v)
        if getattr(attr_or_setting, "integer", True) and isinstance(v, int) or float(v).is_integer():
            step = 1
            if attr_or_setting.dimension == "duration" and v >= 60 and v % 60 == 0:
                step = 60  # just over 15 minutes is 16 minutes, not 901 seconds, unless a spec says 901
            out.update({int(v) - step, int(v) + step} - {-1, -60})
    return _sorted(out)


def _reachable(kind: Kind, state: str, backends: tuple[BackendInfo, ...]) -> bool:
    """Whether both backends can bring a new resource of ``kind`` to ``state``, action by action."""
    path = kind.path_to(state)
    return path is not None and all(
        _allowed(a.capability, backends) and not _unsupported(f"{kind.name}.{a.verb}", backends) for a in path)


def build_space(vocab: Vocabulary, backends: tuple[BackendInfo, ...], service: str | None = None,
                kinds: Iterable[str] | None = None, library: Iterable = ()) -> Space:
    """The search space both ``backends`` share, limited to ``service`` (a kind's capability) and ``kinds``."""
    shared = frozenset.intersection(*(b.capabilities for b in backends))
    if not shared:
        names = " and ".join(b.name for b in backends)
        raise ConfigurationError(f"{names} share no capability: there is nothing both can run")
    all_services = services(vocab)
    if service is not None and service not in all_services:
        raise ConfigurationError(f"unknown service {service!r}; services: {', '.join(sorted(all_services))}")
    wanted: set[str] | None = None
    if kinds:
        wanted = set()
        for phrase in kinds:
            named = vocab.kind(phrase.split())
            if named is None:
                raise ConfigurationError(f"unknown kind {phrase!r}; kinds: {', '.join(sorted(vocab.kinds))}")
            wanted.add(named[0].name)
    lib_params, lib_settings = harvest(library)
    chosen: dict[str, Kind] = {}
    for k in vocab.kinds.values():
        if k.implicit or k.creator is None:
            continue
        if service is not None and k.capability != service:
            continue
        if wanted is not None and k.name not in wanted:
            continue
        if not _allowed(k.capability, backends) or _unsupported(k.name, backends):
            continue
        c = k.creator
        if not _allowed(c.capability, backends) or _unsupported(f"{k.name}.{c.verb}", backends):
            continue
        chosen[k.name] = k
    if not chosen:
        where = f"service {service!r}" if service else "the kinds asked for"
        names = " and ".join(b.name for b in backends)
        raise ConfigurationError(f"{names} share no kind of {where} that both can create")
    states: dict[str, tuple[str | None, ...]] = {}
    params: dict[str, dict[str, tuple[Any, ...]]] = {}
    actions: dict[str, tuple[Action, ...]] = {}
    observed: dict[str, tuple[Attribute, ...]] = {}
    for k in chosen.values():
        states[k.name] = (None,) + tuple(
            st.name for st in k.states if st.stable and st.name != k.initial_state
            and _reachable(k, st.name, backends))
        p = {}
        for a in k.attributes:
            if not a.settable or not _allowed(a.capability, backends) or _unsupported(f"{k.name}.{a.name}", backends):
                continue
            found = lib_params.get((k.name, a.name), set())
            values: tuple[Any, ...]
            if a.choice == "presence" or a.type == "boolean":
                values = (True, False)
            elif a.type == "enum":
                values = a.values
            elif a.type in ("number", "quantity"):
                values = _number_values(found, a)
            else:
                values = _sorted(v for v in found if isinstance(v, str))
            if values:
                p[a.name] = tuple(values)
        params[k.name] = p
        actions[k.name] = tuple(
            a for a in k.actions if not a.creates and not a.makes and _allowed(a.capability, backends)
            and not _unsupported(f"{k.name}.{a.verb}", backends) and (a.target is None or a.target in chosen))
        observed[k.name] = tuple(
            a for a in k.attributes if _allowed(a.capability, backends) and not _unsupported(f"{k.name}.{a.name}", backends))
    settings: dict[str, tuple[Any, ...]] = {}
    limits: dict[str, str] = {}
    for s in vocab.settings.values():
        if not _allowed(s.capability, backends) or _unsupported(s.name, backends):
            continue
        hit = vocab.find_kind(s.name.split())
        if hit is None or hit[2].name not in chosen:
            continue
        if s.type == "boolean":
            values = (True, False)
        elif isinstance(s.default, (int, float)) and not isinstance(s.default, bool):
            values = _number_values(set(lib_settings.get(s.name, ())) | {s.default, 1}, s)
            if s.name.endswith("limit"):
                values = tuple(v for v in values if v >= 1)  # a limit of 0 says nothing a limit of 1 does not
        else:
            continue
        settings[s.name] = values
        if s.name.endswith("limit") and hit[0] == 0 and isinstance(s.default, int):
            limits[hit[2].name] = s.name
    taken: set[str] = set()
    prefixes = {name: _prefix(chosen[name], taken) for name in sorted(chosen, key=lambda n: (n != "instance", n))}
    return Space(vocab, chosen, states, params, actions, settings, limits, observed, prefixes,
                 clock=_allowed("clock", backends))


# ---------------------------------------------------------------- drawing


def _draw_params(rng: random.Random, space: Space, kind: str, most: int = 2, often: float = 0.5) -> tuple:
    choices = sorted(space.params[kind])
    if not choices or rng.random() >= often:
        return ()
    picked = rng.sample(choices, min(len(choices), rng.randint(1, most)))
    return tuple((name, rng.choice(space.params[kind][name])) for name in sorted(picked))


def _draw_relations(rng: random.Random, space: Space, kind: Kind, made: list[tuple[str, str]], given: bool) -> tuple:
    out = []
    for rel in kind.relations:
        if rel.target not in space.kinds or (rel.make is not None and not given):
            continue
        candidates = [n for n, k in made if k == rel.target]
        if candidates and rng.random() < (0.7 if rel.make is not None else 0.35):
            out.append((rel.name, rng.choice(candidates)))
            break  # one relation at most: a given that relates to two is rarely what a spec says
    return tuple(out)


def draw(rng: random.Random, space: Space, max_steps: int) -> tuple:
    """One program: a few givens (resources in any stable state, a setting, a count around a limit), then actions."""
    program: list = []
    made: list[tuple[str, str]] = []  # (name, kind) of named resources
    counters: dict[str, int] = {}
    kinds = sorted(space.kinds)
    limit_values = {s: space.vocab.settings[s].default for s in space.settings}
    budget = rng.randint(2, max(2, max_steps))

    def new_name(kind: str) -> str:
        counters[kind] = counters.get(kind, 0) + 1
        return f"{space.prefixes[kind]}{counters[kind]}"

    if space.settings and rng.random() < 0.2:
        name = rng.choice(sorted(space.settings))
        value = rng.choice(space.settings[name])
        program.append(Setting(name, value))
        limit_values[name] = value
    n_givens = rng.randint(1, max(1, min(3, budget - 1)))
    for _ in range(n_givens):
        kind = space.kinds[rng.choice(kinds)]
        limit = space.limits.get(kind.name)
        if limit is not None and rng.random() < 0.3 and isinstance(limit_values.get(limit), int):
            at = limit_values[limit]
            count = max(1, min(MAX_COUNT, rng.choice((at - 1, at, at + 1))))
            program.append(Given(kind.name, None, count, rng.choice(space.states[kind.name]) if rng.random() < 0.3 else None))
            continue
        targets = sorted({r.target for r in kind.relations if r.make is not None and r.target in space.kinds})
        if targets and len(program) < budget - 2 and rng.random() < 0.5:
            # what a resource relates to is made first, so that the relation can be given (an EIP and its instance)
            first = rng.choice(targets)
            if not any(k == first for _, k in made):
                tname = new_name(first)
                program.append(Given(first, tname, 1, rng.choice(space.states[first]),
                                     _draw_params(rng, space, first, often=0.25)))
                made.append((tname, first))
        name = new_name(kind.name)
        state = rng.choice(space.states[kind.name])
        program.append(Given(kind.name, name, 1, state, _draw_params(rng, space, kind.name, often=0.25),
                             _draw_relations(rng, space, kind, made, True)))
        made.append((name, kind.name))
    while len(program) < budget:
        r = rng.random()
        if r < 0.15 or not made:
            kind = space.kinds[rng.choice(kinds)]
            name = new_name(kind.name)
            program.append(Create(kind.name, name, _draw_params(rng, space, kind.name),
                                  _draw_relations(rng, space, kind, made, False)))
            made.append((name, kind.name))
            continue
        if r < 0.2 and space.clock:
            program.append(Wait(rng.choice((60, 300, 3600))))
            continue
        related = sorted({n for st in program if isinstance(st, (Given, Create)) and st.relations
                          for n in (st.name, *(t for _, t in st.relations)) if n is not None})
        if related and rng.random() < 0.5:  # a resource in a relation, or one it relates to: where rules interact
            subject = rng.choice(related)
            kind_name = dict(made)[subject]
        else:
            subject, kind_name = rng.choice(made)
        acts = space.actions.get(kind_name, ())
        if not acts:
            continue
        relating = [a for a in acts if a.target is not None]
        act = rng.choice(relating if relating and rng.random() < 0.4 else acts)
        target = None
        if act.target is not None:
            candidates = [n for n, k in made if k == act.target and n != subject]
            # a target other than the one the subject is already related to by this action (a remap) half the time
            already = {t for st in program if isinstance(st, Given) and st.name == subject for _, t in st.relations}
            others = [n for n in candidates if n not in already]
            if others and rng.random() < 0.5:
                candidates = others
            elif already and not others and len(program) <= budget - 2 and rng.random() < 0.5:
                # nothing else to relate it to: make one first (`when an instance "i2" is launched`)
                tname = new_name(act.target)
                program.append(Create(act.target, tname))
                made.append((tname, act.target))
                candidates = [tname]
            if candidates and (act.target_required or rng.random() < 0.5):
                target = rng.choice(candidates)
            elif act.target_required:
                continue
        params: tuple[tuple[str, Any], ...] = ()
        if act.params and rng.random() < 0.3:
            name = rng.choice(act.params)
            values = space.params.get(kind_name, {}).get(name)
            if values:
                params = ((name, rng.choice(values)),)
        program.append(Act(subject, act.verb, target, params))
    return tuple(program)
