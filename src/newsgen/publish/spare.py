"""The spare: the previous site's pages, recycled as the next build's staging folder.

Creating and deleting a folder per page on every build would make a rebuild
of a large site slow. So after the atomic exchange (:mod:`newsgen.publish.swap`)
the old tree keeps the files the old manifest lists (everything else is
retired as usual, :mod:`newsgen.publish.retire`) and is renamed to
``.public.newsgen-spare`` (:func:`keep_as_spare`). The next build takes the
spare as its staging folder (:func:`claim_spare`): folders are reused, a page
that is the same file as the live one costs one ``lstat``, a changed page is
rewritten, and pages the spare has but the new site lacks are deleted before
the exchange (:func:`drop_stale_pages`).

The spare only ever holds newsgen's own pages and its manifest; it is deleted
when newsgen has to publish in place, and may be deleted by hand at any time.
A first build of a large site (:data:`SEED_SPARE_FILES`), which has no old
tree, makes the spare from hard links to the pages it published
(:func:`seed_spare`), so the next build need not.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from newsgen.core.fsops import lock_folder, remove_tree, unlock_folder
from newsgen.core.paths import is_real_folder, valid_rel
from newsgen.errors import Diagnostic
from newsgen.publish.in_place import prune_empty_dirs
from newsgen.publish.outdir import MANIFEST, STAGING_MARK, manifest_files, outer_prefix, spare_path
from newsgen.publish.retire import retire
from newsgen.publish.staging import copy_folder_mode, fresh_name, mark, new_folder

#: A first build of at least this many files leaves a spare.
SEED_SPARE_FILES = 1000


def claim_spare(out: Path) -> tuple[Path, int, dict[str, str]] | None:
    """Take the previous build's spare as a staging folder for ``out``, if there is one:
    its new path (marked), the descriptor that holds its lock, and the pages it has
    (from its manifest)."""
    spare = spare_path(out)
    if not is_real_folder(spare):
        return None
    path = fresh_name(out.parent, outer_prefix(out))
    try:
        os.rename(spare, path)  # atomic: of two builds, only one gets it
    except OSError:
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
    return path, fd, {r: h for r, h in files.items() if valid_rel(r)}


def drop_stale_pages(staging: Path, spare_files: Mapping[str, str], current: Mapping[str, str]) -> None:
    """Remove the pages of a recycled spare that this build did not produce."""
    for rel in sorted(set(spare_files) - set(current)):
        path = staging / rel
        if os.path.lexists(path) and not is_real_folder(path):
            path.unlink()
            prune_empty_dirs(path.parent, staging)


def keep_as_spare(old: Path, out: Path, warnings: list[Diagnostic]) -> None:
    """Reduce the old tree to newsgen's own pages and keep it for the next build."""
    fd = lock_folder(old)
    if fd is None:  # pragma: no cover - another build is already retiring it
        return
    try:
        if retire(old, out, warnings, keep_own=True):
            try:
                os.rename(old, spare_path(out))
                return
            except OSError:
                pass  # a spare appeared meanwhile (another build): retire this one
        retire(old, out, warnings)
    finally:
        unlock_folder(fd)


def seed_spare(out: Path, current: Mapping[str, str]) -> None:
    """After a first publish of :data:`SEED_SPARE_FILES` files or more there is no old tree
    to recycle: make the spare from hard links to the new pages, so the next build does not
    have to recreate every folder and link every page itself (best effort: without a spare
    the next build simply makes its staging folder from scratch)."""
    spare = spare_path(out)
    if len(current) < SEED_SPARE_FILES or os.path.lexists(spare):
        return
    try:
        path, fd = new_folder(out, out.parent, outer_prefix(out))  # marked and locked
    except OSError:
        return
    try:
        made: set[str] = {""}
        base, new = str(out), str(path)
        for rel in sorted(current):
            folder = rel.rpartition("/")[0]
            if folder not in made:
                os.makedirs(f"{new}/{folder}", exist_ok=True)
                parts = folder.split("/")
                made.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
            os.link(f"{base}/{rel}", f"{new}/{rel}", follow_symlinks=False)
        os.link(f"{base}/{MANIFEST}", f"{new}/{MANIFEST}", follow_symlinks=False)
        (path / STAGING_MARK).unlink()
        os.rename(path, spare)  # fails if another build made one meanwhile: fine
    except OSError:
        remove_tree(path)
    finally:
        unlock_folder(fd)
