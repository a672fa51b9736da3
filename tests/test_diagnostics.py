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
