"""Watching processes through /proc, for the tests that kill a build and expect its workers to go with it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Is ``pid`` a live process (a zombie waiting for its new parent to reap it is not)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@contextmanager
def killed_parent(proc: subprocess.Popen) -> Iterator[set[int]]:
    """Yields a set to fill with ``proc``'s workers; on leaving, kills ``proc`` with SIGKILL and
    asserts the workers exit by themselves (within 10 s: a bound for a slow machine, not a speed
    requirement). Whatever happens, nothing is left running."""
    workers: set[int] = set()
    try:
        yield workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if running(w)], "worker processes outlived their killed parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in workers:  # on failure: do not leave them computing for ever
            if running(w):
                os.kill(w, signal.SIGKILL)
