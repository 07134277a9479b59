"""The spare: the previous site's pages, kept in the build cache and recycled as the next staging folder.

Creating and deleting a folder per page on every build would make a rebuild
of a large site slow. So after the atomic exchange (:mod:`newsgen.publish.swap`)
the old tree keeps the files the old manifest lists (everything else is
retired as usual, :mod:`newsgen.publish.retire`) and is moved into the build
cache folder as ``spare`` (:func:`keep_as_spare`). The next build moves the
spare back beside the output folder as its staging folder (:func:`claim_spare`):
folders are reused, a page that is the same file as the live one costs one
``lstat``, a changed page is rewritten, and pages the spare has but the new
site lacks are deleted before the exchange (:func:`drop_stale_pages`).

Where the spare is kept (:func:`spare_home`): only in the cache folder, and
only when that folder is on the same file system as the output folder's
parent (moving the spare in and out is then a rename, never a copy). Without
a cache (``--no-cache``, ``--verify``) or on another file system there is no
spare: the old tree is retired file by file. newsgen leaves nothing beside the
output folder after a build; the staging folder it works in there is the
output folder's new content or is gone. A spare that an older version of
newsgen left beside the output folder (``.public.newsgen-spare``) is moved
into the cache folder, or retired (:func:`adopt_old_spare`).

The spare only ever holds newsgen's own pages and its manifest; it is deleted
when newsgen has to publish in place, and may be deleted by hand at any time
(with the rest of the cache). A first build has no old tree, and leaves no
spare: the first build after it that publishes by exchange makes its staging
folder from scratch and keeps the old tree. (Making a spare of hard links to
the new pages cost a first build of 10,000 articles 1.1 s, 5% of its time, for
a next build that may never come, as in CI without a kept cache, and that does
not use it when it changes one page: :mod:`newsgen.publish.one_change`.)
Which of the spare's pages are the output's own files is noted beside it
(:mod:`newsgen.publish.twins`).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from pathlib import Path

from newsgen.core.fsops import lock_folder, remove_tree, unlock_folder
from newsgen.core.paths import is_real_folder, valid_rel
from newsgen.errors import Diagnostic
from newsgen.publish.in_place import prune_empty_dirs
from newsgen.publish.listings import LISTINGS_NAME, Lister, Listings, read_folder
from newsgen.publish.outdir import MANIFEST, manifest_files, old_spare_path, outer_prefix
from newsgen.publish.retire import retire
from newsgen.publish.staging import copy_folder_mode, fresh_name, mark

#: The spare's name in the cache folder.
SPARE_NAME = "spare"


def spare_home(cache: Path | None, out: Path) -> Path | None:
    """Where the spare of the output folder ``out`` is kept: ``spare`` in the cache folder
    ``cache`` when that folder exists and is on the file system of ``out``'s parent (where
    staging folders are made); else None, and the build keeps no spare."""
    if cache is None:
        return None
    try:
        if not is_real_folder(cache) or os.stat(cache).st_dev != os.stat(out.parent).st_dev:
            return None
    except OSError:
        return None
    return cache / SPARE_NAME


def listings_home(spare: Path | None) -> Path | None:
    """Where the listings of the output's folders are kept: beside the spare, or nowhere."""
    return spare.parent / LISTINGS_NAME if spare is not None else None


def output_listings(out: Path, cache: Path | None) -> Listings:
    """The listings of the folders of the output folder ``out`` that earlier builds kept in the
    build cache folder ``cache`` (:mod:`newsgen.publish.listings`). A build that lists some of
    those folders before it publishes passes them on to
    :func:`~newsgen.publish.write.write_output`."""
    return Listings(listings_home(spare_home(cache, out)))


def adopt_old_spare(out: Path, home: Path | None) -> None:
    """Move the spare an older version of newsgen kept beside ``out`` to ``home``, when that is
    free. Whatever stays beside the output is retired by
    :func:`~newsgen.publish.retire.clean_leftovers` like any old tree."""
    old = old_spare_path(out)
    if home is None or not is_real_folder(old) or os.path.lexists(home):
        return
    try:
        os.rename(old, home)
    except OSError:
        pass


def claim_spare(home: Path, out: Path) -> tuple[Path, int, dict[str, str]] | None:
    """Take the spare kept at ``home`` as a staging folder beside ``out``, if there is one:
    its new path (marked), the descriptor that holds its lock, and the pages it has
    (from its manifest)."""
    if not is_real_folder(home):
        return None
    path = fresh_name(out.parent, outer_prefix(out))
    try:
        os.rename(home, path)  # atomic: of two builds, only one gets it
    except OSError as exc:
        if exc.errno == errno.EXDEV:  # same device number, other mount: it can never be used
            remove_tree(home)
        return None
    fd = lock_folder(path)
    try:
        mark(path)
        files = manifest_files(path / MANIFEST)
        if fd is None or files is None:
            raise FileNotFoundError
        copy_folder_mode(out, path)
    except FileNotFoundError:
        unlock_folder(fd)
        remove_tree(path)
        return None
    except BaseException:
        unlock_folder(fd)
        remove_tree(path)
        raise
    return path, fd, files  # its paths are checked when used (:func:`drop_stale_pages`)


def drop_stale_pages(staging: Path, spare_files: Mapping[str, str], current: Mapping[str, str]) -> None:
    """Remove the pages of a recycled spare that this build did not produce (``spare_files``,
    its manifest, as read: a path that is not a plain relative path is left alone)."""
    for rel in sorted(spare_files.keys() - current.keys()):
        if not valid_rel(rel):
            continue
        path = staging / rel
        if os.path.lexists(path) and not is_real_folder(path):
            path.unlink()
            prune_empty_dirs(path.parent, staging)


def keep_as_spare(
    old: Path,
    out: Path,
    home: Path | None,
    warnings: list[Diagnostic],
    ls: Lister = read_folder,
    published: Mapping[str, str] | None = None,
) -> bool:
    """Dispose of the old tree ``old`` that the exchange left beside ``out``: reduce it to
    newsgen's own pages and move it to ``home`` for the next build, or, without a home (or
    when that fails), retire it. ``ls`` lists a folder (:mod:`newsgen.publish.listings`);
    ``published`` is the manifest just published in ``out``, when the caller has it.
    Returns whether it became the spare."""
    fd = lock_folder(old)
    if fd is None:  # pragma: no cover - another build is already retiring it
        return False
    try:
        if home is not None and retire(old, out, warnings, keep_own=True, ls=ls, published=published):
            try:
                os.rename(old, home)
                return True
            except OSError:
                pass  # a spare appeared meanwhile (another build), or the rename cannot be made
        retire(old, out, warnings, published=published)
        return False
    finally:
        unlock_folder(fd)
