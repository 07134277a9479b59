"""newsgen: a static site generator for news publishers.

Public API::

    from newsgen import load_config, build, load_site, BufferReporter

    config, warnings = load_config("path/to/site")
    result = build(config, BufferReporter())

See ``newsgen.errors`` for the exception hierarchy.
"""

from __future__ import annotations

__version__ = "0.1.0"

from newsgen.config import Config, load_config
from newsgen.errors import (
    BuildError,
    ConfigError,
    ContentError,
    Diagnostic,
    NewsgenError,
    Severity,
    TemplateError,
)
from newsgen.model import Article, Site
from newsgen.report import BufferReporter, ConsoleReporter
from newsgen.site.related import more_stories


def build(config: Config, reporter=None, **kwargs):
    """Build a site; see :func:`newsgen.pipeline.build`."""
    from newsgen.pipeline import build as _build

    return _build(config, reporter or ConsoleReporter(), **kwargs)


def load_site(config: Config, now=None, *, drafts: bool = False) -> Site:
    """Discover and load every article and assemble the :class:`Site` as published
    at ``now`` (default: ``SOURCE_DATE_EPOCH`` or the real clock), without writing anything."""
    from dataclasses import replace

    from newsgen.content.authors import load_authors
    from newsgen.content.loader import load_all
    from newsgen.content.pages import site_pages
    from newsgen.content.sources import discover
    from newsgen.pipeline import resolve_now
    from newsgen.site.assemble import build_site
    from newsgen.site.assets import colocated

    sources, problems = discover(config)
    errors = [p for p in problems if p.severity is Severity.ERROR]  # (not the files left out)
    if errors:
        raise ContentError(errors)
    articles, _ = load_all(sources, config)
    profiles, _ = load_authors(config)
    pages, _ = site_pages(config)
    site = build_site(articles, config, now or resolve_now(config), drafts=drafts, profiles=profiles)
    return replace(site, pages=tuple(pages), assets=colocated(site, sources))


__all__ = [
    "Article",
    "BufferReporter",
    "BuildError",
    "Config",
    "ConfigError",
    "ConsoleReporter",
    "ContentError",
    "Diagnostic",
    "NewsgenError",
    "Site",
    "TemplateError",
    "__version__",
    "build",
    "load_config",
    "load_site",
    "more_stories",
]
