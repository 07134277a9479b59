"""``newsgen new``: a new article file with complete front matter, never overwriting."""

from __future__ import annotations

import yaml

from newsgen.content.sources import split_front_matter


def _front_matter(path):
    fm, _, body, _ = split_front_matter(path.read_text("utf-8"), path.name)
    return yaml.safe_load(fm), body


def test_new_writes_a_complete_draft(write_site, cli):
    site = write_site({}, config="timezone: Europe/London\n")
    r = cli(
        "new",
        "Tram línea opens: “finally”",
        "--section",
        "Transport",
        "--author",
        "Ada Quill",
        "--author",
        "Ben Ode",
        "--date",
        "2025-04-01T23:30:00Z",
        "--site",
        site,
    )
    assert r.code == 0, r.err
    path = site / "articles/2025-04-02-tram-linea-opens-finally.md"  # 00:30 in London
    assert r.out.strip().startswith("created articles/2025-04-02-tram-linea-opens-finally.md")
    meta, body = _front_matter(path)
    assert meta["title"] == "Tram línea opens: “finally”"
    assert meta["slug"] == "tram-linea-opens-finally"
    assert str(meta["date"]) == "2025-04-02 00:30:00+01:00"
    assert meta["draft"] is True
    assert meta["section"] == "Transport"
    assert meta["authors"] == ["Ada Quill", "Ben Ode"]
    for key in ("tags", "summary", "dateline"):
        assert key in meta
    assert "Write the story here." in body


def test_new_story_builds_as_a_draft_and_publishes_when_undrafted(write_site, cli):
    site = write_site({}, config="base_url: https://news.example/\n")
    assert (
        cli("new", "Storm warning", "--section", "Weather", "--date", "2025-04-01T06:00", "--site", site).code
        == 0
    )
    path = site / "articles/2025-04-01-storm-warning.md"
    r = cli("build", "--site", site, "--strict")
    assert r.code == 0, r.err
    assert not (site / "public/2025/04/01/storm-warning").exists()
    assert cli("build", "--site", site, "--drafts").code == 0
    assert "draft-banner" in (site / "public/2025/04/01/storm-warning/index.html").read_text("utf-8")
    path.write_text(path.read_text("utf-8").replace("draft: true", "draft: false"), "utf-8")
    assert cli("build", "--site", site, "--strict").code == 0
    page = (site / "public/2025/04/01/storm-warning/index.html").read_text("utf-8")
    assert "draft-banner" not in page and '<h1 class="article__title">Storm warning</h1>' in page
    assert (site / "public/weather/index.html").is_file()


def test_new_refuses_to_overwrite(write_site, cli):
    site = write_site({})
    args = ("new", "Same headline", "--date", "2025-04-01", "--site", site)
    assert cli(*args).code == 0
    path = site / "articles/2025-04-01-same-headline.md"
    path.write_text("my edits", "utf-8")
    r = cli(*args)
    assert r.code == 1
    assert "articles/2025-04-01-same-headline.md: already exists; newsgen new never overwrites" in r.err
    assert path.read_text("utf-8") == "my edits"


def test_new_dates_from_source_date_epoch_or_the_clock(write_site, cli, monkeypatch):
    site = write_site({})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    assert cli("new", "Epoch story", "--site", site).code == 0
    meta, _ = _front_matter(site / "articles/2025-01-01-epoch-story.md")
    assert str(meta["date"]) == "2025-01-01 00:00:00+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert cli("new", "Clock story", "--site", site).code == 0
    assert len(list((site / "articles").glob("*-clock-story.md"))) == 1


def test_new_needs_a_headline_and_a_good_date(write_site, cli):
    site = write_site({})
    r = cli("new", "   ", "--site", site)
    assert r.code == 1 and "headline is empty" in r.err
    r = cli("new", "X", "--date", "someday", "--site", site)
    assert r.code == 1 and "--date: 'someday' is not a date" in r.err
    assert cli("new", "--site", site).code == 2
    assert not (site / "articles").exists() or not list((site / "articles").iterdir())


def test_new_help_explains_itself(cli):
    r = cli("new", "--help")
    assert r.code == 0
    assert "never overwrites" in r.out.lower() and "--section" in r.out and "--author" in r.out
