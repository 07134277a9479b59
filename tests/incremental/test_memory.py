"""What a build holds for each story and page is held once: the peak memory of a
100,000-article build (issue 18's target: under 1.5 GiB) depends on it."""

from __future__ import annotations

from test_edit_skips import CONFIG, _build, _corpus

from newsgen import load_config, model
from newsgen.content.loader import load_all
from newsgen.content.sources import discover
from newsgen.incremental import session as incremental_session
from newsgen.incremental.store import BuildCache


def _shared(entries) -> tuple[int, int]:
    """(reads, reads equal to an earlier one but not the same object) over ``entries``."""
    first: dict[tuple[str, ...], tuple[str, ...]] = {}
    total = copies = 0
    for entry in entries:
        for read in entry.deps:
            total += 1
            copies += first.setdefault(read, read) is not read
    return total, copies


def test_equal_reads_of_the_pages_are_one_object(write_site, monkeypatch):
    """Every list page reads the stories it shows: the reads that come back from the
    workers, and those the next build takes from the cache, are kept once each."""
    site = write_site({"newsgen.yaml": CONFIG, **_corpus(12)})
    held = {}
    real_finish = incremental_session.IncrementalBuild.finish

    def finish(self, site_, pages, warnings):
        held["entries"] = list(self._plan.entries.values())
        return real_finish(self, site_, pages, warnings)

    monkeypatch.setattr(incremental_session.IncrementalBuild, "finish", finish)
    _build(site, "public")
    total, copies = _shared(held["entries"])
    assert total > 2 * len({r for e in held["entries"] for r in e.deps})  # reads repeat
    assert copies == 0
    cache = BuildCache(site / ".newsgen-cache")
    try:
        total, copies = _shared(cache.pages().values())
    finally:
        cache.close()
    assert total > 0 and copies == 0


def test_an_article_has_slots_and_works_out_its_derived_fields_once(write_site, monkeypatch):
    """Forty fields in a ``__dict__`` cost 1,584 bytes a story (it cannot share its keys);
    in slots, 368. The two values an article keeps once worked out still are kept."""
    site = write_site({"newsgen.yaml": CONFIG, **_corpus(3)})
    config, _ = load_config(site)
    articles, _ = load_all(discover(config)[0], config)
    a = articles[0]
    assert not hasattr(a, "__dict__")
    counted: list[str] = []
    real = model.count_words
    monkeypatch.setattr(model, "count_words", lambda html: counted.append(html) or real(html))
    assert a.word_count == a.word_count > 0 and len(counted) == 1
    assert a.modified is a.modified
