"""AWS Lambda: functions, execution roles (IAM), their VPC (subnets, NAT gateways, security
groups through EC2), SQS queues and event source mappings.

Invoking a function needs the vocabulary's ``lambda-invoke`` capability (moto runs a
function's code in a container), so invocations, triggers firing and requests sent to
a load balancer are not mapped here: everything else about a function is. A function
created without a role gets the world's own default role (created once per world,
trusted by Lambda, allowed to write to X-Ray and to create network interfaces: the
console's "basic Lambda permissions" plus what a configuration may need), deleted at
teardown with the rest. A subnet lives in a VPC of the world's own (10.0.0.0/16, with
an Internet gateway) and has a route table of its own: public when it routes
0.0.0.0/0 to the Internet gateway, private otherwise.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any, Mapping, Sequence
from urllib.parse import unquote

from scenario.backend import NotImplementedByBackend
from scenario.errors import BackendError

from ..adapter import Boto3World, Handle
from .base import KindMap, Service, answers, carries

MB = 1024 * 1024
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"
RUNTIME = "python3.12"
HANDLER = "index.handler"
DEFAULT_RETRIES, DEFAULT_EVENT_AGE = 2, 21600  # what Lambda applies without an event invoke config
XRAY_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
VPC_ACTIONS = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
               "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
VPC_CIDR = "10.0.0.0/16"
ANYWHERE = "0.0.0.0/0"
STARTING_POSITIONS = {"latest": "LATEST", "trim horizon": "TRIM_HORIZON"}


def _code() -> bytes:
    """A tiny deployment package: a handler that answers its event."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buf.getvalue()


def _code_of(exc: BackendError, *codes: str) -> bool:
    return exc.code in codes


def _mine(world: Boto3World, kind: str) -> list[Handle]:
    return [h for h in world.created if h.kind == kind and not h.released]


# ---------------------------------------------------------------- execution roles (IAM)
def _trust(service: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def _policy(actions: list[str]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})


def _make_role(world: Boto3World, label: str, trusted: str, xray: bool, vpc: bool, default: bool = False) -> Handle:
    name = world.resource_name(label, max_length=64, allowed="A-Za-z0-9+=,.@_-")
    answer = world.call("iam", "create_role", "creating an execution role", RoleName=name,
                        AssumeRolePolicyDocument=_trust(trusted), Tags=world.tag_list(label))
    handle = world.remember(Handle("execution role", name, label, refs={"arn": answer["Role"]["Arn"], "default": default}))
    if xray:
        world.call("iam", "put_role_policy", "allowing a role to write to X-Ray", RoleName=name,
                   PolicyName="xray-write", PolicyDocument=_policy(XRAY_ACTIONS))
    if vpc:
        world.call("iam", "put_role_policy", "allowing a role to create network interfaces", RoleName=name,
                   PolicyName="vpc-access", PolicyDocument=_policy(VPC_ACTIONS))
    return handle


def create_role(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    return _make_role(world, label, str(params.get("trusted service", LAMBDA_PRINCIPAL)),
                      bool(params.get("xray permissions", False)), bool(params.get("vpc permissions", False)))


def default_role(world: Boto3World) -> Handle:
    """The world's default execution role, made on first need."""
    for h in _mine(world, "execution role"):
        if h.refs.get("default"):
            return h
    return _make_role(world, "lambda-default-role", LAMBDA_PRINCIPAL, xray=True, vpc=True, default=True)


def _document(doc: Any) -> Mapping[str, Any]:
    if isinstance(doc, str):
        doc = json.loads(unquote(doc))
    return doc or {}


def _statements(doc: Any) -> list[Mapping[str, Any]]:
    st = _document(doc).get("Statement", [])
    return [st] if isinstance(st, Mapping) else list(st)


def _as_list(v: Any) -> list:
    return [v] if isinstance(v, str) else list(v or ())


def _allowed_actions(world: Boto3World, role: str) -> set[str]:
    """Every action the role's inline and attached policies allow."""
    actions: set[str] = set()
    for name in world.call("iam", "list_role_policies", "listing a role's policies", RoleName=role).get("PolicyNames", ()):
        doc = world.call("iam", "get_role_policy", "reading a role's policy", RoleName=role, PolicyName=name)["PolicyDocument"]
        for st in _statements(doc):
            if st.get("Effect") == "Allow":
                actions |= set(_as_list(st.get("Action")))
    attached = world.call("iam", "list_attached_role_policies", "listing a role's managed policies", RoleName=role)
    for p in attached.get("AttachedPolicies", ()):
        pol = world.call("iam", "get_policy", "reading a managed policy", PolicyArn=p["PolicyArn"])["Policy"]
        ver = world.call("iam", "get_policy_version", "reading a managed policy", PolicyArn=p["PolicyArn"],
                         VersionId=pol["DefaultVersionId"])["PolicyVersion"]
        for st in _statements(ver["Document"]):
            if st.get("Effect") == "Allow":
                actions |= set(_as_list(st.get("Action")))
    return actions


def _grants(actions: set[str], wanted: list[str]) -> bool:
    service = wanted[0].split(":")[0]
    return "*" in actions or f"{service}:*" in actions or all(a in actions for a in wanted[:1])


def observe_role(world: Boto3World, handle: Handle, attribute: str) -> Any:
    role = world.call("iam", "get_role", "reading an execution role", RoleName=handle.id)["Role"]
    if attribute == "arn":
        return role["Arn"]
    if attribute == "trusted service":
        for st in _statements(role.get("AssumeRolePolicyDocument")):
            services = _as_list((st.get("Principal") or {}).get("Service"))
            if services:
                return services[0]
        return None
    if attribute == "xray permissions":
        return _grants(_allowed_actions(world, handle.id), XRAY_ACTIONS)
    if attribute == "vpc permissions":
        return _grants(_allowed_actions(world, handle.id), VPC_ACTIONS)
    raise NotImplementedByBackend(f"the {attribute} of an execution role")


def role_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: world.call("iam", "get_role", "reading an execution role", RoleName=handle.id),
                   ("NoSuchEntity",))


def delete_role(world: Boto3World, handle: Handle) -> None:
    try:
        for name in world.call("iam", "list_role_policies", "listing a role's policies", RoleName=handle.id).get("PolicyNames", ()):
            world.call("iam", "delete_role_policy", "deleting a role's policy", RoleName=handle.id, PolicyName=name)
        attached = world.call("iam", "list_attached_role_policies", "listing a role's managed policies", RoleName=handle.id)
        for p in attached.get("AttachedPolicies", ()):
            world.call("iam", "detach_role_policy", "detaching a managed policy", RoleName=handle.id, PolicyArn=p["PolicyArn"])
        world.call("iam", "delete_role", "deleting an execution role", RoleName=handle.id)
    except BackendError as exc:
        if not _code_of(exc, "NoSuchEntity"):
            raise


# ---------------------------------------------------------------- the world's VPC, subnets, NAT gateways, security groups
def world_vpc(world: Boto3World, owner: Handle) -> dict[str, str]:
    """The world's VPC (with an attached Internet gateway): {"vpc", "igw"}, made on first need.

    The resource whose creation made it (``owner``, the first subnet or security group)
    deletes it after itself: teardown goes last first, so by then the rest of the VPC is gone.
    """
    for kind in ("subnet", "security group"):
        for h in _mine(world, kind):
            if h.refs.get("vpc"):
                return {"vpc": h.refs["vpc"], "igw": h.refs["igw"]}
    vpc = world.call("ec2", "create_vpc", "creating a VPC", CidrBlock=VPC_CIDR,
                     TagSpecifications=world.tag_specifications("vpc", "lambda-vpc"))["Vpc"]["VpcId"]
    owner.refs.update(vpc=vpc, owns_vpc=True)
    igw = world.call("ec2", "create_internet_gateway", "creating an internet gateway",
                     TagSpecifications=world.tag_specifications("internet-gateway", "lambda-vpc"))
    owner.refs["igw"] = igw["InternetGateway"]["InternetGatewayId"]
    world.call("ec2", "attach_internet_gateway", "attaching an internet gateway", InternetGatewayId=owner.refs["igw"],
               VpcId=vpc)
    return {"vpc": vpc, "igw": owner.refs["igw"]}


def _delete_owned_vpc(world: Boto3World, handle: Handle) -> None:
    """The VPC ``handle`` made, once ``handle`` itself is gone (idempotent)."""
    if not handle.refs.get("owns_vpc"):
        return
    try:
        world.call("ec2", "detach_internet_gateway", "detaching an internet gateway", InternetGatewayId=handle.refs["igw"],
                   VpcId=handle.refs["vpc"])
        world.call("ec2", "delete_internet_gateway", "deleting an internet gateway", InternetGatewayId=handle.refs["igw"])
    except BackendError as exc:
        if not (exc.code.endswith(".NotFound") or exc.code == "Gateway.NotAttached"):
            raise
    try:
        world.call("ec2", "delete_vpc", "deleting a VPC", VpcId=handle.refs["vpc"])
    except BackendError as exc:
        if not exc.code.endswith(".NotFound"):
            raise


def create_subnet(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    pending = Handle("subnet", "", label)
    vpc = world_vpc(world, pending)
    taken = world.call("ec2", "describe_subnets", "listing subnets", Filters=[{"Name": "vpc-id", "Values": [vpc["vpc"]]}])
    used = {s["CidrBlock"] for s in taken.get("Subnets", ())}
    n = next(i for i in range(1, 256) if f"10.0.{i}.0/24" not in used)
    subnet = world.call("ec2", "create_subnet", "creating a subnet", VpcId=vpc["vpc"], CidrBlock=f"10.0.{n}.0/24",
                        TagSpecifications=world.tag_specifications("subnet", label))["Subnet"]["SubnetId"]
    handle = world.remember(Handle("subnet", subnet, label, refs={**pending.refs, **vpc}))
    table = world.call("ec2", "create_route_table", "creating a route table", VpcId=vpc["vpc"],
                       TagSpecifications=world.tag_specifications("route-table", label))["RouteTable"]["RouteTableId"]
    handle.refs["route table"] = table
    assoc = world.call("ec2", "associate_route_table", "associating a route table", RouteTableId=table, SubnetId=subnet)
    handle.refs["association"] = assoc["AssociationId"]
    if params.get("subnet type") == "public":
        world.call("ec2", "create_route", "routing a subnet to the internet gateway", RouteTableId=table,
                   DestinationCidrBlock=ANYWHERE, GatewayId=vpc["igw"])
    return handle


def _route_table(world: Boto3World, subnet: str) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_route_tables", "reading a subnet's route table",
                        Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])
    tables = answer.get("RouteTables", ())
    if tables:
        return tables[0]
    vpc = world.call("ec2", "describe_subnets", "describing a subnet", SubnetIds=[subnet])["Subnets"][0]["VpcId"]
    answer = world.call("ec2", "describe_route_tables", "reading a VPC's main route table",
                        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}])
    return (answer.get("RouteTables") or [{}])[0]


def _default_route(world: Boto3World, subnet: str) -> Mapping[str, Any]:
    for route in _route_table(world, subnet).get("Routes", ()):
        if route.get("DestinationCidrBlock") == ANYWHERE and route.get("State", "active") == "active":
            return route
    return {}


def _public(world: Boto3World, subnet: str) -> bool:
    return str(_default_route(world, subnet).get("GatewayId", "")).startswith("igw-")


def act_subnet(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    # "route": a route 0.0.0.0/0 to the NAT gateway (refused where the subnet already has a default route)
    world.call("ec2", "create_route", "routing a subnet to a NAT gateway", RouteTableId=_route_table(world, handle.id)["RouteTableId"],
               DestinationCidrBlock=ANYWHERE, NatGatewayId=target.id)
    return ()


def observe_subnet(world: Boto3World, handle: Handle, attribute: str) -> Any:
    subnet = world.call("ec2", "describe_subnets", "describing a subnet", SubnetIds=[handle.id])["Subnets"][0]
    if attribute == "subnet id":
        return subnet["SubnetId"]
    return "public" if _public(world, handle.id) else "private"  # subnet type


def subnet_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        world.call("ec2", "describe_subnets", "describing a subnet", SubnetIds=[handle.id])
    except BackendError as exc:
        if exc.code.endswith(".NotFound"):
            return False
        raise
    return True


def subnet_relations(world: Boto3World, handle: Handle) -> frozenset:
    nat = _default_route(world, handle.id).get("NatGatewayId")
    return frozenset({("routed to", world.known("nat gateway", nat))}) if nat else frozenset()


def delete_subnet(world: Boto3World, handle: Handle) -> None:
    try:
        if handle.refs.get("association"):
            world.call("ec2", "disassociate_route_table", "disassociating a route table", AssociationId=handle.refs["association"])
        if handle.refs.get("route table"):
            world.call("ec2", "delete_route_table", "deleting a route table", RouteTableId=handle.refs["route table"])
        world.call("ec2", "delete_subnet", "deleting a subnet", SubnetId=handle.id)
    except BackendError as exc:
        if not exc.code.endswith(".NotFound"):
            raise
    _delete_owned_vpc(world, handle)


def _nat(world: Boto3World, nat: str) -> Mapping[str, Any]:
    answer = world.call("ec2", "describe_nat_gateways", "describing a NAT gateway", NatGatewayIds=[nat])
    for g in answer.get("NatGateways", ()):
        return g
    raise BackendError("NatGatewayNotFound", f"NAT gateway {nat} was not found")


def create_nat(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    subnet = next((t for r, t in relations if r == "in"), None)
    if subnet is None:
        raise NotImplementedByBackend("a nat gateway in no subnet")
    eip = world.call("ec2", "allocate_address", "allocating an elastic ip for a NAT gateway", Domain="vpc",
                     TagSpecifications=world.tag_specifications("elastic-ip", label))["AllocationId"]
    try:
        answer = world.call("ec2", "create_nat_gateway", "creating a NAT gateway", SubnetId=subnet.id, AllocationId=eip,
                            TagSpecifications=world.tag_specifications("natgateway", label))["NatGateway"]
    except BackendError:
        world.call("ec2", "release_address", "releasing an elastic ip", AllocationId=eip)
        raise
    handle = world.remember(Handle("nat gateway", answer["NatGatewayId"], label, refs={"allocation": eip}))
    handle.creation_states = tuple(world.wait(handle, lambda: _nat(world, handle.id)["State"], {"pending"},
                                              [answer.get("State", "pending")]))
    return handle


def observe_nat(world: Boto3World, handle: Handle, attribute: str) -> Any:
    g = _nat(world, handle.id)
    return g["State"] if attribute == "state" else g["NatGatewayId"]


def nat_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        return _nat(world, handle.id)["State"] not in ("deleted", "deleting")
    except BackendError as exc:
        if "NotFound" in exc.code:
            return False
        raise


def nat_relations(world: Boto3World, handle: Handle) -> frozenset:
    return frozenset({("in", world.known("subnet", _nat(world, handle.id)["SubnetId"]))})


def delete_nat(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("ec2", "delete_nat_gateway", "deleting a NAT gateway", NatGatewayId=handle.id)
        world.wait(handle, lambda: _nat(world, handle.id)["State"], {"deleting", "available", "pending"})
    except BackendError as exc:
        if "NotFound" not in exc.code:
            raise
    try:
        world.call("ec2", "release_address", "releasing an elastic ip", AllocationId=handle.refs["allocation"])
    except BackendError as exc:
        if not exc.code.endswith(".NotFound"):
            raise


def create_group(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    pending = Handle("security group", "", label)
    vpc = world_vpc(world, pending)
    name = world.resource_name(label, max_length=255, allowed="A-Za-z0-9._-")
    answer = world.call("ec2", "create_security_group", "creating a security group", GroupName=name,
                        Description=f"scn {label}", VpcId=vpc["vpc"],
                        TagSpecifications=world.tag_specifications("security-group", label))
    return world.remember(Handle("security group", answer["GroupId"], label, refs={**pending.refs, **vpc}))


def observe_group(world: Boto3World, handle: Handle, attribute: str) -> Any:
    answer = world.call("ec2", "describe_security_groups", "describing a security group", GroupIds=[handle.id])
    return answer["SecurityGroups"][0]["GroupId"]


def group_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        world.call("ec2", "describe_security_groups", "describing a security group", GroupIds=[handle.id])
    except BackendError as exc:
        if exc.code.endswith(".NotFound"):
            return False
        raise
    return True


def delete_group(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("ec2", "delete_security_group", "deleting a security group", GroupId=handle.id)
    except BackendError as exc:
        if not exc.code.endswith(".NotFound"):
            raise
    _delete_owned_vpc(world, handle)


# ---------------------------------------------------------------- functions
def configuration(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("lambda", "get_function_configuration", "reading a function's configuration", FunctionName=handle.id)


def _wait_function(world: Boto3World, handle: Handle, seen: list[str]) -> list[str]:
    """Until its state is not pending, then until its last update is not in progress; the states seen."""
    seen = world.wait(handle, lambda: str(configuration(world, handle).get("State", "Active")).lower(), {"pending"}, seen)
    world.wait_until(lambda: configuration(world, handle).get("LastUpdateStatus", "Successful") != "InProgress",
                     handle, "updated")
    return seen


def _invoke_config(params: Mapping[str, Any]) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if "maximum retry attempts" in params:
        kw["MaximumRetryAttempts"] = int(params["maximum retry attempts"])
    if "maximum event age" in params:
        kw["MaximumEventAgeInSeconds"] = int(params["maximum event age"])
    return kw


def _configure(world: Boto3World, handle: Handle, params: Mapping[str, Any]) -> None:
    """What CreateFunction and UpdateFunctionConfiguration do not take: concurrency, the event invoke config."""
    if params.get("reserved concurrency") is not None:
        world.call("lambda", "put_function_concurrency", "reserving concurrency for a function", FunctionName=handle.id,
                   ReservedConcurrentExecutions=int(params["reserved concurrency"]))
    invoke = _invoke_config(params)
    if invoke:
        world.call("lambda", "put_function_event_invoke_config", "configuring asynchronous invocation",
                   FunctionName=handle.id, **invoke)


def create_function(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    if "run time" in params:
        raise NotImplementedByBackend("the run time of a lambda function (its code's duration)")
    role = next((t for r, t in relations if r == "configured with"), None) or default_role(world)
    subnets = [t.id for r, t in relations if r == "in" and t.kind == "subnet"]
    groups = [t.id for r, t in relations if r == "in" and t.kind == "security group"]
    name = world.resource_name(label, max_length=64, allowed="A-Za-z0-9_-")
    kw: dict[str, Any] = {"FunctionName": name, "Runtime": RUNTIME, "Role": role.refs["arn"], "Handler": HANDLER,
                          "Code": {"ZipFile": _code()}, "Tags": world.tag_map(label)}
    if "timeout" in params:
        kw["Timeout"] = int(params["timeout"])
    if "memory" in params:
        kw["MemorySize"] = int(params["memory"]) // MB
    if "active tracing" in params:
        kw["TracingConfig"] = {"Mode": "Active" if params["active tracing"] else "PassThrough"}
    if subnets or groups:
        kw["VpcConfig"] = {"SubnetIds": subnets, "SecurityGroupIds": groups}
    answer = _create_function_call(world, role, kw)
    handle = world.remember(Handle("lambda function", name, label, refs={"arn": answer["FunctionArn"]}))
    try:
        _configure(world, handle, params)
    except BaseException:  # CreateFunction with this configuration would have been refused as a whole
        delete_function(world, handle)
        handle.released = True
        raise
    handle.creation_states = tuple(_wait_function(world, handle, [str(answer.get("State", "Pending")).lower()]))
    return handle


def _create_function_call(world: Boto3World, role: Handle, kw: Mapping[str, Any]) -> Mapping[str, Any]:
    """CreateFunction; a role created moments ago may not be assumable yet on AWS (IAM is eventually consistent):
    retried for a while when the role does trust Lambda."""
    o = world.options
    deadline = o.clock() + min(o.timeout, 30.0)
    while True:
        try:
            return world.call("lambda", "create_function", "creating a lambda function", **kw)
        except BackendError as exc:
            if (exc.code != "InvalidParameterValueException" or "assume" not in str(exc).lower()
                    or o.clock() >= deadline or observe_role(world, role, "trusted service") != LAMBDA_PRINCIPAL):
                raise
            o.sleep(max(o.poll, 2.0))


def act_function(world: Boto3World, handle: Handle, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
    if action == "delete":
        world.call("lambda", "delete_function", "deleting a lambda function", FunctionName=handle.id)
        handle.released = True
        return ()
    if action == "register":
        raise NotImplementedByBackend("registering a lambda function with a target group")
    # update
    if "run time" in params:
        raise NotImplementedByBackend("the run time of a lambda function (its code's duration)")
    kw: dict[str, Any] = {}
    if "timeout" in params:
        kw["Timeout"] = int(params["timeout"])
    if "memory" in params:
        kw["MemorySize"] = int(params["memory"]) // MB
    if "active tracing" in params:
        kw["TracingConfig"] = {"Mode": "Active" if params["active tracing"] else "PassThrough"}
    if kw:
        world.call("lambda", "update_function_configuration", "updating a lambda function", FunctionName=handle.id, **kw)
        _wait_function(world, handle, [])
    _configure(world, handle, params)
    return ()


def _vpc_config(config: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    vpc = config.get("VpcConfig") or {}
    return list(vpc.get("SubnetIds") or ()), list(vpc.get("SecurityGroupIds") or ())


def _internet(world: Boto3World, subnets: list[str]) -> bool:
    """Outside a VPC, or every subnet routed to a NAT gateway that sits in a public subnet."""
    if not subnets:
        return True
    for subnet in subnets:
        nat = _default_route(world, subnet).get("NatGatewayId")
        if not nat:
            return False
        g = _nat(world, nat)
        if g.get("State") != "available" or not _public(world, g["SubnetId"]):
            return False
    return True


def observe_function(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "reserved concurrency":
        answer = world.call("lambda", "get_function_concurrency", "reading a function's concurrency", FunctionName=handle.id)
        return answer.get("ReservedConcurrentExecutions")
    if attribute in ("maximum retry attempts", "maximum event age"):
        try:
            answer = world.call("lambda", "get_function_event_invoke_config", "reading asynchronous invocation settings",
                                FunctionName=handle.id)
        except BackendError as exc:
            if not _code_of(exc, "ResourceNotFoundException"):
                raise
            answer = {}
        if attribute == "maximum retry attempts":
            return answer.get("MaximumRetryAttempts", DEFAULT_RETRIES)
        return answer.get("MaximumEventAgeInSeconds", DEFAULT_EVENT_AGE)
    config = configuration(world, handle)
    if attribute == "state":
        return str(config.get("State", "Active")).lower()
    if attribute == "timeout":
        return config["Timeout"]
    if attribute == "memory":
        return config["MemorySize"] * MB
    if attribute == "active tracing":
        return (config.get("TracingConfig") or {}).get("Mode") == "Active"
    if attribute == "arn":
        return config["FunctionArn"]
    if attribute == "role arn":
        return config["Role"]
    subnets, groups = _vpc_config(config)
    if attribute == "vpc access":
        return bool(subnets and groups)
    if attribute == "internet access":
        return _internet(world, subnets)
    raise NotImplementedByBackend(f"the {attribute} of a lambda function")


def function_exists(world: Boto3World, handle: Handle) -> bool:
    return answers(lambda: world.call("lambda", "get_function", "reading a lambda function", FunctionName=handle.id),
                   ("ResourceNotFoundException",))


def function_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        config = configuration(world, handle)
    except BackendError as exc:
        if _code_of(exc, "ResourceNotFoundException"):
            return frozenset()
        raise
    rels: set = set()
    for role in _mine(world, "execution role"):
        if role.refs.get("arn") == config.get("Role") and not role.refs.get("default"):
            rels.add(("configured with", role))
    subnets, groups = _vpc_config(config)
    rels |= {("in", world.known("subnet", s)) for s in subnets}
    rels |= {("in", world.known("security group", g)) for g in groups}
    return frozenset(rels)


def delete_function(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("lambda", "delete_function", "deleting a lambda function", FunctionName=handle.id)
    except BackendError as exc:
        if not _code_of(exc, "ResourceNotFoundException"):
            raise


# ---------------------------------------------------------------- sqs queues
def _queue_attributes(world: Boto3World, handle: Handle, *names: str) -> Mapping[str, str]:
    return world.call("sqs", "get_queue_attributes", "reading a queue's attributes", QueueUrl=handle.refs["url"],
                      AttributeNames=list(names))["Attributes"]


def create_queue(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    name = world.resource_name(label, max_length=80, allowed="A-Za-z0-9_-")
    url = world.call("sqs", "create_queue", "creating an sqs queue", QueueName=name, tags=world.tag_map(label))["QueueUrl"]
    handle = world.remember(Handle("sqs queue", name, label, refs={"url": url}))
    handle.refs["arn"] = _queue_attributes(world, handle, "QueueArn")["QueueArn"]
    count = int(params.get("message count", 0) or 0)
    for start in range(0, count, 10):
        entries = [{"Id": str(i), "MessageBody": f"message {i}"} for i in range(start, min(count, start + 10))]
        world.call("sqs", "send_message_batch", "sending messages to a queue", QueueUrl=url, Entries=entries)
    for rel, fn in relations:  # "of": the dead-letter queue of a function
        world.call("lambda", "update_function_configuration", "giving a function a dead-letter queue",
                   FunctionName=fn.id, DeadLetterConfig={"TargetArn": handle.refs["arn"]})
        _wait_function(world, fn, [])
    return handle


def observe_queue(world: Boto3World, handle: Handle, attribute: str) -> Any:
    if attribute == "message count":
        return int(_queue_attributes(world, handle, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"])
    return _queue_attributes(world, handle, "QueueArn")["QueueArn"]


def queue_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        world.call("sqs", "get_queue_url", "looking a queue up", QueueName=handle.id)
    except BackendError as exc:
        if "NonExistentQueue" in exc.code or "QueueDoesNotExist" in exc.code:
            return False
        raise
    return True


def queue_relations(world: Boto3World, handle: Handle) -> frozenset:
    arn = handle.refs.get("arn")
    rels = set()
    for fn in _mine(world, "lambda function"):
        try:
            config = configuration(world, fn)
        except BackendError as exc:
            if _code_of(exc, "ResourceNotFoundException"):
                continue
            raise
        if (config.get("DeadLetterConfig") or {}).get("TargetArn") == arn:
            rels.add(("of", fn))
    return frozenset(rels)


def delete_queue(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("sqs", "delete_queue", "deleting an sqs queue", QueueUrl=handle.refs["url"])
    except BackendError as exc:
        if not ("NonExistentQueue" in exc.code or "QueueDoesNotExist" in exc.code):
            raise


def find_queues(world: Boto3World, tags: Mapping[str, str | None]) -> Sequence[Handle]:
    """SQS queues carrying ``tags`` (for ``scn sweep``): ListQueues and ListQueueTags (the handle needs the URL)."""
    found = []
    for url in world.call("sqs", "list_queues", "listing sqs queues").get("QueueUrls", ()):
        try:
            have = dict(world.call("sqs", "list_queue_tags", "reading a queue's tags", QueueUrl=url).get("Tags") or {})
        except BackendError as exc:
            if "NonExistentQueue" in exc.code or "QueueDoesNotExist" in exc.code:
                continue
            raise
        if carries(have, tags):
            name = url.rstrip("/").rsplit("/", 1)[-1]
            found.append(Handle("sqs queue", name, name, refs={"url": url, "tags": have}))
    return found


# ---------------------------------------------------------------- event source mappings
def _source_arn(world: Boto3World, source: Handle) -> str:
    """The ARN of the stream or queue a mapping reads, asked of its service."""
    if source.id.startswith("arn:"):
        return source.id
    for key in ("arn", "stream arn", "latest stream arn"):
        if str(source.refs.get(key, "")).startswith("arn:"):
            return source.refs[key]
    if source.kind == "kinesis stream":
        answer = world.call("kinesis", "describe_stream_summary", "reading a stream's ARN",
                            StreamName=source.refs.get("name", source.id))
        return answer["StreamDescriptionSummary"]["StreamARN"]
    if source.kind == "dynamodb stream":
        table = source.refs.get("table")
        if table:
            answer = world.call("dynamodb", "describe_table", "reading a table's stream",
                                TableName=getattr(table, "id", table))
            return answer["Table"]["LatestStreamArn"]
    raise NotImplementedByBackend(f"an event source mapping from {source.kind} {source.label}")


def _service_of(arn: str) -> str:
    return arn.split(":")[2] if arn.count(":") >= 5 else ""


def _mapping(world: Boto3World, handle: Handle) -> Mapping[str, Any]:
    return world.call("lambda", "get_event_source_mapping", "reading an event source mapping", UUID=handle.id)


def create_mapping(world: Boto3World, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Handle:
    fn = next((t for r, t in relations if r == "to"), None)
    source = next((t for r, t in relations if r == "from"), None)
    if fn is None:
        raise NotImplementedByBackend("an event source mapping to no function")
    if source is None:
        raise NotImplementedByBackend("an event source mapping from no stream or queue (a backlog of records)")
    if "records" in params:
        raise NotImplementedByBackend("the records of an event source mapping (a backlog of records)")
    arn = _source_arn(world, source)
    if "source" in params and params["source"] != _service_of(arn):
        raise NotImplementedByBackend(f"an event source mapping whose source ({params['source']}) is not its stream's or queue's")
    kw: dict[str, Any] = {"FunctionName": fn.id, "EventSourceArn": arn}
    if "batch size" in params:
        kw["BatchSize"] = int(params["batch size"])
    if "starting position" in params:
        kw["StartingPosition"] = STARTING_POSITIONS[str(params["starting position"])]
    answer = world.call("lambda", "create_event_source_mapping", "creating an event source mapping", **kw)
    handle = world.remember(Handle("event source mapping", answer["UUID"], label, refs={"source": source, "arn": arn}))
    handle.creation_states = tuple(world.wait(handle, lambda: str(_mapping(world, handle)["State"]).lower(),
                                              {"creating", "enabling", "updating"},
                                              [str(answer.get("State", "Creating")).lower()]))
    return handle


def observe_mapping(world: Boto3World, handle: Handle, attribute: str) -> Any:
    m = _mapping(world, handle)
    if attribute == "state":
        return str(m["State"]).lower()
    if attribute == "source":
        return _service_of(m["EventSourceArn"])
    if attribute == "batch size":
        return m.get("BatchSize")
    if attribute == "starting position":
        pos = m.get("StartingPosition")
        return None if pos is None else {v: k for k, v in STARTING_POSITIONS.items()}.get(pos, pos)
    raise NotImplementedByBackend(f"the {attribute} of an event source mapping")


def mapping_exists(world: Boto3World, handle: Handle) -> bool:
    try:
        return str(_mapping(world, handle)["State"]).lower() != "deleting"
    except BackendError as exc:
        if _code_of(exc, "ResourceNotFoundException"):
            return False
        raise


def mapping_relations(world: Boto3World, handle: Handle) -> frozenset:
    try:
        m = _mapping(world, handle)
    except BackendError as exc:
        if _code_of(exc, "ResourceNotFoundException"):
            return frozenset()
        raise
    rels = set()
    fn_name = str(m.get("FunctionArn", "")).split(":function:")[-1].split(":")[0]
    rels.add(("to", world.known("lambda function", fn_name)))
    source = handle.refs.get("source")
    if source is not None and m.get("EventSourceArn") == handle.refs.get("arn"):
        rels.add(("from", source))
    return frozenset(rels)


def delete_mapping(world: Boto3World, handle: Handle) -> None:
    try:
        world.call("lambda", "delete_event_source_mapping", "deleting an event source mapping", UUID=handle.id)
        world.wait_until(lambda: not mapping_exists(world, handle), handle, "deleted")
    except BackendError as exc:
        if not _code_of(exc, "ResourceNotFoundException"):
            raise


# ---------------------------------------------------------------- the service
FUNCTION = KindMap(
    "lambda function",
    attributes={"state", "timeout", "memory", "reserved concurrency", "maximum retry attempts", "maximum event age",
                "active tracing", "arn", "role arn", "vpc access", "internet access"},
    actions={"create", "update", "delete"},
    relations={"configured with", "in"},
    params={"timeout", "memory", "reserved concurrency", "maximum retry attempts", "maximum event age", "active tracing",
            "run time"},
    action_params={"update": frozenset({"timeout", "memory", "reserved concurrency", "maximum retry attempts",
                                        "maximum event age", "active tracing", "run time"})},
    create=create_function, act=act_function, observe=observe_function, exists=function_exists,
    relations_of=function_relations, delete=delete_function, cost="cheap",
)

ROLE = KindMap(
    "execution role",
    attributes={"trusted service", "xray permissions", "vpc permissions", "arn"},
    actions={"create"},
    params={"trusted service", "xray permissions", "vpc permissions"},
    create=create_role, observe=observe_role, exists=role_exists, delete=delete_role, cost="free",
)

SUBNET = KindMap(
    "subnet",
    attributes={"subnet type", "subnet id"},
    actions={"create", "route"},
    relations={"routed to"},
    params={"subnet type"},
    create=create_subnet, act=act_subnet, observe=observe_subnet, exists=subnet_exists, relations_of=subnet_relations,
    delete=delete_subnet, cost="free", resource_type="subnet",
)

NAT_GATEWAY = KindMap(
    "nat gateway",
    attributes={"state", "nat gateway id"},
    actions={"create"},
    relations={"in"},
    create=create_nat, observe=observe_nat, exists=nat_exists, relations_of=nat_relations, delete=delete_nat,
    cost="expensive", resource_type="natgateway",
)

SECURITY_GROUP = KindMap(
    "security group",
    attributes={"group id"},
    actions={"create"},
    create=create_group, observe=observe_group, exists=group_exists, delete=delete_group, cost="free",
    resource_type="security-group",
)

SQS_QUEUE = KindMap(
    "sqs queue",
    attributes={"message count", "queue arn"},
    actions={"create"},
    relations={"of"},
    params={"message count"},
    create=create_queue, observe=observe_queue, exists=queue_exists, relations_of=queue_relations,
    delete=delete_queue, find_tagged=find_queues, cost="cheap",
)

EVENT_SOURCE_MAPPING = KindMap(
    "event source mapping",
    attributes={"state", "source", "batch size", "starting position"},
    actions={"create"},
    relations={"to", "from"},
    params={"source", "batch size", "starting position", "records"},
    create=create_mapping, observe=observe_mapping, exists=mapping_exists, relations_of=mapping_relations,
    delete=delete_mapping, cost="free",
)

SERVICE = Service(
    capability="lambda",
    clients=("lambda", "iam", "ec2", "sqs"),
    kinds=(FUNCTION, ROLE, SUBNET, NAT_GATEWAY, SECURITY_GROUP, SQS_QUEUE, EVENT_SOURCE_MAPPING),
    why={
        "lambda function.run time": "how long a function's code runs is the code's, not a setting of the API",
        "lambda function.broken": "an injected fault in a function's code has no API call",
        "lambda function.concurrent executions": "needs invocations (lambda-invoke)",
        "event source mapping.records": "a backlog of records without a stream or queue has no API",
        "event source mapping.polled": "a constant of the kind, not a field of the API",
        "event source mapping.invocation type": "a constant of the kind, not a field of the API",
    },
    moto_backends=("iam",),
    recorded_settings={"lambda concurrency limit"},
    description="AWS Lambda functions, their execution roles, VPC configuration, SQS queues and event source mappings",
)
