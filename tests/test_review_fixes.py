"""Review findings: type checks of values, presence-only attributes, contradictions, comparisons
against a when-group, table comments, outline rows and the wording of diagnostics."""

from __future__ import annotations

import pytest

from scenario import ir, plugins
from scenario.compiler import MAX_COUNT, compile_text
from scenario.errors import SpecErrors
from scenario.parser import parse

EC2 = plugins.vocabulary()


def _text(body: str) -> str:
    return "feature: f\n  scenario: s\n" + "".join(f"    {line.strip()}\n" for line in body.strip().splitlines())


def problems(text: str) -> list[tuple[int, int, str, str | None]]:
    """(line, column, message, hint) of every error of a whole file."""
    with pytest.raises(SpecErrors) as info:
        compile_text(text, EC2, "t.scn")
    return [(e.span.line, e.span.col, e.message, e.hint) for e in info.value.errors]


def errs(body: str) -> list[tuple[int, int, str, str | None]]:
    """The errors of one scenario's steps; line 1 is the first step."""
    return [(line - 2, col, msg, hint) for line, col, msg, hint in problems(_text(body))]


def messages(body: str) -> list[str]:
    return [m for _l, _c, m, _h in errs(body)]


def steps(body: str) -> tuple[ir.Step, ...]:
    (sc,) = compile_text(_text(body), EC2, "t.scn").scenarios
    return sc.steps


# ---------------------------------------------------------------- 1. values are type-checked


@pytest.mark.parametrize(
    "value, message",
    [
        ("none", "the elastic ip limit is a whole number, not none"),
        ("2.5", "the elastic ip limit is a whole number, not 2.5"),
        ("10 %", "the elastic ip limit is a plain number; drop the unit `%`"),
        ("10 seconds", "the elastic ip limit is a plain number; drop the unit `seconds`"),
        ('"ten"', 'the elastic ip limit is a whole number, not "ten"'),
    ],
)
def test_a_setting_value_is_type_checked(value, message):
    assert messages(f"given the elastic ip limit is {value}") == [message]


def test_a_whole_setting_value_is_accepted():
    (st,) = steps("given the elastic ip limit is 10")
    assert st.value == 10
    (st,) = steps("given the elastic ip limit is 10.0")
    assert st.value == 10 and isinstance(st.value, int)


def test_a_whole_number_attribute_refuses_a_fraction_in_a_claim():
    assert messages('given an instance "w"\nthen the state code of "w" is 16.5') == ["the state code is a whole number, not 16.5"]
    assert messages('given an instance "w"\nthen the state code of "w" is 16 %') == ["the state code is a plain number; drop the unit `%`"]


def test_a_text_attribute_refuses_a_bare_number():
    ((line, col, msg, _h),) = errs("given an instance with instance type 5")
    assert (line, col) == (1, 42)
    assert msg == 'the instance type is text, not 5; quote it: "5"'
    assert messages('given an instance "w"\nthen the instance id of "w" is 5') == ['the instance id is text, not 5; quote it: "5"']
    (st,) = steps('given an instance with instance type "t3.micro"')
    assert st.params == (("instance type", "t3.micro"),)


# ---------------------------------------------------------------- 2. presence-only attributes


def test_a_presence_attribute_cannot_be_given_a_value():
    ((_l, col, msg, hint),) = errs('given an instance with public ipv4 "1.2.3.4"')
    assert col == 40
    assert msg == "the public ipv4 of an instance cannot be chosen, only whether there is one"
    assert hint == "write `with a public ipv4` or `with no public ipv4`"


def test_a_presence_attribute_is_chosen_with_a_or_no():
    (st,) = steps("given an instance with no public ipv4")
    assert st.params == (("public ipv4", False),)
    (st,) = steps("given an instance with a public ipv4")
    assert st.params == (("public ipv4", True),)
    assert messages("given an instance with public ipv4") == ["say whether it has one: `with a public ipv4` or `with no public ipv4`"]


def test_a_value_attribute_is_not_chosen_with_a():
    assert messages("given an instance with an instance type") == ["give the instance type a value: `with instance type <value>`"]


def test_the_vocabulary_knows_presence_attributes():
    from scenario.vocabulary import Attribute

    assert Attribute("x").choice == "value"
    with pytest.raises(ValueError):
        Attribute("x", choice="sometimes")
    kind = EC2.kinds["instance"]
    assert EC2.attribute(kind, ["public", "ipv4"]).choice == "presence"


# ---------------------------------------------------------------- 3. contradictions


def test_an_attribute_given_twice_at_creation_is_an_error():
    ((_l, col, msg, _h),) = errs("given an instance with a public ipv4 and no public ipv4")
    assert msg == "the public ipv4 is given twice"
    assert col == 46
    assert messages('given an instance with instance type "a" and instance type "a"') == ["the instance type is given twice"]


def test_a_column_twice_in_an_examples_header_is_an_error():
    text = (
        "feature: f\n"
        "  scenario outline: o\n"
        "    given a <s> instance\n"
        "    examples:\n"
        "      | s       | s       |\n"
        "      | running | stopped |\n"
    )
    assert problems(text) == [(5, 19, "the column `s` appears twice in this examples header",
                               "a <placeholder> names one column: rename one of them")]


# ---------------------------------------------------------------- 4. comparing with nothing


@pytest.mark.parametrize("claim, what", [
    ('"e" is retained', "is retained"),
    ('the address of "e" changes', "changes"),
    ('the address of "e" is unchanged', "is unchanged"),
])
def test_a_resource_made_in_the_when_group_has_no_before(claim, what):
    ((line, _c, msg, _h),) = errs(f'when an elastic ip "e" is allocated\nthen {claim}')
    assert line == 2
    assert msg.startswith(f"`{what}` compares with the moment before the when-group, but \"e\" was created in it (line 3)")
    assert msg.endswith("nothing existed before that when-group to compare with")


def test_a_resource_made_in_an_earlier_when_group_has_a_before():
    sc = steps('when an elastic ip "e" is allocated\nwhen "e" is released\nthen "e" is retained')
    assert type(sc[-1]).__name__ == "ClaimRetained"


# ---------------------------------------------------------------- 5. ordering comparisons


def test_an_ordering_needs_numbers_on_both_sides():
    assert messages('given an instance "w"\nthen the state code of "w" is at least the instance id of "w"') == [
        "`at least` compares numbers, and the instance id is text"]
    assert messages('given an instance "w"\nthen the instance id of "w" is less than the state code of "w"') == [
        "the instance id is not a number; it can only be `is` or `is not`"]
    assert messages('given an instance "w"\nthen the state code of "w" is at least none') == [
        "`at least` compares numbers, and none is not a number"]
    st = steps('given an instance "w"\nthen the state code of "w" is at most the state code of "w"')[-1]
    assert st.op == "at most"


# ---------------------------------------------------------------- 6. a comment after a table row


def test_a_comment_after_the_last_bar_is_not_a_cell():
    doc = parse("feature: f\n  scenario outline: o\n    given a <s> instance\n    examples:\n"
                "      | s | # the state\n      | running |  # a comment\n      | a # b |\n")
    (ex,) = doc.scenarios[0].examples
    assert ex.header.cells == ("s",)
    assert [r.cells for r in ex.rows] == [("running",), ("a # b",)]


# ---------------------------------------------------------------- 7. outline rows

OUTLINE = """\
feature: f
  scenario outline: o
    given a running instance "<name>"
    when "<name>" is <action>
    then "<name>" is <state>

    examples:
      | name | action  | state   |
      | web  | stopped | stopped |
      | web  | stopped | stopped |
      | w"x  | stopped | stopped |
      | web  |         | stopped |
      | web  | stopped |         |
"""


def test_a_repeated_row_is_reported_at_the_row():
    dup = [p for p in problems(OUTLINE) if "same test" in p[2]]
    assert dup == [(10, 7, "the examples row at line 10 gives the same test as the examples row at line 9: "
                           "both are titled `o[web-stopped-stopped]`",
                    "each row is a test named by its cells: drop the repeated row or change a cell")]


def test_a_row_reports_its_first_mistake_only():
    lines = [p[0] for p in problems(OUTLINE) if "row at line 11" in p[2]]
    assert lines == [3]


def test_an_empty_cell_is_named():
    got = [p for p in problems(OUTLINE) if "empty" in p[2]]
    assert got == [
        (4, 22, "the cell for <action> is empty (row at line 12)", "fill in the cell"),
        (5, 22, "the cell for <state> is empty (row at line 13)", "fill in the cell"),
    ]


def test_a_caret_never_goes_past_the_template_line():
    text = ("feature: f\n  scenario outline: o\n    given a running instance \"web\"\n    then \"web\" is <state>\n"
            "    examples:\n      | state |\n      | not   |\n")
    ((line, col, msg, _h),) = problems(text)
    assert (line, col) == (4, len('    then "web" is <state>'))
    assert "this step ends too early" in msg


# ---------------------------------------------------------------- 8. messages


def test_the_default_vpc_cannot_be_named_in_a_claim():
    assert messages("given a default vpc\nthen the default vpc exists") == [
        "the default vpc is implicit and cannot be named in a claim"]


def test_say_whose_uses_the_ec2_vocabulary():
    assert messages('given an instance "web"\nthen the number of elastic ips is 1') == [
        'say whose: `the number of elastic ips associated with "web"`']


@pytest.mark.parametrize("second", ["then \"web\" is running", "then it fails", "given an instance \"x\""])
def test_two_step_keywords(second):
    kw = second.split()[0]
    ((line, col, msg, _h),) = problems(_text(f'given an instance "web"\nand {second}'))
    assert (line, col, msg) == (4, 5, f"two step keywords: write `{kw} …`")


@pytest.mark.parametrize("claim, said", [
    ('"web" is not retained', "is retained"),
    ('"web" is not passed through stopping', "passed through"),
    ('the host of "web" is not unchanged', "is unchanged"),
])
def test_some_claims_cannot_be_negated(claim, said):
    ((_l, _c, msg, hint),) = errs(f'given an instance "web"\nwhen "web" is stopped\nthen {claim}')
    assert msg == f"`{said}` cannot be negated"
    assert hint


def test_does_not_change():
    a = steps('given an instance "web"\nwhen "web" is stopped\nthen the host of "web" does not change')[-1]
    b = steps('given an instance "web"\nwhen "web" is stopped\nthen the host of "web" is unchanged')[-1]
    assert (type(a), a.attribute, a.changed) == (type(b), b.attribute, b.changed) == (ir.ClaimChange, "host", False)


def test_a_description_line_beginning_with_a_step_keyword():
    text = "feature: f\n  When in doubt, ask.\n  scenario: s\n    given an instance\n"
    ((line, col, msg, hint),) = problems(text)
    assert (line, col, msg) == (2, 3, "a description line cannot begin with the step keyword `When`")
    assert "reword" in hint


def test_an_unclosed_tag():
    ((line, col, msg, _h),) = problems("@tag(\nfeature: f\n  scenario: s\n    given an instance\n")
    assert (line, col, msg) == (1, 5, "this tag's `(` is never closed")


def test_a_name_suggestion_is_quoted():
    ((_l, _c, _m, hint),) = errs('given an instance "web"\nthen "wbe" is running')
    assert hint == 'did you mean `"web"`?'


def test_a_count_claim_wants_the_plural():
    body = 'given an instance "web"\ngiven 2 elastic ips associated with "web"\nthen "web" has {}'
    assert messages(body.format("2 elastic ip")) == ["after 2, write the plural: `2 elastic ips`"]
    assert messages(body.format("1 elastic ips")) == ["after 1, write the singular: `1 elastic ip`"]
    assert steps(body.format("2 elastic ips"))[-1].value == 2


@pytest.mark.parametrize("line, message, hint_part", [
    ('given an instance\u00a0"web"', "unexpected character U+00A0 NO-BREAK SPACE here", "plain space"),
    ("given an instance \u201cweb\u201d", "unexpected character U+201C LEFT DOUBLE QUOTATION MARK here", "straight quotes"),
    ('given an instance "web"\u200b', "unexpected character U+200B ZERO WIDTH SPACE here", "invisible"),
])
def test_an_odd_character_is_named(line, message, hint_part):
    ((_l, _c, msg, hint),) = errs(line)
    assert msg == message
    assert hint_part in hint


def test_a_look_alike_letter_in_a_word_is_named():
    ((_l, _c, msg, hint),) = errs('given an inst\u0430nce "web"')
    assert msg == "unknown kind `inst\u0430nce`: it holds U+0430 CYRILLIC SMALL LETTER A"
    assert "retype" in hint


def test_a_state_dependent_boolean_cannot_be_chosen():
    ((_l, _c, msg, _h),) = errs("given a billed instance")
    assert msg == "`billed` cannot be chosen: whether an instance is billed follows from its state"


def test_an_action_is_not_a_state():
    ((_l, _c, msg, hint),) = errs("given a hibernated instance")
    assert msg == "`hibernated` is an action of an instance, not a state"
    assert "when ... is hibernated" in hint


# ---------------------------------------------------------------- 9. counts are capped


def test_a_huge_count_is_refused():
    assert MAX_COUNT == 1000
    assert messages("given 100000000 instances") == ["a count is at most 1,000 in one step"]
    assert len(steps("given 1000 elastic ips")) == 1000
