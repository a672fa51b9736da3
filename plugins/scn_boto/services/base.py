"""What a service module declares: a :class:`Service` holding one :class:`KindMap` per kind it maps.

Both are plain data plus small functions; every function takes the world first
(a :class:`~scn_boto.adapter.Boto3World`), makes its calls through
``world.call(client, method, doing, **params)`` and reads state back from the API.
See the package's docstring for how to write one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Collection, Iterable, Mapping, Sequence

import attrs

from scenario.errors import BackendError

if TYPE_CHECKING:  # pragma: no cover
    from ..adapter import Boto3World, Handle

__all__ = ["KindMap", "Service", "COST_CLASSES", "answers"]

#: how much a kind costs on a real account, for the aws backend's cost guard:
#: ``free`` (nothing while it exists), ``cheap`` (cents an hour at the smallest size, or per request),
#: ``expensive`` (dollars an hour even at the smallest: refused unless allowed by name)
COST_CLASSES = ("free", "cheap", "expensive")



# attrs converters: named functions (not the bare ``frozenset``/``tuple`` types) so mypy can type the fields' inits


def _names(items: Iterable[str]) -> frozenset[str]:
    return frozenset(items)


def _strs(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _kind_maps(items: Iterable[KindMap]) -> tuple[KindMap, ...]:
    return tuple(items)


Create = Callable[["Boto3World", str, Mapping[str, Any], Sequence[tuple[str, Any]]], "Handle"]
Act = Callable[["Boto3World", "Handle", str, Any, Mapping[str, Any]], Sequence[str]]
Observe = Callable[["Boto3World", "Handle", str], Any]
Exists = Callable[["Boto3World", "Handle"], bool]
Relations = Callable[["Boto3World", "Handle"], frozenset]
CountRelated = Callable[["Boto3World", str, "Handle"], int]
Explain = Callable[["Boto3World", "Handle", str], "str | None"]
Delete = Callable[["Boto3World", "Handle"], None]
#: (world, tags) → the live resources of the kind carrying every tag (key → value, or None: the key with any value)
FindTagged = Callable[["Boto3World", Mapping[str, "str | None"]], Sequence["Handle"]]


@attrs.frozen
class KindMap:
    """How one vocabulary kind maps to API calls.

    The four sets name what is mapped (vocabulary names, exactly as in ``scn vocab``);
    anything else of the kind is ``not implemented`` before a call is made. The
    functions are called only for mapped names, so each may assume its input is one of them.
    """

    name: str  # the kind, as in the vocabulary: "instance", "lambda function"
    attributes: frozenset[str] = attrs.field(converter=_names, default=frozenset())  # "state" included when observable
    actions: frozenset[str] = attrs.field(converter=_names, default=frozenset())  # verbs, the creating one included
    relations: frozenset[str] = attrs.field(converter=_names, default=frozenset())  # relation names: "associated with"
    params: frozenset[str] = attrs.field(converter=_names, default=frozenset())  # attributes settable at creation
    #: action verb → the clauses (attribute names) it accepts; an action not listed accepts none
    action_params: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    create: Create | None = None  # (world, label, params, relations) → Handle, stable; None: cannot be created
    act: Act | None = None  # (world, handle, verb, target handle or None, params) → states passed, final last
    observe: Observe | None = None  # (world, handle, attribute) → value (None if absent)
    exists: Exists | None = None  # (world, handle) → bool
    relations_of: Relations | None = None  # (world, handle) → {(relation, target handle)}
    #: (world, relation, target) → how many resources of this kind stand in ``relation`` to ``target``
    count_related: CountRelated | None = None
    explain: Explain | None = None  # (world, handle, attribute) → why it has its value, or None
    #: (world, handle) → None: remove it for a teardown (idempotent: gone already is fine; waits until gone)
    delete: Delete | None = None
    cost: str = attrs.field(default="free", validator=attrs.validators.in_(COST_CLASSES))
    implicit: bool = False  # exists in every world (`a default vpc`): never created
    #: the tagging resource type (EC2's TagSpecifications ResourceType), where the service has one
    resource_type: str | None = None
    #: the Resource Groups Tagging API's resource type of the kind (``"lambda:function"``, ``"rds:db"``,
    #: ``"dynamodb:table"``): the aws backend's teardown check and ``scn sweep`` find the kind's resources by
    #: tag with GetResources, the handle's id being the ARN's last part (``refs["arn"]``: the whole ARN)
    arn_type: str | None = None
    #: (world, tags) → live handles of this kind carrying ``tags``: how the aws backend finds what a run left,
    #: for a kind the tagging API does not cover (None: EC2's DescribeTags for a kind with a ``resource_type``,
    #: else GetResources for ``arn_type``; see :mod:`scn_boto.tagging`). A handle's ``refs["tags"]`` (key → value)
    #: may carry its tags: ``scn:created`` orders a sweep (newest first), ``Name`` labels it
    find_tagged: FindTagged | None = None


@attrs.frozen
class Service:
    """One AWS service of the vocabulary as the boto3 adapter maps it."""

    capability: str  # the vocabulary's capability: "ec2", "lambda", "rds", "aurora", …
    clients: tuple[str, ...] = attrs.field(converter=_strs)  # boto3 client names it calls: ("rds",)
    kinds: tuple[KindMap, ...] = attrs.field(converter=_kind_maps)
    #: "kind.item" → why it is not mapped, where that is worth saying (shown by `scn vocab`)
    why: Mapping[str, str] = attrs.field(factory=dict)
    #: moto backends reset with this service's clients besides their own (moto's names: "iam", "logs")
    moto_backends: tuple[str, ...] = attrs.field(converter=_strs, default=())
    #: settings a world records without enforcing them (an account quota the spec states)
    recorded_settings: frozenset[str] = attrs.field(converter=_names, default=frozenset())
    description: str = ""

    def kind(self, name: str) -> KindMap | None:
        for k in self.kinds:
            if k.name == name:
                return k
        return None


def answers(read: Callable[[], Any], gone: Collection[str]) -> bool:
    """Whether a resource still exists: ``read()`` (a Describe/Get call) answers, or fails with a code in ``gone``.

    Any other refusal is not an answer about existence and propagates.
    """
    try:
        read()
    except BackendError as exc:
        if exc.code in gone:
            return False
        raise
    return True


def tag_dict(tags: Any) -> dict[str, str]:
    """``[{"Key": k, "Value": v}, …]`` → ``{k: v}`` (None: ``{}``)."""
    return {t["Key"]: t.get("Value", "") for t in tags or ()}


def carries(have: Mapping[str, str], tags: Mapping[str, Any]) -> bool:
    """Whether the tags ``have`` include ``tags`` (key → value, or None: the key with any value)."""
    return all(k in have and (v is None or have[k] == v) for k, v in tags.items())
