"""More Stories, incremental: an article's ranking is reused when the date,
tags, section and URL of every story its ranking looks at are unchanged; the
rest are ranked on every core. In a build with the same plan as the last one
(:mod:`newsgen.incremental.sameplan`: only bodies changed) every ranking is the
last build's, taken from the cache as it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def _rank_one(work: _RelatedWork, i: int) -> list[str]:
    return [a.url for a in rank_related(work.articles[i], work.index, work.n)]


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
        self.entries: dict[str, tuple[str, list[str]]] = {}

    def __call__(self, published: Sequence[Article], index: RelatedIndex) -> dict[str, tuple[Article, ...]]:
        by_url = {a.url: a for a in published}
        stored = self.cache.related() if self.cache.enabled else {}
        if self.same_plan and len(stored) == len(published):
            found = self._as_stored(published, stored, by_url)
            if found is not None:
                return found
        # When no story's ranking inputs changed anywhere (the usual rebuild,
        # or body-only edits), one digest over all of them proves every entry.
        everything = digest(str(self.n), _all_inputs(published))
        result: dict[str, tuple[Article, ...]] = {}
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

        for a in published:
            if unchanged:
                key = stored[a.url][0] if a.url in stored else ""
            else:
                inputs = index.inputs_key(a, self.n, weight)
                key = everything + ":" + digest(str(self.n), meta[a.url], repr(inputs))
            keys[a.url] = key
            hit = stored.get(a.url)
            if hit is not None and (unchanged or hit[0].partition(":")[2] == key.partition(":")[2]):
                try:
                    result[a.url] = tuple([by_url[u] for u in hit[1]])
                except KeyError:  # a story it listed is gone
                    todo.append(a)
                    continue
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

    def _as_stored(
        self,
        published: Sequence[Article],
        stored: dict[str, tuple[str, list[str]]],
        by_url: dict[str, Article],
    ) -> dict[str, tuple[Article, ...]] | None:
        """Every story's More Stories as the last build stored them, when this build has its plan:
        then every story's date, tags, section and URL, and which stories are published, are
        the last build's (what ranking reads, :func:`_meta`), and so is each ranking; the table
        is the one that build saved with its plan (:meth:`BuildCache.save`). Nothing is digested
        (checking every story's inputs was 0.04 s of a body edit at 10,000 stories) and the table
        is kept as it is. None when a story or a story it lists is not in the table (then each is checked)."""
        try:
            result = {a.url: tuple([by_url[u] for u in stored[a.url][1]]) for a in published}
        except (KeyError, TypeError):  # a damaged table: rank what it cannot give
            return None
        self.entries = stored
        self.counts.related_reused, self.counts.related_ranked = len(published), 0
        self.progress(len(published), len(published))
        return result
