"""The backend contract: how the runner talks to a world of cloud resources.

A backend is a :class:`BackendInfo` (contributed through ``scn_backends``): a name,
the capabilities it has, and a factory that opens one isolated :class:`World`
per scenario. The runner only ever calls a world's methods with vocabulary names
(kind, action, attribute, relation and setting names) and opaque handles; a
world never sees source text. A refusal is a :class:`~scenario.errors.BackendError`
carrying AWS's error code.
"""

from __future__ import annotations

import abc
from typing import Any, Callable, Iterable, Mapping, Sequence

import attrs

__all__ = ["BackendInfo", "BackendFault", "Throttled", "World", "NotImplementedByBackend", "scenario_id"]


class NotImplementedByBackend(Exception):
    """The backend does not implement this vocabulary item (not a failed claim)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class BackendFault(Exception):
    """The backend could not do what was asked for a reason outside the spec.

    An unreachable endpoint, throttling past the retries, a resource stuck in a
    transitional state past its timeout, a teardown that left resources behind, a
    cost guard's refusal: the scenario's outcome is ``error`` with this one-line
    message (no traceback: nothing in scn or in the spec is at fault), never a
    failed claim, and never something a spec can capture with `then it fails`
    (but for a :class:`Throttled` that the claim names).
    """


class Throttled(BackendFault):
    """The backend throttled the caller past its retries: AWS's ``code`` (``TooManyRequestsException``,
    ``ProvisionedThroughputExceededException``, ``Throttling``, …) and its message (``detail``).

    A fault like any other (``error``: try again later), but for the claim of exactly that refusal: a
    when-step throttled in a group claimed with `then it fails with "<code>"` is the refusal claimed (a
    Lambda function over its concurrency, a Kinesis shard over its throughput: documented behaviour).
    `then it fails` without a code, or with another one, does not capture it: a passing transient is no
    evidence.
    """

    def __init__(self, message: str, code: str, detail: str = ""):
        super().__init__(message)
        self.code = code
        self.detail = detail


def scenario_id(scenario: Any) -> str:
    """A scenario's id across runs: ``path::title`` (an outline row's title carries its row id)."""
    return f"{scenario.span.path}::{scenario.title}"


class World(abc.ABC):
    """One isolated world: the resources of one scenario on one backend.

    Two optional class attributes let a backend over eventually consistent reads
    say so: ``settle`` (seconds; 0, the default, means never) is how long the
    runner may re-observe a claim that does not hold before it calls it failed,
    ``settle_poll`` the pause between two observations. The reference backend and
    every in-memory one leave them at 0: their reads are consistent.
    """

    settle: float = 0.0
    settle_poll: float = 1.0

    def begin(self, scenario_id: str) -> None:
        """Called once, before the first step, with the scenario's id (``path::title``).

        A backend that labels what it creates (the ``aws`` backend tags every
        resource with it) keeps it; the default ignores it.
        """

    @abc.abstractmethod
    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        """Create a resource of ``kind`` and wait until it is stable.

        :param label: how scn shows it (`instance "web"`), e.g. for a Name tag.
        :param params: attribute name → value, chosen at creation.
        :param relations: (relation name, handle of the target) established at creation.
        :returns: an opaque handle.
        """

    @abc.abstractmethod
    def act(self, handle: Any, action: str, target: Any | None, params: Mapping[str, Any]) -> Sequence[str]:
        """Do ``action`` and wait until the resource is stable again.

        :returns: the states the resource passed through, the final one last.
        """

    @abc.abstractmethod
    def observe(self, handle: Any, attribute: str) -> Any:
        """The current value of ``attribute`` (``"state"`` for the state); None if absent."""

    @abc.abstractmethod
    def exists(self, handle: Any) -> bool:
        """Whether the resource still exists (a terminated instance does)."""

    @abc.abstractmethod
    def relations(self, handle: Any) -> frozenset[tuple[str, Any]]:
        """Every (relation name, target handle) that holds from this resource now."""

    def related(self, handle: Any, relation: str, target: Any) -> bool:
        return (relation, target) in self.relations(handle)

    def count_related(self, kind: str, relation: str, target: Any) -> int:
        """How many resources of ``kind`` stand in ``relation`` to ``target``."""
        raise NotImplementedByBackend(f"counting {kind}s")

    def creation_states(self, handle: Any) -> Sequence[str]:
        """The states the resource passed through while :meth:`create` waited, the final one last."""
        return ()

    def explain(self, handle: Any, attribute: str) -> str | None:
        """Why ``attribute`` has its value, in words, when it is not obvious."""
        return None

    def set_setting(self, name: str, value: Any) -> None:
        raise NotImplementedByBackend(f"the setting {name!r}")

    def advance(self, seconds: float) -> Mapping[Any, Sequence[str]] | None:
        """Let ``seconds`` of virtual time pass (backends with the ``clock`` capability).

        :returns: the states each resource passed through meanwhile (handle → states,
            the final one last), or None when nothing changed state.
        """
        raise NotImplementedByBackend("the virtual clock")

    def transcript(self) -> Sequence[str]:
        """The API calls this world made so far, in order, one line each (empty: it makes none).

        A backend over an API (the boto3 ones) records every call: the operation, its
        parameters with secrets masked and long blobs shortened, the HTTP status or the
        error code, and the milliseconds it took, e.g.
        ``ec2.run_instances(ImageId='ami-12c6146b', MinCount=1, …)  → 200, 3 ms``.
        A reporter shows it under a failed or divergent scenario (``--trace``), so a
        user can paste a reproducer into an upstream bug report. Ask for it before or
        after :meth:`close` (after: the teardown's calls are included).
        """
        return ()

    def close(self) -> None:
        """Tear the world down; called once, even after a failure.

        A teardown that cannot remove everything raises :class:`BackendFault`
        listing what is left: the scenario's outcome becomes ``error``.
        """


#: a set of names, or the function that gives it when first read
_Later = frozenset[str] | Callable[[], Iterable[str]]


def _set_or_later(value: Iterable[str] | Callable[[], Iterable[str]]) -> _Later:
    """A set as a frozenset; a function that gives one, kept to be called on first read."""
    return value if callable(value) else frozenset(value)


@attrs.frozen
class BackendInfo:
    """A backend as a plugin contributes it (a list of them from ``scn_backends``).

    Three members are required: ``name``, ``capabilities`` and ``open_world``. The
    others are optional, and the core uses each when a backend gives it, never
    probing for anything else. ``capabilities`` (and ``unsupported``) may be given as
    a function of no arguments returning the set: it is called the first time the
    member is read, and never when a run does not use the backend (so that gathering
    the backends costs nothing for one that needs its service modules, or a probe of
    Docker, to say what it can do):

    - ``supports(item)``: whether the backend implements a vocabulary item, a kind
      (``"instance"``) or one of its members (``"instance.stop"``,
      ``"instance.public ipv4"``: an action's verb, an attribute, a relation). The
      core asks it of every kind and member of the vocabulary once, the first time
      ``unsupported`` is read, and adds the ones answered no to it: a backend
      never needs the whole vocabulary (nor the plugin manager) inside its hook.
    - ``check()``: raise :class:`~scenario.errors.ConfigurationError` (one line) when
      the backend cannot start at all (a missing extra, an account not allowed);
      called once before anything runs.
    - ``announce()``: one line printed before a ``scn run`` (the aws backend: the
      account, and the run id a sweep needs after a crash); None prints nothing.
    - ``run_info()``: where a run happened, for a validation record (``region``,
      ``endpoint``, …); without it, ``{"region": "", "endpoint": "local"}``.
    """

    name: str
    _capabilities: _Later = attrs.field(alias="capabilities", converter=_set_or_later)
    open_world: Callable[[], World]
    description: str = ""
    #: vocabulary items (kind names, or "kind.action"/"kind.attribute") it does not implement
    _unsupported: _Later = attrs.field(alias="unsupported", converter=_set_or_later, default=frozenset())
    supports: Callable[[str], bool] | None = None
    check: Callable[[], None] | None = None
    announce: Callable[[], str | None] | None = None
    run_info: Callable[[], Mapping[str, str]] | None = None

    @property
    def capabilities(self) -> frozenset[str]:
        """What the backend can do (``needs clock``): given, or computed once on first read."""
        return self._read_once("_capabilities")

    @property
    def unsupported(self) -> frozenset[str]:
        """The vocabulary items (kind names, or ``kind.member``) it does not implement: given, or computed once."""
        return self._read_once("_unsupported")

    def _read_once(self, field: str) -> frozenset[str]:
        """A set given as it is, or as a function: called on the first read, its answer kept in its place."""
        value = getattr(self, field)
        if not isinstance(value, frozenset):
            value = frozenset(value())
            object.__setattr__(self, field, value)
        return value

    def preflight(self) -> None:
        """Run :attr:`check`, if the backend has one (raises ConfigurationError when it cannot start)."""
        if self.check is not None:
            self.check()

    def where(self) -> dict[str, str]:
        """Where this backend runs, for a validation record: :attr:`run_info`, or a local run."""
        return dict(self.run_info()) if self.run_info is not None else {"region": "", "endpoint": "local"}
