"""scn lsp, driven over stdio as an editor drives it: diagnostics, completion, hover, definition,
formatting, symbols, quick fixes, half-typed documents, a file outside any spec tree, a clean shutdown."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

sys.path.insert(0, str(Path(__file__).parent))
from lsp_client import LspClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

SPEC = '''\
@ec2
feature: editor
  background:
    given a default vpc

  @fact(ec2.ip.public-released-on-stp)
  scenario: one
    given a runing instance "web"
    when "web" is stopped
    then "web" is stopped
'''


@pytest.fixture(scope="module")
def client():
    c = LspClient(cwd=ROOT)
    c.initialize(ROOT)
    yield c
    c.close()


def _uri(name: str, folder: Path = ROOT / "specs" / "ec2") -> str:
    return (folder / name).resolve().as_uri()  # never written: the editor holds the text


def test_diagnostics_are_scn_checks_errors_with_quick_fixes(client):
    uri = _uri("lsp-test-one.scn")
    client.open(uri, SPEC)
    got = client.diagnostics(uri)["diagnostics"]
    assert [(d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in got] == [(5, 2), (7, 12)]
    assert "names no entry of the facts inventory" in got[0]["message"]
    assert "`runing` does not describe an instance" in got[1]["message"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": got[1]["range"], "context": {"diagnostics": [got[1]]}})
    assert len(actions) == 1 and actions[0]["kind"] == "quickfix"
    edit = actions[0]["edit"]["changes"][uri][0]
    assert edit["newText"] == "running" and edit["range"]["start"]["character"] == 12 and edit["range"]["end"]["character"] == 18
    fact_fix = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": got[0]["range"], "context": {"diagnostics": [got[0]]}})
    assert fact_fix[0]["edit"]["changes"][uri][0]["newText"] == "@fact(ec2.ip.public-lost-on-stop)"


def test_a_change_gets_fast_then_exact_diagnostics(client):
    uri = _uri("lsp-test-two.scn")
    client.open(uri, SPEC)
    client.diagnostics(uri, 1)
    fixed = SPEC.replace("runing", "running").replace("released-on-stp", "lost-on-stop")
    client.change(uri, fixed, 2)
    assert client.diagnostics(uri, 2)["diagnostics"] == []  # fast
    assert client.diagnostics(uri, 2)["diagnostics"] == []  # exact
    client.change(uri, fixed + "    and \"web\" is runnin\n", 3)
    got = client.diagnostics(uri, 3)["diagnostics"]
    assert [d["range"]["start"]["line"] for d in got] == [10]


def test_a_file_outside_a_spec_tree_gets_diagnostics_without_the_facts_check(client, tmp_path):
    uri = _uri("loose.scn", tmp_path)
    client.open(uri, SPEC)
    got = client.diagnostics(uri)["diagnostics"]
    assert [d["range"]["start"]["line"] for d in got] == [7]


def test_completion(client):
    uri = _uri("lsp-test-complete.scn")
    text = SPEC.replace("runing", "running") + "    then the \n    and \"\n    given the \n"
    client.open(uri, text)

    def labels(line, col):
        return {i["label"] for i in client.request("textDocument/completion", client.at(uri, line, col))["items"]}

    assert {"instance", "running instance", "stopped instance", "elastic ip"} <= labels(7, 12)  # given a |
    assert {"stopped", "terminated", "started"} <= labels(8, 18)  # when "web" is |
    assert {"public ipv4", "private ipv4", "number of"} <= labels(10, 13)  # then the |
    assert labels(11, 9) == {"web"}  # and "|
    assert "elastic ip limit" in labels(12, 14)  # given the |
    assert "ec2.ip.public-lost-on-stop" in labels(5, 15)  # @fact(ec2.ip.|


def test_hover(client):
    uri = _uri("lsp-test-hover.scn")
    fixed = SPEC.replace("released-on-stp", "lost-on-stop")
    client.open(uri, fixed + "    and the public ipv4 of \"web\" is not none\n")
    kind = client.request("textDocument/hover", client.at(uri, 7, 22))["contents"]["value"]
    assert "**instance**" in kind and "states:" in kind and "running" in kind and "actions:" in kind
    fact = client.request("textDocument/hover", client.at(uri, 5, 10))["contents"]["value"]
    assert "ec2.ip.public-lost-on-stop" in fact and "testable" in fact and "lost when the instance is stopped" in fact
    attr = client.request("textDocument/hover", client.at(uri, 10, 16))["contents"]["value"]
    assert "public ipv4" in attr and "attribute of instance" in attr
    assert client.request("textDocument/hover", client.at(uri, 0, 0)) is None


def test_definition(client):
    uri = _uri("lsp-test-definition.scn")
    client.open(uri, SPEC.replace("released-on-stp", "lost-on-stop"))
    fact = client.request("textDocument/definition", client.at(uri, 5, 12))
    assert fact["uri"].endswith("specs/facts/ec2-network.toml")
    line = (ROOT / "specs" / "facts" / "ec2-network.toml").read_text(encoding="utf-8").split("\n")[fact["range"]["start"]["line"] + 1]
    assert 'ec2.ip.public-lost-on-stop' in line
    name = client.request("textDocument/definition", client.at(uri, 9, 11))  # then "web" is stopped
    assert name["uri"] == uri and name["range"]["start"] == {"line": 7, "character": 28}


def test_formatting_and_symbols(client):
    uri = _uri("lsp-test-format.scn")
    client.open(uri, SPEC.replace("  scenario:", "  Scenario:").replace("    when", "        WHEN"))
    edits = client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}})
    from scenario.fmt import format_text

    assert len(edits) == 1 and edits[0]["newText"] == format_text(SPEC)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert [(s["name"], [c["name"] for c in s["children"]]) for s in symbols] == [("editor", ["background", "one"])]
    client.change(uri, "feature: x\n  scenario: s\n    given a running instance \"web\n", 2)
    assert client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}) == []


HALF_TYPED = [
    "", "f", "feature", "feature:", "feature: x\n  scen", "feature: x\n  scenario: s\n    given", "feature: x\n  scenario: s\n    given a",
    'feature: x\n  scenario: s\n    given a running instance "w', "@fact(", "@fact(ec2.ip", "feature: x\n  scenario outline: o\n    when \"a\" is <",
    "feature: x\n  scenario outline: o\n    when \"a\" is <s>\n    examples:\n      | s", "feature: x\n  rule:\n  rule:\n  background:\n",
    '"""\n\t\x00', "feature: x\n  scenario: s\n    then the number of",
]


def test_every_request_answers_on_half_typed_documents(client):
    uri = _uri("lsp-test-half.scn")
    client.open(uri, "")
    client.diagnostics(uri, 1)
    for version, text in enumerate(HALF_TYPED, start=2):
        client.change(uri, text, version)
        client.diagnostics(uri, version)
        lines = text.split("\n")
        last, col = len(lines) - 1, len(lines[-1])
        for line, character in ((0, 0), (last, col), (last, max(0, col - 1)), (last + 3, 0)):
            at = client.at(uri, line, character)
            client.request("textDocument/completion", at)
            client.request("textDocument/hover", at)
            client.request("textDocument/definition", at)
        client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}})
        client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert client.proc.poll() is None


def test_a_clean_shutdown():
    c = LspClient(cwd=ROOT)
    c.initialize(ROOT)
    assert c.shutdown() == 0


def test_scn_lsp_without_pygls_prints_the_install_line(monkeypatch, capsys):
    import builtins

    from scenario.cli import main

    real = builtins.__import__

    def no_pygls(name, *args, **kwargs):
        if name == "pygls" or name.startswith("pygls."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pygls)
    assert main(["lsp"]) == 2
    assert "pip install 'scn[lsp]'" in capsys.readouterr().err
