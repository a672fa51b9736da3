"""The ``aws`` backend: the boto3 adapter over a real session or any AWS-compatible endpoint.

Safe by construction:

- **opt-in**: it runs only when named (``--backend aws``), never by default, and
  only on an account on the allowlist (``--aws-account``, ``SCN_AWS_ACCOUNTS``),
  checked with STS before anything is created (:meth:`AwsBackend.check`);
- **tagged**: every resource carries the run id, the scenario's id and its
  creation time, and a Name that starts with the run id (:mod:`.tagging`);
- **torn down**: a world's :meth:`~AwsWorld.close` deletes what it created in
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
"""

from __future__ import annotations

import datetime
import threading
from typing import Any, Mapping, Sequence

import attrs

from scenario.backend import BackendFault, BackendInfo
from scenario.errors import ConfigurationError
from scenario.hookspecs import hookimpl

from . import services
from .adapter import Boto3World, Clients, Options
from .aws_options import ACCOUNTS_ENV, AWS_SETTLE, AwsOptions, add_options, from_values
from .errors import boundary
from .tagging import (TAG_CREATED, TAG_NODE, TAG_RUN, created_stamp, delete_found, ec2_via, find_all,
                      terminate_instances, waits_on, retrying, wait_terminated)

__all__ = ["AwsBackend", "AwsWorld", "BACKEND", "CAPABILITIES", "INSTALL_HINT", "endpoint_kind", "expensive_kinds",
           "is_expensive"]

INSTALL_HINT = "the aws backend needs boto3: pip install 'scn[aws]'"
#: name patterns of current Amazon Linux images, x86_64, newest first within each
IMAGE_PATTERNS = ("al2023-ami-2023*-x86_64", "amzn2-ami-hvm-*-x86_64-gp2")


def capabilities() -> frozenset[str]:
    """One capability per registered service module (:mod:`.services`), ``limits``, and ``lambda-invoke``
    (a real account runs a function's code; a moto server needs Docker for it, as the moto backend does)."""
    caps = services.capabilities() | {"limits"}
    if "lambda" in caps:
        caps |= {"lambda-invoke"}
    return frozenset(caps)


def recorded_settings() -> frozenset[str]:
    """Quota settings a world accepts and records, as the moto backend does: the account enforces its own."""
    return frozenset(name for s in services.SERVICES for name in s.recorded_settings)


def expensive_kinds() -> frozenset[str]:
    """The kinds whose ``cost`` class is ``expensive`` (dollars an hour even at their smallest)."""
    return frozenset(name for name, k in services.KINDS.items() if k.cost == "expensive")


def endpoint_kind(url: str | None) -> str:
    """``aws`` when ``url`` is one of AWS's own endpoints; ``custom endpoint`` otherwise."""
    if not url:
        return "aws"
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return "aws" if host.endswith(".amazonaws.com") or host.endswith(".amazonaws.com.cn") else "custom endpoint"


def is_expensive(kind: str, allowed: Sequence[str]) -> bool:
    """Whether the cost guard refuses ``kind``: its KindMap's ``cost`` is ``expensive`` and it is not allowed by name."""
    return kind not in allowed and services.cost_class(kind) == "expensive"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class AwsWorld(Boto3World):
    """One scenario's world on an account: tagged, guarded, torn down and verified."""

    settle_poll = 1.0

    def __init__(self, backend: "AwsBackend", clients: Clients, options: Options, aws: AwsOptions):
        super().__init__(clients, options, kinds=services.KINDS)
        self.backend = backend
        self.aws = aws
        self.settle = aws.settle if aws.settle is not None else (
            AWS_SETTLE if endpoint_kind(backend.endpoint) == "aws" else 0.0)
        self.settle_poll = min(1.0, max(aws.poll, 0.1))
        self.node_id = "unnamed scenario"
        self._stamp = _now()
        #: this world's number in the run: names stay unique per run (a name freed by a teardown may linger on AWS)
        self.serial = backend.next_serial() if hasattr(backend, "next_serial") else 0
        self.made = 0  # resources this world created through the guard (what the per-scenario cap counts)

    # ---------------------------------------------------------------- identity
    def begin(self, scenario_id: str) -> None:
        self.node_id = scenario_id

    def _created(self) -> str:
        """When the resource being tagged is made, to the microsecond, later than any before it in this world:
        a sweep deletes the newest first, which is the reverse of creation."""
        now = _now()
        self._stamp = now if now > self._stamp else self._stamp + datetime.timedelta(microseconds=1)
        return created_stamp(self._stamp)

    def resource_tags(self) -> Sequence[tuple[str, str]]:
        return ((TAG_RUN, self.aws.run_id), (TAG_NODE, self.node_id[:255]), (TAG_CREATED, self._created()))

    def _name(self, label: str) -> str:
        """``<run id> <n> <label>``: the Name tag, and what ``resource_name`` makes a name of (unique per run)."""
        return f"{self.aws.run_id} {self.serial} {label}"[:255]

    # ---------------------------------------------------------------- the cost guard
    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        a = self.aws
        if is_expensive(kind, a.allow_kinds):
            raise BackendFault(f"the cost guard refuses to create {_a(kind)}: it is an expensive kind; "
                               f"allow it with --allow-kind {kind!r} (pytest: --scn-aws-allow-kind)")
        mapped = self.check_mapped(kind, params, relations)  # what the adapter cannot create is not implemented, not refused
        if kind == "instance":
            itype = str(params.get("instance type", self.options.instance_type))
            if itype not in a.instance_types:
                raise BackendFault(f"the cost guard refuses instance type {itype} (allowed: {', '.join(a.instance_types)}); "
                                   f"allow it with --instance-type {itype} (pytest: --scn-aws-instance-type)")
        if mapped.delete is None:  # a record put in a stream, a row: data in a resource, not a resource of its own
            return super().create(kind, label, params, relations)
        if self.made >= a.max_per_scenario:
            raise BackendFault(f"the cost guard allows {a.max_per_scenario} resources per scenario and this one asks "
                               f"for more; raise it with --max-per-scenario")
        self.backend.reserve(1)
        self.made += 1
        return super().create(kind, label, params, relations)

    # ---------------------------------------------------------------- teardown
    def close(self) -> None:
        leftovers, problems = self.teardown()
        if leftovers:
            n = len(leftovers)
            raise BackendFault(f"{n} resource{'s' if n != 1 else ''} tagged {TAG_RUN}={self.aws.run_id} "
                               f"{TAG_NODE}={self.node_id!r} left behind: " + "; ".join(leftovers)
                               + (f" (on the way: {'; '.join(problems)})" if problems else "")
                               + f" — remove {'them' if n != 1 else 'it'} with `scn sweep --run-id {self.aws.run_id} --yes`")

    def teardown(self) -> tuple[list[str], list[str]]:
        """Delete what this world created, last first; then whatever still carries its tags.

        :returns: what is left, described (empty: verified clean), and what went wrong on the way.
        """
        o = self.options
        timing = dict(timeout=o.timeout, poll=o.poll, sleep=o.sleep, clock=o.clock)
        ec2 = ec2_via(self)
        pending: list[tuple[Any, Any]] = []  # instances terminated, not yet waited for: (handle, kind map)
        problems: list[str] = []

        def flush() -> None:
            if not pending:
                return
            batch = list(pending)
            pending.clear()
            stuck = wait_terminated(ec2, [h.id for h, _ in batch], **timing)
            problems.extend(f"instance {iid}: not terminated after {o.timeout:g} s" for iid in stuck)
            for handle, mapped in batch:  # what goes with it (an AMI registered for it): its kind's delete, now quick
                if handle.id not in stuck:
                    try:
                        mapped.delete(self, handle)
                    except Exception as exc:
                        problems.append(f"{handle.kind} {handle.id}: {exc}")

        def run(handle, mapped) -> None:
            if handle.kind == "instance" and not self._spot(ec2, handle.id):
                terminate_instances(ec2, [handle.id], **timing, wait=False)  # wait for all of them together
                pending.append((handle, mapped))
                return
            flush()  # what came before it may depend on them
            retrying(lambda: mapped.delete(self, handle), codes=(), timeout=o.timeout, poll=o.poll, sleep=o.sleep,
                     clock=o.clock, when=waits_on)

        problems += self.delete_created(run)
        try:
            flush()
        except Exception as exc:
            problems.append(f"instances: {exc}")
        # verify: nothing tagged with this scenario is left in the services it used; what the record missed
        # (an answer lost on the way back, a resource made on the side) is deleted too, and looked for again
        tags = {TAG_RUN: self.aws.run_id, TAG_NODE: self.node_id[:255]}
        used = {s.capability for s in (services.service_of(h.kind) for h in self.created) if s is not None}
        try:
            left, _blind = find_all(self, tags, within=used)
            if left:
                problems += delete_found(self, left, **timing)
                left, _blind = find_all(self, tags, within=used)
        except Exception as exc:
            return [f"unknown (could not verify the teardown: {exc})"], problems
        return [r.describe() for r in left], (problems if left else [])

    def _spot(self, ec2: Any, iid: str) -> bool:
        """Whether the instance came from a Spot request (its kind's delete cancels the request first)."""
        try:
            answer = ec2.describe_instances(InstanceIds=[iid])
        except Exception:
            return False
        return any(i.get("SpotInstanceRequestId") for r in answer.get("Reservations", ()) for i in r.get("Instances", ()))


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


class AwsBackend:
    """Opens worlds on the account the options point at, once the account is known to be allowed."""

    def __init__(self, options: AwsOptions | None = None):
        self._lock = threading.Lock()
        self.options = options or AwsOptions()
        self._reset()

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
            base = [{"Name": "architecture", "Values": ["x86_64"]}, {"Name": "virtualization-type", "Values": ["hvm"]},
                    {"Name": "state", "Values": ["available"]}, {"Name": "root-device-type", "Values": ["ebs"]}]
            for pattern in IMAGE_PATTERNS:
                with boundary("DescribeImages", "finding an Amazon Linux image"):
                    images = ec2.describe_images(Owners=["amazon"], Filters=base + [{"Name": "name", "Values": [pattern]}])
                found = images.get("Images", ())
                if found:
                    newest = sorted(found, key=lambda i: (i.get("CreationDate", ""), i.get("Name", ""), i["ImageId"]))[-1]
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
                raise BackendFault(f"the cost guard allows {cap} resources per run and this run has created "
                                   f"{self.created_total}; raise it with --max-per-run")
            self.created_total += n

    def __call__(self) -> AwsWorld:
        with self._lock:
            try:
                clients = self._guard()
            except ConfigurationError as exc:
                raise BackendFault(str(exc)) from None
            image = self._image(clients.ec2)
        o = self.options
        options = Options(image_id=image, instance_type="t3.micro" if "t3.micro" in o.instance_types else o.instance_types[0],
                          poll=o.poll, timeout=o.timeout, recorded_settings=recorded_settings())
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
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@hookimpl
def scn_backends():
    from .moto_backend import supports

    return [
        BackendInfo(
            name="aws",
            capabilities=capabilities(),
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
    """The aws backend's options (:data:`.aws_options.OPTIONS`): ``scn run --aws-account …``, ``pytest --scn-aws-account …``."""
    add_options(parser)


#: the key of the run id in :attr:`scenario.options.OptionValues.shared`: one run id for pytest-xdist's workers
SHARED_RUN_ID = "aws run id"


@hookimpl
def scn_configure(values, backends):
    """Hand the options to each aws backend of the run, before its guard; nothing when none is used."""
    takers = [b.open_world for b in backends if isinstance(b.open_world, AwsBackend)]
    if not takers:
        return None
    options = from_values(lambda dest: values.getoption("aws_" + dest))
    shared = values.shared.get(SHARED_RUN_ID)
    if shared and not values.getoption("aws_run_id"):  # a pytest-xdist worker tags with its controller's run id
        options = attrs.evolve(options, run_id=shared)
    values.shared[SHARED_RUN_ID] = options.run_id
    for backend in takers:
        backend.configure_aws(options)
    return f"aws run id {options.run_id}"
