"""The options of the ``aws`` backend, in one place for the CLI, the pytest plugin and the environment.

:class:`AwsOptions` is built from option values (``scn run --aws-account …`` or
``pytest --scn-aws-account …``, the same table :data:`OPTIONS` adds to both
through scn's ``scn_addoption`` hook) and from the environment
(``SCN_AWS_ACCOUNTS``, ``AWS_ENDPOINT_URL``); an option given on the command line
wins over the environment, and the allowlist is the union of both. This module
imports neither boto3 nor the backend; the table of options, which every start adds, is
in :mod:`.aws_flags` (it imports nothing), and its names are importable from here too.
"""

from __future__ import annotations

import datetime
import os
import secrets
from typing import Any, Callable, Mapping

import attrs

from scenario.errors import ConfigurationError

from .aws_flags import (
    ACCOUNTS_ENV,
    AWS_SETTLE,
    CLI_GROUP,
    DEFAULT_INSTANCE_TYPES,
    ENDPOINT_ENV,
    OPTIONS,
    PYTEST_GROUP,
    SWEEP_OPTIONS,
    add_cli_options,
    add_options,
    endpoint_kind,
    is_expensive,
)

__all__ = ["AwsOptions", "OPTIONS", "DEFAULT_INSTANCE_TYPES", "AWS_SETTLE", "SWEEP_OPTIONS", "add_options",
           "add_cli_options", "from_values", "new_run_id", "endpoint_kind", "is_expensive", "ACCOUNTS_ENV",
           "ENDPOINT_ENV", "CLI_GROUP", "PYTEST_GROUP"]


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
