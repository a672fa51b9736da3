"""``scn sweep``: find, and with ``--yes`` delete, what scn's aws backend left on an account.

A run killed in the middle of a scenario (SIGKILL, a lost machine) never reaches
its teardown. Everything it made carries ``scn:run-id`` (and ``scn:created``), so
the sweep finds it by run id, or every scn resource older than an age, in every
registered service (:func:`.tagging.find_all`: EC2's Describe calls and DescribeTags,
a kind's own ``find_tagged``, else the Resource Groups Tagging API for its
``arn_type``); lists it (a dry run, the default); deletes it with ``--yes``, in
dependency order: the newest first (the reverse of creation), each through its
kind's ``delete``, a refusal for a dependency tried again once the rest is gone
(Elastic IPs disassociated and released, instances terminated and waited for); then
looks again and says what, if anything, is left. Kinds it could not look for are
named. It runs only on an allowlisted account, as the backend does.

The command is scn_boto's own, added to ``scn`` through the ``scn_cli_commands``
hook (:func:`add_command`).
"""

from __future__ import annotations

import datetime
import re
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

from scenario.hookspecs import hookimpl

from .aws_flags import add_cli_options

if TYPE_CHECKING:
    from .adapter import Boto3World
    from .aws_options import AwsOptions
    from .tagging import Tagged

__all__ = ["sweep", "age_seconds", "select", "add_command", "main"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def age_seconds(text: str) -> float:
    """``90s``, ``30m``, ``2h``, ``1d`` (or a bare number of seconds) → seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not m:
        from scenario.errors import ConfigurationError

        raise ConfigurationError(f"--older-than {text!r}: give an age such as 90s, 30m, 2h or 1d")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def select(found: list[Tagged], *, run_id: str | None, older_than: float | None,
           now: datetime.datetime | None = None) -> list[Tagged]:
    """The resources a sweep deletes: those of ``run_id``, or those created more than ``older_than`` seconds ago."""
    from .tagging import TAG_RUN

    now = now or datetime.datetime.now(datetime.timezone.utc)
    out = []
    for r in found:
        if run_id is not None and r.tags.get(TAG_RUN) != run_id:
            continue
        if older_than is not None:
            if r.created is None or (now - r.created).total_seconds() < older_than:
                continue
        out.append(r)
    return out


def sweep(options: AwsOptions, *, run_id: str | None, older_than: float | None, delete: bool = False,
          out: TextIO) -> int:
    """List (or, with ``delete``, delete) scn's resources; the exit status: 0 done, 1 something is left."""
    from scenario.backend import BackendFault
    from scenario.errors import ConfigurationError

    from . import services
    from .adapter import Boto3World, Options
    from .aws_backend import AwsBackend
    from .tagging import TAG_RUN, find_all, newest_first

    delete_them = delete
    backend = AwsBackend(options)
    clients = backend._guard()  # the allowlist, as for a run; ConfigurationError: one line
    world = Boto3World(clients, Options(poll=options.poll, timeout=options.timeout), kinds=services.KINDS)
    where = f"account {backend.account}, {backend.region}" + (f", {options.endpoint_url}" if options.endpoint_url
                                                               else "")
    tags = {TAG_RUN: run_id}  # None: any run
    try:
        found, blind = find_all(world, tags)
        chosen = newest_first(select(found, run_id=run_id, older_than=older_than))  # the order they go in
    except BackendFault as exc:
        raise ConfigurationError(f"sweep: {exc}") from None
    what = f"run {run_id}" if run_id else f"any run, created more than {older_than:g} s ago"
    reasons: dict[str, list[str]] = {}
    for kind, why in blind:
        reasons.setdefault(why, []).append(kind)
    for why, kinds in reasons.items():  # said, so that "nothing" never claims more than was looked at
        out.write(f"not looked for ({why}): {', '.join(kinds)}\n")
    if not chosen:
        out.write(f"nothing tagged by scn ({what}) on {where}\n")
        return 0
    for r in chosen:
        made = r.created.strftime("%Y-%m-%dT%H:%M:%SZ") if r.created else "unknown"
        out.write(f"{'deleting' if delete_them else 'would delete'} {r.describe()} "
                  f"run {r.tags.get(TAG_RUN, '?')}, created {made}\n")
    if not delete_them:
        out.write(f"{len(chosen)} resource{'s' if len(chosen) != 1 else ''} ({what}) on {where}; "
                  "nothing was deleted — run again with --yes to delete them\n")
        return 0
    problems = _delete(world, chosen, options)
    left = select(find_all(world, tags)[0], run_id=run_id, older_than=older_than)
    if left:
        out.write(f"{len(left)} resource{'s' if len(left) != 1 else ''} still there: "
                  + "; ".join(r.describe() for r in left) + "\n")
        for p in problems:
            out.write(f"  {p}\n")
        return 1
    out.write(f"deleted {len(chosen)} resource{'s' if len(chosen) != 1 else ''}; nothing tagged by scn ({what}) "
              f"remains on {where}\n")
    return 0


def add_command(subparsers: Any) -> None:
    """``scn sweep`` on the subparsers of the scn command, with :func:`main` as its handler."""
    w = subparsers.add_parser("sweep", help="find (and with --yes delete) resources scn's aws backend tagged: "
                                            "a killed run's leftovers")
    crit = w.add_mutually_exclusive_group(required=True)
    crit.add_argument("--run-id", dest="sweep_run_id", metavar="ID", help="the resources of this run")
    crit.add_argument("--older-than", metavar="AGE",
                      help="the resources of any run created more than AGE ago (30m, 2h, 1d)")
    w.add_argument("--yes", action="store_true", help="delete them (without it: only list what would be deleted)")
    add_cli_options(w)  # it reaches the account as a run does, and creates nothing
    w.set_defaults(scn_handler=main)


def main(args: Any) -> int:
    """``scn sweep`` with its parsed arguments; the exit status."""
    from .aws_options import from_values

    options = from_values(lambda dest: getattr(args, "aws_" + dest, None))
    older = age_seconds(args.older_than) if args.older_than else None
    return sweep(options, run_id=args.sweep_run_id, older_than=older, delete=args.yes, out=sys.stdout)


def _delete(world: Boto3World, chosen: list[Tagged], options: AwsOptions) -> list[str]:
    from .tagging import delete_found

    return delete_found(world, chosen, timeout=options.timeout, poll=options.poll, sleep=time.sleep,
                        clock=time.monotonic)


@hookimpl
def scn_cli_commands(subparsers):
    """``scn sweep``: what a killed aws run left on an account (a plugin of its own: it builds on the aws backend)."""
    add_command(subparsers)
