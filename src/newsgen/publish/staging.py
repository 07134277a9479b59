"""Staging folders: where a build's files wait until they are published.

Every page of a build is written into a staging folder first
(:class:`~newsgen.publish.publication.Publication`). For the atomic swap it
is made *beside* the output folder (``.public.newsgen-XXXXXXXX`` next to
``public``, on the same file system, so the two can be exchanged); when
publishing in place, or renaming one changed file into place
(:mod:`newsgen.publish.one_change`), it is made *inside* it
(``.newsgen-staging-XXXXXXXX``), so nothing visible changes until every page
is written. The names are :mod:`newsgen.publish.outdir`'s.

A staging folder is locked (``flock``) by the build that works in it, so the
clean-up of another build (:func:`newsgen.publish.retire.clean_leftovers`)
leaves it alone, and it carries the marker file ``.newsgen-staging`` until
the instant it is published: a marked folder was never published, holds only
newsgen's pages and hard links to files still in the output folder, and may
be deleted. A staging folder beside the output takes the output folder's
permissions and group, which the published folder then keeps.

Files are placed in it by :func:`place`, in folders made by :func:`make_folder`:
with :func:`move_new` (a spooled page), :func:`link_new` (a file newsgen keeps, such
as a photo's derivative) or :func:`link_or_copy` (an unchanged page, from the output
folder), each a hard link where it can be.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from newsgen.core.fsops import lock_folder, remove_tree, unlock_folder, write_new
from newsgen.core.paths import is_real_folder
from newsgen.payloads import FileData, Linked, Spooled
from newsgen.publish.outdir import STAGING_MARK


def fresh_name(parent: Path, prefix: str) -> Path:
    """A path in ``parent`` named ``prefix`` and random letters, where nothing is yet."""
    while True:
        path = parent / f"{prefix}{os.urandom(4).hex()}"
        if not os.path.lexists(path):
            return path


def mark(folder: Path) -> None:
    """Mark ``folder`` as a staging folder that was never published (safe to delete)."""
    (folder / STAGING_MARK).write_bytes(b"newsgen staging folder, never published; safe to delete\n")


def copy_folder_mode(out: Path, path: Path) -> None:
    """``path`` takes the permissions and group of the output folder ``out`` (best effort)."""
    try:
        st = os.stat(out)
        os.chmod(path, stat.S_IMODE(st.st_mode))
        os.chown(path, -1, st.st_gid)
    except (OSError, AttributeError):
        pass


def new_folder(out: Path, parent: Path, prefix: str) -> tuple[Path, int]:
    """A new staging folder in ``parent`` for the output folder ``out``, marked and locked:
    its path and the descriptor that holds the lock (:func:`~newsgen.core.fsops.unlock_folder`)."""
    while True:
        path = fresh_name(parent, prefix)
        try:
            path.mkdir()
        except FileExistsError:  # pragma: no cover - another build took the name
            continue
        fd = lock_folder(path)
        if fd is None:  # pragma: no cover - another build's clean-up took it first
            continue
        try:
            mark(path)
            if parent != out and out.is_dir():
                copy_folder_mode(out, path)
        except FileNotFoundError:  # pragma: no cover - removed by that clean-up
            unlock_folder(fd)
            continue
        except BaseException:
            unlock_folder(fd)
            remove_tree(path)
            raise
        return path, fd


# ----------------------------------------------------------------------------- placing files in it


def move_new(spooled: Spooled, path: str) -> None:
    """Make ``path`` (which must not exist) the spooled file; copy it across file systems."""
    try:
        os.link(spooled.path, path, follow_symlinks=False)  # never replaces what is there
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        write_new(path, spooled.read())
    else:
        os.unlink(spooled.path)


def link_new(linked: Linked, path: str) -> None:
    """Make ``path`` (which must not exist) a hard link to the kept file; copy it across file systems."""
    try:
        os.link(linked.path, path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        write_new(path, linked.read())


def link_or_copy(old: str, target: str, data: FileData) -> bool:
    """Hard-link an unchanged file into the staging folder (True); else copy it with its mtime (False)."""
    try:
        os.link(old, target, follow_symlinks=False)
        return True
    except OSError:
        write_new(target, data if isinstance(data, bytes) else Path(old).read_bytes())
        st = os.stat(old)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        return False


def make_folder(folder: str, *, recycled: bool) -> bool:
    """Make ``folder`` in a staging folder, where its parent is; returns whether it is a real
    folder now (a symbolic link could lead anywhere). ``recycled``: the staging folder is a
    recycled spare, whose folder there is reused and whose old page there goes. Raises OSError."""
    if recycled:
        if is_real_folder(folder):
            return True
        if os.path.lexists(folder):
            os.unlink(folder)  # an old page stands where a folder is needed now
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass  # checked below
    return is_real_folder(folder)


def place(target: str, old: str, data: FileData, kept: bool, *, recycled: bool) -> bool:
    """Place one file of the site at ``target`` in a staging folder, whose folders are there:
    ``data``, or, when the file is ``kept`` as published, a hard link to (or a copy of) the
    published file ``old``. ``recycled``: the staging folder is a recycled spare, whose old page
    at ``target`` goes first. Returns False when a kept file had to be copied (it is then a
    file of its own), else True. Raises OSError. (Paths are plain strings: this runs once a file.)"""
    if kept or recycled:
        clear(target)
    if kept:
        return link_or_copy(old, target, data)
    if isinstance(data, Spooled):
        move_new(data, target)
    elif isinstance(data, Linked):
        link_new(data, target)
    else:
        assert isinstance(data, bytes)  # an Unchanged file is always kept
        write_new(target, data)
    return True


def clear(path: str) -> None:
    """Remove whatever a recycled spare has at ``path`` (only newsgen's old pages are there)."""
    if is_real_folder(path):
        remove_tree(Path(path))
    elif os.path.lexists(path):
        os.unlink(path)
