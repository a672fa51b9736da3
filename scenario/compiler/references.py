"""Resources a step points at: new slots, names, `the <kind>`, `it`, counts, and kinds by their words.

Every reference resolves to a slot of the scenario, or is a mistake with a "did you
mean". After a given failed, a reference to what it would have made aborts quietly:
that mistake was reported once, where it happened.
"""

from __future__ import annotations

from typing import NoReturn, Sequence

from .. import ir
from .. import syntax as s
from ..errors import closest
from ..syntax import BodyKind, LiteralKind, NounForm
from ..vocabulary import Kind, setting_sentence
from .context import MAX_COUNT, ScenarioContext, _a, _Abort


class References(ScenarioContext):
    """Slots: making them, and finding the one a noun phrase or clause names."""

    def _new_slot(self, kind: Kind, name: str | None, col: int) -> int:
        if name is not None and name in self.names:
            self.error(f'the name "{name}" is already taken in this scenario', col, "names are scoped to one scenario; choose another")
        n = self.counters.get(kind.name, 0) + 1
        self.counters[kind.name] = n
        self.slots.append(ir.Slot(kind.name, name, n))
        idx = len(self.slots) - 1
        if name is not None:
            self.names[name] = idx
        self.per_kind.setdefault(kind.name, []).append(idx)
        if self.group_kind == "when":
            self.created_in[idx] = (self.when_index, self.step.line)
        if kind.capability:
            self.needs.add(kind.capability)
        return idx

    def _kind_of(self, slot: int) -> Kind:
        return self.vocab.kinds[self.slots[slot].kind]

    def _by_name(self, name: s.Name, kind: Kind | None = None) -> int:
        idx = self.names.get(name.value)
        if idx is None:
            if self.broken_given:
                raise _Abort()  # most likely made by the given that failed: reported once, there
            near = closest(name.value, self.names)
            hint = "did you mean " + " or ".join(f'`"{n}"`' for n in near) + "?" if near else None
            if hint is None:
                hint = "a name must be given earlier in the scenario, e.g. `given a running instance \"web\"`"
            self.error(f'no resource is named "{name.value}" in this scenario', name.col, hint, name.end)
        if kind is not None and self.slots[idx].kind != kind.name:
            self.error(f'"{name.value}" is {_a(self.slots[idx].kind)}, not {_a(kind.name)}', name.col)
        return idx

    def _the_kind(self, kind: Kind, col: int, end: int) -> int:
        found = self.per_kind.get(kind.name, [])
        if not found:
            if self.broken_given:
                raise _Abort()
            self.error(f"there is no {kind.name} in this scenario yet", col, f"create one first: `given {_a(kind.name)}`", end)
        if len(found) > 1:
            labels = ", ".join(self.slots[i].label for i in found)
            self.error(f"`the {kind.name}` is ambiguous: this scenario has {len(found)} ({labels})", col, "refer to one by its name", end)
        return found[0]

    def _count(self, det: str, col: int) -> int:
        """A count of resources to create: a whole number from 1 to MAX_COUNT."""
        text = det.replace(",", "")
        end = col + len(det)
        if not text.isdigit():
            self.error(f"a count is a whole number, not {det}", col, end=end)
        text = text.lstrip("0") or "0"
        if len(text) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:  # the length first: int() of 5,000 digits fails
            self.error(f"a count is at most {MAX_COUNT:,} in one step", col,
                       f"a step creates from 1 to {MAX_COUNT:,} resources; {det} is more", end)
        count = int(text)
        if count < 1:
            self.error("a count is at least 1", col, f"a step creates from 1 to {MAX_COUNT:,} resources: write `a` or a number", end)
        return count

    def _it(self, col: int) -> int:
        """`it`, or no subject: the main resource of the nearest *earlier* step."""
        if self.it_subject is None:
            if self.broken_given:
                raise _Abort()
            self.error("`it` refers to nothing: no earlier step names a resource", col, "name the resource, e.g. \"web\"")
        return self.it_subject

    def _subject(self, np: s.NounPhrase | None, col: int) -> int:
        """The subject of a claim, which becomes what a later `it` means."""
        if np is None:
            return self._it(col)
        subject = self._ref_np(np)
        self.last_subject = subject
        return subject

    def _ref_np(self, np: s.NounPhrase) -> int:
        """A noun phrase that names an existing resource."""
        if np.form == NounForm.IT:
            return self._it(np.col)
        if np.form == NounForm.NAME and np.name is not None:
            return self._by_name(np.name)
        if np.words is not None:
            hit = self.vocab.kind(np.words.words)
            if hit is None:
                self._unknown_kind(np.words)
            kind = hit[0]
            self._not_implicit(kind, np.words)
            if np.name is not None:
                return self._by_name(np.name, kind)
            return self._the_kind(kind, np.words.col, np.words.end)
        self.error("this does not name a resource", np.col)  # pragma: no cover

    def _ref_body(self, body: s.Body) -> int:
        """A clause body that names an existing resource."""
        if body.kind == BodyKind.IT:
            return self._it(body.col)
        if body.kind == BodyKind.VALUE and body.name is not None:
            return self._by_name(body.name)
        if body.words is not None and body.kind in (BodyKind.DET, BodyKind.WORDS):
            if body.kind == BodyKind.DET and body.det not in ("the",) and body.name is None:
                self.error(f"`{body.det} {body.words.text}` does not say which one", body.col, f"write `the {body.words.text}` or its name")
            hit = self.vocab.kind(body.words.words)
            if hit is None:
                self._unknown_kind(body.words)
            self._not_implicit(hit[0], body.words)
            if body.name is not None:
                return self._by_name(body.name, hit[0])
            if body.kind == BodyKind.WORDS and body.value is not None and body.value.kind == LiteralKind.STRING:
                return self._by_name(s.Name(value=body.value.value, col=body.value.col, end=body.value.end), hit[0])
            return self._the_kind(hit[0], body.words.col, body.words.end)
        self.error("this does not name a resource", body.col)

    def _check_target(self, kind_name: str, slot: int, col: int) -> None:
        if self.slots[slot].kind != kind_name:
            self.error(f"{self.slots[slot].label} is {_a(self.slots[slot].kind)}; this needs {_a(kind_name)}", col)

    def _not_implicit(self, kind: Kind, words: s.Words) -> None:
        """The default VPC and its like exist in every world, behind the scenes: no step can point at one."""
        if kind.implicit:
            where = {"then": "a claim", "when": "an action"}.get(self.group_kind or "", "a step")
            self.error(f"the {kind.name} is implicit and cannot be named in {where}", words.col,
                       f"it exists in every world; `given {_a(kind.name)}` only documents that", words.end)

    def _unknown_kind(self, words: s.Words, extra: Sequence[str] = ()) -> NoReturn:
        phrase = words.text
        hint = self._attribute_hint(words) or self.suggest(phrase, list(self.vocab.kind_phrases()) + list(extra)) \
            or self._suggest_kind(words.words)
        self.error(f"unknown kind `{phrase}`", words.col, hint or "`scn vocab` lists the kinds", words.end)

    def _attribute_hint(self, words: s.Words) -> str | None:
        """`retention` where a kind was expected: the attribute of a resource of the scenario it names (or nearly),
        as a claim reads it and as a when-step changes it."""
        low = " ".join(w.lower() for w in words.words)
        for slot in reversed(range(len(self.slots))):
            kind = self._kind_of(slot)
            attr = self.vocab.attribute(kind, words.words)
            if attr is None:
                near = closest(low, self.vocab.attribute_phrases(kind), n=1)
                attr = self.vocab.attribute(kind, near[0].split()) if near else None
            if attr is None:
                continue
            label = self.slots[slot].label
            hint = f"did you mean `the {attr.name} of {label}`?"
            change = setting_sentence(kind, attr, label)
            return f"{hint} To change it: `{change}`" if change else hint
        return None

    def _suggest_kind(self, words: Sequence[str]) -> str | None:
        """`runing instanse` → did you mean `running instance`: adjectives, then a kind."""
        for i in range(1, len(words)):
            near = closest(" ".join(words[i:]), self.vocab.kind_phrases(), n=1)
            if near:
                hit = self.vocab.kind(near[0].split())
                if hit is None:  # pragma: no cover - near is one of the kind phrases
                    continue
                adj: str | None = " ".join(words[:i])
                if self.vocab.adjectives(hit[0], words[:i]) is None:
                    guess = closest(" ".join(words[:i]), self.vocab.adjective_phrases(hit[0]), n=1)
                    adj = guess[0] if guess else None
                return f"did you mean `{adj} {near[0]}`?" if adj else f"did you mean `{near[0]}`?"
        return None
