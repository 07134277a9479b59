"""Slugs, permalinks, output paths and relative links."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen.core.urls import article_url, output_path, page_url, relative_url, slugify


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Council Passes Budget!", "council-passes-budget"),
        ("Zoë Okonkwo-Brandt", "zoe-okonkwo-brandt"),
        ("Ingrid Sørensen", "ingrid-sorensen"),
        ("Łukasz Nowak", "lukasz-nowak"),
        ("Straße & Co", "strasse-and-co"),
        ("Москва", "москва"),
        ("../../etc/passwd", "etc-passwd"),
        ("a\x00b", "a-b"),
        ("..\\x", "x"),
        ("%2e%2e%2f", "2e-2e-2f"),
        ("   ", "untitled"),
        ("snake_case__name", "snake-case-name"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slug_is_bounded_and_cut_at_a_word():
    s = slugify("word " * 100)
    assert len(s) <= 80 and not s.endswith("-") and s.startswith("word-word")


def test_nfc_and_nfd_give_the_same_slug():
    assert slugify("Cafe\u0301 Zoe\u0308") == slugify("Café Zoë") == "cafe-zoe"


def test_article_url_and_output_path():
    d = datetime(2025, 3, 7, 23, 0, tzinfo=UTC)
    url = article_url("/{year}/{month}/{day}/{slug}/", d, "x", None)
    assert url == "/2025/03/07/x/"
    assert output_path(url) == "2025/03/07/x/index.html"
    assert article_url("/{section}/{slug}.html", d, "x", "Culture & Arts") == "/culture-and-arts/x.html"
    assert output_path("/culture/x.html") == "culture/x.html"
    assert output_path("/") == "index.html"


def test_page_url():
    assert page_url("/", 1) == "/"
    assert page_url("/", 2) == "/page/2/"


@pytest.mark.parametrize(
    "src, dst, rel",
    [
        ("/", "/css/a.css", "css/a.css"),
        ("/2025/03/01/x/", "/", "../../../../"),
        ("/2025/03/01/x/", "/2025/04/02/y/", "../../../04/02/y/"),
        ("/page/2/", "/page/3/", "../3/"),
        ("/a/", "/a/", "./"),
        ("/a/x.html", "/b/", "../b/"),
        ("/a/b/x.html", "/a/bc", "../bc"),
        ("/a/b/x.html", "/a/b", "."),
        ("/a/b/", "/a/b", "."),
        ("/a/b/", "/a/b/c/d.html", "c/d.html"),
        ("/a//b/", "/a/c/", "../c/"),
        ("/a/./b/", "/a/c/", "../c/"),
    ],
)
def test_relative_url(src, dst, rel):
    assert relative_url(src, dst) == rel


def reference_relative(from_url: str, to_url: str) -> str:
    """What ``relative_url`` gives, by ``posixpath.relpath``: the link keeps the target's folder slash."""
    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url, from_dir)
    return rel + "/" if to_url.endswith("/") and not rel.endswith("/") else rel


# Few, alike names, so that paths share folders and names start alike ("b" and "bc").
site_paths = st.lists(st.sampled_from(["a", "b", "bc", "b.html", "2025", ".x"]), max_size=4).flatmap(
    lambda parts: st.sampled_from(["/" + "/".join(parts), "/" + "".join(p + "/" for p in parts)])
)


@given(site_paths, site_paths)
def test_relative_url_is_the_posix_relative_path(from_url, to_url):
    assert relative_url(from_url, to_url) == reference_relative(from_url, to_url)


def test_a_page_relative_reference_is_never_resolved_against_the_working_folder(tmp_path, monkeypatch):
    """``image: local.jpg`` stays relative to its page: the folder the build runs in never leaks into a link."""
    monkeypatch.chdir(tmp_path)
    for ref in ("local.jpg", "../other/", "img/a.png", "//cdn.example.com/a.jpg"):
        assert relative_url("/2025/03/01/story/", ref) == ref
    assert relative_url("/2025/03/01/story/", "/images/a.jpg") == "../../../../images/a.jpg"
