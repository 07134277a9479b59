"""A page's reads as the cache stores them, and the text that finds the pages reading one
story without loading every page's reads (newsgen.incremental.entries)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from newsgen.incremental.entries import read_needle, reads_text

KINDS = st.sampled_from(["article", "Tag", "Section", "Author", "Year", "Month"])
# URLs with what could confuse a text search: quotes, backslashes, brackets, commas,
# spaces, colons, other scripts, and one URL a prefix or suffix of another
URLS = st.text(alphabet=st.sampled_from(list('/ab"\\[], :é中\u2028')), max_size=12)
READS = st.tuples(KINDS, URLS)


@given(st.lists(READS, max_size=6), READS)
def test_the_needle_of_a_read_is_in_a_pages_reads_exactly_when_the_page_has_it(reads, read):
    text = reads_text(reads)
    assert [tuple(r) for r in json.loads(text)] == reads
    assert (read_needle(read) in text) == (read in reads)


def test_a_read_whose_url_holds_another_reads_text_is_not_taken_for_it():
    inner = ("article", "/a/")
    tricky = ("article", '["article", "/a/"]')
    assert read_needle(inner) not in reads_text([tricky])
    assert read_needle(inner) in reads_text([tricky, inner])
