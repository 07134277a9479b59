"""Live coverage on the page, in structured data and in its own Atom feed.

A live story (:mod:`newsgen.content.live`, :mod:`newsgen.site.live`) gets:

* on its page, ``live`` (a :class:`LiveBlock`: the updates public now, newest
  first, each with its anchor, time, headline and body), drawn by
  ``partials/live.html``;
* a ``LiveBlogPosting`` instead of a ``NewsArticle`` (the NewsArticle
  properties kept; ``LiveBlogPosting`` is an ``Article`` too), with
  ``coverageStartTime`` (the story's date), ``coverageEndTime``
  (``live_until``, when given) and ``liveBlogUpdate``: one ``BlogPosting``
  per update with ``headline``, ``datePublished``, ``url`` (the page's
  absolute URL and the update's anchor) and ``articleBody`` (plain text);
* an Atom feed of its updates next to the page (``updates.xml`` in the
  story's folder: :func:`feed_path`), announced by the page's
  ``<link rel="alternate">``; each entry's id and link are the update's
  anchor URL, newest first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from markupsafe import Markup

from newsgen.config import Config
from newsgen.content.markup import html_to_text, rewrite_urls, truncate
from newsgen.core.dates import MONTHS
from newsgen.core.urls import absolute_ref, localize
from newsgen.model import Article, LiveUpdate, OutputPage
from newsgen.outputs.feeds import xml_attr, xml_text
from newsgen.site.feedlinks import FeedLink
from newsgen.theme.embeds import SCRIPT, embed_facades

FEED_NAME = "updates.xml"
_SITE_PATH = re.compile(r"""=\s*["']?[/&]""")  # an attribute value that may be a site path


def is_live_coverage(a: Article) -> bool:
    """Was ``a`` written as live coverage (live now, or coverage that ended)?"""
    return a.live or a.live_until is not None or bool(a.updates)


def feed_path(a: Article) -> str:
    """The site path of a live story's updates feed: ``updates.xml`` in its folder
    (``<page>-updates.xml`` beside a page whose URL is a file, such as ``/x.html``)."""
    if a.url.endswith("/"):
        return a.url + FEED_NAME
    return a.url.rsplit(".", 1)[0] + "-" + FEED_NAME


def feed_links(a: Article) -> tuple[FeedLink, ...]:
    """The page's own feed, for ``page.feeds`` (none for an ordinary story)."""
    if not is_live_coverage(a):
        return ()
    return (
        FeedLink(feed_path(a), "application/atom+xml", f"{a.title}: live updates (Atom)", "atom", "Atom"),
    )


def headline(u: LiveUpdate) -> str:
    """An update's headline: its title, else the start of its text."""
    return u.title or truncate(html_to_text(u.body), 110) or u.time.isoformat()


def time_text(d: datetime, config: Config) -> str:
    """An update's time as readers see it, in the site's time zone: ``21:30, 4 November 2026``."""
    d = d.astimezone(config.tz)
    return f"{d:%H:%M}, {d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True, eq=False)
class ShownUpdate:
    """One update as the page shows it."""

    update: LiveUpdate
    when: str  # time_text
    body: Markup  # its HTML, site paths relative to the page


@dataclass(frozen=True, eq=False)
class LiveBlock:
    """What ``partials/live.html`` receives as ``live``: ``article`` (``live`` true
    while coverage runs; ``live_until`` set when it ends), ``feed`` (site path of the
    updates feed), ``updates`` (:class:`ShownUpdate`, newest first) and ``script``
    (the site path of the embeds' script when an update has an embed and the
    story's body has none, so the page loads it once; else None)."""

    article: Article
    config: Config

    @property
    def feed(self) -> str:
        return feed_path(self.article)

    @cached_property
    def _shown(self) -> tuple[tuple[ShownUpdate, ...], bool]:
        a, embeds, found = self.article, self.config.embeds, False
        shown = []
        for u in a.updates:
            body, has = embed_facades(u.body, embeds)
            found = found or has
            shown.append(ShownUpdate(u, time_text(u.time, self.config), Markup(_localized(a, body))))
        return tuple(shown), found

    @property
    def updates(self) -> tuple[ShownUpdate, ...]:
        return self._shown[0]

    @property
    def script(self) -> str | None:
        if not self._shown[1] or embed_facades(self.article.body_html, self.config.embeds)[1]:
            return None  # no embed in the updates, or the body's loads the script already
        return SCRIPT


def live_block(config: Config, a: Article) -> LiveBlock | None:
    return LiveBlock(a, config) if is_live_coverage(a) else None


def _localized(a: Article, html: str) -> str:
    if _SITE_PATH.search(html) is None:
        return html
    return rewrite_urls(html, lambda ref: localize(a.url, ref))


def live_posting(config: Config, a: Article, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a story's ``NewsArticle``) as a ``LiveBlogPosting``, or as it is
    for an ordinary story."""
    if not is_live_coverage(a):
        return data
    tz = config.tz
    url = config.absolute_url(a.url)
    out = {**data, "@type": "LiveBlogPosting", "coverageStartTime": a.date.astimezone(tz).isoformat()}
    if a.live_until is not None:
        out["coverageEndTime"] = a.live_until.astimezone(tz).isoformat()
    out["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": headline(u),
            "datePublished": u.time.astimezone(tz).isoformat(),
            "url": f"{url}#{u.anchor}",
            "articleBody": html_to_text(u.body),
            **({"author": {"@type": "Person", "name": u.author}} if u.author else {}),
        }
        for u in a.updates
    ]
    return out


def feed_page(config: Config, a: Article) -> OutputPage:
    """The Atom feed of a live story's updates."""
    return OutputPage(
        output_path=feed_path(a).lstrip("/"),
        kind="live_feed",
        source=f"live updates feed of {a.source}",
        context={"config": config, "article": a},
        produce=feed_bytes,
        lastmod=a.modified,
    )


def feed_bytes(context: Mapping[str, Any]) -> bytes:
    """An Atom 1.0 document (RFC 4287) of a live story's updates, newest first."""
    config: Config = context["config"]
    a: Article = context["article"]
    page = config.absolute_url(a.url)
    me = config.absolute_url(feed_path(a))
    updated = a.updates[0].time if a.updates else a.modified
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xml_attr(config.language)}>',
        f"  <id>{xml_text(me)}</id>",
        f"  <title>{xml_text(a.title)}: live updates</title>",
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(me)}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(page)}/>',
        f"  <updated>{updated.isoformat()}</updated>",
        f"  <author><name>{xml_text(config.publisher_name)}</name></author>",
        "  <generator>newsgen</generator>",
    ]
    for u in a.updates:
        link = f"{page}#{u.anchor}"
        body = rewrite_urls(u.body, lambda ref: absolute_ref(config.base_url, a.url, ref))
        lines += [
            "  <entry>",
            f"    <id>{xml_text(link)}</id>",
            f"    <title>{xml_text(headline(u))}</title>",
            f'    <link rel="alternate" type="text/html" href={xml_attr(link)}/>',
            f"    <published>{u.time.isoformat()}</published>",
            f"    <updated>{u.time.isoformat()}</updated>",
        ]
        if u.author:
            lines.append(f"    <author><name>{xml_text(u.author)}</name></author>")
        lines += [f'    <content type="html">{xml_text(body)}</content>', "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
