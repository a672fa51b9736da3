"""Amazon Athena, AWS Glue and Amazon EMR: SQL over data in S3, a data catalog, ETL, clusters.

Source: specs/notes/aws-architecture-notes.md, "Amazon Athena", "AWS Glue", "Amazon
EMR". Where the notes are silent: Amazon Athena pricing ($5 per TB scanned, rounded up to
the megabyte, 10 MB minimum per query; failed queries are not charged; compressed,
partitioned and columnar data scan less), AWS News Blog "Introducing Athena Provisioned
Capacity" ($0.30 per DPU-hour; 24 DPUs at least then, 4 in the API model today, billed by the minute with a one-hour
minimum, whether queries run or not), Athena's GetQueryExecution (states QUEUED,
RUNNING, SUCCEEDED, FAILED; a query that cannot be analysed is accepted and ends FAILED
with its reason); AWS Glue Web API Reference (crawler states READY, RUNNING, STOPPING;
job run states; InvalidInputException, EntityNotFoundException); Amazon EMR API reference
(Ec2InstanceAttributes: one subnet with instance groups, several with instance fleets of
which EMR picks one and launches every instance there; cluster states STARTING,
BOOTSTRAPPING, RUNNING, WAITING, TERMINATING, TERMINATED) and the EMR release guide's
application list.

Decisions. Sizes and ratios are illustrative: a dataset's ``size`` is its data as CSV
text; its files in S3 are smaller by a factor per format (Parquet and ORC encode columns)
and per compression codec. A query reads the stored bytes of the columns it needs when the
format is columnar (all of them otherwise) and only the partitions its filter keeps. A
query may run on a dataset directly (it stands for a table defined over it by DDL) or on
a table of the data catalog. Access: the caller's IAM permission is a boolean of the
request (no IAM model here): without it Athena answers AccessDeniedException; an
explicit deny in the bucket policy makes the query fail reading S3 ("Access Denied"). The
account has one data catalog: every `data catalog` of a scenario names it. Glue jobs and
crawlers run to completion when run (the clock does not move). Error codes: the athena,
glue and emr service models (InvalidRequestException, InvalidInputException,
EntityNotFoundException); EMR refuses a bad RunJobFlow with ValidationException, which
is AWS's answer but not in botocore's model (from AWS's error responses, not verified).

The package: the words (:mod:`.kinds`); S3 buckets and datasets with the layout rules both
Athena and Glue check (:mod:`.s3`, the bottom); Athena queries and charges (:mod:`.athena`);
the Glue data catalog, crawlers and jobs (:mod:`.glue`); EMR clusters (:mod:`.emr`).
"""

from __future__ import annotations

from . import athena, emr, glue, s3
from .kinds import VOCABULARY


def install(world) -> None:
    s3.install(world)
    athena.install(world)
    emr.install(world)
    glue.install(world)


__all__ = ["VOCABULARY", "install"]
