"""Embeds and the build cache: turning embeds on or off, or adding an embed to a story, gives with the
cache exactly what a clean build gives (the cached Markdown bodies are keyed by the ``embeds`` setting)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from conftest import article, pages_digest
from newsgen import BufferReporter, load_config
from newsgen.pipeline import build

NOW = datetime(2025, 6, 1, tzinfo=UTC)
PAGE = "2025/03/01/clip/index.html"


def _build(site: Path, out: str, cache: bool) -> dict[str, str]:
    config, _ = load_config(site, output=site / out)
    build(config, BufferReporter(), jobs=1, use_cache=cache, now=NOW)
    return pages_digest(site / out)


def _same_as_clean(site: Path) -> str:
    cached = _build(site, "public", cache=True)
    shutil.rmtree(site / "clean", ignore_errors=True)
    assert cached == _build(site, "clean", cache=False)
    return (site / "public" / PAGE).read_text("utf-8")


def test_the_cache_follows_the_embeds_setting_and_body_edits(write_site):
    body = "Intro.\n\nhttps://vimeo.com/123456789\n"
    site = write_site({"articles/clip.md": article("Clip", body=body, slug="clip")}, config="title: T\n")
    assert "embed--vimeo" in _same_as_clean(site)

    (site / "newsgen.yaml").write_text("title: T\nembeds: false\n")
    page = _same_as_clean(site)
    assert "<p>https://vimeo.com/123456789</p>" in page and "embeds.js" not in page

    (site / "newsgen.yaml").write_text("title: T\nembeds: [vimeo]\n")
    assert "embed--vimeo" in _same_as_clean(site)

    (site / "articles/clip.md").write_text(
        article("Clip", body=body + "\nhttps://open.spotify.com/show/0123456789abcdefABCDEF\n", slug="clip")
    )
    page = _same_as_clean(site)
    assert "embed--spotify" not in page and "open.spotify.com/show" in page  # not in the list

    (site / "newsgen.yaml").write_text("title: T\n")
    page = _same_as_clean(site)
    assert "embed--vimeo" in page and "embed--spotify" in page
