"""The expensive build stages, parallel and incremental.

Each function does what its plain counterpart does (``loader.load_all``,
``site.build_site``'s More Stories, ``pages.render_page`` for every page)
and returns the same values in the same order, but

* reuses what the :class:`~newsgen.cache.BuildCache` holds from the previous
  build (an unchanged article is never converted again; a page whose inputs
  did not change is not rendered again), and
* spreads the remaining work over ``jobs`` processes
  (:func:`newsgen.parallel.ordered_map`).

A build with a cold cache, a warm cache, one job or many writes the same
bytes; the test suite checks it after a series of edits.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

import jinja2

from .cache import (
    BuildCache, Fingerprinter, PageEntry, Uncacheable, Unfingerprintable, article_record, config_key,
    digest, engine_key, read_article_record, templates_key,
)
from .config import Config
from .errors import BuildError, ConfigError, ContentError, Diagnostic, NewsgenError, TemplateError
from .loader import Source, load_article
from .markup import MarkdownRenderer
from .model import Article, OutputPage
from .pages import render_page
from .parallel import ordered_map
from .related import RelatedIndex, rank_related
from .render import Renderer
from .writer import Unchanged, digest as sha256

Progress = Callable[[int, int], None]
_ERRORS = {c.__name__: c for c in (NewsgenError, ConfigError, ContentError, TemplateError, BuildError)}


@dataclass
class StageCounts:
    """How much work the cache saved, for the build summary."""

    converted: int = 0  # articles loaded from their source
    reused: int = 0  # articles taken from the cache
    related_ranked: int = 0
    related_reused: int = 0
    rendered: int = 0
    skipped: int = 0  # pages not rendered: inputs and output file unchanged
    notes: list[str] = field(default_factory=list)


def _noop(done: int, total: int) -> None:
    pass


# --------------------------------------------------------------------------- load


class _CachingMarkdown:
    """Stands in for :class:`MarkdownRenderer` in ``load_article``: converts a
    body only when the cache has no HTML for exactly that text."""

    def __init__(self, config: Config, cache: BuildCache, known: set[str]):
        self.md = MarkdownRenderer(unsafe_html=config.unsafe_html)
        self.prefix = digest(engine_key(), f"unsafe_html={config.unsafe_html}")
        self.cache = cache
        self.known = known
        self.last: tuple[str, str, bool] | None = None  # (key, html, newly converted)

    def convert(self, text: str) -> str:
        key = digest(self.prefix, text)
        html = self.cache.body(key) if key in self.known else None
        fresh = html is None
        if html is None:
            html = self.md.convert(text)
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

    Returns ("ok", (record, body key, body HTML, body newly converted, article))
    where the record is the JSON the cache stores and ``article`` is only set
    when the article cannot be cached; or ("error", diagnostics).
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
    try:
        return "ok", (article_record(article, warnings, body_key), body_key, html, fresh, None)
    except Uncacheable:
        return "ok", (None, None, None, False, (article, warnings))


def _source_key(config_digest: str, source: Source, max_size: int) -> str | None:
    try:
        if source.path.stat().st_size > max_size:
            return None
        data = source.path.read_bytes()
    except OSError:
        return None
    return digest(config_digest, source.display, str(source.path), source.kind, data)


def load_articles(sources: Sequence[Source], config: Config, cache: BuildCache, jobs: int,
                  progress: Progress = _noop, counts: StageCounts | None = None,
                  known: dict[int, str] | None = None) -> tuple[list[Article], list[Diagnostic]]:
    """:func:`newsgen.loader.load_all`, reusing cached articles and loading the rest in parallel.

    ``known`` receives ``id(article) -> key`` for every article whose key (a
    digest of its file and every loader input) determines all its fields."""
    counts = counts if counts is not None else StageCounts()
    cfg_digest = config_key(config, loader_only=True)
    keys = [_source_key(cfg_digest, s, config.max_file_size) for s in sources]
    stored = cache.articles() if cache.enabled else {}
    results: list[tuple[Article, list[Diagnostic]] | None] = [None] * len(sources)
    todo: list[int] = []
    for i, key in enumerate(keys):
        hit = stored.get(key) if key is not None else None
        if hit is not None:
            record, body_key, html = hit
            try:
                results[i] = read_article_record(record, html)
            except (ValueError, TypeError, KeyError, AttributeError, LookupError):
                hit = None  # a damaged or foreign record: load the file again
        if hit is None:
            todo.append(i)
            continue
        cache.used_articles.add(key)  # type: ignore[arg-type]
        if body_key is not None:
            cache.used_bodies.add(body_key)
    del stored
    counts.reused, counts.converted = len(sources) - len(todo), len(todo)
    progress(counts.reused, len(sources))

    work = _LoadWork([sources[i] for i in todo], config, cache,
                     cache.body_keys() if cache.enabled and todo else set())
    errors: list[Diagnostic] = []
    done = counts.reused
    for i, (status, payload) in zip(todo, ordered_map(_load_one, work, len(todo), jobs, min_parallel=8)):
        done += 1
        if done % 32 == 0:
            progress(done, len(sources))
        if status == "error":
            errors.extend(payload)
            continue
        record, body_key, html, fresh, raw = payload
        if record is None:
            results[i] = raw
            continue
        results[i] = read_article_record(record, html)  # exactly what the next build will read
        key = keys[i]
        if key is not None:
            cache.new_articles[key] = (record, body_key)
            cache.used_articles.add(key)
        if body_key is not None:
            cache.used_bodies.add(body_key)
            if fresh:
                cache.new_bodies[body_key] = html
    progress(len(sources), len(sources))
    if errors:
        raise ContentError(errors)
    articles: list[Article] = []
    warnings: list[Diagnostic] = []
    for r, key in zip(results, keys):
        assert r is not None
        articles.append(r[0])
        warnings.extend(r[1])
        if known is not None and key is not None:
            known[id(r[0])] = key
    return articles, warnings


# --------------------------------------------------------------------------- More Stories


@dataclass
class _RelatedWork:
    articles: Sequence[Article]
    index: RelatedIndex
    n: int


def _rank_one(work: _RelatedWork, i: int) -> list[str]:
    return [a.url for a in rank_related(work.articles[i], work.index, work.n)]


def _meta(a: Article) -> str:
    """What ranking reads of a story; nothing else can change its More Stories."""
    return digest(a.url, repr(a.date.timestamp()), "\x00".join(a.tags), a.section or "\x00")


class RelatedCache:
    """Computes every article's More Stories for ``build_site``, reusing the
    previous build's result for each article whose ranking inputs did not change."""

    def __init__(self, cache: BuildCache, n: int, jobs: int, counts: StageCounts,
                 progress: Progress = _noop):
        self.cache, self.n, self.jobs, self.counts, self.progress = cache, n, jobs, counts, progress
        self.entries: dict[str, tuple[str, list[str]]] = {}

    def __call__(self, published: Sequence[Article], index: RelatedIndex) -> dict[str, tuple[Article, ...]]:
        by_url = {a.url: a for a in published}
        meta = {a.url: _meta(a) for a in published}
        stored = self.cache.related() if self.cache.enabled else {}
        result: dict[str, tuple[Article, ...]] = {}
        todo: list[Article] = []
        keys: dict[str, str] = {}
        for a in published:
            key = digest(str(self.n), meta[a.url], *(meta[c.url] for c in index.inputs(a, self.n)))
            keys[a.url] = key
            hit = stored.get(a.url)
            if hit is not None and hit[0] == key and all(u in by_url for u in hit[1]):
                result[a.url] = tuple(by_url[u] for u in hit[1])
                self.entries[a.url] = hit
            else:
                todo.append(a)
        self.counts.related_reused = len(published) - len(todo)
        self.counts.related_ranked = len(todo)
        work = _RelatedWork(todo, index, self.n)
        done = self.counts.related_reused
        for a, urls in zip(todo, ordered_map(_rank_one, work, len(todo), self.jobs)):
            result[a.url] = tuple(by_url[u] for u in urls)
            self.entries[a.url] = (keys[a.url], urls)
            done += 1
            if done % 256 == 0:
                self.progress(done, len(published))
        self.progress(len(published), len(published))
        return {a.url: result[a.url] for a in published}


# --------------------------------------------------------------------------- render


@dataclass
class _RenderWork:
    pages: Sequence[OutputPage]
    renderer: Renderer


def _render_one(work: _RenderWork, i: int) -> tuple[str, Any]:
    try:
        return "ok", render_page(work.pages[i], work.renderer)
    except NewsgenError as exc:
        return "error", (type(exc).__name__, exc.diagnostics)


def _renderer_key(renderer: Renderer, config: Config) -> str | None:
    """Digest of everything a template can read besides its page context, or
    None when a template global cannot be summarised (then every page renders)."""
    env = renderer.env
    folders = [Path(p) for p in getattr(env.loader, "searchpath", [])]
    defaults = jinja2.defaults.DEFAULT_NAMESPACE
    fp = Fingerprinter()
    try:
        globals_digest = fp.digest({k: v for k, v in sorted(env.globals.items())
                                    if not (k in defaults and defaults[k] is v)})
    except Unfingerprintable:
        return None
    filters = sorted(f"{k}={getattr(v, '__module__', '')}.{getattr(v, '__qualname__', type(v).__name__)}"
                     for k, v in env.filters.items())
    tests = sorted(env.tests)
    return digest(engine_key(), config_key(config, loader_only=False), templates_key(folders),
                  globals_digest, *filters, *tests)


class _Spool:
    """Rendered pages on disk until the whole site has rendered, so memory
    holds their positions, not their bytes."""

    def __init__(self, folder: Path | None):
        self.file = tempfile.TemporaryFile(dir=folder if folder and folder.is_dir() else None)
        self.index: dict[int, tuple[int, int]] = {}

    def put(self, i: int, data: bytes) -> None:
        self.index[i] = (self.file.tell(), len(data))
        self.file.write(data)

    def get(self, i: int) -> bytes:
        offset, size = self.index[i]
        self.file.seek(offset)
        data = self.file.read(size)
        return data

    def close(self) -> None:
        self.file.close()


@dataclass
class RenderPlan:
    """Which pages render and which are kept, decided before rendering."""

    pages: Sequence[OutputPage]
    keys: list[str | None]
    keep: dict[int, Unchanged]
    entries: dict[str, PageEntry] = field(default_factory=dict)


def plan_render(pages: Sequence[OutputPage], renderer: Renderer, config: Config, cache: BuildCache,
                out: Path, previous: Mapping[str, str], known: Mapping[int, str],
                counts: StageCounts) -> RenderPlan:
    """Key every page by its inputs; keep those whose key and output file match the last build."""
    base = _renderer_key(renderer, config) if cache.enabled else None
    if cache.enabled and base is None:
        counts.notes.append("a template global cannot be fingerprinted, so every page was rendered")
    stored = cache.pages() if base is not None else {}
    fp = Fingerprinter(known)
    keys: list[str | None] = []
    keep: dict[int, Unchanged] = {}
    for i, page in enumerate(pages):
        key = None
        if base is not None and page.template is not None:
            try:
                key = digest(base, page.kind, page.template, page.output_path, fp.digest(page.context))
            except Unfingerprintable:
                key = None
        keys.append(key)
        entry = stored.get(page.output_path) if key is not None else None
        if entry is not None and entry.key == key and previous.get(page.output_path) == entry.digest:
            try:
                st = os.lstat(out / page.output_path)
            except OSError:
                continue
            if st.st_size == entry.size and not os.path.islink(out / page.output_path):
                keep[i] = Unchanged(entry.digest, entry.size)
    counts.skipped = len(keep)
    return RenderPlan(pages, keys, keep)


class Rendered:
    """Every page of a :class:`RenderPlan`, rendered (or kept) and waiting in a
    spool file; iterate to get ``(output path, bytes or Unchanged)`` in order."""

    def __init__(self, plan: RenderPlan, spool: _Spool):
        self.plan, self.spool = plan, spool

    def __iter__(self) -> Iterator[tuple[str, bytes | Unchanged]]:
        for i, page in enumerate(self.plan.pages):
            kept = self.plan.keep.get(i)
            yield page.output_path, kept if kept is not None else self.spool.get(i)

    def close(self) -> None:
        self.spool.close()


def render_pages(plan: RenderPlan, renderer: Renderer, jobs: int, spool_dir: Path | None,
                 progress: Progress = _noop, counts: StageCounts | None = None) -> Rendered:
    """Render every page that is not kept, in parallel, into a spool file.

    Everything renders before anything is written, so a template error leaves
    the output folder untouched, and memory holds positions, not pages.
    """
    pages = plan.pages
    todo = [i for i in range(len(pages)) if i not in plan.keep]
    if counts is not None:
        counts.rendered = len(todo)
    for i, kept in plan.keep.items():
        plan.entries[pages[i].output_path] = PageEntry(plan.keys[i], kept.digest, kept.size)  # type: ignore[arg-type]
    work = _RenderWork([pages[i] for i in todo], renderer)
    spool = _Spool(spool_dir)
    try:
        done = len(plan.keep)
        for i, (status, payload) in zip(todo, ordered_map(_render_one, work, len(todo), jobs)):
            if status == "error":
                kind, diags = payload
                raise _ERRORS.get(kind, NewsgenError)(diags)
            spool.put(i, payload)
            key = plan.keys[i]
            if key is not None:
                plan.entries[pages[i].output_path] = PageEntry(key, sha256(payload), len(payload))
            done += 1
            if done % 64 == 0:
                progress(done, len(pages))
        progress(len(pages), len(pages))
    except BaseException:
        spool.close()
        raise
    return Rendered(plan, spool)
