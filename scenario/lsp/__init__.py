"""The language server (``scn lsp``): scn's diagnostics, completion, hover, definitions,
formatting and outline for an editor, over the Language Server Protocol on stdio.

:mod:`scenario.lsp.analysis` answers every question from a document's text and needs
nothing but scn; :mod:`scenario.lsp.server` speaks the protocol through pygls, the
``lsp`` extra's one dependency.
"""

from __future__ import annotations

from ..errors import ConfigurationError

__all__ = ["serve"]

INSTALL = "pip install 'scn[lsp]'"


def serve() -> int:
    """Run the server on stdin/stdout until the editor shuts it down."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        raise ConfigurationError(f"the language server needs pygls: {INSTALL}") from None
    from .server import run

    return run()
