"""JSON-LD (NewsArticle, BreadcrumbList, WebSite, Organization) and the social/meta tags of pages."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from newsgen.outputs.structured import script_json
from syndication_site import (
    BASE,
    HOSTILE_TITLE,
    assert_config_error,
    build_site_at,
    by_type,
    jsonld,
    make_site,
    parse_page,
)


@pytest.fixture
def built(write_site):
    return build_site_at(make_site(write_site))


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.utcoffset() is not None, text
    return value


def test_article_has_a_complete_news_article(built):
    data = jsonld(built / "2025/06/10/budget/index.html")
    [news] = by_type(data, "NewsArticle")
    url = BASE + "2025/06/10/budget/"
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == "Budget vote delayed"
    assert news["url"] == url
    assert news["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert news["datePublished"] == "2025-06-10T09:00:00+02:00"  # site timezone, with its offset
    assert news["dateModified"] == "2025-06-11T08:00:00+02:00"
    assert _aware(news["dateModified"]) > _aware(news["datePublished"])
    assert news["author"] == [  # each with their page on the site
        {"@type": "Person", "name": "Ana Núñez", "url": BASE + "authors/ana-nunez/"},
        {"@type": "Person", "name": "Bo Li", "url": BASE + "authors/bo-li/"},
    ]
    publisher = news["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Test Gazette"
    assert publisher["logo"] == {"@type": "ImageObject", "url": BASE + "images/logo.png"}
    assert [(i["@type"], i["url"], i["width"], i["height"]) for i in news["image"]] == [  # the photo's crops
        ("ImageObject", BASE + "images/lead-16x9.jpg", 320, 180),
        ("ImageObject", BASE + "images/lead-4x3.jpg", 267, 200),
        ("ImageObject", BASE + "images/lead-1x1.jpg", 200, 200),
    ]
    assert news["articleSection"] == "Politics"
    assert news["keywords"] == ["budget", "council"]
    assert news["description"] == "Councillors delayed the vote."
    assert news["inLanguage"] == "en-GB"


def test_the_publishers_own_byline_is_an_organization(built):
    [news] = by_type(jsonld(built / "2025/06/09/ferry-fleet/index.html"), "NewsArticle")
    assert news["author"] == [{"@type": "Organization", "name": "Test Gazette", "url": BASE}]
    [old] = by_type(jsonld(built / "2025/05/01/old-news/index.html"), "NewsArticle")
    assert old["author"][0]["@type"] == "Organization"  # no byline: the publisher
    assert "articleSection" not in old and "keywords" not in old
    # no photo of its own: the crops of the site's social.image, so every NewsArticle has one
    assert [i["url"] for i in old["image"]] == [
        BASE + f"images/share-{c}.jpg"
        for c in ("16x9", "4x3", "1x1")  # an opaque PNG: JPEG crops
    ]


def test_articles_have_breadcrumbs(built):
    [crumbs] = by_type(jsonld(built / "2025/06/10/budget/index.html"), "BreadcrumbList")
    assert crumbs["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Test Gazette", "item": BASE},
        {"@type": "ListItem", "position": 2, "name": "Politics", "item": BASE + "politics/"},
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Budget vote delayed",
            "item": BASE + "2025/06/10/budget/",
        },
    ]
    [crumbs] = by_type(jsonld(built / "2025/05/01/old-news/index.html"), "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == ["Test Gazette", "Old news"]  # no section


def test_author_registry_links_become_same_as(write_site):
    registry = (
        "Ana Núñez:\n  url: https://ana.example/\n  social:\n    Mastodon: https://social.example/@ana\n"
        "Bo Li:\n  bio: Reporter.\n"
    )
    out = build_site_at(make_site(write_site, files={"authors.yaml": registry}))
    [news] = by_type(jsonld(out / "2025/06/10/budget/index.html"), "NewsArticle")
    assert news["author"][0] == {
        "@type": "Person",
        "name": "Ana Núñez",
        "url": BASE + "authors/ana-nunez/",
        "sameAs": ["https://ana.example/", "https://social.example/@ana"],
    }
    assert "sameAs" not in news["author"][1]


def test_front_page_has_website_and_organization(built):
    data = jsonld(built / "index.html")
    [site] = by_type(data, "WebSite")
    [org] = by_type(data, "Organization")
    assert site["url"] == BASE and site["name"] == "Test Gazette" and site["inLanguage"] == "en-GB"
    assert site["publisher"] == {"@id": org["@id"]}
    assert org["name"] == "Test Gazette" and org["url"] == BASE
    assert org["logo"]["url"] == BASE + "images/logo.png"
    assert org["sameAs"] == ["https://social.example/gazette"]
    assert by_type(data, "NewsArticle") == []


def test_hostile_text_cannot_leave_the_script_element(built):
    page = built / "2025/06/11/hostile/index.html"
    html = page.read_text("utf-8")
    scripts = parse_page(page).jsonld
    assert len(scripts) == 2  # the parser found exactly our two blocks: nothing was cut short
    for text in scripts:
        assert "<" not in text and ">" not in text and "&" not in text
    [news] = by_type(jsonld(page), "NewsArticle")
    assert news["headline"] == HOSTILE_TITLE  # JSON carries even U+0001, escaped
    assert news["author"] == [
        {"@type": "Person", "name": "Zoë </script>", "url": BASE + "authors/zoe-script/"}
    ]
    assert news["keywords"] == ["</script>", "a&b"]
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "<!--",
        "a & b > c",
        "line\u2028sep\u2029para",
        "]]>",
        "\x00\x1f",
    ],
)
def test_script_json_escapes_and_round_trips(value):
    text = str(script_json({"headline": value, "list": [value]}))
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == {"headline": value, "list": [value]}


def test_article_meta_tags(built):
    p = parse_page(built / "2025/06/10/budget/index.html")
    url = BASE + "2025/06/10/budget/"
    assert p.canonical == [url]
    m = p.meta
    assert m["description"] == ["Councillors delayed the vote."]
    assert m["og:type"] == ["article"]
    assert m["og:title"] == ["Budget vote delayed"]
    assert m["og:url"] == [url]
    assert m["og:description"] == ["Councillors delayed the vote."]
    assert m["og:image"] == [BASE + "images/lead-og.jpg"]  # the photo's 1200x630 crop (or less)
    assert m["og:site_name"] == ["Test Gazette"]
    assert m["og:locale"] == ["en_GB"]
    assert m["article:published_time"] == ["2025-06-10T09:00:00+02:00"]
    assert m["article:modified_time"] == ["2025-06-11T08:00:00+02:00"]
    assert m["article:section"] == ["Politics"]
    assert m["article:tag"] == ["budget", "council"]
    assert m["twitter:card"] == ["summary_large_image"]
    assert m["twitter:site"] == ["@gazette"]
    assert m["twitter:title"] == ["Budget vote delayed"]
    assert m["twitter:image"] == [BASE + "images/lead-og.jpg"]


def test_front_page_meta_uses_the_site_share_image(built):
    p = parse_page(built / "index.html")
    assert p.canonical == [BASE]
    assert p.meta["og:type"] == ["website"]
    assert p.meta["og:image"] == [BASE + "images/share.png"]
    assert p.meta["description"] == ["News for testing"]
    assert "article:published_time" not in p.meta


def test_pages_without_any_image_get_a_plain_summary_card(write_site):
    site = write_site(
        {"articles/a.md": "---\ntitle: A\ndate: 2025-06-01\n---\nText.\n"}, config=f"base_url: {BASE}\n"
    )
    p = parse_page(build_site_at(site) / "2025/06/01/a/index.html")
    assert p.meta["twitter:card"] == ["summary"]
    assert "og:image" not in p.meta and "og:locale" not in p.meta


def test_404_page_is_not_indexed(built):
    p = parse_page(built / "404.html")
    assert p.meta.get("robots") == ["noindex"]
    assert p.canonical == [] and p.jsonld == []


@pytest.mark.parametrize(
    "yaml,message",
    [
        ("social:\n  twitter: not a handle\n", "social.twitter: expected a handle"),
        ("social:\n  image: javascript:alert(1)\n", "social.image: expected a site path"),
        ("publisher:\n  logo: data:image/png;base64,AAAA\n", "publisher.logo: expected a site path"),
        ("publisher:\n  url: /relative\n", "publisher.url: expected an http(s) URL"),
        ("publisher:\n  same_as: [ftp://x]\n", "publisher.same_as: expected a list of http(s) URLs"),
    ],
)
def test_bad_publisher_and_social_settings(write_site, yaml, message):
    assert_config_error(write_site, yaml, "newsgen.yaml:2:", message)
