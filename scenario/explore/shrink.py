"""Shrinking: the smallest program that still shows the same disagreement.

Three passes, repeated until none helps (Hypothesis's order, at a small scale):
delta debugging over steps (Zeller's ddmin: drop halves, then quarters, …),
then whole resources (a resource's creation with every step that names it),
then simpler values (fewer of a count, the state as created, no clause, a
setting at its default). ``interesting`` is the oracle: it compiles and runs a
candidate and says whether the disagreement is still there.
"""

from __future__ import annotations

from typing import Callable

import attrs

from .program import Act, Create, Given, Setting, Step, uses

__all__ = ["shrink"]


def _ddmin(program: tuple, test: Callable[[tuple], bool]) -> tuple:
    n = 2
    while len(program) >= 2:
        size = max(1, len(program) // n)
        chunks = [program[i:i + size] for i in range(0, len(program), size)]
        for i in range(len(chunks)):
            rest = tuple(x for j, c in enumerate(chunks) if j != i for x in c)
            if rest and test(rest):
                program = rest
                n = max(n - 1, 2)
                break
        else:
            if size == 1:
                break
            n = min(len(program), n * 2)
    return program


def _without_resource(program: tuple, name: str) -> tuple:
    gone = {name}
    out = []
    for st in program:
        if isinstance(st, (Given, Create)) and st.name in gone:
            continue
        if uses(st) & gone:
            if isinstance(st, (Given, Create)) and st.name is not None:
                gone.add(st.name)
            continue
        out.append(st)
    return tuple(out)


def _simpler(step: Step, defaults: dict) -> list[Step]:
    out: list[Step] = []
    if isinstance(step, Given):
        if step.count > 1:
            out += [attrs.evolve(step, count=c) for c in sorted({1, step.count - 1}) if c < step.count]
        if step.state is not None:
            out.append(attrs.evolve(step, state=None))
    if isinstance(step, (Given, Create, Act)):
        for i in range(len(step.params)):
            out.append(attrs.evolve(step, params=step.params[:i] + step.params[i + 1:]))
    if isinstance(step, (Given, Create)):
        for i in range(len(step.relations)):
            out.append(attrs.evolve(step, relations=step.relations[:i] + step.relations[i + 1:]))
    if isinstance(step, Act) and step.target is not None:
        out.append(attrs.evolve(step, target=None))
    if isinstance(step, Setting) and step.name in defaults and step.value != defaults[step.name]:
        out.append(attrs.evolve(step, value=defaults[step.name]))
    return out


def shrink(program: tuple, interesting: Callable[[tuple], bool], defaults: dict | None = None, max_rounds: int = 4) -> tuple:
    """The smallest program (fewer steps, fewer resources, simpler values) for which ``interesting`` holds."""
    defaults = defaults or {}
    for _ in range(max_rounds):
        before = program
        program = _ddmin(program, interesting)
        names = [st.name for st in program if isinstance(st, (Given, Create)) and st.name is not None]
        for name in names:
            candidate = _without_resource(program, name)
            if candidate != program and candidate and interesting(candidate):
                program = candidate
        i = 0
        while i < len(program):
            for simpler in _simpler(program[i], defaults):
                candidate = program[:i] + (simpler,) + program[i + 1:]
                if interesting(candidate):
                    program = candidate
                    break
            else:
                i += 1
        if program == before:
            break
    return program
