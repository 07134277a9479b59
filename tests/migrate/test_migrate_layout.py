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
