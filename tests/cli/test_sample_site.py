"""The repository's sample site: section navigation, and every link it emits resolves to a file."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from linkcheck import broken_links, links_in, resolve


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from newsgen.commands.cli import main

    out = tmp_path_factory.mktemp("sample") / "public"
    # A fixed "now" after every sample story, so the test does not depend on the date it runs.
    assert (
        main(["build", "--site", str(REPO), "--output", str(out), "--as-of", "2026-01-01", "--strict", "-q"])
        == 0
    )
    return out


def test_every_internal_link_resolves_to_a_file(sample):
    assert broken_links(sample) == []


def test_sample_links_to_every_kind_of_list_page(sample):
    linked = {
        target.resolve().relative_to(sample.resolve()).as_posix()
        for page in sample.rglob("*.html")
        for href in links_in(page.read_text("utf-8"))
        if (target := resolve(page, href, sample)) is not None
    }
    kinds = {
        "section": r"^(politics|business|culture|science)/index\.html$",
        "tag": r"^tags/[^/]+/index\.html$",
        "tags index": r"^tags/index\.html$",
        "author": r"^authors/[^/]+/index\.html$",
        "authors index": r"^authors/index\.html$",
        "year": r"^\d{4}/index\.html$",
        "month": r"^\d{4}/\d{2}/index\.html$",
        "corrections": r"^corrections/index\.html$",
    }
    for kind, pattern in kinds.items():
        assert any(re.match(pattern, x) for x in linked), kind
    # every tag and author that has a page is linked from somewhere
    for folder in ("tags", "authors"):
        for d in (sample / folder).iterdir():
            if d.is_dir():
                assert f"{folder}/{d.name}/index.html" in linked


def test_every_page_shows_the_section_navigation(sample):
    for page in sample.rglob("*.html"):
        html = page.read_text("utf-8")
        assert '<nav class="site-nav" aria-label="Sections">' in html, page
        for name in ("Business", "Culture", "Politics", "Science"):
            assert f">{name}</a>" in html, (page, name)


def test_sample_has_a_correction_a_dateline_and_author_profiles(sample):
    assert "€1.3 billion" in (sample / "corrections/index.html").read_text("utf-8")
    ferry = next(sample.glob("2025/04/09/*/index.html")).read_text("utf-8")
    assert '<span class="dateline">PORT HALDEN</span>' in ferry
    amara = (sample / "authors/amara-diallo/index.html").read_text("utf-8")
    assert "Science and education reporter" in amara and "Fictional reporter" in amara
