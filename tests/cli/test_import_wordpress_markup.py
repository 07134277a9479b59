"""``newsgen import wordpress``: HTML in bodies and titles becomes what the reader saw in WordPress."""

from __future__ import annotations

import re

from test_import_wordpress import front, item, wxr


def imported_page(tmp_path, cli, export_text: str) -> str:
    """Import ``export_text``, build, and return the HTML of post 1 (``/2020/01/30/story-1/``)."""
    export = tmp_path / "export.xml"
    export.write_text(export_text, "utf-8")
    site = tmp_path / "site"
    r = cli("import", "wordpress", export, "--site", site)
    assert r.code == 0, r.err
    r = cli("build", "--site", site, "--as-of", "2025-01-01T00:00Z")
    assert r.code == 0, r.err
    return (site / "public/2020/01/30/story-1/index.html").read_text("utf-8")


def test_a_pipe_in_a_table_cell_stays_in_its_cell(tmp_path, cli):
    """WordPress's theme unit test table of symbols: a ``|`` cell and a backslash cell."""
    head = "".join(f"<th>{h}</th>" for h in ("open", "backslash", "close", "pipe", "brace", "both", "link"))
    link = '<a href="https://example.org/find?q=a|b">a|b</a>'
    cells = "".join(f"<td>{c}</td>" for c in ("[", "\\", "]", "|", "{", "\\|", link))
    html = imported_page(
        tmp_path, cli, wxr(item(1, "Symbols", f"<table><tr>{head}</tr><tr>{cells}</tr></table>"))
    )
    row = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r"<td>(.*?)</td>", row) == [
        "[",
        "\\",
        "]",
        "|",
        "{",
        "\\|",
        '<a href="https://example.org/find?q=a%7Cb">a|b</a>',
    ]


def test_html_in_a_title_becomes_its_plain_text(tmp_path, cli):
    """WordPress titles are HTML: the reader saw the words, not the tags or the character references."""
    titles = {
        1: "<![CDATA[Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>]]>",
        2: "<![CDATA[Fish &amp; Chips&#8217; day: 1 < 2, &lt;b&gt; is a tag]]>",
    }
    items = "".join(item(n, title) for n, title in titles.items())
    html = imported_page(tmp_path, cli, wxr(items))
    assert ">Markup: Title With Markup</h1>" in html
    site = tmp_path / "site"
    assert front(site / "articles/wordpress/2020-01-30-story-1.md")[0]["title"] == "Markup: Title With Markup"
    second = front(site / "articles/wordpress/2020-01-30-story-2.md")[0]["title"]
    assert second == "Fish & Chips\u2019 day: 1 < 2, <b> is a tag"
    page = (site / "public/2020/01/30/story-2/index.html").read_text("utf-8")
    assert ">Fish &amp; Chips\u2019 day: 1 &lt; 2, &lt;b&gt; is a tag</h1>" in page


def test_a_link_in_an_image_caption_is_kept(tmp_path, cli):
    """From WordPress's theme unit test: the caption follows the image (in its own link or not)."""
    img = '<img src="https://wire.example.org/wp-content/uploads/a.jpg" alt="A" width="580" height="300" />'
    body = (
        f'[caption id="attachment_906" align="aligncenter" width="580"]{img} Look at 580x300 getting some '
        '<a title="Image Settings" href="https://en.support.wordpress.com/images/image-settings/">caption</a> '
        'love.[/caption]\n\n[caption id="attachment_754" width="580"]<a href="https://example.org/big.jpg">'
        f'{img}</a> Bell on <a href="https://example.org/wharf">wharf</a>[/caption]'
    )
    html = imported_page(tmp_path, cli, wxr(item(1, "Captions", body)))
    captions = [re.sub(r"\s+", " ", c) for c in re.findall(r"<p><em>(.*?)</em></p>", html, re.S)]
    assert captions == [
        'Look at 580x300 getting some <a href="https://en.support.wordpress.com/images/image-settings/" '
        'title="Image Settings">caption</a> love.',
        'Bell on <a href="https://example.org/wharf">wharf</a>',
    ]
    assert re.search(r'<a href="https://example.org/big.jpg"><img [^>]*alt="A"', html)  # the picture's link


def test_the_blogs_language_and_tagline_become_the_new_sites(tmp_path, cli):
    """wp2hugo's German test export and blog.hu's: <language> de-DE, a tagline in <description>."""
    text = wxr(item(1)).replace(
        "<link>https://wire.example.org</link>",
        "<link>https://wire.example.org</link><description>Nachrichten aus dem Hafen</description>"
        "<language>de-DE</language>",
    )
    html = imported_page(tmp_path, cli, text)
    assert '<html lang="de-DE"' in html
    settings = (tmp_path / "site/newsgen.yaml").read_text("utf-8")
    assert 'description: "Nachrichten aus dem Hafen"' in settings and "language: de-DE" in settings
    export = tmp_path / "odd.xml"  # a language newsgen cannot take is left at the default
    export.write_text(wxr(item(1)).replace("</link>", "</link><language>en US; x</language>", 1), "utf-8")
    assert cli("import", "wordpress", export, "--site", tmp_path / "odd").code == 0
    assert "language: en\n" in (tmp_path / "odd/newsgen.yaml").read_text("utf-8")


def test_category_and_tag_names_are_the_text_readers_saw(tmp_path, cli):
    """WordPress keeps a term's name escaped and exports it so: <![CDATA[Apps &amp; Games]]>."""
    terms = (
        '<category domain="category" nicename="apps-games"><![CDATA[Apps &amp; Games]]></category>'
        '<category domain="post_tag" nicename="q-a"><![CDATA[Q&amp;A]]></category>'
        '<category domain="post_tag" nicename="rd"><![CDATA[R&D]]></category>'
        '<category domain="tag" nicename="port"><![CDATA[Port]]></category>'  # blog.hu's exports
    )
    text = wxr(item(1).replace("<dc:creator>", terms + "<dc:creator>"))
    html = imported_page(tmp_path, cli, text)
    fm, _ = front(tmp_path / "site/articles/wordpress/2020-01-30-story-1.md")
    assert fm["section"] == "Apps & Games" and fm["tags"] == ["Q&A", "R&D", "Port"]
    assert "Apps &amp; Games" in html and "&amp;amp;" not in html


def test_a_published_post_without_a_date_is_named_in_a_note(tmp_path, cli):
    """wordpress-importer's cdata-edge.xml: a published post whose dates are all zeros."""
    zero = "0000-00-00 00:00:00"
    export = tmp_path / "export.xml"
    export.write_text(wxr(item(1, post_date=zero, post_date_gmt=zero) + item(2, "Dated")), "utf-8")
    r = cli("import", "wordpress", export, "--site", tmp_path / "site")
    assert r.code == 0, r.err
    notes = [ln for ln in r.err.splitlines() if "has no date" in ln]
    assert len(notes) == 1 and "post 1 " in notes[0] and "default_date" in notes[0]
    fm, _ = front(tmp_path / "site/articles/wordpress/story-1.md")
    assert "date" not in fm
