"""Fuzzing `scn check` with the spec library's own files (issue 21); marked slow, run by CI.

The inputs are mutants of specs/**/*.scn: each scenario of the library cut out with what
it stands on (the feature's `feature:` line and tags, the backgrounds, the rule), and now
and then a whole file, changed by one to four mutations that work on tokens — a word
deleted, doubled, swapped with another or replaced by a word of the library, a keyword
inserted, a number replaced by a huge or odd one (thousands of digits, 19 digits, 13
decimals, -0, 1e5, the edges of every range), a unit changed (seconds → GB, KB → %,
TB, parsecs), a quote broken, a line deleted, doubled, swapped or spliced in from
another spec — and a few by characters.

What it asserts:
- nothing but positioned spec errors (ScnSyntaxError / ScnCompileError in a SpecErrors,
  each with line and column >= 1, rendering) escapes from what `scn check` calls for a
  file (scenario.loader.check_text, as check_file after reading it);
- every mutant that compiles runs on the reference backend without an exception
  escaping the runner, up to a time budget (a sample: running is slower than checking).

Budget (measured on one core: 100,000 inputs took 163 s of CPU with one in four
compiled): parsing a scenario's cut of a spec takes about 1.3 ms (lark, in Python), a
full check about 2 ms, so 100,000 full checks do not fit in the ~3 minutes CI gives this
test. Every input is parsed (scenario.parser.parse, the first half of check_text, which
raises the same SpecErrors); one in COMPILE_EVERY is checked in full with check_text
instead, and so is every whole file among the inputs; compiled mutants run for at most
RUN_BUDGET seconds.
The seed is fixed, so a failure is reproducible: the failing text is printed.
SCN_FUZZ_INPUTS changes the number of inputs (e.g. for a quick local run).
"""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest

from scenario import plugins
from scenario.errors import ScnCompileError, ScnSyntaxError, SpecErrors
from scenario.loader import check_text, fact_options, load_text
from scenario.parser import parse
from scenario.runner import STATUSES, run_scenario

pytestmark = pytest.mark.slow

SEED = 21
INPUTS = int(os.environ.get("SCN_FUZZ_INPUTS", "100000"))
#: one input in this many is checked in full (parse and compile); the others are parsed
COMPILE_EVERY = 5
#: one input in this many is a whole file of the library, mutated and checked in full
WHOLE_FILE_EVERY = 1000
#: seconds spent running compiled mutants on the reference backend, at most
RUN_BUDGET = 15.0
#: seconds one run may take before the rest of the run budget is given to others
SLOW_RUN = 2.0

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "specs").rglob("*.scn"))

# ---------------------------------------------------------------- the library, cut into scenarios

_HEADER = re.compile(r"\s*(feature|background|rule|scenario[ \t]+outline|scenario[ \t]+template|scenario|example|examples|scenarios)[ \t]*:", re.I)


def _units(text: str) -> list[tuple[str, list[str]]]:
    """The blocks of a file as (keyword, lines), each with the tag lines before it; examples stay with their outline."""
    units: list[tuple[str, list[str]]] = []
    tags: list[str] = []
    for line in text.split("\n"):
        if line.lstrip().startswith("@"):
            tags.append(line)
            continue
        m = _HEADER.match(line)
        kw = re.sub(r"\s+", " ", m.group(1).lower()) if m else None
        if kw is not None and kw not in ("examples", "scenarios"):
            units.append((kw, tags + [line]))
            tags = []
        elif units:
            units[-1][1].extend(tags + [line])
            tags = []
    return units


def _cuts(text: str) -> list[str]:
    """Each scenario of a spec file with what it stands on: feature line, backgrounds, rule."""
    cuts = []
    head: list[str] = []
    background: list[str] = []
    rule: list[str] = []
    for kw, lines in _units(text):
        if kw == "feature":
            head = [ln for ln in lines if ln.lstrip().startswith("@") or _HEADER.match(ln)]  # no description
        elif kw == "background":
            if rule:
                rule = rule + lines
            else:
                background = lines
        elif kw == "rule":  # its tags and header, not its description; its background follows
            rule = [ln for ln in lines if ln.lstrip().startswith("@") or _HEADER.match(ln)]
        else:
            cuts.append("\n".join(head + background + rule + lines).rstrip() + "\n")
    return cuts


FILES = [(p, p.read_text(encoding="utf-8")) for p in SPECS]
CUTS = [(p, c) for p, text in FILES for c in _cuts(text)]

# ---------------------------------------------------------------- mutations on tokens

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[0-9][0-9,]*(?:\.[0-9]+)?|[A-Za-z_@%][\w\-/.:%()]*|\n|[ \t]+|.', re.S)
_NUMBER = re.compile(r"[0-9]")
_WORD = re.compile(r"[A-Za-z]")

UNITS = ["second", "seconds", "minute", "minutes", "hours", "day", "days", "years", "byte", "bytes", "KB", "MB", "GB",
         "kb", "%", "TB", "PB", "KiB", "GiB", "ms", "parsecs", "instances", ""]
_UNIT_SET = {u.lower() for u in UNITS if u}
ODD_NUMBERS = [
    "0", "1", "2", "00", "007", "-0", "-1", "0.0", "1.5", "2.000000000001", "0.000000000001", "0.0000000000001",
    "1,000", "1,001", "1000", "1001", "999,999", "1,000,000", "1,000,001", "36,500", "36,501", "3,153,600,001",
    "1,073,741,824", "1,073,741,825", "100", "101", "20,000", "9" * 18, "1" + "0" * 18, "9" * 19, "1" * 309, "1" * 400,
    "9" * 4300, "9" * 4301, "9" * 5001, "1." + "5" * 40, "1e5", "1E+308", "12,34", "1,0000", ".5", "5.", "1_000", "١٢",
]
KEYWORDS = ["given", "when", "then", "and", "but", "a", "an", "the", "it", "is", "are", "not", "no", "has", "of", "with",
            "in", "into", "to", "from", "fails", "succeeds", "changes", "unchanged", "retained", "passed through",
            "number of", "at least", "at most", "exists", "does not exist", "equals", "none", "true", "false", "pass",
            "feature:", "scenario:", "scenario outline:", "background:", "rule:", "examples:", "| a | b |", "<n>",
            "@only(reference)", "@fact(", "#", "\\"]
ODD_CHARS = ['"', "'", "|", "<", ">", "@", "(", ")", ",", ".", ":", "\t", "\x00", "\u00a0", "\u200b", "é", "İ", "😀", "\r"]


def _word_pool() -> list[str]:
    pool = set()
    for _p, text in FILES:
        pool.update(t for t in _TOKEN.findall(text) if _WORD.match(t) and len(t) < 30)
    return sorted(pool)


WORDS = _word_pool()
LINES = sorted({ln for _p, text in FILES for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")})


def mutate(rng: random.Random, text: str) -> str:
    """One mutation of ``text``, on its tokens (now and then on its characters or lines)."""
    toks = _TOKEN.findall(text)
    words = [i for i, t in enumerate(toks) if _WORD.match(t)]
    op = rng.randrange(16)
    if op <= 2:  # a number replaced by a huge or odd one (or one put in front of a word)
        nums = [i for i, t in enumerate(toks) if _NUMBER.match(t)]
        if nums and op < 2:
            toks[rng.choice(nums)] = rng.choice(ODD_NUMBERS)
        elif words:
            i = rng.choice(words)
            toks[i] = rng.choice(ODD_NUMBERS) + " " + toks[i]
    elif op == 3:  # a unit changed
        units = [i for i, t in enumerate(toks) if t.lower() in _UNIT_SET]
        if units:
            toks[rng.choice(units)] = rng.choice(UNITS)
        elif words:
            i = rng.choice(words)
            toks[i] = toks[i] + " " + rng.choice(UNITS)
    elif op == 4 and words:  # a word deleted
        toks[rng.choice(words)] = ""
    elif op == 5 and words:  # a word doubled
        i = rng.choice(words)
        toks[i] = toks[i] + " " + toks[i]
    elif op == 6 and len(words) > 1:  # two words swapped
        i, j = rng.sample(words, 2)
        toks[i], toks[j] = toks[j], toks[i]
    elif op == 7 and words:  # a word replaced by a word of the library
        toks[rng.choice(words)] = rng.choice(WORDS)
    elif op == 8 and toks:  # a keyword or function word inserted
        i = rng.randrange(len(toks))
        toks[i] = rng.choice(KEYWORDS) + " " + toks[i]
    elif op == 9:  # a quote broken: one dropped, one added, a name emptied
        names = [i for i, t in enumerate(toks) if t.startswith('"')]
        if names:
            i = rng.choice(names)
            toks[i] = rng.choice([toks[i][:-1], toks[i][1:], '""', toks[i] + '"', '"\\"', toks[i][:2]])
        elif toks:
            toks[rng.randrange(len(toks))] += '"'
    elif op in (10, 11):  # lines: deleted, doubled, swapped, spliced in from another spec, re-indented
        lines = text.split("\n")
        i = rng.randrange(len(lines))
        how = rng.randrange(5)
        if how == 0:
            del lines[i]
        elif how == 1:
            lines.insert(i, lines[i])
        elif how == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == 3:
            lines.insert(i, rng.choice(LINES))
        else:
            lines[i] = rng.choice(["", "  ", "\t"]) + lines[i].strip()
        return "\n".join(lines)
    elif op == 12 and text:  # characters: one deleted, inserted or replaced
        i = rng.randrange(len(text))
        how = rng.randrange(3)
        if how == 0:
            return text[:i] + text[i + 1:]
        ch = rng.choice(ODD_CHARS) if rng.random() < 0.7 else chr(rng.randrange(32, 0x3000))
        return text[:i] + ch + text[i + (how == 2):]
    elif op == 13 and words:  # a word's case changed, or a typo in it
        i = rng.choice(words)
        w = toks[i]
        if rng.random() < 0.5:
            toks[i] = w.upper() if rng.random() < 0.5 else w.capitalize()
        elif len(w) > 2:
            k = rng.randrange(len(w) - 1)
            toks[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    elif op == 14 and words:  # a stretch of words dropped (a clause, the end of a step)
        k, n = rng.choice(words), rng.randrange(1, 8)
        while k < len(toks) and toks[k] != "\n" and n > 0:
            n -= not toks[k].isspace()
            toks[k] = ""
            k += 1
    elif op == 15 and words:  # a count in front of a word (made plural): the edges of the count ranges
        i = rng.choice(words)
        toks[i] = rng.choice(["0", "1000", "1001", "1,000,000", "9" * 5001]) + " " + toks[i] + "s"
    return "".join(toks)


def mutant(rng: random.Random, text: str) -> str:
    for _ in range(1 + min(3, int(rng.expovariate(1.0)))):
        text = mutate(rng, text)
    return text


# ---------------------------------------------------------------- the checks

VOCAB = plugins.vocabulary()
REFERENCE = plugins.backend("reference")


def _spec_errors_only(exc: SpecErrors, text: str) -> None:
    assert exc.errors, text
    for err in exc.errors:
        assert isinstance(err, (ScnSyntaxError, ScnCompileError)), (type(err), text)
        assert err.span.line >= 1 and err.span.col >= 1, (str(err.span), text)
        assert err.message, text
    exc.render()


def _check(text: str, path: str, options: dict, full: bool) -> bool:
    """``text`` through what `scn check` calls (or only its parser): True if it compiled."""
    try:
        if full:
            check_text(text, path, VOCAB, use_cache=False, **options)
        else:
            parse(text, path)
        return full
    except SpecErrors as exc:
        _spec_errors_only(exc, text)
        return False
    except Exception as exc:  # anything else is a bug: show the input that found it
        raise AssertionError(f"{type(exc).__name__} escaped from scn check for this input:\n{text}") from exc


def test_the_cuts_of_the_library_compile():
    """Unmutated, every cut compiles: what a mutant breaks is the mutation's doing."""
    assert len(CUTS) > 500, "the library is cut into its scenarios"
    for path, cut in CUTS[::7]:
        check_text(cut, path.relative_to(ROOT).as_posix(), VOCAB, use_cache=False, **fact_options(path))


def test_fuzz_scn_check_with_mutants_of_the_library(capsys):
    rng = random.Random(SEED)
    options = {p: fact_options(p) for p in SPECS}
    checked = full = compiled = ran = 0
    statuses: dict[str, int] = {}
    run_time = 0.0
    seen: set[int] = set()
    start, cpu = time.perf_counter(), time.process_time()
    while checked < INPUTS:
        whole = checked % WHOLE_FILE_EVERY == WHOLE_FILE_EVERY - 1
        path, source = rng.choice(FILES) if whole else rng.choice(CUTS)
        text = mutant(rng, source)
        key = hash(text)
        if key in seen:  # the same text again: it says nothing new
            continue
        seen.add(key)
        shown = path.relative_to(ROOT).as_posix()
        is_full = whole or checked % COMPILE_EVERY == 0
        checked += 1
        full += is_full
        if not _check(text, shown, options[path], is_full):
            continue
        compiled += 1
        if run_time >= RUN_BUDGET:
            continue
        # a compiled mutant runs on the reference backend: no exception escapes the runner
        t0 = time.perf_counter()
        feature = load_text(text, shown, VOCAB, use_cache=False, **options[path])
        for sc in feature.scenarios:
            try:
                outcome = run_scenario(sc, REFERENCE)
            except Exception as exc:
                raise AssertionError(f"{type(exc).__name__} escaped from the reference backend for this input:\n{text}") from exc
            assert outcome.status in STATUSES, outcome
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
            ran += 1
            if time.perf_counter() - t0 > SLOW_RUN:
                break
        run_time += time.perf_counter() - t0
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    with capsys.disabled():
        print(f"\nfuzz: {checked:,} inputs checked in {took:.0f} s ({cpu:.0f} s of CPU; {full:,} parsed and compiled, the rest parsed); "
              f"{compiled:,} compiled; {ran:,} scenarios of them run on reference in {run_time:.0f} s: "
              + ", ".join(f"{n:,} {s}" for s, n in sorted(statuses.items())))
    assert checked >= INPUTS
    assert compiled > 0 and ran > 0, "some mutants compile and run: the checks reach the compiler and the backend"
