"""The deploy manifest: which URLs a build added, changed and removed.

Every successful build writes ``.newsgen-changes.json`` into the output folder,
next to the output manifest ``.newsgen-manifest.json`` (what newsgen owns,
:mod:`newsgen.publish.outdir`). It compares this build with the previous one
(the files listed in the previous output manifest) and is meant for the
deploy step: invalidate exactly these paths in a CDN, post a change
summary, or skip a deploy when nothing changed. Example::

    {
      "generator": "newsgen",
      "format": 1,
      "base_url": "https://example.com/news/",
      "first_build": false,
      "counts": {"added": 1, "changed": 2, "removed": 0, "unchanged": 40},
      "added": [
        {"file": "2025/03/01/budget/index.html",
         "path": "/news/2025/03/01/budget/",
         "url": "https://example.com/news/2025/03/01/budget/"}
      ],
      "changed": [...],
      "removed": [...]
    }

``file`` is relative to the output folder; ``path`` is the URL path as served
under ``base_url`` (a page's folder URL ending in ``/`` rather than
``index.html``); ``url`` is absolute. Lists are sorted by ``file``; the
document holds no time stamp, so two builds of the same change write the same
bytes.

A file is *changed* when the writer rewrote it although the previous build
had it too: its bytes differ, or the copy on disk was missing or damaged (then
listing it is the safe choice for a CDN). On a first build (no previous
manifest) every file is *added* and ``first_build`` is true. The file is
published in the same atomic step as the pages it describes (it is one more
file of the publication, listed in ``.newsgen-manifest.json``), so a failed or
killed build leaves it describing the last successful build.

The file starts with a dot so static hosts and sync tools can leave it out
(``aws s3 sync --exclude '.newsgen-*'``; see docs/deploy.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from newsgen.config import Config
from newsgen.core.fsops import row_pieces
from newsgen.publish.publication import WriteResult

CHANGES_FILE = ".newsgen-changes.json"


@dataclass(frozen=True)
class Changes:
    """Output files (relative to the output folder) by what happened to them."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    first_build: bool

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed since the previous build"
        )


def compute_changes(previous: Mapping[str, str], result: WriteResult) -> Changes:
    """Classify a write: ``previous`` is the previous build's manifest
    (file -> digest; empty on a first build), ``result`` what the writer did."""
    previous = {f: h for f, h in previous.items() if f != CHANGES_FILE}
    written = [f for f in result.written if f != CHANGES_FILE]
    unchanged = [f for f in result.unchanged if f != CHANGES_FILE]
    current = set(written) | set(unchanged)
    return Changes(
        added=tuple(sorted(f for f in written if f not in previous)),
        changed=tuple(sorted(f for f in written if f in previous)),
        # Everything the previous build had and this one has not, whether or
        # not the writer found a copy to delete.
        removed=tuple(sorted(set(previous) - current)),
        unchanged=len(unchanged),
        first_build=not previous,
    )


def site_path(file: str, base_path: str = "/") -> str:
    """The URL path that serves an output file: ``a/index.html`` -> ``/a/``."""
    if file == "index.html":
        rel = ""
    elif file.endswith("/index.html"):
        rel = file[: -len("index.html")]
    else:
        rel = file
    return base_path + rel


def changes_document(changes: Changes, config: Config) -> bytes:
    """The JSON text of the deploy manifest (see the module docstring): the bytes of
    ``json.dumps(document, indent=1, ensure_ascii=False)`` and a newline, the three
    lists spelt out here: on a first build of 100,000 articles they list 155,000
    files, and as dicts for ``json`` (whose pure-Python encoder ``indent`` selects)
    they took 1 s and added 160 MB to the build's peak memory."""
    head = {
        "generator": "newsgen",
        "format": 1,
        "base_url": config.base_url,
        "first_build": changes.first_build,
        "counts": {
            "added": len(changes.added),
            "changed": len(changes.changed),
            "removed": len(changes.removed),
            "unchanged": changes.unchanged,
        },
    }
    text = json.dumps(head, indent=1, ensure_ascii=False)
    pieces = [text[: -len("\n}")].encode("utf-8")]
    for name, files in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
        pieces.append(f',\n "{name}": '.encode())
        pieces.extend(_entries(files, config) if files else [b"[]"])
    pieces.append(b"\n}\n")
    return b"".join(pieces)


def _entries(files: tuple[str, ...], config: Config) -> Iterator[bytes]:
    """A non-empty list of :func:`changes_document` as ``json.dumps`` writes it at depth 1."""
    quote = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
    base_path = config.base_path

    def entry(f: str) -> str:
        path = site_path(f, base_path)
        url = config.absolute_url(path[len(base_path) :])
        return f'  {{\n   "file": {quote(f)},\n   "path": {quote(path)},\n   "url": {quote(url)}\n  }}'

    yield b"[\n"
    yield from row_pieces(map(entry, files), ",\n")
    yield b"\n ]"


class DeployManifest:
    """A ``finish`` hook for :func:`newsgen.publish.write.write_output`:
    when called, classifies the write and returns the deploy manifest as one
    more file of the publication, so it is published (or not) atomically with
    the pages it describes. Afterwards :attr:`changes` holds what it lists."""

    def __init__(self, previous: Mapping[str, str], config: Config):
        self.previous, self.config = previous, config
        self.changes: Changes | None = None

    def __call__(self, result: WriteResult) -> list[tuple[str, bytes]]:
        self.changes = compute_changes(self.previous, result)
        return [(CHANGES_FILE, changes_document(self.changes, self.config))]
