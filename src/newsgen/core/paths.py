"""Path checks, each with one owner: is a path inside a folder, is an output path
plain, is every folder on the way a real folder.

These are the only places that decide whether a path stays inside a folder;
the publish (:mod:`newsgen.publish`), the search bundle, the site's symbolic
link rules (:mod:`newsgen.content.confine`, :mod:`newsgen.content.sources`)
and the cache folder's placement call them instead of comparing paths of
their own.

- :func:`is_within` compares two paths as given (resolve them first when
  symbolic links matter, with :func:`resolved`, which says when the links
  loop instead of raising).
- :func:`valid_rel` and :func:`check_rel` accept only a plain relative
  ``a/b/c`` output path: ``/``-separated, no empty, ``.`` or ``..`` part, no
  ``\\`` or NUL.
- :func:`blocking_folder` and :func:`real_folders` look on the file system,
  component by component with ``lstat``, whether every folder from a root
  down to a file's folder is a real folder and not a symbolic link: that is
  how a file's resolved path is known to lie inside the root, without
  comparing strings. :func:`plain_file` adds the file itself: a regular
  file of the expected size. :func:`safe_target` does the same with
  ``Path.resolve``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from newsgen.core.fsops import lstat_mode
from newsgen.errors import BuildError


def is_within(path: Path, root: Path) -> bool:
    """Is ``path`` the folder ``root`` or below it (the paths as given, not resolved)?"""
    return path == root or root in path.parents


def resolved(path: Path) -> Path | None:
    """``path`` made absolute with every symbolic link followed (``Path.resolve``), or None
    when its links go round in a loop (a link to itself, two links to each other), which no
    file system call can follow (``ELOOP``).

    ``Path.resolve`` raises RuntimeError ("Symlink loop") there on Python 3.11 and 3.12,
    OSError with ``ELOOP`` on later versions; callers report the link instead."""
    try:
        return path.resolve()
    except RuntimeError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None
        raise


def loop_message(path: Path) -> str:
    """What to say about a symbolic link ``path`` whose links loop (:func:`resolved` gave None)."""
    try:
        target = f" (it points to {os.readlink(path)})"
    except OSError:  # not a link itself: one of the folders on the way is
        target = ""
    return (
        f"symbolic link cannot be followed: its links go round in a loop{target}; "
        "remove it or point it at a real file or folder"
    )


def valid_rel(rel: str) -> bool:
    """Is ``rel`` a relative path of plain names: no empty, ``.`` or ``..`` part, no ``\\`` or NUL?

    A leading ``/`` makes an empty first part, so it is refused too."""
    if not rel or "\\" in rel or "\x00" in rel:
        return False
    parts = rel.split("/")  # list membership, not a loop in Python: this runs for every file of a site
    return "" not in parts and "." not in parts and ".." not in parts


def check_rel(rel: str) -> None:
    """Refuse an output path that is not a plain relative ``a/b/c`` path."""
    if not valid_rel(rel) or rel.startswith("/"):
        raise BuildError(f"unsafe output path {rel!r}")


def safe_target(root: Path, rel: str) -> Path:
    """``root / rel``, refusing anything that would land outside ``root``."""
    check_rel(rel)
    target = root.joinpath(*rel.split("/"))
    if not is_within(target.parent.resolve(), root.resolve()):
        raise BuildError(f"output path {rel!r} resolves outside the output folder")
    return target


def is_real_folder(path: Path | str) -> bool:
    """Is ``path`` itself a folder, not a symbolic link to one (nor a file, nor missing)?"""
    mode = lstat_mode(path)
    return mode is not None and stat.S_ISDIR(mode)


def blocking_folder(
    root: Path | str, folder: str, known: set[str] | None = None, *, missing_ok: bool = False
) -> str | None:
    """The first folder on the way from ``root`` down to ``root/folder`` that is not a real
    folder (a symbolic link, a file, or nothing at all), or None when there is none.

    ``folder`` is ``/``-separated and relative to ``root`` (``""`` is ``root``
    itself, which is not checked). With ``missing_ok`` a folder that does not
    exist yet, and everything below it, is no obstacle: it can be made.
    ``known`` holds folders already found real; it is consulted and added to,
    so that checking every file of a site costs one ``lstat`` per folder.
    """
    if known is not None and folder in known:
        return None
    unknown: list[str] = []  # from `folder` up to the first known one
    while folder and (known is None or folder not in known):
        unknown.append(folder)
        folder = folder.rpartition("/")[0]
    base = str(root)
    for rel in reversed(unknown):
        mode = lstat_mode(f"{base}/{rel}")
        if mode is None and missing_ok:
            return None
        if mode is None or not stat.S_ISDIR(mode):
            return rel
        if known is not None:
            known.add(rel)
    return None


def real_folders(root: Path | str, folder: str, known: set[str] | None = None) -> bool:
    """Is every folder from ``root`` down to ``root/folder`` a real folder (see :func:`blocking_folder`)?"""
    return blocking_folder(root, folder, known) is None


def plain_file(
    root: Path | str,
    rel: str,
    size: int,
    known: set[str] | None = None,
    *,
    real: Callable[[str], bool] | None = None,
) -> os.stat_result | None:
    """The ``lstat`` of ``root/rel`` when it is a regular file of ``size`` bytes and every folder on
    the way from ``root`` is a real folder (:func:`real_folders`, with ``known``; or ``real``, which
    answers that for a folder relative to ``root``, e.g. from the listings of
    :class:`newsgen.publish.listings.RealFolders`); else None."""
    try:
        st = os.lstat(f"{root}/{rel}")
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size != size:
        return None
    folder = rel.rpartition("/")[0]
    ok = real(folder) if real is not None else real_folders(root, folder, known)
    return st if ok else None
