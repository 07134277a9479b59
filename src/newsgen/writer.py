"""Writing the output folder safely.

Rules:

* The output folder may not be ``/``, the home folder, the site folder, a
  source folder (articles, seeds, templates, static), an ancestor of any of
  them, or a folder inside a source folder (checked on resolved paths, so a
  symlink to one of these is refused too).
* newsgen keeps a manifest, ``.newsgen-manifest.json``, of the files it wrote.
  It only ever deletes files listed in the previous manifest; anything else in
  the output folder (``.git/``, ``CNAME``, your notes) survives.
* A non-empty output folder without a manifest was not made by newsgen: it is
  refused unless ``--force`` (and even then nothing in it is deleted).
* A file whose bytes did not change is not rewritten, so its mtime stays and
  sync-based deploys upload only what changed. Each written file is replaced
  atomically (temporary file + rename), so a reader never sees half a page.
* Every path is checked to lie inside the output folder after resolving.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .config import Config
from .errors import BuildError

MANIFEST = ".newsgen-manifest.json"


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unchanged:
    """Passed instead of a file's bytes when the caller knows the output file
    already holds them (the previous build wrote bytes with this SHA-256 and
    size, and the file is still there): it is kept, not rewritten."""

    digest: str
    size: int


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def check_output_dir(config: Config) -> Path:
    """The resolved output folder, or a BuildError saying why it is refused."""
    out = config.paths.output.resolve()
    p = config.paths
    shown = str(config.paths.output)
    protected = {
        "the file system root": Path("/").resolve(),
        "your home folder": Path.home().resolve(),
        "the site folder": p.site.resolve(),
    }
    sources = {
        "the articles folder": p.articles.resolve(),
        "the seeds folder": p.seeds.resolve(),
        "the templates folder": p.templates.resolve(),
        "the static folder": p.static.resolve(),
    }
    for label, folder in {**protected, **sources}.items():
        if out == folder:
            raise BuildError(f"refusing to write output to {shown}: it is {label}; choose a folder such as public/")
        if _is_within(folder, out):
            raise BuildError(f"refusing to write output to {shown}: it contains {label}; "
                             "choose a folder such as public/")
    for label, folder in sources.items():
        if _is_within(out, folder):
            raise BuildError(f"refusing to write output to {shown}: it is inside {label}")
    if out.exists() and not out.is_dir():
        raise BuildError(f"output path {shown} exists and is not a folder")
    return out


def read_manifest(out: Path) -> dict[str, str] | None:
    """The previous build's files and their SHA-256, or None when there is none."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise ValueError
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, OSError, UnicodeDecodeError):
        raise BuildError(f"{path}: the build manifest is damaged; remove the output folder's contents "
                         "or run with --force") from None


def safe_target(out: Path, rel: str) -> Path:
    """``out / rel``, refusing anything that would land outside ``out``."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\x00" in rel:
        raise BuildError(f"unsafe output path {rel!r}")
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise BuildError(f"unsafe output path {rel!r}")
    target = out.joinpath(*parts)
    if not _is_within(target.parent.resolve(), out):
        raise BuildError(f"output path {rel!r} resolves outside the output folder")
    return target


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():
        target.unlink()
    fd, tmp = tempfile.mkstemp(prefix=".newsgen-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare_output(config: Config, force: bool = False) -> tuple[Path, dict[str, str]]:
    """Check the output folder and read its manifest, before anything is built."""
    out = check_output_dir(config)
    manifest = read_manifest(out) if out.exists() else None
    if manifest is None:
        if out.exists() and any(out.iterdir()) and not force:
            raise BuildError(
                f"output folder {config.paths.output} is not empty and was not written by newsgen "
                "(no .newsgen-manifest.json); choose an empty folder, or use --force to build into it "
                "(nothing already there is deleted)")
        manifest = {}
    return out, manifest


def write_output(out: Path, previous: dict[str, str],
                 files: Iterable[tuple[str, bytes | Unchanged]]) -> WriteResult:
    """Write ``files`` into ``out``; remove what the previous build wrote and this one did not.

    ``files`` may be a generator: each file is written as it arrives."""
    result = WriteResult()
    current: dict[str, str] = {}
    out.mkdir(parents=True, exist_ok=True)
    for rel, data in files:
        target = safe_target(out, rel)
        if isinstance(data, Unchanged):
            current[rel] = data.digest
            result.unchanged.append(rel)
            continue
        h = digest(data)
        current[rel] = h
        if previous.get(rel) == h and target.is_file() and not target.is_symlink() \
                and target.stat().st_size == len(data):
            result.unchanged.append(rel)
            continue
        _atomic_write(target, data)
        result.written.append(rel)
    for rel in sorted(set(previous) - set(current)):
        try:
            target = safe_target(out, rel)
        except BuildError:
            continue  # a tampered manifest never makes us delete outside the folder
        if target.is_file() or target.is_symlink():
            target.unlink()
            result.removed.append(rel)
            _prune_empty_dirs(target.parent, out)
    manifest = {"generator": "newsgen", "files": dict(sorted(current.items()))}
    _atomic_write(out / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    return result


def _prune_empty_dirs(folder: Path, out: Path) -> None:
    while folder != out and _is_within(folder, out):
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent
