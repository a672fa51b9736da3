"""The ``aws`` backend's command-line options, as a table both front ends add (``scn run --aws-account …``,
``pytest --scn-aws-account …``), and the two checks the backend and its worlds share.

What every start needs of the aws backend — its options, added through scn's
``scn_addoption`` hook at each pytest and ``scn run`` start — is here, in a module that
imports nothing: :class:`~.aws_options.AwsOptions` (an attrs class) and the values read
back from these options are in :mod:`.aws_options`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

__all__ = ["OPTIONS", "DEFAULT_INSTANCE_TYPES", "AWS_SETTLE", "ACCOUNTS_ENV", "ENDPOINT_ENV", "SWEEP_OPTIONS",
           "CLI_GROUP", "PYTEST_GROUP", "add_options", "add_cli_options", "endpoint_kind", "is_expensive"]

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
