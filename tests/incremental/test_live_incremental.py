"""Live coverage and the cache: adding an update rebuilds that page, its feed and the lists that
show it, and the result is byte for byte what a clean build writes."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from test_incremental import _site_files

from conftest import article, write_files
from newsgen import BufferReporter, load_config
from newsgen.incremental import stamp
from newsgen.incremental.store import BuildCache
from newsgen.pipeline import build

CONFIG = """\
title: Live Gazette
base_url: https://example.com/
timezone: Europe/London
per_page: 5
more_stories: 3
"""
NOW = datetime(2026, 1, 20, 12, tzinfo=UTC)
LIVE = "articles/storm/"


def _corpus() -> dict[str, str]:
    files = {}
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    for i in range(30):
        section = ("News", "Sport", "Business")[i % 3]
        files[f"articles/story-{i:02d}.md"] = article(
            title=f"Story {i}",
            date=(start + timedelta(hours=13 * i)).isoformat(),
            section=section,
            tags=f"[t{i % 4}{', weather' if i % 10 == 0 else ''}]",
            author=("Ada Obi", "Bo Lind")[i % 2],
            body=f"Text of story {i}.",
        )
    files[LIVE + "index.md"] = article(
        title="Storm night", date="2026-01-05T18:00:00Z", section="News", tags="[weather]", live="true"
    )
    files[LIVE + "a.md"] = "---\ntime: 2026-01-05T19:00:00Z\ntitle: Gales\n---\nGales reach the coast.\n"
    return files


def _build(site: Path, out: str, *, cache: bool = True, now: datetime = NOW):
    config, _ = load_config(site, output=site / out)
    result = build(config, BufferReporter(), jobs=1, use_cache=cache, now=now)
    return result


def _clean(site: Path, now: datetime = NOW) -> dict[str, str]:
    shutil.rmtree(site / "clean", ignore_errors=True)
    _build(site, "clean", cache=False, now=now)
    return _site_files(site / "clean")


def _rendered(result) -> int:
    m = re.search(r"pages reused; \d+ loaded, (\d+) rendered", result.summary.cache)
    assert m, result.summary.cache
    return int(m.group(1))


def _forget_stamp(site: Path) -> None:
    with BuildCache(site / ".newsgen-cache") as cache:
        stamp.save(cache, None)


def test_adding_an_update_rebuilds_the_page_its_feed_and_its_lists_only(write_site):
    site = write_site(_corpus(), config=CONFIG)
    first = _build(site, "public")
    assert _site_files(site / "public") == _clean(site)
    _forget_stamp(site)
    always = _rendered(_build(site, "public"))  # what every full build makes again (sitemaps, static files)

    write_files(site, {LIVE + "b.md": "---\ntime: 2026-01-06T07:30:00Z\n---\nThe storm has passed.\n"})
    added = _build(site, "public")
    assert _site_files(site / "public") == _clean(site), (
        "incremental differs from clean after adding an update"
    )
    page = (site / "public/2026/01/05/storm/index.html").read_text("utf-8")
    assert 'id="update-20260106T0730Z"' in page
    assert "The storm has passed." in (site / "public/2026/01/05/storm/updates.xml").read_text("utf-8")
    # rendered again: the page, its feed, and the pages that show the story (its lists and
    # their feeds, the More Stories of its neighbours), a small part of the site
    again = _rendered(added) - always
    assert 2 <= again < first.pages // 3, (again, first.pages)
    written = sorted(added.write.written)
    assert {"2026/01/05/storm/index.html", "2026/01/05/storm/updates.xml"} <= set(written)
    assert len(written) <= 15, written
    for path in written:  # every page whose bytes changed shows the story
        if path.endswith(".html"):
            assert "Storm night" in (site / "public" / path).read_text("utf-8"), path
    untouched = [f"{s}/index.html" for s in ("sport", "business", "tags/t1", "tags/t3", "authors/bo-lind")]
    assert not set(written) & set(untouched), written

    # editing and removing an update are seen too
    (site / LIVE / "a.md").write_text("---\ntime: 2026-01-05T19:00:00Z\ntitle: Gales!\n---\nGales.\n")
    _build(site, "public")
    assert _site_files(site / "public") == _clean(site), "after editing an update"
    (site / LIVE / "b.md").unlink()
    _build(site, "public")
    assert _site_files(site / "public") == _clean(site), "after removing an update"


def test_a_scheduled_update_appears_when_its_time_comes_with_the_cache(write_site):
    site = write_site(_corpus(), config=CONFIG)
    write_files(site, {LIVE + "later.md": "---\ntime: 2026-01-21T09:00:00Z\n---\nTomorrow's update.\n"})
    before = _build(site, "public")
    assert before.next_change == datetime(2026, 1, 21, 9, tzinfo=UTC)
    assert "Tomorrow's update" not in (site / "public/2026/01/05/storm/index.html").read_text("utf-8")
    later = datetime(2026, 1, 21, 9, tzinfo=UTC)
    _build(site, "public", now=later)  # same files, a later "now": the stamp must not reuse the old build
    assert "Tomorrow's update" in (site / "public/2026/01/05/storm/index.html").read_text("utf-8")
    assert _site_files(site / "public") == _clean(site, now=later)
