"""Parsers of the nested sections ``feeds``, ``publisher``, ``social``, ``news_sitemap`` and ``images``.

A value inside a section has no position of its own: its errors point at
the section (see :func:`~newsgen.config.values.sub_entries`).
"""

from __future__ import annotations

import re
from typing import Any

from newsgen.config.settings import FEED_FORMATS, IMAGE_FORMATS, Images, NewsSitemap, Publisher, Social
from newsgen.config.trust import TRUST_KEYS, trust_links
from newsgen.config.values import Collector, is_url_or_path, sub_entries
from newsgen.core.yamlio import Entry

FEED_KEYS = ("entries", "formats", "content")
PUBLISHER_KEYS = ("name", "url", "logo", "same_as", *TRUST_KEYS)
SOCIAL_KEYS = ("image", "twitter")
NEWS_KEYS = ("enabled", "name", "language")
IMAGES_KEYS = ("widths", "formats", "quality", "keep_originals")


def _text(c: Collector, e: Entry, sub: dict[str, Any], key: str, name: str) -> str | None:
    """A nested text value with its white space folded; None when absent or not text."""
    v = sub.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int, float)) or not str(v).strip():
        c.error(e.line, e.col, f"{name}: expected text, got {v!r}")
        return None
    return " ".join(str(v).split())


def _location(c: Collector, e: Entry, sub: dict[str, Any], key: str, name: str) -> str | None:
    """A nested site path or http(s) URL."""
    v = _text(c, e, sub, key, name)
    if v is not None and not is_url_or_path(v):
        c.error(
            e.line,
            e.col,
            f"{name}: expected a site path such as /images/logo.png or an http(s) URL, got {v!r}",
        )
        return None
    return v


def feeds(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    sub = sub_entries(c, e, "feeds", FEED_KEYS)
    if "entries" in sub:
        n = sub["entries"]
        if isinstance(n, int) and not isinstance(n, bool) and n >= 1:
            settings["feed_entries"] = n
        else:
            c.error(e.line, e.col, f"feeds.entries: expected a whole number >= 1, got {n!r}")
    if "formats" in sub:
        v = sub["formats"]
        items = [v] if isinstance(v, str) else v if isinstance(v, list) else None
        if items is None or not all(isinstance(x, str) and x.strip().lower() in FEED_FORMATS for x in items):
            c.error(e.line, e.col, f"feeds.formats: expected a list of {', '.join(FEED_FORMATS)}, got {v!r}")
        else:
            wanted = {x.strip().lower() for x in items}
            settings["feed_formats"] = tuple(f for f in FEED_FORMATS if f in wanted)
    if "content" in sub:
        v = sub["content"]
        if v in ("full", "summary"):
            settings["feed_content"] = v
        else:
            c.error(e.line, e.col, f"feeds.content: expected full or summary, got {v!r}")


def publisher(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    sub = sub_entries(c, e, "publisher", PUBLISHER_KEYS)
    url = _text(c, e, sub, "url", "publisher.url")
    if url is not None and not is_url_or_path(url, path_ok=False):
        c.error(e.line, e.col, f"publisher.url: expected an http(s) URL, got {url!r}")
        url = None
    same_as = sub.get("same_as") or []
    if isinstance(same_as, str):
        same_as = [same_as]
    if not isinstance(same_as, list) or not all(
        isinstance(x, str) and is_url_or_path(x.strip(), path_ok=False) for x in same_as
    ):
        c.error(
            e.line, e.col, f"publisher.same_as: expected a list of http(s) URLs, got {sub.get('same_as')!r}"
        )
        same_as = []
    settings["publisher"] = Publisher(
        name=_text(c, e, sub, "name", "publisher.name"),
        url=url,
        logo=_location(c, e, sub, "logo", "publisher.logo"),
        same_as=tuple(x.strip() for x in same_as),
        trust=trust_links(c, e, sub),
    )


def social(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    sub = sub_entries(c, e, "social", SOCIAL_KEYS)
    handle = _text(c, e, sub, "twitter", "social.twitter")
    if handle is not None:
        if re.fullmatch(r"@?\w{1,15}", handle):
            handle = "@" + handle.lstrip("@")
        else:
            c.error(e.line, e.col, f"social.twitter: expected a handle such as @courier, got {handle!r}")
            handle = None
    settings["social"] = Social(image=_location(c, e, sub, "image", "social.image"), twitter=handle)


def news_sitemap(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    sub = sub_entries(c, e, "news_sitemap", NEWS_KEYS)
    enabled = sub.get("enabled", True)
    if not isinstance(enabled, bool):
        c.error(e.line, e.col, f"news_sitemap.enabled: expected true or false, got {enabled!r}")
        enabled = True
    lang = _text(c, e, sub, "language", "news_sitemap.language")
    if lang is not None:
        lang = lang.lower()
        if not re.fullmatch(r"[a-z]{2,3}|zh-cn|zh-tw", lang):
            c.error(
                e.line,
                e.col,
                f"news_sitemap.language: expected an ISO 639 code such as en, es or zh-cn, got {lang!r}",
            )
            lang = None
    settings["news_sitemap"] = NewsSitemap(
        enabled=enabled, name=_text(c, e, sub, "name", "news_sitemap.name"), language=lang
    )


def images(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    sub = sub_entries(c, e, "images", IMAGES_KEYS)
    values: dict[str, Any] = {}
    if "widths" in sub:
        v = sub["widths"]
        if (
            isinstance(v, list)
            and v
            and all(isinstance(x, int) and not isinstance(x, bool) and 16 <= x <= 8192 for x in v)
        ):
            values["widths"] = tuple(sorted(set(v)))
        else:
            c.error(
                e.line, e.col, f"images.widths: expected a list of pixel widths from 16 to 8192, got {v!r}"
            )
    if "formats" in sub:
        v = sub["formats"]
        items = [] if v is None else [v] if isinstance(v, str) else v if isinstance(v, list) else None
        if items is None or not all(isinstance(x, str) and x.strip().lower() in IMAGE_FORMATS for x in items):
            c.error(
                e.line, e.col, f"images.formats: expected a list of {', '.join(IMAGE_FORMATS)}, got {v!r}"
            )
        else:
            wanted = {x.strip().lower() for x in items}
            values["formats"] = tuple(f for f in IMAGE_FORMATS if f in wanted)
    if "quality" in sub:
        q = sub["quality"]
        if isinstance(q, int) and not isinstance(q, bool) and 1 <= q <= 100:
            values["quality"] = q
        else:
            c.error(e.line, e.col, f"images.quality: expected a whole number from 1 to 100, got {q!r}")
    if "keep_originals" in sub:
        k = sub["keep_originals"]
        if isinstance(k, bool):
            values["keep_originals"] = k
        else:
            c.error(e.line, e.col, f"images.keep_originals: expected true or false, got {k!r}")
    settings["images"] = Images(**values)
