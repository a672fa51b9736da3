"""The moto backend's cost per scenario, measured side by side in one run; prints a table.

    python bench/bench_moto.py [--quick] [--sample N]

Every EC2 spec (specs/ec2) that runs on moto (skipped and not-implemented ones aside)
is run through the ``moto`` backend, recording the boto3 calls it makes. The same
calls are then replayed two ways, as a team would hand-write them:

(a) scn: the scenario through the runner on the ``moto`` backend (one long-lived
    mock, EC2 state reset and ids seeded per scenario, long-lived clients);
(b) idiomatic: a function decorated with ``@mock_aws`` that makes its own
    ``boto3.client("ec2")`` and makes the calls — what a pytest test decorated with
    ``@mock_aws`` does (timed by calling it, without pytest's own small per-test cost);
(c) long-lived: the same calls inside one open mock with one long-lived client,
    EC2 state reset between scenarios the same cheap way (no default AMIs) — the floor
    that scn's runner and adapter add to.

Ids in replayed calls are mapped from the recorded answers to the new ones. Each
figure is a median per scenario over the rounds, then the median over scenarios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]


def _walk_ids(recorded, replayed, mapping):
    """Map every id-looking string of a recorded answer to the replayed answer's at the same place."""
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        for k, v in recorded.items():
            if k in replayed and k != "ResponseMetadata":
                _walk_ids(v, replayed[k], mapping)
    elif isinstance(recorded, list) and isinstance(replayed, list):
        for a, b in zip(recorded, replayed):
            _walk_ids(a, b, mapping)
    elif isinstance(recorded, str) and isinstance(replayed, str) and recorded != replayed:
        mapping[recorded] = replayed


def _subst(value, mapping):
    if isinstance(value, dict):
        return {k: _subst(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_subst(v, mapping) for v in value]
    if isinstance(value, str):
        return mapping.get(value, value)
    return value


def replay(clients, calls) -> None:
    """Make ``calls`` (service, method, params, answer) again, with ``clients[service]``."""
    from botocore.exceptions import ClientError

    mapping: dict[str, str] = {}
    for service, op, kwargs, answer in calls:
        try:
            got = getattr(clients[service], op)(**_subst(kwargs, mapping))
        except ClientError:
            continue
        if answer is not None:
            _walk_ids(answer, got, mapping)


def record_specs(rounds: int):
    """Run specs/ec2 on moto: per scenario, its boto3 calls and its times through the runner."""
    import scn_boto.adapter as adapter
    from scenario.loader import find_specs, load_file
    from scenario.plugins import backend, vocabulary
    from scenario.runner import run_scenario

    info = backend("moto")
    vocab = vocabulary()
    scenarios = [sc for f in find_specs([str(ROOT / "specs" / "ec2")]) for sc in load_file(f, vocab).scenarios]
    recorded: dict[int, list] = {}
    current: list = []
    real_call = adapter.Boto3World.call

    def recording(self, service, operation, doing="", **kwargs):
        try:
            answer = real_call(self, service, operation, doing, **kwargs)
        except Exception:
            current.append((service, operation, kwargs, None))
            raise
        current.append((service, operation, kwargs, answer))
        return answer

    times: dict[int, list[float]] = {}
    adapter.Boto3World.call = recording
    try:
        for r in range(rounds):
            for i, sc in enumerate(scenarios):
                current = []
                t = time.perf_counter()
                outcome = run_scenario(sc, info)
                took = time.perf_counter() - t
                if outcome.status in ("skipped",) or outcome.not_implemented or not current:
                    continue
                times.setdefault(i, []).append(took)
                recorded[i] = current
    finally:
        adapter.Boto3World.call = real_call
    return scenarios, recorded, times


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer rounds and scenarios (a smoke run)")
    p.add_argument("--sample", type=int, default=None, help="scenarios replayed the idiomatic way (default 30; 8 quick)")
    args = p.parse_args(argv)
    rounds = 2 if args.quick else 5
    sample = args.sample or (8 if args.quick else 30)

    import boto3
    from botocore.config import Config
    from moto import mock_aws

    from scn_boto.moto_backend import BACKEND

    t0 = time.perf_counter()
    scenarios, recorded, times = record_specs(rounds)
    BACKEND.stop()  # the idiomatic runs must not nest inside the long-lived mock
    ids = sorted(recorded)
    step = max(1, len(ids) // sample)
    chosen = ids[::step][:sample]

    def idiomatic(calls):
        @mock_aws
        def test():
            clients = {name: boto3.client(name, region_name="us-east-1") for name in {c[0] for c in calls}}
            replay(clients, calls)
        return test

    idio: dict[int, list[float]] = {}
    for _ in range(max(1, rounds // 2)):
        for i in chosen:
            fn = idiomatic(recorded[i])
            t = time.perf_counter()
            fn()
            idio.setdefault(i, []).append(time.perf_counter() - t)

    mock = mock_aws(config={"core": {"mock_credentials": True, "passthrough": {"urls": [], "services": []},
                                     "reset_boto3_session": False, "service_whitelist": None}})
    mock.start()
    try:
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
        clients = {"ec2": session.client("ec2", config=Config(account_id_endpoint_mode="disabled"))}
        from moto.ec2.models import ec2_backends

        from scn_boto.moto_backend import ACCOUNT, REGION, _no_default_amis

        def reset():
            with _no_default_amis():
                ec2_backends[ACCOUNT][REGION].reset()

        reset()
        replay(clients, recorded[ids[0]])  # warm
        floor: dict[int, list[float]] = {}
        for _ in range(rounds):
            for i in ids:
                t = time.perf_counter()
                reset()
                replay(clients, recorded[i])
                floor.setdefault(i, []).append(time.perf_counter() - t)
    finally:
        mock.stop()

    def med(d, keys):
        return statistics.median(statistics.median(d[i]) for i in keys)

    scn_all, floor_all = med(times, ids), med(floor, ids)
    scn_s, idio_s, floor_s = med(times, chosen), med(idio, chosen), med(floor, chosen)
    calls = statistics.median(len(recorded[i]) for i in ids)
    rows = [
        ["(a) scn on the moto backend", f"{scn_all * 1000:.1f}", f"{scn_s * 1000:.1f}", "1.00×"],
        ["(b) idiomatic: @mock_aws + new client per test", "", f"{idio_s * 1000:.1f}", f"{idio_s / scn_s:.1f}× slower than (a)"],
        ["(c) same calls, one long-lived mock, reset", f"{floor_all * 1000:.1f}", f"{floor_s * 1000:.1f}",
         f"(a) is {scn_s / floor_s:.2f}× of (c)"],
    ]
    print(f"EC2 specs on moto: {len(ids)} scenarios that run there ({len(scenarios)} compiled), median {calls:g} boto3 calls "
          f"each; {rounds} rounds; (b) on {len(chosen)} of them")
    print(tabulate(rows, headers=["way", "ms/scenario (all)", f"ms/scenario ({len(chosen)} sampled)", "ratio"],
                   tablefmt="github"))
    print(f"targets: (b)/(a) ≥ 5: {'met' if idio_s / scn_s >= 5 else 'NOT met'}; "
          f"(a)/(c) ≤ 1.3: {'met' if scn_s / floor_s <= 1.3 else 'NOT met'}  (whole run {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
