"""Error mapping at the boto3 boundary: one place, shared by every boto3 backend.

Four kinds of failure come out of a boto3 call, and each becomes what the runner
understands:

- botocore's ``ClientError``: AWS (or the stand-in) refused the request with an
  error code → :class:`~scenario.errors.BackendError` carrying that code, which a
  spec can claim (`then it fails with "IncorrectInstanceState"`);
- moto's ``NotImplementedError`` (in process): the stand-in lacks the operation or
  the feature → :class:`~scenario.backend.NotImplementedByBackend`;
- any other Python exception leaking out of the stand-in during the call (moto
  raises ``KeyError`` for some inputs it does not model) → the same: the backend
  does not implement what was asked, which is not a failed claim;
- over HTTP, botocore's ``ResponseParserError`` on an HTML error page (a moto
  server's 500 for an unimplemented operation), or the ``ClientError`` a JSON
  protocol makes of that page (code ``500``, the HTML as its message; AWS itself
  never answers HTML), or a bare ``404`` for a route the server lacks → the same;
- throttling that outlasted botocore's retries (``Throttling``,
  ``RequestLimitExceeded``, …) → :class:`~scenario.backend.Throttled`: an
  ``error`` outcome in one line, but for the claim of exactly that code (a
  Lambda function over its concurrency is documented to answer
  ``TooManyRequestsException``);
- an endpoint that cannot be reached, missing credentials →
  :class:`~scenario.backend.BackendFault`: one line, an ``error`` outcome, never
  a claim a spec can capture.

Only exceptions raised *inside* the client call are mapped; a fault in scn's own
adapter code stays an ordinary exception (an ``error`` outcome with its traceback).
"""

from __future__ import annotations

import contextlib
from typing import Iterator

from scenario.backend import BackendFault, NotImplementedByBackend, Throttled
from scenario.errors import BackendError, ConfigurationError

__all__ = ["BackendNotImplemented", "MissingExtra", "boundary", "map_exception", "THROTTLING"]

#: error codes AWS answers when it throttles a caller
THROTTLING = frozenset({"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                        "RequestThrottled", "RequestThrottledException", "SlowDown", "ProvisionedThroughputExceededException"})


class BackendNotImplemented(NotImplementedByBackend):
    """The backend does not implement an operation: which one, and how it said so."""

    def __init__(self, what: str, operation: str, cause: str):
        super().__init__(what)
        self.operation = operation
        self.cause = cause


class MissingExtra(BackendFault, ConfigurationError):
    """An optional dependency of one service is not installed (moto's extra for it): one line naming it.

    Raised when a scenario first uses the service, so the outcome is an ``error``
    with that line (a :class:`BackendFault`), and a caller checking the
    configuration sees a :class:`ConfigurationError`.
    """


def _botocore_classes():
    from botocore.exceptions import ClientError
    from botocore.parsers import ResponseParserError

    return ClientError, ResponseParserError


def map_exception(exc: BaseException, operation: str, doing: str = "") -> Exception | None:
    """What ``exc``, raised inside the boto3 call ``operation``, means to the runner; None: not ours to map."""
    ClientError, ResponseParserError = _botocore_classes()
    what = doing or operation
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {}) or {}
        code = str(err.get("Code") or "Unknown")
        message = str(err.get("Message") or exc)
        if code.isdigit() and code.startswith("5") and message.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
            return BackendNotImplemented(f"{what} ({operation} answered an HTML error page, {code})", operation, "HTTP " + code)
        if code in ("404", "405", "501") and not operation.startswith("Head"):
            # a bare HTTP status and no AWS error code: the endpoint has no route for the operation (a moto
            # server's 404); AWS names its errors (only S3's HEAD requests answer a bare 404, and mean it)
            return BackendNotImplemented(f"{what} ({operation} answered HTTP {code}: {message})", operation, "HTTP " + code)
        if code == "404" and message == "Not yet implemented":  # moto in process: an operation it has no handler for
            return BackendNotImplemented(f"{what} ({operation}: not yet implemented)", operation, "NotYetImplemented")
        if code in THROTTLING:
            attempts = (exc.response.get("ResponseMetadata") or {}).get("RetryAttempts")
            tries = f" after {attempts + 1} attempts" if isinstance(attempts, int) else ""
            return Throttled(f"{what} was throttled ({operation}: {code}){tries}; try again later, or lower the load",
                             code, message)
        return BackendError(code, message)
    if isinstance(exc, (NotImplementedByBackend, BackendFault, ConfigurationError)):
        return None
    if isinstance(exc, NotImplementedError):
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "not implemented"
        return BackendNotImplemented(f"{what} ({operation}: {detail})", operation, "NotImplementedError")
    if isinstance(exc, ResponseParserError):
        return BackendNotImplemented(f"{what} ({operation} answered a page boto3 cannot parse)", operation, "ResponseParserError")
    fault = _fault(exc, operation, what)
    if fault is not None:
        return fault
    if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError, RecursionError)):
        return None
    if isinstance(exc, Exception):
        return BackendNotImplemented(f"{what} ({operation} raised {type(exc).__name__}: {exc})", operation, type(exc).__name__)
    return None


def _fault(exc: BaseException, operation: str, what: str) -> BackendFault | None:
    """A failure of the connection or the credentials, not of the request: one line, no secret."""
    from botocore import exceptions as bx

    if isinstance(exc, BackendFault):
        return None
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ConnectionClosedError)):
        return BackendFault(f"{what}: cannot reach the endpoint ({operation}): {exc}")
    if isinstance(exc, bx.ReadTimeoutError):
        return BackendFault(f"{what}: the endpoint did not answer in time ({operation})")
    if isinstance(exc, bx.NoCredentialsError):
        return BackendFault(f"{what}: no AWS credentials were found ({operation})")
    if isinstance(exc, bx.NoRegionError):
        return BackendFault(f"{what}: no AWS region is configured ({operation})")
    return None


@contextlib.contextmanager
def boundary(operation: str, doing: str = "") -> Iterator[None]:
    """Map what a boto3 call raises (see the module's docstring)."""
    try:
        yield
    except BaseException as exc:
        mapped = map_exception(exc, operation, doing)
        if mapped is None:
            raise
        raise mapped from exc
