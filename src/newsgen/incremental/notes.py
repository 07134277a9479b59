"""What the build cache notes about each stored body, so that a build need not read the body to
know it: whether it shows an image (``body_images``, for the photos stage) and how many words it
has (``body_words``, for the JSON-LD ``wordCount`` and the reading time). A note is made when its
body is stored (or first read), written by the cache's next save, and dropped with its body."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class BodyNotes(Generic[T]):
    """One table of notes: body key -> what ``kind`` makes of the stored value (``bool`` for
    ``body_images``, :func:`word_count` for ``body_words``; None: no usable note), read whole
    the first time one is asked for."""

    def __init__(self, table: str, column: str, kind: Callable[[Any], T | None]):
        self.table, self.column, self.kind = table, column, kind
        self._known: dict[str, T] | None = None  # the table as read, and what this build noted
        self._new: dict[str, T] = {}  # noted by this build, not yet written

    def get(self, key: str, query: Callable[[str], list[tuple]]) -> T | None:
        """The note of body ``key``, or None; ``query`` runs a SELECT on the cache (on a
        connection of the calling process's own)."""
        if self._known is None:
            rows = query(f"SELECT key, {self.column} FROM {self.table}")
            self._known = {k: n for k, v in rows if (n := self.kind(v)) is not None}
        return self._known.get(key)

    def note(self, key: str, value: T) -> T:
        """Note ``value`` for body ``key`` (written by :meth:`write`)."""
        self._new[key] = value
        if self._known is not None:
            self._known[key] = value
        return value

    def write(self, db: sqlite3.Connection) -> None:
        """Write the notes made since the last write (in the caller's transaction)."""
        new, self._new = self._new, {}
        db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", new.items())

    def drop(self, db: sqlite3.Connection, gone: list[tuple[str]]) -> None:
        """Drop the notes of the bodies ``gone`` (each a 1-tuple of its key)."""
        db.executemany(f"DELETE FROM {self.table} WHERE key = ?", gone)

    def drop_orphans(self, db: sqlite3.Connection) -> None:
        """Drop every note whose body the cache no longer holds."""
        db.execute(f"DELETE FROM {self.table} WHERE key NOT IN (SELECT key FROM bodies)")


def word_count(stored: Any) -> int | None:
    """A stored word count as it must be (a whole number, not negative), else None (a damaged
    note: the body is counted again)."""
    return stored if type(stored) is int and stored >= 0 else None
