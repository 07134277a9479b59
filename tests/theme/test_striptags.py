"""The theme's ``striptags`` filter gives exactly Jinja's (MarkupSafe's) text, in one pass."""

from __future__ import annotations

import random

import pytest
from markupsafe import Markup

from newsgen.theme.render import striptags, text_contains

CASES = [
    "",
    "plain text",
    "<p>One &amp; two</p>\n<p>Three&nbsp;four &raquo;</p>",
    "<p class='a>b'>quoted angle</p>",
    "a < b and c > d",
    "x<y>z<w",
    "<a <b>c</b>",
    "<!-- a comment <p>inside</p> -->after",
    "<!<!-- x -->-- joined -->tail",
    "<p>\n  spread\tover\r\nlines  </p>",
    "&amp;lt;p&amp;gt; escaped tags &#x27; &#39; &notin &not;",
    "<script>if (a < b) {}</script>",
]


@pytest.mark.parametrize("text", CASES)
def test_striptags_is_jinjas(text):
    assert striptags(text) == Markup(text).striptags()
    assert striptags(Markup(text)) == Markup(text).striptags()


def test_striptags_is_jinjas_on_random_markup():
    rng = random.Random(18)
    pieces = ["<", ">", "<p>", "</p>", "<!--", "-->", "&amp;", "&", ";", " ", "\n", "a", "é", "&lt;", "--"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        assert striptags(text) == Markup(text).striptags(), text


def test_text_contains_is_in_striptags_on_random_markup():
    """``text_contains`` tells what ``needle in text | striptags`` does, on markup with and
    without entities, comments and odd whitespace, for needles in it, across tags and not."""
    rng = random.Random(60)
    pieces = ["<p>", "</p>", "<em>", "</em>", "<", ">", "&amp;", "&", " ", "  ", "\n", "\t", "\xa0"]
    words = ["harbour", "vote", "ferry", "late", "a", "é", "x y", "<!--", "-->"]
    tried = {True: 0, False: 0}
    for _ in range(4000):
        text = "".join(rng.choice(pieces + words) for _ in range(rng.randrange(30)))
        stripped = striptags(text)
        if stripped and rng.random() < 0.5:
            start = rng.randrange(len(stripped))
            needle = stripped[start : start + rng.randrange(1, 25)]
        else:
            needle = " ".join(rng.choice(words + [" ", "  "]) for _ in range(rng.randrange(4)))
        for value in (text, Markup(text)):
            assert text_contains(value, needle) == (needle in stripped), (text, needle)
        tried[needle in stripped] += 1
    assert min(tried.values()) > 500  # both answers were asked for often
