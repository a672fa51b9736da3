"""Every error code the library asserts is AWS's (issue 18).

A code asserted by a spec (`then it fails with "X"`) or by the inventory (`error = "X"`)
must be an error shape of botocore's service model for its fact's service, or the entry
must name the AWS page or the captured response that shows it (`error_source`), or mark
it as the reference model's own choice (`model-choice: ...`). A new unverifiable code
fails here with its fact id and its spec line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scenario import fact_audit
from scenario.fact_audit import CodeUse, audit, collect, judge
from scenario.facts import InventoryError, load_inventory

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"

needs_botocore = pytest.mark.skipif(
    fact_audit.botocore_version() is None,
    reason="botocore is not installed (the moto and aws extras bring it): error codes cannot be checked "
           "against AWS's service models",
)


@pytest.fixture(scope="module")
def library():
    return collect(SPECS)


@needs_botocore
def test_every_error_code_the_library_asserts_is_verified(library):
    inventory, verdicts = library
    bad = [v for v in verdicts if v.verdict not in ("model", "source", "model-choice")]
    assert not bad, "error codes neither in botocore's model nor sourced nor marked model-choice:\n" + "\n".join(
        f"  @fact({v.fact_id}) {v.code} at {', '.join(v.where)}: {v.evidence}" for v in bad)
    assert len(verdicts) > 100  # the whole library was read, specs and inventory


@needs_botocore
def test_the_issue_18_codes_have_the_verdicts_the_fixes_gave_them(library):
    _, verdicts = library
    got = {(v.fact_id, v.code): v.verdict for v in verdicts}
    assert got[("lambda.vpc.needs-subnets-and-security-groups", "InvalidParameterValueException")] == "model"
    assert got[("dynamodb.dax.reduces-read-load", "ClusterNotFoundFault")] == "model-choice"  # no spec asserts it
    assert got[("aurora.replicas.limit-15", "InstanceQuotaExceeded")] == "model-choice"
    assert got[("rds.encryption.no-unencrypted-replica-of-encrypted", "InvalidParameterCombination")] == "model-choice"
    assert got[("elasticache.redis.encryption", "InvalidParameterCombination")] == "model-choice"
    assert got[("rds.encryption.replica-same-key-same-region", "InvalidParameterCombination")] == "source"
    dax = [v for v in verdicts if v.fact_id == "dynamodb.dax.reduces-read-load"]
    assert all("dax.scn" not in w for v in dax for w in v.where)  # the spec says `it fails`, no code


@needs_botocore
def test_the_audit_checks_wire_codes_and_shape_names_of_the_facts_service():
    inventory = load_inventory(SPECS / "facts")
    fact = inventory.facts["rds.quota.db-instances-40"]
    assert judge(fact, fact.id, "InstanceQuotaExceeded")[0] == "model"  # the wire code of InstanceQuotaExceededFault
    assert judge(fact, fact.id, "InstanceQuotaExceededFault")[0] == "model"  # the shape's name
    assert judge(fact, fact.id, "ProvisionedThroughputExceededException")[0] == "unverified"  # Kinesis's, not RDS's


# ---------------------------------------------------------------- a made-up code in a small library
INVENTORY = '''
[[fact]]
id = "lambda.timeout.max-900s"
section = "AWS Lambda"
text = "Max is 15 minutes (900 seconds)."
verdict = "testable"
{extra}
'''

SPEC = '''
@lambda
feature: timeouts

  @fact(lambda.timeout.max-900s)
  scenario: a timeout of 901 seconds is refused
    when a lambda function "f" is created with timeout 901 seconds
    then it fails with "{code}"
'''


def small_library(tmp_path: Path, code: str, extra: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    lib = tmp_path / "specs"
    (lib / "facts").mkdir(parents=True)
    (lib / "facts" / "lambda.toml").write_text(textwrap.dedent(INVENTORY.format(extra=extra)))
    (lib / "lambda").mkdir()
    (lib / "lambda" / "timeout.scn").write_text(textwrap.dedent(SPEC.format(code=code)))
    return lib


@needs_botocore
def test_a_new_unverifiable_code_is_named_with_its_fact_and_its_spec_line(tmp_path):
    lib = small_library(tmp_path, "TimeoutTooLongFault")
    _, verdicts = collect(lib)
    (v,) = verdicts
    assert (v.fact_id, v.code, v.verdict) == ("lambda.timeout.max-900s", "TimeoutTooLongFault", "unverified")
    assert v.where[0].endswith("timeout.scn:8")  # the `then it fails with` line
    assert "botocore's lambda model" in v.evidence


@needs_botocore
@pytest.mark.parametrize("extra, verdict", [
    ('error_source = "captured: the answer AWS gave, quoted"', "source"),
    ('error_source = { TimeoutTooLongFault = "model-choice: AWS has no code for it" }', "model-choice"),
])
def test_a_source_or_a_model_choice_mark_verifies_it(tmp_path, extra, verdict):
    _, verdicts = collect(small_library(tmp_path, "TimeoutTooLongFault", extra))
    assert [v.verdict for v in verdicts] == [verdict]


@needs_botocore
def test_a_model_choice_mark_wins_over_the_model(tmp_path):
    extra = 'error_source = { InvalidParameterValueException = "model-choice: the request cannot be expressed" }'
    _, verdicts = collect(small_library(tmp_path, "InvalidParameterValueException", extra))
    assert [v.verdict for v in verdicts] == ["model-choice"]


def test_without_botocore_an_unsourced_code_is_unchecked_not_verified(tmp_path, monkeypatch):
    monkeypatch.setattr(fact_audit, "botocore_codes", lambda service: None)
    inventory = load_inventory(small_library(tmp_path, "X") / "facts")
    fact = inventory.facts["lambda.timeout.max-900s"]
    assert judge(fact, fact.id, "ValidationException")[0] == "unchecked"
    verdicts = audit(inventory, [CodeUse("ValidationException", fact.id, "specs/lambda/timeout.scn:7")])
    assert "not verified (1)" in fact_audit.render(inventory, verdicts)


@pytest.mark.parametrize("extra, problem", [
    ('error_source = "the docs"', "error_source starts with https://, captured:, model-choice:"),
    ('error_source = { X = "model-choice:" }', "error_source.X starts with"),
    ("error_source = 3", "error_source must be a string or a table"),
    ('source = "somewhere"', "source starts with https:// or notes-only:"),
])
def test_a_malformed_source_is_a_mistake_of_the_inventory(tmp_path, extra, problem):
    lib = small_library(tmp_path, "X", extra)
    with pytest.raises(InventoryError) as err:
        load_inventory(lib / "facts")
    assert problem in str(err.value)
