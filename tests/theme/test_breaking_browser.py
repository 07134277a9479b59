"""The breaking-news banner in a real browser (tests/browser.py, headless Chromium): on an article page,
which is built with an empty hidden slot, the theme's script shows the banner from breaking.json while
its ``until`` is in the future, and keeps it hidden once ``until`` has passed, even though the file (built
at an earlier "now") still lists the story. Skipped without Chromium, except in CI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from browser import CHROMIUM, Chromium
from conftest import article
from sample_site import require, serve

BUILT_AT = "2025-03-01T10:00Z"  # the build's "now": the banner is on in breaking.json
CALM = article(title="Regatta results", slug="regatta", date="2025-02-27T09:00:00Z", body="Fictional sample.")

#: Waits (with a deadline) until the page has fetched breaking.json and the script has run on it,
#: then reports the slot: hidden or not, and its links.
SLOT_JS = r"""new Promise((resolve, reject) => {
  const deadline = Date.now() + 10000;
  const check = () => {
    const done = performance.getEntriesByType("resource").some(e => e.name.endsWith("/breaking.json") && e.responseEnd > 0);
    if (done) {
      setTimeout(() => {
        const slot = document.getElementById("breaking-banner");
        resolve({hidden: slot.hidden, visible: slot.checkVisibility(),
                 links: [...slot.querySelectorAll("a")].map(a => [a.textContent, a.href])});
      }, 200);
    } else if (Date.now() > deadline) { reject(new Error("breaking.json was never fetched")); }
    else { setTimeout(check, 50); }
  };
  check();
})"""


@pytest.fixture(scope="module")
def browser():
    require(Path(CHROMIUM).exists() or os.environ.get("CI") != "true", "Chromium")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    with Chromium() as b:
        yield b


def _site(write_site, cli, until: str | None) -> Path:
    fields = {"breaking": "true", **({"breaking_until": until} if until else {})}
    story = article(
        title="Quay bridge shut", slug="quay", date="2025-03-01T09:00:00Z", body="Fictional.", **fields
    )
    site = write_site({"articles/quay.md": story, "articles/regatta.md": CALM}, config="timezone: UTC\n")
    r = cli("build", "--site", site, "--as-of", BUILT_AT)
    assert r.code == 0, r.err
    out = site / "public"
    assert json.loads((out / "breaking.json").read_text("utf-8")), "the built file lists the banner"
    page = (out / "2025/02/27/regatta/index.html").read_text("utf-8")
    assert '<aside class="breaking-banner"' in page and " hidden></aside>" in page  # built empty
    return out


def test_the_script_shows_the_banner_on_an_article_page_while_it_is_valid(browser, write_site, cli):
    out = _site(write_site, cli, until="2999-01-01T00:00:00Z")  # far in the future of any test run
    with serve(out) as url:
        tab = browser.new_tab()
        try:
            tab.goto(url + "/2025/02/27/regatta/")
            slot = tab.evaluate(SLOT_JS)
            assert slot["hidden"] is False and slot["visible"] is True
            assert slot["links"] == [["Quay bridge shut", url + "/2025/03/01/quay/"]]
            tab.click_and_wait("#breaking-banner a")
            assert tab.url == url + "/2025/03/01/quay/"
            assert tab.problems == []
            # a reader can dismiss it for the rest of the visit
            tab.goto(url + "/2025/02/27/regatta/")
            assert tab.evaluate(SLOT_JS)["hidden"] is False
            tab.click("#breaking-banner button")
            assert tab.evaluate("document.getElementById('breaking-banner').hidden") is True
            tab.goto(url + "/")
            assert tab.evaluate(SLOT_JS)["hidden"] is True
        finally:
            tab.close()


def test_the_script_hides_a_banner_whose_until_has_passed(browser, write_site, cli):
    # the default end, 2025-03-01T15:00Z, is after the build's "now" and before the browser's clock
    out = _site(write_site, cli, until=None)
    front = (out / "index.html").read_text("utf-8")
    assert 'data-until="2025-03-01T15:00:00+00:00"' in front  # drawn by the build on the front page
    with serve(out) as url:
        tab = browser.new_tab()
        try:
            for path in ("/2025/02/27/regatta/", "/"):
                tab.goto(url + path)
                slot = tab.evaluate(SLOT_JS)
                assert slot == {"hidden": True, "visible": False, "links": []}, path
            assert tab.problems == []
        finally:
            tab.close()


#: The page's layout shifts so far (CLS counts these), once breaking.json has been applied.
SHIFTS_JS = r"""new Promise(resolve => {
  const shifts = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) shifts.push(e.value); })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(shifts), 300);
})"""


def test_the_banner_moves_no_content_when_the_script_takes_over(browser, write_site, cli):
    out = _site(write_site, cli, until="2999-01-01T00:00:00Z")
    with serve(out) as url:
        for width in (375, 1280):
            tab = browser.new_tab(width=width, height=800)
            try:
                for path in ("/", "/2025/02/27/regatta/"):  # drawn by the build; filled by the script
                    tab.goto(url + path)
                    assert tab.evaluate(SLOT_JS)["visible"] is True
                    assert tab.evaluate(SHIFTS_JS) == [], (width, path)
            finally:
                tab.close()
