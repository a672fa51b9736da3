"""Hook specifications of scn. Plugins implement them with ``@scenario.hookimpl``.

Built-in backends are ordinary plugins, registered through the ``scn`` entry-point
group that third-party plugins use.
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
