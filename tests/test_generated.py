"""Sentences the brief never shows: generated from the vocabulary, in every form
the language defines (any kind, adjective, count, name, action, claim, order).

Property: every generated scenario compiles, and running it on the reference
backend never faults — an outcome is passed, failed, skipped, or an error that is
a refused given; never a traceback.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenario.compiler import compile_text
from scenario.plugins import backend, vocabulary
from scenario.runner import run_scenario

VOCAB = vocabulary()
KINDS = [k for k in VOCAB.kinds.values() if not k.implicit and k.creator is not None]


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


@st.composite
def scenarios(draw):
    lines, names = [], []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(KINDS))
        phrase = draw(st.sampled_from((kind.name, *kind.aliases)))
        # a stable state its actions reach: `a queued lambda invocation` is reached by time, not by actions,
        # and the compiler rightly refuses it (tests/test_generated.py::test_a_state_reached_only_by_time_is_refused)
        stable = [s.name for s in kind.states if s.stable and kind.path_to(s.name) is not None]
        adjective = draw(st.sampled_from([""] + stable)) if stable else ""
        words = f"{adjective} {phrase}".strip()
        if draw(st.booleans()):
            name = f"r{i}"
            names.append((name, kind))
            lines.append(f'given {_article(words)} {words} "{name}"')
        else:
            n = draw(st.integers(2, 3))
            lines.append(f"given {n} {words}s")
    if not names:
        return "\n".join(lines), 0
    for _ in range(draw(st.integers(1, 3))):
        name, kind = draw(st.sampled_from(names))
        plain = [a for a in kind.actions if not a.creates and not a.target_required and not a.deletes]
        if plain:
            act = draw(st.sampled_from(plain))
            lines.append(f'when "{name}" is {act.participle}')
        claim = draw(st.integers(0, 4))
        if claim == 0 and kind.states:
            lines.append(f'then "{name}" is {draw(st.sampled_from([s.name for s in kind.states if s.stable]))}')
        elif claim == 1:
            attr = draw(st.sampled_from(kind.attributes))
            lines.append(f'then the {draw(st.sampled_from((attr.name, *attr.aliases)))} of "{name}" is unchanged' if plain else f'then "{name}" exists')
        elif claim == 2:
            lines.append(f'then "{name}" exists')
        elif claim == 3 and plain:
            lines.append("then it succeeds")
        else:
            attr = draw(st.sampled_from(kind.attributes))
            lines.append(f'then "{name}" has {_article(attr.name)} {attr.name}' if attr.type != "boolean" else f'then "{name}" is not {attr.name}')
    return "\n".join(lines), len(names)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_generated_scenarios_compile_and_never_fault(case):
    steps, _ = case
    text = "feature: generated\n  scenario: generated\n" + "".join(f"    {line}\n" for line in steps.splitlines())
    feature = compile_text(text, VOCAB, "generated.scn")
    outcome = run_scenario(feature.scenarios[0], backend("reference"))
    assert outcome.detail == "", outcome.detail
    assert outcome.status in ("passed", "failed", "skipped", "error")
    if outcome.status == "error":
        assert outcome.message.startswith("setup failed: "), outcome.message


def test_a_state_reached_only_by_time_is_refused_as_a_given_with_a_reason():
    import pytest

    from scenario.errors import SpecErrors

    unreachable = [(k, st.name) for k in KINDS for st in k.states if st.stable and k.path_to(st.name) is None]
    assert unreachable, "the vocabulary has states reached only by time or events (a queued lambda invocation)"
    for kind, state in unreachable:
        with pytest.raises(SpecErrors) as info:
            compile_text(f'feature: f\n  scenario: s\n    given {_article(state)} {state} {kind.name} "x"\n', VOCAB, "g.scn")
        assert f"cannot be brought to {state} by its actions" in str(info.value)
