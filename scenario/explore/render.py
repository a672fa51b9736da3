"""A shrunk divergence as a `.scn` scenario in the library's idiom, and its check.

`given` for the set-up, `when` for the step where the backends part, and `then`
claims for what the first backend (the reference model) observed there, one per
observation that differs. :func:`verify` compiles it and runs it on both
backends: it is kept only if it passes on the first and fails on the second.
"""

from __future__ import annotations

import re

from .. import ir
from ..backend import BackendInfo
from ..vocabulary import Vocabulary
from .program import Act, Create, Given, Setting, creator, literal, names_of, render_step
from .trace import NA, Difference, Trace

__all__ = ["scenario_lines", "title", "verify", "slug"]


def _name(sc: ir.Scenario, slot: int) -> str | None:
    n = sc.slots[slot].name
    return None if n is None else f'"{n}"'


def _claims(diffs: list[Difference], ta: Trace, sc: ir.Scenario, vocab: Vocabulary) -> list[str]:
    out: list[str] = []
    done_pairs: set = set()
    for d in diffs:
        if d.key == ("outcome",):
            out.insert(0, "it succeeds" if d.a == "ok" else f'it fails with "{d.a}"')
            continue
        who = _name(sc, d.key[0])
        if who is None:
            continue
        what = d.key[1]
        if what == "exists":
            out.append(f"{who} exists" if d.a else f"{who} does not exist")
        elif what == "rel":
            other = _name(sc, d.key[3])
            if other is not None and isinstance(d.a, bool):
                out.append(f"{who} is {'' if d.a else 'not '}{d.key[2]} {other}")
        elif what == "attr":
            name = d.key[2]
            kind = vocab.kinds[sc.slots[d.key[0]].kind]
            attr = next((a for a in kind.attributes if a.name == name), None)
            if name == "state" and isinstance(d.a, str):
                out.append(f"{who} is {d.a}")
            elif isinstance(d.a, tuple) and d.a is not NA:  # a random value: how it changed, what it equals
                a, b = d.a, d.b if isinstance(d.b, tuple) else ("?",)
                subject = f"the {name} of {who}"
                if a[0] == "none" or b[0] == "none":
                    out.append(f"{subject} is {'' if a[0] == 'none' else 'not '}none")
                elif a[0] != b[0] and "new" not in (a[0], b[0]):
                    out.append(f"{subject} {'changes' if a[0] == 'changed' else 'is unchanged'}")
                if a[0] != "none" and b[0] != "none" and len(a) > 1 and len(b) > 1:
                    for other_key in sorted(a[1] ^ b[1], key=repr):
                        pair = frozenset({d.key, other_key})
                        other = _name(sc, other_key[0])
                        if pair in done_pairs or other is None:
                            continue
                        done_pairs.add(pair)
                        verb = "equals" if other_key in a[1] else "is not"
                        out.append(f"{subject} {verb} the {other_key[2]} of {other}")
            elif attr is not None:
                text = literal(d.a, attr.dimension)
                if text is not None:
                    out.append(f"the {name} of {who} is {text}")
    return list(dict.fromkeys(out))


def scenario_lines(program, target: int, ta: Trace, diffs: list[Difference], sc: ir.Scenario,
                   vocab: Vocabulary, as_given: bool = False) -> list[str] | None:
    """The scenario's step lines (keyword and text), or None when the divergence cannot be said this way."""
    kinds_of = names_of(program)
    lines: list[str] = []
    for i, st in enumerate(program[:target]):
        outcome = ta.lines[i].outcome
        text = render_step(st, vocab, kinds_of)
        if isinstance(st, (Given, Setting)):
            if outcome != "ok":
                return None  # a given must succeed on the first backend
            lines.append(f"given {text}")
        else:
            if outcome == "skipped":
                return None
            lines.append(f"when {text}")
            if outcome != "ok":
                lines.append(f'then it fails with "{outcome}"')
    st = program[target]
    if isinstance(st, Setting):
        return None
    if isinstance(st, Given):
        kind = vocab.kinds[st.kind]
        made = [(rel, t) for rel, t in st.relations if next(r for r in kind.relations if r.name == rel).make is None]
        if st.count > 1:  # the last of a count is the one that differs: `given 5 elastic ips` `when an elastic ip is allocated`
            if made != list(st.relations) or st.state is not None:
                return None
            lines.append(f"given {render_step(Given(st.kind, None, st.count - 1, st.state, st.params), vocab, kinds_of)}")
            lines.append("when " + render_step(Create(st.kind, f"{kind.name.split()[0][:1]}new", st.params, made),
                                               vocab, kinds_of))
        elif st.name is None:
            return None
        elif as_given:  # made in the set-up; what reaches its state and its relations is the when-group
            lines.append("given " + render_step(Given(st.kind, st.name, 1, None, st.params, made), vocab, kinds_of))
            verbs = [a.participle for a in ((kind.path_to(st.state) or ()) if st.state else ())]
            acts = [render_step(Act(st.name, make, t), vocab, kinds_of) for rel, t in st.relations
                    if (make := next(r for r in kind.relations if r.name == rel).make) is not None]  # not in made
            if not verbs and not acts:
                return None
            text = f'"{st.name}" is ' + " and ".join(verbs) if verbs else ""
            lines.append("when " + (" and ".join(([text] if text else []) + acts)))
        else:
            if st.state is not None or made != list(st.relations):
                return None
            lines.append("when " + render_step(Create(st.kind, st.name, st.params, made), vocab, kinds_of))
    else:
        lines.append("when " + render_step(st, vocab, kinds_of))
    claims = _claims(diffs, ta, sc, vocab)
    if not claims:
        return None
    lines += [("then " if i == 0 else "and ") + c for i, c in enumerate(claims)]
    return lines


_PARTS = {"outcome": "outcome", "exists": "existence", "state": "state", "relation": "relation", "attribute": "attribute"}


def title(form: tuple, key: tuple, a: str, b: str, vocab: Vocabulary) -> str:
    """What differs, in words: the step, then the observation."""
    f = form[0]
    if f[0] == "act":
        kind = vocab.kinds[f[1]]
        act = next(x for x in kind.actions if x.verb == f[2])
        words = f"{f[3]} {f[1]}" if f[3] else f[1]
        step = f"{_an(words)} {words} is {act.participle}" + (f" {act.preposition or 'to'} {_an(f[4])} {f[4]}" if f[4] else "")
    elif f[0] in ("given", "create"):
        kind = vocab.kinds[f[1]]
        many = "many" in f[4:]
        made_by = creator(kind).participle
        step = f"{'one ' + kind.name + ' too many is' if many else _an(kind.name) + ' ' + kind.name + ' is'} {made_by}"
        step += "".join(f" {'with' if i == 0 else 'and'} {p}" for i, p in enumerate(f[2])) + "".join(
            f" {r[len(made_by) + 1:] if r.startswith(made_by + ' ') else r} "
            f"{_an(t)} {t}" for r, t in ((r, next(x.target for x in kind.relations if x.name == r)) for r in f[3]))
        then = [x for x in f[4:] if x != "many"]
        if then:
            step += ", then " + " and ".join(next(a.participle for a in kind.actions if a.verb == v) for v in then)
    elif f[0] == "setting":
        step = f"the {f[1]} is set"
    else:
        step = "time passes"
    if key[0] == "outcome":
        ra = "accepts it" if key[1] == "ok" else f"refuses it ({key[1]})"
        rb = "accepts it" if key[2] == "ok" else f"refuses it ({key[2]})"
        what = f"{a} {ra}, {b} {rb}"
    elif key[0] == "exists":
        what = f"the {key[2]} {'exists' if key[3] else 'is gone'} on {a}, {'exists' if key[4] else 'is gone'} on {b}"
    elif key[0] == "state":
        what = f"the {key[2]} is {key[3]} on {a}, {key[4]} on {b}"
    elif key[0] == "relation":
        rel = f"{key[3]} the {key[4]}"
        what = f"the {key[2]} is {'' if key[5] else 'not '}{rel} on {a} but {'' if key[6] else 'not '}on {b}"
    else:
        detail = f" ({key[4]} on {a}, {key[5]} on {b})" if len(key) > 4 else ""
        what = f"the {key[3]} of the {key[2]} differs{detail}"
    return f"{step}: {what}"


def _an(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-")


def verify(text: str, vocab: Vocabulary, a: BackendInfo, b: BackendInfo) -> tuple[bool, str]:
    """Whether ``text`` compiles, passes on ``a`` and fails on ``b``; and why not."""
    from ..compiler import compile_text
    from ..errors import SpecErrors
    from ..runner import Status, run_raw

    try:
        feature = compile_text(text, vocab, "<explored>")
    except SpecErrors as exc:
        return False, f"does not compile: {exc.errors[0].message if exc.errors else exc}"
    sc = feature.scenarios[0]
    oa = run_raw(sc, a)
    if oa.status != Status.PASSED:
        return False, f"{oa.status} on {a.name}: {oa.message}"
    ob = run_raw(sc, b)
    if ob.status != Status.FAILED:
        return False, f"{ob.status} on {b.name}: {ob.message}"
    return True, ob.message
