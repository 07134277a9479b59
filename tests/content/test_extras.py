"""Article extras: dateline, lead image with alt text and caption, reading time, summary fallback."""

from __future__ import annotations

from datetime import UTC

import pytest

from conftest import article

#: An SVG that says nothing of its size.
SIZELESS_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="3"/></svg>'


def _page(write_site, cli, text: str, files: dict[str, str] | None = None, **expect) -> str:
    site = write_site({"articles/x.md": text, **(files or {})}, config="base_url: https://news.example/\n")
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    return (site / "public/2025/03/01/x/index.html").read_text("utf-8") + "\n<!--stderr-->\n" + r.err


def test_dateline_comes_before_the_first_paragraph(write_site, cli):
    html = _page(write_site, cli, article("X", dateline="MEXICO CITY", body="First para.\n\nSecond para."))
    assert '<p><span class="dateline">MEXICO CITY</span> \u2014 First para.</p>' in html
    assert html.count('class="dateline"') == 1


def test_dateline_is_escaped_and_stands_alone_before_a_heading(write_site, cli):
    html = _page(write_site, cli, article("X", dateline='"<b>OSLO</b>"', body="## Heading\n\nText."))
    assert '<p class="dateline">&lt;b&gt;OSLO&lt;/b&gt;</p>\n<h2>Heading</h2>' in html


def test_lead_image_has_alt_text_and_caption(write_site, cli):
    html = _page(
        write_site,
        cli,
        article("X", image="/img/quay.svg", image_alt="A quay at dawn", image_caption="The quay, <2025>"),
        {"static/img/quay.svg": SIZELESS_SVG},
    )
    # the lead image is the page's largest paint: fetched at once, never lazily (its size is unknown here)
    assert '<img src="../../../../img/quay.svg" alt="A quay at dawn" fetchpriority="high">' in html
    assert "<figcaption>The quay, &lt;2025&gt;</figcaption>" in html
    assert "warning" not in html.split("<!--stderr-->")[1]


def test_lead_image_without_alt_text_is_a_warning(write_site, cli):
    html = _page(write_site, cli, article("X", image="https://cdn.example.com/q.jpg"))
    assert '<img src="https://cdn.example.com/q.jpg" alt=""' in html
    assert "articles/x.md:4:1: warning: image: has no image_alt" in html


def test_extras_are_typed_fields_not_extra(write_site):
    from datetime import datetime

    from newsgen import load_config, load_site

    site = write_site(
        {
            "articles/x.md": article(
                "X", image="/i.jpg", image_alt="Alt", image_caption="Cap", dateline="OSLO", topic="kept"
            )
        }
    )
    [a] = load_site(load_config(site)[0], datetime(2026, 1, 1, tzinfo=UTC)).articles
    assert (a.image_alt, a.image_caption, a.dateline) == ("Alt", "Cap", "OSLO")
    assert dict(a.extra) == {"topic": "kept"}
    assert a.field_lines["dateline"] == 7


@pytest.mark.parametrize("words, minutes", [(10, 1), (460, 2), (2300, 10)])
def test_reading_time(write_site, cli, words, minutes):
    html = _page(write_site, cli, article("X", body=" ".join(["word"] * words)))
    assert f"· {minutes} min read" in html


def test_summary_falls_back_to_the_first_paragraph(write_site, cli):
    html = _page(write_site, cli, article("X", body="## Head\n\nThe *first* paragraph.\n\nSecond."))
    assert '<meta name="description" content="The first paragraph.">' in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("dateline", "[a, b]", "dateline: expected text, got a list"),
        ("image_alt", "yes", "image_alt: expected text, got a boolean"),
        ("image_caption", "{a: 1}", "image_caption: expected text, got a mapping"),
    ],
)
def test_bad_extras_name_file_and_line(write_site, cli, field, value, message):
    site = write_site({"articles/x.md": article("X", **{field: value})})
    r = cli("build", "--site", site)
    assert r.code == 1
    assert f"articles/x.md:4:{len(field) + 3}: {message}" in r.err


@pytest.mark.parametrize(
    "opening",
    [
        "GROSSETO, Italy (AP) -- A fire destroyed the barn.",  # iptc/newsinjson's AP sample
        "WASHINGTON (Reuters) - The committee voted.",
        "Berlin (dpa) \u2013 Der Ausschuss stimmte.",
        "Mexico City \u2014 The metro reopened.",  # this story's own dateline, in the body already
    ],
)
def test_a_body_that_opens_with_a_dateline_gets_no_second_one(write_site, cli, opening):
    html = _page(write_site, cli, article("X", dateline="MEXICO CITY", body=f"{opening}\n\nMore."))
    assert 'class="dateline"' not in html
    assert f"<p>{opening}" in html


@pytest.mark.parametrize(
    "opening", ["The council (AP reports) - met today.", "Jane Doe (Labour) - the mayor - spoke."]
)
def test_a_paragraph_with_words_in_brackets_still_gets_the_dateline(write_site, cli, opening):
    html = _page(write_site, cli, article("X", dateline="OSLO", body=f"{opening}\n\nMore."))
    assert f'<p><span class="dateline">OSLO</span> \u2014 {opening.split(" ")[0]}' in html
