"""Where and when every world of the reference model lives: one account, one Region, one start time.

The constants several services share, so that no service imports another for them.
"""

from __future__ import annotations

from datetime import datetime, timezone

REGION = "us-east-1"  # the world's region: every resource of the model is created in it unless told otherwise
REGION_ZONES = tuple(f"us-east-1{z}" for z in "abcdef")  # the Availability Zones of this world's one Region
ZONE = "us-east-1a"  # the default subnet's zone, where an instance placed nowhere else is launched
ACCOUNT = "123456789012"  # the account the model's ARNs name
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)  # the wall-clock time at which a world's virtual clock starts
