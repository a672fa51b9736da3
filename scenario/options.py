"""A plugin's own options, added once for every front end: ``scn run``/``facts``/``matrix`` and pytest.

The ``scn_addoption`` hook receives an :class:`OptionParser` (for the scn command,
one per subcommand that runs specs; for pytest, one over pytest's parser); a
plugin adds its options in a group of its own with the same call for both::

    group = parser.getgroup("fake", "the fake backend")
    group.addoption("--fake-seed", dest="fake_seed", type=int, metavar="N", help="…")

which is ``--fake-seed`` on ``scn run`` and ``--scn-fake-seed`` for pytest. The
``scn_configure`` hook then reads the values back by ``dest`` from an
:class:`OptionValues`, whichever front end parsed them.
"""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["OptionParser", "OptionGroup", "OptionValues", "PREFIX"]

#: what the core puts before a plugin's ``dest`` (and pytest before its flags), so that no plugin's
#: option can take the name of one of scn's own or of another pytest plugin
PREFIX = "scn_"

#: argparse actions that take no value, hence no metavar
_NO_VALUE = frozenset({"store_true", "store_false", "store_const", "append_const", "count", "help", "version"})


def _pytest_flag(flags: tuple[str, ...]) -> str:
    long = next((f for f in flags if f.startswith("--")), None)
    if long is None:
        raise ValueError(f"an option of a scn plugin needs a long flag (--name): {flags!r}")
    return "--scn-" + long[2:]


class OptionGroup:
    """Options of one plugin under one heading of the help."""

    def __init__(self, add: Callable[..., Any], front_end: str):
        self._add = add
        self.front_end = front_end

    def addoption(self, *flags: str, dest: str, pytest: str | None = None, **kwargs: Any) -> None:
        """Add an option.

        :param flags: as the scn command spells it (``--aws-account``); pytest does not take short ones.
        :param dest: the name :meth:`OptionValues.getoption` reads it by (the core prefixes it, see :data:`PREFIX`).
        :param pytest: the pytest flag; default ``--scn-`` and the long flag without its dashes
            (``--fake-seed`` → ``--scn-fake-seed``).
        :param kwargs: argparse's keywords (``action``, ``type``, ``metavar``, ``help``, …); pytest takes the same.
        """
        if kwargs.get("action") not in _NO_VALUE:
            kwargs.setdefault("metavar", dest.upper())  # not the prefixed dest
        if self.front_end == "pytest":
            self._add(pytest or _pytest_flag(flags), dest=PREFIX + dest, **kwargs)
        else:
            self._add(*flags, dest=PREFIX + dest, **kwargs)


class OptionParser:
    """What ``scn_addoption`` receives: groups of options, on the scn command or on pytest.

    :attr:`front_end` is ``"scn"`` or ``"pytest"``, for a plugin that words its help
    for each (``--backend aws`` here, ``--scn-backend aws`` there).
    """

    def __init__(self, front_end: str, getgroup: Callable[[str, str], Callable[..., Any]]):
        self.front_end = front_end
        self._getgroup = getgroup
        self._groups: dict[str, OptionGroup] = {}

    @classmethod
    def for_argparse(cls, parser) -> "OptionParser":
        """Groups of an :class:`argparse.ArgumentParser` (one subcommand of ``scn``), titled by their description."""
        return cls("scn", lambda name, description: parser.add_argument_group(description).add_argument)

    @classmethod
    def for_pytest(cls, parser) -> "OptionParser":
        """Groups of pytest's parser, named ``scn-<name>``."""
        return cls("pytest", lambda name, description: parser.getgroup(f"scn-{name}", description).addoption)

    def getgroup(self, name: str, description: str) -> OptionGroup:
        """The group ``name`` (made on first use, with ``description`` as its heading)."""
        if name not in self._groups:
            self._groups[name] = OptionGroup(self._getgroup(name, description), self.front_end)
        return self._groups[name]


class OptionValues:
    """What ``scn_configure`` receives: the values of the options plugins added, by their ``dest``.

    :attr:`shared` holds what a plugin decides once per run and every process of the
    run must agree on (the aws backend's run id): under pytest-xdist each worker
    starts with the controller's; its values must be strings.
    """

    def __init__(self, front_end: str, get: Callable[[str], Any], shared: dict[str, str] | None = None):
        self.front_end = front_end
        self._get = get
        self.shared: dict[str, str] = {} if shared is None else shared

    def getoption(self, dest: str, default: Any = None) -> Any:
        """The value given for ``dest`` (as the plugin named it in ``addoption``), or ``default`` when none was."""
        value = self._get(PREFIX + dest)
        return default if value is None else value
