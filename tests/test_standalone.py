"""The repository stands alone: no tracked file cites a path outside it, and what was
given from outside (the AWS notes, the language brief) is vendored byte for byte."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: what was given, kept as given: editing one of them is a deliberate act that changes this table
VENDORED = {
    "specs/notes/aws-architecture-notes.md": "be49e044a44561d3f8c9696f6301f3f01794932f1657fe79357f5525bd237cc9",
    "docs/brief/LANGUAGE.md": "aa456e7f8718b1345cc3510031c75abb5838da27493194b5d1263f273386c2df",
}

#: a path that climbs out of the checkout, or the absolute folders of the machine it was written on
OUTSIDE = re.compile(r"\.\./shared/|/work/shared|/work/main|shared/seed/|parents\[\d\]\s*/\s*[\"']shared[\"']")
#: a relative link in Markdown: [text](path) (not a URL, not an anchor)
MD_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def _tracked() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout (an sdist): nothing to check")
    return [ROOT / p for p in out.decode().split("\0") if p]


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def test_no_tracked_file_cites_a_path_outside_the_repository():
    this = Path(__file__).resolve()
    bad = []
    for path in _tracked():
        if path == this or path.suffix in {".png", ".ico"}:
            continue
        text = _text(path)
        if text is None:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert not bad, "paths outside the repository:\n" + "\n".join(bad)


def test_markdown_links_stay_inside_the_repository():
    bad = []
    for path in _tracked():
        if path.suffix != ".md" or (text := _text(path)) is None:
            continue
        for target in MD_LINK.findall(text):
            resolved = (path.parent / target.split("#", 1)[0]).resolve()
            if not resolved.is_relative_to(ROOT):
                bad.append(f"{path.relative_to(ROOT)}: {target}")
    assert not bad, "links out of the repository:\n" + "\n".join(bad)


@pytest.mark.parametrize("rel", sorted(VENDORED))
def test_vendored_files_are_kept_as_given(rel):
    data = (ROOT / rel).read_bytes()
    assert hashlib.sha256(data).hexdigest() == VENDORED[rel], f"{rel} was edited: it is kept byte for byte as given"
