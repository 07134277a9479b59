"""When only story bodies changed since the last build, the pages are keyed without
fingerprinting their contexts (newsgen.incremental.sameplan); any other change, or a build
as of a time past the last build's window, fingerprints them again. The output is always
exactly a clean build's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_edit_skips import CONFIG, NOW, _build, _corpus, _edit, _same_as_clean

from conftest import article
from newsgen.incremental import fingerprint


@pytest.fixture
def contexts():
    """How many page contexts the fingerprinter digested (its own patch: ``_build`` undoes
    the test's ``monkeypatch``)."""
    calls: list[int] = []
    real = fingerprint.Fingerprinter.digest

    def counting(self, value):
        if isinstance(value, dict) and ("page" in value or "feed" in value):  # a page's, a feed's
            calls.append(1)
        return real(self, value)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fingerprint.Fingerprinter, "digest", counting)
        yield calls


def _body_edit(site, i: int, words: str) -> None:
    _edit(site / "articles" / "2025" / f"story-{i:03d}.md", f"More text {i}.", f"More text {i}. {words}")


def _built_and_edited(write_site, i: int, words: str):
    """A site of 20 stories built, then built again after story ``i``'s body was edited."""
    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    _body_edit(site, i, words)
    _build(site, "public")
    return site


def test_body_edits_key_no_page_context_and_render_only_what_shows_the_body(
    write_site, monkeypatch, contexts
):
    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    assert len(contexts) > 20  # the first build fingerprints every page
    for n, i in enumerate((10, 3, 10)):  # each build relies on the one before
        contexts.clear()
        _body_edit(site, i, f"Edit {n}, and many more words. " * 60)
        rendered = _build(site, "public", monkeypatch)
        assert contexts == []
        html = [p for p in rendered if p.endswith(".html")]
        assert len(html) == 1 and f"story-{i:03d}" in html[0]
        _same_as_clean(site)


def test_a_headline_edit_after_a_body_edit_fingerprints_and_renders_the_lists(
    write_site, monkeypatch, contexts
):
    site = _built_and_edited(write_site, 10, "A longer body. " * 50)
    contexts.clear()
    _edit(site / "articles" / "2025" / "story-010.md", "title: Story number 10", "title: A new headline")
    rendered = _build(site, "public", monkeypatch)
    assert len(contexts) > 20
    showing = {
        p.relative_to(site / "public").as_posix()
        for p in (site / "public").rglob("*.html")
        if "A new headline" in p.read_text()
    }
    assert len(showing) > 3 and showing <= set(rendered)
    _same_as_clean(site)


def test_a_body_edit_built_after_a_scheduled_change_fingerprints_again(write_site, contexts):
    files = _corpus(12)
    files["articles/2025/later.md"] = article(
        title="Scheduled story", date="2025-12-31T08:00:00Z", embargo=(NOW + timedelta(hours=1)).isoformat()
    )
    site = write_site(files, config=CONFIG)
    _build(site, "public")
    _body_edit(site, 5, "Written after the embargo lifted.")
    later = NOW + timedelta(hours=2)
    contexts.clear()
    _build(site, "public", now=later)
    assert len(contexts) > 12  # past the last build's window: every page is fingerprinted
    assert "Scheduled story" in (site / "public" / "index.html").read_text()
    _same_as_clean(site, later)


def test_a_template_change_after_a_body_edit_renders_every_page_that_uses_it(write_site, monkeypatch):
    site = _built_and_edited(write_site, 7, "Some more words.")
    (site / "templates").mkdir(exist_ok=True)
    from conftest import REPO

    card = (REPO / "templates" / "partials" / "story_card.html").read_text()
    (site / "templates" / "partials").mkdir(exist_ok=True)
    (site / "templates" / "partials" / "story_card.html").write_text(card + "<!-- card -->\n")
    rendered = _build(site, "public", monkeypatch)
    assert len([p for p in rendered if p.endswith(".html")]) > 10
    _same_as_clean(site)


def _record(site) -> tuple | None:
    """The cache's sameplan record (newsgen.incremental.sameplan.META and the tables
    ``plan`` and ``plan_reads``), as stored."""
    import sqlite3

    from newsgen.incremental import sameplan

    with sqlite3.connect(site / ".newsgen-cache" / "cache.sqlite3") as db:
        row = db.execute("SELECT v FROM meta WHERE k=?", (f"record:{sameplan.META}",)).fetchone()
        plan = db.execute("SELECT * FROM plan").fetchall()
        reads = db.execute("SELECT * FROM plan_reads").fetchall()
    return (row[0], plan, reads) if row else None


def _set_record(site, value: tuple) -> None:
    import sqlite3

    from newsgen.incremental import sameplan

    text, plan, reads = value
    with sqlite3.connect(site / ".newsgen-cache" / "cache.sqlite3") as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"record:{sameplan.META}", text))
        db.execute("DELETE FROM plan")
        db.executemany("INSERT INTO plan VALUES (?, ?, ?)", plan)
        db.execute("DELETE FROM plan_reads")
        db.executemany("INSERT INTO plan_reads VALUES (?, ?)", reads)


def test_unchanged_reads_keep_their_pages_without_digesting_them(write_site, monkeypatch):
    """After a body edit, a page whose reads kept their tokens is kept without digesting its
    reads (newsgen.incremental.sameplan.Last); the page that shows the body renders."""
    from newsgen.incremental import keying

    site = _built_and_edited(write_site, 4, "First edit.")
    digested: list[int] = []
    real = keying._Deps.digest

    def counting(self, deps):
        digested.append(1)
        return real(self, deps)

    _body_edit(site, 12, "Second edit.")
    monkeypatch.setattr(keying._Deps, "digest", counting)
    rendered = _build(site, "public", monkeypatch)  # undoes the patch when done
    html = [p for p in rendered if p.endswith(".html")]
    assert len(html) == 1 and "story-012" in html[0]
    pages = len(list((site / "public").rglob("*.html")))
    assert pages > 40
    # the reads of the pages that render are digested (when keyed, and for the next build's
    # key); every other page is kept on its reads' tokens
    assert len(digested) <= 2 * len(rendered)
    _same_as_clean(site)


def test_a_body_edit_digests_no_story_list_and_a_headline_edit_does(write_site, monkeypatch):
    """With the same plan every section, tag, author and archive holds the same stories with
    the same records: their tokens are carried from the last build, not digested again."""
    from newsgen.model import Group

    site = _built_and_edited(write_site, 6, "First edit.")
    lists: list[str] = []
    real = fingerprint.Fingerprinter.deep

    def counting(self, obj):
        if isinstance(obj, Group):
            lists.append(obj.url)
        return real(self, obj)

    _body_edit(site, 9, "Second edit.")
    monkeypatch.setattr(fingerprint.Fingerprinter, "deep", counting)
    rendered = _build(site, "public", monkeypatch)
    assert lists == [] and [p for p in rendered if p.endswith(".html")] == ["2025/01/03/story-009/index.html"]
    _same_as_clean(site)
    _edit(site / "articles" / "2025" / "story-009.md", "title: Story number 9", "title: A new headline")
    monkeypatch.setattr(fingerprint.Fingerprinter, "deep", counting)
    _build(site, "public", monkeypatch)
    assert len(lists) > 3  # another plan: the lists the pages read are digested
    _same_as_clean(site)


def test_a_record_older_than_the_stored_pages_is_not_trusted(write_site):
    """The record's page keys tie it to the stored pages: a record left from an earlier build
    (say the build after it stopped between storing its pages and its record) whose reads
    match again must not keep a page the later build rendered from other reads."""
    site = write_site(_corpus(12), config=CONFIG)
    _build(site, "public")
    _body_edit(site, 5, "Edit one.")
    _build(site, "public")
    older = _record(site)
    assert older is not None
    (page,) = [p for p in (site / "public").rglob("*.html") if "Edit one" in p.read_text()]
    path = site / "articles" / "2025" / "story-005.md"
    before = path.read_text()
    _body_edit(site, 5, "Edit two, with other words.")
    _build(site, "public")
    assert "Edit two" in page.read_text()
    _set_record(site, older)  # the stored pages are the last build's, the record the one before
    path.write_text(before)  # the body is again what the older record read
    _build(site, "public")
    assert "Edit two" not in page.read_text()
    _same_as_clean(site)


def test_the_record_updated_row_by_row_is_the_record_of_a_clean_build(write_site):
    """Each build stores only the rows of the record that changed (a page's keys, a read's
    token): after edits that change bodies, drop a story and add one, the stored record is
    row for row what a build with an empty cache stores."""
    import shutil

    site = write_site(_corpus(14), config=CONFIG)
    _build(site, "public")
    _body_edit(site, 3, "A body edit.")
    _build(site, "public")
    (site / "articles" / "2025" / "story-007.md").unlink()
    _build(site, "public")
    _body_edit(site, 9, "Another body edit.")
    _build(site, "public")
    kept = _record(site)
    assert kept is not None and len(kept[1]) > 20 and kept[2]
    shutil.rmtree(site / ".newsgen-cache")
    _build(site, "public")
    clean = _record(site)
    assert clean is not None
    assert sorted(kept[1]) == sorted(clean[1]) and sorted(kept[2]) == sorted(clean[2])


def test_the_cache_keeps_only_what_the_last_build_used(write_site):
    """Edits, a deletion and a story with an image: after each build the cache holds one
    article record and one body per story, and no image note of a body it dropped; nor the
    page, source file or related stories of a deleted story."""
    import sqlite3

    corpus = _corpus(10)
    corpus["articles/2025/story-004.md"] = corpus["articles/2025/story-004.md"].replace(
        "More text 4.", "More text 4.\n\n![A harbour](https://example.com/h.jpg)"
    )
    site = write_site(corpus, config=CONFIG)

    def rows() -> tuple[int, int, int]:
        with sqlite3.connect(site / ".newsgen-cache" / "cache.sqlite3") as db:
            counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("articles", "bodies")]
            orphans = db.execute("SELECT COUNT(*) FROM body_images WHERE key NOT IN (SELECT key FROM bodies)")
            return counts[0], counts[1], orphans.fetchone()[0]

    _build(site, "public")
    assert rows() == (10, 10, 0)
    for i in (3, 3, 4):
        _body_edit(site, i, f"Edit of {i}.")
        _build(site, "public")
        assert rows() == (10, 10, 0)
    (site / "articles" / "2025" / "story-004.md").unlink()
    _build(site, "public")
    assert rows() == (9, 9, 0)
    with sqlite3.connect(site / ".newsgen-cache" / "cache.sqlite3") as db:  # its page and file too
        for table, column in (("pages", "path"), ("files", "path"), ("related", "url")):
            (found,) = db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%story-004%'"
            ).fetchone()
            assert found == 0, table


def test_each_record_is_stored_with_its_digest_and_a_damaged_one_is_computed_again(write_site, monkeypatch):
    """The digest a body edit must leave unchanged (the record's: every field but the body)
    is stored beside the record, so a rebuild does not hash every record again; a stored
    digest that is not text (a damaged row) is computed from the record instead, and then
    nothing but the edited story's page renders, as with the stored one."""
    import sqlite3

    from newsgen.core.digests import digest
    from newsgen.incremental.schema import CACHE_FILE

    site = write_site(_corpus(12), config=CONFIG)
    _build(site, "public")
    db = sqlite3.connect(site / ".newsgen-cache" / CACHE_FILE)
    rows = db.execute("SELECT key, record, meta FROM articles").fetchall()
    assert len(rows) == 12 and all(meta == digest(record) for _key, record, meta in rows)
    db.execute("UPDATE articles SET meta = X'07' WHERE key = ?", (rows[0][0],))
    db.commit()
    db.close()
    _body_edit(site, 4, "A new sentence.")
    rendered = _build(site, "public", monkeypatch)
    assert [p for p in rendered if p.endswith(".html")] == ["2025/01/02/story-004/index.html"]
    _same_as_clean(site)


def test_a_body_edit_loads_the_reads_of_only_the_pages_that_read_the_story(write_site, monkeypatch):
    """The pages reading an edited story are found in the cache by the story's read: the
    reads of exactly the pages that show its body are loaded, and no other page's."""
    from newsgen.incremental import store

    site = _built_and_edited(write_site, 6, "First edit.")
    loaded: list[str] = []
    real = store.BuildCache.load_reads

    def spy(self, paths):
        loaded.extend(paths)
        return real(self, paths)

    monkeypatch.setattr(store.BuildCache, "load_reads", spy)
    _body_edit(site, 11, "Second edit.")
    rendered = _build(site, "public", monkeypatch)
    assert len(list((site / "public").rglob("*.html"))) > 40
    showing = {
        p.relative_to(site / "public").as_posix()
        for p in (site / "public").rglob("*")
        if p.is_file() and "Second edit." in p.read_text()
    }
    assert len(showing) > 3 and sorted(loaded) == sorted(showing) and set(loaded) <= set(rendered)
    monkeypatch.undo()
    _same_as_clean(site)


@pytest.mark.parametrize("how", ["many edits", "lookup fails"])
def test_without_the_lookup_every_pages_reads_are_loaded_and_only_the_edited_render(
    write_site, monkeypatch, how
):
    """More edited stories than are worth looking up one by one, or a cache that cannot
    answer the lookup: every page's reads are loaded instead, and the same pages render."""
    from newsgen.incremental import keying, store

    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    if how == "many edits":
        monkeypatch.setattr(keying, "MAX_LOOKUPS", 2)
    else:
        monkeypatch.setattr(store.BuildCache, "pages_reading", lambda self, reads: None)
    for i in (2, 9, 15):
        _body_edit(site, i, f"Edit of {i}.")
    rendered = _build(site, "public", monkeypatch)
    html = sorted(p for p in rendered if p.endswith(".html"))
    assert len(html) == 3 and all(f"story-{i:03d}" in p for i, p in zip((2, 9, 15), html, strict=True))
    monkeypatch.undo()
    _same_as_clean(site)
