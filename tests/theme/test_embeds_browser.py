"""Embeds in a real browser (Debian's headless Chromium over DevTools, tests/browser.py): a page with
embeds asks no host but its own for anything until the reader presses an embed's button; the button
then puts the service's player in a sandboxed iframe. Every https request is intercepted (the test
machine has no internet): the player's request is answered with a stand-in page and its URL checked.

Skipped when Chromium is not installed, except in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import base64
import os
from urllib.parse import urlsplit

import pytest

from browser import CHROMIUM, Chromium
from conftest import article
from newsgen.commands.cli import main
from sample_site import require, serve

BODY = """The story before the video.

https://www.youtube.com/watch?v=EXAMPLEvid1

[Turnout by ward](https://datawrapper.dwcdn.net/EXMPL/2/)

The story after the chart.
"""
PAGE = "/2025/03/01/embeds/"
SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("embeds")
    (root / "site/articles").mkdir(parents=True)
    (root / "site/articles/embeds.md").write_text(article("Embeds", body=BODY, slug="embeds"), "utf-8")
    assert main(["build", "--site", str(root / "site"), "--output", str(root / "public"), "--quiet"]) == 0
    with serve(root / "public") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    require(os.access(CHROMIUM, os.X_OK), f"Chromium ({CHROMIUM})")
    with Chromium() as b:
        yield b


def _requests_elsewhere(browser, tab, start: int) -> list[str]:
    """URLs of every request since event ``start`` to a host other than the test server."""
    urls = []
    for e in browser.events_since(start, tab.session):
        if e.get("method") in ("Network.requestWillBeSent", "Fetch.requestPaused"):
            url = e["params"]["request"]["url"]
            if urlsplit(url).hostname not in ("127.0.0.1", None):
                urls.append(url)
    return urls


def test_nothing_leaves_the_site_until_the_button_is_pressed_then_the_player_loads_sandboxed(
    browser, base_url
):
    tab = browser.new_tab(1280, 900)
    tab.send("Fetch.enable", {"patterns": [{"urlPattern": "https://*"}]})  # the site is http://127.0.0.1
    start = browser.event_count()
    tab.goto(base_url + PAGE)
    # the script has run: both buttons are shown, no frame yet
    assert tab.evaluate("[...document.querySelectorAll('.embed__consent')].map(e => e.hidden)") == [
        False,
        False,
    ]
    assert tab.evaluate("document.querySelectorAll('iframe').length") == 0
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # nothing is lazy-loaded from a service
    assert _requests_elsewhere(browser, tab, start) == []

    clicked = browser.event_count()
    tab.click("figure.embed--youtube .embed__load")
    paused = browser.wait_event("Fetch.requestPaused", tab.session, clicked)
    assert paused["request"]["url"] == "https://www.youtube-nocookie.com/embed/EXAMPLEvid1?autoplay=1"
    stand_in = base64.b64encode(b"<!DOCTYPE html><title>player</title><p>player").decode()
    tab.send(
        "Fetch.fulfillRequest",
        {
            "requestId": paused["requestId"],
            "responseCode": 200,
            "responseHeaders": [{"name": "Content-Type", "value": "text/html"}],
            "body": stand_in,
        },
    )
    frames = tab.evaluate(
        "[...document.querySelectorAll('iframe')].map(f => [f.src, f.getAttribute('sandbox'), f.title,"
        " f.closest('figure').className])"
    )
    assert frames == [
        [
            "https://www.youtube-nocookie.com/embed/EXAMPLEvid1?autoplay=1",
            SANDBOX,
            "Video on YouTube",
            "embed embed--video embed--youtube is-loaded",
        ]
    ]
    # the other embed is still a facade, and nothing else was asked of any other host
    assert tab.evaluate("document.querySelector('.embed--datawrapper .embed__load') !== null")
    assert set(_requests_elsewhere(browser, tab, clicked)) == {paused["request"]["url"]}
    tab.send("Fetch.disable")
    tab.close()


def test_without_javascript_the_reader_gets_the_link(browser, base_url):
    tab = browser.new_tab(1280, 900)
    tab.send("Emulation.setScriptExecutionDisabled", {"value": True})
    tab.goto(base_url + PAGE)
    shown = tab.evaluate(
        "[...document.querySelectorAll('figure.embed')].map(f => [f.querySelector('.embed__consent')"
        ".checkVisibility(), f.querySelector('figcaption a').href])"
    )
    assert shown == [
        [False, "https://www.youtube.com/watch?v=EXAMPLEvid1"],
        [False, "https://datawrapper.dwcdn.net/EXMPL/2/"],
    ]
    tab.close()
