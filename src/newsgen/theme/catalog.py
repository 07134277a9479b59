"""The site's photos: every raster image under ``static/``, with its derivatives.

:func:`prepare_photos` runs after the site is assembled and before the plan.
It hands each JPEG, PNG and WebP file of the site's ``static/`` folder to
:func:`~newsgen.theme.photos.make_photo` on every core
(:func:`~newsgen.core.parallel.ordered_map`); the files are made in the
``derivatives/`` folder of the build cache, keyed by the source's bytes and the
``images:`` settings, so a photo that did not change is not decoded again.
The result, a :class:`PhotoCatalog`, tells the renderer each photo's size,
responsive variants, crops and embedded credits (templates read them through
the ``photo`` and ``image_size`` filters, without opening a file), and tells
the plan which files to publish.

Problems are collected, then raised together as one ContentError: a bad
``image_focus``, and a file that
is not a readable image, named with every ``article:line`` that uses it (one
that no story uses is a warning, and is published as it is).
GIF, SVG and animated images are published as they are; a remote URL is
left alone; a story's ``image`` that names no file is left to ``newsgen check``
(a "missing asset" error there), as before.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from PIL import features

from newsgen.config import CONFIG_FILE, Config
from newsgen.core.parallel import ordered_map
from newsgen.errors import ConfigError, ContentError, Diagnostic, Severity, display_path
from newsgen.model import Site
from newsgen.theme.photos import PassThrough, PhotoJob, PhotoProblem, make_photo

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
    file: Path  # where the build made it

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True)
class Photo:
    """What templates learn of one photo (``src | photo``).

    ``width``/``height``: the upright picture's size; ``sources``: the
    responsive sets, one per format, each ``(mime type, variants by width)``,
    the extra formats first and the source's own format last; ``fallback``:
    the ``src`` for browsers without ``srcset``; ``crops``: ``16x9``, ``4x3``,
    ``1x1`` and ``og`` (1200x630 when the source is that large); ``caption``,
    ``creator``, ``credit``, ``copyright``: from the file's IPTC block, if any.
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


@dataclass
class PhotoCatalog:
    """Every photo of the site by its site path, and the files to publish."""

    photos: dict[str, Photo] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # output path -> the file made
    made: int = 0  # photos made in this build (the rest came from the cache)
    warnings: list[Diagnostic] = field(default_factory=list)  # unreadable images no story uses

    def get(self, ref: str) -> Photo | None:
        return self.photos.get(ref)

    def summary(self) -> str:
        reused = len(self.photos) - self.made
        return f"photos: {len(self.photos)} ({self.made} made, {reused} reused from the cache), {len(self.files)} files"


def prepare_photos(config: Config, site: Site, folder: Path, jobs: int) -> PhotoCatalog:
    """Make (or find in ``folder``) the derivatives of every photo of the site."""
    static = config.paths.static
    images = config.images
    missing = [f for f in images.formats if not features.check(f)]
    if missing:
        raise ConfigError(
            Diagnostic(CONFIG_FILE, None, None, f"images.formats: this Pillow cannot write {', '.join(missing)}; "
                       "upgrade Pillow (pip install -U Pillow) or leave the format out")
        )  # fmt: skip
    users, focus, problems = _uses(config, site)
    refs = _raster_files(static)
    jobs_list = [
        PhotoJob(
            source=static / ref.lstrip("/"),
            original=ref.lstrip("/"),
            widths=images.widths,
            formats=images.formats,
            quality=images.quality,
            keep_originals=images.keep_originals,
            focus=focus.get(ref, (0.5, 0.5)),
            folder=folder / FOLDER,
        )
        for ref in refs
    ]
    catalog = PhotoCatalog()
    keys = set()
    for ref, job, result in zip(
        refs, jobs_list, ordered_map(_work, jobs_list, len(jobs_list), jobs, min_parallel=2), strict=True
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
        key, record = result
        keys.add(key)
        catalog.made += not record["cached"]
        photo = _photo(ref, record, folder / FOLDER / key)
        catalog.photos[ref] = photo
        for entry in record["files"]:
            out = entry["path"]
            if out in catalog.files and entry["role"] != "original":
                other = next(p.ref for p in catalog.photos.values() if p is not photo and out in _outputs(p))
                problems.append(
                    Diagnostic(display_path(job.source, config.paths.site), None, None,
                               f"image {ref}: its derivative /{out} is also made from {other}; rename one of them")
                )  # fmt: skip
            catalog.files[out] = folder / FOLDER / key / out.rsplit("/", 1)[-1]
    if problems:
        raise ContentError(sorted(problems, key=lambda d: (d.path or "", d.line or 0, d.message)))
    _prune(folder / FOLDER, keys)
    return catalog


def _outputs(photo: Photo) -> set[str]:
    """The output paths of a photo's derivatives."""
    made = [d for _, variants in photo.sources for d in variants] + list(photo.crops.values())
    return {d.ref.lstrip("/") for d in made}


def _work(jobs_list: list[PhotoJob], i: int) -> tuple[str, dict[str, Any]] | str:
    job = jobs_list[i]
    try:
        record = make_photo(job)
    except PassThrough as p:
        return f"pass:{p}"
    except PhotoProblem as p:
        return str(p)
    except Exception as exc:  # anything else Pillow raises on a strange file: still the file's problem
        return f"Pillow could not process it ({type(exc).__name__}: {exc})"
    return record.pop("key"), record


def _photo(ref: str, record: dict[str, Any], where: Path) -> Photo:
    made = [
        (
            e["role"],
            Derivative(
                "/" + e["path"], e["width"], e["height"], e["format"], where / e["path"].rsplit("/", 1)[-1]
            ),
        )
        for e in record["files"]
    ]
    by_format: dict[str, list[Derivative]] = defaultdict(list)
    for role, d in made:
        if role == "width":
            by_format[d.format].append(d)
    source = record["format"]
    order = [f for f in by_format if f != source] + [source]
    own = by_format[source]
    fallback = next((d for d in own if d.width >= 1200), own[-1])
    return Photo(
        ref=ref,
        width=record["width"],
        height=record["height"],
        format=source,
        sources=tuple((MIME[f], tuple(by_format[f])) for f in order),
        fallback=fallback,
        crops=MappingProxyType({role: d for role, d in made if role not in ("width", "original")}),
        caption=record.get("caption"),
        creator=record.get("creator"),
        credit=record.get("credit"),
        copyright=record.get("copyright"),
    )


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


def _local(ref: str | None) -> str | None:
    """The site path an article's image names, or None for a remote or relative one."""
    if not ref or not ref.startswith("/") or ref.startswith("//"):
        return None
    return ref.split("?", 1)[0].split("#", 1)[0]


def _uses(
    config: Config, site: Site
) -> tuple[dict[str, list[tuple[str, int | None]]], dict[str, tuple[float, float]], list[Diagnostic]]:
    """What uses each image (``source``, ``line``: stories, ``social.image``, authors' photos),
    each image's focal point, and bad focal points."""
    users: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    focus: dict[str, tuple[float, float]] = {}
    problems = []
    social = _local(config.social.image)
    if social is not None:
        users[social].append((CONFIG_FILE, None))
    for author in site.authors:
        profile = author.profile
        ref = _local(profile.image) if profile is not None else None
        if profile is not None and ref is not None:
            users[ref].append((profile.source, profile.line))
    for a in site.articles:
        ref = _local(a.image)
        if ref is None:
            continue
        line = a.field_lines.get("image")
        users[ref].append((a.source, line))
        f = a.extra.get("image_focus")
        if f is None:
            continue
        if (
            isinstance(f, list)
            and len(f) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x <= 1 for x in f)
        ):
            focus.setdefault(ref, (float(f[0]), float(f[1])))
        else:
            problems.append(
                Diagnostic(
                    a.source,
                    line,
                    None,
                    f"image_focus: expected [x, y], two fractions from 0 to 1, got {f!r}",
                )
            )
    return users, focus, problems


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove the derivatives no photo of this build uses."""
    if not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.name not in keep:
            shutil.rmtree(entry.path, ignore_errors=True)
