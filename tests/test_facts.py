"""The facts inventory, the @fact check at compile time, fact coverage and `scn facts`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.fake_backend import fake_backend

from scenario import plugins
from scenario.cli import main
from scenario.compiler import compile_text
from scenario.errors import ConfigurationError, SpecErrors
from scenario.fact_coverage import cover, render
from scenario.facts import InventoryError, find_inventory, inventory_for, load_inventory
from scenario.loader import check_file, load_file
from scenario.runner import Outcome, Status, run_scenario

INVENTORY = """\
[[fact]]
id = "ec2.ip.public-released-on-stop"
section = "AWS EC2 / IP Addresses"
text = "Public IPv4 addresses are lost when the instance is stopped."
verdict = "testable"

[[fact]]
id = "ec2.ip.eip-retained-on-stop"
section = "AWS EC2 / IP Addresses"
text = "Elastic IPs are retained when the instance is stopped."
verdict = "testable"

[[fact]]
id = "ec2.billing.running-billed"
section = "AWS EC2 / Billing of EC2"
text = "Billing commences when Amazon EC2 initiates the boot sequence."
verdict = "testable"

[[fact]]
id = "ec2.billing.on-demand-dev-test"
section = "AWS EC2 / Billing and provisioning"
text = "Good for dev/test."
verdict = "not-testable"
reason = "advice: a recommendation, not a behaviour"

[[fact]]
id = "ec2.ip.eip-limit"
section = "AWS EC2 / IP Addresses"
text = "All accounts are limited to 5 elastic IPs per region by default."
verdict = "testable"
error = "AddressLimitExceeded"
aws_today = "unchanged"
"""

SPEC = """\
feature: IP addresses

  @fact(ec2.ip.public-released-on-stop)
  scenario: stop releases the public address
    given a running instance "web"
    when "web" is stopped
    then "web" has no public ipv4

  @fact(ec2.ip.eip-retained-on-stop)
  @misbelief("an elastic ip is lost on stop")
  scenario: the user's wrong belief
    given a running instance "web" with an elastic ip
    when "web" is stopped
    then "web" has no public ipv4

  @fact(ec2.billing.running-billed)
  scenario: running is billed
    given a running instance "web"
    then "web" is billed
"""


def library(tmp_path: Path, spec: str = SPEC, inventory: str = INVENTORY) -> Path:
    (tmp_path / "pyproject.toml").write_text("")  # the top of a project
    lib = tmp_path / "specs"
    (lib / "facts").mkdir(parents=True)
    (lib / "facts" / "ec2.toml").write_text(inventory)
    (lib / "ec2").mkdir()
    (lib / "ec2" / "ip.scn").write_text(spec)
    return lib


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("SCN_NO_CACHE", "1")


# ------------------------------------------------------------------ the inventory
def test_an_inventory_loads_every_entry_with_its_place(tmp_path):
    lib = library(tmp_path)
    inv = load_inventory(lib / "facts")
    assert len(inv) == 5
    fact = inv.facts["ec2.ip.eip-limit"]
    assert (fact.section, fact.verdict, fact.error, fact.aws_today, fact.service) == (
        "AWS EC2 / IP Addresses", "testable", "AddressLimitExceeded", "unchanged", "ec2")
    assert fact.file.endswith("ec2.toml") and fact.line == 26
    assert inv.sections() == ["AWS EC2 / IP Addresses", "AWS EC2 / Billing of EC2", "AWS EC2 / Billing and provisioning"]
    assert [f.id for f in inv if not f.testable] == ["ec2.billing.on-demand-dev-test"]
    assert "ec2.ip.eip-limit" in inv and "ec2.nope" not in inv


def test_an_inventory_is_kept_in_the_cache_and_read_back_unless_changed_or_damaged(tmp_path, monkeypatch):
    import scenario.facts as facts

    monkeypatch.setenv("SCN_NO_CACHE", "0")
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path / "cache"))
    lib = library(tmp_path)
    first = load_inventory(lib / "facts")
    (entry,) = (tmp_path / "cache" / "facts").glob("*.pickle")
    facts._load_cached.cache_clear()  # a new process, as far as the in-process cache goes
    parsed = []
    monkeypatch.setattr(facts, "_load", lambda *a: parsed.append(a) or first)
    again = load_inventory(lib / "facts")
    assert parsed == [] and again.facts.keys() == first.facts.keys() and again.fingerprint == first.fingerprint
    entry.write_bytes(b"damaged")
    facts._load_cached.cache_clear()
    load_inventory(lib / "facts")
    assert len(parsed) == 1  # a damaged entry is a miss
    (lib / "facts" / "ec2.toml").write_text((lib / "facts" / "ec2.toml").read_text() + "\n")
    facts._load_cached.cache_clear()
    load_inventory(lib / "facts")
    assert len(parsed) == 2  # a changed file is read again


def test_the_nearest_facts_folder_serves_and_a_project_top_bounds_the_search(tmp_path):
    lib = library(tmp_path)
    assert find_inventory(lib / "ec2" / "ip.scn") == (lib / "facts").resolve()
    assert find_inventory(lib) == (lib / "facts").resolve()
    assert find_inventory(tmp_path / "elsewhere.scn") is None
    # a facts folder above the project's top is not this project's
    (tmp_path.parent / "facts").mkdir(exist_ok=True)
    assert find_inventory(tmp_path) is None
    assert inventory_for(tmp_path) is None


def test_unknown_ids_get_the_closest_ids_or_their_neighbours(tmp_path):
    inv = load_inventory(library(tmp_path) / "facts")
    assert inv.check("ec2.ip.public-released-on-stop") is None
    assert inv.check("ec2.ip.public-relased-on-stop") == ["ec2.ip.public-released-on-stop"]
    assert inv.check("ec2.billing.something-else") == ["ec2.billing.on-demand-dev-test", "ec2.billing.running-billed"]
    assert inv.check("rds.nothing.like-it") == []


@pytest.mark.parametrize("entry, problem", [
    ('id = "ec2.a.b"\nsection = "S"\ntext = "T"', "missing verdict"),
    ('id = "EC2 a"\nsection = "S"\ntext = "T"\nverdict = "testable"', "is not of the form service.area.slug"),
    ('id = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "maybe"', "verdict 'maybe' must be testable or not-testable"),
    ('id = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "not-testable"', "a not-testable fact needs a reason"),
    ('id = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "not-testable"\nreason = "boring"', "a reason starts with one of"),
    ('id = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "testable"\nreason = "opinion: x"', "a testable fact has no reason"),
    ('id = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "testable"\nerorr = "X"', "unknown key(s) erorr (did you mean error?)"),
    ('id = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "testable"\nerror = 3', "error must be a non-empty string"),
    ('id = "ec2.a.b"\nsection = "  "\ntext = "T"\nverdict = "testable"', "missing section"),
])
def test_each_mistake_of_an_entry_is_reported_at_its_line(tmp_path, entry, problem):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "x.toml").write_text("# a comment\n\n[[fact]]\n" + entry + "\n")
    with pytest.raises(InventoryError) as info:
        load_inventory(folder)
    assert "x.toml:3: " in str(info.value)
    assert problem in str(info.value)
    assert isinstance(info.value, ConfigurationError)


def test_a_duplicate_id_names_both_places(tmp_path):
    folder = tmp_path / "facts"
    folder.mkdir()
    one = '[[fact]]\nid = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "testable"\n'
    (folder / "a.toml").write_text(one)
    (folder / "b.toml").write_text("\n" + one)
    with pytest.raises(InventoryError, match=r"b.toml:2: the id ec2.a.b is already used at .*a.toml:1"):
        load_inventory(folder)


def test_a_duplicate_names_the_entry_it_repeats(tmp_path):
    folder = tmp_path / "facts"
    folder.mkdir()
    one = '[[fact]]\nid = "ec2.a.b"\nsection = "S"\ntext = "T"\nverdict = "testable"\n'
    two = '[[fact]]\nid = "ec2.a.c"\nsection = "S"\ntext = "T"\nverdict = "not-testable"\nreason = "duplicate: {}"\n'
    (folder / "a.toml").write_text(one + "\n" + two.format("ec2.a.b, said twice"))
    assert load_inventory(folder).facts["ec2.a.c"].reason == "duplicate: ec2.a.b, said twice"
    (folder / "a.toml").write_text(one + "\n" + two.format("ec2.a.bb"))
    with pytest.raises(InventoryError, match=r"a.toml:7: `duplicate:` names ec2.a.bb, which is not another entry \(did you mean ec2.a.b\?\)"):
        load_inventory(folder)
    (folder / "a.toml").write_text(one + "\n" + two.format(""))
    with pytest.raises(InventoryError, match=r"`duplicate:` names nothing"):
        load_inventory(folder)


def test_bad_toml_and_stray_tables_are_mistakes(tmp_path):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "a.toml").write_text("[[fact]\n")
    with pytest.raises(InventoryError, match=r"a.toml: not valid TOML"):
        load_inventory(folder)
    (folder / "a.toml").write_text('[facts]\nid = "x"\n')
    with pytest.raises(InventoryError, match=r"unknown table\(s\) facts"):
        load_inventory(folder)
    (folder / "a.toml").write_text('fact = "x"\n')
    with pytest.raises(InventoryError, match=r"`fact` must be an array of tables"):
        load_inventory(folder)


def test_a_changed_inventory_is_read_again(tmp_path):
    lib = library(tmp_path)
    assert len(load_inventory(lib / "facts")) == 5
    file = lib / "facts" / "ec2.toml"
    file.write_text(INVENTORY + '\n[[fact]]\nid = "ec2.x.y"\nsection = "S"\ntext = "T"\nverdict = "testable"\n')
    os.utime(file, ns=(1, 2))
    assert len(load_inventory(lib / "facts")) == 6


# ------------------------------------------------------------------ @fact at compile time
def test_a_dangling_fact_tag_is_a_compile_error_with_the_closest_ids(tmp_path):
    lib = library(tmp_path, SPEC.replace("ec2.ip.public-released-on-stop", "ec2.ip.public-relased-on-stop"))
    with pytest.raises(SpecErrors) as info:
        load_file(lib / "ec2" / "ip.scn", plugins.vocabulary())
    (err,) = info.value.errors
    assert (err.span.line, err.span.col) == (3, 3)
    assert err.message == "@fact(ec2.ip.public-relased-on-stop) names no entry of the facts inventory"
    assert err.hint == "did you mean ec2.ip.public-released-on-stop?"
    with pytest.raises(SpecErrors):
        check_file(lib / "ec2" / "ip.scn", plugins.vocabulary())


def test_a_fact_with_no_neighbour_says_where_facts_go(tmp_path):
    lib = library(tmp_path, SPEC.replace("ec2.ip.public-released-on-stop", "lambda.timeout.max"))
    with pytest.raises(SpecErrors) as info:
        load_file(lib / "ec2" / "ip.scn", plugins.vocabulary())
    assert info.value.errors[0].hint == "add it to the facts inventory under specs/"


def test_a_spec_outside_any_library_is_not_checked(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    spec = tmp_path / "loose.scn"
    spec.write_text(SPEC.replace("ec2.ip.public-released-on-stop", "anything.at.all"))
    assert len(load_file(spec, plugins.vocabulary()).scenarios) == 3


def test_the_cache_knows_the_inventory(tmp_path, monkeypatch):
    monkeypatch.delenv("SCN_NO_CACHE")
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path / "cache"))
    lib = library(tmp_path)
    spec = lib / "ec2" / "ip.scn"
    assert len(load_file(spec, plugins.vocabulary()).scenarios) == 3
    assert check_file(spec, plugins.vocabulary())["scenarios"] == 3
    file = lib / "facts" / "ec2.toml"
    file.write_text(INVENTORY.replace("ec2.ip.public-released-on-stop", "ec2.ip.public-gone-on-stop"))
    os.utime(file, ns=(1, 2))
    with pytest.raises(SpecErrors):  # a cached success must not hide the entry now missing
        load_file(spec, plugins.vocabulary())
    with pytest.raises(SpecErrors):
        check_file(spec, plugins.vocabulary())


def test_a_bad_fact_tag_shape_is_an_error_even_without_an_inventory():
    with pytest.raises(SpecErrors, match="@fact takes one fact id"):
        compile_text('feature: f\n  @fact(a, b)\n  scenario: s\n    given a running instance "w"\n',
                     plugins.vocabulary(), "x.scn")


# ------------------------------------------------------------------ coverage
def _runs(lib: Path, backend=None):
    backend = backend or plugins.backend("reference")
    feature = load_file(lib / "ec2" / "ip.scn", plugins.vocabulary(), fact_check=None, fact_key="")
    return [(sc, run_scenario(sc, backend)) for sc in feature.scenarios]


def test_coverage_counts_verified_missing_and_not_testable(tmp_path):
    lib = library(tmp_path)
    cov = cover(load_inventory(lib / "facts"), _runs(lib), "reference")
    status = {fs.fact.id: fs.status for fs in cov.facts}
    assert status == {
        "ec2.ip.public-released-on-stop": "verified",
        "ec2.ip.eip-retained-on-stop": "verified",  # the misbelief failed, as it should
        "ec2.billing.running-billed": "verified",
        "ec2.billing.on-demand-dev-test": "not-testable",
        "ec2.ip.eip-limit": "missing",
    }
    assert cov.totals() == {"testable": 4, "verified": 3, "failing": 0, "skipped": 0, "missing": 1, "not-testable": 1}
    assert dict(cov.sections())["AWS EC2 / IP Addresses"]["missing"] == 1
    assert cov.mistakes == () and cov.untagged == ()


def test_on_a_backend_without_billing_the_billing_fact_is_skipped_and_a_wrong_model_fails(tmp_path):
    lib = library(tmp_path)
    cov = cover(load_inventory(lib / "facts"), _runs(lib, fake_backend()), "fake")
    status = {fs.fact.id: fs.status for fs in cov.facts}
    assert status["ec2.billing.running-billed"] == "skipped"
    # the fake backend keeps the public IPv4 of a stopped instance: the fact fails there
    assert status["ec2.ip.public-released-on-stop"] == "failing"
    text = render(cov, "table")
    assert "failing (1):\n  ec2.ip.public-released-on-stop — AWS EC2 / IP Addresses" in text
    assert "skipped everywhere it is tagged (1):" in text


def test_a_fact_whose_words_a_backend_lacks_is_skipped_there_not_failing(tmp_path):
    lib = library(tmp_path)
    lacking = [(sc, Outcome(Status.ERROR, "thin", "not implemented: the billed of an instance", step=0,
                            not_implemented="the billed of an instance")) for sc, _ in _runs(lib)]
    cov = cover(load_inventory(lib / "facts"), lacking, "thin")
    status = {fs.fact.id: fs.status for fs in cov.facts if fs.fact.testable}
    assert status == {"ec2.ip.public-released-on-stop": "skipped", "ec2.ip.eip-retained-on-stop": "skipped",
                      "ec2.billing.running-billed": "skipped", "ec2.ip.eip-limit": "missing"}
    # a backend fault is still one
    faulted = [(sc, Outcome(Status.ERROR, "thin", "boom", step=0)) for sc, _ in _runs(lib)]
    assert {fs.status for fs in cover(load_inventory(lib / "facts"), faulted, "thin").facts if fs.runs} == {"failing"}


def test_dangling_and_contradicting_tags_are_mistakes_with_suggestions(tmp_path):
    spec = SPEC.replace("ec2.ip.public-released-on-stop", "ec2.ip.public-relased-on-stop").replace(
        "ec2.billing.running-billed", "ec2.billing.on-demand-dev-test")
    lib = library(tmp_path, spec)
    cov = cover(load_inventory(lib / "facts"), _runs(lib), "reference", prefix="ec2.ip")
    assert [(m.fact_id, m.problem, m.suggestions) for m in cov.mistakes] == [
        ("ec2.ip.public-relased-on-stop", "dangling", ("ec2.ip.public-released-on-stop",)),
        ("ec2.billing.on-demand-dev-test", "not-testable", ()),
    ]
    assert {fs.fact.id for fs in cov.facts} == {"ec2.ip.public-released-on-stop", "ec2.ip.eip-retained-on-stop", "ec2.ip.eip-limit"}
    text = render(cov, "markdown")
    assert "## mistakes (2)" in text
    assert "ip.scn:3:3: @fact(ec2.ip.public-relased-on-stop) names no entry of the facts inventory; did you mean ec2.ip.public-released-on-stop?" in text
    assert "@fact(ec2.billing.on-demand-dev-test) tags a fact the inventory calls not-testable" in text


def test_untagged_scenarios_are_listed(tmp_path):
    lib = library(tmp_path, SPEC.replace("  @fact(ec2.billing.running-billed)\n", ""))
    cov = cover(load_inventory(lib / "facts"), _runs(lib), "reference")
    assert [u.split(" ", 1)[1] for u in cov.untagged] == ["running is billed"]


def test_the_three_formats(tmp_path):
    lib = library(tmp_path)
    cov = cover(load_inventory(lib / "facts"), _runs(lib), "reference")
    table = render(cov, "table")
    assert table.splitlines()[0] == "fact coverage on the reference backend"
    assert [line.split()[-2:] for line in table.splitlines() if line.startswith("total")] == [["75", "%"]]
    md = render(cov, "markdown")
    assert md.startswith("# Fact coverage on the reference backend\n")
    assert "| AWS EC2 / Billing and provisioning |" in md and "| —" in md
    data = json.loads(render(cov, "json"))
    assert data["totals"]["verified"] == 3
    assert [f["status"] for f in data["facts"] if f["id"] == "ec2.ip.eip-limit"] == ["missing"]
    assert data["facts"][0]["scenarios"][0]["status"] == "passed"
    assert [f.get("reason") for f in data["facts"] if f["verdict"] == "not-testable"] == ["advice: a recommendation, not a behaviour"]


# ------------------------------------------------------------------ scn facts
def test_scn_facts_prints_the_coverage(tmp_path, capsys):
    lib = library(tmp_path)
    assert main(["facts", str(lib)]) == 0
    out = capsys.readouterr().out
    assert "testable, with no scenario (1):\n  ec2.ip.eip-limit — AWS EC2 / IP Addresses" in out
    assert main(["facts", str(lib), "--fail-under", "80"]) == 1
    assert "75.0 % of the testable facts are verified, under the required 80 %" in capsys.readouterr().out
    assert main(["facts", str(lib), "--fail-under", "75"]) == 0
    capsys.readouterr()
    assert main(["facts", str(lib / "ec2"), "--format", "json", "--prefix", "ec2.billing"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["testable"] == 1


def test_scn_facts_fails_on_a_dangling_tag_and_lists_every_one(tmp_path, capsys):
    spec = SPEC.replace("ec2.ip.public-released-on-stop", "ec2.ip.nope").replace("ec2.billing.running-billed", "ec2.bill.x")
    lib = library(tmp_path, spec)
    assert main(["facts", str(lib)]) == 1
    out = capsys.readouterr().out
    assert "mistakes (2):" in out and "@fact(ec2.ip.nope)" in out and "@fact(ec2.bill.x)" in out


def test_scn_facts_without_an_inventory_or_with_a_broken_spec(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("")
    assert main(["facts", str(tmp_path)]) == 2
    assert "no facts inventory at or above" in capsys.readouterr().err
    (tmp_path / "p").mkdir()
    lib = library(tmp_path / "p", SPEC.replace("when \"web\" is stopped", "when \"web\" is stoped"))
    assert main(["facts", str(lib)]) == 1
    assert "no coverage was measured" in capsys.readouterr().out


def test_scn_facts_reports_a_broken_inventory_in_one_line(tmp_path, capsys):
    lib = library(tmp_path, inventory=INVENTORY.replace('verdict = "not-testable"', 'verdict = "nope"'))
    assert main(["facts", str(lib)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scn: the facts inventory has mistakes:") and "Traceback" not in err


# ------------------------------------------------------------------ the project's own library
SPECS = Path(__file__).parent.parent / "specs"


def test_every_testable_ec2_fact_is_verified_on_the_reference_backend():
    inventory = load_inventory(SPECS / "facts")
    backend = plugins.backend("reference")
    runs = []
    for spec in sorted((SPECS / "ec2").glob("*.scn")):
        feature = load_file(spec, plugins.vocabulary())  # raises on a dangling tag
        runs += [(sc, run_scenario(sc, backend)) for sc in feature.scenarios]
    cov = cover(inventory, runs, "reference", prefix="ec2")
    assert cov.mistakes == ()
    assert cov.untagged == ()
    not_verified = [(fs.fact.id, fs.status) for fs in cov.facts if fs.fact.testable and fs.status != "verified"]
    assert not_verified == []
    assert cov.totals()["testable"] >= 40


# the headings of specs/notes/aws-architecture-notes.md that state facts (image-only ones left out)
NOTES_SECTIONS = {
    "ec2": ["AWS EC2 / valid EC2 lifecycle instance state", "AWS EC2 / Metadata and User Data", "AWS EC2 / Billing and provisioning",
            "AWS EC2 / Billing of EC2", "AWS EC2 / IP Addresses", "AWS EC2 / Placement Group", "AWS EC2 / Elastic Network Interfaces",
            "AWS EC2 / Attaching ENIs", "AWS EC2 / Interface endpoints",
            "AWS EC2 / Enhanced Networking – Elastic Network Adapter (ENA)", "AWS EC2 / Elastic Fabric Adapter (EFA)",
            "AWS EC2 / ENI vs ENA vs EFA"],
}


def test_the_inventory_covers_every_service_of_the_notes():
    inventory = load_inventory(SPECS / "facts")
    services = {f.service for f in inventory}
    assert services >= {"ec2", "apigateway", "lambda", "rds", "aurora", "dynamodb", "elasticache", "redshift",
                        "emr", "kinesis", "athena", "glue"}
    sections = set(inventory.sections())
    for service, expected in NOTES_SECTIONS.items():
        assert set(expected) <= sections, sorted(set(expected) - sections)
    for fact in inventory:
        if not fact.testable:
            assert fact.reason
