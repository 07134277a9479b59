"""How a file's bytes reach the writer (:mod:`newsgen.publish`) when they are not
given as ``bytes``: the stand-ins that let a build publish a page without holding it.

* :class:`Unchanged`: the output folder already holds these bytes; the file is kept.
* :class:`Spooled`: they wait in a file of this build's spool folder, which is moved into place.
* :class:`Linked`: they are in a file newsgen keeps (a photo's derivative in the build
  cache), which is hard-linked into place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from newsgen.core.quickinit import quick_init


@quick_init
@dataclass(frozen=True)
class Unchanged:
    """Passed instead of a file's bytes when the caller knows the output file already holds them
    (same SHA-256 and size; ``found``: its ``lstat``, checked as the writer would): it is kept."""

    digest: str
    size: int
    found: os.stat_result | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Spooled:
    """Passed instead of a file's bytes when they are already in the file
    ``path``, which newsgen made for this build and may move (``digest`` is
    their SHA-256): it is moved into the staging folder, not copied. ``path`` is a plain
    string: one is made for every page a build renders."""

    path: str
    digest: str
    size: int

    def read(self) -> bytes:
        with open(self.path, "rb") as f:
            return f.read()


@dataclass(frozen=True)
class Linked:
    """Passed instead of a file's bytes when they are in the file ``path``,
    which newsgen keeps and does not change (a photo's derivative in the build
    cache; ``digest`` is their SHA-256): it is hard-linked into the staging
    folder (copied only across file systems), never moved or rewritten."""

    path: Path
    digest: str
    size: int

    def read(self) -> bytes:
        return self.path.read_bytes()


#: What an output file is given as: its bytes, or one of the stand-ins above.
FileData = bytes | Spooled | Unchanged | Linked
