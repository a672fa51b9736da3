"""`python -m scenario` is the `scn` command."""

import sys

from .cli import main

sys.exit(main())
