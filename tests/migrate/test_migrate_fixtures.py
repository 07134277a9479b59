"""A fixture site per generator, in its documented forms, builds with 0 errors; old URLs answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

#: generator -> (published story URLs, old paths that must answer with a redirect page)
EXPECTED = {
    "jekyll": (
        ["/2015/03/17/council-budget/", "/hearings/budget/", "/2023/01/29/snow-day/"],
        ["/2015/03/budget.html", "/news/council-budget/"],
    ),
    "hugo": (
        ["/2021/05/01/bridge-reopens/", "/transport/ferry-timetable/", "/2021/07/03/market/"],
        ["/2021/05/bridge/", "/posts/bridge-old.html", "/market/"],
    ),
    "zola": (["/2020/01/30/harbour-dredging/", "/2020/03/04/ferry-fares/"], ["/news/harbour/"]),
    "eleventy": (["/library/new-wing/index.html", "/2019/05/02/park/"], []),
    "pelican": (["/2010/12/03/library-hours/", "/2011/06/20/pool/"], []),
}


def output_file(out: Path, url: str) -> Path:
    return out / (url.strip("/") + "/index.html" if url.endswith("/") else url.strip("/"))


@pytest.mark.parametrize("generator", sorted(EXPECTED))
def test_fixture_site_builds_with_no_errors(generator, tmp_path, cli):
    site = tmp_path / generator
    shutil.copytree(FIXTURES / generator, site)
    r = cli("build", "--site", site, "--as-of", "2025-01-01")
    assert r.code == 0, r.err
    stories, old_paths = EXPECTED[generator]
    assert f"built {len(stories)} articles" in r.out
    out = site / "public"
    for url in stories:
        assert output_file(out, url).is_file(), url
    for path in old_paths:
        page = output_file(out, path).read_text("utf-8")
        assert 'http-equiv="refresh"' in page, path
    if old_paths:
        redirects = (out / "_redirects").read_text("utf-8")
        assert all(f"{p} " in redirects for p in old_paths)


def test_jekyll_fixture_converts_its_liquid_and_reports_the_rest(tmp_path, cli):
    site = tmp_path / "jekyll"
    shutil.copytree(FIXTURES / "jekyll", site)
    r = cli("build", "--site", site, "--as-of", "2025-01-01")
    page = (site / "public/2015/03/17/council-budget/index.html").read_text("utf-8")
    assert 'href="../../../../hearings/budget/"' in page  # {% post_url %} -> the story's permalink
    assert 'href="../../../../assets/agenda.pdf"' in page  # {{ site.baseurl }} dropped
    assert "Item 1: {{ budget }}" in page  # inside {% highlight %}: code, kept as written
    assert "articles/2023-01-29-snow-day.md:7:1" in r.err and "{% include alert.html %}" in r.err


def test_hugo_fixture_shortcodes(tmp_path, cli):
    site = tmp_path / "hugo"
    shutil.copytree(FIXTURES / "hugo", site)
    r = cli("build", "--site", site, "--as-of", "2025-01-01")
    page = (site / "public/2021/05/01/bridge-reopens/index.html").read_text("utf-8")
    assert 'alt="The bridge at dusk"' in page and "The bridge reopened on Saturday." in page
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in page
    assert "articles/posts/market.md:10:" in r.err and "{{% notice %}}" in r.err
