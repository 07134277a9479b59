"""Plan: decide every file the build will write, before anything is rendered.

``plan(site, renderer)`` returns one :class:`~newsgen.model.OutputPage` per
output file: article pages, the paginated front page, the feed and the
static files. Two pages that claim the same output path are an error naming
every source involved, raised before a single file is written.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import BuildError, Diagnostic, display_path
from .feeds import atom_feed
from .model import Article, OutputPage, Site
from .render import Renderer, safe_body
from .urls import output_path, page_url


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
    """What every template sees as ``page``."""

    url: str
    kind: str
    title: str
    description: str


def paginate(first_url: str, items: Sequence[Article], per_page: int):
    """Yield ``(Pagination, items on that page)``; an empty list gives one empty page."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    total = len(chunks)
    for n, chunk in enumerate(chunks, start=1):
        yield Pagination(
            number=n,
            total=total,
            url=page_url(first_url, n),
            prev_url=page_url(first_url, n - 1) if n > 1 else None,
            next_url=page_url(first_url, n + 1) if n < total else None,
            first_url=first_url,
        ), list(chunk)


def _article_page(site: Site, a: Article) -> OutputPage:
    return OutputPage(
        output_path=a.output_path,
        kind="article",
        source=a.source,
        template="article.html",
        context={
            "page": PageInfo(a.url, "article", a.title, a.summary),
            "article": a,
            "body": safe_body(a.body_html),
            "more_stories": site.related(a),
        },
    )


def _index_pages(site: Site) -> list[OutputPage]:
    cfg = site.config
    pages = []
    for pagination, items in paginate("/", site.articles, cfg.per_page):
        title = cfg.title if pagination.number == 1 else f"{cfg.title}: page {pagination.number}"
        pages.append(OutputPage(
            output_path=output_path(pagination.url),
            kind="index",
            source="front page",
            template="index.html",
            context={
                "page": PageInfo(pagination.url, "index", title, cfg.description),
                "articles": items,
                "pagination": pagination,
            },
        ))
    return pages


def _static_files(renderer: Renderer, site: Site) -> list[OutputPage]:
    """Theme static files, then the site's ``static/`` over them (site wins)."""
    files: dict[str, Path] = {}
    owner: dict[str, str] = {}
    roots = [(renderer.theme_static, "newsgen theme")]
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
    return [OutputPage(output_path=rel, kind="static", source=owner[rel], static_file=files[rel])
            for rel in sorted(files)]


def plan(site: Site, renderer: Renderer) -> list[OutputPage]:
    """Every output file of the site, checked for collisions."""
    cfg = site.config
    latest = list(site.articles[: cfg.feed_entries])
    pages: list[OutputPage] = [_article_page(site, a) for a in site.articles]
    pages += _index_pages(site)
    pages.append(OutputPage(output_path="feed.xml", kind="feed", source="Atom feed",
                            context={"data": atom_feed(cfg, latest)}))
    pages += _static_files(renderer, site)
    check_collisions(pages)
    return sorted(pages, key=lambda p: p.output_path)


def check_collisions(pages: Sequence[OutputPage]) -> None:
    claims: dict[str, list[OutputPage]] = defaultdict(list)
    for p in pages:
        claims[p.output_path].append(p)
    problems = []
    for path, group in sorted(claims.items()):
        if len(group) > 1:
            names = ", ".join(p.source for p in group)
            problems.append(Diagnostic(group[0].source if group[0].kind == "article" else None, None, None,
                                       f"output path {path} is claimed by more than one source: {names}"))
    if problems:
        raise BuildError(problems)


def render_page(page: OutputPage, renderer: Renderer) -> bytes:
    """The bytes of one planned page."""
    if page.static_file is not None:
        return page.static_file.read_bytes()
    if page.template is None:
        return page.context["data"]
    return renderer.render(page.template, page.context, page.source).encode("utf-8")
