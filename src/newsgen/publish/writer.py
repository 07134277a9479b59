"""Publishing a build into the output folder atomically.

Which folders may receive the output, and which files in it are newsgen's (the
manifest), is :mod:`newsgen.publish.outdir`; the path checks are
:mod:`newsgen.core.paths`; the low-level file operations are
:mod:`newsgen.core.fsops`.

Atomic publish ("swap" mode, the normal case)
---------------------------------------------
1. Every page is written into a *staging* folder beside the output folder
   (``.public.newsgen-XXXXXXXX`` next to ``public``), on the same file system.
   A page whose bytes did not change since the last build is hard-linked from
   the current output instead of rewritten, so it keeps its inode and its
   modification time (sync-based deploys upload only what changed).
2. When every page is written, foreign entries of the output folder are
   hard-linked into the staging folder at the same relative paths (folders are
   recreated with the same permissions, symbolic links are linked as links and
   never followed), and the new manifest is written.
3. The staging folder and the output folder are exchanged with one atomic
   system call (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np`` on
   macOS). Before this instant the output folder has not been touched; after
   it, the output folder is the complete new site.
4. The old tree, now at the staging name, is *retired*: a file is deleted only
   when the old manifest lists it, or when it is the same file (same inode) as
   the entry at that path in the new output, or when the new site replaced it;
   anything else (a foreign file created while the build ran) is moved back
   into the output folder. If something cannot be put back, the old tree is
   kept and a warning names it.

The spare. Creating and deleting a folder per page on every build would make
a rebuild of a large site slow, so step 4 keeps the files the old manifest
lists (and removes everything else, as above) and renames the old tree to
``.public.newsgen-spare``. The next build takes the spare as its staging
folder: folders are reused, a page that is the same file as the live one
costs one ``lstat``, a changed page is rewritten, and pages the spare has but
the new site lacks are deleted before the exchange. The spare only ever holds
newsgen's own pages and its manifest; it is deleted when newsgen has to
publish in place, and may be deleted by hand at any time. A first build of a
large site (:data:`SEED_SPARE_FILES`), which has no old tree, makes the spare
from hard links to the pages it published, so the next build need not.

An exception, Ctrl-C or ``kill -9`` at any moment therefore leaves either the
previous site or the new one, never a mix. Leftovers of an interrupted build
are cleaned up by the next build: a staging folder still carrying its marker
file ``.newsgen-staging`` was never published and is deleted (it holds only
newsgen's pages and hard links to files still in the output folder); an
unmarked one is an old tree and is retired as in step 4. A folder locked by a
running build (``flock``) is left alone. Durability across a power cut
(``fsync``) is not attempted.

In-place mode (fallback)
------------------------
A warning says when and why this mode is used. The exchange is impossible when the output folder is a mount point or on
another file system than its parent folder, when the parent folder is not
writable, when the platform or file system has no atomic exchange, or when a
foreign file cannot be hard-linked (another user's file under
``fs.protected_hardlinks``). newsgen then stages the new files in a hidden
folder *inside* the output folder (``.newsgen-staging-XXXXXXXX``), so nothing
visible changes until every page has been rendered and written. Only then are
the changed files moved into place one by one, each with an atomic rename
(a reader never sees half a page), and files the previous manifest lists but
the new site lacks are removed. Before the first move, the manifest is
rewritten to list the old and new files together (new ones marked
``pending``), so a build killed during this short phase leaves no file that
the next build would not own or would wrongly take as up to date; the next
build repairs the folder. The whole-site guarantee is weaker here: a crash in
the move phase can leave a mix of old and new pages.

Nothing changed
---------------
When the caller knows that every page is exactly the one already published
(the build stamp of :mod:`newsgen.incremental.stamp`), :func:`write_unchanged` checks
that each is still in place as the manifest says and replaces only the
small files that describe the build (the deploy manifest) and the manifest,
each atomically, in place: the pages are not touched, so no staging folder
is needed. If any check fails it does nothing and the caller publishes in
full.

"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsgen.core.digests import sha256 as digest
from newsgen.core.fsops import (
    load_exchange,
    lock_folder,
    lstat_mode,
    remove_tree,
    replace_file,
    same_file,
    same_inode,
    unlink_file,
    unlock_folder,
    write_new,
)
from newsgen.core.paths import check_rel, is_within, valid_rel
from newsgen.errors import BuildError, Diagnostic, Severity
from newsgen.model import Spooled, Unchanged
from newsgen.publish.outdir import (
    INNER_PREFIX,
    MANIFEST,
    STAGING_MARK,
    is_ours,
    manifest_bytes,
    manifest_files,
    outer_prefix,
    spare_path,
)


@dataclass
class WriteResult:
    """What a publish did. Paths are relative to the output folder.

    ``written``: new or changed files; ``unchanged``: identical bytes, left
    (or hard-linked) with their old modification time; ``removed``: files the
    previous build wrote that this one did not; ``mode``: ``"swap"``,
    ``"in-place"`` or ``"unchanged"`` (:func:`write_unchanged`); ``warnings``:
    problems that did not stop the build.
    """

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    mode: str = "swap"
    warnings: list[Diagnostic] = field(default_factory=list)


#: A first build of at least this many files leaves a spare (see "The spare").
SEED_SPARE_FILES = 1000

_exchange = load_exchange()


# --------------------------------------------------------------------------- retiring old trees


def _walk(root: Path):
    """Like ``os.walk(root, topdown=False)`` without following links, yielding
    ``(folder, path of the folder relative to root plus "/" or "", subfolders,
    other entries)``; links to folders are among the others. Paths are
    strings: this visits every file of the site."""
    pending: list[tuple[str, str, list[str], list[str]]] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        dirs = [e.name for e in entries if e.is_dir(follow_symlinks=False)]
        pending.append(
            (folder, prefix, dirs, [e.name for e in entries if not e.is_dir(follow_symlinks=False)])
        )
        stack.extend((f"{folder}/{d}", f"{prefix}{d}/") for d in dirs)
    yield from reversed(pending)  # children before their parents


def _retire(old: Path, out: Path, warnings: list[Diagnostic], *, keep_own: bool = False) -> bool:
    """Dispose of a tree that is no longer published (see the module docstring, step 4).

    With ``keep_own``, the files its manifest lists are kept, so that only
    newsgen's pages remain (a spare for the next build). Returns True when
    nothing else is left in it.
    """
    old_files = manifest_files(old / MANIFEST) or {}
    new_files = (manifest_files(out / MANIFEST) or {}) if out.is_dir() else {}
    kept = False
    holding: set[str] = set()  # folders that keep something, with their ancestors
    out_str = str(out)
    for here, prefix, dirnames, others in _walk(old):
        for name in others:
            src = f"{here}/{name}"
            rel = prefix + name
            if keep_own and (rel in old_files or rel == MANIFEST):
                holding.add(here)
                continue
            if (
                rel in old_files
                or rel in (MANIFEST, STAGING_MARK)
                or rel in new_files
                or same_file(src, f"{out_str}/{rel}")
            ):
                unlink_file(src)
            elif not _put_back(Path(src), out, rel):
                kept = True
                holding.add(here)
        for name in dirnames:
            sub = f"{here}/{name}"
            if sub in holding:
                holding.add(here)
                continue
            try:
                os.rmdir(sub)
            except OSError:
                holding.add(here)  # not empty: it holds something kept
    if keep_own:
        return not kept
    try:
        old.rmdir()
    except OSError:
        if kept:
            warnings.append(
                Diagnostic(
                    str(old),
                    None,
                    None,
                    "files that were added to the output folder during "
                    "the build could not be put back (the new site has something else at "
                    "their paths); they are kept here",
                    Severity.WARNING,
                )
            )
    return not kept


def _put_back(src: Path, out: Path, rel: str) -> bool:
    """Move a foreign file from an old tree into ``out``; False when its place is taken."""
    target = out
    parts = rel.split("/")
    for part in parts[:-1]:
        target = target / part
        if target.is_symlink() or (os.path.lexists(target) and not target.is_dir()):
            return False
        if not target.exists():
            try:
                target.mkdir()
            except OSError:
                return False
    target = target / parts[-1]
    if os.path.lexists(target):
        return False
    try:
        os.rename(src, target)
    except OSError:
        return False
    return True


def clean_leftovers(out: Path) -> list[Diagnostic]:
    """Remove or retire what interrupted builds left beside and inside ``out``.

    Returns warnings. Folders locked by a running build are skipped.
    """
    warnings: list[Diagnostic] = []
    candidates: list[Path] = []
    spare = spare_path(out)
    for folder, prefix in ((out.parent, outer_prefix(out)), (out, INNER_PREFIX)):
        try:
            with os.scandir(folder) as it:
                candidates += [
                    Path(e.path)
                    for e in it
                    if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False) and Path(e.path) != spare
                ]
        except OSError:
            continue
    for path in sorted(candidates):
        fd = lock_folder(path)
        if fd is None:
            continue
        try:
            if (path / STAGING_MARK).is_file():
                remove_tree(path)
            else:
                _retire(path, out, warnings)
        finally:
            unlock_folder(fd)
    return warnings


# --------------------------------------------------------------------------- the publication


class _SwapImpossible(Exception):
    """The atomic exchange cannot be used; publish in place instead (the message says why)."""


class Publication:
    """One build's output, staged in a folder of its own and published by :meth:`commit`.

    Use it as a context manager; leaving the block with an exception (or
    calling :meth:`abort`) leaves the output folder untouched::

        with Publication(out, previous) as pub:
            for rel, data in pages:
                pub.add(rel, data)
            result = pub.commit()

    :meth:`add` writes each file to disk at once, so callers may stream pages
    as they are rendered. ``in_place=True`` forces in-place mode.
    """

    def __init__(self, out: Path, previous: dict[str, str], *, in_place: bool = False):
        self.out = out
        self.previous = {r: h for r, h in previous.items() if valid_rel(r)}
        self.current: dict[str, str] = {}
        self.result = WriteResult()
        self._dirs: set[str] = set()  # folders of the site's own files, checked and present
        self._foreign_dirs: set[str] = set()  # folders recreated for foreign content
        self._inside_out: dict[str, bool] = {}  # folders of `out`: real folders, not links?
        self._spare_files: dict[str, str] | None = None  # set when a spare is recycled
        self._lock_fd: int | None = None
        self._done = False
        if not out.exists():
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BuildError(f"cannot create the output folder {out}: {exc.strerror}") from None
        self.result.warnings += clean_leftovers(out)
        self.mode = "swap"
        reason = "it was asked for" if in_place else self._cannot_swap()
        if reason:
            self._in_place(reason)
        self.staging = self._make_staging()

    # -- setup

    def _cannot_swap(self) -> str | None:
        """Why the output folder cannot be exchanged atomically, or None."""
        if _exchange is None:
            return "this platform has no atomic folder exchange"
        out, parent = self.out, self.out.parent
        try:
            if out.exists() and os.path.ismount(out):
                return "it is a mount point"
            if out.exists() and os.stat(out).st_dev != os.stat(parent).st_dev:
                return "it is on another file system than its parent folder"
        except OSError as exc:
            return f"it cannot be examined ({exc.strerror})"
        if not os.access(parent, os.W_OK):
            return "its parent folder is not writable"
        return None

    def _in_place(self, reason: str) -> None:
        self.mode = "in-place"
        self.result.warnings.append(
            Diagnostic(
                str(self.out),
                None,
                None,
                f"the output folder cannot be replaced atomically ({reason}); publishing "
                "in place, one file at a time, after the whole site was rendered",
                Severity.WARNING,
            )
        )

    def _make_staging(self) -> Path:
        if self.mode == "swap":
            try:
                return self._claim_spare() or self._new_folder(self.out.parent, outer_prefix(self.out))
            except OSError as exc:
                self._in_place(f"no staging folder can be created beside it: {exc.strerror}")
        remove_tree(spare_path(self.out))  # useless in place; it holds only newsgen's own pages
        try:
            self.out.mkdir(exist_ok=True)
            return self._new_folder(self.out, INNER_PREFIX)
        except OSError as exc:
            raise BuildError(f"cannot write to the output folder {self.out}: {exc.strerror}") from None

    def _fresh_name(self, parent: Path, prefix: str) -> Path:
        while True:
            path = parent / f"{prefix}{secrets.token_hex(4)}"
            if not os.path.lexists(path):
                return path

    def _claim_spare(self) -> Path | None:
        """Take the previous build's spare pages as the staging folder, if there are any."""
        spare = spare_path(self.out)
        if spare.is_symlink() or not spare.is_dir():
            return None
        path = self._fresh_name(self.out.parent, outer_prefix(self.out))
        try:
            os.rename(spare, path)  # atomic: of two builds, only one gets it
        except OSError:
            return None
        fd = lock_folder(path)
        try:
            _mark(path)
            files = manifest_files(path / MANIFEST)
            if fd is None or files is None:
                raise FileNotFoundError
            self._copy_folder_mode(path)
        except FileNotFoundError:
            unlock_folder(fd)
            remove_tree(path)
            return None
        except BaseException:
            unlock_folder(fd)
            remove_tree(path)
            raise
        self._lock_fd = fd
        self._spare_files = {r: h for r, h in files.items() if valid_rel(r)}
        return path

    def _new_folder(self, parent: Path, prefix: str) -> Path:
        """A new marked and locked staging folder in ``parent``."""
        while True:
            path = self._fresh_name(parent, prefix)
            try:
                path.mkdir()
            except FileExistsError:  # pragma: no cover - another build took the name
                continue
            fd = lock_folder(path)
            if fd is None:  # pragma: no cover - another build's clean-up took it first
                continue
            try:
                _mark(path)
                if parent != self.out and self.out.is_dir():
                    self._copy_folder_mode(path)
            except FileNotFoundError:  # pragma: no cover - removed by that clean-up
                unlock_folder(fd)
                continue
            except BaseException:
                unlock_folder(fd)
                remove_tree(path)
                raise
            self._lock_fd = fd
            return path

    def _copy_folder_mode(self, path: Path) -> None:
        """The published folder keeps the output folder's permissions and group (best effort)."""
        try:
            st = os.stat(self.out)
            os.chmod(path, stat.S_IMODE(st.st_mode))
            os.chown(path, -1, st.st_gid)
        except (OSError, AttributeError):
            pass

    @property
    def _staging_str(self) -> str:
        return str(self.staging)

    @property
    def _out_str(self) -> str:
        return str(self.out)

    # -- staging files

    def add(self, rel: str, data: bytes | Spooled | Unchanged) -> str:
        """Stage one output file; returns ``"written"`` or ``"unchanged"``.

        ``data`` may be :class:`Unchanged` when the caller knows the output
        folder already holds these bytes: the file is then kept (hard-linked
        into the staging folder) without its bytes ever being read; or
        :class:`Spooled` when they wait in a file of their own, which is then
        moved into the staging folder.
        """
        if self._done:
            raise BuildError("internal error: the output was already published")
        first = rel.split("/", maxsplit=1)[0]
        if rel in self.current or rel == MANIFEST or first == STAGING_MARK or is_ours(first, self.out):
            raise BuildError(f"output path {rel} is written twice or is reserved by newsgen")
        check_rel(rel)
        self._make_parents(rel)
        # Plain strings, not Paths: this runs once per file of the site.
        target = f"{self._staging_str}/{rel}"
        old = f"{self._out_str}/{rel}"
        if isinstance(data, Unchanged):
            h, size = data.digest, data.size
            kept = self._plain_file(old, rel, size) if self.previous.get(rel) == h else None
            if kept is None:
                raise BuildError(f"output file {rel} changed or disappeared during the build; build again")
        else:
            h, size = (data.digest, data.size) if isinstance(data, Spooled) else (digest(data), len(data))
            kept = self._plain_file(old, rel, size) if self.previous.get(rel) == h else None
        self.current[rel] = h
        try:
            if kept is not None:
                if self.mode == "swap" and not same_inode(kept, target):
                    self._clear(Path(target))
                    _link_or_copy(Path(old), Path(target), data)
                self.result.unchanged.append(rel)
                return "unchanged"
            target = Path(target)
            if self._spare_files is not None and os.path.lexists(target):
                self._clear(target)
            if isinstance(data, Spooled):
                _move_new(data, target)
            else:
                assert isinstance(data, bytes)
                write_new(target, data)
        except OSError as exc:
            raise BuildError(f"cannot write {rel}: {exc.strerror or exc}") from None
        self.result.written.append(rel)
        return "written"

    def _clear(self, path: Path) -> None:
        """Remove whatever a recycled spare has at ``path`` (only newsgen's old pages are there)."""
        if path.is_dir() and not path.is_symlink():
            remove_tree(path)
        elif os.path.lexists(path):
            path.unlink()

    def _make_parents(self, rel: str) -> None:
        """Create the folders of ``rel`` in the staging folder; each must be a real folder, so the
        file's resolved path lies inside the staging folder (no symbolic link on the way)."""
        if rel in self._dirs:
            raise BuildError(f"output path {rel} is a folder of other pages and cannot also be a file")
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d in self._dirs:
                continue
            if d in self.current:
                raise BuildError(f"output path {rel} needs a folder {d}, but {d} is also a file of the site")
            folder = f"{self._staging_str}/{d}"
            try:
                if self._spare_files is not None:  # a recycled spare: reuse its folders
                    mode = lstat_mode(folder)
                    if mode is not None and not stat.S_ISDIR(mode):
                        os.unlink(folder)  # an old page stands where a folder is needed now
                    if mode is None or not stat.S_ISDIR(mode):
                        os.mkdir(folder)
                    else:
                        self._dirs.add(d)  # a real folder (lstat does not follow links)
                        continue
                else:
                    os.mkdir(folder)
            except FileExistsError:
                pass  # checked below
            except OSError as exc:
                raise BuildError(f"cannot create folder {d} in the output: {exc.strerror}") from None
            mode = lstat_mode(folder)
            if mode is None or not stat.S_ISDIR(mode):  # a symbolic link: it could lead anywhere
                raise BuildError(f"output path {rel!r} resolves outside the output folder")
            self._dirs.add(d)

    def _is_plain_file(self, path: Path, size: int) -> bool:
        """A regular file of ``size`` bytes really inside the output folder (every folder on the
        way from the output folder is a real folder, not a symbolic link)."""
        rel = path.relative_to(self.out).as_posix()
        return self._plain_file(str(path), rel, size) is not None

    def _plain_file(self, path: str, rel: str, size: int) -> os.stat_result | None:
        """:meth:`_is_plain_file` for ``path`` (``out/rel``): its ``lstat``, or None."""
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size != size:
            return None
        return st if self._real_out_dir(rel.rpartition("/")[0]) else None

    def _real_out_dir(self, rel: str) -> bool:
        if rel in ("", "."):
            return True
        known = self._inside_out.get(rel)
        if known is None:
            parent = rel.rpartition("/")[0]
            mode = lstat_mode(f"{self._out_str}/{rel}")
            known = self._real_out_dir(parent) and mode is not None and stat.S_ISDIR(mode)
            self._inside_out[rel] = known
        return known

    # -- publishing

    def commit(self) -> WriteResult:
        """Publish the staged site; afterwards the output folder is the new site."""
        if self._done:
            raise BuildError("internal error: the output was already published")
        self.result.removed = sorted(
            r for r in set(self.previous) - set(self.current) if os.path.lexists(self.out / r)
        )
        try:
            self._drop_stale_spare_pages()
            replace_file(self.staging / MANIFEST, manifest_bytes(self.current))
        except OSError as exc:
            raise BuildError(f"cannot write the build manifest: {exc.strerror}") from None
        if self.mode == "swap":
            try:
                self._commit_swap()
            except _SwapImpossible as why:
                self._in_place(str(why))
                _mark(self.staging)
        if self.mode == "in-place":
            self._commit_in_place()
        self.result.mode = self.mode
        self._done = True
        return self.result

    def _drop_stale_spare_pages(self) -> None:
        """Remove the pages of a recycled spare that this build did not produce."""
        if self._spare_files is None:
            return
        for rel in sorted(set(self._spare_files) - set(self.current)):
            path = self.staging / rel
            if os.path.lexists(path) and (path.is_symlink() or not path.is_dir()):
                path.unlink()
                _prune_empty_dirs(path.parent, self.staging)

    def _commit_swap(self) -> None:
        out, staging = self.out, self.staging
        existed = out.exists()
        if existed:
            self._link_foreign()
        (staging / STAGING_MARK).unlink()
        try:
            if existed:
                _exchange(staging, out)  # type: ignore[misc]
            else:
                os.rename(staging, out)
        except OSError as exc:
            if exc.errno in _NO_EXCHANGE:
                raise _SwapImpossible(f"the exchange failed: {exc.strerror}") from None
            _mark(staging)
            raise BuildError(f"cannot publish the output folder {out}: {exc.strerror}") from None
        # `out` is now the new site; the staging path holds the old tree, if there was one.
        self._done = True
        unlock_folder(self._lock_fd)
        self._lock_fd = None
        if existed:
            self._keep_as_spare(staging)
        elif len(self.current) >= SEED_SPARE_FILES:
            self._seed_spare()

    def _seed_spare(self) -> None:
        """After a first publish there is no old tree to recycle: make the spare from
        hard links to the new pages, so the next build does not have to recreate
        every folder and link every page itself (best effort: without a spare the
        next build simply makes its staging folder from scratch)."""
        spare = spare_path(self.out)
        if os.path.lexists(spare):
            return
        try:
            path = self._new_folder(self.out.parent, outer_prefix(self.out))  # marked and locked
        except OSError:
            return
        try:
            made: set[str] = {""}
            base, new = str(self.out), str(path)
            for rel in sorted(self.current):
                folder = rel.rpartition("/")[0]
                if folder not in made:
                    os.makedirs(f"{new}/{folder}", exist_ok=True)
                    parts = folder.split("/")
                    made.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
                os.link(f"{base}/{rel}", f"{new}/{rel}", follow_symlinks=False)
            os.link(f"{base}/{MANIFEST}", f"{new}/{MANIFEST}", follow_symlinks=False)
            (path / STAGING_MARK).unlink()
            os.rename(path, spare)  # fails if another build made one meanwhile: fine
        except OSError:
            remove_tree(path)
        finally:
            unlock_folder(self._lock_fd)
            self._lock_fd = None

    def _keep_as_spare(self, old: Path) -> None:
        """Reduce the old tree to newsgen's own pages and keep it for the next build."""
        fd = lock_folder(old)
        if fd is None:  # pragma: no cover - another build is already retiring it
            return
        try:
            if _retire(old, self.out, self.result.warnings, keep_own=True):
                try:
                    os.rename(old, spare_path(self.out))
                    return
                except OSError:
                    pass  # a spare appeared meanwhile (another build): retire this one
            _retire(old, self.out, self.result.warnings)
        finally:
            unlock_folder(fd)

    def _link_foreign(self) -> None:
        """Hard-link every entry of ``out`` that newsgen does not own into the staging folder."""
        owned = set(self.previous) | {MANIFEST}
        owned_dirs = {"/".join(r.split("/")[:i]) for r in owned for i in range(1, r.count("/") + 1)}
        stack = [""]
        while stack:
            base = stack.pop()
            here = self.out / base if base else self.out
            prefix = base + "/" if base else ""
            try:
                with os.scandir(here) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                raise BuildError(f"cannot read the output folder {here}: {exc.strerror}") from None
            for entry in entries:
                name, rel = entry.name, prefix + entry.name
                if not prefix and (is_ours(name, self.out) or name == STAGING_MARK):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if rel in self.current:
                        raise BuildError(
                            f"output folder: {rel} is a folder newsgen did not write, but the "
                            "site has a file there; move it away"
                        )
                    if rel not in owned_dirs:
                        self._foreign_dir(rel)
                    stack.append(rel)
                    continue
                if rel in owned or rel in self.current:
                    continue
                if rel in self._dirs:
                    raise BuildError(
                        f"output folder: {rel} is a file newsgen did not write, but the site "
                        "needs a folder there; move it away"
                    )
                if prefix:
                    self._foreign_dir(base)
                try:  # a symbolic link is linked itself, never followed
                    os.link(here / name, self.staging / rel, follow_symlinks=False)
                except OSError as exc:
                    raise _SwapImpossible(f"{rel} cannot be hard-linked: {exc.strerror}") from None
        for rel in sorted(self._foreign_dirs, key=lambda r: -r.count("/")):
            try:
                shutil.copystat(self.out / rel, self.staging / rel, follow_symlinks=False)
            except OSError:
                pass

    def _foreign_dir(self, rel: str) -> None:
        """Make sure folder ``rel`` exists in the staging folder, for foreign content."""
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d in self._dirs or d in self._foreign_dirs:
                continue
            (self.staging / d).mkdir(exist_ok=True)
            self._foreign_dirs.add(d)

    def _commit_in_place(self) -> None:
        out, staging = self.out, self.staging
        written = self.result.written
        try:
            for rel in written:  # find every obstacle before touching anything
                self._check_in_place_target(rel)
            tmp_manifest = staging / (MANIFEST + ".next")
            # Own every file that may appear, but claim no new content yet: a file not moved
            # before a crash must not look unchanged to the next build.
            pending = {rel: self.previous.get(rel, "pending") for rel in self.current}
            write_new(tmp_manifest, manifest_bytes({**self.previous, **pending}))
            os.replace(tmp_manifest, out / MANIFEST)
            for rel in written:
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if not is_within(target.parent.resolve(), out):
                    raise BuildError(f"output path {rel!r} resolves outside the output folder")
                os.replace(staging / rel, target)
            for rel in self.result.removed:
                target = out / rel
                if not is_within(target.parent.resolve(), out):
                    continue  # a tampered manifest never makes us delete outside the folder
                if target.is_symlink() or target.is_file():
                    target.unlink()
                    _prune_empty_dirs(target.parent, out)
            os.replace(staging / MANIFEST, out / MANIFEST)
            self._done = True
        except OSError as exc:
            raise BuildError(f"cannot publish into {out}: {exc.strerror or exc}") from None
        finally:
            unlock_folder(self._lock_fd)
            self._lock_fd = None
            remove_tree(staging)

    def _check_in_place_target(self, rel: str) -> None:
        path = self.out
        parts = rel.split("/")
        for i, part in enumerate(parts[:-1]):
            path = path / part
            if path.is_symlink() or (os.path.lexists(path) and not path.is_dir()):
                shown = "/".join(parts[: i + 1])
                raise BuildError(
                    f"output folder: {shown} is in the way (the site needs a folder there); move it away"
                )
        final = self.out / rel
        if final.is_dir() and not final.is_symlink():
            raise BuildError(f"output folder: {rel} is a folder, but the site has a file there; move it away")

    def abort(self) -> None:
        """Forget the staged files; the output folder stays as it was."""
        if self._done:
            return
        self._done = True
        unlock_folder(self._lock_fd)
        self._lock_fd = None
        if (self.staging / STAGING_MARK).exists():
            remove_tree(self.staging)

    def __enter__(self) -> Publication:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()


#: errno values meaning "this file system or platform cannot exchange these folders".
_NO_EXCHANGE = {
    errno.EXDEV,
    errno.EINVAL,
    errno.ENOSYS,
    errno.ENOTSUP,
    errno.EOPNOTSUPP,
    errno.EBUSY,
    errno.EPERM,
    errno.EACCES,
}


def _mark(folder: Path) -> None:
    (folder / STAGING_MARK).write_bytes(b"newsgen staging folder, never published; safe to delete\n")


def _move_new(spooled: Spooled, path: Path) -> None:
    """Make ``path`` (which must not exist) the spooled file; copy it across file systems."""
    try:
        os.link(spooled.path, path, follow_symlinks=False)  # never replaces what is there
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        write_new(path, spooled.read())
    else:
        os.unlink(spooled.path)


def _link_or_copy(old: Path, target: Path, data: bytes | Spooled | Unchanged) -> None:
    """Hard-link an unchanged file into the staging folder; else copy it with its mtime."""
    try:
        os.link(old, target, follow_symlinks=False)
    except OSError:
        write_new(target, data if isinstance(data, bytes) else old.read_bytes())
        st = os.stat(old)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


def write_output(
    out: Path,
    previous: dict[str, str],
    files: Iterable[tuple[str, bytes | Spooled | Unchanged]],
    finish: Callable[[WriteResult], Iterable[tuple[str, bytes]]] | None = None,
) -> WriteResult:
    """Publish ``files`` as the new content of ``out`` (see the module docstring).

    ``files`` may be a generator: each file is written as it arrives.
    ``finish``, when given, is called with the result so far (before publishing)
    and returns more files that describe the write, such as the deploy manifest;
    they are published in the same atomic step as everything else."""
    notes: set[str] = set()
    with Publication(out, previous) as pub:
        for rel, data in files:
            pub.add(rel, data)
        if finish is not None:
            for rel, data in finish(pub.result):
                pub.add(rel, data)
                notes.add(rel)
        result = pub.commit()
    # The notes are published and listed in the manifest, but they are not pages of the site.
    result.written = [r for r in result.written if r not in notes]
    result.unchanged = [r for r in result.unchanged if r not in notes]
    return result


def write_unchanged(
    out: Path,
    previous: dict[str, str],
    files: Iterable[tuple[str, Unchanged]],
    finish: Callable[[WriteResult], Iterable[tuple[str, bytes]]] | None = None,
) -> WriteResult | None:
    """Publish ``files`` when each is already in ``out`` as the manifest says
    (see "Nothing changed" in the module docstring). Returns None, having
    changed nothing, when that is not so: the caller then uses :func:`write_output`."""
    result = WriteResult(mode="unchanged")
    base = str(out)
    real: set[str] = {""}
    seen: set[str] = set()
    for rel, data in files:
        if not valid_rel(rel) or rel.startswith("/") or rel == MANIFEST or previous.get(rel) != data.digest:
            return None
        try:
            st = os.lstat(f"{base}/{rel}")
            folder = rel.rpartition("/")[0]
            while folder not in real:  # every folder on the way a real folder, not a link
                if not stat.S_ISDIR(os.lstat(f"{base}/{folder}").st_mode):
                    return None
                real.add(folder)
                folder = folder.rpartition("/")[0]
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size != data.size:
            return None
        seen.add(rel)
        result.unchanged.append(rel)
    notes = list(finish(result)) if finish is not None else []
    if set(previous) - seen - {rel for rel, _ in notes}:
        return None  # something would be removed: that is a change
    if any(not valid_rel(rel) or "/" in rel or rel in seen or rel == MANIFEST for rel, _ in notes):
        return None
    current = {rel: previous[rel] for rel in result.unchanged}
    try:
        for rel, data in notes:
            h = digest(data)
            current[rel] = h
            target = out / rel
            if previous.get(rel) != h or lstat_mode(target) is None or target.read_bytes() != data:
                replace_file(target, data)
        manifest = manifest_bytes(current)
        if (out / MANIFEST).read_bytes() != manifest:
            replace_file(out / MANIFEST, manifest)
    except OSError as exc:
        raise BuildError(f"cannot write to the output folder {out}: {exc.strerror or exc}") from None
    return result


def _prune_empty_dirs(folder: Path, out: Path) -> None:
    while folder != out and is_within(folder, out):
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent
