"""Archives copied into ``articles/`` as their generators laid them out: Jekyll's ``_posts``
folders and Zola's dated file names."""

from __future__ import annotations

CONFIG = """\
title: Fictional Gazette
base_url: https://news.example/
permalink: /{year}/{month}/{day}/{slug}/
"""


def test_a_copied_jekyll_site_publishes_its_posts_and_nothing_else(write_site, cli):
    site = write_site(
        {
            # copied as the folders are (README: "copy the old site's posts (_posts/, ...)")
            "articles/_posts/2016-01-28-harbour-reopens.markdown": "---\ntitle: Harbour reopens\n---\nBody.\n",
            "articles/news/_posts/2017-02-01-ferry-timetable.md": "---\ntitle: Ferry timetable\n---\nBody.\n",
            # Jekyll's other folders: drafts, layouts and includes are not stories
            "articles/_drafts/unfinished.md": "---\ntitle: Unfinished\n---\nBody.\n",
            "articles/_includes/footer.md": "Footer text.\n",
            "articles/_layouts/default.html": "<html></html>\n",
        },
        config=CONFIG,
    )
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    public = site / "public"
    assert "Harbour reopens" in (public / "2016/01/28/harbour-reopens/index.html").read_text("utf-8")
    assert "Ferry timetable" in (public / "2017/02/01/ferry-timetable/index.html").read_text("utf-8")
    feed = (public / "feed.xml").read_text("utf-8")
    assert "Unfinished" not in feed and "footer" not in feed.lower()
    assert not list(public.rglob("unfinished*"))


def test_a_zola_file_name_gives_the_date_and_slug(write_site, cli):
    # Zola takes a page's date and slug from YYYY-MM-DD_slug.md as from YYYY-MM-DD-slug.md
    site = write_site(
        {
            "articles/blog/2014-05-24_using-wheels.md": '+++\ntitle = "Using wheels"\n+++\nBody.\n',
            "articles/blog/2014-06-02-second-post.md": '+++\ntitle = "Second post"\n+++\nBody.\n',
        },
        config=CONFIG,
    )
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    assert "no date" not in r.err  # dated by their names, not 1970-01-01
    public = site / "public"
    assert "Using wheels" in (public / "2014/05/24/using-wheels/index.html").read_text("utf-8")
    assert "Second post" in (public / "2014/06/02/second-post/index.html").read_text("utf-8")


def test_posts_newsgen_cannot_read_are_left_out_with_a_warning(write_site, cli):
    zola = '+++\ntitle = "{}"\ndate = 2021-03-04\n+++\n{}\n'
    site = write_site(
        {
            "articles/pelican/super-article.rst": "Super article\n#############\n\n:date: 2010-12-02\n",
            "articles/_posts/2016-01-28-old.html": "---\ntitle: Old\n---\n<p>Old.</p>\n",
            # a story folder: its translation is left out, its HTML file is one of its own files
            "articles/blog/security/index.md": zola.format("Security", "In English."),
            "articles/blog/security/index.ca.md": zola.format("Seguretat", "En català."),
            "articles/blog/security/demo.html": "<p>A demo page of the story.</p>\n",
        },
        config=CONFIG,
    )
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    left = sorted(ln for ln in r.err.splitlines() if "left out" in ln)
    assert [ln.split(": warning: ")[0] for ln in left] == [
        "articles/_posts/2016-01-28-old.html",
        "articles/blog/security/index.ca.md",
        "articles/pelican/super-article.rst",
    ]
    assert "an HTML post is not read" in left[0] and "pandoc" in left[0]
    assert "a translation of index.md" in left[1]
    public = site / "public"
    assert "In English." in (public / "2021/03/04/security/index.html").read_text("utf-8")
    assert (public / "2021/03/04/security/demo.html").is_file()
    assert not [p for p in public.rglob("*") if p.is_file() and "català" in p.read_text("utf-8", "ignore")]
    run = cli("check", "--site", site)  # check says so too
    assert sum("left out" in ln for ln in run.err.splitlines()) == 3
    assert cli("build", "--site", site).err.count("left out") == 3  # every build, not only the first
    strict = cli("build", "--site", site, "--strict")
    assert strict.code == 1 and "an error with --strict" in strict.err
