"""The spool folder: where rendered pages wait, each in a file of its own, until the
publish moves them into the staging folder (:mod:`newsgen.incremental.render`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from newsgen.publish.outdir import outer_prefix
from newsgen.publish.staging import new_folder

#: The start of a spool folder's name (then the building process's id).
SPOOL_PREFIX = "spool-"


def spool_folder(folder: Path | None, out: Path | None = None) -> tuple[Path, int | None]:
    """A new folder for rendered pages and the descriptor of its lock, if any.

    In the cache folder when there is one (normally on the output's file
    system, so pages are moved into place, not copied; folders left by builds
    that were killed are removed first). Without a cache (``--no-cache``),
    beside the output folder ``out``, named, marked and locked like a staging
    folder (:mod:`newsgen.publish.staging`): on the output's file system too,
    so the write is a rename, not a copy out of the system's temporary
    folder; one that a killed build leaves is removed by the next build's
    clean-up (:func:`~newsgen.publish.retire.clean_leftovers`). The system's
    temporary folder is the last resort."""
    if folder is not None and folder.is_dir():
        for old in folder.glob(SPOOL_PREFIX + "*"):
            pid = old.name[len(SPOOL_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-", dir=folder)), None
    if out is not None and out.parent.is_dir():
        try:
            return new_folder(out, out.parent, outer_prefix(out) + SPOOL_PREFIX)
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-")), None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
