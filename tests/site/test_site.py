"""Assembling the site: name merging, collisions, the author registry, and the groupings' data."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from conftest import article, tree_digest
from newsgen import load_config, load_site
from newsgen.core.urls import name_key, resolve_link, slugify
from newsgen.errors import BuildError
from photo_files import photo

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASE_URL = "base_url: https://news.example/\n"  # else a build warns that links point at localhost


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "a, b",
    [
        ("Swift", "SWIFT"),
        ("  swift ", "Swift"),
        ("Zoë Okonkwo", "ZOE OKONKWO"),
        ("Ingrid Sørensen", "Ingrid Sorensen"),
        ("R&D", "r and d"),
    ],
)
def test_name_key_ignores_case_accents_and_spacing(a, b):
    assert name_key(a) == name_key(b)
    assert slugify(a) == slugify(b)


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Łukasz Nowak", "lukasz-nowak"),
        ("Straße & Co.", "strasse-and-co"),
        ("Москва", "москва"),
        ("../etc/passwd", "etc-passwd"),
        ("???", "untitled"),
    ],
)
def test_slugify_transliterates_latin_and_keeps_other_scripts(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    "href, expected",
    [
        ("https://example.com/news/2025/x/", "/2025/x/"),
        ("//example.com/news/2025/x/", "/2025/x/"),
        ("/news/2025/x/index.html#top", "/2025/x/"),
        ("../x/?utm=1", "/2025/x/"),
        ("https://elsewhere.example/news/2025/x/", None),
        ("/other/", None),
        ("mailto:desk@example.com", None),
        ("#top", None),
    ],
)
def test_resolve_link(href, expected):
    assert resolve_link(href, "/2025/y/", "https://example.com/news/") == expected


def test_tag_spellings_merge_into_one_tag_with_a_warning(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article("A", "2025-03-01T09:00:00Z", tags="[Swift]"),
            "articles/b.md": article("B", "2025-03-02T09:00:00Z", tags="[Swift, iOS]"),
            "articles/c.md": article("C", "2025-03-03T09:00:00Z", tags="[SWIFT]"),
        }
    )
    r = cli("build", "--site", site)
    assert r.code == 0
    assert (
        "articles/c.md:4: warning: tag 'SWIFT' is written 'Swift' elsewhere (2 stories, e.g. articles/a.md); "
        "they are one tag, shown as 'Swift'"
    ) in r.err
    out = site / "public"
    page = (out / "tags/swift/index.html").read_text("utf-8")
    assert all(f">{t}</a>" in page for t in "ABC")
    assert "(3 stories)" in (out / "tags/index.html").read_text("utf-8")
    assert sorted(p.name for p in (out / "tags").iterdir()) == ["index.html", "ios", "swift"]
    # every article shows the one spelling
    assert 'rel="tag">Swift</a>' in (out / "2025/03/03/c/index.html").read_text("utf-8")


def test_strict_turns_spelling_warnings_into_errors(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article("A", tags="[Swift]"),
            "articles/b.md": article("B", tags="[SWIFT]"),
        },
        config=BASE_URL,
    )
    r = cli("build", "--site", site, "--strict")
    assert r.code == 1
    assert "tag 'SWIFT' is written 'Swift'" in r.err and "(an error with --strict)" in r.err
    assert "warning:" not in r.err
    assert not (site / "public").exists()


def test_section_spellings_merge_too(write_site):
    site = write_site(
        {
            "articles/a.md": article("A", "2025-03-01T09:00:00Z", section="Politics"),
            "articles/b.md": article("B", "2025-03-02T09:00:00Z", section="politics"),
            "articles/c.md": article("C", "2025-03-03T09:00:00Z", section="Politics"),
        }
    )
    s = load_site(load_config(site)[0], NOW)
    [politics] = s.sections
    assert (politics.name, politics.slug, politics.url) == ("Politics", "politics", "/politics/")
    assert [a.title for a in politics.articles] == ["C", "B", "A"]
    assert [w.message.split(";")[0] for w in s.warnings] == [
        "section 'politics' is written 'Politics' elsewhere (2 stories, e.g. articles/a.md)"
    ]


def test_spellings_merge_newest_first_each_story_once(write_site):
    # B writes two spellings of one tag: listed once; the stories of the three spellings
    # interleave in time and come out newest first; the spelling used most is shown (a tie:
    # the one used first)
    site = write_site(
        {
            "articles/a.md": article("A", "2025-03-01T09:00:00Z", tags="[Swift]"),
            "articles/b.md": article("B", "2025-03-02T09:00:00Z", tags="[swift, SWIFT]"),
            "articles/c.md": article("C", "2025-03-03T09:00:00Z", tags="[SWIFT]"),
            "articles/d.md": article("D", "2025-03-04T09:00:00Z", tags="[Swift]"),
            "articles/e.md": article("E", "2025-03-05T09:00:00Z", tags="[swift]"),
        }
    )
    s = load_site(load_config(site)[0], NOW)
    [swift] = s.tags
    assert swift.name == "Swift"
    assert [a.title for a in swift.articles] == ["E", "D", "C", "B", "A"]
    assert swift.spellings == ("SWIFT", "Swift", "swift")
    assert sorted(w.message.split(" elsewhere")[0] for w in s.warnings) == [
        "tag 'SWIFT' is written 'Swift'",
        "tag 'swift' is written 'Swift'",
    ]


# ----------------------------------------------------------------------------- collisions


def _built_then(write_site, cli, extra: dict[str, str], config: str | None = None):
    """Build a good site, add ``extra`` files, build again; return the run and whether output survived."""
    site = write_site(
        {"articles/good.md": article("Good", "2025-01-01T09:00:00Z", section="News")}, config=config
    )
    assert cli("build", "--site", site).code == 0
    before = tree_digest(site / "public")
    for rel, text in extra.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    r = cli("build", "--site", site)
    return r, tree_digest(site / "public") == before


def test_two_articles_with_one_url_name_both_files(write_site, cli):
    r, intact = _built_then(
        write_site,
        cli,
        {
            "articles/one.md": article("One", "2025-02-01T09:00:00Z", slug="same"),
            "articles/two.md": article("Two", "2025-02-01T10:00:00Z", slug="same"),
        },
    )
    assert r.code == 1 and intact
    assert (
        "articles/one.md:4: two articles have the same URL /2025/02/01/same/: articles/one.md, articles/two.md"
        in r.err
    )
    assert "articles/two.md:4: two articles have the same URL" in r.err


def test_a_scheduled_article_still_collides(write_site, cli):
    r, intact = _built_then(
        write_site,
        cli,
        {
            "articles/one.md": article("One", "2025-02-01T09:00:00Z", slug="same"),
            "articles/two.md": article("Two", "2025-02-01T10:00:00Z", slug="same", embargo="2099-01-01"),
        },
    )
    assert r.code == 1 and intact and "articles/two.md" in r.err


def test_article_and_section_page_on_one_path_name_both_files(write_site, cli):
    r, intact = _built_then(
        write_site,
        cli,
        {"articles/sport.md": article("Sport!", section="Sport", slug="news")},
        config="permalink: /{slug}/\n",
    )
    assert r.code == 1 and intact
    assert "articles/sport.md:5: output path news/index.html is claimed by more than one source" in r.err
    assert "section 'News' (articles/good.md)" in r.err


def test_section_named_like_a_year_collides_with_the_archive(write_site, cli):
    r, intact = _built_then(
        write_site, cli, {"articles/y.md": article("Y", "2025-02-01T09:00:00Z", section="2025")}
    )
    assert r.code == 1 and intact
    assert "output path 2025/index.html is claimed by more than one source" in r.err
    assert (
        "section '2025' (articles/y.md)" in r.err
        and "archive 2025 (articles/good.md, articles/y.md)" in r.err
    )


def test_different_tags_on_one_page_name_the_files_of_both(write_site, cli):
    r, intact = _built_then(
        write_site,
        cli,
        {
            "articles/cpp.md": article("C++ 26", tags="[C++]"),
            "articles/cs.md": article("C# 14", tags="[C#]"),
        },
    )
    assert r.code == 1 and intact
    assert (
        "different tags would share the page /tags/c/: 'C#' in articles/cs.md; 'C++' in articles/cpp.md"
        in r.err
    )


def test_url_collisions_point_at_the_line_that_made_the_url(write_site, cli):
    """Each file is named with the line of the key its URL came from."""
    site = write_site(
        {
            # slug: given (line 4)
            "articles/one.md": article("One", "2025-02-01T09:00:00Z", slug="same"),
            "articles/two.md": article("Two", "2025-02-01T10:00:00Z", section="News", slug="same"),
            # wire copy: the headline line, or the front matter title that replaces it
            "seeds/a.txt": "\n\nHarbour reopens\n\nShips are back.\n",
            "seeds/b.txt": "---\ntags: [port]\ntitle: Harbour reopens\n---\nHARBOUR\n\nShips.\n",
            # a file-name slug: the date: line, which is part of the URL
            "articles/x/story.md": article("X", "2025-03-01T09:00:00Z"),
            "articles/y/story.md": "---\ntitle: Y\nsection: World\ndate: 2025-03-01T10:00:00Z\n---\n\nY.\n",
            # a file-name slug dated by its file name: line 1
            "articles/p/2025-04-01-note.md": article("P", date=None),
            "articles/q/2025-04-01-note.md": article("Q", date=None),
        },
        config="base_url: https://news.example/\ndefault_date: 2025-01-15\n",
    )
    for command in ("build", "check"):
        r = cli(command, "--site", site)
        assert r.code == 1
        for where, url in [
            ("articles/one.md:4", "/2025/02/01/same/"),
            ("articles/two.md:5", "/2025/02/01/same/"),
            ("seeds/a.txt:3", "/2025/01/15/harbour-reopens/"),
            ("seeds/b.txt:3", "/2025/01/15/harbour-reopens/"),
            ("articles/x/story.md:3", "/2025/03/01/story/"),
            ("articles/y/story.md:4", "/2025/03/01/story/"),
            ("articles/p/2025-04-01-note.md:1", "/2025/04/01/note/"),
            ("articles/q/2025-04-01-note.md:1", "/2025/04/01/note/"),
        ]:
            assert f"{where}: two articles have the same URL {url}" in r.err, (command, where, r.err)


def test_names_on_one_page_point_at_the_line_of_the_name(write_site, cli):
    site = write_site(
        {
            "articles/cpp.md": "---\ntitle: C++ 26\ndate: 2025-03-01\ntags:\n  - systems\n  - C++\n"
            "section: C++\nauthor: Jo (AP)\n---\n\nx\n",
            "articles/cs.md": article("C# 14", tags="[C#, systems]", section="C#", author='"Jo [AP]"'),
        },
        config="base_url: https://news.example/\n",
    )
    for command in ("build", "check"):
        r = cli(command, "--site", site)
        assert r.code == 1
        assert "articles/cpp.md:6: different tags would share the page /tags/c/" in r.err, r.err
        assert "articles/cpp.md:7: different sections would share the page /c/" in r.err, r.err
        assert "articles/cpp.md:8: different authors would share the page /authors/jo-ap/" in r.err, r.err


# ----------------------------------------------------------------------------- authors


AUTHORS = """\
# fictional
Ada Quill:
  role: Harbour reporter
  bio: Ada covers the docks.
  url: https://example.com/ada
  image: /img/ada.jpg
  social:
    Mastodon: https://example.social/@ada
Ben Ode:
"""


def test_author_registry_gives_bylines_a_profile(write_site, cli):
    site = write_site(
        {
            "authors.yaml": AUTHORS,
            "articles/a.md": article("A", authors="[ada quill, Ben Ode]"),
            "static/img/ada.jpg": photo(300, 300),  # the photo the registry names
        },
        config=BASE_URL,
    )
    r = cli("build", "--site", site, "--strict")
    assert r.code == 0, r.err
    page = (site / "public/authors/ada-quill/index.html").read_text("utf-8")
    assert '<h1 class="page-title">Ada Quill</h1>' in page  # the registry's spelling
    assert "Harbour reporter" in page and "Ada covers the docks." in page
    assert '<a href="https://example.social/@ada" rel="me">Mastodon</a>' in page
    assert '<a href="https://example.com/ada" rel="me">Website</a>' in page
    assert re.search(r'src="../../img/ada-\d+w.jpg"', page)  # the registry's photo, at a published width
    assert (site / "public/authors/ben-ode/index.html").is_file()
    assert "Harbour reporter" in (site / "public/authors/index.html").read_text("utf-8")


def test_byline_without_a_record_gets_a_page_and_a_warning(write_site, cli):
    site = write_site(
        {"authors.yaml": AUTHORS, "articles/a.md": article("A", author="Cy Wren")}, config=BASE_URL
    )
    r = cli("build", "--site", site)
    assert r.code == 0
    assert "articles/a.md:4: warning: byline 'Cy Wren' has no entry in authors.yaml" in r.err
    assert (site / "public/authors/cy-wren/index.html").is_file()
    r = cli("build", "--site", site, "--strict")
    assert r.code == 1 and "articles/a.md:4: byline 'Cy Wren' has no entry" in r.err


def test_without_a_registry_no_byline_is_warned_about(write_site, cli):
    site = write_site({"articles/a.md": article("A", author="Cy Wren")}, config=BASE_URL)
    r = cli("build", "--site", site, "--strict")
    assert r.code == 0 and r.err == ""


@pytest.mark.parametrize(
    "text, message",
    [
        ("Ada Quill:\n  bio: [1, 2]\n", "authors.yaml:1: Ada Quill: bio: expected text"),
        ("Ada Quill:\n  url: javascript:alert(1)\n", "authors.yaml:1: Ada Quill: url: javascript:"),
        ("Ada:\n  bio: x\nAda:\n  bio: y\n", "authors.yaml:3:1: duplicate key 'Ada' (first given on line 1)"),
        (
            "Ada Quill: {}\nADA QUILL: {}\n",
            "authors.yaml:2: ADA QUILL: is the same author as 'Ada Quill' on line 1",
        ),
        ("Ada Quill: just text\n", "authors.yaml:1: Ada Quill: expected a mapping"),
        ("Ada Quill:\n  social: https://x\n", "authors.yaml:1: Ada Quill: social: expected a mapping"),
    ],
)
def test_bad_author_registry_names_file_and_line(write_site, cli, text, message):
    site = write_site({"authors.yaml": text, "articles/a.md": article("A", author="Ada Quill")})
    r = cli("build", "--site", site)
    assert r.code == 1
    assert message in r.err


def test_unknown_registry_key_is_a_warning_with_a_suggestion(write_site, cli):
    site = write_site(
        {"authors.yaml": "Ada Quill:\n  boi: x\n", "articles/a.md": article("A", author="Ada Quill")}
    )
    r = cli("build", "--site", site)
    assert (
        r.code == 0
        and "authors.yaml:1: warning: Ada Quill: unknown key 'boi' is ignored; did you mean 'bio'?" in r.err
    )


# ----------------------------------------------------------------------------- the Site data


def test_site_groupings_are_plain_data_with_stable_urls(write_site):
    site = write_site(
        {
            "authors.yaml": AUTHORS,
            "articles/a.md": article(
                "A",
                "2025-01-02T09:00:00Z",
                section="Sport",
                author="Ada Quill",
                tags="[Ice Hockey]",
                corrections="[{date: '2025-01-03', text: 'Fixed.'}]",
            ),
            "articles/b.md": article("B", "2025-02-02T09:00:00Z", section="Sport", author="Ada Quill"),
            "articles/c.md": article("C", "2025-02-03T09:00:00Z", draft="true", section="Arts"),
        }
    )
    cfg = load_config(site)[0]
    s = load_site(cfg, NOW)
    assert [(g.name, g.url, [a.title for a in g.articles]) for g in s.sections] == [
        ("Sport", "/sport/", ["B", "A"])
    ]
    assert [(g.name, g.url) for g in s.tags] == [("Ice Hockey", "/tags/ice-hockey/")]
    [ada] = s.authors
    assert (ada.url, ada.profile.role) == ("/authors/ada-quill/", "Harbour reporter")
    [y2025] = s.archives
    assert (y2025.url, [m.url for m in y2025.months]) == ("/2025/", ["/2025/02/", "/2025/01/"])
    assert [(e.article.title, e.correction.text) for e in s.corrections] == [("A", "Fixed.")]
    assert s.section_of(s.articles[0]).name == "Sport" and s.tags_of(s.articles[1])[0].slug == "ice-hockey"
    drafted = load_site(cfg, NOW, drafts=True)
    assert [g.name for g in drafted.sections] == ["Arts", "Sport"] and drafted.drafts


def test_build_site_needs_an_aware_now(write_site):
    from newsgen.site.assemble import build_site

    with pytest.raises(ValueError):
        build_site([], load_config(write_site({}))[0], datetime(2025, 1, 1))


def test_collisions_are_found_before_anything_is_written(write_site):
    site = write_site({"articles/a.md": article("A", slug="x"), "articles/b.md": article("B", slug="x")})
    with pytest.raises(BuildError):
        load_site(load_config(site)[0], NOW)
    assert not (site / "public").exists()
