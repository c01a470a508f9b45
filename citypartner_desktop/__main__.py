"""`python -m citypartner_desktop` runs the command line (GUI by default)."""

import sys

from citypartner_desktop.cli import main

sys.exit(main())
