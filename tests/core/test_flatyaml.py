"""Flat front matter read without the YAML parser reads exactly as the parser reads it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgen.core import yamlio
from newsgen.core.flatyaml import read_flat
from newsgen.core.yamlio import YamlProblem, parse_mapping


def flat(text: str, offset: int = 0) -> list | None:
    return read_flat(text, offset, yamlio._Loader.yaml_implicit_resolvers, yamlio._FLAT_CONSTRUCTORS)


def parsed(text: str, first_line: int, monkeypatch: pytest.MonkeyPatch) -> object:
    """parse_mapping with the parser only: its entries, or its problem."""
    with monkeypatch.context() as m:
        m.setattr(yamlio, "read_flat", lambda *args: None)
        try:
            return repr(parse_mapping(text, first_line=first_line))
        except YamlProblem as p:
            return ("problem", p.message, p.line, p.col)


@pytest.mark.parametrize(
    "text",
    [
        # the benchmark corpus's front matter
        'title: "From approved weather to team data"\ndate: 2023-03-09T06:34:00+00:00\n'
        'author: "Oskar Santos"\nsection: Sport\ntags: [fisheries reform, cycling strike]\n'
        'summary: "Workers delayed storm second autumn plan."',
        # Jekyll's: a block list, a single-quoted title, a layout
        "layout: post\ntitle: 'Jekyll''s 3.0 release'\ndate: 2015-10-26 10:00:00 -0700\n"
        "categories:\n  - release\n  - news\nauthor: parkr",
        # Hugo's: a flag, a number, an indentless list
        "title: Spring budget\ndraft: false\nweight: 3\ntags:\n- budget\n- council\n",
    ],
)
def test_the_usual_front_matter_is_read_flat_and_as_the_parser_reads_it(text, monkeypatch):
    assert flat(text, 1) is not None
    assert repr(parse_mapping(text, first_line=2)) == parsed(text, 2, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "title: a # a comment",  # comments
        "title: >\n  folded",  # block scalars
        'title: "a\\"b"',  # escapes
        "author:\n  name: A",  # nested mappings
        "title: &a x\nsub: *a",  # anchors
        "tags: []",  # empty lists
        "title:",  # null
        "title: a\n  continued",  # a plain scalar on two lines
        "tags:\n  - a\n    - b",  # an item continuing the one before
        "title: a\ntitle: b",  # duplicate keys
        "title: a\tb",  # tabs
        "title: a\x85b",  # NEL, a line break to YAML 1.1
        "title: Note:",  # a colon ending a plain scalar
        "n: 1" + "0" * 5000,  # an integer Python will not make
    ],
)
def test_what_is_not_flat_goes_to_the_parser(text, monkeypatch):
    assert flat(text) is None
    result = parsed(text, 1, monkeypatch)
    try:
        assert repr(parse_mapping(text)) == result
    except YamlProblem as p:
        assert ("problem", p.message, p.line, p.col) == result


_SPECIAL = [
    ":", ": ", "#", " #", '"', "'", "''", "-", "- ", "[", "]", ",", ", ", "{", "}", "\\", "\t", "\x85",
    "\u2028", "\ufeff", "0x1F", "1_0", "1e3", ".5", ".inf", "~", "null", "yes", "No", "true", "=", "<<",
    "!", "&", "*", "|", ">", "%", "@", "`", "?", "12:30", "0", "1",
]  # fmt: skip
#: Pieces of values: mostly words (so that many documents are flat), some YAML's special characters.
_PIECES = st.sampled_from(["a", "b c", "é", "2023-03-09T06:34:00+00:00", " "] * 24 + _SPECIAL)
_PLAIN = st.lists(_PIECES, min_size=1, max_size=5).map("".join)
_VALUES = st.one_of(_PLAIN, _PLAIN.map('"{}"'.format), _PLAIN.map("'{}'".format))
_KEYS = st.sampled_from([f"k{i}" for i in range(24)] + ["b-c", "_x", "y", "null", "1", "k k", ""])
_SPACES = st.sampled_from(["", " ", " ", " ", "  "])
_ENTRIES = st.one_of(
    st.builds("{}:{}{}".format, _KEYS, _SPACES, _VALUES),
    st.builds(
        lambda k, items: f"{k}: [{', '.join(items)}]", _KEYS, st.lists(_VALUES, min_size=1, max_size=4)
    ),
    st.builds(
        lambda k, indents, items: "\n".join(
            [f"{k}:", *(f"{i}- {v}" for i, v in zip(indents, items, strict=False))]
        ),
        _KEYS,
        st.one_of(_SPACES.map(lambda i: [i] * 4), st.lists(_SPACES, min_size=4, max_size=4)),
        st.lists(_VALUES, min_size=1, max_size=4),
    ),
)
_ODD_LINES = st.sampled_from(["", " ", "---", "# note", "  continued"])
_DOCUMENTS = st.builds(
    lambda entries, odd, at: "\n".join(entries[:at] + odd + entries[at:]),
    st.lists(_ENTRIES, min_size=1, max_size=6),
    st.lists(_ODD_LINES, max_size=1),
    st.integers(0, 6),
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_DOCUMENTS, first_line=st.integers(1, 5))
def test_flat_reading_never_differs_from_the_parser(text, first_line, monkeypatch):
    """On documents made of front matter's pieces and YAML's special characters: wherever
    the flat reading answers, the parser reads the same entries at the same positions."""
    entries = flat(text, first_line - 1)
    if entries is not None:
        assert repr(parse_mapping(text, first_line=first_line)) == parsed(text, first_line, monkeypatch)
