"""Eleventy's ``eleventyExcludeFromCollections`` (newsgen: ``unlisted``): a page of its own, in no list."""

from __future__ import annotations

import json

LISTED = """---
title: Council meets
date: 2025-03-01T09:00:00Z
tags: [council]
section: Local
---
The council met. (Fictional sample.)
"""

UNLISTED = """---
title: Corrections desk notes
date: 2025-03-02T09:00:00Z
tags: [council]
section: Desk
eleventyExcludeFromCollections: true
---
Kept at its address, listed nowhere. (Fictional sample.)
"""


def test_an_excluded_story_has_its_page_and_appears_in_no_list(write_site, cli):
    site = write_site(
        {"articles/listed.md": LISTED, "articles/unlisted.md": UNLISTED},
        config="base_url: https://news.example/\n",
    )
    r = cli("build", "--site", site, "--as-of", "2025-04-01T00:00Z")
    assert r.code == 0, r.err
    pub = site / "public"
    page = pub / "2025/03/02/unlisted/index.html"
    assert page.is_file() and "Kept at its address" in page.read_text("utf-8")
    others = [
        p for p in pub.rglob("*") if p.is_file() and p != page and p.suffix in (".html", ".xml", ".json")
    ]
    assert others
    for p in others:
        if p.name in ("sitemap.xml", ".newsgen-changes.json", ".newsgen-manifest.json"):
            continue
        text = p.read_text("utf-8")
        assert "Corrections desk notes" not in text and "/2025/03/02/unlisted/" not in text, p
    assert not (pub / "desk").exists()  # a section only an unlisted story has gets no front
    listed = (pub / "2025/03/01/listed/index.html").read_text("utf-8")
    assert "Corrections desk notes" not in listed  # not in More Stories
    assert "/2025/03/02/unlisted/" in (pub / "sitemap.xml").read_text("utf-8")  # still a page of the site
    assert json.loads((pub / "feed.json").read_text("utf-8"))["items"][0]["title"] == "Council meets"


def test_unlisted_must_be_true_or_false(write_site, cli):
    site = write_site(
        {"articles/x.md": UNLISTED.replace("eleventyExcludeFromCollections: true", "unlisted: maybe")}
    )
    r = cli("build", "--site", site)
    assert r.code == 1
    assert "articles/x.md:6:11: unlisted: expected true or false" in r.err
