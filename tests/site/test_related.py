"""More Stories ranking: relatedness first, recency weighting, fill-up, exclusions, determinism."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from conftest import story
from newsgen.config import load_config
from newsgen.model import Article
from newsgen.site.assemble import build_site
from newsgen.site.related import more_stories

BASE = datetime(2025, 1, 1, tzinfo=UTC)


def make(slug, day=0, tags=(), section=None, draft=False) -> Article:
    return story(slug, BASE + timedelta(days=day), section=section, tags=tuple(tags), draft=draft)


def site_of(tmp_path, articles, n=5):
    cfg, _ = load_config(tmp_path)
    from dataclasses import replace

    return build_site(articles, replace(cfg, more_stories=n), datetime(2100, 1, 1, tzinfo=UTC))


def slugs(stories):
    return [a.slug for a in stories]


def test_shared_tags_and_section_rank_first(tmp_path):
    a = make("a", 10, ["x", "y"], "Politics")
    both = make("both", 9, ["x", "y"], "Politics")
    two_tags = make("two-tags", 9, ["x", "y"], "Culture")
    one_tag = make("one-tag", 9, ["x"], "Culture")
    section = make("section-only", 9, [], "Politics")
    unrelated = make("unrelated", 11, ["z"], "Sport")
    site = site_of(tmp_path, [a, both, two_tags, one_tag, section, unrelated])
    assert slugs(more_stories(a, site, 5)) == ["both", "two-tags", "one-tag", "section-only", "unrelated"]


def test_recent_related_story_beats_old_one(tmp_path):
    a = make("a", 400, ["x"])
    old = make("old", 0, ["x"])
    near = make("near", 398, ["x"])
    site = site_of(tmp_path, [a, old, near])
    assert slugs(more_stories(a, site, 2)) == ["near", "old"]


def test_fills_up_with_latest_and_never_includes_itself(tmp_path):
    a = make("a", 5, ["lonely"])
    others = [make(f"s{i}", i) for i in range(5)]
    site = site_of(tmp_path, [a, *others])
    result = more_stories(a, site, 3)
    assert slugs(result) == ["s4", "s3", "s2"]
    assert a not in result


def test_drafts_never_appear(tmp_path):
    a = make("a", 5, ["x"])
    draft = make("draft", 5, ["x"], draft=True)
    other = make("other", 1)
    site = site_of(tmp_path, [a, draft, other])
    assert slugs(more_stories(a, site, 5)) == ["other"]


def test_small_site_gives_fewer(tmp_path):
    a = make("a")
    site = site_of(tmp_path, [a])
    assert more_stories(a, site, 5) == ()


def test_deterministic_tie_break_by_date_then_url(tmp_path):
    a = make("a", 5, ["x"])
    b1, b2, c = make("b1", 4, ["x"]), make("b2", 4, ["x"]), make("c", 6, ["x"])
    forward = site_of(tmp_path, [a, b1, b2, c])
    backward = site_of(tmp_path, [c, b2, b1, a])
    assert slugs(more_stories(a, forward, 3)) == slugs(more_stories(a, backward, 3)) == ["c", "b1", "b2"]


def test_site_precomputes_more_stories_for_every_article(tmp_path):
    arts = [make(f"s{i}", i, ["t"]) for i in range(8)]
    site = site_of(tmp_path, arts, n=5)
    for art in site.articles:
        assert site.related(art) == more_stories(art, site, 5)
        assert len(site.related(art)) == 5


def test_scales_without_all_pairs_comparison(tmp_path):
    # 10,000 stories sharing one tag and one section: all-pairs would be 10^8 comparisons.
    arts = [make(f"s{i}", i / 10, ["common", f"t{i % 300}"], "News") for i in range(10_000)]
    started = time.process_time()
    site = site_of(tmp_path, arts)
    elapsed = time.process_time() - started
    assert len(site.more_stories) == 10_000
    assert all(len(v) == 5 for v in site.more_stories.values())
    assert elapsed < 30, f"More Stories for 10,000 articles took {elapsed:.1f}s of CPU"
