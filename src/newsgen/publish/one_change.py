"""A build that changed one file of the site is published with one rename, in place.

A body edit re-renders the story's page and the few pages that show it, and most
often only the story's page comes out different. Exchanging the whole output
folder for that (:mod:`newsgen.publish.swap`) would cost a walk of every folder
of the site, the recycling of the spare and the retirement of the old tree:
most of the write stage of a one-article edit. So a
:class:`~newsgen.publish.publication.Publication` over an output folder it could
exchange defers making its staging folder: it checks each file as it arrives as
always, and records it (:class:`Deferred`). When a second file of the site turns
out new or changed, it makes its staging folder and stages what it recorded, and
the build is published by exchange as usual.

A build that ends with at most one file of the site new, changed or removed
(:data:`MAX_CHANGES`; the notes about the build, such as the deploy manifest,
do not count) is published in place instead (``"rename"`` mode): that file and
the notes are written into a staging folder inside the output folder, then moved
into place by :func:`~newsgen.publish.in_place.move_into_place`. A reader sees
the old site or the new one, never a mix, as with the exchange: the one page
changes with one atomic rename. The manifest is first rewritten to mark the
files being moved as pending, so a build killed in between leaves no file the
next build would take as up to date. Files newsgen did not write are not touched.

The spare in the build cache (:mod:`newsgen.publish.spare`), the note of its
twins (:mod:`newsgen.publish.twins`) and the folder listings
(:mod:`newsgen.publish.listings`) are left as they are, and stay true: the
changed page is a new file in the output, with one link, so the next exchange
replaces the spare's copy of it instead of taking it as the output's own; the
folder that received it has a new modification time, so it is read again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from newsgen.payloads import FileData

#: At most this many files of the site new, changed or removed: published in place.
MAX_CHANGES = 1


@dataclass
class Deferred:
    """The files a publication took before it made its staging folder: each path with its
    data, size and, when the published file is kept as it is, that file's ``lstat``."""

    records: list[tuple[str, FileData, int, os.stat_result | None]] = field(default_factory=list)
    dirs: set[str] = field(default_factory=lambda: {""})  # the folders of their paths ("": the top)
    changes: int = 0  # files of the site among them that are new or changed

    def record(self, rel: str, data: FileData, size: int, kept: os.stat_result | None, note: bool) -> bool:
        """Take one file; returns whether this is one change too many to publish in place."""
        self.records.append((rel, data, size, kept))
        if kept is None and not note:
            self.changes += 1
            return self.changes > MAX_CHANGES
        return False

    def in_place(self, removed: int) -> bool:
        """Can the build be published in place, when ``removed`` files are to be removed?"""
        return self.changes + removed <= MAX_CHANGES
