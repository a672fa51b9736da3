"""Golden tests: good specs against their compiled IR and outcome, bad specs against their diagnostics.

tests/golden/good/<name>.scn  →  <name>.out: a stable dump of the compiled IR (feature,
                                 scenarios, slots, one line per step) and the outcome of
                                 every scenario on the reference backend.
tests/golden/bad/<name>.scn   →  <name>.err: the rendered diagnostics, exactly.

Regenerate with ``pytest tests/test_golden.py --regen-golden`` (or SCN_REGEN_GOLDEN=1),
then read the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from scenario import ir, plugins
from scenario.compiler import compile_text
from scenario.errors import SpecErrors
from scenario.loader import fact_options
from scenario.runner import run_scenario

GOLDEN = Path(__file__).parent / "golden"
GOOD = sorted((GOLDEN / "good").glob("*.scn"))
BAD = sorted((GOLDEN / "bad").glob("*.scn"))

_STEP_SKIP = ("span", "keyword", "text", "group")


def _value(v) -> str:
    if isinstance(v, frozenset):
        return "{" + ", ".join(sorted(map(str, v))) + "}"
    return repr(v)


def _tag(t: ir.Tag) -> str:
    return f"@{t.name}({', '.join(t.args)})" if t.args else f"@{t.name}"


def dump_step(st: ir.Step) -> str:
    fields = " ".join(f"{a.name}={_value(getattr(st, a.name))}" for a in attrs.fields(type(st))
                      if a.name not in _STEP_SKIP and not (a.name == "unit" and st.unit is None))  # a unit only where a claim wrote one
    head = f"{st.span.line}:{st.span.col} {st.keyword} [{st.group}] {type(st).__name__}"
    return f"{head} {fields}" if fields else head


def dump_feature(feature: ir.Feature, backend_name: str = "reference") -> str:
    backend = plugins.backend(backend_name)
    out = [f"feature: {feature.name}  ({feature.span})"]
    if feature.tags:
        out.append("  tags: " + " ".join(_tag(t) for t in feature.tags))
    for line in feature.description:
        out.append(f"  | {line}")
    for sc in feature.scenarios:
        out.append("")
        out.append(f"scenario: {sc.title}  ({sc.span})")
        if sc.rule is not None:
            out.append(f"  rule: {sc.rule}")
        if sc.tags:
            out.append("  tags: " + " ".join(_tag(t) for t in sc.tags))
        out.append("  slots: " + (", ".join(f"{i}={s.full_label}" for i, s in enumerate(sc.slots)) or "-"))
        out.append("  needs: " + (", ".join(sorted(sc.needs)) or "-"))
        if sc.facts or sc.only or sc.diverges:
            out.append(f"  facts={list(sc.facts)} only={list(sc.only)} diverges={list(sc.diverges)}")
        probes = [f"[{g}] " + ", ".join(f"{p.what}:{p.slot}" + (f":{p.attribute}" if p.attribute else "") for p in ps)
                  for g, ps in enumerate(sc.probes) if ps]
        if probes:
            out.append("  probes: " + "; ".join(probes))
        if sc.captured:
            out.append("  captured: " + ", ".join(map(str, sorted(sc.captured))))
        for st in sc.steps:
            out.append("  " + dump_step(st))
        outcome = run_scenario(sc, backend)
        out.append(f"  => {outcome.status}" + (f" at step {outcome.step}" if outcome.step is not None else ""))
        for line in outcome.message.splitlines():
            out.append(f"     {line}")
    return "\n".join(out) + "\n"


def _rel(path: Path) -> str:
    return path.relative_to(GOLDEN.parent.parent).as_posix()


def _check(actual: str, expected_path: Path, regen: bool) -> None:
    if regen:
        expected_path.write_text(actual, encoding="utf-8")
        return
    if not expected_path.exists():
        pytest.fail(f"{expected_path.name} is missing; run pytest tests/test_golden.py --regen-golden")
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good(path: Path, regen_golden: bool) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        feature = compile_text(text, plugins.vocabulary(), _rel(path))
    except SpecErrors as exc:  # pragma: no cover - shown to the person fixing it
        pytest.fail(f"a good golden spec does not compile:\n{exc.render()}")
    _check(dump_feature(feature), path.with_suffix(".out"), regen_golden)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad(path: Path, regen_golden: bool) -> None:
    text = path.read_text(encoding="utf-8")
    fact_check = fact_options(path).get("fact_check")  # tests/golden/bad/facts/ is their inventory
    with pytest.raises(SpecErrors) as info:
        compile_text(text, plugins.vocabulary(), _rel(path), fact_check)
    _check(info.value.render() + "\n", path.with_suffix(".err"), regen_golden)


def test_enough_golden_files() -> None:
    assert len(GOOD) >= 6
    assert len(BAD) >= 12
    for p in GOOD:
        assert p.with_suffix(".out").exists(), p.name
    for p in BAD:
        assert p.with_suffix(".err").exists(), p.name


def test_bad_files_name_their_mistake_in_the_first_line() -> None:
    """Each bad file says in a comment what is wrong with it, so a reviewer can judge its .err."""
    for p in BAD:
        first = p.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), p.name
