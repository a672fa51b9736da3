"""Amazon EMR: clusters (RunJobFlow with instance groups or instance fleets), in the default VPC.

Zones: each zone asked for is the default subnet of that zone (EC2 DescribeSubnets,
``default-for-az``); one subnet is ``Ec2SubnetId``, several are ``Ec2SubnetIds`` (EMR takes
several with instance fleets only, and refuses them with instance groups). A zone with no
default subnet in the region is passed as ``Placement`` (``AvailabilityZone`` for instance
groups, ``AvailabilityZones`` for fleets) for EMR to judge. States are ``DescribeCluster``'s
``Status.State`` in lower case; the zone, subnet, applications and release are read back from it.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, carries, tag_dict

#: ClusterStatus states an EMR cluster passes through on its own; a wait ends at any other
TRANSITIONAL = frozenset({"starting", "bootstrapping", "running", "terminating"})
INSTANCE_TYPE = "m5.xlarge"
RELEASE = "emr-7.1.0"
JOB_FLOW_ROLE = "EMR_EC2_DefaultRole"
SERVICE_ROLE = "EMR_DefaultRole"


def _list(text: Any) -> list[str]:
    return [x.strip() for x in str(text).split(",") if x.strip()]


def describe(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("emr", "describe_cluster", "describing an emr cluster", ClusterId=handle.id)["Cluster"]


def state_of(world: Boto3World, handle: Handle) -> str:
    return describe(world, handle)["Status"]["State"].lower()


def wait_cluster(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    return world.wait(handle, lambda: state_of(world, handle), TRANSITIONAL, seen)


def default_subnet(world: Boto3World, zone: str) -> Mapping[str, Any] | None:
    answer = world.call("ec2", "describe_subnets", "finding the default subnet of a zone",
                        Filters=[{"Name": "default-for-az", "Values": ["true"]},
                                 {"Name": "availability-zone", "Values": [zone]}])
    subnets = answer.get("Subnets", ())
    return subnets[0] if subnets else None


def create_cluster(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    count = int(params.get("instance count", 3))
    fleets = bool(params.get("instance fleets", False))
    zones = _list(params["availability zones"]) if "availability zones" in params else []
    instances: dict[str, Any] = {"KeepJobFlowAliveWhenNoSteps": True, "TerminationProtected": False}
    if fleets:
        fleet = [{"InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1,
                  "InstanceTypeConfigs": [{"InstanceType": INSTANCE_TYPE}]}]
        if count > 1:
            fleet.append({"InstanceFleetType": "CORE", "TargetOnDemandCapacity": count - 1,
                          "InstanceTypeConfigs": [{"InstanceType": INSTANCE_TYPE}]})
        instances["InstanceFleets"] = fleet
    else:
        instances.update(MasterInstanceType=INSTANCE_TYPE, SlaveInstanceType=INSTANCE_TYPE, InstanceCount=count)
    if zones:
        subnets = [default_subnet(world, z) for z in zones]
        found = [s for s in subnets if s]
        if len(found) == len(subnets):  # every zone has a default subnet
            ids = [s["SubnetId"] for s in found]
            if len(ids) == 1:
                instances["Ec2SubnetId"] = ids[0]
            else:
                instances["Ec2SubnetIds"] = ids
        elif fleets:
            instances["Placement"] = {"AvailabilityZones": zones}
        else:
            instances["Placement"] = {"AvailabilityZone": zones[0]} if len(zones) == 1 else {"AvailabilityZones": zones}
    else:
        subnet = default_subnet(world, world.client("ec2").meta.region_name + "a")
        if subnet is not None:
            instances["Ec2SubnetId"] = subnet["SubnetId"]
    kw: dict[str, Any] = {
        "Name": world.resource_name(label, max_length=256),
        "ReleaseLabel": str(params.get("release label", RELEASE)),
        "Instances": instances,
        "JobFlowRole": JOB_FLOW_ROLE, "ServiceRole": SERVICE_ROLE,
        "VisibleToAllUsers": True,
        "Tags": world.tag_list(label),
    }
    if "applications" in params:
        kw["Applications"] = [{"Name": a} for a in _list(params["applications"])]
    answer = world.call("emr", "run_job_flow", "creating an emr cluster", **kw)
    handle = world.remember(Handle("emr cluster", answer["JobFlowId"], label, refs={"arn": answer.get("ClusterArn")}))
    handle.creation_states = tuple(wait_cluster(world, handle, []))
    return handle


def act_cluster(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action != "terminate":
        raise NotImplementedByBackend(f"{action} on an emr cluster")
    world.call("emr", "terminate_job_flows", "terminating an emr cluster", JobFlowIds=[handle.id])
    return wait_cluster(world, handle, [])


def _vpc_of(world: Boto3World, subnet_id: str | None) -> str | None:
    if not subnet_id:
        return None
    answer = world.call("ec2", "describe_subnets", "reading the vpc of a subnet", SubnetIds=[subnet_id])
    subnets = answer.get("Subnets", ())
    return subnets[0].get("VpcId") if subnets else None


def _instance_count(world: Boto3World, handle: Handle, cluster: Mapping[str, Any]) -> int:
    if cluster.get("InstanceCollectionType") == "INSTANCE_FLEET":
        fleets = world.call("emr", "list_instance_fleets", "listing an emr cluster's fleets",
                            ClusterId=handle.id)["InstanceFleets"]
        return sum(f.get("TargetOnDemandCapacity", 0) + f.get("TargetSpotCapacity", 0) for f in fleets)
    groups = world.call("emr", "list_instance_groups", "listing an emr cluster's instance groups",
                        ClusterId=handle.id)["InstanceGroups"]
    return sum(g.get("RequestedInstanceCount", 0) for g in groups)


def observe_cluster(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "cluster id":
        return handle.id
    cluster = describe(world, handle)
    ec2 = cluster.get("Ec2InstanceAttributes", {}) or {}
    if attribute == "state":
        return cluster["Status"]["State"].lower()
    if attribute == "applications":
        return ", ".join(a["Name"] for a in cluster.get("Applications", ()))
    if attribute == "release label":
        return cluster.get("ReleaseLabel")
    if attribute == "availability zone":
        return ec2.get("Ec2AvailabilityZone")
    if attribute == "zone count":  # the zones EMR reports launching the cluster's instances in
        zones = {ec2.get("Ec2AvailabilityZone")} - {None}
        return len(zones)
    if attribute == "availability zones":
        subnets = ec2.get("RequestedEc2SubnetIds") or ([ec2["Ec2SubnetId"]] if ec2.get("Ec2SubnetId") else [])
        if subnets:
            answer = world.call("ec2", "describe_subnets", "reading the zones of subnets", SubnetIds=list(subnets))
            return ", ".join(s["AvailabilityZone"] for s in answer.get("Subnets", ()))
        requested = ec2.get("RequestedEc2AvailabilityZones") or (
            [ec2["Ec2AvailabilityZone"]] if ec2.get("Ec2AvailabilityZone") else [])
        return ", ".join(requested)
    if attribute == "instance fleets":
        return cluster.get("InstanceCollectionType") == "INSTANCE_FLEET"
    if attribute == "instance count":
        return _instance_count(world, handle, cluster)
    if attribute == "vpc id":
        return _vpc_of(world, ec2.get("Ec2SubnetId"))
    raise NotImplementedByBackend(f"the {attribute} of an emr cluster")


def _gone(exc: BackendError) -> bool:
    return exc.code in {"InvalidRequestException", "ResourceNotFoundException"} or "not found" in str(exc).lower()


def cluster_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        describe(world, handle)  # a terminated cluster is still described (for two months)
    except BackendError as exc:
        if _gone(exc):
            return False
        raise
    return True


def delete_cluster(world: Boto3World, handle: Handle) -> None:
    """Terminate (termination protection off first) and wait until terminated; gone already is fine."""
    try:
        if state_of(world, handle) in {"terminated", "terminated_with_errors"}:
            return
        world.call("emr", "set_termination_protection", "unprotecting an emr cluster", JobFlowIds=[handle.id],
                   TerminationProtected=False)
        world.call("emr", "terminate_job_flows", "terminating an emr cluster", JobFlowIds=[handle.id])
    except BackendError as exc:
        if _gone(exc):
            return
        raise
    wait_cluster(world, handle, [])


#: the states of an emr cluster that is still up (billed)
LIVE_STATES = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING")


def find_clusters(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """EMR clusters not terminated carrying ``tags`` (for ``scn sweep``): ListClusters and DescribeCluster (a moto
    server's tagging API does not cover them)."""
    found = []
    kw: dict[str, Any] = {"ClusterStates": list(LIVE_STATES)}
    while True:
        answer = world.call("emr", "list_clusters", "listing emr clusters", **kw)
        for c in answer.get("Clusters", ()):
            d = world.call("emr", "describe_cluster", "reading an emr cluster's tags", ClusterId=c["Id"])["Cluster"]
            have = tag_dict(d.get("Tags"))
            if carries(have, tags):
                found.append(Handle("emr cluster", c["Id"], c["Id"], refs={"arn": d.get("ClusterArn"), "tags": have}))
        if not answer.get("Marker"):
            return found
        kw["Marker"] = answer["Marker"]


CLUSTER = KindMap(
    "emr cluster",
    attributes={"state", "cluster id", "applications", "release label", "availability zones", "instance fleets",
                "instance count", "availability zone", "zone count", "vpc id"},
    actions={"create", "launch", "terminate"},
    params={"applications", "release label", "availability zones", "instance fleets", "instance count"},
    create=create_cluster, act=act_cluster, observe=observe_cluster, exists=cluster_exists,
    delete=delete_cluster, find_tagged=find_clusters, cost="expensive",
)

SERVICE = Service(
    capability="emr",
    clients=("emr", "ec2"),
    kinds=(CLUSTER,),
    description="Amazon EMR clusters: RunJobFlow, DescribeCluster, TerminateJobFlows",
)
