"""One pause of the garbage collector around bulk work (parsing, compiling, loading).

Those steps allocate many small objects and free almost none of them, so every
collection they trigger is wasted work; worse, re-enabling the collector between
two such steps makes the next allocation scan everything the first one made.
Nested pauses are one pause: only the outermost re-enables the collector.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused_gc():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
