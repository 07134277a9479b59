"""More Stories are reused when no story's ranking inputs changed (one digest over all of
them, newsgen.incremental.related), and ranked again when any did; always as a clean build."""

from __future__ import annotations

from test_edit_skips import CONFIG, NOW, _corpus, _edit, _same_as_clean

from newsgen import BufferReporter, load_config
from newsgen.pipeline import build


def _build(site):
    config, _ = load_config(site, output=site / "public")
    return build(config, BufferReporter(), jobs=1, now=NOW)


def test_body_edits_reuse_every_ranking_and_input_edits_rank_again(write_site, monkeypatch):
    from newsgen.incremental import related

    site = write_site(_corpus(16), config=CONFIG)
    _build(site)
    ranked: list[str] = []
    real = related._rank_one

    def counting(work, i):
        ranked.append(work.articles[i].url)
        return real(work, i)

    monkeypatch.setattr(related, "_rank_one", counting)
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
