"""The pytest plugin: ``pytest`` collects ``*.scn`` files with no Python glue.

One item per scenario × outline row × backend, with a node id such as
``specs/ec2/ip.scn::a public IPv4 is released on stop[reference]``. Tags become
registered markers under their own names (`@ec2` → `-m ec2`) — except a tag
named like a marker that pytest or a plugin acts on (`@skip`, `@skipif`,
`@xfail`, `@filterwarnings`, …), which becomes ``scn_<name>``: a spec is data,
and its tags never run code or change how pytest runs it. A scenario runs in the
item's setup, so that an ``error`` outcome (a refused given, a backend fault) is a
pytest error and a failed claim a pytest failure; ``@diverges`` becomes xfail,
strictly.

pytest loads this plugin at every start, .scn files or not: importing it imports
nothing of scn's but the plugin manager's hooks (the aws backend's options are added
then); the language, the runner and the backends come with the first .scn file.
"""

from __future__ import annotations

import functools
import os
import warnings
from typing import TYPE_CHECKING, cast

import pytest

if TYPE_CHECKING:
    from .backend import BackendInfo
    from .runner import Outcome

_MARKERS = pytest.StashKey[set]()  # tag markers registered so far
_RESERVED = pytest.StashKey[frozenset]()  # marker names pytest or another plugin owns
_FROZEN = pytest.StashKey[bool]()
_RECORD_KEY = "scn_matrix_record"
_INFO_KEY = "scn_run_info"
#: what plugins decided once per run (the aws run id), from the xdist controller to its workers
_SHARED_KEY = "scn_shared"

#: our own markers, and pytest's that act on a test whatever other plugins register
OWN_MARKERS = frozenset({"fact", "only", "diverges", "misbelief", "scn"})
ACTING_MARKERS = frozenset({"skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings", "tryfirst",
                            "trylast"})


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
        "--scn-explore",
        type=int,
        default=0,
        dest="scn_explore",
        metavar="N",
        help="add N programs drawn from the vocabulary per backend pair (the first --scn-backend with each other, "
             "or reference with the one named) as tests: each fails with the shrunk scenario when the two disagree",
    )
    group.addoption("--scn-explore-seed", default="0", dest="scn_explore_seed", metavar="S",
                    help="the seed of --scn-explore's programs (default: 0)")
    group.addoption("--scn-explore-service", dest="scn_explore_service", metavar="NAME",
                    help="draw --scn-explore's programs from this service's kinds only (ec2, lambda, …)")
    group.addoption(
        "--scn-no-cache",
        action="store_true",
        dest="scn_no_cache",
        help="compile every .scn file afresh instead of using the compiled-spec cache",
    )
    group.addoption(
        "--scn-trace",
        action="store_true",
        dest="scn_trace",
        help="record each API call a scenario makes (boto3 backends) and show the calls under every failure and "
             "known divergence, secrets masked",
    )
    group.addoption(
        "--scn-record",
        dest="scn_record",
        metavar="FILE",
        help="write each scenario's outcome, date, region and versions to this validation file "
             "(e.g. specs/validations/aws.toml)",
    )
    from .options import OptionParser
    from .plugins import get_plugin_manager

    # the backends' own options (the aws backend's `--scn-aws-…`), each plugin's in its own group
    get_plugin_manager().hook.scn_addoption(parser=OptionParser.for_pytest(parser))


@pytest.hookimpl(tryfirst=True)  # before pytest's unraisableexception plugin adds its cleanup (see _unfreeze)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fact(id): the documented fact a scn scenario verifies")
    config.addinivalue_line("markers", "only(*backends): run a scn scenario only on these backends")
    config.addinivalue_line("markers",
                            "diverges(backend, why): a known difference of a backend from documented AWS behaviour")
    config.addinivalue_line("markers",
                            "misbelief(why): a scn scenario that states a wrong belief, expected to fail everywhere")
    config.addinivalue_line("markers", "scn: a scenario collected from a .scn file")
    config.stash[_MARKERS] = set()
    config.stash[_FROZEN] = False
    config.add_cleanup(functools.partial(_unfreeze, config))
    if config.getoption("scn_backends", None):
        from .errors import ConfigurationError

        _configure_backends(config, _backends(config))
        for b in _backends(config):  # an unknown backend is a usage error now, not a collection error per file
            try:  # a backend that cannot start (a missing extra) says so in one line
                b.preflight()
            except ConfigurationError as exc:
                raise pytest.UsageError(f"--scn-backend {b.name}: {exc}") from None
    if _options(config).matrix:  # not registered otherwise: three calls of each item's that would find nothing
        config.pluginmanager.register(_MatrixSummary(config), "scn-matrix-summary")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistShared(config), "scn-xdist-shared")


def _configure_backends(config: pytest.Config, backends: list[BackendInfo]) -> None:
    """Hand the plugins' option values to the backends of the run (``scn_configure``); what they
    decide once per run (the aws run id) is the same on the xdist controller and its workers."""
    from .errors import ConfigurationError
    from .options import OptionValues
    from .plugins import get_plugin_manager

    workerinput = getattr(config, "workerinput", None)
    shared = dict((workerinput or {}).get(_SHARED_KEY) or {})
    values = OptionValues("pytest", lambda dest: config.getoption(dest, None), shared)
    try:
        notes = get_plugin_manager().hook.scn_configure(values=values, backends=list(backends))
    except ConfigurationError as exc:
        raise pytest.UsageError(f"scn: {exc}") from None
    config.stash[_SHARED] = values.shared
    config.stash[_NOTES] = [str(n) for n in notes if n]


_SHARED = pytest.StashKey[dict]()
_NOTES = pytest.StashKey[list]()  # the plugins' words for the report header


class _ItemOptions:
    """The options every item reads, read once a run (``getoption`` at each of a thousand items adds up)."""

    __slots__ = ("trace", "record", "matrix")

    def __init__(self, config: pytest.Config):
        self.trace = bool(config.getoption("scn_trace", False))
        self.record = bool(config.getoption("scn_record", None))
        # each report carries its matrix record only for what reads them: the matrix of two or more
        # backends, or the validation file (--scn-record); with xdist, the workers see the same options
        self.matrix = self.record or len(_backend_names(config)) > 1


_ITEM_OPTIONS = pytest.StashKey[_ItemOptions]()


def _options(config: pytest.Config) -> _ItemOptions:
    try:
        return config.stash[_ITEM_OPTIONS]
    except KeyError:
        options = config.stash[_ITEM_OPTIONS] = _ItemOptions(config)
        return options


def _backend_names(config: pytest.Config) -> list[str]:
    return list(dict.fromkeys(config.getoption("scn_backends") or ["reference"]))


def _backends(config: pytest.Config) -> list[BackendInfo]:
    from .errors import ConfigurationError
    from .plugins import backend

    try:
        return [backend(n) for n in _backend_names(config)]
    except ConfigurationError as exc:
        raise pytest.UsageError(f"--scn-backend: {exc}") from None


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".scn" and not _is_binary(file_path):
        return ScnFile.from_parent(parent, path=file_path)
    return None


def _is_binary(path) -> bool:
    """Other tools use .scn too (Godot's binary scenes): a file with NUL bytes is not ours."""
    try:
        with open(path, "rb") as fh:
            return b"\0" in fh.read(8192)
    except OSError:
        return False  # let collection report it


def _reserved_markers(config: pytest.Config) -> frozenset:
    """Marker names that pytest or a plugin registered (and may act on), computed once."""
    if _RESERVED not in config.stash:
        names = {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}
        ours: set = config.stash[_MARKERS]
        config.stash[_RESERVED] = frozenset((names | ACTING_MARKERS) - OWN_MARKERS - ours)
    return config.stash[_RESERVED]


def _marker_name(tag: str, reserved: frozenset) -> str:
    """The marker of a tag: its own name (`my-tag`), `scn_<name>` where another owner has it."""
    name = "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in tag)
    return f"scn_{name}" if name in reserved else name


def _display_path(config: pytest.Config, path) -> str:
    """A path that opens from where pytest was started, as pytest's own tracebacks show."""
    rel = os.path.relpath(path, config.invocation_params.dir)
    return str(path) if rel.startswith("..") else rel


class ScnCollectError(Exception):
    """A .scn file that does not parse or compile; shown as its diagnostics."""


class ScnFile(pytest.File):
    """A .scn file: one feature, many scenarios."""

    def collect(self):
        from .errors import ScenarioError, SpecErrors
        from .facts import InventoryError
        from .loader import fact_options, load_text, read_spec
        from .plugins import backends as installed
        from .plugins import vocabulary
        from .runner import skip_reason

        config = self.config
        backends = _backends(config)
        shown = _display_path(config, self.path)
        try:
            text = read_spec(self.path, shown)
            feature = load_text(text, shown, vocabulary(), **fact_options(self.path),
                                use_cache=False if config.getoption("scn_no_cache") else None)
        except SpecErrors as exc:
            raise ScnCollectError(exc.render()) from None
        except InventoryError as exc:
            raise ScnCollectError(f"{shown}: {exc}") from None
        except (OSError, ScenarioError) as exc:
            raise ScnCollectError(f"{shown}: cannot read this file: {exc}") from None
        from .ir import named_backends

        named = named_backends(feature)
        if named:  # the report's words (and their tables) are imported only for a feature that names backends
            from .reporting import unknown_backends

            for warning in unknown_backends(named, installed()):
                warnings.warn(pytest.PytestWarning(warning), stacklevel=1)
        registered = config.stash[_MARKERS]
        reserved = _reserved_markers(config)
        made = {}  # (tag name, its arguments) → its marker: made once a file (a marker is immutable)

        def marker(tag):
            key = (tag.name, tag.args)
            try:
                return made[key]
            except KeyError:
                pass
            except TypeError:  # an argument that does not hash: made for each scenario, as it was
                key = None
            name = _marker_name(tag.name, reserved)
            if name not in registered:
                config.addinivalue_line("markers", f"{name}: scn tag @{tag.name}")
                registered.add(name)
            mark = getattr(pytest.mark, name)(*tag.args)
            if key is not None:
                made[key] = mark
            return mark

        scn = getattr(pytest.mark, "scn")
        for sc in feature.scenarios:
            tags = [marker(tag) for tag in sc.tags]
            for b in backends:
                item = ScnItem.from_parent(self, name=f"{sc.title}[{b.name}]", scenario=sc, backend=b)
                for mark in tags:
                    item.add_marker(mark)
                item.add_marker(scn)
                reason = skip_reason(sc, b)
                if reason is not None:  # skipped at the spec's own line, not at the plugin's
                    item.add_marker(pytest.mark.skip(reason=reason))
                yield item

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ScnCollectError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


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
        from .runner import Status, run_scenario

        self.outcome = outcome = run_scenario(self.scenario, self.backend, trace=_options(self.config).trace)
        if outcome.transcript and outcome.status in (Status.XFAILED, Status.XPASSED):
            # a known divergence: the calls that show it, for an upstream report (-rx shows the reason; -rA this too)
            from . import reporting

            self.add_report_section("call", "scn API calls", "\n".join(reporting.render_transcript(outcome, indent="")))
        if outcome.status == Status.SKIPPED:
            pytest.skip(outcome.message)
        if outcome.status == Status.ERROR and outcome.not_implemented:
            # the backend lacks a vocabulary item: neither a failed claim nor a fault; the matrix: `not implemented`
            pytest.skip(f"not implemented on {self.backend.name}: {outcome.not_implemented}")
        if outcome.status == Status.ERROR:
            # a failure in setup is a pytest ERROR; pytrace=False: the scenario's lines, no Python traceback
            from . import reporting

            pytest.fail(reporting.render_outcome(self.scenario, outcome), pytrace=False)

    def runtest(self) -> None:
        from .runner import Status

        outcome = cast("Outcome", self.outcome)  # setup ran the scenario: pytest runs no test whose setup failed
        if outcome.status in (Status.FAILED, Status.XPASSED):
            raise ScnClaimFailed(outcome)
        if outcome.status == Status.XFAILED:
            pytest.xfail(outcome.message.splitlines()[0])

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ScnClaimFailed):
            from . import reporting

            return reporting.render_outcome(self.scenario, excinfo.value.args[0])
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.scenario.span.line - 1, f"scenario: {self.scenario.title} [{self.backend.name}]"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    n = config.getoption("scn_explore", 0)
    if n and n > 0:  # `--scn-explore N`: drawn programs, compared on each backend pair
        from .errors import ConfigurationError
        from .explore.pytest_items import explore_items

        try:
            items.extend(explore_items(session, _backends(config), n, config.getoption("scn_explore_seed"),
                                       config.getoption("scn_explore_service")))
        except ConfigurationError as exc:
            raise pytest.UsageError(f"--scn-explore: {exc}") from None


def pytest_collection_finish(session: pytest.Session) -> None:
    # In a session of scenarios only, what collection made lives until the end and
    # holds no garbage cycles: move it out of the collector's sight, so that each gc
    # pass (pytest's own at the end included) skips it. Not with Python tests in the
    # session: their objects must stay collectable as they would be without scn.
    items = session.items
    if items and all(isinstance(item, ScnItem) for item in items):
        from ._gc import freeze

        freeze()  # what is young garbage now is collected first: its finalizers run as pytest watches
        session.config.stash[_FROZEN] = True


def _unfreeze(config: pytest.Config) -> None:
    """Back in the collector's sight at its next pass (:func:`~scenario._gc.thaw_later`: not at all if the process
    exits first), at the very end: a cleanup added before pytest's unraisableexception plugin adds its own, so that
    it runs after that one's garbage collections (five of them, over every live object but the frozen ones: what
    the freeze is for)."""
    if config.stash.get(_FROZEN, False):
        from ._gc import thaw_later

        config.stash[_FROZEN] = False
        thaw_later()


class _XdistShared:
    """With pytest-xdist: every worker starts from what the plugins decided on the controller (the aws run id)."""

    def __init__(self, config: pytest.Config):
        self.config = config

    def pytest_configure_node(self, node) -> None:
        shared = self.config.stash.get(_SHARED, None)
        if shared:
            node.workerinput[_SHARED_KEY] = dict(shared)


class _MatrixSummary:
    """With two or more backends, or ``--scn-record``: puts each scenario's matrix record in its setup report,
    gathers them from the reports (also from xdist workers), and prints the matrix at the end."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.records: list[dict] = []
        self.infos: dict[str, dict] = {}
        self.written = 0

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "setup" and isinstance(item, ScnItem):
            from .matrix import record

            outcome = item.outcome
            if outcome is None:  # skipped by its marker before the scenario ran (`needs clock`, `@only`)
                from .runner import Outcome, Status, skip_reason

                reason = skip_reason(item.scenario, item.backend)
                outcome = Outcome(Status.SKIPPED, item.backend.name, reason or "skipped")
            # user_properties survive pytest-xdist's serialisation of reports to the controller
            report.user_properties.append((_RECORD_KEY, record(item.scenario, outcome)))
            if _options(item.config).record:
                report.user_properties.append((_INFO_KEY, {"backend": item.backend.name, **item.backend.where()}))
        return report

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "setup":
            self.records.extend(value for key, value in report.user_properties if key == _RECORD_KEY)
            for key, value in report.user_properties:
                if key == _INFO_KEY:
                    self.infos[value["backend"]] = value

    def pytest_sessionfinish(self, session) -> None:
        path = self.config.getoption("scn_record", None)
        if not path or hasattr(self.config, "workerinput") or not self.records:
            return
        from .records import entry_from, update

        self.written = update(path, (entry_from(r, self.infos.get(r["backend"])) for r in self.records))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.written:
            path = self.config.getoption("scn_record")
            terminalreporter.write_line(f"scn: recorded {self.written} outcomes in {path}")
        self._matrix(terminalreporter)

    def _matrix(self, terminalreporter) -> None:
        names = _backend_names(self.config)
        if len(names) < 2 or not self.records:
            return
        from .matrix import Matrix

        terminalreporter.write_sep("=", "scn backend matrix")
        terminalreporter.write(Matrix(self.records, names).to_table())


def pytest_report_header(config: pytest.Config):
    notes = config.stash.get(_NOTES, [])
    return f"scn backends: {', '.join(_backend_names(config))}" + (f" ({'; '.join(notes)})" if notes else "")
