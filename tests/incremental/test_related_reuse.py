"""More Stories are reused when no story's ranking inputs changed (one digest over all of
them, newsgen.incremental.related), and ranked again when any did; always as a clean build."""

from __future__ import annotations

from test_edit_skips import CONFIG, NOW, _corpus, _edit, _same_as_clean

from conftest import article
from newsgen import BufferReporter, load_config
from newsgen.pipeline import build


def _build(site, jobs=1):
    config, _ = load_config(site, output=site / "public")
    return build(config, BufferReporter(), jobs=jobs, now=NOW)


def _rankings_made(monkeypatch) -> list[str]:
    """The URLs of the stories ranked from now on, in this process, as they are ranked."""
    from newsgen.incremental import related

    ranked: list[str] = []
    real = related._rank_one

    def counting(work, i):
        ranked.append(work.articles[i].url)
        return real(work, i)

    monkeypatch.setattr(related, "_rank_one", counting)
    return ranked


def test_body_edits_reuse_every_ranking_and_input_edits_rank_again(write_site, monkeypatch):
    site = write_site(_corpus(16), config=CONFIG)
    _build(site)
    ranked = _rankings_made(monkeypatch)
    story = site / "articles" / "2025" / "story-006.md"
    _edit(story, "More text 6.", "More text 6, and more.")
    _build(site)
    assert ranked == []  # a body is no ranking input
    _same_as_clean(site)
    _edit(story, "[rail, schools]", "[budget]")  # its tags: rankings that look at it change
    _build(site)
    assert ranked  # ranked again
    _same_as_clean(site)
    ranked.clear()
    _edit(story, "More text 6, and more.", "More text 6, and more again.")
    _build(site)
    assert ranked == []
    _same_as_clean(site)
    _edit(story, "section: Sport", "section: News")
    _build(site)
    assert ranked
    _same_as_clean(site)


def test_a_body_edit_takes_every_ranking_from_the_cache_without_checking_them(write_site, monkeypatch):
    """With the last build's plan (only a body changed, newsgen.incremental.sameplan) the rankings
    are that build's, taken as the cache holds them: no story's inputs are digested. Any other
    edit checks them as before."""
    from newsgen.incremental import related

    site = write_site(_corpus(16), config=CONFIG)
    _build(site)
    checked: list[int] = []
    real_inputs = related._all_inputs
    monkeypatch.setattr(related, "_all_inputs", lambda published: checked.append(1) or real_inputs(published))
    story = site / "articles" / "2025" / "story-006.md"
    _edit(story, "More text 6.", "More text 6, and more.")
    _build(site)
    assert checked == []
    _same_as_clean(site)
    _edit(story, "title: Story number 6", "title: A new headline")  # another plan
    _build(site)
    assert checked
    _same_as_clean(site)
    checked.clear()
    _edit(story, "More text 6, and more.", "More text 6, and more again.")
    _build(site)
    assert checked == []
    _same_as_clean(site)


def test_a_body_edit_reads_only_the_rankings_of_the_pages_it_makes(write_site, monkeypatch):
    """With the last build's plan, a story's More Stories are read from the cache when its page
    is made: a body edit makes one story page, and reads one ranking, not the whole table."""
    from newsgen.incremental.store import BuildCache

    site = write_site(_corpus(16), config=CONFIG)
    _build(site)
    asked: list[str | None] = []
    real = BuildCache.related
    monkeypatch.setattr(BuildCache, "related", lambda self, url=None: asked.append(url) or real(self, url))
    story = site / "articles" / "2025" / "story-006.md"
    _edit(story, "More text 6.", "More text 6, and more.")
    _build(site)
    assert asked == ["/2025/01/03/story-006/"]  # its page, and no other
    _same_as_clean(site)
    asked.clear()
    _edit(story, "title: Story number 6", "title: A new headline")  # another plan: every ranking
    _build(site)
    assert asked == [None]
    _same_as_clean(site)


def test_a_damaged_rankings_table_is_ranked_again_with_the_same_plan(write_site):
    """The table is trusted only as far as it names stories of the site: a ranking that lists a
    story that is not there, or is missing, is ranked again when a page shows it."""
    import sqlite3

    from newsgen.incremental.schema import CACHE_FILE

    site = write_site(_corpus(16), config=CONFIG)
    _build(site)
    db = sqlite3.connect(site / ".newsgen-cache" / CACHE_FILE)
    (url,) = db.execute("SELECT url FROM related ORDER BY url LIMIT 1").fetchone()
    db.execute("UPDATE related SET urls=? WHERE url=?", ("/no/such/story/", url))
    db.execute("UPDATE related SET urls=? WHERE url LIKE ?", ("/no/such/story/", "%/story-006/"))
    db.execute("DELETE FROM related WHERE url LIKE ?", ("%/story-007/",))
    db.commit()
    db.close()
    for i in (6, 7):  # their pages are made again: each with its ranking made again
        story = site / "articles" / "2025" / f"story-{i:03d}.md"
        _edit(story, f"More text {i}.", f"More text {i}, and more.")
    _build(site)
    _same_as_clean(site)


def test_rankings_made_on_every_core_are_kept_under_the_keys_a_rebuild_checks(write_site, monkeypatch):
    """A first build ranks every story in worker processes, each ranking's cache key made with it
    there; the next build makes the keys of the stored rankings itself to check them. After an
    edit of the tags of a story that no other story's ranking looks at (the oldest, alone in its
    section and tags), only its own ranking is made again: every other key matched."""

    files = _corpus(80)  # over MIN_PARALLEL: ranked by forked workers
    files["articles/2024/lonely.md"] = article(
        title="A lonely story",
        date="2024-06-01T08:00:00+00:00",
        body="Alone.",
        section="Weather",
        tags="[hail]",
    )
    site = write_site(files, config=CONFIG)
    _build(site, jobs=2)
    ranked = _rankings_made(monkeypatch)
    _edit(site / "articles" / "2024" / "lonely.md", "[hail]", "[sleet]")
    _build(site, jobs=2)
    assert ranked == ["/2024/06/01/lonely/"]
    _same_as_clean(site)
