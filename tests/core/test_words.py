"""An article's word count (newsgen.core.words)."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.core.words import WORD, count_words


def by_the_pattern(body_html: str) -> int:
    """The definition: every match of the word pattern in the text outside tags."""
    return len(WORD.findall(html.unescape(re.sub(r"<[^<>]*>", " ", body_html))))


def test_words_are_counted_in_the_text_outside_tags() -> None:
    assert count_words("<p>The <em>harbour</em> board's vote, 7-2, was &quot;final&quot;.</p>") == 7
    assert (
        count_words("<p>U.S. e.g. a/b — don’t snake_case 3.5</p>") == 10
    )  # U, S, e, g, a, b, don’t, snake_case, 3, 5
    assert count_words("<p>Zürich\u00a0and\u2003São\u00a0Paulo</p><p>東京</p>") == 5
    assert count_words("") == 0 and count_words("<p> — </p>") == 0


PIECES = st.sampled_from(
    [
        "word", "Zürich", "東京", "3", "_", "snake_case", "-", "'", "’", "--", ".", ",", "/", "—", "&amp;",
        "&#39;", "&nbsp;", "&quot;", "<p>", "</p>", "<br>", "<a href='x y'>", " ", "\n", "\t", "\u00a0",
        "\u2003", "\u200b", "\u0301", "é", "e\u0301", "½", "²", "٣", "<", ">",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=60))
def test_the_count_is_the_patterns_on_any_text(pieces: list[str]) -> None:
    body = "".join(pieces)
    assert count_words(body) == by_the_pattern(body)
