"""The ``newsgen`` command: ``build``, ``serve``, ``check``, ``init``, ``new``, ``import``.

- ``cli``: ``main``, arguments to a call, diagnostics and exit status out;
  ``parser``: every option and ``--help`` example.
- ``check/``: ``newsgen check`` (sources, links, a built site).
- ``serve/``: ``newsgen serve`` (the preview server, watching, live reload).
- ``verify``: ``newsgen build --verify`` (two builds, compared byte for byte).
- ``scaffold``: ``newsgen init`` and ``newsgen new``, with ``skeleton/``.
- ``importers/``: ``newsgen import wordpress`` (a WordPress export into a site).

Only this package (and ``newsgen.build``, lazily) imports the pipeline.
"""

from newsgen.commands.cli import main

__all__ = ["main"]
