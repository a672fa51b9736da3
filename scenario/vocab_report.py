"""The vocabulary as users write it (``scn vocab``), and what each backend supports.

For every kind: its aliases and plural, states, attributes (with units and how
they are chosen at creation), actions (verb and participle, from which states to
which), relations and the clauses that create it; for every world setting its
default. Each item carries, per installed backend, ``yes``, ``needs <capability>``
or ``not implemented``. The markdown form is the vocabulary page of the docs.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from tabulate import tabulate

from .backend import BackendInfo
from .errors import ConfigurationError, closest
from .vocabulary import BASE_UNIT, Attribute, Kind, Vocabulary

__all__ = ["select", "render", "support"]


def select(vocab: Vocabulary, names: Sequence[str]) -> list[Kind]:
    """The kinds named (by any alias, singular or plural); all of them when none is."""
    if not names:
        return sorted(vocab.kinds.values(), key=lambda k: k.name)
    out = []
    for name in names:
        found = vocab.kind(name.lower().split())
        if found is None:
            near = closest(name.lower(), [p for k in vocab.kinds.values() for p in (k.name, *k.aliases)])
            hint = f"; did you mean {', '.join(near)}?" if near else f"; the kinds are: {', '.join(sorted(vocab.kinds))}"
            raise ConfigurationError(f"no kind is called {name!r}{hint}")
        if found[0] not in out:
            out.append(found[0])
    return out


def support(info: BackendInfo, kind: Kind, capability: str | None = None, item: str | None = None) -> str:
    """Whether ``info`` supports ``kind`` (or one of its items): yes, needs X, not implemented."""
    missing = sorted({c for c in (kind.capability, capability) if c} - set(info.capabilities))
    if missing:
        return "needs " + ", ".join(missing)
    if kind.name in info.unsupported or (item and f"{kind.name}.{item}" in info.unsupported):
        return "not implemented"
    return "yes"


def _a(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _unit(a: Attribute) -> str:
    if a.type == "quantity" and a.dimension:
        return BASE_UNIT.get(a.dimension, a.dimension)
    return ""


def _example(a: Attribute) -> str:
    if a.choice == "presence":
        return f"with {_a(a.name)} / with no {a.name}"
    if a.type == "boolean":
        return f"with {a.name} true"
    if a.type == "enum" and a.values:
        return f"with {a.name} \"{a.values[0]}\""
    if a.type == "quantity":
        sample = {"duration": "30 seconds", "size": "1 KB", "percent": "10 %"}.get(a.dimension or "", "1")
        return f"with {a.name} {sample}"
    if a.type == "number":
        return f"with {a.name} 1"
    return f"with {a.name} \"…\""


def _type(a: Attribute) -> str:
    if a.type == "enum" and a.values:
        return "one of " + ", ".join(a.values)
    if a.choice == "presence":
        return "present or not"
    return a.type


def _create_example(kind: Kind) -> str:
    if kind.implicit:
        return f"given {_a(kind.name)}   (always there: a no-op that documents it)"
    creator = kind.creator
    if creator is None:
        return "(created by other resources, not by a step)"
    adj = f"{kind.initial_state} " if kind.initial_state and kind.states else ""
    return f"given {_a(adj + kind.name)} \"name\"  ·  when {_a(kind.name)} \"name\" is {creator.participle}"


def _kind_rows(kind: Kind, backends: Sequence[BackendInfo], md: bool = False) -> dict[str, list[list[str]]]:
    sup = lambda cap=None, item=None: [support(b, kind, cap, item) for b in backends]  # noqa: E731
    creator = kind.creator
    params = set(creator.params) if creator else set()
    rows: dict[str, list[list[str]]] = {"states": [], "attributes": [], "actions": [], "relations": [], "create": []}
    for st in kind.states:
        how = "stable: can be given (`given a {} {}`)".format(st.name, kind.name) if st.stable else "transitional: only passed through"
        rows["states"].append([st.name, "" if st.code is None else str(st.code), how, *sup(None, st.name)])
    for a in kind.attributes:
        at_creation = _example(a) if (a.settable or a.name in params) else ""
        meaning = [a.description] if md else []
        rows["attributes"].append([a.name, ", ".join(a.aliases), _type(a), _unit(a), at_creation, *meaning, *sup(a.capability, a.name)])
    for act in kind.actions:
        if act.creates:
            moves = f"creates it ({act.result})" if act.result else "creates it"
        elif act.deletes:
            moves = "deletes it"
        elif act.result:
            moves = f"{' / '.join(act.from_states) or 'any'} → {act.result}"
        else:
            moves = ""
        obj = f"{act.preposition} <{act.target}>" if act.target else ""
        rows["actions"].append([act.verb, act.participle, moves, obj, *sup(act.capability, act.verb)])
    for rel in kind.relations:
        maker = next((a for a in kind.actions if a.verb == rel.make), None)
        how = f"`when … is {maker.participle if maker else rel.make}`" if rel.make else "only at creation"
        rows["relations"].append([f"{rel.name} <{rel.target}>", how, *sup(rel.capability, rel.name)])
        if not rel.make:
            rows["create"].append([f"{rel.name} {rel.target} \"name\"", "relation at creation", *sup(rel.capability, rel.name)])
    for a in kind.attributes:
        if a.settable or a.name in params:
            rows["create"].append([_example(a), f"attribute {a.name}", *sup(a.capability, a.name)])
    return rows


_HEADERS = {
    "states": ["state", "code", "use"],
    "attributes": ["attribute", "aliases", "type", "unit", "at creation"],
    "actions": ["verb", "participle", "states", "object"],
    "relations": ["relation", "made by"],
    "create": ["creation clause", "sets"],
}


def render(vocab: Vocabulary, kinds: Iterable[Kind], backends: Sequence[BackendInfo], fmt: str = "table") -> str:
    md = fmt == "markdown"
    tablefmt = "github" if md else "simple"
    names = [b.name for b in backends]
    kinds = list(kinds)
    out: list[str] = []
    if md:
        out += ["# The vocabulary", "",
                "What a spec can say, kind by kind, and what each installed backend supports.",
                "Generated by `scn vocab --format markdown`; do not edit by hand.",
                "`yes`: supported; `needs X`: the backend lacks the capability X, so a scenario using it is skipped;",
                "`not implemented`: the backend has the capability but not this item.", ""]
    for kind in kinds:
        rows = _kind_rows(kind, backends, md)
        plural = kind.plurals[0] if kind.plurals else kind.name + "s"
        aliases = ", ".join(kind.aliases)
        head_support = ", ".join(f"{n}: {support(b, kind)}" for n, b in zip(names, backends))
        if md:
            out += [f"## {kind.name}", ""]
            if kind.description:
                out += [kind.description[:1].upper() + kind.description[1:] + ".", ""]
            out += [f"- aliases: {aliases or '—'}; plural: {plural}",
                    f"- needs: {kind.capability or 'nothing'} ({head_support})",
                    f"- `{_create_example(kind)}`", ""]
        else:
            out += [f"{kind.name}" + (f" ({aliases})" if aliases else "") + (f" — {kind.description}" if kind.description else ""),
                    f"  plural: {plural}; needs: {kind.capability or 'nothing'} ({head_support})",
                    f"  {_create_example(kind)}"]
        for section in ("states", "attributes", "actions", "relations", "create"):
            if not rows[section]:
                continue
            headers = _HEADERS[section] + (["meaning"] if md and section == "attributes" else [])
            table = tabulate(rows[section], headers=headers + names, tablefmt=tablefmt, disable_numparse=True)
            if md:
                out += [f"### {section if section != 'create' else 'creation clauses'}", "", table, ""]
            else:
                out += ["", "  " + table.replace("\n", "\n  ")]
        out.append("")
    if vocab.settings and (md or len(kinds) == len(vocab.kinds)):
        rows = []
        for s in sorted(vocab.settings.values(), key=lambda s: s.name):
            sups = []
            for b in backends:
                missing = sorted({s.capability} - set(b.capabilities) - {None})
                sups.append("needs " + ", ".join(missing) if missing else "yes")
            rows.append([f"given the {s.name} is …", ", ".join(s.aliases), str(s.default), s.description, *sups])
        table = tabulate(rows, headers=["setting", "aliases", "default", "meaning", *names], tablefmt=tablefmt, disable_numparse=True)
        out += (["## world settings", "", table, ""] if md else ["world settings", "", "  " + table.replace("\n", "\n  "), ""])
    return "\n".join(out).rstrip() + "\n"
