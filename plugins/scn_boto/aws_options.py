"""The options of the ``aws`` backend, in one place for the CLI, the pytest plugin and the environment.

:class:`AwsOptions` is built from option values (``scn run --aws-account …`` or
``pytest --scn-aws-account …``, the same table :data:`OPTIONS` adds to both
through scn's ``scn_addoption`` hook) and from the environment
(``SCN_AWS_ACCOUNTS``, ``AWS_ENDPOINT_URL``); an option given on the command line
wins over the environment, and the allowlist is the union of both. This module
imports neither boto3 nor the backend.
"""

from __future__ import annotations

import datetime
import os
import secrets
from typing import Any, Callable, Mapping, Sequence

import attrs

from scenario.errors import ConfigurationError

__all__ = ["AwsOptions", "OPTIONS", "DEFAULT_INSTANCE_TYPES", "AWS_SETTLE", "SWEEP_OPTIONS", "add_options",
           "add_cli_options", "from_values", "new_run_id", "endpoint_kind", "is_expensive"]

#: the smallest burstable x86 types: what a run may launch unless told otherwise
DEFAULT_INSTANCE_TYPES = ("t2.nano", "t2.micro", "t3.nano", "t3.micro", "t3a.nano", "t3a.micro")
#: which kinds are expensive (refused unless allowed with --allow-kind) is each kind's ``cost`` class in
#: scn_boto.services (``KindMap.cost == "expensive"``), not a list here
ACCOUNTS_ENV = "SCN_AWS_ACCOUNTS"
#: how long a failing claim is re-observed on AWS itself by default (its reads are eventually consistent)
AWS_SETTLE = 20.0
ENDPOINT_ENV = "AWS_ENDPOINT_URL"


def endpoint_kind(url: str | None) -> str:
    """``aws`` when ``url`` is one of AWS's own endpoints; ``custom endpoint`` otherwise."""
    if not url:
        return "aws"
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return "aws" if host.endswith(".amazonaws.com") or host.endswith(".amazonaws.com.cn") else "custom endpoint"


def is_expensive(kind: str, allowed: Sequence[str]) -> bool:
    """Whether the cost guard refuses ``kind``: its KindMap's ``cost`` is ``expensive``, and it is not allowed by
    name."""
    from . import services

    return kind not in allowed and services.cost_class(kind) == "expensive"


def new_run_id(now: datetime.datetime | None = None) -> str:
    """``scn-20261127-143000-a1b2c3``: sortable, unique enough, safe in a tag and a Name."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return f"scn-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def _accounts(values) -> tuple[str, ...]:
    out = []
    for value in values:
        for part in str(value).replace(" ", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isdigit() and len(part) == 12):
                raise ConfigurationError(f"{part!r} is not an AWS account id (twelve digits, e.g. 123456789012)")
            out.append(part)
    return tuple(dict.fromkeys(out))


@attrs.frozen
class AwsOptions:
    """How the ``aws`` backend reaches, guards and cleans up an account."""

    accounts: tuple[str, ...] = ()  # the allowlist: the only accounts a run may touch
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None  # any AWS-compatible endpoint (a moto server); None: AWS itself
    run_id: str = attrs.field(factory=new_run_id)
    timeout: float = 600.0  # the longest wait for a stable state, and for a teardown step
    poll: float = 2.0  # seconds between two Describe calls while waiting
    settle: float | None = None  # how long a failing claim is re-observed; None: 20 s on AWS, 0 on a custom endpoint
    max_attempts: int = 8  # botocore's retries (adaptive mode: throttling backs off)
    instance_types: tuple[str, ...] = DEFAULT_INSTANCE_TYPES
    max_per_scenario: int = 10  # resources one scenario may create
    max_per_run: int = 300  # resources one run (one process) may create
    allow_kinds: tuple[str, ...] = ()  # expensive kinds allowed by name
    image_id: str | None = None  # None: ask the endpoint for a current Amazon Linux image

    @property
    def endpoint_kind(self) -> str:
        """``aws`` or ``custom endpoint`` as options say (the backend also checks the client's real endpoint)."""
        return "custom endpoint" if self.endpoint_url else "aws"


#: (dest, CLI flag, pytest flag, argparse keywords): one table for both front ends
OPTIONS: tuple[tuple[str, str, str, Mapping[str, Any]], ...] = (
    ("accounts", "--aws-account", "--scn-aws-account",
     dict(action="append", metavar="ACCOUNT_ID",
          help=f"an AWS account id the aws backend may run on (repeatable; also {ACCOUNTS_ENV}, comma-separated)")),
    ("profile", "--profile", "--scn-aws-profile", dict(metavar="NAME", help="the AWS profile of the aws backend")),
    ("region", "--region", "--scn-aws-region", dict(metavar="REGION", help="the AWS region of the aws backend")),
    ("endpoint_url", "--endpoint-url", "--scn-endpoint-url",
     dict(metavar="URL", help=f"an AWS-compatible endpoint for the aws backend (also {ENDPOINT_ENV})")),
    ("run_id", "--run-id", "--scn-run-id",
     dict(metavar="ID", help="the run id the aws backend tags every resource with (default: a new one)")),
    ("timeout", "--timeout", "--scn-aws-timeout",
     dict(type=float, metavar="SECONDS", help="the longest wait for a stable state (aws backend; default 600)")),
    ("poll", "--poll", "--scn-aws-poll",
     dict(type=float, metavar="SECONDS", help="seconds between two polls while waiting (aws backend; default 2)")),
    ("settle", "--settle", "--scn-aws-settle",
     dict(type=float, metavar="SECONDS",
          help="how long a failing claim is re-observed before it fails (aws backend; default 20 on AWS, "
               "0 on a custom endpoint, whose reads are consistent)")),
    ("max_attempts", "--max-attempts", "--scn-aws-max-attempts",
     dict(type=int, metavar="N",
          help="attempts per API call, throttling retried with backoff (aws backend; default 8)")),
    ("instance_types", "--instance-type", "--scn-aws-instance-type",
     dict(action="append", metavar="TYPE",
          help="an instance type the aws backend may launch (repeatable; default: "
               + ", ".join(DEFAULT_INSTANCE_TYPES) + ")")),
    ("max_per_scenario", "--max-per-scenario", "--scn-aws-max-per-scenario",
     dict(type=int, metavar="N", help="resources one scenario may create on the aws backend (default 10)")),
    ("max_per_run", "--max-per-run", "--scn-aws-max-per-run",
     dict(type=int, metavar="N", help="resources one run may create on the aws backend (default 300)")),
    ("allow_kinds", "--allow-kind", "--scn-aws-allow-kind",
     dict(action="append", metavar="KIND",
          help="an expensive kind the aws backend may create (repeatable; e.g. 'db instance', 'redshift cluster')")),
    ("image_id", "--image-id", "--scn-aws-image-id",
     dict(metavar="AMI", help="the image the aws backend launches (default: a current Amazon Linux, x86_64)")),
)


#: the options ``scn sweep`` takes: it reaches the account as a run does, and creates nothing
SWEEP_OPTIONS = ("accounts", "profile", "region", "endpoint_url", "timeout", "poll", "max_attempts")
#: the heading of the options in the help of the scn command and of pytest
CLI_GROUP = "the aws backend (opt-in: --backend aws, an allowlisted account)"
PYTEST_GROUP = "scn's aws backend (opt-in: --scn-backend aws, an allowlisted account)"


def add_options(parser) -> None:
    """Add every option, in a group of their own, to the ``parser`` of scn's ``scn_addoption`` hook
    (:class:`scenario.options.OptionParser`): ``--aws-account`` on ``scn run``, ``--scn-aws-account``
    for pytest, read back as ``aws_<dest>``."""
    group = parser.getgroup("aws", PYTEST_GROUP if parser.front_end == "pytest" else CLI_GROUP)
    for dest, cli, py, kwargs in OPTIONS:
        group.addoption(cli, pytest=py, dest="aws_" + dest, **kwargs)


def add_cli_options(parser: Any, dests: Sequence[str] = SWEEP_OPTIONS) -> None:
    """Add the options ``dests`` to an argparse parser of scn_boto's own (``scn sweep``), as ``aws_<dest>``."""
    group = parser.add_argument_group(CLI_GROUP)
    for dest, cli, _py, kwargs in OPTIONS:
        if dest in dests:
            group.add_argument(cli, dest="aws_" + dest, **kwargs)


def from_values(get: Callable[[str], Any], environ: Mapping[str, str] | None = None) -> AwsOptions:
    """The options from ``get(dest)`` (None: not given) and the environment."""
    env = os.environ if environ is None else environ
    kw: dict[str, Any] = {}
    given = {dest: get(dest) for dest, *_ in OPTIONS}
    kw["accounts"] = _accounts(list(given["accounts"] or ()) + [env.get(ACCOUNTS_ENV, "")])
    endpoint = given["endpoint_url"] or env.get(ENDPOINT_ENV) or None
    if endpoint:
        kw["endpoint_url"] = endpoint
    for dest in ("profile", "region", "run_id", "image_id"):
        if given[dest]:
            kw[dest] = given[dest]
    for dest in ("timeout", "poll", "settle"):
        if given[dest] is not None:
            if given[dest] < 0:
                raise ConfigurationError(f"the aws backend's {dest} must not be negative")
            kw[dest] = float(given[dest])
    for dest in ("max_attempts", "max_per_scenario", "max_per_run"):
        if given[dest] is not None:
            if given[dest] < 1:
                raise ConfigurationError(f"the aws backend's {dest.replace('_', ' ')} must be at least 1")
            kw[dest] = int(given[dest])
    if given["instance_types"]:
        kw["instance_types"] = tuple(dict.fromkeys(given["instance_types"]))
    if given["allow_kinds"]:
        kw["allow_kinds"] = tuple(dict.fromkeys(given["allow_kinds"]))
    run_id = kw.get("run_id")
    if run_id is not None and not all(c.isalnum() or c in "-_." for c in run_id):
        raise ConfigurationError(f"the run id {run_id!r} may hold only letters, digits, '-', '_' and '.'")
    return AwsOptions(**kw)
