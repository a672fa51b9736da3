"""Property: whatever text it is given, the compiler either compiles it or raises SpecErrors.

Never an AttributeError, IndexError, KeyError… from a user's mistake: every error is a
positioned ScnSyntaxError / ScnCompileError whose span has line >= 1 and col >= 1, and
renders. The texts are the good golden specs, the bad ones and the brief's examples,
mutated by characters, words and lines, and plain random text.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scenario import plugins
from scenario.compiler import compile_text
from scenario.errors import ScnCompileError, ScnSyntaxError, SpecErrors

from test_parser import FULL_EXAMPLE, LANGUAGE_MD, STEP_BLOCKS, STRUCTURE, as_document, code_blocks

VOCAB = plugins.vocabulary()
GOLDEN = Path(__file__).parent / "golden"


def _seeds() -> list[str]:
    seeds = [FULL_EXAMPLE, STRUCTURE] + [as_document(b) for b in STEP_BLOCKS]
    if LANGUAGE_MD.is_file():
        seeds += [as_document(b) for b in code_blocks(LANGUAGE_MD.read_text(encoding="utf-8"))]
    for p in sorted(GOLDEN.glob("*/*.scn")):
        seeds.append(p.read_text(encoding="utf-8"))
    return seeds


SEEDS = _seeds()
# step sentences of every seed, to splice into others
SEED_LINES = sorted({line for s in SEEDS for line in s.splitlines() if line.strip()})

INSERTS = [
    "given ", "when ", "then ", "and ", "but ", "it ", "the ", "a ", "an ", "is ", "not ", "no ", "has ",
    "of ", "with ", "fails ", "succeeds", "changes", "unchanged", "retained", "passed through ", "number of ",
    "at least ", "exists", "does not exist", "equals ", "none", "true", " 5 ", " 0 ", " 1.5 ", " 1,000 ", "seconds",
    "KB", "%", "pass", "feature:", "scenario:", "scenario outline:", "background:", "rule:", "examples:",
    "Scenaro:", "Giiven ", '"', '"web"', '""', '"\\"', "|", "| a | b |", "@", "@tag", "@only(", ")", "(", ",",
    "<", ">", "<action>", "<>", "<state>", "#", ":", "\\", "\t", "\n", "\r\n", "\r", "\x0b", "\x00",
    "é", "ß", "İ", "ﬁ", "\u200b", "\u00a0", "\ufeff", "😀", "中文", "\u2028",
    "instance", "elastic ip", "EIP", "eip", "instances", "running", "stopped", "terminated", "pending", "stopping",
    "public ipv4", "private ipv4", "state code", "associated with ", "default vpc", "elastic ip limit", "server",
    "billed", "hibernation", "host", "address", "started", "rebooted", "allocated", "released", "launched",
]


def _words(text: str):
    return list(re.finditer(r"\S+", text))


def mutate(draw, text: str) -> str:
    op = draw(st.integers(0, 13))
    n = len(text)
    if op <= 3 and n:  # characters: delete, duplicate, swap, replace
        i = draw(st.integers(0, n - 1))
        if op == 0:
            return text[:i] + text[i + 1:]
        if op == 1:
            return text[:i] + text[i] + text[i:]
        if op == 2 and i + 1 < n:
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]
        return text[:i] + draw(st.characters()) + text[i + 1:]
    if op in (4, 5):  # insert a keyword, a quote, a pipe, unicode…
        i = draw(st.integers(0, n))
        return text[:i] + draw(st.sampled_from(INSERTS)) + text[i:]
    words = _words(text)
    if op in (6, 7, 8) and words:  # words: delete, duplicate, swap with another
        a = draw(st.sampled_from(words))
        if op == 6:
            return text[: a.start()] + text[a.end():]
        if op == 7:
            return text[: a.end()] + " " + a.group() + text[a.end():]
        b = draw(st.sampled_from(words))
        if a.start() > b.start():
            a, b = b, a
        if a.end() <= b.start():
            return text[: a.start()] + b.group() + text[a.end(): b.start()] + a.group() + text[b.end():]
        return text
    lines = text.split("\n")
    k = len(lines)
    i = draw(st.integers(0, k - 1))
    if op == 9:
        del lines[i]
    elif op == 10:
        lines.insert(i, lines[i])
    elif op == 11:
        j = draw(st.integers(0, k - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 12:
        lines.insert(i, draw(st.sampled_from(SEED_LINES)))
    else:  # re-indent or strip a line
        lines[i] = draw(st.sampled_from(["", "  ", "\t", "        "])) + lines[i].strip()
    return "\n".join(lines)


@st.composite
def spec_texts(draw):
    if draw(st.integers(0, 19)) == 0:  # now and then, plain random text
        return draw(st.text(max_size=200))
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 8))):
        text = mutate(draw, text)
    return text


def check(text: str) -> None:
    try:
        compile_text(text, VOCAB, "fuzz.scn")
    except SpecErrors as exc:
        assert exc.errors
        for err in exc.errors:
            assert isinstance(err, (ScnSyntaxError, ScnCompileError)), type(err)
            assert err.span.line >= 1 and err.span.col >= 1, str(err.span)
            assert err.message
        exc.render()


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec_texts())
@example("")
@example("\n\n")
@example("feature:")
@example('feature: f\n  scenario: s\n    given "')
@example("    when started\n  scenarİo:s\n    given a stopped instance with an EIP\neature: f\n")
@example('feature: f\n  scenario: s\n    gİven a running instance "a"\n    then the state code of "a" iſ at leaſt 16\n')
@example("feature: f\n  scenario outline: o\n    given a x \"<a>\"\n    examples:\n      |\n      | |\n")
@example("feature: f\n  scenario outline: o\n    when <a>\n    examples:\n      | a |\n      | |\n")
@example('feature: f\n  scenario: s\n    given a running instance "web"\n    then the number of instances of "web" is 3\n')
def test_compiler_never_crashes(text):
    check(text)


def test_seeds_cover_the_golden_files():
    assert len(SEEDS) >= 30
    for seed in SEEDS:
        check(seed)
