"""Relations in every form the language has, on a small vocabulary of its own (the
EC2 one uses only `associated with`): made at creation by a preposition (`in
placement group "pg"`, `of "db"`), by a participle after a name, by `with a <kind>`;
claimed (`is in`, `is not replica of`), and counted."""

import pytest

from scenario.backend import BackendInfo, World
from scenario.compiler import compile_text
from scenario.errors import SpecErrors
from scenario.runner import run_scenario
from scenario.vocabulary import Action, Attribute, Kind, Relation, Vocabulary

VOCAB = Vocabulary([
    Kind("group", aliases=("placement group",), actions=(Action("create", "created", creates=True),)),
    Kind("db", actions=(Action("create", "created", creates=True),), attributes=(Attribute("engine", "text", settable=True),)),
    Kind("replica", aliases=("read replica",), actions=(Action("create", "created", creates=True),),
         relations=(Relation("", "of", "db"),)),
    Kind("server", actions=(Action("launch", "launched", creates=True),), relations=(Relation("", "in", "group"),)),
    Kind("disk", actions=(Action("create", "created", creates=True), Action("attach", "attached", target="server", preposition="to"),
                          Action("detach", "detached")),
         relations=(Relation("attached", "to", "server", make="attach"),)),
])


class _World(World):
    """Relations as a set of (source, relation, target) triples."""

    def __init__(self):
        self.links: set[tuple[int, str, int]] = set()
        self.kinds: list[str] = []

    def create(self, kind, label, params, relations):
        handle = len(self.kinds)
        self.kinds.append(kind)
        for rel, target in relations:
            self.links.add((handle, rel, target))
        return handle

    def act(self, handle, action, target, params):
        if action == "attach":
            self.links.add((handle, "attached to", target))
        elif action == "detach":
            self.links = {link for link in self.links if link[0] != handle}
        return ()

    def observe(self, handle, attribute):
        return None

    def exists(self, handle):
        return True

    def relations(self, handle):
        return frozenset((rel, target) for source, rel, target in self.links if source == handle)

    def count_related(self, kind, relation, target):
        return sum(1 for s, r, t in self.links if self.kinds[s] == kind and r == relation and t == target)


BACKEND = BackendInfo("links", frozenset(), _World)


def run(steps: str):
    text = "feature: f\n  scenario: s\n" + "".join(f"    {line.strip()}\n" for line in steps.strip().splitlines())
    (sc,) = compile_text(text, VOCAB, "r.scn").scenarios
    return sc, run_scenario(sc, BACKEND)


def test_a_preposition_makes_a_relation_at_creation():
    sc, outcome = run('''
        given a placement group "pg"
        and 2 servers in placement group "pg"
        and a server "lone"
        then the number of servers in "pg" is 2
        and "pg" has 2 servers
        and "lone" is not in "pg"
    ''')
    creates = [st for st in sc.steps if type(st).__name__ == "Create" and st.kind == "server"]
    assert [st.relations for st in creates] == [(("in", 0),), (("in", 0),), ()]
    assert (outcome.status, outcome.message) == ("passed", "")


def test_of_names_the_source_of_a_replica():
    _, outcome = run('''
        given a db "db" with engine "mysql"
        and 2 read replicas of "db"
        and a read replica "r" of "db"
        then the number of read replicas of "db" is at most 5
        and the number of replicas of "db" is 3
        and "r" is of "db"
    ''')
    assert (outcome.status, outcome.message) == ("passed", "")


def test_a_count_that_does_not_hold_reads_like_the_sentence():
    _, outcome = run('''
        given a db "db"
        and a read replica of "db"
        then the number of read replicas of "db" is at least 2
    ''')
    assert outcome.status == "failed"
    assert outcome.message == 'the number of replicas of "db" was expected to be at least 2 but is 1'


def test_a_participle_after_a_name_uses_the_making_action():
    sc, outcome = run('''
        given a server "web"
        and a disk "d" attached to "web"
        and a disk attached to "web"
        then "d" is attached to "web"
        and the number of disks attached to "web" is 2
        when "d" is detached
        then "d" is not attached to "web"
        and "web" has 1 disk
    ''')
    acts = [(st.action, st.target) for st in sc.steps if type(st).__name__ == "Act"]
    assert acts[:2] == [("attach", 0), ("attach", 0)]
    assert (outcome.status, outcome.message) == ("passed", "")


def test_with_a_kind_creates_the_related_resource():
    sc, outcome = run('''
        given a server "web" with 2 disks
        then "web" has 2 disks
    ''')
    assert [sl.label for sl in sc.slots] == ['"web"', "disk #1", "disk #2"]
    assert (outcome.status, outcome.message) == ("passed", "")


@pytest.mark.parametrize("step, message", [
    ('given a server in "db"', "a server cannot be created `in` a db"),
    ('then the number of servers of "pg" is 1', "a server is never `of` a group"),
    ('then the number of disks attached of "web" is 1', "a disk is never `attached of` a server"),
])
def test_relations_that_do_not_exist_are_compile_errors(step, message):
    text = 'feature: f\n  scenario: s\n    given a db "db"\n    given a placement group "pg"\n    given a server "web"\n    ' + step + "\n"
    with pytest.raises(SpecErrors) as info:
        compile_text(text, VOCAB, "r.scn")
    assert [(e.span.line, e.message) for e in info.value.errors] == [(6, message)]


def test_and_repeats_the_connector_of_the_relation_before_it():
    sc, outcome = run('''
        given a placement group "pg"
        and a placement group "pg2"
        and a db "db"
        and a db "db2"
        when a replica "r" is created of "db" and "db2"
        then "r" is of "db"
        and "r" is of "db2"
    ''')
    create = next(st for st in sc.steps if type(st).__name__ == "Create" and st.kind == "replica")
    assert create.relations == (("of", 2), ("of", 3))
    assert (outcome.status, outcome.message) == ("passed", "")


def test_and_after_an_attribute_is_not_a_relation():
    with pytest.raises(SpecErrors) as info:
        run('''
            given a db "pg"
            given a db "db" with engine "mysql" and "pg"
        ''')
    assert "a db cannot be created `with` a db" in str(info.value)


def test_a_when_creation_that_does_not_compile_is_reported_once():
    with pytest.raises(SpecErrors) as info:
        run('''
            given a db "db"
            when a replica "r" is created of "nowhere"
            then "r" is of "db"
        ''')
    assert [e.message for e in info.value.errors] == ['no resource is named "nowhere" in this scenario']


def test_one_phrase_may_relate_to_several_kinds_and_the_target_decides():
    vocab = Vocabulary([
        Kind("stream", actions=(Action("create", "created", creates=True),)),
        Kind("hose", actions=(Action("create", "created", creates=True),)),
        Kind("app", actions=(Action("create", "created", creates=True),),
             relations=(Relation("reading", "from", "stream"), Relation("reading", "from", "hose"))),
    ])
    text = ('feature: f\n  scenario: s\n    given a stream "s"\n    and a hose "h"\n'
            '    and an app "a" reading from "h"\n    then "a" is reading from "h"\n    and "a" is not reading from "s"\n')
    (sc,) = compile_text(text, vocab, "r.scn").scenarios
    create = next(st for st in sc.steps if type(st).__name__ == "Create" and st.kind == "app")
    assert create.relations == (("reading from", 1),)
    assert [type(st).__name__ for st in sc.steps[-2:]] == ["ClaimRelation", "ClaimRelation"]


def test_with_a_kind_and_a_name_is_the_relation_to_that_resource():
    vocab = Vocabulary([
        Kind("role", actions=(Action("create", "created", creates=True),)),
        Kind("key", actions=(Action("create", "created", creates=True),)),
        Kind("fn", attributes=(Attribute("region", "text", settable=True),), actions=(Action("create", "created", creates=True),),
             relations=(Relation("configured", "with", "role"), Relation("", "with", "key"))),
    ])
    text = ('feature: f\n  scenario: s\n    given a role "r"\n    and a key "k"\n'
            '    and a fn "f" with role "r" and region "eu-west-1" and "k"\n    then "f" is configured with "r"\n')
    (sc,) = compile_text(text, vocab, "r.scn").scenarios
    create = next(st for st in sc.steps if type(st).__name__ == "Create" and st.kind == "fn")
    assert create.relations == (("configured with", 0), ("with", 1)) and create.params == (("region", "eu-west-1"),)
    with pytest.raises(SpecErrors) as info:
        compile_text(text.replace('with role "r"', 'with role "k"'), vocab, "r.scn")
    assert 'no resource is named' not in str(info.value) and "is a key" in str(info.value)


def test_a_second_participle_relation_after_and():
    vocab = Vocabulary([
        Kind("stream", actions=(Action("create", "created", creates=True),)),
        Kind("app", actions=(Action("create", "created", creates=True),),
             relations=(Relation("sourced", "from", "stream"), Relation("writing", "to", "stream"))),
    ])
    text = ('feature: f\n  scenario: s\n    given a stream "in"\n    and a stream "out"\n'
            '    and an app "a" sourced from "in" and writing to "out"\n    then "a" is writing to "out"\n')
    (sc,) = compile_text(text, vocab, "r.scn").scenarios
    create = next(st for st in sc.steps if type(st).__name__ == "Create" and st.kind == "app")
    assert create.relations == (("sourced from", 0), ("writing to", 1))
