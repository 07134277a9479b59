"""A one-article edit renders only the pages that show what changed, and the
output is still exactly a clean build's."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import REPO, article, tree_digest, write_files
from newsgen import BufferReporter, load_config
from newsgen.core import paths
from newsgen.incremental import render as incremental_render
from newsgen.pipeline import build

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONFIG = """\
title: Skip Gazette
base_url: https://example.com/
timezone: Europe/London
per_page: 5
more_stories: 3
"""
TAGS = ["harbour", "budget", "rail", "schools"]


def _corpus(n: int) -> dict[str, str]:
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    return {
        f"articles/2025/story-{i:03d}.md": article(
            title=f"Story number {i}",
            date=(start + timedelta(hours=7 * i)).isoformat(),
            body=f"Paragraph one of story {i}.\n\nMore text {i}.",
            section="News" if i % 2 else "Sport",
            tags=f"[{TAGS[i % 4]}, {TAGS[(i + 1) % 4]}]",
        )
        for i in range(n)
    }


def _build(site: Path, out: str, monkeypatch=None, *, cache: bool = True, now: datetime = NOW) -> list[str]:
    """Build; the output paths of the pages rendered (not kept)."""
    rendered: list[str] = []
    if monkeypatch is not None:
        real = incremental_render.render_page

        def spy(page, renderer):
            rendered.append(page.output_path)
            return real(page, renderer)

        monkeypatch.setattr(incremental_render, "render_page", spy)
    config, _ = load_config(site, output=site / out)
    build(config, BufferReporter(), jobs=1, use_cache=cache, now=now)
    if monkeypatch is not None:
        monkeypatch.undo()
    return rendered


def _files(root: Path) -> dict[str, str]:
    files = tree_digest(root)
    files.pop(".newsgen-changes.json", None)
    manifest = json.loads((root / ".newsgen-manifest.json").read_text("utf-8"))
    manifest["files"].pop(".newsgen-changes.json", None)
    files[".newsgen-manifest.json"] = json.dumps(manifest, sort_keys=True)
    return files


def _same_as_clean(site: Path, now: datetime = NOW) -> None:
    shutil.rmtree(site / "clean", ignore_errors=True)
    _build(site, "clean", cache=False, now=now)
    assert _files(site / "public") == _files(site / "clean")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_body_edit_renders_only_the_pages_that_show_the_body(write_site, monkeypatch):
    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    story = site / "articles" / "2025" / "story-010.md"
    _edit(story, "More text 10.", "More text 10. " + "Many more words here. " * 200)
    rendered = _build(site, "public", monkeypatch)
    html = [p for p in rendered if p.endswith(".html")]
    assert len(html) == 1 and "story-010" in html[0]  # its reading time changed: no list shows it
    assert {"tags/rail/feed.xml", "tags/schools/feed.json"} <= set(rendered)  # its tags' feeds carry bodies
    _same_as_clean(site)


def test_lists_that_show_reading_time_are_rendered_again_when_a_body_grows(write_site, monkeypatch):
    site = write_site(_corpus(20), config=CONFIG)
    card = (REPO / "templates" / "partials" / "story_card.html").read_text()
    extra = '<p class="minutes">{{ story.reading_minutes }} min</p>\n'
    write_files(site, {"templates/partials/story_card.html": card + extra})
    _build(site, "public")
    story = site / "articles" / "2025" / "story-010.md"
    _edit(story, "More text 10.", "More text 10. " + "Many more words here. " * 200)
    rendered = _build(site, "public", monkeypatch)
    assert len([p for p in rendered if p.endswith(".html")]) > 3  # every list that shows the story
    _same_as_clean(site)
    assert any("4 min" in p.read_text() for p in (site / "public" / "tags").rglob("*.html"))


def test_a_headline_edit_renders_every_list_and_more_stories_that_show_it(write_site, monkeypatch):
    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    _edit(site / "articles" / "2025" / "story-010.md", "title: Story number 10", "title: A new headline")
    rendered = _build(site, "public", monkeypatch)
    _same_as_clean(site)
    showing = {
        p.relative_to(site / "public").as_posix()
        for p in (site / "public").rglob("*.html")
        if "A new headline" in p.read_text()
    }
    assert len(showing) > 3 and showing <= set(rendered)


def test_a_scheduled_story_appears_on_time_in_a_rebuild(write_site):
    files = _corpus(12)
    files["articles/2025/later.md"] = article(
        title="Scheduled story", date="2025-12-31T08:00:00Z", embargo=(NOW + timedelta(hours=1)).isoformat()
    )
    site = write_site(files, config=CONFIG)
    _build(site, "public")
    assert not any("Scheduled story" in p.read_text() for p in (site / "public").rglob("*.html"))
    later = NOW + timedelta(hours=2)
    _build(site, "public", now=later)
    _same_as_clean(site, later)
    assert "Scheduled story" in (site / "public" / "index.html").read_text()


def test_a_rebuild_checks_the_folders_of_kept_pages_by_their_parents_listings(write_site, monkeypatch):
    """A page is kept only when every folder on its way is a real folder; a rebuild tells that by
    one listing per parent folder (newsgen.publish.listings.RealFolders), not an ``lstat`` of
    every folder of the site: only the folders of pages rendered again are looked at one by one."""
    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    _edit(site / "articles" / "2025" / "story-010.md", "More text 10.", "More text 10, edited.")
    looked_at: list[str] = []
    one_by_one = paths.real_folders

    def spy(root, folder, known=None):
        looked_at.append(folder)
        return one_by_one(root, folder, known)

    monkeypatch.setattr(paths, "real_folders", spy)
    rendered = _build(site, "public", monkeypatch)
    kept = set(_files(site / "public")) - set(rendered)
    assert len(kept) > 50
    assert set(looked_at) <= {p.rpartition("/")[0] for p in rendered}
    _same_as_clean(site)
