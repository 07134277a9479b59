"""The folders of a first build's pages, made in its staging folder while the pages render.

A first build into an output folder stages every page in a fresh staging folder, and a news
site's pages each sit in a folder of their own (``2025/03/10/story/index.html``): 16,500
folders at 10,000 articles, a ``mkdir`` each, which the writer made one after the other once
everything had rendered (60% of its time). The output paths are known before the render, so a
:class:`FolderMaker` makes those folders in a thread of its own meanwhile (``mkdir`` waits on
the file system, not on Python), and the writer finds them there.

It makes only what the writer would make, by the same rules
(:func:`~newsgen.publish.staging.make_folder`): folders of plain relative paths, none whose
first name starts with ``.`` (newsgen's own names do), each checked to be a real folder. Output
paths that clash (one path twice, or a page where another's folder goes) make nothing: the
writer then names the clash as it always did. It stops at the first failure, leaving the rest
to the writer, which then reports what is wrong.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from newsgen.core.paths import valid_rel
from newsgen.publish.staging import make_folder


def folders_of(rels: Sequence[str]) -> list[str] | None:
    """The folders the output paths ``rels`` need, each after its parent; None when two paths
    clash (the same path twice, or a path that is also a folder of another)."""
    files = set(rels)
    if len(files) != len(rels):
        return None
    seen: set[str] = set()
    folders: list[str] = []
    for rel in rels:
        if rel.startswith(".") or not valid_rel(rel):
            continue  # the writer refuses it, or it is a name of newsgen's
        missing = []
        d = rel.rpartition("/")[0]
        while d and d not in seen:
            seen.add(d)
            missing.append(d)
            d = d.rpartition("/")[0]
        folders.extend(reversed(missing))
    return None if not files.isdisjoint(seen) else folders


class FolderMaker:
    """Makes the folders of the output paths ``rels`` (:func:`folders_of`) in a staging folder,
    in a thread of its own; :meth:`finish` waits for it and returns the folders made (relative
    paths), :meth:`stop` ends it early."""

    def __init__(self, staging: str, rels: Sequence[str]):
        self._staging, self._rels = staging, rels
        self._made: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsgen-folders", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for d in folders_of(self._rels) or ():
            if self._stop.is_set():
                return
            try:
                if not make_folder(f"{self._staging}/{d}", recycled=False):
                    return  # not a real folder: the writer says so
            except OSError:
                return  # the writer meets it again and says what is wrong
            self._made.add(d)

    def finish(self) -> set[str]:
        """Wait for the folders; returns those made, each a real folder with all its parents."""
        self._thread.join()
        return self._made

    def stop(self) -> None:
        """Make no more folders, and wait until none is being made."""
        self._stop.set()
        self._thread.join()
