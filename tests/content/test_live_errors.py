"""Live coverage's problems are named with the update file and line, never a traceback."""

from __future__ import annotations

from datetime import UTC

import pytest

from conftest import article
from newsgen import load_config
from newsgen.content.live import update_anchor
from newsgen.content.loader import load_all
from newsgen.content.sources import discover
from newsgen.core.dates import parse_datetime
from newsgen.errors import ContentError

INDEX = article(title="Storm night", date="2026-01-10T18:00:00Z", live="true")


def load(write_site, files: dict[str, str]):
    site = write_site(files, config="title: T\nbase_url: https://example.com/\ntimezone: UTC\n")
    config, _ = load_config(site)
    sources, problems = discover(config)
    assert problems == []
    return load_all(sources, config)


def errors_of(write_site, files: dict[str, str]) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load(write_site, files)
    return [f"{d.path}:{d.line}: {d.message}" for d in exc.value.diagnostics]


def test_a_live_folder_is_one_story_with_its_updates_newest_first(write_site):
    articles, warnings = load(
        write_site,
        {
            "articles/storm/index.md": INDEX,
            "articles/storm/a.md": "---\ntime: 2026-01-10T19:00:00Z\n---\nFirst.\n",
            "articles/storm/b.md": "---\ntime: 2026-01-10T20:00:05Z\ntitle: Second\n---\nSecond.\n",
        },
    )
    assert warnings == []
    (story,) = articles
    assert story.slug == "storm" and story.live and story.url.endswith("/storm/")
    assert [u.source for u in story.updates] == ["articles/storm/b.md", "articles/storm/a.md"]
    assert [u.anchor for u in story.updates] == ["update-20260110T200005Z", "update-20260110T1900Z"]
    assert story.updates[0].title == "Second" and story.updates[0].body == "<p>Second.</p>"


def test_an_index_md_directly_in_articles_is_an_ordinary_story(write_site):
    articles, _ = load(
        write_site,
        {"articles/index.md": article(title="Index"), "articles/other.md": article(title="Other")},
    )
    assert sorted(a.title for a in articles) == ["Index", "Other"]
    assert all(a.updates == () for a in articles)


def test_update_text_is_never_markup_or_template(write_site):
    articles, _ = load(
        write_site,
        {
            "articles/storm/index.md": INDEX,
            "articles/storm/a.md": "---\ntime: 2026-01-10T19:00:00Z\ntitle: <b>x</b>\n---\n"
            "<script>alert(1)</script> {{ config }} [x](javascript:alert(1))\n",
        },
    )
    (update,) = articles[0].updates
    assert "<script>" not in update.body and "&lt;script&gt;" in update.body
    assert "javascript:" not in update.body and "{{ config }}" in update.body
    assert update.title == "<b>x</b>"  # plain text: the template escapes it


def test_anchor_is_utc_and_url_safe():
    when = parse_datetime("2026-11-04T22:30:00+01:00", UTC)
    assert update_anchor(when) == "update-20261104T2130Z"


def test_missing_time(write_site):
    errs = errors_of(
        write_site, {"articles/storm/index.md": INDEX, "articles/storm/u.md": "---\ntitle: x\n---\nText.\n"}
    )
    assert errs == [
        "articles/storm/u.md:1: time: missing; every live update needs one, e.g. 'time: 2026-11-04T21:30'"
    ]


def test_invalid_time(write_site):
    errs = errors_of(
        write_site,
        {"articles/storm/index.md": INDEX, "articles/storm/u.md": "---\ntitle: x\ntime: soon\n---\nText.\n"},
    )
    assert len(errs) == 1 and errs[0].startswith("articles/storm/u.md:3: time: 'soon' is not a date")


def test_two_updates_with_one_time(write_site):
    files = {
        "articles/storm/index.md": INDEX,
        "articles/storm/a.md": "---\ntime: 2026-01-10T19:00:00Z\n---\nOne.\n",
        "articles/storm/b.md": "---\n# a comment\ntime: 2026-01-10T19:00:00Z\n---\nTwo.\n",
    }
    (err,) = errors_of(write_site, files)
    assert err.startswith(
        "articles/storm/b.md:3: time: 2026-01-10T19:00:00+00:00 is the time of another update"
    )
    assert "articles/storm/a.md:2" in err and "#update-20260110T1900Z" in err


def test_an_update_next_to_an_index_that_is_not_live(write_site):
    files = {
        "articles/storm/index.md": article(title="Storm night", date="2026-01-10T18:00:00Z"),
        "articles/storm/u.md": "---\ntime: 2026-01-10T19:00:00Z\n---\nText.\n",
    }
    (err,) = errors_of(write_site, files)
    assert err.startswith(
        "articles/storm/u.md:1: a live update next to articles/storm/index.md, which is not live"
    )


def test_an_update_without_text(write_site):
    files = {
        "articles/storm/index.md": INDEX,
        "articles/storm/u.md": "---\ntime: 2026-01-10T19:00:00Z\n---\n\n",
    }
    (err,) = errors_of(write_site, files)
    assert err == "articles/storm/u.md:4: the update has no text; write its body after the front matter"


def test_live_must_be_a_flag_and_every_problem_is_reported_at_once(write_site):
    files = {
        "articles/storm/index.md": article(
            title="Storm", date="2026-01-10T18:00:00Z", live="soon", live_until="never"
        ),
        "articles/other/index.md": INDEX,
        "articles/other/u.md": "---\ntime: 2026-01-10T25:00\n---\nText.\n",
    }
    errs = errors_of(write_site, files)
    assert any(e.startswith("articles/storm/index.md:4: live: expected true or false") for e in errs), errs
    assert any(e.startswith("articles/storm/index.md:5: live_until:") for e in errs), errs
    assert any(e.startswith("articles/other/u.md:2: time:") for e in errs), errs


def test_unknown_keys_in_an_update_are_warnings(write_site):
    _articles, warnings = load(
        write_site,
        {
            "articles/storm/index.md": INDEX,
            "articles/storm/u.md": "---\ntime: 2026-01-10T19:00:00Z\ntitel: x\n---\nT.\n",
        },
    )
    assert [(w.path, w.line) for w in warnings] == [("articles/storm/u.md", 3)]
    assert "titel: not used by a live update" in warnings[0].message


def test_the_build_reports_file_and_line(write_site, cli):
    site = write_site(
        {"articles/storm/index.md": INDEX, "articles/storm/u.md": "---\ntitle: x\n---\nText.\n"},
        config="title: T\nbase_url: https://example.com/\n",
    )
    r = cli("build", "--site", site, "--no-cache")
    assert r.code != 0 and "articles/storm/u.md:1" in r.err and "Traceback" not in r.err


def test_check_names_a_bad_update_and_checks_the_other_stories(write_site, cli):
    site = write_site(
        {
            "articles/storm/index.md": INDEX,
            "articles/storm/u.md": "---\ntime: 2026-01-10T19:00:00Z\n---\n\n",
            "articles/other.md": article(title="Other", date="2026-01-10T18:00:00Z", image="/x.jpg"),
        },
        config="title: T\nbase_url: https://example.com/\n",
    )
    r = cli("check", "--site", site)
    assert r.code != 0 and "Traceback" not in r.err, r.err
    out = r.out + r.err
    assert "articles/storm/u.md:4" in out and "the update has no text" in out
    assert "articles/other.md" in out and "image_alt" in out  # the other story was checked too


def test_live_until_before_the_story_starts_is_a_warning_with_its_line(write_site):
    """A slip of the month (coverage 'ending' before it began) would make the story never live and its
    LiveBlogPosting claim a coverageEndTime before its coverageStartTime; it is named, not passed over."""
    index = INDEX.replace("live: true", "live: true\nlive_until: 2025-01-11T06:00:00Z")
    _articles, warnings = load(write_site, {"articles/storm/index.md": index})
    (w,) = warnings
    assert (w.path, w.line) == ("articles/storm/index.md", 5)
    assert w.message.startswith("live_until: 2025-01-11T06:00:00+00:00 is not after the story is published")
    fine = INDEX.replace("live: true", "live: true\nlive_until: 2026-01-11T06:00:00Z")
    assert load(write_site, {"articles/storm/index.md": fine})[1] == []
