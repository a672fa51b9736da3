"""An example third-party scn backend: Amazon SNS topics, in memory.

It uses only scn's public API (``from scenario import ...``) and does the two things a
backend plugin does: it adds words to the language (``scn_vocabulary``: the kind
``sns topic`` and the setting ``sns topic limit``) and contributes a backend
(``scn_backends``: ``topics``, which opens one :class:`TopicWorld` per scenario).
docs/backends.md walks through it.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario import (
    Action,
    Attribute,
    BackendError,
    BackendInfo,
    Kind,
    NotImplementedByBackend,
    Setting,
    State,
    World,
    hookimpl,
)

REGION, ACCOUNT = "us-east-1", "123456789012"

TOPIC = Kind(
    "sns topic",
    aliases=("topic",),
    service="sns",
    capability="sns",  # a backend without the `sns` capability skips scenarios that use it: `needs sns`
    states=(State("active"),),
    attributes=(
        Attribute("display name", "text", settable=True, description="the name shown in messages (empty unless given)"),
        Attribute("arn", "text", description="its Amazon Resource Name"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active"),
        Action("delete", "deleted", deletes=True),
    ),
    description="an Amazon SNS topic",
)

TOPIC_LIMIT = Setting("sns topic limit", "number", default=100_000, capability="sns",
                      description="standard topics per account and region (100,000 by default)")


class Topic:
    """A handle: opaque to scn, which only passes it back."""

    def __init__(self, name: str, display_name: str):
        self.name, self.display_name, self.deleted = name, display_name, False


class TopicWorld(World):
    """One scenario's account: the topics it made, and its settings."""

    def __init__(self) -> None:
        self.topics: list[Topic] = []
        self.limit = TOPIC_LIMIT.default

    def create(self, kind: str, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Any:
        if kind != "sns topic":
            raise NotImplementedByBackend(f"creating a {kind}")
        if sum(not t.deleted for t in self.topics) >= self.limit:
            raise BackendError("TopicLimitExceeded", "Topic limit exceeded")  # AWS's error code: `then it fails with`
        name = label.split('"')[1] if '"' in label else f"topic-{len(self.topics) + 1}"
        topic = Topic(name, params.get("display name", ""))
        self.topics.append(topic)
        return topic

    def act(self, handle: Any, action: str, target: Any | None, params: Mapping[str, Any]) -> Sequence[str]:
        if action != "delete":
            raise NotImplementedByBackend(f"{action} on an sns topic")
        handle.deleted = True
        return ()

    def observe(self, handle: Any, attribute: str) -> Any:
        if attribute == "state":
            return None if handle.deleted else "active"
        if attribute == "display name":
            return handle.display_name
        if attribute == "arn":
            return f"arn:aws:sns:{REGION}:{ACCOUNT}:{handle.name}"
        raise NotImplementedByBackend(f"the {attribute} of an sns topic")

    def exists(self, handle: Any) -> bool:
        return not handle.deleted

    def relations(self, handle: Any) -> frozenset[tuple[str, Any]]:
        return frozenset()

    def set_setting(self, name: str, value: Any) -> None:
        if name != "sns topic limit":
            raise NotImplementedByBackend(f"the setting {name!r}")
        self.limit = value


def supports(item: str) -> bool:
    """The vocabulary items this backend implements: the sns topic and its words, nothing of AWS's others."""
    return item == "sns topic" or item.startswith("sns topic.")


@hookimpl
def scn_vocabulary():
    return [TOPIC, TOPIC_LIMIT]


@hookimpl
def scn_backends():
    return [BackendInfo(name="topics", capabilities={"sns", "limits"}, open_world=TopicWorld,
                        description="an example third-party backend: SNS topics, in memory", supports=supports)]
