"""The data newsgen works on: plain, immutable values with no behaviour to speak of.

``Article`` is what the loader makes of one source file. ``Site`` is every
published article, ordered newest first, with the More Stories of each.
``OutputPage`` is one file the build will write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .config import Config


def _frozen_map(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True, eq=False)
class Article:
    """One story, as loaded and derived from a source file.

    As written: ``title``, ``date``, ``updated``, ``authors``, ``section``,
    ``tags``, ``summary``, ``image``, ``draft``, ``extra`` (every front matter
    key newsgen does not know, for templates). Derived: ``slug``, ``url``,
    ``output_path``, ``body_html``, ``word_count``.
    """

    source: str  # path as shown to the user, relative to the site folder
    source_path: Path
    kind: str  # "markdown" or "wire"
    title: str
    slug: str
    date: datetime  # timezone-aware
    updated: datetime | None
    authors: tuple[str, ...]
    section: str | None
    tags: tuple[str, ...]
    summary: str  # plain text
    body_html: str  # safe HTML
    word_count: int
    url: str  # site path, e.g. /2025/03/01/slug/
    output_path: str  # relative to the output folder, e.g. 2025/03/01/slug/index.html
    draft: bool = False
    image: str | None = None
    date_from: str = "front matter"  # "front matter", "filename" or "default_date"
    extra: Mapping[str, Any] = field(default_factory=_frozen_map)

    def __post_init__(self) -> None:
        if not isinstance(self.extra, MappingProxyType):
            object.__setattr__(self, "extra", _frozen_map(self.extra))

    @property
    def modified(self) -> datetime:
        """When the story last changed: ``updated`` if later than ``date``."""
        if self.updated is not None and self.updated > self.date:
            return self.updated
        return self.date

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one minute."""
        return max(1, round(self.word_count / 230))

    def __repr__(self) -> str:
        return f"Article({self.source!r}, {self.title!r})"


@dataclass(frozen=True)
class Site:
    """Everything that will be published, computed once, read by renderers."""

    config: Config
    articles: tuple[Article, ...]  # published, newest first
    more_stories: Mapping[str, tuple[Article, ...]]  # article url -> its More Stories
    related_index: Any = None  # newsgen.related.RelatedIndex over ``articles``

    def related(self, article: Article) -> tuple[Article, ...]:
        return self.more_stories.get(article.url, ())


@dataclass(frozen=True)
class OutputPage:
    """One file the build will write: where it goes and what it came from."""

    output_path: str  # relative to the output folder, POSIX separators
    kind: str  # "article", "index", "feed", "static", ...
    source: str  # the source that claims this path, for collision messages
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=_frozen_map)
    static_file: Path | None = None
