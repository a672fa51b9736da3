"""Enhanced networking (ENA, Intel 82599 VF) and the Elastic Fabric Adapter, by instance type.

Source: specs/notes/aws-architecture-notes.md, "Enhanced Networking – Elastic
Network Adapter (ENA)", "Elastic Fabric Adapter (EFA)", "ENI vs ENA vs EFA"; the
EC2 user guide's lists, which the table below copies for a few types:

- "Enhanced networking on Amazon EC2 instances": ENA on every current-generation
  type except C4, D2, M4 smaller than m4.16xlarge and T2; the Intel 82599 VF on C3,
  C4, D2, I2, M4 (except m4.16xlarge) and R3; enhanced networking needs an HVM AMI
  and a VPC. Nitro types *require* an ENA-enabled AMI: RunInstances answers
  InvalidParameterCombination, "Enhanced networking with the Elastic Network
  Adapter (ENA) is required for the 't3.micro' instance type. Ensure that you are
  using an AMI that is enabled for ENA."
- "Elastic Fabric Adapter — supported instance types" (c5n.18xlarge, p3dn.24xlarge, …);
  one EFA per instance here; no extra charge.
- "Network interfaces per instance type": the most interfaces a type can have.
- "Network performance" of each type (the bandwidth column).

Every instance of the model is in the default VPC (EC2-Classic retired in 2023).
"""

from __future__ import annotations

import attrs

from scenario.errors import BackendError

ENA, INTEL = "ena", "intel 82599 vf"


@attrs.frozen
class TypeNetworking:
    adapter: str | None  # the enhanced-networking adapter the type supports
    ena_required: bool  # Nitro: an ENA-enabled AMI is required to launch
    efa: bool
    max_interfaces: int
    bandwidth: str
    paravirtual: bool = False  # the type also runs paravirtual (PV) AMIs


#: a few instance types, from the EC2 user guide's lists (see the module docstring)
INSTANCE_TYPES: dict[str, TypeNetworking] = {
    "t2.micro": TypeNetworking(None, False, False, 2, "Low to Moderate"),
    "t3.micro": TypeNetworking(ENA, True, False, 2, "Up to 5 Gigabit"),
    "m5.large": TypeNetworking(ENA, True, False, 3, "Up to 10 Gigabit"),
    "c5n.large": TypeNetworking(ENA, True, False, 3, "Up to 25 Gigabit"),
    "c5n.18xlarge": TypeNetworking(ENA, True, True, 15, "100 Gigabit"),
    "p3dn.24xlarge": TypeNetworking(ENA, True, True, 15, "100 Gigabit"),
    "m4.large": TypeNetworking(INTEL, False, False, 2, "Moderate"),
    "m4.16xlarge": TypeNetworking(ENA, False, False, 8, "25 Gigabit"),
    "c4.large": TypeNetworking(INTEL, False, False, 3, "Moderate"),
    "c3.large": TypeNetworking(INTEL, False, False, 3, "Moderate", paravirtual=True),
    "m3.medium": TypeNetworking(None, False, False, 2, "Moderate", paravirtual=True),
}

DEFAULT_TYPE = "t3.micro"  # the launch default of the instance part


def networking(instance_type: str) -> TypeNetworking | None:
    return INSTANCE_TYPES.get(instance_type)


def check_launch(params) -> None:
    """RunInstances' refusals for the AMI and adapters asked for (the "launching" event)."""
    itype = params.get("instance type", DEFAULT_TYPE)
    net = networking(itype)
    if net is None:
        return  # a type the table does not know: nothing to check
    pv = params.get("ami virtualization", "hvm") == "paravirtual"
    if pv and not net.paravirtual:
        raise BackendError("InvalidParameterCombination", f"The instance type '{itype}' does not support paravirtual AMIs.")
    if net.ena_required and not params.get("ami ena support", True):
        raise BackendError(
            "InvalidParameterCombination",
            f"Enhanced networking with the Elastic Network Adapter (ENA) is required for the '{itype}' instance type. "
            "Ensure that you are using an AMI that is enabled for ENA.",
        )
    if params.get("efa") and not net.efa:
        raise BackendError("InvalidParameterCombination", f"{itype} instances do not support Elastic Fabric Adapters.")


#: the launch parameters :class:`Adapters` keeps
ASKED = ("ami virtualization", "ami ena support", "efa")


class Adapters:
    """What the launch asked for, per instance (kept only when it asked for something)."""

    def __init__(self, params):
        self.pv = params.get("ami virtualization", "hvm") == "paravirtual"
        self.ami_ena = bool(params.get("ami ena support", True))
        self.efa = bool(params.get("efa", False))


def adapter_in_use(instance, asked: Adapters) -> str | None:
    net = networking(instance.type)
    if net is None or net.adapter is None or asked.pv:
        return None  # enhanced networking needs an HVM AMI on a supported type
    if net.adapter == ENA and not asked.ami_ena:
        return None
    return net.adapter


# ---------------------------------------------------------------- what an instance reads of its adapters
def _adapters(world, instance) -> Adapters:
    return instance.parts.get("adapters") or Adapters({})


def _on_launching(world, params, relations) -> None:
    check_launch(params)


def _on_launched(world, instance, params, relations) -> None:
    if not params.keys().isdisjoint(ASKED):
        instance.parts["adapters"] = Adapters(params)


def _type(instance) -> TypeNetworking | None:
    return networking(instance.type)


def _supports(flag):
    def read(world, instance):
        net = _type(instance)
        return None if net is None else flag(net)
    return read


def _enhanced(world, instance):
    return adapter_in_use(instance, _adapters(world, instance)) is not None


def _adapter(world, instance):
    return adapter_in_use(instance, _adapters(world, instance))


def _bandwidth(world, instance):
    net = _type(instance)
    return None if net is None else net.bandwidth


READERS = {
    "ami virtualization": lambda w, i: "paravirtual" if _adapters(w, i).pv else "hvm",
    "ami ena support": lambda w, i: _adapters(w, i).ami_ena,
    "enhanced networking": _enhanced,
    "network adapter": _adapter,
    "ena support": _supports(lambda net: net.adapter == ENA),
    "efa support": _supports(lambda net: net.efa),
    "efa": lambda w, i: _adapters(w, i).efa,
    "network bandwidth": _bandwidth,
}


def install(world) -> None:
    world.on("launching", _on_launching)
    world.on("launched", _on_launched)
    for name, read in READERS.items():
        world.readers[("instance", name)] = read
