"""Amazon Kinesis: data streams, records, consumers, Firehose, Data Analytics and Video Streams.

The package: the words and the limits they state (:mod:`.kinds`); streams, shards and the
entries they keep (:mod:`.streams`, the bottom); records (:mod:`.records`); consumers
(:mod:`.consumers`); Firehose and Data Analytics (:mod:`.delivery`); Video Streams
(:mod:`.video`). Sources and decisions are in each module's docstring.
"""

from __future__ import annotations

from . import consumers, delivery, records, streams, video
from .kinds import VOCABULARY


def install(world) -> None:
    for module in (streams, records, consumers, delivery, video):
        module.install(world)


__all__ = ["VOCABULARY", "install"]
