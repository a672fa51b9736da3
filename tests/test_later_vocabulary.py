"""LANGUAGE.md examples whose vocabulary arrives with later issues parse, and
`scn check` reports only unknown-vocabulary errors that name the word — no
cascade of errors about the names those steps would have created."""

import re

import pytest

from scenario.compiler import compile_text
from scenario.errors import SpecErrors
from scenario.plugins import vocabulary

SPEC = '''feature: later vocabulary
  scenario: other services
    given a db instance "db" with engine "mysql" and backup retention 7 days
    given an encrypted db instance "db2" with engine "postgres"
    given 2 read replicas of "db"
    given a lambda function "fn" with timeout 30 seconds
    given a dynamodb table "t"
    given a kinesis stream "s" with 2 shards
    given the read replica limit is 15
    given a spread placement group "pg"
    given 7 running instances in placement group "pg"
    given a network interface "eni" attached to "web"
    when a read replica "r" of "db" is created
    when a lambda function "f2" is created with timeout 901 seconds
    when an item of 401 KB is put into "t"
    when "eni" is detached
    when an instance "w8" is launched in placement group "pg"
    then the timeout of "fn" is 3 seconds
    then the number of read replicas of "db" is at most 5
    then "eni" is not attached to "web"
'''

EXPECTED = [
    (3, "unknown kind `db instance`"),
    (4, "unknown kind `encrypted db instance`"),
    (5, "unknown kind `read replicas`"),
    (6, "unknown kind `lambda function`"),
    (7, "unknown kind `dynamodb table`"),
    (8, "unknown kind `kinesis stream`"),
    (9, "unknown setting `read replica limit`"),
    (13, "unknown kind `read replica`"),
    (14, "unknown kind `lambda function`"),
    (15, "unknown kind `item`"),
]


def test_only_unknown_vocabulary_errors_naming_the_word():
    with pytest.raises(SpecErrors) as info:
        compile_text(SPEC, vocabulary(), "later.scn")
    got = [(e.span.line, e.message) for e in info.value.errors]
    assert got == EXPECTED


def test_the_clock_step_compiles_and_needs_the_clock():
    feature = compile_text('feature: f\n  scenario: s\n    given a running instance "web"\n    when 2 minutes pass\n    then "web" is running\n',
                           vocabulary(), "clock.scn")
    assert "clock" in feature.scenarios[0].needs
