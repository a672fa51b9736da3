"""The ``moto`` backend: the boto3 adapter over moto, in process.

Isolation is cheap by construction (issue 6's measurements): one ``mock_aws`` is
started once per process and stays open; each scenario's world resets, for the
one account scn uses, the state of only the moto services the previous world
touched, seeds moto's random ids (so a run is repeatable), and reuses boto3
clients made once per service (on first use). The mock is started with
``reset_boto3_session`` off (moto would otherwise rebuild boto3's session and
service models at every start), and clients are built with
``Config(account_id_endpoint_mode="disabled", parameter_validation=False)``: botocore does not refuse a
request before it reaches the endpoint (a Lambda timeout of 0, a Kinesis stream of 0 shards), so a
spec sees what the service itself answers.

moto's default AMIs (over a thousand images, each with a volume and a snapshot)
are not loaded while the mock is open: they cost ~30 ms per EC2 reset and no spec
names an image. moto accepts an unknown image id at launch.

The backend declares one capability per service module registered in
:mod:`.services`, plus ``limits``; ``lambda-invoke`` only when a container runtime
(Docker) is reachable, which moto needs to run a function's code. What moto cannot
express at all is not declared, so the runner skips those scenarios (`needs
clock`): the virtual clock, billing, injected faults, the instance metadata
service. What it expresses but gets wrong fails, and a spec names it with
``@diverges(moto, "...")``. A service whose moto extra is not installed says so
in one line (:class:`.errors.MissingExtra`) when a scenario first uses it.

Importing this module (the ``scn`` entry point: every pytest and ``scn`` start that loads
the plugins) imports neither the adapter nor the service modules: they come with the
first world, or when the backend's capabilities (or unsupported items) are first read: gathering the
backends does not read them.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterable, cast

from scenario.hookspecs import hookimpl

if TYPE_CHECKING:
    from .adapter import Boto3World, Clients, Options

__all__ = ["MotoBackend", "INSTALL_HINT", "CAPABILITIES", "ACCOUNT", "REGION", "capabilities",
           "lambda_invoke_reachable", "moto_extra", "supports"]

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
#: capabilities besides one per service: what moto expresses across services
GENERAL_CAPABILITIES = frozenset({"limits"})
INSTALL_HINT = "the moto backend needs moto: pip install 'scn[moto]'"
SEED = 1234
#: moto changes a state at once or never: a resource still transitional after this wait is stuck for good
#: (a short wait, polled gently, rather than a busy loop for AWS's ten minutes)
WAIT = {"poll": 0.02, "timeout": 2.0}
#: boto3 client name → moto's extra for it, where the two differ
MOTO_EXTRAS = {"lambda": "awslambda"}


def moto_extra(client: str) -> str:
    return MOTO_EXTRAS.get(client, client)


def lambda_invoke_reachable(timeout: float = 0.2) -> bool:
    """Whether a container runtime answers where moto's Lambda looks for one (``DOCKER_HOST`` or the local socket)."""
    import socket

    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        if host.startswith("unix://"):
            path = host[len("unix://"):]
            if not os.path.exists(path):
                return False
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(timeout)
                s.connect(path)
            return True
        if host.startswith("tcp://"):
            hostport = host[len("tcp://"):].split("/", 1)[0]
            name, _, port = hostport.rpartition(":")
            with socket.create_connection((name or "localhost", int(port or 2375)), timeout=timeout):
                return True
    except (OSError, ValueError):
        return False
    return False


def capabilities() -> frozenset[str]:
    """One capability per registered service module, ``limits``, and ``lambda-invoke`` when Docker answers."""
    from . import services

    caps = services.capabilities() | GENERAL_CAPABILITIES
    if "lambda" in caps and lambda_invoke_reachable():
        caps |= {"lambda-invoke"}
    return frozenset(caps)


def recorded_settings() -> frozenset[str]:
    """The quota settings a moto world accepts and records: moto enforces none of them."""
    from . import services

    return frozenset(name for s in services.SERVICES for name in s.recorded_settings)


def _moto_backends_of(client: str) -> tuple[str, ...]:
    """moto's backends holding the state of what ``client`` calls: its own, and what its service declares."""
    from . import services

    extra: list[str] = []
    for s in services.SERVICES:
        if client in s.clients:
            extra += [b for b in s.moto_backends if b not in extra]
    return (client, *[b for b in extra if b != client])


class MotoBackend:
    """Opens moto worlds: one long-lived mock and one set of (lazily made) clients per process."""

    def __init__(self, options: Options | None = None):
        self._options = options
        self._lock = threading.Lock()
        self._mock: Any = None
        self._clients: Clients | None = None
        self._open: Boto3World | None = None
        #: client names used by worlds since the last reset: their moto state is reset before the next world
        self._touched: set[str] = set()
        self._amis: _no_default_amis | None = None

    @property
    def options(self) -> Options:
        """How worlds wait and which settings they record (made on first use: it needs the service modules)."""
        if self._options is None:
            from .adapter import Options

            self._options = Options(recorded_settings=recorded_settings(), poll=WAIT["poll"], timeout=WAIT["timeout"])
        return self._options

    @options.setter
    def options(self, value: Options) -> None:
        self._options = value

    # ---------------------------------------------------------------- start and stop
    def check(self) -> None:
        """Raise ConfigurationError (one line) when moto or boto3 is not installed."""
        from scenario.errors import ConfigurationError

        try:
            import boto3  # noqa: F401
            import moto  # noqa: F401
        except ImportError:
            raise ConfigurationError(INSTALL_HINT) from None

    def check_service(self, client: str) -> None:
        """Raise :class:`MissingExtra` (one line) when moto cannot mock ``client``: its extra is not installed."""
        from .errors import MissingExtra

        for name in _moto_backends_of(client):
            try:
                _get_backend(name)  # imports moto.<service>.models, which imports the extra's dependencies
            except ImportError as exc:
                missing = f" ({exc.name} is missing)" if getattr(exc, "name", None) else ""
                raise MissingExtra(f"the moto backend needs moto's {moto_extra(name)} extra for {name}{missing}: "
                                   f"pip install 'scn[moto]' (or 'moto[{moto_extra(name)}]')") from None

    def _start(self) -> Clients:
        if self._clients is not None:
            return self._clients
        self.check()
        import boto3
        from botocore.config import Config
        from moto import mock_aws
        from moto.core.config import default_user_config

        from .adapter import Clients

        core = dict(default_user_config.get("core", {}))
        core["reset_boto3_session"] = False
        mock = mock_aws(config=cast(Any, {"core": core}))  # moto types its config as a TypedDict
        amis = _no_default_amis()
        amis.__enter__()  # for as long as the mock is open: EC2 backends are made lazily, in any region
        try:
            mock.start()
        except BaseException:
            amis.__exit__(None, None, None)
            raise
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name=REGION)
        config = Config(account_id_endpoint_mode="disabled", retries={"max_attempts": 1, "mode": "standard"},
                        parameter_validation=False)  # the service answers what it refuses, not botocore
        self._mock, self._amis = mock, amis
        self._clients = Clients.from_session(session, prepare=self.check_service, config=config)
        self._touched = set()
        return self._clients

    def stop(self) -> None:
        """Stop the long-lived mock (tests and the benchmark call this; a process may simply exit)."""
        with self._lock:
            if self._mock is not None:
                self._mock.stop()
            if self._amis is not None:
                self._amis.__exit__(None, None, None)
            self._mock = None
            self._amis = None
            self._clients = None
            self._open = None
            self._touched = set()

    @property
    def started(self) -> bool:
        return self._mock is not None

    # ---------------------------------------------------------------- a world per scenario
    def reset(self, clients: Iterable[str] | None = None) -> None:
        """A fresh account for the services ``clients`` call (default: those used since the last reset); ids seeded."""
        from moto.moto_api._internal import mock_random

        names = set(self._touched if clients is None else clients)
        backends: list[str] = []
        for client in sorted(names):
            backends += [b for b in _moto_backends_of(client) if b not in backends]
        with _no_default_amis():
            for name in backends:
                try:
                    per_account = _get_backend(name)
                except ImportError:  # never used, then: check_service refused it
                    continue
                if ACCOUNT in per_account:
                    per_account[ACCOUNT].reset()  # every region made so far, anew
        if "apigateway" in backends:
            _forget_execute_api()
        if clients is None:
            self._touched.clear()
        else:
            self._touched -= names
        mock_random.seed(SEED)

    def __call__(self) -> Boto3World:
        from . import services
        from .adapter import Boto3World

        with self._lock:
            clients = self._start()
            self.reset()
            world = Boto3World(clients, self.options, on_close=self._closed, touched=self._touched,
                               kinds=services.KINDS)
            self._open = world
            return world

    def _closed(self, world: Boto3World) -> None:
        if self._open is world:
            self._open = None


def _get_backend(name: str) -> Any:
    """moto's backends of the service ``name`` (by account and region); ImportError when its extra is missing."""
    from moto.backends import get_backend

    return cast(Callable[[str], Any], get_backend)(name)  # typed by moto for each literal name only


def _forget_execute_api() -> None:
    """Drop the execute-api routes moto's API Gateway registered in its ``responses`` mock (one per stage and method,
    bound to the API object): its state is reset, but a route left behind would answer the next world's call to an
    API of the same (seeded) id with the old API's integration."""
    from moto.core.models import responses_mock

    for route in list(responses_mock.registered()):
        url = getattr(route, "url", None)
        if isinstance(url, str) and ".execute-api." in url:
            responses_mock.remove(route)


class _no_default_amis:
    """moto loads its default AMIs when an EC2 backend is made, unless told not to."""

    KEY = "MOTO_EC2_LOAD_DEFAULT_AMIS"

    def __enter__(self):
        self.before = os.environ.get(self.KEY)
        os.environ[self.KEY] = "false"

    def __exit__(self, *exc):
        if self.before is None:
            os.environ.pop(self.KEY, None)
        else:
            os.environ[self.KEY] = self.before


#: the process's one moto backend
BACKEND = MotoBackend()


def supports(item: str) -> bool:
    """Whether a service module maps a vocabulary item: a kind, or ``kind.member`` (an attribute, action or relation).

    The core asks it of every item once (:attr:`scenario.backend.BackendInfo.supports`) and lists the
    rest as unsupported (for `scn vocab` and `scn explore`).
    """
    from . import services

    kind, _, member = item.partition(".")
    mapped = services.KINDS.get(kind)
    if mapped is None:
        return False
    return (not member or member == "state" or member in mapped.attributes or member in mapped.actions
            or member in mapped.relations)


def __getattr__(name: str) -> Any:
    if name == "CAPABILITIES":  # computed: the registered services (and whether Docker answers)
        return capabilities()
    if name == "RECORDED_SETTINGS":
        return recorded_settings()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@hookimpl
def scn_backends():
    from scenario.backend import BackendInfo

    return [
        BackendInfo(
            name="moto",
            capabilities=capabilities,  # computed when first read: the service modules (and Docker) only then
            open_world=BACKEND,
            description="boto3 against moto in process: one long-lived mock, reset per scenario",
            supports=supports,
            check=BACKEND.check,
        )
    ]
