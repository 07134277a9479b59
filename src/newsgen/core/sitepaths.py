"""Site paths written by hand: an article's explicit URL (``permalink``, ``url``,
``path``) and the old URLs that redirect to it (``aliases``, ``redirect_from``,
the ``redirects`` setting).

:func:`clean_site_path` turns ``2020/01/30/slug``, ``/2019/05/caf%C3%A9`` or
``/old/page.html`` into the path newsgen serves (``/2020/01/30/slug/``,
``/2019/05/café/``, ``/old/page.html``), or says why it cannot: every path
stays inside the output folder, like every slug.

Site paths of images: :func:`site_path` reads an image reference against the
page that uses it, and :func:`find_static` finds the file a site path names
among the static folders. The theme's image checks and the wire desk's
picture check (:mod:`newsgen.site.wirepics`) use the same two, so they agree.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsgen.core.paths import resolved

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)
_SUFFIX = re.compile(r"[?#]")
_BAD_CHARS = re.compile(r"[\\\x00-\x1f\x7f<>\"]")


class SitePathProblem(ValueError):
    """The text is not a path of this site; the message says why."""


def clean_site_path(text: str) -> str:
    """The site path ``text`` names: starting with ``/``; ending with ``/``
    unless its last segment names a file (``page.html``)."""
    s = text.strip()
    if not s:
        raise SitePathProblem("is empty; write a path such as /2015/03/old-story/")
    if _SCHEME.match(s):
        raise SitePathProblem(
            f"{s[:100]!r} is a full URL; write the path on this site, such as /2015/03/old-story/"
        )
    if "?" in s or "#" in s:
        raise SitePathProblem(f"{s[:100]!r} has a query or fragment; a redirect page can only answer a path")
    s = unquote(s)
    if _BAD_CHARS.search(s):
        raise SitePathProblem(f"{s[:100]!r} contains a backslash, quote, angle bracket or control character")
    segments = s.strip("/").split("/")
    if any(seg in ("", ".", "..") for seg in segments if s.strip("/")):
        raise SitePathProblem(f"{s[:100]!r} has an empty, '.' or '..' segment; it must stay inside the site")
    if len(s) > 2000:
        raise SitePathProblem("is longer than 2000 characters")
    path = "/" + "/".join(segments) if s.strip("/") else "/"
    if path != "/" and (s.endswith("/") or "." not in segments[-1]):
        path += "/"
    return path


def site_path(ref: str | None, page_url: str = "/") -> str | None:
    """The site path a local image reference names (read against ``page_url`` when
    relative), without its query or fragment and percent-decoded (``caf%C3%A9%20quay.jpg``
    names the file ``café quay.jpg``); None for a remote or empty one."""
    joined = joined_ref(ref, page_url)
    return unquote(_SUFFIX.split(joined, 1)[0]) if joined is not None else None


def joined_ref(ref: str | None, page_url: str = "/") -> str | None:
    """A local reference as a site path, still written as it was (``img/a%20b.jpg?v=2`` on the
    page ``/x/`` is ``/x/img/a%20b.jpg?v=2``); None for a remote or empty one."""
    if not ref or not ref.strip() or _SCHEME.match(ref.strip()):
        return None
    text = ref.strip()
    path = _SUFFIX.split(text, 1)[0]
    suffix = text[len(path) :]
    if not path:
        return None
    if not path.startswith("/"):
        folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
        path = posixpath.normpath(posixpath.join(folder, path))
    return path + suffix


def find_static(ref: str, roots: list[Path], assets: Mapping[str, Path] | None = None) -> Path | None:
    """The file a site path (``/images/a.png``) names: a story's own file (``assets``, by
    output path: :mod:`newsgen.site.assets`), else the file in the first root that has it.

    Remote and ``data:`` URLs, relative references (whose meaning depends on
    the page) and paths that climb out of a root give None.
    """
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    rel = unquote(parts.path).lstrip("/")
    if assets and rel in assets:
        return assets[rel]
    for root in roots:
        candidate, real_root = resolved(root / rel), resolved(root)
        if candidate is None or real_root is None:  # symbolic links that loop: not a file
            continue
        try:
            candidate.relative_to(real_root)
        except ValueError:
            continue
        if candidate.is_file():
            return candidate
    return None
