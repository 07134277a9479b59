"""Load each source file into an :class:`~newsgen.model.Article` (finding and
reading the files is :mod:`newsgen.content.sources`; front matter values, :mod:`newsgen.content.frontmatter`).

Two formats:

Markdown (``.md``, ``.markdown``)
    Optional front matter, then a Markdown body: YAML between a first line
    ``---`` and a closing ``---`` (or ``...``) line, TOML between ``+++``
    lines, a JSON object, or Pelican's ``Title: ...`` header
    (:mod:`newsgen.content.fmformats`).

Wire copy (``.txt``)
    The format news agencies send: the first non-empty line is the headline,
    then paragraphs separated by blank lines; a last line reading
    ``MORE STORIES`` (any case) is the agency's marker and is dropped. Text is
    escaped, never interpreted. Optional front matter works as for Markdown; a
    front matter ``title`` replaces the headline line.

Agency wire files in ``seeds/``: IPTC ninjs ``.json`` and NITF ``.xml``
(:mod:`newsgen.content.wiredoc`).

Front matter keys understood, as Jekyll, Hugo and Eleventy sites write them:

    title                      headline (required)
    date / publishDate         when published; a date or a date and time
    updated / last_modified / lastmod    when last updated
    author / authors           one name, or a list of names
    section / category / categories      the first is the section
    tags                       a list, or comma-separated text
    summary / excerpt / description      standfirst; else the first paragraph
    slug                       URL segment; else the filename (Markdown; a
                               folder's index.md: the folder's name) or
                               the headline (wire copy)
    draft (or published: false)          not published
    unlisted (eleventyExcludeFromCollections)   a page of its own, in no list
    image                      lead image URL
    image_alt                  text alternative of the lead image (warning when
                               an image has none)
    image_caption              caption shown under the lead image
    dateline                   place the story was filed from, e.g. MEXICO CITY;
                               shown before the first paragraph
    embargo                    date and time before which the story appears
                               nowhere (no page, list, feed or link)
    expires / expiryDate       date and time from which the story appears nowhere
    live, live_until           live coverage: updates in the story's folder
                               (:mod:`newsgen.content.live`)
    corrections                a list of entries, each a ``date`` and a ``text``:
                                   corrections:
                                     - date: 2025-04-03T12:00
                                       text: An earlier version misspelt ...
    access                     free (default) or members (newsgen.content.access)
    breaking / breaking_until  a breaking-news banner until then (default: date + 6h)

The keys of Jekyll, Hugo, Zola, Eleventy and Pelican are read as these
(:mod:`newsgen.content.genkeys`); ``permalink`` / ``url`` / ``path`` is the
article's URL and ``aliases`` / ``redirect_from`` its old URLs, which
redirect to it. Every other key is kept in ``Article.extra`` for templates.

Dating: ``date`` in front matter; else a ``YYYY-MM-DD-`` filename prefix
(midnight, site timezone); else the site's ``default_date`` (1970-01-01 when
unset, with a warning). Never the file's modification time, which differs
between clones.
"""

from __future__ import annotations

import re
from datetime import datetime

from newsgen.config import Config
from newsgen.content.access import (
    NOTHING_PAID,
    as_access,
    free_part,
    mark_more,
    misplaced_more,
    settle,
    wire_with_paywall,
)
from newsgen.content.fmformats import read_front_matter
from newsgen.content.frontmatter import (
    ALIASES,
    NEVER_LIVE,
    NO_BANNER,
    FileErrors,
    as_breaking,
    as_corrections,
    as_datetime,
    as_flag,
    as_name_list,
    as_text,
    item_lines,
    optional_text,
    pick,
    plain_line,
    warn_unless_after,
)
from newsgen.content.genkeys import ALIAS_KEYS, URL_KEYS, jekyll_title, normalise, old_urls
from newsgen.content.leftovers import convert as convert_leftovers
from newsgen.content.live import LIVE_KEYS, read_live
from newsgen.content.markup import (
    MarkdownRenderer,
    first_paragraph_text,
    is_dangerous_url,
    truncate,
    wire_to_html,
)
from newsgen.content.mdguard import MarkdownProblem
from newsgen.content.sources import INDEX_NAMES, Source, decode, load_each, read_source
from newsgen.content.wiretext import wire_headline_line, wire_parts
from newsgen.core.dates import DateProblem, midnight, parse_datetime
from newsgen.core.urls import article_url, output_path, slugify
from newsgen.errors import ContentError, Diagnostic
from newsgen.model import Article, Correction

_UNSAFE_SLUG = re.compile(r"[/\\%.\x00-\x1f\x7f]|^.{81}", re.S)  # path-like, or too long for a slug
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[-_](.+)$")  # Jekyll 2024-12-5-slug, Zola 2024-12-05_slug

# --------------------------------------------------------------------------- load


def load_article(source: Source, config: Config, md: MarkdownRenderer) -> tuple[Article, list[Diagnostic]]:
    """Load one source file. Returns the article and its warnings; raises
    :class:`ContentError` listing every problem found in the file."""
    f = FileErrors(source)
    if source.kind in ("ninjs", "nitf"):  # agency wire files: newsgen.content.wiredoc
        # imported here: a site without agency files never needs them, nor the hardened XML
        # parser (5 ms of every build's start-up)
        from newsgen.content.ninjs import read_ninjs
        from newsgen.content.nitf import read_nitf
        from newsgen.content.wiredoc import to_article

        doc = (read_ninjs if source.kind == "ninjs" else read_nitf)(source, config, f)
        return to_article(doc, source, config, f), f.warnings
    data = read_source(source, config.max_file_size)
    text = decode(data, source.display)
    parsed, fm_line, body, body_line = read_front_matter(
        text, source.display, pelican=source.kind == "markdown"
    )
    entries = normalise({e.key: e for e in parsed or []}, f)
    explicit_url, listed, old_paths = old_urls(entries, f)
    consumed: set[str] = {*URL_KEYS, *ALIAS_KEYS}
    for aliases in ALIASES.values():
        consumed.update(aliases)
    tz = config.tz
    # live coverage: read before the body, whose conversion the cache recognises as the last one
    live, live_until, updates = read_live(source, entries, f, config, md)
    consumed.update(LIVE_KEYS)

    # title
    title: str | None = None
    e = pick(entries, "title")
    if e is not None and e.value is not None:
        title = as_text(f, e)
        if title is not None and not title.strip():
            f.error(e.line, e.col, "title: is empty; every article needs a headline")
            title = None
        elif title is not None:
            title = plain_line(title)
    elif e is not None:
        f.error(e.line, e.col, "title: is empty; every article needs a headline")

    # body (access: members puts all but the free part behind the paywall, newsgen.content.access)
    access = as_access(f, pick(entries, "access"))
    members = access == "members"
    paid = False
    headline_line = None  # wire copy titled by its headline line
    if source.kind == "wire":
        # The first line is always the headline; a front matter title replaces it.
        headline, paragraphs = wire_parts(body)
        if title is None and e is None:
            if headline is None:
                f.error(body_line, 1, "wire copy is empty; expected a headline line, then paragraphs")
            else:
                title = " ".join(headline.split())
                headline_line = wire_headline_line(body, body_line)
        body_html = wire_to_html(paragraphs)
        if members:
            body_html, paid = wire_with_paywall(body_html.split("\n"))
    else:
        title = jekyll_title(source.path.stem) if e is None and parsed is not None else title
        if e is None and title is None:
            f.error(
                1 if parsed is None else max(fm_line - 1, 1),
                1,
                "title: missing; add 'title: ...' to the front matter",
            )
        elif e is None:
            f.warn(
                max(fm_line - 1, 1), 1, f"title: missing; using {title!r} from the file name, as Jekyll does"
            )
        body, leftover = convert_leftovers(body, config.permalink, config.tz)
        for line, col, message in leftover:
            f.warn(body_line + line - 1, col, message)
        body, more_line = mark_more(body)
        try:
            body_html, paid, misplaced = settle(md.convert(body, members=members))
            if more_line is not None and misplaced:
                f.warn(body_line + more_line - 1, 1, misplaced_more(members))
        except MarkdownProblem as p:
            f.error(body_line + p.line - 1, 1, p.message)
            body_html = ""
        except RecursionError:
            f.error(body_line, 1, "Markdown is nested too deeply to convert")
            body_html = ""
        except Exception as exc:  # Python-Markdown bug on crafted input
            f.error(body_line, 1, f"Markdown could not be converted ({type(exc).__name__}: {exc})")
            body_html = ""

    # date
    date_from = "front matter"
    e = pick(entries, "date")
    date = as_datetime(f, e, tz) if e is not None and e.value is not None else None
    stem = source.path.stem
    if source.path.name in INDEX_NAMES and source.path.parent != config.paths.articles:
        stem = source.path.parent.name  # a story folder (a live story): named by its folder
    prefix = _DATE_PREFIX.match(stem)
    if prefix:
        stem = prefix.group(2)
    if date is None and (e is None or e.value is None):
        if prefix:
            try:
                date = parse_datetime(prefix.group(1), tz)
                date_from = "filename"
            except DateProblem as p:
                f.error(None, None, f"filename: {p}")
        if date is None and not f.errors:
            date_from = "default_date"
            if config.default_date is not None:
                date = midnight(config.default_date, tz)
            else:
                date = datetime(1970, 1, 1, tzinfo=tz)
                f.warn(
                    None,
                    None,
                    "no date in front matter or filename; dated 1970-01-01. Add 'date:' or "
                    "set default_date in newsgen.yaml",
                )

    # updated
    updated = None
    e = pick(entries, "updated")
    if e is not None and e.value is not None:
        updated = as_datetime(f, e, tz)

    # authors
    authors: list[str] = []
    e = pick(entries, "authors")
    if e is not None:
        authors = as_name_list(f, e, split_commas=False) or []

    name_lines = item_lines(pick(entries, "authors"), "authors", authors)

    # section
    section: str | None = None
    e = pick(entries, "section")
    if e is not None and e.value is not None:
        if isinstance(e.value, list):
            names = as_name_list(f, e, split_commas=False) or []
            section = names[0] if names else None
            name_lines.update(item_lines(e, "section", names[:1]))
        else:
            section = as_text(f, e)
            section = " ".join(section.split()) if section else None

    # tags
    tags: list[str] = []
    e = pick(entries, "tags")
    if e is not None:
        tags = as_name_list(f, e, split_commas=True) or []
        name_lines.update(item_lines(e, "tags", tags))

    # summary
    summary = ""
    e = pick(entries, "summary")
    if e is not None and e.value is not None:
        summary = plain_line(as_text(f, e) or "")
    if not summary:
        summary = first_paragraph_text(free_part(body_html))  # never the paid part

    # slug
    slug_source = stem if source.kind == "markdown" else (title or stem)
    e = pick(entries, "slug")
    if e is not None and e.value is not None:
        slug_source = as_text(f, e) or slug_source
    slug = slugify(slug_source)
    if e is not None and isinstance(e.value, str) and _UNSAFE_SLUG.search(e.value):
        f.warn(
            e.line,
            e.col,
            f"slug: {e.value[:100]!r} is not a safe URL segment; using {slug!r} "
            "(letters, digits and '-', at most 80 characters)",
        )

    # draft (Jekyll: published: false)
    draft = as_flag(f, pick(entries, "draft"))
    pub = entries.get("published")
    if (pub is not None and pub.value is False) or not listed:  # Eleventy: permalink: false
        draft = True
    # unlisted (Eleventy: eleventyExcludeFromCollections): its own page, in no list, feed or More Stories
    unlisted = as_flag(f, pick(entries, "unlisted"))

    # image
    image = None
    e = pick(entries, "image")
    if e is not None and e.value is not None:
        image = (as_text(f, e) or "").strip() or None
        if image is not None and is_dangerous_url(image):
            f.error(e.line, e.col, "image: javascript:, vbscript: and data: URLs are not allowed")
            image = None
    image_alt = optional_text(f, pick(entries, "image_alt"))
    image_caption = optional_text(f, pick(entries, "image_caption"))
    if image is not None and image_alt is None and e is not None:
        f.warn(
            e.key_line,
            e.key_col,
            "image: has no image_alt; add a short description of the picture for readers who cannot see it",
        )

    dateline = optional_text(f, pick(entries, "dateline"))

    # embargo, expires
    clock: dict[str, datetime | None] = {}
    for key in ("embargo", "expires"):
        e = pick(entries, key)
        clock[key] = as_datetime(f, e, tz) if e is not None and e.value is not None else None
    embargo, expires = clock["embargo"], clock["expires"]
    e = pick(entries, "expires")
    if expires is not None and date is not None and e is not None:
        starts = max(date, embargo) if embargo is not None else date
        if expires <= starts:
            f.warn(
                e.line,
                e.col,
                f"{e.key}: {expires.isoformat()} is not after the story is published "
                f"({starts.isoformat()}); it will never appear",
            )

    if members and not paid and not f.errors:
        f.warn(pick(entries, "access").key_line, 1, NOTHING_PAID)  # type: ignore[union-attr]
    breaking, breaking_until = as_breaking(f, pick(entries, "breaking"), pick(entries, "breaking_until"), tz)
    if date is not None:  # an end before the start: a typo that would pass silently
        starts = max(date, embargo) if embargo is not None else date
        warn_unless_after(f, entries.get("live_until") if live else None, live_until, starts, NEVER_LIVE)
        warn_unless_after(
            f, pick(entries, "breaking_until") if breaking else None, breaking_until, starts, NO_BANNER
        )

    corrections: list[Correction] = []
    e = pick(entries, "corrections")
    if e is not None:
        corrections = as_corrections(f, e, tz)

    f.raise_if_any()
    assert title is not None and date is not None

    extra = {k: v.value for k, v in entries.items() if k not in consumed}
    cats = entries.get("categories")
    if cats is not None and isinstance(cats.value, list):
        extra["categories"] = [str(c) for c in cats.value]
    if "description" in entries and entries["description"] is not pick(entries, "summary"):
        extra["description"] = entries["description"].value

    local_date = date.astimezone(tz)
    url = explicit_url or article_url(config.permalink, local_date, slug, section)
    article = Article(
        source=source.display,
        source_path=source.path,
        kind=source.kind,
        title=title,
        slug=slug,
        date=date,
        updated=updated,
        authors=tuple(authors),
        section=section,
        tags=tuple(tags),
        summary=truncate(summary, 600),
        body=body_html,
        url=url,
        output_path=output_path(url),
        draft=draft,
        unlisted=unlisted,
        image=image,
        date_from=date_from,
        extra=extra,
        image_alt=image_alt,
        image_caption=image_caption,
        dateline=dateline,
        embargo=embargo,
        expires=expires,
        corrections=tuple(corrections),
        access=access,
        marked_breaking=breaking,
        breaking_until=breaking_until,
        field_lines={
            **({"title": headline_line} if headline_line is not None else {}),
            **{name: e.key_line for name in ALIASES if (e := pick(entries, name)) is not None},
            **{k: e.key_line for k in (*URL_KEYS, *ALIAS_KEYS) if (e := entries.get(k)) is not None},
            **{k: e.key_line for k in extra if (e := entries.get(k)) is not None},  # for the theme's checks
        },
        name_lines=name_lines,
        aliases=tuple(p for p in old_paths if p != url),
        live=live,
        live_until=live_until,
        updates=updates,
    )
    return article, f.warnings


def load_all(sources: list[Source], config: Config) -> tuple[list[Article], list[Diagnostic]]:
    """Load every source; collect every file's errors before raising."""
    md = MarkdownRenderer(unsafe_html=config.unsafe_html, embeds=config.embeds)
    articles, warnings, errors = load_each(sources, lambda source: load_article(source, config, md))
    if errors:
        raise ContentError(errors)
    return articles, warnings
