"""Kinesis Video Streams: data retention, and no shards (imported by :mod:`.streams`).

Sources: ../shared/seed/aws-architecture-notes.md, "Kinesis Video Streams" (stores data in
shards, 24 hours by default, up to 7 days); the Kinesis Video Streams API reference,
CreateStream (DataRetentionInHours, 0 by default: no data kept; no shard count) and
UpdateDataRetention (INCREASE/DECREASE by at least 1 hour, up to 87,600 hours;
InvalidArgumentException is the code it lists for a bad value: AWS documents the bounds but
not which code their breach gets, so specs claim only `it fails`).

Decisions: the model follows the notes for the default (24 hours; setting `video stream
retention` gives AWS's 0) and the maximum (7 days; setting `video stream retention limit`
gives AWS's 87,600 hours), and AWS for shards: a video stream has none (the notes' claim is
a @misbelief scenario). Retention is a whole number of hours, as DataRetentionInHours.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError
from scenario.vocabulary import Action, Attribute, Kind, Setting, State

from .model import Resource

HOUR = 3600
VIDEO_RETENTION = 24 * HOUR  # notes; AWS today 0 (setting `video stream retention`)
VIDEO_RETENTION_LIMIT = 7 * 24 * HOUR  # notes; AWS today 87,600 hours (setting `video stream retention limit`)

VIDEO = Kind(
    name="video stream",
    aliases=("kinesis video stream",),
    capability="kinesis",
    description="a Kinesis video stream: media fragments kept for its data retention period",
    states=(State("creating", stable=False), State("active")),
    attributes=(
        Attribute("state", "text", aliases=("status",), description="creating or active"),
        Attribute("retention period", "quantity", dimension="duration", settable=True,
                  aliases=("retention", "data retention", "data retention period"),
                  description="how long it keeps media (notes: 24 hours by default, up to 7 days)"),
        Attribute("persistent", "boolean", description="it keeps media: its retention period is above 0 hours"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active", description="CreateStream"),
        Action("delete", "deleted", deletes=True, description="DeleteStream"),
        Action("extend", "extended", from_states=("active",), result="active", params=("retention period",),
               description="UpdateDataRetention, INCREASE_DATA_RETENTION"),
        Action("shorten", "shortened", from_states=("active",), result="active", params=("retention period",),
               description="UpdateDataRetention, DECREASE_DATA_RETENTION"),
    ),
)

SETTINGS = (
    Setting("video stream retention", "quantity", dimension="duration", default=VIDEO_RETENTION, capability="kinesis",
            description="the retention period of a new video stream that names none (notes: 24 hours; AWS today: 0)"),
    Setting("video stream retention limit", "quantity", dimension="duration", default=VIDEO_RETENTION_LIMIT, capability="limits",
            description="the longest retention period of a video stream (notes: 7 days; AWS today: 87,600 hours)"),
)

VOCABULARY = (VIDEO,) + SETTINGS


class VideoStream(Resource):
    kind = "video stream"

    def __init__(self, id: str, label: str, retention: int):
        super().__init__(id, label)
        self.retention = retention
        self.deleted = False

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if action == "delete":
            self.deleted = True
            return ()
        if action in ("extend", "shorten"):
            period = params.get("retention period", self.retention)
            if (period > self.retention) != (action == "extend") or period == self.retention:
                raise BackendError("InvalidArgumentException",
                                   f"The change of the data retention period must be at least 1 hour, "
                                   f"{'up' if action == 'extend' else 'down'} from {self.retention // HOUR} hours.")
            _check_video_retention(world, period)
            self.retention = period
            return ()
        return super().act(world, action, target, params)  # pragma: no cover

    CREATION = ("creating",)

    ATTRIBUTES = {
        "state": lambda w, v: "active",
        "retention period": lambda w, v: v.retention,
        "persistent": lambda w, v: v.retention > 0,
    }


def _check_video_retention(world, period: int) -> None:
    limit = world.settings["video stream retention limit"]
    if period % HOUR or period > limit:
        # AWS documents the bounds, not the code: InvalidArgumentException is the one UpdateDataRetention lists for bad values
        raise BackendError("InvalidArgumentException",
                           f"The data retention period is a whole number of hours up to {limit // HOUR}, not {period / HOUR:g}.")


def create_video(world, label: str, params: Mapping[str, Any], relations) -> VideoStream:
    period = params.get("retention period", world.settings["video stream retention"])
    _check_video_retention(world, period)
    return VideoStream(world.new_id("video"), label, period)



def install(world) -> None:
    world.creators["video stream"] = create_video
