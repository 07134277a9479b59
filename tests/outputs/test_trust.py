"""Trust information: publisher.correctionsPolicy and friends as a NewsMediaOrganization and footer links."""

from __future__ import annotations

import json
import re

import pytest

from conftest import article
from newsgen import load_config
from newsgen.errors import ConfigError

BASE = """\
title: Trust Test
base_url: https://news.example.com/sub/
timezone: UTC
"""
TRUST = """\
publisher:
  name: Trust Test Media
  publishingPrinciples: page:about
  correctionsPolicy: page:policies/corrections
  ethics_policy: /policies/ethics/
  masthead: https://people.example.org/masthead
  diversityPolicy: /about/#diversity
  ownershipFundingInfo: page:about
  actionableFeedbackPolicy: https://feedback.example.org/
"""
PAGES = {
    "pages/about.md": "---\ntitle: About us\nmenu: footer\n---\n\nText.\n",
    "pages/policies/corrections.md": "---\ntitle: How we correct\n---\n\nText.\n",
    "pages/policies/ethics.md": "---\ntitle: Ethics\n---\n\nText.\n",
    "articles/story.md": article("A story", "2025-03-01T09:00:00Z"),
}
EXPECTED = {
    "publishingPrinciples": "https://news.example.com/sub/about/",
    "correctionsPolicy": "https://news.example.com/sub/policies/corrections/",
    "ethicsPolicy": "https://news.example.com/sub/policies/ethics/",
    "masthead": "https://people.example.org/masthead",
    "diversityPolicy": "https://news.example.com/sub/about/#diversity",
    "ownershipFundingInfo": "https://news.example.com/sub/about/",
    "actionableFeedbackPolicy": "https://feedback.example.org/",
}


def _json_ld(html: str) -> list[dict]:
    return [
        json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def _build(write_site, cli, config=BASE + TRUST, files=PAGES):
    site = write_site(files, config=config)
    return site, cli("build", "--site", site, "--as-of", "2025-03-02T00:00:00Z", "--no-cache")


def test_the_publisher_is_a_news_media_organization_with_every_trust_property(write_site, cli):
    site, r = _build(write_site, cli)
    assert r.code == 0, r.err
    out = site / "public"
    org = next(
        d
        for d in _json_ld((out / "index.html").read_text("utf-8"))
        if d.get("@id", "").endswith("#organization")
    )
    assert org["@type"] == "NewsMediaOrganization" and org["name"] == "Trust Test Media"
    assert {k: org[k] for k in EXPECTED} == EXPECTED
    news = next(
        d
        for d in _json_ld((out / "2025/03/01/story/index.html").read_text("utf-8"))
        if d["@type"] == "NewsArticle"
    )
    assert news["publisher"]["@type"] == "NewsMediaOrganization"
    assert {k: news["publisher"][k] for k in EXPECTED} == EXPECTED


def test_trust_links_are_in_the_footer_once_each(write_site, cli):
    site, r = _build(write_site, cli)
    assert r.code == 0, r.err
    html = (site / "public" / "index.html").read_text("utf-8")
    nav = re.search(r'<nav[^>]*aria-label="About the publisher">(.*?)</nav>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', nav)
    assert links == [
        ("about/", "About us"),  # the footer page; publishingPrinciples and ownershipFundingInfo point at it
        ("policies/corrections/", "How we correct"),  # a site page: its own title
        ("policies/ethics/", "Ethics"),
        ("https://people.example.org/masthead", "Masthead"),
        ("about/#diversity", "Diversity policy"),
        ("https://feedback.example.org/", "Feedback policy"),
    ]


def test_without_trust_information_the_publisher_stays_an_organization(write_site, cli):
    site, r = _build(write_site, cli, config=BASE)
    assert r.code == 0, r.err
    data = _json_ld((site / "public" / "index.html").read_text("utf-8"))
    org = next(d for d in data if d.get("@id", "").endswith("#organization"))
    assert org["@type"] == "Organization" and "correctionsPolicy" not in org


def test_an_unknown_page_is_an_error_naming_the_config_line(write_site, cli):
    config = BASE + "publisher:\n  correctionsPolicy: page:corrections\n  masthead: /team/\n"
    site, r = _build(write_site, cli, config=config)
    assert r.code != 0
    assert "newsgen.yaml:5:22: publisher.correctionsPolicy: no site page at /corrections/" in r.err
    assert "newsgen.yaml:6:13: publisher.masthead: /team/ is not a page of this site" in r.err
    assert not (site / "public").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("javascript:alert(1)", "'javascript:alert(1)' is neither an http(s) URL nor a site path"),
        ("[1, 2]", "expected a URL, a site path such as /about/ or page:about"),
        ("/../etc/", "has an empty, '.' or '..' segment"),
    ],
)
def test_bad_trust_values_are_errors_at_their_line(write_site, value, message):
    site = write_site(config=BASE + f"publisher:\n  name: X\n  ethicsPolicy: {value}\n")
    with pytest.raises(ConfigError) as exc:
        load_config(site)
    assert "newsgen.yaml:6:17: publisher.ethicsPolicy: " in str(exc.value)
    assert message in str(exc.value)


def test_both_spellings_of_one_property_and_misspelt_keys(write_site):
    site = write_site(config=BASE + "publisher:\n  ethicsPolicy: /a/\n  ethics_policy: /b/\n")
    with pytest.raises(ConfigError) as exc:
        load_config(site)
    assert "newsgen.yaml:6:18: publisher.ethics_policy: ethicsPolicy is already given on line 5" in str(
        exc.value
    )
    site = write_site(config=BASE + "publisher:\n  correctionPolicy: /a/\n", name="other")
    config, warnings = load_config(site)
    assert config.publisher.trust == ()
    assert [str(w) for w in warnings] == [
        "newsgen.yaml:5:3: warning: unknown key 'publisher.correctionPolicy' is ignored; "
        "did you mean 'correctionsPolicy'?"
    ]


def test_a_trust_link_may_name_a_static_file_but_not_a_redirect(write_site, cli):
    files = {**PAGES, "static/ownership.pdf": b"%PDF-1.4 fictional\n"}
    config = BASE + "publisher:\n  ownershipFundingInfo: /ownership.pdf\n  masthead: /old-about/\n"
    config += "redirects:\n  /old-about/: /about/\n"
    _, r = _build(write_site, cli, config=config, files=files)
    assert r.code != 0
    assert "publisher.masthead: /old-about/ is not a page of this site" in r.err
    assert "ownership" not in r.err
