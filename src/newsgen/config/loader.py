"""``load_config``: read ``newsgen.yaml``, hand each key to its section's parser, apply overrides.

Every problem in the file is collected before anything is raised, so one
run reports them all; an unknown key is a warning that names the closest
known key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgen.config import basics, syndication
from newsgen.config.paths import PATH_KEYS, resolve_paths
from newsgen.config.settings import CONFIG_FILE, DEFAULT_BASE_URL, Config
from newsgen.config.values import Collector, sub_entries, suggest
from newsgen.core.yamlio import Entry, YamlProblem, parse_mapping
from newsgen.errors import ConfigError, Diagnostic, Severity, display_path

SectionParser = Callable[[Collector, Entry, dict[str, Any]], None]

#: Each top-level key and its parser; ``paths`` is resolved after every other key.
_PARSERS: dict[str, SectionParser | None] = {
    "title": basics.stripped_text,
    "description": basics.stripped_text,
    "base_url": basics.base_url,
    "language": basics.stripped_text,
    "timezone": basics.timezone,
    "per_page": basics.count,
    "more_stories": basics.count,
    "permalink": basics.permalink,
    "default_date": basics.default_date,
    "unsafe_html": basics.flag,
    "max_file_size": basics.count,
    "feeds": syndication.feeds,
    "paths": None,
    "extra": basics.extra,
    "publisher": syndication.publisher,
    "social": syndication.social,
    "news_sitemap": syndication.news_sitemap,
    "search": basics.flag,
    "embeds": basics.embeds,
    "wire": basics.wire,
    "redirects": basics.redirects,
    "images": syndication.images,
}
_TOP_KEYS = tuple(_PARSERS)


def _read_entries(cfg_path: Path, shown: str | None) -> list[Entry]:
    """The top-level entries of the config file; raises :class:`ConfigError` when it cannot be parsed."""
    raw_bytes = cfg_path.read_bytes()
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            Diagnostic(shown, None, None, f"not UTF-8 text (bad byte at offset {exc.start})")
        ) from None
    try:
        return parse_mapping(text.replace("\r\n", "\n").replace("\r", "\n")) or []
    except YamlProblem as p:
        raise ConfigError(Diagnostic(shown, p.line, p.col, p.message)) from None


def _check_base_url(
    c: Collector, settings: dict[str, Any], entries: list[Entry], override: str | None
) -> None:
    """Validate ``base_url`` (the override, else the file's) and give it its trailing slash."""
    if override is not None:
        settings["base_url"] = override
    if "base_url" not in settings:
        return
    b = settings["base_url"].strip()
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", b):
        where = None if override is not None else next((x for x in entries if x.key == "base_url"), None)
        c.error(
            where.line if where else None,
            where.col if where else None,
            f"base_url: expected an absolute http(s) URL such as https://example.com/news/, got {b!r}",
        )
    else:
        settings["base_url"] = b if b.endswith("/") else b + "/"


def _default_base_url_warning(shown: str) -> Diagnostic:
    return Diagnostic(
        shown,
        None,
        None,
        f"base_url is not set, so feeds, sitemaps and canonical links point at {DEFAULT_BASE_URL}; "
        f"set it in {CONFIG_FILE} to the address the site is published at (base_url: https://example.com/) "
        "or build with --base-url URL",
        Severity.WARNING,
    )


def load_config(
    site: Path | str = ".",
    *,
    output: Path | str | None = None,
    base_url: str | None = None,
    cache_dir: Path | str | None = None,
    publishing: bool = False,
) -> tuple[Config, list[Diagnostic]]:
    """Read ``newsgen.yaml`` from ``site`` (if present) into a :class:`Config`.

    Command-line overrides (``output``, ``base_url``, ``cache_dir``) win over the file.
    Returns the config and its warnings; raises :class:`ConfigError` listing
    every error found. ``publishing`` (``newsgen build`` and ``check``, not
    the local preview) adds a warning when neither the file nor ``base_url``
    sets a base URL: the default, ``http://localhost:8000/``, would end up in
    every feed, sitemap and canonical link.
    """
    site_dir = Path(site).absolute()
    if not site_dir.is_dir():
        raise ConfigError(f"site folder {site_dir} does not exist")
    cfg_path = site_dir / CONFIG_FILE
    shown = display_path(cfg_path, site_dir) if cfg_path.exists() else None
    c = Collector(shown)
    entries = _read_entries(cfg_path, shown) if cfg_path.exists() else []

    settings: dict[str, Any] = {}
    paths_entry: Entry | None = None
    given_paths: dict[str, Any] = {}
    for e in entries:
        if e.key not in _PARSERS:
            c.warn(e.key_line, e.key_col, f"unknown key '{e.key}' is ignored{suggest(e.key, _TOP_KEYS)}")
            continue
        parse = _PARSERS[e.key]
        if parse is not None:
            parse(c, e, settings)
        else:  # paths: its keys are checked now, its folders once the overrides are known
            paths_entry = e
            given_paths = sub_entries(c, e, e.key, PATH_KEYS)

    _check_base_url(c, settings, entries, base_url)
    if publishing and "base_url" not in settings:
        c.warnings.append(_default_base_url_warning(shown or CONFIG_FILE))
    out_override = Path(output).absolute() if output is not None else None
    cache_override = Path(cache_dir).absolute() if cache_dir is not None else None
    paths = resolve_paths(site_dir, given_paths, out_override, c, paths_entry, cache_override)
    if c.errors:
        raise ConfigError(c.errors)
    return Config(paths=paths, **settings), c.warnings
