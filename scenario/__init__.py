"""scn: executable architecture facts.

Write how cloud architecture behaves as near-English specs (``.scn``), compile them
against a vocabulary, and check them on pluggable backends.
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("scn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+source"

from .errors import (  # noqa: E402
    BackendError,
    ConfigurationError,
    InternalError,
    ScenarioError,
    ScnCompileError,
    ScnSyntaxError,
    SourceSpan,
    SpecErrors,
)

__all__ = [
    "BackendError",
    "ConfigurationError",
    "InternalError",
    "ScenarioError",
    "ScnCompileError",
    "ScnSyntaxError",
    "SourceSpan",
    "SpecErrors",
    "__version__",
]
