"""Agency wire documents (ninjs, NITF) into :class:`~newsgen.model.Article` values.

:mod:`newsgen.content.ninjs` and :mod:`newsgen.content.nitf` each read their
format into a :class:`WireDoc`, the fields a wire desk uses; :func:`to_article`
makes the story. Agency HTML is cleaned with nh3 (the ammonia sanitiser): only
text markup, tables, lists, links with safe schemes and figures are kept.
Staff notes (ninjs ``ednote``, NITF ``ed-msg``) are never read into a
``WireDoc``, so they cannot reach any output.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

import nh3

from newsgen.config import Config
from newsgen.content.frontmatter import FileErrors
from newsgen.content.markup import first_paragraph_text, is_dangerous_url, truncate
from newsgen.content.sources import Source
from newsgen.core.dates import DateProblem, midnight, parse_datetime
from newsgen.core.urls import article_url, name_key, output_path, slugify
from newsgen.model import Article

#: Wire statuses: a kill is "withheld" or "canceled"; "skipped" is an item that is not text.
KILLED = ("withheld", "canceled")

_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "em", "i", "strong", "b", "u", "s", "sub",
    "sup", "small", "abbr", "cite", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "a", "table",
    "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption", "img", "hr", "span",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
               "th": {"colspan", "rowspan", "scope"}, "abbr": {"title"}}  # fmt: skip
_WEB = re.compile(r"^(?:https?:)?//[^\s/?#]+\S*$", re.I)
_BASIC_ISO = re.compile(r"^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)?(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")


def sanitise(fragment: str) -> str:
    """Agency HTML to safe HTML: scripts, styles, event handlers, unknown
    elements and javascript:/data: links removed."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        # gone with their text: code, and what repeats the page's own headline and title
        clean_content_tags={
            "script",
            "style",
            "head",
            "title",
            "h1",
            "noscript",
            "template",
            "iframe",
            "object",
        },
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    ).strip()


def is_web_picture(ref: str | None) -> bool:
    """True for a picture address a reader's browser can fetch from anywhere: an absolute
    http(s) URL with a host (or ``//host/...``, read with the page's own scheme).

    The parsers prefer such a reference when an item offers several (ninjs renditions,
    NITF ``media-reference`` elements). Any other reference must name a file of the
    site's static folder, which is known only when the site is assembled
    (:mod:`newsgen.site.wirepics` leaves the picture out, with a warning, when it does not):
    agencies also send picture ids (``source="iJIJyyF0tiE"``) and ``urn:`` names."""
    return ref is not None and _WEB.match(ref.strip()) is not None


def unusable_picture(what: str, ref: str) -> str:
    """The warning for a picture left out because a reader could not see it."""
    return (
        f"{what} {ref[:200]!r} is neither an http(s) address nor a file of the static folder "
        "(an agency's picture id?); left out"
    )


def text_paragraphs(text: str) -> str:
    """Plain text (blank lines between paragraphs, or one paragraph a line) to ``<p>`` elements."""
    blocks = re.split(r"\n\s*\n", text.strip()) if "\n\n" in text.strip() else text.strip().split("\n")
    paras = [" ".join(b.split()) for b in blocks]
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paras if p)


@dataclass
class WireDoc:
    """One agency document, as the parsers read it. ``lines`` maps a field to
    the file line it came from, when known, for messages."""

    identity: str
    title: str | None = None
    subtitle: str | None = None
    body_html: str = ""
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    date: str | None = None  # texts as written; parsed by to_article
    updated: str | None = None
    embargo: str | None = None
    expires: str | None = None
    status: str = "usable"
    urgency: int | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    image_alt: str | None = None  # else the caption
    image_caption: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    image_credit: str | None = None
    credit: str | None = None
    copyright: str | None = None
    kills: str | None = None
    codes: list[str] = field(default_factory=list)  # subject and genre codes and names, for wire: sections:
    item_type: str = "text"
    lines: dict[str, int] = field(default_factory=dict)


def wire_date(text: str, config: Config) -> datetime:
    """An ISO 8601 date and time, extended (``2025-03-01T12:00:00Z``) or basic
    (``20250301T120000Z``, as NITF writes it); naive times are in the site's timezone."""
    s = text.strip()
    m = _BASIC_ISO.match(s)
    if m:
        y, mo, d, hh, mm, ss, frac, zone = m.groups()
        s = f"{y}-{mo}-{d}"
        if hh is not None:
            s += f"T{hh}:{mm}:{ss or '00'}{frac or ''}"
        if zone and zone != "Z" and ":" not in zone:
            zone = f"{zone[:3]}:{zone[3:]}"
        s += zone or ""
    return parse_datetime(s, config.tz)


def to_article(doc: WireDoc, source: Source, config: Config, f: FileErrors) -> Article:
    """The story of a wire document; problems go to ``f`` (raised at the end)."""
    when: dict[str, datetime | None] = {}
    for name in ("date", "updated", "embargo", "expires"):
        text = getattr(doc, name)
        when[name] = None
        if text:
            try:
                when[name] = wire_date(text, config)
            except DateProblem as p:
                f.error(doc.lines.get(name), None, f"{name}: {p}")
    date = when["date"] or when["updated"]
    date_from = "front matter"
    if date is None and not f.errors:
        date_from = "default_date"
        date = (
            midnight(config.default_date, config.tz)
            if config.default_date
            else datetime(1970, 1, 1, tzinfo=config.tz)
        )
        f.warn(
            None,
            None,
            f"no date in this {source.kind} document (first created or issue date); dated {date:%Y-%m-%d}",
        )
    title = " ".join((doc.title or "").split())
    if not title and doc.item_type == "text" and doc.status not in KILLED:
        f.error(doc.lines.get("title"), None, "no headline; every story needs one")
    if doc.item_type != "text":
        f.warn(None, None, f"a {doc.item_type} item, not a text story: skipped")
    image = doc.image
    if image is not None and is_dangerous_url(image):
        f.error(
            doc.lines.get("image"), None, "picture: javascript:, vbscript: and data: URLs are not allowed"
        )
        image = None
    f.raise_if_any()
    assert date is not None
    sections = dict(config.wire_sections)
    section = doc.section or next((sections[c] for c in doc.codes if c in sections), None)
    slug = slugify(title or doc.identity)
    url = article_url(config.permalink, date.astimezone(config.tz), slug, section)
    subtitle = " ".join((doc.subtitle or "").split())
    summary = (subtitle if subtitle.casefold() != title.casefold() else "") or first_paragraph_text(
        doc.body_html
    )
    dateline = doc.dateline
    if dateline and first_paragraph_text(doc.body_html).casefold().startswith(dateline.casefold()):
        dateline = None  # the agency wrote it into the text already
    extra = {
        k: v
        for k, v in (
            ("image_width", doc.image_width),
            ("image_height", doc.image_height),
            ("image_credit", doc.image_credit),
        )
        if v is not None
    }
    updated = when["updated"] if when["updated"] is not None and when["updated"] > date else None
    return Article(
        source=source.display, source_path=source.path, kind=source.kind, title=title or doc.identity,
        slug=slug, date=date, updated=updated, authors=tuple(doc.authors), section=section,
        tags=unique_names(doc.tags), summary=truncate(summary, 600), body=doc.body_html,
        url=url, output_path=output_path(url), image=image,
        date_from=date_from, extra=extra, image_alt=doc.image_alt or doc.image_caption,
        image_caption=doc.image_caption, dateline=dateline, embargo=when["embargo"],
        expires=when["expires"], field_lines=dict(doc.lines), identity=doc.identity,
        status=doc.status if doc.item_type == "text" else "skipped", urgency=doc.urgency,
        credit=doc.credit, copyright=doc.copyright, kills=doc.kills,
    )  # fmt: skip


def unique_names(names: list[str]) -> tuple[str, ...]:
    """Each name once (case, accents and spacing ignored), first spelling, in order."""
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(name_key(n), n)
    return tuple(seen.values())


_BY = re.compile(r"^(?:by|von|par|por|av)\s+", re.I)


def author_name(text: str) -> str:
    """A byline without its leading "By" (or the agency's language's word for it)."""
    return _BY.sub("", text.strip()).strip()


def urgency(value: object) -> int | None:
    """An urgency 1-9 from a number or its text; anything else is None."""
    try:
        n = int(str(value).strip())
    except ValueError:
        return None
    return n if 1 <= n <= 9 else None
