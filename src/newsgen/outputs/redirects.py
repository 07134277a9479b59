"""Old URLs that keep working: a redirect page at each, and the host's redirect file.

The old paths are an article's or site page's ``aliases`` / ``redirect_from`` (read by
:mod:`newsgen.content.genkeys`) and the site's ``redirects`` setting. Each
becomes a page rendered with ``redirect.html`` (a ``<meta http-equiv="refresh">``,
``rel="canonical"`` to the new URL, a visible link, ``noindex``), which any
host serves. ``_redirects`` lists them all as permanent (301) redirects for
hosts that read that file (Netlify, Cloudflare Pages), unless the site's
``static/`` folder has its own.

Redirect pages are never in the sitemaps, feeds or search index. An old path
that is also a real page's path is a collision, reported by
:func:`~newsgen.outputs.plan.check_collisions` naming both.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from newsgen.core.urls import output_path, served_file
from newsgen.errors import Diagnostic, Severity
from newsgen.model import OutputPage, Site
from newsgen.outputs.listing import PageInfo

HOST_FILE = "_redirects"


@dataclass(frozen=True)
class Move:
    """One old path and where it points now (a site path or an http(s) URL)."""

    old: str
    new: str
    source: str  # what asked for it, e.g. "articles/x.md:4 (redirect_from /old/)"
    title: str  # what the reader will find there


def moves(site: Site) -> list[Move]:
    """Every old path of the published articles, then the ``redirects`` setting's."""
    out: list[Move] = []
    for a in site.articles:
        if a.draft:  # a --drafts preview never advertises a draft's old URLs
            continue
        for path in a.aliases:
            key = next((k for k in ("redirect_from", "aliases") if k in a.field_lines), "aliases")
            out.append(Move(path, a.url, f"{a.source}:{a.field_lines.get(key, 1)} ({key} {path})", a.title))
    for page in site.pages:
        for path in page.aliases:
            key = next((k for k in ("redirect_from", "aliases") if k in page.field_lines), "aliases")
            where = f"{page.source}:{page.field_lines.get(key, 1)} ({key} {path})"
            out.append(Move(path, page.url, where, page.title))
    titles = {a.url: a.title for a in site.articles}
    for r in site.config.redirects:
        where = f"newsgen.yaml:{r.line}" if r.line else "newsgen.yaml"
        out.append(Move(r.old, r.new, f"{where} (redirects {r.old})", titles.get(r.new, r.new)))
    return out


def redirect_pages(site: Site, static_files: Sequence[str]) -> list[OutputPage]:
    """A redirect page per old path, and ``_redirects`` (unless ``static_files`` has one)."""
    found = moves(site)
    pages = [
        OutputPage(
            output_path=output_path(m.old),
            kind="redirect",
            source=m.source,
            template="redirect.html",
            context={
                "page": PageInfo(m.old, "redirect", m.title, ""),
                "target": m.new,
                "external": m.new.startswith(("http://", "https://")),
            },
        )
        for m in found
    ]
    if found and HOST_FILE not in static_files:
        pages.append(
            OutputPage(
                output_path=HOST_FILE,
                kind="redirects",
                source="redirects file",
                context={"data": host_file(site.config.base_path, found).encode("utf-8")},
            )
        )
    return pages


def dead_ends(site: Site, outputs: Collection[str]) -> list[Diagnostic]:
    """A warning for each entry of the ``redirects`` setting whose new site path is no page or
    file of the site (``outputs``: every output path): its redirect page would send readers to
    a 404. (A warning, not an error: it may name a story scheduled for later.)"""
    return [
        Diagnostic(
            "newsgen.yaml",
            r.line,
            None,
            f"redirects: {r.old} points to {r.new}, which is no page or file of this site; "
            "readers sent there find the 404 page",
            Severity.WARNING,
        )
        for r in site.config.redirects
        if r.new.startswith("/") and served_file(r.new, outputs) is None
    ]


def host_file(base_path: str, found: Sequence[Move]) -> str:
    """``_redirects``: one ``old new 301`` line per old path, under the base path."""
    lines = ["# Made by newsgen from aliases, redirect_from and the redirects setting"]
    prefix = base_path.rstrip("/")
    for m in sorted(found, key=lambda m: m.old):
        new = m.new if m.new.startswith(("http://", "https://")) else prefix + m.new
        lines.append(f"{_escape(prefix + m.old)} {_escape(new)} 301")
    return "\n".join(lines) + "\n"


def _escape(path: str) -> str:
    """A path as one field of a ``_redirects`` line: spaces and non-ASCII percent-encoded."""
    return "".join(c if 32 < ord(c) < 127 else "".join(f"%{b:02X}" for b in c.encode()) for c in path)
