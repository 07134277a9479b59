"""The atomic swap: the staging folder and the output folder exchanged in one step.

This is the normal way a build is published (``"swap"`` mode). Every page is
already in a staging folder beside the output folder
(:class:`~newsgen.publish.publication.Publication`). Then:

1. Foreign entries of the output folder are hard-linked into the staging
   folder at the same relative paths (:func:`link_foreign`): folders are
   recreated with the same permissions, symbolic links are linked as links and
   never followed. The new manifest is already there.
2. The staging folder and the output folder are exchanged with one atomic
   system call (:func:`exchange_folders`: ``renameat2(RENAME_EXCHANGE)`` on
   Linux, ``renamex_np`` on macOS). Before this instant the output folder has
   not been touched; after it, the output folder is the complete new site.
3. The old tree, now at the staging name, is kept as the spare
   (:mod:`newsgen.publish.spare`) or retired (:mod:`newsgen.publish.retire`).

When the exchange cannot be used (:func:`cannot_swap` says why before
anything is staged; :class:`SwapImpossible` when it shows only at the end),
the build is published in place instead (:mod:`newsgen.publish.in_place`).
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Mapping, Set
from pathlib import Path

from newsgen.core.fsops import load_exchange
from newsgen.errors import BuildError
from newsgen.publish.listings import Lister, read_folder
from newsgen.publish.outdir import MANIFEST, STAGING_MARK, is_ours
from newsgen.publish.staging import mark

#: The platform's atomic exchange of two folders, or None where there is none.
_exchange = load_exchange()

#: errno values meaning "this file system or platform cannot exchange these folders".
_NO_EXCHANGE = {
    errno.EXDEV,
    errno.EINVAL,
    errno.ENOSYS,
    errno.ENOTSUP,
    errno.EOPNOTSUPP,
    errno.EBUSY,
    errno.EPERM,
    errno.EACCES,
}


class SwapImpossible(Exception):
    """The atomic exchange cannot be used; publish in place instead (the message says why)."""


def cannot_swap(out: Path) -> str | None:
    """Why the output folder ``out`` cannot be exchanged atomically, or None."""
    if _exchange is None:
        return "this platform has no atomic folder exchange"
    parent = out.parent
    try:
        if out.exists() and os.path.ismount(out):
            return "it is a mount point"
        if out.exists() and os.stat(out).st_dev != os.stat(parent).st_dev:
            return "it is on another file system than its parent folder"
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror})"
    if not os.access(parent, os.W_OK):
        return "its parent folder is not writable"
    return None


def link_foreign(
    out: Path,
    staging: Path,
    previous: Mapping[str, str],
    current: Mapping[str, str],
    dirs: Set[str],
    ls: Lister = read_folder,
) -> set[str]:
    """Hard-link every entry of ``out`` that newsgen does not own into ``staging``; returns
    the folders of ``staging`` (relative paths, ``""`` the top) that received something.

    ``previous`` is the old manifest (what newsgen owns), ``current`` the new
    site's files and ``dirs`` its folders; ``ls`` lists a folder (its subfolders
    and its other entries: :meth:`newsgen.publish.listings.Listings.list`). Raises :class:`SwapImpossible` when
    a foreign file cannot be hard-linked, and a BuildError when a foreign
    entry stands where the site needs something of another kind.

    This visits every folder and file of the site, so the common case costs set lookups
    only: a folder of the new site or a file newsgen owns needs nothing."""
    owned_dirs: set[str] | None = None  # the folders of the files newsgen owns, made when needed
    made: set[str] = set()  # folders recreated for foreign content
    touched: set[str] = set()  # folders of the staging folder given a foreign entry

    def owned_dir(rel: str) -> bool:
        nonlocal owned_dirs
        if owned_dirs is None:
            owned_dirs = set()
            for r in previous:
                d = r.rpartition("/")[0]
                while d and d not in owned_dirs:
                    owned_dirs.add(d)
                    d = d.rpartition("/")[0]
        return rel in owned_dirs

    def foreign_dir(rel: str) -> None:
        """Make sure folder ``rel`` exists in the staging folder, for foreign content."""
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d in dirs or d in made:
                continue
            (staging / d).mkdir(exist_ok=True)
            made.add(d)
            touched.add(d.rpartition("/")[0])

    out_str = str(out)
    stack = [""]
    while stack:
        base = stack.pop()
        here = f"{out_str}/{base}" if base else out_str
        prefix = base + "/" if base else ""
        try:
            subdirs, others = ls(here)
        except OSError as exc:
            raise BuildError(f"cannot read the output folder {here}: {exc.strerror}") from None
        for name in others:
            rel = prefix + name
            if rel in previous or rel in current or rel == MANIFEST:
                continue
            if not prefix and (is_ours(name, out) or name == STAGING_MARK):
                continue
            if rel in dirs:
                raise BuildError(
                    f"output folder: {rel} is a file newsgen did not write, but the site "
                    "needs a folder there; move it away"
                )
            if prefix:
                foreign_dir(base)
            touched.add(base)
            try:  # a symbolic link is linked itself, never followed
                os.link(f"{here}/{name}", staging / rel, follow_symlinks=False)
            except OSError as exc:
                raise SwapImpossible(f"{rel} cannot be hard-linked: {exc.strerror}") from None
        for name in subdirs:
            rel = prefix + name
            if not prefix and is_ours(name, out):
                continue
            if rel in current:
                raise BuildError(
                    f"output folder: {rel} is a folder newsgen did not write, but the "
                    "site has a file there; move it away"
                )
            if rel not in dirs and not owned_dir(rel):
                foreign_dir(rel)
            stack.append(rel)
    for rel in sorted(made, key=lambda r: -r.count("/")):
        try:
            shutil.copystat(out / rel, staging / rel, follow_symlinks=False)
        except OSError:
            pass
    return touched


def exchange_folders(staging: Path, out: Path, *, existed: bool) -> None:
    """Make the staging folder the output folder: exchange the two when the output folder
    ``existed`` (the old tree is then at the staging path), else rename.

    The staging folder loses its marker first. Raises :class:`SwapImpossible`
    when the file system cannot exchange them, and a BuildError (the staging
    folder marked again) when the rename fails otherwise."""
    (staging / STAGING_MARK).unlink()
    try:
        if existed:
            if _exchange is None:  # pragma: no cover - cannot_swap said so before anything was staged
                raise SwapImpossible("this platform has no atomic folder exchange")
            _exchange(staging, out)
        else:
            os.rename(staging, out)
    except OSError as exc:
        if exc.errno in _NO_EXCHANGE:
            raise SwapImpossible(f"the exchange failed: {exc.strerror}") from None
        mark(staging)
        raise BuildError(f"cannot publish the output folder {out}: {exc.strerror}") from None
