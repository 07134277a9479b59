"""Folder listings remembered between builds, so a publish reads only the folders that changed.

Publishing by exchange (:mod:`newsgen.publish.swap`) must know every entry of
the output folder, to keep what newsgen did not write (:func:`~newsgen.publish.swap.link_foreign`),
and the old tree must be gone through again to reduce it to newsgen's pages
(:func:`~newsgen.publish.retire.retire`). A site of 10,000 articles has over
16,000 folders, and reading each of them (``scandir``) twice was most of the
write stage of a one-article edit.

:class:`Listings` answers "what is in this folder?" from the record of an
earlier build when the folder's ``lstat`` (device, inode, modification and
change times) is exactly what it was when the folder was read; otherwise it
reads the folder. Creating, removing or renaming anything in a folder sets its
modification time, so a file or folder dropped into the output by hand, or a
folder moved there, is always seen. Two rules keep that true despite coarse
file system clocks, as Git's index does for "racily clean" files:

* a folder is ``lstat``-ed *before* it is read, so a change made while it is
  read leaves a record that no longer matches;
* a folder whose modification or change time is within :data:`RACY_NS` of the
  moment the publish began reading (read from the file system's own clock, the
  time of a file written just before: :meth:`Listings.start`) is not recorded
  at all: a change in the same clock tick could leave its times as they were.
  A file system whose times show sub-millisecond digits (ext4, XFS, Btrfs,
  APFS, NTFS, tmpfs) ticks at least every few milliseconds, so there the margin
  is :data:`FINE_RACY_NS` (:func:`racy_margin`); a coarse one (FAT, HFS+, ext3,
  some network file systems: whole seconds) keeps the full margin.

The records are kept in the build cache folder (:data:`LISTINGS_NAME`, with the
spare of :mod:`newsgen.publish.spare`), in a plain format that loads with one
``split`` (:data:`Record`); they hold names only and are checked when used: a
damaged record means its folder is read, a missing, damaged or foreign file
means every folder is read. Without a cache folder nothing is recorded.

Within one build a listing, once read or taken from its record, is kept in
memory with the folder's times (only when it could be recorded: the racy rule
holds here too), so the retirement's walk of the old tree, which the swap's walk
listed a moment before as the output, costs one ``lstat`` per folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

from newsgen.core.fsops import replace_file, row_pieces, unlink_file

#: The file of the records, in the cache folder.
LISTINGS_NAME = "folders.lst"

#: Where newsgen 0.x kept them, as JSON (removed when the new file is written).
_OLD_NAME = "folders.json"

#: A folder changed less than this before the publish began reading is always read again.
RACY_NS = 2_000_000_000

#: The margin on a file system whose times have sub-millisecond digits: many clock ticks.
FINE_RACY_NS = 100_000_000


def racy_margin(reference_ns: int) -> int:
    """How long before ``reference_ns`` (a time the file system just gave a file) a folder must
    have changed last to be recorded: :data:`FINE_RACY_NS` when that time has sub-millisecond
    digits (a whole number of milliseconds by chance has a chance of one in a million, and
    then costs only the full margin), else :data:`RACY_NS`."""
    return min(RACY_NS, FINE_RACY_NS) if reference_ns % 1_000_000 else RACY_NS


#: Records unused for more builds than this are dropped (the output and the spare
#: alternate, so each tree is read every second build).
KEEP_BUILDS = 3

#: The first line of the records file, before the generation of the build that wrote it.
_MAGIC = "newsgen folder listings 2"

#: A record: ``"<mtime_ns> <ctime_ns>/<number of subfolders>/<name>/<name>..."``, the subfolders
#: first, then the other entries (a name never holds ``/``). The file holds, after its first
#: line, ``<device>:<inode>``, the generation of the build that last used the record, and the
#: record, each followed by a NUL (a name never holds one either): it loads with one ``split``,
#: and a record is taken apart only when it is used.
Record = str

#: A listing: the subfolders and the other entries of a folder, each sorted by name.
Listing = tuple[list[str], list[str]]

#: What lists a folder: :meth:`Listings.list`, or :func:`read_folder`.
Lister = Callable[[str], Listing]


class Listings:
    """Listings of folders, read or remembered (see the module docstring).

    A record is taken apart once per build: the listing it gives is kept in memory with the
    folder's times, so the second walk of a publish (the retirement of the old tree, whose
    folders the swap's walk listed as the output's) costs an ``lstat`` per folder. The lists
    returned are shared: callers must not change them."""

    def __init__(self, home: Path | None):
        self.home = home  # the records file, or None: nothing is remembered
        self.generation = 0
        self._records: dict[str, Record] = {}
        self._used: dict[str, str] = {}  # key -> generation of the build that last used it
        # This build's listings that may be trusted while the folder's times stay as they were:
        # inode -> (device, modification time, change time, listing).
        self._taken: dict[int, tuple[int, int, int, Listing]] = {}
        self._reference: int | None = None
        self.read = 0  # folders read in this build (for tests and profiles)
        self.remembered = 0  # folders answered from a record of an earlier build
        self.reused = 0  # folders answered from this build's own listing of them
        if home is not None:
            self._load(home)
        self._now = str(self.generation)

    def _load(self, home: Path) -> None:
        try:
            head, _, body = os.fsdecode(home.read_bytes()).partition("\n")
            magic, _, generation = head.rpartition(" ")
            fields = body.split("\0")
            if magic != _MAGIC or not generation.isdecimal() or len(fields) % 3 != 1 or fields[-1]:
                return  # damaged, cut short or foreign: every folder is read
            keys = fields[0:-1:3]
            self._records = dict(zip(keys, fields[2::3], strict=False))
            self._used = dict(zip(keys, fields[1::3], strict=False))
            self.generation = int(generation)
        except (OSError, ValueError):
            self._records, self._used = {}, {}
        finally:
            self.generation += 1

    def start(self, reference: Path) -> None:
        """Folders read from now on may be recorded: ``reference`` is a file just written,
        whose modification time is the file system's "now"."""
        try:
            now = os.lstat(reference).st_mtime_ns
        except OSError:
            self._reference = None
        else:
            self._reference = now - racy_margin(now)  # folders changed before it may be recorded

    def list(self, folder: str) -> Listing:
        """The subfolders and the other entries (files, symbolic links) of ``folder``, each
        sorted by name; symbolic links to folders are among the others. Raises OSError
        when it cannot be read."""
        st = os.lstat(folder)
        taken = self._taken.get(st.st_ino)
        if (
            taken is not None
            and taken[1] == st.st_mtime_ns
            and taken[2] == st.st_ctime_ns
            and taken[0] == st.st_dev
            and stat.S_ISDIR(st.st_mode)
        ):
            self.reused += 1
            return taken[3]
        key = f"{st.st_dev}:{st.st_ino}"
        times = f"{st.st_mtime_ns} {st.st_ctime_ns}"
        rec = self._records.get(key)
        listed = _parse(rec, times) if rec is not None and stat.S_ISDIR(st.st_mode) else None
        if listed is not None:
            self._taken[st.st_ino] = (st.st_dev, st.st_mtime_ns, st.st_ctime_ns, listed)
            self._used[key] = self._now
            self.remembered += 1
            return listed
        with os.scandir(folder) as it:
            entries = list(it)
        self.read += 1
        dirs = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
        others = sorted(e.name for e in entries if not e.is_dir(follow_symlinks=False))
        listed = dirs, others
        ref = self._reference
        if ref is not None and stat.S_ISDIR(st.st_mode) and max(st.st_mtime_ns, st.st_ctime_ns) < ref:
            self._records[key] = _record(times, dirs, others)
            self._used[key] = self._now
            self._taken[st.st_ino] = (st.st_dev, st.st_mtime_ns, st.st_ctime_ns, listed)
        else:  # racy: read again whenever it is asked for, in this build too
            self._records.pop(key, None)
            self._taken.pop(st.st_ino, None)
        return listed

    def note(self, folder: str, listing: Listing) -> bool:
        """Remember ``listing`` as what ``folder`` holds, without reading it: the caller made
        the folder and everything in it in this build. The racy rule applies as to a folder
        read (:meth:`start` must have been called after the last change the caller made): a
        folder changed since, or too close to it, is not remembered. Returns whether it was."""
        ref = self._reference
        if ref is None:
            return False
        try:
            st = os.lstat(folder)
        except OSError:
            return False
        if not stat.S_ISDIR(st.st_mode) or max(st.st_mtime_ns, st.st_ctime_ns) >= ref:
            return False
        dirs, others = listing
        key = f"{st.st_dev}:{st.st_ino}"
        self._records[key] = _record(f"{st.st_mtime_ns} {st.st_ctime_ns}", dirs, others)
        self._used[key] = self._now
        return True

    def save(self) -> None:
        """Keep the records for the next build (best effort)."""
        if self.home is None:
            return
        try:
            replace_file(self.home, self._pieces())
            unlink_file(self.home.with_name(_OLD_NAME))
        except (OSError, ValueError):
            pass

    def _pieces(self) -> Iterator[bytes]:
        """The file's bytes, a few thousand records at a time (:func:`~newsgen.core.fsops.row_pieces`:
        at 100,000 articles the file is about 35 MB; whole, as rows, text and bytes, it would add
        140 MB to the build's peak)."""
        recent = {str(g) for g in range(max(self.generation - KEEP_BUILDS + 1, 0), self.generation + 1)}
        records = self._records
        yield os.fsencode(f"{_MAGIC} {self.generation}\n")
        rows = (f"{k}\0{g}\0{records[k]}\0" for k, g in self._used.items() if g in recent and k in records)
        yield from row_pieces(rows, encode=os.fsencode)


def _record(times: str, dirs: list[str], others: list[str]) -> Record:
    """The record of a folder whose times are ``times`` and that holds ``dirs`` and ``others``
    (see :data:`Record`; :func:`_parse` reads it)."""
    return "/".join([times, str(len(dirs)), *dirs, *others])


def _parse(rec: object, times: str) -> Listing | None:
    """The subfolders and other entries the record ``rec`` lists, when it describes a folder
    whose times are now ``times``; else None. The file may have been damaged or tampered with:
    the names must be names a folder can hold (not empty, ``.``, ``..``; the file's NULs
    separate records, so no name holds one)."""
    if type(rec) is not str:
        return None
    parts = rec.split("/")
    if len(parts) < 2 or parts[0] != times or not parts[1].isdecimal():
        return None
    names = parts[2:]
    count = int(parts[1])
    if count > len(names) or "" in names or "." in names or ".." in names:
        return None
    return names[:count], names[count:]


def note_tree(
    listings: Listings, top: str, dirs: Collection[str], files: Iterable[str], touched: Collection[str]
) -> None:
    """Remember the listing of each folder of a tree without reading it (:meth:`Listings.note`):
    the folders ``dirs`` and files ``files`` (paths relative to ``top``, ``""`` the top
    itself) are all it holds, because the caller made every one of them, except in the
    folders ``touched``, which are left to be read, as is the top. A publish that made its
    staging folder itself calls it, so the first rebuild after a first build need not read
    the whole output."""
    if listings.home is None:
        return
    names: dict[str, list[str]] = {d: [] for d in dirs}
    subdirs: dict[str, list[str]] = {d: [] for d in dirs}
    for rel in files:
        folder, _, name = rel.rpartition("/")
        names[folder].append(name)
    for d in dirs:
        if d:
            parent, _, name = d.rpartition("/")
            subdirs[parent].append(name)
    for d in dirs:
        if d and d not in touched:
            listings.note(f"{top}/{d}", (sorted(subdirs[d]), sorted(names[d])))


class RealFolders:
    """Which folders under ``root`` are real folders (not symbolic links, files, or missing),
    told by the listing of each one's parent (:meth:`Listings.list`: one ``lstat`` per parent,
    answered from its record while it is unchanged), not by an ``lstat`` of each: most folders
    of a site hold one story's page, and their parent, a day's folder, holds many. ``root``
    itself is taken as real. Call it with a ``/``-separated path relative to ``root``."""

    def __init__(self, listings: Listings, root: str):
        self._list, self._root = listings.list, root
        self._real: set[str] = {""}  # found real, with all of their parents
        self._subdirs: dict[str, frozenset[str]] = {}  # the real subfolders of each folder listed

    def __call__(self, folder: str) -> bool:
        if folder in self._real:
            return True
        parent, _, name = folder.rpartition("/")
        if not self(parent):
            return False
        subdirs = self._subdirs.get(parent)
        if subdirs is None:
            try:
                listed = self._list(f"{self._root}/{parent}" if parent else self._root)[0]
            except OSError:
                listed = []
            subdirs = self._subdirs[parent] = frozenset(listed)
        if name not in subdirs:
            return False
        self._real.add(folder)
        return True


def read_folder(folder: str) -> Listing:
    """:meth:`Listings.list` without records: read ``folder`` now."""
    return Listings(None).list(folder)
