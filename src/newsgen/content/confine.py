"""Keep the build inside the site folder: symbolic links in templates and static files.

Articles are found by :func:`newsgen.content.sources.discover`, which follows a
symbolic link only while it stays inside the site folder. The same rule holds
for the site's ``templates/`` and ``static/`` folders, checked here before
anything is rendered: a link that resolves outside the site folder (to
``/etc/passwd``, to ``~/.ssh``, to a folder elsewhere) is an error naming the
link, so a build never reads, and never publishes, a file from outside. A
broken link, a link that loops (to itself, or two links to each other), or
something that is not a regular file or folder (a FIFO, a socket, a device),
is an error too: reading one would fail or hang.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from newsgen.config import Config
from newsgen.core.paths import is_within, loop_message, resolved
from newsgen.errors import Diagnostic, display_path


def check_folder(folder: Path, site: Path) -> list[Diagnostic]:
    """Problems with symbolic links and special files under ``folder``, sorted by path."""
    site_real = site.resolve()
    problems: list[Diagnostic] = []

    def shown(p: Path) -> str:
        return display_path(p, site)

    def link_ok(p: Path) -> bool:
        if not p.is_symlink():
            return True
        target = os.readlink(p)
        real = resolved(p)
        if real is None:
            problems.append(Diagnostic(shown(p), None, None, loop_message(p)))
            return False
        if not is_within(real, site_real):
            problems.append(
                Diagnostic(
                    shown(p), None, None, f"symbolic link points outside the site folder (to {target})"
                )
            )
            return False
        if not real.exists():
            problems.append(Diagnostic(shown(p), None, None, f"symbolic link is broken (points to {target})"))
            return False
        return True

    if not os.path.lexists(folder) or not link_ok(folder) or not folder.is_dir():
        return problems
    seen: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        here = Path(dirpath)
        real = here.resolve()
        if real in seen:  # a loop, or a folder reached twice through links
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if link_ok(here / d))
        for name in sorted(filenames):
            p = here / name
            if not link_ok(p):
                continue
            try:
                mode = os.stat(p).st_mode
            except OSError as exc:
                problems.append(Diagnostic(shown(p), None, None, f"cannot read: {exc.strerror}"))
                continue
            if not stat.S_ISREG(mode):
                problems.append(
                    Diagnostic(
                        shown(p), None, None, "not a regular file (a FIFO, socket or device); remove it"
                    )
                )
    return sorted(problems)


def check_site_folders(config: Config) -> list[Diagnostic]:
    """:func:`check_folder` for the site's templates and static folders."""
    p = config.paths
    return check_folder(p.templates, p.site) + check_folder(p.static, p.site)
