"""The screenshot of the fact book in docs/: docs/fact-book.png.

    python bench/fact_book_screenshot.py                # runs scn report on reference and moto, then shoots
    python bench/fact_book_screenshot.py --page out/index.html   # shoots a page already written

Needs Playwright for Python and a Chromium (Debian's `chromium`; Playwright's own download is not needed):
``pip install playwright && apt-get install -y chromium``. Prints how long the report took and its size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--page", type=Path, help="an index.html written by scn report (default: write one now)")
    ap.add_argument("--backend", action="append", help="backends for the report (default: reference, moto)")
    ap.add_argument("--view", default="", help="a fragment to open the page at, e.g. #?backend=moto&outcome=c%%3Afail")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "fact-book.png")
    ap.add_argument("--size", default="1280x1400", help="the viewport, WIDTHxHEIGHT")
    args = ap.parse_args(argv)
    page_file = args.page
    if page_file is None:
        from scenario.cli import main as scn

        out = Path(tempfile.mkdtemp()) / "index.html"
        backends = args.backend or ["reference", "moto"]
        start = time.perf_counter()
        os.chdir(ROOT)
        scn(["report", "specs/", *(x for b in backends for x in ("--backend", b)), "--html", str(out)])
        print(f"report: {time.perf_counter() - start:.1f}s, {out.stat().st_size / 1024:.0f} KiB")
        # the page names the command that made it: as a reader would type it, not this script's temporary folder
        out.write_text(out.read_text(encoding="utf-8").replace(f"--html {out}", "--html out/"), encoding="utf-8")
        page_file = out
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium on PATH: apt-get install -y chromium", file=sys.stderr)
        return 2
    width, height = (int(x) for x in args.size.split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light")
        page.goto(page_file.resolve().as_uri() + args.view)
        page.wait_for_timeout(200)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
