"""``newsgen import wordpress``: a WordPress export (WXR) becomes a site that builds.

The exports are written here and in ``wxr/newsroom.xml`` from WordPress's documented
WXR format; every name and story in them is fictional.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from conftest import tree_digest
from newsgen.content.sources import split_front_matter

NEWSROOM = Path(__file__).parent / "wxr" / "newsroom.xml"


def front(path: Path) -> tuple[dict, str]:
    fm, _, body, _ = split_front_matter(path.read_text("utf-8"), path.name)
    return yaml.safe_load(fm), body


def wxr(items: str, version: str = "1.2", scheme: str = "http", prolog: str = "") -> str:
    ns = f"{scheme}://wordpress.org/export/{version}/"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<rss version="2.0" xmlns:excerpt="{ns}excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">\n'
        "<channel><title>Fictional Test Wire</title><link>https://wire.example.org</link>\n"
        f"<wp:wxr_version>{version}</wp:wxr_version>\n{items}\n</channel></rss>\n"
    )


def item(post_id: int, title: str = "A story", body: str = "<p>Text.</p>", **wp: str) -> str:
    fields = {
        "post_date": "2020-01-30 10:00:00",
        "post_date_gmt": "2020-01-30 09:00:00",
        "post_name": f"story-{post_id}",
        "status": "publish",
        "post_type": "post",
        "post_parent": "0",
    } | wp
    tags = "".join(f"<wp:{k}>{v}</wp:{k}>" for k, v in fields.items())
    return (
        f"<item><title>{title}</title><link>https://wire.example.org/old/{fields['post_name']}/</link>"
        f"<dc:creator>ed</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>{tags}</item>"
    )


@pytest.fixture
def imported(tmp_path, cli):
    site = tmp_path / "site"
    r = cli("import", "wordpress", NEWSROOM, "--site", site)
    assert r.code == 0, r.err
    return site, r


def test_posts_drafts_and_scheduled_become_articles_and_pages_site_pages(imported):
    site, r = imported
    files = sorted(p.relative_to(site).as_posix() for p in (site / "articles").rglob("*.md"))
    assert files == [
        "articles/wordpress/2019-05-14-city-council-vote.md",
        "articles/wordpress/2019-06-01-日本-cafe.md",
        "articles/wordpress/2019-06-02-a-draft-about-the-harbour.md",
        "articles/wordpress/2099-07-01-regatta.md",
    ]  # no private post, attachment or menu item
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("pages/**/*.md")) == ["pages/about.md"]
    meta, _ = front(site / "articles/wordpress/2019-05-14-city-council-vote.md")
    assert meta["title"] == "Council votes on tram line"
    assert meta["date"].isoformat() == "2019-05-14T16:30:00+00:00"  # post_date_gmt
    assert meta["updated"].isoformat() == "2019-05-15T09:00:00+00:00"
    assert meta["slug"] == "city-council-vote"
    assert meta["author"] == "Amara Diallo"  # the display name, not the login
    assert meta["section"] == "Politics"
    assert meta["tags"] == ["Trams", "Council"]
    assert meta["summary"] == "Seven councillors backed the line."
    assert meta["image"] == "https://gazette.example.com/wp-content/uploads/2019/05/tram.jpg"
    assert meta["image_alt"] == "A tram at the depot"
    assert meta["image_caption"] == "The depot in spring"
    # its old address, and the address it had under an earlier slug (WordPress answers both)
    assert meta["redirect_from"] == ["/2019/05/city-council-vote/", "/2019/05/council-vote-draft-title/"]
    assert meta["wordpress_id"] == 101
    assert "draft" not in meta
    draft, _ = front(site / "articles/wordpress/2019-06-02-a-draft-about-the-harbour.md")
    assert draft["draft"] is True and "redirect_from" not in draft  # its link was ?p=103
    scheduled, _ = front(site / "articles/wordpress/2099-07-01-regatta.md")
    assert scheduled["date"].isoformat() == "2099-07-01T11:00:00+00:00" and "draft" not in scheduled
    page, _ = front(site / "pages/about.md")
    assert page == {"title": "About us", "wordpress_id": 106, "wordpress_type": "page"}  # at its old URL
    unicode, _ = front(site / "articles/wordpress/2019-06-01-日本-cafe.md")
    assert unicode["title"] == "Ünïcödé: café & “quotes” — 日本語 😀"
    assert unicode["author"] == "José Núñez-Ørsted"
    authors = yaml.safe_load((site / "authors.yaml").read_text("utf-8"))
    assert authors == {
        "Amara Diallo": {"bio": "Covers the harbour and the council. (A fictional reporter.)"},
        "José Núñez-Ørsted": None,
    }
    assert "newsroom.xml:134: warning: post 105 'Private memo': left out: it is private" in r.err
    assert "4 posts" in r.out and "1 pages" in r.out and "1 drafts" in r.out and "1 scheduled" in r.out


def test_bodies_become_markdown_and_shortcodes_are_handled_or_reported(imported):
    site, r = imported
    _, body = front(site / "articles/wordpress/2019-05-14-city-council-vote.md")
    assert "wp:" not in body  # block comments dropped
    # a link to an imported page or post points at its newsgen URL
    assert "The council voted **7 to 2** for the tram line. See [about us](/about/)." in body
    assert "## What happens next" in body
    assert (
        "![A tram at the depot](https://gazette.example.com/wp-content/uploads/2019/05/tram.jpg)\n\n*The depot in spring*"
        in body
    )
    assert "[caption" not in body and "[gallery" not in body and "[embed" not in body
    assert "<https://video.example.com/watch?v=abc123>" in body
    assert "The CDATA trick: ]]> stays in the text." in body  # "]]>" split across two CDATA sections
    assert (
        "newsroom.xml:26: warning: post 101 'Council votes on tram line': [contact-form-7] shortcode" in r.err
    )
    assert "[gallery]: 1 of its images are not in the export" in r.err
    assert "1 images and files of the articles are under /wp-content/uploads/" in r.err
    _, classic = front(site / "articles/wordpress/2019-06-01-日本-cafe.md")
    assert "A classic-editor post with no paragraph tags.\n\nSecond paragraph" in classic  # wpautop
    assert "a line  \nbreak" in classic  # a single newline is a line break
    assert "\\*stars\\*" in classic  # literal asterisks stay literal
    assert "alert(1)" not in classic  # <script> dropped with its text
    assert "[sic] and [1]" in classic and "[sic]" not in r.err  # bracketed prose is not a shortcode


def test_the_imported_site_builds_with_one_page_per_published_post(imported, cli):
    site, _ = imported
    (site / "newsgen.yaml").write_text(
        (site / "newsgen.yaml")
        .read_text("utf-8")
        .replace("https://gazette.example.com/", "https://news.example.com/")
    )
    r = cli("build", "--site", site, "--as-of", "2025-01-01T00:00Z")
    assert r.code == 0, r.err
    assert "error" not in r.err
    pub = site / "public"
    for url in ("2019/05/14/city-council-vote", "2019/06/01/日本-cafe", "about"):
        assert (pub / url / "index.html").is_file(), url
    assert not list(pub.rglob("*regatta*")) and not list(pub.rglob("*harbour*"))  # scheduled, draft
    html = (pub / "2019/05/14/city-council-vote/index.html").read_text("utf-8")
    assert "<strong>7 to 2</strong>" in html and "The depot in spring" in html
    unicode = (pub / "2019/06/01/日本-cafe/index.html").read_text("utf-8")
    assert "javascript:" not in unicode


def test_importing_again_updates_the_same_files_and_never_duplicates(imported, cli, tmp_path):
    site, _ = imported
    before = tree_digest(site)
    r = cli("import", "wordpress", NEWSROOM, "--site", site)
    assert r.code == 0 and "5 unchanged" in r.out
    assert tree_digest(site) == before
    # the newsroom moved one file and the export changed: its title and slug
    moved = site / "articles/kept/vote.md"
    moved.parent.mkdir()
    os.rename(site / "articles/wordpress/2019-05-14-city-council-vote.md", moved)
    changed = tmp_path / "changed.xml"
    changed.write_text(
        NEWSROOM.read_text("utf-8")
        .replace("Council votes on tram line", "Council approves tram line")
        .replace("<![CDATA[city-council-vote]]>", "<![CDATA[council-approves]]>"),
        "utf-8",
    )
    r = cli("import", "wordpress", changed, "--site", site)
    assert r.code == 0, r.err
    assert "2 updated" in r.out and "3 unchanged" in r.out  # the post, and the draft that links to it
    assert front(moved)[0]["title"] == "Council approves tram line"
    _, draft = front(site / "articles/wordpress/2019-06-02-a-draft-about-the-harbour.md")
    assert "(/2019/05/14/council-approves/#vote)" in draft
    assert len(list((site / "articles").rglob("*.md"))) == 4 and (site / "pages/about.md").is_file()


def test_a_file_the_importer_did_not_write_is_kept_unless_forced(tmp_path, cli):
    site = tmp_path / "site"
    mine = site / "articles/wordpress/2019-05-14-city-council-vote.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: Written by hand\n---\n\nMine.\n", "utf-8")
    r = cli("import", "wordpress", NEWSROOM, "--site", site)
    assert r.code == 1
    assert (
        "articles/wordpress/2019-05-14-city-council-vote.md:1: exists and was not written by the importer"
        in r.err
    )
    assert mine.read_text("utf-8").startswith("---\ntitle: Written by hand")
    assert not (site / "pages").exists()  # nothing written when anything is refused
    r = cli("import", "wordpress", NEWSROOM, "--site", site, "--force")
    assert r.code == 0, r.err
    assert front(mine)[0]["wordpress_id"] == 101


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_wxr_version_and_namespace_spelling(tmp_path, cli, version, scheme):
    export = tmp_path / "export.xml"
    export.write_text(wxr(item(7, "Tide tables", "<p>High water at noon.</p>"), version, scheme), "utf-8")
    r = cli("import", "wordpress", export, "--site", tmp_path / "site")
    assert r.code == 0, r.err
    assert f"WXR {version}" in r.out
    meta, body = front(tmp_path / "site/articles/wordpress/2020-01-30-story-7.md")
    assert meta["title"] == "Tide tables" and body.strip() == "High water at noon."


BILLION_LAUGHS = """<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
"""
XXE = '<!DOCTYPE item [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n'


@pytest.mark.parametrize(
    "prolog,body", [(BILLION_LAUGHS, "&lol3;"), (XXE, "&secret;")], ids=["laughs", "xxe"]
)
def test_entity_bombs_and_external_entities_are_refused(tmp_path, cli, prolog, body):
    export = tmp_path / "evil.xml"
    export.write_text(
        wxr(item(1, "Evil", "x").replace("<title>Evil</title>", f"<title>{body}</title>"), prolog=prolog)
    )
    r = cli("import", "wordpress", export, "--site", tmp_path / "site")
    assert r.code == 1
    assert "evil.xml:2:" in r.err and "refused: the file declares a document type or entities" in r.err
    assert "Traceback" not in r.err and "root:" not in r.err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "text,expected",
    [
        (wxr(item(1)).replace("</channel>", "</chanel>"), "bad.xml:6:3: not well-formed XML: mismatched tag"),
        (
            '<?xml version="1.0"?>\n<rss><channel><title>Plain RSS</title></channel></rss>',
            "not a WordPress export",
        ),
        (wxr(item(1), version="2.0"), "WordPress export version 2.0 is not supported"),
        (
            wxr(item(1)).replace("<wp:post_id>1</wp:post_id>", "<wp:post_id>x</wp:post_id>"),
            "item post_id 'x' is not a number",
        ),
        (wxr(item(1, post_date_gmt="2020-13-45 99:00:00")), "bad.xml:5: post 1: post_date_gmt"),
    ],
    ids=["malformed", "plain-rss", "version", "post-id", "date"],
)
def test_bad_exports_are_clear_errors(tmp_path, cli, text, expected):
    export = tmp_path / "bad.xml"
    export.write_text(text, "utf-8")
    r = cli("import", "wordpress", export, "--site", tmp_path / "site")
    assert r.code == 1
    assert expected in r.err
    assert "Traceback" not in r.err
    assert not (tmp_path / "site").exists()  # nothing written


def test_never_writes_outside_the_site(tmp_path, cli):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "articles/wordpress").symlink_to(outside)
    export = tmp_path / "export.xml"
    export.write_text(wxr(item(1)), "utf-8")
    r = cli("import", "wordpress", export, "--site", site)
    assert r.code == 1 and "leads outside the site folder" in r.err
    assert list(outside.iterdir()) == []


def test_gallery_without_ids_shows_the_posts_attachments_and_pre_keeps_blank_lines(tmp_path, cli):
    photo = item(9, "photo", "", post_type="attachment", post_parent="5", status="inherit").replace(
        "</item>", "<wp:attachment_url>https://wire.example.org/a.jpg</wp:attachment_url></item>"
    )
    body = 'Intro\n\n[gallery]\n\n<pre>line one\n\nline three</pre>\n\n[video mp4="https://wire.example.org/v.mp4"][/video]'
    export = tmp_path / "export.xml"
    export.write_text(wxr(item(5, "Photos", body) + photo), "utf-8")
    r = cli("import", "wordpress", export, "--site", tmp_path / "site")
    assert r.code == 0, r.err
    _, md = front(tmp_path / "site/articles/wordpress/2020-01-30-story-5.md")
    assert "![](https://wire.example.org/a.jpg)" in md
    assert "line one\n\nline three" in md
    assert "[Video: https://wire.example.org/v.mp4](https://wire.example.org/v.mp4)" in md


def test_help_shows_examples(cli):
    r = cli("import", "--help")
    assert r.code == 0
    assert "newsgen import wordpress export.xml --site mysite" in r.out


def test_links_by_post_id_point_at_the_new_url(imported):
    site, _ = imported
    _, body = front(site / "articles/wordpress/2019-06-02-a-draft-about-the-harbour.md")
    assert "[the vote](/2019/05/14/city-council-vote/#vote)" in body


def test_classic_text_around_lists_and_code_keeps_its_shape(tmp_path, cli):
    # the shape of a real WordPress.com post: text, a list and <pre> with no blank line between
    body = 'Steps:\n<ul>\n\t<li>Install:</li>\n</ul>\n<pre style="x">$ apt-get install a \\\nb\n\nmysql&gt; use db;</pre>\nDone.'
    export = tmp_path / "export.xml"
    export.write_text(wxr(item(4, "Howto", body)), "utf-8")
    assert cli("import", "wordpress", export, "--site", tmp_path / "site").code == 0
    _, md = front(tmp_path / "site/articles/wordpress/2020-01-30-story-4.md")
    assert (
        md.lstrip("\n")
        == "Steps:\n\n- Install:\n\n```\n$ apt-get install a \\\nb\n\nmysql> use db;\n```\n\nDone.\n"
    )


def test_two_posts_with_one_slug_get_two_urls(tmp_path, cli):
    # two unsaved drafts with the same title have no post_name: both slugs come from the title
    drafts = item(21, "Same title", post_name="", status="draft") + item(
        22, "Same title", post_name="", status="draft"
    )
    export = tmp_path / "export.xml"
    export.write_text(wxr(drafts), "utf-8")
    r = cli("import", "wordpress", export, "--site", tmp_path / "site")
    assert r.code == 0, r.err
    assert "post 22 'Same title': its slug is another post's too; imported as 'same-title-22'" in r.err
    slugs = sorted(front(p)[0]["slug"] for p in (tmp_path / "site/articles").rglob("*.md"))
    assert slugs == ["same-title", "same-title-22"]
    assert cli("build", "--site", tmp_path / "site", "--drafts", "--output", tmp_path / "out").code == 0


def test_elements_in_a_redefined_namespace_are_not_wordpress_fields(tmp_path, cli):
    fake = (
        '<wp:postmeta xmlns:wp="http://example.com/fake/"><wp:meta_key>_thumbnail_id</wp:meta_key>'
        "<wp:meta_value>9</wp:meta_value></wp:postmeta>"
    )
    old_term = '<wp:term xmlns:wp="http://wordpress.org/export/1.0/"><wp:term_id>1</wp:term_id></wp:term>'
    export = tmp_path / "export.xml"
    export.write_text(wxr(old_term + item(3, "Plain").replace("</item>", fake + "</item>")), "utf-8")
    r = cli("import", "wordpress", export, "--site", tmp_path / "site")
    assert r.code == 0, r.err
    assert "WXR 1.2" in r.out  # <wp:wxr_version>, not the namespace of one stray element
    meta, _ = front(tmp_path / "site/articles/wordpress/2020-01-30-story-3.md")
    assert "image" not in meta and "featured image" not in r.err


def test_every_old_wordpress_address_answers_with_a_redirect_to_the_new_url(imported, cli):
    """The importer's redirect_from and the loader's redirect pages together: the blog's old links keep working."""
    site, _ = imported
    r = cli(
        "build", "--site", site, "--as-of", "2025-01-01T00:00Z", "--base-url", "https://news.example.com/"
    )
    assert r.code == 0, r.err
    pub = site / "public"
    old_paths = []
    for md in (site / "articles").rglob("*.md"):
        meta = yaml.safe_load(md.read_text("utf-8").split("---")[1])
        published = str(meta["date"])[:4] <= "2025"  # the scheduled post is not public yet, nor its old URL
        if not meta.get("draft") and published:
            old_paths += meta.get("redirect_from", [])
    assert "/2019/05/city-council-vote/" in old_paths
    for old in old_paths:
        page = pub / old.strip("/") / "index.html"
        assert page.is_file(), old
        html = page.read_text("utf-8")
        assert 'http-equiv="refresh"' in html and 'rel="canonical"' in html, old
    assert "/2019/05/city-council-vote/ " in (pub / "_redirects").read_text("utf-8")


@pytest.mark.parametrize(
    ("link", "path", "redirects"),
    [
        ("https://gazette.example.com/company/team/", "pages/company/team.md", None),  # a child page
        ("https://gazette.example.com/About_Us.html", "pages/about.md", ["/About_Us.html"]),
        ("https://gazette.example.com/?page_id=106", "pages/about.md", None),
    ],
)
def test_a_page_keeps_its_wordpress_address_or_redirects_from_it(tmp_path, cli, link, path, redirects):
    export = tmp_path / "export.xml"
    export.write_text(
        NEWSROOM.read_text("utf-8").replace(
            "<link>https://gazette.example.com/about/</link>", f"<link>{link}</link>"
        ),
        "utf-8",
    )
    site = tmp_path / "site"
    assert cli("import", "wordpress", export, "--site", site).code == 0
    meta, body = front(site / path)
    assert meta.get("redirect_from") == redirects and "We are a fictional newsroom." in body
    r = cli("build", "--site", site, "--as-of", "2025-01-01T00:00Z")
    assert r.code == 0, r.err
    url = "/" + path.removeprefix("pages/").removesuffix(".md") + "/"
    sitemap = (site / "public/sitemap.xml").read_text("utf-8")
    assert f"https://gazette.example.com{url}</loc>" in sitemap
    for old in redirects or []:
        assert 'http-equiv="refresh"' in (site / "public" / old.strip("/")).read_text("utf-8")


def test_a_page_an_earlier_import_made_an_article_is_moved_to_pages(imported, cli):
    site, _ = imported
    old = site / "articles/wordpress/pages/about.md"
    old.parent.mkdir()
    os.rename(site / "pages/about.md", old)
    r = cli("import", "wordpress", NEWSROOM, "--site", site)
    assert r.code == 0, r.err
    assert not old.exists() and front(site / "pages/about.md")[0]["wordpress_id"] == 106
    assert "1 moved to pages/" in r.out
