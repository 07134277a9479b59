"""The photos stage learns which kept bodies show an image from the cache's note
(``body_images``, newsgen.incremental.store), without reading every body; what it
learns is what reading them would tell, whatever the cache holds."""

from __future__ import annotations

import sqlite3

from test_edit_skips import CONFIG, NOW, _build, _corpus, _edit, _same_as_clean

from conftest import REPO
from newsgen import pipeline
from newsgen.core.words import count_words
from newsgen.incremental import schema, store
from newsgen.theme import catalog
from photo_files import photo


def _photo_site(write_site):
    files = dict(_corpus(12))
    files["static/images/quay.jpg"] = photo(800, 500)
    return write_site(files, config=CONFIG)


def _story(site, i: int):
    return site / "articles" / "2025" / f"story-{i:03d}.md"


def test_a_body_edit_reads_no_body_to_find_images(write_site, monkeypatch):
    site = write_site(_corpus(30), config=CONFIG)
    _build(site, "public")
    _edit(_story(site, 3), "More text 3.", "More text 3, and a little more.")
    reads: list[str] = []
    in_photos = [False]
    real_body, real_photos = store.BuildCache.body, catalog.prepare_photos

    def counting(self, key):
        if in_photos[0]:
            reads.append(key)
        return real_body(self, key)

    def photos(*args, **kwargs):
        in_photos[0] = True
        try:
            return real_photos(*args, **kwargs)
        finally:
            in_photos[0] = False

    monkeypatch.setattr(store.BuildCache, "body", counting)
    monkeypatch.setattr(catalog, "prepare_photos", photos)  # the pipeline imports it when it runs
    _build(site, "public")
    assert reads == []  # before the note, the photos stage read all thirty bodies
    monkeypatch.undo()
    _same_as_clean(site)


def test_a_body_that_gains_an_image_publishes_its_picture(write_site):
    site = _photo_site(write_site)
    _build(site, "public")
    _edit(_story(site, 4), "More text 4.", "More text 4.\n\n![The quay](/images/quay.jpg)")
    _build(site, "public")
    page = next(p for p in (site / "public").rglob("*.html") if "The quay" in p.read_text())
    assert "<picture" in page.read_text()
    _same_as_clean(site)


def test_a_body_that_gains_a_missing_image_stops_the_build(write_site, cli):
    site = _photo_site(write_site)
    assert cli("build", "--site", site).code == 0
    _edit(_story(site, 6), "More text 6.", "More text 6.\n\n![Nets](/images/nets.jpg)")
    run = cli("build", "--site", site)
    assert run.code != 0 and "image /images/nets.jpg is missing" in run.err


def test_bodies_stored_without_a_note_are_read(write_site, cli):
    """A cache written before the note existed (or that lost it) holds bodies without one:
    those are read, so an image in them is still found."""
    site = _photo_site(write_site)
    _edit(_story(site, 2), "More text 2.", "More text 2.\n\n![Nets](/images/nets.jpg)")
    run = cli("build", "--site", site)
    assert run.code != 0 and "image /images/nets.jpg is missing" in run.err
    with sqlite3.connect(site / ".newsgen-cache" / schema.CACHE_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM body_images WHERE img=1").fetchone() == (1,)
        db.execute("DELETE FROM body_images")
    run = cli("build", "--site", site)
    assert run.code != 0 and "image /images/nets.jpg is missing" in run.err
    (site / "static" / "images" / "nets.jpg").write_bytes(photo(640, 480))
    assert cli("build", "--site", site).code == 0
    _same_as_clean(site)


def test_the_notes_follow_the_bodies_the_cache_keeps(write_site):
    """A body dropped from the cache (its story edited, or removed) takes its note along, and
    every body kept has one; the notes never outgrow the bodies."""
    site = _photo_site(write_site)
    _build(site, "public")
    _edit(_story(site, 4), "More text 4.", "More text 4.\n\n![The quay](/images/quay.jpg)")
    _edit(_story(site, 5), "More text 5.", "More text 5, edited.")
    _story(site, 7).unlink()
    _build(site, "public")
    with sqlite3.connect(site / ".newsgen-cache" / schema.CACHE_FILE) as db:
        html = dict(db.execute("SELECT key, html FROM bodies").fetchall())
        images = dict(db.execute("SELECT key, img FROM body_images").fetchall())
        words = dict(db.execute("SELECT key, words FROM body_words").fetchall())
    assert len(html) == 11
    assert images == {k: int("<img" in h) for k, h in html.items()}
    assert words == {k: count_words(h) for k, h in html.items()}
    _same_as_clean(site)


def test_a_template_change_counts_no_body_again_and_a_missing_count_is_counted(write_site, monkeypatch):
    """Each body's words are counted by the worker that converts it and kept beside it (a
    worker that renders a page cannot tell the cache): a rebuild that renders every page (a
    template change) counts none again. A count the cache lost, or holds damaged, is counted
    from the body when a page needs it; the pages are a clean build's either way."""
    from newsgen import BufferReporter, load_config
    from newsgen.core.parallel import MIN_PARALLEL
    from newsgen.incremental import entries

    site = _photo_site(write_site)
    config, _ = load_config(site, output=site / "public")
    pipeline.build(config, BufferReporter(), jobs=2, now=NOW)  # loaded by worker processes
    assert len(list((site / "public").rglob("*.*"))) > MIN_PARALLEL  # and rendered by them
    counted: list[int] = []
    real = entries.count_words
    monkeypatch.setattr(entries, "count_words", lambda html: counted.append(1) or real(html))
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(
        (REPO / "templates" / "base.html").read_text() + "<!-- -->\n"
    )
    _build(site, "public")
    assert counted == []
    with sqlite3.connect(site / ".newsgen-cache" / schema.CACHE_FILE) as db:
        db.execute("DELETE FROM body_words WHERE rowid % 2 = 0")
        db.execute("UPDATE body_words SET words = 'many'")  # the other half damaged
    (site / "templates" / "base.html").unlink()
    _build(site, "public")
    assert len(counted) == 12
    monkeypatch.undo()
    _same_as_clean(site)
