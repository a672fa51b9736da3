"""The exploration loop: draw, run on two backends, compare, shrink, render, keep.

Every program is drawn from its own ``random.Random(f"{seed}:{n}")``, so example
``n`` is the same program whatever ran before it (the database's replays
included), and a seed gives the same files. The database keeps every shrunk
divergence (as Hypothesis keeps failing examples) and replays them first.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any, Callable, Iterable

import attrs

from .. import ir
from ..backend import BackendInfo
from ..errors import ConfigurationError, InternalError, SpecErrors
from . import program as P
from .render import scenario_lines, slug, title, verify
from .shrink import shrink
from .space import Space, draw
from .trace import Trace, compare, diff_key, is_random, key_order, run_trace, step_form

__all__ = ["Explorer", "Divergence", "Fault", "Report", "Database", "parse_budget"]


@attrs.define
class Divergence:
    """One distinct disagreement, shrunk."""

    signature: tuple  # (step form, what differs), said of kinds
    title: str
    program: tuple  # the shrunk program
    original: int  # steps of the program it was found in
    found_in: str  # "example 17", or "the database"
    text: str | None = None  # the .scn file, when it could be written as one
    steps: int = 0  # step lines of the scenario
    path: Path | None = None
    known: str | None = None  # the @diverges spec that covers it
    problem: str | None = None  # why it was not written


@attrs.define
class Fault:
    """A backend crashed: its fault, with the program so far."""

    backend: str
    message: str
    program: str


@attrs.define
class Report:
    backends: tuple[str, str]
    seed: Any
    examples: int = 0
    invalid: int = 0  # drawn programs the compiler refused (never run)
    steps: int = 0
    runs: int = 0  # programs run on both backends, shrinking included
    divergences: list[Divergence] = attrs.field(factory=list)
    faults: list[Fault] = attrs.field(factory=list)
    not_comparable: dict[str, int] = attrs.field(factory=dict)
    elapsed: float = 0.0
    replayed: int = 0

    def table(self) -> str:
        from tabulate import tabulate

        a, b = self.backends
        rows = []
        for i, d in enumerate(self.divergences, 1):
            where = (f"known: {d.known}" if d.known else str(d.path) if d.path else f"not written: {d.problem}")
            rows.append((i, d.title, d.steps or "-", d.found_in, where))
        head = (f"{len(self.divergences)} divergence{'s' if len(self.divergences) != 1 else ''} of {b} from {a} "
                f"in {self.examples} example{'s' if self.examples != 1 else ''} ({self.steps} steps, {self.runs} runs, "
                f"{self.elapsed:.1f}s)")
        out = [head]
        if rows:
            out.append(tabulate(rows, headers=("#", "what differs", "steps", "found in", "scenario"), tablefmt="simple"))
        if self.faults:
            out.append(f"{len(self.faults)} backend fault{'s' if len(self.faults) != 1 else ''}:")
            out += [f"  {f.backend}: {f.message.splitlines()[0]}" for f in self.faults[:10]]
        if self.not_comparable:
            out.append("not comparable (a backend does not implement it): "
                       + ", ".join(f"{k} ×{n}" for k, n in sorted(self.not_comparable.items())))
        return "\n".join(out)


def parse_budget(text: str | None) -> float | None:
    """`90s`, `5m`, `1h`, or seconds; None for no budget."""
    if text is None:
        return None
    t = str(text).strip().lower()
    factor = {"s": 1, "m": 60, "h": 3600}.get(t[-1:], None)
    try:
        value = float(t[:-1]) * factor if factor else float(t)
    except ValueError:
        raise ConfigurationError(f"--time-budget {text!r}: say how long, e.g. 90s, 5m or 1h") from None
    if value <= 0:
        raise ConfigurationError(f"--time-budget {text!r}: a budget of 0 explores nothing")
    return value


# ---------------------------------------------------------------- the database


def _step_json(st) -> dict:
    d = attrs.asdict(st, recurse=False)
    d = {k: [list(x) for x in v] if k in ("params", "relations") else v for k, v in d.items()}
    return {"type": type(st).__name__, **d}


_TYPES = {c.__name__: c for c in (P.Given, P.Setting, P.Create, P.Act, P.Wait)}


def _step_from(d: dict):
    d = dict(d)
    return _TYPES[d.pop("type")](**d)


class Database:
    """Shrunk failing programs, one JSON file per backend pair and scope, replayed first next time."""

    def __init__(self, folder: str | Path, key: str):
        self.file = Path(folder) / f"{slug(key, 120)}.json"

    def load(self) -> list[tuple]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            return [(tuple(_step_from(s) for s in entry["program"]), entry.get("original"))
                    for entry in data.get("examples", [])]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def save(self, divergences: Iterable[Divergence]) -> None:
        entries = [{"program": [_step_json(s) for s in d.program], "original": d.original} for d in divergences]
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.file.write_text(json.dumps({"examples": entries}, indent=1) + "\n", encoding="utf-8")
        except OSError:  # a read-only folder: exploring works, only without memory
            pass


# ---------------------------------------------------------------- exploring


class Explorer:
    """Explores what backend ``b`` does differently from ``a`` (the model) in ``space``."""

    def __init__(self, a: BackendInfo, b: BackendInfo, space: Space, *, max_steps: int = 6,
                 known: Iterable[ir.Feature] = (), progress: Callable[[str], None] | None = None,
                 describe: str = "scn explore", max_shrinks: int = 400):
        self.a, self.b, self.space, self.vocab = a, b, space, space.vocab
        self.max_steps = max_steps
        self.progress = progress or (lambda s: None)
        self.describe = describe
        self.max_shrinks = max_shrinks
        self._compiled: dict[str, ir.Scenario | None] = {}
        self._pairs: dict[tuple, Any] = {}
        self._probe_kinds()
        self.random_attrs = {(k, a_.name) for k, attrs_ in space.observed.items() for a_ in attrs_ if is_random(a_)}
        self.watch = self._calibrate()
        self.report = Report((a.name, b.name), None)
        self.report.not_comparable.update(getattr(self, "report_not_comparable", {}))
        self.seen: set = set()  # signatures found (before shrinking): not shrunk again
        self.kept: set = set()  # signatures kept (after shrinking)
        self.known = self._known(known)

    # ------------------------------------------------------------ what to observe
    def _probe_kinds(self) -> None:
        """Leave out the kinds a backend cannot create at all (it raises NotImplementedByBackend)."""
        for name in sorted(self.space.kinds):
            kind = self.space.kinds[name]
            sc = self.compile((P.Create(name, "probe"),))
            if sc is None:
                continue
            for backend in (self.a, self.b):
                t = run_trace(sc, backend, {})
                if t.not_implemented:
                    self.report_not_comparable = getattr(self, "report_not_comparable", {})
                    self.report_not_comparable[t.not_implemented] = 1
                    del self.space.kinds[name]
                    self.space.actions = {k: tuple(a for a in v if a.target != name) for k, v in self.space.actions.items()
                                          if k != name}
                    break

    def _calibrate(self, n: int = 40) -> dict:
        """The attributes worth observing after every step: those the model changes after creation (and the state)."""
        full = {k: tuple(a for a in v if a.name != "exists") for k, v in self.space.observed.items()}
        dynamic: dict[str, set[str]] = {k: {"state"} for k in full}
        rng = random.Random("calibrate")
        seen: dict = {}
        for _ in range(n):
            sc = self.compile(draw(rng, self.space, self.max_steps))
            if sc is None:
                continue
            t = run_trace(sc, self.a, full, created_params=False)
            for prev, line in zip(t.lines, t.lines[1:]):
                for k, v in line.obs.items():
                    if k[1] == "attr" and k in prev.obs and prev.obs[k] != v:
                        dynamic[sc.slots[k[0]].kind].add(k[2])
            for line in t.lines:
                for k, v in line.obs.items():
                    if k[1] == "attr" and k[2] != "state":
                        st = line.obs.get((k[0], "attr", "state"), "-")
                        seen.setdefault((sc.slots[k[0]].kind, k[2]), {}).setdefault(repr(st), set()).add(repr(v))
        # an attribute the state determines (the state code) says nothing the state does not
        implied = {ka for ka, by_state in seen.items() if len(by_state) > 1 and all(len(v) == 1 for v in by_state.values())}
        # and the addresses a claim may compare with (`equals the address of "eip"`): random, but not ids
        for k, attrs_ in full.items():
            dynamic[k] |= {a.name for a in attrs_ if is_random(a) and not a.name.split()[-1] == "id"}
        return {k: tuple(a for a in full[k] if a.name in dynamic[k] and (k, a.name) not in implied) for k in full}

    def _known(self, features: Iterable[ir.Feature]) -> dict:
        out: dict[tuple, str] = {}
        for f in features:
            for sc in f.scenarios:
                if sc.divergence(self.b.name) is None or sc.needs - self.a.capabilities - self.b.capabilities:
                    continue
                got = self._pair_of(sc)
                if got is None:
                    continue
                ta, tb, diffs = got
                for i, found in enumerate(diffs):
                    for d in found:
                        key = diff_key(d, ta.lines[i], sc)
                        for form in step_form(ta, i, sc):
                            out.setdefault((_core(form), key), f"{sc.span}")
        return out

    # ------------------------------------------------------------ running
    def compile(self, program: tuple) -> ir.Scenario | None:
        made: set[str] = set()
        for st in program:  # a step naming a resource the program no longer makes (shrinking removed it)
            if P.uses(st) - made:
                return None
            if isinstance(st, (P.Given, P.Create)) and st.name is not None:
                made.add(st.name)
        text = P.program_text(program, self.vocab)
        if text not in self._compiled:
            from ..compiler import compile_text

            try:
                self._compiled[text] = compile_text(text, self.vocab, "<explore>").scenarios[0]
            except SpecErrors:
                self._compiled[text] = None
        return self._compiled[text]

    def _pair_of(self, sc: ir.Scenario):
        ta = run_trace(sc, self.a, self.watch)
        tb = run_trace(sc, self.b, self.watch)
        self.report.runs += 1
        for t in (ta, tb):
            if t.not_implemented:
                self.report.not_comparable[t.not_implemented] = self.report.not_comparable.get(t.not_implemented, 0) + 1
        return ta, tb, compare(ta, tb, self.random_attrs, sc)

    def pair(self, program: tuple):
        if program in self._pairs:
            return self._pairs[program]
        sc = self.compile(program)
        got = None if sc is None else (sc,) + self._pair_of(sc)
        if len(self._pairs) > 5000:
            self._pairs.clear()
        self._pairs[program] = got
        return got

    _original: int | None = None

    def _signatures(self, sc, ta: Trace, diffs) -> list[tuple[int, tuple]]:
        out = []
        for i, found in enumerate(diffs):
            if not found:
                continue
            key = min((diff_key(d, ta.lines[i], sc) for d in found), key=key_order)
            out.append((i, (step_form(ta, i, sc), key)))
        return out

    def _holds(self, signature: tuple) -> Callable[[tuple], bool]:
        form, key = signature
        budget = [self.max_shrinks]

        def interesting(program: tuple) -> bool:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            got = self.pair(program)
            if got is None:
                return False
            return self._locate(program, got, form, key) is not None

        return interesting

    def _locate(self, program, got, form, key) -> int | None:
        sc, ta, tb, diffs = got
        for i, found in enumerate(diffs):
            if i >= len(program):
                break
            if _core_form(step_form(ta, i, sc)) == _core_form(form) and any(diff_key(d, ta.lines[i], sc) == key for d in found):
                prefix_ok = all(
                    ta.lines[j].outcome != "skipped" and (ta.lines[j].outcome == "ok" or not isinstance(program[j], P.GIVEN_TYPES))
                    for j in range(i))
                return i if prefix_ok else None
        return None

    def example(self, program: tuple, origin: str) -> None:
        got = self.pair(program)
        self.report.examples += 1
        if got is None:
            self.report.invalid += 1
            return
        sc, ta, tb, diffs = got
        self.report.steps += len(program)
        for t in (ta, tb):
            if t.fault:
                self.report.faults.append(Fault(t.backend, t.fault, P.program_text(program[:len(t.lines)], self.vocab)))
        shrunk = 0
        for i, signature in self._signatures(sc, ta, diffs):
            if signature in self.seen or shrunk >= 3:  # at most three new ones per example; the next ones come back
                continue
            self.seen.add(signature)
            shrunk += 1
            self._shrink_and_keep(program, signature, origin)

    def _shrink_and_keep(self, program: tuple, signature: tuple, origin: str) -> None:
        form, key = signature
        interesting = self._holds(signature)
        if not interesting(program):
            self.seen.discard(signature)  # not expressible from this program (its set-up was refused): another may be
            return
        defaults = {s.name: s.default for s in self.vocab.settings.values()}
        small = P.renumber(shrink(program, interesting, defaults), self.space.prefixes)
        if not interesting(small):  # renumbering cannot change the result, but say so if it did
            small = shrink(program, interesting, defaults)
        got = self.pair(small)
        i = self._locate(small, got, form, key) if got is not None else None
        if i is None:  # pragma: no cover - shrink keeps a program for which `interesting` holds
            raise InternalError(f"the shrunk program no longer shows {signature}")
        small = small[:i + 1]
        got = self.pair(small)
        sc, ta, tb, diffs = got
        form = step_form(ta, i, sc)  # the clauses the shrunk step kept
        kept = (_kept_form(form), key)
        if kept in self.kept:
            return  # another program shrank to the same divergence
        self.kept.add(kept)
        a, b = self.a.name, self.b.name
        name = title(form, key, a, b, self.vocab)
        d = Divergence(signature, name, small, getattr(self, "_original", None) or len(program), origin)
        if (_core(form[0]), key) in self.known:
            d.known = self.known[(_core(form[0]), key)]
        d.problem = "the difference cannot be said as a scenario's claims"
        for as_given in (False, True):  # the step as a when-creation, else its set-up as givens and its actions as whens
            ordered = sorted(diffs[i], key=lambda x: key_order(diff_key(x, ta.lines[i], sc)))
            lines = scenario_lines(small, i, ta, ordered, sc, self.vocab, as_given)
            if lines is None:
                continue
            text = self._file_text(name, lines, form, d.original)
            ok, why = verify(text, self.vocab, self.a, self.b)
            if ok:
                d.text, d.problem = text, None
                d.steps = sum(1 for ln in lines if not ln.startswith(("then ", "and ")))
                break
            d.problem = why.splitlines()[0]
        self.report.divergences.append(d)
        self.progress(f"divergence {len(self.report.divergences)}: {name}"
                      + (f" (known: {d.known})" if d.known else "" if d.text else f" (not written: {d.problem})"))

    def _file_text(self, name: str, lines: list[str], form: tuple, original: int) -> str:
        service = self.vocab.kinds[form[0][1]].capability if form[0][0] in ("act", "given", "create") else None
        head = [f"# Found by {self.describe}: {self.b.name} disagrees with {self.a.name}.",
                f"# Shrunk from {original} steps. It passes on {self.a.name} and fails on {self.b.name}; once the",
                f"# difference is confirmed, tag the scenario @diverges({self.b.name}, \"...\") or fix the backend.",
                " ".join(x for x in (f"@{service}" if service else "", "@explored") if x),
                f"feature: explored: {name}", "", f"  scenario: {name}"]
        return "\n".join(head + [f"    {ln}" for ln in lines]) + "\n"

    def run(self, max_examples: int, seed: Any, time_budget: float | None = None, replay: Iterable[tuple] = (),
            every: int = 25) -> Report:
        start = time.perf_counter()
        self.report.seed = seed
        # the database's examples first, with their own bookkeeping: what the seed finds is then the same with or
        # without a database, and a replayed divergence the seed does not find again is kept besides
        for prog, original in replay:
            self.report.replayed += 1
            self._original = original
            self.example(prog, "the database")
        self._original = None
        replayed, self.report.divergences = self.report.divergences, []
        self.seen, self.kept = set(), set()
        for n in range(max_examples):
            if time_budget is not None and time.perf_counter() - start > time_budget:
                self.progress(f"time budget spent after {n} examples")
                break
            prog = draw(random.Random(f"{seed}:{n}"), self.space, self.max_steps)
            self.example(prog, f"example {n}")
            if (n + 1) % every == 0:
                r = self.report
                self.progress(f"{n + 1} examples, {r.steps} steps, {len(r.divergences)} divergences "
                              f"({time.perf_counter() - start:.0f}s)")
        for d in replayed:
            if (_kept_form(d.signature[0]), d.signature[1]) not in self.kept:
                self.report.divergences.append(d)
        self.report.elapsed = time.perf_counter() - start
        return self.report


def _kept_form(forms: tuple) -> tuple:
    """A shrunk step's form as dedup sees it: a creation is one whether given or when, one of many or alone."""
    return tuple(("create",) + f[1:4] + tuple(x for x in f[4:] if x != "many") if f[0] in ("given", "create") else f
                 for f in forms)


def _core_form(forms: tuple) -> tuple:
    return tuple(_core(f) for f in forms)


def _core(form: tuple) -> tuple:
    """A step form without its clauses: how a known divergence is matched."""
    if form[0] in ("given", "create"):
        return ("create", form[1])
    if form[0] == "act":
        return form[:5]
    return form[:2]
