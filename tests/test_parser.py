"""The parser: every example of the language brief parses; structure, tags, comments, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scenario import plugins
from scenario import syntax as s
from scenario.compiler import compile_text
from scenario.errors import ScnSyntaxError, SpecErrors
from scenario.parser import parse, parse_sentence

LANGUAGE_MD = Path(__file__).resolve().parents[1] / "docs" / "brief" / "LANGUAGE.md"  # the language brief, as given

# ---------------------------------------------------------------- the brief's examples, inline
# A copy of the ``` blocks of LANGUAGE.md, so that this file also runs without it (an sdist leaves docs/ out).

FULL_EXAMPLE = '''\
@ec2 @networking
feature: EC2 IP addressing across stop and start
  Free description lines, as in Gherkin, until the first background, rule, tag or scenario.

  background:
    given a default vpc

  @fact(ec2.ip.public-released-on-stop)
  scenario: a public IPv4 is released on stop and replaced on start
    given a running instance "web" with a public ipv4
    when "web" is stopped
    then "web" is stopped
    and "web" has no public ipv4
    when "web" is started
    then "web" has a public ipv4

  scenario: a stop and start gives a new public IPv4 and keeps the private one
    given a running instance "web" with a public ipv4
    when "web" is stopped and started
    then the public ipv4 of "web" changes
    and the private ipv4 of "web" is unchanged

  scenario outline: lifecycle actions end in their documented state
    given a running instance "web"
    when "web" is <action>
    then "web" is <state>

    examples:
      | action     | state      |
      | stopped    | stopped    |
      | rebooted   | running    |
      | terminated | terminated |
'''

STEP_BLOCKS = [
    '''\
given a running instance "web"
given a stopped instance with an EIP
given a terminated instance "gone"
given 7 running instances in placement group "pg"
given 5 elastic ips
given a spread placement group "pg"
given an elastic ip "eip" associated with "web"
given a network interface "eni" attached to "web"
given a db instance "db" with engine "mysql" and backup retention 7 days
given an encrypted db instance "db2" with engine "postgres"
given 2 read replicas of "db"
given a lambda function "fn" with timeout 30 seconds
given a dynamodb table "t"
given a kinesis stream "s" with 2 shards
''',
    '''\
given the elastic ip limit is 10
given the read replica limit is 15
''',
    '''\
when "web" is stopped            # the participle of an action of the kind
when "web" is stopped and started
when started                     # subject from the previous step
when an elastic ip "eip2" is allocated
when "eip" is associated with "web"
when "eni" is detached
when an instance "w8" is launched in placement group "pg"
when a read replica "r" of "db" is created
when a lambda function "f2" is created with timeout 901 seconds
when an item of 401 KB is put into "t"   # an item whose computed size (names and values) is 401 KB
when 2 minutes pass              # virtual clock: only backends with the capability `clock`
''',
    '''\
then "web" is running                      # a state, or a boolean attribute: billed, encrypted
then "web" is not billed                   # `not` negates a state, a boolean or a relation
then "web" exists / then "web" does not exist
then "web" passed through stopping
then "web" has a public ipv4 / has no public ipv4
then the public ipv4 of "web" is "203.0.113.7" / is none / is not none
then the state code of "web" is 16
then the timeout of "fn" is 3 seconds
then the number of read replicas of "db" is at most 5   # is / is not / is at least / is at most / is greater than / is less than
then the public ipv4 of "web" equals the address of "eip"
then the public ipv4 of "web" changes      # vs. the value just before the nearest when-group
then the private ipv4 of "web" is unchanged
then "eip" is associated with "web"        # a relation of the vocabulary
then "eni" is not attached to "web"
then EIP is retained                       # still exists, relations unchanged since before the when-group
then it fails with "IncorrectInstanceState"
then it fails                              # any error
then it succeeds
''',
    '''\
given a stopped instance with an EIP
when started
then public IPv4 changes
and EIP is retained
''',
]

INLINE_BLOCKS = [FULL_EXAMPLE] + STEP_BLOCKS

# The comparators listed in the comment of the `number of` example.
COMPARATOR_SENTENCES = [
    'the number of read replicas of "db" is 5',
    'the number of read replicas of "db" is not 5',
    'the number of read replicas of "db" is at least 5',
    'the number of read replicas of "db" is at most 5',
    'the number of read replicas of "db" is greater than 5',
    'the number of read replicas of "db" is less than 5',
]


def code_blocks(markdown: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^```[^\n]*\n(.*?)^```", markdown, re.S | re.M)]


def strip_comment(line: str) -> str:
    inside = False
    for i, ch in enumerate(line):
        if ch == '"':
            inside = not inside
        elif ch == "#" and not inside:
            return line[:i].rstrip()
    return line.rstrip()


_KW = re.compile(r"^\s*(given|when|then|and|but)\s+(.*)$", re.I)


def step_sentences(block: str) -> list[str]:
    """The sentences of the step lines of a block: keyword dropped, comment stripped, `/` alternatives split."""
    out = []
    for line in block.splitlines():
        m = _KW.match(strip_comment(line))
        if not m or "<" in m.group(2):
            continue
        for alt in m.group(2).split(" / "):
            alt = alt.strip()
            km = _KW.match(alt)
            out.append(km.group(2) if km else alt)
    return out


def as_document(block: str) -> str:
    """A block of step lines as a file: a feature with one scenario."""
    if re.search(r"^\s*@?\w*\s*feature\s*:", block, re.M | re.I):
        return block
    body = "\n".join("    " + strip_comment(line).split(" / ")[0] for line in block.splitlines() if line.strip())
    return f"feature: f\n  scenario: s\n{body}\n"


def _ids(blocks):
    return [f"block{i}" for i in range(len(blocks))]


# ---------------------------------------------------------------- the brief, from the file


@pytest.fixture(scope="module")
def language_blocks() -> list[str]:
    if not LANGUAGE_MD.is_file():
        pytest.skip(f"{LANGUAGE_MD} is absent")
    return code_blocks(LANGUAGE_MD.read_text(encoding="utf-8"))


def test_language_md_blocks_are_all_found(language_blocks):
    assert len(language_blocks) >= 6
    assert any("scenario outline:" in b for b in language_blocks)


def test_language_md_blocks_parse_as_documents(language_blocks):
    for block in language_blocks:
        parse(as_document(block), "LANGUAGE.md")


def test_language_md_step_sentences_parse(language_blocks):
    sentences = [x for b in language_blocks for x in step_sentences(b)]
    assert len(sentences) >= 50
    for text in sentences:
        parse_sentence(text)


def test_inline_copy_matches_language_md(language_blocks):
    """The inline copy is kept up to date: every inline sentence is still an example of the brief."""
    from_file = {x for b in language_blocks for x in step_sentences(b)}
    inline = {x for b in INLINE_BLOCKS for x in step_sentences(b)}
    assert inline <= from_file, sorted(inline - from_file)


# ---------------------------------------------------------------- the brief, inline


@pytest.mark.parametrize("block", INLINE_BLOCKS, ids=_ids(INLINE_BLOCKS))
def test_inline_blocks_parse_as_documents(block):
    doc = parse(as_document(block), "inline.scn")
    assert doc.title


@pytest.mark.parametrize("text", [x for b in INLINE_BLOCKS for x in step_sentences(b)] + COMPARATOR_SENTENCES)
def test_inline_step_sentences_parse(text):
    sentence = parse_sentence(text)
    assert isinstance(sentence, s.Sentence)
    assert (sentence.np, sentence.predicate, sentence.passing) != (None, None, None)


def test_step_sentence_count():
    # 14 + 2 + 11 + 22 (18 lines, alternatives split) + 4
    assert [len(step_sentences(b)) for b in STEP_BLOCKS] == [14, 2, 11, 22, 4]


def test_full_example_structure_and_compile():
    doc = parse(FULL_EXAMPLE, "ip.scn")
    assert doc.title == "EC2 IP addressing across stop and start"
    assert [t.name for t in doc.tags] == ["ec2", "networking"]
    assert doc.description == ("Free description lines, as in Gherkin, until the first background, rule, tag or scenario.",)
    assert [st.keyword for st in doc.background.steps] == ["given"]
    assert [(b.keyword, len(b.steps)) for b in doc.scenarios] == [("scenario", 6), ("scenario", 4), ("outline", 3)]
    outline = doc.scenarios[2]
    assert outline.examples[0].header.cells == ("action", "state")
    assert [r.cells for r in outline.examples[0].rows] == [("stopped", "stopped"), ("rebooted", "running"), ("terminated", "terminated")]
    feature = compile_text(FULL_EXAMPLE, plugins.vocabulary(), "ip.scn")
    assert [sc.title for sc in feature.scenarios] == [
        "a public IPv4 is released on stop and replaced on start",
        "a stop and start gives a new public IPv4 and keeps the private one",
        "lifecycle actions end in their documented state[stopped-stopped]",
        "lifecycle actions end in their documented state[rebooted-running]",
        "lifecycle actions end in their documented state[terminated-terminated]",
    ]


def test_user_example_compiles():
    feature = compile_text(as_document(STEP_BLOCKS[-1]), plugins.vocabulary(), "user.scn")
    assert len(feature.scenarios[0].steps) == 7


# ---------------------------------------------------------------- sentences


def test_sentence_shapes():
    sen = parse_sentence('a running instance "web" with a public ipv4')
    np = sen.np
    assert (np.form, np.det, np.words.words, np.name.value) == ("indef", "a", ("running", "instance"), "web")
    assert [(c.connector, c.body.kind, c.body.det, c.body.words.words) for c in np.clauses] == [("with", "det", "a", ("public", "ipv4"))]
    assert sen.predicate is None

    sen = parse_sentence('"web" is stopped and started')
    assert sen.np.form == "name"
    p = sen.predicate
    assert (p.form, p.negated, p.words.words) == ("is_words", False, ("stopped",))
    assert [(c.connector, c.body.words.words) for c in p.clauses] == [("and", ("started",))]

    sen = parse_sentence("2 minutes pass")
    assert (sen.passing.kind, sen.passing.value, sen.passing.unit) == ("quantity", 2, "minutes")

    sen = parse_sentence('it fails with "IncorrectInstanceState"')
    assert (sen.np.form, sen.predicate.form, sen.predicate.extra) == ("it", "fails", "IncorrectInstanceState")

    sen = parse_sentence('the number of read replicas of "db" is at most 5')
    assert (sen.np.form, sen.np.words.words, sen.predicate.form, sen.predicate.extra, sen.predicate.value.value) == (
        "count", ("read", "replicas"), "compare", "at most", 5)

    sen = parse_sentence('"web" does not exist')
    assert (sen.predicate.form, sen.predicate.negated) == ("exists", True)

    sen = parse_sentence("has no public ipv4")
    assert (sen.np, sen.predicate.form, sen.predicate.negated, sen.predicate.words.words) == (None, "has", True, ("public", "ipv4"))


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("1 second", 1, "seconds"),
        ("15 MINUTES", 15, "minutes"),
        ("2 hours", 2, "hours"),
        ("7 day", 7, "days"),
        ("1 byte", 1, "bytes"),
        ("401 kb", 401, "KB"),
        ("3 Mb", 3, "MB"),
        ("1.5 GB", 1.5, "GB"),
        ("50 %", 50, "%"),
        ("1,024 bytes", 1024, "bytes"),
    ],
)
def test_quantities(text, value, unit):
    lit = parse_sentence(f'the timeout of "fn" is {text}').predicate.value
    assert (lit.kind, lit.value, lit.unit) == ("quantity", value, unit)


def test_literals():
    def value(t):
        return parse_sentence(f'the x of "y" is {t}').predicate.value

    assert (value('"a \\"b\\""').kind, value('"a \\"b\\""').value) == ("string", 'a "b"')
    assert (value("none").kind, value("none").value) == ("none", None)
    assert (value("TRUE").kind, value("TRUE").value) == ("true", True)
    assert (value("false").kind, value("false").value) == ("false", False)
    assert (value("16").kind, value("16").value) == ("number", 16)


def test_function_words_stay_words_where_no_keyword_fits():
    # `no`, `at` and `number` are keywords only where the grammar expects them
    sen = parse_sentence('the number code of "x" is 3')
    assert (sen.np.form, sen.np.words.words) == ("the", ("number", "code"))
    sen = parse_sentence('"x" is at rest')
    assert (sen.predicate.form, sen.predicate.words.words) == ("is_words", ("at", "rest"))
    sen = parse_sentence('the no of "x" is 3')
    assert sen.np.words.words == ("no",)
    sen = parse_sentence('"web" is at most 3')
    assert (sen.predicate.form, sen.predicate.extra) == ("compare", "at most")


def test_sentence_error_column_is_shifted_to_the_source_line():
    line = '    then "web" is'
    with pytest.raises(SpecErrors) as info:
        parse_sentence('"web" is', "x.scn", 7, 9, line)
    err = info.value.errors[0]
    assert (err.span.line, err.span.col) == (7, 18)
    assert err.message.startswith("this step ends too early")


# ---------------------------------------------------------------- structure

STRUCTURE = '''\
# a comment before everything
@ec2 @team(platform, "the platform team")
Feature: structure
  First description line.
  Second one # with a comment

  Background: the feature's
    Given a default vpc

  @smoke
  Scenario: plain
    Given a running instance "web#1"   # `#` inside quotes is not a comment
    Then "web#1" is running

  @rule-tag
  Rule: a rule
    Rule description.

    Background:
      given a running instance "r"

    Scenario Outline: outline <a>
      when "r" is <a>
      then "r" is <b>

      @first
      Examples: one
        | a        | b       |
        | stopped  | stopped |

      @second @only(reference)
      Scenarios:
        | a          | b          |
        | rebooted   | running    |
        | terminated | terminated |

  Rule: another
    Example: e
      given a running instance "x"
'''


def test_structure():
    doc = parse(STRUCTURE, "st.scn")
    assert doc.title == "structure"
    assert [(t.name, t.args) for t in doc.tags] == [("ec2", ()), ("team", ("platform", "the platform team"))]
    assert doc.description == ("First description line.", "Second one")
    assert doc.background.title == "the feature's"
    assert [b.title for b in doc.scenarios] == ["plain"]
    plain = doc.scenarios[0]
    assert [t.name for t in plain.tags] == ["smoke"]
    assert plain.steps[0].sentence.np.name.value == "web#1"
    assert [r.title for r in doc.rules] == ["a rule", "another"]
    rule = doc.rules[0]
    assert [t.name for t in rule.tags] == ["rule-tag"]
    assert rule.description == ("Rule description.",)
    assert [st.line for st in rule.background.steps] == [20]
    outline = rule.scenarios[0]
    assert (outline.keyword, outline.title) == ("outline", "outline <a>")
    assert [st.template for st in outline.steps] == ['"r" is <a>', '"r" is <b>']
    assert [(e.title, [t.name for t in e.tags], e.header.cells, len(e.rows)) for e in outline.examples] == [
        ("one", ["first"], ("a", "b"), 1),
        ("", ["second", "only"], ("a", "b"), 2),
    ]
    assert outline.examples[1].tags[1].args == ("reference",)
    assert doc.rules[1].scenarios[0].keyword == "scenario"
    assert doc.rules[1].background is None


def test_structure_compiles_with_inherited_tags():
    feature = compile_text(STRUCTURE, plugins.vocabulary(), "st.scn")
    titles = [sc.title for sc in feature.scenarios]
    assert titles == ["plain", "outline stopped[stopped-stopped]", "outline rebooted[rebooted-running]",
                      "outline terminated[terminated-terminated]", "e"]
    tags = [[t.name for t in sc.tags] for sc in feature.scenarios]
    assert tags == [
        ["ec2", "team", "smoke"],
        ["ec2", "team", "rule-tag", "first"],
        ["ec2", "team", "rule-tag", "second", "only"],
        ["ec2", "team", "rule-tag", "second", "only"],
        ["ec2", "team"],
    ]
    assert [sc.only for sc in feature.scenarios] == [(), (), ("reference",), ("reference",), ()]
    assert [sc.rule for sc in feature.scenarios] == [None, "a rule", "a rule", "a rule", "another"]
    # the rule's background runs after the feature's
    assert [st.span.line for st in feature.scenarios[1].steps] == [8, 20, 23, 24]


def test_keywords_are_case_insensitive():
    text = "FEATURE: f\n  SCENARIO OUTLINE: o\n    GIVEN a running instance \"w\"\n    WHEN \"w\" IS <a>\n    THEN \"w\" Is Stopped\n    AND \"w\" HAS NO public ipv4\n    BUT \"w\" DOES NOT EXIST\n  EXAMPLES:\n    | a |\n    | stopped |\n"
    doc = parse(text)
    block = doc.scenarios[0]
    assert block.keyword == "outline"
    assert [st.keyword for st in block.steps] == ["given", "when", "then", "and", "but"]
    assert block.steps[3].sentence.predicate.form == "has"
    assert block.steps[4].sentence.predicate.form == "exists"
    assert block.steps[4].sentence.predicate.negated is True


def test_keywords_with_letters_python_folds_to_ascii():
    # Python's case-insensitive regexes equate İ ı ſ K with i i s k; keywords still come out plain
    doc = parse('feature: f\n  scenarİo: s\n    gİven a running instance "a"\n    then the x of "a" iſ at leaſt 3 KB\n')
    block = doc.scenarios[0]
    assert block.keyword == "scenario"
    assert [st.keyword for st in block.steps] == ["given", "then"]
    pred = block.steps[1].sentence.predicate
    assert (pred.extra, pred.value.unit) == ("at least", "KB")


def test_scenario_template_and_example_synonyms():
    doc = parse("feature: f\n  scenario template: t\n    given a x \"<n>\"\n    examples:\n      | n |\n      | 1 |\n  example: e\n    given a x\n")
    assert [b.keyword for b in doc.scenarios] == ["outline", "scenario"]


def test_comments_and_blank_lines_anywhere():
    text = "\n\n# c\nfeature: f # c\n\n  # c\n  scenario: s # c\n    # c\n    given a running instance \"a # b\" # c\n\n"
    doc = parse(text)
    assert doc.title == "f"
    assert doc.scenarios[0].title == "s"
    assert doc.scenarios[0].steps[0].sentence.np.name.value == "a # b"


def test_tag_args_forms():
    doc = parse('@a @b() @c(x) @d(x, "y z", 1.5) @e.f-g:h\nfeature: f\n')
    assert [(t.name, t.args) for t in doc.tags] == [
        ("a", ()), ("b", ()), ("c", ("x",)), ("d", ("x", "y z", "1.5")), ("e.f-g:h", ()),
    ]


def test_bom_and_no_final_newline():
    doc = parse("\ufefffeature: f\n  scenario: s\n    given a running instance")
    assert doc.scenarios[0].steps[0].sentence.np.words.words == ("running", "instance")


def test_table_cells_escapes():
    doc = parse('feature: f\n  scenario outline: o\n    given a x "<a>"\n    examples:\n      | a |\n      | p\\|q |\n      | r\\\\s |\n')
    assert [r.cells for r in doc.scenarios[0].examples[0].rows] == [("p|q",), ("r\\s",)]


def test_step_columns():
    doc = parse('feature: f\n  scenario: s\n      when   "web" is stopped\n    then "web" is <x>\n'.replace("scenario:", "scenario outline:") + "    examples:\n      | x |\n      | y |\n")
    st = doc.scenarios[0].steps
    assert (st[0].line, st[0].col, st[0].text_col) == (3, 7, 14)
    assert (st[1].line, st[1].col, st[1].text_col, st[1].template) == (4, 5, 10, '"web" is <x>')


# ---------------------------------------------------------------- errors: columns and carets


def _errors(text: str) -> list[ScnSyntaxError]:
    with pytest.raises(SpecErrors) as info:
        parse(text, "e.scn")
    return list(info.value.errors)


def test_unclosed_quote_points_at_the_quote():
    (err,) = _errors('feature: f\n  scenario: s\n    given a running instance "web\n')
    assert isinstance(err, ScnSyntaxError)
    assert (err.span.line, err.span.col) == (3, 30)
    assert err.render() == (
        'e.scn:3:30: syntax error: this quoted name is never closed\n'
        '       3 |     given a running instance "web\n'
        '         |                              ^^^^\n'
        '    hint: close it with a second " on the same line'
    )


def test_step_ending_too_early_points_past_the_end():
    (err,) = _errors('feature: f\n  scenario: s\n    then "web" is   \n')
    assert (err.span.line, err.span.col) == (3, 18)
    assert err.render().splitlines()[2] == "         |                  ^"


def test_unexpected_token_column():
    (err,) = _errors('feature: f\n  scenario: s\n    then "web" is running "x"\n')
    assert (err.span.line, err.span.col) == (3, 27)
    assert err.message == 'unexpected `"x"` here; expected with, and, in, of, to, into or from or the end of the line'
    assert err.render().splitlines()[2] == "         |                           ^^^"


def test_misspelled_keywords():
    errs = _errors("feature: f\n  Scenaro: s\n  scenario: t\n    given a x\n    Thne \"web\" is running\n  Backgroud:\n")
    assert [(e.span.line, e.span.col, e.message, e.hint) for e in errs] == [
        (2, 3, "`Scenaro:` is not a keyword", "did you mean `scenario:`?"),
        (5, 5, "`Thne` is not a step keyword", "did you mean `then`?"),
        (6, 3, "`Backgroud:` is not a keyword", "did you mean `background:`?"),
    ]


def test_misspelled_step_keyword_in_a_description():
    (err,) = _errors("feature: f\n  Giiven a running instance\n")
    assert (err.span.line, err.span.col, err.message, err.hint) == (2, 3, "`Giiven` is not a step keyword", "did you mean `given`?")


def test_every_line_error_is_reported():
    errs = _errors('feature: f\n  scenario: s\n    given "a\n    then "b" is\n    when "c" is ; x\n')
    assert [(e.span.line, e.span.col) for e in errs] == [(3, 11), (4, 16), (5, 17)]
    assert [e.message.split("; expected")[0] for e in errs] == [
        "this quoted name is never closed", "this step ends too early: say what it is after `is`", "unexpected `;` here"]


def test_no_feature():
    (err,) = _errors("\n# only a comment\n")
    assert (err.span.line, err.span.col, err.message) == (1, 1, "this file has no `feature:`")


def test_text_outside_any_block():
    errs = _errors("hello there\nfeature: f\n")
    assert [(e.span.line, e.message) for e in errs] == [(1, "text outside any block")]


def test_dangling_tags():
    errs = _errors("feature: f\n  scenario: s\n    given a x\n  @t\n    given a y\n  @end\n")
    assert [(e.span.line, e.span.col, e.message) for e in errs] == [
        (4, 3, "tags must be followed by feature, rule, scenario or examples"),
        (6, 3, "tags at the end of the file tag nothing"),
    ]


def test_errors_are_sorted_and_rendered_one_after_another():
    text = "feature: f\n  scenario: s\n    then \"x\" is\n  Scenaro: t\n"
    with pytest.raises(SpecErrors) as info:
        parse(text, "e.scn")
    rendered = info.value.render()
    assert rendered == "\n".join(e.render() for e in info.value.errors)
    assert rendered.startswith("e.scn:3:") and "\ne.scn:4:3: syntax error:" in rendered
    assert [e.span.line for e in info.value.errors] == [3, 4]


# (folded in from test_review_fixes.py)
# ---------------------------------------------------------------- 6. a comment after a table row


def test_a_comment_after_the_last_bar_is_not_a_cell():
    doc = parse("feature: f\n  scenario outline: o\n    given a <s> instance\n    examples:\n"
                "      | s | # the state\n      | running |  # a comment\n      | a # b |\n")
    (ex,) = doc.scenarios[0].examples
    assert ex.header.cells == ("s",)
    assert [r.cells for r in ex.rows] == [("running",), ("a # b",)]


# ---------------------------------------------------------------- each shape of line parsed once


def _shapes_and_whole(text: str):
    from scenario.parser import _lark_items, _LineShapes

    lines = (text if text.endswith("\n") else text + "\n").split("\n")
    return _LineShapes().parse(lines), _lark_items(text)


def test_line_shapes_give_what_lark_gives_on_the_whole_library():
    """The memo of line shapes is only a speed-up: on every spec of the library, the same items as one Lark parse."""
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "specs").rglob("*.scn")) + sorted((root / "tests" / "golden").rglob("good/*.scn"))
    assert len(files) > 60
    for f in files:
        shaped, whole = _shapes_and_whole(f.read_text(encoding="utf-8"))
        assert repr(shaped) == repr(whole), f


@pytest.mark.parametrize("line", [
    '    then "web" fails with "InvalidParameterValue"',  # the code is kept as text: read as written
    '    given an instance "a\\"b" with tag "x"',  # an escaped quote inside a name
    '    when "web#1" is stopped  # a comment with "quotes"',
    '  scenario: about "quotes" and #hashes',
    '  scenario outline: a title',
    "  Scenario:   spaced title   ",
    '    then the number of instances is 3',
])
def test_a_line_of_a_known_shape_keeps_its_own_names(line):
    from scenario.parser import _LineShapes

    shapes = _LineShapes()
    other = line.replace("web", "dbx").replace("title", "eltit")
    for text in (line, other, line):  # the second and third come from the memo
        lark_items = _shapes_and_whole(text + "\n")[1]
        assert repr(shapes.items(text, 1)) == repr(lark_items), text


def test_a_line_that_does_not_parse_is_reported_as_written():
    doc_text = 'feature: f\n  scenario: s\n    given a running instance "web\n'
    with pytest.raises(SpecErrors) as exc:
        parse(doc_text, "a.scn")
    assert exc.value.errors[0].span.line == 3
