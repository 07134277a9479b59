"""sitemap.xml, news-sitemap.xml and robots.txt, parsed back with an XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import story
from newsgen.config import load_config
from newsgen.model import Article
from newsgen.outputs.sitemaps import (
    MAX_NEWS_URLS,
    MAX_URLS,
    NEWS_NS,
    SITEMAP_NS,
    SitemapEntry,
    news_language,
    news_sitemap_files,
    sitemap_files,
)
from syndication_site import BASE, NOW, assert_config_error, build_site_at, make_site

SM = f"{{{SITEMAP_NS}}}"
NEWS = f"{{{NEWS_NS}}}"


def _locs(root: ET.Element, parent: str = "url") -> list[str]:
    return [el.findtext(f"{SM}loc") for el in root.findall(f"{SM}{parent}")]


def _story(i: int, when: datetime) -> Article:
    return story(
        f"story-{i}",
        when,
        url=f"/{when:%Y/%m/%d}/story-{i}/",
        title=f"Story {i}",
        body="<p>x</p>",
    )


@pytest.fixture
def built(write_site):
    return build_site_at(make_site(write_site))


def test_sitemap_lists_every_published_page_with_content_lastmod(built):
    root = ET.parse(built / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    urls = {el.findtext(f"{SM}loc"): el.findtext(f"{SM}lastmod") for el in root.findall(f"{SM}url")}
    pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))
    expected = {BASE + p.removesuffix("index.html") for p in pages if p != "404.html"}
    assert set(urls) == expected
    assert all(u.startswith(BASE) for u in urls)
    assert urls[BASE + "2025/06/10/budget/"] == "2025-06-11T08:00:00+02:00"  # updated, not published
    assert urls[BASE + "2025/05/01/old-news/"] == "2025-05-02T10:00:00+00:00"  # its correction
    assert urls[BASE + "corrections/"] == "2025-05-02T10:00:00+00:00"
    assert urls[BASE + "tags/"] == urls[BASE]  # an index: its newest story
    assert urls[BASE] == "2025-06-11T10:00:00+00:00"  # the front page: its newest story


def test_a_crawler_library_reads_both_sitemaps(built):
    """ultimate-sitemap-parser, the parser many crawlers use, reads what Google would."""
    from usp.tree import sitemap_from_str

    pages = list(sitemap_from_str((built / "sitemap.xml").read_text("utf-8")).all_pages())
    assert len(pages) == len(ET.parse(built / "sitemap.xml").getroot())
    assert all(p.url.startswith(BASE) and p.last_modified.tzinfo is not None for p in pages)
    news = list(sitemap_from_str((built / "news-sitemap.xml").read_text("utf-8")).all_pages())
    assert [p.url for p in news] == [BASE + "2025/06/11/hostile/", BASE + "2025/06/10/budget/"]
    story = news[1].news_story
    assert (story.title, story.publication_name, story.publication_language) == (
        "Budget vote delayed",
        "The Test Gazette",
        "en",
    )
    assert story.publish_date == datetime.fromisoformat("2025-06-10T09:00:00+02:00")


def test_sitemap_becomes_an_index_past_50000_urls():
    config, _ = load_config(Path(__file__).parent, base_url=BASE)
    when = datetime(2025, 1, 1, tzinfo=UTC)
    entries = [SitemapEntry(f"/p/{i:05d}/", when + timedelta(minutes=i)) for i in range(MAX_URLS + 1)]
    files = dict(sitemap_files(config, entries))
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    assert _locs(index, "sitemap") == [BASE + "sitemap-1.xml", BASE + "sitemap-2.xml"]
    last = index.findall(f"{SM}sitemap")[1].findtext(f"{SM}lastmod")
    assert last == (when + timedelta(minutes=MAX_URLS)).isoformat()
    first, second = (ET.fromstring(files[n]) for n in ("sitemap-1.xml", "sitemap-2.xml"))
    assert len(first.findall(f"{SM}url")) == MAX_URLS
    assert _locs(second) == [BASE + f"p/{MAX_URLS:05d}/"]
    # exactly at the limit: one plain file
    assert [n for n, _ in sitemap_files(config, entries[:MAX_URLS])] == ["sitemap.xml"]


def test_news_sitemap_holds_the_two_days_before_now(built):
    root = ET.parse(built / "news-sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    # hostile (10:00Z today) and budget (yesterday); the ferry story sits exactly at the window's
    # start (now - 48h) and is out, as is the month-old story
    assert [u.findtext(f"{SM}loc") for u in urls] == [
        BASE + "2025/06/11/hostile/",
        BASE + "2025/06/10/budget/",
    ]
    for u in urls:
        news = u.find(f"{NEWS}news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Test Gazette"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        assert datetime.fromisoformat(news.findtext(f"{NEWS}publication_date")).tzinfo is not None
    budget = urls[1].find(f"{NEWS}news")
    assert budget.findtext(f"{NEWS}title") == "Budget vote delayed"
    assert budget.findtext(f"{NEWS}publication_date") == "2025-06-10T09:00:00+02:00"
    assert urls[0].findtext(f"{NEWS}news/{NEWS}title").startswith("Hostile ]]> </script>")


def test_news_window_moves_with_now(write_site, tmp_path):
    site = make_site(write_site)
    just_inside = build_site_at(site, now=datetime(2025, 6, 11, 9, 59, tzinfo=UTC), output=tmp_path / "a")
    locs = _locs(ET.parse(just_inside / "news-sitemap.xml").getroot())
    assert BASE + "2025/06/09/ferry-fleet/" in locs  # 45h59m old
    assert BASE + "2025/06/11/hostile/" not in locs  # published after this "now"
    later = build_site_at(site, now=NOW + timedelta(days=30), output=tmp_path / "b")
    root = ET.parse(later / "news-sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset" and root.findall(f"{SM}url") == []  # kept, empty


def test_news_sitemap_splits_past_1000_stories():
    config, _ = load_config(Path(__file__).parent, base_url=BASE)
    stories = [_story(i, NOW - timedelta(seconds=i + 1)) for i in range(MAX_NEWS_URLS + 5)]
    stories.append(_story(99999, NOW - timedelta(days=3)))  # outside the window
    files = dict(news_sitemap_files(config, stories, NOW))
    assert list(files) == ["news-sitemap.xml", "news-sitemap-1.xml", "news-sitemap-2.xml"]
    index = ET.fromstring(files["news-sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    assert _locs(index, "sitemap") == [BASE + "news-sitemap-1.xml", BASE + "news-sitemap-2.xml"]
    first, second = (ET.fromstring(files[n]) for n in ("news-sitemap-1.xml", "news-sitemap-2.xml"))
    assert len(first.findall(f"{SM}url")) == MAX_NEWS_URLS
    assert len(second.findall(f"{SM}url")) == 5
    assert _locs(first)[0].endswith("/story-0/")  # newest first


@pytest.mark.parametrize(
    "language,setting,expected",
    [
        ("en-GB", None, "en"),
        ("es-MX", None, "es"),
        ("zh-Hant-TW", None, "zh-tw"),
        ("zh-CN", None, "zh-cn"),
        ("zh", None, "zh-cn"),
        ("pt-BR", "pt", "pt"),
    ],
)
def test_news_language_is_iso_639(write_site, language, setting, expected):
    extra = f"news_sitemap:\n  language: {setting}\n" if setting else ""
    site = write_site({}, config=f"language: {language}\n{extra}")
    config, _ = load_config(site)
    assert news_language(config) == expected


def test_robots_txt_names_the_sitemaps(built):
    lines = (built / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in lines
    assert [ln for ln in lines if ln.startswith("Sitemap:")] == [
        f"Sitemap: {BASE}sitemap.xml",
        f"Sitemap: {BASE}news-sitemap.xml",
    ]


def test_news_sitemap_can_be_turned_off(write_site):
    out = build_site_at(make_site(write_site, extra="  enabled: false\n"))
    assert not (out / "news-sitemap.xml").exists()
    assert "news-sitemap" not in (out / "robots.txt").read_text("utf-8")


def test_a_robots_txt_in_static_wins(write_site):
    mine = "User-agent: *\nDisallow: /drafts/\n"
    out = build_site_at(make_site(write_site, files={"static/robots.txt": mine}))
    assert (out / "robots.txt").read_text("utf-8") == mine


def test_non_ascii_urls_are_percent_encoded(write_site):
    site = write_site(
        {"articles/m.md": "---\ntitle: Москва\ndate: 2025-06-11T09:00:00Z\nslug: москва\n---\nx\n"},
        config=f"base_url: {BASE}\n",
    )
    out = build_site_at(site)
    locs = _locs(ET.parse(out / "sitemap.xml").getroot())
    assert BASE + "2025/06/11/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/" in locs
    assert all(loc.isascii() for loc in locs)


def test_sitemaps_and_feeds_are_byte_identical_across_builds(write_site, tmp_path):
    site = make_site(write_site)
    one = build_site_at(site, output=tmp_path / "one")
    two = build_site_at(site, output=tmp_path / "two")
    names = ["sitemap.xml", "news-sitemap.xml", "robots.txt", "feed.xml", "rss.xml", "feed.json"]
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    # sitemap.xml and robots.txt do not depend on "now" at all
    three = build_site_at(site, now=NOW + timedelta(days=365), output=tmp_path / "three")
    for name in ("sitemap.xml", "robots.txt"):
        assert (one / name).read_bytes() == (three / name).read_bytes(), name


@pytest.mark.parametrize(
    "yaml,message",
    [
        ("news_sitemap:\n  language: English\n", "news_sitemap.language: expected an ISO 639 code"),
        ("news_sitemap:\n  enabled: maybe\n", "news_sitemap.enabled: expected true or false"),
    ],
)
def test_bad_news_sitemap_settings(write_site, yaml, message):
    assert_config_error(write_site, yaml, "newsgen.yaml:2:", message)
