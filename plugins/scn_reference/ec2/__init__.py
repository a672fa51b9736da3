"""EC2: instances, Elastic IPs, purchase options, Reserved Instances, metadata, networking.

The package, each module owning one thing:

- :mod:`.kinds`: the words — the instance kind and every kind and setting around it;
- :mod:`.instances`: the lifecycle, what each state bills, public and private IPv4, the host
  (the bottom: the other modules build on the instance);
- :mod:`.addresses`: Elastic IPs, their limit and charge;
- :mod:`.purchase`: On-Demand and Spot instances, the price paid, Spot interruptions;
- :mod:`.reserved`: Reserved Instances, their term, modification and sale;
- :mod:`.metadata`: the instance metadata service and user data;
- :mod:`.placement`: placement groups and where their instances run;
- :mod:`.interfaces`: eth0 and added ENIs, hot / warm / cold attach;
- :mod:`.adapters`: ENA, the Intel 82599 VF and EFA, by instance type.

Source: specs/notes/aws-architecture-notes.md, "valid EC2 lifecycle instance state" to
"ENI vs ENA vs EFA"; AWS's EC2 user guide and API reference where the notes are silent
(each module's docstring says which).
"""

from __future__ import annotations

from . import adapters, addresses, instances, interfaces, metadata, placement, purchase, reserved
from .kinds import INSTANCE, VOCABULARY

#: in this order: purchase before reserved and metadata, which read what it keeps about each instance
MODULES = (instances, addresses, purchase, reserved, metadata, adapters, placement, interfaces)


def install(world) -> None:
    for module in MODULES:
        module.install(world)


__all__ = ["INSTANCE", "VOCABULARY", "install"]
