"""Feeds: Atom, RSS 2.0 and JSON Feed 1.1, parsed back with feedparser and json."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser

import feedparser
import pytest

from conftest import article
from newsgen.config import load_config
from newsgen.outputs.feeds import Feed, feed_pages
from newsgen.site.feedlinks import FORMATS
from photo_files import photo
from syndication_site import (
    BASE,
    HOSTILE_TITLE,
    NOW,
    assert_config_error,
    build_site_at,
    make_site,
    parse_page,
)

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CLEAN_HOSTILE = HOSTILE_TITLE.replace("\x01", "")  # XML 1.0 cannot carry U+0001


def _parse(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path.name}: {feed.get('bozo_exception')}"
    return feed


@pytest.fixture
def built(write_site):
    return build_site_at(make_site(write_site))


@pytest.mark.parametrize("name,version", [("feed.xml", "atom10"), ("rss.xml", "rss20")])
def test_xml_feeds_parse_cleanly_and_every_entry_is_complete(built, name, version):
    feed = _parse(built / name)
    assert feed.version == version
    assert len(feed.entries) == 4
    for entry in feed.entries:
        assert entry.get("id", "").startswith(BASE)
        assert entry.get("title")
        assert entry.get("link", "").startswith(BASE)
        assert entry.get("published_parsed") or entry.get("updated_parsed")
    titles = [e.title for e in feed.entries]  # newest first
    assert titles[1:] == ["Budget vote delayed", "Ferry fleet goes electric", "Old news"]
    assert feed.feed.link == BASE


def test_atom_entries_carry_every_byline_categories_and_content_times(built):
    feed = _parse(built / "feed.xml")
    budget = next(e for e in feed.entries if e.title == "Budget vote delayed")
    assert [a.name for a in budget.authors] == ["Ana Núñez", "Bo Li"]
    assert {t.term for t in budget.tags} == {"Politics", "budget", "council"}
    assert budget.published == "2025-06-10T09:00:00+02:00"
    assert budget.updated == "2025-06-11T08:00:00+02:00"
    # the feed's own time is its newest entry's, never the build's
    root = ET.parse(built / "feed.xml").getroot()
    assert root.findtext(f"{ATOM}updated") == "2025-06-11T10:00:00+00:00"
    old = next(e for e in feed.entries if e.title == "Old news")
    assert [a.name for a in old.authors] == ["Test Gazette"]  # the publisher stands in
    assert old.updated == "2025-05-02T10:00:00+00:00"  # a correction is an update
    assert "<strong>Correction (2025-05-02):</strong> The meeting was on Friday." in old.content[0].value


def test_rss_uses_rfc822_dates_dc_creator_and_self_link(built):
    feed = _parse(built / "rss.xml")
    budget = next(e for e in feed.entries if e.title == "Budget vote delayed")
    assert budget.published == "Tue, 10 Jun 2025 09:00:00 +0200"
    assert budget.author_detail.name in ("Ana Núñez", "Bo Li")
    root = ET.parse(built / "rss.xml").getroot()
    channel = root.find("channel")
    assert channel.find(f"{ATOM}link").get("href") == BASE + "rss.xml"
    assert channel.findtext("lastBuildDate") == "Wed, 11 Jun 2025 10:00:00 +0000"
    item = next(i for i in channel.findall("item") if i.findtext("title") == "Budget vote delayed")
    assert [c.text for c in item.findall("{http://purl.org/dc/elements/1.1/}creator")] == [
        "Ana Núñez",
        "Bo Li",
    ]
    assert item.find("guid").get("isPermaLink") == "true"


def _rfc3339(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, text
    return value


def test_json_feed_has_every_field_version_1_1_requires(built):
    doc = json.loads((built / "feed.json").read_text("utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and doc["title"] == "Test Gazette"
    assert doc["home_page_url"] == BASE and doc["feed_url"] == BASE + "feed.json"
    assert doc["language"] == "en-GB"
    assert all(isinstance(a, dict) and a["name"] for a in doc["authors"])
    assert isinstance(doc["items"], list) and len(doc["items"]) == 4
    ids = set()
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"] not in ids
        ids.add(item["id"])
        assert isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)
        assert item["url"].startswith(BASE)
        _rfc3339(item["date_published"])
        assert _rfc3339(item["date_modified"]) >= _rfc3339(item["date_published"])
        assert item["authors"] and all(a["name"] for a in item["authors"])
        assert "author" not in item  # 1.0's singular field is gone in 1.1
    budget = next(i for i in doc["items"] if i["title"] == "Budget vote delayed")
    assert budget["image"] == BASE + "images/lead.jpg"
    assert budget["summary"] == "Councillors delayed the vote."
    assert budget["tags"] == ["Politics", "budget", "council"]


def test_full_content_has_absolute_urls_and_the_lead_image(built):
    doc = json.loads((built / "feed.json").read_text("utf-8"))
    html = next(i for i in doc["items"] if i["title"] == "Budget vote delayed")["content_html"]
    assert f'href="{BASE}2025/06/09/ferry-fleet/"' in html
    assert f'src="{BASE}images/chart.png"' in html
    assert f'<img src="{BASE}images/lead.jpg" alt="The council chamber">' in html
    assert f'href="{BASE}2025/06/10/budget/#fn:1"' in html  # footnote anchors point at the story
    for name in ("feed.xml", "rss.xml"):
        feed = _parse(built / name)
        entry = next(e for e in feed.entries if e.title == "Budget vote delayed")
        body = entry.content[0].value
        assert f'href="{BASE}2025/06/09/ferry-fleet/"' in body
        for ref in re.findall(r'(?:href|src)="([^"]+)"', body):
            assert ref.startswith(("https://", "http://")), ref


def test_hostile_text_stays_text_in_every_format(built):
    for name in ("feed.xml", "rss.xml"):
        feed = _parse(built / name)
        entry = next(e for e in feed.entries if e.title.startswith("Hostile"))
        assert entry.title == CLEAN_HOSTILE
        body = entry.content[0].value
        assert "Body with ]]&gt; and &lt;/script&gt; and  control" in body  # U+0002 removed
        assert "Second \u2028 line" in body
        ET.parse(built / name)  # well-formed to a strict parser too
    doc = json.loads((built / "feed.json").read_text("utf-8"))
    item = next(i for i in doc["items"] if i["title"].startswith("Hostile"))
    assert item["title"] == CLEAN_HOSTILE
    assert item["authors"] == [{"name": "Zoë </script>", "url": BASE + "authors/zoe-script/"}]
    assert item["tags"] == ["</script>", "a&b"]


def test_summary_mode_leaves_out_story_bodies(write_site):
    out = build_site_at(make_site(write_site, extra="feeds:\n  content: summary\n"))
    atom = ET.parse(out / "feed.xml").getroot()
    assert atom.findall(f"{ATOM}entry/{ATOM}content") == []
    assert len(atom.findall(f"{ATOM}entry/{ATOM}summary")) == 4
    assert ET.parse(out / "rss.xml").getroot().findall(f"channel/item/{CONTENT}") == []
    for item in json.loads((out / "feed.json").read_text("utf-8"))["items"]:
        assert "content_html" not in item and item["content_text"]
    _parse(out / "feed.xml")
    _parse(out / "rss.xml")


def test_formats_are_switchable_and_announced_accordingly(write_site):
    out = build_site_at(make_site(write_site, extra="feeds:\n  formats: [rss]\n  entries: 2\n"))
    assert (out / "rss.xml").is_file()
    assert not (out / "feed.xml").exists() and not (out / "feed.json").exists()
    assert len(_parse(out / "rss.xml").entries) == 2
    page = parse_page(out / "index.html")
    assert [(a["type"], a["href"]) for a in page.alternates] == [("application/rss+xml", "rss.xml")]

    none = build_site_at(make_site(write_site, extra="feeds:\n  formats: []\n", name="nofeeds"))
    assert not any(none.glob("*.xml")) or {p.name for p in none.glob("*.xml")} <= {
        "sitemap.xml",
        "news-sitemap.xml",
    }
    assert parse_page(none / "index.html").alternates == []


def test_every_page_announces_the_site_feeds_with_working_links(built):
    for page in [built / "index.html", built / "2025/06/10/budget/index.html", built / "404.html"]:
        p = parse_page(page)
        types = [a["type"] for a in p.alternates]
        assert types == [FORMATS[f].media_type for f in ("atom", "rss", "json")]
        for a in p.alternates:
            target = (
                (built / a["href"].lstrip("/")) if a["href"].startswith("/") else (page.parent / a["href"])
            )
            assert target.resolve().is_file(), (page, a["href"])


def test_every_feed_file_in_the_build_parses(built):
    feeds = sorted(built.rglob("feed.xml")) + sorted(built.rglob("rss.xml"))
    assert len(feeds) >= 2 * 10  # the site, 2 sections, 5 tags, 4 authors
    for path in feeds:
        for entry in _parse(path).entries:
            assert (
                entry.id and entry.title and entry.link and (entry.published_parsed or entry.updated_parsed)
            )
    for path in built.rglob("feed.json"):
        doc = json.loads(path.read_text("utf-8"))
        assert doc["version"] == "https://jsonfeed.org/version/1.1" and doc["items"]


@pytest.mark.parametrize(
    "folder,name,titles",
    [
        ("politics/", "Politics", ["Budget vote delayed"]),
        ("tags/budget/", "budget", ["Budget vote delayed"]),
        ("authors/ana-nunez/", "Ana Núñez", ["Budget vote delayed"]),
        ("business/", "Business", ["Ferry fleet goes electric"]),
    ],
)
def test_sections_tags_and_authors_have_their_own_feeds(built, folder, name, titles):
    atom = _parse(built / folder / "feed.xml")
    assert atom.feed.title == f"Test Gazette: {name}"
    assert [e.title for e in atom.entries] == titles
    assert {ln.rel: ln.href for ln in atom.feed.links} == {
        "self": BASE + folder + "feed.xml",
        "alternate": BASE + folder,
    }
    assert [e.title for e in _parse(built / folder / "rss.xml").entries] == titles
    assert [
        i["title"] for i in json.loads((built / folder / "feed.json").read_text("utf-8"))["items"]
    ] == titles
    # the list page announces its own feeds first, then the site's
    page = built / folder / "index.html"
    alternates = parse_page(page).alternates
    assert [a["title"] for a in alternates[:3]] == [
        f"Test Gazette: {name} ({x})" for x in ("Atom", "RSS", "JSON Feed")
    ]
    assert [a["href"] for a in alternates[:3]] == ["feed.xml", "rss.xml", "feed.json"]
    assert len(alternates) == 6
    for a in alternates:
        assert (page.parent / a["href"]).resolve().is_file()


def test_feeds_ignore_the_build_clock(write_site, tmp_path):
    site = make_site(write_site)
    one = build_site_at(site, now=NOW, output=tmp_path / "one")
    two = build_site_at(site, now=NOW + timedelta(days=400), output=tmp_path / "two")
    feeds = [p.relative_to(one) for p in one.rglob("*") if p.name in ("feed.xml", "rss.xml", "feed.json")]
    assert len(feeds) > 3
    for name in feeds:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_feed_for_any_list_of_stories(write_site):
    """The generic entry point that section, tag and author pages use."""
    site = make_site(write_site)
    config, _ = load_config(site)
    from newsgen import load_site

    stories = tuple(a for a in load_site(config).articles if a.section == "Politics")
    pages = feed_pages(
        config,
        Feed(
            "/politics/",
            "Test Gazette: Politics",
            "/politics/",
            stories,
            source="feed of section Politics",
            author_urls={"Ana Núñez": BASE + "authors/ana-nunez/"},
        ),
    )
    assert [p.output_path for p in pages] == ["politics/feed.xml", "politics/rss.xml", "politics/feed.json"]
    atom = feedparser.parse(pages[0].produce(pages[0].context))  # made when rendered
    assert not atom.bozo and atom.feed.title == "Test Gazette: Politics"
    assert [e.title for e in atom.entries] == ["Budget vote delayed"]
    assert atom.entries[0].authors[0].href == BASE + "authors/ana-nunez/"
    assert {ln.rel: ln.href for ln in atom.feed.links} == {
        "self": BASE + "politics/feed.xml",
        "alternate": BASE + "politics/",
    }
    doc = json.loads(pages[2].produce(pages[2].context))
    assert doc["items"][0]["authors"][0] == {"name": "Ana Núñez", "url": BASE + "authors/ana-nunez/"}


@pytest.mark.parametrize(
    "yaml,message",
    [
        ("feeds:\n  formats: [atom, xml]\n", "feeds.formats: expected a list of atom, rss, json"),
        ("feeds:\n  content: everything\n", "feeds.content: expected full or summary"),
        ("feeds:\n  entries: 0\n", "feeds.entries: expected a whole number >= 1"),
    ],
)
def test_bad_feed_settings_are_errors_with_a_position(write_site, yaml, message):
    assert_config_error(write_site, "title: T\n" + yaml, "newsgen.yaml:3:", message)


# --------------------------------------------------------------------------- markup injection

#: Hostile text for every field that can reach a feed; each must come out as text, never markup.
HOSTILE_FIELDS = {
    "site title": 'Gazette <script>alert("site")</script>',
    "site description": "About <img src=x onerror=alert(2)>",
    "headline": "Headline <img src=x onerror=alert(3)> <script>alert(4)</script>",
    "author": "Eve <img src=x onerror=alert(5)>",
    "section": "News <script>alert(6)</script>",
    "tag": "<img src=x onerror=alert(7)>",
    "summary": "Summary <img src=x onerror=alert(8)> & <script>alert(9)</script>",
    "dateline": "CITY <img src=x onerror=alert(10)>",
    "image_alt": '" onerror="alert(11)',
    "correction": "Fixed <script>alert(12)</script>",
    "wire headline": "Wire <script>alert(13)</script> headline",
    "wire paragraph": "First paragraph with <img src=x onerror=alert(1)> inline.",
}

DERIVED_SUMMARY = "Lead <script>alert(15)</script> with <img src=x onerror=alert(16)>."


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text)


def _hostile_site(write_site, *, description: bool, content: str):
    h = HOSTILE_FIELDS
    config = (
        f"title: {_q(h['site title'])}\n"
        + (f"description: {_q(h['site description'])}\n" if description else "")
        + f"base_url: {BASE}\ndefault_date: 2025-06-01\nfeeds:\n  content: {content}\n"
    )
    files = {
        # the summary comes from the front matter
        "articles/given.md": article(
            title=_q(h["headline"]),
            date="2025-06-10T09:00:00Z",
            author=_q(h["author"]),
            section=_q(h["section"]),
            tags=f"[{_q(h['tag'])}, plain]",
            summary=_q(h["summary"]),
            dateline=_q(h["dateline"]),
            image="/images/lead.jpg",
            image_alt=_q(h["image_alt"]),
            corrections=f'[{{date: "2025-06-10T12:00:00Z", text: {_q(h["correction"])}}}]',
            body="A *legitimate* paragraph.\n\nRaw <img src=x onerror=alert(14)> in Markdown.",
        ),
        # the summary is the first paragraph, raw HTML and all (as text)
        "articles/derived.md": article(
            title="Derived summary",
            date="2025-06-09T09:00:00Z",
            author=_q(h["author"]),
            section=_q(h["section"]),
            tags=f"[{_q(h['tag'])}]",
            body=DERIVED_SUMMARY,
        ),
        "seeds/wire.txt": f"{h['wire headline']}\n\n{h['wire paragraph']}\n\nSecond paragraph.\n\nMORE STORIES\n",
        "static/images/lead.jpg": photo(320, 200),
    }
    return write_site(files, config=config)


class _Markup(HTMLParser):
    """The elements, attributes and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text += data


def _markup(html: str) -> _Markup:
    m = _Markup()
    m.feed(html)
    m.close()
    return m


def _assert_inert(where: str, html: str) -> _Markup:
    """No element or attribute of the hostile input is markup in ``html``."""
    m = _markup(html)
    for tag, attrs in m.elements:
        assert tag != "script", f"{where}: a <script> element in {html!r}"
        assert not [a for a in attrs if a.startswith("on")], f"{where}: <{tag} {attrs}> in {html!r}"
        if tag == "img":  # only the lead image is a picture
            assert attrs.get("src") == BASE + "images/lead.jpg", f"{where}: <img {attrs}> in {html!r}"
    return m


_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _html_fields(feed) -> list[tuple[str, str]]:
    """(where, HTML) of every field feedparser read as HTML; text fields are checked
    as text (feedparser's own type, which for RSS is a guess from the content)."""
    fields = []
    details = [
        ("feed title", feed.feed.get("title_detail")),
        ("feed subtitle", feed.feed.get("subtitle_detail")),
    ]
    for i, e in enumerate(feed.entries):
        details += [
            (f"entry {i} title", e.get("title_detail")),
            (f"entry {i} summary", e.get("summary_detail")),
        ]
        details += [(f"entry {i} content", c) for c in e.get("content", [])]
    for where, d in details:
        if d is not None and d.get("type") in _HTML_TYPES:
            fields.append((where, d["value"]))
    return fields


@pytest.mark.parametrize(
    "description,content",
    [(True, "full"), (False, "full"), (False, "summary")],
    ids=["desc-full", "full", "summary"],
)
def test_no_hostile_markup_survives_in_any_feed_field(write_site, description, content):
    out = build_site_at(_hostile_site(write_site, description=description, content=content))
    h = HOSTILE_FIELDS
    xml_feeds = sorted(out.rglob("feed.xml")) + sorted(out.rglob("rss.xml"))
    assert len(xml_feeds) == 2 * 5  # the site, its section, two tags and its author
    seen_text: list[str] = []
    for path in xml_feeds:
        where = path.relative_to(out).as_posix()
        feed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        assert not feed.bozo, f"{where}: {feed.get('bozo_exception')}"
        for field, html in _html_fields(feed):
            seen_text.append(_assert_inert(f"{where} {field}", html).text)
        # plain-text fields hold the text exactly as written
        for e in feed.entries:
            assert e.title in (h["headline"], "Derived summary", h["wire headline"])
            names = {a.get("name") for a in e.get("authors", [])}
            assert names <= {h["author"], h["site title"]}, names  # the publisher stands in for wire copy
            terms = {t.term for t in e.get("tags", [])}
            assert terms <= {h["section"], h["tag"], "plain"}, terms
    everything = "\n".join(seen_text)
    # the hostile text is still there, as text, in the HTML fields
    assert h["wire paragraph"] in everything
    assert h["summary"] in everything and DERIVED_SUMMARY in everything
    if description:
        assert h["site description"] in everything
    else:
        assert h["site title"] in everything and h["section"] in everything
    if content == "full":
        for text in (h["dateline"], h["correction"], "Raw <img src=x onerror=alert(14)> in Markdown."):
            assert text in everything, text
    # JSON Feed: content_html is HTML; title, summary, content_text, names and tags are text
    for path in sorted(out.rglob("feed.json")):
        where = path.relative_to(out).as_posix()
        doc = json.loads(path.read_text("utf-8"))
        for item in doc["items"]:
            if "content_html" in item:
                _assert_inert(f"{where} content_html", item["content_html"])
            assert item["title"] in (h["headline"], "Derived summary", h["wire headline"])
            summaries = (h["summary"], DERIVED_SUMMARY, h["wire paragraph"])
            assert item.get("summary", h["summary"]) in summaries
            assert item.get("content_text", h["summary"]) in summaries
            assert {a["name"] for a in item["authors"]} <= {h["author"], h["site title"]}
            assert set(item.get("tags", [])) <= {h["section"], h["tag"], "plain"}
    # a Markdown body's own HTML is still HTML
    rss = feedparser.parse((out / "rss.xml").read_bytes(), sanitize_html=False)
    given = next(e for e in rss.entries if e.title == h["headline"])
    if content == "full":
        body = _markup(given.content[0].value)
        assert ("em", {}) in body.elements and ("p", {}) in body.elements
