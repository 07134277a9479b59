"""Retiring trees that are no longer published, and what interrupted builds left.

After the atomic exchange (:mod:`newsgen.publish.swap`) the old site sits at
the staging folder's name. It is *retired* (:func:`retire`): a file is
deleted only when the old manifest lists it, or when it is the same file
(same inode) as the entry at that path in the new output, or when the new
site replaced it; anything else (a foreign file created while the build ran)
is moved back into the output folder. If something cannot be put back, the
old tree is kept and a warning names it. With ``keep_own`` the files the old
manifest lists are kept instead of deleted, which makes the old tree the
spare of the next build (:mod:`newsgen.publish.spare`).

An exception, Ctrl-C or ``kill -9`` at any moment of a publish leaves either
the previous site or the new one, never a mix. What an interrupted build left
beside or inside the output folder is cleaned up by the next build
(:func:`clean_leftovers`): a staging folder still carrying its marker file
``.newsgen-staging`` was never published and is deleted (it holds only
newsgen's pages and hard links to files still in the output folder); an
unmarked one is an old tree and is retired as above; so is the spare that
earlier versions of newsgen kept beside the output folder
(``.public.newsgen-spare``, which holds only the pages its manifest lists).
A folder locked by a running build (``flock``) is left alone. Durability across a power cut
(``fsync``) is not attempted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from newsgen.core.fsops import lock_folder, remove_tree, same_file, unlink_file, unlock_folder
from newsgen.core.paths import blocking_folder
from newsgen.errors import Diagnostic, Severity
from newsgen.publish.listings import Lister, read_folder
from newsgen.publish.outdir import INNER_PREFIX, MANIFEST, STAGING_MARK, manifest_files, outer_prefix


def _walk(root: Path, ls: Lister = read_folder) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """Like ``os.walk(root, topdown=False)`` without following links, yielding
    ``(folder, path of the folder relative to root plus "/" or "", subfolders,
    other entries)``; links to folders are among the others. ``ls`` lists one
    folder (:meth:`newsgen.publish.listings.Listings.list`). Paths are
    strings: this visits every file of the site."""
    pending: list[tuple[str, str, list[str], list[str]]] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            dirs, others = ls(folder)
        except OSError:
            continue
        pending.append((folder, prefix, dirs, others))
        if dirs:  # most folders of a site hold one story's page and nothing else
            stack.extend([(f"{folder}/{d}", f"{prefix}{d}/") for d in dirs])
    yield from reversed(pending)  # children before their parents


def retire(
    old: Path,
    out: Path,
    warnings: list[Diagnostic],
    *,
    keep_own: bool = False,
    ls: Lister = read_folder,
    published: Mapping[str, str] | None = None,
) -> bool:
    """Dispose of a tree that is no longer published (see the module docstring).

    With ``keep_own``, the files its manifest lists are kept, so that only
    newsgen's pages remain (a spare for the next build). ``ls`` lists a folder
    (:mod:`newsgen.publish.listings`). ``published`` is the manifest of ``out``
    when the caller has just written it; else it is read when needed. Returns True
    when nothing else is left in it.
    """
    old_files = manifest_files(old / MANIFEST) or {}
    new: list[Mapping[str, str]] = [published] if published is not None else []

    def new_files() -> Mapping[str, str]:
        if not new:
            new.append((manifest_files(out / MANIFEST) or {}) if out.is_dir() else {})
        return new[0]

    kept = False
    holding: set[str] = set()  # folders that keep something, with their ancestors
    out_str = str(out)
    for here, prefix, dirnames, entries in _walk(old, ls):
        others = entries
        if keep_own and entries:  # newsgen's own pages stay, and so does their folder
            others = [n for n in entries if prefix + n not in old_files and prefix + n != MANIFEST]
            if len(others) < len(entries):
                holding.add(here)
        for name in others:
            src = f"{here}/{name}"
            rel = prefix + name
            if (
                rel in old_files
                or rel in (MANIFEST, STAGING_MARK)
                or rel in new_files()
                or same_file(src, f"{out_str}/{rel}")
            ):
                unlink_file(src)
            elif not _put_back(Path(src), out, rel):
                kept = True
                holding.add(here)
        for name in dirnames:
            sub = f"{here}/{name}"
            if sub in holding:
                holding.add(here)
                continue
            try:
                os.rmdir(sub)
            except OSError:
                holding.add(here)  # not empty: it holds something kept
    if keep_own:
        return not kept
    try:
        old.rmdir()
    except OSError:
        if kept:
            warnings.append(
                Diagnostic(
                    str(old),
                    None,
                    None,
                    "files that were added to the output folder during "
                    "the build could not be put back (the new site has something else at "
                    "their paths); they are kept here",
                    Severity.WARNING,
                )
            )
    return not kept


def _put_back(src: Path, out: Path, rel: str) -> bool:
    """Move a foreign file from an old tree into ``out``; False when its place is taken."""
    folder = rel.rpartition("/")[0]
    if blocking_folder(out, folder, missing_ok=True) is not None:
        return False  # a file or a symbolic link stands where a folder is needed
    target = out / rel
    try:
        if folder:
            os.makedirs(target.parent, exist_ok=True)
        if os.path.lexists(target):
            return False
        os.rename(src, target)
    except OSError:
        return False
    return True


def clean_leftovers(out: Path) -> list[Diagnostic]:
    """Remove or retire what interrupted builds left beside and inside ``out``.

    Returns warnings. Folders locked by a running build are skipped.
    """
    warnings: list[Diagnostic] = []
    candidates: list[Path] = []
    for folder, prefix in ((out.parent, outer_prefix(out)), (out, INNER_PREFIX)):
        try:
            with os.scandir(folder) as it:
                candidates += [
                    Path(e.path) for e in it if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False)
                ]
        except OSError:
            continue
    for path in sorted(candidates):
        fd = lock_folder(path)
        if fd is None:
            continue
        try:
            if (path / STAGING_MARK).is_file():
                remove_tree(path)
            else:
                retire(path, out, warnings)
        finally:
            unlock_folder(fd)
    return warnings
