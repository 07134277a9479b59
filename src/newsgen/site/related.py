"""More Stories: the related stories shown at the end of every article.

Ranking, for an article A and a candidate C (never A itself):

    relevance(C) = 2 x (tags shared with A) + 1 x (same section as A)
    score(C)     = relevance(C) / (1 + days between A and C / 30)

so a story on the same subject from the same week beats one from last year.
Candidates with relevance 0 are not "related"; the block is filled up with
the latest stories of the site. Ties go to the newer story, then the URL, so
the result is deterministic.

Speed: no all-pairs comparison. Each tag and section keeps its stories in
date order; only the ``WINDOW`` stories nearest in time on each side of A are
candidates per tag or section, so the cost per article is bounded by the
number of its tags, not by the size of the archive. Within those windows the
candidates are visited nearest in time first, and the walk stops as soon as
no story further away could still score high enough to enter the top ``n``
(a story ``d`` days away scores at most ``max relevance / (1 + d / 30)``), so
usually only a few dozen stories are scored. The result is exactly that of
scoring every candidate.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from newsgen.model import Article, Site

WINDOW = 60
_DAY = 86400.0
_MASK = (1 << 128) - 1


class RelatedIndex:
    """Per-tag and per-section date-ordered lists of published stories."""

    def __init__(self, articles: Sequence[Article]):
        self.latest = list(articles)  # newest first
        self._bits: dict[str, int] = {}
        self._sums: dict[tuple[str, str], list[int]] | None = None
        self._built = False  # the lists are made when first needed: a rebuild that reuses
        # every article's More Stories never needs them

    def _build(self) -> None:
        articles = self.latest
        self._key = {a.url: (a.date.timestamp(), a.url) for a in articles}
        # url -> (timestamp, tag bits, number of tags, casefolded section), computed once
        self._facts = {a.url: self._fact(a) for a in articles}
        groups: dict[tuple[str, str], list[Article]] = defaultdict(list)
        for a in articles:
            for t in a.tags:
                groups[("t", t.casefold())].append(a)
            if a.section:
                groups[("s", a.section.casefold())].append(a)
        self._groups: dict[tuple[str, str], tuple[list[tuple[float, str]], list[Article]]] = {}
        for key, members in groups.items():
            members.sort(key=lambda a: self._key[a.url])
            self._groups[key] = ([self._key[a.url] for a in members], members)
        self._built = True

    def __getattr__(self, name: str):  # _key, _facts, _groups: made on first use
        if name in ("_key", "_facts", "_groups") and not self.__dict__.get("_built"):
            self._build()
            return self.__dict__[name]
        raise AttributeError(name)

    def _fact(self, a: Article) -> tuple[float, int, int, str | None]:
        """(timestamp, tags as bits, number of tags, casefolded section)."""
        bits = 0
        folded = {t.casefold() for t in a.tags}
        for t in folded:
            bit = self._bits.get(t)
            if bit is None:
                bit = self._bits[t] = 1 << len(self._bits)
            bits |= bit
        return (a.date.timestamp(), bits, len(folded), a.section.casefold() if a.section else None)

    def _window(self, group: tuple[str, str], article: Article) -> tuple[list[Article], int, int, int]:
        """The group's members, the article's position and the window bounds [lo, hi)."""
        entry = self._groups.get(group)
        if entry is None:
            return [], 0, 0, 0
        keys, members = entry
        i = bisect_left(keys, self._key.get(article.url, (article.date.timestamp(), article.url)))
        return members, i, max(0, i - WINDOW), min(len(members), i + WINDOW + 1)

    def neighbours(self, group: tuple[str, str], article: Article) -> Iterable[Article]:
        members, _, lo, hi = self._window(group, article)
        return members[lo:hi]

    def inputs(self, article: Article, n: int) -> list[Article]:
        """Every story whose date, tags, section or URL :func:`rank_related`
        can look at for ``article``: the incremental cache keys on these."""
        looked: list[Article] = []
        for group in _groups(article):
            looked.extend(self.neighbours(group, article))
        looked.extend(self.latest[: n + 1])
        return looked

    def inputs_key(self, article: Article, n: int, weight: Callable[[Article], int]) -> tuple[int, ...]:
        """A summary of :meth:`inputs` in a few numbers: for each window, the
        sum (mod 2**128) of ``weight`` over its stories, where ``weight`` is
        a 128-bit hash of what ranking reads of a story. Equal keys mean,
        barring a hash collision, equal inputs. Costs O(groups), not
        O(window), per article: prefix sums are computed once per index."""
        if self._sums is None:
            self._sums = {}
            for g, (_, members) in self._groups.items():
                acc, sums = 0, [0]
                for a in members:
                    acc = (acc + weight(a)) & _MASK
                    sums.append(acc)
                self._sums[g] = sums
        out: list[int] = []
        for group in _groups(article):
            _, _, lo, hi = self._window(group, article)
            window = self._sums.get(group)
            out += [lo, hi, ((window[hi] - window[lo]) & _MASK) if window else 0]
        latest = 0
        for a in self.latest[: n + 1]:
            latest = (latest + weight(a)) & _MASK
        out.append(latest)
        return tuple(out)


def _groups(article: Article) -> list[tuple[str, str]]:
    tags = sorted({t.casefold() for t in article.tags})
    section = article.section.casefold() if article.section else None
    return [("t", t) for t in tags] + ([("s", section)] if section else [])


def more_stories(article: Article, site: Site, n: int) -> tuple[Article, ...]:
    """The ``n`` stories to show under ``article``: pure and deterministic."""
    return rank_related(article, site.related_index, n)


def rank_related(article: Article, index: RelatedIndex, n: int) -> tuple[Article, ...]:
    """:func:`more_stories` against a prepared index."""
    if n <= 0:
        return ()
    facts = index._facts
    when, bits, ntags, section = facts.get(article.url) or index._fact(article)
    best_possible = 2 * ntags + (section is not None)
    # One stream per side of each window, walked away from A: a heap of
    # (distance in seconds, stream, position). A stream is dropped once even
    # its best possible candidate could not enter the top n.
    streams: list[tuple[list[Article], int, int, int]] = []  # members, step, end (exclusive), cap
    heap: list[tuple[float, int, int]] = []
    groups = _groups(article)
    windows = [index._window(g, article) for g in groups]
    # A story in the section's window shares a tag t with A only if it is in
    # t's window too (and so is ranked through t's stream), unless t's window
    # is cut short on that side: so the section stream can only offer
    # relevance 1 + 2 x (tags of A whose window is cut on that side).
    cut_right = sum(
        1 for g, (m, _, _, hi) in zip(groups, windows, strict=False) if g[0] == "t" and hi < len(m)
    )
    cut_left = sum(1 for g, (_, _, lo, _) in zip(groups, windows, strict=False) if g[0] == "t" and lo > 0)
    for g, (members, i, lo, hi) in zip(groups, windows, strict=False):
        if hi <= lo:
            continue
        for start, step, end, cut in ((i, 1, hi, cut_right), (i - 1, -1, lo - 1, cut_left)):
            if start != end:
                cap = best_possible if g[0] == "t" else 1 + 2 * cut
                heap.append((abs(facts[members[start].url][0] - when), len(streams), start))
                streams.append((members, step, end, cap))
    heapq.heapify(heap)
    seen = {article.url}
    best: list[tuple[float, float, str, Article]] = []  # the n best so far, best first
    while heap:
        dist, s, pos = heap[0]
        members, step, end, cap = streams[s]
        if len(best) == n and -best[-1][0] > cap / (1.0 + dist / _DAY / 30.0):
            heapq.heappop(heap)  # nothing this far away or further on this side can make the top n
            continue
        c = members[pos]
        nxt = pos + step
        if nxt != end:
            heapq.heapreplace(heap, (abs(facts[members[nxt].url][0] - when), s, nxt))
        else:
            heapq.heappop(heap)
        if c.url in seen:
            continue
        seen.add(c.url)
        ts, cbits, _, csection = facts[c.url]
        relevance = 2 * (cbits & bits).bit_count() + (csection == section and section is not None)
        if relevance:
            item = (-relevance / (1.0 + abs(ts - when) / _DAY / 30.0), -ts, c.url, c)
            if len(best) < n:
                insort(best, item)
            elif item < best[-1]:
                best.pop()
                insort(best, item)
    chosen = [item[3] for item in best]
    if len(chosen) < n:
        taken = {c.url for c in chosen} | {article.url}
        for c in index.latest:
            if c.url not in taken:
                chosen.append(c)
                taken.add(c.url)
                if len(chosen) == n:
                    break
    return tuple(chosen)
