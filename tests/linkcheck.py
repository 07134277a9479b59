"""A small internal-link checker for built sites (used by several tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "srcset" and value:  # "url 480w, url 800w": every candidate is a link
                self.links += [c.split()[0] for c in value.split(",") if c.strip()]


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def resolve(page: Path, href: str, root: Path, base_url: str | None = None) -> Path | None:
    """The file a link points to, or None for external links and fragments.

    With ``base_url``, absolute URLs under it and root-relative paths under its
    path (``/news/x/`` for ``https://example.github.io/news/``) map into
    ``root``; a root-relative path outside the base path maps to no file.
    """
    if base_url and href.startswith(base_url):
        href = "/" + href[len(base_url) :]
    elif base_url and href.startswith("/") and not href.startswith("//"):
        base_path = urlsplit(base_url).path or "/"
        if not href.startswith(base_path):
            return root / "outside-the-base-path" / href.lstrip("/")
        href = "/" + href[len(base_path) :]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
        return None
    path = unquote(parts.path)
    target = (root / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    target = Path(re.sub(r"/+", "/", str(target)))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(root: Path, base_url: str | None = None) -> list[str]:
    """Every internal href/src in every HTML file under root that points to no file."""
    broken = []
    for page in sorted(root.rglob("*.html")):
        for href in links_in(page.read_text("utf-8")):
            target = resolve(page, href, root, base_url)
            if target is not None and not target.resolve().is_file():
                broken.append(f"{page.relative_to(root)} -> {href}")
    return broken
