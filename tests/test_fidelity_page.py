"""docs/moto-fidelity.md is what the library says today: regenerating it changes nothing."""

from pathlib import Path

import pytest

pytest.importorskip("moto")

ROOT = Path(__file__).resolve().parents[1]
COMMAND = "scn matrix specs/ --backend reference --backend moto --fidelity moto --output docs/moto-fidelity.md"


@pytest.mark.slow
def test_the_moto_fidelity_page_is_up_to_date(tmp_path, monkeypatch):
    from scenario.cli import main

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SCN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "moto-fidelity.md"
    args = COMMAND.split()[1:]
    args[args.index("docs/moto-fidelity.md")] = str(out)
    assert main(args) == 0
    page = out.read_text().replace(str(out), "docs/moto-fidelity.md")
    assert page == (ROOT / "docs" / "moto-fidelity.md").read_text(), f"stale: regenerate it with `{COMMAND}`"
