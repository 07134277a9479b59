"""The incremental build cache: what a build may reuse from the previous one.

The cache is one SQLite file, ``cache.sqlite3``, in the cache folder
(``paths.cache`` in ``newsgen.yaml``, ``--cache-dir`` on the command line,
default ``.newsgen-cache/`` in the site folder). It is only ever an
optimisation: delete it at any time and the next build does everything again
and writes the same bytes. A damaged or locked cache is ignored with a
warning. Nothing in it is ever executed or unpickled: records are JSON with
a few tagged types, so a cache restored from somewhere untrusted can at worst
make a build wrong for files whose keys it guesses, never run code.

What is stored, and what each entry is keyed by (every key also includes the
*engine key*: newsgen's version, a digest of newsgen's own source files, and
the versions of Python, Python-Markdown and Jinja):

``bodies``
    Markdown body text -> HTML. Keyed by the body text and ``unsafe_html``.
    Python-Markdown is the dominant cost of a build; a body converted once is
    never converted again, whatever else changed (config, templates, the file's
    front matter or name). A build keeps bodies here, not in memory: an
    article's ``body_html`` is a :class:`BodyRef` that reads its body when a
    page or feed shows it, so memory grows with the number of stories, not
    with their text.
``files``
    Source path -> its size, times, inode and device when last seen, and the
    digest of its bytes: a file whose stat signature is unchanged is not read
    again. A file changed in the two seconds before it was looked at is not
    recorded (its time may not show a second change in the same tick).
``articles``
    Source file -> the loaded :class:`~newsgen.model.Article` and its
    warnings. Keyed by the file's bytes and path and by every config setting
    the loader can read (see :data:`RENDER_ONLY_SETTINGS` for the ones it
    cannot; a test keeps that list honest).
``related``
    Article -> its More Stories. Keyed by the ranking inputs of that article
    only: its own date, tags and section and those of every story the ranking
    looks at (see :meth:`newsgen.site.related.RelatedIndex.inputs`; the key sums
    digests over each window, so it costs as much for 100 as for 100,000
    stories).
``pages``
    Output path -> (page key, SHA-256 and size of the bytes written). The page
    key is a digest of the templates, the config, the template globals, the
    static files' names, sizes and times (templates read picture sizes) and the
    page's whole context (see :class:`Fingerprinter`). A page whose key and
    output file are unchanged is not rendered at all. Feeds are pages too
    (made by a function instead of a template), so an unchanged feed is not
    made again either.
``meta``
    The cache format, and the build stamp of :mod:`newsgen.incremental.stamp`: when
    nothing the output depends on changed, the next build publishes the same
    files without loading or rendering anything.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import operator
import os
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from newsgen.config import Config
from newsgen.core.digests import digest
from newsgen.errors import BuildError, Diagnostic, Severity
from newsgen.model import Article, Correction, Group, LazyText

CACHE_FILE = "cache.sqlite3"
FORMAT = 4  # bump when the schema or a record layout changes

#: Config settings the loader never reads; changing them does not invalidate
#: loaded articles (Markdown bodies are reused whatever the config).
RENDER_ONLY_SETTINGS = (
    "title",
    "description",
    "base_url",
    "language",
    "per_page",
    "more_stories",
    "feed_entries",
    "extra",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bodies(key TEXT PRIMARY KEY, html TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles(key TEXT PRIMARY KEY, record TEXT NOT NULL, body_key TEXT);
CREATE TABLE IF NOT EXISTS related(url TEXT PRIMARY KEY, key TEXT NOT NULL, urls TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages(path TEXT PRIMARY KEY, key TEXT NOT NULL, digest TEXT NOT NULL,
                                 size INTEGER NOT NULL, deps TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, sig TEXT NOT NULL, digest TEXT NOT NULL);
"""
_TABLES = ("bodies", "articles", "related", "pages", "files")


# --------------------------------------------------------------------------- engine and config keys

_ENGINE: str | None = None


def engine_key() -> str:
    """Changes whenever newsgen's code or a library that shapes output changes."""
    global _ENGINE
    if _ENGINE is None:
        import jinja2
        import markdown

        from newsgen import __version__

        package = Path(__file__).parents[1]
        parts: list[bytes | str] = [
            f"format {FORMAT}",
            f"newsgen {__version__}",
            f"python {sys.version_info[:3]}",
            f"markdown {markdown.__version__}",
            f"jinja2 {jinja2.__version__}",
        ]
        for p in sorted(package.rglob("*.py")):
            parts += [p.relative_to(package).as_posix(), p.read_bytes()]
        _ENGINE = digest(*parts)
    return _ENGINE


def config_key(config: Config, *, loader_only: bool) -> str:
    """Digest of the config; ``loader_only`` leaves out :data:`RENDER_ONLY_SETTINGS`
    and the output folder, which cannot change what the loader makes of a file."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(config):
        if loader_only and f.name in RENDER_ONLY_SETTINGS:
            continue
        v = getattr(config, f.name)
        if f.name == "paths" and loader_only:
            v = dataclasses.replace(v, output=Path("/"))
        values[f.name] = v
    return digest(engine_key(), Fingerprinter().digest(values))


def templates_key(folders: Iterable[Path]) -> str:
    """Digest of every file under the template folders (names and bytes)."""
    parts: list[bytes | str] = []
    for i, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                p = Path(dirpath) / name
                parts += [f"{i}:{p.relative_to(folder).as_posix()}", p.read_bytes()]
    return digest(*parts)


# --------------------------------------------------------------------------- records


class Uncacheable(TypeError):
    """A value has a type the cache cannot store faithfully."""


class RefusedRecord(ValueError):
    """A cache record names a type the cache never stores: it was written by
    something other than newsgen, and is treated as a miss."""


#: Every newsgen type a cache record may hold, by the name records give it.
#: Decoding looks names up here and nowhere else: a record cannot make the
#: cache import a module or call anything but these constructors.
STORED_TYPES: Mapping[str, type] = MappingProxyType(
    {
        "Diagnostic": Diagnostic,
        "Severity": Severity,
        "Correction": Correction,
    }
)
_STORED_NAMES = {t: name for name, t in STORED_TYPES.items()}


def encode(v: Any) -> Any:
    """A JSON-ready form of ``v`` that :func:`decode` turns back into an equal
    value of the same type. Plain JSON types pass through; containers and the
    types below are wrapped in a one-key object naming their type."""
    t = type(v)
    if v is None or t is bool or t is str or t is int:
        return v
    if t is float:
        return v if not math.isnan(v) and v not in (float("inf"), float("-inf")) else {"f": repr(v)}
    if t is list:
        return {"l": [encode(x) for x in v]}
    if t is tuple:
        return {"t": [encode(x) for x in v]}
    if t is dict or t is MappingProxyType:
        return {"d" if t is dict else "m": [[encode(k), encode(x)] for k, x in v.items()]}
    if t is set or t is frozenset:
        items = sorted((encode(x) for x in v), key=lambda e: json.dumps(e, sort_keys=True))
        return {"s" if t is set else "fs": items}
    if t is bytes:
        return {"b": v.hex()}
    if t is datetime:
        return {"dt": [v.replace(tzinfo=None).isoformat(), v.fold, _encode_tz(v.tzinfo)]}
    if t is date:
        return {"da": v.isoformat()}
    if t is time and v.tzinfo is None:
        return {"ti": v.isoformat()}
    if isinstance(v, PurePath):
        return {"p": str(v)}
    name = _STORED_NAMES.get(t)
    if name is not None and isinstance(v, enum.Enum):
        return {"e": [name, encode(v.value)]}
    if name is not None:
        fields = {f.name: encode(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init}
        return {"dc": [name, fields]}
    raise Uncacheable(f"cannot cache a value of type {t.__module__}.{t.__qualname__}")


def _encode_tz(tz: Any) -> Any:
    if tz is None:
        return None
    if isinstance(tz, ZoneInfo):
        return {"z": tz.key}
    if type(tz) is timezone and tz.tzname(None) == _offset_name(tz.utcoffset(None)):
        return {"o": tz.utcoffset(None).total_seconds()}
    raise Uncacheable(f"cannot cache time zone {tz!r}")


def _offset_name(off: timedelta) -> str:
    return timezone(off).tzname(None)


def _stored_type(name: Any, kind: str) -> Any:
    """The allowed type a record names (see :data:`STORED_TYPES`)."""
    cls = STORED_TYPES.get(name) if type(name) is str else None
    if cls is None or (kind == "e") != issubclass(cls, enum.Enum):
        raise RefusedRecord(f"a cache record names {str(name)[:80]!r}, which the cache never stores")
    return cls


def decode(e: Any) -> Any:
    """The inverse of :func:`encode`."""
    if not isinstance(e, dict):
        return e
    ((tag, v),) = e.items()
    if tag == "l":
        return [decode(x) if type(x) is dict else x for x in v]
    if tag == "t":
        return tuple([decode(x) if type(x) is dict else x for x in v])
    if tag == "d":
        return {decode(k) if type(k) is dict else k: decode(x) if type(x) is dict else x for k, x in v}
    if tag == "m":
        return MappingProxyType(
            {decode(k) if type(k) is dict else k: decode(x) if type(x) is dict else x for k, x in v}
        )
    if tag == "s":
        return {decode(x) for x in v}
    if tag == "fs":
        return frozenset(decode(x) for x in v)
    if tag == "f":
        return float(v)
    if tag == "b":
        return bytes.fromhex(v)
    if tag == "dt":
        naive, fold, tz = v
        d = datetime.fromisoformat(naive).replace(fold=fold)
        if tz is None:
            return d
        if "z" in tz:
            return d.replace(tzinfo=ZoneInfo(tz["z"]))
        return d.replace(tzinfo=timezone(timedelta(seconds=tz["o"])))
    if tag == "da":
        return date.fromisoformat(v)
    if tag == "ti":
        return time.fromisoformat(v)
    if tag == "p":
        return Path(v)
    if tag == "e":
        return _stored_type(v[0], tag)(decode(v[1]))
    if tag == "dc":
        return _stored_type(v[0], tag)(**{k: decode(x) for k, x in v[1].items()})
    raise ValueError(f"unknown tag {tag!r} in a cache record")


_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_BODY_AT = _ARTICLE_FIELDS.index("body_html")


def article_record(article: Article, warnings: list[Diagnostic], body_key: str | None = None) -> str:
    """An article and its warnings as JSON text: the fields in their declared
    order (the engine key changes with newsgen's code, so the order cannot
    differ between writer and reader). With ``body_key`` the body HTML is left
    out: it is stored once, in ``bodies``, under that key."""
    values = [
        None if name == "body_html" and body_key is not None else encode(getattr(article, name))
        for name in _ARTICLE_FIELDS
    ]
    return json.dumps({"a": values, "w": encode(list(warnings))}, ensure_ascii=False)


_SOURCE_PATH_AT = _ARTICLE_FIELDS.index("source_path")


def read_article_record(
    record: str, body_html: str | LazyText | None = None, source_path: Path | None = None
) -> tuple[Article, list[Diagnostic]]:
    """The inverse of :func:`article_record`; ``body_html`` is the body stored
    apart (its HTML, or a :class:`BodyRef` that loads it when read).
    ``source_path``, when it is the one recorded, is used as it is."""
    data = json.loads(record)
    encoded = data["a"]
    if source_path is not None and encoded[_SOURCE_PATH_AT] == {"p": str(source_path)}:
        encoded[_SOURCE_PATH_AT] = None
    else:
        source_path = None
    values = [decode(e) if type(e) is dict else e for e in encoded]
    if source_path is not None:
        values[_SOURCE_PATH_AT] = source_path
    if len(values) != len(_ARTICLE_FIELDS):
        raise ValueError("article record of another layout")
    if values[_BODY_AT] is None:
        if body_html is None:
            raise ValueError("article record without its body")
        values[_BODY_AT] = body_html
    return Article(*values), decode(data["w"])


class BodyRef:
    """A Markdown body kept in the cache: loaded from it each time it is read,
    so a build holds no more than a page's worth of story HTML at a time
    (see :class:`newsgen.model.DeepField`)."""

    __slots__ = ("cache", "key")

    def __init__(self, key: str, cache: BuildCache):
        self.key, self.cache = key, cache

    def text(self) -> str:
        html = self.cache.body(self.key)
        if html is None:
            raise BuildError(
                f"the build cache lost a story body ({self.key}); build again, or with --no-cache"
            )
        return html

    def __repr__(self) -> str:
        return f"BodyRef({self.key!r})"


# --------------------------------------------------------------------------- page fingerprints


class Unfingerprintable(TypeError):
    """A template input whose content cannot be summarised; the page is always rendered."""


#: Fields a page key leaves out unless the page's templates read them
#: (recorded while rendering, see ``newsgen.incremental.stages``): a story's body,
#: and the story list of a section, tag, author or archive. So fixing a typo
#: in one body does not re-render every page whose navigation names its
#: section, and a new story re-renders only the pages that list its groups.
DEEP_FIELDS = {Article: "body_html", Group: "articles"}


def deep_field(obj: Any) -> str | None:
    if isinstance(obj, Article):
        return "body_html"
    if isinstance(obj, Group):
        return "articles"
    return None


#: Values digested by their ``repr``, which names their type and is unambiguous.
_BY_REPR = frozenset({str, int, float, bool, type(None), datetime, date, time, timedelta, bytes})


class Fingerprinter:
    """Digests of template inputs. Dataclasses are digested once per build
    (memoised by identity), so a page listing twenty stories costs twenty
    look-ups. Articles and groups are digested without their deep field
    (:data:`DEEP_FIELDS`); :meth:`deep` digests that field.

    A value is digested as a text that spells it unambiguously: ``repr`` for
    plain values (so ``'1'``, ``1`` and ``Markup('1')`` differ), brackets
    around containers, ``@`` and a digest for a dataclass."""

    def __init__(self, known: Mapping[int, str] | None = None):
        self._memo: dict[int, str] = {k: "@" + v for k, v in (known or {}).items()}
        self._keep: list[Any] = []  # keeps memoised objects alive so ids stay unique
        self._fields: dict[type, Any] = {}  # dataclass -> how to spell its fields

    def article(self, a: Article, key: str) -> None:
        """Use ``key`` (which determines every field of ``a``) as its digest."""
        self._memo[id(a)] = "@" + key
        self._keep.append(a)

    def digest(self, value: Any) -> str:
        return digest(self._text(value))

    def deep(self, obj: Any) -> str:
        """Digest of the deep field of an article or group. A body kept in
        the cache is digested by its key, without loading it."""
        name = deep_field(obj)
        if name is None:
            return self.digest(obj)
        value = obj.__dict__[name]
        if not isinstance(value, (str, tuple)):
            return digest("lazy", value.key)
        return self.digest(value)

    def _text(self, v: Any) -> str:
        t = type(v)
        if t in _BY_REPR:
            return repr(v)
        memo = self._memo.get(id(v))
        if memo is not None:
            return memo
        if t is tuple or t is list or (isinstance(v, (list, tuple)) and not isinstance(v, str)):
            by_repr, memo_get, text = _BY_REPR, self._memo.get, self._text
            return (
                t.__name__
                + "["
                + ",".join([repr(x) if type(x) in by_repr else (memo_get(id(x)) or text(x)) for x in v])
                + "]"
            )
        if isinstance(v, str):  # Markup and other str types: repr names the type
            return f"{t.__name__}({v!r})"
        if isinstance(v, Mapping):  # insertion order is part of what a template sees
            by_repr, memo_get, text = _BY_REPR, self._memo.get, self._text
            return (
                t.__name__
                + "{"
                + ",".join(
                    [
                        (repr(k) if type(k) in by_repr else text(k))
                        + ":"
                        + (repr(x) if type(x) in by_repr else (memo_get(id(x)) or text(x)))
                        for k, x in v.items()
                    ]
                )
                + "}"
            )
        if isinstance(v, (set, frozenset)):
            return "set{" + ",".join(sorted(self._text(x) for x in v)) + "}"
        shape = self._fields.get(t)
        if shape is None and dataclasses.is_dataclass(v) and not isinstance(v, type):
            skip = deep_field(v)
            names = tuple(f.name for f in dataclasses.fields(v) if f.name != skip)
            shape = self._fields[t] = (
                f"{t.__module__}.{t.__qualname__}(",
                tuple(n + "=" for n in names),
                operator.attrgetter(*names) if names else None,
                len(names),
            )
        if shape is not None:
            by_repr, memo_get, to_text = _BY_REPR, self._memo.get, self._text
            prefix, labels, get, count = shape
            values = get(v) if count > 1 else (get(v),) if count else ()
            text = (
                prefix
                + ",".join(
                    [
                        n + (repr(x) if type(x) in by_repr else (memo_get(id(x)) or to_text(x)))
                        for n, x in zip(labels, values, strict=False)
                    ]
                )
                + ")"
            )
            memo = "@" + digest(text) if len(text) > 200 else text  # short: spelt out, not hashed
            self._memo[id(v)] = memo
            self._keep.append(v)
            return memo
        if isinstance(v, (datetime, date, time, PurePath, enum.Enum, ZoneInfo)):
            return repr(v)
        raise Unfingerprintable(f"{t.__module__}.{t.__qualname__}")


# --------------------------------------------------------------------------- storage


@dataclasses.dataclass(frozen=True)
class PageEntry:
    """What the cache remembers about one output file."""

    key: str
    digest: str
    size: int
    deps: tuple[tuple[str, str], ...] = ()  # deep reads: ("article", url) / ("Tag", url) ...


class BuildCache:
    """The cache of one site. Reads are served from memory loaded at open;
    writes are batched and committed by :meth:`save`."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self._reader: tuple[int, sqlite3.Connection] | None = None
        self.new_bodies: dict[str, str] = {}
        self.new_articles: dict[str, tuple[str, str | None]] = {}
        self.used_bodies: set[str] = set()
        self.used_articles: set[str] = set()
        self.new_files: dict[str, tuple[str, str]] | None = None  # path -> (stat signature, digest)
        self._loaded: dict[str, Any] = {}  # tables as read by this build: unchanged ones are not rewritten
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
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            row = db.execute("SELECT v FROM meta WHERE k='format'").fetchone()
            if row is None or row[0] != str(FORMAT):
                for table in _TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.executescript(_SCHEMA)
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

    def articles(self) -> dict[str, tuple[str, str | None]]:
        """Every cached article: key -> (record, body key). Bodies stay on disk."""
        return {k: (rec, bk) for k, rec, bk in self._query("SELECT key, record, body_key FROM articles")}

    def body_keys(self) -> set[str]:
        return {k for (k,) in self._query("SELECT key FROM bodies")}

    def body(self, key: str) -> str | None:
        """One stored body. Uses a connection of the calling process's own, so
        forked worker processes may call it."""
        pending = self.new_bodies.get(key)
        if pending is not None:
            return pending
        if self.folder is None or self._db is None:
            return None
        try:
            if self._reader is None or self._reader[0] != os.getpid():
                self._reader = (os.getpid(), sqlite3.connect(self.folder / CACHE_FILE, timeout=5))
            row = self._reader[1].execute("SELECT html FROM bodies WHERE key=?", (key,)).fetchone()
            return row[0] if row else None
        except sqlite3.Error:
            return None

    def flush_bodies(self) -> None:
        """Store the bodies converted so far, so memory does not hold them all."""
        db = self._db
        if db is None or not self.new_bodies:
            return
        try:
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", self.new_bodies.items())
            db.execute("COMMIT")
            self.new_bodies = {}
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self.problem = f"the build cache could not be saved ({exc}); building without it"

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

    def related(self) -> dict[str, tuple[str, list[str]]]:
        self._loaded["related"] = found = {
            url: (key, json.loads(urls))
            for url, key, urls in self._query("SELECT url, key, urls FROM related")
        }
        return found

    # pages -----------------------------------------------------------------

    def pages(self) -> dict[str, PageEntry]:
        self._loaded["pages"] = found = {
            p: PageEntry(k, d, s, tuple(tuple(x) for x in json.loads(deps)))
            for p, k, d, s, deps in self._query("SELECT path, key, digest, size, deps FROM pages")
        }
        return found

    # writing ---------------------------------------------------------------

    def save(
        self,
        *,
        related: Mapping[str, tuple[str, list[str]]] | None = None,
        pages: Mapping[str, PageEntry] | None = None,
        prune: bool = True,
    ) -> None:
        """Store what this build made. With ``prune`` (a successful build),
        entries this build did not use are dropped, so the cache stays the size
        of the site; ``related`` and ``pages`` then replace their tables."""
        db = self._db
        if db is None:
            return
        new_bodies, new_articles = self.new_bodies, self.new_articles
        self.new_bodies, self.new_articles = {}, {}
        try:
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", new_bodies.items())
            db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?)",
                ((k, rec, bk) for k, (rec, bk) in new_articles.items()),
            )
            if prune:
                for table, used in (("bodies", self.used_bodies), ("articles", self.used_articles)):
                    ((rows,),) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchall()
                    if rows == len(used):
                        continue  # every row was used (and no key is used without its row)
                    db.execute("CREATE TEMP TABLE IF NOT EXISTS keep(key TEXT PRIMARY KEY)")
                    db.execute("DELETE FROM keep")
                    db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in used))
                    db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)")
            if self.new_files is not None:
                self._update(db, "files", "path", self.new_files, prune, lambda p, v: (p, v[0], v[1]))
            if related is not None:
                self._update(db, "related", "url", related, True, lambda u, v: (u, v[0], json.dumps(v[1])))
            if pages is not None:
                self._update(
                    db,
                    "pages",
                    "path",
                    pages,
                    True,
                    lambda p, e: (p, e.key, e.digest, e.size, json.dumps(e.deps)),
                )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self.problem = f"the build cache could not be saved ({exc}); the next build will redo the work"

    def _update(
        self,
        db: sqlite3.Connection,
        table: str,
        column: str,
        new: Mapping[str, Any],
        replace_all: bool,
        row: Any,
    ) -> None:
        """Make ``table`` hold ``new``, writing only the rows that changed since
        this build read it (all of them when it did not read it)."""
        old = self._loaded.get(table)
        if old is None:
            if replace_all:
                db.execute(f"DELETE FROM {table}")
            changed = list(new.items())
        else:
            changed = [(k, v) for k, v in new.items() if old.get(k) != v]
            if replace_all:
                gone = [(k,) for k in old if k not in new]
                db.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)
        if changed:
            marks = ", ".join("?" * len(row(*changed[0])))
            db.executemany(
                f"INSERT OR REPLACE INTO {table} VALUES ({marks})", (row(k, v) for k, v in changed)
            )
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


def warning(message: str) -> Diagnostic:
    return Diagnostic(None, None, None, message, Severity.WARNING)
