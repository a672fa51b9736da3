"""The fact book (scenario/fact_book.py, `scn report --html`): the page's structure and escaping, and the page
in a real browser (headless Chromium through Playwright; skipped with the reason when either is missing)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers.fake_backend import FakePlugin, fake_backend, registered

from scenario import plugins
from scenario.cli import main
from scenario.fact_book import build, render_html
from scenario.facts import load_inventory
from scenario.loader import load_file
from scenario.runner import run_scenario

INVENTORY = """\
[[fact]]
id = "ec2.ip.public-released-on-stop"
section = "AWS EC2 / IP Addresses"
text = "Public IPv4 addresses are lost when the instance is <stopped> & \\"gone\\" (it's so)."
verdict = "testable"

[[fact]]
id = "ec2.ip.eip-limit"
section = "AWS EC2 / IP Addresses"
text = "All accounts are limited to 5 elastic IPs per region by default."
verdict = "testable"
error = "AddressLimitExceeded"
aws_today = "unchanged <still> 5"
setting = "elastic ip limit"

[[fact]]
id = "ec2.billing.running-billed"
section = "AWS EC2 / Billing of EC2"
text = "Billing commences when Amazon EC2 initiates the boot sequence."
verdict = "testable"

[[fact]]
id = "ec2.billing.on-demand-dev-test"
section = "AWS EC2 / Billing of EC2"
text = "Good for dev/test."
verdict = "not-testable"
reason = "advice: a <recommendation>, not a behaviour"

[[fact]]
id = "lambda.limits.timeout"
section = "AWS Lambda / Limits"
text = "A function times out after 900 seconds at most."
verdict = "testable"

[[fact]]
id = "lambda.overview.serverless"
section = "AWS Lambda / Overview"
text = "Lambda is serverless."
verdict = "not-testable"
reason = "definition: a word for the service"
"""

# on the fake backend a stopped instance keeps its public IPv4: the first scenario FAILs there, the second
# diverges as recorded; the fake has no billing capability: the third is n/a there
SPEC = """\
feature: IP addresses <&> "quoted"

  @fact(ec2.ip.public-released-on-stop)
  scenario: stop releases the <public> address & "more" 'too'
    given a running instance "web"
    when "web" is stopped
    then "web" has no public ipv4

  @fact(ec2.ip.public-released-on-stop)
  @diverges(fake, "keeps the <address> & the 'name'")
  scenario: a known divergence
    given a running instance "web"
    when "web" is stopped
    then "web" has no public ipv4

  @fact(ec2.billing.running-billed)
  scenario: running is billed
    given a running instance "web"
    then "web" is billed

  scenario: verifies nothing
    given a running instance "web"
    then "web" is running
"""

FACT_IDS = ["ec2.ip.public-released-on-stop", "ec2.ip.eip-limit", "ec2.billing.running-billed",
            "ec2.billing.on-demand-dev-test", "lambda.limits.timeout", "lambda.overview.serverless"]


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("SCN_NO_CACHE", "1")


def library(root: Path) -> Path:
    (root / "pyproject.toml").write_text("")  # the top of a project
    lib = root / "specs"
    (lib / "facts").mkdir(parents=True)
    (lib / "facts" / "notes.toml").write_text(INVENTORY)
    (lib / "ec2").mkdir()
    (lib / "ec2" / "ip.scn").write_text(SPEC)
    return lib


def page_for(lib: Path) -> tuple[str, object]:
    feature = load_file(lib / "ec2" / "ip.scn", plugins.vocabulary(), fact_check=None, fact_key="")
    backends = [plugins.backend("reference"), fake_backend()]
    runs = [(sc, run_scenario(sc, b)) for sc in feature.scenarios for b in backends]
    book = build(load_inventory(lib / "facts"), runs, [b.name for b in backends])
    return render_html(book, command="scn report specs --backend reference --backend fake --html out"), book


class _Tree(HTMLParser):
    """Every start tag with its attributes; checks that elements close in order (void elements aside)."""

    VOID = {"meta", "input", "br", "img", "link", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert tree.problems == [] and tree.stack == [], (tree.problems, tree.stack)
    return tree


# ------------------------------------------------------------------ the HTML
def test_the_page_is_well_formed_self_contained_and_names_every_fact(tmp_path):
    page, book = page_for(library(tmp_path))
    assert page.startswith("<!doctype html>")
    tree = parse(page)
    ids = [a["id"] for t, a in tree.tags if t == "article"]
    assert ids == FACT_IDS  # every statement, in the inventory's order, one article each
    for fid in FACT_IDS:
        assert f'href="#{fid}"' in page  # a deep link to itself
    sections = [a["id"] for t, a in tree.tags if t == "details" and "section" in a.get("class", "").split()]
    assert sections[:4] == ["section-aws-ec2-ip-addresses", "section-aws-ec2-billing-of-ec2",
                            "section-aws-lambda-limits", "section-aws-lambda-overview"]
    # nothing is fetched from anywhere: one inline style, one inline script, no src, no stylesheet link
    assert [t for t, _ in tree.tags if t in ("style", "script", "link", "img", "iframe")] == ["style", "script"]
    assert not any("src" in a for _, a in tree.tags)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    assert "@import" not in page and "url(" not in page
    # the filters' choices
    options = {a["value"] for t, a in tree.tags if t == "option"}
    assert {"ec2", "lambda", "testable", "not-testable", "reference", "fake", "s:failing", "c:diverges", "c:n-a"} <= options
    assert render_html(book, command="scn report specs --backend reference --backend fake --html out") == page


def test_spec_and_inventory_text_is_escaped_everywhere(tmp_path):
    page, _ = page_for(library(tmp_path))
    tree = parse(page)
    text = "".join(tree.text)
    # the words arrive as written ...
    assert 'Public IPv4 addresses are lost when the instance is <stopped> & "gone" (it\'s so).' in text
    assert "stop releases the <public> address & \"more\" 'too'" in text
    assert "diverges: keeps the <address> & the 'name'" in text
    assert "a <recommendation>, not a behaviour" in text
    # ... and never as markup: no element named after the spec's words, no attribute broken by a quote
    assert not {t for t, _ in tree.tags} & {"stopped", "public", "address", "recommendation", "still"}
    assert "&lt;stopped&gt; &amp; &quot;gone&quot; (it&#x27;s so)" in page
    titles = [a["title"] for t, a in tree.tags if t == "td" and "title" in a]
    assert any("<public>" not in t for t in titles)  # a cell's tooltip (the outcome's message) is one attribute


def test_statuses_cells_failures_divergences_and_reasons(tmp_path):
    page, book = page_for(library(tmp_path))
    status = {e.fact.id: dict(e.status) for e in book.entries}
    assert status["ec2.ip.public-released-on-stop"] == {"reference": "verified", "fake": "failing"}
    assert status["ec2.billing.running-billed"] == {"reference": "verified", "fake": "skipped"}
    assert status["ec2.ip.eip-limit"] == {"reference": "missing", "fake": "missing"}
    assert status["lambda.overview.serverless"] == {"reference": "not-testable", "fake": "not-testable"}
    tree = parse(page)
    article = re.search(r'<article class="fact" id="ec2.ip.public-released-on-stop".*?</article>', page, re.S).group(0)
    assert 'data-s-fake="failing"' in article and 'data-c-fake="diverges fail"' in article
    assert 'data-s-reference="verified"' in article and 'data-c-reference="pass"' in article
    # the failure as scn run prints it: the scenario's lines, the failing step marked, the message under it
    failure = re.search(r'<tr class="listing c-fail">.*?</tr>', article, re.S).group(0)
    assert "<details open><summary>FAIL on fake</summary>" in failure
    assert re.search(r'<span class="hit">  &gt; +7 \| +then &quot;web&quot; has no public ipv4</span>', failure)
    assert '<span class="err">  E      | ' in failure
    assert "stop releases the &lt;public&gt; address" in failure
    # the divergence: its reason in the cell, what the backend does under it (closed)
    assert "<details><summary>what fake does</summary>" in article
    # n/a with what it needs; the not-testable reason; no scenario; AWS today and the setting
    assert "n/a (needs billing)" in "".join(tree.text)
    assert '<span class="kind">advice</span> a &lt;recommendation&gt;, not a behaviour' in page
    assert "No scenario verifies this statement yet." in page
    assert "<dt>AWS today</dt><dd>unchanged &lt;still&gt; 5</dd>" in page
    assert "<dt>world setting</dt><dd>elastic ip limit</dd>" in page
    # the summary: statements verified per backend; the untagged scenario listed
    assert re.search(r'data-card="reference"><h3>reference</h3><p class="big"><b>2</b> of 4 testable', page)
    assert re.search(r'data-card="fake"><h3>fake</h3><p class="big"><b>0</b> of 4 testable', page)
    assert "Scenarios that verify no statement" in page and "verifies nothing" in page


def test_scn_report_writes_the_page(tmp_path, capsys):
    lib = library(tmp_path)
    with registered(FakePlugin(), "fake-for-report"):
        assert main(["report", str(lib), "--backend", "reference", "--backend", "fake", "--html", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "reference: 2 of 4 testable statements verified, 2 missing" in out
    assert "fake: 0 of 4 testable statements verified, 1 failing, 1 skipped, 2 missing" in out
    page = (tmp_path / "out" / "index.html").read_text()
    assert f"scn report {lib} --backend reference --backend fake --html {tmp_path / 'out'}" in page
    assert all(f'id="{fid}"' in page for fid in FACT_IDS)
    # a file name instead of a folder
    assert main(["report", str(lib), "--html", str(tmp_path / "book.html")]) == 0
    assert 'data-card="reference"' in (tmp_path / "book.html").read_text()


def test_scn_report_without_an_inventory_says_so(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a.scn").write_text(SPEC)
    assert main(["report", str(tmp_path / "a.scn"), "--html", str(tmp_path / "out")]) == 2
    assert "no facts inventory at or above" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ in a browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright); the page's browser test needs it")
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (apt-get install -y chromium); the page's browser test needs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _visible(page) -> int:
    return page.locator("article.fact:visible").count()


def test_the_page_renders_filters_and_shows_a_failure_in_chromium(browser, tmp_path):
    html, _ = page_for(library(tmp_path))
    (tmp_path / "index.html").write_text(html)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, fetched = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: fetched.append(r.url))
    page.goto((tmp_path / "index.html").as_uri())
    assert page.title() == "scn fact book"
    assert page.locator("#shown").inner_text() == "6 of 6 statements"
    assert _visible(page) == 6
    assert page.locator('[data-card="fake"] .big').inner_text().startswith("0 of 4 testable")
    # the failure is there to see, its failing step marked
    failure = page.locator("#ec2\\.ip\\.public-released-on-stop tr.listing.c-fail pre .hit")
    assert failure.is_visible()
    assert 'then "web" has no public ipv4' in failure.inner_text()

    # service
    page.select_option("#f-service", "lambda")
    assert _visible(page) == 2 and page.locator("#shown").inner_text() == "2 of 6 statements"
    assert not page.locator("#section-aws-ec2-ip-addresses").is_visible()  # a section with nothing to show hides
    # verdict, on top of it
    page.select_option("#f-verdict", "not-testable")
    assert _visible(page) == 1
    page.click("#reset")
    assert _visible(page) == 6
    # backend and outcome: the statements failing on fake
    page.select_option("#f-backend", "fake")
    page.select_option("#f-outcome", "s:failing")
    assert _visible(page) == 1
    assert page.locator("article.fact:visible").get_attribute("id") == "ec2.ip.public-released-on-stop"
    page.select_option("#f-outcome", "c:n-a")
    assert [a.get_attribute("id") for a in page.locator("article.fact:visible").all()] == ["ec2.billing.running-billed"]
    page.select_option("#f-backend", "reference")
    assert _visible(page) == 0 and page.locator("#nothing").is_visible()
    # words
    page.click("#reset")
    page.fill("#f-text", "elastic ips")
    assert _visible(page) == 1
    page.click("#reset")
    # a summary count sets the filters
    page.click('[data-card="fake"] a[data-outcome="s:skipped"]')
    assert page.locator("#f-backend").input_value() == "fake" and _visible(page) == 1

    # collapsible sections, and a deep link opens the section it points into
    page.click("#reset")
    page.click("#fold")
    assert not page.locator("#lambda\\.limits\\.timeout").is_visible()
    assert page.locator("#fold").inner_text() == "expand all"
    page.click("#fold")
    assert page.locator("#lambda\\.limits\\.timeout").is_visible()
    page.click("#fold")
    page.goto((tmp_path / "index.html").as_uri() + "#lambda.limits.timeout")
    page.evaluate("() => { document.querySelectorAll('details.section').forEach(d => d.open = false);"
                  " location.hash = ''; location.hash = 'lambda.limits.timeout'; }")
    target = page.locator("#lambda\\.limits\\.timeout")
    assert target.is_visible() and "target" in target.get_attribute("class")
    assert page.evaluate("() => { const r = document.getElementById('lambda.limits.timeout').getBoundingClientRect();"
                         " return r.top >= 0 && r.top < innerHeight; }")
    page.screenshot(path=str(tmp_path / "shot.png"))
    assert (tmp_path / "shot.png").stat().st_size > 10_000
    assert errors == []
    assert all(u.startswith("file://") for u in fetched), fetched  # nothing from the network
    page.close()
