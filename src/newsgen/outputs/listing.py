"""List pages: every paginated list of stories (section fronts, tags, authors,
date archives, corrections) and the tags and authors indexes, each paginated
by :func:`paginate` exactly like the front page."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from newsgen.config import Config
from newsgen.core.quickinit import quick_init
from newsgen.core.urls import (
    AUTHORS_URL,
    CORRECTIONS_URL,
    TAGS_URL,
    output_path,
    page_url,
)
from newsgen.model import Article, Group, OutputPage, Site
from newsgen.outputs.lazycontext import LazyContext
from newsgen.outputs.structured import script_json
from newsgen.site.feedlinks import FeedLink, feed_links


@quick_init
@dataclass(frozen=True)
class Pagination:
    """What a list template knows about its place in a paginated list."""

    number: int  # 1-based
    total: int
    url: str
    prev_url: str | None
    next_url: str | None
    first_url: str


@dataclass(frozen=True)
class PageInfo:
    """What every template sees as ``page``.

    ``feeds``: this page's own feeds (a section's, tag's or author's),
    announced before the site-wide ones; ``image``: absolute URL of its share
    image (Open Graph, Twitter), and its ``image_width`` and ``image_height`` when
    known; ``structured_data``: JSON-LD texts, each safe
    inside a ``<script>``; ``root_links``: links start from the base path
    (``/news/css/...``) instead of being relative, for pages served at any
    URL (404.html).
    """

    url: str
    kind: str
    title: str
    description: str
    feeds: tuple[FeedLink, ...] = ()
    image: str | None = None
    structured_data: Sequence[Markup] = ()
    image_width: int | None = None  # of ``image``, when known
    image_height: int | None = None
    root_links: bool = False


def paginate(first_url: str, items: Sequence[Any], per_page: int) -> Iterator[tuple[Pagination, list[Any]]]:
    """Yield ``(Pagination, items on that page)``; an empty list gives one empty page."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    total = len(chunks)
    for n, chunk in enumerate(chunks, start=1):
        yield (
            Pagination(
                number=n,
                total=total,
                url=page_url(first_url, n),
                prev_url=page_url(first_url, n - 1) if n > 1 else None,
                next_url=page_url(first_url, n + 1) if n < total else None,
                first_url=first_url,
            ),
            list(chunk),
        )


def list_pages(
    first_url: str,
    items: Sequence[Any],
    per_page: int,
    *,
    kind: str,
    template: str,
    source: str,
    source_detail: Callable[[], str] | None = None,
    title: str,
    description: str,
    items_key: str = "articles",
    extra: Mapping[str, Any] | None = None,
    page_extra: Callable[[Pagination, list[Any]], Mapping[str, Any]] | None = None,
    feeds: tuple[FeedLink, ...] = (),
    structured_data: Iterable[Mapping[str, Any]] = (),
) -> list[OutputPage]:
    """The pages of one paginated list; page N > 1 is titled "...: page N".

    Every page's context has ``extra``, and what ``page_extra`` makes of its
    pagination and items; every page announces ``feeds``; the first carries
    ``structured_data``.
    """
    pages = []
    first_data = tuple(script_json(d) for d in structured_data)
    for pagination, chunk in paginate(first_url, items, per_page):
        shown = title if pagination.number == 1 else f"{title}: page {pagination.number}"
        info = (kind, shown, description, feeds, first_data if pagination.number == 1 else ())
        pages.append(
            OutputPage(
                output_path=output_path(pagination.url),
                kind=kind,
                source=source,
                source_detail=source_detail,
                template=template,
                # made when first read (a rebuild that keeps the page never makes it)
                context=LazyContext(
                    _list_context, pagination, chunk, info, items_key, extra, page_extra, known={}
                ),
                lastmod=max((a.modified for a in chunk if isinstance(a, Article)), default=None),
            )
        )
    return pages


def _list_context(
    pagination: Pagination,
    chunk: list[Any],
    info: tuple[str, str, str, tuple[FeedLink, ...], tuple[Markup, ...]],
    items_key: str,
    extra: Mapping[str, Any] | None,
    page_extra: Callable[[Pagination, list[Any]], Mapping[str, Any]] | None,
) -> dict[str, Any]:
    kind, shown, description, feeds, data = info
    return {
        "page": PageInfo(pagination.url, kind, shown, description, feeds=feeds, structured_data=data),
        items_key: chunk,
        "pagination": pagination,
        **(extra or {}),
        **(page_extra(pagination, chunk) if page_extra is not None else {}),
    }


def group_feed_title(cfg: Config, group: Group) -> str:
    return f"{cfg.title}: {group.name}"


def _files_of(group: Group) -> str:
    """The files behind a list page, for collision messages."""
    files = {a.source for a in group.articles}
    shown = ", ".join(heapq.nsmallest(3, files))  # the first three in order, without sorting them all
    return shown + (f" and {len(files) - 3} more" if len(files) > 3 else "")


def group_pages(site: Site) -> list[OutputPage]:
    """Section fronts, tag and author pages and their indexes, date archives, corrections."""
    cfg = site.config
    pages: list[OutputPage] = []

    def lists(
        kind: str,
        group: Group,
        named: str,
        description: str,
        *,
        feeds: bool = True,
        extra: Mapping[str, Any] | None = None,
    ) -> list[OutputPage]:
        """The list pages of ``group``, whose template is ``{kind}.html`` and
        which collision messages call ``named``."""
        return list_pages(
            group.url,
            group.articles,
            cfg.per_page,
            kind=kind,
            template=f"{kind}.html",
            source=named,
            source_detail=partial(_files_of, group),
            title=group.name,
            description=description,
            extra={kind: group, **(extra or {})},
            feeds=feed_links(cfg, group.url, group_feed_title(cfg, group)) if feeds else (),
        )

    for section in site.sections:
        pages += lists("section", section, f"section '{section.name}'", f"{section.name}: the latest stories")
    for tag in site.tags:
        pages += lists("tag", tag, f"tag '{tag.name}'", f"Stories about {tag.name}")
    for author in site.authors:
        profile = author.profile
        bio = profile.bio if profile is not None and profile.bio else f"Stories by {author.name}"
        pages += lists("author", author, f"author '{author.name}'", bio)
    for year in site.archives:
        for archive in (year, *year.months):
            pages += lists(
                "archive",
                archive,
                f"archive {archive.name}",
                f"Stories published in {archive.name}",
                feeds=False,
                extra={"year": year},
            )
    if site.tags:
        pages.append(
            _index_page(
                TAGS_URL, "tags", "Tags", "Every topic, with its number of stories", {"tags": site.tags}
            )
        )
    if site.authors:
        pages.append(
            _index_page(
                AUTHORS_URL,
                "authors",
                "Authors",
                "Every reporter, with their stories",
                {"authors": site.authors},
            )
        )
    if site.corrections:
        pages += list_pages(
            CORRECTIONS_URL,
            site.corrections,
            cfg.per_page,
            kind="corrections",
            template="corrections.html",
            source="corrections page",
            title="Corrections",
            description="Every correction to our stories, newest first",
            items_key="corrections",
        )
    return pages


def _index_page(url: str, kind: str, title: str, description: str, extra: Mapping[str, Any]) -> OutputPage:
    return OutputPage(
        output_path=output_path(url),
        kind=kind,
        source=f"{kind} index",
        template=f"{kind}.html",
        context={"page": PageInfo(url, kind, title, description), **extra},
    )
