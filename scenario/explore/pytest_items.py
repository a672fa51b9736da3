"""`pytest --scn-explore N`: N drawn programs per backend pair, each a test.

The pairs are the first ``--scn-backend`` (the model) with each of the others;
with one backend named, it is compared with ``reference``. A program whose two
runs disagree fails, and its failure is the shrunk scenario as `.scn` text, to
paste into a spec file. Program ``n`` is drawn from ``random.Random(f"{seed}:{n}")``
exactly as `scn explore` draws it, so ``--scn-explore-seed`` reproduces a run and
an xdist worker collects the same programs as any other.
"""

from __future__ import annotations

import random

import pytest

__all__ = ["explore_items", "ExploreItem"]

_EXPLORERS: dict = {}


def _explorer(a, b, service, kinds):
    key = (a.name, b.name, service, kinds)
    if key not in _EXPLORERS:
        from pathlib import Path

        from ..plugins import vocabulary
        from . import _library
        from .explorer import Explorer
        from .space import build_space

        library = _library(["specs"]) if Path("specs").is_dir() else []
        space = build_space(vocabulary(), (a, b), service, kinds.split(",") if kinds else None, library)
        _EXPLORERS[key] = Explorer(a, b, space, describe="`pytest --scn-explore`")
    return _EXPLORERS[key]


class ScnExploreFailed(Exception):
    pass


class ExploreItem(pytest.Item):
    """One drawn program on one pair of backends."""

    def __init__(self, *, pair, number: int, seed: str, service, kinds, **kwargs):
        super().__init__(**kwargs)
        self.pair, self.number, self.seed, self.service, self.kinds = pair, number, seed, service, kinds

    def runtest(self) -> None:
        from .space import draw

        a, b = self.pair
        explorer = _explorer(a, b, self.service, self.kinds)
        before = len(explorer.report.divergences)
        program = draw(random.Random(f"{self.seed}:{self.number}"), explorer.space, explorer.max_steps)
        explorer.example(program, f"example {self.number}")
        new = [d for d in explorer.report.divergences[before:] if not d.known]
        if new:
            parts = []
            for d in new:
                parts.append(f"{b.name} diverges from {a.name}: {d.title}\n"
                             + (d.text if d.text else f"(not written as a scenario: {d.problem})"))
            raise ScnExploreFailed("\n\n".join(parts))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScnExploreFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return "scn explore", None, self.name


def explore_items(session, backends, n: int, seed: str = "0", service: str | None = None,
                  kinds: str | None = None) -> list[ExploreItem]:
    """``n`` items per backend pair, parented to the session."""
    from ..plugins import backend

    if len(backends) == 1:
        backends = [backend("reference"), backends[0]] if backends[0].name != "reference" else [backends[0], backends[0]]
    a = backends[0]
    items = []
    for b in backends[1:]:
        for number in range(n):
            items.append(ExploreItem.from_parent(session, name=f"scn-explore[{a.name}-{b.name}-{seed}-{number}]",
                                                 pair=(a, b), number=number, seed=str(seed), service=service,
                                                 kinds=kinds))
    return items
