"""Low-level file operations of the publish (:mod:`newsgen.publish`): create
without following links, replace atomically, compare inodes, lock folders,
exchange two folders.

Whether a path lies inside a folder, and whether every folder on the way is a
real one, is :mod:`newsgen.core.paths`.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

try:  # POSIX only; on other platforms staging folders are simply not locked.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def write_new(path: Path | str, data: bytes | Iterable[bytes]) -> None:
    """Create ``path`` (which must not exist) with ``data`` (bytes, or pieces of bytes written
    one after the other: a large file need not be held whole); never follows a symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    try:
        for piece in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


#: Rows joined and encoded at a time by :func:`row_pieces`.
ROWS_A_PIECE = 4096


def row_pieces(
    rows: Iterable[str], sep: str = "", encode: Callable[[str], bytes] = str.encode
) -> Iterator[bytes]:
    """``encode(sep.join(rows))`` in pieces of :data:`ROWS_A_PIECE` rows, for :func:`write_new`:
    a file of 100,000 rows (the manifests of a large site) need not be held whole as rows,
    text and bytes at once."""
    batch: list[str] = []
    lead = ""
    for row in rows:
        batch.append(row)
        if len(batch) >= ROWS_A_PIECE:
            yield encode(lead + sep.join(batch))
            batch.clear()
            lead = sep
    if batch:
        yield encode(lead + sep.join(batch))


def replace_file(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``path`` whole (``data`` as for :func:`write_new`) through a temporary file and an
    atomic rename."""
    tmp = path.parent / f".{path.name}.newsgen-{os.urandom(4).hex()}"
    try:
        write_new(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        unlink_file(tmp)
        raise


def lstat_mode(path: Path | str) -> int | None:
    """The mode of ``path`` itself (a link is not followed), or None when there is nothing to read."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def same_inode(st: os.stat_result, path: Path | str) -> bool:
    """Is ``path`` the file whose ``lstat`` is ``st``?"""
    try:
        other = os.lstat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (other.st_dev, other.st_ino)


def same_file(a: Path | str, b: Path | str) -> bool:
    """Are ``a`` and ``b`` the same file (links not followed)?"""
    try:
        st = os.lstat(a)
    except OSError:
        return False
    return same_inode(st, b)


def remove_tree(path: Path) -> None:
    """Remove a folder tree of newsgen's own; symbolic links inside are removed, never followed."""
    shutil.rmtree(path, ignore_errors=True)


def lock_folder(folder: Path) -> int | None:
    """Take an exclusive lock on ``folder``; the fd, or None if another build holds it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
    return fd


def unlock_folder(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing releases the flock


def load_exchange() -> Callable[[Path, Path], None] | None:
    """An atomic "swap these two paths" call for this platform, or None."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to call
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        fn, args = libc.renameat2, lambda a, b: (-100, a, -100, b, 2)  # AT_FDCWD, RENAME_EXCHANGE
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):  # pragma: no cover - macOS
        fn, args = libc.renamex_np, lambda a, b: (a, b, 2)  # RENAME_SWAP
    else:  # pragma: no cover - other platforms use in-place mode
        return None

    def exchange(a: Path, b: Path) -> None:
        if fn(*args(os.fsencode(a), os.fsencode(b))) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(a), None, str(b))

    return exchange


def unlink_file(path: Path | str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
