"""Site configuration: ``newsgen.yaml`` read into a typed, frozen :class:`Config`.

A site is a folder. ``newsgen.yaml`` in it is optional: with none, every
setting takes its default and ``newsgen build`` still works. Every problem in
the file is reported at once; an unknown key is a warning that suggests the
closest known key (``titel`` -> ``title``).

Settings (defaults in brackets)::

    title:        site name shown in the header and feeds      [News]
    description:  one line about the site                      [""]
    base_url:     absolute URL the site is served from         [http://localhost:8000/]
    language:     BCP 47 language tag, e.g. en, en-GB, es-MX    [en]
    timezone:     IANA zone for dates written without offset   [UTC]
    per_page:     stories per front-page page                  [20]
    more_stories: links in each article's More Stories block   [5]
    permalink:    article URL pattern; {year} {month} {day}
                  {slug} {section}; ends in / or .html         [/{year}/{month}/{day}/{slug}/]
    default_date: date given to an article that has no date
                  in front matter or filename (wire copy)      [1970-01-01, with a warning]
    unsafe_html:  let raw HTML in Markdown through             [false]
    max_file_size: largest article file accepted, in bytes     [4000000]
    search:       build a search index with Pagefind and add a
                  /search/ page; needs the optional extra:
                  pip install 'newsgen[search]'. The only setting
                  that makes newsgen run another program.      [false]
    feeds:        syndication feeds, for the whole site at /feed.xml,
                  /rss.xml and /feed.json (and per section, tag and
                  author next to each list page)
      entries:    stories in each feed                         [20]
      formats:    which feeds to write: a list of atom
                  (feed.xml), rss (rss.xml), json (feed.json,
                  JSON Feed 1.1); [] writes none       [[atom, rss, json]]
      content:    full (the whole story) or summary            [full]
    publisher:    who publishes the site, for NewsArticle and
                  Organization structured data
      name:       organisation name                            [title]
      url:        its home page                                [base_url]
      logo:       logo image, a site path (/images/logo.png)
                  or an absolute URL                           [none]
      same_as:    list of the organisation's profile URLs      [[]]
    social:       link previews (Open Graph, Twitter cards)
      image:      share image for pages without their own,
                  a site path or an absolute URL               [none]
      twitter:    the site's Twitter/X handle, e.g. "@courier" [none]
    news_sitemap: Google News sitemap (news-sitemap.xml) of the
                  stories published in the two days before the
                  build's "now"
      enabled:    write it                                     [true]
      name:       publication name as registered with Google
                  News                                 [publisher.name]
      language:   ISO 639 code (en, es, zh-cn, zh-tw)
                                       [language's first part, e.g. en]
    paths:        folders, relative to the site folder
      articles: [articles]  seeds: [seeds]  templates: [templates]
      static: [static]      output: [public]
      cache: [.newsgen-cache]  the incremental build cache: safe to
                  delete, keep it out of git; must not be inside output
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsgen.core.yamlio import Entry, YamlProblem, parse_mapping
from newsgen.errors import ConfigError, Diagnostic, Severity, display_path

CONFIG_FILE = "newsgen.yaml"
DEFAULT_BASE_URL = "http://localhost:8000/"
PERMALINK_TOKENS = ("year", "month", "day", "slug", "section")
FEED_FORMATS = ("atom", "rss", "json")


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


@dataclass(frozen=True)
class Publisher:
    """The organisation behind the site (``publisher:`` in newsgen.yaml)."""

    name: str | None = None  # None: the site title
    url: str | None = None  # None: base_url
    logo: str | None = None  # site path or absolute URL
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class Social:
    """Link-preview settings (``social:`` in newsgen.yaml)."""

    image: str | None = None  # site path or absolute URL
    twitter: str | None = None  # "@handle"


@dataclass(frozen=True)
class NewsSitemap:
    """Google News sitemap settings (``news_sitemap:`` in newsgen.yaml)."""

    enabled: bool = True
    name: str | None = None  # None: the publisher name
    language: str | None = None  # None: derived from Config.language


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know about a site, validated."""

    paths: Paths
    title: str = "News"
    description: str = ""
    base_url: str = DEFAULT_BASE_URL
    base_url_set: bool = False
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
    search: bool = False
    config_file: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

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


_TOP_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "per_page",
    "more_stories",
    "permalink",
    "default_date",
    "unsafe_html",
    "max_file_size",
    "feeds",
    "paths",
    "extra",
    "publisher",
    "social",
    "news_sitemap",
    "search",
)
_PATH_KEYS = ("articles", "seeds", "templates", "static", "output", "cache")
_PATH_DEFAULTS = {"output": "public", "cache": ".newsgen-cache"}
_FEED_KEYS = ("entries", "formats", "content")
_PUBLISHER_KEYS = ("name", "url", "logo", "same_as")
_SOCIAL_KEYS = ("image", "twitter")
_NEWS_KEYS = ("enabled", "name", "language")


def _suggest(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(known))}"


class _Collector:
    def __init__(self, path: str | None):
        self.path = path
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, line: int | None, col: int | None, msg: str) -> None:
        self.errors.append(Diagnostic(self.path, line, col, msg))

    def warn(self, line: int | None, col: int | None, msg: str) -> None:
        self.warnings.append(Diagnostic(self.path, line, col, msg, Severity.WARNING))


def _text(c: _Collector, e: Entry, name: str) -> str | None:
    if isinstance(e.value, str):
        return e.value
    if isinstance(e.value, (int, float)) and not isinstance(e.value, bool) and e.raw is not None:
        return e.raw
    c.error(e.line, e.col, f"{name}: expected text, got {type(e.value).__name__} {e.raw or e.value!r}")
    return None


def _int(c: _Collector, e: Entry, name: str, minimum: int) -> int | None:
    if isinstance(e.value, int) and not isinstance(e.value, bool) and e.value >= minimum:
        return e.value
    c.error(e.line, e.col, f"{name}: expected a whole number >= {minimum}, got {e.raw or e.value!r}")
    return None


def _bool(c: _Collector, e: Entry, name: str) -> bool | None:
    if isinstance(e.value, bool):
        return e.value
    c.error(e.line, e.col, f"{name}: expected true or false, got {e.raw or e.value!r}")
    return None


def _sub_entries(c: _Collector, e: Entry, name: str, known: tuple[str, ...]) -> dict[str, Any]:
    """Check a nested mapping's keys; nested values carry the parent's position."""
    if e.value is None:
        return {}
    if not isinstance(e.value, dict):
        c.error(e.line, e.col, f"{name}: expected a mapping of {', '.join(known)}")
        return {}
    out: dict[str, Any] = {}
    for k, v in e.value.items():
        if k not in known:
            c.warn(e.line, e.col, f"unknown key '{name}.{k}' is ignored{_suggest(str(k), known)}")
            continue
        out[k] = v
    return out


def _check_permalink(c: _Collector, e: Entry, value: str) -> None:
    if not value.startswith("/"):
        c.error(e.line, e.col, f"permalink: must start with '/', got {value!r}")
    if not (value.endswith(("/", ".html"))):
        c.error(e.line, e.col, f"permalink: must end with '/' or '.html', got {value!r}")
    tokens = re.findall(r"\{([^{}]*)\}", value)
    for t in tokens:
        if t not in PERMALINK_TOKENS:
            c.error(
                e.line,
                e.col,
                f"permalink: unknown placeholder {{{t}}}; use {', '.join(f'{{{x}}}' for x in PERMALINK_TOKENS)}",
            )
    if "slug" not in tokens:
        c.error(e.line, e.col, "permalink: must contain {slug} so that every article has its own URL")
    if ".." in value or "\\" in value:
        c.error(e.line, e.col, "permalink: must not contain '..' or '\\'")


def _is_url_or_path(value: str, *, path_ok: bool = True) -> bool:
    """An http(s) URL, or (when ``path_ok``) a site path with no scheme."""
    if re.match(r"^https?://[^/\s]+\S*$", value):
        return True
    return (
        path_ok
        and bool(value)
        and not re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I)
        and not any(ch.isspace() for ch in value)
    )


def _syndication_settings(c: _Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``feeds``, ``publisher``, ``social`` and ``news_sitemap`` (see the module docstring)."""

    def where(msg: str) -> None:
        c.error(e.line, e.col, msg)

    def text(sub: dict[str, Any], key: str, name: str) -> str | None:
        v = sub.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (str, int, float)) or not str(v).strip():
            where(f"{name}: expected text, got {v!r}")
            return None
        return " ".join(str(v).split())

    def location(sub: dict[str, Any], key: str, name: str) -> str | None:
        v = text(sub, key, name)
        if v is not None and not _is_url_or_path(v):
            where(f"{name}: expected a site path such as /images/logo.png or an http(s) URL, got {v!r}")
            return None
        return v

    if e.key == "feeds":
        sub = _sub_entries(c, e, "feeds", _FEED_KEYS)
        if "entries" in sub:
            n = sub["entries"]
            if isinstance(n, int) and not isinstance(n, bool) and n >= 1:
                settings["feed_entries"] = n
            else:
                where(f"feeds.entries: expected a whole number >= 1, got {n!r}")
        if "formats" in sub:
            v = sub["formats"]
            items = [v] if isinstance(v, str) else v if isinstance(v, list) else None
            if items is None or not all(
                isinstance(x, str) and x.strip().lower() in FEED_FORMATS for x in items
            ):
                where(f"feeds.formats: expected a list of {', '.join(FEED_FORMATS)}, got {v!r}")
            else:
                wanted = {x.strip().lower() for x in items}
                settings["feed_formats"] = tuple(f for f in FEED_FORMATS if f in wanted)
        if "content" in sub:
            v = sub["content"]
            if v in ("full", "summary"):
                settings["feed_content"] = v
            else:
                where(f"feeds.content: expected full or summary, got {v!r}")
    elif e.key == "publisher":
        sub = _sub_entries(c, e, "publisher", _PUBLISHER_KEYS)
        url = text(sub, "url", "publisher.url")
        if url is not None and not _is_url_or_path(url, path_ok=False):
            where(f"publisher.url: expected an http(s) URL, got {url!r}")
            url = None
        same_as = sub.get("same_as") or []
        if isinstance(same_as, str):
            same_as = [same_as]
        if not isinstance(same_as, list) or not all(
            isinstance(x, str) and _is_url_or_path(x.strip(), path_ok=False) for x in same_as
        ):
            where(f"publisher.same_as: expected a list of http(s) URLs, got {sub.get('same_as')!r}")
            same_as = []
        settings["publisher"] = Publisher(
            name=text(sub, "name", "publisher.name"),
            url=url,
            logo=location(sub, "logo", "publisher.logo"),
            same_as=tuple(x.strip() for x in same_as),
        )
    elif e.key == "social":
        sub = _sub_entries(c, e, "social", _SOCIAL_KEYS)
        handle = text(sub, "twitter", "social.twitter")
        if handle is not None:
            if re.fullmatch(r"@?\w{1,15}", handle):
                handle = "@" + handle.lstrip("@")
            else:
                where(f"social.twitter: expected a handle such as @courier, got {handle!r}")
                handle = None
        settings["social"] = Social(image=location(sub, "image", "social.image"), twitter=handle)
    elif e.key == "news_sitemap":
        sub = _sub_entries(c, e, "news_sitemap", _NEWS_KEYS)
        enabled = sub.get("enabled", True)
        if not isinstance(enabled, bool):
            where(f"news_sitemap.enabled: expected true or false, got {enabled!r}")
            enabled = True
        lang = text(sub, "language", "news_sitemap.language")
        if lang is not None:
            lang = lang.lower()
            if not re.fullmatch(r"[a-z]{2,3}|zh-cn|zh-tw", lang):
                where(
                    f"news_sitemap.language: expected an ISO 639 code such as en, es or zh-cn, got {lang!r}"
                )
                lang = None
        settings["news_sitemap"] = NewsSitemap(
            enabled=enabled, name=text(sub, "name", "news_sitemap.name"), language=lang
        )


def _resolve_paths(
    site: Path,
    given: dict[str, Any],
    output_override: Path | None,
    c: _Collector,
    e: Entry | None,
    cache_override: Path | None = None,
) -> Paths:
    values: dict[str, Path] = {}
    for key in _PATH_KEYS:
        raw = given.get(key, _PATH_DEFAULTS.get(key, key))
        if not isinstance(raw, str) or not raw.strip():
            c.error(e.line if e else None, e.col if e else None, f"paths.{key}: expected a folder name")
            raw = _PATH_DEFAULTS.get(key, key)
        values[key] = Path(raw) if Path(raw).is_absolute() else site / raw
    if output_override is not None:
        values["output"] = output_override
    if cache_override is not None:
        values["cache"] = cache_override
    return Paths(site=site, **{k: Path(v).absolute() for k, v in values.items()})


def load_config(
    site: Path | str = ".",
    *,
    output: Path | str | None = None,
    base_url: str | None = None,
    cache_dir: Path | str | None = None,
) -> tuple[Config, list[Diagnostic]]:
    """Read ``newsgen.yaml`` from ``site`` (if present) into a :class:`Config`.

    Command-line overrides (``output``, ``base_url``, ``cache_dir``) win over the file.
    Returns the config and its warnings; raises :class:`ConfigError` listing
    every error found.
    """
    site_dir = Path(site).absolute()
    if not site_dir.is_dir():
        raise ConfigError(f"site folder {site_dir} does not exist")
    cfg_path = site_dir / CONFIG_FILE
    shown = display_path(cfg_path, site_dir) if cfg_path.exists() else None
    c = _Collector(shown)
    entries: list[Entry] = []
    if cfg_path.exists():
        raw_bytes = cfg_path.read_bytes()
        try:
            text = raw_bytes.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConfigError(
                Diagnostic(shown, None, None, f"not UTF-8 text (bad byte at offset {exc.start})")
            ) from None
        try:
            entries = parse_mapping(text.replace("\r\n", "\n").replace("\r", "\n")) or []
        except YamlProblem as p:
            raise ConfigError(Diagnostic(shown, p.line, p.col, p.message)) from None

    settings: dict[str, Any] = {}
    paths_entry: Entry | None = None
    given_paths: dict[str, Any] = {}
    for e in entries:
        k = e.key
        if k not in _TOP_KEYS:
            c.warn(e.key_line, e.key_col, f"unknown key '{k}' is ignored{_suggest(k, _TOP_KEYS)}")
            continue
        if k in ("title", "description", "language"):
            v = _text(c, e, k)
            if v is not None:
                settings[k] = v.strip()
        elif k == "base_url":
            v = _text(c, e, k)
            if v is not None:
                settings["base_url"] = v
        elif k == "timezone":
            v = _text(c, e, k)
            if v is not None:
                try:
                    ZoneInfo(v)
                    settings["timezone"] = v
                except (ZoneInfoNotFoundError, ValueError):
                    c.error(
                        e.line,
                        e.col,
                        f"timezone: unknown time zone {v!r}; use an IANA name such as Europe/London",
                    )
        elif k in ("per_page", "more_stories", "max_file_size"):
            v = _int(c, e, k, 1 if k != "more_stories" else 0)
            if v is not None:
                settings[k] = v
        elif k == "permalink":
            v = _text(c, e, k)
            if v is not None:
                _check_permalink(c, e, v)
                settings[k] = v
        elif k == "default_date":
            v = _text(c, e, k) if not isinstance(e.value, date) else e.value.isoformat()
            if v is not None:
                try:
                    settings[k] = date.fromisoformat(v.strip())
                except ValueError:
                    c.error(e.line, e.col, f"default_date: {v!r} is not a date; expected YYYY-MM-DD")
        elif k in ("unsafe_html", "search"):
            v = _bool(c, e, k)
            if v is not None:
                settings[k] = v
        elif k in ("feeds", "publisher", "social", "news_sitemap"):
            _syndication_settings(c, e, settings)
        elif k == "paths":
            paths_entry = e
            given_paths = _sub_entries(c, e, k, _PATH_KEYS)
        elif k == "extra":
            if isinstance(e.value, dict):
                settings["extra"] = e.value
            else:
                c.error(e.line, e.col, "extra: expected a mapping")

    if base_url is not None:
        settings["base_url"] = base_url
    if "base_url" in settings:
        b = settings["base_url"].strip()
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", b):
            where = None if base_url is not None else next((x for x in entries if x.key == "base_url"), None)
            c.error(
                where.line if where else None,
                where.col if where else None,
                f"base_url: expected an absolute http(s) URL such as https://example.com/news/, got {b!r}",
            )
        else:
            settings["base_url"] = b if b.endswith("/") else b + "/"
            settings["base_url_set"] = True

    out_override = Path(output).absolute() if output is not None else None
    cache_override = Path(cache_dir).absolute() if cache_dir is not None else None
    paths = _resolve_paths(site_dir, given_paths, out_override, c, paths_entry, cache_override)
    if c.errors:
        raise ConfigError(c.errors)
    cfg = Config(paths=paths, config_file=cfg_path if cfg_path.exists() else None, **settings)
    return cfg, c.warnings


def with_overrides(cfg: Config, **changes: Any) -> Config:
    """A copy of ``cfg`` with some settings changed (for tests and embedding)."""
    return replace(cfg, **changes)


def site_date_now(cfg: Config) -> datetime:  # pragma: no cover - convenience
    return datetime.now(cfg.tz)
