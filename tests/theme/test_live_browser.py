"""The sample site's live story in headless Chromium (tests/browser.py): updates newest first,
and each update's anchor works: a link to ``#update-...`` from another page, and the update's own
time link, bring that update into view as the page's target.

The other browser checks (no console errors, fits a phone, contrast, keyboard) cover the live page
too: it is a page type of its own (``page-live``) in tests/theme/test_theme_browser.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import CHROMIUM, Chromium
from sample_site import build_sample, page_kinds, require, serve, url_path

TARGET_JS = """(() => {
  const t = document.querySelector(':target');
  if (!t) return null;
  const r = t.getBoundingClientRect();
  return {id: t.id, top: r.top, visible: r.top >= 0 && r.top < innerHeight};
})()"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("live-browser") / "public")


@pytest.fixture(scope="module")
def live_url(site):
    (page,) = page_kinds(site)["live"]
    with serve(site) as url:
        yield url + url_path(site, page)


@pytest.fixture(scope="module")
def tab():
    require(os.access(CHROMIUM, os.X_OK), f"Chromium ({CHROMIUM})")
    with Chromium() as browser:
        t = browser.new_tab(375, 700, mobile=True)
        yield t
        t.close()


def test_updates_are_newest_first(tab, live_url):
    tab.goto(live_url)
    times = tab.evaluate(
        "[...document.querySelectorAll('.live-update time')].map(t => Date.parse(t.getAttribute('datetime')))"
    )
    assert len(times) == 3 and times == sorted(times, reverse=True)
    assert tab.evaluate("document.querySelector('.live-label') !== null")
    assert tab.problems == []


def test_a_link_to_an_update_opens_the_page_at_that_update(tab, live_url):
    tab.goto(live_url)
    ids = tab.evaluate("[...document.querySelectorAll('.live-update')].map(li => li.id)")
    oldest = ids[-1]
    tab.goto(live_url + "?from=elsewhere#" + oldest)  # a new document (a fragment alone would not load)
    target = tab.evaluate(TARGET_JS)
    assert target is not None and target["id"] == oldest and target["visible"], target
    # the update's own time link: a permalink to it
    tab.goto(live_url + "?from=top")
    tab.click(f"#{ids[1]} .live-update__time")
    target = tab.evaluate(TARGET_JS)
    assert target is not None and target["id"] == ids[1] and target["visible"], target
    assert tab.url.endswith("#" + ids[1])
