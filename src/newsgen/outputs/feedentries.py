"""Feed entries: each story's HTML as a feed reader shows it, and the entry
text of each format, made once a build and shared by every feed that lists the story.

The rules the text follows are :mod:`newsgen.outputs.feeds`'s; ``clean`` and
``xml_text`` are its escapes, here so that both modules use them.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape as html_escape

from newsgen.config import Config
from newsgen.content.access import free_part, members_note
from newsgen.content.markup import rewrite_urls, with_dateline
from newsgen.core.recording import record_dependency
from newsgen.core.urls import absolute_ref
from newsgen.core.xmltext import escape
from newsgen.model import Article, deep_ident

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _XML_ILLEGAL.sub("", text)


def xml_text(text: str) -> str:
    """Text safe inside an XML element."""
    return escape(clean(text))


def entry_html(config: Config, article: Article) -> str:
    """The story as a feed reader shows it: lead image, dateline, body, then any
    corrections; every URL absolute."""
    base = config.base_url

    def absolute(ref: str) -> str:
        return absolute_ref(base, article.url, ref)

    text = article.body_html
    if article.members:  # the free part only, and where the rest is
        text = free_part(text) + members_note(config.absolute_url(article.url))
    body = rewrite_urls(with_dateline(text, article.dateline), absolute)
    if article.image:
        src, alt = html_escape(absolute(article.image)), html_escape(article.image_alt or "")
        body = f'<p><img src="{src}" alt="{alt}"></p>\n' + body
    for c in article.corrections:
        day = c.date.astimezone(config.tz).date().isoformat()
        body += f"\n<p><strong>Correction ({day}):</strong> {html_escape(c.text)}</p>"
    return clean(body)


@dataclass(frozen=True, eq=False)
class EntryBodies:
    """Each story's feed entry HTML (and its XML-escaped and JSON forms), made once and
    remembered for the next ``memory`` stories (about 30 KB each for a 1,000-word story): a story is usually in several
    feeds (the site's, its section's, tags' and authors'), each in several
    formats. What it remembers is not part of its value: two are equal inputs
    to a feed whenever their configs are."""

    config: Config
    memory: int = 1024

    def __post_init__(self) -> None:
        object.__setattr__(self, "_made", OrderedDict())
        object.__setattr__(self, "_texts", OrderedDict())

    def _entry(self, article: Article) -> _Entry:
        made: OrderedDict[int, tuple[Article, _Entry]] = self._made  # type: ignore[attr-defined]
        hit = made.get(id(article))
        if hit is not None and hit[0] is article:
            made.move_to_end(id(article))
            record_dependency(deep_ident(article))  # this feed shows the body too
            return hit[1]
        entry = _Entry(entry_html(self.config, article))
        made[id(article)] = (article, entry)  # holding the article keeps its id unique
        if len(made) > self.memory:
            made.popitem(last=False)
        return entry

    def xml(self, article: Article) -> str:
        """The entry HTML escaped for XML, as Atom's ``content`` and RSS's ``content:encoded`` hold it."""
        entry = self._entry(article)
        if entry.xml is None:
            entry.xml = xml_text(entry.html)
            entry.settle()
        return entry.xml

    def json(self, article: Article) -> str:
        """The entry HTML as a JSON string (quoted), as JSON Feed's ``content_html`` holds it."""
        entry = self._entry(article)
        if entry.json is None:
            entry.json = json.dumps(entry.html, ensure_ascii=False)
            entry.settle()
        return entry.json

    def parts(
        self, fmt: str, article: Article, author_urls: Mapping[str, str], make: Callable[[], tuple[str, str]]
    ) -> tuple[str, str]:
        """The story's entry in the feed format ``fmt`` as the text before and after its
        body (which :meth:`xml` or :meth:`json` gives), made by ``make`` once for each
        ``author_urls`` (a build has one): every feed that lists the story reuses them.
        They are small, so three times as many are remembered as bodies."""
        texts: OrderedDict[tuple[str, int], tuple[Article, Mapping[str, str], tuple[str, str]]]
        texts = self._texts  # type: ignore[attr-defined]
        key = (fmt, id(article))
        hit = texts.get(key)
        if hit is not None and hit[0] is article and hit[1] is author_urls:
            texts.move_to_end(key)
            return hit[2]
        made = make()
        texts[key] = (article, author_urls, made)  # holding both keeps their ids unique
        if len(texts) > 3 * self.memory:
            texts.popitem(last=False)
        return made


@dataclass(eq=False)
class _Entry:
    """One story's feed entry HTML and, once a feed wanted them, its XML-escaped form
    and its JSON string; the HTML is let go once both are made."""

    html: str
    xml: str | None = None
    json: str | None = None

    def settle(self) -> None:
        if self.xml is not None and self.json is not None:
            self.html = ""  # every format has its own form: only those are read from now on
