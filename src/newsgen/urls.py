"""Slugs, site URLs and output paths: the only place that turns a name into a path.

Site URLs ("site paths") always start with ``/`` and are relative to the
site's base URL: ``/2025/03/01/budget-vote/``. A URL that ends in ``/`` is
written as ``index.html`` inside that folder.

Slugs
-----
:func:`slugify` is used for every URL segment. It lowercases, transliterates
Latin letters with accents or ligatures to ASCII (``Zoë Sørensen`` ->
``zoe-sorensen``, ``Straße`` -> ``strasse``), keeps letters of other scripts
as they are (``Москва`` -> ``москва``; valid in IRIs and percent-encoded by
browsers), and turns every other run of characters into one ``-``. The result
never contains ``/``, ``\\``, ``.``, NUL or whitespace, is at most 80
characters long, and is ``untitled`` when nothing usable is left.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from datetime import datetime

MAX_SLUG = 80

_TRANSLIT = str.maketrans({
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ẞ": "ss",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "&": " and ",
})
_NON_WORD = re.compile(r"[\W_]+")


def slugify(text: str, fallback: str = "untitled") -> str:
    """Reduce any text to a safe URL segment (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLIT)
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            continue
        out.append(ch)
    s = unicodedata.normalize("NFC", "".join(out)).lower()
    s = _NON_WORD.sub("-", s).strip("-")
    if len(s) > MAX_SLUG:
        cut = s[:MAX_SLUG]
        s = cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2:] else cut
        s = s.strip("-")
    return s or fallback


def article_url(pattern: str, date: datetime, slug: str, section: str | None) -> str:
    """Fill a permalink pattern. ``date`` must already be in the site timezone."""
    return pattern.format(
        year=f"{date.year:04d}",
        month=f"{date.month:02d}",
        day=f"{date.day:02d}",
        slug=slug,
        section=slugify(section) if section else "news",
    )


def output_path(url: str) -> str:
    """The file, relative to the output folder, that serves a site URL."""
    path = url.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


def page_url(first: str, number: int) -> str:
    """URL of page ``number`` (1-based) of a paginated list that starts at ``first``."""
    return first if number == 1 else f"{first}page/{number}/"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url``, both site paths.

    Relative links keep a site working under any base path and from disk.
    """
    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url, from_dir)
    if to_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        return "./"
    return rel
