"""The shapes of line the parser learns are kept in the cache folder: a later process whose lines all have
known shapes parses without lark, to the same items; a bad file is ignored and replaced; the file is bounded;
with the cache off nothing is read or written."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from scenario import parser

ROOT = Path(__file__).resolve().parent.parent
SPEC = ('@ec2\nfeature: kept shapes\n  a description line\n\n  # a comment\n  scenario: one\n'
        '    given a running instance "web"\n    when "web" is stopped\n    then "web" is stopped\n')

WARM = '''
import sys
from pathlib import Path
from scenario.parser import _LineShapes
for f in sys.argv[1:]:
    text = Path(f).read_text(encoding="utf-8")
    _LineShapes().parse((text if text.endswith("\\n") else text + "\\n").split("\\n"))
'''

SAME = '''
import sys
from pathlib import Path
from scenario.parser import _lark_items, _LineShapes
shaped = []
for f in sys.argv[1:]:
    text = Path(f).read_text(encoding="utf-8")
    shaped.append(repr(_LineShapes().parse((text if text.endswith("\\n") else text + "\\n").split("\\n"))))
for f, got in zip(sys.argv[1:], shaped):
    assert got == repr(_lark_items(Path(f).read_text(encoding="utf-8"))), f
print("same")
'''

NO_LARK = '''
import sys
from scenario import loader, plugins
feature = loader.load_text(sys.argv[1], "a.scn", plugins.vocabulary(), use_cache=False)
print(len(feature.scenarios), "lark" in sys.modules)
'''


def _env(cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "SCN_NO_CACHE"}
    env["SCN_CACHE_DIR"] = str(cache)
    return env


def _run(code: str, cache: Path, *args: str) -> str:
    r = subprocess.run([sys.executable, "-c", code, *args], env=_env(cache), capture_output=True, text=True, check=True)
    return r.stdout.strip()


def test_a_warm_process_parses_the_library_as_lark_does(tmp_path):
    specs = sorted((ROOT / "specs").rglob("*.scn")) + sorted((ROOT / "tests" / "golden").rglob("good/*.scn"))
    files = [str(f) for f in specs]
    _run(WARM, tmp_path, *files)
    assert list(tmp_path.glob("shapes-*.pickle"))
    assert _run(SAME, tmp_path, *files) == "same"


def test_a_process_whose_lines_are_all_known_does_not_import_lark(tmp_path):
    assert _run(NO_LARK, tmp_path, SPEC) == "1 True"  # learns the shapes
    assert _run(NO_LARK, tmp_path, SPEC) == "1 False"  # knows them all
    other = SPEC.replace("web", "db7").replace("one", "two")  # other names, the same shapes
    assert _run(NO_LARK, tmp_path, other) == "1 False"


# ---------------------------------------------------------------- in this process, with a cache folder of the test's


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.delenv("SCN_NO_CACHE", raising=False)
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path))
    return tmp_path


def _parse(text: str = SPEC) -> list:
    shapes = parser._LineShapes()
    got = shapes.parse(text.split("\n"))
    shapes.saved.write(now=True)  # what the process's exit writes
    return got


def _file(cache: Path) -> Path:
    (file,) = cache.glob("shapes-*.pickle")
    return file


def _content(cache: Path):
    with open(_file(cache), "rb") as fh:
        return pickle.load(fh)


@pytest.mark.parametrize("spoil", [
    lambda good: b"not a pickle at all",
    lambda good: good[: len(good) // 2],  # truncated
    lambda good: b"",
    lambda good: pickle.dumps(("0" * 64, {}, {})),  # another key's
    lambda good: pickle.dumps((parser._shapes_key(), {("x",): "a string"}, {})),  # foreign content, this key
    lambda good: pickle.dumps(["a", "list"]),
])
def test_a_bad_shapes_file_is_ignored_and_replaced(cache, spoil):
    expected = repr(parser._lark_items(SPEC))
    assert repr(_parse()) == expected
    good = _file(cache).read_bytes()
    _file(cache).write_bytes(spoil(good))
    assert repr(_parse()) == expected  # read, ignored, relearned …
    assert _file(cache).read_bytes() == good  # … and written again


def test_the_file_holds_what_the_memo_trusts(cache):
    _parse(SPEC + '    then "web" fails with "Boom"\n')  # a shape that keeps its name as text: not kept
    key, shapes, plain = _content(cache)
    assert key == parser._shapes_key()
    assert sorted(type(v).__name__ for v in shapes.values()) == ["Header", "Header", "Step", "Step", "Step"]
    assert set(plain) == {"@ec2", "  a description line", "  # a comment"}


def test_the_file_is_bounded(cache, monkeypatch):
    monkeypatch.setattr(parser._SavedShapes, "MAX", 4)
    many = "feature: f\n  scenario: s\n" + "".join(f'    given a running instance{" " * i} "web"\n' for i in range(10))
    expected = repr(parser._lark_items(many))
    assert repr(_parse(many)) == expected
    _, shapes, plain = _content(cache)
    assert len(shapes) + len(plain) == 4
    assert repr(_parse(many)) == expected  # those past the bound still parse, through lark


def test_with_the_cache_off_nothing_is_read_or_written(cache, monkeypatch):
    monkeypatch.setenv("SCN_NO_CACHE", "1")
    assert repr(_parse()) == repr(parser._lark_items(SPEC))
    assert list(cache.iterdir()) == []
    monkeypatch.delenv("SCN_NO_CACHE")
    _parse()
    file = _file(cache)
    monkeypatch.setenv("SCN_NO_CACHE", "1")
    file.write_bytes(b"damaged")
    assert repr(_parse()) == repr(parser._lark_items(SPEC))
    assert file.read_bytes() == b"damaged"  # neither read nor replaced


def test_a_process_learning_one_shape_at_a_time_writes_a_bounded_number_of_times(cache, monkeypatch):
    """The language server and the property tests learn shapes one parse at a time: the file is written when a
    process has learned BATCH entries and half as many as the file held, so n shapes cost O(n) bytes, not O(n²);
    what is left is written at the process's exit."""
    writes, exits = [], []
    real_store = parser.store
    monkeypatch.setattr(parser, "store", lambda file, write: writes.append(file) or real_store(file, write))
    monkeypatch.setattr(parser.atexit, "register", lambda fn, *a, **kw: exits.append((fn, kw)))
    shapes = parser._LineShapes()
    n = 1000
    for i in range(n):  # a new step shape each time: the spaces before the name differ
        assert shapes.parse(["feature: f", "  scenario: s", f'    given a running instance{" " * (i + 1)}"web"']) is not None
    assert 5 <= len(writes) <= 10  # 64, then ×1.5 each time: not one write per parse
    assert len(exits) == 1  # the rest, at the process's exit, registered once
    fn, kw = exits[0]
    fn(**kw)
    _, kept, _ = _content(cache)
    assert len(kept) == n + 2  # every step shape, and the two header shapes


def test_flush_shapes_writes_what_the_shared_memo_learned(cache, monkeypatch):
    monkeypatch.setattr(parser._LineShapes, "_shared", None)
    parser.flush_shapes()  # nothing learned yet: nothing written
    assert not list(cache.glob("shapes-*.pickle"))
    parser._LineShapes.shared().parse(SPEC.split("\n"))
    assert not list(cache.glob("shapes-*.pickle"))  # a few entries: they wait for the exit …
    parser.flush_shapes()  # … or for the end of a pytest worker
    assert _content(cache)[1]
