"""Site pages: the Markdown files of ``pages/`` (About, Masthead, Corrections
policy ...), each a :class:`~newsgen.model.SitePage` at ``/{slug}/``.

The folder may nest: a page's slug is its path under ``pages/`` without the
extension (``pages/policies/ethics.md`` -> ``/policies/ethics/``), and an
``index.md`` is its folder's page (``pages/about/index.md`` -> ``/about/``).
Front matter:

    title          the page's title (without one: the file's name, ``contact-us.md``
                   -> ``Contact us``, with a warning)
    slug           its URL instead of the file's path: ``slug: about-us``
                   -> ``/about-us/`` (a ``/`` keeps nesting: ``policies/ethics``)
    permalink / url   an explicit site path, as Jekyll and Hugo write it
                   (``permalink: /about/``)
    description    one line for search engines and link previews
                   (``summary`` is read as it too)
    menu           ``header`` or ``footer``: listed in that menu of every
                   page (Hugo's ``main`` is the header; ``menu: {main: {weight: 2}}``
                   as Hugo writes it works too)
    menu_order     a whole number: lower comes first (Hugo's ``weight`` too);
                   ties by title
    aliases / redirect_from   old site paths that redirect to the page
    draft          ``true``: the page is not built (not even by ``--drafts``)

The body is Markdown, made safe exactly as an article's body is (raw HTML
and dangerous URLs neutralised unless ``unsafe_html``); every other key is
kept in ``SitePage.extra`` for templates. Bad front matter is an error
naming ``file:line``; every file's problems are reported together.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from newsgen.config import Config
from newsgen.content.fmformats import read_front_matter
from newsgen.content.frontmatter import FileErrors, as_flag, as_text, kind_of
from newsgen.content.genkeys import URL_KEYS, old_urls
from newsgen.content.leftovers import convert as convert_leftovers
from newsgen.content.markup import MarkdownRenderer, first_paragraph_text, truncate
from newsgen.content.mdguard import MarkdownProblem
from newsgen.content.sources import Source, decode, discover_pages, load_each, read_source
from newsgen.core.sitepaths import SitePathProblem, clean_site_path
from newsgen.core.urls import output_path, slugify
from newsgen.core.yamlio import Entry
from newsgen.errors import ContentError, Diagnostic
from newsgen.model import SitePage

MENUS = ("header", "footer")
_MENU_ALIASES = {"header": "header", "main": "header", "footer": "footer"}
_CONSUMED = {"title", "slug", "description", "summary", "menu", "menu_order", "weight", "draft"}
_CONSUMED |= {"permalink", "url", "path", "aliases", "redirect_from"}


def page_url_line(page: SitePage) -> int | None:
    """The line of the key that gave ``page`` its address (``permalink``, ``url`` or ``path``, as
    other generators write it, else ``slug``), for messages; None: its file name did."""
    return next((page.field_lines[k] for k in (*URL_KEYS, "slug") if k in page.field_lines), None)


def site_pages(config: Config) -> tuple[list[SitePage], list[Diagnostic]]:
    """Every site page of the pages folder, and the warnings (see :func:`load_pages`)."""
    return load_pages(discover_pages(config), config)


def load_pages(sources: list[Source], config: Config) -> tuple[list[SitePage], list[Diagnostic]]:
    """Every page, sorted by URL, and the warnings; raises :class:`ContentError` listing every
    problem of every file, and an error naming both files when two pages
    have one URL."""
    md = MarkdownRenderer(unsafe_html=config.unsafe_html, embeds=config.embeds)
    pages, warnings, errors = load_each(sources, lambda source: load_page(source, config, md))
    seen: dict[str, SitePage] = {}
    for p in pages:
        first = seen.setdefault(p.url, p)
        if first is not p:
            errors.append(
                Diagnostic(p.source, page_url_line(p), None, f"{p.url} is also the URL of {first.source}")
            )
    if errors:
        raise ContentError(errors)
    return sorted(pages, key=lambda p: p.url), warnings


def _file_slug(config: Config, source: Source) -> str:
    """The page's path under the pages folder: ``policies/ethics``; an index file is its folder."""
    rel = source.path.relative_to(config.paths.pages_dir).with_suffix("")
    parts = list(rel.parts)
    if parts and parts[-1].lower() == "index" and len(parts) > 1:
        parts.pop()
    return "/".join(slugify(p) for p in parts)


def _title_from_name(path: Path) -> str | None:
    """``corrections-policy.md`` -> ``Corrections policy`` (an index file: its folder's name)."""
    stem = path.parent.name if path.stem.lower() == "index" else path.stem
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    return " ".join(words)[:1].upper() + " ".join(words)[1:] if words else None


def _menu(f: FileErrors, e: Entry | None) -> tuple[str | None, int | None]:
    """``menu:`` as ``(menu, weight written inside it)``."""
    if e is None or e.value is None:
        return None, None
    value: Any = e.value
    weight = None
    if isinstance(value, dict) and len(value) == 1:  # Hugo: menu: {main: {weight: 2}}
        name, inner = next(iter(value.items()))
        if isinstance(inner, dict) and isinstance(inner.get("weight"), int):
            weight = inner["weight"]
        value = name
    if isinstance(value, str) and value.strip().lower() in _MENU_ALIASES:
        return _MENU_ALIASES[value.strip().lower()], weight
    f.error(e.line, e.col, f"menu: expected header or footer, got {e.raw or kind_of(e.value)}")
    return None, None


def load_page(
    source: Source, config: Config, md: MarkdownRenderer
) -> tuple[SitePage | None, list[Diagnostic]]:
    """One page (None for a draft) and its warnings; raises :class:`ContentError` listing its problems."""
    f = FileErrors(source)
    text = decode(read_source(source, config.max_file_size), source.display)
    parsed, fm_line, body, body_line = read_front_matter(text, source.display)
    entries = {e.key: e for e in parsed or []}

    title = None
    e = entries.get("title")
    named = _title_from_name(source.path)
    if e is None and (parsed is None or named is None):
        f.error(max(fm_line - 1, 1), 1, "title: missing; add 'title: ...' to the front matter")
    elif e is None:  # Jekyll themes' tab pages (Chirpy): the title is the file's name
        title = named
        f.warn(max(fm_line - 1, 1), 1, f"title: missing; using {title!r} from the file name")
    else:
        title = " ".join((as_text(f, e) or "").split()) or None
        if title is None:
            f.error(e.line, e.col, "title: is empty; every page needs a title")

    slug = _file_slug(config, source)
    e = entries.get("slug")
    if e is not None and e.value is not None:
        written = as_text(f, e) or ""
        segments = [slugify(s, fallback="") for s in written.split("/")]
        slug = "/".join(s for s in segments if s) or slug
    explicit, _listed, old_paths = old_urls(entries, f)
    url = explicit or ("/" + slug + "/" if slug else "/")
    try:
        url = clean_site_path(url)
    except SitePathProblem as p:
        f.error(e.line if e else None, e.col if e else None, f"slug: {p}")

    description = ""
    e = entries.get("description") or entries.get("summary")
    if e is not None and e.value is not None:
        description = " ".join((as_text(f, e) or "").split())

    menu, order = _menu(f, entries.get("menu"))
    e = entries.get("menu_order") or entries.get("weight")
    if e is not None and e.value is not None:
        if isinstance(e.value, int) and not isinstance(e.value, bool):
            order = e.value
        else:
            f.error(e.line, e.col, f"{e.key}: expected a whole number, got {e.raw or kind_of(e.value)}")

    body, leftover = convert_leftovers(body, config.permalink, config.tz)
    for line, col, message in leftover:
        f.warn(body_line + line - 1, col, message)
    try:
        body_html = md.convert(body)
    except MarkdownProblem as p:
        f.error(body_line + p.line - 1, 1, p.message)
        body_html = ""
    except RecursionError:
        f.error(body_line, 1, "Markdown is nested too deeply to convert")
        body_html = ""
    draft = as_flag(f, entries.get("draft"))
    f.raise_if_any()
    if draft:
        return None, f.warnings
    assert title is not None
    page = SitePage(
        source=source.display,
        title=title,
        slug=url.strip("/"),
        url=url,
        output_path=output_path(url),
        body=body_html,
        description=truncate(description or first_paragraph_text(body_html), 300),
        menu=menu,
        menu_order=order or 0,
        extra={k: v.value for k, v in entries.items() if k not in _CONSUMED},
        aliases=tuple(p for p in old_paths if p != url),
        field_lines={k: v.key_line for k, v in entries.items() if k in _CONSUMED},
    )
    return page, f.warnings
