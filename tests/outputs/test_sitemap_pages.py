"""The sitemap pages the plan makes (made when rendered, newsgen.outputs.sitemaps.sitemap_pages)
hold exactly the bytes of sitemap_files, one file or split past the URL limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsgen.config import load_config
from newsgen.model import OutputPage
from newsgen.outputs.sitemaps import SitemapEntry, sitemap_files, sitemap_pages
from newsgen.theme.render import render_page


def _pages(n: int) -> list[OutputPage]:
    start = datetime(2025, 5, 1, 9, tzinfo=UTC)
    return [
        OutputPage(
            output_path=f"2025/story-{(7 * i) % n:03d}/index.html",  # not in URL order
            kind="article",
            source=f"articles/s{i}.md",
            template="article.html",
            lastmod=start + timedelta(hours=i) if i % 3 else None,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("max_urls", [50, 4, 3])
def test_sitemap_pages_hold_the_bytes_of_sitemap_files(write_site, max_urls):
    config, _ = load_config(write_site({}, config="base_url: https://news.example/"))
    pages = _pages(10)
    entries = [SitemapEntry(f"/2025/story-{(7 * i) % 10:03d}/", p.lastmod) for i, p in enumerate(pages)]
    expected = sitemap_files(config, entries, max_urls=max_urls)
    made = sitemap_pages(config, pages, max_urls=max_urls)
    assert [(p.output_path, render_page(p, None)) for p in made] == expected  # type: ignore[arg-type]
    assert len(made) == (1 if max_urls >= 10 else 1 + -(-10 // max_urls))
