"""AWS Lambda: functions, their execution roles, invocations, concurrency and charges.

Sources: specs/notes/aws-architecture-notes.md, "AWS Lambda" (all its subsections);
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
  (:mod:`.events`).

The package: the words, limits and prices (:mod:`.kinds`); functions and execution roles
(:mod:`.function`, the bottom); invocations, concurrency, retries, charges and metrics
(:mod:`.invocations`); subnets, NAT gateways, security groups, VPC and Internet access
(:mod:`.network`); triggers, event source mappings, SQS queues and dead-letter queues,
CloudWatch metrics (:mod:`.events`); ALB target groups and requests, Lambda@Edge and
CloudFront (:mod:`.edge`).
"""

from __future__ import annotations

from . import edge, events, function, invocations, network
from .kinds import VOCABULARY


def install(world) -> None:
    for module in (function, invocations, network, events, edge):
        module.install(world)


__all__ = ["VOCABULARY", "install"]
