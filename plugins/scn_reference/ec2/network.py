"""EC2 networking: placement groups, network interfaces, enhanced networking and EFA.

The part gathers three modules (Elastic IPs are the part :mod:`.addresses`):

- :mod:`.network_placement`: placement groups and where their instances run;
- :mod:`.network_interfaces`: eth0 and added ENIs, hot / warm / cold attach;
- :mod:`.network_adapters`: ENA, the Intel 82599 VF and EFA, by instance type.

Source: ../shared/seed/aws-architecture-notes.md, "Placement Group" to "ENI vs ENA
vs EFA"; AWS's EC2 user guide and API reference where the notes are silent.
"""

from __future__ import annotations

from . import network_adapters, network_interfaces, network_placement
from .model import KindExtras

VOCABULARY = (
    network_placement.PLACEMENT_GROUP,
    network_interfaces.NETWORK_INTERFACE,
    *network_interfaces.SETTINGS,
)

INSTANCE_EXTRAS = KindExtras(
    attributes=(
        *network_placement.INSTANCE_EXTRAS.attributes,
        *network_interfaces.INSTANCE_ATTRIBUTES,
        *network_adapters.ATTRIBUTES,
    ),
    relations=(
        *network_placement.INSTANCE_EXTRAS.relations,
        *network_interfaces.INSTANCE_RELATIONS,
    ),
)


def _adapters(world, instance) -> network_adapters.Adapters:
    return world.network_adapters[instance]


def _on_launching(world, params, relations) -> None:
    network_adapters.check_launch(params)


def _on_launched(world, instance, params, relations) -> None:
    world.network_adapters[instance] = network_adapters.Adapters(params)


def _type(instance) -> network_adapters.TypeNetworking | None:
    return network_adapters.networking(instance.type)


def _supports(flag):
    def read(world, instance):
        net = _type(instance)
        return None if net is None else flag(net)
    return read


def _enhanced(world, instance):
    return network_adapters.adapter_in_use(instance, _adapters(world, instance)) is not None


def _adapter(world, instance):
    return network_adapters.adapter_in_use(instance, _adapters(world, instance))


def _bandwidth(world, instance):
    net = _type(instance)
    return None if net is None else net.bandwidth


READERS = {
    "ami virtualization": lambda w, i: "paravirtual" if _adapters(w, i).pv else "hvm",
    "ami ena support": lambda w, i: _adapters(w, i).ami_ena,
    "enhanced networking": _enhanced,
    "network adapter": _adapter,
    "ena support": _supports(lambda net: net.adapter == network_adapters.ENA),
    "efa support": _supports(lambda net: net.efa),
    "efa": lambda w, i: _adapters(w, i).efa,
    "network bandwidth": _bandwidth,
}


def install(world) -> None:
    world.network_adapters = {}
    world.on("launching", _on_launching)
    world.on("launched", _on_launched)
    for name, read in READERS.items():
        world.readers[("instance", name)] = read
    network_placement.install(world)
    network_interfaces.install(world)


__all__ = ["VOCABULARY", "INSTANCE_EXTRAS", "install"]
