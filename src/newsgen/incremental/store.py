"""The incremental build cache: what a build may reuse from the previous one.

The cache is one SQLite file, ``cache.sqlite3``, in the cache folder
(``paths.cache`` in ``newsgen.yaml``, ``--cache-dir`` on the command line,
default ``.newsgen-cache/`` in the site folder). It is only ever an
optimisation: delete it at any time and the next build does everything again
and writes the same bytes. A damaged or locked cache is ignored with a
warning. Nothing in it is ever executed or unpickled: records are JSON with
a few tagged types, so a cache restored from somewhere untrusted can at worst
make a build wrong for files whose keys it guesses, never run code.

What is stored, and what each entry is keyed by: :mod:`newsgen.incremental.schema`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from itertools import compress, starmap
from operator import is_not, ne
from pathlib import Path
from typing import Any

from newsgen.errors import Diagnostic, Severity
from newsgen.incremental.codec import RefusedRecord
from newsgen.incremental.entries import PageEntry, Read, read_needle, reads_text, shared_reads
from newsgen.incremental.keys import FORMAT
from newsgen.incremental.notes import BodyNotes, word_count
from newsgen.incremental.schema import CACHE_FILE, IMAGE_NEEDLE, PLAN_META, SCHEMA, TABLES


class BuildCache:
    """The cache of one site. Reads are served from memory loaded at open;
    writes are batched and committed by :meth:`save`."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self._reader: tuple[int, sqlite3.Connection] | None = None
        self.new_bodies: dict[str, str] = {}
        self.new_articles: dict[str, tuple[str, str | None, str]] = {}  # key -> (record, body key, meta)
        self.used_bodies: set[str] = set()
        self.used_articles: set[str] = set()
        self.new_files: dict[str, tuple[str, str]] | None = None  # path -> (stat signature, digest)
        self._loaded: dict[str, Any] = {}  # tables as read by this build: unchanged ones are not rewritten
        self._stored: dict[str, set[str]] = {}  # keys of `articles` and `bodies` as read by this build
        self.images = BodyNotes("body_images", "img", bool)  # does each body show an <img
        self.words = BodyNotes("body_words", "words", word_count)  # how many words each body has
        if folder is not None:
            self._open(folder)

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def refused(self, exc: RefusedRecord) -> None:
        """Note a record that names a type the cache never stores; the caller
        treats it as a miss. The build warns once, whatever the number."""
        if self.problem is None:
            self.problem = f"{exc}; such records are ignored (was the cache written by something else?)"

    def _open(self, folder: Path) -> None:
        path = folder / CACHE_FILE
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tag = folder / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n"
                    "# newsgen's build cache: safe to delete. See https://bford.info/cachedir/\n"
                )
            db = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA page_size=16384")  # a new file's: a body (6.7 KB) in one page, not three
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            row = db.execute("SELECT v FROM meta WHERE k='format'").fetchone()
            if row is None or row[0] != str(FORMAT):
                for table in TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.executescript(SCHEMA)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (str(FORMAT),))
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self.problem = f"the build cache in {folder} cannot be used ({exc}); building without it"
            self._db = None

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self.problem = f"the build cache cannot be read ({exc}); building without it"
            self._db = None
            return []

    # articles and bodies --------------------------------------------------

    def articles(self) -> dict[str, tuple[str, str | None, str]]:
        """Every cached article: key -> (record, body key, the record's digest). Bodies stay on disk."""
        found = {
            k: (rec, bk, meta)
            for k, rec, bk, meta in self._query("SELECT key, record, body_key, meta FROM articles")
        }
        self._stored["articles"] = set(found)
        return found

    def body_keys(self) -> set[str]:
        found = {k for (k,) in self._query("SELECT key FROM bodies")}
        self._stored["bodies"] = set(found)
        return found

    def body(self, key: str) -> str | None:
        """One stored body. Uses a connection of the calling process's own, so
        forked worker processes may call it."""
        pending = self.new_bodies.get(key)
        if pending is not None:
            return pending
        rows = self._read("SELECT html FROM bodies WHERE key=?", (key,))
        return rows[0][0] if rows else None

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        """A query on a connection of the calling process's own (a forked worker must not use
        the parent's); no rows when the cache is off or cannot be read."""
        if self.folder is None or self._db is None:
            return []
        try:
            if self._reader is None or self._reader[0] != os.getpid():
                self._reader = (os.getpid(), sqlite3.connect(self.folder / CACHE_FILE, timeout=5))
            return self._reader[1].execute(sql, args).fetchall()
        except sqlite3.Error:
            return []

    def flush_bodies(self) -> None:
        """Store the bodies converted so far, so memory does not hold them all."""
        db = self._db
        if db is None or not self.new_bodies:
            return
        with self._transaction(db, "building without it"):
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", self.new_bodies.items())
            self._note_images(self.new_bodies)
            self.new_bodies = {}

    def has_image(self, key: str) -> bool | None:
        """Does body ``key`` hold :data:`IMAGE_NEEDLE`? None: not noted (read the body)."""
        pending = self.new_bodies.get(key)
        if pending is not None:
            return IMAGE_NEEDLE in pending
        return self.images.get(key, self._read)

    def note_image(self, key: str, found: bool) -> bool:
        """Note what :meth:`has_image` could not tell (stored by the next :meth:`save`)."""
        return self.images.note(key, found)

    def body_words(self, key: str) -> int | None:
        """The words of body ``key`` (:func:`~newsgen.core.words.count_words`); None: not noted.
        Forked worker processes may call it (and :meth:`has_image`)."""
        return self.words.get(key, self._read)

    def note_words(self, key: str, words: int) -> None:
        """Note the words of body ``key`` (stored by the next :meth:`save`)."""
        self.words.note(key, words)

    def _note_images(self, bodies: Mapping[str, str]) -> None:
        for key, html in bodies.items():
            self.note_image(key, IMAGE_NEEDLE in html)

    # small records -----------------------------------------------------------

    def meta(self, name: str) -> str | None:
        rows = self._query("SELECT v FROM meta WHERE k=?", (f"record:{name}",))
        return rows[0][0] if rows else None

    def set_meta(self, name: str, value: str | None) -> None:
        """Store (or, with None, forget) a small record; written at once."""
        db = self._db
        if db is None:
            return
        try:
            if value is None:
                db.execute("DELETE FROM meta WHERE k=?", (f"record:{name}",))
            else:
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"record:{name}", value))
        except sqlite3.Error as exc:
            self.problem = f"the build cache could not be saved ({exc}); the next build will redo the work"

    # source files ----------------------------------------------------------

    def files(self) -> dict[str, tuple[str, str]]:
        """Source path -> (stat signature, digest of its bytes) from the last build."""
        self._loaded["files"] = found = {
            p: (sig, d) for p, sig, d in self._query("SELECT path, sig, digest FROM files")
        }
        return found

    # related ---------------------------------------------------------------

    def related(self, url: str | None = None) -> dict[str, tuple[str, list[str]]]:
        """Story URL -> (key, the URLs of its More Stories), stored one per line: a URL that
        held a line break would come back as other URLs, found nowhere, and ranked again.
        With ``url``, that story's row alone, on the calling process's own connection (:meth:`_read`)."""
        rows = (
            self._query("SELECT url, key, urls FROM related")
            if url is None
            else self._read("SELECT url, key, urls FROM related WHERE url=?", (url,))
        )
        found = {u: (key, urls.split("\n") if urls else []) for u, key, urls in rows}
        if url is None:
            self._loaded["related"] = found
        return found

    # pages -----------------------------------------------------------------

    def pages(self, *, reads: bool = True) -> dict[str, PageEntry]:
        """Output path -> what the last build stored of that page. Without ``reads``, no page's
        reads are loaded (``deps`` None) until :meth:`load_reads` loads some."""
        pool: dict[Read, Read] = {}
        if reads:
            found = {
                p: PageEntry(k, d, s, shared_reads(map(tuple, json.loads(deps)), pool))
                for p, k, d, s, deps in self._query("SELECT path, key, digest, size, deps FROM pages")
            }
        else:
            rows = self._query("SELECT path, key, digest, size FROM pages")
            found = {p: PageEntry(k, d, s, None) for p, k, d, s in rows}
        self._loaded["pages"] = found
        return found

    def pages_reading(self, reads: Collection[Read]) -> set[str] | None:
        """The stored pages that read any of ``reads``, found by the text of each read in the
        table (:func:`~newsgen.incremental.entries.read_needle`) without loading every page's
        reads; None when the cache cannot tell (it failed: then any page may read them)."""
        found: set[str] = set()
        needles = [read_needle(r) for r in reads]
        for i in range(0, len(needles), _CHUNK):
            part = needles[i : i + _CHUNK]
            where = " OR ".join(["instr(deps, ?) > 0"] * len(part))
            found.update(p for (p,) in self._query(f"SELECT path FROM pages WHERE {where}", tuple(part)))
            if self._db is None:
                return None
        return found

    def load_reads(self, paths: Collection[str]) -> None:
        """Load the reads of the pages ``paths`` into the entries :meth:`pages` returned (a page
        whose reads cannot be loaded keeps ``deps`` None: the caller renders it)."""
        entries: dict[str, PageEntry] = self._loaded.get("pages", {})
        pool: dict[Read, Read] = {}
        ordered = sorted(paths)
        for i in range(0, len(ordered), _CHUNK):
            part = ordered[i : i + _CHUNK]
            marks = ", ".join("?" * len(part))
            for p, deps in self._query(f"SELECT path, deps FROM pages WHERE path IN ({marks})", tuple(part)):
                e = entries.get(p)
                if e is not None:
                    entries[p] = dataclasses.replace(e, deps=shared_reads(map(tuple, json.loads(deps)), pool))

    # the sameplan record -------------------------------------------------------

    def plan(self) -> dict[str, tuple[str, str]]:
        """Output path -> (own key, page key) of the last build ("" where it had none)."""
        self._loaded["plan"] = found = {
            p: (o, k) for p, o, k in self._query("SELECT path, own, key FROM plan")
        }
        return found

    def plan_reads(self) -> dict[str, str]:
        """Deep read -> its token in the last build."""
        self._loaded["plan_reads"] = found = dict(self._query("SELECT name, token FROM plan_reads"))
        return found

    # writing ---------------------------------------------------------------

    @contextmanager
    def _transaction(self, db: sqlite3.Connection, consequence: str) -> Iterator[None]:
        """One write transaction; a failure rolls it back and is noted in :attr:`problem`."""
        try:
            db.execute("BEGIN")
            yield
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self.problem = f"the build cache could not be saved ({exc}); {consequence}"

    def save(
        self,
        *,
        related: Mapping[str, tuple[str, list[str]]] | None = None,
        pages: Mapping[str, PageEntry] | None = None,
        plan: tuple[str | None, Mapping[str, tuple[str, str]], Mapping[str, str]] | None = None,
        prune: bool = True,
    ) -> None:
        """Store what this build made. With ``prune`` (a successful build),
        entries this build did not use are dropped, so the cache stays the size
        of the site; ``related`` and ``pages`` then replace their tables. ``plan``
        is the sameplan record: its ``meta`` text (None: forget it), its rows of
        ``plan`` and of ``plan_reads``; stored in the same transaction as ``pages``."""
        db = self._db
        if db is None:
            return
        new_bodies, new_articles = self.new_bodies, self.new_articles
        self.new_bodies, self.new_articles = {}, {}
        with self._transaction(db, "the next build will redo the work"):
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", new_bodies.items())
            self._note_images(new_bodies)
            self.images.write(db)
            self.words.write(db)
            db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)",
                ((k, rec, bk, meta) for k, (rec, bk, meta) in new_articles.items()),
            )
            if prune:
                # Bodies dropped take their notes along: by key when this build knows which (a
                # scan of body_images for orphans cost 0.1 s at 100,000 stories), else every orphan.
                orphans = False
                for table, used in (("bodies", self.used_bodies), ("articles", self.used_articles)):
                    stored = self._stored.get(table)
                    if stored is not None:  # read by this build: drop the keys it did not use
                        stored |= (new_bodies if table == "bodies" else new_articles).keys()
                        gone = [(k,) for k in stored - used]
                        db.executemany(f"DELETE FROM {table} WHERE key = ?", gone)
                        if table == "bodies":
                            self.images.drop(db, gone)
                            self.words.drop(db, gone)
                        stored -= {k for (k,) in gone}
                        continue
                    ((rows,),) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchall()
                    if rows == len(used):
                        continue  # every row was used (and no key is used without its row)
                    db.execute("CREATE TEMP TABLE IF NOT EXISTS keep(key TEXT PRIMARY KEY)")
                    db.execute("DELETE FROM keep")
                    db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in used))
                    db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)")
                    orphans = True
                if orphans:
                    self.images.drop_orphans(db)
                    self.words.drop_orphans(db)
            if self.new_files is not None:
                self._update(db, "files", "path", self.new_files, prune, lambda p, v: (p, *v), True)
            if related is not None:
                self._update(
                    db, "related", "url", related, True, lambda u, v: (u, v[0], "\n".join(v[1])), True
                )
            if pages is not None:
                self._update(db, "pages", "path", pages, True, _page_row)
            if plan is not None:
                text, rows, reads = plan
                if text is None:
                    db.execute("DELETE FROM meta WHERE k=?", (f"record:{PLAN_META}",))
                    rows, reads = {}, {}
                else:
                    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"record:{PLAN_META}", text))
                self._update(db, "plan", "path", rows, True, lambda p, v: (p, *v), True)
                self._update(db, "plan_reads", "name", reads, True, lambda n, t: (n, t), True)

    def _update(
        self,
        db: sqlite3.Connection,
        table: str,
        column: str,
        new: Mapping[str, Any],
        replace_all: bool,
        row: Any,
        flat: bool = False,
    ) -> None:
        """Make ``table`` hold ``new``, writing only the rows that changed since this build read it
        (all when it did not). Values are compared in C (100,000 rows a table): ``flat`` ones (str,
        tuples, lists) by ``!=``; others by identity, and those not the same object in Python."""
        old = self._loaded.get(table)
        if new is old:  # the table as this build read it (More Stories of a body edit)
            return
        if old is None:
            if replace_all:
                db.execute(f"DELETE FROM {table}")
            changed = list(new.items())
        else:
            unlike = map(ne if flat else is_not, map(old.get, new), new.values())
            changed = [(k, v) for k, v in compress(new.items(), unlike) if flat or old.get(k) != v]
            gone = sorted(old.keys() - new.keys()) if replace_all else []
            db.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(k,) for k in gone])
        if changed:
            marks = ", ".join("?" * len(row(*changed[0])))
            db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", starmap(row, changed))
        self._loaded[table] = dict(new) if replace_all else {**(old or {}), **new}

    def close(self) -> None:
        if self._reader is not None and self._reader[0] == os.getpid():
            self._reader[1].close()
        self._reader = None
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


#: Values bound in one query (SQLite allows 999 in its oldest releases still in use).
_CHUNK = 500


def _page_row(path: str, e: PageEntry) -> tuple[str, str, str, int, str]:
    if e.deps is None:  # only an entry as stored has no reads loaded, and it is never rewritten
        raise ValueError(f"internal error: the reads of page {path} were not loaded")
    return path, e.key, e.digest, e.size, reads_text(e.deps)


def warning(message: str) -> Diagnostic:
    return Diagnostic(None, None, None, message, Severity.WARNING)
