"""The reference world: one isolated, deterministic model of an AWS account.

The world keeps what every part of the model shares — ids, address pools,
settings, the virtual clock, the resources in creation order — and dispatches
everything else: creation to the service that registered the kind, actions and
observations to the resource itself (see :mod:`.model`).

Deterministic: ids count up from a per-world counter; public addresses come from
the documentation ranges (198.51.100.0/24 auto-assigned, 203.0.113.0/24 Elastic
IPs), private ones from the default VPC's 172.31.0.0/16: the default subnet of the
instance's zone (us-east-1a: 172.31.16.0/20, b: .32, c: .48, d: .64, e: .80, f: .0).
"""

from __future__ import annotations

import functools
import io
import pickle
import types
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

from scenario.backend import NotImplementedByBackend, World
from scenario.vocabulary import Setting

from .model import Resource
from .region import REGION_ZONES, ZONE
from .vocabulary import SERVICES, VOCABULARY

#: the third octet where each zone's default subnet begins: a new account's default VPC has one /20 per
#: Availability Zone (which /20 goes to which zone varies by account; this is the model's fixed choice)
SUBNET_OCTET = {zone: (16 * (i + 1)) % 96 for i, zone in enumerate(REGION_ZONES)}

DEFAULT_SETTINGS = {s.name: s.default for s in VOCABULARY if isinstance(s, Setting)}


#: where the services register their handlers (``install(world)``): the same in every world
REGISTRIES = ("creators", "readers", "counters", "actors", "listeners")


class ReferenceWorld(World):
    """One isolated world of the reference model.

    The services install themselves once per process, into a template world
    (:func:`_installed`): a new world starts as :meth:`_start` makes it, shares the
    handlers they registered (read-only), and gets a copy of its own of the state they set up —
    what installing them into it would have given. That copy is made service by
    service, on first use (:class:`_State`): a scenario of EC2 never pays for
    the state of RDS.
    """

    # the handlers the services registered: read-only mappings every world shares (a world that needs other
    # handlers sets a dict of its own; :meth:`on` does)
    creators: Mapping[str, Callable]
    readers: Mapping[tuple[str, str], Callable]
    counters: Mapping[tuple[str, str], Callable]
    #: (kind, verb) → function(world, resource, target, params): actions a part adds to a kind another defines
    actors: Mapping[tuple[str, str], Callable]
    #: event → its listeners, in the order they registered
    listeners: Mapping[str, tuple[Callable, ...]]
    #: where this world's state comes from, made on first use; None in the template and when the services
    #: install themselves into every world
    _source: _Installed | None = None

    def __init__(self) -> None:
        self._start()
        installed = _installed()
        if installed is None:  # a handler holds something of its own: every world installs the services anew
            for service in SERVICES:
                service.install(self)
            return
        self._source = installed
        for names in installed.eager:  # state the services set up in something _start makes: copied now
            self.__dict__.update(installed.state(self, names[0]))
        self.creators, self.readers, self.counters, self.actors, self.listeners = installed.registries

    def _start(self) -> None:
        """The world before the services install themselves."""
        self.counter = 0
        self.public_pool = 0
        self.eip_pool = 0
        self.private_pools: dict[str, int] = {}  # addresses handed out, per default subnet
        self.host_pool = 0
        self.now = 0.0  # the virtual clock, in seconds since the world opened
        self.settings: dict[str, Any] = dict(DEFAULT_SETTINGS)
        self.resources: list[Resource] = []
        self._by_kind: dict[str, list[Resource]] = {}
        self._indexed = 0  # resources[:_indexed] are in _by_kind
        self.creators = {}
        self.readers = {}
        self.counters = {}
        self.actors = {}
        self.listeners = {}

    # ---------------------------------------------------------------- shared services
    def on(self, event: str, listener: Callable) -> None:
        """Call ``listener(world, *args)`` on each ``emit(event, *args)``, after the listeners already there."""
        self.listeners = {**self.listeners, event: (*self.listeners.get(event, ()), listener)}

    def off(self, event: str, listener: Callable) -> None:
        """Stop calling ``listener`` on ``event``."""
        self.listeners = {**self.listeners, event: tuple(fn for fn in self.listeners[event] if fn is not listener)}

    def emit(self, event: str, *args: Any) -> None:
        """Tell the listeners of ``event``: its arguments go in the order :mod:`.model` lists them."""
        for listener in self.listeners.get(event, ()):
            listener(self, *args)

    def of_kind(self, kind: str) -> list[Resource]:
        """The resources of ``kind``, in creation order (indexed: parts ask often, with thousands of records)."""
        return list(self.of_kind_view(kind))

    def of_kind_view(self, kind: str) -> Sequence[Resource]:
        """:meth:`of_kind` without the copy, for a hot path that only reads it: the world's own index, which
        grows as resources of ``kind`` are made (so not for a loop that may make one)."""
        resources = self.resources
        if self._indexed < len(resources):  # resources are only ever appended, by the world or by a part
            for r in resources[self._indexed:]:
                self._by_kind.setdefault(r.kind, []).append(r)
            self._indexed = len(resources)
        return self._by_kind.get(kind, ())

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter:017x}"

    def new_public_ip(self) -> str:
        self.public_pool += 1
        return f"198.51.100.{(self.public_pool - 1) % 254 + 1}"

    def new_private_ip(self, zone: str = ZONE) -> str:
        """The next private address of the default subnet of ``zone`` (one /20 of 172.31.0.0/16 per zone)."""
        self.private_pools[zone] = used = self.private_pools.get(zone, 0) + 1
        n = used + 9  # .0-.3 and the last are reserved by AWS in every subnet
        return f"172.31.{SUBNET_OCTET[zone] + n // 256}.{n % 256}"

    def new_host(self) -> str:
        self.host_pool += 1
        return f"h-{self.host_pool:017x}"

    # ---------------------------------------------------------------- the World contract
    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        creator = self.creators.get(kind)
        if creator is None:
            raise NotImplementedByBackend(f"creating a {kind}")
        handle = creator(self, label, params, relations)
        self.resources.append(handle)
        if self._indexed == len(self.resources) - 1:  # of_kind's index was up to date: it stays so, at no scan
            self._by_kind.setdefault(handle.kind, []).append(handle)
            self._indexed += 1
        return handle

    def creation_states(self, handle: Any) -> Sequence[str]:
        return handle.creation_states(self) if isinstance(handle, Resource) else ()

    def act(self, handle: Any, action: str, target: Any | None, params: Mapping[str, Any]) -> Sequence[str]:
        return handle.act(self, action, target, params)

    def observe(self, handle: Any, attribute: str) -> Any:
        return handle.observe(self, attribute)

    def exists(self, handle: Any) -> bool:
        # a terminated instance stays visible, as on AWS; a refused creation left nothing
        return isinstance(handle, Resource) and handle.exists(self)

    def relations(self, handle: Any) -> frozenset:
        return handle.relations(self)

    def count_related(self, kind: str, relation: str, target: Any) -> int:
        count = self.counters.get((kind, relation))
        if count is None:
            raise NotImplementedByBackend(f"counting {kind}s {relation} something")
        return count(self, target)

    def explain(self, handle: Any, attribute: str) -> str | None:
        return handle.explain(self, attribute)

    def set_setting(self, name: str, value: Any) -> None:
        if name not in self.settings:
            raise NotImplementedByBackend(f"the setting {name!r}")
        self.settings[name] = value

    def advance(self, seconds: float) -> dict[Any, list[str]]:
        """Move the clock; the states resources entered meanwhile (a Spot reclaim, a failover), by handle."""
        entered: dict[Any, list[str]] = {}

        def record(world, instance, previous, state):
            entered.setdefault(instance, []).append(state)

        def record_other(world, resource, previous, state):
            entered.setdefault(resource, []).append(state)

        self.on("state", record)
        self.on("entered", record_other)
        try:
            start = self.now
            self.now = start + seconds
            self.emit("tick", start, self.now)
        finally:
            self.off("state", record)
            self.off("entered", record_other)
        return entered


class _Installed:
    """What the services' ``install`` put into a world: the handlers (the same for every world, shared read-only
    by each) and the state they set up, pickled once per group of names (a name alone, unless its state shares
    objects with another's: they are copied together); a world unpickles a group the first time it asks."""

    def __init__(self, template: ReferenceWorld, state: dict[str, Any], started: set[str]):
        #: creators, readers, counters, actors and listeners, as :data:`REGISTRIES` names them
        self.registries = tuple(MappingProxyType(dict(getattr(template, name))) for name in REGISTRIES)
        #: state name → (the names copied with it, their pickle, whether it refers to the world itself)
        self.groups: dict[str, tuple[tuple[str, ...], bytes, bool]] = {}
        for names in _sharing(template, state):
            pickled, refers = _pickled(template, {name: state[name] for name in names})
            self.groups.update((name, (names, pickled, refers)) for name in names)
        #: the groups of names _start makes too: a world must copy them at once, not on first use
        self.eager = sorted({self.groups[name][0] for name in state if name in started})

    def state(self, world: ReferenceWorld, name: str) -> dict[str, Any]:
        """A copy of the state of ``name`` (and of the names copied with it), its own to ``world``."""
        _names, pickled, refers = self.groups[name]
        if not refers:
            return pickle.loads(pickled)
        unpickler = pickle.Unpickler(io.BytesIO(pickled))
        unpickler.persistent_load = lambda pid: world  # type: ignore[method-assign]
        return unpickler.load()



def _pickled(template: ReferenceWorld, state: Any, seen: set[int] | None = None) -> tuple[bytes, bool]:
    """``state`` pickled, the template standing for the world; whether it refers to it. ``seen`` collects the
    ids of the objects it holds (but values and code)."""
    refers = False

    def persistent_id(obj: Any) -> str | None:
        nonlocal refers
        if obj is template:
            refers = True
            return "world"
        if seen is not None and not isinstance(obj, _ATOMIC):
            seen.add(id(obj))
        return None

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = persistent_id  # type: ignore[method-assign]
    pickler.dump(state)
    return buffer.getvalue(), refers


def _sharing(template: ReferenceWorld, state: dict[str, Any]) -> list[tuple[str, ...]]:
    """The names of ``state`` in groups: two names whose states hold one same object are in one group."""
    groups: list[tuple[set[str], set[int]]] = []
    for name, value in state.items():
        names = {name}
        held: set[int] = set()
        _pickled(template, value, held)  # (not in a dict of its own: its id would be the next one's)
        for group in [g for g in groups if g[1] & held]:
            groups.remove(group)
            names |= group[0]
            held |= group[1]
        groups.append((names, held))
    return [tuple(sorted(names)) for names, _held in groups]


class _State:
    """A name of the services' state, on the world class: the first time a world asks for it, the world gets
    its own copy (with whatever shares objects with it), kept in the world's ``__dict__``, where every later
    look-up finds it first."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, world: ReferenceWorld | None, owner: type) -> Any:
        if world is None:
            return self
        source = world._source
        if source is None:  # the template, or a world its services install themselves into: not set up yet
            raise AttributeError(f"{owner.__name__!r} object has no attribute {self.name!r}")
        own = world.__dict__
        for key, value in source.state(world, self.name).items():
            own.setdefault(key, value)  # (but a name the world has set itself)
        return own[self.name]


#: what a handler may hold besides code: constants, functions, modules, classes — nothing of a world's own
_SHAREABLE = (type(None), bool, int, float, complex, str, bytes, frozenset, types.FunctionType,
              types.BuiltinFunctionType, types.ModuleType, type)

#: objects whose identity two states may share without sharing anything: values and code (and tuples and
#: ranges: what a tuple holds is looked at on its own)
_ATOMIC = _SHAREABLE + (tuple, range)


def _holds_state(fn: Any) -> bool:
    """Whether a registered handler carries objects of its own (a bound method, a closure over a list, a
    partial over a store): shared between worlds, they would carry one world's state into the next."""
    if isinstance(fn, types.BuiltinFunctionType):  # len; but not [].append, bound to its list
        return not isinstance(getattr(fn, "__self__", None), (type(None), types.ModuleType))
    if not isinstance(fn, types.FunctionType):
        return True
    held = [c.cell_contents for c in fn.__closure__ or ()] + list(fn.__defaults__ or ()) \
        + list((fn.__kwdefaults__ or {}).values())
    return any(not isinstance(v, _SHAREABLE) or (isinstance(v, types.FunctionType) and _holds_state(v)) for v in held)


@functools.lru_cache(maxsize=1)
def _installed() -> _Installed | None:
    """The services installed once, into a template world; None when that cannot stand for every world (a
    handler holds state of its own, or the state does not pickle): each world then installs them itself."""
    template = ReferenceWorld.__new__(ReferenceWorld)
    template._start()
    for service in SERVICES:
        service.install(template)
    handlers = [*template.creators.values(), *template.readers.values(), *template.counters.values(),
                *template.actors.values(), *(fn for fns in template.listeners.values() for fn in fns)]
    if any(_holds_state(fn) for fn in handlers):
        return None
    untouched = ReferenceWorld.__new__(ReferenceWorld)
    untouched._start()
    before = vars(untouched)
    # what the services set up or changed; what they left as _start makes it, each world makes for itself
    state = {k: v for k, v in vars(template).items()
             if k not in REGISTRIES and (k not in before or type(v) is not type(before[k]) or v != before[k])}
    try:
        installed = _Installed(template, state, set(before))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    for name in installed.groups:
        setattr(ReferenceWorld, name, _State(name))
    return installed
