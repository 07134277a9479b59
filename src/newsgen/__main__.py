"""``python -m newsgen``: the same as the ``newsgen`` command."""

import sys

from newsgen.commands.cli import main

sys.exit(main())
