"""The ``scn`` command: check and run .scn specs."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import ConfigurationError, SpecErrors

__all__ = ["main"]

#: scn's own commands: `scn <one of these>` asks the plugins only for that command's options, and not for their
#: commands (`scn sweep`); any other first word (a plugin's command, --help, a typo) builds the whole parser
OWN_COMMANDS = frozenset({"check", "run", "facts", "matrix", "explore", "report", "vocab", "fmt", "lsp"})

_MARKS = {"passed": ".", "failed": "F", "error": "E", "skipped": "s", "xfailed": "x", "xpassed": "X"}


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``scn``. With ``command``, one of :data:`OWN_COMMANDS`, the plugins are asked for that
    command's options only and for none of their commands: what parses ``scn <command> …`` is the same, and
    ``scn check`` loads no backend to parse its arguments."""
    full = command not in OWN_COMMANDS

    def plugin_options(parser: argparse.ArgumentParser) -> None:
        if full or parser.prog.rpartition(" ")[2] == command:
            _plugin_options(parser)

    p = argparse.ArgumentParser(prog="scn", description="Executable architecture facts: check and run .scn specs.")
    p.add_argument("--version", action="version", version=f"scn {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("check", help="parse and compile specs; print every mistake")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--no-cache", action="store_true", help="compile afresh instead of using the compiled-spec cache")
    c.set_defaults(scn_handler=_check)
    r = sub.add_parser("run", help="run specs on a backend")
    r.add_argument("paths", nargs="+", metavar="PATH")
    r.add_argument("--backend", "-b", action="append", metavar="NAME", help="backend to run on (repeatable; default: reference)")
    r.add_argument("--no-cache", action="store_true", help="compile afresh instead of using the compiled-spec cache")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress, only the summary")
    r.add_argument("-v", "--verbose", action="store_true", help="one line per scenario and backend: its status, place and title")
    r.add_argument("--color", "--colour", choices=("auto", "always", "never"), default="auto",
                   help="colour the output: auto (the default) on a terminal unless NO_COLOR is set, always, never")
    r.add_argument("--junitxml", metavar="FILE", help="also write the outcomes to FILE as JUnit XML (for CI)")
    r.add_argument("--json", metavar="FILE", help="also write the outcomes to FILE as JSON")
    r.add_argument("--trace", action="store_true",
                   help="record each API call a scenario makes (boto3 backends) and show the calls under every "
                        "failure and known divergence, secrets masked: a reproducer for a bug report")
    r.add_argument("--record", metavar="FILE",
                   help="write each scenario's outcome, date, region and versions to this validation file "
                        "(e.g. specs/validations/aws.toml)")
    plugin_options(r)
    r.set_defaults(scn_handler=_run)
    f = sub.add_parser("facts", help="which facts of the inventory the specs verify on a backend")
    f.add_argument("path", nargs="?", default="specs", metavar="PATH", help="a spec library or part of one (default: specs)")
    f.add_argument("--backend", "-b", default="reference", metavar="NAME", help="backend to run on (default: reference)")
    f.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    f.add_argument("--prefix", metavar="ID", help="only the facts whose id starts with this (e.g. ec2 or ec2.ip)")
    f.add_argument("--fail-under", type=float, metavar="PCT", help="exit 1 when fewer than PCT %% of the testable facts are verified")
    f.add_argument("--no-cache", action="store_true", help="compile afresh instead of using the compiled-spec cache")
    f.add_argument("--records", metavar="FILE", action="append",
                   help="validation records to count the facts validated on aws from (repeatable; "
                        "default: validations/*.toml of the library)")
    f.add_argument("--audit", action="store_true",
                   help="instead of running the specs, check every error code they and the inventory assert against "
                        "botocore's service models or the entry's error_source; per fact, its codes' verdicts and aws_today")
    plugin_options(f)
    f.set_defaults(scn_handler=_facts)
    m = sub.add_parser("matrix", help="run specs on several backends: scenarios × backends, every divergence named")
    m.add_argument("paths", nargs="+", metavar="PATH")
    m.add_argument("--backend", "-b", action="append", metavar="NAME", help="a column (repeatable; default: reference)")
    m.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    m.add_argument("--fidelity", metavar="NAME",
                   help="print the fidelity report of this backend (a docs page, markdown) instead of the bare matrix")
    m.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    m.add_argument("--no-cache", action="store_true", help="compile afresh instead of using the compiled-spec cache")
    m.add_argument("--records", metavar="FILE", action="append",
                   help="validation records for the 'validated' column (repeatable; default: validations/*.toml of the library)")
    plugin_options(m)
    m.set_defaults(scn_handler=_matrix)
    x = sub.add_parser("explore", help="random programs on two backends; each disagreement shrunk to a minimal .scn")
    x.add_argument("--backend", "-b", action="append", metavar="NAME", help="the model, then the backend to compare (twice)")
    x.add_argument("--service", metavar="NAME", help="only the kinds of this service (ec2, lambda, rds, …)")
    x.add_argument("--kinds", metavar="K,…", help="only these kinds, comma-separated")
    x.add_argument("--max-examples", type=int, default=100, metavar="N", help="programs to draw (default: 100)")
    x.add_argument("--max-steps", type=int, default=6, metavar="N", help="the most steps a program has (default: 6)")
    x.add_argument("--seed", default="0", metavar="S", help="the same seed draws the same programs (default: 0)")
    x.add_argument("--out", metavar="DIR", help="write each divergence as a .scn file into DIR")
    x.add_argument("--time-budget", metavar="TIME", help="stop drawing after this long: 90s, 5m, 1h")
    x.add_argument("--db", default=".scn-explore", metavar="DIR",
                   help="the failing examples kept and replayed first (default: .scn-explore)")
    x.add_argument("--no-db", action="store_true", help="no database: neither replay nor keep")
    x.add_argument("--known", action="append", metavar="PATH",
                   help="specs whose @diverges scenarios are known: what they cover is reported, not written (repeatable)")
    x.add_argument("--specs", action="append", metavar="PATH", help="the spec library to draw values from (default: specs/)")
    plugin_options(x)
    x.set_defaults(scn_handler=_explore)
    _report_command(sub, plugin_options)
    if full:  # the plugins' own commands (`scn sweep`) among those that reach a backend, before the listing
        from .plugins import get_plugin_manager

        get_plugin_manager().hook.scn_cli_commands(subparsers=sub)
    v = sub.add_parser("vocab", help="the vocabulary as users write it, and what each backend supports")
    v.add_argument("kind", nargs="*", metavar="KIND",
                   help="a service (lambda, rds, …), a kind (any alias) or `settings`; none: the index of services and kinds")
    v.add_argument("--search", metavar="WORD", help="every kind, attribute, action, relation and setting that says WORD")
    v.add_argument("--format", choices=("table", "markdown"), default="table")
    v.set_defaults(scn_handler=_vocab)
    _authoring_commands(sub)
    return p


def _version() -> str:
    from ._version import __version__

    return __version__


def _plugin_options(parser) -> None:
    """The plugins' own options (the aws backend's), each plugin's in its own group (``scn_addoption``)."""
    from .options import OptionParser
    from .plugins import get_plugin_manager

    get_plugin_manager().hook.scn_addoption(parser=OptionParser.for_argparse(parser))


def _configure(backends, args) -> None:
    """Hand the plugins' option values to the backends of the run (``scn_configure``), before their preflight."""
    from .options import OptionValues
    from .plugins import get_plugin_manager

    values = OptionValues("scn", lambda dest: getattr(args, dest, None))
    get_plugin_manager().hook.scn_configure(values=values, backends=list(backends))


def _load(paths, no_cache: bool, out, *, check_only: bool = False, check_facts: bool = True, opened: bool = False) -> tuple[list, int]:
    """Compile every spec under ``paths``: the features (to check only, their summaries;
    ``opened``, each opened for a run chunk by chunk, a :class:`scenario.loader.Spec`) and
    how many mistakes were printed."""
    from .loader import check_file, find_specs, load_file, open_file
    from .plugins import vocabulary

    vocab = vocabulary()
    load = check_file if check_only else open_file if opened else load_file
    features: list = []  # features, summaries or opened specs: what ``load`` gives
    errors = 0
    files, empty = [], []
    if any(not str(p).strip() for p in paths):  # `scn check ""`: Path("") is the current folder, which was not meant
        print('scn: a path is empty (""): name a .scn file or a folder, e.g. specs/', file=out)
        return features, 1
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
            unchecked = {} if check_facts else {"fact_check": None, "fact_key": ""}
            features.append(load(f, vocab, use_cache=False if no_cache else None, **unchecked))
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
    summaries, errors = _load(args.paths, args.no_cache, sys.stdout, check_only=True)
    features, n = summaries, sum(s["scenarios"] for s in summaries)
    named = [tuple(b) for s in summaries for b in s["backends"]]
    if named:  # only then are the installed backends asked for (the moto and aws ones import boto3's adapter)
        from .plugins import backends
        from .reporting import unknown_backends

        for warning in unknown_backends(named, backends()):
            print(f"warning: {warning}")
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''} in {_files_in(args.paths)}")
        return 1
    print(f"ok: {len(features)} file{'s' if len(features) != 1 else ''}, {n} scenario{'s' if n != 1 else ''}")
    return 0


def _files_in(paths) -> str:
    """`2 files`: the spec files under ``paths`` (a path that is no file counts as one), for `scn check`'s verdict."""
    from .loader import find_specs

    n = 0
    for p in paths:
        try:
            n += max(len(list(find_specs([p]))), 1)
        except (OSError, ValueError):
            n += 1
    return f"{n} file{'s' if n != 1 else ''}"


def _run(args) -> int:
    from .plugins import backend

    names = list(dict.fromkeys(args.backend or ["reference"]))
    trace = bool(getattr(args, "trace", False))
    try:
        backends = [backend(n) for n in names]
        _configure(backends, args)
        _preflight(backends)
    except ConfigurationError as exc:
        print(f"scn: {exc}", file=sys.stderr)
        return 2
    for b in backends:
        line = b.announce() if b.announce is not None else None
        if line:  # the aws backend: which account, and the run id a sweep needs after a crash
            print(line, flush=True)
    start = time.perf_counter()
    specs, errors = _load(args.paths, args.no_cache, sys.stdout, opened=True)
    try:
        return _run_specs(args, specs, errors, names, backends, trace, start)
    finally:
        for spec in specs:
            spec.close()


#: the outcomes a run reports one by one after its marks; every other outcome is only counted (runner.Status
#: values: its members equal these strings, and the runner is not imported before a run)
_PROBLEMS = ("failed", "error", "xpassed")


def _run_specs(args, specs, errors: int, names: list[str], backends: list, trace: bool, start: float) -> int:
    """Run the opened specs scenario by scenario: what is kept of a passed run is its count, so a run's
    memory does not grow with the library (unless --record, --junitxml or --json ask for every run)."""
    from collections import Counter

    from .plugins import backends as installed
    from .reporting import render_outcome, render_transcript, summary_table_of, unknown_backends
    from .runner import Status, run_scenario

    for warning in unknown_backends([tuple(b) for s in specs for b in s.summary["backends"]], installed()):
        print(f"warning: {warning}")
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''}: nothing was run")
        return 1
    from .run_output import header, paint, skip_reason, skip_summary_of, spec_warnings, use_colour, verbose_line

    colour = use_colour(getattr(args, "color", None), sys.stdout)
    for warning in spec_warnings([(s.path, s.feature.name, s.summary["scenarios"], s.summary["facts"]) for s in specs]):
        print(paint(f"warning: {warning}", "warning", colour))
    verbose = bool(getattr(args, "verbose", False))
    marking = not args.quiet and not verbose
    if not args.quiet:
        print(header(names, len(specs), sum(s.summary["scenarios"] for s in specs)))
    keep_runs = bool(args.record or getattr(args, "junitxml", None) or getattr(args, "json", None))
    counts: dict[str, Counter] = {n: Counter() for n in names}
    skips: Counter = Counter()
    problems, expected, runs = [], [], []
    write = sys.stdout.write
    for spec in specs:
        if marking:
            write(f"{spec.feature.span.path} ")
        for sc in spec:
            for b in backends:
                o = run_scenario(sc, b, trace=trace)
                counts.setdefault(o.backend, Counter())[o.status] += 1
                if keep_runs:
                    runs.append((sc, o, b))
                if o.status in _PROBLEMS:
                    problems.append((sc, o))
                elif o.status == Status.XFAILED:
                    expected.append((sc, o))
                elif o.status == Status.SKIPPED:
                    skips[skip_reason(o)] += 1
                if verbose:
                    write(verbose_line(sc, o, colour) + "\n")
                elif marking:
                    write(paint(_MARKS[o.status], o.status, colour))
        if marking:
            write("\n")
    for sc, o in problems:
        write("\n" + render_outcome(sc, o) + "\n")
    if expected and not args.quiet:
        write("\nexpected failures:\n")
        for sc, o in expected:
            write(f"  {sc.span} [{o.backend}] {o.message.splitlines()[0]}\n")
            for line in render_transcript(o, indent="    "):  # --trace: what the backend was asked, to report it upstream
                write(line + "\n")
    if skips and not args.quiet:  # why scenarios did not run, once per reason
        write("\nskipped:\n" + "\n".join(skip_summary_of(skips)) + "\n")
    write("\n" + summary_table_of(counts) + "\n")
    if args.record:
        from .records import entry, update

        infos = {b.name: _run_info(b) for b in backends}
        n = update(args.record, (entry(sc, o, infos[b.name]) for sc, o, b in runs))
        write(f"recorded {n} outcome{'s' if n != 1 else ''} in {args.record}\n")
    bad = len(problems)
    took = time.perf_counter() - start
    for path, render in ((getattr(args, "junitxml", None), "junit"), (getattr(args, "json", None), "json")):
        if path:  # the reports CI reads, written by scn itself
            from .run_output import json_report, junit_xml

            pairs = [(sc, o) for sc, o, _b in runs]
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(junit_xml(pairs) if render == "junit" else json_report(pairs, took), encoding="utf-8")
            write(f"wrote {path}\n")
    total = sum(sum(c.values()) for c in counts.values())
    verdict = paint("all good", "good", colour) if not bad else paint(f"{bad} not good", "bad", colour)
    write(f"{total} scenario run{'s' if total != 1 else ''} in {took:.2f}s: " + verdict + "\n")
    return 1 if bad else 0


def _run_info(b) -> dict:
    """Where a backend ran, for a validation record (the aws backend knows its region and endpoint)."""
    return b.where()


def _validations(args, start):
    """The validation records ``--records`` names, or the library's own; None when there are none."""
    from .records import find_records, merged

    paths = args.records or find_records(start)
    return merged(paths) if paths else None


def _facts(args) -> int:
    from .fact_coverage import cover, render
    from .facts import find_inventory, load_inventory
    from .plugins import backend
    from .runner import run_scenario

    folder = find_inventory(args.path)
    if folder is None:
        print(f"scn: no facts inventory at or above {args.path} (a facts/ folder of TOML files, as specs/facts/)",
              file=sys.stderr)
        return 2
    if args.audit:  # nothing runs: the error-code audit (scenario/fact_audit.py)
        from .fact_audit import run_audit

        return run_audit(args.path, fmt=args.format, prefix=args.prefix, no_cache=args.no_cache)
    inventory = load_inventory(folder)
    info = backend(args.backend)
    _configure([info], args)
    _preflight([info])
    # tags are checked by the report itself, so that one dangling tag does not hide the rest
    features, errors = _load([args.path], args.no_cache, sys.stdout, check_facts=False)
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''}: no coverage was measured")
        return 1
    runs = [(sc, run_scenario(sc, info)) for feature in features for sc in feature.scenarios]
    from .records import validated_on_aws

    records = _validations(args, args.path)
    cov = cover(inventory, runs, info.name, prefix=args.prefix,
                validated=None if records is None else validated_on_aws(records))
    print(render(cov, args.format))
    if cov.mistakes or any(fs.status == "failing" for fs in cov.facts):
        return 1
    if args.fail_under is not None:
        totals = cov.totals()
        pct = 100 * totals["verified"] / totals["testable"] if totals["testable"] else 100.0
        if pct < args.fail_under:
            print(f"{pct:.1f} % of the testable facts are verified, under the required {args.fail_under:g} %")
            return 1
    return 0


def _preflight(backends) -> None:
    """A backend that cannot start at all (a missing extra) says so once, before anything runs."""
    for b in backends:
        b.preflight()  # raises ConfigurationError with one line


def _matrix(args) -> int:
    from .matrix import build, fidelity_page
    from .plugins import backend

    names = list(dict.fromkeys(args.backend or ["reference"]))
    if args.fidelity and args.fidelity not in names:
        names.append(args.fidelity)
    backends = [backend(n) for n in names]
    _configure(backends, args)
    _preflight(backends)
    features, errors = _load(args.paths, args.no_cache, sys.stderr)
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''}: nothing was run", file=sys.stderr)
        return 1
    matrix = build([sc for f in features for sc in f.scenarios], backends, validations=_validations(args, args.paths[0]))
    if args.fidelity:
        command = "scn matrix " + " ".join(args.paths) + "".join(f" --backend {n}" for n in names) \
            + f" --fidelity {args.fidelity}" + (f" --output {args.output}" if args.output else "")
        text = fidelity_page(matrix, args.fidelity, command)
    else:
        text = matrix.render(args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        totals = matrix.totals()
        for b in names:
            print(f"{b}: " + ", ".join(f"{n} {c}" for c, n in totals[b].items()))
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0 if matrix.green else 1


def _report_command(sub, plugin_options=None) -> None:
    """`scn report`: the fact book as one self-contained web page (docs/fact-book.md)."""
    rp = sub.add_parser("report", help="the fact book: every statement of the notes, its verdict and its scenarios "
                                       "on each backend, as a static web page")
    rp.add_argument("paths", nargs="+", metavar="PATH")
    rp.add_argument("--backend", "-b", action="append", metavar="NAME", help="a backend to run on (repeatable; default: reference)")
    rp.add_argument("--html", required=True, metavar="DIR",
                    help="write DIR/index.html (or this file, if it ends in .html): one page, no server needed")
    rp.add_argument("--title", default="scn fact book", help="the page's title")
    rp.add_argument("--no-cache", action="store_true", help="compile afresh instead of using the compiled-spec cache")
    rp.add_argument("--records", metavar="FILE", action="append",
                    help="validation records to show the facts validated on aws from (repeatable; "
                         "default: validations/*.toml of the library)")
    (plugin_options or _plugin_options)(rp)
    rp.set_defaults(scn_handler=_report)


def _report(args) -> int:
    import datetime

    from .fact_book import build, render_html
    from .facts import find_inventory, load_inventory
    from .plugins import backend
    from .records import validated_on_aws
    from .runner import run_scenario

    folder = find_inventory(args.paths[0])
    if folder is None:
        print(f"scn: no facts inventory at or above {args.paths[0]} (a facts/ folder of TOML files, as specs/facts/)",
              file=sys.stderr)
        return 2
    inventory = load_inventory(folder)
    names = list(dict.fromkeys(args.backend or ["reference"]))
    backends = [backend(n) for n in names]
    _configure(backends, args)
    _preflight(backends)
    start = time.perf_counter()
    # dangling tags are the page's to show, as scn facts shows them
    features, errors = _load(args.paths, args.no_cache, sys.stdout, check_facts=False)
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''}: no report was written")
        return 1
    runs = [(sc, run_scenario(sc, b)) for f in features for sc in f.scenarios for b in backends]
    records = _validations(args, args.paths[0])
    book = build(inventory, runs, names, validated=None if records is None else validated_on_aws(records))
    command = "scn report " + " ".join(args.paths) + "".join(f" --backend {n}" for n in names) + f" --html {args.html}"
    page = render_html(book, title=args.title, command=command, generated=datetime.date.today().isoformat())
    out = Path(args.html)
    if out.suffix.lower() not in (".html", ".htm"):
        out = out / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    for b in names:
        t = book.coverage[b].totals()
        print(f"{b}: {t['verified']} of {t['testable']} testable statements verified"
              + "".join(f", {t[s]} {s}" for s in ("failing", "skipped", "missing") if t[s]))
    print(f"wrote {out} ({len(page.encode()) / 1024:.0f} KiB, {len(runs)} scenario runs) in {time.perf_counter() - start:.1f}s")
    return 0


def _explore(args) -> int:
    from .explore import explore
    from .plugins import backend

    names = list(args.backend or [])
    if len(names) != 2:
        print("scn: explore compares two backends: --backend MODEL --backend OTHER", file=sys.stderr)
        return 2
    infos = [backend(n) for n in names]
    _configure(infos, args)
    report = explore(infos, service=args.service, kinds=[k.strip() for k in args.kinds.split(",")] if args.kinds else None,
                     max_examples=args.max_examples, max_steps=args.max_steps, seed=args.seed, out=args.out,
                     time_budget=args.time_budget, db=None if args.no_db else args.db, known=args.known or (),
                     specs=args.specs, progress=lambda line: print(line, flush=True),
                     command=" ".join(["scn explore", *(f"--backend {n}" for n in names)]
                                      + ([f"--service {args.service}"] if args.service else []) + [f"--seed {args.seed}"]))
    print("\n" + report.table())
    return 0


def _vocab(args) -> int:
    from .plugins import backends, vocabulary
    from .vocab_report import index, render, search, select

    vocab = vocabulary()
    if getattr(args, "search", None):
        print(search(vocab, args.search), end="")
        return 0
    if not args.kind and args.format == "table":
        print(index(vocab), end="")
        return 0
    if [k.lower() for k in args.kind] == ["settings"]:
        print(render(vocab, [], list(backends().values()), args.format, settings=True), end="")
        return 0
    kinds = select(vocab, args.kind)
    print(render(vocab, kinds, list(backends().values()), args.format), end="")
    return 0


def _authoring_commands(sub) -> None:
    """`scn fmt` and `scn lsp`: scn in an editor (docs/authoring.md)."""
    f = sub.add_parser("fmt", help="rewrite specs in the canonical layout (--check: only say which would change)")
    f.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; - formats standard input to standard output")
    f.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is not in the canonical layout")
    f.add_argument("--diff", action="store_true", help="with --check: print what would change, as a unified diff")
    f.set_defaults(scn_handler=_fmt)
    lsp = sub.add_parser("lsp", help="the language server, over standard input and output (for editors)")
    lsp.set_defaults(scn_handler=_lsp)


def _fmt(args) -> int:
    import difflib

    from .fmt import format_text
    from .loader import find_specs, read_spec

    if args.paths == ["-"]:
        text = sys.stdin.read()
        try:
            sys.stdout.write(format_text(text, "<stdin>"))
        except SpecErrors as exc:
            print(exc.render() + "\nscn: <stdin>: not formatted: it does not parse", file=sys.stderr)
            return 1
        return 0
    changed = unchanged = failed = 0
    files = list(find_specs(args.paths))
    for f in files:
        try:
            text = read_spec(f, str(f))
            new = format_text(text, str(f))
        except SpecErrors as exc:
            print(exc.render())
            print(f"scn: {f}: not formatted: it does not parse (the syntax error above)")
            failed += 1
            continue
        except OSError as exc:
            print(f"scn: {f}: cannot read this file: {exc.strerror or exc}")
            failed += 1
            continue
        if new == text:
            unchanged += 1
            continue
        changed += 1
        if args.check:
            print(f"would reformat {f}")
            if args.diff:
                sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), str(f), f"{f} (formatted)"))
        else:
            f.write_text(new, encoding="utf-8", newline="")
            print(f"reformatted {f}")
    if not files:
        print("scn: no .scn files found in " + ", ".join(map(str, args.paths)))
        return 1
    done = "would be reformatted" if args.check else "reformatted"
    print(f"{changed} file{'s' if changed != 1 else ''} {done}, {unchanged} unchanged"
          + (f", {failed} not formatted" if failed else ""))
    return 1 if failed or (args.check and changed) else 0


def _lsp(args) -> int:
    from .lsp import serve

    return serve()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--version"]:  # answered before anything else is imported, as argparse would answer it
        sys.stdout.write(f"scn {_version()}\n")
        sys.exit(0)
    parser = _parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    handler = getattr(args, "scn_handler", None)  # scn's own commands and the plugins' alike
    try:
        if handler is None:
            parser.print_help()
            return 2
        return handler(args)
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
