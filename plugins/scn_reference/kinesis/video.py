"""Kinesis Video Streams: data retention, and no shards.

Sources: specs/notes/aws-architecture-notes.md, "Kinesis Video Streams" (stores data in
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

from ..model import Resource
from .kinds import HOUR


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
