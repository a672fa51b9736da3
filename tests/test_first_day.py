"""The first-day corpus (tests/first_day/sentences.txt): what people write before they know the idioms.

Each entry is a few steps, the last of which (or the one an error points at) is the sentence
under test, written the way a person who knows AWS says it, across the twelve services. An entry
either compiles, and its `=>` lines are the IR that sentence became (its meaning), or it does
not, and its `hint:` line is the sentence the error hands over — which must itself compile when
put in place of the line the error points at. Regenerate the expectations with
``pytest tests/test_first_day.py --regen-golden`` and read the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from scenario import ir, plugins
from scenario.compiler import compile_text
from scenario.errors import SpecErrors

CORPUS = Path(__file__).parent / "first_day" / "sentences.txt"
SERVICES = {"ec2", "lambda", "api-gateway", "kinesis", "dynamodb", "rds", "aurora", "elasticache", "redshift",
            "athena", "glue", "emr"}
_SKIP = ("span", "keyword", "text", "group", "setup")
_STEP = re.compile(r"(given|when|then|and|but)\b", re.I)


@attrs.define
class Entry:
    service: str
    steps: list[str]
    meaning: list[str]
    hint: str | None
    line: int  # in the corpus file


def _entries(text: str) -> list[Entry]:
    out, service, line = [], None, 1
    for block in re.split(r"\n[ \t]*\n", text):
        start = line
        line += block.count("\n") + 2
        rows = [r.strip() for r in block.strip().splitlines()
                if r.strip() and (r.strip().startswith("## ") or not r.strip().startswith("#"))]
        if rows and rows[0].startswith("## "):
            service = rows.pop(0)[3:].strip()
        if not rows:
            continue
        steps = [r for r in rows if _STEP.match(r)]
        meaning = [r[2:].strip() for r in rows if r.startswith("=>")]
        hint = next((r[5:].strip() for r in rows if r.startswith("hint:")), None)
        out.append(Entry(service, steps, meaning, hint, start))
    return out


def _text(steps: list[str]) -> str:
    return "feature: first day\n  scenario: a first try\n" + "".join(f"    {s}\n" for s in steps)


def _compile(steps: list[str]) -> ir.Scenario:
    return compile_text(_text(steps), plugins.vocabulary(), "first-day.scn").scenarios[0]


def _first_line(steps: list[str]) -> int:
    """The line of the scenario whose meaning an entry states: its first when- or then-step, else its last step."""
    for i, step in enumerate(steps):
        if step.split()[0].lower() in ("when", "then"):
            return i + 3  # the steps start at line 3 of the scenario
    return len(steps) + 2


def render(sc: ir.Scenario, line: int) -> list[str]:
    """The IR of the steps from ``line`` of the scenario on (3 is the first step), slots shown by their labels."""
    out = []
    for st in sc.steps:
        if st.span.line < line:
            continue
        fields = []
        for a in attrs.fields(type(st)):
            if a.name in _SKIP:
                continue
            v = getattr(st, a.name)
            if a.name in ("slot", "target") and isinstance(v, int):
                v = sc.slots[v].full_label
            elif a.name == "relations":
                v = tuple((r, sc.slots[t].full_label) for r, t in v)
            elif a.name == "unit" and v is None:
                continue
            elif isinstance(v, ir.AttrValue):
                v = f"the {v.attribute} of {sc.slots[v.slot].full_label}"
            fields.append(f"{a.name}={v!r}" if not isinstance(v, str) else f"{a.name}={v}")
        out.append(f"{type(st).__name__} " + " ".join(fields))
    return out


def _handed_over(err, steps: list[str]) -> list[str]:
    """The steps with the line the error points at replaced by the sentence (or phrase) its hint hands over."""
    said = re.findall(r"`([^`]+)`", err.hint or "")
    assert said, f"the hint names no sentence: {err.hint!r}"
    sentence = said[-1] if _STEP.match(said[-1]) else None
    index = err.span.line - 3
    fixed = list(steps)
    if sentence is not None:
        fixed[index] = sentence
    else:  # `did you mean `engine`?`: the phrase in place of the words the error points at
        src = steps[index]
        col = err.span.col - 4  # the steps stand indented by four spaces
        end = (err.span.end_col - 4) if err.span.end_col else col + len(src[col - 1 :].split()[0])
        fixed[index] = src[: col - 1] + said[0] + src[end - 1 :]
    return fixed


ENTRIES = _entries(CORPUS.read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_spans_the_twelve_services():
    assert len(ENTRIES) >= 100
    assert {e.service for e in ENTRIES} == SERVICES
    assert all(e.steps for e in ENTRIES)


def test_each_sentence_compiles_to_its_meaning_or_hands_over_one_that_does(regen_golden: bool):
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    problems, regenerated = [], []
    for e in ENTRIES:
        try:
            sc = _compile(e.steps)
        except SpecErrors as exc:
            err = exc.errors[0]
            if regen_golden:
                regenerated.append((e, [], re.findall(r"`([^`]+)`", err.hint or "")[-1:] or ["?"]))
                continue
            if e.hint is None:
                problems.append(f"line {e.line}: {e.steps[-1]!r} was expected to compile:\n{exc.render()}")
                continue
            if e.hint not in (err.hint or ""):
                problems.append(f"line {e.line}: the hint of {e.steps[-1]!r} was expected to name `{e.hint}`:\n{exc.render()}")
                continue
            fixed = _handed_over(err, e.steps)
            try:
                _compile(fixed)
            except SpecErrors as again:
                problems.append(f"line {e.line}: the sentence handed over does not compile either: {fixed}\n{again.render()}")
            continue
        meaning = render(sc, _first_line(e.steps))
        if regen_golden:
            regenerated.append((e, meaning, None))
        elif e.hint is not None or meaning != e.meaning:
            problems.append(f"line {e.line}: {e.steps[-1]!r} compiled to\n  " + "\n  ".join(meaning)
                            + "\nnot to\n  " + "\n  ".join(e.meaning or [f"(an error naming `{e.hint}`)"]))
    if regen_golden:
        _write(lines, regenerated)
        return
    assert not problems, "\n\n".join(problems)


def _write(lines: list[str], regenerated) -> None:
    out, service = [], None
    for e, meaning, hint in regenerated:
        if e.service != service:
            service = e.service
            out += [f"## {service}", ""]
        out += e.steps + [f"=> {m}" for m in meaning] + [f"hint: {h}" for h in (hint or [])] + [""]
    header = [line for line in lines if line.startswith("#") and not line.startswith("## ")]
    CORPUS.write_text("\n".join(header + [""] + out), encoding="utf-8")


# ---------------------------------------------------------------- the phrasings of issue 16, run on the reference backend

BEHAVES = '''\
feature: the first day, run
  scenario: invoking is the first thing a Lambda user writes
    given a lambda function "f" with timeout 3s
    when "f" is invoked with run time 10 seconds
    and 10 seconds pass
    then it is timed-out
    and the duration of it is 3 seconds

  scenario: an invocation made by `invoked` is `it`, and completes
    given a lambda function "f"
    when "f" is invoked
    and 2 seconds pass
    then it is completed

  scenario: one form changes any settable attribute, by the kind's own action
    given a lambda function "f"
    when the timeout of "f" is set to 30 seconds
    and "f" is modified with memory 512 MB
    then the timeout of "f" is 30 seconds
    and the memory of "f" is 512 MB

  scenario: set to picks extended or shortened by the way the value moves
    given a kinesis stream "s"
    when the retention period of "s" is set to 7 days
    then the retention period of "s" is 7 days
    when the retention of "s" is set to 2 days
    then the retention period of "s" is 48 hours

  scenario: an action takes its one parameter after `to`
    given a kinesis stream "s"
    when "s" is extended to 3 days
    then the retention period of "s" is 72 hours

  scenario: a name given inline names the related resource
    given a running instance "web" with an elastic ip "eip"
    then "eip" is associated with "web"
    and the public ipv4 of "web" equals the address of "eip"

  scenario: stopped and then started; in the running state
    given a running instance "web"
    when "web" is stopped and then started
    then "web" is in the running state
    and "web" passed through stopping

  scenario: a boolean enabled at creation and by modification
    given a db instance "db" with engine "mysql" and multi-az enabled
    and a db instance "db2" with engine "mysql"
    when "db2" is modified with multi-az enabled
    then "db" is multi-az
    and "db2" is multi-az

  scenario: units as people write them
    given a dynamodb table "t"
    when an item of 400KB is put into "t"
    then it succeeds
'''


def test_the_phrasings_of_the_first_day_behave_as_a_reader_expects_on_reference():
    from scenario.runner import run_scenario

    feature = compile_text(BEHAVES, plugins.vocabulary(), "first-day-run.scn")
    backend = plugins.backend("reference")
    outcomes = {sc.name: run_scenario(sc, backend) for sc in feature.scenarios}
    assert {name: (o.status, o.message) for name, o in outcomes.items() if o.status != "passed"} == {}
    assert len(outcomes) == 9


# ---------------------------------------------------------------- a test per hint: the user's sentence, the suggestion

HINTS = [
    # (the steps, the sentence the error must hand over, words its message must hold)
    (['given a kinesis stream "s"', 'and a retention of 7 days'],
     'when "s" is extended with retention period 7 days', "unknown kind `retention`"),
    (['given a kinesis stream "s"', 'when "s" is extended with a retention of 7 days'],
     'when "s" is extended with retention period 7 days', "does not go with `extended`"),
    (['given a kinesis stream "s"', 'when "s" is stopped'], 'e.g. `when "s" is deleted`', "cannot be `stopped`"),
    (['given a db instance "db" with engine "mysql"', 'when the availability zone of "db" fails'],
     'when "db" is zone-failed', "an attribute does not fail"),
    (["given a running instance 'web'"], '"web"', "double quotes"),
    (['given a running instance "web"', 'when "web" is stopped', 'then "web" is in the stoped state'], "stopped", "no state"),
    (['given a lambda function "f" with timeout 3sx'], "3 seconds", "not a number with a unit"),
    (['given a running instance "web"', 'when "web" gets stopped'], 'when "web" is stopped', "`gets`"),
    (['given a lambda function "f"', 'when "f" is called'], 'when "f" is invoked', "cannot be `called`"),
    (['given a kinesis stream "s"', 'when "s" is shortened with shard count 4'],
     'when "s" is resharded with shard count 2', "does not go with `shortened`"),
    (['given a running instance "web"', 'when "web" is stopped to 7 days'], 'when "web" is stopped', "`to 7 days`"),
    (['given a redis cache "c"', 'and a cache node "n" in "c"'], 'and a cache node "n" of "c"', "cannot be created `in`"),
    (['given an aurora cluster "c"', 'when the backup retention of "c" is set to 7 days'],
     "given an aurora cluster with backup retention 7 days", "no action changes"),
]


@pytest.mark.parametrize("steps, suggestion, said", HINTS, ids=[h[0][-1] for h in HINTS])
def test_each_hint_hands_over_the_sentence(steps, suggestion, said):
    with pytest.raises(SpecErrors) as info:
        _compile(steps)
    err = info.value.errors[0]
    assert said in err.message
    assert suggestion in (err.hint or ""), err.hint
    assert "Traceback" not in info.value.render()


# the U+2026 family: a preposition an action does not take, said of any action, never blames a character
ELLIPSIS = [
    ['given a running instance "web"', 'when "web" is stopped to 7 days'],
    ['given a kinesis stream "s"', 'when "s" is deleted to 7 days'],
    ['given a running instance "web"', 'when "web" is stopped and then launched'],
    ['given a running instance "web"', 'when "web" is rebooted from "web"'],
    ['given an elastic ip "eip"', 'and a running instance "web"', 'when "eip" is associated to "web"'],
    ['given a lambda function "f"', 'when "f" is updated into 7 days'],
    ['given a db instance "db" with engine "mysql"', 'when "db" is rebooted by 2 minutes'],
]


@pytest.mark.parametrize("steps", ELLIPSIS, ids=[e[-1] for e in ELLIPSIS])
def test_a_clause_an_action_does_not_take_is_quoted_as_written(steps):
    with pytest.raises(SpecErrors) as info:
        _compile(steps)
    text = info.value.render()
    assert "U+2026" not in text and "…" not in text.split("hint:")[0], text
    assert "hint:" in text
