"""One pass reports every independent mistake: syntax errors and, where the file
did parse, compile errors too — but no guesses about blocks with a bad line."""

import pytest

from scenario.compiler import compile_text
from scenario.errors import ScnCompileError, ScnSyntaxError, SpecErrors
from scenario.plugins import vocabulary

TEXT = '''feature: mistakes
  background:
    given a default vpc
  scenario: a bad line, and a mistake the bad line would hide
    given a running instance "web"
    then it fails with IncorrectInstanceState
    then "web" is runing
  scenario: an unknown kind
    given a running instanse "web"
  scenario: an unknown action
    given a running instance "web"
    when "web" is stoped
'''


def test_syntax_and_compile_errors_are_reported_together():
    with pytest.raises(SpecErrors) as info:
        compile_text(TEXT, vocabulary(), "m.scn")
    got = [(type(e), e.span.line, e.span.col) for e in info.value.errors]
    assert got == [
        (ScnSyntaxError, 6, 24),
        (ScnCompileError, 9, 13),
        (ScnCompileError, 12, 19),
    ]
    assert info.value.errors[2].hint == "did you mean `stopped`?"


def test_a_bad_line_in_the_background_leaves_every_scenario_out():
    text = "feature: f\n  background:\n    given a default vpc with\n  scenario: s\n    given a runing instance\n"
    with pytest.raises(SpecErrors) as info:
        compile_text(text, vocabulary(), "b.scn")
    assert [(type(e), e.span.line) for e in info.value.errors] == [(ScnSyntaxError, 3)]


def test_a_title_with_double_colons_is_refused():
    with pytest.raises(SpecErrors) as info:
        compile_text('feature: f\n  scenario: ns::x\n    given a running instance "web"\n', vocabulary(), "c.scn")
    (err,) = info.value.errors
    assert (err.span.line, err.message) == (2, "a test title cannot hold `::`: it separates the parts of a test id")


def test_a_misspelled_header_is_reported_once_not_once_per_line_under_it():
    text = ('feature: f\n  Backgroud:\n    given a running instance "web"\n'
            '  scenario: s\n    then "web" is running\n'
            '  scenario: t\n    given a running instance "x"\n    examples:\n      | a |\n      | b |\n')
    with pytest.raises(SpecErrors) as info:
        compile_text(text, vocabulary(), "m.scn")
    assert [(e.span.line, e.message) for e in info.value.errors] == [
        (2, "`Backgroud:` is not a keyword"),
        (8, "`examples:` in a scenario: examples belong to a `scenario outline:`"),
    ]


# ================================================================ review findings: the wording of diagnostics
# (folded in from test_review_fixes.py)
from helpers.specs import as_text, errors_of, messages_of  # noqa: E402
from helpers.specs import compile_steps as steps

from scenario import ir  # noqa: E402


def errors_of_file(text: str) -> list[tuple[int, int, str, str | None]]:
    return errors_of(text, whole=True)


# ---------------------------------------------------------------- 8. messages


def test_the_default_vpc_cannot_be_named_in_a_claim():
    assert messages_of("given a default vpc\nthen the default vpc exists") == [
        "the default vpc is implicit and cannot be named in a claim"]


def test_say_whose_uses_the_ec2_vocabulary():
    assert messages_of('given an instance "web"\nthen the number of elastic ips is 1') == [
        'say whose: `the number of elastic ips associated with "web"`']


@pytest.mark.parametrize("second", ["then \"web\" is running", "then it fails", "given an instance \"x\""])
def test_two_step_keywords(second):
    kw = second.split()[0]
    ((line, col, msg, _h),) = errors_of_file(as_text(f'given an instance "web"\nand {second}'))
    assert (line, col, msg) == (4, 5, f"two step keywords: write `{kw} …`")


@pytest.mark.parametrize("claim, said", [
    ('"web" is not retained', "is retained"),
    ('"web" is not passed through stopping', "passed through"),
    ('the host of "web" is not unchanged', "is unchanged"),
])
def test_some_claims_cannot_be_negated(claim, said):
    ((_l, _c, msg, hint),) = errors_of(f'given an instance "web"\nwhen "web" is stopped\nthen {claim}')
    assert msg == f"`{said}` cannot be negated"
    assert hint


def test_does_not_change():
    a = steps('given an instance "web"\nwhen "web" is stopped\nthen the host of "web" does not change')[-1]
    b = steps('given an instance "web"\nwhen "web" is stopped\nthen the host of "web" is unchanged')[-1]
    assert (type(a), a.attribute, a.changed) == (type(b), b.attribute, b.changed) == (ir.ClaimChange, "host", False)


def test_a_description_line_beginning_with_a_step_keyword():
    text = "feature: f\n  When in doubt, ask.\n  scenario: s\n    given an instance\n"
    ((line, col, msg, hint),) = errors_of_file(text)
    assert (line, col, msg) == (2, 3, "a description line cannot begin with the step keyword `When`")
    assert "reword" in hint


def test_an_unclosed_tag():
    ((line, col, msg, _h),) = errors_of_file("@tag(\nfeature: f\n  scenario: s\n    given an instance\n")
    assert (line, col, msg) == (1, 5, "this tag's `(` is never closed")


def test_a_name_suggestion_is_quoted():
    ((_l, _c, _m, hint),) = errors_of('given an instance "web"\nthen "wbe" is running')
    assert hint == 'did you mean `"web"`?'


def test_a_count_claim_wants_the_plural():
    body = 'given an instance "web"\ngiven 2 elastic ips associated with "web"\nthen "web" has {}'
    assert messages_of(body.format("2 elastic ip")) == ["after 2, write the plural: `2 elastic ips`"]
    assert messages_of(body.format("1 elastic ips")) == ["after 1, write the singular: `1 elastic ip`"]
    assert steps(body.format("2 elastic ips"))[-1].value == 2


@pytest.mark.parametrize("line, message, hint_part", [
    ('given an instance\u00a0"web"', "unexpected character U+00A0 NO-BREAK SPACE here", "plain space"),
    ("given an instance \u201cweb\u201d", "unexpected character U+201C LEFT DOUBLE QUOTATION MARK here", "straight quotes"),
    ('given an instance "web"\u200b', "unexpected character U+200B ZERO WIDTH SPACE here", "invisible"),
])
def test_an_odd_character_is_named(line, message, hint_part):
    ((_l, _c, msg, hint),) = errors_of(line)
    assert msg == message
    assert hint_part in hint


def test_a_look_alike_letter_in_a_word_is_named():
    ((_l, _c, msg, hint),) = errors_of('given an inst\u0430nce "web"')
    assert msg == "unknown kind `inst\u0430nce`: it holds U+0430 CYRILLIC SMALL LETTER A"
    assert "retype" in hint


def test_a_state_dependent_boolean_cannot_be_chosen():
    ((_l, _c, msg, _h),) = errors_of("given a billed instance")
    assert msg == "`billed` cannot be chosen: whether an instance is billed follows from its state"


def test_an_action_is_not_a_state():
    ((_l, _c, msg, hint),) = errors_of("given a hibernated instance")
    assert msg == "`hibernated` is an action of an instance, not a state"
    assert "when ... is hibernated" in hint
