"""The pixel size of an image file, read from its header.

Templates give every ``<img>`` its ``width`` and ``height`` so the browser
reserves the space before the picture arrives (no layout shift). The
renderer's ``image_size`` filter turns a site path such as
``/images/harbour.jpg`` into an :class:`ImageSize` by finding the file among
the site's and the theme's static files and reading a few bytes of it.
A relative reference (``photo.jpg``, resolved against each page) is not
looked up.

Supported: PNG, GIF, JPEG, WebP and SVG (``width``/``height`` in pixels, or the
``viewBox``). Anything else, a remote URL or a file that cannot be read gives
``None``, and templates then leave the attributes out.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImageSize:
    width: int
    height: int


_HEAD = 64 * 1024  # enough for every header format below, and for an SVG's root tag


def image_size(path: Path) -> ImageSize | None:
    """The intrinsic size of the image at ``path``, or None if unknown."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD)
    except OSError:
        return None
    for reader in (_png, _gif, _jpeg, _webp, _svg):
        try:
            size = reader(head)
        except (struct.error, ValueError, IndexError):
            size = None
        if size is not None:
            return size if size.width > 0 and size.height > 0 else None
    return None


def _png(b: bytes) -> ImageSize | None:
    if b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR":
        w, h = struct.unpack(">II", b[16:24])
        return ImageSize(w, h)
    return None


def _gif(b: bytes) -> ImageSize | None:
    if b[:6] in (b"GIF87a", b"GIF89a"):
        w, h = struct.unpack("<HH", b[6:10])
        return ImageSize(w, h)
    return None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(b: bytes) -> ImageSize | None:
    if b[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 4 <= len(b):
        if b[i] != 0xFF:
            return None
        marker = b[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", b[i + 2 : i + 4])
        if marker in _SOF:
            h, w = struct.unpack(">HH", b[i + 5 : i + 9])
            return ImageSize(w, h)
        i += 2 + length
    return None


def _webp(b: bytes) -> ImageSize | None:
    if b[:4] != b"RIFF" or b[8:12] != b"WEBP":
        return None
    chunk = b[12:16]
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", b[26:30])
        return ImageSize(w & 0x3FFF, h & 0x3FFF)
    if chunk == b"VP8L":
        bits = int.from_bytes(b[21:25], "little")
        return ImageSize((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        return ImageSize(int.from_bytes(b[24:27], "little") + 1, int.from_bytes(b[27:30], "little") + 1)
    return None


_SVG_TAG = re.compile(rb"<svg\b([^>]*)>", re.S)
_PX = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*$")


def _svg_attr(attrs: str, name: str) -> str | None:
    m = re.search(r"(?:^|\s)" + name + r"\s*=\s*(\"[^\"]*\"|'[^']*')", attrs)
    return m.group(1)[1:-1] if m else None


def _svg(b: bytes) -> ImageSize | None:
    m = _SVG_TAG.search(b)
    if m is None:
        return None
    attrs = m.group(1).decode("utf-8", "replace")
    width, height = _svg_attr(attrs, "width"), _svg_attr(attrs, "height")
    if width and height:
        mw, mh = _PX.match(width), _PX.match(height)
        if mw and mh:
            return ImageSize(round(float(mw.group(1))), round(float(mh.group(1))))
    box = _svg_attr(attrs, "viewBox")
    if box:
        numbers = [float(n) for n in re.split(r"[\s,]+", box.strip())]
        if len(numbers) == 4:
            return ImageSize(round(numbers[2]), round(numbers[3]))
    return None
