"""The load stage, incremental: an unchanged source is not read again, an
unchanged article is not loaded again, and a Markdown body is never converted
twice; what remains is loaded on every core.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgen.config import Config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source, read_source
from newsgen.core.digests import digest
from newsgen.core.parallel import ordered_map
from newsgen.core.words import count_words
from newsgen.errors import ContentError, Diagnostic
from newsgen.incremental.codec import RefusedRecord, Uncacheable, article_record, read_article_record
from newsgen.incremental.counts import Progress, StageCounts
from newsgen.incremental.entries import BodyRef
from newsgen.incremental.keys import config_key, engine_key
from newsgen.incremental.store import BuildCache
from newsgen.model import Article


class _CachingMarkdown:
    """Stands in for :class:`MarkdownRenderer` in ``load_article``: converts a
    body only when the cache has no HTML for exactly that text."""

    def __init__(self, config: Config, cache: BuildCache, known: set[str]):
        self.md = MarkdownRenderer(unsafe_html=config.unsafe_html, embeds=config.embeds)
        self.prefix = digest(
            engine_key(), f"unsafe_html={config.unsafe_html}", f"embeds={','.join(config.embeds)}"
        )
        self.cache = cache
        self.known = known
        self.last: tuple[str, str, bool] | None = None  # (key, html, newly converted)

    def convert(self, text: str, members: bool = False) -> str:
        key = digest(self.prefix, text) if not members else digest(self.prefix, "members", text)
        html = self.cache.body(key) if key in self.known else None
        fresh = html is None
        if html is None:
            html = self.md.convert(text, members=members)
        self.last = (key, html, fresh)
        return html


@dataclass
class _LoadWork:
    sources: Sequence[Source]
    config: Config
    cache: BuildCache
    known_bodies: set[str]
    md: _CachingMarkdown | None = None


def _load_one(work: _LoadWork, i: int) -> tuple[str, Any]:
    """Load ``work.sources[i]``.

    Returns ("ok", (record, body key, body HTML, body newly converted, article, words))
    where the record is the JSON the cache stores, ``article`` is only set
    when the article cannot be cached, and ``words`` is the newly converted body's
    word count (counted here, on every core); or ("error", diagnostics).
    """
    if work.md is None:  # one per process: a forked worker makes its own
        work.md = _CachingMarkdown(work.config, work.cache, work.known_bodies)
    md = work.md
    md.last = None
    try:
        article, warnings = load_article(work.sources[i], work.config, md)  # type: ignore[arg-type]
    except ContentError as exc:
        return "error", exc.diagnostics
    body_key = html = None
    fresh = False
    if md.last is not None and md.last[1] == article.body_html:
        body_key, html, fresh = md.last
    words = count_words(html) if fresh and html is not None and work.cache.enabled else None
    try:
        return "ok", (article_record(article, warnings, body_key), body_key, html, fresh, None, words)
    except Uncacheable:
        return "ok", (None, None, None, False, (article, warnings), None)


#: A file changed less than this long before it was looked at may change
#: again within the same timestamp tick: its stat signature is not trusted
#: next time (its bytes are read and hashed), as git does for "racily clean" files.
RACY_NS = 2_000_000_000


def _signature(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


#: Sources that must be read and hashed before the reading is shared with worker processes
#: (a cold build's check stage read and hashed 100,000 sources in 10.8 s on one core).
MIN_PARALLEL_HASHES = 256


def _looked(part: Source, config: Config, stored: dict) -> tuple[str, int, str | None] | None:
    """``(stat signature, newest of its change times, recorded digest or None)`` of one file;
    None when it cannot be read or is too big (it is loaded, and the loader reports it)."""
    try:
        st = os.stat(str(part.path))
    except OSError:
        return None
    if st.st_size > config.max_file_size:
        return None
    sig = _signature(st)
    hit = stored.get(str(part.path))
    return sig, max(st.st_mtime_ns, st.st_ctime_ns), hit[1] if hit is not None and hit[0] == sig else None


@dataclass
class _HashWork:
    parts: Sequence[Source]
    limit: int


def _hash_one(work: _HashWork, i: int) -> str | None:
    """The digest of the bytes of ``work.parts[i]``: read bounded, never blocking on a FIFO."""
    try:
        return digest(read_source(work.parts[i], work.limit))
    except (OSError, ContentError):
        return None


def source_keys(
    sources: Sequence[Source], config: Config, cache: BuildCache, jobs: int = 1
) -> list[str | None]:
    """The cache key of each source: its bytes, path and the loader's settings
    (a live story's: those of its update files too).

    A file whose size, times, inode and device are those recorded by the
    last build is not read again: its recorded digest is used. Otherwise it
    is read and hashed, on ``jobs`` processes when there are many such files
    (a first build reads them all). None for a file that cannot be read or is
    too big (it is loaded, and the loader reports the problem). A file that
    changed less than :data:`RACY_NS` before now is not noted for next time."""
    config_digest = config_key(config, loader_only=True)
    stored = cache.files()
    now = time.time_ns()
    # every file of every source: a live story's index and each of its update files
    parts = [part for source in sources for part in (source, *source.updates)]
    looked = [_looked(part, config, stored) for part in parts]
    todo = [j for j, found in enumerate(looked) if found is not None and found[2] is None]
    work = _HashWork([parts[j] for j in todo], config.max_file_size)
    hashed = ordered_map(_hash_one, work, len(todo), jobs, min_parallel=MIN_PARALLEL_HASHES)
    for j, content in zip(todo, hashed, strict=True):
        found = looked[j]
        assert found is not None
        looked[j] = None if content is None else (found[0], found[1], content)
    seen: dict[str, tuple[str, str]] = {}
    keys: list[str | None] = []
    first = 0
    for source in sources:
        contents: list[str] = []
        for k, part in enumerate((source, *source.updates)):
            found = looked[first + k]
            if found is None:
                break
            sig, changed, content = found
            assert content is not None
            if now - changed > RACY_NS:
                seen[str(part.path)] = (sig, content)
            contents.append(content if part is source else f"{part.display}\x00{content}")
        first += 1 + len(source.updates)
        if len(contents) != 1 + len(source.updates):
            keys.append(None)
            continue
        keys.append(digest(config_digest, source.display, str(source.path), source.kind, *contents))
    cache.new_files = seen
    return keys


#: Converted bodies waiting in memory before they are stored in the cache.
FLUSH_BODIES = 256


def load_articles(
    sources: Sequence[Source],
    config: Config,
    cache: BuildCache,
    jobs: int,
    progress: Progress,
    counts: StageCounts,
    keys: Sequence[str | None],
) -> tuple[list[Article], list[Diagnostic], dict[str, str]]:
    """:func:`newsgen.content.loader.load_all`, reusing cached articles and
    loading the rest on ``jobs`` processes; ``keys`` are the sources' cache keys
    (:func:`source_keys`, or None each without a cache).

    With the cache on, a Markdown article's body stays in the cache and is
    read from it when needed (:class:`~newsgen.incremental.entries.BodyRef`).
    Also returns, for each Markdown article (by ``source``), the digest of its
    cache record: it determines every field but the body, which is stored
    apart, so the page fingerprints use it instead of digesting the article."""
    stored = cache.articles() if cache.enabled else {}
    bodies = cache.body_keys() if cache.enabled else set()
    results: list[tuple[Article, list[Diagnostic]] | None] = [None] * len(sources)
    metas: list[str | None] = [None] * len(sources)  # digest of all but a separately stored body
    todo: list[int] = []
    for i, key in enumerate(keys):
        hit = stored.get(key) if key is not None else None
        if hit is not None and (hit[1] is None or hit[1] in bodies):
            record, body_key, stored_digest = hit
            try:
                results[i] = read_article_record(
                    record, BodyRef(body_key, cache) if body_key else None, sources[i].path
                )
                metas[i] = stored_digest if type(stored_digest) is str else digest(record)
            except RefusedRecord as exc:
                cache.refused(exc)
                hit = None
            except (ValueError, TypeError, KeyError, AttributeError, LookupError):
                hit = None  # a damaged or foreign record: load the file again
        else:
            hit = None  # no record, or its body is missing
        if hit is None:
            todo.append(i)
            continue
        cache.used_articles.add(key)  # type: ignore[arg-type]
        if body_key is not None:
            cache.used_bodies.add(body_key)
    del stored
    counts.reused, counts.converted = len(sources) - len(todo), len(todo)
    progress(counts.reused, len(sources))

    work = _LoadWork([sources[i] for i in todo], config, cache, bodies if todo else set())
    errors: list[Diagnostic] = []
    done = counts.reused
    for i, (status, payload) in zip(
        todo, ordered_map(_load_one, work, len(todo), jobs, min_parallel=8), strict=False
    ):
        done += 1
        if done % 32 == 0:
            progress(done, len(sources))
        if status == "error":
            errors.extend(payload)
            continue
        record, body_key, html, fresh, raw, words = payload
        if record is None:
            results[i] = raw
            continue
        body = BodyRef(body_key, cache) if cache.enabled and body_key is not None else html
        results[i] = read_article_record(record, body, sources[i].path)  # what the next build will read
        metas[i] = record_digest = digest(record)
        key = keys[i]
        if key is not None:
            cache.new_articles[key] = (record, body_key, record_digest)
            cache.used_articles.add(key)
        if body_key is not None:
            cache.used_bodies.add(body_key)
            if fresh:
                cache.new_bodies[body_key] = html
                if words is not None:
                    cache.note_words(body_key, words)
                if len(cache.new_bodies) >= FLUSH_BODIES:
                    cache.flush_bodies()
    progress(len(sources), len(sources))
    if errors:
        raise ContentError(errors)
    articles: list[Article] = []
    warnings: list[Diagnostic] = []
    known: dict[str, str] = {}
    for r, meta in zip(results, metas, strict=True):
        assert r is not None
        articles.append(r[0])
        warnings.extend(r[1])
        if meta is not None and r[0].kind == "markdown":
            known[r[0].source] = meta
    return articles, warnings, known
