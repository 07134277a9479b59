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

The records are kept in the build cache folder (:data:`LISTINGS_NAME`, with the
spare of :mod:`newsgen.publish.spare`); they hold names only and are checked on
reading: a missing, damaged or foreign file just means every folder is read.
Without a cache folder nothing is recorded.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from newsgen.core.fsops import replace_file

#: The file of the records, in the cache folder.
LISTINGS_NAME = "folders.json"

#: A folder changed less than this before the publish began reading is always read again.
RACY_NS = 2_000_000_000

#: Records unused for more builds than this are dropped (the output and the spare
#: alternate, so each tree is read every second build).
KEEP_BUILDS = 3

_VERSION = 1

#: A record: ``"<generation> <mtime_ns> <ctime_ns>/<number of subfolders>/<name>/<name>..."``,
#: the subfolders first, then the other entries (a name never holds ``/``). Strings, so that the
#: file loads fast and a record is taken apart only when it is used.
Record = str


class Listings:
    """Listings of folders, read or remembered (see the module docstring)."""

    def __init__(self, home: Path | None):
        self.home = home  # the records file, or None: nothing is remembered
        self.generation = 0
        self._records: dict[str, Record] = {}
        self._reference: int | None = None
        self.read = 0  # folders read in this build (for tests and profiles)
        self.remembered = 0  # folders answered from a record
        if home is not None:
            self._load(home)

    def _load(self, home: Path) -> None:
        try:
            data = json.loads(home.read_bytes())
            if data.get("version") != _VERSION:
                return
            generation = data["generation"]
            records = data["folders"]
            if not isinstance(generation, int) or not isinstance(records, dict):
                return
            self._records = records  # each record is checked when it is used (:meth:`list`)
            self.generation = generation
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self._records = {}
        self.generation += 1

    def start(self, reference: Path) -> None:
        """Folders read from now on may be recorded: ``reference`` is a file just written,
        whose modification time is the file system's "now"."""
        try:
            self._reference = os.lstat(reference).st_mtime_ns
        except OSError:
            self._reference = None

    def list(self, folder: str) -> tuple[list[str], list[str]]:
        """The subfolders and the other entries (files, symbolic links) of ``folder``, each
        sorted by name; symbolic links to folders are among the others. Raises OSError
        when it cannot be read."""
        st = os.lstat(folder)
        key = f"{st.st_dev}:{st.st_ino}"
        rec = self._records.get(key)
        listed = _parse(rec, st) if rec is not None else None
        if listed is not None:
            assert rec is not None
            self._records[key] = f"{self.generation}{rec[rec.index(' ') :]}"
            self.remembered += 1
            return listed
        with os.scandir(folder) as it:
            entries = list(it)
        self.read += 1
        dirs = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
        others = sorted(e.name for e in entries if not e.is_dir(follow_symlinks=False))
        ref = self._reference
        if ref is not None and _is_dir(st) and max(st.st_mtime_ns, st.st_ctime_ns) < ref - RACY_NS:
            head = f"{self.generation} {st.st_mtime_ns} {st.st_ctime_ns}"
            self._records[key] = "/".join([head, str(len(dirs)), *dirs, *others])
        else:
            self._records.pop(key, None)
        return dirs, others

    def save(self) -> None:
        """Keep the records for the next build (best effort)."""
        if self.home is None:
            return
        keep = self.generation - KEEP_BUILDS
        folders = {k: r for k, r in self._records.items() if _recent(r, keep)}
        data = {"version": _VERSION, "generation": self.generation, "folders": folders}
        try:
            replace_file(self.home, json.dumps(data, separators=(",", ":")).encode())
        except OSError:
            pass


def _is_dir(st: os.stat_result) -> bool:
    return stat.S_ISDIR(st.st_mode)


def _recent(rec: object, keep: int) -> bool:
    """Was the record ``rec`` used after generation ``keep``?"""
    if type(rec) is not str:
        return False
    generation = rec.partition(" ")[0]
    return generation.isdigit() and int(generation) > keep


def _parse(rec: object, st: os.stat_result) -> tuple[list[str], list[str]] | None:
    """The subfolders and other entries the record ``rec`` lists, when it describes the folder
    whose ``lstat`` is ``st`` as it is now; else None. The file may have been damaged or tampered
    with: the names must be names a folder can hold (not empty, ``.``, ``..``, no NUL)."""
    if type(rec) is not str or not _is_dir(st):
        return None
    parts = rec.split("/")
    times = parts[0].split(" ")
    if len(parts) < 2 or len(times) != 3 or times[1:] != [str(st.st_mtime_ns), str(st.st_ctime_ns)]:
        return None
    names = parts[2:]
    if not parts[1].isdigit() or int(parts[1]) > len(names):
        return None
    for n in names:
        if not n or "\0" in n or n in _DOTS:
            return None
    count = int(parts[1])
    return names[:count], names[count:]


_DOTS = frozenset({".", ".."})


def read_folder(folder: str) -> tuple[list[str], list[str]]:
    """:meth:`Listings.list` without records: read ``folder`` now."""
    return Listings(None).list(folder)
