"""Updates and corrections: on the article, in its modified time, and on /corrections/."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import article

ATOM = "{http://www.w3.org/2005/Atom}"

CORRECTED = article(
    "Bridge reopens",
    "2025-03-01T09:00:00Z",
    section="Transport",
    corrections="\n  - date: 2025-03-02T10:00:00Z\n    text: An earlier version gave the wrong <b>span</b>."
    "\n  - date: 2025-03-05\n    text: The bridge is 40 m long, not 400 m.",
)
OTHER = article(
    "Ferry strike",
    "2025-03-03T09:00:00Z",
    corrections="[{date: '2025-03-04T08:00:00Z', text: 'The strike is on Tuesday.'}]",
)


@pytest.fixture
def out(write_site, cli):
    site = write_site({"articles/bridge.md": CORRECTED, "articles/ferry.md": OTHER})
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    return site / "public"


def test_corrections_render_on_the_article(out):
    html = (out / "2025/03/01/bridge/index.html").read_text("utf-8")
    notice = html[html.index('<aside class="corrections"') :]
    notice = notice[: notice.index("</aside>")]
    assert '<h2 id="corrections-title">Corrections</h2>' in notice
    assert (
        '<time datetime="2025-03-02T10:00:00+00:00">2 March 2025</time>: '
        "An earlier version gave the wrong &lt;b&gt;span&lt;/b&gt;."
    ) in notice
    assert "The bridge is 40 m long, not 400 m." in notice
    assert 'Updated <time datetime="2025-03-05T00:00:00+00:00">5 March 2025</time>' in html


def test_corrections_page_lists_every_correction_newest_first(out):
    html = (out / "corrections/index.html").read_text("utf-8")
    order = [html.index(t) for t in ("40 m long", "on Tuesday", "wrong &lt;b&gt;span")]
    assert order == sorted(order)
    assert '<a href="../2025/03/01/bridge/">Bridge reopens</a>' in html
    assert '<a href="../2025/03/03/ferry/">Ferry strike</a>' in html
    assert 'href="corrections/"' in (out / "index.html").read_text("utf-8")  # linked from every page


def test_a_correction_counts_as_an_update_in_the_feed(out):
    feed = ET.parse(out / "feed.xml").getroot()
    updated = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}updated").text for e in feed.iter(f"{ATOM}entry")}
    assert updated["Bridge reopens"] == "2025-03-05T00:00:00+00:00"
    assert updated["Ferry strike"] == "2025-03-04T08:00:00+00:00"


def test_updated_shows_on_the_page(write_site, cli):
    site = write_site(
        {
            "articles/u.md": article("U", "2025-03-01T09:00:00Z", updated="2025-03-08T12:00:00Z"),
            "articles/n.md": article("N", "2025-03-01T10:00:00Z"),
        }
    )
    assert cli("build", "--site", site).code == 0
    assert 'Updated <time datetime="2025-03-08T12:00:00+00:00">8 March 2025</time>' in (
        site / "public/2025/03/01/u/index.html"
    ).read_text("utf-8")
    assert "Updated" not in (site / "public/2025/03/01/n/index.html").read_text("utf-8")


def test_corrections_of_an_unpublished_story_are_not_listed(write_site, cli):
    site = write_site(
        {
            "articles/a.md": OTHER.replace("title: Ferry strike", "title: Ferry strike\ndraft: true"),
            "articles/b.md": article("B"),
        }
    )
    assert cli("build", "--site", site).code == 0
    assert not (site / "public/corrections").exists()


@pytest.mark.parametrize(
    "value, message",
    [
        ("yes", "corrections: expected a list of entries"),
        ("[just text]", "corrections: entry 1: expected 'date' and 'text', got str"),
        ("[{text: x}]", "corrections: entry 1: 'date' is missing"),
        ("[{date: 2025-02-30, text: x}]", "corrections: entry 1: date: '2025-02-30' is not a valid date"),
        ("[{date: 2025-03-01}]", "corrections: entry 1: 'text' is missing"),
        ("[{date: 2025-03-01, text: x, by: me}]", "corrections: entry 1: unknown key 'by'"),
    ],
)
def test_bad_corrections_name_file_and_line(write_site, cli, value, message):
    site = write_site({"articles/x.md": article("X", corrections=value)})
    r = cli("build", "--site", site)
    assert r.code == 1
    assert f"articles/x.md:4:14: {message}" in r.err
