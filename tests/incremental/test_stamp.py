"""The build stamp: a rebuild in which nothing changed skips straight to publishing,
and anything that could change the output makes the build run in full."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import article, tree_digest, write_files
from newsgen import BufferReporter, load_config
from newsgen.incremental import stamp as stamps
from newsgen.incremental.stamp import Stamp, save
from newsgen.incremental.store import BuildCache
from newsgen.payloads import Unchanged
from newsgen.pipeline import build
from newsgen.publish import read_manifest, write_output, write_unchanged

T0 = datetime(2025, 3, 10, 12, tzinfo=UTC)
CONFIG = """\
title: Stamp Gazette
base_url: https://example.com/
timezone: Europe/London
per_page: 4
"""


def _corpus() -> dict[str, str]:
    files = {}
    for i in range(10):
        date = (T0 - timedelta(days=1, hours=13 * i)).isoformat()  # the newest in the news window
        files[f"articles/story-{i}.md"] = article(
            title=f"Story {i}",
            date=date,
            body=f"Text {i}.",
            tags="[harbour, rail]",
            section="News",
            author="Ada Obi",
        )
    # scheduled: appears at T0 + 1 day
    files["articles/later.md"] = article(
        title="Later", date=(T0 + timedelta(days=1)).isoformat(), body="Soon."
    )
    return files


def _build(site: Path, now: datetime, out: str = "public", **options):
    config, _ = load_config(site, output=site / out)
    reporter = BufferReporter()
    return build(config, reporter, jobs=1, now=now, use_cache=out == "public", **options), reporter


def _files(root: Path) -> dict[str, str]:
    files = tree_digest(root)
    files.pop(".newsgen-changes.json", None)  # describes the last build, differs from a clean one
    manifest = json.loads((root / ".newsgen-manifest.json").read_text("utf-8"))
    manifest["files"].pop(".newsgen-changes.json", None)
    files[".newsgen-manifest.json"] = json.dumps(manifest, sort_keys=True)
    return files


def _shortcut(result) -> bool:
    return result.summary.cache.startswith("nothing changed since the last build")


def _check(site: Path, now: datetime, **options) -> bool:
    """Build incrementally and clean; the outputs must be equal. True when the stamp was used."""
    result, _ = _build(site, now, **options)
    shutil.rmtree(site / "clean", ignore_errors=True)
    _build(site, now, out="clean", **options)
    assert _files(site / "public") == _files(site / "clean")
    return _shortcut(result)


def test_nothing_changed_publishes_the_same_files_and_reports_the_same(write_site):
    site = write_site(
        {**_corpus(), "articles/undated.md": article(title="No date", date=None)}, config=CONFIG
    )
    first, first_reporter = _build(site, T0)
    again, reporter = _build(site, T0 + timedelta(minutes=5))
    assert _shortcut(again) and not _shortcut(first)
    assert again.summary.written == 0 and again.summary.unchanged == first.summary.written
    assert again.articles == first.articles and again.summary.pages_by_kind == first.summary.pages_by_kind
    assert again.next_change == first.next_change == T0 + timedelta(days=1)
    assert [str(w) for w in reporter.warnings] == [
        str(w) for w in first_reporter.warnings
    ]  # no date: warned again
    changes = json.loads((site / "public" / ".newsgen-changes.json").read_text("utf-8"))
    assert changes["counts"]["changed"] == changes["counts"]["added"] == changes["counts"]["removed"] == 0
    assert again.write.mode == "unchanged"  # no staging folder: the pages were not touched
    inodes = {p: p.stat().st_ino for p in (site / "public").rglob("*.html")}
    _build(site, T0 + timedelta(minutes=5))
    assert {p: p.stat().st_ino for p in (site / "public").rglob("*.html")} == inodes
    manifest = json.loads((site / "public" / ".newsgen-manifest.json").read_text("utf-8"))["files"]
    assert manifest[".newsgen-changes.json"] == tree_digest(site / "public")[".newsgen-changes.json"]
    # Touching a file (same bytes) is not a change.
    p = site / "articles" / "story-3.md"
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))
    assert _check(site, T0 + timedelta(minutes=6))


def test_nothing_changed_looks_at_each_published_file_once(write_site, monkeypatch):
    """The check that found every page in place hands what it found to the writer, which
    does not look at the pages again."""
    from newsgen.core import paths
    from newsgen.incremental import stamp
    from newsgen.publish import unchanged

    site = write_site(_corpus(), config=CONFIG)
    first, _ = _build(site, T0)
    looked: list[str] = []
    real = paths.plain_file

    def counting(root, rel, *args, **kwargs):
        looked.append(rel)
        return real(root, rel, *args, **kwargs)

    monkeypatch.setattr(stamp, "plain_file", counting)
    monkeypatch.setattr(unchanged, "plain_file", counting)
    again, _ = _build(site, T0 + timedelta(minutes=5))
    assert _shortcut(again)
    assert sorted(looked) == sorted(set(looked)) and len(looked) == first.summary.written


def test_time_changes_what_is_published(write_site):
    site = write_site(_corpus(), config=CONFIG + "news_sitemap:\n  enabled: true\n")
    assert not _check(site, T0)
    assert _check(site, T0 + timedelta(hours=1))
    # Story 1 leaves the two-day news window at T0 + 11 hours; story 0 leaves it, and the
    # scheduled story appears, at T0 + 1 day: each makes the next build run in full.
    assert not _check(site, T0 + timedelta(hours=12))
    assert not _check(site, T0 + timedelta(days=1))
    assert _check(site, T0 + timedelta(days=1, minutes=1))
    # A build as of an earlier time runs in full too.
    assert not _check(site, T0 + timedelta(hours=2))


def test_edits_to_output_config_templates_and_static_files_run_a_full_build(write_site):
    site = write_site(_corpus(), config=CONFIG)
    assert not _check(site, T0)
    assert _check(site, T0)
    # A published page removed or altered by hand is put back.
    page = next((site / "public").rglob("index.html"))
    page.unlink()
    assert not _check(site, T0)
    page.write_text(page.read_text("utf-8") + "<!-- edited -->", "utf-8")
    assert not _check(site, T0)
    assert _check(site, T0)
    # A config setting no page shows changes nothing but still counts; so does a template.
    (site / "newsgen.yaml").write_text(CONFIG + "extra:\n  motto: Hello\n", "utf-8")
    assert not _check(site, T0)
    write_files(site, {"templates/partials/footer.html": "<footer>Made by hand</footer>\n"})
    assert not _check(site, T0)
    assert _check(site, T0)
    # A new static file, a changed authors.yaml, --drafts.
    write_files(site, {"static/notes.txt": "hello\n"})
    assert not _check(site, T0)
    write_files(site, {"authors.yaml": "Ada Obi:\n  bio: Reports on the harbour.\n"})
    assert not _check(site, T0)
    result, _ = _build(site, T0, drafts=True)
    assert not _shortcut(result)


def test_a_damaged_stamp_is_ignored(write_site):
    site = write_site(_corpus(), config=CONFIG)
    _build(site, T0)
    import sqlite3

    db = sqlite3.connect(site / ".newsgen-cache" / "cache.sqlite3")
    db.execute("UPDATE meta SET v = 'not json' WHERE k = 'record:stamp'")
    db.commit()
    db.close()
    assert not _check(site, T0)
    assert _check(site, T0)


def test_write_unchanged_changes_nothing_when_a_page_is_not_in_place(tmp_path):
    out = tmp_path / "public"
    pages = {"index.html": b"<p>front</p>", "a/index.html": b"<p>a</p>"}
    write_output(out, {}, list(pages.items()))
    previous = read_manifest(out)
    files = [(rel, Unchanged(previous[rel], len(data))) for rel, data in pages.items()]
    before = tree_digest(out)
    (out / "a" / "index.html").unlink()
    assert write_unchanged(out, previous, files) is None
    (out / "a" / "index.html").write_bytes(pages["a/index.html"])
    (out / "a").rename(out / "b")
    (out / "a").symlink_to("b")  # a folder on the way is now a link
    assert write_unchanged(out, previous, files) is None
    (out / "a").unlink()
    (out / "b").rename(out / "a")
    assert tree_digest(out) == before
    assert write_unchanged(out, previous, files[:1]) is None  # a/index.html would be removed
    result = write_unchanged(out, previous, files)
    assert result is not None and result.written == [] and sorted(result.unchanged) == sorted(pages)
    assert tree_digest(out) == before


def _stamp(files: tuple[tuple[str, str, int], ...]) -> Stamp:
    return Stamp(
        key="k",
        now=T0,
        until=None,
        files=files,
        articles=len(files),
        pages_by_kind={"article": len(files)},
        warnings=(),
        next_change=None,
        next_change_line="",
    )


def test_a_stamp_reads_back_with_its_files_in_order_whatever_their_names():
    files = (
        ("b/index.html", "ab" * 32, 120),
        ('a b/ünïcode "quoted"\n\ttab/index.html', "cd" * 32, 0),
        ("feed.xml", "ef" * 32, 9_999_999),
    )
    for listed in (files, files[:1], ()):
        stamp = _stamp(listed)
        assert Stamp.from_text(stamp.to_text()) == stamp


def test_a_stamp_with_a_path_it_cannot_store_is_not_saved(write_site):
    site = write_site(_corpus(), config=CONFIG)
    _build(site, T0)
    cache = BuildCache(site / ".newsgen-cache")
    assert cache.meta("stamp") is not None  # the build saved its stamp
    save(cache, _stamp((("a\x00b", "ab" * 32, 1),)))
    assert cache.meta("stamp") is None and cache.meta("stamp-key") is None
    cache.close()
    assert not _check(site, T0)  # no stamp: the build runs in full, and publishes the same
    assert _check(site, T0)  # and saves one again


def test_a_stamp_whose_files_are_cut_short_is_ignored(write_site):
    site = write_site(_corpus(), config=CONFIG)
    _build(site, T0)
    cache = BuildCache(site / ".newsgen-cache")
    key, text = cache.meta("stamp-key"), cache.meta("stamp")
    assert key is not None and text is not None and stamps.load(cache, key) is not None
    cache.set_meta("stamp", text.rsplit("\x00", 1)[0])  # the last size lost
    assert stamps.load(cache, key) is None
    cache.close()
    assert not _check(site, T0)
