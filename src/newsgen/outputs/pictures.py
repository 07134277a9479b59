"""Photos in a story's body: ``![alt](/images/x.jpg)`` as a responsive ``<picture>``.

:func:`with_pictures` turns each ``<img>`` of a story's HTML whose ``src`` is a
photo of the site (see :mod:`newsgen.theme.catalog`) into a ``<picture>``: a
``<source>`` per extra format and the ``<img>`` with the photo's widths as
``srcset``, its fallback as ``src``, ``width``/``height``, and lazy loading
(a body photo is never the first thing on screen). Its ``alt`` and ``title``
stay as written. A relative ``src`` (``img/a.jpg``, a story's own photo: :mod:`newsgen.site.assets`)
is read against the page's URL. Any other image (remote, SVG, GIF) is left alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from newsgen.theme.catalog import Derivative, PhotoCatalog

#: How wide a body photo is drawn: the article column.
BODY_SIZES = "(min-width: 44rem) 42rem, 100vw"

_IMG = re.compile(r"<img\b(?P<before>[^>]*?)\ssrc=\"(?P<src>[^\"]*)\"(?P<after>[^>]*?)\s*/?>")


def with_pictures(
    fragment: str, photos: PhotoCatalog, link: Callable[[str], str], page_url: str = "/"
) -> str:
    """``fragment`` (of the page at ``page_url``) with each site photo's ``<img>`` drawn
    responsively; ``link`` makes a site path into the URL written in ``srcset`` (``src``
    becomes the photo's fallback's site path)."""
    if not photos.photos or "<img" not in fragment:
        return fragment

    def srcset(variants: Sequence[Derivative]) -> str:
        return ", ".join(f"{html.escape(link(v.url))} {v.width}w" for v in variants)

    def swap(m: re.Match[str]) -> str:
        photo = photos.get(html.unescape(m.group("src")), page_url)
        if photo is None:
            return m.group(0)
        attrs = m.group("before") + m.group("after")
        fb = photo.fallback
        sources = "".join(
            f'<source type="{mime}" srcset="{srcset(variants)}" sizes="{BODY_SIZES}">'
            for mime, variants in photo.sources[:-1]
        )
        return (
            f'<picture>{sources}<img{attrs} src="{html.escape(fb.url)}" srcset="{srcset(photo.sources[-1][1])}"'
            f' sizes="{BODY_SIZES}" width="{fb.width}" height="{fb.height}" loading="lazy" decoding="async">'
            "</picture>"
        )

    return _IMG.sub(swap, fragment)
