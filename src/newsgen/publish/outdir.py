"""The output folder: which folders may receive it, and what newsgen owns in it
(the output manifest).

Which folders may receive the output
------------------------------------
:func:`check_output_dir` refuses ``/``, your home folder, the current folder,
the site folder, a source folder (articles, seeds, templates, static), any
ancestor of one of these (``..``), and any folder inside a source folder. It
compares *resolved* paths, so a symbolic link to one of these is refused too.

What newsgen owns
-----------------
newsgen keeps an *output manifest*, ``.newsgen-manifest.json``, listing every
file it wrote with its SHA-256 (:func:`read_manifest`, :func:`manifest_bytes`;
not to be confused with the *deploy manifest*, ``.newsgen-changes.json``, of
:mod:`newsgen.publish.deploy_manifest`). It only ever removes files listed in the previous
build's manifest. Everything else in the output folder is *foreign* (``.git/``,
``CNAME``, your notes) and survives every build. A non-empty output folder
without a manifest was not made by newsgen and is refused unless ``--force``;
even then nothing in it is removed. The one thing ``--force`` allows is that a
foreign file at a path the site itself produces (say an old ``index.html``) is
replaced by the site's file.

Paths
-----
Every output path is checked by :func:`newsgen.core.paths.check_rel`:
relative, ``/``-separated, no empty, ``.`` or ``..`` parts, no ``\\`` or NUL.
Then every folder on the way from the staging (or output) folder to the file
must be a real folder, not a symbolic link, which is how its resolved path is
known to lie inside: the check is made on the file system, component by
component, never by comparing strings (:mod:`newsgen.core.paths`).

Where newsgen writes: inside the output folder, and beside it in folders whose
names start with ``.<output name>.newsgen-`` (the staging folder and the
temporary builds of ``--verify``, gone when the build ends); the names are
defined here. The spare of :mod:`newsgen.publish.spare` is kept in the build
cache folder, not beside the output.

Publishing into the folder is the work of the rest of :mod:`newsgen.publish`
(:func:`newsgen.publish.write.write_output`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from newsgen.config import Config
from newsgen.core.fsops import row_pieces
from newsgen.core.paths import is_within, resolved
from newsgen.errors import BuildError

MANIFEST = ".newsgen-manifest.json"
#: Marker file inside a staging folder that was never published.
STAGING_MARK = ".newsgen-staging"
#: Name prefix of staging folders inside the output folder (in-place mode).
INNER_PREFIX = ".newsgen-staging-"


def outer_prefix(out: Path) -> str:
    """Name prefix of newsgen's folders beside ``out`` (staging, old trees, --verify)."""
    return f".{out.name}.newsgen-"


def old_spare_path(out: Path) -> Path:
    """Where earlier versions of newsgen kept the previous site's pages: beside ``out``.
    They are kept in the build cache now (:mod:`newsgen.publish.spare`); one found
    here is moved there or retired."""
    return out.parent / f"{outer_prefix(out)}spare"


def check_output_dir(config: Config) -> Path:
    """The resolved output folder, or a BuildError saying why it is refused."""
    p = config.paths
    shown = str(config.paths.output)
    out = resolved(config.paths.output)
    if out is None:
        raise BuildError(
            f"output folder {shown} is a symbolic link whose links go round in a loop; "
            "remove the link or choose another folder"
        )
    protected = {
        "the file system root": Path("/").resolve(),
        "your home folder": _real(Path.home()),
        "the site folder": _real(p.site),
    }
    try:
        protected["the current folder"] = Path.cwd().resolve()
    except OSError:  # the current folder was deleted: nothing to protect there
        pass
    sources = {  # a source folder whose links loop is reported by the discovery, before anything is built
        "the articles folder": _real(p.articles),
        "the seeds folder": _real(p.seeds),
        "the templates folder": _real(p.templates),
        "the static folder": _real(p.static),
    }
    hint = "choose a folder such as public/ inside the site folder"
    for label, folder in {**protected, **sources}.items():
        if out == folder:
            raise BuildError(f"refusing to write output to {shown}: it is {label}; {hint}")
        if is_within(folder, out):
            raise BuildError(f"refusing to write output to {shown}: it contains {label}; {hint}")
    for label, folder in sources.items():
        if is_within(out, folder):
            raise BuildError(f"refusing to write output to {shown}: it is inside {label}; {hint}")
    if out.exists() and not out.is_dir():
        raise BuildError(f"output path {shown} exists and is not a folder")
    return out


def _real(path: Path) -> Path:
    """``path`` resolved; as given (made absolute) when its symbolic links loop."""
    return resolved(path) or path.absolute()


def read_manifest(out: Path) -> dict[str, str] | None:
    """The previous build's files and their SHA-256, or None when there is none."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    files = manifest_files(path)
    if files is None:
        raise BuildError(
            f"{path}: the build manifest is damaged; remove the output folder's contents or run with --force"
        )
    return files


def manifest_files(path: Path) -> dict[str, str] | None:
    """The files a manifest at ``path`` lists with their SHA-256, or None when it cannot be read.

    A build reads the output's manifest before it builds, and the same file again when it
    disposes of the old tree after publishing (:mod:`newsgen.publish.retire`): 20 MB of JSON
    at 100,000 articles. The last manifest read is remembered with its file's identity (device,
    inode, size, modification and change times), and a file of that identity is not parsed
    again (unless it changed within :data:`RACY_MANIFEST_NS` of being read: a change in the
    same clock tick could leave the times as they were)."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            known = _LAST_MANIFESTS.get(identity)
            if known is not None:
                return dict(known)
            data = json.loads(f.read().decode("utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            return None
        if not set(map(type, files.values())) <= {str}:  # as newsgen writes it (keys are always strings)
            files = {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, TypeError, OSError, UnicodeDecodeError):
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_MANIFEST_NS:
        while len(_LAST_MANIFESTS) >= 2:  # the output's and the spare's
            del _LAST_MANIFESTS[next(iter(_LAST_MANIFESTS))]
        _LAST_MANIFESTS[identity] = dict(files)
    return files


#: A manifest changed less than this before it was read is not remembered (:func:`manifest_files`).
RACY_MANIFEST_NS = 2_000_000_000

#: The last two manifests :func:`manifest_files` read (a build reads the output's and the spare's),
#: by their files' identity.
_LAST_MANIFESTS: dict[tuple[int, int, int, int, int], dict[str, str]] = {}


def is_ours(name: str, out: Path | None = None) -> bool:
    """Names of newsgen's own temporary folders (never foreign content)."""
    return name.startswith(INNER_PREFIX) or (out is not None and name.startswith(outer_prefix(out)))


def prepare_output(config: Config, force: bool = False) -> tuple[Path, dict[str, str]]:
    """Check the output folder and read its manifest, before anything is built."""
    out = check_output_dir(config)
    manifest = read_manifest(out) if out.exists() else None
    if manifest is None:
        if out.exists() and not force and any(not is_ours(e.name) for e in os.scandir(out)):
            raise BuildError(
                f"output folder {config.paths.output} is not empty and was not written by newsgen "
                "(no .newsgen-manifest.json); choose an empty folder, or use --force to build into it "
                "(nothing already there is deleted)"
            )
        manifest = {}
    return out, manifest


def manifest_bytes(files: dict[str, str]) -> bytes:
    """The manifest listing ``files`` (path -> SHA-256), as newsgen writes it: the bytes of
    ``json.dumps({"generator": "newsgen", "files": files}, indent=1, sort_keys=True)`` and a
    newline, spelt out here because ``indent`` makes ``json`` use its slow pure-Python
    encoder (15,000 files at 10,000 articles)."""
    return b"".join(manifest_pieces(files))


def manifest_pieces(files: dict[str, str]) -> Iterator[bytes]:
    """:func:`manifest_bytes` in pieces (:func:`~newsgen.core.fsops.row_pieces`), for
    :func:`~newsgen.core.fsops.write_new`: the manifest of a 100,000-article site is 20 MB,
    which whole (as rows, text and bytes) would add 80 MB to the peak memory of the build."""
    if not files:
        yield b'{\n "files": {},\n "generator": "newsgen"\n}\n'
        return
    quote = json.encoder.encode_basestring_ascii  # what json.dumps uses (ensure_ascii)
    yield b'{\n "files": {\n'
    yield from row_pieces((f"  {quote(k)}: {quote(files[k])}" for k in sorted(files)), ",\n")
    yield b'\n },\n "generator": "newsgen"\n}\n'
