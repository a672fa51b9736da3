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
    assert len(list(cache.rglob("*.pickle"))) == 1


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
    assert list(cache.rglob("*.pickle")) == []


def test_a_damaged_cache_entry_is_compiled_again(cache, compiles):
    loader.load_text(GOOD, "a.scn", vocabulary())
    (entry,) = cache.rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert len(loader.load_text(GOOD, "a.scn", vocabulary()).scenarios) == 1
    assert compiles == ["a.scn", "a.scn"]


def test_no_cache_compiles_every_time(cache, compiles, monkeypatch):
    monkeypatch.setenv("SCN_NO_CACHE", "1")
    loader.check_text(GOOD, "a.scn", vocabulary())
    loader.load_text(GOOD, "a.scn", vocabulary())
    assert compiles == ["a.scn", "a.scn"]
    assert list(cache.rglob("*.pickle")) == []
