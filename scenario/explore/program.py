"""A program of `scn explore`: steps drawn from the vocabulary, and their `.scn` text.

A program is a tuple of steps, givens first (:class:`Given`, :class:`Setting`),
then whens (:class:`Create`, :class:`Act`, :class:`Wait`). It is kept as data so
that it can be drawn, shrunk and stored, and turned into `.scn` text by
:func:`render_step`, which is then compiled by the real compiler: a program the
compiler refuses is never run.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import InternalError
from ..vocabulary import Action, Kind, Vocabulary

__all__ = ["Given", "Setting", "Create", "Act", "Wait", "Step", "render_step", "program_text", "literal",
           "names_of", "uses", "renumber", "GIVEN_TYPES", "creator"]


def creator(kind: Kind) -> Action:
    """The action that creates ``kind``: every kind a program names has one (build_space keeps no other)."""
    act = kind.creator
    if act is None:  # pragma: no cover - build_space leaves out the kinds a spec cannot create
        raise InternalError(f"a program names {kind.name}, which a spec cannot create")
    return act


def _pairs(x) -> tuple:
    return tuple(tuple(p) for p in x)


@attrs.frozen
class Given:
    """`given [a|N] [<state>] <kind> ["name"] [<relation> "target"] [with <param> ...]`."""

    kind: str
    name: str | None  # None: unnamed (a count of them)
    count: int = 1
    state: str | None = None  # None: the state its creation leaves it in
    params: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_pairs)
    relations: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)  # (relation name, target name)


@attrs.frozen
class Setting:
    """`given the <setting> is <value>`."""

    name: str
    value: Any


@attrs.frozen
class Create:
    """`when a <kind> "name" is <created> [in <kind> "target"] [with <param> ...]`."""

    kind: str
    name: str
    params: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_pairs)
    relations: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)


@attrs.frozen
class Act:
    """`when "name" is <participle> [<preposition> "target"] [with <param> ...]`."""

    subject: str
    action: str  # the verb
    target: str | None = None
    params: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_pairs)


@attrs.frozen
class Wait:
    """`when N seconds pass` (backends with the clock)."""

    seconds: int


Step = Given | Setting | Create | Act | Wait
GIVEN_TYPES = (Given, Setting)

_UNITS = {
    "duration": (("days", 86400), ("hours", 3600), ("minutes", 60), ("seconds", 1)),
    "size": (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024), ("bytes", 1)),
    "percent": (("%", 1),),
}


def literal(value: Any, dimension: str | None = None) -> str | None:
    """``value`` as the language writes it (a quantity in its largest exact unit); None if it cannot be."""
    if value is None:
        return "none"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if dimension is None:
            return str(value)
        for unit, factor in _UNITS.get(dimension, ()):
            if isinstance(value, int) and value % factor == 0 and (value != 0 or factor == 1):
                n = value // factor
                return f"{n}%" if unit == "%" else f"{n} {unit[:-1] if n == 1 and unit.endswith('s') and unit != 'bytes' else unit}"
        return None
    text = str(value)
    if '"' in text or "\n" in text:
        return None
    return f'"{text}"'


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _plural(kind: Kind) -> str:
    return kind.plurals[0] if kind.plurals else kind.name + "s"


def _param(vocab: Vocabulary, kind: Kind, name: str, value: Any) -> str:
    attr = next(a for a in kind.attributes if a.name == name)
    if attr.choice == "presence":
        return f"a {name}" if value else f"no {name}"
    return f"{name} {literal(value, attr.dimension)}"


def _clauses(vocab: Vocabulary, kind: Kind, params) -> str:
    out = ""
    for i, (name, value) in enumerate(params):
        out += (" with " if i == 0 else " and ") + _param(vocab, kind, name, value)
    return out


def _relation_words(kind: Kind, name: str, target: str, targets: dict[str, str]) -> str:
    rel = next(r for r in kind.relations if r.name == name)
    if rel.participle:
        return f'{rel.participle} {rel.preposition} "{target}"'
    return f'{rel.preposition} {targets.get(target, rel.target)} "{target}"'


def render_step(step: Step, vocab: Vocabulary, kinds_of: dict[str, str]) -> str:
    """One step as a line of `.scn` text, without its keyword (``kinds_of``: resource name → kind)."""
    if isinstance(step, Setting):
        s = vocab.settings[step.name]
        return f"the {step.name} is {literal(step.value, s.dimension)}"
    if isinstance(step, Wait):
        return f"{literal(step.seconds, 'duration')} pass"
    if isinstance(step, Given):
        kind = vocab.kinds[step.kind]
        words = f"{step.state} {kind.name}" if step.state else kind.name
        if step.count != 1:
            head = f"{step.count} " + (f"{step.state} {_plural(kind)}" if step.state else _plural(kind))
        else:
            head = f"{_article(words)} {words}"
        if step.name is not None:
            head += f' "{step.name}"'
        for rel, target in step.relations:
            head += " " + _relation_words(kind, rel, target, kinds_of)
        return head + _clauses(vocab, kind, step.params)
    if isinstance(step, Create):
        kind = vocab.kinds[step.kind]
        head = f'{_article(kind.name)} {kind.name} "{step.name}"'
        tail = ""
        participle = creator(kind).participle
        for rel, target in step.relations:
            words = _relation_words(kind, rel, target, kinds_of)
            if words.startswith("of "):  # `a read replica "r" of "db" is created`
                head += " " + words
            elif words.startswith(participle + " "):  # `is launched with "eni"`
                tail += words[len(participle):]
            else:
                tail += " " + words
        return f"{head} is {participle}{tail}{_clauses(vocab, kind, step.params)}"
    if isinstance(step, Act):
        kind = vocab.kinds[kinds_of[step.subject]]
        action = next(a for a in kind.actions if a.verb == step.action)
        text = f'"{step.subject}" is {action.participle}'
        if step.target is not None:
            text += f' {action.preposition or "to"} "{step.target}"'
        return text + _clauses(vocab, kind, step.params)
    raise TypeError(f"not a step: {step!r}")


def names_of(program) -> dict[str, str]:
    """Every named resource of ``program``: name → kind."""
    out = {}
    for st in program:
        if isinstance(st, (Given, Create)) and st.name is not None:
            out[st.name] = st.kind
    return out


def uses(step: Step) -> set[str]:
    """The names a step refers to (not the one it creates)."""
    if isinstance(step, (Given, Create)):
        return {t for _, t in step.relations}
    if isinstance(step, Act):
        return {step.subject} | ({step.target} if step.target else set())
    return set()


def program_text(program, vocab: Vocabulary, title: str = "an explored program", tags: str = "") -> str:
    """The program as a `.scn` file of one scenario with no claims: what exploration compiles and runs."""
    kinds_of = names_of(program)
    lines = ["feature: explored", "", f"  {tags}".rstrip() if tags else None, f"  scenario: {title}"]
    for st in program:
        keyword = "given" if isinstance(st, GIVEN_TYPES) else "when"
        lines.append(f"    {keyword} {render_step(st, vocab, kinds_of)}")
    return "\n".join(x for x in lines if x is not None) + "\n"


def renumber(program, prefixes: dict[str, str]):
    """The same program with its resources renamed in order of appearance: "i1", "i2", "eip1", …"""
    mapping: dict[str, str] = {}
    counts: dict[str, int] = {}
    for st in program:
        if isinstance(st, (Given, Create)) and st.name is not None:
            p = prefixes.get(st.kind, "r")
            counts[p] = counts.get(p, 0) + 1
            mapping[st.name] = f"{p}{counts[p]}"
    # two passes so that a swap (i2 → i1, i1 → i2) cannot collide
    def rn(n):
        return mapping.get(n, n) if n is not None else None

    out = []
    for st in program:
        if isinstance(st, Given):
            st = attrs.evolve(st, name=rn(st.name), relations=tuple((r, rn(t)) for r, t in st.relations))
        elif isinstance(st, Create):
            st = attrs.evolve(st, name=rn(st.name), relations=tuple((r, rn(t)) for r, t in st.relations))
        elif isinstance(st, Act):
            st = attrs.evolve(st, subject=rn(st.subject), target=rn(st.target))
        out.append(st)
    return tuple(out)
