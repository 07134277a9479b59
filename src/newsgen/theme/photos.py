"""One photo into its published files, with Pillow: resized, cropped, cleaned.

:func:`make_photo` runs in a worker process (see :mod:`newsgen.theme.catalog`)
for one source image. It decodes the image once, turns it upright (EXIF
orientation), converts it to sRGB (an embedded ICC profile) and 8-bit RGB or
RGBA (CMYK, 16-bit, palette with transparency), then writes each derivative
into a folder of its own, named after the digest of the source bytes and the
settings: the responsive widths (never upscaled) in the source's format and
each extra format, the three crops search engines ask for (16:9, 4:3, 1:1)
and the 1200x630 share image, centred on a focal point, and, unless the
originals are kept, the full-size picture without its metadata. No derivative
carries EXIF, XMP, IPTC or maker notes: the GPS position and the camera's
serial number stay in the source. The caption and credits the file's IPTC
block (or XMP packet) gives are read before they are dropped. ``record.json``
in the folder describes what was made; a later build that finds it reuses the files as they are.

A file that is not a readable image (truncated, not an image at all, more
pixels than Pillow's decompression-bomb limit) gives a :class:`PhotoProblem`
message instead of a traceback. An animated image is not resized.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageOps, IptcImagePlugin

from newsgen.core.digests import digest

#: Bumped when what :func:`make_photo` writes changes, so cached files are made again.
RECIPE = "photos-1"

#: The crops made for search results and link previews: name -> (width, height) ratio.
CROPS: dict[str, tuple[int, int]] = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1), "og": (1200, 630)}
CROP_WIDTH = 1200

#: More pixels than this is refused as a decompression bomb (Pillow's own default).
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485

_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}


class PhotoProblem(Exception):
    """A source file that cannot be published as a photo; the message says why."""


class PassThrough(PhotoProblem):
    """An image published as it is (animated, or a format newsgen does not resize)."""


@dataclass(frozen=True)
class PhotoJob:
    """What to make of one source image."""

    source: Path
    original: str  # its output path, e.g. "images/harbour.jpg"
    widths: tuple[int, ...]
    formats: tuple[str, ...]
    quality: int
    keep_originals: bool
    focus: tuple[float, float]
    folder: Path  # the derivatives folder of the cache

    @property
    def stem(self) -> str:
        return self.original.rsplit(".", 1)[0]

    def key(self, data: bytes) -> str:
        settings = (self.original, self.widths, self.formats, self.quality, self.keep_originals, self.focus)
        return digest(RECIPE, Image.__version__, repr(settings), data)


def make_photo(job: PhotoJob) -> dict[str, Any]:
    """The record of ``job``'s files (made now or by an earlier build); raises PhotoProblem."""
    try:
        data = job.source.read_bytes()
    except OSError as exc:
        raise PhotoProblem(f"cannot read the image: {exc.strerror or exc}") from None
    key = job.key(data)
    done = job.folder / key
    record_file = done / "record.json"
    if record_file.is_file():
        record: dict[str, Any] = json.loads(record_file.read_text("utf-8"))
        record["cached"] = True
    else:
        record = _make(job, data, done)
        record["cached"] = False
    record["key"] = key
    return record


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
            if im.width * im.height > MAX_PIXELS:
                raise PhotoProblem(
                    f"{im.width}x{im.height} pixels is more than the {MAX_PIXELS:,} Pillow accepts "
                    "(a decompression bomb?); make it smaller"
                )
            im.load()
        except PhotoProblem:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoProblem(f"refused as a decompression bomb: {exc}") from None
        except Image.UnidentifiedImageError:
            raise PhotoProblem("not an image Pillow can read (is the extension wrong?)") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise PhotoProblem(f"the image is damaged or truncated: {exc}") from None
    return im


def _upright(im: Image.Image) -> Image.Image:
    """Turned by its EXIF orientation, in sRGB, as 8-bit RGB or RGBA."""
    icc = im.info.get("icc_profile")
    rotated = ImageOps.exif_transpose(im)
    im = rotated if rotated is not None else im
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v / 256).convert("L")  # 16-bit grey to 8-bit
    if icc and im.mode in ("RGB", "CMYK", "L"):
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
            im = converted if converted is not None else im
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: the pixels as they are
    target = "RGBA" if has_alpha else "RGB"
    im = im if im.mode == target else im.convert(target)
    im.info = {}  # what encoders would copy: a JPEG comment, EXIF, XMP, the profile now applied
    return im


def _encode(im: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        if im.mode != "RGB":
            im = im.convert("RGB")
        im.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "png":
        im.save(out, "PNG", optimize=True)
    elif fmt == "webp":
        im.save(out, "WEBP", quality=quality, method=4)
    else:
        im.save(out, fmt.upper(), quality=quality)
    return out.getvalue()


def crop_box(
    size: tuple[int, int], ratio: tuple[int, int], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` inside ``size``, as near to centred on ``focus`` as fits."""
    w, h = size
    rw, rh = ratio
    cw, ch = (w, round(w * rh / rw)) if w * rh <= h * rw else (round(h * rw / rh), h)
    left = min(max(round(focus[0] * w - cw / 2), 0), w - cw)
    top = min(max(round(focus[1] * h - ch / 2), 0), h - ch)
    return (left, top, left + cw, top + ch)


def _resized(im: Image.Image, width: int) -> Image.Image:
    if width >= im.width:
        return im
    size = (width, max(1, round(im.height * width / im.width)))
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _make(job: PhotoJob, data: bytes, done: Path) -> dict[str, Any]:
    im = _open(data)
    source_format = _FORMATS.get(im.format or "")
    if source_format is None:
        raise PassThrough(f"{im.format} images are published as they are, not resized")
    if getattr(im, "is_animated", False):
        raise PassThrough("animated images are published as they are, not resized")
    meta = xmp_fields(im.info.get("xmp")) | iptc_fields(im)  # IPTC first, XMP fills the gaps
    im = _upright(im)
    quality = job.quality
    files: list[dict[str, Any]] = []
    pending = done.with_name(done.name + f".tmp{os.getpid()}")
    shutil.rmtree(pending, ignore_errors=True)
    pending.mkdir(parents=True)

    def put(name: str, pic: Image.Image, fmt: str, role: str) -> None:
        file = name if role == "original" else f"{name}.{_EXT[fmt]}"
        (pending / file.rsplit("/", 1)[-1]).write_bytes(_encode(pic, fmt, quality))
        files.append({"role": role, "path": file, "width": pic.width, "height": pic.height, "format": fmt})

    widths = sorted({w for w in job.widths if w < im.width} | {min(im.width, max(job.widths))})
    for w in widths:
        sized = _resized(im, w)  # once for every format
        for fmt in dict.fromkeys((source_format, *job.formats)):
            put(f"{job.stem}-{w}w", sized, fmt, "width")
    for name, ratio in CROPS.items():
        cropped = im.crop(crop_box(im.size, ratio, job.focus))
        if name == "og" and cropped.width >= CROP_WIDTH:
            cropped = cropped.resize((CROP_WIDTH, 630), Image.Resampling.LANCZOS, reducing_gap=3.0)
        else:
            cropped = _resized(cropped, CROP_WIDTH) if name != "og" else cropped
        put(f"{job.stem}-{name}", cropped, "jpeg" if source_format == "jpeg" else "png", name)
    if not job.keep_originals:
        put(job.original, im, source_format, "original")
    record = {"width": im.width, "height": im.height, "format": source_format, "files": files, **meta}
    (pending / "record.json").write_text(json.dumps(record, sort_keys=True), "utf-8")
    try:
        os.replace(pending, done)
    except OSError:  # another build made it meanwhile
        shutil.rmtree(pending, ignore_errors=True)
    return record


#: IPTC IIM datasets read as the photo's own caption and credits.
_IPTC = {(2, 120): "caption", (2, 80): "creator", (2, 110): "credit", (2, 116): "copyright"}


def iptc_fields(im: Any) -> dict[str, str]:
    """The caption, by-line, credit and copyright notice the photo's IPTC block gives."""
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


#: XMP properties read as the photo's caption and credits (the IPTC Core names for the same fields).
_XMP = {
    "dc:description": "caption",
    "dc:creator": "creator",
    "photoshop:Credit": "credit",
    "dc:rights": "copyright",
}
_XMP_LI = re.compile(r"<rdf:li\b[^>]*>(.*?)</rdf:li>", re.S)


def xmp_fields(raw: bytes | str | None) -> dict[str, str]:
    """The caption, creator, credit and rights an XMP packet gives, read as text (no XML
    parser sees the packet, so no entity in it is expanded)."""
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
        if value:
            out[name] = value
    return out
