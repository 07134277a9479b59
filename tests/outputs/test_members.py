"""Members stories (``access: members``): the paid part is behind the paywall element on the page,
marked as Google documents in the NewsArticle, and absent from feeds and the search index."""

from __future__ import annotations

import json
import re
from pathlib import Path

from test_search import needs_node, needs_pagefind, query

from conftest import article

FREE = "The harbour board met on Tuesday. (Fictional sample.)"
PAID = "Minutes seen by the Ledger show the vote was unanimous."
PAID_TOO = "The dredging contract goes to tender in May."
CONFIG = "base_url: https://news.example/\nfeeds:\n  content: full\n"
PAGE = "2025/03/01/harbour/index.html"


def _members(body: str = f"{FREE}\n\n{PAID}\n\n{PAID_TOO}", **fields) -> str:
    return article(title="Harbour vote", body=body, slug="harbour", access="members", **fields)


def _build(write_site, cli, files: dict[str, str], config: str = CONFIG, extra: str = "") -> Path:
    site = write_site(files, config=config + extra)
    r = cli("build", "--site", site, "--as-of", "2025-04-01T00:00Z")
    assert r.code == 0, r.err
    return site / "public"


def _paywall(html: str) -> str:
    m = re.search(r'<div class="paywall" data-pagefind-ignore="all">(.*?)\n</div>', html, re.S)
    assert m, "no paywall element"
    return m.group(1)


def _news_article(html: str) -> dict:
    for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(text)
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle")


def test_members_story_wraps_the_paid_part_and_marks_it_in_structured_data(write_site, cli):
    out = _build(write_site, cli, {"articles/harbour.md": _members()})
    html = (out / PAGE).read_text("utf-8")
    wall = _paywall(html)
    assert PAID in wall and PAID_TOO in wall and FREE not in wall
    assert FREE in html.split('<div class="paywall"')[0]  # the first paragraph is free
    assert html.count('class="paywall"') == 1
    assert '<p class="members-label">Members only</p>' in html
    data = _news_article(html)
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".paywall",
    }
    front = (out / "index.html").read_text("utf-8")
    assert "Members only" in front  # the card says so too


def test_a_free_story_has_no_paywall_and_no_access_properties(write_site, cli):
    out = _build(
        write_site, cli, {"articles/harbour.md": _members().replace("access: members", "access: free")}
    )
    html = (out / PAGE).read_text("utf-8")
    assert 'class="paywall"' not in html and "Members only" not in html
    data = _news_article(html)
    assert "isAccessibleForFree" not in data and "hasPart" not in data


def test_feeds_carry_only_the_free_part(write_site, cli):
    out = _build(write_site, cli, {"articles/harbour.md": _members()})
    for name in ("feed.xml", "rss.xml", "feed.json"):
        text = (out / name).read_text("utf-8")
        assert "harbour board met" in text, name
        assert "Minutes seen by the Ledger" not in text and "dredging contract" not in text, name
        assert "The rest of this story is for members." in text, name
        assert "https://news.example/2025/03/01/harbour/" in text, name


def test_more_line_ends_the_free_part_even_with_raw_html_neutralised(write_site, cli):
    body = f"{FREE}\n\nA second free paragraph.\n\n<!--more-->\n\n{PAID}\n\n{PAID_TOO}"
    out = _build(write_site, cli, {"articles/harbour.md": _members(body)})
    html = (out / PAGE).read_text("utf-8")
    assert "more--" not in html and "newsgen-more" not in html  # the line is gone, not shown as text
    wall = _paywall(html)
    assert PAID in wall and "second free paragraph" not in wall
    assert "A second free paragraph." in html.split('<div class="paywall"')[0]
    feed = json.loads((out / "feed.json").read_text("utf-8"))
    content = feed["items"][0]["content_html"]
    assert "A second free paragraph." in content and "Minutes seen" not in content


def test_more_line_in_a_free_story_is_dropped(write_site, cli):
    body = f"{FREE}\n\n<!--more-->\n\n{PAID}"
    out = _build(
        write_site, cli, {"articles/harbour.md": article(title="Harbour vote", slug="harbour", body=body)}
    )
    html = (out / PAGE).read_text("utf-8")
    assert "more--" not in html and 'class="paywall"' not in html and PAID in html


def test_wire_copy_can_be_members_only(write_site, cli):
    wire = (
        "---\naccess: members\ndate: 2025-03-01T09:00:00Z\n---\nHARBOUR VOTE\n\nFree lead.\n\nPaid detail.\n"
    )
    out = _build(write_site, cli, {"articles/harbour.txt": wire})
    page = next(out.glob("2025/03/01/*/index.html"))
    wall = _paywall(page.read_text("utf-8"))
    assert "Paid detail." in wall and "Free lead." not in wall


def test_access_must_be_free_or_members(write_site, cli):
    site = write_site({"articles/x.md": article(access="premium")})
    r = cli("build", "--site", site)
    assert r.code == 1
    assert "articles/x.md:4:9: access: expected free or members, got premium" in r.err


def test_a_members_story_with_nothing_after_the_first_paragraph_warns(write_site, cli):
    site = write_site({"articles/x.md": article(access="members", body="Only one paragraph.")})
    r = cli("build", "--site", site)
    assert r.code == 0
    assert re.search(
        r"articles/x.md:4:1: (warning: )?access: members, but the story has nothing after", r.err
    )


@needs_pagefind
@needs_node
def test_search_index_skips_the_paid_part(write_site, cli):
    out = _build(write_site, cli, {"articles/harbour.md": _members()}, extra="search: true\n")
    assert query(out / "pagefind", "harbour")  # the free part is indexed
    assert query(out / "pagefind", "dredging") == []
    assert query(out / "pagefind", "unanimous") == []


def test_a_cached_body_keeps_its_paywall_and_its_warning(write_site, cli):
    body = f"{FREE}\n\n- a list\n  <!--more-->\n\n{PAID}"
    site = write_site({"articles/harbour.md": _members(body)}, config=CONFIG)
    first = cli("build", "--site", site, "--as-of", "2025-04-01T00:00Z")
    assert first.code == 0 and "<!--more--> is inside a list" in first.err
    # only the front matter changes: the body's HTML comes from the cache
    src = site / "articles/harbour.md"
    src.write_text(src.read_text("utf-8").replace("Harbour vote", "Harbour vote passes"), "utf-8")
    again = cli("build", "--site", site, "--as-of", "2025-04-01T00:00Z")
    assert again.code == 0 and "<!--more--> is inside a list" in again.err
    html = (site / "public" / PAGE).read_text("utf-8")
    assert "Harbour vote passes" in html and PAID in _paywall(html) and "newsgen-more" not in html


def test_a_story_paid_from_its_first_line_never_shows_paid_text_as_its_summary(write_site, cli):
    body = f"<!--more-->\n\n{PAID}\n\n{PAID_TOO}"
    out = _build(write_site, cli, {"articles/harbour.md": _members(body)})
    html = (out / PAGE).read_text("utf-8")
    assert PAID in _paywall(html) and PAID_TOO in _paywall(html)
    before_wall = html.split('<div class="paywall"')[0]
    assert (
        "Minutes seen" not in before_wall and "dredging" not in before_wall
    )  # no description, no standfirst
    for name in ("feed.xml", "rss.xml", "feed.json", "index.html"):
        text = (out / name).read_text("utf-8")
        assert "Minutes seen" not in text and "dredging" not in text, name


def test_a_wordpress_more_split_survives_the_import(write_site, cli):
    from newsgen.commands.importers.convert import to_markdown

    body = "<!-- wp:paragraph --><p>Free lead.</p><!-- /wp:paragraph --><!-- wp:more --><!--more Read on-->"
    body += "<!-- /wp:more --><!-- wp:paragraph --><p>Paid detail.</p><!-- /wp:paragraph -->"
    md = to_markdown(body, {}, [], lambda message: None)
    assert md == "Free lead.\n\n<!--more-->\n\nPaid detail.\n"
    out = _build(write_site, cli, {"articles/harbour.md": _members(md)})
    wall = _paywall((out / PAGE).read_text("utf-8"))
    assert "Paid detail." in wall and "Free lead." not in wall
