"""The typed, frozen settings of one site: :class:`Config` and its parts.

Every value here has been validated by :func:`newsgen.config.load_config`;
the package docstring lists each setting with its default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

CONFIG_FILE = "newsgen.yaml"
DEFAULT_BASE_URL = "http://localhost:8000/"
PERMALINK_TOKENS = ("year", "month", "day", "slug", "section")
FEED_FORMATS = ("atom", "rss", "json")
#: The services whose URLs, alone in a paragraph, become embeds (``embeds:``; see newsgen.content.embeds).
EMBED_PROVIDERS = (
    "youtube",
    "vimeo",
    "twitter",
    "bluesky",
    "instagram",
    "tiktok",
    "datawrapper",
    "flourish",
    "documentcloud",
    "soundcloud",
    "spotify",
    "apple_podcasts",
)


@dataclass(frozen=True)
class Paths:
    """Absolute folders of one site."""

    site: Path
    articles: Path
    seeds: Path
    templates: Path
    static: Path
    output: Path
    cache: Path | None = None  # None: <site>/.newsgen-cache
    pages: Path | None = None  # None: <site>/pages

    @property
    def pages_dir(self) -> Path:
        """The site pages folder (About, Masthead ...)."""
        return self.pages if self.pages is not None else self.site / "pages"


@dataclass(frozen=True)
class Publisher:
    """The organisation behind the site (``publisher:`` in newsgen.yaml)."""

    name: str | None = None  # None: the site title
    url: str | None = None  # None: base_url
    logo: str | None = None  # site path or absolute URL
    same_as: tuple[str, ...] = ()
    trust: tuple[TrustLink, ...] = ()  # publishingPrinciples, correctionsPolicy ... as written


@dataclass(frozen=True)
class TrustLink:
    """One trust property of the publisher (``publisher.correctionsPolicy`` ...)."""

    prop: str  # the schema.org name, e.g. "correctionsPolicy"
    target: str  # a site path (``/about/``; ``page:about`` is read as ``/about/``) or an http(s) URL
    line: int | None  # of the value in newsgen.yaml
    col: int | None
    page: bool = False  # written as ``page:slug``: must be a site page

    @property
    def label(self) -> str:
        """How the footer names it."""
        return TRUST_LABELS[self.prop]


#: The schema.org trust properties newsgen knows, with the footer's label for each.
TRUST_LABELS = {
    "publishingPrinciples": "Publishing principles",
    "correctionsPolicy": "Corrections policy",
    "ethicsPolicy": "Ethics policy",
    "masthead": "Masthead",
    "diversityPolicy": "Diversity policy",
    "ownershipFundingInfo": "Ownership and funding",
    "actionableFeedbackPolicy": "Feedback policy",
}


@dataclass(frozen=True)
class Social:
    """Link-preview settings (``social:`` in newsgen.yaml)."""

    image: str | None = None  # site path or absolute URL
    twitter: str | None = None  # "@handle"


@dataclass(frozen=True)
class Images:
    """Responsive photo settings (``images:`` in newsgen.yaml)."""

    widths: tuple[int, ...] = (480, 800, 1200, 1600, 2000)  # never upscaled
    formats: tuple[str, ...] = ("webp",)  # besides the fallback format (JPEG, or PNG with transparency)
    quality: int = 80
    keep_originals: bool = False  # False: the original path serves a copy without metadata


IMAGE_FORMATS = ("avif", "webp")  # in the order browsers should prefer them


@dataclass(frozen=True)
class NewsSitemap:
    """Google News sitemap settings (``news_sitemap:`` in newsgen.yaml)."""

    enabled: bool = True
    name: str | None = None  # None: the publisher name
    language: str | None = None  # None: derived from Config.language


@dataclass(frozen=True)
class Redirect:
    """One entry of the ``redirects`` setting: an old site path and where it goes now."""

    old: str  # a site path, cleaned (core.sitepaths)
    new: str  # a site path or an http(s) URL
    line: int | None  # of the entry in newsgen.yaml


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know about a site, validated."""

    paths: Paths
    title: str = "News"
    description: str = ""
    base_url: str = DEFAULT_BASE_URL
    language: str = "en"
    timezone: str = "UTC"
    per_page: int = 20
    more_stories: int = 5
    permalink: str = "/{year}/{month}/{day}/{slug}/"
    default_date: date | None = None  # None: 1970-01-01, with a warning per undated article
    unsafe_html: bool = False
    max_file_size: int = 4_000_000
    feed_entries: int = 20
    feed_formats: tuple[str, ...] = FEED_FORMATS
    feed_content: str = "full"  # "full" or "summary"
    publisher: Publisher = field(default_factory=Publisher)
    social: Social = field(default_factory=Social)
    news_sitemap: NewsSitemap = field(default_factory=NewsSitemap)
    images: Images = field(default_factory=Images)
    search: bool = False
    embeds: tuple[str, ...] = EMBED_PROVIDERS  # the services embedded; () turns embeds off
    extra: dict[str, Any] = field(default_factory=dict)
    wire_sections: tuple[tuple[str, str], ...] = ()  # agency code -> section (wire: sections:)
    redirects: tuple[Redirect, ...] = ()  # old path -> new path, each answered by a redirect page

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always starting and ending with '/'."""
        m = re.match(r"^[a-z][a-z0-9+.-]*://[^/]*(/.*)?$", self.base_url, re.I)
        path = (m.group(1) if m else None) or "/"
        return path if path.endswith("/") else path + "/"

    def absolute_url(self, site_path: str) -> str:
        """Turn a site path such as ``/2025/03/01/x/`` into an absolute URL."""
        return self.base_url.rstrip("/") + "/" + site_path.lstrip("/")

    @property
    def publisher_name(self) -> str:
        """``publisher.name``, or the site title."""
        return self.publisher.name or self.title
