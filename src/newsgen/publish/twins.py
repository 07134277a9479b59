"""Which pages of the spare are the very files the output holds (hard links of them).

A kept page costs a rebuild one ``lstat`` in the staging folder, the recycled
spare (:mod:`newsgen.publish.spare`), to see whether the spare's page is the
output's file itself or an older version to replace. The build that made the
spare knows the answer already: the old tree became the spare, and each page
the new output kept was linked from it (or was it already), while each page
it wrote or copied is a file of its own. So the publish notes, beside the
spare in the cache folder, the pages of the output that are *not* such twins
(:func:`note_twins`), and the next build, claiming that spare, takes every
other page it keeps as the same file without looking, when the output's file
has a second link (:func:`read_twins`, :class:`Twins`).

The note names the spare it describes by the identity of the spare folder and
of its manifest (device, inode, and the manifest's size and time); a note of
another spare, or a damaged one, is ignored, and every page is looked at as
before. It is read once, when the spare is claimed, and removed then.
Trusting it trusts the cache folder, as the build already does for the story
bodies it keeps there. A page of the spare deleted or replaced since leaves
the output's file with one link, and is looked at; one replaced in the output
folder (a new file of the same size) gives way to newsgen's own file, whose
bytes the manifest records.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping
from pathlib import Path

from newsgen.core.fsops import replace_file, unlink_file
from newsgen.publish.outdir import MANIFEST

#: The note's name, beside the spare in the cache folder.
TWINS_NAME = "spare-twins.json"


def _identity(spare: Path) -> list[int] | None:
    """What ties a note to one spare: its folder's device and inode, its manifest's inode,
    size and modification time (each build writes a new manifest)."""
    try:
        folder, manifest = os.lstat(spare), os.lstat(spare / MANIFEST)
    except OSError:
        return None
    return [folder.st_dev, folder.st_ino, manifest.st_ino, manifest.st_size, manifest.st_mtime_ns]


def note_twins(spare: Path, others: Collection[str]) -> None:
    """Note that every page of the output but ``others`` is the same file as the spare's
    page at that path (best effort: without a note the next build looks at each)."""
    identity = _identity(spare)
    note = spare.with_name(TWINS_NAME)
    try:
        if identity is None:
            unlink_file(note)
            return
        text = json.dumps({"spare": identity, "others": sorted(others)}, ensure_ascii=False)
        replace_file(note, text.encode("utf-8"))
    except (OSError, ValueError):
        pass


def read_twins(spare: Path) -> frozenset[str] | None:
    """The pages of the output that are not twins of the spare's, by the note of the spare
    now at ``spare``; None when there is no note for it. The note is removed: call it just
    before claiming the spare."""
    note = spare.with_name(TWINS_NAME)
    try:
        data = json.loads(note.read_bytes())
    except (OSError, ValueError):
        return None
    finally:
        try:
            unlink_file(note)
        except OSError:
            pass
    if not isinstance(data, dict) or data.get("spare") != _identity(spare):
        return None
    others = data.get("others")
    if not isinstance(others, list) or not all(type(r) is str for r in others):
        return None
    return frozenset(others)


class Twins:
    """Whether the page at a path of the recycled spare is the output's own file at that path:
    the spare's manifest (``spare_files``) gives it the digest the output's has, the note does
    not name it (``others``), and the output's file has another link (the spare's: a page of
    the spare deleted or replaced since leaves the output's with one). Without a note
    nothing is known."""

    def __init__(self, others: frozenset[str] | None, spare_files: Mapping[str, str] | None):
        self.others, self.spare_files = others, spare_files

    def same(self, rel: str, digest: str, published: os.stat_result) -> bool:
        """Is the spare's ``rel`` the output's file ``rel``, of SHA-256 ``digest`` and ``lstat``
        ``published``?"""
        return (
            self.others is not None
            and self.spare_files is not None
            and published.st_nlink > 1
            and rel not in self.others
            and self.spare_files.get(rel) == digest
        )
