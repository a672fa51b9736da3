"""The garbage collector around scn's bulk work: one pause for parsing, compiling and loading,
and a freeze of what a session of scenarios collected.

Those steps allocate many small objects and free almost none of them, so every
collection they trigger is wasted work; worse, re-enabling the collector between
two such steps makes the next allocation scan everything the first one made.
Nested pauses are one pause: only the outermost re-enables the collector.

A session of scenarios only freezes what its collection made (``gc.freeze``): it
lives until the end of the session and every pass of the collector would scan it for
nothing. The freeze ends at the process's next collection after the session
(:func:`thaw_later`), so a process that goes on (``pytest.main`` in a script, an
in-process pytester run) collects it as it would have, and a process that exits
first (the ``pytest`` command) does not scan it again: what is left is the
interpreter's to free, and the collections at exit skip it.
"""

from __future__ import annotations

import atexit
import contextlib
import gc

__all__ = ["paused_gc", "freeze", "thaw_later"]

#: a frozen session's objects go back into the collector's sight at its next pass (set by thaw_later)
_thaw_pending = False
#: _thaw is in gc.callbacks, and the exit hook registered: once a process
_hooked = False


@contextlib.contextmanager
def paused_gc():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze() -> None:
    """Collect the young generations (what is garbage there has its finalizers run while the caller watches), then
    move every live object out of the collector's sight.

    Only the young: a full pass scans the whole heap (13 ms at 1,000 scenarios, 80 ms for the library's), and
    what it finds in the oldest generation is a few of pytest's collection nodes, no finalizer among them; what
    is garbage there is frozen with the rest, and collected when the freeze ends. A full pass when a freeze
    :func:`thaw_later` left in place ends here (by this collection): its garbage is old now, and a process that runs
    session after session would otherwise freeze it again each time.
    """
    gc.collect(2 if _thaw_pending else 1)
    gc.freeze()


def thaw_later() -> None:
    """End the freeze at the collector's next pass, unless the interpreter exits first.

    A process that goes on gets its objects back in sight before the collector next
    looks, as if :func:`gc.unfreeze` had been called now. At interpreter exit the
    freeze stays: the objects are freed by reference counting as the modules go, and
    the cycles among them (pytest's nodes and config) by the OS, so their finalizers do
    not run there (nor does Python promise that they do); nothing created after the
    freeze is affected.
    """
    global _thaw_pending, _hooked
    _thaw_pending = True
    if not _hooked:
        _hooked = True
        gc.callbacks.append(_thaw)  # stays: a callback removed while the collector calls them would skip the next
        atexit.register(_stay_frozen)


def _thaw(phase: str, info: dict) -> None:
    global _thaw_pending
    if _thaw_pending and phase == "start":
        _thaw_pending = False
        gc.unfreeze()


def _stay_frozen() -> None:
    global _thaw_pending
    _thaw_pending = False
