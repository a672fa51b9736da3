"""`scn explore`: drawn programs compile, a planted divergence is found and shrunk to the minimum,
a seed gives the same files, the same divergence is written once, and bad input is one line."""

from __future__ import annotations

import random

import pytest
from helpers.fake_backend import FakePlugin, registered

from scenario.backend import BackendInfo
from scenario.cli import main
from scenario.compiler import compile_text
from scenario.errors import ConfigurationError
from scenario.explore import build_space, explore
from scenario.explore import program as P
from scenario.explore.shrink import shrink
from scenario.explore.space import draw
from scenario.plugins import backend, vocabulary
from scenario.runner import run_raw
from scn_reference import CAPABILITIES
from scn_reference.world import ReferenceWorld

pytest_plugins = ["pytester"]

MINIMAL = ['given a stopped instance "i1"', 'when "i1" is rebooted', 'then it fails with "IncorrectInstanceState"']


class PlantedWorld(ReferenceWorld):
    """The reference model with one rule changed: rebooting a stopped instance is accepted (it stays stopped)."""

    def act(self, handle, action, target, params):
        if action == "reboot" and self.observe(handle, "state") == "stopped":
            return ("stopped",)
        return super().act(handle, action, target, params)


class CrashingWorld(ReferenceWorld):
    """The reference model, except that stopping an instance crashes the backend."""

    def act(self, handle, action, target, params):
        if action == "stop":
            raise RuntimeError("the backend fell over")
        return super().act(handle, action, target, params)


def planted(name: str = "planted", world=PlantedWorld) -> BackendInfo:
    return BackendInfo(name=name, capabilities=CAPABILITIES, open_world=world, description="reference with a planted divergence")


def _explore(b, **kw):
    kw.setdefault("service", "ec2")
    kw.setdefault("kinds", ["instance", "elastic ip"])
    kw.setdefault("db", None)
    kw.setdefault("specs", ["specs/ec2"])
    return explore(["reference", b], **kw)


@pytest.fixture(scope="module")
def ec2_space():
    ref = backend("reference")
    return build_space(vocabulary(), (ref, ref), "ec2")


@pytest.mark.parametrize("service", ["ec2", "lambda", "rds", "dynamodb"])
def test_drawn_programs_compile(service):
    ref = backend("reference")
    vocab = vocabulary()
    space = build_space(vocab, (ref, ref), service)
    refused = []
    for n in range(120):
        prog = draw(random.Random(f"compile:{n}"), space, 6)
        assert 1 <= len(prog) <= 6
        text = P.program_text(prog, vocab)
        try:
            compile_text(text, vocab, "<drawn>")
        except Exception as exc:  # noqa: BLE001 - what the test counts
            refused.append((text, exc))
    assert len(refused) <= 3, refused[:3]  # construction-and-check: a refused one is never run


def test_givens_come_first(ec2_space):
    for n in range(100):
        prog = draw(random.Random(n), ec2_space, 6)
        kinds = [isinstance(st, P.GIVEN_TYPES) for st in prog]
        assert kinds == sorted(kinds, reverse=True)


def test_the_same_backend_twice_never_diverges():
    report = _explore("reference", max_examples=60, seed=3)
    assert report.divergences == []
    assert report.examples == 60 and report.steps > 60


def test_a_planted_divergence_is_found_and_shrunk_to_the_minimum(tmp_path):
    report = _explore(planted(), max_examples=80, seed=1, out=tmp_path)
    found = [d for d in report.divergences if "rebooted" in d.title and "stopped" in d.title]
    assert found, report.table()
    d = found[0]
    assert d.steps == 2 and d.path is not None
    text = d.path.read_text()
    steps = [ln.strip() for ln in text.splitlines() if ln.strip().startswith(("given", "when", "then", "and"))]
    assert steps[:3] == MINIMAL
    # the file compiles, passes on the model and fails on the planted backend
    sc = compile_text(text, vocabulary(), str(d.path)).scenarios[0]
    assert run_raw(sc, backend("reference")).status == "passed"
    assert run_raw(sc, planted()).status == "failed"
    # every divergence it wrote is the planted rule, once
    assert all("rebooted" in x.title for x in report.divergences if x.path), report.table()


def test_dedup_one_file_per_divergence(tmp_path):
    report = _explore(planted(), max_examples=120, seed=2, out=tmp_path)
    sigs = [d.signature for d in report.divergences]
    assert len(sigs) == len(set(sigs))
    reboots = [d for d in report.divergences if d.path and "stopped instance is rebooted" in d.title]
    assert len(reboots) == 1
    assert len(list(tmp_path.glob("*.scn"))) == len([d for d in report.divergences if d.path])


def test_a_seed_gives_the_same_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _explore(planted(), max_examples=80, seed=1, out=a, db=tmp_path / "db")
    again = _explore(planted(), max_examples=80, seed=1, out=b, db=tmp_path / "db")  # the database replayed first
    assert again.replayed >= 1
    files_a = {p.name: p.read_text() for p in a.glob("*.scn")}
    files_b = {p.name: p.read_text() for p in b.glob("*.scn")}
    assert files_a and files_a == files_b


def test_the_database_replays_failing_examples_first(tmp_path):
    db = tmp_path / "db"
    first = _explore(planted(), max_examples=80, seed=1, db=db)
    assert any("rebooted" in d.title for d in first.divergences)
    assert list(db.glob("*.json"))
    # one example that finds nothing by itself: the database's examples are replayed before it
    again = _explore(planted(), max_examples=1, seed=99, db=db)
    assert again.replayed >= 1
    assert any(d.found_in == "the database" and "rebooted" in d.title for d in again.divergences)


def test_known_divergences_are_reported_not_written(tmp_path):
    spec = tmp_path / "known.scn"
    spec.write_text("@ec2\nfeature: known\n\n  @diverges(planted, \"rebooting a stopped instance is accepted\")\n"
                    "  scenario: rebooting a stopped instance is refused\n"
                    "    given a stopped instance \"web\"\n    when \"web\" is rebooted\n"
                    "    then it fails with \"IncorrectInstanceState\"\n")
    out = tmp_path / "out"
    report = _explore(planted(), max_examples=80, seed=1, out=out, known=[spec])
    reboots = [d for d in report.divergences if "stopped instance is rebooted" in d.title]
    assert reboots and all(d.known and "known.scn" in d.known for d in reboots)
    assert not any("stopped-instance-is-rebooted" in p.name for p in out.glob("*.scn"))
    assert "known:" in report.table()


def test_a_crashing_backend_is_its_fault_and_exploration_goes_on():
    report = _explore(planted("crashy", CrashingWorld), max_examples=40, seed=1)
    assert report.faults and all(f.backend == "crashy" for f in report.faults)
    assert "fell over" in report.faults[0].message and "scenario:" in report.faults[0].program
    assert report.examples == 40


def test_shrink_reaches_the_minimum_of_a_simple_oracle():
    prog = tuple(P.Act("i1", v) for v in ("stop", "start", "reboot", "stop", "terminate", "start"))
    prog = (P.Given("instance", "i1", 1, "stopped", (("hibernation", True),)),) + prog
    small = shrink(prog, lambda p: any(isinstance(s, P.Act) and s.action == "terminate" for s in p))
    assert small == (P.Act("i1", "terminate"),)


@pytest.mark.parametrize("kw, words", [
    ({"service": "nope"}, "unknown service 'nope'"),
    ({"max_examples": 0}, "a budget of 0"),
    ({"time_budget": "0s"}, "a budget of 0"),
    ({"kinds": ["unicorn"]}, "unknown kind 'unicorn'"),
])
def test_bad_input_is_one_clear_line(kw, words):
    with pytest.raises(ConfigurationError, match=words):
        _explore("reference", **kw)


def test_backends_that_share_no_capability():
    nothing = BackendInfo(name="nothing", capabilities=frozenset({"quantum"}), open_world=ReferenceWorld)
    with pytest.raises(ConfigurationError, match="share no capability"):
        _explore(nothing, max_examples=5)


def test_the_command(tmp_path, capsys):
    with registered(FakePlugin(planted()), "planted-plugin"):
        rc = main(["explore", "--backend", "reference", "--backend", "planted", "--service", "ec2",
                   "--kinds", "instance", "--seed", "1", "--max-examples", "60", "--out", str(tmp_path / "out"),
                   "--db", str(tmp_path / "db")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "divergence" in out and "what differs" in out
    assert any("rebooted" in p.name for p in (tmp_path / "out").glob("*.scn"))


def test_the_command_wants_two_backends(capsys):
    assert main(["explore", "--backend", "reference", "--max-examples", "5"]) == 2
    assert "two backends" in capsys.readouterr().err


def test_written_files_compile_and_say_how_they_were_found(tmp_path):
    _explore(planted(), max_examples=60, seed=1, out=tmp_path)
    for f in tmp_path.glob("*.scn"):
        text = f.read_text()
        assert text.startswith("# Found by `scn explore --backend reference --backend planted")
        compile_text(text, vocabulary(), str(f))
        assert "@explored" in text


def test_the_pytest_option(pytester):
    pytester.makefile(".txt", empty="")  # a folder with no spec: only the drawn programs are tests
    with registered(FakePlugin(planted()), "planted-plugin"):
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--scn-explore", "150", "--scn-explore-seed", "1",
                                              "--scn-explore-service", "ec2", "--scn-backend", "reference",
                                              "--scn-backend", "planted")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) >= 1 and outcomes.get("passed", 0) >= 100
    result.stdout.fnmatch_lines(["*planted diverges from reference: a stopped instance is rebooted*",
                                 '*when "i1" is rebooted*'])
