"""A site served under a path (https://example.github.io/news/): every link in every file works."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import REPO
from linkcheck import links_in, resolve
from newsgen.content.markup import rewrite_urls
from newsgen.core.urls import absolute_ref, localize, output_path, url_of_output
from syndication_site import PREFIXED, build_site_at, make_site, parse_page

HOST = "https://example.github.io"
_ABSOLUTE = re.compile(r"""https?://example\.github\.io[^\s"'<>\\)]*""")


def broken_internal_links(root: Path, base_url: str) -> tuple[list[str], int]:
    """Every internal reference in every generated file that points to no file, and how many were checked.

    HTML: every href and src, resolved against the page's place on disk (root-relative ones
    against the base path). Every file (HTML, XML, JSON, robots.txt): every absolute URL on
    the site's host (canonical, Open Graph, JSON-LD, feed and sitemap URLs) must lie under
    ``base_url`` and name a file.
    """
    broken, checked = [], 0
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")
    )
    for page in files:
        text = page.read_text("utf-8")
        refs = set(_ABSOLUTE.findall(text.replace("&amp;", "&")))
        if page.suffix == ".html":
            refs.update(links_in(text))
        for ref in sorted(refs):
            if ref.startswith(HOST) and not ref.startswith(base_url):
                broken.append(f"{page.relative_to(root)} -> {ref} (outside the base URL)")
                continue
            target = resolve(page, ref.split("#")[0] or ref, root, base_url)
            if target is None:
                continue
            checked += 1
            if not target.resolve().is_file():
                broken.append(f"{page.relative_to(root)} -> {ref}")
    return broken, checked


def test_prefixed_base_url_build_has_no_broken_links(write_site):
    out = build_site_at(make_site(write_site, base=PREFIXED))
    broken, checked = broken_internal_links(out, PREFIXED)
    assert broken == []
    assert checked > 100  # the checker really looked
    # spot checks of what it looked at
    page = parse_page(out / "2025/06/10/budget/index.html")
    assert page.canonical == [PREFIXED + "2025/06/10/budget/"]
    assert "../../09/ferry-fleet/" in page.links  # a /site/path in the story body, made relative
    assert "../../../../images/chart-64w.jpg" in page.links  # a body photo: its own width, as a <picture>
    assert PREFIXED + "sitemap.xml" in (out / "robots.txt").read_text("utf-8")


def test_the_checker_catches_what_it_should(write_site):
    out = build_site_at(make_site(write_site, base=PREFIXED))
    (out / "images/chart.png").unlink()
    page = out / "2025/06/10/budget/index.html"
    page.write_text(page.read_text("utf-8").replace("</main>", '<a href="/css/newsgen.css">x</a></main>'))
    broken, _ = broken_internal_links(out, PREFIXED)
    assert any("images/chart.png" in b for b in broken)  # a missing file, seen in HTML and the feeds
    assert "2025/06/10/budget/index.html -> /css/newsgen.css" in broken  # root path outside /news/


def test_sample_site_under_a_path_has_no_broken_links(cli, tmp_path):
    out = tmp_path / "public"
    r = cli("build", "--site", REPO, "--output", out, "--base-url", PREFIXED)
    assert r.code == 0, r.err
    broken, checked = broken_internal_links(out, PREFIXED)
    assert broken == [] and checked > 100


@pytest.mark.parametrize("served_at", ["missing", "a/b/c/deep/missing.html", "2025/06/10/gone/"])
def test_404_page_works_at_any_depth(write_site, served_at):
    out = build_site_at(make_site(write_site, base=PREFIXED))
    page = out / "404.html"
    hrefs = parse_page(page).links
    assert "/news/css/newsgen.css" in hrefs and "/news/" in hrefs
    for href in hrefs:
        if href.startswith("#"):
            continue  # the skip link, within the page itself
        url = urljoin(PREFIXED + served_at, href)
        assert url.startswith(PREFIXED), (served_at, href)
        path = urlsplit(url).path[len("/news/") :]
        target = out / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        assert target.is_file(), (served_at, href)


def test_base_url_override_on_the_command_line(write_site, cli):
    site = make_site(write_site, base="https://news.example/")
    out = site / "public"
    r = cli("build", "--site", site, "--base-url", "https://preview.example.net/pr-12")
    assert r.code == 0, r.err
    page = parse_page(out / "2025/06/10/budget/index.html")
    assert page.canonical == ["https://preview.example.net/pr-12/2025/06/10/budget/"]
    feed = (out / "feed.xml").read_text("utf-8")
    assert "https://news.example/" not in feed and 'href="https://preview.example.net/pr-12/feed.xml"' in feed
    assert "Sitemap: https://preview.example.net/pr-12/sitemap.xml" in (out / "robots.txt").read_text("utf-8")


@pytest.mark.parametrize(
    "ref,expected",
    [
        ("https://other.example/x", "https://other.example/x"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("/images/a.jpg", PREFIXED + "images/a.jpg"),
        ("b.jpg", PREFIXED + "2025/06/10/budget/b.jpg"),
        ("../other/", PREFIXED + "2025/06/10/other/"),
        ("#fn:1", PREFIXED + "2025/06/10/budget/#fn:1"),
        ("//cdn.example/x.js", "https://cdn.example/x.js"),
    ],
)
def test_absolute_ref(ref, expected):
    assert absolute_ref(PREFIXED, "/2025/06/10/budget/", ref) == expected


@pytest.mark.parametrize(
    "ref,expected",
    [
        ("/2025/06/09/ferry/", "../../09/ferry/"),
        ("/images/a.jpg?v=2#top", "../../../../images/a.jpg?v=2#top"),
        ("/", "../../../../"),
        ("//cdn.example/x", "//cdn.example/x"),
        ("relative.jpg", "relative.jpg"),
        ("#fn:1", "#fn:1"),
    ],
)
def test_localize(ref, expected):
    assert localize("/2025/06/10/budget/", ref) == expected


def test_rewrite_urls_touches_only_url_attributes_in_tags():
    html = (
        '<p>Text href="/not-a-tag/" <a href="/a/?x=1&amp;y=2" title="/t/">a</a> '
        "<img src='/i.png' alt=\"/alt/\"><img src=/u.png></p>"
    )
    out = rewrite_urls(html, lambda ref: "X" + ref if ref.startswith("/") else ref)
    assert out == (
        '<p>Text href="/not-a-tag/" <a href="X/a/?x=1&amp;y=2" title="/t/">a</a> '
        '<img src="X/i.png" alt="/alt/"><img src="X/u.png"></p>'
    )
    assert rewrite_urls(html, lambda ref: ref) == html


@pytest.mark.parametrize(
    "path,url",
    [
        ("index.html", "/"),
        ("2025/06/10/budget/index.html", "/2025/06/10/budget/"),
        ("politics/story.html", "/politics/story.html"),
        ("404.html", "/404.html"),
    ],
)
def test_url_of_output_inverts_output_path(path, url):
    assert url_of_output(path) == url and output_path(url) == path
