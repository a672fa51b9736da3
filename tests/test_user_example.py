"""The user's own example (LANGUAGE.md, last section) fails on the reference backend.

It lives in specs/ec2/user-example.scn tagged @misbelief, so the library stays green
while showing the caught belief; here the scenario runs without that tag, and its
failure is asserted exactly.
"""

from pathlib import Path

import attrs

from scenario.loader import load_file
from scenario.plugins import backend, vocabulary
from scenario.reporting import render_outcome
from scenario.runner import run_scenario

SPEC = Path(__file__).parent.parent / "specs" / "ec2" / "user-example.scn"


def _scenarios():
    feature = load_file(SPEC, vocabulary(), use_cache=False)
    return {sc.name: sc for sc in feature.scenarios}


def test_the_four_lines_are_in_the_spec_library():
    text = SPEC.read_text()
    assert "given a stopped instance with an EIP\n    when started\n    then public IPv4 changes\n    and EIP is retained" in text


def test_the_users_belief_fails_with_a_clear_message():
    sc = _scenarios()["the public IPv4 of an instance with an EIP changes on start"]
    plain = attrs.evolve(sc, tags=tuple(t for t in sc.tags if t.name != "misbelief"))
    outcome = run_scenario(plain, backend("reference"))
    assert outcome.status == "failed"
    assert outcome.message == (
        "the public ipv4 of instance #1 was expected to change but stayed 203.0.113.1 (elastic ip #1 is associated)"
    )
    assert outcome.span.line == 12
    shown = render_outcome(plain, outcome)
    assert ">   12 | then public IPv4 changes" in shown
    assert "-   13 | and EIP is retained   (not run)" in shown


def test_the_spec_library_reports_it_as_a_caught_misbelief():
    sc = _scenarios()["the public IPv4 of an instance with an EIP changes on start"]
    outcome = run_scenario(sc, backend("reference"))
    assert outcome.status == "xfailed"
    assert outcome.message.startswith("misbelief caught (an Elastic IP stays the public IPv4 across stop and start): the public ipv4")


def test_unchanged_in_its_place_passes():
    sc = _scenarios()["the public IPv4 of an instance with an EIP is unchanged on start"]
    assert run_scenario(sc, backend("reference")).status == "passed"
