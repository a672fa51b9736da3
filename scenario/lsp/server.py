"""The protocol side of ``scn lsp``: pygls handlers over :class:`scenario.lsp.analysis.Analyzer`.

Every handler answers, whatever the document holds: a mistake of scn itself is logged
and the request gets an empty answer, never a crash of the server. Diagnostics come
twice after a change: at once from the fast pass (each scenario compiled on its own,
cached), then, once typing has paused for :data:`EXACT_AFTER` seconds, from the whole
file as ``scn check`` compiles it (in a thread: requests are answered meanwhile).
"""

from __future__ import annotations

import asyncio
import functools
import logging

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .._version import __version__
from .analysis import Analyzer, Diagnostic, Symbol

__all__ = ["run", "make_server", "EXACT_AFTER"]

#: seconds without a change before the exact pass runs
EXACT_AFTER = 0.3
log = logging.getLogger("scn.lsp")

_COMPLETION_KINDS = {
    "kind": t.CompletionItemKind.Class, "state": t.CompletionItemKind.EnumMember, "action": t.CompletionItemKind.Method,
    "attribute": t.CompletionItemKind.Property, "setting": t.CompletionItemKind.Variable,
    "fact": t.CompletionItemKind.Reference, "name": t.CompletionItemKind.Value, "keyword": t.CompletionItemKind.Keyword,
}
_SYMBOL_KINDS = {"feature": t.SymbolKind.Module, "rule": t.SymbolKind.Namespace, "background": t.SymbolKind.Constructor,
                 "scenario": t.SymbolKind.Function, "outline": t.SymbolKind.Function}


def _safe(default):
    """A handler that answers ``default`` instead of failing when scn has a bug."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(ls, params):
            try:
                return fn(ls, params)
            except Exception:  # noqa: BLE001 - every request answers
                log.exception("scn lsp: %s failed", fn.__name__)
                return default

        return inner

    return wrap


def _path(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


def _lsp_diagnostic(d: Diagnostic) -> t.Diagnostic:
    message = d.message + (f"\n{d.hint}" if d.hint else "")
    return t.Diagnostic(
        range=t.Range(t.Position(d.line, d.col), t.Position(d.line, d.end_col)),
        message=message,
        severity=t.DiagnosticSeverity.Error,
        source="scn",
        code="syntax" if d.syntax else "compile",
        data=[list(f) for f in d.fixes] or None,
    )


def _symbol(s: Symbol, lines: list[str]) -> t.DocumentSymbol:
    end_len = len(lines[s.end_line]) if s.end_line < len(lines) else 0
    head = t.Range(t.Position(s.line, 0), t.Position(s.line, len(lines[s.line]) if s.line < len(lines) else 0))
    return t.DocumentSymbol(name=s.name, kind=_SYMBOL_KINDS.get(s.kind, t.SymbolKind.Object),
                            range=t.Range(t.Position(s.line, 0), t.Position(s.end_line, end_len)),
                            selection_range=head, detail=s.kind,
                            children=[_symbol(c, lines) for c in s.children])


def make_server(analyzer: Analyzer | None = None) -> LanguageServer:
    """A server with every feature registered (the vocabulary loaded now, unless an analyzer is given)."""
    if analyzer is None:
        from ..plugins import vocabulary

        analyzer = Analyzer(vocabulary())
    server = LanguageServer("scn", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Full)
    pending: dict[str, int] = {}  # uri → the version whose exact pass is due

    def diagnose(text: str, uri: str, exact: bool) -> list[Diagnostic]:
        try:
            return analyzer.diagnostics(text, _path(uri), exact=exact)
        except Exception:  # noqa: BLE001
            log.exception("scn lsp: diagnostics failed")
            return []

    def send(ls, uri: str, version, found: list[Diagnostic]) -> None:
        ls.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[_lsp_diagnostic(d) for d in found]))

    def publish(ls, uri: str, exact: bool) -> None:
        doc = ls.workspace.get_text_document(uri)
        send(ls, uri, doc.version, diagnose(doc.source, uri, exact))

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls, params: t.DidOpenTextDocumentParams):
        uri = params.text_document.uri
        publish(ls, uri, exact=True)
        # the fast pass's pieces, compiled now in a thread, so that the first change is as quick as the rest
        text = ls.workspace.get_text_document(uri).source
        await asyncio.get_running_loop().run_in_executor(None, diagnose, text, uri, False)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls, params: t.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        version = params.text_document.version
        pending[uri] = version
        publish(ls, uri, exact=False)
        await asyncio.sleep(EXACT_AFTER)
        if pending.get(uri) != version:
            return  # typing goes on: the next change's pass will do
        # no change since: the exact pass, as scn check does it, in a thread (requests keep being answered)
        text = ls.workspace.get_text_document(uri).source
        found = await asyncio.get_running_loop().run_in_executor(None, diagnose, text, uri, True)
        if pending.get(uri) == version:  # still the latest text
            pending.pop(uri, None)
            send(ls, uri, version, found)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: t.DidSaveTextDocumentParams):
        publish(ls, params.text_document.uri, exact=True)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: t.DidCloseTextDocumentParams):
        pending.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[" ", '"', "("]))
    @_safe(None)
    def completion(ls, params: t.CompletionParams):
        doc = ls.workspace.get_text_document(params.text_document.uri)
        items = analyzer.complete(doc.source, params.position.line, params.position.character, _path(doc.uri))
        return t.CompletionList(is_incomplete=False, items=[
            t.CompletionItem(label=c.label, kind=_COMPLETION_KINDS.get(c.kind), detail=c.detail or None,
                             insert_text=c.insert) for c in items])

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    @_safe(None)
    def hover(ls, params: t.HoverParams):
        doc = ls.workspace.get_text_document(params.text_document.uri)
        text = analyzer.hover(doc.source, params.position.line, params.position.character, _path(doc.uri))
        if text is None:
            return None
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text))

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    @_safe(None)
    def definition(ls, params: t.DefinitionParams):
        doc = ls.workspace.get_text_document(params.text_document.uri)
        loc = analyzer.definition(doc.source, params.position.line, params.position.character, _path(doc.uri))
        if loc is None:
            return None
        from pygls.uris import from_fs_path

        uri = from_fs_path(loc.path) if loc.path else doc.uri
        return t.Location(uri=uri, range=t.Range(t.Position(loc.line, loc.col), t.Position(loc.line, loc.end_col)))

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    @_safe([])
    def formatting(ls, params: t.DocumentFormattingParams):
        doc = ls.workspace.get_text_document(params.text_document.uri)
        new = analyzer.format(doc.source)
        if new is None or new == doc.source:
            return []
        lines = doc.source.split("\n")
        end = t.Position(len(lines) - 1, len(lines[-1]))
        return [t.TextEdit(range=t.Range(t.Position(0, 0), end), new_text=new)]

    @server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @_safe([])
    def symbols(ls, params: t.DocumentSymbolParams):
        doc = ls.workspace.get_text_document(params.text_document.uri)
        lines = doc.source.split("\n")
        return [_symbol(s, lines) for s in analyzer.symbols(doc.source)]

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
    @_safe([])
    def code_action(ls, params: t.CodeActionParams):
        actions = []
        for d in params.context.diagnostics:
            if d.source != "scn" or not d.data:
                continue
            line = d.range.start.line
            for col, end, new in d.data:
                edit = t.TextEdit(range=t.Range(t.Position(line, col), t.Position(line, end)), new_text=new)
                actions.append(t.CodeAction(title=f"Change to {new}", kind=t.CodeActionKind.QuickFix, diagnostics=[d],
                                            is_preferred=len(d.data) == 1,
                                            edit=t.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
        return actions

    return server


def run() -> int:
    logging.basicConfig(level=logging.WARNING, format="scn lsp: %(message)s")  # to stderr: stdout is the protocol's
    make_server().start_io()
    return 0
