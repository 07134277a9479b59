"""newsgen: a static site generator for news publishers.

Public API::

    from newsgen import load_config, build, load_site, BufferReporter

    config, warnings = load_config("path/to/site")
    result = build(config, BufferReporter())

See ``newsgen.errors`` for the exception hierarchy.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config, load_config
from .errors import BuildError, ConfigError, ContentError, Diagnostic, NewsgenError, TemplateError
from .model import Article, Site
from .related import more_stories
from .report import BufferReporter, ConsoleReporter


def build(config: Config, reporter=None, **kwargs):
    """Build a site; see :func:`newsgen.build.build`."""
    from .build import build as _build

    return _build(config, reporter or ConsoleReporter(), **kwargs)


def load_site(config: Config) -> Site:
    """Discover and load every article and assemble the :class:`Site` without writing anything."""
    from .loader import discover, load_all
    from .site import build_site

    sources, problems = discover(config)
    if problems:
        raise ContentError(problems)
    articles, _ = load_all(sources, config)
    return build_site(articles, config)


__all__ = [
    "Article", "BufferReporter", "BuildError", "Config", "ConfigError", "ConsoleReporter",
    "ContentError", "Diagnostic", "NewsgenError", "Site", "TemplateError", "build", "load_config",
    "load_site", "more_stories", "__version__",
]
