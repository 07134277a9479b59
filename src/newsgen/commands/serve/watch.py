"""Watching a site for changes: the folders and files that matter, and a cheap snapshot of them.

The serve loop polls :func:`snapshot` and rebuilds when it differs. Polling
modification times needs nothing from the platform and sees every editor's
way of saving (in place, or a new file renamed over the old).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from newsgen.config import CONFIG_FILE, Config


def watched_paths(site: Path, config: Config | None) -> tuple[list[Path], list[Path]]:
    """(folders, files) whose changes trigger a rebuild."""
    if config is not None:
        p = config.paths
        folders = [p.articles, p.seeds, p.templates, p.static, p.pages_dir]
    else:
        folders = [site / "articles", site / "seeds", site / "templates", site / "static", site / "pages"]
    files = sorted(site.glob("*.yaml")) + sorted(site.glob("*.yml")) + [site / CONFIG_FILE]
    return folders, files


def snapshot(folders: Iterable[Path], files: Iterable[Path]) -> dict[str, tuple[int, int, int]]:
    """(mtime, size, inode) of every watched file; hidden files and folders are skipped."""
    seen: dict[str, tuple[int, int, int]] = {}

    def add(path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        seen[path] = (st.st_mtime_ns, st.st_size, st.st_ino)

    for f in files:
        add(str(f))
    for folder in folders:
        if not folder.is_dir():
            continue
        add(str(folder))
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            add(dirpath)
            for name in filenames:
                if not name.startswith("."):
                    add(os.path.join(dirpath, name))
    return seen
