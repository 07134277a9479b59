"""The check stage: each source's cache key (:func:`source_keys`), from its bytes or, when
the file is as the last build saw it, from what that build recorded.

Apart from :mod:`newsgen.incremental.load` because a build that changed nothing stops
after this stage (:mod:`newsgen.incremental.stamp`), and the load stage's modules bring
Markdown with them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from newsgen.config import Config
from newsgen.content.sources import Source, read_source
from newsgen.core.digests import digest
from newsgen.core.parallel import ordered_map
from newsgen.errors import ContentError
from newsgen.incremental.keys import config_key
from newsgen.incremental.store import BuildCache

#: A file changed less than this long before it was looked at may change
#: again within the same timestamp tick: its stat signature is not trusted
#: next time (its bytes are read and hashed), as git does for "racily clean" files.
RACY_NS = 2_000_000_000


def _signature(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


#: Sources that must be read and hashed before the reading is shared with worker processes
#: (a cold build's check stage read and hashed 100,000 sources in 10.8 s on one core).
MIN_PARALLEL_HASHES = 256


def _looked(part: Source, config: Config, stored: dict) -> tuple[str, int, str | None] | None:
    """``(stat signature, newest of its change times, recorded digest or None)`` of one file;
    None when it cannot be read or is too big (it is loaded, and the loader reports it)."""
    try:
        st = os.stat(str(part.path))
    except OSError:
        return None
    if st.st_size > config.max_file_size:
        return None
    sig = _signature(st)
    hit = stored.get(str(part.path))
    return sig, max(st.st_mtime_ns, st.st_ctime_ns), hit[1] if hit is not None and hit[0] == sig else None


def _assets_signature(source: Source, now: int) -> str | None:
    """The names and ``stat`` signatures of a story folder's assets (:attr:`Source.assets`);
    None when one cannot be read or changed less than :data:`RACY_NS` ago (its signature might
    not show a second change within the same tick: the key is not trusted, as for a static file).
    Their bytes are not read: the photos stage keys its work by them."""
    parts = []
    for path in source.assets:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if now - max(st.st_mtime_ns, st.st_ctime_ns) <= RACY_NS:
            return None
        parts.append(f"{path.relative_to(source.path.parent).as_posix()}\x00{_signature(st)}")
    return "\x00".join(parts)


@dataclass
class _HashWork:
    parts: Sequence[Source]
    limit: int


def _hash_one(work: _HashWork, i: int) -> str | None:
    """The digest of the bytes of ``work.parts[i]``: read bounded, never blocking on a FIFO."""
    try:
        return digest(read_source(work.parts[i], work.limit))
    except (OSError, ContentError):
        return None


def source_keys(
    sources: Sequence[Source], config: Config, cache: BuildCache, jobs: int = 1
) -> list[str | None]:
    """The cache key of each source: its bytes, path and the loader's settings
    (a live story's: those of its update files too; a story folder's: its assets' names and
    ``stat`` signatures).

    A file whose size, times, inode and device are those recorded by the
    last build is not read again: its recorded digest is used. Otherwise it
    is read and hashed, on ``jobs`` processes when there are many such files
    (a first build reads them all). None for a file that cannot be read or is
    too big (it is loaded, and the loader reports the problem). A file that
    changed less than :data:`RACY_NS` before now is not noted for next time."""
    config_digest = config_key(config, loader_only=True)
    stored = cache.files()
    now = time.time_ns()
    # every file of every source: a live story's index and each of its update files
    parts = [part for source in sources for part in (source, *source.updates)]
    looked = [_looked(part, config, stored) for part in parts]
    todo = [j for j, found in enumerate(looked) if found is not None and found[2] is None]
    work = _HashWork([parts[j] for j in todo], config.max_file_size)
    hashed = ordered_map(_hash_one, work, len(todo), jobs, min_parallel=MIN_PARALLEL_HASHES)
    for j, content in zip(todo, hashed, strict=True):
        found = looked[j]
        assert found is not None
        looked[j] = None if content is None else (found[0], found[1], content)
    seen: dict[str, tuple[str, str]] = {}
    keys: list[str | None] = []
    first = 0
    for source in sources:
        contents: list[str] = []
        for k, part in enumerate((source, *source.updates)):
            found = looked[first + k]
            if found is None:
                break
            sig, changed, content = found
            assert content is not None
            if now - changed > RACY_NS:
                seen[str(part.path)] = (sig, content)
            contents.append(content if part is source else f"{part.display}\x00{content}")
        first += 1 + len(source.updates)
        complete = len(contents) == 1 + len(source.updates)
        if complete and source.assets:  # (a source without assets keeps the key it always had)
            assets = _assets_signature(source, now)
            complete = assets is not None
            contents.append(f"assets\x00{assets}")
        if not complete:
            keys.append(None)
            continue
        keys.append(digest(config_digest, source.display, str(source.path), source.kind, *contents))
    cache.new_files = seen
    return keys
