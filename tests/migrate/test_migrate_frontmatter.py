"""Front matter as Hugo, Zola, Eleventy, Jekyll and Pelican write it: formats, keys, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsgen.config import load_config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source
from newsgen.errors import ContentError


def load(write_site, name: str, content: str):
    site = write_site({f"articles/{name}": content})
    cfg, _ = load_config(site)
    src = Source(site / "articles" / name, f"articles/{name}", "markdown")
    return load_article(src, cfg, MarkdownRenderer(unsafe_html=False))


def error_of(write_site, name: str, content: str) -> str:
    with pytest.raises(ContentError) as exc:
        load(write_site, name, content)
    return str(exc.value)


ZOLA = """+++
title = "Harbour dredging starts"
date = 2020-01-30T08:00:00+01:00
updated = 2020-02-01
description = "Work begins on the channel."
path = "2020/01/30/harbour-dredging"
draft = false

[taxonomies]
tags = ["harbour", "port authority"]
categories = ["Local"]

[extra]
author = "Fictional Reporter"
mood = "calm"
+++
Dredgers arrived on Monday. (Fictional sample.)
"""


def test_zola_toml_front_matter(write_site):
    a, _ = load(write_site, "dredging.md", ZOLA)
    assert a.title == "Harbour dredging starts"
    assert a.date == datetime(2020, 1, 30, 8, tzinfo=timezone(timedelta(hours=1)))
    assert a.updated is not None and a.updated.date().isoformat() == "2020-02-01"
    assert a.tags == ("harbour", "port authority")
    assert a.section == "Local"
    assert a.authors == ("Fictional Reporter",)
    assert a.summary == "Work begins on the channel."
    assert a.url == "/2020/01/30/harbour-dredging/"
    assert a.output_path == "2020/01/30/harbour-dredging/index.html"
    assert a.extra["extra"]["mood"] == "calm"
    assert a.body_html.startswith("<p>Dredgers arrived")


def test_zola_date_from_path_when_there_is_no_date(write_site):
    a, _ = load(write_site, "x.md", '+++\ntitle = "T"\npath = "2019/7/4/fireworks"\n+++\nBody.\n')
    assert a.date.date().isoformat() == "2019-07-04"
    assert a.url == "/2019/7/4/fireworks/"


def test_hugo_toml_with_aliases_params_and_dates(write_site):
    a, _ = load(
        write_site,
        "p.md",
        """+++
title = "Bridge reopens"
publishDate = "2021-05-01T10:00:00Z"
expiryDate = 2031-05-01T10:00:00Z
url = "/news/bridge-reopens/"
aliases = ["/2021/05/bridge/", "/old/bridge.html"]
[params]
image = "/img/bridge.jpg"
image_alt = "The bridge"
+++
Body.
""",
    )
    assert a.date == datetime(2021, 5, 1, 10, tzinfo=UTC)
    assert a.expires == datetime(2031, 5, 1, 10, tzinfo=UTC)
    assert a.url == "/news/bridge-reopens/"
    assert a.aliases == ("/2021/05/bridge/", "/old/bridge.html")
    assert a.image == "/img/bridge.jpg"


def test_hugo_json_front_matter(write_site):
    a, _ = load(
        write_site,
        "j.md",
        '{\n  "title": "Ferry timetable",\n  "date": "2019-03-02T07:00:00-05:00",\n'
        '  "tags": ["ferry", "transport"],\n  "aliases": ["/ferry/"]\n}\n\nFirst paragraph.\n',
    )
    assert a.title == "Ferry timetable"
    assert a.tags == ("ferry", "transport")
    assert a.aliases == ("/ferry/",)
    assert "First paragraph." in a.body_html


def test_pelican_metadata_header(write_site):
    a, _ = load(
        write_site,
        "pel.md",
        """Title: Library extends hours
Date: 2010-12-03 10:20
Modified: 2010-12-05 19:30
Category: Local
Tags: library, opening hours
Slug: library-hours
Authors: Alex Sample, Sam Example
Summary: Open until nine on weekdays.
Status: draft

The library will stay open later. (Fictional sample.)
""",
    )
    assert a.title == "Library extends hours"
    assert a.date == datetime(2010, 12, 3, 10, 20, tzinfo=UTC)
    assert a.updated == datetime(2010, 12, 5, 19, 30, tzinfo=UTC)
    assert a.section == "Local"
    assert a.tags == ("library", "opening hours")
    assert a.slug == "library-hours"
    assert a.authors == ("Alex Sample", "Sam Example")
    assert a.summary == "Open until nine on weekdays."
    assert a.draft is True
    assert a.body_html == "<p>The library will stay open later. (Fictional sample.)</p>"


def test_jekyll_keys(write_site):
    a, _ = load(
        write_site,
        "2015-03-17-council.md",
        """---
title: Council meets
date: '2015-03-17 14:00:00 -4'
last_modified_at: 2015-03-18
permalink: /council/meets.html
redirect_from:
  - /2015/03/17/council-meets/
  - /news/council
---
Body.
""",
    )
    assert a.date == datetime(2015, 3, 17, 14, tzinfo=timezone(timedelta(hours=-4)))
    assert a.updated is not None and a.updated.date().isoformat() == "2015-03-18"
    assert a.url == "/council/meets.html"
    assert a.output_path == "council/meets.html"
    assert a.aliases == ("/2015/03/17/council-meets/", "/news/council/")


def test_wordpress_importer_redirect_from_form(write_site):
    """The form the WordPress importer writes: a list of site paths, percent-encoded ones included."""
    a, _ = load(
        write_site,
        "cafe.md",
        "---\ntitle: Café opens\ndate: 2019-05-01T09:00:00+02:00\nslug: cafe-opens\n"
        "author: Fictional Writer\nsection: Food\ntags: [coffee]\nsummary: S.\ndraft: true\n"
        "redirect_from: [/2019/05/caf%C3%A9-opens/, /2019/05/01/cafe-opens]\n---\nBody.\n",
    )
    # the second old path is the article's own URL: nothing to redirect
    assert a.url == "/2019/05/01/cafe-opens/"
    assert a.aliases == ("/2019/05/café-opens/",)
    assert a.draft is True


def test_eleventy_keys(write_site):
    a, warnings = load(
        write_site,
        "e.md",
        "---\ntitle: Eleventy post\ndate: Last Modified\npermalink: false\n---\nBody.\n",
    )
    assert a.draft is True
    assert any("file's time" in w.message for w in warnings)


def test_permalink_pattern_is_a_warning_not_a_url(write_site):
    a, warnings = load(
        write_site, "x.md", "---\ntitle: T\ndate: 2020-01-01\npermalink: /:year/:title/\n---\nB\n"
    )
    assert a.url == "/2020/01/01/x/"
    assert any("is a pattern" in w.message for w in warnings)


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        ('+++\ntitle = "T"\ndate = 2020-01-01\ntags = [1, \n+++\nB\n', "x.md:", "TOML front matter"),
        ('+++\ntitle = "T"\nbroken = = 1\n+++\nB\n', "x.md:3:", "TOML front matter"),
        ('+++\ntitle = "T"\n', "x.md:1:1", "never closed"),
        ('{\n  "title": "T",\n  "date": 2020\n  "x": 1\n}\nB\n', "x.md:4:3", "JSON front matter"),
        ("---\ntitle: T\nurl: /../../etc/\n---\nB\n", "x.md:3:6", "'..' segment"),
        ("---\ntitle: T\naliases: [https://example.com/old/]\n---\nB\n", "x.md:3:", "full URL"),
        ("---\ntitle: T\nredirect_from:\n  - /ok/\n  - /a?p=1\n---\nB\n", "x.md:5:", "query"),
        ('+++\ntitle = "T"\ndate = "2024-02-30"\n+++\nB\n', "x.md:3:8", "day is out of range"),
        ("Title: T\nDate: 2024-02-30\n\nB\n", "x.md:2:7", "day is out of range"),
    ],
)
def test_errors_name_file_line_and_column(write_site, content, where, what):
    message = error_of(write_site, "x.md", content)
    assert where in message and what in message, message


def test_author_as_a_mapping_with_a_name(write_site):
    """Jekyll themes write the byline as a mapping (found on a real public Jekyll blog)."""
    a, _ = load(
        write_site,
        "2015-02-27-x.md",
        "---\ntitle: T\nauthor:\n  name: Fictional Writer\n  twitter: example\n---\nBody.\n",
    )
    assert a.authors == ("Fictional Writer",)
    assert a.extra["author_profile"] == {"name": "Fictional Writer", "twitter": "example"}


def test_jekyll_post_without_a_title_takes_it_from_the_file_name(write_site):
    a, warnings = load(
        write_site, "2017-04-05-abc-056-a.md", "---\nlayout: post\ntags: [x]\n---\n# Heading\n"
    )
    assert a.title == "Abc 056 A"
    assert any("from the file name, as Jekyll does" in w.message for w in warnings)


def test_a_file_that_is_not_a_dated_post_still_needs_a_title(write_site):
    assert "x.md:1:1: title: missing" in error_of(write_site, "x.md", "---\nlayout: page\n---\nBody.\n")


def test_wire_copy_headline_is_never_read_as_a_pelican_header(write_site):
    site = write_site(
        {"seeds/w.txt": "Summary: council approves budget\n\nThe vote was 7-2. (Fictional sample.)\n"}
    )
    cfg, _ = load_config(site)
    src = Source(site / "seeds/w.txt", "seeds/w.txt", "wire")
    a, _ = load_article(src, cfg, MarkdownRenderer(unsafe_html=False))
    assert a.title == "Summary: council approves budget"


def test_character_references_in_a_jekyll_title_are_read_as_the_old_site_showed_them(write_site):
    # TechnicalOutcast's _posts: the Jekyll theme printed the title as HTML, so "&#58;" was ":"
    a, _ = load(
        write_site,
        "refs.md",
        "---\ntitle: 'Inspector General&#58; 21&#37; of passwords cracked &amp; more'\n"
        "summary: R&amp;D at AT&T, &lt;b&gt; stays text, &param and &copy are no references\n"
        "date: 2017-01-12\n---\nBody.\n",
    )
    assert a.title == "Inspector General: 21% of passwords cracked & more"
    assert a.summary == "R&D at AT&T, <b> stays text, &param and &copy are no references"


def test_a_decoded_title_is_still_text_on_the_page(write_site, cli):
    site = write_site(
        {"articles/x.md": "---\ntitle: 'A &lt;script&gt; tag &amp; you'\ndate: 2017-01-12\n---\nBody.\n"}
    )
    assert cli("build", "--site", site).code == 0
    page = (site / "public/2017/01/12/x/index.html").read_text("utf-8")
    assert "A &lt;script&gt; tag &amp; you</h1>" in page and "<script> tag" not in page
