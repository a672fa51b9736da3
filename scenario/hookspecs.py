"""Hook specifications of scn. Plugins implement them with ``@scenario.hookimpl``
(``from scenario import hookimpl``; it is this module's ``hookimpl``).

Built-in backends are ordinary plugins, registered through the ``scn`` entry-point
group that third-party plugins use; docs/backends.md is the guide to writing one.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("scn")
hookimpl = pluggy.HookimplMarker("scn")


@hookspec
def scn_vocabulary():
    """Contribute words to the language.

    :returns: a list of :class:`scenario.vocabulary.Kind` and
        :class:`scenario.vocabulary.Setting` objects. Every plugin's list is merged;
        a phrase claimed by two kinds is an error at start-up.
    """


@hookspec
def scn_backends():
    """Contribute backends.

    :returns: a list of :class:`scenario.backend.BackendInfo`: a name, the
        capabilities it has, and a factory that opens an isolated world for one
        scenario.
    """


@hookspec
def scn_addoption(parser):
    """Add a plugin's command-line options, the same way to ``scn run``, ``scn facts``,
    ``scn matrix`` and to pytest.

    :param parser: a :class:`scenario.options.OptionParser`: ``parser.getgroup(name,
        description)`` gives a group of the plugin's own, whose ``addoption(flag, dest=…,
        **argparse_keywords)`` adds ``flag`` to the scn command and ``--scn-<flag>`` (or its
        ``pytest=`` flag) to pytest; ``parser.front_end`` is ``"scn"`` or ``"pytest"``.
        Called once for each of those subcommands and once for pytest.
    """


@hookspec
def scn_configure(values, backends):
    """Configure a plugin's backends from the option values, before anything runs.

    Called by ``scn run``, ``scn facts``, ``scn matrix`` and by pytest (when
    ``--scn-backend`` is given) once the backends of the run are known, before their
    ``check``. A plugin configures only its own backends among ``backends`` and does
    nothing when none of them is used.

    :param values: a :class:`scenario.options.OptionValues`: ``values.getoption(dest)``
        is the value given for an option the plugin added (None: not given);
        ``values.shared`` carries what every process of the run must agree on
        (pytest-xdist's workers start with the controller's).
    :param backends: the :class:`scenario.backend.BackendInfo` of the run.
    :returns: None, or a short note for pytest's report header (``aws run id …``).
    :raises scenario.errors.ConfigurationError: a bad value or setting, said in one line.
    """


@hookspec
def scn_cli_commands(subparsers):
    """Add subcommands to the ``scn`` command.

    :param subparsers: argparse's subparsers of ``scn``: add a command with
        ``subparsers.add_parser(name, help=…)``, its arguments on what that returns, and
        its handler with ``set_defaults(scn_handler=handler)``; ``handler(args)`` returns
        the exit status. A :class:`scenario.errors.ConfigurationError` it raises is one
        line on standard error and exit status 2, as for scn's own commands.
    """
