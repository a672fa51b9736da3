"""EC2 compute: purchase options and prices (On-Demand, Spot, Reserved), metadata and user data.

The parts, each its own module:

- :mod:`.compute_purchase`: On-Demand and Spot instances, the price paid, Spot interruptions;
- :mod:`.compute_reserved`: Reserved Instances, their term, modification and sale;
- :mod:`.compute_metadata`: the instance metadata service and user data.

The lifecycle and what each state bills are the instance's own (:mod:`.instances`).
"""

from __future__ import annotations

from scenario.vocabulary import Setting

from . import compute_metadata, compute_purchase, compute_reserved
from .model import KindExtras

VOCABULARY = (
    compute_metadata.METADATA_REQUEST,
    compute_reserved.RESERVED_INSTANCE,
    # The notes: "Billing commences when Amazon EC2 initiates the boot sequence" (pending).
    # AWS's state table today: pending is "Not billed"; billing starts in running.
    Setting("pending state billing", "boolean", default=True, capability="billing",
            aliases=("billing while pending", "pending billing"),
            description="instances are billed from pending, the start of boot, as the notes say; "
                        "false: from running, as AWS's instance-state table says today"),
)

INSTANCE_EXTRAS = KindExtras(
    attributes=compute_purchase.EXTRAS.attributes + compute_metadata.EXTRAS.attributes,
    actions=compute_purchase.EXTRAS.actions + compute_metadata.EXTRAS.actions,
    relations=compute_purchase.EXTRAS.relations + compute_metadata.EXTRAS.relations,
)


def install(world) -> None:
    compute_purchase.install(world)  # first: the other parts read what it keeps about each instance
    compute_reserved.install(world)
    compute_metadata.install(world)
