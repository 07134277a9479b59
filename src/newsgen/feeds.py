"""Feeds. ``feed.xml`` is an Atom feed (RFC 4287) of the latest stories.

Every time in a feed comes from the content (published, updated), never the
build clock, so an unchanged site gives a byte-identical feed. Text is
XML-escaped and stripped of characters XML 1.0 forbids.
"""

from __future__ import annotations

import re
from typing import Sequence
from xml.sax.saxutils import escape, quoteattr

from .config import Config
from .model import Article

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text safe inside an XML element."""
    return escape(_XML_ILLEGAL.sub("", text))


def xml_attr(text: str) -> str:
    """A quoted XML attribute value."""
    return quoteattr(_XML_ILLEGAL.sub("", text))


def _iso(dt) -> str:
    return dt.isoformat()


def atom_feed(config: Config, articles: Sequence[Article], feed_path: str = "/feed.xml",
              title: str | None = None, alternate_path: str = "/") -> bytes:
    """An Atom document for ``articles`` (already newest first and cut to size)."""
    feed_url = config.absolute_url(feed_path)
    updated = max((a.modified for a in articles), default=None)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xml_attr(config.language)}>',
        f"  <id>{xml_text(feed_url)}</id>",
        f"  <title>{xml_text(title or config.title)}</title>",
    ]
    if config.description:
        lines.append(f"  <subtitle>{xml_text(config.description)}</subtitle>")
    lines += [
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(config.absolute_url(alternate_path))}/>',
        f"  <updated>{_iso(updated) if updated else '1970-01-01T00:00:00+00:00'}</updated>",
        "  <generator>newsgen</generator>",
    ]
    if not any(a.authors for a in articles):
        lines.append(f"  <author><name>{xml_text(config.title)}</name></author>")
    for a in articles:
        url = config.absolute_url(a.url)
        lines += [
            "  <entry>",
            f"    <id>{xml_text(url)}</id>",
            f"    <title>{xml_text(a.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={xml_attr(url)}/>',
            f"    <published>{_iso(a.date)}</published>",
            f"    <updated>{_iso(a.modified)}</updated>",
        ]
        for name in a.authors or (config.title,):
            lines.append(f"    <author><name>{xml_text(name)}</name></author>")
        if a.section:
            lines.append(f"    <category term={xml_attr(a.section)}/>")
        for t in a.tags:
            lines.append(f"    <category term={xml_attr(t)}/>")
        if a.summary:
            lines.append(f"    <summary>{xml_text(a.summary)}</summary>")
        lines.append(f'    <content type="html">{xml_text(a.body_html)}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
