"""``python -m newsgen``: the same as the ``newsgen`` command."""

from newsgen.commands.cli import run

run()
