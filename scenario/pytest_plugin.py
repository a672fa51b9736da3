"""The pytest plugin: ``pytest`` collects ``*.scn`` files with no Python glue.

One item per scenario × outline row × backend, with a node id such as
``specs/ec2/ip.scn::a public IPv4 is released on stop[reference]``. Tags become
registered markers. A scenario runs in the item's setup, so that an ``error``
outcome (a refused given, a backend fault) is a pytest error and a failed claim
a pytest failure; ``@diverges`` becomes xfail, strictly.
"""

from __future__ import annotations

import gc

import pytest

from . import reporting
from .backend import BackendInfo
from .errors import ConfigurationError, ScenarioError, SpecErrors
from .runner import Outcome, run_scenario, skip_reason

_OUTCOMES = pytest.StashKey[dict]()
_MARKERS = pytest.StashKey[set]()  # tag markers registered so far


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("scn", "scn scenario specs (.scn)")
    group.addoption(
        "--scn-backend",
        action="append",
        dest="scn_backends",
        metavar="NAME",
        help="run .scn scenarios on this backend; repeat for several (default: reference)",
    )
    group.addoption(
        "--scn-no-cache",
        action="store_true",
        dest="scn_no_cache",
        help="compile every .scn file afresh instead of using the compiled-spec cache",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fact(id): the documented fact a scn scenario verifies")
    config.addinivalue_line("markers", "only(*backends): run a scn scenario only on these backends")
    config.addinivalue_line("markers", "diverges(backend, why): a known difference of a backend from documented AWS behaviour")
    config.addinivalue_line("markers", "misbelief(why): a scn scenario that states a wrong belief, expected to fail everywhere")
    config.addinivalue_line("markers", "scn: a scenario collected from a .scn file")
    config.stash[_OUTCOMES] = {}
    config.stash[_MARKERS] = set()
    if config.getoption("scn_backends", None):
        _backends(config)  # an unknown backend is a usage error now, not a collection error per file


def _backends(config: pytest.Config) -> list[BackendInfo]:
    from .plugins import backend

    names = config.getoption("scn_backends") or ["reference"]
    seen = []
    for n in names:
        if n not in seen:
            seen.append(n)
    try:
        return [backend(n) for n in seen]
    except ConfigurationError as exc:
        raise pytest.UsageError(f"--scn-backend: {exc}") from None


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".scn":
        return ScnFile.from_parent(parent, path=file_path)
    return None


class ScnCollectError(Exception):
    """A .scn file that does not parse or compile; shown as its diagnostics."""


class ScnFile(pytest.File):
    """A .scn file: one feature, many scenarios."""

    def collect(self):
        from .loader import load_text
        from .plugins import vocabulary

        config = self.config
        backends = _backends(config)
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScnCollectError(f"{self.path}: cannot read this file: {exc}") from None
        try:
            feature = load_text(text, self.nodeid.split("::")[0] or str(self.path), vocabulary(),
                                use_cache=False if config.getoption("scn_no_cache") else None)
        except SpecErrors as exc:
            raise ScnCollectError(exc.render()) from None
        except ScenarioError as exc:
            raise ScnCollectError(str(exc)) from None
        registered = config.stash[_MARKERS]
        for sc in feature.scenarios:
            for b in backends:
                item = ScnItem.from_parent(self, name=f"{sc.title}[{b.name}]", scenario=sc, backend=b)
                for tag in sc.tags:
                    name = _marker_name(tag.name)
                    if name not in registered:
                        config.addinivalue_line("markers", f"{name}: scn tag @{tag.name}")
                        registered.add(name)
                    item.add_marker(getattr(pytest.mark, name)(*tag.args))
                item.add_marker(getattr(pytest.mark, "scn"))
                reason = skip_reason(sc, b)
                if reason is not None:  # skipped at the spec's own line, not at the plugin's
                    item.add_marker(pytest.mark.skip(reason=reason))
                yield item

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ScnCollectError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


def _marker_name(tag: str) -> str:
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in tag)


class ScnClaimFailed(Exception):
    """A claim of the scenario did not hold."""


class ScnItem(pytest.Item):
    """One scenario (one outline row) on one backend."""

    def __init__(self, *, scenario, backend: BackendInfo, **kwargs):
        super().__init__(**kwargs)
        self.scenario = scenario
        self.backend = backend
        self.outcome: Outcome | None = None

    def setup(self) -> None:
        self.outcome = outcome = run_scenario(self.scenario, self.backend)
        self.config.stash[_OUTCOMES][self.nodeid] = (self.scenario, outcome)
        if outcome.status == "skipped":
            pytest.skip(outcome.message)
        if outcome.status == "error":
            # a failure in setup is a pytest ERROR; pytrace=False: the scenario's lines, no Python traceback
            pytest.fail(reporting.render_outcome(self.scenario, outcome), pytrace=False)

    def runtest(self) -> None:
        outcome = self.outcome
        if outcome.status == "failed":
            raise ScnClaimFailed(outcome)
        if outcome.status == "xfailed":
            pytest.xfail(outcome.message.splitlines()[0])
        if outcome.status == "xpassed":
            raise ScnClaimFailed(outcome)

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ScnClaimFailed):
            return reporting.render_outcome(self.scenario, excinfo.value.args[0])
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.scenario.span.line - 1, f"scenario: {self.scenario.title} [{self.backend.name}]"


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # The compiled scenarios live until the end of the session and hold no garbage
    # cycles: move them (and everything else made so far) out of the collector's
    # sight, so that each gc pass, pytest's own at the end included, skips them.
    if any(isinstance(item, ScnItem) for item in session.items):
        gc.freeze()


def pytest_report_header(config: pytest.Config):
    names = config.getoption("scn_backends") or ["reference"]
    return f"scn backends: {', '.join(names)}"
