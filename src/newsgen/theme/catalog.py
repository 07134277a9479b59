"""The site's photos: every raster image under ``static/``, with its derivatives.

:func:`prepare_photos` runs after the site is assembled and before the plan.
It hands each JPEG, PNG and WebP file of the site's ``static/`` folder to
:func:`~newsgen.theme.photos.make_photo` on every core
(:func:`~newsgen.core.parallel.ordered_map`); the files are made in the
``derivatives/`` folder of the build cache, keyed by the source's bytes and the
``images:`` settings (the crops also by their focal point: each focal point the
site's stories give a photo has crops of its own), so a photo that did not
change is not decoded again. The result, a :class:`PhotoCatalog`, tells the
renderer each photo's size, responsive variants, crops and embedded credits
(templates read them through the ``photo`` and ``image_size`` filters, without
opening a file), and tells the plan which files to publish, each with its
digest and size, so the publisher hard-links it from the cache.

Problems are collected, then raised together as one ContentError: a bad
``image_focus`` or licence address, an image that names no file (see
:mod:`newsgen.theme.photouses`; remote URLs are not checked), and a file that
is not a readable image, named with every ``article:line`` that uses it (one
that no story uses is a warning, and is published as it is).
GIF, SVG and animated images are published as they are.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from newsgen.config import CONFIG_FILE, Config
from newsgen.core.parallel import ordered_map
from newsgen.core.sitepaths import find_static, site_path
from newsgen.errors import ConfigError, ContentError, Diagnostic, Severity, display_path
from newsgen.model import Site
from newsgen.theme.location import theme_dir
from newsgen.theme.photouses import CENTRE, Focus, image_uses

if TYPE_CHECKING:
    from newsgen.theme.photos import PhotoJob

RASTER = (".jpg", ".jpeg", ".png", ".webp")
MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
FOLDER = "derivatives"


@dataclass(frozen=True)
class Derivative:
    """One published file made from a photo."""

    ref: str  # site path, e.g. /images/harbour-800w.webp
    width: int
    height: int
    format: str  # jpeg, png, webp, avif
    file: Path  # where the build made it (in the cache)
    digest: str = ""  # SHA-256 of its bytes
    size: int = 0

    @property
    def mime(self) -> str:
        return MIME[self.format]

    @property
    def url(self) -> str:
        """``ref`` as written in a page: percent-encoded (a space in a ``srcset`` would end the URL)."""
        return quote(self.ref)


@dataclass(frozen=True)
class Photo:
    """What templates learn of one photo (``src | photo``).

    ``width``/``height``: the upright picture's size; ``sources``: the
    responsive sets, one per format, each ``(mime type, variants by width)``,
    the extra formats first and the fallback format last (JPEG, or PNG for a
    picture with transparency, whatever ``format``, the source's); ``fallback``:
    the ``src`` for browsers without ``srcset``; ``crops``: ``16x9``, ``4x3``,
    ``1x1`` and ``og`` (1200x630 when the source is that large), centred (or
    at the only focal point the site gives the photo); ``crops_at``: the crops
    at each focal point (:meth:`crops_for`); ``caption``, ``creator``,
    ``credit``, ``copyright``, ``license``, ``acquire_license_page``: from the
    file's IPTC block or XMP packet, if any.
    """

    ref: str
    width: int
    height: int
    format: str
    sources: tuple[tuple[str, tuple[Derivative, ...]], ...]
    fallback: Derivative
    crops: Mapping[str, Derivative]
    caption: str | None = None
    creator: str | None = None
    credit: str | None = None
    copyright: str | None = None
    license: str | None = None
    acquire_license_page: str | None = None
    crops_at: Mapping[Focus, Mapping[str, Derivative]] = field(default_factory=dict)

    def crops_for(self, focus: Focus | None) -> Mapping[str, Derivative]:
        """The crops centred on ``focus`` (None: the centre)."""
        return self.crops_at.get(focus or CENTRE, self.crops)


@dataclass
class PhotoCatalog:
    """Every photo of the site by its site path, and the files to publish."""

    photos: dict[str, Photo] = field(default_factory=dict)
    files: dict[str, Derivative] = field(default_factory=dict)  # output path -> the file made
    made: int = 0  # photos made (in part) in this build (the rest came from the cache)
    encoded: int = 0  # files encoded in this build
    warnings: list[Diagnostic] = field(default_factory=list)  # unreadable images no story uses

    def get(self, ref: str | None, page_url: str = "/") -> Photo | None:
        """The photo a reference names as written (``caf%C3%A9.jpg?v=2``, read against the
        page at ``page_url`` when relative), or None."""
        path = site_path(ref, page_url)
        return self.photos.get(path) if path is not None else None

    def summary(self) -> str:
        reused = len(self.photos) - self.made
        return (
            f"photos: {len(self.photos)} ({self.made} made, {reused} reused from the cache), "
            f"{len(self.files)} files ({self.encoded} encoded)"
        )


def prepare_photos(
    config: Config, site: Site, folder: Path, jobs: int, *, missing_files: bool = True
) -> PhotoCatalog:
    """Make (or find in ``folder``) the derivatives of every photo of the site.
    ``missing_files``: an image that names no file is an error (``newsgen check``
    reports those itself)."""
    static = config.paths.static
    images = config.images
    uses = image_uses(config, site)
    users, problems = uses.users, list(uses.problems)
    files = {ref: static / ref.lstrip("/") for ref in _raster_files(static)}
    for rel, path in site.assets.items():  # the stories' own photos (static/ wins a collision)
        if rel.lower().endswith(RASTER):
            files.setdefault("/" + rel, path)
    refs = sorted(files)
    jobs_list: list[PhotoJob] = []
    if refs:  # Pillow is loaded only when the site has photos to make
        from newsgen.theme.photos import PhotoJob as Job

        _check_formats(images.formats)
        jobs_list = [
            Job(
                source=files[ref],
                original=ref.lstrip("/"),
                widths=images.widths,
                formats=images.formats,
                quality=images.quality,
                keep_originals=images.keep_originals,
                folder=folder / FOLDER,
                crops=crop_names(uses.focus.get(ref, set())),
            )
            for ref in refs
        ]
    catalog = PhotoCatalog()
    keys: set[str] = set()
    for ref, job, result in zip(
        refs,
        jobs_list,
        ordered_map(_work, jobs_list, len(jobs_list), jobs, min_parallel=2, chunk=1),
        strict=True,
    ):
        if isinstance(result, str):
            if result.startswith("pass:"):
                continue
            if ref in users:
                problems += [
                    Diagnostic(src, line, None, f"image {ref}: {result}") for src, line in users[ref]
                ]
            else:  # no story uses it: published as it is
                shown = display_path(job.source, config.paths.site)
                catalog.warnings.append(
                    Diagnostic(shown, None, None, f"{result}; published as it is", Severity.WARNING)
                )
            continue
        keys.update(result["keys"])
        catalog.made += not result["cached"]
        catalog.encoded += result["encoded"]
        photo, made = _photo(ref, result, folder / FOLDER)
        catalog.photos[ref] = photo
        for d, role in made:
            out = d.ref.lstrip("/")
            if out in catalog.files and role != "original":
                other = next(p.ref for p in catalog.photos.values() if p is not photo and out in _outputs(p))
                problems.append(
                    Diagnostic(display_path(job.source, config.paths.site), None, None,
                               f"image {ref}: its derivative /{out} is also made from {other}; rename one of them")
                )  # fmt: skip
            catalog.files[out] = d
    if missing_files:
        roots = [static, _theme_static()]
        problems += uses.missing_errors(
            lambda ref: ref.lstrip("/") in catalog.files or find_static(ref, roots, site.assets) is not None
        )
    if problems:
        raise ContentError(sorted(problems, key=lambda d: (d.path or "", d.line or 0, d.message)))
    _prune(folder / FOLDER, keys)
    return catalog


def _check_formats(formats: tuple[str, ...]) -> None:
    """Refuse ``images.formats`` that this Pillow cannot write."""
    from PIL import features

    missing = [f for f in formats if not features.check(f)]
    if missing:
        raise ConfigError(
            Diagnostic(CONFIG_FILE, None, None, f"images.formats: this Pillow cannot write {', '.join(missing)}; "
                       "upgrade Pillow (pip install -U Pillow) or leave the format out")
        )  # fmt: skip


def crop_names(focuses: set[Focus]) -> tuple[tuple[Focus, str], ...]:
    """Each focal point a photo is used with and the suffix of its crops' names: none
    for the centre or for the only focal point, ``-at-80-70`` (percent) for the others."""
    if not focuses:
        return ((CENTRE, ""),)
    if len(focuses) == 1:
        return ((next(iter(focuses)), ""),)

    def pct(v: float) -> str:
        return format(round(v * 100, 2), "g")

    return tuple((f, "" if f == CENTRE else f"-at-{pct(f[0])}-{pct(f[1])}") for f in sorted(focuses))


def _theme_static() -> Path:
    return theme_dir() / "static"


def _outputs(photo: Photo) -> set[str]:
    """The output paths of a photo's derivatives."""
    made = [d for _, variants in photo.sources for d in variants]
    made += [d for crops in photo.crops_at.values() for d in crops.values()]
    return {d.ref.lstrip("/") for d in made}


def _work(jobs_list: list[PhotoJob], i: int) -> dict[str, Any] | str:
    from newsgen.theme.photos import PassThrough, PhotoProblem, make_photo

    job = jobs_list[i]
    try:
        record = make_photo(job)
    except PassThrough as p:
        return f"pass:{p}"
    except PhotoProblem as p:
        return str(p)
    except Exception as exc:  # anything else Pillow raises on a strange file: still the file's problem
        return f"Pillow could not process it ({type(exc).__name__}: {exc})"
    return record


def _derivative(e: dict[str, Any], where: Path) -> Derivative:
    return Derivative(
        "/" + e["path"], e["width"], e["height"], e["format"], where / e["path"].rsplit("/", 1)[-1],
        e["sha256"], e["size"],
    )  # fmt: skip


def _photo(ref: str, record: dict[str, Any], folder: Path) -> tuple[Photo, list[tuple[Derivative, str]]]:
    """The photo a record describes, and each file it publishes with its role."""
    made = [(_derivative(e, folder / record["key"]), e["role"]) for e in record["files"]]
    by_format: dict[str, list[Derivative]] = defaultdict(list)
    for d, role in made:
        if role == "width":
            by_format[d.format].append(d)
    source = record.get("fallback", record["format"])  # the widths' fallback format
    order = [f for f in by_format if f != source] + [source]
    own = by_format[source]
    fallback = next((d for d in own if d.width >= 1200), own[-1])
    crops_at: dict[Focus, Mapping[str, Derivative]] = {}
    for crop in record["crops"]:
        made_here = [(_derivative(e, folder / crop["key"]), e["role"]) for e in crop["files"]]
        crops_at[(crop["focus"][0], crop["focus"][1])] = MappingProxyType({role: d for d, role in made_here})
        made += made_here
    default = crops_at.get(CENTRE) or next(iter(crops_at.values()))
    photo = Photo(
        ref=ref,
        width=record["width"],
        height=record["height"],
        format=record["format"],
        sources=tuple((MIME[f], tuple(by_format[f])) for f in order),
        fallback=fallback,
        crops=default,
        caption=record.get("caption"),
        creator=record.get("creator"),
        credit=record.get("credit"),
        copyright=record.get("copyright"),
        license=record.get("license"),
        acquire_license_page=record.get("acquire_license_page"),
        crops_at=MappingProxyType(crops_at),
    )
    return photo, made


def _raster_files(static: Path) -> list[str]:
    """Site paths of the JPEG, PNG and WebP files under ``static``, in a stable order."""
    found = []
    if static.is_dir():
        for dirpath, dirnames, filenames in os.walk(static):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith(".") and name.lower().endswith(RASTER):
                    found.append("/" + (Path(dirpath) / name).relative_to(static).as_posix())
    return sorted(found)


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove the derivatives no photo of this build uses."""
    if not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.name not in keep:
            shutil.rmtree(entry.path, ignore_errors=True)
