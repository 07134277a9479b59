"""The data newsgen works on: plain, immutable values with no behaviour to speak of.

``Article`` is what the loader makes of one source file. ``Site`` is every
published article, ordered newest first, with the More Stories of each and
its groupings: ``sections``, ``tags``, ``authors`` (each a :class:`Group`
with a ``name``, ``slug``, list-page ``url`` and its ``articles`` newest
first), date ``archives`` and ``corrections``. ``SitePage`` is a page of
``pages/`` (About, Masthead). ``OutputPage`` is one file the build will write
(its bytes may come as one of the stand-ins of :mod:`newsgen.payloads`).

Two values are *deep*: an article's body and a group's story list. Each is
stored in a field (``Article.body``, ``Group.stories``) and read through a
property (``Article.body_html``, ``Group.articles``) that records the read
with :func:`newsgen.core.recording.record_dependency`, so the incremental
build knows which pages show which bodies and story lists. ``Article.body``
may hold a :class:`LazyText` instead of the HTML: the build keeps Markdown
bodies in its cache on disk, not in memory, and loads one when it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from newsgen.config import Config
from newsgen.core.quickinit import quick_init
from newsgen.core.recording import Dependency, record_dependency
from newsgen.core.urls import name_key
from newsgen.core.words import count_words
from newsgen.errors import Diagnostic
from newsgen.payloads import Linked

BREAKING_HOURS = 6  # a breaking-news banner's default length


def _frozen_map(data: Mapping[Any, Any] | None = None) -> Mapping[Any, Any]:
    return MappingProxyType(dict(data or {}))


class LazyText(Protocol):
    """Text kept elsewhere (e.g. in the build cache) until it is read."""

    key: str  # identifies the text: equal keys, equal text

    def text(self) -> str: ...

    def words(self) -> int:
        """``count_words(self.text())``, which the keeper may know without reading the text."""
        ...


def deep_ident(obj: Article | Group) -> Dependency:
    """How a read of ``obj``'s deep field is recorded: ``("article", url)`` for
    a story's body, ``(group class name, url)`` for a group's story list."""
    return ("article" if isinstance(obj, Article) else type(obj).__name__, obj.url)


@dataclass(frozen=True)
class Correction:
    """One entry of an article's ``corrections:`` list."""

    date: datetime  # timezone-aware
    text: str  # plain text


@dataclass(frozen=True)
class LiveUpdate:
    """One update of a live story: a Markdown file next to its ``index.md``
    (:mod:`newsgen.content.live`). ``anchor`` is its fragment on the page."""

    time: datetime  # timezone-aware
    anchor: str  # e.g. "update-20261104T2130Z" (UTC; seconds only when not zero)
    source: str  # the update file, as shown to the user
    line: int  # the line of its ``time:``
    title: str | None
    author: str | None
    body: str  # safe HTML


class _ArticleMemo:
    """What an :class:`Article` works out once and keeps: slots beside its fields."""

    __slots__ = ("_modified", "_words")
    _modified: datetime
    _words: int


@dataclass(frozen=True, eq=False, slots=True)
class Article(_ArticleMemo):
    """One story, as loaded and derived from a source file.

    As written: ``title``, ``date``, ``updated``, ``authors``, ``section``,
    ``tags``, ``summary``, ``image``, ``image_alt``, ``image_caption``,
    ``dateline``, ``draft``, ``embargo``, ``expires``, ``corrections``,
    ``extra`` (every front matter key newsgen does not know, for templates),
    ``aliases`` (old site paths that redirect here: ``aliases``,
    ``redirect_from``); from agency wire files, also ``identity``, ``status``,
    ``urgency``, ``credit``, ``copyright`` and ``kills``.
    ``access`` (``members``), ``marked_breaking`` and ``breaking_until``
    (``breaking`` and ``breaking_ends`` unify them with the wire urgency).
    Derived: ``slug``, ``url``, ``output_path``, ``body_html``,
    ``word_count``. ``field_lines`` maps each front matter field newsgen
    understood, and each of ``extra``, to the file line it was written on (and, for wire copy titled
    by its headline line, ``title`` to that line), for later diagnostics;
    ``name_lines`` maps ``(field, name)`` to the line of a section, tag or
    author written as a list item on a line of its own (any other name is on
    its field's line).

    An article has slots, not a ``__dict__``: with 40 fields a dict cannot share its
    keys between instances, and held 1,584 bytes per story (150 MiB at 100,000 articles,
    in the build and in each worker).
    """

    source: str  # path as shown to the user, relative to the site folder
    source_path: Path
    kind: str  # "markdown", "wire" (plain text), "ninjs" or "nitf"
    title: str
    slug: str
    date: datetime  # timezone-aware
    updated: datetime | None
    authors: tuple[str, ...]
    section: str | None
    tags: tuple[str, ...]
    summary: str  # plain text
    body: str | LazyText  # safe HTML, or where to read it (see body_html)
    url: str  # site path, e.g. /2025/03/01/slug/
    output_path: str  # relative to the output folder, e.g. 2025/03/01/slug/index.html
    draft: bool = False
    unlisted: bool = False  # its own page, but in no list, feed, news sitemap or More Stories
    image: str | None = None
    date_from: str = "front matter"  # "front matter", "filename" or "default_date"
    extra: Mapping[str, Any] = field(default_factory=_frozen_map)
    image_alt: str | None = None
    image_caption: str | None = None
    dateline: str | None = None  # e.g. "MEXICO CITY", shown before the first paragraph
    embargo: datetime | None = None  # appears nowhere before this time
    expires: datetime | None = None  # appears nowhere from this time on
    corrections: tuple[Correction, ...] = ()  # oldest first, as written
    field_lines: Mapping[str, int] = field(default_factory=_frozen_map)
    name_lines: Mapping[tuple[str, str], int] = field(default_factory=_frozen_map)
    # agency wire copy (ninjs, NITF): see newsgen.content.wiredoc
    identity: str | None = None  # the agency's id: versions with one identity are one story
    status: str = "usable"  # "usable", or "withheld" / "canceled" (a kill), "skipped" (not text)
    urgency: int | None = None  # 1 (most urgent) to 9
    credit: str | None = None  # the agency's credit line, e.g. "Example News Agency"
    copyright: str | None = None  # copyright notice and usage terms
    kills: str | None = None  # identity of the earlier story a kill notice withdraws
    aliases: tuple[str, ...] = ()  # old site paths that redirect to ``url``
    # live coverage (newsgen.content.live): ``live`` is as written until the site is
    # assembled, then whether the story is live at "now" (newsgen.site.live)
    live: bool = False
    live_until: datetime | None = None
    updates: tuple[LiveUpdate, ...] = ()  # newest first; in a Site, only those already public
    access: str = "free"  # or "members": the body holds a paywall element (newsgen.content.access)
    marked_breaking: bool = False  # ``breaking: true`` in front matter
    breaking_until: datetime | None = None  # when its banner ends; default BREAKING_HOURS after ``date``

    def __post_init__(self) -> None:
        if not isinstance(self.extra, MappingProxyType):
            object.__setattr__(self, "extra", _frozen_map(self.extra))
        if not isinstance(self.name_lines, MappingProxyType):
            object.__setattr__(self, "name_lines", _frozen_map(self.name_lines))

    @property
    def modified(self) -> datetime:
        """When the story last changed: the latest of ``date``, ``updated``
        and the date of every correction (worked out once)."""
        try:
            return self._modified
        except AttributeError:
            pass
        latest = self.date
        for when in [self.updated, *(c.date for c in self.corrections)]:
            if when is not None and when > latest:
                latest = when
        object.__setattr__(self, "_modified", latest)
        return latest

    @property
    def breaking(self) -> bool:
        """Breaking news: ``breaking: true``, or agency urgency 1 or 2 (a flash or an alert)."""
        return self.marked_breaking or (self.urgency is not None and self.urgency <= 2)

    @property
    def breaking_ends(self) -> datetime | None:
        """When a breaking story's banner ends (None: not breaking)."""
        if not self.breaking:
            return None
        return self.breaking_until or self.date + timedelta(hours=BREAKING_HOURS)

    @property
    def members(self) -> bool:
        """``access: members``: part of the body is for members only."""
        return self.access == "members"

    @property
    def word_count(self) -> int:
        """Words in the body: no field, read (and recorded) through :attr:`body_html`, counted once."""
        record_dependency(("article", self.url))
        try:
            return self._words  # counted once per process
        except AttributeError:
            pass
        body = self.body
        words = count_words(body) if isinstance(body, str) else body.words()
        object.__setattr__(self, "_words", words)
        return words

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one minute."""
        return max(1, round(self.word_count / 230))

    @property
    def body_html(self) -> str:
        """The body as safe HTML (read from the cache when kept there); the
        read is recorded (see the module docstring)."""
        record_dependency(("article", self.url))
        body = self.body
        return body if isinstance(body, str) else body.text()

    def __repr__(self) -> str:
        return f"Article({self.source!r}, {self.title!r})"


@dataclass(frozen=True)
class Link:
    """A labelled external link, e.g. an author's social profile."""

    label: str
    url: str


@dataclass(frozen=True)
class AuthorProfile:
    """One record of ``authors.yaml``."""

    name: str
    source: str  # "authors.yaml"
    line: int
    bio: str = ""
    role: str = ""
    url: str | None = None  # the author's own page, not their page on this site
    image: str | None = None
    social: tuple[Link, ...] = ()


@dataclass(frozen=True, eq=False)
class Group:
    """A list of stories with its own pages: a section, tag, author or date archive.

    ``url`` is the first page of its paginated list (e.g. ``/tags/energy/``);
    ``articles`` are published stories, newest first. ``name`` is the
    spelling shown to readers.
    """

    name: str
    slug: str
    url: str
    stories: tuple[Article, ...]  # read as ``articles``

    @property
    def articles(self) -> tuple[Article, ...]:
        """The group's stories, newest first; the read is recorded (see the module docstring)."""
        record_dependency((type(self).__name__, self.url))
        return self.stories

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {len(self.stories)} articles)"


@dataclass(frozen=True, eq=False, repr=False)
class Section(Group):
    """A section front, ``/{section}/``."""


@dataclass(frozen=True, eq=False, repr=False)
class Tag(Group):
    """A topic page, ``/tags/{tag}/``. ``spellings`` lists every spelling seen."""

    spellings: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class Author(Group):
    """A reporter's page, ``/authors/{author}/``; ``profile`` from ``authors.yaml``."""

    profile: AuthorProfile | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Archive(Group):
    """A year (``/2025/``, ``month`` None, with its ``months``) or a month (``/2025/03/``)."""

    year: int = 0
    month: int | None = None
    months: tuple[Archive, ...] = ()  # newest first; only on a year


@dataclass(frozen=True)
class CorrectionEntry:
    """A correction together with the story it corrects, for ``/corrections/``."""

    correction: Correction
    article: Article


@dataclass(frozen=True)
class ScheduledChange:
    """A future moment at which the published site changes."""

    when: datetime
    kind: str  # "publish", "embargo lifts", "expire" or "breaking banner ends"
    article: Article


@dataclass(frozen=True, eq=False)
class SitePage:
    """A page of ``pages/`` (About, Masthead, Corrections policy ...) at ``/{slug}/``:
    in sitemap.xml and its menu, never in a list, feed or More Stories."""

    source: str  # path as shown to the user, relative to the site folder
    title: str
    slug: str  # the path under pages/ (``policies/ethics``), or front matter ``slug``
    url: str  # /{slug}/
    output_path: str
    body: str  # safe HTML
    description: str = ""  # plain text
    menu: str | None = None  # "header", "footer" or None
    menu_order: int = 0  # lower first, then by title
    extra: Mapping[str, Any] = field(default_factory=_frozen_map)
    aliases: tuple[str, ...] = ()  # old site paths that redirect here
    field_lines: Mapping[str, int] = field(default_factory=_frozen_map)

    def __repr__(self) -> str:
        return f"SitePage({self.source!r}, {self.url!r})"


@dataclass(frozen=True)
class Site:
    """Everything that will be published, computed once, read by renderers.

    ``articles`` is exactly what is public at ``now``: drafts (unless
    ``drafts``), future-dated, embargoed and expired stories are not in it,
    nor in any grouping.
    """

    config: Config
    now: datetime  # the build's "now", timezone-aware
    articles: tuple[Article, ...]  # published, newest first
    more_stories: Mapping[str, tuple[Article, ...]]  # article url -> its More Stories
    related_index: Any = None  # newsgen.site.related.RelatedIndex over ``articles``
    sections: tuple[Section, ...] = ()  # by name
    tags: tuple[Tag, ...] = ()  # by name
    authors: tuple[Author, ...] = ()  # by name
    archives: tuple[Archive, ...] = ()  # years, newest first
    corrections: tuple[CorrectionEntry, ...] = ()  # newest first
    drafts: bool = False  # a preview build that includes drafts
    upcoming: tuple[ScheduledChange, ...] = ()  # future changes, soonest first
    groups_by_key: Mapping[tuple[str, str], Group] = field(default_factory=lambda: MappingProxyType({}))
    warnings: tuple[Diagnostic, ...] = ()  # found while assembling (names, links, authors)
    unlisted: tuple[Article, ...] = ()  # public, with pages of their own, in no list (``unlisted: true``)
    withdrawn: tuple[Article, ...] = ()  # killed wire stories: their URLs serve a "withdrawn" page
    pages: tuple[SitePage, ...] = ()  # the site pages of pages/, by URL
    breaking: tuple[Article, ...] = ()  # listed stories whose breaking-news banner shows now, newest first
    #: The published stories' own files (:mod:`newsgen.site.assets`): output path -> file
    assets: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))

    def related(self, article: Article) -> tuple[Article, ...]:
        return self.more_stories.get(article.url, ())

    @property
    def next_change(self) -> ScheduledChange | None:
        """The soonest future time at which the published site changes."""
        return self.upcoming[0] if self.upcoming else None

    def _group(self, kind: str, name: str) -> Group | None:
        return self.groups_by_key.get((kind, name_key(name)))  # None: only unlisted stories have it

    def section_of(self, article: Article) -> Section | None:
        return self._group("section", article.section) if article.section else None  # type: ignore[return-value]

    def tags_of(self, article: Article) -> tuple[Tag, ...]:
        return tuple(g for t in article.tags if (g := self._group("tag", t)) is not None)  # type: ignore[misc]

    def authors_of(self, article: Article) -> tuple[Author, ...]:
        return tuple(g for n in article.authors if (g := self._group("author", n)) is not None)  # type: ignore[misc]


@quick_init
@dataclass(frozen=True)
class OutputPage:
    """One file the build will write: where it goes and what it came from."""

    output_path: str  # relative to the output folder, POSIX separators
    kind: str  # "article", "index", "feed", "static", ...
    source: str  # the source that claims this path, for collision and template error messages
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=_frozen_map)
    static_file: Path | None = None
    lastmod: datetime | None = None  # when the content last changed (sitemap.xml); None: unknown
    #: Makes the bytes from ``context`` (a module-level function), for a file
    #: made without a template, such as a feed: the build calls it only when
    #: the file has to be made again, possibly in another process.
    produce: Callable[[Mapping[str, Any]], bytes] | None = None
    #: A file newsgen keeps (a photo's derivative in the build cache) and knows
    #: the digest of: published by a hard link to it, never read or rendered.
    linked: Linked | None = None
    #: More about :attr:`source` (the files behind a list page), made only when a message
    #: names the page (:meth:`described`): at 100,000 stories, making it for every list page
    #: of every build cost 0.2 s.
    source_detail: Callable[[], str] | None = None

    def described(self) -> str:
        """:attr:`source` as a message names it, with :attr:`source_detail` in parentheses."""
        return self.source if self.source_detail is None else f"{self.source} ({self.source_detail()})"
