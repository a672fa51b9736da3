"""The boto3 adapter: scn's vocabulary as AWS API calls, and the answers back.

One :class:`Boto3World` is one scenario's world on an AWS-compatible endpoint: the
``moto`` backend builds it over an in-process mock, the ``aws`` backend over a real
session. Everything that differs between the two is in :class:`Options` and in the
:class:`Clients` given; the mapping itself is shared, one module per service in
:mod:`.services` (see its docstring for how to add one). This module is the
machinery the services share:

- dispatch: each vocabulary call goes to the :class:`~.services.KindMap` of the
  handle's kind; a kind, action, attribute, relation or clause no service maps
  raises ``NotImplementedByBackend`` naming the item (`the host of an instance`),
  so a spec using it is ``not implemented``;
- :meth:`Boto3World.call`: every boto3 call goes through :func:`.errors.boundary`
  (a refusal is a ``BackendError`` with AWS's code; an operation the backend lacks
  is ``NotImplementedByBackend``, never a crash or a failed claim) and is recorded
  in the world's transcript (:meth:`Boto3World.transcript`, secrets masked);
- waiting: ``create`` / ``act`` wait until the resource is stable, polling as
  boto3's waiters do (``Options.poll`` seconds apart, at most ``Options.timeout``),
  and return every state seen on the way, the stable one last;
- handles, tags and names, settings, and the record of what was created (teardown).
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any, Callable, Collection, Mapping, Sequence

import attrs

from scenario.backend import BackendFault, NotImplementedByBackend, World
from scenario.errors import BackendError

from .errors import BackendNotImplemented, boundary
from .transcript import Call

__all__ = ["Boto3World", "Clients", "Handle", "Options", "StuckResource", "a_noun",
           "api_name"]


class StuckResource(BackendFault, TimeoutError):
    """A resource stayed in a transitional state past the longest wait: an ``error`` outcome naming it."""


def a_noun(noun: str) -> str:
    """``an instance``, ``a db instance``."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


_a = a_noun


def api_name(method: str) -> str:
    """``run_instances`` → ``RunInstances``: the operation's name in AWS's API reference."""
    return "".join(part.capitalize() for part in method.split("_"))


_api_name = api_name




@attrs.define(eq=False, repr=False)
class Handle:
    """A resource of a boto3 world: its kind, AWS id and scn label.

    ``refs`` holds other identifiers the API needs to address it (an ARN, a parent's
    id, a region): identifiers only, never state, which is always read back.
    """

    kind: str
    id: str
    label: str
    creation_states: tuple[str, ...] = ()
    released: bool = False  # deleted by the scenario itself (released, deleted, terminated for good)
    refs: dict[str, Any] = attrs.field(factory=dict)

    def __repr__(self) -> str:
        return f"<{self.kind} {self.label} {self.id}>"


@attrs.frozen
class Options:
    """How a boto3 world behaves on its endpoint."""

    image_id: str = "ami-12c6146b"
    instance_type: str = "t3.micro"
    poll: float = 0.0  # seconds between two Describe calls while waiting (0 on moto: its transitions are immediate)
    timeout: float = 600.0  # the longest wait for a stable state
    #: settings a world accepts and records without enforcing them (a quota the account is said to have)
    recorded_settings: frozenset[str] = frozenset()
    #: tags put on every resource created, besides Name (the aws backend: run id, node id)
    tags: tuple[tuple[str, str], ...] = ()
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


def _takes_region(factory: Callable[..., Any]) -> bool:
    import inspect

    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return False
    return "region" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


class Clients:
    """boto3 clients by service name, each made on first use, once, and shared by every world.

    ``Clients(factory)`` builds a client with ``factory(name)`` the first time
    ``get(name)`` (or the attribute ``clients.<name>``) asks for it; clients given
    by keyword are used as they are (``Clients(ec2=stub)`` in tests).
    ``get(name, region=…)`` asks for a client of another region (an Elastic IP of
    us-west-2): made with ``factory(name, region=region)`` when the factory takes a
    ``region`` keyword (``from_session``'s does); otherwise that is not implemented.
    """

    # ``factory(name)``, or ``factory(name, region=…)`` when it takes that keyword (checked by ``_takes_region``)
    def __init__(self, factory: Callable[..., Any] | None = None, **ready: Any):
        self._factory = factory
        self._made: dict[str, Any] = dict(ready)
        self._lock = threading.Lock()

    @classmethod
    def from_session(cls, session: Any, prepare: Callable[[str], None] | None = None, **client_kwargs: Any) -> "Clients":
        """A factory over a boto3 session: ``session.client(name, **client_kwargs)``; ``prepare(name)`` first."""

        def make(name: str, region: str | None = None) -> Any:
            if prepare is not None:
                prepare(name)
            kw = dict(client_kwargs) if region is None else {**client_kwargs, "region_name": region}
            return session.client(name, **kw)

        return cls(make)

    def get(self, name: str, region: str | None = None) -> Any:
        """The client ``name``; with ``region``, its twin in that region (the default client if it is there)."""
        if region is not None:
            return self._regional(name, region)
        try:
            return self._made[name]
        except KeyError:
            pass
        with self._lock:  # boto3 sessions are not thread-safe: one client at a time
            if name not in self._made:
                if self._factory is None:
                    raise BackendFault(f"no boto3 client for {name} was configured")
                self._made[name] = self._factory(name)
            return self._made[name]

    def _regional(self, name: str, region: str) -> Any:
        key = f"{name}@{region}"
        if key in self._made:
            return self._made[key]
        default = self.get(name)
        if getattr(getattr(default, "meta", None), "region_name", None) == region:
            return default
        with self._lock:
            if key not in self._made:
                if self._factory is None or not _takes_region(self._factory):
                    raise NotImplementedByBackend(f"a {name} client in the region {region}")
                self._made[key] = self._factory(name, region=region)
            return self._made[key]

    @property
    def made(self) -> tuple[str, ...]:
        """The service names whose clients exist so far."""
        return tuple(self._made)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)


class Boto3World(World):
    """One scenario's world over boto3: the shared machinery; the mapping is in :mod:`.services`."""

    def __init__(self, clients: Clients, options: Options = Options(), on_close: Callable[["Boto3World"], None] | None = None,
                 touched: set[str] | None = None, *, kinds: Mapping[str, Any] = {}):
        self.clients = clients
        #: kind name → its ``services.KindMap`` (``services.KINDS``: the backend hands the registry in; this module sits below it)
        self.kinds = kinds
        self.options = options
        self.on_close = on_close
        self.settings: dict[str, Any] = {}
        self.created: list[Handle] = []  # in creation order: what a teardown deletes, last first
        self.by_id: dict[str, Handle] = {}
        #: the client names this world used (the moto backend resets only those services' state)
        self.touched: set[str] = touched if touched is not None else set()
        self.calls: list[Call] = []

    # ---------------------------------------------------------------- clients and calls
    def client(self, service: str, region: str | None = None) -> Any:
        """The boto3 client ``service`` (``"ec2"``, ``"lambda"``), made once per process; ``region``: another region's."""
        self.touched.add(service)
        return self.clients.get(service) if region is None else self.clients.get(service, region)

    @property
    def ec2(self) -> Any:
        return self.client("ec2")

    def call(self, service: str, operation: str, doing: str = "", *, region: str | None = None, **kwargs) -> Mapping[str, Any]:
        """One boto3 call through the error boundary, recorded in the transcript.

        :param service: the client name (``"ec2"``); :param operation: its method (``"run_instances"``);
        :param doing: what it is for, in words (`launching an instance`), for messages;
        :param region: another region than the world's (its client from :meth:`client`).
        """
        method = getattr(self.client(service, region), operation)
        start = time.perf_counter()
        status = "?"
        try:
            with boundary(api_name(operation), doing):
                answer = method(**kwargs)
            meta = answer.get("ResponseMetadata") if isinstance(answer, Mapping) else None
            status = str((meta or {}).get("HTTPStatusCode", "ok"))
            if status.isdigit() and int(status) >= 400:
                # an error status with no error in the body (a moto server's 404 for a route it lacks): AWS always
                # says what went wrong, so the endpoint does not have the operation
                raise BackendNotImplemented(f"{doing or api_name(operation)} ({api_name(operation)} answered HTTP "
                                            f"{status} and no error)", api_name(operation), f"HTTP {status}")
            return answer
        except BackendError as exc:
            status = exc.code
            raise
        except BaseException as exc:
            status = str(getattr(exc, "cause", None) or type(exc.__cause__ or exc).__name__)
            raise
        finally:
            self.calls.append(Call(service, operation, kwargs, status, (time.perf_counter() - start) * 1000))

    def transcript(self) -> Sequence[str]:
        """Every call this world made, in order, one line each, secrets masked."""
        return [c.line() for c in self.calls]

    # ---------------------------------------------------------------- handles, tags, names
    def remember(self, handle: Handle) -> Handle:
        """Record a resource this world created (teardown deletes it, last first)."""
        self.created.append(handle)
        self.by_id[handle.id] = handle
        return handle

    _remember = remember

    def known(self, kind: str, id: str) -> Handle:
        """The handle of the resource ``id``: this world's own, or one shown by its id."""
        found = self.by_id.get(id)
        return found if found is not None else Handle(kind, id, id)

    def _name(self, label: str) -> str:
        """The Name tag of a resource labelled ``label``."""
        return label

    def resource_tags(self) -> Sequence[tuple[str, str]]:
        """The tags every resource of this world carries besides Name."""
        return self.options.tags

    def tag_pairs(self, label: str) -> list[tuple[str, str]]:
        return [("Name", self._name(label))] + list(self.resource_tags())

    def tag_list(self, label: str) -> list[dict[str, str]]:
        """``[{"Key": k, "Value": v}, …]``: Name first, then the world's tags."""
        return [{"Key": k, "Value": v} for k, v in self.tag_pairs(label)]

    def tag_map(self, label: str) -> dict[str, str]:
        """``{k: v}``, for services that take tags as a map (Lambda, API Gateway, Glue…)."""
        return dict(self.tag_pairs(label))

    def tag_specifications(self, resource_type: str, label: str) -> list[dict]:
        """EC2's ``TagSpecifications`` for a resource of ``resource_type`` (``"instance"``, ``"elastic-ip"``)."""
        return [{"ResourceType": resource_type, "Tags": self.tag_list(label)}]

    _tags = tag_specifications

    def resource_name(self, label: str, *, max_length: int = 63, allowed: str = "A-Za-z0-9-",
                      first: str = "A-Za-z", lower: bool = False) -> str:
        """A name for a resource the API names instead of tagging (a function, a table, a cluster).

        ``label`` (prefixed with the run id on the aws backend), every character outside
        ``allowed`` replaced by ``-``, starting with a character of ``first``, at most ``max_length``.
        """
        name = re.sub(f"[^{allowed}]+", "-", self._name(label)).strip("-") or "scn"
        if lower:
            name = name.lower()
        if first and not re.match(f"[{first}]", name):
            name = ("s-" if "-" in allowed else "s") + name
        return name[:max_length].rstrip("-")

    def creation_states(self, handle: Any) -> Sequence[str]:
        return handle.creation_states

    # ---------------------------------------------------------------- waiting
    def wait(self, handle: Handle, read_state: Callable[[], str], transitional: Collection[str],
             seen: list[str] | None = None) -> list[str]:
        """Poll ``read_state()`` until it is not ``transitional``; ``seen`` grows by each new state, the stable one last."""
        seen = [] if seen is None else seen
        o = self.options
        deadline = o.clock() + o.timeout
        while True:
            state = read_state()
            if not seen or seen[-1] != state:
                seen.append(state)
            if state not in transitional:
                return seen
            if o.clock() >= deadline:
                raise StuckResource(f"{handle.label} ({handle.id}) was still {state} after {o.timeout:g} s, "
                                    "the longest wait allowed")
            if o.poll:
                o.sleep(o.poll)

    def wait_until(self, predicate: Callable[[], bool], handle: Handle, what: str) -> None:
        """Poll ``predicate()`` until it holds, as :meth:`wait` does; ``what``: the condition, in words (`deleted`)."""
        o = self.options
        deadline = o.clock() + o.timeout
        while not predicate():
            if o.clock() >= deadline:
                raise StuckResource(f"{handle.label} ({handle.id}) was still not {what} after {o.timeout:g} s, "
                                    "the longest wait allowed")
            if o.poll:
                o.sleep(o.poll)

    # ---------------------------------------------------------------- dispatch
    def kind_map(self, kind: str) -> Any:
        return self.kinds.get(kind)

    def check_mapped(self, kind: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        """The mapping of ``kind``; NotImplementedByBackend unless it maps creating it with these params and relations."""
        mapped = self.kind_map(kind)
        if mapped is None or mapped.create is None:
            raise NotImplementedByBackend(f"creating {_a(kind)}")
        for name in params:
            if name not in mapped.params:
                raise NotImplementedByBackend(f"creating {_a(kind)} with its {name} set")
        for rel, _ in relations:
            if rel not in mapped.relations:
                raise NotImplementedByBackend(f"creating {_a(kind)} {rel} something")
        return mapped

    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        mapped = self.check_mapped(kind, params, relations)
        return mapped.create(self, label, params, relations)

    def act(self, handle: Any, action: str, target: Any | None, params: Mapping[str, Any]) -> Sequence[str]:
        kind = handle.kind
        mapped = self.kind_map(kind)
        if mapped is None or mapped.act is None or action not in mapped.actions:
            raise NotImplementedByBackend(f"{action} on {_a(kind)}")
        extra = [p for p in params if p not in mapped.action_params.get(action, ())]
        if extra:
            raise NotImplementedByBackend(f"{action} on {_a(kind)} with {', '.join(extra)}")
        return tuple(mapped.act(self, handle, action, target, params))

    def observe(self, handle: Any, attribute: str) -> Any:
        kind = handle.kind
        mapped = self.kind_map(kind)
        if mapped is None or mapped.observe is None or attribute not in mapped.attributes:
            raise NotImplementedByBackend(f"the {attribute} of {_a(kind)}")
        return mapped.observe(self, handle, attribute)

    def exists(self, handle: Any) -> bool:
        mapped = self.kind_map(handle.kind)
        if mapped is None or mapped.exists is None:
            raise NotImplementedByBackend(f"whether {_a(handle.kind)} exists")
        return mapped.exists(self, handle)

    def relations(self, handle: Any) -> frozenset:
        mapped = self.kind_map(handle.kind)
        if mapped is None or mapped.relations_of is None:
            return frozenset()
        return frozenset(mapped.relations_of(self, handle))

    def count_related(self, kind: str, relation: str, target: Any) -> int:
        mapped = self.kind_map(kind)
        if mapped is None or mapped.count_related is None or relation not in mapped.relations:
            raise NotImplementedByBackend(f"counting {kind}s {relation} something")
        return mapped.count_related(self, relation, target)

    def explain(self, handle: Any, attribute: str) -> str | None:
        mapped = self.kind_map(handle.kind)
        if mapped is None or mapped.explain is None:
            return None
        return mapped.explain(self, handle, attribute)

    def set_setting(self, name: str, value: Any) -> None:
        if name not in self.options.recorded_settings:
            raise NotImplementedByBackend(f"the setting {name!r}")
        self.settings[name] = value  # the account is said to have this quota; the endpoint enforces its own

    def advance(self, seconds: float) -> None:
        raise NotImplementedByBackend("the virtual clock")

    # ---------------------------------------------------------------- teardown
    def delete_created(self, run: Callable[[Handle, Any], None] | None = None) -> list[str]:
        """Delete what this world created, last first, each with its kind's ``delete``; what went wrong, described.

        Every resource gets its chance: a failure is recorded and the next one is deleted.
        ``run(handle, kind_map)``, when given, deletes one instead of ``kind_map.delete(world, handle)``
        (the aws backend's: refusals for a dependency retried within a bound, terminations waited for together).
        """
        problems: list[str] = []
        for handle in reversed(self.created):
            if handle.released:
                continue
            mapped = self.kind_map(handle.kind)
            if mapped is None or mapped.delete is None:
                problems.append(f"{handle.kind} {handle.id}: no way to delete it is mapped")
                continue
            try:
                if run is None:
                    mapped.delete(self, handle)
                else:
                    run(handle, mapped)
                handle.released = True
            except Exception as exc:
                problems.append(f"{handle.kind} {handle.id}: {exc}")
        return problems

    def close(self) -> None:
        if self.on_close is not None:
            self.on_close(self)
