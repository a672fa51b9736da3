"""Property: whatever text it is given, the compiler either compiles it or raises SpecErrors.

Never an AttributeError, IndexError, KeyError… from a user's mistake: every error is a
positioned ScnSyntaxError / ScnCompileError whose span has line >= 1 and col >= 1, and
renders. The texts are the good golden specs, the bad ones and the brief's examples,
mutated by characters, words and lines, and plain random text.

Numbers get their own draw (issue 21): digit strings from one digit to thousands (past
Python's 4,300-digit int-string limit), lengths at the edge of the 18 digits before and 12
after the point, leading zeros, `-0`, exponents and other things a number is not, in every
place a number can stand — a literal, a count, a quantity, a setting, a creation clause, a
counted claim, an examples cell — and in place of the numbers of the seed specs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_parser import FULL_EXAMPLE, LANGUAGE_MD, STEP_BLOCKS, STRUCTURE, as_document, code_blocks

from scenario import plugins
from scenario.compiler import compile_text
from scenario.errors import ScnCompileError, ScnSyntaxError, SpecErrors

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


# ---------------------------------------------------------------- numbers

_DIGITS = "0123456789"


@st.composite
def numbers(draw) -> str:
    """A number as a spec might write it, or nearly: sane, long, odd or not a number at all."""
    pick = draw(st.integers(0, 9))
    if pick == 0:  # small and sane
        return str(draw(st.integers(0, 100_000)))
    if pick == 1:  # long digit strings: past a float (309 digits) and past int()'s 4,300
        n = draw(st.sampled_from([17, 18, 19, 20, 40, 309, 310, 400, 4300, 4301, 5001, 20_000]))
        return draw(st.sampled_from(["1", "9", "0"])) * n if draw(st.booleans()) else "1" + "0" * (n - 1)
    if pick == 2:  # random digit strings of any length up to a few thousand
        return draw(st.text(_DIGITS, min_size=1, max_size=draw(st.sampled_from([5, 30, 3000]))))
    if pick == 3:  # leading zeros
        return "0" * draw(st.integers(1, 30)) + str(draw(st.integers(0, 10**20)))
    if pick == 4:  # decimals, with few or many places
        places = draw(st.sampled_from([1, 2, 11, 12, 13, 40, 5000]))
        return f"{draw(st.integers(0, 10**19))}.{draw(st.text(_DIGITS, min_size=places, max_size=places))}"
    if pick == 5:  # thousands separators, right and wrong
        n = draw(st.integers(0, 10**25))
        text = f"{n:,}"
        return text if draw(st.booleans()) else text.replace(",", draw(st.sampled_from([",,", ", ", "_", "."])), 1)
    if pick == 6:  # around the ranges: 1,000 created, 1,000,000 counted, 100 years, 2^60 bytes, 100%
        return str(draw(st.sampled_from([0, 1, 999, 1000, 1001, 999_999, 1_000_000, 1_000_001, 36_500, 36_501,
                                         3_153_600_000, 3_153_600_001, 2**60, 2**60 + 1, 1_073_741_824, 1_073_741_825,
                                         100, 101, 2**63, 2**64, 10**18 - 1, 10**18])))
    # signs, exponents and other things that are not numbers here
    return draw(st.sampled_from(["-0", "-1", "+1", "-0.0", "1e5", "1E+308", "1e999999", "0x10", "1_000", ".5", "5.",
                                 "1..5", "NaN", "inf", "١٢", "１２", "1 000", "1,00", "00", "0.0", "-", "1e", "9" * 50 + "e9"]))


# every place a number can stand: {n} is the number; each text is one scenario's steps
NUMBER_PLACES = [
    'given a running instance "w"\nthen the state code of "w" is {n}',
    'given a running instance "w"\nthen the state code of "w" is at least {n}',
    'given {n} running instances',
    'given {n} elastic ips',
    'given a running instance "w" with {n} ENIs',
    'given a kinesis stream "s" with {n} shards',
    'given a lambda function "fn" with timeout {n} seconds',
    'given a lambda function "fn"\nthen the timeout of "fn" is at most {n} minutes',
    'given a db instance "db" with engine "mysql" and backup retention {n} days',
    'given a dynamodb table "t"\nwhen an item of {n} KB is put into "t"',
    'given a dynamodb table "t"\nwhen an item of {n} GB is put into "t"',
    'given a running instance "w"\nthen the discount of "w" is {n} %',
    'when {n} minutes pass',
    'when {n} years pass',
    'given the elastic ip limit is {n}',
    'given a running instance "w"\nthen "w" has {n} elastic ips',
    'given a running instance "w"\nthen the number of elastic ips associated with "w" is at most {n}',
]


def number_spec(place: str, n: str, outline: bool) -> str:
    """One scenario with the number in its place, or an outline whose examples cell holds it."""
    if not outline:
        steps = place.format(n=n).split("\n")
        return "feature: numbers\n  scenario: s\n" + "".join(f"    {s}\n" for s in steps)
    steps = place.format(n="<n>").split("\n")
    return ("feature: numbers\n  scenario outline: o\n" + "".join(f"    {s}\n" for s in steps)
            + "    examples:\n      | n |\n" + f"      | {n.replace('|', '-')} |\n")


@st.composite
def number_texts(draw) -> str:
    return number_spec(draw(st.sampled_from(NUMBER_PLACES)), draw(numbers()), draw(st.booleans()))


_NUMBER_TOKEN = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


@st.composite
def spec_texts(draw):
    if draw(st.integers(0, 19)) == 0:  # now and then, plain random text
        return draw(st.text(max_size=200))
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.integers(0, 5)) == 0:  # a number of the seed replaced by a drawn one
            found = list(_NUMBER_TOKEN.finditer(text))
            if found:
                m = draw(st.sampled_from(found))
                text = text[: m.start()] + draw(numbers()) + text[m.end():]
                continue
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


@pytest.mark.slow  # over 10 s (issue 19): `pytest -m slow` or `pytest --all` runs it
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


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(number_texts())
@example(number_spec(NUMBER_PLACES[0], "1" * 400, False))  # issue 21: an OverflowError through float()
@example(number_spec(NUMBER_PLACES[0], "9" * 5001, False))  # issue 21: int() past 4,300 digits
@example(number_spec(NUMBER_PLACES[2], "9" * 5001, False))
@example(number_spec(NUMBER_PLACES[5], "9" * 5001, False))
@example(number_spec(NUMBER_PLACES[0], "9" * 5001, True))
@example(number_spec(NUMBER_PLACES[2], "9" * 5001, True))
@example(number_spec(NUMBER_PLACES[14], "-0", False))
def test_numbers_in_every_place(text):
    """A number anywhere, of any length or form: it compiles, or it is a positioned spec error."""
    check(text)


@pytest.mark.parametrize("place", NUMBER_PLACES)
def test_every_number_place_compiles_with_a_sane_number(place):
    """The places above are real: with a plain 2 in them they compile (so the draws reach the range checks)."""
    compile_text(number_spec(place, "2", False), VOCAB, "numbers.scn")
    compile_text(number_spec(place, "2", True), VOCAB, "numbers.scn")


def test_seeds_cover_the_golden_files():
    assert len(SEEDS) >= 30
    for seed in SEEDS:
        check(seed)


# ---------------------------------------------------------------- the parser's speed-ups say what the plain reading says

_ODD_LETTERS = "\u0130\u0131\u017f\u212a\u00a0\u2003"  # letters Python folds to ASCII, and spaces that are not ASCII


def _doubled_by_splitting(src: str) -> str | None:
    """`_doubled_keyword` without its quick test: split the line, fold its first two words."""
    from scenario.parser import STEP_KEYWORDS, _fold

    words = src.split(None, 2)
    if len(words) >= 2 and _fold(words[0]) in STEP_KEYWORDS and _fold(words[1]) in STEP_KEYWORDS:
        return _fold(words[1])
    return None


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["given", "when", "THEN", "and", "But", "gİven", "whEn", "a", "an", "at", "tHe",
                                 "then\"", '"web"', " ", "  ", "\t", "\u00a0", "x"])
                | st.text(alphabet="gwtabneivhdu" + _ODD_LETTERS + " \t"), max_size=6).map("".join))
@example("and then \"web\" is running")
@example("  and\u00a0tHen x")
@example("but gıven x")
def test_the_quick_test_of_a_doubled_keyword_misses_none(src):
    from scenario.parser import _doubled_keyword

    assert _doubled_keyword(src) == _doubled_by_splitting(src)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet='ab "\\#<x-1' + _ODD_LETTERS, max_size=6), min_size=1, max_size=3),
       st.sampled_from(['    given a running instance "{0}"', '    when "{0}" is stopped',
                        '    then "{0}" is stopped', '    given an elastic ip "{0}" associated with "{1}"',
                        '    then the public ipv4 of "{0}" equals "{2}"', '    when "{0}" is stopped  # "{1}"',
                        '    then "{0}" fails with "{1}"']))
def test_a_shape_remembered_gives_each_line_its_own_names(names, step):
    """Lines of one shape, read through the memo of shapes, are what Lark makes of each of them alone."""
    from scenario.parser import _document_items, _LineShapes

    shapes = _LineShapes()
    for name in names:
        line = step.format(name, name[::-1], name + name)
        try:
            lark_items = _document_items(line + "\n")
        except Exception:
            continue  # a line that does not parse: the memo reads it as written, and raises the same
        for _ in range(2):  # the second time from the memo
            assert repr(shapes.items(line, 1)) == repr(lark_items), line
