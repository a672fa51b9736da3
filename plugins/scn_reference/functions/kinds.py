"""The words of AWS Lambda in the reference model: kinds, settings, and the limits, defaults and prices they state.

Functions and execution roles (behaviour: :mod:`.function`); invocations (:mod:`.invocations`);
subnets, NAT gateways and security groups (:mod:`.network`); triggers, event source mappings,
SQS queues and metrics (:mod:`.events`); load balancers, target groups, requests, CloudFront
and Lambda@Edge (:mod:`.edge`).
"""

from __future__ import annotations

from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State

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
        Action("invoke", "invoked", makes="lambda invocation", capability="lambda-invoke",
               params=("run time", "invocation type", "init duration"),
               description="Invoke: makes a lambda invocation of it (`it` in the next step), as "
                           "`when an invocation of \"f\" is made` does"),
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

# ---------------------------------------------------------------- invocations
INVOCATION = Kind(
    name="lambda invocation",
    aliases=("invocation",),
    capability="lambda",
    description="one invocation of a Lambda function: an event, its attempts and its outcome",
    states=(State("running"), State("queued"), State("completed"), State("failed"), State("timed-out"),
            State("expired"), State("throttled")),
    attributes=(
        Attribute("state", "text"),
        Attribute("invocation type", "enum", values=(SYNCHRONOUS, ASYNCHRONOUS), settable=True,
                  description="synchronous (RequestResponse, the default) or asynchronous (Event)"),
        Attribute("run time", "quantity", dimension="duration", settable=True, integer=False,
                  description="how long its code would run if nothing stopped it (the function's run time unless given)"),
        Attribute("init duration", "quantity", dimension="duration", settable=True, integer=False,
                  aliases=("init phase",),
                  description="the INIT phase of a cold start before its code runs (none unless given)"),
        Attribute("duration", "quantity", dimension="duration", integer=False,
                  description="how long its latest attempt ran: until it returned or Lambda stopped it at the timeout"),
        Attribute("billed duration", "quantity", dimension="duration", integer=False, capability="billing",
                  description="the duration charged for its attempts, each rounded up to 1 ms"),
        Attribute("memory", "quantity", dimension="size", description="the memory it ran with"),
        Attribute("gb-seconds", "number", integer=False, capability="billing", aliases=("compute",),
                  description="billed duration times memory, in GB-seconds"),
        Attribute("charge", "number", integer=False, capability="billing", aliases=("cost",),
                  description="USD charged for it: its requests and its GB-seconds (illustrative list prices)"),
        Attribute("attempts", "number", aliases=("attempt count",), description="attempts started"),
        Attribute("assumed role", "text", description="the ARN of the role whose credentials its code ran with"),
        Attribute("traced", "boolean", description="X-Ray recorded a trace of it"),
    ),
    actions=(
        Action("make", "made", creates=True, result="running", params=("run time", "invocation type", "init duration"),
               capability="lambda-invoke", description="Invoke"),
    ),
    relations=(Relation("", "of", "lambda function", description="the function it invokes"),),
)

# ---------------------------------------------------------------- networking
PUBLIC, PRIVATE = "public", "private"

SUBNET = Kind(
    name="subnet",
    capability="lambda",
    description="a subnet of a VPC: public (a route to an Internet gateway) or private",
    attributes=(
        Attribute("subnet type", "enum", values=(PUBLIC, PRIVATE), settable=True,
                  description="public: its route table has a route to an Internet gateway; private (the default): none"),
        Attribute("subnet id", "text", aliases=("id",)),
    ),
    actions=(
        Action("create", "created", creates=True),
        Action("route", "routed", target="nat gateway", preposition="to", target_required=True,
               description="a route 0.0.0.0/0 to a NAT gateway in its route table"),
    ),
    relations=(Relation("routed", "to", "nat gateway", make="route",
                        description="its route table sends Internet traffic to the NAT gateway"),),
)

NAT_GATEWAY = Kind(
    name="nat gateway",
    capability="lambda",
    description="a public NAT gateway: outbound Internet access for private subnets routed to it",
    states=(State("available"),),
    attributes=(Attribute("nat gateway id", "text", aliases=("id",)),),
    actions=(Action("create", "created", creates=True, result="available"),),
    relations=(Relation("", "in", "subnet", description="the subnet it is created in"),),
)

SECURITY_GROUP = Kind(
    name="security group",
    capability="lambda",
    description="a VPC security group",
    attributes=(Attribute("group id", "text", aliases=("id", "security group id")),),
    actions=(Action("create", "created", creates=True),),
)

# ---------------------------------------------------------------- event sources and metrics
#: a service that invokes a function itself → how it invokes it ("Using AWS Lambda with other services")
PUSH_SOURCES = {
    "s3": ASYNCHRONOUS, "sns": ASYNCHRONOUS, "ses": ASYNCHRONOUS, "cloudformation": ASYNCHRONOUS,
    "cloudwatch-logs": ASYNCHRONOUS, "cloudwatch-events": ASYNCHRONOUS, "eventbridge": ASYNCHRONOUS,
    "codecommit": ASYNCHRONOUS, "config": ASYNCHRONOUS, "iot": ASYNCHRONOUS,
    "cognito": SYNCHRONOUS, "lex": SYNCHRONOUS, "alexa": SYNCHRONOUS, "api-gateway": SYNCHRONOUS,
    "firehose": SYNCHRONOUS,
}
#: a stream or queue Lambda reads through an event source mapping → default batch size
POLLED_SOURCES = {"kinesis": 100, "dynamodb": 100, "sqs": 10, "mq": 100, "msk": 100, "kafka": 100, "documentdb": 100}
BATCH_MIN, BATCH_MAX = 1, 10000
STARTING_POSITIONS = ("latest", "trim horizon")
#: the kind of a stream a mapping can read → its source, and how to list the records it still keeps (ordered by seq)
STREAMS = {
    "kinesis stream": ("kinesis", lambda world, stream: stream.retained(world)),
    "dynamodb stream": ("dynamodb", lambda world, stream: stream.readable(world)),
}
METRICS = ("Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions")
NAMESPACE = "AWS/Lambda"

TRIGGER = Kind(
    name="trigger",
    capability="lambda",
    description="a service that invokes a Lambda function itself when its events happen",
    attributes=(
        Attribute("source", "enum", values=tuple(PUSH_SOURCES), settable=True, aliases=("event source", "service"),
                  description="the service whose events invoke the function"),
        Attribute("invocation type", "enum", values=(SYNCHRONOUS, ASYNCHRONOUS),
                  description="how that service invokes the function"),
        Attribute("polled", "boolean", description="Lambda reads the events (false: the service pushes them)"),
    ),
    actions=(
        Action("create", "created", creates=True, description="the service configured to invoke the function"),
        Action("fire", "fired", capability="lambda-invoke",
               description="one event of the service: it invokes the function"),
    ),
    relations=(Relation("", "on", "lambda function", description="the function it invokes"),),
)

EVENT_SOURCE_MAPPING = Kind(
    name="event source mapping",
    capability="lambda",
    description="Lambda reading a stream or queue and invoking a function with batches of records",
    states=(State("creating", stable=False), State("enabled")),
    attributes=(
        Attribute("state", "text"),
        Attribute("source", "enum", values=tuple(POLLED_SOURCES), settable=True, aliases=("event source",),
                  description="the stream or queue Lambda reads: kinesis, dynamodb, sqs (and mq, msk, kafka, documentdb)"),
        Attribute("batch size", "number", settable=True,
                  description="records per invocation at most: 1 to 10,000; 100 by default (SQS: 10)"),
        Attribute("records", "number", settable=True, aliases=("backlog",),
                  description="records waiting in the stream for Lambda to read (an SQS queue's own messages when from one)"),
        Attribute("invocation type", "enum", values=(SYNCHRONOUS, ASYNCHRONOUS),
                  description="how Lambda invokes the function with a batch: synchronously"),
        Attribute("polled", "boolean", description="Lambda reads the events itself"),
        Attribute("starting position", "enum", values=STARTING_POSITIONS, settable=True,
                  description="where Lambda starts reading a stream: latest (after its newest record) or trim horizon "
                              "(its oldest record still kept); required for a stream"),
    ),
    actions=(Action("create", "created", creates=True, result="enabled", description="CreateEventSourceMapping"),),
    relations=(
        Relation("", "to", "lambda function", description="the function it invokes"),
        Relation("", "from", "sqs queue", description="the SQS queue it reads"),
        Relation("", "from", "kinesis stream", description="the Kinesis data stream it reads"),
        Relation("", "from", "dynamodb stream", description="the DynamoDB stream it reads"),
    ),
)

SQS_QUEUE = Kind(
    name="sqs queue",
    aliases=("dead-letter queue", "dlq"),
    capability="lambda",
    description="an Amazon SQS queue: an event source, or a function's dead-letter queue",
    attributes=(
        Attribute("message count", "number", settable=True, aliases=("messages",),
                  description="messages in the queue"),
        Attribute("queue arn", "text", aliases=("arn",)),
    ),
    actions=(Action("create", "created", creates=True),),
    relations=(Relation("", "of", "lambda function",
                        description="the function it is the dead-letter queue of (DeadLetterConfig.TargetArn)"),),
)

METRIC = Kind(
    name="cloudwatch metric",
    aliases=("metric",),
    capability="lambda",
    description="a metric Lambda reports for a function in CloudWatch (namespace AWS/Lambda)",
    attributes=(
        Attribute("metric name", "enum", values=METRICS, settable=True,
                  description="Invocations, Errors, Throttles, Duration (milliseconds) or ConcurrentExecutions"),
        Attribute("namespace", "text"),
        Attribute("sum", "number", integer=False, aliases=("value",),
                  description="the sum of its datapoints so far (ConcurrentExecutions: its value now)"),
    ),
    actions=(Action("select", "selected", creates=True, description="GetMetricStatistics, from CloudWatch"),),
    relations=(Relation("", "of", "lambda function", description="the function whose metric it is (dimension FunctionName)"),),
)

# ---------------------------------------------------------------- load balancers and the edge
MAX_BODY = MAX_RESPONSE = 1024 * 1024  # 1 MB, request body and response JSON
TARGET_TYPES = ("instance", "ip", "lambda")
EVENT_TYPES = ("viewer-request", "origin-request", "origin-response", "viewer-response")
EDGE_REGION = "us-east-1"
EDGE_LIMITS = {"viewer": (5, 128 * MB), "origin": (30, MEMORY_MAX)}  # event prefix → (timeout s, memory)

LOAD_BALANCER = Kind(
    name="load balancer",
    aliases=("application load balancer", "alb"),
    capability="lambda",
    description="an Application Load Balancer whose listener forwards requests to target groups",
    states=(State("active"),),
    attributes=(
        Attribute("dns name", "text"),
        Attribute("healthy", "boolean",
                  description="healthy as Route 53 evaluates it (evaluate target health), for DNS failover"),
    ),
    actions=(Action("create", "created", creates=True, result="active"),),
)

TARGET_GROUP = Kind(
    name="target group",
    capability="lambda",
    description="an ELB target group; of type lambda, its target is a Lambda function",
    attributes=(
        Attribute("target type", "enum", values=TARGET_TYPES, settable=True,
                  description="instance (the default), ip or lambda"),
        Attribute("health checked", "boolean", settable=True, aliases=("health checks enabled", "health checks"),
                  description="health checks enabled: by default off for type lambda, on for the others"),
        Attribute("region", "text", settable=True, description="its Region (us-east-1 unless given)"),
        Attribute("account", "text", settable=True, description="its account (123456789012 unless given)"),
        Attribute("target health", "text",
                  description="the state DescribeTargetHealth gives its target: healthy, unhealthy, unavailable or none"),
    ),
    actions=(Action("create", "created", creates=True),),
    relations=(Relation("", "on", "load balancer", description="the load balancer whose listener forwards to it"),),
)

REQUEST = Kind(
    name="alb request",
    aliases=("request",),
    capability="lambda",
    description="an HTTP request of a client to a load balancer or a CloudFront distribution, and its answer",
    attributes=(
        Attribute("body size", "quantity", dimension="size", settable=True, description="the size of its body"),
        Attribute("response size", "quantity", dimension="size", settable=True,
                  description="the size of the response JSON the function returns for it"),
        Attribute("websocket upgrade", "boolean", settable=True, aliases=("upgrade",),
                  description="it asks to upgrade the connection to a WebSocket"),
        Attribute("path", "text", settable=True, description="its path (/ unless given)"),
        Attribute("status", "number", aliases=("status code", "http status"), description="the HTTP status the client gets"),
        Attribute("invoked", "boolean", description="a Lambda function was invoked for it"),
    ),
    actions=(Action("send", "sent", creates=True, params=("body size", "response size", "websocket upgrade", "path"),
                    capability="lambda-invoke"),),
    relations=(
        Relation("sent", "to", "load balancer", description="the load balancer it is sent to"),
        Relation("sent", "to", "cloudfront distribution", description="the distribution it is sent to"),
    ),
)

DISTRIBUTION = Kind(
    name="cloudfront distribution",
    capability="lambda",
    description="a CloudFront distribution, its cache, and the Lambda@Edge functions associated with it",
    attributes=(Attribute("domain name", "text"),),
    actions=(Action("create", "created", creates=True),),
)

EDGE_FUNCTION = Kind(
    name="edge function",
    aliases=("lambda edge function",),
    capability="lambda",
    description="a Lambda@Edge function: run by CloudFront on one event type of a distribution",
    attributes=(
        Attribute("event type", "enum", values=EVENT_TYPES, settable=True,
                  description="viewer-request, origin-request, origin-response or viewer-response"),
        Attribute("timeout", "quantity", dimension="duration", settable=True,
                  description="3 seconds by default; at most 5 for viewer events, 30 for origin events"),
        Attribute("memory", "quantity", dimension="size", settable=True, aliases=("memory size",),
                  description="128 MB by default, and at most for viewer events"),
        Attribute("region", "text", settable=True, description="the Region it is created in: us-east-1 for Lambda@Edge"),
        Attribute("invocation count", "number", aliases=("invocations",),
                  description="how many times CloudFront ran it"),
    ),
    actions=(Action("create", "created", creates=True),),
    relations=(Relation("associated", "with", "cloudfront distribution",
                        description="the distribution it is associated with, for its event type"),),
)

VOCABULARY = (LAMBDA_FUNCTION, EXECUTION_ROLE, CONCURRENCY_SETTING, INIT_BILLING_SETTING, INVOCATION,
              SUBNET, NAT_GATEWAY, SECURITY_GROUP, TRIGGER, EVENT_SOURCE_MAPPING, SQS_QUEUE, METRIC,
              LOAD_BALANCER, TARGET_GROUP, REQUEST, DISTRIBUTION, EDGE_FUNCTION)
