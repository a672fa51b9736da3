"""The README's counts (facts, verified, runs, moto's outcomes) are what the library gives today.

They are generated: ``python tests/readme_counts.py`` rewrites them between their markers.
"""

from __future__ import annotations

import pytest
import readme_counts as counts


def test_the_counts_rewrite_only_between_markers():
    text = "a <!--facts-->1<!--/facts--> b <!--runs-->2<!--/runs--> <!--other-->x<!--/other-->"
    assert counts.rewrite(text, {"facts": "449", "runs": "1,116"}) == (
        "a <!--facts-->449<!--/facts--> b <!--runs-->1,116<!--/runs--> <!--other-->x<!--/other-->")
    assert counts.stale(text, {"facts": "1", "runs": "3", "gone": "0"}) == [
        "runs: README says '2', the library '3'", "gone: no <!--gone--> marker in the README"]


@pytest.mark.slow
def test_the_readme_counts_are_up_to_date(monkeypatch):
    monkeypatch.chdir(counts.ROOT)  # the library's paths as scn shows them
    computed = counts.compute("specs")
    pytest.importorskip("moto")
    assert "moto-diverges" in computed, "moto is installed: its counts are computed too"
    bad = counts.stale(counts.README.read_text(encoding="utf-8"), computed)
    assert not bad, f"the README's counts are stale (regenerate: {counts.COMMAND}):\n" + "\n".join(bad)
