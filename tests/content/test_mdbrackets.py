"""Python-Markdown 3.11.4's bracket scan, per run between brackets (newsgen.content.mdbrackets)."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import LinkInlineProcessor

from newsgen.content import mdbrackets
from newsgen.content.mdbrackets import bracket_ends

UPSTREAM = getattr(LinkInlineProcessor, "_findBracketEnds", None)  # Python-Markdown 3.11.4 and later


def scanned(data: str) -> list[int | None]:
    """The answer for each index by scanning forward from it, as Python-Markdown 3.11.3's
    ``getText`` did: the index past the ``]`` that brings the count of open brackets to zero."""
    ends: list[int | None] = []
    for index in range(len(data) + 1):
        count, found = 1, None
        for pos in range(index, len(data)):
            count += {"[": 1, "]": -1}.get(data[pos], 0)
            if count == 0:
                found = pos + 1
                break
        ends.append(found)
    return ends


TEXTS = st.text(alphabet="[]a(\\!", max_size=60)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_each_index_gets_the_end_of_its_bracket(data: str) -> None:
    assert bracket_ends(data) == scanned(data)


@pytest.mark.skipif(
    UPSTREAM is None, reason=f"Python-Markdown {markdown.__version__} has no _findBracketEnds"
)
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="[]ab\n\\`", max_size=200))
def test_the_ends_are_python_markdowns_own(data: str) -> None:
    assert bracket_ends(data) == UPSTREAM(data)


def test_examples() -> None:
    assert bracket_ends("") == [None]
    assert bracket_ends("no brackets") == [None] * 12
    #                     0123456789
    assert bracket_ends("[a [b] c]d")[1] == 9  # after the outer [: past the last ]
    assert bracket_ends("[a [b] c]d")[4] == 6  # after the inner [
    assert bracket_ends("[[[[")[1:] == [None] * 4  # never closed
    assert bracket_ends("]]][a]")[4] == 6


def test_unclosed_brackets_take_one_pass() -> None:
    """The case Python-Markdown 3.11.4 made linear: thousands of brackets that never close."""
    data = "[" * 20_000 + "x"
    assert bracket_ends(data) == [None] * (len(data) + 1)


@pytest.mark.skipif(not mdbrackets._read(), reason=f"Python-Markdown {markdown.__version__} was not read")
def test_the_link_processors_of_an_instance_share_one_scan() -> None:
    md = markdown.Markdown()
    assert mdbrackets.install(md.inlinePatterns) == ["inline:brackets"]
    links = [p for p in md.inlinePatterns if isinstance(p, LinkInlineProcessor)]
    assert len(links) == 6 and len({id(vars(p)["_findBracketEnds"]) for p in links}) == 1
    assert mdbrackets.install(md.inlinePatterns) == []  # a second install finds them done
    text = "A [link](/a) and ![img](/i.png), [ref][r], [r], ![i][r] and [unclosed [nested] text\n\n[r]: /r"
    assert md.convert(text) == markdown.Markdown().convert(text)


@pytest.mark.skipif(not mdbrackets._read(), reason=f"Python-Markdown {markdown.__version__} was not read")
def test_a_processor_with_its_own_get_text_is_left_as_it_is() -> None:
    class Own(LinkInlineProcessor):
        def getText(self, data: str, index: int) -> tuple[str, int, bool]:
            return super().getText(data, index)

    md = markdown.Markdown()
    md.inlinePatterns.register(Own(r"\{\[", md), "own", 1)
    mdbrackets.install(md.inlinePatterns)
    assert "_findBracketEnds" not in vars(md.inlinePatterns["own"])
    assert "_findBracketEnds" in vars(md.inlinePatterns["link"])


def test_another_release_is_left_as_it_is(monkeypatch) -> None:
    monkeypatch.setattr(mdbrackets, "READ_FROM", frozenset({"0" * 64}))
    mdbrackets._read.cache_clear()
    try:
        md = markdown.Markdown()
        assert mdbrackets.install(md.inlinePatterns) == []
        assert not any("_findBracketEnds" in vars(p) for p in md.inlinePatterns)
    finally:
        mdbrackets._read.cache_clear()
