"""IPTC NITF 3.x (XML) documents into :class:`~newsgen.content.wiredoc.WireDoc` values.

Parsed with defusedxml: a document type declaration is allowed but never
loaded, and any entity declaration (billion laughs, XXE) is an error naming
the file. The NITF namespace is optional. ``ed-msg`` and ``note`` elements
are never read.
"""

from __future__ import annotations

import html
import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from newsgen.config import Config
from newsgen.content.frontmatter import FileErrors
from newsgen.content.sources import Source, read_source
from newsgen.content.wiredoc import (
    WireDoc,
    author_name,
    is_web_picture,
    sanitise,
    unusable_picture,
    urgency,
)
from newsgen.core.sitepaths import site_path
from newsgen.errors import ContentError, Diagnostic

#: NITF body elements kept as the HTML element of the same name; others are unwrapped.
_SAME = {"p", "ul", "ol", "li", "dl", "dt", "dd", "em", "q", "table", "caption", "thead", "tbody",
         "tfoot", "tr", "th", "td", "br", "hr", "pre", "sub", "sup", "a", "blockquote"}  # fmt: skip
_RENAMED = {"hl2": "h2", "bq": "blockquote", "block": None, "lang": None, "pronounce": None}
_DROPPED = {"ed-msg", "note", "media-metadata", "media-object"}
#: Elements that stand as blocks of their own in body.content or a block; other text there is paragraphed.
_BLOCKS = {"p", "hl2", "ul", "ol", "dl", "table", "pre", "hr", "bq", "blockquote", "block", "media"}
#: HTML that must not go inside a paragraph: an unknown element holding it is a block too.
_BLOCK_HTML = re.compile(r"<(?:p|h2|ul|ol|dl|table|pre|hr|blockquote|figure)\b")
_TAGS = re.compile(r"<[^>]*>")
_REFERENCE_TAGS = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<(?:[\w.-]+:)?media-reference\b", re.S)
_STATUSES = {"usable": "usable", "embargoed": "usable", "withheld": "withheld", "canceled": "canceled"}


MAX_DEPTH = 100  # element nesting accepted (NITF needs about 15)


def _too_deep(root: Element) -> bool:
    stack = [(root, 1)]
    while stack:
        e, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        stack.extend((c, depth + 1) for c in e)
    return False


def _name(e: Element) -> str:
    return e.tag.rsplit("}", 1)[-1] if isinstance(e.tag, str) else ""


def _find(root: Element, *path: str) -> Element | None:
    """The first element at ``path`` (local names, any namespace), searched at any depth for the first step."""
    found = [e for e in root.iter() if _name(e) == path[0]]
    for step in path[1:]:
        found = [c for e in found for c in e if _name(c) == step]
    return found[0] if found else None


def _all(root: Element, name: str) -> list[Element]:
    return [e for e in root.iter() if _name(e) == name]


def _text(e: Element | None, skip: tuple[str, ...] = ()) -> str | None:
    if e is None:
        return None
    parts = [e.text or ""]
    for c in e:
        if _name(c) not in skip and _name(c) not in _DROPPED:
            parts.append(_text(c, skip) or "")
        parts.append(c.tail or "")
    t = " ".join("".join(parts).split())
    return t or None


def _container(e: Element) -> str:
    """``body.content`` or a ``block`` as HTML: its block elements as they are, and the bare
    text and inline or unknown elements between them (``<body.content>text</body.content>``)
    each run as a paragraph, so no text is left outside one."""
    out: list[str] = []
    run = [html.escape(e.text or "", quote=False)]

    def flush() -> None:
        text = "".join(run).strip()
        if text:
            out.append(f"<p>{text}</p>")
        run.clear()

    for c in e:
        inner = _html(c, tail=False)
        if _name(c) in _BLOCKS or _BLOCK_HTML.search(inner):
            flush()
            out.append(inner)
        else:
            run.append(inner)
        run.append(html.escape(c.tail or "", quote=False))
    flush()
    return "".join(out)


def _html(e: Element, tail: bool = True) -> str:
    """A body.content element as HTML (escaped text; sanitised afterwards), with the text
    that follows it unless ``tail`` is false."""
    name = _name(e)
    after = html.escape(e.tail or "", quote=False) if tail else ""
    if name in _DROPPED:
        return after
    if name == "media":
        return _media(e) + after
    if name == "block":
        return _container(e) + after
    inner = html.escape(e.text or "", quote=False) + "".join(_html(c) for c in e)
    tag = name if name in _SAME else _RENAMED.get(name)
    if tag is None:
        out = inner
    else:
        attrs = ""
        if tag == "a" and e.get("href"):
            attrs = f' href="{html.escape(e.get("href", ""))}"'
        elif tag in ("td", "th"):
            attrs = "".join(f' {k}="{html.escape(e.get(k, ""))}"' for k in ("colspan", "rowspan") if e.get(k))
        out = f"<{tag}{attrs}>{inner}</{tag}>" if tag not in ("br", "hr") else f"<{tag}>"
    return out + after


def _media(e: Element) -> str:
    """A ``media`` element as a figure: its image reference, caption and producer."""
    ref = _reference(e)
    if ref is None or e.get("media-type", "image") not in ("image", "photo", "graphic"):
        return ""
    caption = _text(_find(e, "media-caption"))
    producer = _text(_find(e, "media-producer"))
    alt = ref.get("alternate-text") or caption or ""
    fig = f'<figure><img src="{html.escape(ref.get("source", ""))}" alt="{html.escape(alt)}">'
    text = " ".join(x for x in (caption, producer) if x)
    return fig + (f"<figcaption>{html.escape(text, quote=False)}</figcaption>" if text else "") + "</figure>"


def _reference(media: Element) -> Element | None:
    """The ``media-reference`` of a ``media`` element to show: the first with a web address
    (:func:`~newsgen.content.wiredoc.is_web_picture`), else the first with a ``source``."""
    refs = [r for r in media.iter() if _name(r) == "media-reference" and (r.get("source") or "").strip()]
    return next((r for r in refs if is_web_picture(r.get("source"))), refs[0] if refs else None)


def _reference_line(data: bytes, refs: list[Element], ref: Element) -> int | None:
    """The file line of ``ref``, the n-th of ``refs`` (every ``media-reference`` of the tree, in
    order): that of the n-th ``<media-reference`` tag of the file, comments and CDATA skipped
    (ElementTree keeps no lines). None when they cannot be matched (a file in UTF-16, say)."""
    index = next((i for i, r in enumerate(refs) if r is ref), None)
    tags = (m for m in _REFERENCE_TAGS.finditer(data) if not m.group().startswith(b"<!"))
    for i, m in enumerate(tags):
        if i == index:
            return data.count(b"\n", 0, m.start()) + 1
    return None


def _attr(root: Element, name: str, attr: str) -> str | None:
    e = _find(root, name)
    v = e.get(attr) if e is not None else None
    return v.strip() if v and v.strip() else None


def read_nitf(source: Source, config: Config, f: FileErrors) -> WireDoc:
    """One NITF file; malformed or hostile XML raises a ContentError naming the file."""
    data = read_source(source, config.max_file_size)
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        message = str(exc).split(":")[0]
        raise ContentError(
            Diagnostic(source.display, line, (col or 0) + 1, f"not well-formed XML: {message}")
        ) from None
    except DefusedXmlException as exc:
        raise ContentError(Diagnostic(source.display, None, None,
            f"XML declares entities or external references ({type(exc).__name__}), which newsgen never expands; "
            "remove the DOCTYPE's internal subset")) from None  # fmt: skip
    except (LookupError, ValueError) as exc:  # an unknown encoding in the XML declaration
        raise ContentError(Diagnostic(source.display, 1, None, f"XML cannot be read: {exc}")) from None
    if _too_deep(root):
        raise ContentError(
            Diagnostic(source.display, None, None, f"XML is nested deeper than {MAX_DEPTH} levels")
        )
    if _name(root) != "nitf":
        raise ContentError(
            Diagnostic(
                source.display,
                1,
                None,
                f"not a NITF document: the root element is <{_name(root)}>, expected <nitf>",
            )
        )
    docdata = _find(root, "docdata")
    status_text = (docdata.get("management-status") if docdata is not None else None) or "usable"
    status = _STATUSES.get(status_text.strip().lower())
    if status is None:
        f.warn(
            None,
            None,
            f"management-status {status_text!r} is not usable, embargoed, withheld or canceled; taken as usable",
        )
        status = "usable"
    byline = _find(root, "byline")
    author = _text(byline, skip=("byttl",)) if byline is not None else None
    author = author_name(author) if author else None
    dateline = _find(root, "dateline")
    location = _text(_find(dateline, "location")) if dateline is not None else None
    content = _find(root, "body.content")
    refs = [e for e in root.iter() if _name(e) == "media-reference"]  # before the lead leaves the tree
    lead = _lead_picture(content) if content is not None else None
    lead_line = _reference_line(data, refs, lead[0]) if lead is not None else None
    if content is not None:
        _drop_schemed_media(content, data, refs, f)
    body = sanitise(_container(content)) if content is not None else ""
    if status == "usable" and not _TAGS.sub("", body).strip():
        at = re.search(rb"<(?:[\w.-]+:)?body\.content\b", data) or re.search(rb"<(?:[\w.-]+:)?hl1\b", data)
        f.warn(data.count(b"\n", 0, at.start()) + 1 if at else None, None, "no body text; the page is empty")
    copyright_el = _find(root, "doc.copyright")
    holder = copyright_el.get("holder") if copyright_el is not None else None
    rights = _text(_find(root, "body.end", "tagline"))
    doc = WireDoc(
        identity=_attr(root, "doc-id", "id-string") or source.path.stem,
        title=_text(_find(root, "hl1")),
        subtitle=_text(_find(root, "hedline", "hl2")),
        body_html=body,
        authors=[author] if author else [],
        dateline=location or (_text(dateline, skip=("story.date",)) if dateline is not None else None),
        date=_attr(root, "date.issue", "norm"),
        updated=_attr(root, "date.release", "norm"),
        embargo=_attr(root, "date.release", "norm") if status_text.strip().lower() == "embargoed" else None,
        expires=_attr(root, "date.expire", "norm"),
        status=status,
        urgency=urgency(_attr(root, "urgency", "ed-urg")),
        tags=_subjects(root),
        codes=_codes(root),
        credit=_text(_find(root, "distributor")) or holder,
        copyright=" ".join(x for x in (f"© {holder}" if holder else None, rights) if x) or None,
        kills=docdata.get("management-doc-idref") if docdata is not None and status != "usable" else None,
    )
    if lead is not None:
        ref, caption, producer = lead
        doc.image, doc.image_caption, doc.image_credit = ref.get("source", "").strip(), caption, producer
        doc.image_alt = ref.get("alternate-text") or caption
        doc.image_width, doc.image_height = _int(ref.get("width")), _int(ref.get("height"))
        if lead_line is not None:
            doc.lines["image"] = lead_line
    return doc


def _lead_picture(content: Element) -> tuple[Element, str | None, str | None] | None:
    """The first image ``media`` of the body, taken out of it to be the story's lead picture:
    its ``media-reference``, caption and producer."""
    for parent in content.iter():
        for e in list(parent):
            if _name(e) != "media" or e.get("media-type", "image") not in ("image", "photo", "graphic"):
                continue
            ref = _reference(e)
            if ref is None:
                continue
            _take_out(parent, e)
            return ref, _text(_find(e, "media-caption")), _text(_find(e, "media-producer"))
    return None


def _drop_schemed_media(content: Element, data: bytes, refs: list[Element], f: FileErrors) -> None:
    """Take out of the body, with a warning at its line, each image ``media`` whose reference
    is a URL of another scheme than http(s) (``urn:``, ``tag:``): the sanitiser would leave
    an ``<img>`` without a ``src``. References that are paths are judged when the site is
    assembled (:mod:`newsgen.site.wirepics`), against the static folder."""
    for parent in list(content.iter()):
        for e in list(parent):
            ref = _reference(e) if _name(e) == "media" else None
            if ref is None or e.get("media-type", "image") not in ("image", "photo", "graphic"):
                continue
            source = ref.get("source", "").strip()
            if is_web_picture(source) or site_path(source) is not None:
                continue
            f.warn(_reference_line(data, refs, ref), None, unusable_picture("picture in the body", source))
            _take_out(parent, e)


def _take_out(parent: Element, e: Element) -> None:
    """Remove ``e`` from ``parent``, keeping the text that followed it."""
    if e.tail:
        siblings = list(parent)
        i = siblings.index(e)
        if i:
            siblings[i - 1].tail = (siblings[i - 1].tail or "") + e.tail
        else:
            parent.text = (parent.text or "") + e.tail
    parent.remove(e)


def _subjects(root: Element) -> list[str]:
    """Tags: each ``tobject.subject`` (its matter, else its type) and each ``key-list`` keyword."""
    out = []
    for s in _all(root, "tobject.subject"):
        name = (
            s.get("tobject.subject.matter")
            or s.get("tobject.subject.detail")
            or s.get("tobject.subject.type")
        )
        if name and name.strip():
            out.append(" ".join(name.split()))
    for k in _all(root, "keyword"):
        if k.get("key") and k.get("key", "").strip():
            out.append(" ".join(k.get("key", "").split()))
    return out


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _codes(root: Element) -> list[str]:
    """Each subject's ``refnum``, matter, detail and type, then each keyword, in order."""
    out = []
    for s in _all(root, "tobject.subject"):
        for attr in (
            "tobject.subject.refnum",
            "tobject.subject.matter",
            "tobject.subject.detail",
            "tobject.subject.type",
        ):
            if (s.get(attr) or "").strip():
                out.append(s.get(attr, "").strip())
    return out + [k.get("key", "").strip() for k in _all(root, "keyword") if (k.get("key") or "").strip()]
