"""(to be written: a part of the reference model; see model.py for what a part provides)."""

from __future__ import annotations

VOCABULARY: tuple = ()


def install(world) -> None:
    pass
