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

Names
-----
Sections, tags and authors are matched by :func:`name_key`: case, accents
and spacing are ignored, so ``Swift``, ``SWIFT`` and `` swift`` are one tag
and ``Zoë Okonkwo`` and ``Zoe Okonkwo`` one author (newsgen warns when
spellings differ). Names that stay different but slugify alike (``C++`` and
``C#`` both give ``c``) would share a page; that is an error naming the files.

List pages
----------
=====================  =====================================
``/{section}/``        section front (:func:`section_url`)
``/tags/``             every tag with its story count
``/tags/{tag}/``       one tag (:func:`tag_url`)
``/authors/``          every author
``/authors/{author}/`` one author (:func:`author_url`)
``/{year}/``           year archive (:func:`archive_url`)
``/{year}/{month}/``   month archive
``/corrections/``      every correction, newest first
=====================  =====================================

Each list is paginated like the front page: page 2 of ``/tags/energy/`` is
``/tags/energy/page/2/`` (:func:`page_url`).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Collection
from datetime import datetime
from functools import lru_cache
from urllib.parse import urljoin

MAX_SLUG = 80

_TRANSLIT = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ẞ": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "&": " and ",
    }
)
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
        s = cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2 :] else cut
        s = s.strip("-")
    return s or fallback


TAGS_URL = "/tags/"
AUTHORS_URL = "/authors/"
CORRECTIONS_URL = "/corrections/"
#: Machine-readable build status (next scheduled change), at the top of the output.
STATUS_FILE = "newsgen-status.json"


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The identity of a section, tag or author name (see "Names" above)."""
    text = unicodedata.normalize("NFKC", name).translate(_TRANSLIT)
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(folded.casefold().split())


def section_url(name: str) -> str:
    return f"/{slugify(name)}/"


def tag_url(name: str) -> str:
    return f"{TAGS_URL}{slugify(name)}/"


def author_url(name: str) -> str:
    return f"{AUTHORS_URL}{slugify(name)}/"


def archive_url(year: int, month: int | None = None) -> str:
    """``/2025/`` for a year, ``/2025/03/`` for a month."""
    return f"/{year:04d}/" if month is None else f"/{year:04d}/{month:02d}/"


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


def served_file(path: str, outputs: Collection[str]) -> str | None:
    """The output file a web server would answer the site path ``path`` with, if any."""
    rel = output_path(path)
    if rel in outputs:
        return rel
    if not path.endswith("/") and rel + "/index.html" in outputs:
        return rel + "/index.html"
    return None


def page_url(first: str, number: int) -> str:
    """URL of page ``number`` (1-based) of a paginated list that starts at ``first``."""
    return first if number == 1 else f"{first}page/{number}/"


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def resolve_link(href: str, page_url: str, base_url: str) -> str | None:
    """The site path a link on the page at ``page_url`` points to, or None when it
    leaves the site. ``base_url`` is the site's absolute URL (ending in ``/``).

    ``https://example.com/news/2025/x/`` (with that base URL), ``/news/2025/x/``
    and ``../x/`` all give ``/2025/x/``; ``index.html``, queries and fragments
    are dropped.
    """
    href = href.strip().split("#", 1)[0].split("?", 1)[0]
    if not href:
        return None
    base_path = "/" + base_url.split("://", 1)[-1].partition("/")[2]
    no_scheme = base_url.split("://", 1)[-1]
    if href.startswith("//"):
        href = href[2:]
        if not (href + "/").startswith(no_scheme):
            return None
        path = "/" + href[len(no_scheme) :]
    elif _SCHEME.match(href):
        if not (href + "/").startswith(base_url):
            return None
        path = "/" + href[len(base_url) :]
    elif href.startswith("/"):
        if not (href + "/").startswith(base_path):
            return None
        path = "/" + href[len(base_path) :]
    else:
        folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
        path = posixpath.join(folder, href)
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path.endswith("/index.html"):
        path, trailing = path[: -len("index.html")], True
    if not path.endswith("/") and trailing:
        path += "/"
    return path if path.startswith("/") else "/" + path


@lru_cache(maxsize=256)
def _ancestors(from_url: str) -> tuple[tuple[str, str], ...] | None:
    """The folders a link from the page at ``from_url`` can go up to, nearest first, each with
    the ``../`` that reaches it: ``/a/b/c.html`` -> ``(("/a/b/", ""), ("/a/", "../"), ("/", "../../"))``.
    None when ``from_url`` is not a normal site path (``//`` or ``/.`` in it). A page's links
    are made one after another, so the few latest pages are enough to keep."""
    if from_url[:1] != "/" or "//" in from_url or "/." in from_url:
        return None
    folders = from_url.split("/")[1:-1]
    return tuple(
        ("/" + "".join(part + "/" for part in folders[:k]), "../" * (len(folders) - k))
        for k in range(len(folders), -1, -1)
    )


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url``, both site paths.

    Relative links keep a site working under any base path and from disk.
    A ``to_url`` that is not a site path (``local.jpg``, ``../x/``) is already
    relative to the page and is returned as it is, as :func:`absolute_ref`
    reads it (never resolved against the folder newsgen runs in).
    """
    if to_url[:1] != "/" or to_url[1:2] == "/":  # not a site path (is_site_path, inlined)
        return to_url
    ancestors = _ancestors(from_url)
    if ancestors is not None and "//" not in to_url and "/." not in to_url:
        # Both already normal: what posixpath.relpath does, without its normalising. Up to the
        # nearest folder of the page that holds the target (or is it), then down; a target
        # that is a folder keeps its slash. Called for every link of every page (350,000 at
        # 10,000 stories, nearly all different): no cache, a few string tests each.
        if to_url[-1] == "/":
            for prefix, up in ancestors:
                if to_url.startswith(prefix):
                    return up + to_url[len(prefix) :] or "./"
        folder = to_url + "/"
        for prefix, up in ancestors:
            if folder.startswith(prefix):
                down = to_url[len(prefix) :]
                return up + down if down else up[:-1] or "."
    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url, from_dir)
    if to_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


_SUFFIX = re.compile(r"[?#]")


def url_of_output(path: str) -> str:
    """The site URL served by an output file: the inverse of :func:`output_path`."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


def is_site_path(ref: str) -> bool:
    """True for a root-relative reference such as ``/images/a.jpg`` (not ``//host/...``)."""
    return ref.startswith("/") and not ref.startswith("//")


def _split_suffix(ref: str) -> tuple[str, str]:
    """``/a/b?x#y`` -> (``/a/b``, ``?x#y``)."""
    m = _SUFFIX.search(ref)
    return (ref[: m.start()], ref[m.start() :]) if m else (ref, "")


def localize(page_url: str, ref: str) -> str:
    """A reference as written in content, made to work from the page at ``page_url``.

    Site paths (``/images/a.jpg``) become relative links, so they work under a
    base path and from disk; everything else is returned unchanged.
    """
    if ref[:1] != "/" or ref[:2] == "//":
        return ref
    path, suffix = _split_suffix(ref)
    return relative_url(page_url, path) + suffix


def absolute_ref(base_url: str, page_url: str, ref: str) -> str:
    """A reference made absolute: URLs with a scheme are kept, site paths go
    under ``base_url``, and anything else is resolved against the page."""
    if _SCHEME.match(ref):
        return ref
    root = base_url.rstrip("/")
    if is_site_path(ref):
        return root + ref
    return urljoin(root + page_url, ref)
