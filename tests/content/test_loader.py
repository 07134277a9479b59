"""Loader: front matter forms, wire copy, the seed file, and every error case."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import REPO
from newsgen.config import load_config
from newsgen.content.loader import load_all, load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source, discover
from newsgen.errors import ContentError

SEED = REPO / "seeds" / "000_d6a484b93954d364.txt"


def load(write_site, name: str, content: str | bytes, config: str | None = None):
    site = write_site({f"articles/{name}": content}, config=config)
    cfg, _ = load_config(site)
    kind = "wire" if name.endswith(".txt") else "markdown"
    src = Source(site / "articles" / name, f"articles/{name}", kind)
    return load_article(src, cfg, MarkdownRenderer(unsafe_html=cfg.unsafe_html))[0]


def error_of(write_site, name: str, content: str | bytes, config: str | None = None) -> str:
    with pytest.raises(ContentError) as exc:
        load(write_site, name, content, config)
    return str(exc.value)


# ------------------------------------------------------------------ front matter forms


def test_full_front_matter(write_site):
    a = load(
        write_site,
        "x.md",
        """---
title: Council passes budget
date: 2025-03-10T09:30:00+01:00
updated: 2025-03-11T10:00:00+01:00
author: Zoë Example
section: Politics
tags: [budget, city-council]
summary: The vote was close.
slug: budget-vote
image: /images/a.jpg
layout: post
---
First paragraph.
""",
    )
    assert a.title == "Council passes budget"
    assert a.date == datetime(2025, 3, 10, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert a.updated == datetime(2025, 3, 11, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert a.authors == ("Zoë Example",)
    assert a.section == "Politics"
    assert a.tags == ("budget", "city-council")
    assert a.summary == "The vote was close."
    assert a.slug == "budget-vote"
    assert a.image == "/images/a.jpg"
    assert a.url == "/2025/03/10/budget-vote/"
    assert a.output_path == "2025/03/10/budget-vote/index.html"
    assert a.extra["layout"] == "post"
    assert a.body_html == "<p>First paragraph.</p>"
    assert a.word_count == 2


def test_jekyll_date_with_offset_without_colon(write_site):
    a = load(write_site, "x.md", "---\ntitle: T\ndate: 2013-05-06 02:12:52 +0200\n---\nx\n")
    assert a.date == datetime(2013, 5, 6, 2, 12, 52, tzinfo=timezone(timedelta(hours=2)))


def test_bare_date_is_midnight_in_site_timezone(write_site):
    a = load(
        write_site, "x.md", "---\ntitle: T\ndate: 2025-07-01\n---\nx\n", config="timezone: Europe/Paris\n"
    )
    assert a.date.isoformat() == "2025-07-01T00:00:00+02:00"


def test_datetime_without_offset_uses_site_timezone(write_site):
    a = load(
        write_site,
        "x.md",
        "---\ntitle: T\ndate: 2025-01-15T08:00:00\n---\nx\n",
        config="timezone: America/Mexico_City\n",
    )
    assert a.date.utcoffset() == timedelta(hours=-6)
    assert a.date.hour == 8


def test_zulu_and_fractional_seconds(write_site):
    a = load(write_site, "x.md", "---\ntitle: T\ndate: 2025-01-15T08:00:00.5Z\n---\nx\n")
    assert a.date == datetime(2025, 1, 15, 8, 0, 0, 500000, tzinfo=UTC)


@pytest.mark.parametrize("key", ["updated", "last_modified", "lastmod"])
def test_updated_aliases(write_site, key):
    a = load(write_site, "x.md", f"---\ntitle: T\ndate: 2025-01-01\n{key}: 2025-01-02\n---\nx\n")
    assert a.updated is not None and a.updated.day == 2
    assert a.modified == a.updated


def test_authors_list_and_author_string(write_site):
    a = load(write_site, "x.md", "---\ntitle: T\ndate: 2025-01-01\nauthors: [Ana Núñez, Bo Li]\n---\nx\n")
    assert a.authors == ("Ana Núñez", "Bo Li")
    b = load(write_site, "y.md", "---\ntitle: T\ndate: 2025-01-01\nauthor: Ana Núñez\n---\nx\n")
    assert b.authors == ("Ana Núñez",)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("section: Business", "Business"),
        ("category: Science", "Science"),
        ("categories: [Culture, Film]", "Culture"),
        ("categories: Sport", "Sport"),
    ],
)
def test_section_forms(write_site, line, expected):
    a = load(write_site, "x.md", f"---\ntitle: T\ndate: 2025-01-01\n{line}\n---\nx\n")
    assert a.section == expected


def test_tags_as_comma_separated_text_and_duplicates(write_site):
    a = load(
        write_site, "x.md", '---\ntitle: T\ndate: 2025-01-01\ntags: "energy, climate , Energy,"\n---\nx\n'
    )
    assert a.tags == ("energy", "climate")


@pytest.mark.parametrize("key", ["summary", "excerpt", "description"])
def test_summary_aliases(write_site, key):
    a = load(write_site, "x.md", f"---\ntitle: T\ndate: 2025-01-01\n{key}: Short.\n---\nLong body.\n")
    assert a.summary == "Short."


def test_summary_falls_back_to_first_paragraph(write_site):
    a = load(
        write_site, "x.md", "---\ntitle: T\ndate: 2025-01-01\n---\n## Heading\n\nFirst *para*.\n\nSecond.\n"
    )
    assert a.summary == "First para."


def test_date_and_slug_from_filename(write_site):
    a = load(write_site, "2025-04-02-school-vote.md", "---\ntitle: T\n---\nx\n")
    assert a.date.date().isoformat() == "2025-04-02"
    assert a.slug == "school-vote"
    assert a.date_from == "filename"


def test_undated_article_uses_default_date_deterministically(write_site):
    a = load(write_site, "x.md", "---\ntitle: T\n---\nx\n", config="default_date: 2025-02-28\n")
    assert a.date.isoformat() == "2025-02-28T00:00:00+00:00"
    assert a.date_from == "default_date"
    b = load(write_site, "y.md", "---\ntitle: T\n---\nx\n", config="title: No default date\n")
    assert b.date.isoformat() == "1970-01-01T00:00:00+00:00"


def test_undated_article_warns_when_no_default_date(write_site):
    site = write_site({"articles/x.md": "---\ntitle: T\n---\nx\n"})
    cfg, _ = load_config(site)
    _, warnings = load_article(
        Source(site / "articles/x.md", "articles/x.md", "markdown"), cfg, MarkdownRenderer()
    )
    assert any("no date" in str(w) and str(w).startswith("articles/x.md") for w in warnings)


def test_draft_and_jekyll_published_false(write_site):
    assert load(write_site, "x.md", "---\ntitle: T\ndate: 2025-01-01\ndraft: true\n---\nx\n").draft
    assert load(write_site, "y.md", "---\ntitle: T\ndate: 2025-01-01\npublished: false\n---\nx\n").draft


def test_numbers_as_text_keep_their_spelling(write_site):
    a = load(write_site, "x.md", "---\ntitle: 1984\ndate: 2025-01-01\ntags: [2024, 1.50]\n---\nx\n")
    assert a.title == "1984"
    assert a.tags == ("2024", "1.5")


def test_bom_and_crlf(write_site):
    a = load(
        write_site, "x.md", b"\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2025-01-01\r\n---\r\nOne\r\n\r\nTwo\r\n"
    )
    assert a.title == "T"
    assert a.body_html == "<p>One</p>\n<p>Two</p>"


def test_dots_close_front_matter(write_site):
    a = load(write_site, "x.md", "---\ntitle: T\ndate: 2025-01-01\n...\nBody\n")
    assert a.body_html == "<p>Body</p>"


def test_unknown_keys_go_to_extra(write_site):
    a = load(
        write_site, "x.md", "---\ntitle: T\ndate: 2025-01-01\nsource_desk: Metro\nweights: {a: 1}\n---\nx\n"
    )
    assert a.extra == {"source_desk": "Metro", "weights": {"a": 1}}


# ------------------------------------------------------------------ wire copy


def test_wire_copy_format(write_site):
    a = load(
        write_site,
        "story.txt",
        "\n  Headline “here” é  \n\nFirst para\ncontinues.\n\n<b>Second</b> & more\n\n  more stories  \n",
    )
    assert a.title == "Headline “here” é"
    assert a.kind == "wire"
    assert a.body_html == "<p>First para\ncontinues.</p>\n<p>&lt;b&gt;Second&lt;/b&gt; &amp; more</p>"
    assert "more stories" not in a.body_html.lower()
    assert a.slug == "headline-here-e"


def test_wire_copy_with_front_matter(write_site):
    a = load(
        write_site, "story.txt", "---\ndate: 2025-05-01T10:00:00Z\ntags: [wire]\n---\nHeadline\n\nBody.\n"
    )
    assert (a.title, a.tags, a.body_html) == ("Headline", ("wire",), "<p>Body.</p>")
    b = load(write_site, "s2.txt", "---\ntitle: Better headline\n---\nWire headline\n\nBody.\n")
    assert b.title == "Better headline"
    assert b.body_html == "<p>Body.</p>"


def test_wire_text_is_never_markup(write_site):
    a = load(write_site, "s.txt", "Head\n\n*not emphasis* [not](a link) {{ 7*7 }} {% include 'x' %}\n")
    assert a.body_html == "<p>*not emphasis* [not](a link) {{ 7*7 }} {% include 'x' %}</p>"


def test_seed_article_exactly_as_received():
    site = REPO
    cfg, _ = load_config(site)
    a = load_article(Source(SEED, "seeds/000_d6a484b93954d364.txt", "wire"), cfg, MarkdownRenderer())[0]
    assert a.title == "Mexico Extradites 29 Cartel Leaders Amid U.S. Pressure"
    paragraphs = a.body_html.split("\n")
    assert len(paragraphs) == 6
    assert "“Kiki”" in a.body_html and "Sheinbaum’s" in a.body_html
    assert "Miguel Ángel Treviño Morales" in a.body_html
    assert "MORE STORIES" not in a.body_html
    assert a.body_html.count("<p>") == 6
    raw_paragraphs = [p for p in SEED.read_text("utf-8").split("\n\n") if p.strip()][1:-1]
    for raw in raw_paragraphs:
        assert raw.strip() in a.body_html


# ------------------------------------------------------------------ Markdown safety


def test_raw_html_escaped_and_dangerous_links_blocked(write_site):
    a = load(
        write_site,
        "x.md",
        "---\ntitle: T\ndate: 2025-01-01\n---\n"
        "<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](JaVaScRiPt&#58;x) "
        "![c](data:text/html;base64,xx) [ok](https://example.org/)\n",
    )
    assert "<script>" not in a.body_html
    assert "&lt;script&gt;" in a.body_html
    assert "javascript" not in a.body_html.lower()
    assert "data:" not in a.body_html
    assert 'href="https://example.org/"' in a.body_html


def test_unsafe_html_option_lets_html_through_but_not_script_urls(write_site):
    a = load(
        write_site,
        "x.md",
        "---\ntitle: T\ndate: 2025-01-01\n---\n"
        '<div class="box">Hi <a href="javascript:alert(1)">x</a></div>\n',
        config="unsafe_html: true\n",
    )
    assert '<div class="box">' in a.body_html
    assert "javascript" not in a.body_html


# ------------------------------------------------------------------ errors with path:line:col


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            "---\ntitle: T\ndate: 2024-02-30\n---\nx\n",
            "articles/x.md:3:7: date: '2024-02-30' is not a valid date: day is out of range for month",
        ),
        ("---\ntitle: T\ndate: tomorrow\n---\nx\n", "articles/x.md:3:7: date: 'tomorrow' is not a date"),
        ("---\ntitle: T\ndate: 2025-01-01\ntags: 5\n---\nx\n", "articles/x.md:4:7: tags: expected a list"),
        (
            "---\ntitle: no\ndate: 2025-01-01\n---\nx\n",
            "articles/x.md:2:8: title: expected text, got a boolean (no)",
        ),
        ("---\ndate: 2025-01-01\n---\nx\n", "articles/x.md:1:1: title: missing"),
        ("---\ntitle: ''\ndate: 2025-01-01\n---\nx\n", "articles/x.md:2:8: title: is empty"),
        ("---\ntitle:\ndate: 2025-01-01\n---\nx\n", "title: is empty"),
        ("---\ntitle: [oops\ndate: 2025-01-01\n---\nx\n", "articles/x.md:3:"),
        ("---\ntitle: a: b\n---\nx\n", "articles/x.md:2:9: invalid YAML"),
        ("---\n- a\n- b\n---\nx\n", "articles/x.md:2:1: front matter must be a mapping"),
        (
            "---\ntitle: T\ndate: 2025-01-01\n",
            "articles/x.md:1:1: front matter opened with '---' is never closed",
        ),
        (
            "---\ntitle: !!python/object/apply:os.system [ls]\n---\nx\n",
            "articles/x.md:2:8: invalid YAML: unsafe",
        ),
        (
            "---\ntitle: T\ntitle: U\n---\nx\n",
            "articles/x.md:3:1: duplicate key 'title' (first given on line 2)",
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\ndraft: maybe\n---\nx\n",
            "articles/x.md:4:8: draft: expected true or false",
        ),
        ("\n\n---\ntitle: T\n---\n", None),  # not front matter: a Markdown file with no title
    ],
)
def test_error_messages_name_file_line_and_column(write_site, content, expected):
    message = error_of(write_site, "x.md", content)
    assert message.startswith("articles/x.md:")
    if expected:
        assert expected in message


def test_front_matter_lines_counted_from_file_start_with_bom_and_crlf(write_site):
    message = error_of(write_site, "x.md", b"\xef\xbb\xbf---\r\ntitle: T\r\n\r\ndate: 2024-13-01\r\n---\r\n")
    assert message.startswith("articles/x.md:4:7: date:")


def test_each_bad_correction_is_reported_at_its_own_line(write_site):
    content = (
        "---\ntitle: T\ndate: 2025-01-01\ncorrections:\n"
        "  - date: 2025-02-30\n    text: Wrong day.\n"  # 5
        "  - text: No date.\n"  # 7
        "  - date: 2025-03-01\n"  # 8
        "  - date: 2025-03-02\n    text: Fine.\n"  # 9: no error
        "  - date: 2025-03-03\n    text: x\n    by: me\n"  # 11
        "  - just text\n"  # 14
        "---\nx\n"
    )
    lines = error_of(write_site, "x.md", content).splitlines()
    assert [m.split(": corrections:")[0] for m in lines if "corrections:" in m] == [
        "articles/x.md:5:3",
        "articles/x.md:7:3",
        "articles/x.md:8:3",
        "articles/x.md:11:3",
        "articles/x.md:14:3",
    ]
    assert any(m.startswith("articles/x.md:11:3: corrections: entry 5: unknown key 'by'") for m in lines)


def test_a_bad_correction_in_a_flow_list_is_reported_at_the_list(write_site):
    message = error_of(write_site, "x.md", "---\ntitle: T\ncorrections: [{date: 2025-03-01}]\n---\nx\n")
    assert "articles/x.md:3:14: corrections: entry 1: 'text' is missing" in message


def test_invalid_utf8_names_line_and_byte_offset(write_site):
    message = error_of(write_site, "x.md", b"---\ntitle: caf\xe9\n---\n")
    assert message.startswith("articles/x.md:2:11:")
    assert "byte offset 14" in message


def test_utf16_is_refused(write_site):
    message = error_of(write_site, "x.md", "---\ntitle: T\n---\n".encode("utf-16"))
    assert "articles/x.md:1:1: file is UTF-16" in message


def test_all_errors_of_all_files_are_collected(write_site):
    site = write_site(
        {
            "articles/a.md": "---\ntitle: T\ndate: 2024-02-30\ntags: 5\n---\nx\n",
            "articles/b.md": "---\ntitle: no\n---\nx\n",
            "articles/ok.md": "---\ntitle: Fine\ndate: 2025-01-01\n---\nx\n",
        }
    )
    cfg, _ = load_config(site)
    sources, _ = discover(cfg)
    with pytest.raises(ContentError) as exc:
        load_all(sources, cfg)
    places = [d.location for d in exc.value.diagnostics]
    assert places == ["articles/a.md:3:7", "articles/a.md:4:7", "articles/b.md:2:8"]


def test_discover_finds_markdown_and_wire_copy_sorted_skipping_hidden(write_site):
    site = write_site(
        {
            "articles/b.md": "x",
            "articles/a.markdown": "x",
            "articles/sub/c.md": "x",
            "articles/.hidden.md": "x",
            "articles/_draft.md": "x",
            "articles/notes.json": "{}",
            "articles/UP.MD": "x",
            "articles/two.dots.md": "x",
            "articles/md": "x",
            "articles/x.md.bak": "x",
            "seeds/w.txt": "x",
            "seeds/j.json": "{}",
            "seeds/n.XML": "<nitf/>",
        }
    )
    cfg, _ = load_config(site)
    sources, problems = discover(cfg)
    assert problems == []
    assert [s.display for s in sources] == [
        "articles/UP.MD",
        "articles/a.markdown",
        "articles/b.md",
        "articles/sub/c.md",
        "articles/two.dots.md",
        "seeds/j.json",
        "seeds/n.XML",
        "seeds/w.txt",
    ]
    assert [s.kind for s in sources] == [*["markdown"] * 5, "ninjs", "nitf", "wire"]


def test_symlink_pointing_outside_the_site_is_an_error(write_site, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\n")
    site = write_site({"articles/ok.md": "x"})
    (site / "articles" / "link.md").symlink_to(outside)
    cfg, _ = load_config(site)
    _, problems = discover(cfg)
    assert [str(p) for p in problems] == [
        f"articles/link.md: symbolic link points outside the site folder (to {outside})"
    ]


def test_discovery_walks_folders_as_os_walk_does(tmp_path):
    """discover's walk (one listing per folder, no lstat per file) visits what
    os.walk(followlinks=True) visits, in its order, and knows which files are links."""
    from newsgen.content.sources import _walk

    top = tmp_path / "articles"
    for rel in ("a.md", "b/c.md", "b/d/e.md", "f/g.md", "f/h/i.md"):
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text("x")
    (top / "b" / "to-f").symlink_to(top / "f")  # a link to a folder is followed
    (top / "b" / "alias.md").symlink_to(top / "a.md")
    (top / "b" / "dangling.md").symlink_to(top / "missing.md")
    (top / "f" / "h" / "loop").symlink_to(top / "f")
    expected = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        dirnames.sort()
        if dirpath.count("/loop") > 1:
            dirnames[:] = []
        expected.append((dirpath, sorted(dirnames), sorted(filenames)))
    got = []
    for dirpath, dirnames, files in _walk(str(top)):
        dirnames.sort()
        if dirpath.count("/loop") > 1:
            dirnames[:] = []
        got.append((dirpath, sorted(dirnames), sorted(files)))
        assert {n for n, link in files.items() if link} == {
            n for n in files if os.path.islink(os.path.join(dirpath, n))
        }
    assert got == expected


def test_article_is_immutable(write_site):
    a = load(write_site, "x.md", "---\ntitle: T\ndate: 2025-01-01\n---\nx\n")
    with pytest.raises(AttributeError):
        a.title = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        a.extra["x"] = 1  # type: ignore[index]


def test_source_path_is_kept(write_site):
    a = load(write_site, "x.md", "---\ntitle: T\ndate: 2025-01-01\n---\nx\n")
    assert isinstance(a.source_path, Path) and a.source == "articles/x.md"
