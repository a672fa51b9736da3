"""The words of EC2 in the reference model: the instance kind and the kinds and settings around it.

Instances (behaviour: :mod:`.instances`); Elastic IPs (:mod:`.addresses`); purchase options
(:mod:`.purchase`); Reserved Instances (:mod:`.reserved`); the metadata service (:mod:`.metadata`);
placement groups (:mod:`.placement`); network interfaces (:mod:`.interfaces`); enhanced networking
and EFA (:mod:`.adapters`). Other services may add words to the instance kind (``INSTANCE_EXTRAS``,
gathered by :mod:`scn_reference.vocabulary`).
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

from ..model import KindExtras

# ---------------------------------------------------------------- instances
STATES = (
    State("pending", stable=False, code=0),
    State("running", code=16),
    State("shutting-down", stable=False, code=32),
    State("terminated", code=48),
    State("stopping", stable=False, code=64),
    State("stopped", code=80),
)

INSTANCE_ATTRIBUTES = (
    Attribute("state", "text", description="the lifecycle state"),
    Attribute("state code", "number", description="AWS's numeric state code (running is 16)"),
    Attribute("instance id", "text", aliases=("id",)),
    Attribute("public ipv4", "text", aliases=("public ip", "public ipv4 address", "public ip address", "public address"),
              settable=True, choice="presence",
              description="the public IPv4 address: auto-assigned, or the associated Elastic IP's"),
    Attribute("private ipv4", "text", aliases=("private ip", "private ipv4 address", "private ip address", "private address")),
    Attribute("host", "text", aliases=("host id", "underlying hardware", "hardware"),
              description="the physical host it runs on; changes on stop and start"),
    Attribute("availability zone", "text", aliases=("az", "zone"), settable=True,
              description="where it runs: us-east-1a unless launched elsewhere in us-east-1"),
    Attribute("instance type", "text", aliases=("type",), settable=True),
    Attribute("hibernation", "boolean", aliases=("hibernation enabled",), settable=True,
              description="launched with hibernation enabled"),
    Attribute("billed", "boolean", capability="billing",
              description="billed for instance usage now: running, or stopping to hibernate"),
    Attribute("billed while pending", "boolean", capability="billing",
              description="whether its latest pass through pending was billed (yes per the notes; no per AWS's state table)"),
    Attribute("billed while stopping", "boolean", capability="billing",
              description="whether its latest pass through stopping was billed (only when stopping to hibernate)"),
    Attribute("billed while shutting-down", "boolean", capability="billing",
              description="whether its latest pass through shutting-down was billed (never)"),
    Attribute("billed time", "quantity", dimension="duration", integer=False, capability="billing",
              aliases=("billed usage", "billed duration", "usage billed"),
              description="instance usage billed so far: per second, with a one-minute minimum for every start"),
    Attribute("ebs storage billed", "boolean", capability="billing", aliases=("ebs billed", "storage billed"),
              description="its EBS root volume is billed: in every state until termination deletes it"),
    Attribute("shutdown behavior", "text", settable=True,
              aliases=("shutdown behaviour", "instance initiated shutdown behavior", "instance initiated shutdown behaviour"),
              description="what a shutdown from inside the operating system does: stop (the default) or terminate"),
)

INSTANCE_ACTIONS = (
    Action("launch", "launched", creates=True, result="running",
           params=("public ipv4", "instance type", "hibernation", "shutdown behavior", "availability zone")),
    Action("start", "started", result="running", from_states=("stopped",)),
    Action("stop", "stopped", result="stopped", from_states=("running",)),
    Action("hibernate", "hibernated", result="stopped", from_states=("running",)),
    Action("reboot", "rebooted", result="running", from_states=("running",)),
    Action("terminate", "terminated", result="terminated", from_states=("running", "stopped")),
    Action("shutdown", "shut down", from_states=("running",),
           description="`shutdown -h` from inside the operating system: stops or terminates, per its shutdown behavior"),
    Action("crash", "crashed", from_states=("running",), capability="faults",
           description="an injected instance failure: the instance terminates"),
)

# ---------------------------------------------------------------- Elastic IPs
ELASTIC_IP = Kind(
    name="elastic ip",
    aliases=("eip", "elastic ip address", "elastic ipv4"),
    capability="ec2",
    description="a static public IPv4 address of one region, remappable between instances",
    attributes=(
        Attribute("address", "text", aliases=("public ipv4", "public ip", "ip", "ip address")),
        Attribute("allocation id", "text", aliases=("id",)),
        Attribute("region", "text", settable=True,
                  description="the region it was allocated in (us-east-1, the world's region, by default)"),
        Attribute("billed", "boolean", capability="billing",
                  description="charged now: unless associated with a running instance (every public IPv4 since Feb 2024)"),
    ),
    actions=(
        Action("allocate", "allocated", creates=True),
        Action("associate", "associated", target="instance", preposition="with", target_required=True),
        Action("disassociate", "disassociated"),
        Action("release", "released", deletes=True),
    ),
    relations=(Relation("associated", "with", "instance", make="associate"),),
)

ADDRESS_SETTINGS = (
    Setting("elastic ip limit", "number", default=5, aliases=("eip limit", "elastic ip quota"),
            description="Elastic IPs per region (a soft limit: 5 by default)"),
    Setting("in-use public ipv4 charge", "boolean", default=False, capability="billing",
            aliases=("public ipv4 charge",),
            description="an Elastic IP associated with a running instance is charged too (AWS since 1 February 2024)"),
)

# ---------------------------------------------------------------- purchase options and Reserved Instances
PURCHASE_OPTIONS = ("on-demand", "spot")

INTERRUPTION_BEHAVIORS = ("terminate", "stop", "hibernate")

PURCHASE_EXTRAS = KindExtras(
    attributes=(
        Attribute("purchase option", "enum", values=PURCHASE_OPTIONS, settable=True,
                  aliases=("purchasing option", "market type"),
                  description="how it is bought: on-demand (the default) or spot"),
        Attribute("hourly price", "number", integer=False, capability="billing", aliases=("price per hour", "price"),
                  description="what an hour of it costs now, in USD (illustrative figures): the On-Demand or the Spot price"),
        Attribute("on-demand price", "number", integer=False, capability="billing",
                  description="the On-Demand price per hour of its instance type, in USD (illustrative)"),
        Attribute("discount", "quantity", dimension="percent", integer=False, capability="billing",
                  description="how much below the On-Demand price its hourly price is"),
        Attribute("max price", "number", integer=False, settable=True, aliases=("maximum price", "bid"),
                  description="the most a Spot Instance may cost per hour (by default the On-Demand price)"),
        Attribute("interruption behavior", "text", settable=True,
                  aliases=("interruption behaviour", "instance interruption behavior"),
                  description="what an interruption does to a Spot Instance: terminate (the default), stop or hibernate"),
        Attribute("interruption notice", "text",
                  description="the Spot interruption notice (the instance-action metadata item), once EC2 has given one"),
        Attribute("interrupted", "boolean", description="EC2 has interrupted it (reclaimed its capacity)"),
    ),
    actions=(
        Action("interrupt", "interrupted", from_states=("running",), capability="faults",
               description="an injected Spot interruption: a notice now, the interruption two minutes later"),
    ),
)

RESERVED_INSTANCE = Kind(
    name="reserved instance",
    aliases=("ri", "reservation"),
    capability="billing",
    description="a Reserved Instance: a discount for a term of 1 or 3 years, billed to the end of its term",
    # active and retired are AWS's states of a Reserved Instance, but only the clock retires one: no action
    # leads there, so they are values of its state (`then "ri" is retired`), not states a spec can give
    attributes=(
        Attribute("state", "enum", values=("active", "retired"), description="active during its term, then retired"),
        Attribute("reserved instances id", "text", aliases=("id",)),
        Attribute("term", "quantity", dimension="duration", settable=True, aliases=("duration",),
                  description="1 year or 3 years"),
        Attribute("instance type", "text", settable=True, aliases=("type",)),
        Attribute("availability zone", "text", settable=True, aliases=("az", "zone")),
        Attribute("platform", "enum", values=("linux", "windows"), settable=True, aliases=("product description",)),
        Attribute("instance count", "number", settable=True, aliases=("count",)),
        Attribute("billed", "boolean", description="billed now: from its purchase to the end of its term"),
        Attribute("billed time", "quantity", dimension="duration", integer=False, aliases=("billed duration",),
                  description="how much of its term has been billed"),
        Attribute("discount", "quantity", dimension="percent", integer=False,
                  description="how much below the On-Demand price its effective hourly price is (illustrative)"),
        Attribute("listed", "boolean", aliases=("marketplace listed",),
                  description="offered for sale in the Reserved Instance Marketplace"),
    ),
    actions=(
        Action("purchase", "purchased", creates=True,
               params=("term", "instance type", "availability zone", "platform", "instance count")),
        Action("modify", "modified", params=("instance type", "availability zone", "instance count"),
               description="ModifyReservedInstances: another Availability Zone of the Region, or another size of the family"),
        Action("list", "listed",
               description="CreateReservedInstancesListing: offer it in the Reserved Instance Marketplace"),
    ),
    relations=(Relation("applied", "to", "instance", description="the running On-Demand instances its discount covers"),),
)

# The notes: "Billing commences when Amazon EC2 initiates the boot sequence" (pending).
# AWS's state table today: pending is "Not billed"; billing starts in running.
PENDING_BILLING = Setting("pending state billing", "boolean", default=True, capability="billing",
                          aliases=("billing while pending", "pending billing"),
                          description="instances are billed from pending, the start of boot, as the notes say; "
                                      "false: from running, as AWS's instance-state table says today")

# ---------------------------------------------------------------- metadata
METADATA_REQUEST = Kind(
    name="metadata request",
    aliases=("http request", "imds request"),
    capability="metadata",
    description="an HTTP GET sent from inside an instance to the instance metadata service",
    attributes=(
        Attribute("url", "text", settable=True, aliases=("address",), description="the URL requested"),
        Attribute("status", "number", aliases=("status code", "http status"),
                  description="the HTTP status of the answer: 200, or 404 when nothing is at the URL"),
        Attribute("body", "text", aliases=("response", "response body", "answer"), description="the body of the answer"),
    ),
    actions=(Action("send", "sent", creates=True, params=("url",)),),
    relations=(Relation("sent", "from", "instance", description="the instance it was sent from"),),
)

METADATA_EXTRAS = KindExtras(
    attributes=(
        Attribute("user data", "text", settable=True, aliases=("userdata",),
                  description="the data (a script) supplied at launch, served at /latest/user-data"),
    ),
)

# ---------------------------------------------------------------- placement groups
PLACEMENT_GROUP = Kind(
    name="placement group",
    capability="ec2",
    description="a placement strategy for the instances launched in it: cluster, spread or partition",
    states=(State("available"),),
    attributes=(
        Attribute("state", "text"),
        Attribute("strategy", "enum", values=("cluster", "spread", "partition"), settable=True,
                  description="cluster (one zone, low latency), spread (distinct racks), partition (racks per partition)"),
        Attribute("partition count", "number", aliases=("partitions",), settable=True,
                  description="partitions of a partition group: 1 to 7 per Availability Zone (2 by default)"),
        Attribute("group id", "text", aliases=("id", "placement group id")),
        Attribute("availability zone", "text", aliases=("az", "zone"),
                  description="the zone of a cluster group: the zone of its first instance"),
    ),
    actions=(
        Action("create", "created", creates=True, result="available"),
        Action("delete", "deleted", deletes=True),
    ),
)

PLACEMENT_EXTRAS = KindExtras(
    attributes=(
        Attribute("partition", "number", aliases=("partition number",), settable=True,
                  description="the partition of a partition placement group it runs in"),
        Attribute("rack", "text",
                  description="the rack (a partition's own set of racks) it runs on, in a spread or partition group"),
    ),
    relations=(Relation("", "in", "placement group",
                        description="launched in a placement group; only at launch (an instance cannot be moved into one while running)"),),
)

# ---------------------------------------------------------------- network interfaces and adapters
NETWORK_INTERFACE = Kind(
    name="network interface",
    aliases=("eni", "elastic network interface"),
    capability="ec2",
    description="a virtual network card in the default VPC: eth0 of an instance, or one created and attached",
    # in-use is reached only by an attach, which needs a target: a spec cannot give it, only claim it
    states=(State("available"), State("in-use", stable=False)),
    attributes=(
        Attribute("state", "text", aliases=("status",)),
        Attribute("network interface id", "text", aliases=("id", "eni id")),
        Attribute("primary", "boolean", settable=True,
                  description="the primary interface (eth0) of the instance it is `of`: named, not created"),
        Attribute("device index", "number", settable=True,
                  description="its place on the instance: 0 is eth0; an attach takes the next free index unless given"),
        Attribute("attachment type", "text", aliases=("attach type",),
                  description="how it was attached: hot (running), warm (stopped) or cold (at launch); none when detached"),
        Attribute("private ipv4", "text", aliases=("primary private ipv4", "private ip", "private ipv4 address",
                                                   "primary private ipv4 address"),
                  description="its primary private IPv4, from the VPC's range (the instance's own for eth0)"),
        Attribute("secondary private ipv4 count", "number", settable=True,
                  aliases=("secondary private ipv4s", "secondary private ipv4 addresses", "secondary private ips"),
                  description="how many secondary private IPv4 addresses it has"),
        Attribute("private ipv4 count", "number", aliases=("private ipv4s", "private ipv4 addresses"),
                  description="its private IPv4 addresses: the primary and the secondary ones"),
        Attribute("elastic ip limit", "number", aliases=("eip limit", "elastic ip capacity"),
                  description="how many Elastic IPs it can hold: one per private IPv4 address"),
        Attribute("public ipv4", "text", aliases=("public ip", "public ipv4 address"),
                  description="its one public IPv4: eth0's is the instance's; an added interface gets none"),
        Attribute("security group count", "number", settable=True, aliases=("security groups",),
                  description="its security groups: one or more (the VPC's default group when none is given), at most 5"),
        Attribute("mac address", "text", aliases=("mac",)),
        Attribute("source/destination check", "boolean", settable=True,
                  aliases=("source destination check", "source/dest check", "src/dst check"),
                  description="whether traffic not addressed to it is dropped (true by default)"),
        Attribute("description", "text", settable=True),
        Attribute("delete-on-termination", "boolean", settable=True,
                  aliases=("deleted-on-termination", "delete-on-terminate"),
                  description="deleted when its instance terminates: true for eth0 and interfaces made at launch, false for attached ones"),
    ),
    actions=(
        Action("create", "created", creates=True, result="available"),
        Action("attach", "attached", target="instance", preposition="to", target_required=True, params=("device index",)),
        Action("detach", "detached"),
        Action("modify", "modified", params=("delete-on-termination", "description", "source/destination check",
                                              "security group count", "secondary private ipv4 count")),
        Action("delete", "deleted", deletes=True),
    ),
    relations=(
        Relation("attached", "to", "instance", make="attach"),
        Relation("", "of", "instance", description="the primary interface of an instance, named: `a primary network interface \"eth0\" of \"web\"`"),
    ),
)

INTERFACE_SETTINGS = (
    Setting("launch network interface limit", "number", default=2, capability="limits",
            aliases=("network interfaces at launch limit",),
            description="interfaces an instance may be launched with, eth0 included: the notes' one extra (AWS today: as many as the type has)"),
)

INTERFACE_ATTRIBUTES = (
    Attribute("network interface count", "number", settable=True, aliases=("network interfaces",),
              description="its network interfaces, eth0 included; at launch, how many to create with it"),
)

INTERFACE_RELATIONS = (
    Relation("launched", "with", "network interface",
             description="an existing interface attached at launch (cold): `launched with \"eni\"`"),
)

ADAPTER_ATTRIBUTES = (
    Attribute("ami virtualization", "enum", values=("hvm", "paravirtual"), settable=True,
              aliases=("virtualization type", "ami virtualization type"),
              description="the virtualization type of the AMI launched (hvm by default)"),
    Attribute("ami ena support", "boolean", settable=True,
              description="the AMI has the ENA driver and is marked enaSupport (true by default)"),
    Attribute("enhanced networking", "boolean",
              description="runs with enhanced networking: a supported type, an HVM AMI with the driver, in a VPC"),
    Attribute("network adapter", "text",
              description="the enhanced-networking adapter in use: ena, intel 82599 vf, or none"),
    Attribute("ena support", "boolean", aliases=("ena supported",), description="the instance type supports ENA"),
    Attribute("efa support", "boolean", aliases=("efa supported",), description="the instance type supports an EFA"),
    Attribute("efa", "boolean", aliases=("elastic fabric adapter", "efa enabled"), settable=True,
              description="launched with an Elastic Fabric Adapter (optional, on supported types, no extra cost)"),
    Attribute("network bandwidth", "text", aliases=("network performance", "bandwidth"),
              description="the network performance of its type; more interfaces do not add to it"),
)

# ---------------------------------------------------------------- the instance kind and the vocabulary
INSTANCE = Kind(
    name="instance",
    aliases=("ec2 instance", "server"),
    capability="ec2",
    description="an EC2 instance in the default VPC",
    states=STATES,
    attributes=(INSTANCE_ATTRIBUTES + PURCHASE_EXTRAS.attributes + METADATA_EXTRAS.attributes
                + PLACEMENT_EXTRAS.attributes + INTERFACE_ATTRIBUTES + ADAPTER_ATTRIBUTES),
    actions=INSTANCE_ACTIONS + PURCHASE_EXTRAS.actions + METADATA_EXTRAS.actions,
    relations=PURCHASE_EXTRAS.relations + METADATA_EXTRAS.relations + PLACEMENT_EXTRAS.relations + INTERFACE_RELATIONS,
)

DEFAULT_VPC = Kind(
    name="default vpc",
    implicit=True,
    description="the default VPC of a new account (us-east-1, default subnet in us-east-1a)",
)

VOCABULARY = ((INSTANCE, DEFAULT_VPC, ELASTIC_IP) + ADDRESS_SETTINGS
              + (METADATA_REQUEST, RESERVED_INSTANCE, PENDING_BILLING, PLACEMENT_GROUP, NETWORK_INTERFACE)
              + INTERFACE_SETTINGS)
