"""DynamoDB in the reference model: tables and items, access control, Streams, DAX.

The package, each module owning one thing (sources and decisions in each docstring):

- :mod:`.kinds`: the words, as data;
- :mod:`.streams`: Streams and their records (the bottom: it knows tables only by their attributes);
- :mod:`.tables`: tables and items, their reads and writes (:func:`~.tables.get_item`,
  :func:`~.tables.write_item`), capacity, replication;
- :mod:`.access`: IAM identity-based and resource-based policies, :func:`~.access.authorize`;
- :mod:`.dax`: DynamoDB Accelerator, a write-through item cache.

ElastiCache's caching patterns read and write items through :mod:`.tables` and :mod:`.access`
(never through this ``__init__``); nothing here imports ElastiCache.
"""

from __future__ import annotations

from . import access, dax, streams, tables
from .kinds import VOCABULARY


def install(world) -> None:
    tables.install(world)
    access.install(world)
    streams.install(world)
    dax.install(world)


__all__ = ["VOCABULARY", "install"]
