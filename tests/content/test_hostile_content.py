"""Hostile article content: raw HTML, script URLs, template syntax and metadata in every output."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import tree_digest
from newsgen.content.markup import MarkdownRenderer, is_dangerous_url
from photo_files import photo

URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "data",
    "srcset",
    "cite",
}


class Collect(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)


def parse(html: str) -> Collect:
    c = Collect()
    c.feed(html)
    c.close()
    return c


def assert_no_script_anywhere(out: Path) -> None:
    """No executable script (but the theme's banner script), event handler or script URL in any
    HTML page; JSON-LD parses."""
    for p in sorted(out.rglob("*.html")):
        c = parse(p.read_text("utf-8"))
        for tag, attrs in c.tags:
            for name, value in attrs.items():
                assert not name.startswith("on"), f"{p}: <{tag} {name}=...>"
                if name in URL_ATTRS and value:
                    assert not is_dangerous_url(value), f"{p}: <{tag} {name}={value!r}>"
        for attrs, text in c.scripts:
            if attrs.get("src", "").endswith("js/breaking.js") and not text.strip():
                continue  # the theme's own banner script, from the site's js/ folder
            assert attrs.get("type") == "application/ld+json", f"{p}: executable <script>"
            json.loads(text)


DANGEROUS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;vascript:alert(1)",
    "javascript&colon;alert(1)",
    "&amp;#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "\x01javascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "\u200bjavascript:alert(1)",
]


@pytest.mark.parametrize("unsafe", [False, True], ids=["default", "unsafe_html"])
@pytest.mark.parametrize("url", DANGEROUS)
def test_dangerous_urls_are_neutralised_in_every_mode(url, unsafe):
    md = MarkdownRenderer(unsafe_html=unsafe)
    esc = url.replace(")", "%29").replace(" ", "%20")
    text = "\n\n".join(
        [
            f"[inline](<{url}>)",
            f"[plain]({esc})",
            f"![image]({esc})",
            f"[reference][r]\n\n[r]: <{url}>",
            f'<a href="{url}">raw</a> <img src="{url}"> <a href={esc}>bare</a> <form action="{url}"></form>',
            f"<object data='{url}'></object> <svg><a xlink:href=\"{url}\">x</a></svg>",
        ]
    )
    html = md.convert(text)
    c = parse(html)
    for tag, attrs in c.tags:
        for name, value in attrs.items():
            if name in URL_ATTRS and value:
                assert not is_dangerous_url(value), (tag, name, value)
    if not unsafe:
        assert not any(tag in ("a", "img", "form", "object") and "raw" in str(attrs) for tag, attrs in c.tags)


def test_safe_urls_are_kept():
    html = MarkdownRenderer().convert(
        "[a](https://example.com/x?y=1&z=2) [b](/local/) [c](mailto:x@example.com) "
        "[d](#top) [e](javascript-guide.html) ![f](img/data.png)"
    )
    hrefs = [a.get("href") or a.get("src") for t, a in parse(html).tags if t in ("a", "img")]
    assert hrefs == [
        "https://example.com/x?y=1&z=2",
        "/local/",
        "mailto:x@example.com",
        "#top",
        "javascript-guide.html",
        "img/data.png",
    ]


def test_raw_html_is_escaped_by_default_and_passes_with_unsafe_html():
    text = '<script>alert(1)</script>\n\nHello <b onclick="x()">bold</b> <iframe src=//evil></iframe>'
    safe = MarkdownRenderer().convert(text)
    c = parse(safe)
    assert [t for t, _ in c.tags] == ["p", "p"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in safe
    assert "&lt;b onclick=" in safe
    trusted = MarkdownRenderer(unsafe_html=True).convert(text)
    assert '<b onclick="x()">bold</b>' in trusted  # the site asked for raw HTML: it is passed through


HOSTILE = '"><script>alert(1)</script>'
HOSTILE_ARTICLE = f"""---
title: '{HOSTILE} & {{{{ 7*7 }}}}'
date: 2025-03-03T10:00:00Z
author: "<img src=x onerror=alert(1)>"
section: "</title><script>alert(2)</script>"
tags: ['"onmouseover="alert(3)', "</script><script>alert(4)</script>", "]]><evil/>"]
summary: "Summary </script><script>alert(5)</script> {{% include 'base.html' %}}"
image: /img/photo.jpg
image_alt: '" onerror="alert(6)'
image_caption: "<script>alert(7)</script>"
---

Body with template syntax: {{{{ 7*7 }}}} and {{% include "base.html" %}} and {{# comment #}}.

Raw <script>alert(8)</script> and a [link](javascript:alert(9)).
"""


@pytest.fixture
def hostile_site(write_site, cli):
    site = write_site(
        {
            "articles/hostile.md": HOSTILE_ARTICLE,
            "articles/wire.txt": "WIRE {{ 7*7 }} <script>alert(10)</script>\n\nPara {% raw %}.\n",
            "static/img/photo.jpg": photo(640, 480),  # the lead image it names
        },
        config="title: T\nbase_url: https://example.com/\ndefault_date: 2025-03-01\n",
    )
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    return site / "public"


def test_template_syntax_in_articles_is_printed_never_evaluated(hostile_site):
    out = hostile_site
    page = (out / "2025/03/03/hostile/index.html").read_text()
    text = " ".join(parse(page).text)
    assert "{{ 7*7 }}" in text and '{% include "base.html" %}' in text and "{# comment #}" in text
    assert "49" not in text
    assert page.count("<!DOCTYPE html>") == 1  # base.html was not included a second time
    wire = next(out.glob("2025/03/01/*/index.html")).read_text()
    assert "WIRE {{ 7*7 }}" in " ".join(parse(wire).text) and "{% raw %}" in wire


def test_metadata_is_escaped_in_html_attributes_and_text(hostile_site):
    out = hostile_site
    assert_no_script_anywhere(out)
    page = (out / "2025/03/03/hostile/index.html").read_text()
    c = parse(page)
    titles = [a.get("content") for t, a in c.tags if t == "meta" and a.get("property") == "og:title"]
    assert titles == [f"{HOSTILE} & {{{{ 7*7 }}}}"]  # exactly the text, as an attribute value
    assert f"{HOSTILE} & {{{{ 7*7 }}}}" in c.text  # and as text
    imgs = [a for t, a in c.tags if t == "img"]
    assert imgs and all(a.get("alt") == '" onerror="alert(6)' for a in imgs)
    assert "<script>alert(7)</script>" in " ".join(c.text)


def test_metadata_is_escaped_in_the_feed(hostile_site):
    root = ET.fromstring((hostile_site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = next(e for e in root.findall("a:entry", ns) if "hostile" in e.find("a:id", ns).text)
    assert entry.find("a:title", ns).text == f"{HOSTILE} & {{{{ 7*7 }}}}"
    terms = [c.get("term") for c in entry.findall("a:category", ns)]
    assert "</script><script>alert(4)</script>" in terms and "]]><evil/>" in terms
    assert entry.find("a:author/a:name", ns).text == "<img src=x onerror=alert(1)>"
    content = entry.find("a:content", ns).text
    assert "<script>" not in content and "javascript:" not in content


def test_script_url_in_image_front_matter_is_an_error(write_site, cli):
    site = write_site({"articles/a.md": "---\ntitle: A\ndate: 2025-03-03\n---\n\nok\n"}, config="title: T\n")
    assert cli("build", "--site", site).code == 0
    before = tree_digest(site / "public")
    (site / "articles/b.md").write_text("---\ntitle: B\nimage: ' JaVa&#x53;cript:alert(1)'\n---\n\nx\n")
    run = cli("build", "--site", site)
    assert run.code == 1
    assert "articles/b.md:3:8: image: javascript:, vbscript: and data: URLs are not allowed" in run.err
    assert tree_digest(site / "public") == before
