"""Amazon EMR clusters: one Availability Zone in a VPC; applications such as Spark, HBase, Presto, Flink.

Source: specs/notes/aws-architecture-notes.md, "Amazon EMR"; Amazon EMR API reference,
RunJobFlow / JobFlowInstancesConfig (Ec2SubnetId for instance groups; Ec2SubnetIds and
PlacementType.AvailabilityZones for instance fleets: "Amazon EMR evaluates them and
launches instances in the optimal subnet"; every instance of a cluster is in that one
zone), Ec2InstanceAttributes, ClusterStatus (STARTING, BOOTSTRAPPING, RUNNING, WAITING,
TERMINATING, TERMINATED); EMR release guide, "Amazon EMR 7.x release versions" (the
applications a release offers). EMR answers a RunJobFlow it cannot accept with
ValidationException (AWS's error responses; not in botocore's emr model).

Decisions: the cluster runs in the default VPC; with instance fleets and several zones
EMR's "optimal" choice is modelled as the first zone listed; Hadoop is installed on every
cluster; the cluster starts, bootstraps and waits for steps (no steps: WAITING).
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import REGION_ZONES

DEFAULT_VPC = "vpc-0default0000000001"
#: the applications of an EMR 7.x release, by the name RunJobFlow takes (case-insensitive)
APPLICATIONS = ("Hadoop", "Spark", "HBase", "Presto", "Trino", "Flink", "Hive", "Pig", "Tez", "Hue", "Livy", "Oozie",
                "Phoenix", "Sqoop", "ZooKeeper", "HCatalog", "JupyterHub", "JupyterEnterpriseGateway", "Zeppelin",
                "TensorFlow", "Hudi", "Iceberg", "Delta")
RELEASE = re.compile(r"^emr-\d+\.\d+\.\d+$")


class Cluster(Resource):
    kind = "emr cluster"

    def __init__(self, id, label, apps, release, zones, fleets, count):
        super().__init__(id, label)
        self.apps, self.release, self.zones, self.fleets, self.count = apps, release, zones, fleets, count
        self.zone = zones[0]  # every instance of the cluster is launched in this one zone
        self.instance_zones = [self.zone] * count
        self.state = "waiting"

    CREATION = ("starting", "bootstrapping")

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if self.state != "waiting":
            raise BackendError("ValidationException", f"The cluster {self.id} is {self.state}.")
        self.state = "terminated"
        return ("terminating",)

    ATTRIBUTES = {
        "state": lambda w, c: c.state,
        "cluster id": lambda w, c: c.id,
        "applications": lambda w, c: ", ".join(c.apps),
        "release label": lambda w, c: c.release,
        "availability zones": lambda w, c: ", ".join(c.zones),
        "instance fleets": lambda w, c: c.fleets,
        "instance count": lambda w, c: c.count,
        "availability zone": lambda w, c: c.zone,
        "zone count": lambda w, c: len(set(c.instance_zones)),
        "vpc id": lambda w, c: DEFAULT_VPC,
    }


def _list(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def create_cluster(world, label: str, params: Mapping[str, Any], relations) -> Cluster:
    known = {a.lower(): a for a in APPLICATIONS}
    apps = ["Hadoop"]
    for name in _list(params.get("applications", "Hadoop")):
        if name.lower() not in known:
            raise BackendError("ValidationException", f"Cannot find application {name} in the release.")
        if known[name.lower()] not in apps:
            apps.append(known[name.lower()])
    release = params.get("release label", "emr-7.1.0")
    if not RELEASE.match(release):
        raise BackendError("ValidationException", f"The release label {release!r} is not valid.")
    zones = _list(params.get("availability zones", REGION_ZONES[0]))
    fleets = params.get("instance fleets", False)
    bad = [z for z in zones if z not in REGION_ZONES]
    if not zones or bad:
        raise BackendError("ValidationException", f"Invalid Availability Zone: {bad[0] if bad else 'none'}")
    if len(zones) > 1 and not fleets:
        raise BackendError("ValidationException",
                           "A cluster with instance groups is launched in one subnet: several are allowed with instance fleets only.")
    count = params.get("instance count", 3)
    if count < 1:
        raise BackendError("ValidationException", "A cluster has at least one instance (its primary node).")
    return Cluster("j-" + world.new_id("j")[-13:].upper(), label, apps, release, zones, fleets, count)


def install(world) -> None:
    world.creators["emr cluster"] = create_cluster
