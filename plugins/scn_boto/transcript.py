"""Call transcripts: every boto3 call a world made, as a line a user can paste into a bug report.

A :class:`Call` is recorded by :meth:`.adapter.Boto3World.call` (cheaply: the
parameters are kept as given and rendered only when the transcript is asked for).
:meth:`Call.line` renders it as boto3 code with secrets masked and long blobs
shortened::

    ec2.run_instances(ImageId='ami-12c6146b', MinCount=1, MaxCount=1, ...)  → 200, 3 ms
    rds.create_db_instance(DBInstanceIdentifier='db', MasterUserPassword='***', ...)  → InvalidParameterValue, 2 ms
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs

__all__ = ["Call", "mask", "render_params", "SECRET_WORDS", "MAX_TEXT"]

#: a parameter whose name contains one of these (case-insensitively) is a secret: its value is never shown
SECRET_WORDS = ("password", "secret", "token", "credential", "privatekey", "authorization")
#: parameters that are blobs whatever their type (code archives, payloads)
BLOB_KEYS = frozenset({"ZipFile", "Payload", "Body", "Data", "Blob"})
#: the longest text shown whole; longer ones are shortened
MAX_TEXT = 120
MASK = "***"


def _is_secret(key: str) -> bool:
    low = key.lower()
    return any(word in low for word in SECRET_WORDS)


def _short_text(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    return f"{text[:MAX_TEXT // 2]}…(+{len(text) - MAX_TEXT // 2} chars)"


def mask(value: Any, key: str = "") -> Any:
    """``value`` with secrets masked and blobs shortened, recursively (dicts, lists, tuples)."""
    if key and _is_secret(key):
        return MASK
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if key in BLOB_KEYS and isinstance(value, str) and len(value) > MAX_TEXT:
        return f"<{len(value)} chars>"
    if isinstance(value, Mapping):
        return {k: mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask(v) for v in value]
    if isinstance(value, str):
        return _short_text(value)
    if hasattr(value, "read"):  # a file-like body
        return "<stream>"
    return value


def render_params(params: Mapping[str, Any]) -> str:
    """``Key=value, …`` as Python keyword arguments, masked."""
    return ", ".join(f"{k}={mask(v, k)!r}" for k, v in params.items())


@attrs.frozen
class Call:
    """One boto3 call: which client, which method, with what, how it ended and how long it took."""

    service: str  # the boto3 client name: "ec2", "lambda", "rds"
    operation: str  # the client method: "run_instances"
    params: Mapping[str, Any] = attrs.field(repr=False)  # as given (unmasked: render with line())
    status: str  # the HTTP status ("200"), or the error code / exception name when it failed
    ms: float

    @property
    def ok(self) -> bool:
        return self.status.isdigit() and self.status.startswith("2")

    def masked_params(self) -> dict[str, Any]:
        return mask(dict(self.params))

    def line(self) -> str:
        return f"{self.service}.{self.operation}({render_params(self.params)})  → {self.status}, {self.ms:.0f} ms"
