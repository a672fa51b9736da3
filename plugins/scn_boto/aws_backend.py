"""The ``aws`` backend: the boto3 adapter over a real session or any AWS-compatible endpoint.

Safe by construction:

- **opt-in**: it runs only when named (``--backend aws``), never by default, and
  only on an account on the allowlist (``--aws-account``, ``SCN_AWS_ACCOUNTS``),
  checked with STS before anything is created (:meth:`AwsBackend.check`);
- **tagged**: every resource carries the run id, the scenario's id and its
  creation time, and a Name that starts with the run id (:mod:`.tagging`);
- **torn down**: a world's :meth:`~.aws_world.AwsWorld.close` deletes what it created in
  reverse order through each kind's ``delete`` (:meth:`~scn_boto.adapter.Boto3World.delete_created`;
  refusals for a dependency retried within a bound, instance terminations waited for
  together), then looks for anything still tagged with the scenario in the services it
  used (:func:`.tagging.find_all`) and deletes that too, and finally verifies nothing
  is left; a leftover is a :class:`~scenario.backend.BackendFault`, so the scenario's
  outcome is ``error`` listing it;
- **cost-guarded**: instance types from an allowlist (the smallest burstable
  ones by default), a cap on resources per scenario and per run, and the kinds whose
  ``cost`` class is ``expensive`` (:mod:`.services`: RDS, Aurora, Redshift, EMR,
  ElastiCache, DAX, NAT gateways…) refused unless allowed by name.

Waits are bounded (``timeout``, ``poll``); botocore retries throttled calls with
backoff (adaptive mode); failing claims are re-observed for ``settle`` seconds
(eventually consistent reads: :attr:`scenario.backend.World.settle`).
Credentials are never printed: messages name the profile and the account id only.

This module is the ``scn`` entry point every start loads: it imports neither the
adapter nor the service modules (nor boto3); the world (:mod:`.aws_world`) comes
with the first one opened, the services with the capabilities or the cost guard.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from scenario.hookspecs import hookimpl

from .aws_flags import ACCOUNTS_ENV, add_options, endpoint_kind, is_expensive

if TYPE_CHECKING:
    from .adapter import Clients
    from .aws_options import AwsOptions
    from .aws_world import AwsWorld

__all__ = ["AwsBackend", "AwsWorld", "BACKEND", "CAPABILITIES", "INSTALL_HINT", "endpoint_kind", "expensive_kinds",
           "is_expensive"]

INSTALL_HINT = "the aws backend needs boto3: pip install 'scn[aws]'"
#: name patterns of current Amazon Linux images, x86_64, newest first within each
IMAGE_PATTERNS = ("al2023-ami-2023*-x86_64", "amzn2-ami-hvm-*-x86_64-gp2")


def capabilities() -> frozenset[str]:
    """One capability per registered service module (:mod:`.services`), ``limits``, and ``lambda-invoke``
    (a real account runs a function's code; a moto server needs Docker for it, as the moto backend does)."""
    from . import services

    caps = services.capabilities() | {"limits"}
    if "lambda" in caps:
        caps |= {"lambda-invoke"}
    return frozenset(caps)


def recorded_settings() -> frozenset[str]:
    """Quota settings a world accepts and records, as the moto backend does: the account enforces its own."""
    from . import services

    return frozenset(name for s in services.SERVICES for name in s.recorded_settings)


def expensive_kinds() -> frozenset[str]:
    """The kinds whose ``cost`` class is ``expensive`` (dollars an hour even at their smallest)."""
    from . import services

    return frozenset(name for name, k in services.KINDS.items() if k.cost == "expensive")


class AwsBackend:
    """Opens worlds on the account the options point at, once the account is known to be allowed."""

    def __init__(self, options: AwsOptions | None = None):
        self._lock = threading.Lock()
        self._options = options
        self._reset()

    @property
    def options(self) -> AwsOptions:
        """How it reaches, guards and cleans up the account (the defaults, with a new run id, until configured)."""
        if self._options is None:
            from .aws_options import AwsOptions

            self._options = AwsOptions()
        return self._options

    @options.setter
    def options(self, value: AwsOptions) -> None:
        self._options = value

    def _reset(self) -> None:
        self._clients: Clients | None = None
        self._sts: Any = None
        self.account: str | None = None
        self.region: str | None = None
        self.endpoint: str | None = None
        self.image_id: str | None = None
        self.created_total = 0
        self.worlds = 0

    def configure_aws(self, options: AwsOptions) -> None:
        """Use ``options`` from now on (:func:`scn_configure` calls this before :meth:`check`)."""
        with self._lock:
            self.options = options
            self._reset()

    # ---------------------------------------------------------------- the guard
    def check(self) -> None:
        """Raise ConfigurationError (one line) unless the account is reachable and on the allowlist."""
        with self._lock:
            self._guard()

    def _guard(self) -> Clients:
        if self._clients is not None:
            return self._clients
        from scenario.backend import BackendFault
        from scenario.errors import ConfigurationError

        from .adapter import Clients
        from .errors import boundary

        try:
            import boto3
            from botocore import exceptions as bx
            from botocore.config import Config
        except ImportError:
            raise ConfigurationError(INSTALL_HINT) from None
        o = self.options
        if not o.accounts:
            raise ConfigurationError(
                "the aws backend runs only on allowlisted accounts and none is given — name the account it may use "
                f"with --aws-account ACCOUNT_ID (pytest: --scn-aws-account) or {ACCOUNTS_ENV}=ACCOUNT_ID")
        try:
            session = boto3.session.Session(profile_name=o.profile, region_name=o.region)
        except bx.ProfileNotFound:
            raise ConfigurationError(f"the aws backend: no AWS profile named {o.profile!r}") from None
        region = o.region or session.region_name or ("us-east-1" if o.endpoint_url else None)
        if not region:
            raise ConfigurationError("the aws backend needs a region: give --region (pytest: --scn-aws-region) "
                                     "or set AWS_DEFAULT_REGION")
        config = Config(region_name=region, retries={"mode": "adaptive", "total_max_attempts": o.max_attempts},
                        connect_timeout=10, read_timeout=60, parameter_validation=False)
        kw = {"config": config, "region_name": region}
        if o.endpoint_url:
            kw["endpoint_url"] = o.endpoint_url
        # the guard asks once and answers fast: an unreachable endpoint is a one-line refusal in seconds
        sts = session.client("sts", **{**kw, "config": config.merge(Config(
            retries={"mode": "standard", "total_max_attempts": min(2, o.max_attempts)}, connect_timeout=5))})
        ec2 = session.client("ec2", **kw)
        where = o.endpoint_url or f"AWS ({region})"
        try:
            with boundary("GetCallerIdentity", "asking STS which account this is"):
                account = str(sts.get_caller_identity()["Account"])
        except BackendFault as exc:
            raise ConfigurationError(f"the aws backend cannot start on {where}: {exc}") from None
        except Exception as exc:  # a refusal (expired token, no permission): its code, never a secret
            code = getattr(exc, "code", type(exc).__name__)
            raise ConfigurationError(f"the aws backend cannot start on {where}: STS refused to say which account "
                                     f"the credentials belong to ({code})") from None
        if account not in o.accounts:
            raise ConfigurationError(
                f"the aws backend runs only on allowlisted accounts; account {account} is not on it — add it with "
                f"--aws-account {account} (pytest: --scn-aws-account {account}) or {ACCOUNTS_ENV}={account}")
        self.account, self.region = account, region
        self.endpoint = ec2.meta.endpoint_url

        def make(name: str, region: str | None = None) -> Any:  # another region's client: an EIP of us-west-2
            return session.client(name, **(kw if region is None else {**kw, "region_name": region}))

        self._clients = Clients(make, ec2=ec2)  # others made on first use
        self._sts = sts
        return self._clients

    # ---------------------------------------------------------------- worlds
    def _image(self, ec2: Any) -> str:
        if self.options.image_id:
            return self.options.image_id
        if self.image_id is None:
            from scenario.backend import BackendFault

            from .errors import boundary

            base = [{"Name": "architecture", "Values": ["x86_64"]}, {"Name": "virtualization-type", "Values": ["hvm"]},
                    {"Name": "state", "Values": ["available"]}, {"Name": "root-device-type", "Values": ["ebs"]}]
            for pattern in IMAGE_PATTERNS:
                with boundary("DescribeImages", "finding an Amazon Linux image"):
                    images = ec2.describe_images(Owners=["amazon"],
                                                 Filters=base + [{"Name": "name", "Values": [pattern]}])
                found = images.get("Images", ())
                if found:
                    newest = max(found, key=lambda i: (i.get("CreationDate", ""), i.get("Name", ""), i["ImageId"]))
                    self.image_id = newest["ImageId"]
                    break
            else:
                raise BackendFault("found no Amazon Linux x86_64 image on the endpoint; name one with --image-id")
        return self.image_id

    def next_serial(self) -> int:
        """The number of the next world of this run (1, 2, …)."""
        with self._lock:
            self.worlds += 1
            return self.worlds

    def reserve(self, n: int) -> None:
        """Count ``n`` more resources against the run's cap (the cost guard)."""
        with self._lock:
            cap = self.options.max_per_run
            if self.created_total + n > cap:
                from scenario.backend import BackendFault

                raise BackendFault(f"the cost guard allows {cap} resources per run and this run has created "
                                   f"{self.created_total}; raise it with --max-per-run")
            self.created_total += n

    def __call__(self) -> AwsWorld:
        from scenario.backend import BackendFault
        from scenario.errors import ConfigurationError

        from .adapter import Options
        from .aws_world import AwsWorld

        with self._lock:
            try:
                clients = self._guard()
            except ConfigurationError as exc:
                raise BackendFault(str(exc)) from None
            image = self._image(clients.ec2)
        o = self.options
        itype = "t3.micro" if "t3.micro" in o.instance_types else o.instance_types[0]
        options = Options(image_id=image, instance_type=itype, poll=o.poll, timeout=o.timeout,
                          recorded_settings=recorded_settings())
        return AwsWorld(self, clients, options, o)

    def announce(self) -> str:
        """One line before a run: where it goes, and how to clean up after a crash."""
        o = self.options
        where = o.endpoint_url or "AWS"
        sweep = (f"scn sweep --run-id {o.run_id} --aws-account {self.account}"
                 + (f" --region {self.region}" if self.region else "")
                 + (f" --endpoint-url {o.endpoint_url}" if o.endpoint_url else "")
                 + (f" --profile {o.profile}" if o.profile else "") + " --yes")
        return f"aws: account {self.account}, {self.region}, {where}; run id {o.run_id} (after a crash: {sweep})"

    def run_info(self) -> dict[str, str]:
        """What a validation record says of where this run happened."""
        return {"region": self.region or (self.options.region or ""),
                "endpoint": endpoint_kind(self.endpoint if self.endpoint is not None else self.options.endpoint_url),
                "account": self.account or ""}


#: the process's one aws backend (configured by the CLI or the pytest plugin)
BACKEND = AwsBackend()


def __getattr__(name: str) -> Any:
    if name == "CAPABILITIES":  # computed: the registered services
        return capabilities()
    if name == "RECORDED_SETTINGS":
        return recorded_settings()
    if name == "AwsWorld":  # its own module: the adapter and the services come with it
        from .aws_world import AwsWorld

        return AwsWorld
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@hookimpl
def scn_backends():
    from scenario.backend import BackendInfo

    from .moto_backend import supports

    return [
        BackendInfo(
            name="aws",
            capabilities=capabilities,  # computed when first read: the service modules only then
            open_world=BACKEND,
            description="boto3 against a real account or an AWS-compatible endpoint: opt-in, allowlisted, tagged, "
                        "torn down and verified",
            supports=supports,
            check=BACKEND.check,
            announce=BACKEND.announce,
            run_info=BACKEND.run_info,
        )
    ]


@hookimpl
def scn_addoption(parser):
    """The aws backend's options (:data:`.aws_options.OPTIONS`): ``scn run --aws-account …``,
    ``pytest --scn-aws-account …``."""
    add_options(parser)


#: the key of the run id in :attr:`scenario.options.OptionValues.shared`: one run id for pytest-xdist's workers
SHARED_RUN_ID = "aws run id"


@hookimpl
def scn_configure(values, backends):
    """Hand the options to each aws backend of the run, before its guard; nothing when none is used."""
    takers = [b.open_world for b in backends if isinstance(b.open_world, AwsBackend)]
    if not takers:
        return None
    import attrs

    from .aws_options import from_values

    options = from_values(lambda dest: values.getoption("aws_" + dest))
    shared = values.shared.get(SHARED_RUN_ID)
    if shared and not values.getoption("aws_run_id"):  # a pytest-xdist worker tags with its controller's run id
        options = attrs.evolve(options, run_id=shared)
    values.shared[SHARED_RUN_ID] = options.run_id
    for backend in takers:
        backend.configure_aws(options)
    return f"aws run id {options.run_id}"
