"""The vocabulary as users write it (``scn vocab``), and what each backend supports.

For every kind: its aliases and plural, states, attributes (with units and how
they are chosen at creation), actions (verb and participle, from which states to
which), relations and the clauses that create it; for every world setting its
default. Each item carries, per installed backend, ``yes``, ``needs <capability>``
or ``not implemented``. The markdown form is the vocabulary page of the docs.
"""

from __future__ import annotations

import textwrap
from typing import Iterable, Sequence

from tabulate import tabulate

from .backend import BackendInfo
from .errors import ConfigurationError, closest
from .vocabulary import BASE_UNIT, Attribute, Kind, Vocabulary, example_value, setting_sentence

__all__ = ["select", "render", "support", "index", "search", "services"]

WIDTH = 100  #: the terminal form fits this many columns


def services(vocab: Vocabulary) -> dict[str, list[Kind]]:
    """The kinds by the AWS service they belong to (`other` for a kind that names none), services sorted."""
    out: dict[str, list[Kind]] = {}
    for k in sorted(vocab.kinds.values(), key=lambda k: k.name):
        out.setdefault(k.service or "other", []).append(k)
    return dict(sorted(out.items()))


def _service_named(vocab: Vocabulary, name: str) -> str | None:
    loose = "".join(ch for ch in name.lower() if ch.isalnum())
    return next((s for s in services(vocab) if "".join(ch for ch in s if ch.isalnum()) == loose), None)


def select(vocab: Vocabulary, names: Sequence[str]) -> list[Kind]:
    """The kinds named (a service, or a kind by any alias, singular or plural); all of them when none is."""
    if not names:
        return sorted(vocab.kinds.values(), key=lambda k: k.name)
    out: list[Kind] = []
    for name in names:
        service = _service_named(vocab, name)
        hit = vocab.kind(name.lower().split())
        found = [hit[0]] if hit else []
        if service is not None and not found:
            found = services(vocab)[service]
        if not found:
            words = [p for k in vocab.kinds.values() for p in (k.name, *k.aliases)] + list(services(vocab))
            near = closest(name.lower(), words)
            hint = (f"; did you mean {', '.join(near)}?" if near else
                    f"; the services are: {', '.join(services(vocab))} (`scn vocab --search {name}` finds a word)")
            raise ConfigurationError(f"no kind or service is called {name!r}{hint}")
        out += [k for k in found if k not in out]
    return out


def index(vocab: Vocabulary) -> str:
    """The first page of `scn vocab`: the services and their kinds, and how to see more."""
    out = ["The vocabulary: what a spec can say, by service. `scn vocab <service>` or `scn vocab <kind>` shows",
           "one in full; `scn vocab --search <word>` finds a word; `--format markdown` is the docs page.", ""]
    width = max(len(s) for s in services(vocab)) + 2
    for service, kinds in services(vocab).items():
        text = ", ".join(k.name.replace(" ", "\0") for k in kinds)  # a kind's name is never broken across lines
        out += [line.replace("\0", " ") for line in
                textwrap.wrap(text, WIDTH, initial_indent=service.ljust(width), subsequent_indent=" " * width)]
    if vocab.settings:
        out += ["", f"world settings: {len(vocab.settings)} (`given the elastic ip limit is 10`), in `scn vocab settings`"]
    return "\n".join(out) + "\n"


def search(vocab: Vocabulary, word: str) -> str:
    """Every kind, state, attribute, action, relation and setting whose words or meaning hold ``word``."""
    low = word.lower().strip()
    hits: list[str] = []

    def hit(*texts: str) -> bool:
        return any(low in t.lower() for t in texts if t)

    for k in sorted(vocab.kinds.values(), key=lambda k: k.name):
        where = f"{k.name}" + (f" ({k.service})" if k.service else "")
        if hit(k.name, *k.aliases, k.description):
            hits.append(f"{where}: the kind — {_create_example(k)}")
        for st in k.states:
            if hit(st.name):
                hits.append(f"{where}: the state {st.name} — `then \"{_name(k)}\" is {st.name}`")
        for a in k.attributes:
            if hit(a.name, *a.aliases, a.description):
                said = f'`then the {a.name} of "{_name(k)}" is {example_value(a)}`'
                change = setting_sentence(k, a, f'"{_name(k)}"')
                hits.append(f"{where}: the attribute {a.name} — {said}" + (f"; `{change}`" if change else ""))
        for act in k.actions:
            if hit(act.verb, act.participle, act.description):
                hits.append(f"{where}: the action {act.participle} — `{_act_example(k, act)}`")
        for r in k.relations:
            if hit(r.name, r.target, r.description):
                hits.append(f"{where}: the relation {r.name} <{r.target}>")
    for s in sorted(vocab.settings.values(), key=lambda s: s.name):
        if hit(s.name, *s.aliases, s.description):
            hits.append(f"world setting: `given the {s.name} is {s.default}`")
    if not hits:
        near = closest(low, [p for k in vocab.kinds.values() for p in (k.name, *k.aliases, *(a.name for a in k.attributes))])
        return f"nothing in the vocabulary says {word!r}" + (f"; did you mean {', '.join(near)}?" if near else "") + "\n"
    return "\n".join(_fit(h) for h in hits) + "\n"


def _fit(line: str) -> str:
    return "\n".join(textwrap.wrap(line, WIDTH, subsequent_indent="    ", break_on_hyphens=False, break_long_words=False))


def _name(kind: Kind) -> str:
    """A name for an example of the kind: `fn` for a lambda function, `s` for a stream."""
    word = kind.name.split()[-1]
    return word if len(word) <= 8 else word[:3]


def _act_example(kind: Kind, act) -> str:
    name = f'"{_name(kind)}"'
    if act.creates:
        return f"when {_a(kind.name)} {name} is {act.participle}"
    owner = kind
    said = f"when {name} is {act.participle}"
    if act.target:
        said += f" {act.preposition} \"<{act.target}>\""
    attr = next((a for a in owner.attributes if a.name in act.params), None)
    if attr is not None and not act.makes:
        said += f" with {attr.name} {example_value(attr)}"
    return said


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
    return f"with {a.name} {example_value(a)}"


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
    name = f'"{_name(kind)}"'
    return f"given {_a(adj + kind.name)} {name}  ·  when {_a(kind.name)} {name} is {creator.participle}"


def _kind_rows(kind: Kind, backends: Sequence[BackendInfo], md: bool = False) -> dict[str, list[list[str]]]:
    sup = lambda cap=None, item=None: [support(b, kind, cap, item) for b in backends]  # noqa: E731
    creator = kind.creator
    params = set(creator.params) if creator else set()
    rows: dict[str, list[list[str]]] = {"states": [], "attributes": [], "actions": [], "relations": [], "create": []}
    for st in kind.states:
        how = f"stable: can be given (`given {_a(st.name)} {kind.name}`)" if st.stable else "transitional: only passed through"
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
    rows["change"] = []
    for a in kind.attributes:
        sentence = setting_sentence(kind, a, f'"{_name(kind)}"')
        if sentence is not None:
            acts = kind.changers(a.name)
            rows["change"].append([a.name, f"`{sentence}`", *sup(acts[0].capability, acts[0].verb)])
    return rows


def _grouped_support(cells: Sequence[str], names: Sequence[str]) -> str:
    """One cell for every backend: `yes`, or what differs, `moto, aws: not implemented`."""
    if all(c == "yes" for c in cells):
        return "yes"
    groups: dict[str, list[str]] = {}
    for c, n in zip(cells, names):
        if c != "yes":
            groups.setdefault(c, []).append(n)
    return "; ".join(f"{', '.join(ns)}: {c}" for c, ns in groups.items())


#: the widest each column of a terminal table may be, so that a table fits WIDTH columns
_WIDTHS = {
    "states": [16, 5, 44, 25],
    "attributes": [18, 16, 16, 24, 16],
    "actions": [18, 26, 24, 24],
    "relations": [34, 30, 28],
    "create": [40, 26, 26],
    "change": [18, 58, 18],
}


_HEADERS = {
    "states": ["state", "code", "use"],
    "attributes": ["attribute", "aliases", "type", "unit", "at creation"],
    "actions": ["verb", "participle", "states", "object"],
    "relations": ["relation", "made by"],
    "create": ["creation clause", "sets"],
    "change": ["attribute", "to change it"],
}
_TITLES = {"create": "creation clauses", "change": "changing an attribute"}


def _terminal_rows(section: str, rows: list[list[str]], n: int) -> tuple[list[str], list[list[str]]]:
    """A section for the terminal: the backends in one column, a quantity's unit beside its type, no verb column."""
    headers = list(_HEADERS[section])
    out = []
    for row in rows:
        out.append(list(row))
    if section == "attributes":
        headers = ["attribute", "aliases", "type", "at creation"]
        out = [[r[0], r[1], f"{r[2]} ({r[3]})" if r[3] else r[2], r[4], r[5]] for r in out]
    if section == "actions":
        headers = ["action", "states", "object"]
        out = [[r[1], r[2], r[3], r[4]] for r in out]
    return headers, out


def render(vocab: Vocabulary, kinds: Iterable[Kind], backends: Sequence[BackendInfo], fmt: str = "table",
           settings: bool = False) -> str:
    """Each kind in full (the markdown form is the docs page); the world settings with the whole vocabulary,
    or alone with ``settings``."""
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
            head = f"{kind.name}" + (f" ({aliases})" if aliases else "") + (f" — {kind.description}" if kind.description else "")
            out += textwrap.wrap(head, WIDTH, subsequent_indent="  ")
            out += textwrap.wrap(f"{'service: ' + kind.service + '; ' if kind.service else ''}plural: {plural}; "
                                 f"needs: {kind.capability or 'nothing'} ({head_support})", WIDTH, initial_indent="  ",
                                 subsequent_indent="    ")
            out += textwrap.wrap(_create_example(kind), WIDTH, initial_indent="  ", subsequent_indent="    ",
                                 break_on_hyphens=False)
        for section in ("states", "attributes", "actions", "relations", "create", "change"):
            if not rows[section]:
                continue
            if md:
                headers = _HEADERS[section] + (["meaning"] if section == "attributes" else [])
                table = tabulate(rows[section], headers=headers + names, tablefmt=tablefmt, disable_numparse=True)
                out += [f"### {_TITLES.get(section, section)}", "", table, ""]
            else:
                headers, cells = _terminal_rows(section, [r[: len(r) - len(names)] + [_grouped_support(r[len(r) - len(names):], names)]
                                                          for r in rows[section]], 1)
                widths = _WIDTHS[section][: len(headers) + 1]
                table = tabulate(cells, headers=headers + ["support"], tablefmt=tablefmt, disable_numparse=True,
                                 maxcolwidths=widths)
                out += ["", f"  {_TITLES.get(section, section)}:" if section in _TITLES else "", "  " + table.replace("\n", "\n  ")]
                if out[-2] == "":
                    del out[-2]
        out.append("")
    if vocab.settings and (md or settings or len(kinds) == len(vocab.kinds)):
        setting_rows: list[list[str]] = []
        for s in sorted(vocab.settings.values(), key=lambda s: s.name):
            sups = []
            for b in backends:
                missing = s.capability is not None and s.capability not in b.capabilities
                sups.append(f"needs {s.capability}" if missing else "yes")
            setting_rows.append([f"given the {s.name} is …", ", ".join(s.aliases), str(s.default), s.description,
                                 *sups])
        if md:
            table = tabulate(setting_rows, headers=["setting", "aliases", "default", "meaning", *names],
                             tablefmt=tablefmt, disable_numparse=True)
        else:
            setting_rows = [r[:4] + [_grouped_support(r[4:], names)] for r in setting_rows]
            table = tabulate(setting_rows, headers=["setting", "aliases", "default", "meaning", "support"],
                             tablefmt=tablefmt, disable_numparse=True, maxcolwidths=[38, 12, 8, 18, 10])
        out += (["## world settings", "", table, ""] if md else ["world settings", "", "  " + table.replace("\n", "\n  "), ""])
    return "\n".join(out).rstrip() + "\n"
