"""Publishing on a clock: drafts, future dates, embargoes, expiry, and the next-change report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import article, tree_digest

CONFIG = """\
title: Clock Test
base_url: https://news.example.com/
timezone: Europe/London
"""

# A story that will be embargoed, with a tag, section and author of its own, and
# another public story sharing them, so it would appear in every kind of list.
SECRET_TITLE = "Secret merger talks revealed"
SECRET_SLUG = "secret-merger"


def _site(write_site, secret_fields: dict[str, str], secret_date="2025-04-01T09:00:00+01:00"):
    files = {
        "articles/public-story.md": article(
            "Harbour opens new quay",
            "2025-03-30T09:00:00+01:00",
            section="Business",
            author="Ada Quill",
            tags="[shipping]",
        ),
        f"articles/{SECRET_SLUG}.md": article(
            SECRET_TITLE,
            secret_date,
            body="Two firms are in talks.",
            section="Business",
            author="Ada Quill",
            tags="[shipping, mergers]",
            **secret_fields,
        ),
    }
    return write_site(files, config=CONFIG)


def _all_text(out: Path) -> str:
    """Every published text file. newsgen's hidden bookkeeping files (``.newsgen-*``) are not
    published; the deploy manifest must name a removed story's URL so a CDN can drop it."""
    return "\n".join(
        p.read_text("utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml", ".json") and not p.name.startswith(".newsgen-")
    )


def _present_everywhere(out: Path) -> None:
    page = out / "2025/04/01" / SECRET_SLUG / "index.html"
    assert page.is_file()
    for lst in (
        "index.html",
        "business/index.html",
        "tags/shipping/index.html",
        "tags/mergers/index.html",
        "authors/ada-quill/index.html",
        "2025/index.html",
        "2025/04/index.html",
    ):
        assert SECRET_TITLE in (out / lst).read_text("utf-8"), lst
    assert SECRET_TITLE in (out / "feed.xml").read_text("utf-8")
    more = (out / "2025/03/30/public-story/index.html").read_text("utf-8")
    assert SECRET_SLUG in more  # in the public story's More Stories


def _absent_everywhere(out: Path) -> None:
    assert not list(out.rglob(f"*{SECRET_SLUG}*"))
    text = _all_text(out)
    assert SECRET_TITLE not in text
    assert SECRET_SLUG not in text
    assert "mergers" not in text  # its tag has no page and is in no index
    assert not (out / "2025/04").exists()


def test_embargo_lifts_between_two_as_of_builds(write_site, cli):
    site = _site(write_site, {"embargo": "2025-04-02T06:00:00+01:00"})
    out = site / "public"
    r = cli("build", "--site", site, "--as-of", "2025-04-02T05:59")
    assert r.code == 0, r.err
    _absent_everywhere(out)
    assert "2025-04-02T06:00:00+01:00" in r.out
    assert "embargo lifts" in r.out and SECRET_SLUG in r.out  # the console may say which story

    r = cli("build", "--site", site, "--as-of", "2025-04-02T06:00")
    assert r.code == 0, r.err
    _present_everywhere(out)


def test_future_dated_story_waits_for_its_date(write_site, cli):
    site = _site(write_site, {})
    out = site / "public"
    assert cli("build", "--site", site, "--as-of", "2025-04-01T08:59:59+01:00").code == 0
    _absent_everywhere(out)
    assert cli("build", "--site", site, "--as-of", "2025-04-01T08:00:00Z").code == 0  # 09:00 London
    _present_everywhere(out)


def test_expired_story_disappears_and_its_page_is_removed(write_site, cli):
    site = _site(write_site, {"expires": "2025-04-10T00:00"})
    out = site / "public"
    r = cli("build", "--site", site, "--as-of", "2025-04-09T23:59")
    assert r.code == 0, r.err
    _present_everywhere(out)
    assert "next scheduled change: 2025-04-10T00:00:00+01:00" in r.out
    r = cli("build", "--site", site, "--as-of", "2025-04-10T00:00")
    assert r.code == 0, r.err
    _absent_everywhere(out)
    assert "removed" in r.out


def test_drafts_are_left_out_unless_asked_for(write_site, cli):
    site = _site(write_site, {"draft": "true"})
    out = site / "public"
    assert cli("build", "--site", site).code == 0
    _absent_everywhere(out)

    preview = site.parent / "preview"
    r = cli("build", "--site", site, "--output", preview, "--drafts")
    assert r.code == 0, r.err
    _present_everywhere(preview)
    page = (preview / "2025/04/01" / SECRET_SLUG / "index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert 'class="draft-banner"' in page
    public = (preview / "2025/03/30/public-story/index.html").read_text("utf-8")
    assert "noindex" not in public and "draft-banner" not in public


def test_published_story_linking_to_embargoed_one_is_an_error(write_site, cli):
    site = _site(write_site, {"embargo": "2025-04-02T06:00:00+01:00"})
    out = site / "public"
    assert cli("build", "--site", site, "--as-of", "2025-04-01T12:00").code == 0
    before = tree_digest(out)
    (site / "articles/leaky.md").write_text(
        article(
            "Leaky story",
            "2025-03-31T09:00:00+01:00",
            body=f"See [the talks](../../../../2025/04/01/{SECRET_SLUG}/).",
        ),
        "utf-8",
    )
    r = cli("build", "--site", site, "--as-of", "2025-04-01T12:00")
    assert r.code == 1
    assert "articles/leaky.md: links to" in r.err and f"articles/{SECRET_SLUG}.md" in r.err
    assert "embargo" in r.err
    assert tree_digest(out) == before
    # Once the embargo has lifted the link is fine.
    assert cli("build", "--site", site, "--as-of", "2025-04-02T06:00").code == 0


@pytest.mark.parametrize(
    "href",
    [
        "https://news.example.com/2025/04/01/secret-merger/",
        "/2025/04/01/secret-merger",
        "/2025/04/01/secret-merger/index.html#top",
    ],
)
def test_every_spelling_of_the_embargoed_url_is_caught(write_site, cli, href):
    site = _site(write_site, {"embargo": "2025-04-02T06:00:00+01:00"})
    (site / "articles/leaky.md").write_text(article("Leaky", body=f"[talks]({href})"), "utf-8")
    r = cli("build", "--site", site, "--as-of", "2025-04-01T12:00")
    assert r.code == 1 and "articles/leaky.md" in r.err


def test_link_to_a_scheduled_story_is_a_warning(write_site, cli):
    site = _site(write_site, {})
    (site / "articles/early.md").write_text(
        article("Early", body=f"[later](/2025/04/01/{SECRET_SLUG}/)"), "utf-8"
    )
    r = cli("build", "--site", site, "--as-of", "2025-03-31T12:00")
    assert r.code == 0
    assert "articles/early.md: warning: links to" in r.err and "not published until" in r.err
    assert cli("build", "--site", site, "--as-of", "2025-03-31T12:00", "--strict").code == 1


def _status(out: Path) -> dict:
    return json.loads((out / "newsgen-status.json").read_text("utf-8"))


def test_next_change_report_is_the_earliest_future_date_embargo_or_expiry(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article("A", "2025-04-01T09:00:00+01:00", expires="2025-04-30T00:00"),
            "articles/b.md": article("B", "2025-04-01T09:00:00+01:00", embargo="2025-04-05T07:00:00+01:00"),
            "articles/c.md": article("C", "2025-04-08T12:00:00+01:00"),
            "articles/d.md": article("D", "2025-04-03T12:00:00+01:00", draft="true"),  # drafts never count
            "articles/e.md": article(
                "E", "2025-04-02T00:00:00+01:00", expires="2025-04-01T00:00"
            ),  # never public
        },
        config=CONFIG,
    )
    out = site / "public"
    steps = [
        ("2025-04-01T10:00", "2025-04-05T07:00:00+01:00", "embargo lifts", "articles/b.md"),
        ("2025-04-05T07:00", "2025-04-08T12:00:00+01:00", "publish", "articles/c.md"),
        ("2025-04-09T00:00", "2025-04-30T00:00:00+01:00", "expire", "articles/a.md"),
    ]
    for as_of, expected, kind, source in steps:
        r = cli("build", "--site", site, "--as-of", as_of)
        assert r.code == 0, r.err
        assert f"next scheduled change: {expected} ({source}: {kind})" in r.out
        status = _status(out)
        assert status["next_change"] == expected
        assert status["next_change_epoch"] == int(_parse(expected).timestamp())
        assert status["next_change_utc"].endswith("Z")
        assert "b.md" not in json.dumps(status)  # never says which story

    r = cli("build", "--site", site, "--as-of", "2025-05-01T00:00")
    assert "no scheduled changes" in r.out
    assert _status(out)["next_change"] is None


def _parse(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_status_file_is_the_same_for_any_now_before_the_change(write_site, cli):
    site = _site(write_site, {"embargo": "2025-04-02T06:00:00+01:00"})
    a, b = site.parent / "a", site.parent / "b"
    assert cli("build", "--site", site, "--output", a, "--as-of", "2025-04-01T10:00").code == 0
    assert cli("build", "--site", site, "--output", b, "--as-of", "2025-04-02T05:00").code == 0
    assert tree_digest(a) == tree_digest(b)


def test_source_date_epoch_sets_now_and_as_of_wins(write_site, cli, monkeypatch):
    site = _site(write_site, {"embargo": "2025-04-02T06:00:00+01:00"})
    out = site / "public"
    lifted = 1743570000  # 2025-04-02T05:00:00Z = 06:00 London
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(lifted - 1))
    assert cli("build", "--site", site).code == 0
    _absent_everywhere(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(lifted))
    assert cli("build", "--site", site).code == 0
    _present_everywhere(out)
    assert cli("build", "--site", site, "--as-of", "2025-04-01T00:00").code == 0
    _absent_everywhere(out)


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["--as-of", "2025-02-30"], None, "--as-of: '2025-02-30' is not a valid date"),
        (["--as-of", "tomorrow"], None, "--as-of: 'tomorrow' is not a date"),
        ([], "yesterday", "SOURCE_DATE_EPOCH: 'yesterday' is not a whole number"),
    ],
)
def test_bad_now_is_an_error(write_site, cli, monkeypatch, args, env, message):
    site = _site(write_site, {})
    if env is not None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", env)
    r = cli("build", "--site", site, *args)
    assert r.code == 1
    assert message in r.err
    assert not (site / "public").exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("embargo", "2025-13-01", "embargo: '2025-13-01' is not a valid date"),
        ("expires", "soon", "expires: 'soon' is not a date"),
        ("expiryDate", "yes", "expiryDate: expected a date"),
    ],
)
def test_bad_clock_fields_name_file_and_line(write_site, cli, field, value, message):
    site = write_site({"articles/x.md": article("X", **{field: value})})
    r = cli("build", "--site", site)
    assert r.code == 1
    assert f"articles/x.md:4:{len(field) + 3}: {message}" in r.err


def test_expiry_before_publication_is_a_warning(write_site, cli):
    site = write_site({"articles/x.md": article("X", "2025-04-02", expires="2025-04-01")})
    r = cli("build", "--site", site, "--as-of", "2025-03-01")
    assert r.code == 0
    assert "articles/x.md:4:10: warning: expires:" in r.err and "never appear" in r.err
