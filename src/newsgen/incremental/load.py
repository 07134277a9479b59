"""The load stage, incremental: an unchanged source is not read again, an
unchanged article is not loaded again, and a Markdown body is never converted
twice; what remains is loaded on every core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgen.config import Config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source
from newsgen.core.digests import digest
from newsgen.core.parallel import ordered_map
from newsgen.core.words import count_words
from newsgen.errors import ContentError, Diagnostic
from newsgen.incremental.codec import RefusedRecord, Uncacheable, article_record, read_article_record
from newsgen.incremental.counts import Progress, StageCounts
from newsgen.incremental.entries import BodyRef
from newsgen.incremental.keys import engine_key
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
