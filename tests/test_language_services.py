"""LANGUAGE.md's examples for the services beyond EC2 work as written: each line
below is in LANGUAGE.md, and together they run green on the reference backend."""

from pathlib import Path

import pytest

from scenario.compiler import compile_text
from scenario.plugins import backends, vocabulary
from scenario.runner import run_scenario

LANGUAGE = Path(__file__).resolve().parents[1].parent / "shared" / "LANGUAGE.md"

SPEC = '''feature: LANGUAGE.md's examples for the services beyond EC2

  scenario: RDS
    given a db instance "db" with engine "mysql" and backup retention 7 days
    given an encrypted db instance "db2" with engine "postgres"
    given 2 read replicas of "db"
    given the read replica limit is 15
    when a read replica "r" of "db" is created
    then the number of read replicas of "db" is at most 5
    and the number of read replicas of "db" is 3
    and "db2" is encrypted
    and the backup retention of "db" is 7 days

  scenario: Lambda
    given a lambda function "fn" with timeout 30 seconds
    given a lambda function "f1"
    when a lambda function "f2" is created with timeout 901 seconds
    then it fails with "ValidationException"
    and the timeout of "f1" is 3 seconds
    and the timeout of "fn" is 30 seconds

  scenario: DynamoDB
    given a dynamodb table "t"
    when an item of 401 KB is put into "t"
    then it fails with "ValidationException"

  scenario: Kinesis
    given a kinesis stream "s" with 2 shards
    then the number of shards of "s" is 2
'''

#: the example lines of LANGUAGE.md the spec above uses verbatim
EXAMPLES = [
    'given a db instance "db" with engine "mysql" and backup retention 7 days',
    'given an encrypted db instance "db2" with engine "postgres"',
    'given 2 read replicas of "db"',
    'given the read replica limit is 15',
    'when a read replica "r" of "db" is created',
    'then the number of read replicas of "db" is at most 5',
    'given a lambda function "fn" with timeout 30 seconds',
    'when a lambda function "f2" is created with timeout 901 seconds',
    'given a dynamodb table "t"',
    'when an item of 401 KB is put into "t"',
    'given a kinesis stream "s" with 2 shards',
]


@pytest.mark.skipif(not LANGUAGE.exists(), reason="LANGUAGE.md is outside this checkout")
def test_the_examples_are_language_md_s_own():
    text = LANGUAGE.read_text()
    missing = [line for line in EXAMPLES if line not in text]
    assert missing == []


def test_every_example_is_in_the_spec():
    assert [line for line in EXAMPLES if line not in SPEC] == []


@pytest.mark.parametrize("index, name", [(0, "RDS"), (1, "Lambda"), (2, "DynamoDB"), (3, "Kinesis")])
def test_the_examples_run_green_on_the_reference_backend(index, name):
    feature = compile_text(SPEC, vocabulary(), "services.scn")
    scenario = feature.scenarios[index]
    assert scenario.name == name
    outcome = run_scenario(scenario, backends()["reference"])
    assert (outcome.status, outcome.message) == ("passed", "")


def test_the_clock_step_compiles_and_needs_the_clock():
    feature = compile_text('feature: f\n  scenario: s\n    given a running instance "web"\n    when 2 minutes pass\n    then "web" is running\n',
                           vocabulary(), "clock.scn")
    assert "clock" in feature.scenarios[0].needs
