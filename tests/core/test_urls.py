"""Slugs, permalinks, output paths and relative links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

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
    ],
)
def test_relative_url(src, dst, rel):
    assert relative_url(src, dst) == rel


def test_a_page_relative_reference_is_never_resolved_against_the_working_folder(tmp_path, monkeypatch):
    """``image: local.jpg`` stays relative to its page: the folder the build runs in never leaks into a link."""
    monkeypatch.chdir(tmp_path)
    for ref in ("local.jpg", "../other/", "img/a.png", "//cdn.example.com/a.jpg"):
        assert relative_url("/2025/03/01/story/", ref) == ref
    assert relative_url("/2025/03/01/story/", "/images/a.jpg") == "../../../../images/a.jpg"
