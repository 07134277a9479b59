"""One build's output, staged in a folder of its own and then published as a whole.

:class:`Publication` does the work (:func:`~newsgen.publish.write.write_output` is the
entry point), calling on the other modules of :mod:`newsgen.publish` for each step:

1. A *staging* folder is made (:mod:`newsgen.publish.staging`) beside the
   output folder (``.public.newsgen-XXXXXXXX`` next to ``public``, on the
   same file system), or the previous build's spare is moved there from the
   build cache instead (:mod:`newsgen.publish.spare`). Over a published site, only
   at a second change: one changed file is renamed into place (:mod:`~newsgen.publish.one_change`).
2. Every page is written into it as it arrives (:meth:`Publication.add`). A
   page whose bytes did not change since the last build is hard-linked from
   the current output instead of rewritten, so it keeps its inode and its
   modification time (sync-based deploys upload only what changed). A file
   newsgen keeps elsewhere (a photo's derivative in the build cache,
   :class:`~newsgen.payloads.Linked`) is hard-linked from there when it is new
   or changed, so its bytes are never read or copied.
3. :meth:`Publication.commit` writes the new manifest and publishes: the
   staging folder and the output folder are exchanged atomically
   (:mod:`newsgen.publish.swap`), and the old tree is moved into the build
   cache as the next spare or retired (:mod:`newsgen.publish.retire`). When
   the exchange is impossible, the files are moved in one by one instead
   (:mod:`newsgen.publish.in_place`, with a warning).

After a build nothing of newsgen's is left beside the output folder: the
staging folder became the output folder, and the old tree went into the
cache or was retired. Until the commit the output folder is not touched: an
exception or Ctrl-C leaves the previous site (and removes the staging
folder); ``kill -9`` leaves the previous site and a staging folder that the
next build cleans up. Every output path is checked (:func:`~newsgen.core.paths.check_rel`)
and every folder on the way to it must be a real folder, not a symbolic link
(:mod:`newsgen.core.paths`), in the staging folder and in the output folder
alike, so nothing is read or written outside them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsgen.core.digests import sha256 as digest
from newsgen.core.fsops import remove_tree, replace_file, same_inode, unlock_folder
from newsgen.core.paths import check_rel, plain_file, valid_rel
from newsgen.errors import BuildError, Diagnostic
from newsgen.payloads import FileData, Linked, Spooled, Unchanged
from newsgen.publish.folders import FolderMaker
from newsgen.publish.in_place import in_place_warning, move_into_place
from newsgen.publish.listings import Listings, RealFolders, note_tree
from newsgen.publish.one_change import Deferred
from newsgen.publish.outdir import (
    INNER_PREFIX,
    MANIFEST,
    STAGING_MARK,
    is_ours,
    manifest_pieces,
    outer_prefix,
)
from newsgen.publish.retire import clean_leftovers
from newsgen.publish.spare import (
    adopt_old_spare,
    claim_spare,
    drop_stale_pages,
    keep_as_spare,
    listings_home,
    spare_home,
)
from newsgen.publish.staging import make_folder, mark, new_folder, place
from newsgen.publish.swap import SwapImpossible, cannot_swap, exchange_folders, link_foreign
from newsgen.publish.twins import Twins, note_twins, read_twins


@dataclass
class WriteResult:
    """What a publish did. Paths are relative to the output folder.

    ``written``: new or changed files; ``unchanged``: identical bytes, left
    (or hard-linked) with their old modification time; ``removed``: files the
    previous build wrote that this one did not; ``mode``: ``"swap"``,
    ``"in-place"``, ``"rename"`` (:mod:`newsgen.publish.one_change`) or ``"unchanged"``
    (:func:`newsgen.publish.unchanged.write_unchanged`);
    ``warnings``: problems that did not stop the build.
    """

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    mode: str = "swap"
    warnings: list[Diagnostic] = field(default_factory=list)


class Publication:
    """One build's output, staged in a folder of its own and published by :meth:`commit`.

    Use it as a context manager; leaving the block with an exception (or
    calling :meth:`abort`) leaves the output folder untouched::

        with Publication(out, previous) as pub:
            for rel, data in pages:
                pub.add(rel, data)
            result = pub.commit()

    :meth:`add` writes each file to disk at once (over a published site, from the second change
    on: :mod:`~newsgen.publish.one_change`), so callers may stream pages as they are rendered.
    ``in_place=True`` forces in-place mode. ``cache`` is the build cache folder, where the previous
    site's pages are kept for the next build (the spare, :mod:`newsgen.publish.spare`); None keeps
    no spare. ``listings`` are the output's folder listings
    (:func:`~newsgen.publish.spare.output_listings`) if the caller read some already.
    """

    def __init__(
        self,
        out: Path,
        previous: dict[str, str],
        *,
        in_place: bool = False,
        cache: Path | None = None,
        listings: Listings | None = None,
    ):
        self.out = out
        self.previous = {r: h for r, h in previous.items() if valid_rel(r)}
        self.current: dict[str, str] = {}
        self.result = WriteResult()
        self._dirs: set[str] = {""}  # folders of the site's own files, checked and present ("": the top)
        self._firsts: set[str] = set()  # first parts of paths found not reserved by newsgen
        self._real_out_dirs: set[str] = set()  # folders of `out` found real, not links
        self._spare_files: dict[str, str] | None = None  # set when a spare is recycled
        self._spare_folders: RealFolders | None = None  # which folders it has
        self._twins = Twins(None, None)  # which of its pages are the output's files (publish.twins)
        self._copied: list[str] = []  # kept pages copied, not linked: files of their own
        self._lock_fd: int | None = None
        self._maker: FolderMaker | None = None  # making the pages' folders meanwhile (publish.folders)
        self._done = False
        if not out.exists():
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BuildError(f"cannot create the output folder {out}: {exc.strerror}") from None
        self.spare = spare_home(cache, out)  # where the spare is kept, or None: no spare
        # The output's folders as earlier builds read them (kept beside the spare).
        home = listings_home(self.spare)
        self.listings = listings if listings is not None and listings.home == home else Listings(home)
        adopt_old_spare(out, self.spare)
        self.result.warnings += clean_leftovers(out)
        self.mode = "swap"
        reason = "it was asked for" if in_place else cannot_swap(out)
        if reason:
            self._in_place(reason)
        # Over a published site, the staging folder waits for a second change (publish.one_change).
        self._deferred = Deferred() if self.mode == "swap" and self.previous and out.is_dir() else None
        self.staging: Path | None = None if self._deferred is not None else self._make_staging()
        self._staging_str, self._out_str = str(self.staging) if self.staging else "", str(out)

    # -- setup

    def _in_place(self, reason: str) -> None:
        self.mode = "in-place"
        self.result.warnings.append(in_place_warning(self.out, reason))

    def _make_staging(self) -> Path:
        """Beside the output folder (swap), or inside it (in-place, rename)."""
        if self.mode == "swap":
            try:
                others = read_twins(self.spare) if self.spare is not None else None
                claimed = claim_spare(self.spare, self.out) if self.spare is not None else None
                if claimed is not None:
                    path, self._lock_fd, self._spare_files = claimed
                    self._spare_folders = RealFolders(self.listings, str(path))
                    self._twins = Twins(others, self._spare_files)
                    return path
                path, self._lock_fd = new_folder(self.out, self.out.parent, outer_prefix(self.out))
                return path
            except OSError as exc:
                self._in_place(f"no staging folder can be created beside it: {exc.strerror}")
        if self.mode == "in-place" and self.spare is not None:
            remove_tree(self.spare)  # useless in place; it holds only newsgen's own pages
        try:
            self.out.mkdir(exist_ok=True)
            path, self._lock_fd = new_folder(self.out, self.out, INNER_PREFIX)
            return path
        except OSError as exc:
            raise BuildError(f"cannot write to the output folder {self.out}: {exc.strerror}") from None

    def make_folders(self, rels: Sequence[str]) -> None:
        """Start making the folders of the output paths ``rels`` in a thread, while the caller
        renders their pages (:mod:`newsgen.publish.folders`); only in a staging folder made for
        this build alone, which nothing else writes to before :meth:`add` waits for them."""
        fresh = self.mode == "swap" and self._deferred is None and self._spare_files is None
        if fresh and self._maker is None and not self._done:
            self._maker = FolderMaker(self._staging_str, rels)

    def _folders_made(self) -> None:
        if self._maker is not None:
            self._dirs |= self._maker.finish()
            self._maker = None

    # -- staging files

    def add(self, rel: str, data: FileData, *, note: bool = False) -> str:
        """Stage one output file; returns ``"written"`` or ``"unchanged"``.

        ``data`` may be :class:`Unchanged` when the caller knows the output
        folder already holds these bytes: the file is then kept (hard-linked
        into the staging folder) without its bytes ever being read; or
        :class:`Spooled` when they wait in a file of their own, which is then
        moved into the staging folder; or :class:`Linked` when they are in a file
        newsgen keeps, which is then hard-linked into the staging folder (copied
        only when no link can be made). ``note``: a file about the build, not a
        page of the site (the deploy manifest), which does not count as a change
        of the site (:mod:`newsgen.publish.one_change`).
        """
        if self._done:
            raise BuildError("internal error: the output was already published")
        self._folders_made()
        first = rel.partition("/")[0]
        if rel in self.current or rel == MANIFEST:
            raise BuildError(f"output path {rel} is written twice or is reserved by newsgen")
        if first not in self._firsts:
            if first == STAGING_MARK or is_ours(first, self.out):
                raise BuildError(f"output path {rel} is written twice or is reserved by newsgen")
            self._firsts.add(first)
        if rel not in self.previous:  # those were checked in __init__
            check_rel(rel)
        deferred = self._deferred
        dirs = self._dirs if deferred is None else deferred.dirs
        if rel in dirs or rel.rpartition("/")[0] not in dirs:
            self._make_parents(rel, dirs, make=deferred is None)
        if isinstance(data, Unchanged):
            h, size = data.digest, data.size
            # Checked by the caller (the incremental render, while keying the page), or now.
            kept = (
                data.found
                if data.found is not None and self.previous.get(rel) == h
                else self._kept(rel, h, size)
            )
            if kept is None:
                raise BuildError(f"output file {rel} changed or disappeared during the build; build again")
        else:
            h, size = (
                (data.digest, data.size) if isinstance(data, (Spooled, Linked)) else (digest(data), len(data))
            )
            kept = self._kept(rel, h, size)
        self.current[rel] = h
        if deferred is None:
            self._stage(rel, data, size, kept)
        elif deferred.record(rel, data, size, kept, note):
            self._stage_deferred()
        (self.result.written if kept is None else self.result.unchanged).append(rel)
        return "written" if kept is None else "unchanged"

    def _stage(self, rel: str, data: FileData, size: int, kept: os.stat_result | None) -> None:
        """Place ``rel`` in the staging folder (:func:`~newsgen.publish.staging.place`); its folders
        are there. A file kept as published (``kept``, its ``lstat``) is linked from the output
        folder unless the staging folder has that very file already (or publishes in place)."""
        target = f"{self._staging_str}/{rel}"  # plain strings, not Paths: this runs once per file
        if kept is not None and (
            self.mode != "swap" or self._twins.same(rel, self.current[rel], kept) or same_inode(kept, target)
        ):
            return
        try:
            if not place(
                target,
                f"{self._out_str}/{rel}",
                data,
                kept is not None,
                recycled=self._spare_files is not None,
            ):
                self._copied.append(rel)
            if kept is not None and isinstance(data, Unchanged) and os.lstat(target).st_size != size:
                raise BuildError(f"output file {rel} changed during the build; build again")
        except OSError as exc:
            raise BuildError(f"cannot write {rel}: {exc.strerror or exc}") from None

    def _stage_deferred(self) -> None:
        """Make the staging folder now and stage the files recorded meanwhile (in ``"rename"``
        mode, only the new and changed ones: the others stay where they are)."""
        deferred, self._deferred = self._deferred, None
        assert deferred is not None
        self.staging = self._make_staging()
        self._staging_str = str(self.staging)
        for rel, data, size, kept in deferred.records:
            if kept is not None and self.mode == "rename":
                continue
            if rel in self._dirs or rel.rpartition("/")[0] not in self._dirs:
                self._make_parents(rel, self._dirs)
            self._stage(rel, data, size, kept)

    def _kept(self, rel: str, h: str, size: int) -> os.stat_result | None:
        """The ``lstat`` of the published ``rel`` when it can be kept as it is: the previous
        manifest gives it digest ``h``, and it is a regular file of ``size`` bytes really
        inside the output folder (no symbolic link on the way). Else None."""
        if self.previous.get(rel) != h:
            return None
        return plain_file(self._out_str, rel, size, self._real_out_dirs)

    def _make_parents(self, rel: str, dirs: set[str], make: bool = True) -> None:
        """Create the folders of ``rel`` in the staging folder and add them to ``dirs``; each must
        be a real folder, so the file's resolved path lies inside the staging folder (no symbolic
        link on the way). ``make=False``: only check that no file of the site stands where
        ``rel`` needs a folder, and the other way round (before there is a staging folder)."""
        if rel in dirs:
            raise BuildError(f"output path {rel} is a folder of other pages and cannot also be a file")
        missing = []  # the folders of `rel` not yet made, from the deepest up
        d = rel.rpartition("/")[0]
        while d and d not in dirs:  # a folder in `dirs` is there with all of its parents
            missing.append(d)
            d = d.rpartition("/")[0]
        for d in reversed(missing):
            if d in self.current:
                raise BuildError(f"output path {rel} needs a folder {d}, but {d} is also a file of the site")
            # A recycled spare's folders are reused (told by their parents' listings).
            if make and (self._spare_folders is None or not self._spare_folders(d)):
                try:
                    real = make_folder(f"{self._staging_str}/{d}", recycled=self._spare_files is not None)
                except OSError as exc:
                    raise BuildError(f"cannot create folder {d} in the output: {exc.strerror}") from None
                if not real:  # a symbolic link: it could lead anywhere
                    raise BuildError(f"output path {rel!r} resolves outside the output folder")
            dirs.add(d)

    # -- publishing

    def commit(self) -> WriteResult:
        """Publish the staged site; afterwards the output folder is the new site."""
        if self._done:
            raise BuildError("internal error: the output was already published")
        self._folders_made()
        self.result.removed = sorted(
            r for r in self.previous.keys() - self.current.keys() if os.path.lexists(self.out / r)
        )
        if self._deferred is not None:
            if self._deferred.in_place(len(self.result.removed)):
                self.mode = "rename"  # the one change, staged inside the output folder
            self._stage_deferred()
        assert self.staging is not None
        try:
            if self._spare_files is not None:
                drop_stale_pages(self.staging, self._spare_files, self.current)
            replace_file(self.staging / MANIFEST, manifest_pieces(self.current))
        except OSError as exc:
            raise BuildError(f"cannot write the build manifest: {exc.strerror}") from None
        if self.mode == "swap":
            try:
                self._commit_swap()
            except SwapImpossible as why:
                self._in_place(str(why))
                mark(self.staging)
        if self.mode != "swap":
            self._commit_in_place()
        self.result.mode = self.mode
        self._done = True
        return self.result

    def _commit_swap(self) -> None:
        out, staging = self.out, self.staging
        assert staging is not None
        existed = out.exists()
        self.listings.start(staging / MANIFEST)  # just written: the file system's "now"
        touched = (
            link_foreign(out, staging, self.previous, self.current, self._dirs, self.listings.list)
            if existed
            else set()
        )
        exchange_folders(staging, out, existed=existed)
        # `out` is now the new site; the staging path holds the old tree, if there was one.
        self._done = True
        unlock_folder(self._lock_fd)
        self._lock_fd = None
        if self._spare_files is None:  # this build made every folder and entry of the new output
            note_tree(self.listings, self._out_str, self._dirs, self.current, touched)
        spare = self.spare  # (a first build has no old tree: it leaves no spare, see publish.spare)
        if existed and keep_as_spare(
            staging, out, spare, self.result.warnings, self.listings.list, self.current
        ):
            assert spare is not None
            note_twins(spare, {*self.result.written, *self._copied})  # the others were linked
        self.listings.save()

    def _commit_in_place(self) -> None:
        assert self.staging is not None
        try:
            move_into_place(
                self.out, self.staging, self.previous, self.current, self.result.written, self.result.removed
            )
            self._done = True
        finally:
            unlock_folder(self._lock_fd)
            self._lock_fd = None
            remove_tree(self.staging)

    def abort(self) -> None:
        """Forget the staged files; the output folder stays as it was."""
        if self._done:
            return
        self._done = True
        if self._maker is not None:
            self._maker.stop()  # before its folders go
        unlock_folder(self._lock_fd)
        self._lock_fd = None
        if self.staging is not None and (self.staging / STAGING_MARK).exists():
            remove_tree(self.staging)

    def __enter__(self) -> Publication:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
