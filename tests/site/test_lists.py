"""List pages: section fronts, tags, authors, date archives, corrections; their pagination and the nav bar."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import article

PER_PAGE = 3
CONFIG = f"""\
title: Lists Test
base_url: https://news.example.com/
timezone: UTC
per_page: {PER_PAGE}
"""


def _stories(n: int) -> dict[str, str]:
    """``n`` stories in one section, tag, author and month, one a day from 1 March 2025."""
    return {
        f"articles/story-{i:02d}.md": article(
            f"Story number {i}",
            f"2025-03-{i:02d}T09:00:00Z",
            section="Port News",
            author="Ada Quill",
            tags="[Harbour]",
            corrections=f"[{{date: '2025-03-{i:02d}T12:00:00Z', text: 'Fix {i}.'}}]",
        )
        for i in range(1, n + 1)
    }


def _build(write_site, cli, files) -> Path:
    site = write_site(files, config=CONFIG)
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    return site / "public"


def _titles(page: Path) -> list[str]:
    return re.findall(r"Story number (\d+)</a>", page.read_text("utf-8"))


LISTS = ["", "port-news/", "tags/harbour/", "authors/ada-quill/", "2025/", "2025/03/"]


@pytest.mark.parametrize("first", LISTS)
def test_exactly_one_page_worth_makes_one_page(write_site, cli, first):
    out = _build(write_site, cli, _stories(PER_PAGE))
    assert _titles(out / first / "index.html") == ["3", "2", "1"]
    assert not (out / first / "page").exists()
    assert 'rel="next"' not in (out / first / "index.html").read_text("utf-8")


@pytest.mark.parametrize("first", LISTS)
def test_one_more_story_makes_a_second_page(write_site, cli, first):
    out = _build(write_site, cli, _stories(PER_PAGE + 1))
    one = (out / first / "index.html").read_text("utf-8")
    two = out / first / "page/2/index.html"
    assert _titles(out / first / "index.html") == ["4", "3", "2"]
    assert _titles(two) == ["1"]
    assert 'rel="next" href="page/2/"' in one
    assert 'rel="prev" href="../../"' in two.read_text("utf-8")
    assert "Page 2 of 2" in two.read_text("utf-8")
    assert not (out / first / "page/3").exists()


def test_corrections_page_paginates_the_same_way(write_site, cli):
    out = _build(write_site, cli, _stories(PER_PAGE))
    assert re.findall(r"<p>Fix (\d+)\.</p>", (out / "corrections/index.html").read_text("utf-8")) == [
        "3",
        "2",
        "1",
    ]
    assert not (out / "corrections/page").exists()
    out = _build(write_site, cli, _stories(PER_PAGE + 1))
    assert re.findall(r"<p>Fix (\d+)\.</p>", (out / "corrections/page/2/index.html").read_text("utf-8")) == [
        "1"
    ]


def _mixed_site() -> dict[str, str]:
    return {
        "articles/a.md": article(
            "Alpha",
            "2024-12-31T23:00:00Z",
            section="Politics",
            authors="[Ada Quill, Ben Ode]",
            tags="[budget, elections]",
        ),
        "articles/b.md": article(
            "Bravo", "2025-01-15T09:00:00Z", section="Business", author="Ben Ode", tags="[budget]"
        ),
        "articles/c.md": article("Charlie", "2025-03-02T09:00:00Z", section="Politics", author="Ada Quill"),
    }


def test_each_grouping_lists_its_stories_newest_first(write_site, cli):
    out = _build(write_site, cli, _mixed_site())

    def stories(rel: str) -> list[str]:
        return re.findall(r'story-card__title"><a href="[^"]+">(\w+)</a>', (out / rel).read_text("utf-8"))

    assert stories("politics/index.html") == ["Charlie", "Alpha"]
    assert stories("business/index.html") == ["Bravo"]
    assert stories("tags/budget/index.html") == ["Bravo", "Alpha"]
    assert stories("tags/elections/index.html") == ["Alpha"]
    assert stories("authors/ada-quill/index.html") == ["Charlie", "Alpha"]
    assert stories("authors/ben-ode/index.html") == ["Bravo", "Alpha"]
    assert stories("2024/index.html") == ["Alpha"]
    assert stories("2024/12/index.html") == ["Alpha"]
    assert stories("2025/index.html") == ["Charlie", "Bravo"]
    assert stories("2025/01/index.html") == ["Bravo"]
    assert stories("2025/03/index.html") == ["Charlie"]
    assert not (out / "2025/02").exists()  # no empty months


def test_year_archive_links_its_months_and_month_links_back(write_site, cli):
    out = _build(write_site, cli, _mixed_site())
    year = (out / "2025/index.html").read_text("utf-8")
    assert '<a href="03/">March 2025</a> <span class="count">(1)</span>' in year
    assert '<a href="01/">January 2025</a>' in year
    assert year.index("March 2025</a>") < year.index("January 2025</a>")
    assert '<a href="../">All of 2025</a>' in (out / "2025/03/index.html").read_text("utf-8")


def test_tags_and_authors_indexes_count_stories(write_site, cli):
    out = _build(write_site, cli, _mixed_site())
    tags = (out / "tags/index.html").read_text("utf-8")
    assert '<a href="budget/">budget</a> <span class="count">(2 stories)</span>' in tags
    assert '<a href="elections/">elections</a> <span class="count">(1 story)</span>' in tags
    authors = (out / "authors/index.html").read_text("utf-8")
    assert '<a href="ada-quill/">Ada Quill</a> <span class="count">(2 stories)</span>' in authors
    assert '<a href="ben-ode/">Ben Ode</a>' in authors


def test_archives_use_the_site_timezone(write_site, cli):
    site = write_site(
        {"articles/a.md": article("Late", "2024-12-31T23:30:00Z")}, config="timezone: Asia/Tokyo\n"
    )
    assert cli("build", "--site", site).code == 0
    out = site / "public"
    assert (out / "2025/01/index.html").is_file() and not (out / "2024").exists()


def test_every_page_has_the_section_navigation(write_site, cli):
    out = _build(write_site, cli, _mixed_site())
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for p in pages:
        html = p.read_text("utf-8")
        nav = html[html.index('<nav class="site-nav"') :]
        nav = nav[: nav.index("</nav>")]
        assert re.findall(r">(\w+)</a>", nav) == ["Latest", "Business", "Politics"], p


def test_article_page_links_its_section_tags_and_authors(write_site, cli):
    out = _build(write_site, cli, _mixed_site())
    html = (out / "2024/12/31/a/index.html").read_text("utf-8")
    assert '<p class="kicker"><a href="../../../../politics/">Politics</a></p>' in html
    assert '<a href="../../../../tags/budget/" rel="tag">budget</a>' in html
    assert '<a href="../../../../tags/elections/" rel="tag">elections</a>' in html
    assert (
        'By <a href="../../../../authors/ada-quill/" rel="author">Ada Quill</a> and '
        '<a href="../../../../authors/ben-ode/" rel="author">Ben Ode</a>'
    ) in html


def test_no_tags_authors_or_corrections_means_no_index_pages(write_site, cli):
    out = _build(write_site, cli, {"articles/a.md": article("Plain")})
    assert not (out / "tags").exists() and not (out / "authors").exists()
    assert not (out / "corrections").exists()
    home = (out / "index.html").read_text("utf-8")
    assert 'href="tags/"' not in home and 'href="corrections/"' not in home
    assert '<a href="2025/">2025 archive</a>' in home
