"""What ``newsgen check`` found, and how links resolve to files of the site."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from newsgen.config import Config
from newsgen.core.urls import localize, resolve_link
from newsgen.errors import Diagnostic, Severity


@dataclass
class CheckReport:
    """What ``check`` found. ``errors`` make ``newsgen check`` exit 1."""

    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    articles: int = 0
    site_pages: int = 0  # the pages of pages/ loaded
    html_files: int = 0  # files read when checking a built site

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            (self.warnings if d.severity is Severity.WARNING else self.errors).append(d)

    def sorted(self) -> list[Diagnostic]:
        """Every finding, by file and line."""
        return sorted(
            self.errors + self.warnings, key=lambda d: (d.path or "", d.line or 0, d.col or 0, d.message)
        )


def site_path_of_link(target: str, page_url: str, config: Config) -> str | None:
    """The site path a link *in built HTML* points to (see :func:`~newsgen.core.urls.resolve_link`),
    or None for an external link, ``mailto:``, a fragment of the same page and the like.
    Raises ValueError for a root-relative link outside the site's base path: on the
    published site it would leave the site."""
    bare = target.strip()
    if bare.startswith("/") and not bare.startswith("//") and not (bare + "/").startswith(config.base_path):
        raise ValueError(f"outside the site's base path {config.base_path}")
    path = resolve_link(bare, page_url, config.base_url)
    return unquote(path) if path is not None else None


def content_link_path(target: str, page_url: str, config: Config) -> str | None:
    """The site path a link *in an article* points to, read as the build reads it: a
    root-relative ``/2025/03/01/x/`` is a site path (made relative on the page, so it
    works under any base path; see :func:`~newsgen.core.urls.localize`)."""
    path = resolve_link(localize(page_url, target.strip()), page_url, config.base_url)
    return unquote(path) if path is not None else None
