"""Rendering, incremental: every page is keyed by its inputs (its context, the
templates, the config, newsgen's code, and the bodies and story lists it read
last time); a page whose key and output file are unchanged is kept, the rest
are rendered on every core, each into a file of a spool folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from newsgen.config import Config
from newsgen.core.digests import digest, sha256
from newsgen.core.fsops import unlock_folder, write_new
from newsgen.core.parallel import ordered_map
from newsgen.core.paths import plain_file
from newsgen.core.recording import DependencyRecorder
from newsgen.errors import BuildError, ConfigError, ContentError, NewsgenError, TemplateError
from newsgen.incremental.counts import Progress, StageCounts, no_progress
from newsgen.incremental.fingerprint import Fingerprinter, Unfingerprintable
from newsgen.incremental.keys import config_key, engine_key, templates_key
from newsgen.incremental.sameplan import Last, ident_name
from newsgen.incremental.spool import spool_folder
from newsgen.incremental.store import BuildCache, PageEntry, shared_reads
from newsgen.model import Group, OutputPage, Site, deep_ident
from newsgen.outputs.lazycontext import make_contexts
from newsgen.payloads import Linked, Spooled, Unchanged
from newsgen.publish.listings import Listings, RealFolders
from newsgen.theme.render import Renderer, render_page

_ERRORS = {c.__name__: c for c in (NewsgenError, ConfigError, ContentError, TemplateError, BuildError)}


@dataclass
class _RenderWork:
    pages: Sequence[OutputPage]
    renderer: Renderer
    spool: Path


def _render_one(work: _RenderWork, i: int) -> tuple[str, Any]:
    """Render page ``i`` into a file of the spool folder; return its SHA-256,
    size and deep reads (the bytes stay in the file: nothing large travels
    between processes or stays in memory)."""
    try:
        with DependencyRecorder() as recorder:
            data = render_page(work.pages[i], work.renderer)
    except NewsgenError as exc:
        return "error", (type(exc).__name__, exc.diagnostics)
    write_new(work.spool / str(i), data)  # as the writer makes every file (mode 0o644 less the umask)
    return "ok", (sha256(data), len(data), tuple(sorted(recorder.dependencies)))


def _fingerprinter(site: Site, known: Mapping[str, str]) -> Fingerprinter:
    """A fingerprinter that digests each article in ``known`` by its given digest
    (a live story's, with what of it is public now: see :mod:`newsgen.site.live`)."""
    fp = Fingerprinter()
    for a in (*site.articles, *site.unlisted):
        key = known.get(a.source)
        if key is not None and (a.live or a.updates or a.live_until):  # live coverage as of now
            key = digest(key, "live", repr(len(a.updates)), repr(a.live), repr(a.updated))
        if key is not None:
            fp.article(a, key)
    return fp


class _Deps:
    """Digests of the deep fields a page read, by identity, in this build."""

    def __init__(self, site: Site, fp: Fingerprinter):
        self.fp = fp
        self.objects: dict[tuple[str, str], Any] = {
            deep_ident(a): a for a in (*site.articles, *site.unlisted)
        }
        groups: list[Group] = [*site.sections, *site.tags, *site.authors]
        for y in site.archives:
            groups += [y, *y.months]
        for g in groups:
            self.objects[deep_ident(g)] = g
        self._memo: dict[tuple[str, str], str] = {}
        self._same: dict[tuple[str, str], bool] = {}
        self._tokens: dict[tuple[str, str], str] = {}

    def deep(self, ident: tuple[str, str]) -> str | None:
        """The digest of one deep field (None: no such story or group in this build)."""
        d = self._memo.get(ident)
        if d is None:
            obj = self.objects.get(ident)
            if obj is None:
                return None
            d = self._memo[ident] = self.fp.deep(obj)
        return d

    def digest(self, deps: Sequence[tuple[str, str]]) -> str | None:
        """None when something read last time no longer exists (so the page renders)."""
        parts = []
        for ident in deps:
            d = self._memo.get(ident) or self.deep(ident)
            if d is None:
                return None
            parts.append(f"{ident[0]}:{ident[1]}={d}")
        return digest(*parts)

    def token(self, ident: tuple[str, str]) -> str | None:
        """A text that determines :meth:`deep` of ``ident`` (:meth:`Fingerprinter.deep_token`)."""
        t = self._tokens.get(ident)
        if t is None:
            obj = self.objects.get(ident)
            if obj is None:
                return None
            t = self._tokens[ident] = self.fp.deep_token(obj)
        return t

    def unchanged(self, deps: Sequence[tuple[str, str]], last: Mapping[str, str]) -> bool:
        """Does each of ``deps`` have the token ``last`` gives it (by :func:`ident_name`)?"""
        same = self._same
        for ident in deps:
            s = same.get(ident)
            if s is None:
                t = self.token(ident)
                s = same[ident] = t is not None and last.get(ident_name(ident)) == t
            if not s:
                return False
        return True


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


@dataclass
class RenderPlan:
    """Which pages render and which are kept, decided before rendering."""

    pages: Sequence[OutputPage]
    keys: list[str | None]  # digest of each page's own inputs; None: always render
    keep: dict[int, Unchanged | Linked]  # Linked: a photo's derivative, published from the cache
    deps: _Deps | None
    entries: dict[str, PageEntry] = field(default_factory=dict)

    def key(self, i: int, reads: Sequence[tuple[str, str]]) -> str | None:
        """The cache key of page ``i`` given the deep fields it reads."""
        own = self.keys[i]
        if own is None or self.deps is None:
            return None
        deep = self.deps.digest(reads)
        return None if deep is None else digest(own, deep)

    def deep_tokens(self) -> dict[str, str]:
        """The token (:meth:`_Deps.token`) of every deep field a page of :attr:`entries`
        read, by :func:`ident_name`."""
        found: dict[str, str] = {}
        if self.deps is not None:
            for entry in self.entries.values():
                for ident in entry.deps:
                    t = self.deps.token(ident)
                    if t is not None:
                        found[ident_name(ident)] = t
        return found


def _qualname(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', type(fn).__name__)}"


@dataclass
class _KeyWork:
    pages: Sequence[OutputPage]
    plan: RenderPlan
    base: str
    known: Mapping[str, str]
    stored: Mapping[str, PageEntry]
    previous: Mapping[str, str]
    out: str
    site: Site
    real: RealFolders  # which output folders are real folders (memoized per process)
    fp: Fingerprinter | None = None
    last: Last | None = None  # the last build's own keys and more, when still valid (sameplan)


def _key_one(work: _KeyWork, i: int) -> tuple[str | None, os.stat_result | None]:
    """Page ``i``'s own key (of its context, template and path; None: always
    render), and the ``lstat`` of the last build's output file when it can be kept."""
    if work.fp is None:  # one per process: a forked worker makes its own
        work.fp = _fingerprinter(work.site, work.known)
        work.plan.deps = _Deps(work.site, work.fp)
    page = work.pages[i]
    maker = page.template or (_qualname(page.produce) if page.produce is not None else None)
    if maker is None:
        return None, None
    path, last = page.output_path, work.last
    own = last.owns.get(path) if last is not None else None
    if own is None:
        last = None
        try:
            own = digest(work.base, page.kind, maker, path, work.fp.digest(page.context))
        except Unfingerprintable:
            return None, None
    entry = work.stored.get(path)
    if entry is None or work.previous.get(path) != entry.digest:
        return own, None
    deps = work.plan.deps
    assert deps is not None
    # The last build gave this page this entry's key from this own key and reads whose tokens
    # are unchanged (sameplan.Last): the key is the same. Otherwise digest the reads.
    if last is None or last.keys.get(path) != entry.key or not deps.unchanged(entry.deps, last.tokens):
        deep = deps.digest(entry.deps)
        if deep is None or digest(own, deep) != entry.key:
            return own, None
    return own, plain_file(work.out, path, entry.size, real=work.real)


#: Fewer pages than this are keyed in one process.
MIN_PARALLEL_KEYS = 2000


def plan_render(
    pages: Sequence[OutputPage],
    renderer: Renderer,
    site: Site,
    cache: BuildCache,
    out: Path,
    previous: Mapping[str, str],
    known: Mapping[str, str],
    counts: StageCounts,
    jobs: int = 1,
    last: Last | None = None,
    listings: Listings | None = None,
) -> RenderPlan:
    """Key every page by its inputs (on ``jobs`` processes); keep those whose
    key and output file match the last build. ``known`` holds the digest of
    each Markdown article by source (see :func:`~newsgen.incremental.load.load_articles`);
    ``last`` the last build's own key of each page when they still hold, and
    its page keys and read digests (:mod:`newsgen.incremental.sameplan`):
    those pages are not fingerprinted. A kept page's folders are told real by one listing per
    parent folder instead of an ``lstat`` per folder: from ``listings``, the output's folder
    listings (:func:`~newsgen.publish.spare.output_listings`), when given, else read now."""
    fp = _fingerprinter(site, known)
    base = _renderer_key(renderer, site.config, fp) if cache.enabled else None
    if cache.enabled and base is None:
        counts.notes.append("a template global cannot be fingerprinted, so every page was rendered")
    plan = RenderPlan(pages, [None] * len(pages), {}, _Deps(site, fp) if base is not None else None)
    if base is not None:
        stored = cache.pages()
        real = RealFolders(listings if listings is not None else Listings(None), str(out))
        work = _KeyWork(
            pages, RenderPlan(pages, [], {}, None), base, known, stored, previous, str(out), site, real
        )
        work.last = last
        # Without fingerprints a page's key is a few digests and an lstat: less than sending it
        # back from a worker (measured: keying at --jobs 2 took twice the time of --jobs 1).
        key_jobs = jobs if last is None else 1
        if key_jobs == 1:  # in this process: share the digests with the plan
            work.fp, work.plan.deps = fp, plan.deps
        elif len(pages) >= MIN_PARALLEL_KEYS:  # every page keyed by a worker: contexts made once, here
            make_contexts(pages)
        for i, (own, kept) in enumerate(
            ordered_map(_key_one, work, len(pages), key_jobs, min_parallel=MIN_PARALLEL_KEYS)
        ):
            plan.keys[i] = own
            if kept is not None:
                entry = stored[pages[i].output_path]
                plan.keep[i] = Unchanged(entry.digest, entry.size, kept)
                plan.entries[pages[i].output_path] = entry
    counts.skipped = len(plan.keep)
    for i, page in enumerate(pages):
        if page.linked is not None:  # made by the photos stage: nothing to render
            plan.keep[i] = page.linked
    return plan


class Rendered:
    """Every page of a :class:`RenderPlan`, rendered (or kept) and waiting in a
    spool folder; iterate to get ``(output path, Spooled or Unchanged)`` in order."""

    def __init__(
        self, plan: RenderPlan, spool: Path, made: dict[int, tuple[int, str, int]], lock: int | None = None
    ):
        # made: page index -> (its file's number in the spool, SHA-256, size); a Spooled (and its
        # Path) is made only as the writer takes the page (155,000 fewer objects held at 100,000 articles)
        self.plan, self.spool, self.made, self._lock = plan, spool, made, lock

    def __iter__(self) -> Iterator[tuple[str, Spooled | Unchanged | Linked]]:
        spool = str(self.spool)
        for i, page in enumerate(self.plan.pages):
            kept = self.plan.keep.get(i)
            if kept is None:
                n, sha, size = self.made[i]
                yield page.output_path, Spooled(Path(f"{spool}/{n}"), sha, size)
            else:
                yield page.output_path, kept

    def close(self) -> None:
        """Remove the spool folder (pages not moved into the output go with it)."""
        shutil.rmtree(self.spool, ignore_errors=True)
        unlock_folder(self._lock)
        self._lock = None

    def __enter__(self) -> Rendered:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render_pages(
    plan: RenderPlan,
    renderer: Renderer,
    jobs: int,
    spool_dir: Path | None,
    progress: Progress = no_progress,
    counts: StageCounts | None = None,
    out: Path | None = None,
) -> Rendered:
    """Render every page that is not kept, in parallel, each into a file of a
    spool folder (made in ``spool_dir``, else beside the output folder ``out``,
    else in the system's temporary folder: see :func:`~newsgen.incremental.spool.spool_folder`).

    Everything renders before anything is published, so a template error
    leaves the output folder untouched; the writer then moves each page into
    place. Memory holds digests, not pages.
    """
    pages = plan.pages
    todo = [i for i in range(len(pages)) if i not in plan.keep]
    if counts is not None:
        counts.rendered = len(todo)
    spool, lock = spool_folder(spool_dir, out)
    work = _RenderWork([pages[i] for i in todo], renderer, spool)
    made: dict[int, tuple[int, str, int]] = {}
    pool: dict[tuple[str, str], tuple[str, str]] = {}  # each distinct read kept once (shared_reads)
    try:
        done = len(plan.keep)
        for n, (i, (status, payload)) in enumerate(
            zip(todo, ordered_map(_render_one, work, len(todo), jobs), strict=False)
        ):
            if status == "error":
                kind, diags = payload
                raise _ERRORS.get(kind, NewsgenError)(diags)
            sha, size, reads = payload
            reads = shared_reads(reads, pool)
            made[i] = (n, sha, size)
            key = plan.key(i, reads)
            if key is not None:
                plan.entries[pages[i].output_path] = PageEntry(key, sha, size, reads)
            done += 1
            if done % 64 == 0:
                progress(done, len(pages))
        progress(len(pages), len(pages))
    except BaseException:
        shutil.rmtree(spool, ignore_errors=True)
        unlock_folder(lock)
        raise
    return Rendered(plan, spool, made, lock)
