"""The ``moto`` backend: the boto3 adapter over moto, in process.

Isolation is cheap by construction (issue 6's measurements): one ``mock_aws`` is
started once per process and stays open; each scenario's world resets moto's EC2
state for the one account and region scn uses, seeds moto's random ids (so a run
is repeatable), and reuses boto3 clients made once. The mock is started with
``reset_boto3_session`` off (moto would otherwise rebuild boto3's session and
service models at every start), and clients are built with
``Config(account_id_endpoint_mode="disabled")``.

moto's default AMIs (over a thousand images, each with a volume and a snapshot)
are not loaded into the reset state: they cost ~30 ms per reset and no spec names
an image. moto accepts an unknown image id at launch.

What moto cannot express at all is not declared as a capability, so the runner
skips those scenarios (`needs clock`): the virtual clock, billing, injected
faults, the instance metadata service. What it expresses but gets wrong fails,
and a spec names it with ``@diverges(moto, "...")``.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from scenario.backend import BackendInfo
from scenario.errors import ConfigurationError
from scenario.hookspecs import hookimpl

from .adapter import MAPPED, UNMAPPED_WHY, Boto3World, Clients, Options

__all__ = ["MotoBackend", "INSTALL_HINT", "CAPABILITIES", "ACCOUNT", "REGION"]

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
CAPABILITIES = frozenset({"ec2", "limits"})
INSTALL_HINT = "the moto backend needs moto: pip install 'scn[moto]'"
#: the quota settings a moto world accepts and records: moto enforces none of them
RECORDED_SETTINGS = frozenset({"elastic ip limit"})
SEED = 1234


class MotoBackend:
    """Opens moto worlds: one long-lived mock and one set of clients per process."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options(recorded_settings=RECORDED_SETTINGS)
        self._lock = threading.Lock()
        self._mock: Any = None
        self._clients: Clients | None = None
        self._open: Boto3World | None = None

    # ---------------------------------------------------------------- start and stop
    def check(self) -> None:
        """Raise ConfigurationError (one line) when moto or boto3 is not installed."""
        try:
            import boto3  # noqa: F401
            import moto  # noqa: F401
        except ImportError:
            raise ConfigurationError(INSTALL_HINT) from None

    def _start(self) -> Clients:
        if self._clients is not None:
            return self._clients
        self.check()
        import boto3
        from botocore.config import Config
        from moto import mock_aws
        from moto.core.config import default_user_config

        core = dict(default_user_config.get("core", {}))
        core["reset_boto3_session"] = False
        mock = mock_aws(config={"core": core})
        with _no_default_amis():
            mock.start()
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name=REGION)
        config = Config(account_id_endpoint_mode="disabled", retries={"max_attempts": 1, "mode": "standard"})
        self._mock = mock
        self._clients = Clients(ec2=session.client("ec2", config=config))
        return self._clients

    def stop(self) -> None:
        """Stop the long-lived mock (tests and the benchmark call this; a process may simply exit)."""
        with self._lock:
            if self._mock is not None:
                self._mock.stop()
            self._mock = None
            self._clients = None
            self._open = None

    @property
    def started(self) -> bool:
        return self._mock is not None

    # ---------------------------------------------------------------- a world per scenario
    def reset(self) -> None:
        """A fresh account: moto's EC2 state of scn's account and region, anew; moto's ids seeded."""
        from moto.ec2.models import ec2_backends
        from moto.moto_api._internal import mock_random

        with _no_default_amis():
            ec2_backends[ACCOUNT][REGION].reset()
        mock_random.seed(SEED)

    def __call__(self) -> Boto3World:
        with self._lock:
            clients = self._start()
            self.reset()
            world = Boto3World(clients, self.options, on_close=self._closed)
            self._open = world
            return world

    def _closed(self, world: Boto3World) -> None:
        if self._open is world:
            self._open = None


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


def unsupported() -> frozenset[str]:
    """Every vocabulary item installed that the adapter does not map (for `scn vocab`)."""
    try:
        from scenario.plugins import vocabulary

        vocab = vocabulary()
    except Exception:  # pragma: no cover - a broken vocabulary is reported elsewhere
        return frozenset(UNMAPPED_WHY)
    out = set()
    for kind in _kinds(vocab):
        mapped = MAPPED.get(kind.name)
        if mapped is None:
            out.add(kind.name)
            continue
        for a in kind.attributes:
            if a.name not in mapped["attributes"] and a.name != "state":
                out.add(f"{kind.name}.{a.name}")
        for act in kind.actions:
            if act.verb not in mapped["actions"]:
                out.add(f"{kind.name}.{act.verb}")
        for rel in kind.relations:
            if rel.name not in mapped["relations"]:
                out.add(f"{kind.name}.{rel.name}")
    return frozenset(out)


def _kinds(vocab):
    from scenario.vocabulary import Kind

    kinds = getattr(vocab, "kinds", None)
    if isinstance(kinds, dict):
        return list(kinds.values())
    if kinds is not None:
        return list(kinds)
    return [item for item in getattr(vocab, "items", ()) if isinstance(item, Kind)]


@hookimpl
def scn_backends():
    return [
        BackendInfo(
            name="moto",
            capabilities=CAPABILITIES,
            open_world=BACKEND,
            description="boto3 against moto in process: one long-lived mock, reset per scenario",
            unsupported=unsupported(),
        )
    ]
