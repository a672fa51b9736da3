"""scn: executable architecture facts.

Write how cloud architecture behaves as near-English specs (``.scn``), compile them
against a vocabulary, and check them on pluggable backends.
"""

from ._version import __version__
from .errors import (
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
