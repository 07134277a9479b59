"""Plan: decide every file the build will write, before anything is rendered.

``plan(site, renderer)`` returns one :class:`~newsgen.model.OutputPage` per
output file: article pages, the paginated front page, the list pages
(sections, tags, authors, year and month archives, corrections, each
paginated exactly like the front page, plus the tags and authors indexes:
:mod:`newsgen.outputs.listing`), ``404.html``, the feeds (site-wide, and per section, tag
and author next to its list page; a live story's updates feed next to its
page: :mod:`newsgen.outputs.live`), ``newsgen-status.json``, ``breaking.json``
(:mod:`newsgen.outputs.breaking`), the static files,
the redirect pages of old URLs (:mod:`newsgen.outputs.redirects`), the
sitemaps and ``robots.txt``; a killed agency story's URL gets a "withdrawn"
page (``withdrawn.html``, receiving ``article``). Two pages that claim the same output path
are an error naming every source involved, raised before a single file is
written.

List page templates receive ``page``, ``articles`` (this page's stories),
``pagination`` and the group they list: ``section``, ``tag``, ``author`` or
``archive``; ``index.html`` receives ``front`` (and ``breaking_news``, the stories whose
breaking-news banner shows now, drawn by ``partials/breaking.html``) instead (a
:class:`~newsgen.outputs.front.FrontPage`:
the first page's stories laid out as a newspaper front, grouped by section;
None on later pages); ``corrections.html`` receives ``corrections`` (this page's
:class:`~newsgen.model.CorrectionEntry` items) instead of ``articles``;
``tags.html`` and ``authors.html`` receive ``tags`` / ``authors``.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from newsgen.config import Config
from newsgen.content.markup import rewrite_urls, with_dateline
from newsgen.content.pages import page_url_line
from newsgen.core.urls import (
    STATUS_FILE,
    absolute_ref,
    localize,
    name_key,
    output_path,
)
from newsgen.errors import BuildError, Diagnostic, display_path
from newsgen.model import Article, OutputPage, Site
from newsgen.outputs.breaking import breaking_page
from newsgen.outputs.feedentries import EntryBodies
from newsgen.outputs.feeds import Feed, feed_pages
from newsgen.outputs.front import index_pages
from newsgen.outputs.lazycontext import LazyContext
from newsgen.outputs.listing import PageInfo, group_feed_title, group_pages
from newsgen.outputs.live import feed_links as live_feed_links
from newsgen.outputs.live import feed_page, is_live_coverage, live_block, live_posting
from newsgen.outputs.pictures import with_pictures
from newsgen.outputs.redirects import redirect_pages
from newsgen.outputs.search import BUNDLE as SEARCH_BUNDLE
from newsgen.outputs.sitemaps import discovery_pages
from newsgen.outputs.sitepages import check_trust_links, site_page_outputs
from newsgen.outputs.status import status_json
from newsgen.outputs.structured import Byline, article_breadcrumbs, article_data, image_objects, script_json
from newsgen.payloads import Linked
from newsgen.site.assemble import url_line
from newsgen.theme.catalog import Derivative, PhotoCatalog
from newsgen.theme.embeds import with_embeds
from newsgen.theme.photouses import article_focus
from newsgen.theme.render import Renderer


def bylines(site: Site, a: Article, made: dict[str, Byline] | None = None) -> tuple[Byline, ...]:
    """Each author of a story with the absolute URL of their page and their own links.

    ``made`` remembers each name's byline across calls, so every story by
    one author shares one value."""
    out = []
    for name, author in zip(a.authors, site.authors_of(a), strict=True):
        byline = made.get(name) if made is not None else None
        if byline is None:
            profile = author.profile
            links = (profile.url, *(link.url for link in profile.social)) if profile is not None else ()
            byline = Byline(name, site.config.absolute_url(author.url), tuple(u for u in links if u))
            if made is not None:
                made[name] = byline
        out.append(byline)
    return tuple(out)


#: Could an attribute value (``href``, ``src``, ...) be, or decode to, a site path?
_MAYBE_SITE_PATH = re.compile(r"""=\s*["']?[/&]""")


@dataclass(frozen=True, eq=False)
class PageBody:
    """An article page's ``body``: the story HTML with its dateline, site
    paths made relative to the page. Made when the template shows it, so the
    plan holds no story HTML (and a page that is not rendered never loads it)."""

    article: Article
    photos: PhotoCatalog | None = None  # photos in the body become responsive <picture>s
    embeds: tuple[str, ...] = ()  # the services whose embed links become click-to-load players

    def __html__(self) -> str:
        a = self.article
        html = with_embeds(with_dateline(a.body_html, a.dateline), self.embeds)
        if self.photos is not None:
            html = with_pictures(html, self.photos, lambda ref: localize(a.url, ref), a.url)
        if _MAYBE_SITE_PATH.search(html) is None:
            return html
        return rewrite_urls(html, lambda ref: localize(a.url, ref))

    def __str__(self) -> str:
        return self.__html__()


@dataclass(frozen=True, eq=False)
class ArticleData(Sequence[Markup]):
    """An article page's JSON-LD (``NewsArticle`` and ``BreadcrumbList``):
    a sequence of texts like any ``page.structured_data``, made when read."""

    config: Config
    article: Article
    bylines: tuple[Byline, ...]
    image: str | tuple[dict[str, Any], ...] | None
    section_url: str | None

    def _texts(self) -> tuple[Markup, ...]:
        cfg, a = self.config, self.article
        return (
            script_json(live_posting(cfg, a, article_data(cfg, a, self.bylines, image=self.image))),
            script_json(article_breadcrumbs(cfg, a, self.section_url)),
        )

    def __iter__(self) -> Iterator[Markup]:
        return iter(self._texts())

    def __len__(self) -> int:
        return 2

    def __getitem__(self, i: Any) -> Any:
        return self._texts()[i]


def _article_page(
    site: Site, a: Article, photos: PhotoCatalog, made: dict[str, Byline] | None = None
) -> OutputPage:
    """A story's page; its context is made when first read (:mod:`newsgen.outputs.lazycontext`)."""
    return OutputPage(
        output_path=a.output_path,
        kind="article",
        source=a.source,
        template="article.html",
        context=LazyContext(_article_context, site, a, photos, made, known={"article": a}),
        lastmod=a.modified,
    )


def _article_context(
    site: Site, a: Article, photos: PhotoCatalog, made: dict[str, Byline] | None
) -> dict[str, Any]:
    cfg = site.config
    image = absolute_ref(cfg.base_url, a.url, a.image) if a.image else None
    photo = photos.get(a.image, a.url) if a.image else None
    og = photo.crops_for(article_focus(a)).get("og") if photo else None
    if og is not None:
        image = cfg.absolute_url(og.url)
    section = site.section_of(a)
    data = ArticleData(
        cfg, a, bylines(site, a, made), _search_images(site, a, photos), section.url if section else None
    )
    return {
        "page": PageInfo(
            a.url,
            "live" if is_live_coverage(a) else "article",
            a.title,
            a.summary,
            feeds=live_feed_links(a),
            image=image,
            structured_data=data,
            image_width=og.width if og else None,
            image_height=og.height if og else None,
        ),
        "article": a,
        "breaking_now": any(b is a for b in site.breaking),  # its breaking-news banner shows now
        "body": PageBody(a, photos if photos.photos else None, cfg.embeds),
        "live": live_block(cfg, a),  # live coverage, else None (partials/live.html)
        "more_stories": site.related(a),
        "section": section,
        "tags": site.tags_of(a),
        "authors": site.authors_of(a),
    }


def _withdrawn_page(site: Site, a: Article) -> OutputPage:
    """A killed agency story's URL: a short notice, noindex, in no list, feed or sitemap."""
    return OutputPage(
        output_path=a.output_path,
        kind="withdrawn",
        source=a.source,
        template="withdrawn.html",
        context={"page": PageInfo(a.url, "withdrawn", "This story has been withdrawn", ""), "article": a},
    )


def _search_images(site: Site, a: Article, photos: PhotoCatalog) -> str | tuple[dict[str, Any], ...] | None:
    """A story's ``NewsArticle`` image: the 16:9, 4:3 and 1:1 crops of its photo (else of
    the site's ``social.image``) as ImageObjects with their credits, else a URL as written."""
    cfg = site.config
    own = a.image or cfg.social.image
    if not own:
        return None
    photo = photos.get(own, a.url if a.image else "/")
    if photo is None:
        return absolute_ref(cfg.base_url, a.url if a.image else "/", own)
    at = photo.crops_for(article_focus(a) if a.image else None)
    crops = [(c.url, c.width, c.height) for c in (at.get(n) for n in ("16x9", "4x3", "1x1")) if c]
    credits = {
        "caption": (a.image_caption if a.image else None) or photo.caption,
        "credit": (a.extra.get("image_credit") if a.image else None) or photo.credit,
        "creator": photo.creator,
        "copyright": photo.copyright,
        "license": (a.extra.get("image_license") if a.image else None) or photo.license,
        "acquire_license_page": (a.extra.get("image_acquire_license_page") if a.image else None)
        or photo.acquire_license_page,
    }
    return tuple(image_objects(cfg, crops, credits))


def _not_found_page(site: Site) -> OutputPage:
    """404.html: served by hosts at any missing URL, so its links start from the base path."""
    return OutputPage(
        output_path="404.html",
        kind="not_found",
        source="404 page",
        template="404.html",
        context={
            "page": PageInfo("/404.html", "not_found", "Page not found", "", root_links=True),
            "articles": list(site.articles[:5]),
        },
    )


def _feeds(site: Site) -> list[OutputPage]:
    """The site-wide feeds and one set per section, tag and author."""
    cfg = site.config
    author_urls: dict[str, str] = {}
    for a in site.articles:
        for name in a.authors:
            if name not in author_urls:
                author_urls[name] = cfg.absolute_url(site.groups_by_key[("author", name_key(name))].url)
    urls = MappingProxyType({k: v for k, v in author_urls.items() if v})
    feeds = [Feed("/", cfg.title, "/", site.articles, "site feed", urls)]
    for kind, groups in (("section", site.sections), ("tag", site.tags), ("author", site.authors)):
        feeds += [
            Feed(g.url, group_feed_title(cfg, g), g.url, g.articles, f"feed of {kind} '{g.name}'", urls)
            for g in groups
        ]
    bodies = EntryBodies(cfg)
    return [page for feed in feeds for page in feed_pages(cfg, feed, bodies)]


def _static_files(renderer: Renderer, site: Site) -> list[OutputPage]:
    """Theme static files, then the site's ``static/`` over them (site wins), and the
    stories' own files (:mod:`newsgen.site.assets`)."""
    files: dict[str, Path] = {}
    owner: dict[str, str] = {}
    roots: list[tuple[Path, str | None]] = [(renderer.theme_static, "newsgen theme")]
    site_static = site.config.paths.static
    if site_static.is_dir() and site_static.resolve() != renderer.theme_static.resolve():
        roots.append((site_static, None))
    for root, label in roots:
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                p = Path(dirpath) / name
                rel = p.relative_to(root).as_posix()
                files[rel] = p
                owner[rel] = label or display_path(p, site.config.paths.site)
    for rel, p in site.assets.items():  # the stories' own files (a static/ file of that path wins)
        if rel not in files:
            files[rel], owner[rel] = p, display_path(p, site.config.paths.site)
    made = renderer.photos.files
    own = {rel: made[rel] for rel in files if rel in made and renderer.photos.get("/" + rel) is not None}
    pages = [  # a photo's own path serves it without its metadata (images.keep_originals: false)
        _photo_file(rel, owner[rel], own[rel]) if rel in own
        else OutputPage(output_path=rel, kind="static", source=owner[rel], static_file=files[rel])
        for rel in sorted(files)
    ]  # fmt: skip
    return pages + [
        _photo_file(rel, f"a size or crop of a photo ({rel})", d)
        for rel, d in sorted(made.items())
        if rel not in own  # a derivative named like another file: a collision, reported
    ]


def _photo_file(rel: str, source: str, d: Derivative) -> OutputPage:
    """A file the photos stage made: published by a hard link to the cache's copy."""
    return OutputPage(
        output_path=rel,
        kind="static",
        source=source,
        static_file=d.file,
        linked=Linked(d.file, d.digest, d.size),
    )


def plan(site: Site, renderer: Renderer) -> list[OutputPage]:
    """Every output file of the site, checked for collisions."""
    made: dict[str, Byline] = {}
    pages: list[OutputPage] = [
        _article_page(site, a, renderer.photos, made) for a in (*site.articles, *site.unlisted)
    ]
    pages += [feed_page(site.config, a) for a in (*site.articles, *site.unlisted) if is_live_coverage(a)]
    pages += [_withdrawn_page(site, a) for a in site.withdrawn]
    pages += site_page_outputs(site, renderer.photos)
    pages += index_pages(site)
    pages += group_pages(site)
    pages.append(_not_found_page(site))
    pages += _feeds(site)
    pages.append(
        OutputPage(
            output_path=STATUS_FILE, kind="status", source="build status", context={"data": status_json(site)}
        )
    )
    pages.append(breaking_page(site))
    static = _static_files(renderer, site)
    pages += static
    # old URLs: redirect pages (never in the sitemaps) and the host's _redirects
    pages += redirect_pages(site, [p.output_path for p in static])
    # search engines never hear of drafts, even in a --drafts preview (their pages say noindex)
    pages += discovery_pages(site.config, pages, [a for a in site.articles if not a.draft], site.now)
    # the search page is noindex and stays out of the sitemaps
    if site.config.search:
        pages.append(_search_page(site))
    check_collisions(pages, site.config.permalink)
    check_trust_links(site, pages)
    return sorted(pages, key=lambda p: p.output_path)


def _search_page(site: Site) -> OutputPage:
    """``/search/``: the Pagefind search box (only with ``search: true``)."""
    return OutputPage(
        output_path=output_path("/search/"),
        kind="search",
        source="search page",
        template="search.html",
        context={
            "page": PageInfo("/search/", "search", f"Search {site.config.title}", site.config.description)
        },
    )


def check_collisions(pages: Sequence[OutputPage], permalink: str) -> None:
    """Refuse two pages with one output path, and pages inside the search bundle;
    an article involved is named with the line that made its URL."""

    def line_of(page: OutputPage) -> int | None:
        if page.kind == "page":
            return page_url_line(page.context["site_page"])
        return url_line(page.context["article"], permalink) if page.kind == "article" else None

    problems = []
    if any(p.kind == "search" for p in pages):
        problems += [
            Diagnostic(
                p.source if p.kind == "article" else None,
                line_of(p),
                None,
                f"output path {p.output_path} is inside {SEARCH_BUNDLE}/, which holds the "
                f"search index ({p.described()}); rename it or set search: false",
            )
            for p in pages
            if p.output_path.startswith(SEARCH_BUNDLE + "/")
        ]
    if len({p.output_path for p in pages}) != len(pages):
        claims: dict[str, list[OutputPage]] = defaultdict(list)
        for p in pages:
            claims[p.output_path].append(p)
        for path, group in sorted(claims.items()):
            if len(group) > 1:
                names = "; ".join(p.described() for p in group)
                article = next((p for p in group if p.kind in ("article", "page")), None)
                problems.append(
                    Diagnostic(
                        article.source if article else None,
                        line_of(article) if article else None,
                        None,
                        f"output path {path} is claimed by more than one source: {names}",
                    )
                )
    if problems:
        raise BuildError(problems)
