"""A failed scenario is shown as written — background first, outline rows substituted —
with the deciding step marked and the steps after it marked as not run."""

from scenario.compiler import compile_text
from scenario.plugins import backend, vocabulary
from scenario.reporting import render_outcome
from scenario.runner import run_scenario

SPEC = '''feature: f
  background:
    given a default vpc

  scenario outline: states
    given a running instance "web"
    when "web" is <action>
    then "web" is <state>
    and "web" exists

    examples:
      | action  | state   |
      | stopped | running |
'''


def test_a_failed_outline_row_is_shown_substituted():
    (sc,) = compile_text(SPEC, vocabulary(), "o.scn").scenarios
    outcome = run_scenario(sc, backend("reference"))
    assert outcome.status == "failed"
    assert render_outcome(sc, outcome).splitlines() == [
        'o.scn:8:5: failed on reference: "web" was expected to be running but is stopped',
        "       2 | background:",
        "       3 | given a default vpc",
        "       5 | scenario outline: states",
        '       6 | given a running instance "web"',
        '       7 | when "web" is stopped',
        '  >    8 | then "web" is running',
        '  E      | "web" was expected to be running but is stopped',
        '  -    9 | and "web" exists   (not run)',
    ]
