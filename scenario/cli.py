"""The ``scn`` command: check and run .scn specs."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import __version__
from .errors import ConfigurationError, ScenarioError, SpecErrors

__all__ = ["main"]

_MARKS = {"passed": ".", "failed": "F", "error": "E", "skipped": "s", "xfailed": "x", "xpassed": "X"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="scn", description="Executable architecture facts: check and run .scn specs.")
    p.add_argument("--version", action="version", version=f"scn {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("check", help="parse and compile specs; print every mistake")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--no-cache", action="store_true", help="compile afresh instead of using the compiled-spec cache")
    r = sub.add_parser("run", help="run specs on a backend")
    r.add_argument("paths", nargs="+", metavar="PATH")
    r.add_argument("--backend", "-b", action="append", metavar="NAME", help="backend to run on (repeatable; default: reference)")
    r.add_argument("--no-cache", action="store_true", help="compile afresh instead of using the compiled-spec cache")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress, only the summary")
    return p


def _load(paths, no_cache: bool, out, *, check_only: bool = False) -> tuple[list, int]:
    """Compile every spec under ``paths``: the features (or, to check only, their
    scenario counts) and how many mistakes were printed."""
    from .loader import check_file, find_specs, load_file
    from .plugins import vocabulary

    vocab = vocabulary()
    load = check_file if check_only else load_file
    features, errors = [], 0
    files, empty = [], []
    for path in paths:
        found = list(find_specs([path]))
        if not found and Path(path).is_dir():
            empty.append(path)
        files += [f for f in found if f not in files]
    if files:  # with nothing at all to read, the one message below says it
        for path in empty:
            print(f"scn: {path}: no .scn files in this folder", file=out)
    for f in files:
        if not f.exists():
            print(f"scn: {f}: no such file or folder", file=out)
            errors += 1
            continue
        try:
            features.append(load(f, vocab, use_cache=False if no_cache else None))
        except SpecErrors as exc:
            print(exc.render(), file=out)
            errors += len(exc.errors)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"scn: {f}: cannot read this file: {exc}", file=out)
            errors += 1
    if not files:
        print("scn: no .scn files found in " + ", ".join(map(str, paths)), file=out)
        errors += 1
    return features, errors


def _check(args) -> int:
    from .plugins import backends
    from .reporting import unknown_backends

    summaries, errors = _load(args.paths, args.no_cache, sys.stdout, check_only=True)
    features, n = summaries, sum(s["scenarios"] for s in summaries)
    for warning in unknown_backends([b for s in summaries for b in s["backends"]], backends()):
        print(f"warning: {warning}")
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''} in {len(args.paths)} path(s)")
        return 1
    print(f"ok: {len(features)} file{'s' if len(features) != 1 else ''}, {n} scenario{'s' if n != 1 else ''}")
    return 0


def _run(args) -> int:
    from .plugins import backend
    from .reporting import render_outcome, summary_table
    from .runner import run_scenario

    names = list(dict.fromkeys(args.backend or ["reference"]))
    try:
        backends = [backend(n) for n in names]
    except ConfigurationError as exc:
        print(f"scn: {exc}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    features, errors = _load(args.paths, args.no_cache, sys.stdout)
    from .plugins import backends as installed
    from .reporting import named_backends, unknown_backends

    for warning in unknown_backends([b for f in features for b in named_backends(f)], installed()):
        print(f"warning: {warning}")
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''}: nothing was run")
        return 1
    outcomes, problems = [], []
    write = sys.stdout.write
    for feature in features:
        marks = []
        for sc in feature.scenarios:
            for b in backends:
                o = run_scenario(sc, b)
                outcomes.append(o)
                marks.append(_MARKS[o.status])
                if o.status in ("failed", "error", "xpassed"):
                    problems.append((sc, o))
        if not args.quiet:
            write(f"{feature.span.path} {''.join(marks)}\n")
    for sc, o in problems:
        write("\n" + render_outcome(sc, o) + "\n")
    expected = [(sc, o) for sc, o in zip((sc for f in features for sc in f.scenarios for _ in backends), outcomes) if o.status == "xfailed"]
    if expected and not args.quiet:
        write("\nexpected failures:\n")
        for sc, o in expected:
            write(f"  {sc.span} [{o.backend}] {o.message.splitlines()[0]}\n")
    write("\n" + summary_table(outcomes, names) + "\n")
    bad = sum(1 for o in outcomes if o.status in ("failed", "error", "xpassed"))
    took = time.perf_counter() - start
    write(f"{len(outcomes)} scenario run{'s' if len(outcomes) != 1 else ''} in {took:.2f}s: "
          + ("all good" if not bad else f"{bad} not good") + "\n")
    return 1 if bad else 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "run":
            return _run(args)
        _parser().print_help()
        return 2
    except ConfigurationError as exc:
        print(f"scn: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (`scn run specs | head`): stop quietly, as Unix tools do
        _silence_stdout()
        return 141
    except OSError as exc:
        if getattr(exc, "filename", None) is None:  # writing our output failed (a full disk)
            _silence_stdout()
            print(f"scn: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
            return 1
        raise
    except KeyboardInterrupt:  # pragma: no cover
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - no real file descriptor
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
