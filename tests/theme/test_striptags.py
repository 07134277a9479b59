"""The theme's ``striptags`` filter gives exactly Jinja's (MarkupSafe's) text, in one pass."""

from __future__ import annotations

import random

import pytest
from markupsafe import Markup

from newsgen.theme.render import striptags

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
