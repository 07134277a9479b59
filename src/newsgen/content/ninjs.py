"""IPTC ninjs (JSON) news items into :class:`~newsgen.content.wiredoc.WireDoc` values.

Reads ninjs 1.x (``headline``, ``body_html``, ``byline``, ...), 2.x
(``headlines[]``, ``bodies[]``, ``by``, ``descriptions[]``) and 3.x (the same
in camelCase: ``versionCreated``, ``pubStatus``); keys are matched without
regard to case. ``ednote`` is never read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from newsgen.config import Config
from newsgen.content.frontmatter import FileErrors
from newsgen.content.sources import Source, decode, read_source
from newsgen.content.wiredoc import (
    WireDoc,
    author_name,
    is_web_picture,
    sanitise,
    text_paragraphs,
    urgency,
)
from newsgen.errors import ContentError, Diagnostic

MAX_DEPTH = 64  # JSON nesting accepted (ninjs needs about 6)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")
_TEXT_TYPES = ("text", "composite")


def _too_deep(text: str) -> int | None:
    """The line of the first bracket nested deeper than :data:`MAX_DEPTH`, or None."""
    bare = _STRINGS.sub(lambda m: "\n" * m.group().count("\n"), text)
    depth = 0
    for m in _BRACKETS.finditer(bare):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return bare.count("\n", 0, m.start()) + 1
    return None


def _lower(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k).lower(): _lower(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_lower(x) for x in v]
    return v


def _items(v: Any) -> list[Any]:
    """The members of a list, or the values of an object (ninjs 1.x/2.x write some lists as objects)."""
    return list(v.values()) if isinstance(v, dict) else v if isinstance(v, list) else []


def _s(v: Any) -> str | None:
    """Text of a scalar, or None."""
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        t = " ".join(str(v).split())
        return t or None
    return None


def _names(v: Any) -> list[str]:
    """Names from a list of strings or of objects with ``name``."""
    out = []
    for x in v if isinstance(v, list) else [v] if v else []:
        n = _s(x.get("name") or x.get("literal")) if isinstance(x, dict) else _s(x)
        if n:
            out.append(n)
    return out


def _by_role(items: Any, *roles: str) -> str | None:
    """The ``value`` of the first item with one of ``roles`` (2.x/3.x ``headlines``, ``descriptions``)."""
    if not isinstance(items, list):
        return None
    for role in roles:
        for x in items:
            if isinstance(x, dict) and (x.get("role") or "main") == role and _s(x.get("value")):
                return str(x["value"])
    return None


def _body(item: dict[str, Any]) -> str:
    """The richest body as safe HTML: xhtml or html, else text paragraphs."""
    for key in ("body_xhtml", "body_html"):
        if _s(item.get(key)):
            return sanitise(str(item[key]))
    bodies = [
        b for b in _items(item.get("bodies")) if isinstance(b, dict) and isinstance(b.get("value"), str)
    ]
    for b in bodies:
        if "html" in str(b.get("contenttype", "")):  # text/html, application/xhtml+xml; not agency XML
            return sanitise(b["value"])
    text = item.get("body_text") or next((b["value"] for b in bodies), None)
    return text_paragraphs(text) if isinstance(text, str) else ""


#: ``descriptions`` roles that hold the story's text (NTB sends its whole text as role "text").
_TEXT_ROLES = ("text", "body")


def _description_body(item: dict[str, Any], standfirst: str | None) -> str:
    """The body of an item that has none, from its ``descriptions``: one with role text or
    body, else the longest one that is not the standfirst already. The ninjs schemas call
    descriptions metadata and leave their roles to the provider, so this is a fallback."""
    found = [
        d
        for d in _items(item.get("descriptions"))
        if isinstance(d, dict) and isinstance(d.get("value"), str) and d["value"].strip()
    ]
    chosen = next((d for d in found if str(d.get("role", "")).lower() in _TEXT_ROLES), None)
    if chosen is None:
        rest = [d for d in found if " ".join(d["value"].split()) != standfirst]
        chosen = max(rest, key=lambda d: len(d["value"]), default=None)
    if chosen is None:
        return ""
    if "html" in str(chosen.get("contenttype", "")):
        return sanitise(chosen["value"])
    return text_paragraphs(chosen["value"])


MAX_WIDTH = 2400  # wider renditions are print masters, not for the web


def _web_fit(r: dict[str, Any]) -> tuple[bool, int, int]:
    """Order of renditions: those at a web address (:func:`is_web_picture`) first, then
    the widest up to :data:`MAX_WIDTH`, then the narrowest of the wider ones."""
    width = r.get("width")
    w = width if isinstance(width, int) else 0
    return (is_web_picture(str(r["href"])), *((1, w) if w <= MAX_WIDTH else (0, -w)))


def _href_line(text: str, href: str) -> int | None:
    """The line of the ``"href"`` that gives ``href``, if it is written as ``json`` writes it."""
    for written in (json.dumps(href), json.dumps(href, ensure_ascii=False)):
        m = re.search(r'"href"\s*:\s*' + re.escape(written), text, re.I)
        if m:
            return text.count("\n", 0, m.start()) + 1
    return None


def _picture(item: dict[str, Any], doc: WireDoc, text: str) -> None:
    """The first picture association: its widest web-sized rendition (at a web address
    if it has one), caption and credit; ``doc.lines["image"]`` is the line of its ``href``."""
    pictures = [a for a in _items(item.get("associations")) if isinstance(a, dict)]
    for p in pictures:
        if p.get("type") not in ("picture", "graphic"):
            continue
        rends = [r for r in _items(p.get("renditions")) if isinstance(r, dict) and _s(r.get("href"))]
        if not rends:
            continue
        best = max(rends, key=_web_fit)
        doc.image = str(best["href"]).strip()
        line = _href_line(text, str(best["href"]))
        if line is not None:
            doc.lines["image"] = line
        doc.image_width = best.get("width") if isinstance(best.get("width"), int) else None
        doc.image_height = best.get("height") if isinstance(best.get("height"), int) else None
        doc.image_caption = (
            _s(p.get("description_text"))
            or _by_role(p.get("descriptions"), "caption", "summary", "main")
            or _s(p.get("headline"))
            or _by_role(p.get("headlines"), "main")
        )
        doc.image_credit = _s(p.get("creditline")) or _s(p.get("copyrightholder")) or _s(p.get("by"))
        return


def read_ninjs(source: Source, config: Config, f: FileErrors) -> WireDoc:
    """One ninjs file; malformed JSON raises a ContentError at its line and column."""
    text = decode(read_source(source, config.max_file_size), source.display)
    deep = _too_deep(text)
    if deep is not None:
        raise ContentError(
            Diagnostic(source.display, deep, None, f"JSON is nested deeper than {MAX_DEPTH} levels")
        )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            Diagnostic(source.display, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")
        ) from None
    if not isinstance(raw, dict):
        raise ContentError(
            Diagnostic(source.display, 1, 1, "a ninjs file holds one JSON object (a news item)")
        )
    item = _lower(raw)
    lines = {}
    for name, keys in (
        ("title", ("headline", "headlines")),
        ("date", ("firstcreated",)),
        ("updated", ("versioncreated",)),
        ("embargo", ("embargoed",)),
        ("expires", ("expires",)),
    ):
        for key in keys:
            m = re.search(rf'"{key}"\s*:', text, re.I)
            if m:
                lines[name] = text.count("\n", 0, m.start()) + 1
                break  # fmt: skip
    identity = _s(item.get("uri")) or _s(item.get("guid")) or source.path.stem
    status = (_s(item.get("pubstatus")) or "usable").lower()
    if status not in ("usable", "withheld", "canceled"):
        f.warn(
            lines.get("title"),
            None,
            f"pubstatus {status!r} is not usable, withheld or canceled; taken as usable",
        )
        status = "usable"
    by = item.get("by") if item.get("by") is not None else item.get("byline")
    named = _names(by) if isinstance(by, list) else [t for t in [_s(by)] if t]
    authors = [author_name(a) for a in named]
    located = item.get("located")
    dateline = _s(located.get("name")) if isinstance(located, dict) else _s(located)
    keywords = item.get("keywords") if isinstance(item.get("keywords"), list) else []
    notice = " ".join(x for x in (_s(item.get("copyrightnotice")), _s(item.get("usageterms"))) if x)
    subtitle = (
        _s(item.get("subheadline"))
        or _by_role(item.get("headlines"), "sub", "subheadline")
        or _by_role(item.get("descriptions"), "summary", "abstract")
        or _s(item.get("description_text"))
    )
    body = _body(item) or _description_body(item, subtitle and " ".join(subtitle.split()))
    doc = WireDoc(
        identity=identity,
        title=_s(item.get("headline")) or _by_role(item.get("headlines"), "main", "headline"),
        subtitle=subtitle,
        body_html=body,
        authors=[a for a in authors if a],
        dateline=dateline,
        date=_s(item.get("firstcreated")),
        updated=_s(item.get("versioncreated")),
        embargo=_s(item.get("embargoed")),
        expires=_s(item.get("expires")),
        status=status,
        urgency=urgency(item.get("urgency")),
        tags=_names(item.get("subjects")) + _names(item.get("genres")) + _names(keywords),
        credit=_s(item.get("copyrightholder")),
        copyright=notice or None,
        item_type=(_s(item.get("type")) or "text").lower(),
        codes=_codes(item.get("subjects")) + _codes(item.get("genres")) + _names(keywords),
        lines=lines,
    )
    if doc.item_type in _TEXT_TYPES:
        doc.item_type = "text"
    if not body.strip() and doc.item_type == "text" and status == "usable":
        m = re.search(r'"(?:body_xhtml|body_html|body_text|bodies|body)"\s*:', text, re.I)
        line = text.count("\n", 0, m.start()) + 1 if m else lines.get("title", 1)
        f.warn(
            line, None, "no body text (body_html, body_text, bodies or a text description); the page is empty"
        )
    _picture(item, doc, text)
    return doc


def _codes(v: Any) -> list[str]:
    """Each subject's or genre's ``code``, ``uri`` and ``name``, in order."""
    out = []
    for x in v if isinstance(v, list) else []:
        if isinstance(x, dict):
            out += [t for k in ("code", "uri", "qcode", "name") if (t := _s(x.get(k)))]
    return out
