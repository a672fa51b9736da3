"""`scn vocab`: the vocabulary as users write it, and what each backend supports."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.fake_backend import fake_backend

from scenario import plugins
from scenario.backend import BackendInfo
from scenario.cli import main
from scenario.errors import ConfigurationError
from scenario.vocab_report import render, select, support
from scenario.vocabulary import Action, Attribute, Kind, Relation, Setting, State, Vocabulary

LAYER = Kind("layer", capability="lambda", actions=(Action("publish", "published", creates=True),))
FN = Kind(
    "lambda function",
    aliases=("function", "fn"),
    capability="lambda",
    description="a Lambda function",
    states=(State("pending", stable=False), State("active")),
    attributes=(
        Attribute("timeout", "quantity", dimension="duration", settable=True, description="how long it may run"),
        Attribute("memory", "quantity", dimension="size", settable=True),
        Attribute("runtime", "enum", values=("python3.12", "nodejs20.x"), settable=True),
        Attribute("tracing", "boolean", settable=True, capability="xray"),
        Attribute("arn", "text"),
        Attribute("concurrency", "number", settable=True),
        Attribute("cost", "quantity", dimension="percent"),
        Attribute("url", "text", settable=True, choice="presence"),
    ),
    actions=(
        Action("create", "created", creates=True, result="active", params=("timeout",)),
        Action("update", "updated", result="active", from_states=("active",)),
        Action("attach", "attached", target="layer", preposition="to", target_required=True),
        Action("delete", "deleted", deletes=True),
        Action("throttle", "throttled", capability="faults"),
    ),
    relations=(Relation("attached", "to", "layer", make="attach"), Relation("", "in", "layer")),
)
VPC = Kind("default vpc", implicit=True)
VOCAB = Vocabulary([FN, LAYER, VPC, Setting("concurrency limit", default=1000, aliases=("concurrency quota",),
                                           description="concurrent executions per account")])


def test_select_finds_kinds_by_any_alias_or_plural_and_suggests():
    assert select(VOCAB, []) == [VPC, FN, LAYER]
    assert select(VOCAB, ["functions", "fn", "layer"]) == [FN, LAYER]
    with pytest.raises(ConfigurationError, match=r"no kind or service is called 'fnction'; did you mean function\?"):
        select(VOCAB, ["fnction"])
    with pytest.raises(ConfigurationError, match=r"no kind or service is called 'zzzzzzzz'; the services are: other "
                                                 r"\(`scn vocab --search zzzzzzzz` finds a word\)"):
        select(VOCAB, ["zzzzzzzz"])


def test_support_names_the_missing_capability_or_the_unimplemented_item():
    full = BackendInfo("full", {"lambda", "xray", "faults"}, object)
    partial = BackendInfo("partial", {"lambda"}, object, unsupported={"lambda function.update", "layer"})
    assert support(full, FN) == "yes"
    assert support(partial, FN, "xray", "tracing") == "needs xray"
    assert support(BackendInfo("none", set(), object), FN, "xray") == "needs lambda, xray"
    assert support(partial, FN, None, "update") == "not implemented"
    assert support(partial, LAYER) == "not implemented"


def test_the_table_shows_every_part_of_a_kind_per_backend():
    full = BackendInfo("full", {"lambda", "xray", "faults", "limits"}, object)
    partial = BackendInfo("partial", {"lambda"}, object, unsupported={"lambda function.update"})
    text = render(VOCAB, [FN], [full, partial])
    lines = text.splitlines()
    assert lines[0] == "lambda function (function, fn) — a Lambda function"
    assert lines[1] == "  plural: lambda functions; needs: lambda (full: yes, partial: yes)"
    assert lines[2] == '  given an active lambda function "function"  ·  when a lambda function "function" is created'
    assert all(len(line) <= 100 for line in lines)

    def row(first: str) -> list[str]:
        return next(line.split("  ") for line in lines if line.strip().startswith(first + " "))

    # one support column for every backend: `yes`, or what differs, backend by backend
    assert [c.strip() for c in row("pending") if c.strip()] == ["pending", "transitional: only passed through", "yes"]
    assert [c.strip() for c in row("active") if c.strip()] == ["active", "stable: can be given (`given an active", "yes"]
    assert [c.strip() for c in row("timeout") if c.strip()] == ["timeout", "quantity", "with timeout 30 seconds", "yes"]
    assert [c.strip() for c in row("memory") if c.strip()] == ["memory", "quantity (bytes)", "with memory 512 MB", "yes"]
    assert [c.strip() for c in row("tracing") if c.strip()] == ["tracing", "boolean", "with tracing true", "partial: needs"]
    assert [c.strip() for c in row("runtime") if c.strip()][:2] == ["runtime", "one of"]
    assert [c.strip() for c in row("url") if c.strip()][:3] == ["url", "present or not", "with an url / with no"]
    assert [c.strip() for c in row("updated") if c.strip()] == ["updated", "active → active", "partial: not implemented"]
    assert [c.strip() for c in row("attached") if c.strip()] == ["attached", "to <layer>", "yes"]
    assert [c.strip() for c in row("created") if c.strip()] == ["created", "creates it (active)", "yes"]
    assert [c.strip() for c in row("deleted") if c.strip()] == ["deleted", "deletes it", "yes"]
    assert [c.strip() for c in row("throttled") if c.strip()] == ["throttled", "partial: needs faults"]
    assert any("attached to <layer>" in line and "`when … is attached`" in line for line in lines)
    assert any(line.strip().startswith('in layer "name"') and "relation at creation" in line for line in lines)
    assert "changing an attribute" not in text  # no action of this lambda function takes an attribute
    # settings are shown with the whole vocabulary only
    assert "world settings" not in text
    assert "given the concurrency limit is …" in render(VOCAB, select(VOCAB, []), [full, partial])


def test_markdown_is_a_documentation_page():
    md = render(VOCAB, select(VOCAB, []), [BackendInfo("full", {"lambda", "limits"}, object)], "markdown")
    assert md.startswith("# The vocabulary\n")
    assert "## lambda function\n\nA Lambda function.\n" in md
    timeout = next(line for line in md.splitlines() if line.startswith("| timeout "))
    assert [c.strip() for c in timeout.split("|")[1:-1]] == [
        "timeout", "", "quantity", "seconds", "with timeout 30 seconds", "how long it may run", "yes"]  # with its meaning
    assert "`given a default vpc   (always there: a no-op that documents it)`" in md
    assert "## world settings" in md and "| given the concurrency limit is … | concurrency quota | 1000" in md
    assert "`(created by other resources, not by a step)`" not in md


def test_scn_vocab_on_the_installed_vocabulary(capsys):
    assert main(["vocab", "eip"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("elastic ip (eip, elastic ip address, elastic ipv4)")
    assert "associated with <instance>" in out
    assert main(["vocab", "instanse"]) == 2
    assert capsys.readouterr().err == "scn: no kind or service is called 'instanse'; did you mean instance?\n"


def test_scn_vocab_by_service_by_search_and_its_index(capsys):
    assert main(["vocab"]) == 0
    index = capsys.readouterr().out
    assert index.startswith("The vocabulary: what a spec can say, by service.")
    assert all(f"\n{s} " in index for s in ("api-gateway", "athena", "aurora", "dynamodb", "ec2", "elasticache", "emr",
                                             "glue", "kinesis", "lambda", "rds", "redshift"))
    assert all(len(line) <= 100 for line in index.splitlines())
    assert main(["vocab", "lambda"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("alb request") and "\nlambda function (function)" in page and "\ninstance" not in page
    assert all(len(line) <= 100 for line in page.splitlines())
    assert main(["vocab", "lamda"]) == 2
    assert "did you mean lambda?" in capsys.readouterr().err
    assert main(["vocab", "--search", "retention"]) == 0
    found = capsys.readouterr().out
    assert 'kinesis stream (kinesis): the attribute retention period' in found
    assert '`when "stream" is extended with retention period 7 days`' in found
    assert main(["vocab", "kinesis stream"]) == 0  # the sentence that changes an attribute, by the kind's own action
    assert '`when "stream" is resharded with shard count 2`' in capsys.readouterr().out
    assert main(["vocab", "settings"]) == 0
    assert "given the elastic ip limit is …" in capsys.readouterr().out


def test_the_vocabulary_page_in_the_docs_is_up_to_date(capsys):
    """docs/vocabulary.md is `scn vocab --format markdown`; regenerate it when the vocabulary changes."""
    assert main(["vocab", "--format", "markdown"]) == 0
    page = Path(__file__).parent.parent / "docs" / "vocabulary.md"
    assert page.read_text(encoding="utf-8") == capsys.readouterr().out, "run: scn vocab --format markdown > docs/vocabulary.md"


def test_a_fake_backend_without_billing_says_what_it_needs():
    text = render(plugins.vocabulary(), select(plugins.vocabulary(), ["instance"]), [fake_backend()])
    billed = next(line for line in text.splitlines() if line.strip().startswith("billed "))
    assert billed.rstrip().endswith("fake: needs")  # the cell wraps: `fake: needs` / `billing`
