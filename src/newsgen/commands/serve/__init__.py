"""``newsgen serve``: preview a site locally, rebuilt and reloaded as you edit.

What it does:

1. Builds the site into a private temporary folder, removed when the
   server stops (or into ``--output DIR``), with ``base_url`` set to the
   local address, so a preview never touches the ``public/`` you deploy.
   The incremental build cache makes every build after the first fast.
2. Serves that folder over HTTP on 127.0.0.1 (``--port``, default 8000;
   ``--port 0`` picks a free port and prints it). Listening on another
   interface needs ``--host ADDR --allow-remote`` and prints a warning:
   anyone who can reach the machine can then read unpublished drafts.
   ``--drafts`` includes ``draft: true`` stories, each marked as a draft.
3. Watches the articles, seeds, templates and static folders and every
   ``*.yaml`` file in the site folder (``newsgen.yaml``, ``authors.yaml``)
   by polling modification times (every ``--poll`` seconds, less often when
   a large site takes long to scan), and rebuilds when something changes.
   The build itself skips unchanged files, so only what changed is rewritten.
4. Reloads open browser tabs after a rebuild: every HTML page it *serves*
   (never the built files) gets a small script that long-polls
   ``/__newsgen__/build`` for the build number.
5. When a rebuild fails (a content, config or template error), it keeps
   serving: every page shows the errors, with file, line and the offending
   source lines, until a rebuild succeeds. Stylesheets and images of the last
   good build are still served.

Safety: only files inside the preview folder are served. A request whose
decoded path contains ``..``, a backslash or a NUL, a path through a symbolic
link, and any hidden file (``.newsgen-manifest.json``) are refused; so is
anything but GET and HEAD. Malformed requests get a 400 and the server goes
on; a client that stops talking is dropped after a timeout.

The package, one module a job:

- ``http``: the HTTP handler confined to the preview folder, the live-reload
  script it adds to every page, the error page;
- ``watch``: which folders and files are watched, and their snapshot;
- ``server``: :class:`DevServer`, the serve loop (the preview folder, builds,
  rebuilds on change, the build state behind live reload). With the CLI it is
  the only module that imports the build orchestrator (``newsgen.pipeline``).
"""

from __future__ import annotations

from newsgen.commands.serve.server import DEFAULT_PORT, DevServer, ServeOptions, is_loopback

__all__ = ["DEFAULT_PORT", "DevServer", "ServeOptions", "is_loopback"]
