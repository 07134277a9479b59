"""Keying, incremental: which pages render and which are kept. Every page is keyed by its
inputs (its context, the templates, the config, newsgen's code, and the bodies and story lists
it read last time); a page whose key and output file are unchanged is kept
(:func:`plan_render`). When only story bodies changed (:mod:`newsgen.incremental.sameplan`),
the pages that read a changed one are looked up in the cache and the others are kept on the
last build's keys, their reads never loaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from newsgen.config import Config
from newsgen.core.digests import digest
from newsgen.core.parallel import ordered_map
from newsgen.core.paths import plain_file
from newsgen.incremental.counts import StageCounts
from newsgen.incremental.entries import PageEntry
from newsgen.incremental.fingerprint import Fingerprinter, Unfingerprintable
from newsgen.incremental.keys import config_key, engine_key, templates_key
from newsgen.incremental.sameplan import Last, ident_name
from newsgen.incremental.store import BuildCache
from newsgen.model import Group, OutputPage, Site, deep_ident
from newsgen.outputs.lazycontext import make_contexts
from newsgen.payloads import Linked, Unchanged
from newsgen.publish.listings import Listings, RealFolders
from newsgen.theme.render import Renderer


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
        self._tokens: dict[tuple[str, str], str] = {}

    def _once(
        self, made: dict[tuple[str, str], str], ident: tuple[str, str], make: Callable[[Any], str]
    ) -> str | None:
        """``make`` of the story or group ``ident`` names, made once a build and kept in ``made``
        (None: no such story or group in this build)."""
        v = made.get(ident)
        if v is None:
            obj = self.objects.get(ident)
            if obj is None:
                return None
            v = made[ident] = make(obj)
        return v

    def deep(self, ident: tuple[str, str]) -> str | None:
        """The digest of one deep field (None: no such story or group in this build)."""
        return self._once(self._memo, ident, self.fp.deep)

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
        return self._once(self._tokens, ident, self.fp.deep_token)

    def changed_since(self, last: Mapping[str, str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
        """The deep fields whose token is not the one ``last`` gives them (by :func:`ident_name`),
        gone ones included; and the token now of every one of ``last`` that is still here.

        ``last`` is the record of a build with the same plan (:mod:`newsgen.incremental.sameplan`):
        every group holds the same stories in the same order, each with the same record, and a
        group's token digests just that (a story stands for its record, :func:`_fingerprinter`).
        So each group still here keeps the token ``last`` gives it, and only the stories' bodies
        are looked at (digesting every story list cost about 0.25 s of a body edit at 100,000 stories)."""
        changed: list[tuple[str, str]] = []
        now: dict[str, str] = {}
        for name, was in last.items():
            kind, _, url = name.partition(":")  # a kind is "article" or a class name: no colon
            ident = (kind, url)
            if kind != "article" and ident in self.objects:
                t: str | None = self._tokens.setdefault(ident, was)
            else:
                t = self.token(ident)
            if t != was:
                changed.append(ident)
            if t is not None:
                now[name] = t
        return changed, now


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
    # the token now of each deep field the last build's pages read (sameplan.Last.tokens)
    carried: dict[str, str] = field(default_factory=dict)

    def key(self, i: int, reads: Sequence[tuple[str, str]]) -> str | None:
        """The cache key of page ``i`` given the deep fields it reads."""
        own = self.keys[i]
        if own is None or self.deps is None:
            return None
        deep = self.deps.digest(reads)
        return None if deep is None else digest(own, deep)

    def deep_tokens(self) -> dict[str, str]:
        """The token (:meth:`_Deps.token`) of every deep field a page of :attr:`entries`
        read, by :func:`ident_name`: those of the entries whose reads were loaded, and
        :attr:`carried` (a superset of the reads of the others, kept as stored)."""
        found = dict(self.carried)
        if self.deps is not None:
            for entry in self.entries.values():
                for ident in entry.deps or ():
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
    affected: Collection[str] = ()  # with `last`: the pages that read a deep field changed since


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
    # The last build gave this page this entry's key from this own key and reads none of which
    # changed token since (sameplan.Last, plan_render): the key is the same. Otherwise digest the reads.
    if last is None or last.keys.get(path) != entry.key or path in work.affected:
        if entry.deps is None:  # its reads could not be loaded: render it
            return own, None
        deep = deps.digest(entry.deps)
        if deep is None or digest(own, deep) != entry.key:
            return own, None
    return own, plain_file(work.out, path, entry.size, real=work.real)


#: Fewer pages than this are keyed in one process.
MIN_PARALLEL_KEYS = 2000


#: More deep fields than this changed since the last build: every page's reads are loaded,
#: instead of looking up the pages that read each one.
MAX_LOOKUPS = 64


def _stored_pages(
    cache: BuildCache, changed: Sequence[tuple[str, str]], last: Last
) -> tuple[dict[str, PageEntry], Collection[str]]:
    """The pages the cache holds, and those of them that read one of the deep fields
    ``changed`` since the last build. When few changed (a body edit), those pages are looked
    up in the cache, and only their reads are loaded, with those of any page whose key the
    last build did not record; else every page's reads are loaded."""
    if len(changed) <= MAX_LOOKUPS:
        stored = cache.pages(reads=False)
        reading = cache.pages_reading(changed) if changed else set()
        if reading is not None:
            cache.load_reads(reading | {p for p, e in stored.items() if last.keys.get(p) != e.key})
            return stored, reading
    stored = cache.pages()  # (after a failed lookup the cache is off: then it is empty)
    wanted = set(changed)
    return stored, {p for p, e in stored.items() if e.deps is not None and not wanted.isdisjoint(e.deps)}


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
        affected: Collection[str] = ()
        if last is not None:
            assert plan.deps is not None
            changed, plan.carried = plan.deps.changed_since(last.tokens)
            stored, affected = _stored_pages(cache, changed, last)
        else:
            stored = cache.pages()
        real = RealFolders(listings if listings is not None else Listings(None), str(out))
        work = _KeyWork(
            pages, RenderPlan(pages, [], {}, None), base, known, stored, previous, str(out), site, real
        )
        work.last, work.affected = last, affected
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
