"""Sitemaps, the Google News sitemap and robots.txt.

``sitemap.xml``
    Every published HTML page (articles, the front page and its pages, list
    pages; never ``404.html``) with ``lastmod`` taken from the content: an
    article's modified time, a list page's newest story. Past 50,000 URLs
    (the protocol's limit per file) ``sitemap.xml`` becomes a sitemap index
    pointing at ``sitemap-1.xml``, ``sitemap-2.xml``, ...

``news-sitemap.xml``
    The Google News sitemap: the stories *published* in the two days before
    the build's "now" (``now - 2 days < published <= now``), newest first,
    each with the publication name and language (``news_sitemap`` in
    newsgen.yaml), publication date and headline. At most 1,000 stories per
    file; beyond that ``news-sitemap.xml`` is an index of
    ``news-sitemap-1.xml``, ... The file is written even when no story is
    recent enough, so the URL registered with Google News stays valid.
    ``news_sitemap: {enabled: false}`` turns it off.

``robots.txt``
    Allows everything and names the sitemaps. Crawlers only read
    ``/robots.txt`` at the root of a host, so a site served under a path
    (``https://example.github.io/news/``) should copy these ``Sitemap:``
    lines into the host's own robots.txt. A ``robots.txt`` in the site's
    ``static/`` folder replaces the generated one.

URLs are absolute under ``base_url`` and percent-encoded as the sitemap
protocol requires; every time comes from the content or the "now" given,
never from the clock, so two builds of the same input are byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

from newsgen.config import Config
from newsgen.core.urls import url_of_output
from newsgen.model import Article, OutputPage
from newsgen.outputs.feeds import xml_text
from newsgen.outputs.lazycontext import LazyContext

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000
MAX_NEWS_URLS = 1_000
NEWS_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # site path
    lastmod: datetime | None = None


def loc(config: Config, site_path: str) -> str:
    """An absolute URL as the sitemap protocol wants it: non-ASCII and spaces percent-encoded."""
    return quote(config.absolute_url(site_path), safe=":/?#[]@!$&'()*+,;=%~")


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def _index(config: Config, files: Sequence[tuple[str, datetime | None]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for path, lastmod in files:
        lines.append("  <sitemap>")
        lines.append(f"    <loc>{xml_text(loc(config, path))}</loc>")
        if lastmod is not None:
            lines.append(f"    <lastmod>{lastmod.isoformat()}</lastmod>")
        lines.append("  </sitemap>")
    lines.append("</sitemapindex>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _split(
    config: Config, name: str, items: Sequence, size: int, write, lastmod_of
) -> list[tuple[str, bytes]]:
    """``name`` holding every item, or an index of numbered files when there are too many."""
    if len(items) <= size:
        return [(name, write(items))]
    stem = name.rsplit(".", 1)[0]
    parts = _chunks(items, size)
    files = [(f"{stem}-{n}.xml", part) for n, part in enumerate(parts, start=1)]
    out = [(path, write(part)) for path, part in files]
    index = _index(
        config,
        [("/" + path, max((m for m in map(lastmod_of, part) if m), default=None)) for path, part in files],
    )
    return [(name, index)] + out


# --------------------------------------------------------------------------- sitemap.xml


def _urlset(config: Config, part: Sequence[SitemapEntry]) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for e in part:
        lines.append("  <url>")
        lines.append(f"    <loc>{xml_text(loc(config, e.url))}</loc>")
        if e.lastmod is not None:
            lines.append(f"    <lastmod>{e.lastmod.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_files(
    config: Config, entries: Iterable[SitemapEntry], max_urls: int = MAX_URLS
) -> list[tuple[str, bytes]]:
    """``(output path, bytes)`` of ``sitemap.xml`` (and its parts past ``max_urls``)."""
    ordered = sorted(entries, key=lambda e: e.url)
    return _split(config, "sitemap.xml", ordered, max_urls, partial(_urlset, config), lambda e: e.lastmod)


class _Entries:
    """The sitemap entries of the indexable ``pages``, by URL, made once when first needed."""

    def __init__(self, pages: Sequence[OutputPage]):
        self.pages: Sequence[OutputPage] | None = pages
        self.count = len(pages)
        self._made: tuple[SitemapEntry, ...] | None = None

    def all(self) -> tuple[SitemapEntry, ...]:
        if self._made is None:
            assert self.pages is not None
            self._made = tuple(sorted((_page_entry(p) for p in self.pages), key=lambda e: e.url))
            self.pages = None
        return self._made


def _part_context(config: Config, entries: _Entries, start: int, stop: int) -> dict[str, Any]:
    return {"config": config, "entries": entries.all()[start:stop]}


def _index_context(config: Config, entries: _Entries, size: int) -> dict[str, Any]:
    parts = _chunks(entries.all(), size)
    files = tuple(
        (f"/sitemap-{n}.xml", max((e.lastmod for e in part if e.lastmod), default=None))
        for n, part in enumerate(parts, start=1)
    )
    return {"config": config, "files": files}


def sitemap_bytes(context: Mapping[str, Any]) -> bytes:
    """A sitemap page's bytes (its ``produce``): a part of the URLs, or the index of the parts."""
    if "files" in context:
        return _index(context["config"], context["files"])
    return _urlset(context["config"], context["entries"])


def sitemap_pages(config: Config, pages: Sequence[OutputPage], max_urls: int = MAX_URLS) -> list[OutputPage]:
    """``sitemap.xml`` (and its parts past ``max_urls``) of the indexable ``pages``, as
    :func:`sitemap_files` makes them; made when rendered, their entries when first read
    (a rebuild that keeps them makes neither: :mod:`newsgen.outputs.lazycontext`)."""
    entries = _Entries(pages)

    def page(path: str, make: Any, *args: Any) -> OutputPage:
        context = LazyContext(make, config, entries, *args, known={})
        return OutputPage(path, "sitemap", "sitemap", context=context, produce=sitemap_bytes)

    if entries.count <= max_urls:
        return [page("sitemap.xml", _part_context, 0, entries.count)]
    starts = range(0, entries.count, max_urls)
    parts = [page(f"sitemap-{n}.xml", _part_context, s, s + max_urls) for n, s in enumerate(starts, start=1)]
    return [page("sitemap.xml", _index_context, max_urls), *parts]


# --------------------------------------------------------------------------- news-sitemap.xml


def news_language(config: Config) -> str:
    """The Google News language code: ``news_sitemap.language``, else ISO 639 from ``language``."""
    if config.news_sitemap.language:
        return config.news_sitemap.language
    tag = config.language.lower().replace("_", "-")
    parts = tag.split("-")
    if parts[0] == "zh":
        return "zh-tw" if any(p in ("tw", "hk", "mo", "hant") for p in parts[1:]) else "zh-cn"
    return parts[0] or "en"


def news_window(articles: Iterable[Article], now: datetime) -> list[Article]:
    """Stories published in the two days before ``now``, newest first."""
    start = now - NEWS_WINDOW
    picked = [a for a in articles if start < a.date <= now]
    return sorted(picked, key=lambda a: (-a.date.timestamp(), a.url))


def news_window_changes(articles: Iterable[Article], now: datetime) -> datetime | None:
    """When the oldest story in the news window leaves it (the window's other
    changes are publications, which ``Site.upcoming`` lists); None when it is empty."""
    start = now - NEWS_WINDOW
    return min((a.date + NEWS_WINDOW for a in articles if start < a.date <= now), default=None)


def news_sitemap_files(
    config: Config, articles: Iterable[Article], now: datetime, max_urls: int = MAX_NEWS_URLS
) -> list[tuple[str, bytes]]:
    """``(output path, bytes)`` of ``news-sitemap.xml`` (and its parts past ``max_urls``)."""
    name = xml_text(config.news_sitemap.name or config.publisher_name)
    lang = xml_text(news_language(config))
    recent = news_window(articles, now)

    def write(part: Sequence[Article]) -> bytes:
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">',
        ]
        for a in part:
            lines += [
                "  <url>",
                f"    <loc>{xml_text(loc(config, a.url))}</loc>",
                "    <news:news>",
                "      <news:publication>",
                f"        <news:name>{name}</news:name>",
                f"        <news:language>{lang}</news:language>",
                "      </news:publication>",
                f"      <news:publication_date>{a.date.isoformat()}</news:publication_date>",
                f"      <news:title>{xml_text(a.title)}</news:title>",
                "    </news:news>",
                "  </url>",
            ]
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    return _split(config, "news-sitemap.xml", recent, max_urls, write, lambda a: a.modified)


# --------------------------------------------------------------------------- robots.txt


def robots_txt(config: Config, sitemap_paths: Sequence[str]) -> bytes:
    """A robots.txt that allows everything and names each sitemap (site paths)."""
    lines = ["# Written by newsgen.", "User-agent: *", "Disallow:", ""]
    lines += [f"Sitemap: {loc(config, p)}" for p in sitemap_paths]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- planning


_LISTED = ("articles", "corrections", "tags", "authors")  # context keys of what a list page shows


def _newest(item) -> datetime | None:
    """When a listed thing last changed: a story, a correction's story, a group's newest story."""
    if isinstance(item, Article):
        return item.modified
    if isinstance(getattr(item, "article", None), Article):
        return item.article.modified
    return max((a.modified for a in getattr(item, "articles", ()) if isinstance(a, Article)), default=None)


def _page_entry(page: OutputPage) -> SitemapEntry:
    lastmod = page.lastmod
    if lastmod is None:  # a page that did not say: the newest thing it lists
        times = [_newest(x) for key in _LISTED for x in page.context.get(key) or ()]
        lastmod = max((t for t in times if t is not None), default=None)
    return SitemapEntry(url_of_output(page.output_path), lastmod)


def is_indexable(page: OutputPage) -> bool:
    """An HTML page that belongs in sitemap.xml: not 404.html, a withdrawn story or a
    redirect page, not a draft shown by ``--drafts`` (only a story's page is one: no
    other page's context is read, so a context made when first read stays unmade)."""
    article = page.context.get("article") if page.kind == "article" else None
    return (
        page.template is not None
        and page.output_path.endswith(".html")
        and page.kind not in ("not_found", "withdrawn", "redirect")
        and not getattr(article, "draft", False)
    )


def discovery_pages(
    config: Config, pages: Sequence[OutputPage], articles: Sequence[Article], now: datetime
) -> list[OutputPage]:
    """sitemap.xml, news-sitemap.xml and robots.txt for the planned ``pages``.

    ``articles`` are the published stories; ``now`` is the build's "now". A
    ``robots.txt`` already planned (from the site's static folder) is kept.
    """
    out = sitemap_pages(config, [p for p in pages if is_indexable(p)])
    named = ["/sitemap.xml"]
    if config.news_sitemap.enabled:
        out += [
            OutputPage(path, "sitemap", "Google News sitemap", context={"data": data})
            for path, data in news_sitemap_files(config, articles, now)
        ]
        named.append("/news-sitemap.xml")
    if not any(p.output_path == "robots.txt" for p in pages):
        out.append(
            OutputPage("robots.txt", "robots", "robots.txt", context={"data": robots_txt(config, named)})
        )
    return out
