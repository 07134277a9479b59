"""The Jinja environment and page rendering.

Templates come from two folders, first match wins:

1. the site's own ``templates/`` folder (override any file, e.g. one partial);
2. the packaged default theme.

The environment autoescapes everything and uses ``StrictUndefined``, so a
misspelt variable is an error rather than an empty string. Article text is
only ever passed *into* templates as data; it is never compiled as one.

:func:`render_page` turns one planned page (an ``OutputPage``) into its
bytes: its template rendered here, or its own ``produce`` function's result.

Every template receives ``site``, ``page``, ``nav``, ``menus`` (the site
pages of the header and footer menus and the publisher's trust links:
:mod:`newsgen.theme.menus`) and the filters below;
each page kind adds its own variables (see ``docs/templates.md`` and the
``newsgen.outputs.plan`` docstring). ``nav`` is the site navigation:
``nav.sections`` (each with ``name`` and ``url``), ``nav.years`` (year
archives, newest first), and ``nav.tags_url``, ``nav.authors_url``,
``nav.corrections_url`` (None when the site has no such page).

``site`` also carries ``feeds`` (the site-wide feeds, for autodiscovery
links), ``image`` (absolute URL of the default share image, or None),
``twitter`` (the site's handle, or None) and ``locale`` (``en_GB`` style,
for Open Graph).

Filters:
    link      site path -> URL relative to the page being rendered (from the
              base path instead, ``/news/x/``, on pages with ``root_links``
              such as 404.html, which hosts serve at any URL)
    absolute  site path -> absolute URL under ``base_url``
    isodate   datetime -> ISO 8601 in the site timezone
    longdate  datetime -> "3 March 2025"
    byline    list of names -> "A, B and C"; ``byline(show)`` draws each with
              ``show``, e.g. a macro that links an author to their page
    image_size  site path of an image -> its ``width`` and ``height`` (or None):
                a photo's upright size from the catalog, else read from the file
                among the site's and the theme's static files
    striptags Jinja's own, the same text, made in one pass (MarkupSafe's is
              quadratic in the number of tags: 2% of a cold build)
    text_contains  ``value | text_contains(needle)``: ``needle in value | striptags``, mostly
              told without stripping the whole text
    photo     site path of an image -> its :class:`~newsgen.theme.catalog.Photo`
              (responsive variants, crops, credits), or None when it has none
    site_ref  ``ref | site_ref(page_url)``: a relative reference (a story's ``img/a.jpg``)
              as the site path it names from the page at ``page_url``; others as they are
"""

from __future__ import annotations

import html
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from newsgen.config import Config
from newsgen.core.dates import MONTHS
from newsgen.core.sitepaths import find_static, joined_ref
from newsgen.core.urls import AUTHORS_URL, CORRECTIONS_URL, TAGS_URL, absolute_ref, relative_url
from newsgen.errors import Diagnostic, TemplateError, display_path
from newsgen.model import Archive, OutputPage, Section, Site
from newsgen.site.feedlinks import FeedLink, feed_links
from newsgen.theme.catalog import Photo, PhotoCatalog
from newsgen.theme.environment import SharedGlobalsEnvironment
from newsgen.theme.images import ImageSize, image_size
from newsgen.theme.location import theme_dir
from newsgen.theme.menus import Menus
from newsgen.theme.reuse import (
    CARD_TEMPLATES,
    FRAGMENT_TEMPLATES,
    Fragments,
    LinkMarks,
    StoryCards,
    overridden,
)


@dataclass(frozen=True)
class SiteInfo:
    """What templates see as ``site``."""

    title: str
    description: str
    base_url: str
    language: str
    timezone: str
    extra: Mapping[str, Any]
    feeds: tuple[FeedLink, ...] = ()
    image: str | None = None
    twitter: str | None = None
    locale: str | None = None  # Open Graph locale (en_GB) when ``language`` names a region
    search: bool = False  # the site has a /search/ page (search: true)


@dataclass(frozen=True)
class Navigation:
    """What templates see as ``nav``: the links in every page's header and footer."""

    sections: tuple[Section, ...] = ()
    years: tuple[Archive, ...] = ()
    tags_url: str | None = None
    authors_url: str | None = None
    corrections_url: str | None = None

    @classmethod
    def of(cls, site: Site) -> Navigation:
        return cls(
            sections=site.sections,
            years=site.archives,
            tags_url=TAGS_URL if site.tags else None,
            authors_url=AUTHORS_URL if site.authors else None,
            corrections_url=CORRECTIONS_URL if site.corrections else None,
        )


def byline(names: Iterable[Any], show: Callable[[Any], Any] | None = None) -> Markup:
    """``A``, ``A and B``, ``A, B and C``: each item as ``show`` (a macro, say) draws it, else as
    text. Text is escaped; what ``show`` returns as markup (a link) is kept."""
    parts = [escape(show(n) if show is not None else n) for n in names]
    if len(parts) < 2:
        return parts[0] if parts else Markup("")
    return Markup(", ").join(parts[:-1]) + Markup(" and ") + parts[-1]


_TAG = re.compile(r"<[^>]*>")


def striptags(value: Any) -> str:
    """Jinja's ``striptags`` (MarkupSafe's ``Markup.striptags``: comments, then tags removed,
    whitespace collapsed, entities decoded) in one pass over the text, where MarkupSafe 3
    copies the rest of the text after each tag it removes. Text with a comment goes to
    MarkupSafe itself (a removed comment can join a new one)."""
    text = str(value.__html__() if hasattr(value, "__html__") else value)
    if "<!--" in text:
        return Markup(text).striptags()
    return html.unescape(" ".join(_TAG.sub("", text).split()))


def text_contains(value: Any, needle: str) -> bool:
    """``needle in value | striptags``, told without the whole text stripped when it can be.

    With no entity (``&``) and no comment in the markup, the stripped text is the text out of
    the tags, ``T``, with each run of whitespace made one space. A ``needle`` of words joined
    by single spaces is in it where, in ``T``, its first word ends a run of non-space, each
    word after it follows a run of whitespace, and each but the last is followed by one
    (:func:`_words_apart`). Anything else is stripped whole."""
    text = str(value.__html__() if hasattr(value, "__html__") else value)
    if not needle:
        return True
    if "<!--" not in text and " ".join(needle.split()) == needle:
        bare = _TAG.sub("", text)
        if "&" not in bare:
            return needle in bare or _words_apart(bare, needle.split(" "))
    return needle in striptags(text)


def _words_apart(text: str, words: list[str]) -> bool:
    """Whether ``words`` (none holding white space) follow one another in ``text`` with a run of
    white space between each two: the first may end a longer word, the last start one."""
    first, rest, end = words[0], words[1:], len(text)
    at = text.find(first)
    while at >= 0:
        i = at + len(first)
        for word in rest:
            j = i
            while j < end and text[j].isspace():
                j += 1
            if j == i or not text.startswith(word, j):
                break
            i = j + len(word)
        else:
            return True
        at = text.find(first, at + 1)
    return False


class Renderer:
    """Renders templates for one site configuration."""

    def __init__(self, config: Config, site: Site | None = None, photos: PhotoCatalog | None = None):
        self.config, self.site = config, site
        self.photos = photos or PhotoCatalog()
        theme = theme_dir()
        self.theme_templates = theme / "templates"
        self.theme_static = theme / "static"
        searchpath = [str(self.theme_templates)]
        if (
            config.paths.templates.is_dir()
            and config.paths.templates.resolve() != self.theme_templates.resolve()
        ):
            searchpath.insert(0, str(config.paths.templates))
        self.env = SharedGlobalsEnvironment(
            loader=jinja2.FileSystemLoader(searchpath),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one build never sees a template change: no stat() per include
        )
        tz = config.tz
        self.env.filters.update(
            link=_make_link(config.base_path),
            absolute=config.absolute_url,
            isodate=lambda d: d.astimezone(tz).isoformat(),
            longdate=lambda d: _longdate(d.astimezone(tz)),
            byline=byline,
            image_size=self.image_size,
            photo=self.photo,
            site_ref=lambda ref, page_url: joined_ref(ref, page_url) or ref,
            striptags=striptags,
            text_contains=text_contains,
        )
        self._image_sizes: dict[str, ImageSize | None] = {}
        self.env.globals["site"] = SiteInfo(
            title=config.title,
            description=config.description,
            base_url=config.base_url,
            language=config.language,
            timezone=config.timezone,
            extra=config.extra,
            feeds=feed_links(config, "/", config.title),
            image=absolute_ref(config.base_url, "/", config.social.image) if config.social.image else None,
            twitter=config.social.twitter,
            locale=config.language.replace("-", "_") if "-" in config.language else None,
            search=config.search,
        )
        self.env.globals["nav"] = Navigation.of(site) if site is not None else Navigation()
        self.env.globals["menus"] = Menus.of(site) if site is not None else Menus()
        self._reuse(config.paths.templates if len(searchpath) > 1 else None)

    def _reuse(self, site_templates: Path | None) -> None:
        """The globals that make story cards, the header and the footer once (theme.reuse)."""
        base_path = self.config.base_path

        def link(page: Any) -> Callable[[str], str]:
            return links_on(page, base_path)

        cards = None if overridden(site_templates, CARD_TEMPLATES) else StoryCards(self.env, link)
        nav, menus = self.env.globals["nav"], self.env.globals["menus"]
        assert isinstance(nav, Navigation) and isinstance(menus, Menus)
        current = {
            "/",
            *(s.url for s in nav.sections),
            *(m.url for m in menus.header + menus.footer + menus.trust),
        }
        names = [n for n, drawn in FRAGMENT_TEMPLATES.items() if not overridden(site_templates, drawn)]
        fragments = Fragments(self.env, link, names, current, LinkScope)
        self.env.globals.update(card_once=cards, fragment_once=fragments)

    def image_size(self, ref: str) -> ImageSize | None:
        """The pixel size of the static image ``ref`` names (site files first, then the theme's)."""
        photo = self.photo(ref)
        if photo is not None:
            return ImageSize(photo.width, photo.height)
        if ref not in self._image_sizes:
            assets = self.site.assets if self.site is not None else None
            found = find_static(ref, [self.config.paths.static, self.theme_static], assets)
            self._image_sizes[ref] = image_size(found) if found else None
        return self._image_sizes[ref]

    def photo(self, ref: str | None) -> Photo | None:
        """The photo ``ref`` names, with its derivatives, or None (remote, SVG, GIF, unknown)."""
        return self.photos.get(ref)

    def static_stamp(self) -> str:
        """Path, size and modification time of every static file ``image_size`` can read (the
        site's, then the theme's, then the stories' own), so a cache of rendered pages notices a
        replaced picture."""
        lines = []
        for i, root in enumerate((self.config.paths.static, self.theme_static)):
            if not root.is_dir():
                continue
            for p in sorted(root.rglob("*")):
                if p.is_file():
                    st = p.stat()
                    lines.append(f"{i}:{p.relative_to(root).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
        for rel, path in (self.site.assets if self.site is not None else {}).items():  # a story's own
            st = path.stat()
            lines.append(f"a:{rel}:{st.st_size}:{st.st_mtime_ns}")
        return "\n".join(lines)

    def _shown(self, filename: str | None) -> str:
        if not filename:
            return "<template>"
        p = Path(filename)
        if self.config.paths.templates in p.parents:
            return display_path(p, self.config.paths.site)
        return "newsgen theme: templates/" + display_path(p, self.theme_templates)

    def render(self, template: str, context: Mapping[str, Any], source: str | Callable[[], str]) -> str:
        """Render ``template``; errors name the template line and the ``source`` being rendered
        (or what ``source`` returns, called only for an error)."""
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                Diagnostic(
                    self._shown(exc.filename), exc.lineno, None, f"template syntax error: {exc.message}"
                )
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(
                Diagnostic(None, None, None, f"template not found: {exc.name} {_while(source)}")
            ) from None
        except Exception as exc:  # runtime errors inside a template
            filename, line = _template_frame(exc)
            message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
            raise TemplateError(
                Diagnostic(self._shown(filename), line, None, f"{message} {_while(source)}")
            ) from None


def _while(source: str | Callable[[], str]) -> str:
    """``(while rendering ...)`` for an error message; a callable ``source`` is called now."""
    return f"(while rendering {source() if callable(source) else source})"


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in an exception's traceback."""
    found: tuple[str | None, int | None] = (None, None)
    for frame, line in traceback.walk_tb(exc.__traceback__ or sys.exc_info()[2]):
        name = frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt", ".j2", ".jinja")):
            found = (name, line)
    return found


def link_on(page: Any, target: str, base_path: str) -> str:
    """What ``target | link`` gives on ``page`` (see the module docstring)."""
    if getattr(page, "root_links", False) and target.startswith("/"):
        return base_path + target.lstrip("/")
    url = getattr(page, "url", None)
    return relative_url(url, target) if url else target


def links_on(page: Any, base_path: str) -> Callable[[str], str]:
    """``link_on`` for every target on one ``page`` (a story card's three or four links)."""
    url = getattr(page, "url", None)
    if getattr(page, "root_links", False) or not url:
        return lambda target: link_on(page, target, base_path)
    return partial(relative_url, url)


class LinkScope:
    """Which pages ``link_on`` gives the same links for a known set of targets, so a fragment
    joined with its links once serves them all (:class:`newsgen.theme.reuse.Fragments`).

    ``folders(targets)`` is every folder the targets are or lie in (``/``, ``/a/``, ``/a/b/``
    of ``/a/b/c.css``), or None when one is a site path ``relative_url`` normalises (``//``
    or ``/.`` in it). ``of(page, folders)`` is the page's scope: a normal site path (the
    same test as ``relative_url``'s) in a folder that no target is in or under has the links
    of every page of its parent folder at the same depth, as ``relative_url`` goes up to the
    longest folder the two paths share; any other page is its own folder's scope, or None
    (no reuse) when its URL is not normal."""

    @staticmethod
    def folders(targets: Iterable[str]) -> frozenset[str] | None:
        found = {"/"}
        for target in targets:
            if not target.startswith("/") or target.startswith("//"):
                continue  # not a site path: kept as written on every page
            if "//" in target or "/." in target:
                return None
            parts = [p for p in target.split("/") if p]
            found.update("/" + "/".join(parts[:k]) + "/" for k in range(1, len(parts) + 1))
        return frozenset(found)

    @staticmethod
    def of(page: Any, folders: frozenset[str]) -> tuple[str, ...] | None:
        if getattr(page, "root_links", False):
            return ("root",)
        url = getattr(page, "url", None)
        if not url:
            return ("none",)
        if url[:1] != "/" or "//" in url or "/." in url:
            return None
        folder = url[: url.rfind("/") + 1]
        if folder in folders:
            return ("folder", folder)
        return ("parent", folder[: folder.rfind("/", 0, -1) + 1])


def _make_link(base_path: str) -> Callable[[jinja2.runtime.Context, str], str]:
    @jinja2.pass_context
    def link(ctx: jinja2.runtime.Context, target: str) -> str:
        page = ctx.get("page")
        if type(page) is LinkMarks:  # a card being made once for every page (theme.cards)
            return page.mark(target)
        return link_on(page, target, base_path)

    return link


def _longdate(d: datetime) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def render_page(page: OutputPage, renderer: Renderer) -> bytes:
    """The bytes of one planned page: its template rendered, its ``produce``
    function's result, its static file or its ``data``."""
    if page.static_file is not None:
        return page.static_file.read_bytes()
    if page.produce is not None:
        return page.produce(page.context)
    if page.template is None:
        return page.context["data"]
    return renderer.render(page.template, page.context, page.described).encode("utf-8")
