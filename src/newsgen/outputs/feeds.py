"""Feeds: Atom (RFC 4287), RSS 2.0 and JSON Feed 1.1 for any list of stories.

A feed lives in a folder: the site-wide feeds in ``/`` and, for example, a
section's in ``/politics/``. Each enabled format has a fixed file name there
(``feed.xml``, ``rss.xml``, ``feed.json``: :data:`newsgen.site.feedlinks.FORMATS`,
which the theme's links to the feeds use too).

``feeds.formats`` chooses the formats, ``feeds.entries`` how many stories
each feed holds, ``feeds.content`` whether an entry carries the whole story
(``full``) or only its summary (``summary``); a members story's entry
carries only its free part (:mod:`newsgen.content.access`), never the paid text.

Rules every format follows:

* Every time comes from the content (``published``; ``updated`` is the
  article's ``modified`` time, which includes updates and corrections); the
  feed's own "last updated" is the newest entry's. Nothing depends on the
  build clock, so an unchanged site gives byte-identical feeds.
* Every URL is absolute: entry links, ids, and every ``href``/``src`` in the
  story body (site paths go under ``base_url``; relative ones are resolved
  against the story's URL), so the body works inside a feed reader.
* Each field holds text or HTML as its format's specification says, and text
  reaches a reader as text, never as markup. Plain text: Atom ``title``,
  ``subtitle`` and ``summary`` (``type="text"``, the default), author
  ``name`` and category ``term``; RSS ``title``, ``category`` and
  ``dc:creator``; JSON Feed ``title``, ``description``, ``summary``,
  ``content_text``, author ``name`` and ``tags``. HTML: Atom ``content
  type="html"``; RSS ``description`` (channel and item) and
  ``content:encoded``; JSON Feed ``content_html``.
* Text in an HTML field (a summary; the site description, or the feed's
  title naming a section, tag or author, as a channel description) is
  escaped for HTML and then for XML (:func:`html_text`), so ``<img
  onerror=...>`` in a wire paragraph is ``&amp;lt;img ...`` in ``rss.xml``
  and a feed reader shows it as written. An entry's HTML
  (:func:`newsgen.outputs.feedentries.entry_html`) is safe HTML already: the body as the site shows it,
  every piece of text in it escaped.
* Every value is escaped for its format, and characters XML 1.0 forbids
  (control characters, lone surrogates) are removed in every format, JSON
  included; ``]]>`` and ``</script>`` in a headline or body are plain text,
  never markup. No CDATA is used.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from html import escape as html_escape
from types import MappingProxyType
from typing import Any

from newsgen.config import Config
from newsgen.core.dates import rfc2822
from newsgen.core.urls import absolute_ref
from newsgen.core.xmltext import quoteattr
from newsgen.model import Article, OutputPage
from newsgen.outputs.feedentries import EntryBodies, clean, xml_text
from newsgen.site.feedlinks import FORMATS

_EPOCH = "1970-01-01T00:00:00+00:00"
_NO_URLS: Mapping[str, str] = MappingProxyType({})  # an RSS item names no profile URLs


@dataclass(frozen=True)
class Feed:
    """One feed to write: the stories (newest first), where, and under what title.

    ``author_urls`` maps a byline to the absolute URL of its profile page,
    where there is one.
    """

    folder: str  # site path of the folder the feed files go in: "/" or "/politics/"
    title: str
    alternate: str  # site path of the HTML page the feed belongs to
    articles: tuple[Article, ...]
    source: str = "site feed"  # shown in collision messages
    author_urls: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def feed_pages(config: Config, feed: Feed, bodies: EntryBodies | None = None) -> list[OutputPage]:
    """One :class:`OutputPage` per enabled format; its bytes are made by
    :func:`feed_bytes` when the build renders it.

    Pass one ``bodies`` to every call of a build so that a story in many
    feeds has its entry HTML made once (as far as its memory allows).
    """
    bodies = bodies or EntryBodies(config)
    pages = []
    for name in config.feed_formats:
        fmt = FORMATS[name]
        path = feed.folder + fmt.filename
        pages.append(
            OutputPage(
                output_path=path.lstrip("/"),
                kind="feed",
                source=f"{fmt.label} {feed.source}",
                context={"feed": feed, "format": name, "bodies": bodies},
                produce=feed_bytes,
            )
        )
    return pages


def feed_bytes(context: Mapping[str, Any]) -> bytes:
    """The bytes of a page made by :func:`feed_pages`."""
    return render_feed(context["format"], context["feed"], context["bodies"])


def render_feed(fmt: str, feed: Feed, bodies: EntryBodies) -> bytes:
    """The bytes of ``feed`` in the format ``fmt`` (``atom``, ``rss`` or ``json``)."""
    make = {"atom": atom_feed, "rss": rss_feed, "json": json_feed}[fmt]
    return make(feed, bodies)


def _entries(feed: Feed, bodies: EntryBodies) -> tuple[Config, Sequence[Article]]:
    """The site's config and the stories a feed document lists (newest first, cut to size)."""
    return bodies.config, feed.articles[: bodies.config.feed_entries]


# --------------------------------------------------------------------------- helpers


def html_text(text: str) -> str:
    """Plain text as HTML, for a field that holds HTML (RSS ``description``);
    written into XML it is escaped again, by :func:`xml_text`."""
    return html_escape(text, quote=False)


def xml_attr(text: str) -> str:
    """A quoted XML attribute value."""
    return quoteattr(clean(text))


def _iso(dt) -> str:
    return dt.isoformat()


def _updated(articles: Sequence[Article]):
    return max((a.modified for a in articles), default=None)


def _author_list(config: Config, article: Article) -> tuple[str, ...]:
    return article.authors or (config.publisher_name,)


def _categories(article: Article) -> tuple[str, ...]:
    """The section, then the tags."""
    return ((article.section,) if article.section else ()) + article.tags


# --------------------------------------------------------------------------- Atom


def atom_feed(feed: Feed, bodies: EntryBodies) -> bytes:
    """An Atom 1.0 document (RFC 4287)."""
    config, articles = _entries(feed, bodies)
    author_urls = feed.author_urls
    feed_url = config.absolute_url(feed.folder + FORMATS["atom"].filename)
    updated = _updated(articles)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xml_attr(config.language)}>',
        f"  <id>{xml_text(feed_url)}</id>",
        f"  <title>{xml_text(feed.title or config.title)}</title>",
    ]
    if config.description:
        lines.append(f"  <subtitle>{xml_text(config.description)}</subtitle>")
    lines += [
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(config.absolute_url(feed.alternate))}/>',
        f"  <updated>{_iso(updated) if updated else _EPOCH}</updated>",
        f"  <author><name>{xml_text(config.publisher_name)}</name></author>",
        "  <generator>newsgen</generator>",
    ]
    for a in articles:
        head, tail = bodies.parts("atom", a, author_urls, partial(_atom_entry, config, a, author_urls))
        lines.append(head + bodies.xml(a) + tail if tail else head)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _atom_entry(config: Config, a: Article, author_urls: Mapping[str, str]) -> tuple[str, str]:
    """One story's ``<entry>`` before and after its body ("" after it without one)."""
    url = config.absolute_url(a.url)
    lines = [
        "  <entry>",
        f"    <id>{xml_text(url)}</id>",
        f"    <title>{xml_text(a.title)}</title>",
        f'    <link rel="alternate" type="text/html" href={xml_attr(url)}/>',
        f"    <published>{_iso(a.date)}</published>",
        f"    <updated>{_iso(a.modified)}</updated>",
    ]
    for name in _author_list(config, a):
        uri = author_urls.get(name)
        uri_el = f"<uri>{xml_text(uri)}</uri>" if uri else ""
        lines.append(f"    <author><name>{xml_text(name)}</name>{uri_el}</author>")
    for term in _categories(a):
        lines.append(f"    <category term={xml_attr(term)}/>")
    if a.summary:
        lines.append(f"    <summary>{xml_text(a.summary)}</summary>")
    if config.feed_content == "full":
        lines.append('    <content type="html">')
        return "\n".join(lines), "</content>\n  </entry>"
    lines.append("  </entry>")
    return "\n".join(lines), ""


# --------------------------------------------------------------------------- RSS 2.0


def rss_feed(feed: Feed, bodies: EntryBodies) -> bytes:
    """An RSS 2.0 document; bylines as ``dc:creator`` (RSS's own ``author`` wants an email).
    Its ``description`` elements hold HTML, so the text in them is escaped twice."""
    config, articles = _entries(feed, bodies)
    feed_url = config.absolute_url(feed.folder + FORMATS["rss"].filename)
    updated = _updated(articles)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "  <channel>",
        f"    <title>{xml_text(feed.title or config.title)}</title>",
        f"    <link>{xml_text(config.absolute_url(feed.alternate))}</link>",
        f"    <description>{xml_text(html_text(config.description or feed.title or config.title))}</description>",
        f"    <language>{xml_text(config.language)}</language>",
        f'    <atom:link rel="self" type="application/rss+xml" href={xml_attr(feed_url)}/>',
        "    <generator>newsgen</generator>",
    ]
    if updated:
        lines.append(f"    <lastBuildDate>{rfc2822(updated)}</lastBuildDate>")
    for a in articles:
        head, tail = bodies.parts("rss", a, _NO_URLS, partial(_rss_item, config, a))
        lines.append(head + bodies.xml(a) + tail if tail else head)
    lines += ["  </channel>", "</rss>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rss_item(config: Config, a: Article) -> tuple[str, str]:
    """One story's ``<item>`` before and after its body ("" after it without one)."""
    url = config.absolute_url(a.url)
    lines = [
        "    <item>",
        f"      <title>{xml_text(a.title)}</title>",
        f"      <link>{xml_text(url)}</link>",
        f'      <guid isPermaLink="true">{xml_text(url)}</guid>',
        f"      <pubDate>{rfc2822(a.date)}</pubDate>",
    ]
    for name in _author_list(config, a):
        lines.append(f"      <dc:creator>{xml_text(name)}</dc:creator>")
    for term in _categories(a):
        lines.append(f"      <category>{xml_text(term)}</category>")
    if a.summary:
        lines.append(f"      <description>{xml_text(html_text(a.summary))}</description>")
    if config.feed_content == "full":
        lines.append("      <content:encoded>")
        return "\n".join(lines), "</content:encoded>\n    </item>"
    lines.append("    </item>")
    return "\n".join(lines), ""


# --------------------------------------------------------------------------- JSON Feed 1.1


def json_feed(feed: Feed, bodies: EntryBodies) -> bytes:
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    config, articles = _entries(feed, bodies)
    author_urls = feed.author_urls
    doc: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title or config.title,
        "home_page_url": config.absolute_url(feed.alternate),
        "feed_url": config.absolute_url(feed.folder + FORMATS["json"].filename),
        "language": config.language,
    }
    if config.description:
        doc["description"] = config.description
    doc["authors"] = [{"name": config.publisher_name}]
    if not articles:
        doc["items"] = []
        return (json.dumps(_clean_values(doc), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    items = []
    for a in articles:
        head, tail = bodies.parts("json", a, author_urls, partial(_json_item, config, a, author_urls))
        items.append(head + bodies.json(a) + tail if tail else head)
    # the document as json.dumps(indent=2) writes it, with each story's item made once
    head = json.dumps(_clean_values(doc), ensure_ascii=False, indent=2)
    text = head[:-2] + ',\n  "items": [\n    ' + ",\n    ".join(items) + "\n  ]\n}\n"
    return text.encode("utf-8")


def _json_item(config: Config, a: Article, author_urls: Mapping[str, str]) -> tuple[str, str]:
    """One story's item as :func:`json_feed`'s document holds it (indented for its place),
    before and after its ``content_html`` value ("" after it without one)."""

    def person(name: str) -> dict[str, str]:
        return {"name": name, **({"url": author_urls[name]} if name in author_urls else {})}

    url = config.absolute_url(a.url)
    item: dict[str, object] = {"id": url, "url": url, "title": a.title}
    full = config.feed_content == "full"
    if full:
        item["content_html"] = ""  # the body's place: see below
    else:
        item["content_text"] = a.summary or a.title
    if a.summary:
        item["summary"] = a.summary
    if a.image:
        item["image"] = absolute_ref(config.base_url, a.url, a.image)
    item["date_published"] = _iso(a.date)
    item["date_modified"] = _iso(a.modified)
    item["authors"] = [person(n) for n in _author_list(config, a)]
    tags = _categories(a)
    if tags:
        item["tags"] = list(tags)
    item = _clean_values(item)
    if full:  # NUL, which clean() removed from every other string, marks the body's place
        item["content_html"] = "\x00"
    # JSON strings hold no raw newline, so every line break is the layout's
    text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
    if not full:
        return text, ""
    head, _, tail = text.partition('"content_html": "\\u0000"')
    return head + '"content_html": ', tail


def _clean_values(value):
    """Every string in a JSON value without control characters, as in the XML feeds."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_clean_values(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_values(v) for k, v in value.items()}
    return value
