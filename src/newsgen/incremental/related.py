"""More Stories, incremental: an article's ranking is reused when the date,
tags, section and URL of every story its ranking looks at are unchanged; the
rest are ranked on every core. In a build with the same plan as the last one
(:mod:`newsgen.incremental.sameplan`: only bodies changed) every ranking is the
last build's, read from the cache when a page that shows it is made (:class:`StoredRankings`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from newsgen.core.digests import digest
from newsgen.core.parallel import ordered_map
from newsgen.incremental.counts import Progress, StageCounts, no_progress
from newsgen.incremental.store import BuildCache
from newsgen.model import Article
from newsgen.site.related import RelatedIndex, rank_related


@dataclass
class _RelatedWork:
    articles: Sequence[Article]
    index: RelatedIndex
    n: int
    keys: Sequence[str | None]  # each article's cache key; None: made with its ranking, by ``key``
    key: Callable[[Article], str]


def _rank_one(work: _RelatedWork, i: int) -> tuple[str, list[str]]:
    """Article ``i``'s cache key and ranking (its stories' URLs)."""
    a, key = work.articles[i], work.keys[i]
    return key if key is not None else work.key(a), [r.url for r in rank_related(a, work.index, work.n)]


def _meta(a: Article) -> str:
    """What ranking reads of a story; nothing else can change its More Stories."""
    return digest(a.url, repr(a.date.timestamp()), "\x00".join(a.tags), a.section or "\x00")


def _all_inputs(published: Sequence[Article]) -> str:
    """What ranking reads of every story (:func:`_meta`'s fields), in order, as one text."""
    return json.dumps([[a.url, a.date.timestamp(), a.tags, a.section] for a in published])


class RelatedCache:
    """Computes every article's More Stories for ``build_site``, reusing the
    previous build's result for each article whose ranking inputs did not change."""

    def __init__(
        self,
        cache: BuildCache,
        n: int,
        jobs: int,
        counts: StageCounts,
        progress: Progress = no_progress,
        *,
        same_plan: bool = False,
    ):
        self.cache, self.n, self.jobs, self.counts, self.progress = cache, n, jobs, counts, progress
        self.same_plan = same_plan  # the build has the last one's plan (sameplan.Last)
        # what to store (None: keep the table as it is)
        self.entries: dict[str, tuple[str, list[str]]] | None = {}

    def __call__(
        self, published: Sequence[Article], index: RelatedIndex
    ) -> Mapping[str, tuple[Article, ...]]:
        by_url = {a.url: a for a in published}
        if self.same_plan and self.cache.enabled:
            self.entries = None  # the table stays as the last build saved it
            self.counts.related_reused, self.counts.related_ranked = len(published), 0
            self.progress(len(published), len(published))
            return StoredRankings(self.cache, by_url, index, self.n)
        stored = self.cache.related() if self.cache.enabled else {}
        # When no story's ranking inputs changed anywhere (the usual rebuild,
        # or body-only edits), one digest over all of them proves every entry.
        everything = digest(str(self.n), _all_inputs(published))
        result: dict[str, tuple[Article, ...]] = {}
        self.entries = entries = {}
        todo: list[Article] = []
        keys: dict[str, str] = {}
        prefix = everything + ":"
        unchanged = (
            bool(stored)
            and len(stored) == len(published)
            and all(hit[0].startswith(prefix) for hit in stored.values())
        )
        # each story's own inputs, for the rankings that must be checked one by one
        meta = {} if unchanged else {a.url: _meta(a) for a in published}
        weights = {url: int(m, 16) for url, m in meta.items()}

        def weight(a: Article) -> int:
            return weights[a.url]

        def key_of(a: Article) -> str:
            inputs = index.inputs_key(a, self.n, weight)
            return everything + ":" + digest(str(self.n), meta[a.url], repr(inputs))

        for a in published:
            hit = stored.get(a.url)
            if hit is None:  # ranked on every core, where its key is made too (a first build: all)
                todo.append(a)
                if unchanged:
                    keys[a.url] = ""
                continue
            key = keys[a.url] = hit[0] if unchanged else key_of(a)
            if unchanged or hit[0].partition(":")[2] == key.partition(":")[2]:
                try:
                    result[a.url] = tuple([by_url[u] for u in hit[1]])
                except KeyError:  # a story it listed is gone
                    todo.append(a)
                    continue
                entries[a.url] = (key, hit[1])
            else:
                todo.append(a)
        self.counts.related_reused = len(published) - len(todo)
        self.counts.related_ranked = len(todo)
        work = _RelatedWork(todo, index, self.n, [keys.get(a.url) for a in todo], key_of)
        done = self.counts.related_reused
        for a, (key, urls) in zip(todo, ordered_map(_rank_one, work, len(todo), self.jobs), strict=False):
            result[a.url] = tuple(by_url[u] for u in urls)
            entries[a.url] = (key, urls)
            done += 1
            if done % 256 == 0:
                self.progress(done, len(published))
        self.progress(len(published), len(published))
        return {a.url: result[a.url] for a in published}


class StoredRankings(Mapping[str, tuple[Article, ...]]):
    """Every published story's More Stories as the last build stored them, for a build with its
    plan (:mod:`newsgen.incremental.sameplan`): every story's date, tags, section and URL, and
    which stories are published, are that build's (what ranking reads, :func:`_meta`), and so
    is each ranking; the table is the one that build saved with its plan. Each story's is read
    when first asked for: a body edit makes a few pages, and reading every ranking took 0.04 s
    of one at 10,000 stories. A ranking the table cannot give (no row, or a story it lists is
    not published) is made again with :func:`rank_related`; the table is left as it is.
    Forked render workers may ask (:meth:`BuildCache.related` reads on their own connection)."""

    def __init__(self, cache: BuildCache, by_url: Mapping[str, Article], index: RelatedIndex, n: int):
        self._cache, self._by_url, self._index, self._n = cache, by_url, index, n
        self._made: dict[str, tuple[Article, ...]] = {}

    def __getitem__(self, url: str) -> tuple[Article, ...]:
        found = self._made.get(url)
        if found is None:
            story = self._by_url[url]  # KeyError: not a published story
            hit = self._cache.related(url).get(url)
            try:
                found = tuple([self._by_url[u] for u in hit[1]]) if hit is not None else None
            except KeyError:  # a story it listed is not published: a damaged table
                found = None
            if found is None:
                found = tuple(rank_related(story, self._index, self._n))
            self._made[url] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_url)

    def __len__(self) -> int:
        return len(self._by_url)
