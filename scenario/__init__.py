"""scn: executable architecture facts.

Write how cloud architecture behaves as near-English specs (``.scn``), compile them
against a vocabulary, and check them on pluggable backends.

The public API for a backend's author (docs/backends.md) is what this package exports:
``hookimpl`` to mark a plugin's hooks; ``BackendInfo``, ``World``, ``BackendFault``,
``Throttled`` and ``NotImplementedByBackend`` (the backend contract); ``Kind``, ``State``, ``Attribute``,
``Action``, ``Relation`` and ``Setting`` (the words a plugin adds); and the errors below.
They are imported when first used, so that ``import scenario`` costs nothing.
"""

#: the public names imported on first use (PEP 562): name → module. Nothing is imported with the
#: package itself: ``scn --version`` and pytest's start-up import ``scenario`` and need none of them.
_LAZY = {
    "__version__": "scenario._version",
    "BackendError": "scenario.errors",
    "ConfigurationError": "scenario.errors",
    "InternalError": "scenario.errors",
    "ScenarioError": "scenario.errors",
    "ScnCompileError": "scenario.errors",
    "ScnSyntaxError": "scenario.errors",
    "SourceSpan": "scenario.errors",
    "SpecErrors": "scenario.errors",
    "hookimpl": "scenario.hookspecs",
    "BackendInfo": "scenario.backend",
    "BackendFault": "scenario.backend",
    "Throttled": "scenario.backend",
    "NotImplementedByBackend": "scenario.backend",
    "World": "scenario.backend",
    "Action": "scenario.vocabulary",
    "Attribute": "scenario.vocabulary",
    "Kind": "scenario.vocabulary",
    "Relation": "scenario.vocabulary",
    "Setting": "scenario.vocabulary",
    "State": "scenario.vocabulary",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'scenario' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [*_LAZY]
