"""The moto backend's cost per scenario, service by service, measured side by side in one run; prints a table.

    python bench/bench_moto.py [--quick] [--sample N] [--service ec2 --service rds ...]

For each service's folder of specs/, every spec that runs on moto (skipped and
not-implemented ones aside) is run through the ``moto`` backend, recording the
boto3 calls it makes. The same calls are then replayed two ways, as a team would
hand-write them:

(a) scn: the scenario through the runner on the ``moto`` backend (one long-lived
    mock, EC2 state reset and ids seeded per scenario, long-lived clients);
(b) idiomatic: a function decorated with ``@mock_aws`` that makes its own
    ``boto3.client("ec2")`` and makes the calls — what a pytest test decorated with
    ``@mock_aws`` does (timed by calling it, without pytest's own small per-test cost);
(c) long-lived: the same calls inside one open mock with long-lived clients, the
    state of the services used reset between scenarios the same cheap way (no default
    AMIs) — the floor that scn's runner and adapter add to.

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
        except Exception:  # what moto cannot answer in a replay (an id it never made): the next call goes on
            continue
        if answer is not None:
            _walk_ids(answer, got, mapping)


def record_specs(folder: Path, rounds: int):
    """Run one folder of specs on moto: per scenario, its boto3 calls and its times through the runner."""
    import scn_boto.adapter as adapter
    from scenario.loader import find_specs, load_file
    from scenario.plugins import backend, vocabulary
    from scenario.runner import run_scenario

    info = backend("moto")
    vocab = vocabulary()
    scenarios = [sc for f in find_specs([str(folder)]) for sc in load_file(f, vocab).scenarios]
    recorded: dict[int, list] = {}
    current: list = []
    real_call = adapter.Boto3World.call

    def recording(self, service, operation, doing="", region=None, **kwargs):
        # a call to another region is replayed in the default one (the clients of (b) and (c) are one per service)
        return_region = {} if region is None else {"region": region}
        try:
            answer = real_call(self, service, operation, doing, **return_region, **kwargs)
        except Exception:
            current.append((service, operation, kwargs, None))
            raise
        current.append((service, operation, kwargs, answer))
        return answer

    times: dict[int, list[float]] = {}
    adapter.Boto3World.call = recording
    try:
        for _ in range(rounds):
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


def _config():
    from botocore.config import Config

    return Config(account_id_endpoint_mode="disabled", parameter_validation=False)


def idiomatic_times(recorded, chosen, rounds) -> dict[int, list[float]]:
    """(b): each scenario's calls in a function decorated with ``@mock_aws``, making its own clients."""
    import boto3
    from moto import mock_aws

    def idiomatic(calls):
        @mock_aws
        def test():
            clients = {name: boto3.client(name, region_name="us-east-1", config=_config())
                       for name in {c[0] for c in calls}}
            replay(clients, calls)
        return test

    idio: dict[int, list[float]] = {}
    for _ in range(max(1, rounds // 2)):
        for i in chosen:
            fn = idiomatic(recorded[i])
            t = time.perf_counter()
            fn()
            idio.setdefault(i, []).append(time.perf_counter() - t)
    return idio


def floor_times(recorded, ids, rounds) -> dict[int, list[float]]:
    """(c): the same calls in one open mock with long-lived clients, the services used reset between scenarios."""
    import boto3
    from moto import mock_aws

    from scn_boto.moto_backend import BACKEND, _no_default_amis

    mock = mock_aws(config={"core": {"mock_credentials": True, "passthrough": {"urls": [], "services": []},
                                     "reset_boto3_session": False, "service_whitelist": None}})
    with _no_default_amis():
        mock.start()
    try:
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
        names = {c[0] for i in ids for c in recorded[i]}
        clients = {name: session.client(name, config=_config()) for name in names}
        replay(clients, recorded[ids[0]])  # warm
        floor: dict[int, list[float]] = {}
        for _ in range(rounds):
            for i in ids:
                t = time.perf_counter()
                BACKEND.reset({c[0] for c in recorded[i]})
                replay(clients, recorded[i])
                floor.setdefault(i, []).append(time.perf_counter() - t)
    finally:
        mock.stop()
    return floor


def measure(folder: Path, rounds: int, sample: int) -> list | None:
    """One service's row: scenarios, calls, (a), (b), (c) in ms per scenario and the two ratios."""
    from scn_boto.moto_backend import BACKEND

    scenarios, recorded, times = record_specs(folder, rounds)
    BACKEND.stop()  # the idiomatic runs must not nest inside the long-lived mock
    ids = sorted(recorded)
    if not ids:
        return None
    step = max(1, len(ids) // sample)
    chosen = ids[::step][:sample]
    idio = idiomatic_times(recorded, chosen, rounds)
    floor = floor_times(recorded, ids, rounds)

    def med(d, keys):
        return statistics.median(statistics.median(d[i]) for i in keys)

    scn_s, idio_s, floor_s = med(times, chosen), med(idio, chosen), med(floor, chosen)
    calls = statistics.median(len(recorded[i]) for i in ids)
    return [folder.name, len(ids), f"{calls:g}", f"{med(times, ids) * 1000:.1f}", f"{scn_s * 1000:.1f}",
            f"{idio_s * 1000:.1f}", f"{floor_s * 1000:.1f}", f"{idio_s / scn_s:.1f}×", f"{scn_s / floor_s:.2f}×"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer rounds and scenarios (a smoke run)")
    p.add_argument("--sample", type=int, default=None, help="scenarios replayed the idiomatic way (default 30; 8 quick)")
    p.add_argument("--service", action="append", help="a folder of specs/ (repeatable; default: every one)")
    args = p.parse_args(argv)
    rounds = 2 if args.quick else 5
    sample = args.sample or (8 if args.quick else 30)
    folders = [ROOT / "specs" / s for s in args.service] if args.service else sorted(
        d for d in (ROOT / "specs").iterdir() if d.is_dir() and any(d.glob("*.scn")))

    t0 = time.perf_counter()
    rows = [row for folder in folders if (row := measure(folder, rounds, sample)) is not None]
    print(f"specs on moto, service by service: {rounds} rounds; (a) and (c) medians over the sampled scenarios "
          f"(at most {sample} a service), (a) also over all")
    print(tabulate(rows, headers=["service", "scenarios", "calls", "(a) scn ms (all)", "(a) scn ms",
                                  "(b) @mock_aws ms", "(c) long-lived ms", "(b)/(a)", "(a)/(c)"], tablefmt="github"))
    print("(a) scn on the moto backend; (b) idiomatic: @mock_aws and new clients per test; (c) the same calls in one "
          "long-lived mock, reset.  targets: (b)/(a) ≥ 5, (a)/(c) ≤ 1.3")
    print(f"whole run {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
