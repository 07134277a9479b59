"""Write an import into the site folder: safely, idempotently, and only what the importer owns.

* Every file is written inside the site folder, through a temporary file and a
  rename; a folder on the way that is a symbolic link leading out is refused.
* A file is the importer's when its front matter has ``wordpress_id``: a later
  import finds it by that id wherever it was moved under ``articles/`` (a
  post) or ``pages/`` (a page) and rewrites it (only when its text changed).
  A page an earlier version imported as an article under ``articles/`` is
  moved to ``pages/``. A file at a planned path without
  that id is someone else's and is never overwritten without ``--force``.
* ``authors.yaml`` and ``newsgen.yaml`` are written only when absent
  (``authors.yaml`` also when the importer wrote it).
Everything is checked before the first file is written.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from newsgen.commands.importers.wordpress import Plan
from newsgen.core.fsops import replace_file
from newsgen.core.paths import is_within
from newsgen.errors import ContentError, Diagnostic, display_path

MARK = "# Imported from WordPress by 'newsgen import wordpress'; wordpress_id ties it to the export."
_AUTHORS_MARK = (
    "# Written by 'newsgen import wordpress'; edit freely, and delete this line to keep your edits."
)
_ID_LINE = re.compile(r"^wordpress_id:\s*(\d+)\s*$", re.M)
_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)\n(?:---|\.\.\.)[ \t]*\r?$", re.S | re.M)


class _Dumper(yaml.SafeDumper):
    pass


def _datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(datetime, _datetime)


def render(front: dict[str, Any], body: str) -> str:
    fm = yaml.dump(front, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{MARK}\n{fm}---\n\n{body}"


def existing_ids(articles: Path) -> dict[int, Path]:
    """Every Markdown file under ``articles/`` whose front matter has ``wordpress_id``, by id."""
    found: dict[int, Path] = {}
    if not articles.is_dir():
        return found
    for folder, dirs, files in os.walk(articles):  # links to folders are not followed
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if not name.endswith((".md", ".markdown")) or path.is_symlink():
                continue
            try:
                head = path.read_bytes()[:65536].decode("utf-8", "replace")
            except OSError:
                continue
            m = _FENCE.match(head)
            ids = _ID_LINE.findall(m.group(1)) if m else []
            if ids:
                found.setdefault(int(ids[0]), path)
    return found


def _confined(site: Path, rel: str) -> Path:
    target = site.joinpath(*rel.split("/"))
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not is_within(parent.resolve(), site.resolve()) or target.is_symlink():
        raise ContentError(
            Diagnostic(rel, None, None, "refused: a symbolic link on the way leads outside the site folder")
        )
    return target


def write_plan(site: Path, plan: Plan, force: bool) -> Counter[str]:
    """Write every planned article; returns counts of ``created``, ``updated``, ``unchanged``."""
    owned_articles, owned_pages = existing_ids(site / "articles"), existing_ids(site / "pages")
    owned_paths = {p.resolve() for p in [*owned_articles.values(), *owned_pages.values()]}
    jobs: list[tuple[Path, str]] = []
    stale: list[Path] = []  # pages an earlier import wrote under articles/
    refused: list[Diagnostic] = []
    for a in plan.articles:
        is_page = a.rel.startswith("pages/")
        owned = owned_pages if is_page else owned_articles
        if is_page and a.post_id in owned_articles:
            stale.append(owned_articles[a.post_id])
        path = owned.get(a.post_id) or _confined(site, a.rel)
        if path.resolve() not in owned_paths and path.exists() and not force:
            refused.append(
                Diagnostic(
                    display_path(path, site),
                    1,
                    None,
                    f"exists and was not written by the importer (no wordpress_id: {a.post_id}); "
                    "not overwritten. Move it away, or import with --force to replace it",
                )
            )
            continue
        if path in owned.values() and owned.get(a.post_id) != path:
            refused.append(
                Diagnostic(
                    display_path(path, site), 1, None, "belongs to another WordPress post; not overwritten"
                )
            )
            continue
        jobs.append((path, render(a.front, a.body)))
    if refused:
        raise ContentError(refused)
    counts: Counter[str] = Counter()
    for path, text in jobs:
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            counts["unchanged"] += 1
            continue
        counts["updated" if path.exists() else "created"] += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    for path in stale:
        path.unlink()
        counts["moved to pages/"] += 1
    return counts


def write_authors(site: Path, authors: dict[str, str]) -> str | None:
    """Write ``authors.yaml`` (display name, bio); returns a note when an existing file was kept."""
    path = _confined(site, "authors.yaml")
    if path.exists() and not path.read_text("utf-8", "replace").startswith(_AUTHORS_MARK):
        missing = ", ".join(sorted(authors)) or "none"
        return f"authors.yaml exists and was not written by the importer; left as it is (bylines: {missing})"
    entries = {name: ({"bio": bio} if bio else None) for name, bio in sorted(authors.items())}
    dumped = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=1000)
    text = _AUTHORS_MARK + "\n" + re.sub(r": null$", ":", dumped, flags=re.M)  # an empty entry
    if not path.is_file() or path.read_text("utf-8") != text:
        replace_file(path, text.encode("utf-8"))
    return None


def write_config(site: Path, text: str) -> bool:
    """Write ``newsgen.yaml`` when the site has none; True when written."""
    path = _confined(site, "newsgen.yaml")
    if path.exists():
        return False
    replace_file(path, text.encode("utf-8"))
    return True
