"""The site pages of ``pages/`` as output files, and the check of the publisher's
trust links.

Each :class:`~newsgen.model.SitePage` is rendered with ``page.html``, which
receives ``site_page`` (the page: ``title``, ``description``, ``menu``,
``extra`` ...) and ``body`` (its safe HTML, site paths made relative to the
page). Its JSON-LD is a ``WebPage`` published by the site's organisation.
Site pages are in ``sitemap.xml`` (and the search index), never in a list,
feed, the news sitemap or More Stories.

:func:`check_trust_links` refuses a ``publisher`` trust property
(``correctionsPolicy: page:corrections``, ``/about/``) that names no page of
the build, naming its ``newsgen.yaml`` line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from newsgen.config import CONFIG_FILE
from newsgen.content.markup import rewrite_urls
from newsgen.core.urls import localize, output_path
from newsgen.errors import BuildError, Diagnostic
from newsgen.model import OutputPage, Site, SitePage
from newsgen.outputs.listing import PageInfo
from newsgen.outputs.pictures import with_pictures
from newsgen.outputs.structured import CONTEXT, organization_id, script_json
from newsgen.theme.catalog import PhotoCatalog
from newsgen.theme.embeds import with_embeds


def page_data(site: Site, page: SitePage) -> dict[str, Any]:
    """The ``WebPage`` JSON-LD of one site page."""
    cfg = site.config
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "WebPage",
        "name": page.title,
        "url": cfg.absolute_url(page.url),
        "inLanguage": cfg.language,
        "isPartOf": {"@id": cfg.absolute_url("/") + "#website"},
        "publisher": {"@id": organization_id(cfg)},
    }
    if page.description:
        data["description"] = page.description
    return data


def page_body(page: SitePage, photos: PhotoCatalog, embeds: tuple[str, ...]) -> Markup:
    """The page's HTML with click-to-load embeds (as a story's), its photos drawn responsively and
    site paths relative to it."""
    html = with_pictures(
        with_embeds(page.body, embeds), photos, lambda ref: localize(page.url, ref), page.url
    )
    return Markup(rewrite_urls(html, lambda ref: localize(page.url, ref)))


def site_page_outputs(site: Site, photos: PhotoCatalog) -> list[OutputPage]:
    """One output file per site page."""
    return [
        OutputPage(
            output_path=p.output_path,
            kind="page",
            source=p.source,
            template="page.html",
            context={
                "page": PageInfo(
                    p.url, "page", p.title, p.description, structured_data=(script_json(page_data(site, p)),)
                ),
                "site_page": p,
                "body": page_body(p, photos, site.config.embeds),
            },
        )
        for p in site.pages
    ]


def check_trust_links(site: Site, pages: Sequence[OutputPage]) -> None:
    """Every trust link that is a site path names a page of this build: a site
    page for ``page:slug``, any page or file of the build for a path (a PDF in ``static/``
    is fine; a redirect is not). Raises :class:`BuildError`."""
    page_urls = {p.url for p in site.pages}
    made = {p.output_path for p in pages if p.kind != "redirect"}
    problems = []
    for link in site.config.publisher.trust:
        if link.target.startswith(("http://", "https://")):
            continue
        path = link.target.partition("#")[0]
        if link.page and path not in page_urls:
            known = ", ".join(f"page:{p.slug}" for p in site.pages) or "none: add Markdown files to pages/"
            problems.append(
                Diagnostic(
                    CONFIG_FILE,
                    link.line,
                    link.col,
                    f"publisher.{link.prop}: no site page at {path} (pages/ has {known})",
                )
            )
        elif not link.page and output_path(path) not in made:
            problems.append(
                Diagnostic(
                    CONFIG_FILE,
                    link.line,
                    link.col,
                    f"publisher.{link.prop}: {path} is not a page of this site",
                )
            )
    if problems:
        raise BuildError(problems)
