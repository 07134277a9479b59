"""One photo into its published files, with Pillow: resized, cropped, cleaned.

:func:`make_photo` runs in a worker process (see :mod:`newsgen.theme.catalog`)
for one source image. It decodes the image once, turns it upright (EXIF
orientation), converts it to sRGB (an embedded ICC profile) and 8-bit RGB, or
RGBA when it has real transparency (CMYK, 16-bit, palette with transparency; an
alpha channel that is opaque everywhere is dropped), then writes each derivative
into a folder of its own, named after the digest of the source bytes and the
settings: the responsive widths (never upscaled) in the fallback format (JPEG,
or PNG for a picture with transparency: what every browser and link preview
reads, whatever the source's format) and each extra format and, unless the
originals are kept, the full-size picture without its metadata, in the source's
own format. The three crops search engines ask for (16:9, 4:3, 1:1) and the
1200x630 share image, in the fallback format, are made once per focal point the
site uses the photo with, each set in a folder of its own keyed by the source
bytes and the focal point, so two stories that frame one photo differently each
get their own crops. No derivative carries EXIF, XMP, IPTC or maker notes: the GPS
position and the camera's serial number stay in the source. The caption,
credits and rights the file gives (:mod:`newsgen.theme.photometa`) are read
before they are dropped. ``record.json`` in each folder describes what was
made, with each file's SHA-256 and size (so the publisher links it without
reading it); a later build that finds it reuses the files as they are, and the
image is decoded only when some folder is missing.

A file that is not a readable image (truncated, not an image at all, more
pixels than Pillow's decompression-bomb limit) gives a :class:`PhotoProblem`
message instead of a traceback. An animated image is not resized.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageOps

from newsgen.core.digests import digest, sha256
from newsgen.theme.photometa import photo_meta
from newsgen.theme.photouses import CENTRE

#: Bumped when what :func:`make_photo` writes changes, so cached files are made again.
RECIPE = "photos-3"

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
    """What to make of one source image.

    ``crops``: each focal point the site uses the photo with, and the suffix
    its crops' names carry (``""``: ``harbour-16x9.jpg``; ``"-at-80-70"``:
    ``harbour-16x9-at-80-70.jpg``)."""

    source: Path
    original: str  # its output path, e.g. "images/harbour.jpg"
    widths: tuple[int, ...]
    formats: tuple[str, ...]
    quality: int
    keep_originals: bool
    folder: Path  # the derivatives folder of the cache
    crops: tuple[tuple[tuple[float, float], str], ...] = ((CENTRE, ""),)

    @property
    def stem(self) -> str:
        return self.original.rsplit(".", 1)[0]

    def key(self, data: bytes) -> str:
        """The folder of the responsive widths (and the original without its metadata)."""
        settings = (self.original, self.widths, self.formats, self.quality, self.keep_originals)
        return digest(RECIPE, Image.__version__, repr(settings), data)

    def crop_key(self, data: bytes, focus: tuple[float, float], suffix: str) -> str:
        """The folder of the crops centred on ``focus``."""
        settings = ("crops", self.stem, suffix, self.quality, focus)
        return digest(RECIPE, Image.__version__, repr(settings), data)


@dataclass
class _Source:
    """The source image, decoded when the first missing folder needs it (once per job)."""

    data: bytes
    im: Image.Image | None = None
    format: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    def picture(self) -> Image.Image:
        if self.im is None:
            im = _open(self.data)
            fmt = _FORMATS.get(im.format or "")
            if fmt is None:
                raise PassThrough(f"{im.format} images are published as they are, not resized")
            if getattr(im, "is_animated", False):
                raise PassThrough("animated images are published as they are, not resized")
            self.meta = photo_meta(im)
            self.format = fmt
            self.im = _upright(im)
        return self.im


def make_photo(job: PhotoJob) -> dict[str, Any]:
    """The record of ``job``'s files (made now or by an earlier build); raises PhotoProblem.

    ``files``: the widths and the original; ``crops``: one ``{"focus", "files"}``
    per focal point; ``keys``: every folder used; ``encoded``: how many files
    this call encoded (0: all of them came from the cache)."""
    try:
        data = job.source.read_bytes()
    except OSError as exc:
        raise PhotoProblem(f"cannot read the image: {exc.strerror or exc}") from None
    source = _Source(data)
    key = job.key(data)
    record = _cached(job.folder / key) or _make_widths(job, source, job.folder / key)
    keys, encoded = [key], 0 if record.get("cached") else len(record["files"])
    crops = []
    for focus, suffix in job.crops:
        ck = job.crop_key(data, focus, suffix)
        made = _cached(job.folder / ck) or _make_crops(job, source, focus, suffix, job.folder / ck)
        encoded += 0 if made.get("cached") else len(made["files"])
        crops.append({"focus": list(focus), "files": made["files"], "key": ck})
        keys.append(ck)
    return {**record, "crops": crops, "keys": keys, "key": key, "encoded": encoded, "cached": encoded == 0}


def _cached(done: Path) -> dict[str, Any] | None:
    try:
        record: dict[str, Any] = json.loads((done / "record.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    record["cached"] = True
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
    if target == "RGBA" and im.getchannel("A").getextrema()[0] == 255:
        im = im.convert("RGB")  # an alpha channel without transparency (an exported photo)
    im.info = {}  # what encoders would copy: a JPEG comment, EXIF, XMP, the profile now applied
    return im


def fallback_format(im: Image.Image) -> str:
    """The format of the widths' fallback and of the crops of an upright picture: JPEG, or PNG
    when it has transparency (a logo), whatever the source's format; never WebP, which some
    link previews do not read, and never PNG for a photo (ten times the size of its JPEG)."""
    return "png" if im.mode == "RGBA" else "jpeg"


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


class _Folder:
    """A folder of derivatives being made: written under a temporary name, then renamed."""

    def __init__(self, done: Path, quality: int):
        self.done, self.quality = done, quality
        self.pending = done.with_name(done.name + f".tmp{os.getpid()}")
        self.files: list[dict[str, Any]] = []
        shutil.rmtree(self.pending, ignore_errors=True)
        self.pending.mkdir(parents=True)

    def put(self, name: str, pic: Image.Image, fmt: str, role: str) -> None:
        file = name if role == "original" else f"{name}.{_EXT[fmt]}"
        data = _encode(pic, fmt, self.quality)
        (self.pending / file.rsplit("/", 1)[-1]).write_bytes(data)
        self.files.append({"role": role, "path": file, "width": pic.width, "height": pic.height,
                           "format": fmt, "sha256": sha256(data), "size": len(data)})  # fmt: skip

    def finish(self, record: dict[str, Any]) -> dict[str, Any]:
        record = {**record, "files": self.files}
        (self.pending / "record.json").write_text(json.dumps(record, sort_keys=True), "utf-8")
        try:
            os.replace(self.pending, self.done)
        except OSError:  # another build made it meanwhile
            shutil.rmtree(self.pending, ignore_errors=True)
        return record


def _make_widths(job: PhotoJob, source: _Source, done: Path) -> dict[str, Any]:
    im = source.picture()
    folder = _Folder(done, job.quality)
    widths = sorted({w for w in job.widths if w < im.width} | {min(im.width, max(job.widths))})
    fallback = fallback_format(im)
    for w in widths:
        sized = _resized(im, w)  # once for every format
        for fmt in dict.fromkeys((fallback, *job.formats)):
            folder.put(f"{job.stem}-{w}w", sized, fmt, "width")
    if not job.keep_originals:  # its own path: its own format
        folder.put(job.original, im, source.format, "original")
    size = {"width": im.width, "height": im.height}
    return folder.finish({**size, "format": source.format, "fallback": fallback, **source.meta})


def _make_crops(
    job: PhotoJob,
    source: _Source,
    focus: tuple[float, float],
    suffix: str,
    done: Path,
) -> dict[str, Any]:
    im = source.picture()
    folder = _Folder(done, job.quality)
    fmt = fallback_format(im)
    for name, ratio in CROPS.items():
        cropped = im.crop(crop_box(im.size, ratio, focus))
        if name == "og" and cropped.width >= CROP_WIDTH:
            cropped = cropped.resize((CROP_WIDTH, 630), Image.Resampling.LANCZOS, reducing_gap=3.0)
        else:
            cropped = _resized(cropped, CROP_WIDTH) if name != "og" else cropped
        folder.put(f"{job.stem}-{name}{suffix}", cropped, fmt, name)
    return folder.finish({"focus": list(focus)})
