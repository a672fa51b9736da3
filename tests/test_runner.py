"""Runner semantics: compiled scenarios run on the reference backend and on an in-memory fake.

Every scenario is compiled from .scn text with :func:`scenario.compiler.compile_text`
and run with :func:`scenario.runner.run_scenario`; the assertions name exact statuses,
messages and the deciding step.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers.fake_backend import FakeWorld, fake_backend  # noqa: E402

from scenario import ir  # noqa: E402
from scenario.backend import BackendInfo, World  # noqa: E402
from scenario.compiler import compile_text  # noqa: E402
from scenario.plugins import backend, vocabulary  # noqa: E402
from scenario.runner import Outcome, run_scenario  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_fake_log():
    FakeWorld.opened.clear()
    yield
    FakeWorld.opened.clear()


@pytest.fixture
def reference() -> BackendInfo:
    return backend("reference")


@pytest.fixture
def fake() -> BackendInfo:
    return fake_backend()


def scenarios(text: str) -> tuple[ir.Scenario, ...]:
    return compile_text(text, vocabulary(), "t.scn").scenarios


def one(steps: str, *, background: str = "", tags: str = "") -> ir.Scenario:
    """One scenario of ``steps`` (indented step lines), line 1 being `feature: f`."""
    text = "feature: f\n"
    if background:
        text += "  background:\n" + background
    text += (f"  {tags}\n" if tags else "") + "  scenario: s\n" + steps
    (sc,) = scenarios(text)
    return sc


def step_line(sc: ir.Scenario, outcome: Outcome) -> str:
    """The source text of the step that decided ``outcome``."""
    assert outcome.step is not None
    return sc.steps[outcome.step].text


# ---------------------------------------------------------------- fresh worlds


def test_each_run_gets_a_fresh_world_on_the_reference_backend(reference):
    sc = one(
        '    given the elastic ip limit is 2\n'
        '    given a running instance "web"\n'
        '    when an elastic ip "a" is allocated\n'
        '    and an elastic ip "b" is allocated\n'
        '    then the instance id of "web" is "i-00000000000000001"\n'
        '    and the public ipv4 of "web" is "198.51.100.1"\n'
        '    and the address of "b" is "203.0.113.2"\n'
    )
    first = run_scenario(sc, reference)
    second = run_scenario(sc, reference)
    assert (first.status, first.message) == ("passed", "")
    # ids, addresses and the elastic ip count start over: nothing leaked from the first run
    assert (second.status, second.message) == ("passed", "")


def test_each_run_gets_a_fresh_world_on_the_fake_backend(fake):
    sc = one('    given a running instance "web"\n    then the public ipv4 of "web" is "10.0.0.1"\n')
    assert run_scenario(sc, fake).status == "passed"
    assert run_scenario(sc, fake).status == "passed"
    w1, w2 = FakeWorld.opened
    assert w1 is not w2
    assert w1.closed and w2.closed
    assert w1.log == w2.log == [
        ("create", "instance", 'instance "web"'),
        ("observe", "public ipv4", 'instance "web"'),
    ]


def test_two_scenarios_of_one_file_do_not_share_names_or_state(reference):
    a, b = scenarios(
        'feature: f\n'
        '  scenario: a\n'
        '    given a running instance "web"\n'
        '    when "web" is stopped\n'
        '    then "web" is stopped\n'
        '  scenario: b\n'
        '    given a running instance "web"\n'
        '    then "web" is running\n'
        '    and the private ipv4 of "web" is "172.31.16.10"\n'
    )
    assert [run_scenario(x, reference).status for x in (a, b, a, b)] == ["passed"] * 4


# ---------------------------------------------------------------- background


def test_background_steps_run_first(fake):
    sc = one('    given a running instance "web"\n    then "web" is running\n',
             background='    given an elastic ip "eip"\n')
    outcome = run_scenario(sc, fake)
    assert outcome.status == "passed"
    (world,) = FakeWorld.opened
    assert [e for e in world.log if e[0] == "create"] == [
        ("create", "elastic ip", 'elastic ip "eip"'),
        ("create", "instance", 'instance "web"'),
    ]


def test_background_resources_count_first_on_the_reference_backend(reference):
    sc = one('    given a running instance "web"\n    then the instance id of "web" is "i-00000000000000002"\n',
             background='    given an elastic ip "eip"\n')
    assert run_scenario(sc, reference).status == "passed"


# ---------------------------------------------------------------- changes / is unchanged


def test_changes_compares_with_the_snapshot_before_the_latest_when_group(reference):
    # stop: 198.51.100.1 → none; terminate: none → none. Against the first snapshot the
    # address "changed"; against the latest one it did not.
    sc = one(
        '    given a running instance "web"\n'
        '    when "web" is stopped\n'
        '    then the public ipv4 of "web" changes\n'
        '    when "web" is terminated\n'
        '    then the public ipv4 of "web" is unchanged\n'
    )
    outcome = run_scenario(sc, reference)
    assert (outcome.status, outcome.message) == ("passed", "")


def test_changes_fails_when_the_value_stayed_since_the_latest_when_group(reference):
    sc = one(
        '    given a running instance "web"\n'
        '    when "web" is stopped\n'
        '    then the public ipv4 of "web" changes\n'
        '    when "web" is terminated\n'
        '    then the public ipv4 of "web" changes\n'
    )
    outcome = run_scenario(sc, reference)
    assert outcome.status == "failed"
    assert outcome.message == 'the public ipv4 of "web" was expected to change but stayed none'
    assert outcome.step == 4
    assert (outcome.span.path, outcome.span.line) == ("t.scn", 7)


def test_unchanged_fails_naming_both_values(reference):
    sc = one(
        '    given a running instance "web"\n'
        '    when "web" is stopped\n'
        '    when "web" is started\n'
        '    then the public ipv4 of "web" is unchanged\n'
    )
    outcome = run_scenario(sc, reference)
    assert outcome.status == "failed"
    assert outcome.message == 'the public ipv4 of "web" was expected to stay none but changed to 198.51.100.2'


def test_a_failed_claim_reads_like_the_sentence(reference):
    sc = one(
        '    given a running instance with an EIP\n'
        '    when it is stopped and started\n'
        '    then the public ipv4 of the instance changes\n'
    )
    outcome = run_scenario(sc, reference)
    assert outcome.status == "failed"
    assert outcome.message == ("the public ipv4 of instance #1 was expected to change but stayed 203.0.113.1 "
                               "(elastic ip #1 is associated)")
    assert str(outcome.span) == "t.scn:5:5"
    assert outcome.detail == ""


def test_the_users_example_fails_with_its_sentence(reference):
    sc = one(
        '    given a stopped instance with an EIP\n'
        '    when started\n'
        '    then public IPv4 changes\n'
        '    and EIP is retained\n'
    )
    outcome = run_scenario(sc, reference)
    assert outcome.status == "failed"
    assert outcome.message == ("the public ipv4 of instance #1 was expected to change but stayed 203.0.113.1 "
                               "(elastic ip #1 is associated)")
    assert step_line(sc, outcome) == "then public IPv4 changes"


@pytest.mark.parametrize(
    "claim, message",
    [
        ('then "web" is stopped', '"web" was expected to be stopped but is running'),
        ('then "web" is not running', '"web" was expected to be not running but is running'),
        ('then "web" has no public ipv4', '"web" was expected to have no public ipv4 but has 198.51.100.1'),
        ('then the state code of "web" is 80', 'the state code of "web" was expected to be 80 but is 16'),
        ('then "web" does not exist', '"web" was expected not to exist but it does'),
        ('then "web" is not billed', '"web" was expected not to be billed but is billed'),
    ],
)
def test_claim_messages(reference, claim, message):
    sc = one(f'    given a running instance "web"\n    {claim}\n')
    outcome = run_scenario(sc, reference)
    assert (outcome.status, outcome.message) == ("failed", message)


# ---------------------------------------------------------------- refusals


def test_it_fails_with_the_right_code_captures_the_refusal(reference):
    sc = one(
        '    given a stopped instance "web"\n'
        '    when "web" is rebooted\n'
        '    then it fails with "IncorrectInstanceState"\n'
        '    and "web" is stopped\n'
    )
    outcome = run_scenario(sc, reference)
    assert (outcome.status, outcome.message) == ("passed", "")


def test_it_fails_with_a_wrong_code_names_both_codes(reference):
    sc = one(
        '    given a stopped instance "web"\n'
        '    when "web" is rebooted\n'
        '    then it fails with "InvalidInstanceID.NotFound"\n'
    )
    outcome = run_scenario(sc, reference)
    assert outcome.status == "failed"
    assert outcome.message == (
        '`when "web" is rebooted` was expected to fail with InvalidInstanceID.NotFound but failed with '
        "IncorrectInstanceState: The instance 'i-00000000000000001' is not in a state from which it can be rebooted."
    )
    assert step_line(sc, outcome) == 'then it fails with "InvalidInstanceID.NotFound"'


def test_it_fails_when_nothing_was_refused(reference):
    sc = one('    given a running instance "web"\n    when "web" is stopped\n    then it fails\n')
    outcome = run_scenario(sc, reference)
    assert (outcome.status, outcome.message) == ("failed", "the when-steps were expected to fail but they succeeded")


def test_it_succeeds_after_a_refusal_fails(reference):
    sc = one('    given a stopped instance "web"\n    when "web" is rebooted\n    then it succeeds\n')
    outcome = run_scenario(sc, reference)
    assert outcome.status == "failed"
    assert outcome.message == (
        '`when "web" is rebooted` was expected to succeed but was refused: '
        "IncorrectInstanceState: The instance 'i-00000000000000001' is not in a state from which it can be rebooted."
    )


def test_it_succeeds_after_accepted_actions_passes(reference):
    sc = one('    given a running instance "web"\n    when "web" is rebooted\n    then it succeeds\n')
    assert run_scenario(sc, reference).status == "passed"


def test_an_uncaptured_refusal_fails_with_the_backends_error(reference):
    sc = one(
        '    given a stopped instance "web"\n'
        '    when "web" is rebooted\n'
        '    then "web" is running\n'
    )
    outcome = run_scenario(sc, reference)
    assert outcome.status == "failed"
    assert outcome.message == (
        '`when "web" is rebooted` was refused: IncorrectInstanceState: '
        "The instance 'i-00000000000000001' is not in a state from which it can be rebooted."
    )
    assert outcome.step == 2
    assert (outcome.span.line, step_line(sc, outcome)) == (4, 'when "web" is rebooted')


def test_an_uncaptured_refusal_on_the_fake_backend_shows_its_own_text(fake):
    sc = one('    given a stopped instance "web"\n    when "web" is rebooted\n    then "web" is running\n')
    outcome = run_scenario(sc, fake)
    assert (outcome.status, outcome.message) == (
        "failed", '`when "web" is rebooted` was refused: IncorrectInstanceState: fake: cannot reboot a stopped instance')


def test_steps_after_the_refused_one_in_a_when_group_do_not_run(reference, fake):
    sc = one(
        '    given a stopped instance "web"\n'
        '    when "web" is rebooted\n'
        '    and "web" is terminated\n'
        '    then it fails with "IncorrectInstanceState"\n'
        '    and "web" is stopped\n'
    )
    assert run_scenario(sc, reference).status == "passed"
    assert run_scenario(sc, fake).status == "passed"
    (world,) = FakeWorld.opened
    assert [e for e in world.log if e[0] == "act"] == [
        ("act", "stop", 'instance "web"'),  # reaching the given state
        ("act", "reboot", 'instance "web"'),
    ]


def test_a_refused_given_is_an_error_naming_the_step(reference):
    sc = one('    given the elastic ip limit is 1\n    given 2 elastic ips\n')
    outcome = run_scenario(sc, reference)
    assert outcome.status == "error"
    assert outcome.message == ("setup failed: `given 2 elastic ips` was refused: "
                               "AddressLimitExceeded: The maximum number of addresses has been reached.")
    assert (outcome.step, outcome.span.line) == (2, 4)


# ---------------------------------------------------------------- passed through


def test_passed_through_a_transitional_state(reference, fake):
    sc = one('    given a running instance "web"\n    when "web" is stopped\n    then "web" passed through stopping\n')
    assert run_scenario(sc, reference).status == "passed"
    assert run_scenario(sc, fake).status == "passed"


def test_passed_through_a_state_it_did_not_pass_through(reference):
    sc = one('    given a running instance "web"\n    when "web" is stopped\n    then "web" passed through pending\n')
    outcome = run_scenario(sc, reference)
    assert (outcome.status, outcome.message) == ("failed", '"web" was expected to pass through pending but went stopping → stopped')


def test_passed_through_only_looks_at_the_latest_when_group(reference):
    sc = one(
        '    given a running instance "web"\n'
        '    when "web" is stopped\n'
        '    then "web" passed through stopping\n'
        '    when "web" is started\n'
        '    then "web" passed through stopping\n'
    )
    outcome = run_scenario(sc, reference)
    assert (outcome.status, outcome.message) == ("failed", '"web" was expected to pass through stopping but went pending → running')
    assert outcome.span.line == 7


# ---------------------------------------------------------------- backend faults


def test_a_python_exception_in_a_claim_is_an_error_not_a_crash():
    b = fake_backend(explode={"observe": RuntimeError("boom")})
    sc = one('    given a running instance "web"\n    then "web" is running\n')
    outcome = run_scenario(sc, b)
    assert outcome.status == "error"
    assert outcome.message == '`then "web" is running` raised RuntimeError: boom'
    assert outcome.step == 1
    assert "Traceback (most recent call last)" in outcome.detail
    assert outcome.detail.rstrip().endswith("RuntimeError: boom")
    assert FakeWorld.opened[0].closed


def test_a_python_exception_in_a_given_is_an_error():
    b = fake_backend(explode={"create": KeyError("nope")})
    sc = one('    given a running instance "web"\n    then "web" is running\n')
    outcome = run_scenario(sc, b)
    assert (outcome.status, outcome.message) == ("error", "`given a running instance \"web\"` raised KeyError: 'nope'")


def test_a_python_exception_in_a_when_is_an_error_even_if_captured():
    b = fake_backend(explode={"act stop": ValueError("bad")})
    sc = one('    given a running instance "web"\n    when "web" is stopped\n    then it fails\n')
    outcome = run_scenario(sc, b)
    assert (outcome.status, outcome.message) == ("error", '`when "web" is stopped` raised ValueError: bad')


def test_a_backend_that_cannot_open_a_world_is_an_error():
    def broken():
        raise ConnectionError("no endpoint")

    b = BackendInfo(name="broken", capabilities={"ec2"}, open_world=broken)
    sc = one('    given a running instance "web"\n')
    outcome = run_scenario(sc, b)
    assert (outcome.status, outcome.message) == ("error", "the broken backend could not open a world: no endpoint")
    assert "ConnectionError: no endpoint" in outcome.detail


def test_a_vocabulary_item_the_backend_lacks_is_an_error_naming_it(fake):
    sc = one('    given a running instance "web"\n    then the host of "web" is "h-1"\n')
    outcome = run_scenario(sc, fake)
    assert outcome.status == "error"
    assert outcome.message == "the fake backend does not implement the host of a instance"
    assert outcome.not_implemented == "the host of a instance"


# ---------------------------------------------------------------- capabilities and tags


def test_a_missing_capability_skips_without_opening_a_world(fake):
    sc = one('    given a running instance "web"\n    then "web" is billed\n')
    assert sc.needs == frozenset({"ec2", "billing"})
    outcome = run_scenario(sc, fake)
    assert (outcome.status, outcome.message) == ("skipped", "needs billing")
    assert FakeWorld.opened == []


def test_several_missing_capabilities_are_listed_sorted():
    b = fake_backend(capabilities=())
    sc = one('    given the elastic ip limit is 1\n    given a running instance "web"\n    then "web" is billed\n')
    assert run_scenario(sc, b).message == "needs billing, ec2, limits"


def test_the_same_scenario_runs_on_the_backend_with_the_capability(reference):
    sc = one('    given a running instance "web"\n    then "web" is billed\n')
    assert run_scenario(sc, reference).status == "passed"


STOP_KEEPS_NO_PUBLIC = '    given a running instance "web"\n    when "web" is stopped\n    then "web" has no public ipv4\n'


def test_diverges_turns_a_failure_into_xfailed_on_that_backend_only(reference, fake):
    sc = one(STOP_KEEPS_NO_PUBLIC, tags='@diverges(fake, "keeps the address")')
    on_fake = run_scenario(sc, fake)
    assert on_fake.status == "xfailed"
    assert on_fake.message == ('known divergence of fake: keeps the address\n'
                               '"web" was expected to have no public ipv4 but has 10.0.0.1')
    assert run_scenario(sc, reference).status == "passed"


def test_a_failure_without_diverges_is_a_failure(fake):
    outcome = run_scenario(one(STOP_KEEPS_NO_PUBLIC), fake)
    assert (outcome.status, outcome.message) == ("failed", '"web" was expected to have no public ipv4 but has 10.0.0.1')


def test_a_stale_divergence_is_xpassed(fake):
    sc = one('    given a running instance "web"\n    then "web" is running\n', tags='@diverges(fake, "old news")')
    outcome = run_scenario(sc, fake)
    assert outcome.status == "xpassed"
    assert outcome.message == 'stale divergence: @diverges(fake, "old news") but the scenario passed on fake'


def test_diverges_leaves_errors_and_skips_alone(fake):
    sc = one('    given a running instance "web"\n    then "web" is billed\n', tags='@diverges(fake, "why")')
    assert run_scenario(sc, fake).status == "skipped"
    b = fake_backend(explode={"observe": RuntimeError("boom")})
    sc = one('    given a running instance "web"\n    then "web" is running\n', tags='@diverges(fake, "why")')
    assert run_scenario(sc, b).status == "error"


def test_misbelief_turns_a_failure_into_xfailed_and_a_pass_into_xpassed(reference):
    wrong = one('    given a running instance "web"\n    when "web" is stopped\n    then "web" has a public ipv4\n',
                tags='@misbelief("the address stays")')
    outcome = run_scenario(wrong, reference)
    assert outcome.status == "xfailed"
    assert outcome.message == 'misbelief caught (the address stays): "web" was expected to have a public ipv4 but has none'
    right = one('    given a running instance "web"\n    then "web" is running\n', tags='@misbelief("x")')
    outcome = run_scenario(right, reference)
    assert (outcome.status, outcome.message) == ("xpassed", '@misbelief("x") but the scenario passed on reference')


def test_only_skips_other_backends(reference, fake):
    sc = one('    given a running instance "web"\n    then "web" is running\n', tags="@only(reference)")
    assert run_scenario(sc, reference).status == "passed"
    outcome = run_scenario(sc, fake)
    assert (outcome.status, outcome.message) == ("skipped", "only runs on reference")
    assert FakeWorld.opened == []


def test_outline_rows_are_scenarios_with_their_row_id(reference):
    scs = scenarios(
        'feature: f\n'
        '  scenario outline: o\n'
        '    given a running instance "web"\n'
        '    when "web" is <action>\n'
        '    then "web" is <state>\n'
        '    examples:\n'
        '      | action  | state   |\n'
        '      | stopped | stopped |\n'
        '      | stopped | running |\n'
    )
    assert [sc.title for sc in scs] == ["o[stopped-stopped]", "o[stopped-running]"]
    good, bad = (run_scenario(sc, reference) for sc in scs)
    assert good.status == "passed"
    assert (bad.status, bad.message) == ("failed", '"web" was expected to be running but is stopped')


# ------------------------------------------------------------------ @misbelief with @diverges
MISBELIEF_ON_A_DIVERGING_BACKEND = '''feature: f
  @misbelief("a stopped instance keeps its public address") @diverges(fake, "the fake keeps the public address of a stopped instance")
  scenario: the wrong belief holds on a backend that departs from AWS
    given a running instance "web"
    when "web" is stopped
    then "web" has a public ipv4

  @misbelief("a stopped instance runs") @diverges(fake, "said to diverge, but does not")
  scenario: a divergence of a misbelief that no longer diverges is stale
    given a running instance "web"
    when "web" is stopped
    then "web" is running
'''


def test_a_divergence_explains_a_misbelief_that_holds_on_that_backend(reference, fake):
    from scenario.matrix import category, record

    holds, stale = scenarios(MISBELIEF_ON_A_DIVERGING_BACKEND)
    on_reference = run_scenario(holds, reference)
    assert on_reference.status == "xfailed" and on_reference.message.startswith("misbelief caught")
    assert category(record(holds, on_reference)) == "misbelief caught"
    on_fake = run_scenario(holds, fake)
    assert (on_fake.status, on_fake.message) == (
        "xfailed", 'known divergence of fake: the fake keeps the public address of a stopped instance '
                   '(so the misbelief "a stopped instance keeps its public address" holds there)')
    assert category(record(holds, on_fake)) == "diverges"
    on_fake = run_scenario(stale, fake)
    assert (on_fake.status, on_fake.message) == (
        "xpassed", 'stale divergence: @diverges(fake, "said to diverge, but does not") but the misbelief is caught on fake')
    assert category(record(stale, on_fake)) == "stale divergence"


# ---------------------------------------------------------------- backend faults, teardown, raw outcomes
def test_a_backend_fault_is_an_error_in_one_line_that_then_it_fails_does_not_capture():
    from scenario.backend import BackendFault

    b = fake_backend(explode={"act stop": BackendFault("stopping an instance was throttled")})
    sc = one('    given a running instance "web"\n    when "web" is stopped\n    then it fails\n')
    outcome = run_scenario(sc, b)
    assert (outcome.status, outcome.message) == ("error", '`when "web" is stopped`: stopping an instance was throttled')
    assert outcome.detail == "" and outcome.step == 1
    assert FakeWorld.opened[0].closed


@pytest.mark.parametrize("claim, status", [
    ('then it fails with "TooManyRequestsException"', "passed"),  # the refusal claimed: documented behaviour
    ("then it fails", "error"),  # a transient is no evidence of a refusal the spec does not name
    ('then it fails with "ResourceConflictException"', "error"),
    ("then it succeeds", "error"),
    ('then "web" is stopped', "error"),  # no claim captures the group
])
def test_a_throttle_is_a_fault_but_for_the_claim_that_names_its_code(claim, status):
    from scenario.backend import Throttled

    throttled = Throttled("stopping an instance was throttled (StopInstances: TooManyRequestsException)",
                          "TooManyRequestsException", "Rate exceeded")
    b = fake_backend(explode={"act stop": throttled})
    outcome = run_scenario(one(f'    given a running instance "web"\n    when "web" is stopped\n    {claim}\n'), b)
    assert outcome.status == status
    if status == "error":  # at the throttled step, in its one line, as any fault
        assert outcome.message == f'`when "web" is stopped`: {throttled}'
        assert (outcome.step, outcome.detail) == (1, "")


def test_a_backend_fault_while_opening_a_world_is_one_line():
    from scenario.backend import BackendFault

    def refuses():
        raise BackendFault("account 1 is not on the allowlist")

    outcome = run_scenario(one('    given a running instance "web"\n'), BackendInfo("x", {"ec2"}, refuses))
    assert (outcome.status, outcome.detail) == ("error", "")
    assert outcome.message == "the x backend could not open a world: account 1 is not on the allowlist"


class _Leaky(FakeWorld):
    def close(self) -> None:
        from scenario.backend import BackendFault

        super().close()
        raise BackendFault("1 resource left behind: elastic ip e-1")


def test_a_teardown_that_leaves_resources_turns_any_outcome_into_an_error():
    leaky = BackendInfo("leaky", {"ec2"}, _Leaky)
    passed = run_scenario(one('    given a running instance "web"\n    then "web" is running\n'), leaky)
    assert passed.status == "error"
    assert passed.message == ("teardown failed: 1 resource left behind: elastic ip e-1\n"
                              "(before the teardown, the scenario was passed)")
    failed = run_scenario(one('    given a running instance "web"\n    then "web" is stopped\n'), leaky)
    assert failed.status == "error" and failed.step == 1
    assert failed.message.endswith("(before the teardown, the scenario was failed: \"web\" was expected to be "
                                   "stopped but is running)")


class _Broken(FakeWorld):
    def close(self) -> None:
        super().close()
        raise RuntimeError("delete_address: connection reset")


def test_a_teardown_that_raises_anything_else_is_an_error_naming_it():
    """Not swallowed: a teardown that breaks half way may leave (billed) resources behind."""
    broken = BackendInfo("broken", {"ec2"}, _Broken)
    passed = run_scenario(one('    given a running instance "web"\n    then "web" is running\n'), broken)
    assert passed.status == "error"
    assert passed.message == ("teardown raised RuntimeError: delete_address: connection reset\n"
                              "(before the teardown, the scenario was passed)")
    assert "RuntimeError" in passed.detail  # the traceback kept aside, as for any fault of a backend
    failed = run_scenario(one('    given a running instance "web"\n    then "web" is stopped\n'), broken)
    assert failed.status == "error" and failed.step == 1
    assert "the scenario was failed" in failed.message


def test_the_world_learns_the_scenario_id_before_the_first_step():
    seen = []

    class Named(FakeWorld):
        def begin(self, scenario_id):
            seen.append((scenario_id, list(self.log)))

    run_scenario(one('    given a running instance "web"\n'), BackendInfo("named", {"ec2"}, Named))
    assert seen == [("t.scn::s", [])]


def test_run_raw_does_not_translate_diverges(fake):
    from scenario.runner import run_raw

    sc = one('    given a running instance "web"\n    when "web" is stopped\n    then "web" has no public ipv4\n',
             tags='@diverges(fake, "keeps it")')
    assert run_scenario(sc, fake).status == "xfailed"
    assert run_raw(sc, fake).status == "failed"


# ---------------------------------------------------------------- call transcripts (--trace)
class _Traced(World):
    """A world over an 'API': every call recorded, its teardown's too; counts how often its transcript is asked for."""

    def __init__(self):
        self.calls: list[str] = []
        self.asked = 0

    def create(self, kind, label, params, relations):
        self.calls.append(f"api.create({kind!r}, Password='***')  → 200, 1 ms")
        return object()

    def act(self, handle, action, target, params):
        return ()

    def observe(self, handle, attribute):
        self.calls.append("api.describe()  → 200, 1 ms")
        return "running"

    def exists(self, handle):
        return True

    def relations(self, handle):
        return frozenset()

    def transcript(self):
        self.asked += 1
        return list(self.calls)

    def close(self):
        self.calls.append("api.delete()  → 200, 1 ms")


TRACED = """\
feature: f
  scenario: a wrong claim
    given a running instance "web"
    then "web" is stopped
"""


def test_the_transcript_is_empty_and_never_asked_for_without_tracing():
    world = _Traced()
    outcome = run_scenario(scenarios(TRACED)[0], BackendInfo("api", {"ec2"}, lambda: world))
    assert outcome.status == "failed" and outcome.transcript == () and world.asked == 0


def test_with_tracing_the_transcript_is_taken_after_close_so_the_teardown_shows():
    from scenario.reporting import render_outcome

    world = _Traced()
    outcome = run_scenario(scenarios(TRACED)[0], BackendInfo("api", {"ec2"}, lambda: world), trace=True)
    assert outcome.status == "failed" and world.asked == 1
    assert outcome.transcript == ("api.create('instance', Password='***')  → 200, 1 ms", "api.describe()  → 200, 1 ms",
                                  "api.delete()  → 200, 1 ms")
    text = render_outcome(scenarios(TRACED)[0], outcome).splitlines()
    at = text.index("  API calls on api (3 calls, the teardown's included, secrets masked):")
    assert text[at + 1:] == ["    " + line for line in outcome.transcript]


def test_a_world_without_calls_leaves_the_transcript_empty_when_tracing(reference):
    outcome = run_scenario(scenarios(TRACED)[0], reference, trace=True)
    assert outcome.status == "failed" and outcome.transcript == ()


def test_timing_an_outcome_copies_every_field():
    """``_timed`` copies Outcome's fields by position, so a field added to Outcome must be added there too."""
    import attrs

    from scenario.errors import SourceSpan
    from scenario.runner import _timed

    values = {"status": "failed", "backend": "b", "message": "m", "step": 2, "span": SourceSpan("x.scn", 3, 4),
              "detail": "d", "not_implemented": "n", "duration": 0.0, "transcript": ("t",), "refused_setup": True}
    assert set(values) == {a.name for a in attrs.fields(Outcome)}  # every field has its own value here
    timed = _timed(Outcome(**values), 1.5)
    assert attrs.asdict(timed, recurse=False) == {**values, "duration": 1.5}
