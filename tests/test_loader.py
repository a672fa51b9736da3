"""The compiled-spec cache: keyed by content (and scn's grammar, code and vocabulary),
read in full to run a spec, and only its summary to check one."""

import pytest

import scenario.loader as loader
from scenario.errors import SpecErrors
from scenario.plugins import vocabulary

GOOD = 'feature: f\n  scenario: s\n    given a running instance "web"\n    then "web" is running\n'
BAD = 'feature: f\n  scenario: s\n    given a runing instance "web"\n'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SCN_NO_CACHE", raising=False)
    return tmp_path


@pytest.fixture
def compiles(monkeypatch):
    """Counts the compilations the loader asks for: whole files, and files block by block into a cache entry."""
    calls = []

    def counting(real):
        def count(*args, **kwargs):
            calls.append(args[2])
            return real(*args, **kwargs)
        return count

    monkeypatch.setattr(loader, "compile_text", counting(loader.compile_text))
    monkeypatch.setattr(loader, "compile_chunks", counting(loader.compile_chunks))
    return calls


def test_a_spec_is_compiled_once_then_loaded_from_the_cache(cache, compiles):
    first = loader.load_text(GOOD, "a.scn", vocabulary())
    second = loader.load_text(GOOD, "a.scn", vocabulary())
    assert compiles == ["a.scn"]
    assert second == first and second is not first
    assert len(list((cache / "specs").rglob("*.pickle"))) == 1


def test_check_reads_only_the_summary(cache, compiles):
    assert loader.check_text(GOOD, "a.scn", vocabulary()) == {"scenarios": 1, "backends": [], "facts": False, "name": "f"}
    assert loader.check_text(GOOD, "a.scn", vocabulary()) == {"scenarios": 1, "backends": [], "facts": False, "name": "f"}
    assert compiles == ["a.scn"]
    loader.load_text(GOOD, "a.scn", vocabulary())  # the same entry serves a run
    assert compiles == ["a.scn"]


def test_changed_text_or_path_is_compiled_again(cache, compiles):
    loader.check_text(GOOD, "a.scn", vocabulary())
    loader.check_text(GOOD + "  # a comment\n", "a.scn", vocabulary())
    loader.check_text(GOOD, "b.scn", vocabulary())
    assert compiles == ["a.scn", "a.scn", "b.scn"]


def test_mistakes_are_never_cached(cache, compiles):
    for _ in range(2):
        with pytest.raises(SpecErrors):
            loader.check_text(BAD, "bad.scn", vocabulary())
    assert compiles == ["bad.scn", "bad.scn"]
    assert list((cache / "specs").rglob("*.pickle")) == []


def test_a_damaged_cache_entry_is_compiled_again(cache, compiles):
    loader.load_text(GOOD, "a.scn", vocabulary())
    (entry,) = (cache / "specs").rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert len(loader.load_text(GOOD, "a.scn", vocabulary()).scenarios) == 1
    assert compiles == ["a.scn", "a.scn"]


def test_no_cache_compiles_every_time(cache, compiles, monkeypatch):
    monkeypatch.setenv("SCN_NO_CACHE", "1")
    loader.check_text(GOOD, "a.scn", vocabulary())
    loader.load_text(GOOD, "a.scn", vocabulary())
    assert compiles == ["a.scn", "a.scn"]
    assert list((cache / "specs").rglob("*.pickle")) == []


# ---------------------------------------------------------------- block by block, chunk by chunk


def _many(n: int) -> str:
    body = "".join(f'\n  scenario: stop number {i}\n    given a running instance "web{i}"\n'
                   f'    when "web{i}" is stopped\n    then "web{i}" is stopped\n' for i in range(n))
    return "@bench\nfeature: many\n  a description\n" + body


@pytest.mark.parametrize("use_cache", [None, False])
def test_an_opened_spec_gives_what_a_loaded_one_holds(cache, use_cache):
    text = _many(loader.CHUNK * 2 + 7)  # three chunks, the last one short
    whole = loader.compile_text(text, vocabulary(), "many.scn")
    with loader.open_text(text, "many.scn", vocabulary(), use_cache=use_cache) as spec:
        assert spec.summary["scenarios"] == loader.CHUNK * 2 + 7
        assert spec.feature.name == "many" and spec.feature.scenarios == ()
        assert list(spec) == list(whole.scenarios)
        assert list(spec) == list(whole.scenarios)  # again: a cache entry is read anew, a spool from its start
    assert loader.load_text(text, "many.scn", vocabulary(), use_cache=use_cache) == whole
    assert len(list((cache / "specs").rglob("*.pickle"))) == (0 if use_cache is False else 1)


def test_a_file_compiled_block_by_block_is_the_file_compiled_whole():
    """Every spec of the library (and every golden file, good or bad): the same feature, or the same mistakes."""
    from pathlib import Path

    import attrs

    from scenario.errors import SpecErrors as Errors
    from scenario.loader import compile_chunks, fact_options

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "specs").rglob("*.scn")) + sorted((root / "tests" / "golden").rglob("*.scn"))
    for f in files:
        text, shown = f.read_text(encoding="utf-8"), str(f.relative_to(root))
        check = fact_options(f).get("fact_check")
        try:
            whole = loader.compile_text(text, vocabulary(), shown, check)
        except Errors as exc:
            with pytest.raises(Errors) as streamed:
                list(compile_chunks(text, vocabulary(), shown, check))
            assert streamed.value.render() == exc.render(), f
            continue
        *chunks, feature = compile_chunks(text, vocabulary(), shown, check)
        assert attrs.evolve(feature, scenarios=[sc for c in chunks for sc in c]) == whole, f


def test_a_run_holds_one_chunk_not_the_file(cache):
    """Iterating an opened spec of 12 chunks keeps about one chunk alive at once (loading it whole holds all 12)."""
    import tracemalloc

    text = _many(loader.CHUNK * 12)
    spec = loader.open_text(text, "many.scn", vocabulary())
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        n = sum(1 for _ in spec)
        streamed = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        whole = loader.load_text(text, "many.scn", vocabulary())
        held = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert n == len(whole.scenarios) == loader.CHUNK * 12
    assert streamed * 4 < held, (streamed, held)


def test_a_cache_entry_removed_during_a_run_is_compiled_again_and_the_run_goes_on(cache):
    text = _many(loader.CHUNK * 2 + 7)
    whole = loader.compile_text(text, vocabulary(), "many.scn")
    spec = loader.open_text(text, "many.scn", vocabulary())
    it = iter(spec)
    first = [next(it) for _ in range(loader.CHUNK + 3)]
    for entry in (cache / "specs").rglob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[: loader.CHUNK])  # cut short under the run's feet
    assert first + list(it) == list(whole.scenarios)
    assert not isinstance(spec._source, type(cache))  # it went on from a file compiled anew
    spec.close()


def test_the_code_fingerprint_follows_every_python_file_and_nothing_else(tmp_path):
    """A changed, added or moved module of scn's (sub-packages too) makes a new cache key; bytecode does not."""
    (tmp_path / "compiler").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "compiler" / "b.py").write_text("y = 2\n")
    first = loader._fingerprint_of(str(tmp_path))
    assert loader._fingerprint_of(str(tmp_path)) == first
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.py").write_text("not ours\n")
    (tmp_path / "notes.txt").write_text("not code\n")
    assert loader._fingerprint_of(str(tmp_path)) == first
    (tmp_path / "compiler" / "b.py").write_text("y = 22\n")
    second = loader._fingerprint_of(str(tmp_path))
    assert second != first
    (tmp_path / "compiler" / "b.py").rename(tmp_path / "b.py")
    assert loader._fingerprint_of(str(tmp_path)) not in (first, second)
    (tmp_path / "c.py").write_text("")
    assert len({first, second, loader._fingerprint_of(str(tmp_path))}) == 3
