"""A small in-memory backend for scn's own tests.

It speaks the reference vocabulary (instances and elastic ips) with simpler,
deliberately different rules, so that tests can tell backends apart:

- a stopped instance *keeps* its public IPv4 (AWS releases it);
- addresses are ``10.0.0.n`` (public) and ``10.1.0.n`` (private), counted per world;
- every call is logged in :attr:`FakeWorld.log`; ``explode`` makes a call raise a
  plain Python exception, to play a faulty backend.
"""

from __future__ import annotations

import contextlib
from typing import Any, Mapping, Sequence

from scenario.backend import BackendInfo, NotImplementedByBackend, World
from scenario.errors import BackendError, ConfigurationError
from scenario.hookspecs import hookimpl

LIFECYCLE = {
    ("stop", "running"): ("stopping", "stopped"),
    ("start", "stopped"): ("pending", "running"),
    ("reboot", "running"): ("running",),
    ("terminate", "running"): ("shutting-down", "terminated"),
    ("terminate", "stopped"): ("shutting-down", "terminated"),
}


class _Res:
    def __init__(self, kind: str, label: str, **attrs: Any):
        self.kind = kind
        self.label = label
        self.attrs = dict(attrs)
        self.rel: set = set()
        self.gone = False

    def __repr__(self) -> str:
        return f"<{self.label}>"


class FakeWorld(World):
    """One world of the fake backend."""

    #: every world opened, in order (tests reset it)
    opened: list["FakeWorld"] = []

    def __init__(self, explode: Mapping[str, Exception] | None = None):
        self.explode = dict(explode or {})
        self.log: list[tuple] = []
        self.counter = 0
        self.settings = {"elastic ip limit": 5}
        self.closed = False
        FakeWorld.opened.append(self)

    def _call(self, name: str, *args: Any) -> None:
        self.log.append((name, *args))
        for key in (name, f"{name} {args[0] if args else ''}".strip()):
            if key in self.explode:
                raise self.explode[key]

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        self._call("create", kind, label)
        n = self._next()
        if kind == "instance":
            public = f"10.0.0.{n}" if params.get("public ipv4", True) is not False else None
            return _Res(kind, label, state="running", public=public, private=f"10.1.0.{n}", id=f"i-fake{n}")
        if kind == "elastic ip":
            live = sum(1 for e in self.log if e[:2] == ("create", "elastic ip"))
            if live > self.settings["elastic ip limit"]:
                raise BackendError("AddressLimitExceeded", "fake: too many addresses")
            return _Res(kind, label, address=f"10.9.0.{n}", id=f"eipalloc-fake{n}")
        raise NotImplementedByBackend(f"creating a {kind}")

    def act(self, handle: Any, action: str, target: Any | None, params: Mapping[str, Any]) -> Sequence[str]:
        self._call("act", action, handle.label)
        if handle.kind == "instance":
            path = LIFECYCLE.get((action, handle.attrs["state"]))
            if path is None:
                raise BackendError("IncorrectInstanceState", f"fake: cannot {action} a {handle.attrs['state']} instance")
            handle.attrs["state"] = path[-1]
            if path[-1] == "terminated":
                handle.attrs["public"] = None
            return path
        if action == "associate":
            handle.rel = {("associated with", target)}
            target.attrs["public"] = handle.attrs["address"]
            return ()
        if action == "disassociate":
            handle.rel = set()
            return ()
        if action == "release":
            handle.gone = True
            return ()
        raise NotImplementedByBackend(f"{action} on a {handle.kind}")

    _NAMES = {"public ipv4": "public", "private ipv4": "private", "instance id": "id", "allocation id": "id"}

    def observe(self, handle: Any, attribute: str) -> Any:
        self._call("observe", attribute, handle.label)
        if attribute == "state code":
            return {"running": 16, "stopped": 80, "terminated": 48}[handle.attrs["state"]]
        if attribute == "billed":
            return handle.attrs["state"] == "running"
        key = self._NAMES.get(attribute, attribute)
        if key not in handle.attrs:
            raise NotImplementedByBackend(f"the {attribute} of a {handle.kind}")
        return handle.attrs[key]

    def exists(self, handle: Any) -> bool:
        self._call("exists", handle.label)
        return not handle.gone

    def relations(self, handle: Any) -> frozenset:
        self._call("relations", handle.label)
        return frozenset(handle.rel)

    def set_setting(self, name: str, value: Any) -> None:
        self._call("set_setting", name, value)
        self.settings[name] = value

    def close(self) -> None:
        self.closed = True


def fake_backend(name: str = "fake", capabilities=("ec2", "limits"), **world_kwargs: Any) -> BackendInfo:
    """A :class:`BackendInfo` whose worlds are :class:`FakeWorld` s (no ``billing`` by default)."""
    return BackendInfo(name=name, capabilities=frozenset(capabilities),
                       open_world=lambda: FakeWorld(**world_kwargs), description="scn's in-memory test backend")


class FakePlugin:
    """A plugin object contributing the fake backend (register it on scn's plugin manager)."""

    def __init__(self, *backends: BackendInfo):
        self.backends = list(backends) or [fake_backend()]

    @hookimpl
    def scn_backends(self):
        return list(self.backends)


class ThirdPartyPlugin(FakePlugin):
    """A third-party backend plugin as scn sees one: the fake backend, its own option
    (``scn run --fake-greeting``, ``pytest --scn-fake-greeting``) and its own command
    (``scn fake-hello``), all through scn's hooks."""

    def __init__(self, *backends: BackendInfo):
        super().__init__(*backends)
        #: (front end, greeting) of every scn_configure that concerned the fake backend
        self.configured: list[tuple[str, str]] = []

    @hookimpl
    def scn_addoption(self, parser):
        group = parser.getgroup("fake", "the fake backend (a third-party plugin)")
        group.addoption("--fake-greeting", dest="fake_greeting", metavar="WORDS",
                        help="what the fake backend says when it is configured")

    @hookimpl
    def scn_configure(self, values, backends):
        if not any(b.name == "fake" for b in backends):
            return None
        greeting = values.getoption("fake_greeting", "hello")
        if greeting == "boom":
            raise ConfigurationError("the fake backend will not say boom")
        self.configured.append((values.front_end, greeting))
        return f"fake says {greeting}"

    @hookimpl
    def scn_cli_commands(self, subparsers):
        hello = subparsers.add_parser("fake-hello", help="the fake backend says hello")
        hello.add_argument("--name", default="world", help="whom to greet")
        hello.set_defaults(scn_handler=self.hello)

    def hello(self, args) -> int:
        if args.name == "nobody":
            raise ConfigurationError("the fake backend greets somebody")
        print(f"hello, {args.name}")
        return 0


@contextlib.contextmanager
def registered(plugin: Any, name: str):
    """``plugin`` registered on scn's plugin manager for a while, the caches cleared around it."""
    from scenario import plugins

    pm = plugins.get_plugin_manager()
    pm.register(plugin, name)
    plugins.backends.cache_clear()
    plugins.vocabulary.cache_clear()
    try:
        yield plugin
    finally:
        pm.unregister(plugin)
        plugins.backends.cache_clear()
        plugins.vocabulary.cache_clear()
