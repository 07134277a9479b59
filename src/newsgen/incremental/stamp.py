"""The build stamp: recognising a rebuild in which nothing changed.

After every successful build with the cache on, newsgen records in the cache
a *stamp*: a digest of everything the output depends on, the build's "now",
the first moment after it at which the same inputs would give other output,
and the list of files it published (path, SHA-256, size) with what the
summary needs.

The next build computes the same digest right after finding the source
files (reading only files whose size, times or inode changed; see
``newsgen.incremental.load``). When it matches, "now" lies in the recorded
window, the output folder still holds exactly the recorded files (same
manifest; every file there with its size), the build skips loading,
grouping, planning and rendering: it publishes the recorded files as they
are, through the writer (so the deploy manifest says that nothing changed),
and reports the recorded warnings and counts. Any difference, however
small, and the build runs in full as usual; the stamp is only ever a
shortcut to the result a full build would have, never a different result.

What the digest covers: newsgen's own code and the libraries that shape
output (the cache's engine key), the whole configuration (every setting,
the output folder and base URL included), every template (names and bytes),
the static files' names, sizes and times (a file changed in the last two
seconds disables the stamp: its time may not show a second change), the
``authors.yaml`` bytes, every source file's path and bytes, every site
page's path and bytes (``pages/``), and the
``--drafts`` and ``--strict`` options.

Time: the published site depends on "now" through the stories' dates,
embargoes and expiry times, live updates' times and ends of live coverage
(``Site.upcoming``) and the two-day window of the
Google News sitemap. The stamp is valid from its build's "now" (a build as
of an earlier time runs in full) until the earliest of the next scheduled
change and the moment the oldest story in the news window leaves it.

Builds with ``search: true`` always run in full (the index comes from a
separate program whose version newsgen does not track).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsgen.config import Config
from newsgen.content.sources import discover_pages
from newsgen.core.digests import digest, sha256
from newsgen.core.paths import plain_file
from newsgen.errors import Diagnostic
from newsgen.incremental.codec import RefusedRecord, decode, encode
from newsgen.incremental.keys import config_key, engine_key, files_under, templates_key
from newsgen.incremental.store import BuildCache
from newsgen.model import Site
from newsgen.payloads import FileData, Linked, Spooled, Unchanged
from newsgen.publish.deploy_manifest import CHANGES_FILE

#: Static files changed more recently than this disable the stamp (see the module docstring).
RACY_SECONDS = 2.0


@dataclass(frozen=True)
class Stamp:
    """What the cache remembers of the last successful build."""

    key: str
    now: datetime
    until: datetime | None  # None: no time-dependent change ahead
    files: tuple[tuple[str, str, int], ...]  # (path, SHA-256, size), in publishing order
    articles: int
    pages_by_kind: Mapping[str, int]
    warnings: tuple[Diagnostic, ...]
    next_change: datetime | None
    next_change_line: str

    def to_text(self) -> str:
        """The stamp as the cache stores it: a line of JSON, then the files as one text of
        ``path NUL digest NUL size`` fields (:data:`FIELD`): an output path never holds a NUL
        (:func:`~newsgen.core.paths.valid_rel`), and a one-article edit at 10,000 stories
        saved 15,500 rows, which as JSON lists took 11 ms to write against 3 ms as this text.
        Raises ValueError for a path that holds a NUL (no stamp is saved then)."""
        head = json.dumps(
            {
                "stamp": encode(
                    {
                        "key": self.key,
                        "now": self.now,
                        "until": self.until,
                        "articles": self.articles,
                        "pages_by_kind": dict(self.pages_by_kind),
                        "warnings": list(self.warnings),
                        "next_change": self.next_change,
                        "next_change_line": self.next_change_line,
                    }
                ),
            },
            ensure_ascii=False,
        )
        files = FIELD.join([f"{p}{FIELD}{h}{FIELD}{n}" for p, h, n in self.files])
        if self.files and files.count(FIELD) != 3 * len(self.files) - 1:
            raise ValueError("an output path holds a NUL")
        return f"{head}\n{files}"

    @classmethod
    def from_text(cls, text: str) -> Stamp:
        """The inverse of :meth:`to_text`; ValueError, KeyError or TypeError for a damaged text."""
        head, _, listed = text.partition("\n")  # a JSON line holds no line break
        d = decode(json.loads(head)["stamp"])
        fields = listed.split(FIELD) if listed else []
        if len(fields) % 3:
            raise ValueError("a stamp's files are not whole")
        files = tuple(zip(fields[0::3], fields[1::3], map(int, fields[2::3]), strict=True))
        return cls(
            key=d["key"],
            now=d["now"],
            until=d["until"],
            files=files,
            articles=int(d["articles"]),
            pages_by_kind=dict(d["pages_by_kind"]),
            warnings=tuple(d["warnings"]),
            next_change=d["next_change"],
            next_change_line=str(d["next_change_line"]),
        )


#: What separates the fields of a stamp's files (:meth:`Stamp.to_text`).
FIELD = "\x00"


def template_folders(config: Config, theme_templates: Path) -> list[Path]:
    """The template folders in the order the renderer searches them."""
    folders = [theme_templates]
    t = config.paths.templates
    if t.is_dir() and t.resolve() != theme_templates.resolve():
        folders.insert(0, t)
    return folders


def _static_files(roots: Iterable[Path]) -> Iterator[tuple[str, os.stat_result]]:
    for name, path in files_under(roots):
        yield name, os.lstat(path)


def inputs_key(
    config: Config, source_keys: Sequence[str | None], *, theme: Path, drafts: bool, strict: bool
) -> str | None:
    """The digest of everything the output depends on but "now"; None when it
    cannot be trusted (a source could not be read, a static file just changed)."""
    if config.search or any(k is None for k in source_keys):
        return None
    parts: list[str | bytes] = [
        engine_key(),
        config_key(config, loader_only=False),
        templates_key(template_folders(config, theme / "templates")),
        f"drafts={drafts} strict={strict}",
    ]
    recent = time.time() - RACY_SECONDS
    for name, st in _static_files((config.paths.static, theme / "static")):
        if max(st.st_mtime, st.st_ctime) > recent:
            return None
        parts.append(f"{name}:{st.st_mode}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
    authors = config.paths.site / "authors.yaml"
    parts.append(digest(authors.read_bytes()) if authors.is_file() else "no authors.yaml")
    parts += [k for k in source_keys if k is not None]
    for page in discover_pages(config):  # a few small files: read every time
        try:
            parts += [page.display, digest(page.path.read_bytes())]
        except OSError:
            return None
    return digest(*parts)


def valid_until(site: Site) -> datetime | None:
    """The first moment after ``site.now`` at which the same inputs would give other output."""
    from newsgen.outputs.sitemaps import news_window_changes  # a full build's: the feeds and Markdown

    times = [site.next_change.when] if site.next_change else []
    if site.config.news_sitemap.enabled:
        leaves = news_window_changes([a for a in site.articles if not a.draft], site.now)
        if leaves is not None:
            times.append(leaves)
    return min(times) if times else None


def still_valid(
    stamp: Stamp, key: str | None, now: datetime, out: Path, previous: Mapping[str, str]
) -> list[os.stat_result] | None:
    """Would a full build as of ``now`` publish exactly the stamp's files? If so, the ``lstat``
    of each (in the stamp's order), each found a regular file of its size in real folders
    (:func:`~newsgen.core.paths.plain_file`); else None."""
    if key is None or stamp.key != key or now < stamp.now or (stamp.until is not None and now >= stamp.until):
        return None
    published = {k: v for k, v in previous.items() if k != CHANGES_FILE}
    if len(published) != len(stamp.files) or any(published.get(p) != h for p, h, _ in stamp.files):
        return None
    known: set[str] = set()  # folders found real, each checked once
    found = []
    for path, _, size in stamp.files:
        st = plain_file(out, path, size, known)
        if st is None:
            return None
        found.append(st)
    return found


def unchanged_files(
    stamp: Stamp, found: Sequence[os.stat_result] | None = None
) -> list[tuple[str, Unchanged]]:
    """The stamp's files, to publish as they are; with ``found``, the ``lstat`` of each that
    :func:`still_valid` gave (the writer then does not look at them again)."""
    if found is None:
        return [(path, Unchanged(h, size)) for path, h, size in stamp.files]
    return [(path, Unchanged(h, size, st)) for (path, h, size), st in zip(stamp.files, found, strict=True)]


class Recorder:
    """Wraps the files a build publishes, noting each one's path, digest and size."""

    def __init__(self, files: Iterable[tuple[str, FileData]]):
        self.files = files
        self.seen: list[tuple[str, str, int]] = []

    def __iter__(self) -> Iterator[tuple[str, FileData]]:
        for rel, data in self.files:
            if isinstance(data, (Spooled, Unchanged, Linked)):
                self.seen.append((rel, data.digest, data.size))
            else:
                self.seen.append((rel, sha256(data), len(data)))
            yield rel, data


def load(cache: BuildCache, key: str) -> Stamp | None:
    """The last build's stamp, if its inputs digest is ``key``."""
    if cache.meta("stamp-key") != key:
        return None
    text = cache.meta("stamp")
    if text is None:
        return None
    try:
        return Stamp.from_text(text)
    except RefusedRecord as exc:
        cache.refused(exc)
        return None
    except (ValueError, KeyError, TypeError, AttributeError, LookupError):
        return None  # damaged or foreign: the build runs in full


def save(cache: BuildCache, stamp: Stamp | None) -> None:
    cache.set_meta("stamp-key", None)
    try:
        text = stamp.to_text() if stamp is not None else None
    except ValueError:
        stamp = text = None
    cache.set_meta("stamp", text)
    if stamp is not None:
        cache.set_meta("stamp-key", stamp.key)
