"""Site pages in the incremental build: an edit re-renders what it changes, and the output is
byte-identical to a clean build after every kind of edit."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from test_incremental import _site_files

from conftest import article
from newsgen import BufferReporter, load_config
from newsgen.pipeline import build

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONFIG = """\
title: Pages Gazette
base_url: https://example.com/
timezone: UTC
publisher:
  correctionsPolicy: page:corrections
"""


def _page(title: str, body: str, menu: str | None = None) -> str:
    return f"---\ntitle: {title}\n" + (f"menu: {menu}\n" if menu else "") + f"---\n\n{body}\n"


def _build(site: Path, out: str, cache: bool = True):
    config, _ = load_config(site, output=site / out)
    return build(config, BufferReporter(), jobs=1, use_cache=cache, now=NOW)


def _clean(site: Path) -> dict[str, str]:
    shutil.rmtree(site / "clean", ignore_errors=True)
    _build(site, "clean", cache=False)
    return _site_files(site / "clean")


def test_page_edits_rebuild_what_they_change_and_match_a_clean_build(write_site):
    files = {
        f"articles/s{i}.md": article(f"Story {i}", f"2025-03-0{i}T09:00:00Z", section="News")
        for i in range(1, 6)
    }
    files["pages/about.md"] = _page("About", "We report.", "footer")
    files["pages/corrections.md"] = _page("Corrections policy", "We correct.")
    site = write_site(files, config=CONFIG)
    pages = site / "pages"

    def check(label: str):
        result = _build(site, "public")
        assert _site_files(site / "public") == _clean(site), f"incremental differs from clean after: {label}"
        return result

    check("first build")
    again = check("no change")
    assert again.summary.cache.startswith("nothing changed since the last build")

    (pages / "corrections.md").write_text(_page("Corrections policy", "We correct fast."), "utf-8")
    edited = check("a page's body")  # the stamp notices, the page alone is rendered again
    assert edited.changes.changed == ("corrections/index.html",)

    (pages / "about.md").write_text(_page("About us", "We report.", "footer"), "utf-8")
    renamed = check("a footer page's title: every page shows the menu")
    assert "index.html" in renamed.changes.changed and "2025/03/01/s1/index.html" in renamed.changes.changed

    (pages / "masthead.md").write_text(_page("Masthead", "Who we are.", "header"), "utf-8")
    added = check("a new header page")
    assert "masthead/index.html" in added.changes.added and "sitemap.xml" in added.changes.changed

    (pages / "masthead.md").unlink()
    removed = check("a page removed")
    assert "masthead/index.html" in removed.changes.removed
