"""The installed distribution's version (part of every cache key)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+source"
