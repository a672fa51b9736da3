"""The compiler: resolution of words against a vocabulary, references, outlines, tags, quantities."""

from __future__ import annotations

import pytest

from scenario import ir, plugins
from scenario.compiler import compile_text
from scenario.errors import ConfigurationError, ScnCompileError, SpecErrors
from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State, Vocabulary

EC2 = plugins.vocabulary()

# A tiny vocabulary of our own, with quantities (no lambda kind ships yet).
FUNCTION = Kind(
    name="lambda function",
    aliases=("function", "fn"),
    plurals=("lambdae",),
    capability="lambda",
    states=(State("pending", stable=False), State("active"), State("inactive")),
    attributes=(
        Attribute("timeout", "quantity", dimension="duration", settable=True),
        Attribute("memory", "quantity", dimension="size", settable=True),
        Attribute("ratio", "quantity", dimension="percent", settable=True, integer=False),
        Attribute("retries", "number", settable=True),
        Attribute("encrypted", "boolean", settable=True),
        Attribute("architecture", "enum", values=("x86", "arm"), settable=True),
        Attribute("runtime", "text", settable=True),
    ),
    actions=(
        Action("create", "created", creates=True, result="active", params=("timeout", "memory", "ratio", "retries", "runtime")),
        Action("deactivate", "deactivated", result="inactive", from_states=("active",)),
        Action("activate", "activated", result="active", from_states=("inactive",)),
        Action("update", "updated", params=("timeout",)),
        Action("attach", "attached", target="layer", preposition="to", target_required=True),
    ),
)
LAYER = Kind(
    name="layer",
    attributes=(Attribute("size", "quantity", dimension="size"),),
    actions=(Action("publish", "published", creates=True),),
    relations=(Relation("attached", "to", "lambda function", make=None),),
)
TINY = Vocabulary([FUNCTION, LAYER, Setting("concurrency limit", "number", default=10)])


def compile_(text: str, vocab: Vocabulary = EC2) -> ir.Feature:
    return compile_text(text, vocab, "t.scn")


def steps(body: str, vocab: Vocabulary = EC2) -> tuple[ir.Step, ...]:
    """The IR steps of one scenario whose step lines are ``body``."""
    text = "feature: f\n  scenario: s\n" + "".join(f"    {line.strip()}\n" for line in body.strip().splitlines())
    (sc,) = compile_(text, vocab).scenarios
    return sc.steps


def scenario(body: str, vocab: Vocabulary = EC2) -> ir.Scenario:
    text = "feature: f\n  scenario: s\n" + "".join(f"    {line.strip()}\n" for line in body.strip().splitlines())
    (sc,) = compile_(text, vocab).scenarios
    return sc


def errors(body: str, vocab: Vocabulary = EC2) -> list[tuple[int, int, str]]:
    """(line within body, column, message) of every error; line 1 is the first step."""
    text = "feature: f\n  scenario: s\n" + "".join(f"    {line.strip()}\n" for line in body.strip().splitlines())
    with pytest.raises(SpecErrors) as info:
        compile_(text, vocab)
    for e in info.value.errors:
        assert isinstance(e, ScnCompileError)
    return [(e.span.line - 2, e.span.col, e.message) for e in info.value.errors]


def hints(body: str, vocab: Vocabulary = EC2) -> list[str | None]:
    text = "feature: f\n  scenario: s\n" + "".join(f"    {line.strip()}\n" for line in body.strip().splitlines())
    with pytest.raises(SpecErrors) as info:
        compile_(text, vocab)
    return [e.hint for e in info.value.errors]


def brief(st: ir.Step) -> tuple:
    """A step as (class name, the fields that matter)."""
    skip = {"span", "keyword", "text", "group"}
    import attrs

    return (type(st).__name__,) + tuple(getattr(st, a.name) for a in attrs.fields(type(st)) if a.name not in skip)


# ---------------------------------------------------------------- kinds: longest match, aliases, plurals, adjectives


def test_find_kind_is_longest_match():
    assert EC2.find_kind(["running", "ec2", "instance"])[:2] == (1, 3)
    assert EC2.find_kind(["elastic", "ip", "address"])[:2] == (0, 3)
    assert EC2.find_kind(["elastic", "ip"])[2].name == "elastic ip"
    assert EC2.find_kind(["five", "elastic", "ips"])[2:] == (EC2.kinds["elastic ip"], True)
    assert EC2.find_kind(["nothing", "here"]) is None


def test_longest_kind_phrase_wins_over_adjective_reading():
    # `ec2 instance` is an alias; `ec2` is not an adjective of `instance`
    sc = scenario('given a running ec2 instance "a"\nand an elastic ip address "e"')
    assert [(s.kind, s.name) for s in sc.slots] == [("instance", "a"), ("elastic ip", "e")]


@pytest.mark.parametrize("phrase", ["elastic ip", "EIP", "eip", "Elastic IP", "elastic ipv4", "elastic ip address"])
def test_aliases_are_case_insensitive(phrase):
    (st,) = steps(f'given an {phrase} "e"')
    assert brief(st) == ("Create", 0, "elastic ip", "allocate", (), (), True)


@pytest.mark.parametrize("text, n", [("5 elastic ips", 5), ("2 EIPs", 2), ("3 eips", 3), ("2 running servers", 2), ("1,000 instances", 1000)])
def test_plurals_after_a_count(text, n):
    sc = scenario(f"given {text}")
    assert len(sc.slots) == n
    assert [s.number for s in sc.slots] == list(range(1, n + 1))
    assert sc.slots[-1].label == f"{sc.slots[-1].kind} #{n}"


def test_irregular_plural():
    sc = scenario("given 3 lambdae", TINY)
    assert [s.label for s in sc.slots] == ["lambda function #1", "lambda function #2", "lambda function #3"]


def test_count_and_plural_must_agree():
    assert errors("given 2 elastic ip") == [(1, 13, "after 2, write the plural: `2 elastic ips`")]
    assert errors("given an elastic ips") == [(1, 14, "one elastic ip, or several? write `an elastic ip` or a number")]


def test_adjectives_state_boolean_enum():
    assert [brief(s) for s in steps('given a stopped instance "a"')] == [
        ("Create", 0, "instance", "launch", (), (), True),
        ("Act", 0, "stop", None, (), True),
    ]
    assert [brief(s) for s in steps('given a terminated instance "a"')][1] == ("Act", 0, "terminate", None, (), True)
    (st,) = steps('given an encrypted arm fn "f"', TINY)
    assert st.params == (("encrypted", True), ("architecture", "arm"))
    sts = steps('given an inactive encrypted lambda function "f"', TINY)
    assert [brief(s) for s in sts] == [
        ("Create", 0, "lambda function", "create", (("encrypted", True),), (), True),
        ("Act", 0, "deactivate", None, (), True),
    ]


def test_adjective_errors():
    assert errors('given a pending lambda function "f"', TINY) == [
        (1, 13, "`pending` is a transitional state: it cannot be given, only passed through")]
    assert errors('given an active inactive fn "f"', TINY) == [(1, 14, "two states for one lambda function: active and inactive")]
    assert hints('given an activ fn "f"', TINY) == ["did you mean `active`?"]


def test_unknown_kind_names_the_word_and_suggests():
    assert errors("given a runing instanse") == [(1, 13, "unknown kind `runing instanse`")]
    assert hints("given a runing instanse") == ["did you mean `running instance`?"]
    assert hints('given a zeppelin "z"') == ["`scn vocab` lists the kinds"]
    assert errors('given a zeppelin "z"') == [(1, 13, "unknown kind `zeppelin`")]


# ---------------------------------------------------------------- references: names, the <kind>, it, no subject


def test_names_and_the_kind():
    sts = steps('given a running instance "web"\nwhen the instance is stopped\nthen "web" is stopped')
    assert [brief(s) for s in sts[1:]] == [("Act", 0, "stop", None, (), False), ("ClaimState", 0, "state", "stopped", False)]


def test_the_kind_counts_unnamed_and_when_created_but_not_implicit():
    sc = scenario('given a default vpc\nwhen an elastic ip "e" is allocated\nthen the elastic ip exists')
    assert brief(sc.steps[-1]) == ("ClaimExists", 0, False)
    assert errors("given a default vpc\nthen the default vpc exists")[0][2] == "the default vpc is implicit and cannot be named in a claim"
    assert errors("given 2 eips\nthen the eip exists") == [
        (2, 14, "`the elastic ip` is ambiguous: this scenario has 2 (elastic ip #1, elastic ip #2)")]


def test_it_is_the_main_resource_of_the_nearest_step():
    sc = scenario("given a stopped instance with an EIP\nwhen started\nthen it is running\nand the public ipv4 of it is unchanged")
    assert [s.full_label for s in sc.slots] == ["instance #1", "elastic ip #1"]
    assert [brief(s) for s in sc.steps] == [
        ("Create", 0, "instance", "launch", (), (), True),
        ("Create", 1, "elastic ip", "allocate", (), (), True),
        ("Act", 1, "associate", 0, (), True),
        ("Act", 0, "stop", None, (), True),
        ("Act", 0, "start", None, (), False),
        ("ClaimState", 0, "state", "running", False),
        ("ClaimChange", 0, "public ipv4", False, None),
    ]


def test_it_follows_the_latest_subject():
    sts = steps('given a running instance "a"\nand a running instance "b"\nwhen it is stopped\nand "a" is rebooted\nthen it is running')
    assert [(brief(s)[0], s.slot) for s in sts[2:]] == [("Act", 1), ("Act", 0), ("ClaimState", 0)]


def test_subjectless_when_and_then():
    sts = steps('given a running instance "a"\nwhen stopped and started\nthen public IPv4 changes\nand has a public ipv4')
    assert [brief(s) for s in sts[1:]] == [
        ("Act", 0, "stop", None, (), False),
        ("Act", 0, "start", None, (), False),
        ("ClaimChange", 0, "public ipv4", True, None),
        ("ClaimHas", 0, "public ipv4", False),
    ]


def test_it_with_nothing_before():
    assert errors("when it is stopped") == [(1, 10, "`it` refers to nothing: no earlier step names a resource")]
    assert errors("when started") == [(1, 10, "`it` refers to nothing: no earlier step names a resource")]


def test_names_are_scoped_to_a_scenario_and_unique():
    assert errors('given a running instance "a"\nand an elastic ip "a"') == [
        (2, 23, 'the name "a" is already taken in this scenario')]
    text = 'feature: f\n  scenario: one\n    given a running instance "a"\n  scenario: two\n    then "a" is running\n'
    with pytest.raises(SpecErrors) as info:
        compile_(text)
    assert [(e.span.line, e.span.col, e.message) for e in info.value.errors] == [
        (5, 10, 'no resource is named "a" in this scenario')]


def test_a_name_of_the_wrong_kind():
    assert errors('given an elastic ip "e1"\nand an elastic ip "e2" associated with "e1"') == [
        (2, 44, '"e1" is an elastic ip; this needs an instance')]
    assert errors('given a running instance "a"\nthen the eip "a" exists')[0][2] == '"a" is an instance, not an elastic ip'


def test_a_cascade_after_a_failed_given_is_not_reported():
    assert errors('given a runing instanse "web"\nwhen "web" is stopped\nthen it is stopped\nand the instance is stopped') == [
        (1, 13, "unknown kind `runing instanse`")]


# ---------------------------------------------------------------- order rules


def test_order_rules():
    assert errors('given a running instance "a"\nwhen "a" is stopped\ngiven an eip') == [(3, 5, "a given after a when or then step")]
    assert errors('given a running instance "a"\nthen the public ipv4 of "a" changes') == [
        (2, 33, "`changes` needs an earlier when-step to compare with")]
    assert errors('given a running instance "a"\nwhen "a" is stopped\nthen "a" is stopped\nand it fails') == [
        (4, 12, "`then it fails` must directly follow the when-steps it speaks of")]


def test_a_scenario_may_start_with_when():
    sts = steps('when an elastic ip "e" is allocated\nthen it succeeds')
    assert [brief(s) for s in sts] == [("Create", 0, "elastic ip", "allocate", (), (), False), ("ClaimOutcome", False, None)]


def test_when_groups_and_captures():
    sc = scenario('given a running instance "a"\nwhen "a" is stopped\nthen it succeeds\nwhen "a" is rebooted\nthen "a" is stopped\nwhen started\nthen it fails with "X"')
    assert [s.group for s in sc.steps] == [-1, 0, 0, 1, 1, 2, 2]
    assert sc.captured == frozenset({0, 2})


def test_background_holds_givens_only():
    text = 'feature: f\n  background:\n    given a running instance "a"\n    when "a" is stopped\n  scenario: s\n    then "a" is stopped\n'
    with pytest.raises(SpecErrors) as info:
        compile_(text)
    assert [(e.span.line, e.message) for e in info.value.errors] == [(4, "a background holds givens only")]


# ---------------------------------------------------------------- outlines and tags

OUTLINE = '''\
@f1
feature: f
  @s1 @s2(x)
  scenario outline: <verb> then <state>
    given a running instance "web"
    when "web" is <verb>
    then "web" is <state>

    @e1
    examples: first
      | verb    | state   |
      | stopped | stopped |
      | stopped and started | running |

    @e2(y, "z")
    examples:
      | state      | verb       |
      | terminated | terminated |

  rule: r
    @s3
    scenario: plain
      given a running instance "a"
'''


def test_outline_expansion_row_ids_and_tag_inheritance():
    feature = compile_(OUTLINE)
    assert [(sc.name, sc.row_id, sc.title) for sc in feature.scenarios] == [
        ("stopped then stopped", "stopped-stopped", "stopped then stopped[stopped-stopped]"),
        ("stopped and started then running", "stopped and started-running", "stopped and started then running[stopped and started-running]"),
        ("terminated then terminated", "terminated-terminated", "terminated then terminated[terminated-terminated]"),
        ("plain", None, "plain"),
    ]
    assert [[(t.name, t.args) for t in sc.tags] for sc in feature.scenarios] == [
        [("f1", ()), ("s1", ()), ("s2", ("x",)), ("e1", ())],
        [("f1", ()), ("s1", ()), ("s2", ("x",)), ("e1", ())],
        [("f1", ()), ("s1", ()), ("s2", ("x",)), ("e2", ("y", "z"))],
        [("f1", ()), ("s3", ())],
    ]
    second = feature.scenarios[1]
    assert [brief(s) for s in second.steps[1:]] == [
        ("Act", 0, "stop", None, (), False),
        ("Act", 0, "start", None, (), False),
        ("ClaimState", 0, "state", "running", False),
    ]
    assert second.steps[1].text == 'when "web" is stopped and started'
    assert [(s.span.line, s.span.col) for s in second.steps] == [(5, 5), (6, 5), (6, 5), (7, 5)]


def test_outline_row_errors_name_the_row_and_point_at_the_placeholder():
    text = OUTLINE.replace("| terminated | terminated |", "| terminated | haltered |")
    with pytest.raises(SpecErrors) as info:
        compile_(text)
    (err,) = info.value.errors
    assert (err.span.line, err.span.col) == (6, 19)
    assert err.message == "an instance cannot be `haltered` (in the examples row at line 18: | terminated | haltered |)"
    assert err.render().splitlines()[1:3] == [
        '       6 |     when "web" is <verb>',
        "         |                   ^^^^^^",
    ]


def test_outline_syntax_error_once_substituted():
    text = OUTLINE.replace("| terminated | terminated |", '| terminated | "x |')
    with pytest.raises(SpecErrors) as info:
        compile_(text)
    (err,) = info.value.errors
    assert (err.span.line, err.span.col) == (6, 19)
    assert err.message.startswith("this quoted name is never closed, once <…> is replaced by the examples row")


def test_special_tags():
    text = ('@only(reference, moto)\nfeature: f\n  @fact(ec2.x) @diverges(moto, "why")\n  scenario: s\n'
            '    given a running instance "a"\n')
    (sc,) = compile_(text).scenarios
    assert (sc.facts, sc.only, sc.diverges) == (("ec2.x",), ("reference", "moto"), (("moto", "why"),))
    text = '@only\nfeature: f\n  @fact @diverges(moto)\n  scenario: s\n    given a running instance "a"\n'
    with pytest.raises(SpecErrors) as info:
        compile_(text)
    assert [(e.span.line, e.span.col, e.message.split(":")[0]) for e in info.value.errors] == [
        (1, 1, "@only names at least one backend"),
        (3, 3, "@fact takes one fact id"),
        (3, 9, "@diverges takes a backend and the reason"),
    ]


def test_fact_check():
    text = 'feature: f\n  @fact(ec2.nope)\n  scenario: s\n    given a running instance "a"\n'
    with pytest.raises(SpecErrors) as info:
        compile_text(text, EC2, "t.scn", fact_check=lambda fid: ["ec2.yes"])
    (err,) = info.value.errors
    assert (err.message, err.hint) == ("@fact(ec2.nope) names no entry of the facts inventory", "did you mean ec2.yes?")
    compile_text(text, EC2, "t.scn", fact_check=lambda fid: None)


# ---------------------------------------------------------------- values and quantities


def test_quantities_are_stored_in_base_units():
    (st,) = steps('given a lambda function "f" with timeout 15 minutes and memory 1.5 KB and ratio 12.5 %', TINY)
    assert st.params == (("timeout", 900), ("memory", 1536), ("ratio", 12.5))
    assert isinstance(st.params[0][1], int)


@pytest.mark.parametrize("written", ["900 seconds", "15 minutes", "0.25 hours", "1 second", "2 days", "1 hour", "1,800 seconds"])
def test_quantities_compare_across_units(written):
    number, unit = written.split()
    factor = {"seconds": 1, "second": 1, "minutes": 60, "hours": 3600, "hour": 3600, "days": 86400}[unit]
    expected = int(float(number.replace(",", "")) * factor)
    sts = steps(f'given a fn "f" with timeout {written}\nthen the timeout of "f" is {written}\nand the timeout of "f" is at most {expected} seconds', TINY)
    assert sts[0].params == (("timeout", expected),)
    canonical = {"second": "seconds", "hour": "hours"}.get(unit, unit)
    assert brief(sts[1]) == ("ClaimAttr", 0, "timeout", "is", expected, False, "duration", canonical)  # the unit it was written in
    assert brief(sts[2]) == ("ClaimAttr", 0, "timeout", "at most", expected, False, "duration", "seconds")


def test_fifteen_minutes_equals_nine_hundred_seconds():
    a = steps('given a fn "f"\nthen the timeout of "f" is 15 minutes', TINY)[-1]
    b = steps('given a fn "f"\nthen the timeout of "f" is 900 seconds', TINY)[-1]
    assert a.value == b.value == 900


def test_quantity_errors():
    assert errors('given a fn "f" with timeout 30', TINY) == [
        (1, 33, "the timeout is a duration: give a unit, e.g. `30 seconds`")]
    assert errors('given a fn "f" with timeout 1.5 seconds', TINY) == [
        (1, 33, "1.5 seconds is not a whole number of seconds")]
    assert errors('given a fn "f" with memory 0.3 KB', TINY) == [
        (1, 32, "0.3 KB is not a whole number of bytes")]
    assert errors('given a fn "f" with timeout 3 KB', TINY) == [
        (1, 33, "the timeout is a duration, and KB measure a size")]
    assert errors('given a fn "f"\nthen the timeout of "f" is 3', TINY) == [
        (2, 32, "the timeout is a duration: give a unit, e.g. `3 seconds`")]
    assert errors('given a fn "f"\nthen the timeout of "f" is "long"', TINY) == [
        (2, 32, 'the timeout is a duration, not "long"')]
    assert errors('given a fn "f" with retries 3 seconds', TINY) == [
        (1, 33, "the retries is a plain number; drop the unit `seconds`")]
    # a quantity that is not a whole number of base units is fine where the attribute allows it
    assert steps('given a fn "f" with ratio 0.5 %', TINY)[0].params == (("ratio", 0.5),)


def test_other_value_types():
    (st,) = steps('given a fn "f" with retries 3 and architecture "ARM" and runtime "python3.12" and encrypted', TINY)
    assert st.params == (("retries", 3), ("architecture", "arm"), ("runtime", "python3.12"), ("encrypted", True))
    assert errors('given a fn "f" with architecture "sparc"', TINY) == [(1, 38, '"sparc" is not an architecture: one of x86, arm')]
    assert errors('given a fn "f"\nthen the runtime of "f" is at least 3', TINY) == [
        (2, 32, "the runtime is not a number; it can only be `is` or `is not`")]


def test_settings():
    assert [brief(s) for s in steps("given the elastic ip limit is 10\nand the EIP limit is 3")] == [
        ("SetSetting", "elastic ip limit", 10), ("SetSetting", "elastic ip limit", 3)]
    assert errors("given the elastic ip limt is 10") == [(1, 15, "unknown setting `elastic ip limt`")]
    assert hints("given the elastic ip limt is 10") == ["did you mean `elastic ip limit` or `elastic ip quota`?"]


def test_time_passes_and_needs_a_clock():
    sc = scenario('given a fn "f"\nwhen 2 minutes pass\nand 1 hour passes', TINY)
    assert [brief(s) for s in sc.steps[1:]] == [("Advance", 120), ("Advance", 3600)]
    assert sc.needs == frozenset({"lambda", "clock"})
    assert errors('given a fn "f"\nwhen 2 KB pass', TINY) == [(2, 10, "time passes in seconds, minutes, hours, days or years, not KB")]
    assert [brief(s) for s in scenario('given a fn "f"\nwhen 1 year passes', TINY).steps[1:]] == [("Advance", 31_536_000)]


def test_action_params_and_targets():
    sts = steps('given a fn "f"\nand a layer "l"\nwhen "f" is updated with timeout 1 minute\nand "f" is attached to "l"', TINY)
    assert [brief(s) for s in sts[2:]] == [("Act", 0, "update", None, (("timeout", 60),), False), ("Act", 0, "attach", 1, (), False)]
    assert errors('given a fn "f"\nwhen "f" is attached', TINY) == [(2, 25, "`attached` needs `to <layer>`")]


def test_needs_are_collected():
    assert scenario('given a running instance "a"\nthen "a" is not billed').needs == frozenset({"ec2", "billing"})
    assert scenario("given the eip limit is 2").needs == frozenset({"limits"})


# ---------------------------------------------------------------- the vocabulary loader


@pytest.mark.parametrize(
    "item, word",
    [
        (Kind("the thing"), "the"),
        (Kind("thing", aliases=("thing of beauty",)), "of"),
        (Kind("thing", states=(State("not ready"),)), "not"),
        (Kind("thing", attributes=(Attribute("time to live"),)), "to"),
        (Kind("thing", actions=(Action("pass", "passed through"),)), "passed"),
        (Setting("limit with bonus"), "with"),
        (Kind("thing", aliases=("IT",)), "it"),
    ],
)
def test_loader_rejects_function_words(item, word):
    with pytest.raises(ConfigurationError) as info:
        Vocabulary([item])
    assert f"contains the function word {word!r}" in str(info.value)


def test_loader_rejects_clashes_and_reports_every_problem():
    with pytest.raises(ConfigurationError) as info:
        Vocabulary([Kind("thing", aliases=("a thing",)), Kind("other", aliases=("thing",)), Kind("other"), "junk"])
    msg = str(info.value)
    assert msg.splitlines()[0] == "the vocabulary is inconsistent:"
    assert "the phrase 'a thing' contains the function word 'a'" in msg
    assert "the phrase 'thing' names both 'thing' and 'other'" in msg
    assert "kind 'other' is contributed twice" in msg
    assert "not a Kind or Setting: 'junk'" in msg


def test_check_references():
    vocab = Vocabulary([Kind("thing", actions=(Action("hug", "hugged", target="ghost", preposition="with"),))])
    with pytest.raises(ConfigurationError) as info:
        vocab.check_references()
    assert "action 'hug' of 'thing' targets the unknown kind 'ghost'" in str(info.value)
    TINY.check_references()
    EC2.check_references()


def test_vocabulary_lookups():
    inst = EC2.kinds["instance"]
    assert EC2.kind(["EC2", "Instance"]) == (inst, False)
    assert EC2.kind(["servers"]) == (inst, True)
    assert EC2.attribute(inst, ["Public", "IP"]).name == "public ipv4"
    assert EC2.adjectives(inst, ["running"]) == [("state", "running")]
    assert EC2.adjectives(inst, ["stopping"]) is None  # transitional: no adjective
    assert EC2.action(inst, ["stopped"]).verb == "stop"
    assert EC2.setting(["eip", "limit"]).name == "elastic ip limit"
    assert inst.path_to("terminated")[0].verb == "terminate"
    assert inst.path_to("pending") is None


# ------------------------------------------------------------------ `of <quantity>`: a measure at creation
def _measured_vocab():
    from scenario.vocabulary import Action, Attribute, Kind, Relation, Vocabulary

    table = Kind("table", actions=(Action("create", "created", creates=True),))
    item = Kind("item", attributes=(Attribute("size", "quantity", dimension="size", settable=True),),
                relations=(Relation("put", "into", "table"),),
                actions=(Action("put", "put", creates=True, target="table", preposition="into"),))
    both = Kind("box", attributes=(Attribute("width", "quantity", dimension="size", settable=True),
                                   Attribute("height", "quantity", dimension="size", settable=True)),
                actions=(Action("create", "created", creates=True),))
    return Vocabulary([table, item, both])


def test_of_a_quantity_sets_the_one_settable_measure_of_that_dimension():
    from scenario.compiler import compile_text

    f = compile_text('feature: f\n  scenario: s\n    given a table "t"\n    when an item of 401 KB is put into "t"\n', _measured_vocab(), "m.scn")
    create = f.scenarios[0].steps[-1]
    assert create.params == (("size", 401 * 1024),) and create.relations == (("put into", 0),)


@pytest.mark.parametrize("text, message", [
    ('given an item of 401 seconds', "has no settable duration"),
    ('given a box of 4 KB', "has more than one settable size"),
    ('given an item of 401', "needs a unit"),
    ('given an item of 1 KB with size 2 KB', "the size is given twice"),
])
def test_of_a_quantity_that_names_no_one_measure_is_refused(text, message):
    from scenario.compiler import compile_text
    from scenario.errors import SpecErrors

    with pytest.raises(SpecErrors) as info:
        compile_text(f"feature: f\n  scenario: s\n    {text}\n", _measured_vocab(), "m.scn")
    assert message in str(info.value)


# ================================================================ review findings (folded in from test_review_fixes.py)
from helpers.specs import errors_of, messages_of  # noqa: E402

from scenario.compiler import MAX_COUNT  # noqa: E402


def errors_of_file(text: str) -> list[tuple[int, int, str, str | None]]:
    return errors_of(text, whole=True)


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
    assert messages_of(f"given the elastic ip limit is {value}") == [message]


def test_a_whole_setting_value_is_accepted():
    (st,) = steps("given the elastic ip limit is 10")
    assert st.value == 10
    (st,) = steps("given the elastic ip limit is 10.0")
    assert st.value == 10 and isinstance(st.value, int)


def test_a_whole_number_attribute_refuses_a_fraction_in_a_claim():
    assert messages_of('given an instance "w"\nthen the state code of "w" is 16.5') == ["the state code is a whole number, not 16.5"]
    assert messages_of('given an instance "w"\nthen the state code of "w" is 16 %') == ["the state code is a plain number; drop the unit `%`"]


def test_a_text_attribute_refuses_a_bare_number():
    ((line, col, msg, _h),) = errors_of("given an instance with instance type 5")
    assert (line, col) == (1, 42)
    assert msg == 'the instance type is text, not 5; quote it: "5"'
    assert messages_of('given an instance "w"\nthen the instance id of "w" is 5') == ['the instance id is text, not 5; quote it: "5"']
    (st,) = steps('given an instance with instance type "t3.micro"')
    assert st.params == (("instance type", "t3.micro"),)


# ---------------------------------------------------------------- 2. presence-only attributes


def test_a_presence_attribute_cannot_be_given_a_value():
    ((_l, col, msg, hint),) = errors_of('given an instance with public ipv4 "1.2.3.4"')
    assert col == 40
    assert msg == "the public ipv4 of an instance cannot be chosen, only whether there is one"
    assert hint == "write `with a public ipv4` or `with no public ipv4`"


def test_a_presence_attribute_is_chosen_with_a_or_no():
    (st,) = steps("given an instance with no public ipv4")
    assert st.params == (("public ipv4", False),)
    (st,) = steps("given an instance with a public ipv4")
    assert st.params == (("public ipv4", True),)
    assert messages_of("given an instance with public ipv4") == ["say whether it has one: `with a public ipv4` or `with no public ipv4`"]


def test_a_value_attribute_is_not_chosen_with_a():
    assert messages_of("given an instance with an instance type") == ["give the instance type a value: `with instance type <value>`"]


def test_the_vocabulary_knows_presence_attributes():
    from scenario.vocabulary import Attribute

    assert Attribute("x").choice == "value"
    with pytest.raises(ValueError):
        Attribute("x", choice="sometimes")
    kind = EC2.kinds["instance"]
    assert EC2.attribute(kind, ["public", "ipv4"]).choice == "presence"


# ---------------------------------------------------------------- 3. contradictions


def test_an_attribute_given_twice_at_creation_is_an_error():
    ((_l, col, msg, _h),) = errors_of("given an instance with a public ipv4 and no public ipv4")
    assert msg == "the public ipv4 is given twice"
    assert col == 46
    assert messages_of('given an instance with instance type "a" and instance type "a"') == ["the instance type is given twice"]


def test_a_column_twice_in_an_examples_header_is_an_error():
    text = (
        "feature: f\n"
        "  scenario outline: o\n"
        "    given a <s> instance\n"
        "    examples:\n"
        "      | s       | s       |\n"
        "      | running | stopped |\n"
    )
    assert errors_of_file(text) == [(5, 19, "the column `s` appears twice in this examples header",
                               "a <placeholder> names one column: rename one of them")]


# ---------------------------------------------------------------- 4. comparing with nothing


@pytest.mark.parametrize("claim, what", [
    ('"e" is retained', "is retained"),
    ('the address of "e" changes', "changes"),
    ('the address of "e" is unchanged', "is unchanged"),
])
def test_a_resource_made_in_the_when_group_has_no_before(claim, what):
    ((line, _c, msg, _h),) = errors_of(f'when an elastic ip "e" is allocated\nthen {claim}')
    assert line == 2
    assert msg.startswith(f"`{what}` compares with the moment before the when-group, but \"e\" was created in it (line 3)")
    assert msg.endswith("nothing existed before that when-group to compare with")


def test_a_resource_made_in_an_earlier_when_group_has_a_before():
    sc = steps('when an elastic ip "e" is allocated\nwhen "e" is released\nthen "e" is retained')
    assert type(sc[-1]).__name__ == "ClaimRetained"


# ---------------------------------------------------------------- 5. ordering comparisons


def test_an_ordering_needs_numbers_on_both_sides():
    assert messages_of('given an instance "w"\nthen the state code of "w" is at least the instance id of "w"') == [
        "`at least` compares numbers, and the instance id is text"]
    assert messages_of('given an instance "w"\nthen the instance id of "w" is less than the state code of "w"') == [
        "the instance id is not a number; it can only be `is` or `is not`"]
    assert messages_of('given an instance "w"\nthen the state code of "w" is at least none') == [
        "`at least` compares numbers, and none is not a number"]
    st = steps('given an instance "w"\nthen the state code of "w" is at most the state code of "w"')[-1]
    assert st.op == "at most"


# ---------------------------------------------------------------- 7. outline rows

ROW_MISTAKES = """\
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
    dup = [p for p in errors_of_file(ROW_MISTAKES) if "same test" in p[2]]
    assert dup == [(10, 7, "the examples row at line 10 gives the same test as the examples row at line 9: "
                           "both are titled `o[web-stopped-stopped]`",
                    "each row is a test named by its cells: drop the repeated row or change a cell")]


def test_a_row_reports_its_first_mistake_only():
    lines = [p[0] for p in errors_of_file(ROW_MISTAKES) if "row at line 11" in p[2]]
    assert lines == [3]


def test_an_empty_cell_is_named():
    got = [p for p in errors_of_file(ROW_MISTAKES) if "empty" in p[2]]
    assert got == [
        (4, 22, "the cell for <action> is empty (row at line 12)", "fill in the cell"),
        (5, 22, "the cell for <state> is empty (row at line 13)", "fill in the cell"),
    ]


def test_a_caret_never_goes_past_the_template_line():
    text = ("feature: f\n  scenario outline: o\n    given a running instance \"web\"\n    then \"web\" is <state>\n"
            "    examples:\n      | state |\n      | not   |\n")
    ((line, col, msg, _h),) = errors_of_file(text)
    assert (line, col) == (4, len('    then "web" is <state>'))
    assert "this step ends too early" in msg


# ---------------------------------------------------------------- 9. counts are capped


def test_a_huge_count_is_refused():
    assert MAX_COUNT == 1000
    assert messages_of("given 100000000 instances") == ["a count is at most 1,000 in one step"]
    assert len(steps("given 1000 elastic ips")) == 1000
