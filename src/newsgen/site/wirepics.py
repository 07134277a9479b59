"""Agency pictures a reader could not see: left out of the story, with a warning.

A wire picture is usable when it is at a web address
(:func:`~newsgen.content.wiredoc.is_web_picture`: an absolute http(s) URL) or
when it names a file of the site's ``static/`` folder (a site path, or a path
read against the story's page, as the build reads every image). Agencies also
send references a site cannot resolve: NTB's NITF writes its picture id,
``<media-reference source="iJIJyyF0tiE"/>``, and some feeds send ``urn:`` names.
Such a picture, the lead picture or a figure in the body (NITF's later
``media``, an ``<img>`` of agency HTML), is left out here with a warning at
the line of its reference, so one agency item cannot stop the whole build with
a "missing image" error. Markdown stories are not touched: an image their
author names must exist, as before.

This runs when the site is assembled, on every build and on ``newsgen check``
alike, and not when the file is loaded: the loaded story is cached by the
file's bytes, and a picture put in ``static/`` later must then be shown.
The theme's own static files do not count (no agency names those).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

from newsgen.content.wiredoc import is_web_picture, unusable_picture
from newsgen.core.sitepaths import find_static, site_path
from newsgen.errors import Diagnostic, Severity
from newsgen.model import Article

_FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.S | re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LEAD_EXTRA = ("image_width", "image_height", "image_credit")


def _usable(ref: str, page_url: str, static: Path) -> bool:
    path = site_path(ref, page_url)
    return is_web_picture(ref) or (path is not None and find_static(path, [static]) is not None)


def _srcs(tags: str) -> list[str]:
    return [html.unescape(m.group(1) if m.group(1) is not None else m.group(2)) for m in _SRC.finditer(tags)]


def _line_of(source: Path, ref: str) -> int | None:
    """The first line of the wire file that writes ``ref`` as a quoted value, if any."""
    try:
        text = source.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    escaped = html.escape(ref)
    for needle in (f'"{ref}"', f"'{ref}'", f'"{escaped}"', f"'{escaped}'", ref):
        at = text.find(needle)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return None


def _warning(a: Article, line: int | None, what: str, ref: str) -> Diagnostic:
    return Diagnostic(a.source, line, None, unusable_picture(what, ref), Severity.WARNING)


def usable_pictures(a: Article, static: Path) -> tuple[Article, list[Diagnostic]]:
    """``a`` without the pictures a reader could not see (see the module docstring), and a
    warning for each one left out."""
    warnings: list[Diagnostic] = []
    changes: dict[str, object] = {}
    if a.image is not None and not _usable(a.image, a.url, static):
        warnings.append(_warning(a, a.field_lines.get("image"), "picture", a.image))
        changes.update(image=None, image_alt=None, image_caption=None)
        changes["extra"] = {k: v for k, v in a.extra.items() if k not in _LEAD_EXTRA}
    body = a.body_html
    if "<img" in body:
        dropped: list[str] = []

        def without(m: re.Match[str]) -> str:
            bad = [s for s in _srcs(m.group()) if not _usable(s, a.url, static)]
            dropped.extend(bad)
            return "" if bad else m.group()

        new_body = _IMG.sub(without, _FIGURE.sub(without, body))
        if dropped:
            changes["body"] = new_body
            warnings += [_warning(a, _line_of(a.source_path, s), "picture in the body", s) for s in dropped]
    return (replace(a, **changes) if changes else a), warnings  # type: ignore[arg-type]
