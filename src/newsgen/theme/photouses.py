"""Which stories and settings use which images, with the focal points and the missing files.

:func:`image_uses` reads every image the published site uses, with the
``file:line`` that uses it: a story's ``image`` (front matter) and each
``<img>`` of its body with a local address (and of a site page's body), each author's photo
(``authors.yaml``) and the site's default image (``social.image`` in
``newsgen.yaml``). A site path (``/images/a.jpg``) is looked up in the site's
and the theme's static folders; a relative one (``a.jpg``) is read against the
story's page, as browsers read it. One that names no file is an error (the
build stops and publishes nothing); remote addresses (``https://``, ``//``,
``data:``) are not checked. It also collects each photo's focal points
(``image_focus: [x, y]``, fractions; the centre when not given) and the
story's licence addresses (``image_license``, ``image_acquire_license_page``),
refusing values that are not what they should be.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsgen.config import CONFIG_FILE, Config
from newsgen.core.sitepaths import site_path
from newsgen.errors import Diagnostic
from newsgen.model import Article, Site
from newsgen.theme.photometa import is_web_url

Focus = tuple[float, float]
#: The focal point of a photo that names none: its centre.
CENTRE: Focus = (0.5, 0.5)
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I)
#: Front matter addresses of a story photo's licence (ImageObject ``license``, ``acquireLicensePage``).
LICENSE_FIELDS = {"image_license": "license", "image_acquire_license_page": "acquire_license_page"}


@dataclass
class Uses:
    """Every local image the site uses: who uses it (``source``, ``line``), with
    which focal points, and what is wrong (missing files, bad fields)."""

    users: dict[str, list[tuple[str, int | None]]] = field(default_factory=lambda: defaultdict(list))
    focus: dict[str, set[Focus]] = field(default_factory=lambda: defaultdict(set))
    missing: list[tuple[str, str, int | None, str]] = field(default_factory=list)  # ref, source, line, note
    problems: list[Diagnostic] = field(default_factory=list)

    def missing_errors(self, exists: Callable[[str], bool]) -> list[Diagnostic]:
        """A "missing image" error for each use of a file that ``exists`` does not find."""
        return [
            Diagnostic(source, line, None, f"image {ref} is missing: {note}")
            for ref, source, line, note in self.missing
            if not exists(ref)
        ]


def article_focus(a: Article) -> Focus | None:
    """A story's ``image_focus`` as two fractions, or None when absent or malformed."""
    f = a.extra.get("image_focus")
    if (
        isinstance(f, list)
        and len(f) == 2
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x <= 1 for x in f)
    ):
        return (float(f[0]), float(f[1]))
    return None


def image_uses(config: Config, site: Site) -> Uses:
    """What uses each image of the published site (see the module docstring)."""
    uses = Uses()

    def use(ref: str | None, source: str, line: int | None, page_url: str = "/") -> str | None:
        path = site_path(ref, page_url)
        if path is None:
            return None
        uses.users[path].append((source, line))
        shown = f"{ref} (the site path {path})" if ref and not ref.startswith("/") else ref
        note = f"put the file in the static folder as {path.lstrip('/')}"
        uses.missing.append((path, source, line, note if shown == ref else f"{shown}: {note}"))
        return path

    social = use(config.social.image, CONFIG_FILE, None)
    if social is not None:
        uses.focus[social].add(CENTRE)
    for author in site.authors:
        profile = author.profile
        if profile is not None:
            use(profile.image, profile.source, profile.line)
    for a in (*site.articles, *site.unlisted):
        _story(a, use, uses)
    for page in site.pages:  # a site page's body is checked as a story's is (About, Masthead, ...)
        if "<img" in page.body:
            _body_images(page.body, page.url, config.paths.site / page.source, page.source, use)
    return uses


def _story(a: Article, use: Callable[..., str | None], uses: Uses) -> None:
    if a.image is not None or a.extra:  # (most stories have neither: every build looks at each one)
        _fields(a, use, uses)
    # a body kept in the build cache may tell without being read (incremental.entries.BodyRef.contains)
    contains = getattr(a.body, "contains", None)
    if not (contains("<img") if contains is not None else "<img" in a.body_html):
        return
    _body_images(a.body_html, a.url, a.source_path, a.source, use)


def _body_images(body: str, url: str, path: Path, source: str, use: Callable[..., str | None]) -> None:
    """The uses of each local ``<img>`` of the body of the page at ``url``, from ``source`` (``path``)."""
    lines: list[str] | None = None
    for m in _IMG_SRC.finditer(body):
        ref = html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
        if site_path(ref, url) is None:
            continue
        if lines is None:
            lines = _source_lines(path)
        use(ref, source, _line_of(lines, ref), url)


def _fields(a: Article, use: Callable[..., str | None], uses: Uses) -> None:
    """The uses and problems of a story's own fields: its lead image, ``image_focus``, the licence fields."""
    line = a.field_lines.get("image")
    lead = use(a.image, a.source, line, a.url)
    raw = a.extra.get("image_focus")
    focus = article_focus(a)
    if raw is not None and focus is None:
        uses.problems.append(
            Diagnostic(
                a.source,
                a.field_lines.get("image_focus", line),
                None,
                f"image_focus: expected [x, y], two fractions from 0 to 1, got {raw!r}",
            )
        )
    if lead is not None:
        uses.focus[lead].add(focus or CENTRE)
    for key in LICENSE_FIELDS:
        value = a.extra.get(key)
        if value is not None and not (isinstance(value, str) and is_web_url(value.strip())):
            uses.problems.append(
                Diagnostic(
                    a.source,
                    a.field_lines.get(key, line),
                    None,
                    f"{key}: expected the http(s) address of a page, got {value!r}",
                )
            )


def _source_lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8", errors="replace").split("\n")
    except OSError:
        return []


def _line_of(lines: list[str], ref: str) -> int | None:
    """The first line of the source that writes ``ref`` as an image address (1-based), if any."""
    for needle in (f"]({ref}", f'"{ref}"', f"'{ref}'", f"]: {ref}", ref):
        found = next((i for i, text in enumerate(lines, 1) if needle in text), None)
        if found is not None:
            return found
    return None
