"""The shapes of each spec's lines are kept in the cache folder, a file per spec: a later process whose lines all
have known shapes parses without lark, to the same items; a spec's file holds its own shapes only and is written
only when they change; a bad file is ignored and replaced; a file is bounded; with the cache off nothing is read or
written."""

from __future__ import annotations

import os
import pickle
import shutil
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
    _LineShapes().parse((text if text.endswith("\\n") else text + "\\n").split("\\n"), f)
'''

SAME = '''
import sys
from pathlib import Path
from scenario.parser import _lark_items, _LineShapes
shaped = []
for f in sys.argv[1:]:
    text = Path(f).read_text(encoding="utf-8")
    shaped.append(repr(_LineShapes().parse((text if text.endswith("\\n") else text + "\\n").split("\\n"), f)))
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

OUTLINE = ('feature: rows\n  scenario outline: stop <name>\n    given a running instance "<name>"\n'
           '    when <n> minutes pass\n    then "<name>" is running\n'
           '    examples:\n      | name | n |\n      | web | 1 |\n      | db | 20 |\n')


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
    assert len(list(tmp_path.glob("shapes-*/*.pickle"))) == len(files)  # a file per spec
    assert _run(SAME, tmp_path, *files) == "same"


def test_a_process_whose_lines_are_all_known_does_not_import_lark(tmp_path):
    assert _run(NO_LARK, tmp_path, SPEC) == "1 True"  # learns the shapes
    assert _run(NO_LARK, tmp_path, SPEC) == "1 False"  # knows them all
    other = SPEC.replace("web", "db7").replace("one", "two")  # other names, the same shapes
    assert _run(NO_LARK, tmp_path, other) == "1 False"


def test_an_outline_compiled_again_parses_none_of_its_rows(tmp_path):
    """An outline's rows are parsed at compile time, once substituted: their sentences are kept with the spec's
    shapes, so a spec compiled again (its compiled form gone, after an edit) needs no lark for them either."""
    assert _run(NO_LARK, tmp_path, OUTLINE) == "2 True"
    assert _run(NO_LARK, tmp_path, OUTLINE) == "2 False"
    # a new row is a new sentence: through lark, then kept too
    three = OUTLINE + "      | api | 3 |\n"
    assert _run(NO_LARK, tmp_path, three) == "3 True"
    assert _run(NO_LARK, tmp_path, three) == "3 False"


def test_a_line_whose_shape_keeps_no_names_needs_no_lark_in_a_later_process(tmp_path):
    boom = SPEC.replace('    then "web" is stopped\n', '    then it fails with "Boom"\n')  # a quoted word kept as text
    assert _run(NO_LARK, tmp_path, boom) == "1 True"
    assert _run(NO_LARK, tmp_path, boom) == "1 False"


def test_an_outline_compiled_block_by_block_keeps_its_rows_too(tmp_path):
    """What fills the compiled-spec cache compiles a spec block by block, the rows of the last block after its
    parse has ended: their sentences are kept as well."""
    streamed = NO_LARK.replace("use_cache=False", "use_cache=True")
    assert _run(streamed, tmp_path, OUTLINE) == "2 True"
    shutil.rmtree(tmp_path / "specs")  # the compiled form gone: compiled again
    assert _run(streamed, tmp_path, OUTLINE) == "2 False"


# ---------------------------------------------------------------- in this process, with a cache folder of the test's


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.delenv("SCN_NO_CACHE", raising=False)
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path))
    return tmp_path


def _parse(text: str = SPEC, path: str = "a.scn", shapes: parser._LineShapes | None = None) -> list:
    return (shapes or parser._LineShapes()).parse(text.split("\n"), path)


def _file(cache: Path) -> Path:
    (file,) = cache.glob("shapes-*/*.pickle")
    return file


def _content(cache: Path):
    with open(_file(cache), "rb") as fh:
        return pickle.load(fh)


@pytest.mark.parametrize("spoil", [
    lambda good: b"not a pickle at all",
    lambda good: good[: len(good) // 2],  # truncated
    lambda good: b"",
    lambda good: pickle.dumps(("0" * 64, "a.scn", {}, {})),  # another key's
    lambda good: pickle.dumps((parser._shapes_key(), "b.scn", {}, {})),  # another spec's
    lambda good: pickle.dumps((parser._shapes_key(), "a.scn", {("x",): "a string"}, {}, {})),  # foreign content
    lambda good: pickle.dumps((parser._shapes_key(), "a.scn", {}, {}, {"x": "a string"})),  # a foreign sentence
    lambda good: pickle.dumps((parser._shapes_key(), "a.scn", {}, {})),  # an older layout
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
    boom = '    then "web" fails with "Boom"'  # a shape that keeps its name as text: kept by its whole text
    _parse(SPEC + boom + "\n")
    key, path, shapes, plain, sentences = _content(cache)
    assert (key, path) == (parser._shapes_key(), "a.scn")
    # the boom line's shape is kept as one that keeps no names (None): a later process need not ask Lark that
    assert sorted(type(v).__name__ for v in shapes.values()) == ["Header", "Header", "NoneType", "Step", "Step", "Step"]
    assert set(plain) == {"@ec2", "  a description line", "  # a comment", boom}
    assert sentences == {}  # a parse alone: no outline row was compiled


def test_a_line_kept_by_its_text_is_a_copy_at_each_line(cache):
    """Lines of one text (a table row, an outline's step, `fails with "Code"`) are Lark's items for that line, each
    at its own line number, from a warm file too; changing one line's item changes no other."""
    row, boom = "      | web | 1 |", '    then it fails with "Boom"'
    text = ("feature: f\n  scenario outline: o\n    given a running instance \"<name>\"\n" + boom + "\n" + boom
            + "\n    examples:\n      | name | n |\n" + row + "\n" + row + "\n")
    expected = repr(parser._lark_items(text))
    first = _parse(text)
    assert repr(first) == expected
    assert repr(_parse(text)) == expected  # a new memo, from the file
    rows = [item for item in first if type(item) is parser.s.Row]
    rows[-1].line = 99
    assert [r.line for r in rows] == [7, 8, 99]


def test_the_file_is_bounded(cache, monkeypatch):
    monkeypatch.setattr(parser._SavedShapes, "MAX", 4)
    many = "feature: f\n  scenario: s\n" + "".join(f'    given a running instance{" " * i} "web"\n' for i in range(10))
    expected = repr(parser._lark_items(many))
    assert repr(_parse(many)) == expected
    _, _, shapes, plain, _ = _content(cache)
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



def test_a_spec_keeps_its_own_shapes_only(cache):
    """Compiling one spec reads what that spec needs, never a whole library's shapes."""
    shapes = parser._LineShapes()  # one memo for both, as in a process that compiles a library
    _parse(SPEC, "a.scn", shapes)
    other = 'feature: another\n  scenario: two\n    given an elastic ip "eip"\n    then "eip" exists\n'
    _parse(other, "b.scn", shapes)
    files = {}
    for file in cache.glob("shapes-*/*.pickle"):
        with open(file, "rb") as fh:
            _, path, kept, plain, _ = pickle.load(fh)
        files[path] = kept
    assert set(files) == {"a.scn", "b.scn"}
    assert len(files["a.scn"]) == 5 and len(files["b.scn"]) == 4  # its headers and steps, nothing of the other's
    steps = {name: {" … ".join(p.strip() for p in key if isinstance(p, str) and p.strip()) for key in kept
                    if isinstance(key, tuple)} for name, kept in files.items()}
    assert steps == {"a.scn": {"given a running instance", "when … is stopped", "then … is stopped"},
                     "b.scn": {"given an elastic ip", "then … exists"}}


def test_a_spec_is_written_only_when_its_shapes_change(cache, monkeypatch):
    """The language server parses a spec at each edit: its file is rewritten only when the shapes of its lines
    change (a name typed inside quotes changes none), and a spec in error keeps what it had."""
    writes = []
    real_store = parser.store
    monkeypatch.setattr(parser, "store", lambda file, write: writes.append(file) or real_store(file, write))
    shapes = parser._LineShapes()
    for _ in range(3):
        _parse(SPEC, shapes=shapes)
    assert len(writes) == 1
    _parse(SPEC.replace('"web"', '"db7"'), shapes=shapes)  # other names of the same length: the same shapes
    assert len(writes) == 1
    longer = SPEC + '    and "web" is running\n'
    _parse(longer, shapes=shapes)  # a line of a new shape
    assert len(writes) == 2
    before = _file(cache).read_bytes()
    assert _parse(longer + '    then "an unterminated name\n', shapes=shapes) is None
    assert len(writes) == 2 and _file(cache).read_bytes() == before  # in error: kept as it was
    _parse(SPEC, shapes=shapes)  # the line is gone again
    assert len(writes) == 3
    assert len(_content(cache)[2]) == 5


def test_the_rows_sentences_are_what_lark_makes_and_written_when_they_change(cache, monkeypatch):
    from scenario import plugins
    from scenario.compiler import compile_text

    writes = []
    real_store = parser.store
    monkeypatch.setattr(parser, "store", lambda file, write: writes.append(file) or real_store(file, write))
    monkeypatch.setattr(parser._LineShapes, "_shared", None)  # the process's memo, as a new process has it
    vocab = plugins.vocabulary()
    compiled = compile_text(OUTLINE, vocab, "a.scn")
    sentences = _content(cache)[4]
    assert set(sentences) == {'"web" is running', '"db" is running', "1 minutes pass", "20 minutes pass",
                              'a running instance "web"', 'a running instance "db"'}
    for text, sentence in sentences.items():
        assert repr(sentence) == repr(parser._lark().parse(text, start="sentence"))
    assert len(writes) == 2  # the lines' shapes when the parse ended, the rows' sentences when the compile did
    assert compile_text(OUTLINE, vocab, "a.scn") == compiled
    assert len(writes) == 2  # nothing changed: nothing written
    monkeypatch.setattr(parser._LineShapes, "_shared", None)  # a new process: the rows come from the file
    monkeypatch.setattr(parser, "_lark", lambda: pytest.fail("a row went through lark"))
    assert compile_text(OUTLINE, vocab, "a.scn") == compiled


def test_a_spec_parsed_again_reads_its_file_once(cache, monkeypatch):
    """The language server parses one spec at each edit: its file is read by the first parse only."""
    reads = []
    real_read = parser._SavedShapes.read
    counted = classmethod(lambda cls, path: reads.append(path) or real_read(path))
    monkeypatch.setattr(parser._SavedShapes, "read", counted)
    shapes = parser._LineShapes()
    for _ in range(3):
        assert repr(_parse(SPEC, shapes=shapes)) == repr(parser._lark_items(SPEC))
    _parse(SPEC, "b.scn", shapes)
    assert reads == ["a.scn", "b.scn"]
