"""`scn explore`: find the divergences nobody wrote a spec for, shrunk to a minimal `.scn`.

Random programs are drawn from the vocabulary (:mod:`.space`), written as `.scn`
text and compiled by the real compiler (:mod:`.program`), run on two backends
and observed after every step (:mod:`.trace`); a disagreement is shrunk to the
smallest program that still shows it (:mod:`.shrink`) and written as a scenario
that passes on the first backend and fails on the second (:mod:`.render`).
:mod:`.explorer` runs the loop; this module is its front door::

    from scenario.explore import explore
    report = explore(["reference", "moto"], service="ec2", seed=1, max_examples=300, out="explored/")
    print(report.table())

The package, top to bottom (each module imports only from those below it)::

    pytest_items `pytest --scn-explore N`: drawn programs as test items (imported by the pytest plugin only)
    __init__     explore(): backends, space, database, files
    explorer     the loop: draw, compare, shrink, render, keep; the report; the database
    render       a divergence as a scenario, and its check on both backends
    shrink       delta debugging over steps, resources, values
    trace        a program on one backend, observed after every line; two traces compared
    space        what may be drawn, read off the vocabulary; the generator
    program      the program as data, and as .scn text
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..backend import BackendInfo
from ..errors import ConfigurationError
from .explorer import Database, Divergence, Explorer, Fault, Report, parse_budget
from .space import Space, build_space

__all__ = ["explore", "Report", "Divergence", "Fault", "Explorer", "Space", "build_space", "DEFAULT_DB"]

#: where failing examples are kept between runs (as Hypothesis keeps ``.hypothesis/``)
DEFAULT_DB = ".scn-explore"


def _backend(b: str | BackendInfo) -> BackendInfo:
    if isinstance(b, BackendInfo):
        return b
    from ..plugins import backend

    return backend(b)


def _library(paths: Iterable[str | Path]) -> list:
    from ..loader import find_specs, load_file
    from ..plugins import vocabulary

    vocab = vocabulary()
    out = []
    for f in find_specs([Path(p) for p in paths]):
        try:
            out.append(load_file(f, vocab, fact_check=None, fact_key=""))
        except Exception:  # a spec that does not compile teaches nothing here; `scn check` says why
            continue
    return out


def explore(backends: Sequence[str | BackendInfo] = ("reference", "moto"), *, service: str | None = None,
            kinds: Iterable[str] | None = None, max_examples: int = 100, max_steps: int = 6, seed: Any = 0,
            out: str | Path | None = None, time_budget: float | str | None = None,
            db: str | Path | None = DEFAULT_DB, known: Iterable[str | Path] = (), specs: Iterable[str | Path] | None = None,
            progress: Callable[[str], None] | None = None, command: str | None = None) -> Report:
    """Explore how ``backends[1]`` differs from ``backends[0]`` (the model); write each divergence to ``out``.

    :param service: only the kinds of this service (a kind's capability: ``ec2``, ``lambda``, …).
    :param kinds: only these kinds (any alias).
    :param max_examples: how many programs to draw (the database's replays come on top).
    :param max_steps: the most steps a drawn program has.
    :param seed: the same seed draws the same programs and writes the same files.
    :param out: the folder for the `.scn` files (none: nothing is written).
    :param time_budget: stop drawing after this long (seconds, or ``"5m"``).
    :param db: the folder of the failing-examples database (None: no database).
    :param known: spec files or folders whose ``@diverges`` scenarios are known: a divergence they cover is
        reported as known and not written.
    :param specs: the spec library whose values the generator draws from (default: ``specs/`` if there is one).
    :returns: a :class:`Report`; ``report.table()`` is the closing table.
    """
    if len(backends) != 2:
        raise ConfigurationError(f"explore compares two backends (--backend A --backend B); {len(backends)} given")
    if max_examples is None or max_examples < 0:
        raise ConfigurationError("--max-examples must be a number of examples, 1 or more")
    if max_examples == 0:
        raise ConfigurationError("--max-examples 0: a budget of 0 explores nothing")
    if max_steps < 1:
        raise ConfigurationError("--max-steps must be 1 or more")
    budget = parse_budget(time_budget) if isinstance(time_budget, str) else time_budget
    if budget is not None and budget <= 0:
        raise ConfigurationError("--time-budget: a budget of 0 explores nothing")
    a, b = (_backend(x) for x in backends)
    for info in (a, b):
        info.preflight()  # a backend that cannot start says so in one line
    from ..plugins import vocabulary

    vocab = vocabulary()
    if specs is None:
        specs = [p for p in ("specs",) if Path(p).is_dir()]
    library = _library(specs) if specs else []
    space = build_space(vocab, (a, b), service, kinds, library)
    command = command or (f"scn explore --backend {a.name} --backend {b.name}"
                          + (f" --service {service}" if service else "") + f" --seed {seed}")
    known_features = _library(known) if known else []
    explorer = Explorer(a, b, space, max_steps=max_steps, known=known_features, progress=progress,
                        describe=f"`{command}`")
    database = Database(db, f"{a.name}-{b.name}-{service or 'all'}-{'-'.join(sorted(space.kinds))}") if db else None
    replay = database.load() if database else []
    report = explorer.run(max_examples, seed, budget, replay)
    if database is not None:
        database.save(sorted(report.divergences, key=lambda d: repr(d.signature)))
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        names: set[str] = set()
        for d in sorted(report.divergences, key=lambda d: repr(d.signature)):
            if d.text is None or d.known:
                continue
            name = _file_name(d, names)
            d.path = folder / name
            d.path.write_text(d.text, encoding="utf-8")
    return report


def _file_name(d: Divergence, taken: set[str]) -> str:
    import hashlib

    from .render import slug

    base = slug(d.title, 100)
    name = f"{base}.scn"
    if name in taken:
        name = f"{base}-{hashlib.sha256(repr(d.signature).encode()).hexdigest()[:6]}.scn"
    taken.add(name)
    return name
