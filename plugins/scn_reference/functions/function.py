"""Lambda functions and their execution roles: configuration, its checks, creation; the bottom of the package."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError

from ..model import Resource
from ..region import ACCOUNT, REGION
from .kinds import (
    EVENT_AGE_DEFAULT,
    EVENT_AGE_MAX,
    EVENT_AGE_MIN,
    LAMBDA_PRINCIPAL,
    MB,
    MEMORY_DEFAULT,
    MEMORY_MAX,
    MEMORY_MIN,
    RETRIES_DEFAULT,
    RETRIES_MAX,
    RUN_TIME_DEFAULT,
    TIMEOUT_DEFAULT,
    TIMEOUT_MAX,
    TIMEOUT_MIN,
    UNRESERVED_MINIMUM,
)


# ---------------------------------------------------------------- resources
class Role(Resource):
    kind = "execution role"

    def __init__(self, id, label, trusted, xray, vpc, implicit=False):
        super().__init__(id, label)
        self.trusted = trusted
        self.xray = xray
        self.vpc = vpc
        self.implicit = implicit
        self.arn = f"arn:aws:iam::{ACCOUNT}:role/{id}"

    ATTRIBUTES = {
        "trusted service": lambda w, r: r.trusted,
        "xray permissions": lambda w, r: r.xray,
        "vpc permissions": lambda w, r: r.vpc,
        "arn": lambda w, r: r.arn,
    }


class Function(Resource):
    kind = "lambda function"

    def __init__(self, id, label, config, role, subnets, groups):
        super().__init__(id, label)
        self.config = config  # attribute name → value, in base units
        self.role = role
        self.subnets = subnets
        self.groups = groups
        self.broken = False
        self.deleted = False
        self.registered = None  # the target group it is registered with
        self.name = label.split('"')[1] if '"' in label else id
        self.arn = f"arn:aws:lambda:{config['region']}:{config['account']}:function:{self.name}"
        self.throttles = 0  # throttled attempts: the Throttles metric
        self.concurrency = None  # its attempts that may still be running (invocations.Running), from its first attempt

    def __getitem__(self, name):
        return self.config[name]

    CREATION = ("pending",)

    def relations(self, world) -> frozenset:
        rels = {("configured with", self.role)} if not self.role.implicit else set()
        rels |= {("in", s) for s in self.subnets} | {("in", g) for g in self.groups}
        if self.registered is not None:
            rels.add(("registered with", self.registered))
        return frozenset(rels)

    def act(self, world, action: str, target: Any, params: Mapping[str, Any]) -> Sequence[str]:
        if self.deleted:
            raise BackendError("ResourceNotFoundException", f"Function not found: {self.arn}")
        if action == "update":
            config = dict(self.config, **params)
            if self.role.implicit and config["active tracing"]:  # as the console adds X-Ray permissions to its own role
                self.role.xray = True
            check_config(world, config, self.role, self.subnets, self.groups, self)
            self.config = config
            return ()
        if action == "delete":
            self.deleted = True
            return ()
        if action in ("break", "repair"):
            self.broken = action == "break"
            return ()
        actor = world.actors.get((self.kind, action))
        if actor is None:  # pragma: no cover - every action of the kind has a handler
            return super().act(world, action, target, params)
        return actor(world, self, target, params)

    def observe(self, world, attribute: str) -> Any:
        if attribute in self.config:
            return self.config[attribute]
        return super().observe(world, attribute)

    ATTRIBUTES = {
        "state": lambda w, f: "active",
        "arn": lambda w, f: f.arn,
        "role arn": lambda w, f: f.role.arn,
        "broken": lambda w, f: f.broken,
    }


# ---------------------------------------------------------------- configuration
def constraint(value, name: str, low, high, unit="") -> None:
    """AWS's constraint check: ValidationException with its own message."""
    if value < low:
        raise BackendError("ValidationException", f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                                                  f"constraint: Member must have value greater than or equal to {low}{unit}")
    if value > high:
        raise BackendError("ValidationException", f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                                                  f"constraint: Member must have value less than or equal to {high}{unit}")


def check_config(world, config, role, subnets, groups, function=None) -> None:
    constraint(config["timeout"], "timeout", TIMEOUT_MIN, TIMEOUT_MAX)
    constraint(config["memory"] // MB, "memorySize", MEMORY_MIN // MB, MEMORY_MAX // MB)
    constraint(config["maximum retry attempts"], "maximumRetryAttempts", 0, RETRIES_MAX)
    constraint(config["maximum event age"], "maximumEventAgeInSeconds", EVENT_AGE_MIN, EVENT_AGE_MAX)
    if config["run time"] < 0:
        raise BackendError("ReferenceModel.InvalidRunTime", "A run time is not negative.")
    if role.trusted != LAMBDA_PRINCIPAL:
        raise BackendError("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
    if config["active tracing"] and not role.xray:
        raise BackendError("InvalidParameterValueException",
                           "The provided execution role does not have permissions to call PutTraceSegments on XRAY")
    if subnets and not groups or groups and not subnets:
        raise BackendError("InvalidParameterValueException",
                           "A VPC configuration needs both subnet ids and security group ids.")
    if subnets and not role.vpc:
        raise BackendError("InvalidParameterValueException",
                           "The provided execution role does not have permissions to call CreateNetworkInterface on EC2")
    reserved = config["reserved concurrency"]
    if reserved is not None:
        if reserved < 0:
            constraint(reserved, "reservedConcurrentExecutions", 0, reserved)
        others = sum(f["reserved concurrency"] or 0 for f in functions(world) if f is not function)
        left = world.settings["lambda concurrency limit"] - others - reserved
        if left < UNRESERVED_MINIMUM:
            raise BackendError("InvalidParameterValueException",
                               f"Specified ReservedConcurrentExecutions for function decreases account's "
                               f"UnreservedConcurrentExecution below its minimum value of [{UNRESERVED_MINIMUM}].")


def create_function(world, label: str, params: Mapping[str, Any], relations: Sequence[tuple[str, Any]]) -> Function:
    config = {
        "timeout": TIMEOUT_DEFAULT, "memory": MEMORY_DEFAULT, "run time": RUN_TIME_DEFAULT,
        "reserved concurrency": None, "maximum retry attempts": RETRIES_DEFAULT,
        "maximum event age": EVENT_AGE_DEFAULT, "active tracing": False, "region": REGION, "account": ACCOUNT,
    }
    config.update(params)
    role = next((t for r, t in relations if r == "configured with"), None)
    subnets = [t for r, t in relations if r == "in" and t.kind == "subnet"]
    groups = [t for r, t in relations if r == "in" and t.kind == "security group"]
    if role is None:  # the console's "Create a new role with basic Lambda permissions", plus what the configuration needs
        role = Role(world.new_id("role"), "execution role", LAMBDA_PRINCIPAL, bool(config["active tracing"]), bool(subnets),
                    implicit=True)
    check_config(world, config, role, subnets, groups)
    return Function(world.new_id("fn"), label, config, role, subnets, groups)


def create_role(world, label: str, params: Mapping[str, Any], relations) -> Role:
    return Role(world.new_id("role"), label, params.get("trusted service", LAMBDA_PRINCIPAL),
                bool(params.get("xray permissions", False)), bool(params.get("vpc permissions", False)))


def functions(world) -> list[Function]:
    """The functions that exist (read once per invocation: from the world's index, not a copy of it)."""
    return [f for f in world.of_kind_view("lambda function") if not f.deleted]


def install(world) -> None:
    world.creators["lambda function"] = create_function
    world.creators["execution role"] = create_role
