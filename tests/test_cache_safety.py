"""The caches hold pickles, so they are used only from a private folder of the user's."""

import os
import pickle

import pytest

from scenario import _cache
from scenario.loader import load_text
from scenario.plugins import vocabulary

GOOD = 'feature: f\n  scenario: s\n    given a running instance "web"\n'


def test_the_default_is_a_private_folder_in_the_users_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("SCN_CACHE_DIR", raising=False)
    monkeypatch.delenv("SCN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    base = _cache.cache_dir()
    assert base == tmp_path / "xdg" / "scn"
    assert base.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("SCN_CACHE_DIR", str(shared))
    monkeypatch.delenv("SCN_NO_CACHE", raising=False)
    assert _cache.cache_dir() is None
    # a planted entry is never read: the spec is compiled and nothing is written there
    load_text(GOOD, "a.scn", vocabulary())
    assert list(shared.iterdir()) == []


@pytest.mark.parametrize("value, enabled", [("", True), ("0", True), ("no", True), ("1", False), ("true", False), ("YES", False), ("on", False)])
def test_scn_no_cache(monkeypatch, value, enabled):
    monkeypatch.setenv("SCN_NO_CACHE", value)
    assert _cache.caching_enabled() is enabled


def test_a_damaged_entry_of_any_kind_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SCN_NO_CACHE", raising=False)
    load_text(GOOD, "a.scn", vocabulary())
    (entry,) = (tmp_path / "specs").rglob("*.pickle")
    data = entry.read_bytes()
    for damaged in (data[:len(data) // 2], data[:20] + b"\xa2\xff\x00" + data[23:], pickle.dumps({"scenarios": 1}) + b"\x80\x05garbage"):
        entry.write_bytes(damaged)
        assert len(load_text(GOOD, "a.scn", vocabulary()).scenarios) == 1
