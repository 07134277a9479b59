"""Keys that decide whether the cache's entries still hold: the engine key
(newsgen's own code and the libraries that shape output), the config key, and
the templates key.

Every cache entry's key includes the engine key, so a cache never survives a
change to any module of newsgen (the whole package is hashed, recursively),
to Python, Python-Markdown or Jinja.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgen.config import Config
from newsgen.core.digests import digest
from newsgen.incremental.fingerprint import Fingerprinter

#: Bump when the cache's schema or a record layout changes.
FORMAT = 7

#: Config settings the loader never reads; changing them does not invalidate
#: loaded articles (Markdown bodies are reused whatever the config).
RENDER_ONLY_SETTINGS = (
    "images",
    "title",
    "description",
    "base_url",
    "language",
    "per_page",
    "more_stories",
    "feed_entries",
    "extra",
)


@functools.cache
def engine_key() -> str:
    """Changes whenever newsgen's code or a library that shapes output changes
    (computed once per process)."""
    from newsgen import __version__

    parts: list[bytes | str] = [
        f"format {FORMAT}",
        f"newsgen {__version__}",
        f"python {sys.version_info[:3]}",
        *(f"{name} {version}" for name, version in library_versions()),
    ]
    for name, path in package_modules():
        parts += [name, path.read_bytes()]
    return digest(*parts)


#: The libraries whose version shapes the output, and the file of each that states it.
LIBRARIES = (("markdown", "__meta__.py"), ("jinja2", "__init__.py"))


def library_versions() -> list[tuple[str, str]]:
    """``(name, version)`` of each of :data:`LIBRARIES`. The version is read from the file that
    states it (a digest of its text), not by importing the library: a build that changed
    nothing stops before Markdown or Jinja is needed, and importing them would be a fifth
    of its time. A library laid out otherwise is imported for its ``__version__``."""
    found = []
    for name, stated_in in LIBRARIES:
        spec = importlib.util.find_spec(name)
        folders = spec.submodule_search_locations if spec is not None else None
        try:
            text = (Path(next(iter(folders))) / stated_in).read_bytes() if folders else None
        except OSError:
            text = None
        if text is not None and b"version" in text:
            found.append((name, "file " + digest(text)))
        else:
            found.append((name, str(importlib.import_module(name).__version__)))
    return found


def package_modules() -> list[tuple[str, Path]]:
    """Every module of newsgen, in every subpackage, by its path in the package."""
    package = Path(__file__).parents[1]
    return [(p.relative_to(package).as_posix(), p) for p in sorted(package.rglob("*.py"))]


def config_key(config: Config, *, loader_only: bool) -> str:
    """Digest of the config; ``loader_only`` leaves out :data:`RENDER_ONLY_SETTINGS`
    and the output folder, which cannot change what the loader makes of a file."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(config):
        if loader_only and f.name in RENDER_ONLY_SETTINGS:
            continue
        v = getattr(config, f.name)
        if f.name == "paths" and loader_only:
            v = dataclasses.replace(v, output=Path("/"))
        values[f.name] = v
    return digest(engine_key(), Fingerprinter().digest(values))


def files_under(folders: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """Every file under each folder (missing ones skipped), in a stable order, as
    ``("i:relative/path", path)`` where ``i`` is the folder's position."""
    for i, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                yield f"{i}:{Path(os.path.relpath(path, folder)).as_posix()}", path


def templates_key(folders: Iterable[Path]) -> str:
    """Digest of every file under the template folders (names and bytes)."""
    parts: list[bytes | str] = []
    for name, path in files_under(folders):
        parts += [name, Path(path).read_bytes()]
    return digest(*parts)
