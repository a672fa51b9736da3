"""A spec loaded from the compiled-spec cache needs neither the compiler nor the parser (nor Lark)."""

import os
import subprocess
import sys

import scenario.loader as loader
from scenario.parser import GRAMMAR_HASH

SPEC = 'feature: f\n  scenario: s\n    given a running instance "web"\n    when "web" is stopped\n    then "web" is stopped\n'

PROBE = '''
import sys
from scenario.loader import load_file
from scenario.plugins import vocabulary
feature = load_file(sys.argv[1], vocabulary())
print(len(feature.scenarios), "lark" in sys.modules, "scenario.compiler" in sys.modules, "scenario.parser" in sys.modules)
'''


def test_the_loader_keys_the_cache_by_the_parsers_grammar_hash():
    assert loader._grammar_hash() == GRAMMAR_HASH


def test_a_cached_spec_loads_without_the_compiler(tmp_path):
    spec = tmp_path / "a.scn"
    spec.write_text(SPEC)
    env = {k: v for k, v in os.environ.items() if k != "SCN_NO_CACHE"}
    env["SCN_CACHE_DIR"] = str(tmp_path / "cache")

    def probe():
        r = subprocess.run([sys.executable, "-c", PROBE, str(spec)], env=env, capture_output=True, text=True, check=True)
        return r.stdout.split()

    assert probe() == ["1", "True", "True", "True"]  # the first load compiles
    assert probe() == ["1", "False", "False", "False"]  # the second reads the cache only
