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
looked at per tag or section, so the cost per article is bounded by the
number of its tags, not by the size of the archive.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from typing import Iterable, Sequence

from .model import Article, Site

WINDOW = 60
_DAY = 86400.0


class RelatedIndex:
    """Per-tag and per-section date-ordered lists of published stories."""

    def __init__(self, articles: Sequence[Article]):
        self.latest = list(articles)  # newest first
        self._key = {a.url: (a.date.timestamp(), a.url) for a in articles}
        # url -> (timestamp, casefolded tags, casefolded section), computed once
        self._facts = {a.url: _facts(a) for a in articles}
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

    def neighbours(self, group: tuple[str, str], article: Article) -> Iterable[Article]:
        entry = self._groups.get(group)
        if entry is None:
            return ()
        keys, members = entry
        i = bisect_left(keys, self._key.get(article.url, (article.date.timestamp(), article.url)))
        return members[max(0, i - WINDOW): i + WINDOW + 1]

    def inputs(self, article: Article, n: int) -> list[Article]:
        """Every story whose date, tags, section or URL :func:`rank_related`
        can look at for ``article``: the incremental cache keys on these."""
        looked: list[Article] = []
        for group in _groups(article):
            looked.extend(self.neighbours(group, article))
        looked.extend(self.latest[: n + 1])
        return looked


def _groups(article: Article) -> list[tuple[str, str]]:
    tags = sorted({t.casefold() for t in article.tags})
    section = article.section.casefold() if article.section else None
    return [("t", t) for t in tags] + ([("s", section)] if section else [])


def more_stories(article: Article, site: Site, n: int) -> tuple[Article, ...]:
    """The ``n`` stories to show under ``article``: pure and deterministic."""
    return rank_related(article, site.related_index, n)


def _facts(a: Article) -> tuple[float, frozenset[str], str | None]:
    return (a.date.timestamp(), frozenset(t.casefold() for t in a.tags),
            a.section.casefold() if a.section else None)


def rank_related(article: Article, index: RelatedIndex, n: int) -> tuple[Article, ...]:
    """:func:`more_stories` against a prepared index."""
    if n <= 0:
        return ()
    when, tags, section = _facts(article)
    facts = index._facts
    candidates = {c.url: c for group in _groups(article) for c in index.neighbours(group, article)}
    candidates.pop(article.url, None)
    scored = []
    for url in candidates:
        ts, ctags, csection = facts[url]
        relevance = 2 * len(ctags & tags) + (csection == section and section is not None)
        if relevance:
            scored.append((-relevance / (1.0 + abs(ts - when) / _DAY / 30.0), -ts, url))
    chosen = [candidates[url] for _, _, url in heapq.nsmallest(n, scored)]
    if len(chosen) < n:
        taken = {c.url for c in chosen} | {article.url}
        for c in index.latest:
            if c.url not in taken:
                chosen.append(c)
                taken.add(c.url)
                if len(chosen) == n:
                    break
    return tuple(chosen)
