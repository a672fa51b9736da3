"""AWS Lambda: functions, their execution roles, invocations, concurrency and charges.

Sources: ../shared/seed/aws-architecture-notes.md, "AWS Lambda" (all its subsections);
AWS Lambda developer guide where the notes are silent: "Configure Lambda function
timeout" (1 to 900 seconds, 3 by default), "Configure Lambda function memory" (128 MB
to 10,240 MB, 128 MB by default), "Lambda quotas" (1,000 concurrent executions per
Region by default, raisable), "Configuring reserved concurrency" (a reservation may
not leave less than 100 unreserved; 0 stops every invocation), "Lambda execution
role" (trusted by lambda.amazonaws.com), "Asynchronous invocation" (two retries after
a function error, one minute then two minutes apart; throttled events retried for up
to the maximum event age, 6 hours by default; a dead-letter queue receives what fails
every attempt or expires; reserved concurrency 0 sends new events straight to it),
"Using AWS X-Ray" (active tracing needs xray:PutTraceSegments and
xray:PutTelemetryRecords in the execution role); AWS Lambda pricing page (requests
and GB-seconds); the Lambda API reference (CreateFunction, Invoke,
PutFunctionConcurrency, PutFunctionEventInvokeConfig error codes).

Error codes: a value outside an API constraint (timeout 901, memory 127 MB, retry
attempts 3, event age 59 s) is ``ValidationException`` ("1 validation error detected:
Value '901' at 'timeout' failed to satisfy constraint: Member must have value less
than or equal to 900", AWS's own message); a role Lambda cannot assume, a role
without the permissions a setting needs, a VPC configuration without security
groups, a reservation that leaves less than 100 unreserved are
``InvalidParameterValueException``; a throttled synchronous invocation is
``TooManyRequestsException`` (HTTP 429, reason ConcurrentInvocationLimitExceeded or
ReservedFunctionConcurrentInvocationLimitExceeded).

Decisions of the model:

- Time: an invocation made by a spec (`when an invocation "i" of "fn" is made with
  run time 10 seconds`) runs on the virtual clock: it is running until its run time
  (or the timeout) has passed (`when 10 seconds pass`). Its outcome is fixed when an
  attempt starts: failed if the function is broken (an injected fault), timed-out if
  its run time is longer than the timeout (Lambda stops it at the timeout and bills
  the timeout), completed otherwise.
- Charges: each attempt that starts is a request; duration is what ran, from start
  until it returned or was stopped, rounded up to 1 ms, times the memory (GB-seconds).
  Illustrative us-east-1 x86 list prices: $0.20 per million requests and
  $0.0000166667 per GB-second; the free tier is not modelled. An invocation may be
  given the INIT phase of a cold start (`with init duration 0.5 seconds`): it runs
  before the code, outside the timeout; the notes bill only the code's run, AWS bills
  the INIT phase too since 1 August 2025 (AWS Compute Blog, "AWS Lambda standardizes
  billing for INIT Phase"): the setting `lambda init billing` switches to AWS today.
- A function created without an execution role gets one with the permissions its
  configuration needs (as the console's "Create a new role with basic Lambda
  permissions" does); a role given explicitly has only the permissions a spec gives it.
- A spec invocation is synchronous unless it is `asynchronous`; services invoke as the
  developer guide's "Invoking Lambda with events from other AWS services" lists
  (functions_events).

Other parts: functions_invocations (invocations, concurrency, retries, charges and
metrics), functions_network (subnets, NAT gateways, security groups; VPC and
Internet access), functions_events (triggers, event source mappings, SQS queues and
dead-letter queues, CloudWatch metrics), functions_edge (ALB target groups and
requests, Lambda@Edge and CloudFront).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from scenario.errors import BackendError
from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

from .model import Resource

# ---------------------------------------------------------------- limits and defaults
TIMEOUT_DEFAULT, TIMEOUT_MIN, TIMEOUT_MAX = 3, 1, 900  # seconds
MB = 1024 * 1024
MEMORY_DEFAULT, MEMORY_MIN, MEMORY_MAX = 128 * MB, 128 * MB, 10240 * MB
CONCURRENCY_LIMIT = 1000  # per account and Region, a soft limit
UNRESERVED_MINIMUM = 100  # what reservations must leave to the other functions
RETRIES_DEFAULT, RETRIES_MAX = 2, 2
EVENT_AGE_DEFAULT, EVENT_AGE_MIN, EVENT_AGE_MAX = 21600, 60, 21600  # seconds
RETRY_WAITS = (60, 120)  # after a function error: one minute, then two
THROTTLE_BACKOFF_FIRST, THROTTLE_BACKOFF_MAX = 1, 300  # seconds, doubling
RUN_TIME_DEFAULT = 1  # seconds the code runs when a spec does not say
REGION, ACCOUNT = "us-east-1", "123456789012"
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"

# ---------------------------------------------------------------- prices (illustrative, us-east-1, x86)
PRICE_PER_REQUEST = 0.20 / 1_000_000
PRICE_PER_GB_SECOND = 0.0000166667

SYNCHRONOUS, ASYNCHRONOUS = "synchronous", "asynchronous"

LAMBDA_FUNCTION = Kind(
    name="lambda function",
    aliases=("function",),
    capability="lambda",
    description="an AWS Lambda function: code Lambda runs on events, with its timeout, memory and execution role",
    states=(State("pending", stable=False), State("active")),
    attributes=(
        Attribute("state", "text", description="pending while it is created, then active"),
        Attribute("timeout", "quantity", dimension="duration", settable=True,
                  description="how long an invocation may run before Lambda stops it: 1 to 900 seconds, 3 by default"),
        Attribute("memory", "quantity", dimension="size", settable=True, aliases=("memory size",),
                  description="the memory allocated to it: 128 MB (the default) to 10,240 MB"),
        Attribute("run time", "quantity", dimension="duration", settable=True, integer=False,
                  description="how long its code runs when a service invokes it (1 second unless given)"),
        Attribute("reserved concurrency", "number", settable=True, aliases=("reserved concurrent executions",),
                  description="concurrency reserved for it (none by default); 0 stops every invocation"),
        Attribute("maximum retry attempts", "number", settable=True, aliases=("retry attempts",),
                  description="retries of an asynchronous event after a function error: 0 to 2, 2 by default"),
        Attribute("maximum event age", "quantity", dimension="duration", settable=True, aliases=("event age",),
                  description="how long an asynchronous event may wait: 60 seconds to 6 hours, 6 hours by default"),
        Attribute("active tracing", "boolean", settable=True, aliases=("xray tracing",),
                  description="AWS X-Ray active tracing; needs X-Ray write permissions in the execution role"),
        Attribute("region", "text", settable=True, description="its AWS Region (us-east-1 unless given)"),
        Attribute("account", "text", settable=True, description="its AWS account (123456789012 unless given)"),
        Attribute("arn", "text", aliases=("function arn",)),
        Attribute("role arn", "text", aliases=("execution role arn",), description="the ARN of its execution role"),
        Attribute("broken", "boolean", description="an injected fault: every attempt that starts returns a function error"),
        Attribute("concurrent executions", "number", aliases=("concurrency",),
                  description="its invocations running now"),
        Attribute("vpc access", "boolean",
                  description="it is connected to a VPC (subnets and security groups given) and reaches resources inside it"),
        Attribute("internet access", "boolean",
                  description="it reaches the Internet: outside a VPC, or from private subnets routed to a NAT gateway in a public subnet"),
        Attribute("request count", "number", capability="billing", aliases=("billed requests",),
                  description="requests charged: each attempt that started"),
        Attribute("billed duration", "quantity", dimension="duration", integer=False, capability="billing",
                  description="the duration charged over all its finished attempts, each rounded up to 1 ms"),
        Attribute("gb-seconds", "number", integer=False, capability="billing", aliases=("compute",),
                  description="billed duration times memory, in GB-seconds"),
        Attribute("request charge", "number", integer=False, capability="billing",
                  description="USD charged for its requests (illustrative list price)"),
        Attribute("duration charge", "number", integer=False, capability="billing",
                  description="USD charged for its GB-seconds (illustrative list price)"),
        Attribute("charge", "number", integer=False, capability="billing", aliases=("cost",),
                  description="USD charged in all: requests and duration"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active",
               description="CreateFunction"),
        Action("update", "updated", from_states=("active",),
               params=("timeout", "memory", "run time", "reserved concurrency", "maximum retry attempts",
                       "maximum event age", "active tracing"),
               description="UpdateFunctionConfiguration, PutFunctionConcurrency, PutFunctionEventInvokeConfig"),
        Action("delete", "deleted", deletes=True, description="DeleteFunction"),
        Action("break", "broken", from_states=("active",), capability="faults",
               description="an injected fault: its code returns an error from now on"),
        Action("repair", "repaired", from_states=("active",), capability="faults",
               description="ends an injected fault"),
        Action("register", "registered", target="target group", preposition="with", target_required=True,
               description="RegisterTargets: registered as the target of a target group of type lambda"),
    ),
    relations=(
        Relation("configured", "with", "execution role", description="its execution role, given at creation"),
        Relation("", "in", "subnet", description="a subnet of its VPC configuration"),
        Relation("", "in", "security group", description="a security group of its VPC configuration"),
        Relation("registered", "with", "target group", make="register",
                 description="the target group of type lambda it is registered with"),
    ),
)

EXECUTION_ROLE = Kind(
    name="execution role",
    aliases=("iam role", "role"),
    capability="lambda",
    description="the IAM role a Lambda function assumes when it runs",
    attributes=(
        Attribute("trusted service", "text", settable=True, aliases=("principal", "trusted principal"),
                  description="the service principal its trust policy lets assume it: lambda.amazonaws.com unless given"),
        Attribute("xray permissions", "boolean", settable=True, aliases=("xray write access",),
                  description="xray:PutTraceSegments and xray:PutTelemetryRecords (AWSXRayDaemonWriteAccess)"),
        Attribute("vpc permissions", "boolean", settable=True,
                  description="ec2:CreateNetworkInterface and its kin (AWSLambdaVPCAccessExecutionRole)"),
        Attribute("arn", "text", aliases=("role arn",)),
    ),
    actions=(Action("create", "created", creates=True),),
)

INIT_BILLING_SETTING = Setting(
    "lambda init billing", type="boolean", default=False, capability="billing",
    description="the INIT phase is billed as duration (AWS since 1 August 2025); false: only the code's run, as the notes say",
)

CONCURRENCY_SETTING = Setting(
    "lambda concurrency limit", default=CONCURRENCY_LIMIT, aliases=("lambda concurrent executions limit",),
    description="concurrent executions per account and Region: 1,000 by default (a soft limit; new accounts may start lower)",
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
def _constraint(value, name: str, low, high, unit="") -> None:
    """AWS's constraint check: ValidationException with its own message."""
    if value < low:
        raise BackendError("ValidationException", f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                                                  f"constraint: Member must have value greater than or equal to {low}{unit}")
    if value > high:
        raise BackendError("ValidationException", f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                                                  f"constraint: Member must have value less than or equal to {high}{unit}")


def check_config(world, config, role, subnets, groups, function=None) -> None:
    _constraint(config["timeout"], "timeout", TIMEOUT_MIN, TIMEOUT_MAX)
    _constraint(config["memory"] // MB, "memorySize", MEMORY_MIN // MB, MEMORY_MAX // MB)
    _constraint(config["maximum retry attempts"], "maximumRetryAttempts", 0, RETRIES_MAX)
    _constraint(config["maximum event age"], "maximumEventAgeInSeconds", EVENT_AGE_MIN, EVENT_AGE_MAX)
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
            _constraint(reserved, "reservedConcurrentExecutions", 0, reserved)
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
    return [f for f in world.of_kind("lambda function") if not f.deleted]


# ---------------------------------------------------------------- the parts it gathers
from . import functions_invocations  # noqa: E402  (the sub-modules import the names above)
from . import functions_edge, functions_events, functions_network  # noqa: E402
from .functions_invocations import invoke, metric, running  # noqa: E402,F401  (used by the other sub-modules)

PARTS = (functions_invocations, functions_network, functions_events, functions_edge)

VOCABULARY = (LAMBDA_FUNCTION, EXECUTION_ROLE, CONCURRENCY_SETTING, INIT_BILLING_SETTING) + tuple(
    item for part in PARTS for item in part.VOCABULARY)


def install(world) -> None:
    world.creators["lambda function"] = create_function
    world.creators["execution role"] = create_role
    for part in PARTS:
        part.install(world)
