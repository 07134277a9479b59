"""The sample site in a real browser: Debian's headless Chromium, driven over the DevTools protocol
(tests/browser.py), against the built site served on 127.0.0.1.

Every page type loads without console errors or failed requests, fits a phone without sideways
scrolling, meets WCAG AA text contrast in the light and the dark scheme, can be used from the keyboard,
prints without its navigation, and the More Stories links work when clicked. Screenshots of the front
page and an article at 375 and 1280 px wide go to test-artifacts/screenshots/.

Skipped when Chromium is not installed, except in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from browser import CHROMIUM, Chromium
from sample_site import ARTIFACTS, build_sample, representatives, require, serve, url_path

SHOTS = ARTIFACTS / "screenshots"

#: Text whose colour is too close to its background, by WCAG 2.x: 4.5:1, or 3:1 for large text
#: (24 px, or 18.66 px bold). Backgrounds are composited up the tree; text over an image is skipped.
CONTRAST_JS = r"""(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const lum = c => { const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.backgroundImage !== 'none') return null;
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const failures = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.data.trim() || seen.has(el)) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true}) || r.width <= 1 || r.height <= 1
        || r.bottom < 0 || r.right < 0) continue;
    const cs = getComputedStyle(el), bg = background(el);
    if (!bg) continue;
    const fg = over(parse(cs.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
    const need = (size >= 24 || (size >= 18.66 && bold)) ? 3 : 4.5;
    if (ratio < need) failures.push(`${ratio.toFixed(2)} < ${need}: "${t.data.trim().slice(0, 40)}" (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
  }
  return failures;
})()"""

#: Whether the focused element, or the card around it, shows a focus ring of at least 2 px with 3:1
#: contrast against the page.
FOCUS_JS = r"""(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: null};
  const r = el.getBoundingClientRect();
  for (let n = el; n && n !== document.body; n = n.parentElement) {
    const cs = getComputedStyle(n);
    if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2)
      return {tag: el.tagName, cls: el.className, ring: cs.outlineColor, inView: r.bottom > 0 && r.top < innerHeight,
              page: getComputedStyle(document.body).backgroundColor};
  }
  return {tag: el.tagName, cls: el.className, ring: null};
})()"""


def _luminance(rgb: str) -> float:
    r, g, b = (int(float(v)) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])

    def f(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)


def _contrast(a: str, b: str) -> float:
    x, y = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (x + 0.05) / (y + 0.05)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("browser") / "public")


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    require(os.access(CHROMIUM, os.X_OK), f"Chromium ({CHROMIUM})")
    with Chromium() as b:
        yield b


@pytest.fixture(scope="module")
def page_types(site) -> dict[str, str]:
    """Page type -> URL path of its richest page."""
    return {kind: url_path(site, page) for kind, page in sorted(representatives(site).items())}


def _load_images(tab) -> list[str]:
    """Scroll every image into view (lazy ones load then) and return those that failed to decode."""
    return tab.evaluate("""(async () => {
        const bad = [];
        for (const img of document.images) {
            img.scrollIntoView();
            try { await img.decode(); } catch (e) { bad.push(img.currentSrc || img.src); }
            if (!img.naturalWidth) bad.push(img.src);
        }
        scrollTo(0, 0);
        return bad;
    })()""")


def test_every_page_type_loads_cleanly(browser, base_url, page_types):
    assert {"index", "article"} <= set(page_types)
    tab = browser.new_tab(1280, 900)
    failures = {}
    for kind, path in page_types.items():
        tab.goto(base_url + path)
        bad_images = _load_images(tab)
        problems = tab.problems + [f"image did not load: {src}" for src in bad_images]
        if not tab.evaluate("document.querySelector('h1') !== null && document.title.length > 0"):
            problems.append("no h1 or no title after loading")
        if problems:
            failures[f"{kind} {path}"] = problems
    tab.close()
    assert failures == {}


def test_the_checks_see_failures(browser, base_url):
    """Guards the test above: a missing page is reported as a failed request and a console error."""
    tab = browser.new_tab(800, 600)
    tab.goto(base_url + "/no-such-page/")
    assert any("HTTP 404" in p for p in tab.problems)
    tab.close()


@pytest.mark.parametrize("width", [320, 375])
def test_no_horizontal_scrolling_on_phones(browser, base_url, page_types, width):
    tab = browser.new_tab(width, 740, mobile=True)
    wide = {}
    for kind, path in page_types.items():
        tab.goto(base_url + path)
        scroll_width = tab.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            culprits = tab.evaluate(f"""[...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > {width} + 0.5)
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
            wide[f"{kind} {path}"] = (scroll_width, culprits)
    tab.close()
    assert wide == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa(browser, base_url, page_types, scheme):
    failures = {}
    for width in (375, 1280):
        tab = browser.new_tab(width, 900, dark=scheme == "dark")
        for kind, path in page_types.items():
            tab.goto(base_url + path)
            assert tab.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            found = tab.evaluate(CONTRAST_JS)
            if found:
                failures[f"{kind} {path} at {width}px"] = found
        tab.close()
    assert failures == {}


def test_dark_scheme_really_is_dark(browser, base_url):
    backgrounds = {}
    for scheme in ("light", "dark"):
        tab = browser.new_tab(1280, 900, dark=scheme == "dark")
        tab.goto(base_url + "/")
        backgrounds[scheme] = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        tab.close()
    assert _luminance(backgrounds["light"]) > 0.8 and _luminance(backgrounds["dark"]) < 0.05, backgrounds


def test_more_stories_links_work_when_clicked(browser, base_url, page_types):
    tab = browser.new_tab(1280, 900)
    article = base_url + page_types["article"]
    tab.goto(article)
    cards = tab.evaluate("""[...document.querySelectorAll('.more-stories li a')]
        .map(a => ({href: a.href, title: a.textContent.trim()}))""")
    assert len(cards) == 5, cards
    for i, card in enumerate(cards, start=1):
        tab.goto(article)
        tab.click_and_wait(f".more-stories li:nth-child({i}) a")
        assert tab.url == card["href"]
        assert tab.evaluate("document.querySelector('h1').textContent.trim()") == card["title"]
        assert tab.problems == [], card
    tab.close()


def test_keyboard_reaches_the_skip_link_and_focus_is_visible(browser, base_url, page_types):
    for kind in ("index", "article"):
        tab = browser.new_tab(1280, 900)
        tab.goto(base_url + page_types[kind])
        tab.press_tab()
        skip = tab.evaluate(FOCUS_JS)
        assert "skip-link" in (skip.get("cls") or ""), skip
        assert skip["ring"] and skip["inView"], skip
        stops = tab.evaluate("document.querySelectorAll('a[href], button, input, select, textarea').length")
        for _ in range(min(stops - 1, 15)):  # the header, the stories, the footer: every stop shows itself
            tab.press_tab()
            state = tab.evaluate(FOCUS_JS)
            assert state["tag"] is not None
            assert state["ring"], f"no visible focus on {state}"
            assert _contrast(state["ring"], state["page"]) >= 3, state
        tab.close()


def test_print_hides_navigation_and_keeps_the_story(browser, base_url, page_types):
    tab = browser.new_tab(1280, 900)
    tab.goto(base_url + page_types["article"])
    tab.send("Emulation.setEmulatedMedia", {"media": "print"})
    shown = tab.evaluate("""Object.fromEntries(['.site-footer', '.more-stories', '.skip-link', '.article__body',
        '.article__title'].map(s => [s, document.querySelector(s) ? getComputedStyle(document.querySelector(s)).display : null]))""")
    assert (
        shown[".site-footer"] == "none" and shown[".more-stories"] == "none" and shown[".skip-link"] == "none"
    )
    assert shown[".article__body"] != "none" and shown[".article__title"] != "none"
    assert tab.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    pdf = tab.send("Page.printToPDF", {"printBackground": False})["data"]
    import base64

    (SHOTS / "article-print.pdf").parent.mkdir(parents=True, exist_ok=True)
    (SHOTS / "article-print.pdf").write_bytes(base64.b64decode(pdf))
    tab.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_front_page_and_article(browser, base_url, page_types, width):
    """Saved for people to look at (CI keeps test-artifacts/); here we check they show a whole page."""
    for scheme in ("light", "dark"):
        tab = browser.new_tab(width, 900, dark=scheme == "dark")
        for name, kind in (("front", "index"), ("article", "article")):
            tab.goto(base_url + page_types[kind])
            _load_images(tab)
            suffix = "" if scheme == "light" else "-dark"
            shot = tab.screenshot(SHOTS / f"{name}-{width}{suffix}.png")
            data = shot.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            assert w == width and h > 900, (shot, w, h)
        tab.close()
    (SHOTS / "pages.json").write_text(json.dumps(page_types, indent=2) + "\n", "utf-8")
