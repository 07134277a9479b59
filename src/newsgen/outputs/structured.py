"""Structured data (schema.org JSON-LD) for search engines.

* Every article page: a ``NewsArticle`` (headline, description, url,
  mainEntityOfPage, datePublished and dateModified with their UTC offset,
  every byline as its own ``Person`` (``Organization`` for the publisher's
  own name), with ``url`` where newsgen knows one, publisher with logo,
  image, articleSection, keywords, inLanguage, wordCount; a members story's
  ``isAccessibleForFree`` and ``hasPart``) and a
  ``BreadcrumbList`` (front page, section front where there is one, story).
* The front page: ``WebSite`` and ``Organization`` (``NewsMediaOrganization``
  with the trust properties of ``publisher:``, as every NewsArticle's
  ``publisher`` is).

Every URL is absolute. :func:`script_json` serialises for a
``<script type="application/ld+json">`` element: ``<``, ``>``, ``&`` and the
line separators U+2028/U+2029 become ``\\uXXXX`` escapes, so no text in a
story can end the script element or be read as markup; the JSON parses back
to exactly the same values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from newsgen.config import Config
from newsgen.content.access import paywalled
from newsgen.core.urls import absolute_ref
from newsgen.model import Article

CONTEXT = "https://schema.org"

_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


@dataclass(frozen=True)
class Byline:
    """One author of a story as structured data knows them."""

    name: str
    url: str | None = None  # absolute URL of their page on this site
    same_as: tuple[str, ...] = ()  # their own site and social profiles


#: ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` without a new encoder each call
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def script_json(data: Any) -> Markup:
    """JSON text safe to place verbatim inside a ``<script>`` element."""
    text = _ENCODER.encode(data)
    for char, escape in _SCRIPT_ESCAPES:  # str.replace: much faster than translate here
        text = text.replace(char, escape)
    return Markup(text)


def organization_id(config: Config) -> str:
    return config.absolute_url("/") + "#organization"


def _logo(config: Config) -> dict[str, str] | None:
    logo = config.publisher.logo
    if not logo:
        return None
    return {"@type": "ImageObject", "url": absolute_ref(config.base_url, "/", logo)}


def organization(config: Config) -> dict[str, Any]:
    """The publisher as a schema.org ``Organization``; a ``NewsMediaOrganization``
    with its policies (``correctionsPolicy`` ...) as absolute URLs when
    ``publisher:`` names any."""
    trust = config.publisher.trust
    org: dict[str, Any] = {
        "@type": "NewsMediaOrganization" if trust else "Organization",
        "@id": organization_id(config),
        "name": config.publisher_name,
        "url": config.publisher.url or config.absolute_url("/"),
    }
    logo = _logo(config)
    if logo:
        org["logo"] = logo
    if config.publisher.same_as:
        org["sameAs"] = list(config.publisher.same_as)
    for link in trust:
        org[link.prop] = absolute_ref(config.base_url, "/", link.target)
    return org


#: config id -> (config, its NewsArticle publisher): the same for every story of a build
_PUBLISHERS: dict[int, tuple[Config, dict[str, Any]]] = {}


def _publisher(config: Config) -> dict[str, Any]:
    """A NewsArticle's ``publisher``: :func:`organization` without ``sameAs``, made once a
    config; each story gets its own copy of the top level."""
    kept = _PUBLISHERS.get(id(config))
    if kept is None or kept[0] is not config:
        publisher = organization(config)
        publisher.pop("sameAs", None)
        if len(_PUBLISHERS) >= 8:
            _PUBLISHERS.clear()
        kept = _PUBLISHERS[id(config)] = (config, publisher)
    return dict(kept[1])


def front_page_data(config: Config) -> list[dict[str, Any]]:
    """``WebSite`` and ``Organization`` for the front page."""
    home = config.absolute_url("/")
    website: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": home + "#website",
        "name": config.title,
        "url": home,
        "inLanguage": config.language,
        "publisher": {"@id": organization_id(config)},
    }
    if config.description:
        website["description"] = config.description
    return [website, {"@context": CONTEXT, **organization(config)}]


def author_data(config: Config, byline: Byline) -> dict[str, Any]:
    """One byline: the publisher's own name is an ``Organization``, anyone else a ``Person``."""
    if byline.name == config.publisher_name:
        return {
            "@type": "Organization",
            "name": byline.name,
            "url": config.publisher.url or config.absolute_url("/"),
        }
    person: dict[str, Any] = {"@type": "Person", "name": byline.name}
    if byline.url:
        person["url"] = byline.url
    if byline.same_as:
        person["sameAs"] = list(byline.same_as)
    return person


def article_data(
    config: Config,
    article: Article,
    bylines: Sequence[Byline] | None = None,
    image: str | Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``NewsArticle`` for one story. ``bylines`` are its authors with what is known of them
    (default: names only); ``image`` is the absolute URL of the share image (default: the
    story's own) or its ``ImageObject`` crops (:func:`image_objects`)."""
    tz = config.tz
    url = config.absolute_url(article.url)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.date.astimezone(tz).isoformat(),
        "dateModified": article.modified.astimezone(tz).isoformat(),
    }
    if article.summary:
        data["description"] = article.summary
    if image is None and article.image:
        image = absolute_ref(config.base_url, article.url, article.image)
    if image:
        data["image"] = [image] if isinstance(image, str) else list(image)
    if bylines is None:
        bylines = [Byline(n) for n in article.authors]
    data["author"] = [author_data(config, b) for b in bylines or [Byline(config.publisher_name)]]
    data["publisher"] = _publisher(config)
    if article.section:
        data["articleSection"] = article.section
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.credit:  # agency copy: the agency is the source and provider
        agency = {"@type": "Organization", "name": article.credit}
        data["sourceOrganization"] = agency
        data["provider"] = agency
    if article.copyright:
        data["copyrightNotice"] = article.copyright
    data["inLanguage"] = config.language
    data["wordCount"] = article.word_count
    if article.members:  # as Google documents paywalled content
        data.update(paywalled(article))
    return data


def breadcrumbs(config: Config, trail: Sequence[tuple[str, str | None]]) -> dict[str, Any]:
    """A ``BreadcrumbList`` of ``(name, site path)`` steps; the last step may have no path."""
    items = []
    for position, (name, path) in enumerate(trail, start=1):
        item: dict[str, Any] = {"@type": "ListItem", "position": position, "name": name}
        if path is not None:
            item["item"] = config.absolute_url(path)
        items.append(item)
    return {"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": items}


def article_breadcrumbs(config: Config, article: Article, section_url: str | None = None) -> dict[str, Any]:
    """Front page > section front (``section_url``, when the site has one) > the story."""
    trail: list[tuple[str, str | None]] = [(config.title, "/")]
    if article.section and section_url:
        trail.append((article.section, section_url))
    trail.append((article.title, article.url))
    return breadcrumbs(config, trail)


def image_objects(
    config: Config, crops: Sequence[tuple[str, int, int]], credits: dict[str, str | None]
) -> list[dict[str, Any]]:
    """One ``ImageObject`` per crop (site path, width, height) of a story's photo, with its
    ``caption``, ``creditText``, ``creator``, ``copyrightNotice``, ``license`` and
    ``acquireLicensePage`` when known."""
    extra: dict[str, Any] = {}
    if credits.get("caption"):
        extra["caption"] = credits["caption"]
    if credits.get("credit"):
        extra["creditText"] = credits["credit"]
    if credits.get("creator"):
        extra["creator"] = {"@type": "Person", "name": credits["creator"]}
    if credits.get("copyright"):
        extra["copyrightNotice"] = credits["copyright"]
    for key, prop in (("license", "license"), ("acquire_license_page", "acquireLicensePage")):
        if address := credits.get(key):
            extra[prop] = address.strip()
    return [
        {"@type": "ImageObject", "url": config.absolute_url(ref), "width": w, "height": h, **extra}
        for ref, w, h in crops
    ]
