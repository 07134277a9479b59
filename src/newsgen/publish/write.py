"""The entry point of a publish: :func:`write_output` streams a build's files into a
:class:`~newsgen.publish.publication.Publication` and publishes them in one step."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from newsgen.payloads import FileData
from newsgen.publish.listings import Listings
from newsgen.publish.publication import Publication, WriteResult


def write_output(
    out: Path,
    previous: dict[str, str],
    files: Iterable[tuple[str, FileData]],
    finish: Callable[[WriteResult], Iterable[tuple[str, bytes]]] | None = None,
    *,
    cache: Path | None = None,
    listings: Listings | None = None,
    publication: Publication | None = None,
) -> WriteResult:
    """Publish ``files`` as the new content of ``out`` (see :mod:`newsgen.publish.publication`).

    ``files`` may be a generator: each file is written as it arrives.
    ``finish``, when given, is called with the result so far (before publishing)
    and returns more files that describe the write, such as the deploy manifest;
    they are published in the same atomic step as everything else. ``cache`` is
    the build cache folder, where the spare is kept (None: no spare); ``listings`` those of
    :func:`~newsgen.publish.spare.output_listings`, when the caller used them. ``publication``:
    the :class:`Publication` of ``out`` the caller opened already (with ``previous``, ``cache`` and
    ``listings``), so that it could make the pages' folders while they rendered
    (:meth:`~Publication.make_folders`)."""
    notes: set[str] = set()
    pub = publication or Publication(out, previous, cache=cache, listings=listings)
    with pub:
        for rel, data in files:
            pub.add(rel, data)
        if finish is not None:
            for rel, data in finish(pub.result):
                pub.add(rel, data, note=True)
                notes.add(rel)
        result = pub.commit()
    # The notes are published and listed in the manifest, but they are not pages of the site.
    result.written = [r for r in result.written if r not in notes]
    result.unchanged = [r for r in result.unchanged if r not in notes]
    return result
