"""What a photo says of itself: caption, credits and rights from its IPTC block or XMP packet.

:func:`photo_meta` reads, before the metadata is dropped from every published
file (see :mod:`newsgen.theme.photos`), the fields a newsroom's photo desk
fills in: the IPTC IIM caption (2:120), by-line (2:80), credit (2:110) and
copyright notice (2:116), and, where the IPTC block has none, the same fields
of the XMP packet (IPTC Core: ``dc:description``, ``dc:creator``,
``photoshop:Credit``, ``dc:rights``). The licence is XMP only (IPTC Photo
Metadata): ``xmpRights:WebStatement`` (the "Web Statement of Rights", a URL,
given as ``ImageObject.license``) and the Licensor's ``plus:LicensorURL``
(where to license the photo, ``acquireLicensePage``), kept only when they are
http(s) URLs. Pillow gives the XMP packet as it is (``im.info["xmp"]`` for
JPEG, PNG and WebP); it is read as text, no XML parser sees it, so no entity
in it is expanded.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: IPTC IIM datasets read as the photo's own caption and credits.
_IPTC = {(2, 120): "caption", (2, 80): "creator", (2, 110): "credit", (2, 116): "copyright"}

#: XMP properties read as the photo's caption, credits and rights.
_XMP = {
    "dc:description": "caption",
    "dc:creator": "creator",
    "photoshop:Credit": "credit",
    "dc:rights": "copyright",
    "xmpRights:WebStatement": "license",
    "plus:LicensorURL": "acquire_license_page",
}
#: The fields that must be web addresses.
URL_FIELDS = ("license", "acquire_license_page")
_XMP_LI = re.compile(r"<rdf:li\b[^>]*>(.*?)</rdf:li>", re.S)


def photo_meta(im: Any) -> dict[str, str]:
    """The caption, credits and rights of an opened image: IPTC first, XMP fills the gaps."""
    return xmp_fields(im.info.get("xmp")) | iptc_fields(im)


def iptc_fields(im: Any) -> dict[str, str]:
    """The caption, by-line, credit and copyright notice the photo's IPTC block gives."""
    from PIL import IptcImagePlugin  # here: a site without photos never loads Pillow

    try:
        info = IptcImagePlugin.getiptcinfo(im) or {}
    except Exception:  # a damaged IPTC block is no reason to refuse the photo
        return {}
    out = {}
    for code, name in _IPTC.items():
        v = info.get(code)
        if isinstance(v, list):
            v = v[0] if v else None
        if isinstance(v, bytes):
            text = " ".join(v.decode("utf-8", "replace").split())
            if text:
                out[name] = text
    return out


def xmp_fields(raw: bytes | str | None) -> dict[str, str]:
    """The caption, creator, credit, rights and licence addresses an XMP packet gives, read as text."""
    if not raw:
        return {}
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    out = {}
    for prop, name in _XMP.items():
        m = re.search(rf"<{prop}\b[^>]*>(.*?)</{prop}>", text, re.S) or re.search(
            rf'\b{prop}="([^"]*)"', text
        )
        if m is None:
            continue
        inner = m.group(1)
        li = _XMP_LI.search(inner)
        value = " ".join(html.unescape(re.sub(r"<[^>]+>", "", li.group(1) if li else inner)).split())
        if value and (name not in URL_FIELDS or is_web_url(value)):
            out[name] = value
    return out


def is_web_url(value: str) -> bool:
    """An absolute http(s) address with a host and no spaces."""
    return re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value, re.I) is not None
