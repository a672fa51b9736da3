"""Helpers for the tests of the reference model: a refusal with AWS's error code."""

from __future__ import annotations

import pytest

from scenario.errors import BackendError


def refused(code: str, fn, *args, **kw) -> BackendError:
    """Call ``fn``; it must be refused with ``code``. The error, for claims on its message."""
    with pytest.raises(BackendError) as info:
        fn(*args, **kw)
    assert info.value.code == code
    return info.value
