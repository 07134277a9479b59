"""``newsgen serve`` and the search page in a real browser (headless Chromium over the DevTools pipe)."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from test_serve import STORY_URL, Served, _edit

from browser import CHROMIUM, Chromium
from conftest import HAVE_PAGEFIND, REPO, article
from sample_site import require

WAIT = 20.0


@pytest.fixture(scope="module")
def browser():
    require(os.access(CHROMIUM, os.X_OK), f"Chromium ({CHROMIUM})")
    with Chromium() as b:
        yield b


@pytest.fixture
def served():
    running: list[Served] = []
    yield lambda site, *args: running.append(Served(site, *args)) or running[-1]
    for s in running:
        s.stop()


def _until(tab, expression: str, wanted) -> None:
    """Poll the page (bounded) until ``expression`` satisfies ``wanted``; the page may reload meanwhile."""
    deadline = time.monotonic() + WAIT
    last = None
    while time.monotonic() < deadline:
        try:
            last = tab.evaluate(expression)
        except Exception:  # the page is between two documents while it reloads
            last = None
        if last is not None and wanted(last):
            return
        time.sleep(0.05)
    raise AssertionError(f"{expression} is still {last!r} after {WAIT}s")


def test_open_tab_reloads_after_edits_and_shows_the_error_page(write_site, served, browser):
    site = write_site({"articles/story.md": article("First headline", "2025-03-01T09:00:00Z")})
    s = served(site)
    tab = browser.new_tab()
    try:
        tab.goto(f"http://127.0.0.1:{s.port}{STORY_URL}")
        h1 = "document.querySelector('h1') && document.querySelector('h1').textContent"
        assert tab.evaluate(h1) == "First headline"
        _edit(site / "articles/story.md", article("Second headline", "2025-03-01T09:00:00Z"))
        _until(tab, h1, lambda t: t == "Second headline")
        _edit(site / "articles/story.md", "---\ntitle: Broken\ndate: 2025-02-30\n---\n")
        _until(tab, h1, lambda t: t == "The site did not build")
        assert "articles/story.md:3:7" in tab.evaluate("document.body.textContent")
        _edit(site / "articles/story.md", article("Third headline", "2025-03-01T09:00:00Z"))
        _until(tab, h1, lambda t: t == "Third headline")
        assert not [p for p in tab.problems if p.startswith(("exception", "console"))]
    finally:
        tab.close()


def test_search_page_finds_a_story_in_the_browser(tmp_path, served, browser):
    require(HAVE_PAGEFIND, "the search extra (pagefind-bin)")
    site = tmp_path / "sample"
    for folder in ("articles", "seeds", "media", "pages"):
        shutil.copytree(REPO / folder, site / folder)
    shutil.copy(REPO / "authors.yaml", site / "authors.yaml")
    (site / "newsgen.yaml").write_text(
        (REPO / "newsgen.yaml").read_text("utf-8") + "\nsearch: true\n", "utf-8"
    )
    s = served(site)
    tab = browser.new_tab()
    try:
        tab.goto(f"http://127.0.0.1:{s.port}/search/?q=seagrass")
        links = "[...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.getAttribute('href'))"
        _until(tab, links, lambda found: len(found) > 0)
        assert tab.evaluate(links) == ["/2025/03/15/estuary-seagrass-recovery/"]
        assert tab.problems == []
    finally:
        tab.close()
