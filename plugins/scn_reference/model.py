"""The pieces every part of the reference model is built from.

A part of the model is a service (``ec2``, ``functions``, ``kinesis``, …): one package,
registered by one entry in :data:`scn_reference.vocabulary.SERVICES`, whose ``__init__``
exposes:

- ``VOCABULARY``: the kinds and settings it adds to the language;
- ``INSTANCE_EXTRAS`` (optional): attributes, actions and relations it adds to
  the instance kind (EC2's), as a :class:`KindExtras`;
- ``install(world)``: registers its creators (``world.creators[kind] = fn``),
  its listeners (``world.on(event, fn)``) and its extra attribute readers
  (``world.readers[(kind, attribute)] = fn``) in a new world, and sets up the state it
  keeps there (``world.rds = Store()``). It runs once per process, into a template
  world (:mod:`.world`): every world shares the handlers (read-only) and gets its own copy
  of that state, on first use. So a handler holds nothing of its own (a module-level function, or a lambda
  over its arguments; a closure over a list makes every world install it anew, slower),
  and the state is plain data that pickles.

Inside a package, the words are data in one module (``kinds.py``) and imports run one
way: the module that owns the resource classes others build on at the bottom, behaviours
above, ``__init__`` on top; no module imports its own package's ``__init__``. Constants
several services share (region, zones, account, the clock's epoch) are in :mod:`.region`.

Handles are :class:`Resource` objects. A resource answers for its own actions,
attributes, existence and relations; the world only dispatches and keeps the
things every part shares: ids, address pools, settings, the virtual clock.

Events the world and its parts emit (``world.emit(name, *args)``, the arguments in the order below):

- ``"launching"`` (params, relations): before an instance exists; a listener may
  refuse the launch by raising :class:`~scenario.errors.BackendError`;
- ``"launched"`` (instance, params, relations): the instance exists, pending;
- ``"starting"`` (instance): a stopped instance is about to start; a listener may
  refuse the start by raising :class:`~scenario.errors.BackendError`;
- ``"terminated"`` (instance): an instance entered terminated: what goes with it
  goes (just before its ``"state"`` event);
- ``"state"`` (instance, previous, state): an instance entered a state;
- ``"entered"`` (resource, previous, state): any other resource entered a state
  (a DB instance failing over, a stream updating); the clock records both, so
  `then "db" passed through failing-over` holds after `when 2 minutes pass`;
- ``"tick"`` (start, end): the virtual clock moved from ``start`` to ``end`` seconds.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import attrs

from scenario.backend import NotImplementedByBackend

__all__ = ["KindExtras", "Resource", "NotImplementedByBackend"]


@attrs.frozen
class KindExtras:
    """Words one part of the model adds to a kind another part defines."""

    attributes: tuple = ()
    actions: tuple = ()
    relations: tuple = ()


class Resource:
    """A resource of the reference world: the handle the runner holds."""

    kind: str = ""
    #: attribute name → function(world, resource) → value
    ATTRIBUTES: Mapping[str, Callable[[Any, Any], Any]] = {}

    def __init__(self, id: str, label: str):
        self.id = id
        self.label = label

    def __repr__(self) -> str:
        return f"<{self.kind} {self.label} {self.id}>"

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        raise NotImplementedByBackend(f"{action} on {_a(self.kind)}")

    def observe(self, world, attribute: str) -> Any:
        read = self.ATTRIBUTES.get(attribute) or world.readers.get((self.kind, attribute))
        if read is None:
            raise NotImplementedByBackend(f"the {attribute} of {_a(self.kind)}")
        return read(world, self)

    #: set by a resource's own delete action; a deleted resource no longer exists
    deleted: bool = False
    #: the transitional states its creation goes through (``("creating",)``), for `passed through`
    CREATION: tuple[str, ...] = ()

    def exists(self, world) -> bool:
        return not self.deleted

    def creation_states(self, world) -> Sequence[str]:
        """The transitional states its creation went through, for `passed through` (:attr:`CREATION`)."""
        return self.CREATION

    def relations(self, world) -> frozenset[tuple[str, Any]]:
        return frozenset()

    def explain(self, world, attribute: str) -> str | None:
        return None


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
