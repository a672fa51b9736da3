"""Start-up cost (issue 20 item 3, issue 17 item 2): what each way in imports, and that what was made
lazy or done once per process behaves as before."""

from __future__ import annotations

import importlib.metadata
import pickle
import subprocess
import sys

import pytest

from scenario import plugins

# ---------------------------------------------------------------- scn --version and scn check


def _modules_after(code: str) -> set[str]:
    """The modules of scn, its plugins and its heavy dependencies that ``code`` leaves imported (in a fresh process)."""
    probe = code + "\nimport sys\nprint('MODULES:', *(m for m in sys.modules if m.split('.')[0] in " \
        "('scenario', 'scn_reference', 'scn_boto', 'attr', 'attrs', 'lark', 'pluggy') or m == 'importlib.metadata'))"
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(r.stdout.rpartition("MODULES:")[2].split())


def test_the_version_is_answered_before_anything_is_imported():
    code = "from scenario.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    loaded = {m for m in _modules_after(code) if not m.startswith("attr")}  # scenario.errors: the commands' classes
    assert loaded == {"scenario", "scenario.cli", "scenario._version", "scenario.errors"}, loaded


def test_the_version_is_the_installed_distributions():
    from scenario import _version

    assert _version.__version__ == importlib.metadata.version("scn")


def test_import_scenario_imports_nothing_but_gives_the_public_api():
    assert _modules_after("import scenario") == {"scenario"}
    import scenario

    assert scenario.ScnSyntaxError.__module__ == "scenario.errors" and scenario.hookimpl is not None
    assert set(scenario.__all__) <= set(dir(scenario))


def test_an_own_command_parses_without_loading_a_plugin():
    loaded = _modules_after("from scenario.cli import _parser\n_parser('check').parse_args(['check', 'x.scn'])")
    assert not any(m.startswith(("scn_reference", "scn_boto")) for m in loaded), loaded
    assert "scenario.plugins" not in loaded


def test_own_commands_are_scns_commands_and_the_full_parser_adds_the_plugins():
    from scenario.cli import OWN_COMMANDS, _parser

    def commands(parser):
        return set(next(a for a in parser._actions if a.dest == "command").choices)

    assert commands(_parser("check")) == OWN_COMMANDS
    assert commands(_parser()) == OWN_COMMANDS | {"sweep"}  # scn_boto's, through scn_cli_commands
    run = _parser("run").parse_args(["run", "x.scn", "--aws-account", "123456789012"])  # the plugins' options
    assert run.scn_aws_accounts == ["123456789012"]


@pytest.mark.parametrize("group", ["scn", "pytest11", "console_scripts"])
def test_entry_points_are_read_as_importlib_metadata_lists_them(group):
    expected = [(ep.name, ep.value) for d in importlib.metadata.distributions() for ep in d.entry_points
                if ep.group == group]
    assert plugins.entry_points(group) == expected


def test_a_zipped_path_is_left_to_importlib_metadata(tmp_path, monkeypatch):
    zipped = tmp_path / "dists.zip"
    zipped.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    monkeypatch.syspath_prepend(str(zipped))
    assert plugins.entry_points("scn") is None


def test_entry_point_sections_and_values():
    text = "[console_scripts]\nscn = scenario.cli:main\n\n[scn]\n# a comment\nfake = pkg.mod:obj.attr [extra]\n"
    assert list(plugins._section(text, "scn")) == [("fake", "pkg.mod:obj.attr [extra]")]
    assert plugins._load("os.path:join") is __import__("os").path.join


# ---------------------------------------------------------------- pytest's start


def test_pytest_starts_without_the_models_or_boto3(tmp_path):
    (tmp_path / "test_one.py").write_text("def test_one():\n    pass\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    code = f"import pytest\nassert pytest.main(['-q', '-p', 'no:cacheprovider', {str(tmp_path)!r}]) == 0"
    loaded = _modules_after(code)
    assert "scenario.pytest_plugin" in loaded and "scn_boto.moto_backend" in loaded  # the plugins are loaded …
    heavy = {"scn_boto.services", "scn_boto.adapter", "scn_boto.tagging", "scn_boto.aws_options",
             "scn_reference.vocabulary", "scn_reference.world", "scenario.runner", "scenario.ir", "scenario.errors",
             "attr", "attrs", "lark"}
    assert not loaded & heavy, loaded & heavy  # … and nothing else


# ---------------------------------------------------------------- the reference world, installed once


def _installed_afresh():
    from scn_reference.vocabulary import SERVICES
    from scn_reference.world import ReferenceWorld

    world = ReferenceWorld.__new__(ReferenceWorld)
    world._start()
    for service in SERVICES:
        service.install(world)
    return world


def test_a_world_is_what_installing_the_services_into_it_gives():
    from scn_reference.world import REGISTRIES, ReferenceWorld, _installed

    assert _installed() is not None  # the fast way is the one taken
    fast, slow = ReferenceWorld(), _installed_afresh()

    def code(registry):  # a lambda made in install() is a new function each time: the same code
        values = registry.items()
        return {k: [f.__code__ for f in v] if isinstance(v, (list, tuple)) else getattr(v, "__code__", v)
                for k, v in values}

    for name in REGISTRIES:
        assert code(getattr(fast, name)) == code(getattr(slow, name)), name
    state = sorted(k for k in vars(slow) if k not in REGISTRIES)
    # every name of the state answers as installing gave it (the services' own state: on first use) …
    assert pickle.dumps([getattr(fast, k) for k in state]) == pickle.dumps([getattr(slow, k) for k in state])
    # … and is then the world's own, as installing would have made it; nothing else is (but where it came from)
    assert sorted(k for k in vars(fast) if k not in REGISTRIES and k != "_source") == state


def test_a_new_world_copies_no_services_state_before_it_is_asked_for():
    from scn_reference.world import ReferenceWorld, _installed

    names = set(_installed().groups)
    assert {"network_interfaces", "rds"} <= names
    world = ReferenceWorld()
    assert not names & set(vars(world))
    world.create("network interface", 'network interface "eni"', {}, [])
    assert "network_interfaces" in vars(world)  # what EC2 asked for …
    assert "rds" not in vars(world)  # … and only that
    assert world.rds is world.rds  # made once, then the world's own


def test_worlds_share_no_state():
    from scn_reference.world import REGISTRIES, ReferenceWorld, _installed

    one, two = ReferenceWorld(), ReferenceWorld()
    for name in sorted(set(vars(one)) | set(_installed().groups)):
        value = getattr(one, name)
        if name != "_source" and (isinstance(value, (list, dict, set)) or hasattr(value, "__dict__")):
            assert value is not getattr(two, name), name
    assert one._source is two._source  # where the state comes from: read, never changed
    for name in REGISTRIES:  # the handlers both start with cannot be changed in place …
        with pytest.raises(TypeError):
            getattr(one, name)["x"] = print
    one.on("tick", print)  # … a world that adds a listener gets listeners of its own
    assert print in one.listeners["tick"] and print not in two.listeners["tick"]
    assert print not in ReferenceWorld().listeners["tick"]
    one.off("tick", print)
    assert one.listeners["tick"] == two.listeners["tick"]


def test_state_does_not_leak_from_one_world_into_the_next():
    from scn_reference.world import ReferenceWorld, _installed

    names = sorted(_installed().groups)
    fresh = pickle.dumps({name: getattr(ReferenceWorld(), name) for name in names})
    used = ReferenceWorld()
    used.create("instance", 'instance "web"', {}, [])
    used.create("network interface", 'network interface "eni"', {}, [])
    for name in names:  # change every part of the state in place
        value = getattr(used, name)
        if isinstance(value, list):
            value.append("leaked")
        elif isinstance(value, dict):
            value["leaked"] = "leaked"
        else:
            vars(value)["leaked"] = "leaked"
    after = ReferenceWorld()
    assert pickle.dumps({name: getattr(after, name) for name in names}) == fresh
    assert after.resources == [] and after.counter == 0 and after.private_pools == {}


def test_state_that_shares_an_object_is_copied_together():
    from scn_reference.world import _sharing

    shared: list = []
    state = {"a": {"k": shared}, "b": [shared], "c": [], "d": ("text", 1)}
    assert sorted(_sharing(object(), state)) == [("a", "b"), ("c",), ("d",)]


def test_a_handler_holding_state_of_its_own_is_found():
    from scn_reference.world import _holds_state

    kept: list = []

    def plain(world, resource):
        return len(resource.items)

    def closure(world, resource):
        return kept

    assert not _holds_state(plain) and not _holds_state(len)
    assert _holds_state(closure) and _holds_state(kept.append)
    assert _holds_state(lambda w, store=kept: store)
