"""Assemble loaded articles into a :class:`~newsgen.model.Site`.

``build_site`` decides what is published (drafts are left out), orders the
stories newest first (ties by URL, so the order never depends on the file
system), refuses two stories that claim the same URL, and computes every
article's More Stories.
"""

from __future__ import annotations

from collections import defaultdict
from types import MappingProxyType
from typing import Iterable

from .config import Config
from .errors import BuildError, Diagnostic
from .model import Article, Site
from .related import RelatedIndex, rank_related


def newest_first(articles: Iterable[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.url))


def build_site(articles: Iterable[Article], config: Config) -> Site:
    """The published site: drafts dropped, ordered, collisions refused."""
    published = newest_first(a for a in articles if not a.draft)
    claims: dict[str, list[Article]] = defaultdict(list)
    for a in published:
        claims[a.output_path].append(a)
    problems = [
        Diagnostic(a.source, None, None,
                   f"two articles have the same URL {a.url}: {', '.join(x.source for x in group)}; "
                   "give one of them a different 'slug:'")
        for path, group in sorted(claims.items()) if len(group) > 1
        for a in group
    ]
    if problems:
        raise BuildError(problems)
    index = RelatedIndex(published)
    related = {a.url: rank_related(a, index, config.more_stories) for a in published}
    return Site(
        config=config,
        articles=tuple(published),
        more_stories=MappingProxyType(related),
        related_index=index,
    )
