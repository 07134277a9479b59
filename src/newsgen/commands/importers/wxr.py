"""Read a WordPress export (WXR 1.0, 1.1 and 1.2) into plain values.

WXR is RSS 2.0 with WordPress's own elements in the ``wp:`` namespace
(``http://wordpress.org/export/1.2/``; 1.0 and 1.1 differ only in the number,
and some exporters write ``https://``). The file is parsed with defusedxml:
a document type declaration, an entity declaration or an external entity
(a "billion laughs" bomb, an XXE probe) is refused with the line it is on,
nothing is expanded or fetched.

A post's title is HTML in WordPress (``Title <em>With</em> Markup``,
``Fish &amp; Chips``), shown as such by themes; it is read as the plain text a
reader saw: tags dropped, character references decoded.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from newsgen.errors import ContentError, Diagnostic

_FAMILIES = (
    (re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/excerpt/$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$"), "wp"),
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/$"), "dc"),
)
_WP_NS = re.compile(r"^https?://wordpress\.org/export/(1\.[0-2])/$")
_OTHER_WP_NS = re.compile(r"^https?://wordpress\.org/export/([^/]+)/$")
_TAG = re.compile(r"<!--.*?-->|</?[a-zA-Z][^<>]*>", re.S)  # a tag or comment; "a < b" is text


@dataclass(frozen=True)
class Author:
    login: str
    display_name: str
    bio: str = ""


@dataclass
class Item:
    """One ``<item>``: a post, a page, an attachment, a menu item, ..."""

    line: int
    post_id: int
    post_type: str = "post"
    status: str = "publish"
    title: str = ""  # plain text (see ``plain_text``)
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    name: str = ""  # the slug (wp:post_name)
    date: str = ""  # wp:post_date, the blog's local time
    date_gmt: str = ""
    modified_gmt: str = ""
    parent: int = 0
    password: str = ""
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (domain, name)
    meta: dict[str, str] = field(default_factory=dict)
    old_slugs: list[str] = field(default_factory=list)  # _wp_old_slug: slugs it had before


@dataclass
class Export:
    path: Path
    version: str
    title: str
    link: str
    authors: dict[str, Author]  # by login
    items: list[Item]
    description: str = ""  # the blog's tagline
    language: str = ""  # as WordPress writes it: en-US, de-DE, hu


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[ET.Element, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        el = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[el] = self.parser.parser.CurrentLineNumber
        return el


def _family(tag: str) -> tuple[str, str]:
    """``{uri}name`` -> (family, name): wp, excerpt, content, dc, or "" for plain RSS."""
    if not tag.startswith("{"):
        return "", tag
    uri, _, name = tag[1:].partition("}")
    for pattern, family in _FAMILIES:
        if pattern.match(uri):
            return family, name
    return "?", name


def _text(el: ET.Element) -> str:
    return "".join(el.itertext())


def plain_text(markup: str) -> str:
    """The text a reader sees of a line of WordPress HTML: ``Title <em>With</em> Mark<sup>up</sup>``
    -> ``Title With Markup``, ``Fish &amp; Chips&#8217;`` -> ``Fish & Chips’``, whitespace collapsed.
    Tags go before references are decoded, so an escaped ``&lt;em&gt;`` stays visible text."""
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def parse_export(path: Path, shown: str) -> Export:
    """Parse ``path`` (shown in messages as ``shown``); raises ContentError naming file:line."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(Diagnostic(shown, None, None, f"cannot read the export: {exc.strerror}")) from None
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber
        col = parser.parser.CurrentColumnNumber + 1
        what = type(exc).__name__
        raise ContentError(
            Diagnostic(
                shown,
                line,
                col,
                f"refused: the file declares a document type or entities ({what}); a WordPress "
                "export has none, and expanding them could exhaust memory or read other files",
            )
        ) from None
    except ET.ParseError as exc:
        line, col = exc.position
        msg = str(exc).split(":")[0]
        raise ContentError(Diagnostic(shown, line, col + 1, f"not well-formed XML: {msg}")) from None
    return _read(root, builder.lines, path, shown)


def _version(root: ET.Element, shown: str) -> str:
    """The WXR version: ``<wp:wxr_version>``, else the one most elements are in."""
    seen: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for el in root.iter():
        uri = el.tag[1:].partition("}")[0] if el.tag.startswith("{") else ""
        if m := _WP_NS.match(uri):
            seen[m.group(1)] += 1
            if el.tag.endswith("}wxr_version") and _text(el).strip() in ("1.0", "1.1", "1.2"):
                return _text(el).strip()
        elif m := _OTHER_WP_NS.match(uri):
            others[m.group(1)] += 1
    if seen:
        return seen.most_common(1)[0][0]
    if others:
        version = others.most_common(1)[0][0]
        raise ContentError(
            Diagnostic(
                shown, 1, None, f"WordPress export version {version} is not supported (WXR 1.0-1.2 are)"
            )
        )
    raise ContentError(
        Diagnostic(
            shown,
            1,
            None,
            "not a WordPress export: no wp: elements (http://wordpress.org/export/1.2/); in WordPress, "
            "use Tools > Export > All content",
        )
    )


def _read(root: ET.Element, lines: dict[ET.Element, int], path: Path, shown: str) -> Export:
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise ContentError(
            Diagnostic(
                shown,
                lines.get(root, 1),
                None,
                f"not a WordPress export: expected <rss><channel>, got <{root.tag}>",
            )
        )
    version = _version(root, shown)
    title = link = description = language = ""
    authors: dict[str, Author] = {}
    items: list[Item] = []
    errors: list[Diagnostic] = []
    for child in channel:
        family, name = _family(child.tag)
        if family == "" and name == "title":
            title = _text(child).strip()
        elif family == "" and name == "link":
            link = _text(child).strip()
        elif family == "" and name == "description":
            description = " ".join(_text(child).split())
        elif family == "" and name == "language":
            language = _text(child).strip()
        elif family == "wp" and name == "author":
            fields = {_family(c.tag)[1]: _text(c).strip() for c in child}
            login = fields.get("author_login", "")
            if login:
                display = fields.get("author_display_name") or login
                authors[login] = Author(login, display, fields.get("author_description", ""))
        elif family == "" and name == "item":
            item = _item(child, lines, shown, errors)
            if item is not None:
                items.append(item)
    if errors:
        raise ContentError(errors)
    return Export(path, version, title, link, authors, items, description, language)


def _item(el: ET.Element, lines: dict[ET.Element, int], shown: str, errors: list[Diagnostic]) -> Item | None:
    line = lines.get(el, 0)
    fields: dict[tuple[str, str], str] = {}
    cats: list[tuple[str, str]] = []
    meta: dict[str, str] = {}
    old_slugs: list[str] = []
    for c in el:
        family, name = _family(c.tag)
        if family == "" and name == "category":
            text = plain_text(_text(c))  # WordPress keeps a term's name escaped: "Apps &amp; Games"
            if text:
                cats.append((c.get("domain", "category"), text))
        elif family == "wp" and name == "postmeta":
            kv = {_family(m.tag)[1]: _text(m) for m in c}
            if kv.get("meta_key") == "_wp_old_slug" and kv.get("meta_value", "").strip():
                old_slugs.append(kv["meta_value"].strip())
            elif kv.get("meta_key"):
                meta[kv["meta_key"]] = kv.get("meta_value", "")
        elif family != "?":
            fields.setdefault((family, name), _text(c))
    raw_id = fields.get(("wp", "post_id"), "").strip()
    if not raw_id.isdigit():
        what = f"post_id {raw_id!r} is not a number" if raw_id else "has no <wp:post_id>"
        errors.append(Diagnostic(shown, line, None, f"item {what}"))
        return None

    def get(family: str, name: str) -> str:
        return fields.get((family, name), "")

    def number(name: str) -> int:
        value = get("wp", name).strip()
        return int(value) if value.isdigit() else 0

    return Item(
        line=line,
        post_id=int(raw_id),
        post_type=get("wp", "post_type").strip() or "post",
        status=get("wp", "status").strip() or "publish",
        title=plain_text(get("", "title")),
        link=get("", "link").strip(),
        creator=get("dc", "creator").strip(),
        content=get("content", "encoded"),
        excerpt=get("excerpt", "encoded"),
        name=get("wp", "post_name").strip(),
        date=get("wp", "post_date").strip(),
        date_gmt=get("wp", "post_date_gmt").strip(),
        modified_gmt=get("wp", "post_modified_gmt").strip(),
        parent=number("post_parent"),
        password=get("wp", "post_password"),
        attachment_url=get("wp", "attachment_url").strip(),
        categories=cats,
        meta=meta,
        old_slugs=old_slugs,
    )
