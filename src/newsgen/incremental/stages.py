"""The expensive build stages, parallel and incremental.

Each function does what its plain counterpart does (``loader.load_all``,
``site.build_site``'s More Stories, ``pages.render_page`` for every page)
and returns the same values in the same order, but

* reuses what the :class:`~newsgen.incremental.store.BuildCache` holds from the previous
  build (an unchanged article is never converted again; a page whose inputs
  did not change is not rendered again), and
* spreads the remaining work over ``jobs`` processes
  (:func:`newsgen.core.parallel.ordered_map`).

A build with a cold cache, a warm cache, one job or many writes the same
bytes; the test suite checks it after a series of edits.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from newsgen.config import Config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source, read_source
from newsgen.core.digests import digest, sha256
from newsgen.core.parallel import ordered_map
from newsgen.errors import BuildError, ConfigError, ContentError, Diagnostic, NewsgenError, TemplateError
from newsgen.incremental.store import (
    BodyRef,
    BuildCache,
    Fingerprinter,
    PageEntry,
    RefusedRecord,
    Uncacheable,
    Unfingerprintable,
    article_record,
    config_key,
    engine_key,
    read_article_record,
    templates_key,
)
from newsgen.model import Article, Group, OutputPage, Site, Spooled, Unchanged, deep_ident, note_deep_reads
from newsgen.site.related import RelatedIndex, rank_related
from newsgen.theme.render import Renderer, render_page

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


#: A file changed less than this long before it was looked at may change
#: again within the same timestamp tick: its stat signature is not trusted
#: next time (its bytes are read and hashed), as git does for "racily clean" files.
RACY_NS = 2_000_000_000


def _signature(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def source_keys(sources: Sequence[Source], config: Config, cache: BuildCache) -> list[str | None]:
    """The cache key of each source: its bytes, path and the loader's settings.

    A file whose size, times, inode and device are those recorded by the
    last build is not read again: its recorded digest is used. Otherwise it
    is read and hashed. None for a file that cannot be read or is too big
    (it is loaded, and the loader reports the problem)."""
    config_digest = config_key(config, loader_only=True)
    stored = cache.files()
    seen: dict[str, tuple[str, str]] = {}
    now = time.time_ns()
    keys: list[str | None] = []
    for source in sources:
        path = str(source.path)
        try:
            st = os.stat(path)
            if st.st_size > config.max_file_size:
                keys.append(None)
                continue
            sig = _signature(st)
            hit = stored.get(path)
            # bounded, and never blocks on a FIFO; the loader reports any problem
            content = (
                hit[1]
                if hit is not None and hit[0] == sig
                else digest(read_source(source, config.max_file_size))
            )
        except (OSError, ContentError):
            keys.append(None)
            continue
        if now - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            seen[path] = (sig, content)
        keys.append(digest(config_digest, source.display, path, source.kind, content))
    cache.new_files = seen
    return keys


#: Converted bodies waiting in memory before they are stored in the cache.
FLUSH_BODIES = 256


def load_articles(
    sources: Sequence[Source],
    config: Config,
    cache: BuildCache,
    jobs: int,
    progress: Progress = _noop,
    counts: StageCounts | None = None,
    known: dict[int, str] | None = None,
    keys: Sequence[str | None] | None = None,
) -> tuple[list[Article], list[Diagnostic]]:
    """:func:`newsgen.content.loader.load_all`, reusing cached articles and loading the rest in parallel.

    With the cache on, a Markdown article's body stays in the cache and is
    read from it when needed (:class:`~newsgen.incremental.store.BodyRef`). ``known``
    receives ``id(article) -> digest`` of every field but ``body_html`` for
    each Markdown article (its cache record, whose body is stored apart)."""
    counts = counts if counts is not None else StageCounts()
    if keys is None:
        keys = source_keys(sources, config, cache) if cache.enabled else [None] * len(sources)
    stored = cache.articles() if cache.enabled else {}
    bodies = cache.body_keys() if cache.enabled else set()
    results: list[tuple[Article, list[Diagnostic]] | None] = [None] * len(sources)
    metas: list[str | None] = [None] * len(sources)  # digest of all but a separately stored body
    todo: list[int] = []
    for i, key in enumerate(keys):
        hit = stored.get(key) if key is not None else None
        if hit is not None and (hit[1] is None or hit[1] in bodies):
            record, body_key = hit
            try:
                results[i] = read_article_record(
                    record, BodyRef(body_key, cache) if body_key else None, sources[i].path
                )
                metas[i] = digest(record)
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
        record, body_key, html, fresh, raw = payload
        if record is None:
            results[i] = raw
            continue
        body = BodyRef(body_key, cache) if cache.enabled and body_key is not None else html
        results[i] = read_article_record(record, body, sources[i].path)  # what the next build will read
        metas[i] = digest(record)
        key = keys[i]
        if key is not None:
            cache.new_articles[key] = (record, body_key)
            cache.used_articles.add(key)
        if body_key is not None:
            cache.used_bodies.add(body_key)
            if fresh:
                cache.new_bodies[body_key] = html
                if len(cache.new_bodies) >= FLUSH_BODIES:
                    cache.flush_bodies()
    progress(len(sources), len(sources))
    if errors:
        raise ContentError(errors)
    articles: list[Article] = []
    warnings: list[Diagnostic] = []
    for r, meta in zip(results, metas, strict=False):
        assert r is not None
        articles.append(r[0])
        warnings.extend(r[1])
        if known is not None and meta is not None and r[0].kind == "markdown":
            known[id(r[0])] = meta
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

    def __init__(self, cache: BuildCache, n: int, jobs: int, counts: StageCounts, progress: Progress = _noop):
        self.cache, self.n, self.jobs, self.counts, self.progress = cache, n, jobs, counts, progress
        self.entries: dict[str, tuple[str, list[str]]] = {}

    def __call__(self, published: Sequence[Article], index: RelatedIndex) -> dict[str, tuple[Article, ...]]:
        by_url = {a.url: a for a in published}
        meta = {a.url: _meta(a) for a in published}
        stored = self.cache.related() if self.cache.enabled else {}
        # When no story's ranking inputs changed anywhere (the usual rebuild,
        # or body-only edits), one digest over all of them proves every entry.
        everything = digest(str(self.n), "".join(meta[a.url] for a in published))
        result: dict[str, tuple[Article, ...]] = {}
        todo: list[Article] = []
        keys: dict[str, str] = {}
        weights = {url: int(m, 16) for url, m in meta.items()}

        def weight(a: Article) -> int:
            return weights[a.url]

        unchanged = (
            bool(stored)
            and len(stored) == len(published)
            and all(hit[0].startswith(everything + ":") for hit in stored.values())
        )
        for a in published:
            if unchanged:
                key = stored[a.url][0] if a.url in stored else ""
            else:
                inputs = index.inputs_key(a, self.n, weight)
                key = everything + ":" + digest(str(self.n), meta[a.url], repr(inputs))
            keys[a.url] = key
            hit = stored.get(a.url)
            if (
                hit is not None
                and (unchanged or hit[0].partition(":")[2] == key.partition(":")[2])
                and all(u in by_url for u in hit[1])
            ):
                result[a.url] = tuple(by_url[u] for u in hit[1])
                self.entries[a.url] = (key, hit[1])
            else:
                todo.append(a)
        self.counts.related_reused = len(published) - len(todo)
        self.counts.related_ranked = len(todo)
        work = _RelatedWork(todo, index, self.n)
        done = self.counts.related_reused
        for a, urls in zip(todo, ordered_map(_rank_one, work, len(todo), self.jobs), strict=False):
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
    spool: Path


def _render_one(work: _RenderWork, i: int) -> tuple[str, Any]:
    """Render page ``i`` into a file of the spool folder; return its SHA-256,
    size and deep reads (the bytes stay in the file: nothing large travels
    between processes or stays in memory)."""
    reads: set[tuple[str, str]] = set()
    note_deep_reads(reads)
    try:
        data = render_page(work.pages[i], work.renderer)
    except NewsgenError as exc:
        return "error", (type(exc).__name__, exc.diagnostics)
    finally:
        note_deep_reads(None)
    fd = os.open(
        work.spool / str(i), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644
    )
    try:  # as the writer makes every file (mode 0o644 less the umask)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return "ok", (sha256(data), len(data), tuple(sorted(reads)))


class _Deps:
    """Digests of the deep fields a page read, by identity, in this build."""

    def __init__(self, site: Site, fp: Fingerprinter):
        self.fp = fp
        self.objects: dict[tuple[str, str], Any] = {deep_ident(a): a for a in site.articles}
        groups: list[Group] = [*site.sections, *site.tags, *site.authors]
        for y in site.archives:
            groups += [y, *y.months]
        for g in groups:
            self.objects[deep_ident(g)] = g
        self._memo: dict[tuple[str, str], str] = {}

    def digest(self, deps: Sequence[tuple[str, str]]) -> str | None:
        """None when something read last time no longer exists (so the page renders)."""
        parts = []
        for ident in deps:
            d = self._memo.get(ident)
            if d is None:
                obj = self.objects.get(ident)
                if obj is None:
                    return None
                d = self._memo[ident] = self.fp.deep(obj)
            parts.append(f"{ident[0]}:{ident[1]}={d}")
        return digest(*parts)


def _renderer_key(renderer: Renderer, config: Config, fp: Fingerprinter) -> str | None:
    """Digest of everything a template can read besides its page context, or
    None when a template global cannot be summarised (then every page renders)."""
    env = renderer.env
    folders = [Path(p) for p in getattr(env.loader, "searchpath", [])]
    defaults = jinja2.defaults.DEFAULT_NAMESPACE
    try:
        globals_digest = fp.digest(
            {k: v for k, v in sorted(env.globals.items()) if not (k in defaults and defaults[k] is v)}
        )
    except Unfingerprintable:
        return None
    filters = sorted(
        f"{k}={getattr(v, '__module__', '')}.{getattr(v, '__qualname__', type(v).__name__)}"
        for k, v in env.filters.items()
    )  # names only: filters are newsgen's code
    tests = sorted(env.tests)
    return digest(
        engine_key(),
        config_key(config, loader_only=False),
        templates_key(folders),
        renderer.static_stamp(),
        globals_digest,
        *filters,
        *tests,
    )


SPOOL_PREFIX = "spool-"


def _spool_folder(folder: Path | None) -> Path:
    """A new folder for rendered pages, in the cache folder (normally on the
    output's file system, so pages are moved into place, not copied);
    folders left by builds that were killed are removed first."""
    if folder is not None and folder.is_dir():
        for old in folder.glob(SPOOL_PREFIX + "*"):
            pid = old.name[len(SPOOL_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    else:
        folder = None
    return Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-", dir=folder))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@dataclass
class RenderPlan:
    """Which pages render and which are kept, decided before rendering."""

    pages: Sequence[OutputPage]
    keys: list[str | None]  # digest of each page's own inputs; None: always render
    keep: dict[int, Unchanged]
    deps: _Deps | None
    entries: dict[str, PageEntry] = field(default_factory=dict)

    def key(self, i: int, reads: Sequence[tuple[str, str]]) -> str | None:
        """The cache key of page ``i`` given the deep fields it reads."""
        own = self.keys[i]
        if own is None or self.deps is None:
            return None
        deep = self.deps.digest(reads)
        return None if deep is None else digest(own, deep)


def _qualname(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', type(fn).__name__)}"


@dataclass
class _KeyWork:
    pages: Sequence[OutputPage]
    plan: RenderPlan
    base: str
    known: Mapping[int, str]
    stored: Mapping[str, PageEntry]
    previous: Mapping[str, str]
    out: str
    site: Site
    fp: Fingerprinter | None = None


def _key_one(work: _KeyWork, i: int) -> tuple[str | None, bool]:
    """Page ``i``'s own key (of its context, template and path; None: always
    render), and whether the last build's output can be kept."""
    if work.fp is None:  # one per process: a forked worker makes its own
        work.fp = Fingerprinter(work.known)
        work.plan.deps = _Deps(work.site, work.fp)
    page = work.pages[i]
    maker = page.template or (_qualname(page.produce) if page.produce is not None else None)
    if maker is None:
        return None, False
    try:
        own = digest(work.base, page.kind, maker, page.output_path, work.fp.digest(page.context))
    except Unfingerprintable:
        return None, False
    entry = work.stored.get(page.output_path)
    if entry is None or work.previous.get(page.output_path) != entry.digest:
        return own, False
    deep = work.plan.deps.digest(entry.deps)  # type: ignore[union-attr]
    if deep is None or digest(own, deep) != entry.key:
        return own, False
    try:
        st = os.lstat(os.path.join(work.out, page.output_path))
    except OSError:
        return own, False
    return own, st.st_size == entry.size and stat.S_ISREG(st.st_mode)


#: Fewer pages than this are keyed in one process.
MIN_PARALLEL_KEYS = 2000


def plan_render(
    pages: Sequence[OutputPage],
    renderer: Renderer,
    site: Site,
    cache: BuildCache,
    out: Path,
    previous: Mapping[str, str],
    known: Mapping[int, str],
    counts: StageCounts,
    jobs: int = 1,
) -> RenderPlan:
    """Key every page by its inputs (on ``jobs`` processes); keep those whose
    key and output file match the last build."""
    fp = Fingerprinter(known)
    base = _renderer_key(renderer, site.config, fp) if cache.enabled else None
    if cache.enabled and base is None:
        counts.notes.append("a template global cannot be fingerprinted, so every page was rendered")
    plan = RenderPlan(pages, [None] * len(pages), {}, _Deps(site, fp) if base is not None else None)
    if base is not None:
        stored = cache.pages()
        work = _KeyWork(pages, RenderPlan(pages, [], {}, None), base, known, stored, previous, str(out), site)
        for i, (own, kept) in enumerate(
            ordered_map(_key_one, work, len(pages), jobs, min_parallel=MIN_PARALLEL_KEYS)
        ):
            plan.keys[i] = own
            if kept:
                entry = stored[pages[i].output_path]
                plan.keep[i] = Unchanged(entry.digest, entry.size)
                plan.entries[pages[i].output_path] = entry
    counts.skipped = len(plan.keep)
    return plan


class Rendered:
    """Every page of a :class:`RenderPlan`, rendered (or kept) and waiting in a
    spool folder; iterate to get ``(output path, Spooled or Unchanged)`` in order."""

    def __init__(self, plan: RenderPlan, spool: Path, made: dict[int, Spooled]):
        self.plan, self.spool, self.made = plan, spool, made

    def __iter__(self) -> Iterator[tuple[str, Spooled | Unchanged]]:
        for i, page in enumerate(self.plan.pages):
            kept = self.plan.keep.get(i)
            yield page.output_path, kept if kept is not None else self.made[i]

    def close(self) -> None:
        shutil.rmtree(self.spool, ignore_errors=True)


def render_pages(
    plan: RenderPlan,
    renderer: Renderer,
    jobs: int,
    spool_dir: Path | None,
    progress: Progress = _noop,
    counts: StageCounts | None = None,
) -> Rendered:
    """Render every page that is not kept, in parallel, each into a file of a
    spool folder (made in ``spool_dir``, else in the system's temporary folder).

    Everything renders before anything is published, so a template error
    leaves the output folder untouched; the writer then moves each page into
    place. Memory holds digests, not pages.
    """
    pages = plan.pages
    todo = [i for i in range(len(pages)) if i not in plan.keep]
    if counts is not None:
        counts.rendered = len(todo)
    spool = _spool_folder(spool_dir)
    work = _RenderWork([pages[i] for i in todo], renderer, spool)
    made: dict[int, Spooled] = {}
    try:
        done = len(plan.keep)
        for n, (i, (status, payload)) in enumerate(
            zip(todo, ordered_map(_render_one, work, len(todo), jobs), strict=False)
        ):
            if status == "error":
                kind, diags = payload
                raise _ERRORS.get(kind, NewsgenError)(diags)
            sha, size, reads = payload
            made[i] = Spooled(spool / str(n), sha, size)
            key = plan.key(i, reads)
            if key is not None:
                plan.entries[pages[i].output_path] = PageEntry(key, sha, size, reads)
            done += 1
            if done % 64 == 0:
                progress(done, len(pages))
        progress(len(pages), len(pages))
    except BaseException:
        shutil.rmtree(spool, ignore_errors=True)
        raise
    return Rendered(plan, spool, made)
