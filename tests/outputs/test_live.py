"""Live coverage through the built site: the page (updates newest first, anchors, the Live
label), the LiveBlogPosting JSON-LD, the Atom feed of updates, list cards, scheduled updates
and the end of coverage."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import article

ATOM = "{http://www.w3.org/2005/Atom}"
CONFIG = """\
title: Live Gazette
base_url: https://example.com/news/
timezone: Europe/London
"""
PAGE = "2026/11/03/election-night"


def update(time: str, body: str, **fields: str) -> str:
    lines = ["---", f"time: {time}", *(f"{k}: {v}" for k, v in fields.items()), "---", "", body, ""]
    return "\n".join(lines)


def live_site(write_site, **index_fields: str) -> Path:
    fields = {"live": "true", "section": "Politics", "tags": "[vote]", **index_fields}
    return write_site(
        {
            "articles/election-night/index.md": article(
                title="Election night", date="2026-11-03T18:00:00Z", body="We follow the count.", **fields
            ),
            "articles/election-night/polls-close.md": update(
                "2026-11-03T21:00:00Z",
                "Polls have closed. See [the results](/results/).",
                title="Polls close",
            ),
            "articles/election-night/first-result.md": update(
                "2026-11-03T22:30:00Z", "The *first* result is in.", author="Night Desk"
            ),
            "articles/election-night/later.md": update(
                "2026-11-04T01:15:00Z", "A late count.", title="Later"
            ),
            "articles/earlier.md": article(title="An earlier story", date="2026-11-03T20:00:00Z"),
        },
        config=CONFIG,
    )


def build_at(cli, site: Path, now: str) -> Path:
    r = cli("build", "--site", site, "--as-of", now, "--no-cache")
    assert r.code == 0, r.err
    return site / "public"


def json_ld(html: str) -> list[dict]:
    return [
        json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def posting(html: str) -> dict:
    (data,) = [d for d in json_ld(html) if d["@type"] in ("LiveBlogPosting", "NewsArticle")]
    return data


def update_ids(html: str) -> list[str]:
    return re.findall(r'<li class="live-update" id="([^"]+)"', html)


def test_updates_newest_first_with_anchors_times_titles_and_authors(write_site, cli):
    out = build_at(cli, live_site(write_site), "2026-11-04T02:00:00Z")
    html = (out / PAGE / "index.html").read_text("utf-8")
    assert update_ids(html) == ["update-20261104T0115Z", "update-20261103T2230Z", "update-20261103T2100Z"]
    assert html.index("We follow the count.") < html.index('id="update-20261104T0115Z"')
    for anchor in update_ids(html):  # each update links to itself
        assert f'href="#{anchor}"' in html
    assert '<time datetime="2026-11-03T21:00:00+00:00">21:00, 3 November 2026</time>' in html
    assert '<h3 class="live-update__title">Polls close</h3>' in html
    assert '<span class="byline">Night Desk</span>' in html
    assert "<em>first</em>" in html
    assert 'href="../../../../results/"' in html  # site paths in updates work under the base path
    assert '<body class="page-live">' in html


def test_live_label_on_the_page_and_every_card_while_live(write_site, cli):
    out = build_at(cli, live_site(write_site, live_until="2026-11-04T06:00:00Z"), "2026-11-04T02:00:00Z")
    label = '<p class="live-label'
    assert label in (out / PAGE / "index.html").read_text("utf-8")
    for listing in ("index.html", "politics/index.html", "tags/vote/index.html"):
        html = (out / listing).read_text("utf-8")
        assert html.count(label) == 1, listing  # the live story's card, not the other story's
    other = (out / "2026/11/03/earlier/index.html").read_text("utf-8")
    assert "live-label--page" not in other and other.count(label) == 1  # its More Stories card


def test_after_live_until_an_ordinary_story_that_says_coverage_ended(write_site, cli):
    site = live_site(write_site, live_until="2026-11-04T06:00:00Z")
    out = build_at(cli, site, "2026-11-04T06:00:00Z")
    html = (out / PAGE / "index.html").read_text("utf-8")
    assert "live-label" not in html and "Live coverage ended" in html
    for listing in ("index.html", "politics/index.html", "tags/vote/index.html"):
        assert "live-label" not in (out / listing).read_text("utf-8")
    assert len(update_ids(html)) == 3  # the updates stay on the page
    assert posting(html)["coverageEndTime"] == "2026-11-04T06:00:00+00:00"


def test_live_blog_posting_json_ld(write_site, cli):
    out = build_at(cli, live_site(write_site, live_until="2026-11-04T06:00:00Z"), "2026-11-04T02:00:00Z")
    html = (out / PAGE / "index.html").read_text("utf-8")
    data = posting(html)
    page_url = "https://example.com/news/2026/11/03/election-night/"
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Election night" and data["url"] == page_url
    assert data["datePublished"] == "2026-11-03T18:00:00+00:00"
    assert data["dateModified"] == "2026-11-04T01:15:00+00:00"  # the latest update
    assert data["coverageStartTime"] == "2026-11-03T18:00:00+00:00"
    assert data["coverageEndTime"] == "2026-11-04T06:00:00+00:00"
    assert data["publisher"]["name"] == "Live Gazette" and data["author"]
    updates = data["liveBlogUpdate"]
    assert [u["@type"] for u in updates] == ["BlogPosting"] * 3
    assert [u["url"] for u in updates] == [page_url + "#" + a for a in update_ids(html)]
    assert [u["headline"] for u in updates] == ["Later", "The first result is in.", "Polls close"]
    assert [u["datePublished"] for u in updates] == [
        "2026-11-04T01:15:00+00:00",
        "2026-11-03T22:30:00+00:00",
        "2026-11-03T21:00:00+00:00",
    ]
    assert updates[2]["articleBody"] == "Polls have closed. See the results."  # plain text
    assert updates[1]["author"] == {"@type": "Person", "name": "Night Desk"}
    other = posting((out / "2026/11/03/earlier/index.html").read_text("utf-8"))
    assert other["@type"] == "NewsArticle" and "liveBlogUpdate" not in other


def test_atom_feed_of_updates_next_to_the_page(write_site, cli):
    out = build_at(cli, live_site(write_site), "2026-11-04T02:00:00Z")
    html = (out / PAGE / "index.html").read_text("utf-8")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Election night: live updates (Atom)" href="updates.xml">'
        in html
    )
    feed = ET.parse(out / PAGE / "updates.xml").getroot()
    page_url = "https://example.com/news/2026/11/03/election-night/"
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == page_url + "updates.xml"
    assert feed.findtext(f"{ATOM}updated") == "2026-11-04T01:15:00+00:00"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": page_url + "updates.xml", "alternate": page_url}
    entries = feed.findall(f"{ATOM}entry")
    anchors = [page_url + "#" + a for a in update_ids(html)]
    assert [e.findtext(f"{ATOM}id") for e in entries] == anchors
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == anchors
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Later",
        "The first result is in.",
        "Polls close",
    ]
    for e in entries:  # what RFC 4287 requires of an entry
        assert e.findtext(f"{ATOM}updated") and e.findtext(f"{ATOM}published")
    content = entries[2].find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert 'href="https://example.com/news/results/"' in content.text  # absolute in a feed reader
    assert entries[1].findtext(f"{ATOM}author/{ATOM}name") == "Night Desk"
    assert not (out / "2026/11/03/earlier/updates.xml").exists()


def test_a_future_update_is_hidden_until_its_time_and_is_the_next_change(write_site, cli):
    site = live_site(write_site)
    out = build_at(cli, site, "2026-11-03T23:00:00Z")
    html = (out / PAGE / "index.html").read_text("utf-8")
    assert update_ids(html) == ["update-20261103T2230Z", "update-20261103T2100Z"]
    assert "A late count" not in html and "update-20261104T0115Z" not in html
    assert "A late count" not in (out / PAGE / "updates.xml").read_text("utf-8")
    assert len(posting(html)["liveBlogUpdate"]) == 2
    status = json.loads((out / "newsgen-status.json").read_text("utf-8"))
    assert status["next_change_utc"] == "2026-11-04T01:15:00Z"
    r = cli("build", "--site", site, "--as-of", "2026-11-03T23:00:00Z", "--no-cache")
    assert "articles/election-night/index.md: live update" in r.out + r.err


def test_the_end_of_coverage_is_a_scheduled_change(write_site, cli):
    out = build_at(cli, live_site(write_site, live_until="2026-11-04T06:00:00Z"), "2026-11-04T02:00:00Z")
    status = json.loads((out / "newsgen-status.json").read_text("utf-8"))
    assert status["next_change_utc"] == "2026-11-04T06:00:00Z"


def test_the_latest_update_dates_the_story_in_lists_and_the_sitemap(write_site, cli):
    out = build_at(cli, live_site(write_site), "2026-11-04T02:00:00Z")
    front = (out / "index.html").read_text("utf-8")
    # published before the other story, but updated after it: the live story leads
    assert front.index("Election night") < front.index("An earlier story")
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    lastmod = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in sitemap.findall(f"{ns}url")}
    assert lastmod["https://example.com/news/2026/11/03/election-night/"].startswith("2026-11-04T01:15:00")


@pytest.mark.parametrize("now", ["2026-11-03T21:30:00Z"])
def test_update_files_are_not_stories(write_site, cli, now):
    out = build_at(cli, live_site(write_site), now)
    assert not list(out.rglob("polls-close*")) and not list(out.rglob("first-result*"))
    feed = (out / "feed.xml").read_text("utf-8")
    assert feed.count("<entry>") == 2  # the live story and the other one


def test_an_embed_in_an_update_is_a_click_to_load_player_with_the_script_once(write_site, cli):
    site = live_site(write_site)
    (site / "articles/election-night/video.md").write_text(
        update(
            "2026-11-03T23:00:00Z", "The count, on video.\n\nhttps://youtu.be/EXAMPLEvid1\n", title="Video"
        ),
        "utf-8",
    )
    html = (build_at(cli, site, "2026-11-04T02:00:00Z") / PAGE / "index.html").read_text("utf-8")
    updates = html[html.index('<ol class="live__updates">') :]
    assert updates.count('<figure class="embed') == 1 and "<iframe" not in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/EXAMPLEvid1?autoplay=1"' in updates
    assert html.count('src="../../../../js/embeds.js"') == 1
    feed = (site / "public" / PAGE / "updates.xml").read_text("utf-8")
    assert "youtube.com/watch?v=EXAMPLEvid1" in feed and "embed__load" not in feed  # readers get a link


def test_a_story_with_embeds_in_its_body_and_its_updates_loads_the_script_once(write_site, cli):
    site = live_site(write_site)
    index = site / "articles/election-night/index.md"
    index.write_text(index.read_text("utf-8") + "\nhttps://youtu.be/EXAMPLEvid2\n", "utf-8")
    (site / "articles/election-night/video.md").write_text(
        update("2026-11-03T23:00:00Z", "https://youtu.be/EXAMPLEvid1\n", title="Video"), "utf-8"
    )
    html = (build_at(cli, site, "2026-11-04T02:00:00Z") / PAGE / "index.html").read_text("utf-8")
    assert html.count('<figure class="embed') == 2
    assert html.count("js/embeds.js") == 1


def test_embeds_off_leave_an_update_link_as_written(write_site, cli):
    site = live_site(write_site)
    (site / "newsgen.yaml").write_text(CONFIG + "embeds: false\n", "utf-8")
    (site / "articles/election-night/video.md").write_text(
        update("2026-11-03T23:00:00Z", "https://youtu.be/EXAMPLEvid1\n", title="Video"), "utf-8"
    )
    html = (build_at(cli, site, "2026-11-04T02:00:00Z") / PAGE / "index.html").read_text("utf-8")
    assert '<figure class="embed' not in html and "embeds.js" not in html
    assert "https://youtu.be/EXAMPLEvid1" in html
