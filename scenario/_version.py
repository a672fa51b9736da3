"""The installed distribution's version (part of every cache key).

Read the way :func:`importlib.metadata.version` finds it — the first ``scn-*.dist-info``
on ``sys.path``, its ``METADATA``'s ``Version:`` — without importing
:mod:`importlib.metadata` (email, zipfile, csv: a fifth of ``scn --version``). Anything
that quick look does not find (an egg, a zipped path) is asked of importlib.metadata.
"""

from __future__ import annotations

import os
import sys

DISTRIBUTION = "scn"


def _from_dist_info() -> str | None:
    """The ``Version:`` of the first ``scn-<version>.dist-info`` folder on ``sys.path``; None if there is none."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip, a missing entry)
            continue
        for name in names:
            stem, _, suffix = name.rpartition(".")
            if suffix not in ("dist-info", "egg-info") or stem.partition("-")[0].lower() != DISTRIBUTION:
                continue
            if suffix == "egg-info":  # an older installation's metadata: importlib.metadata reads those
                return None
            try:
                with open(os.path.join(entry or ".", name, "METADATA"), encoding="utf-8") as fh:
                    for line in fh:
                        if not line.strip():  # the headers end at the first blank line
                            break
                        key, _, value = line.partition(":")
                        if key.strip().lower() == "version":
                            return value.strip()
            except OSError:
                continue
    return None


def _version() -> str:
    found = _from_dist_info()
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+source"


__version__ = _version()
