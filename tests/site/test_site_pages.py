"""Site pages (pages/): their URLs, menus, where they appear and where they never do, their errors."""

from __future__ import annotations

import json
import re

from conftest import article

CONFIG = """\
title: Pages Test
base_url: https://news.example.com/
timezone: UTC
more_stories: 5
"""
AS_OF = "2025-03-02T12:00:00Z"


def page(title: str, body: str = "Page text.", **fields) -> str:
    lines = ["---", f"title: {title}", *(f"{k}: {v}" for k, v in fields.items()), "---", "", body, ""]
    return "\n".join(lines)


def _stories() -> dict[str, str]:
    return {
        f"articles/story-{i}.md": article(
            f"Story {i}", f"2025-03-01T0{i}:00:00Z", section="News", tags="[Harbour]", author="Ada Quill"
        )
        for i in range(1, 4)
    }


SITE = {
    **_stories(),
    "pages/about.md": page(
        "About us", "We are a *fictional* newsroom. [Ethics](/policies/ethics/).", menu="footer"
    ),
    "pages/contact.md": page("Contact", menu="header", description="How to reach us"),
    "pages/policies/ethics.md": page("Ethics policy", menu="footer", menu_order=-1),
    "pages/masthead/index.md": page("Masthead", menu="header", menu_order=-5),
    "pages/privacy.md": page("Privacy", slug="privacy-notice"),
}


def _build(write_site, cli, files=SITE, config=CONFIG, ok=True):
    site = write_site(files, config=config)
    r = cli("build", "--site", site, "--as-of", AS_OF, "--no-cache")
    assert (r.code == 0) == ok, r.err
    return (site / "public") if ok else r.err


def _menu(html: str, label: str) -> list[tuple[str, str]]:
    block = re.search(rf'<nav[^>]*aria-label="{label}">(.*?)</nav>', html, re.S)
    assert block, f"no menu {label!r}"
    return re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', block.group(1))


def test_each_page_is_served_at_its_slug_with_its_safe_body(write_site, cli):
    out = _build(write_site, cli)
    about = (out / "about" / "index.html").read_text("utf-8")
    assert '<h1 class="article__title">About us</h1>' in about
    assert "<em>fictional</em>" in about
    assert 'href="../policies/ethics/"' in about  # site paths in the body made relative, as in stories
    assert (out / "policies" / "ethics" / "index.html").is_file()  # nested: the path under pages/
    assert (out / "masthead" / "index.html").is_file()  # an index.md is its folder's page
    assert (out / "privacy-notice" / "index.html").is_file()  # slug: replaces the file name
    assert not (out / "privacy").exists()
    contact = (out / "contact" / "index.html").read_text("utf-8")
    assert '<meta name="description" content="How to reach us">' in contact
    data = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', contact)]
    assert data[0]["@type"] == "WebPage" and data[0]["url"] == "https://news.example.com/contact/"


def test_pages_are_in_the_sitemap_and_in_no_list_feed_or_news_sitemap(write_site, cli):
    out = _build(write_site, cli)
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    for url in ("about/", "contact/", "policies/ethics/", "masthead/", "privacy-notice/"):
        assert f"<loc>https://news.example.com/{url}</loc>" in sitemap
    pages = ("About us", "Contact", "Ethics policy", "Masthead", "Privacy")
    for name in (
        "feed.xml",
        "rss.xml",
        "feed.json",
        "news-sitemap.xml",
        "news/feed.xml",
        "tags/harbour/feed.xml",
    ):
        text = (out / name).read_text("utf-8")
        assert not any(t in text for t in pages), name
        assert "/about/" not in text and "privacy-notice" not in text, name
    story = (out / "2025" / "03" / "01" / "story-1" / "index.html").read_text("utf-8")
    more = re.search(r'<aside class="more-stories.*?</aside>', story, re.S)
    assert more and "Story 2" in more.group(0) and "About us" not in more.group(0)
    for listing in (
        "index.html",
        "news/index.html",
        "tags/harbour/index.html",
        "authors/ada-quill/index.html",
    ):
        main = re.search(r"<main.*?</main>", (out / listing).read_text("utf-8"), re.S).group(0)
        assert "Story 1" in main and not any(f">{t}<" in main for t in pages), listing


def test_menus_list_pages_in_header_and_footer_in_a_stable_order(write_site, cli):
    out = _build(write_site, cli)
    front = (out / "index.html").read_text("utf-8")
    assert _menu(front, "About this site") == [("masthead/", "Masthead"), ("contact/", "Contact")]
    assert _menu(front, "About the publisher") == [
        ("policies/ethics/", "Ethics policy"),
        ("about/", "About us"),
    ]
    ethics = (out / "policies" / "ethics" / "index.html").read_text("utf-8")
    assert ("../../about/", "About us") in _menu(ethics, "About the publisher")
    assert 'href="./" aria-current="page">Ethics policy' in ethics
    assert "Privacy" not in front  # no menu: reachable by its URL and the sitemap only


def test_a_page_with_old_urls_answers_them_with_redirects(write_site, cli):
    files = {"pages/about.md": page("About", redirect_from="[/about-us/, /who.html]")}
    out = _build(write_site, cli, files)
    assert 'content="0; url=../about/"' in (out / "about-us" / "index.html").read_text("utf-8")
    assert "/who.html /about/ 301" in (out / "_redirects").read_text("utf-8")


def test_raw_html_in_a_page_is_neutralised_like_a_story_body(write_site, cli):
    files = {"pages/about.md": page("About", "<script>alert(1)</script>\n\n[x](javascript:alert(2))")}
    html = (_build(write_site, cli, files) / "about" / "index.html").read_text("utf-8")
    assert "<script>alert" not in html and "javascript:" not in html


def test_a_page_at_an_article_or_section_url_is_an_error_naming_both(write_site, cli):
    files = {
        "articles/story.md": article("Story", "2025-03-01T09:00:00Z", section="News", permalink="/about/"),
        "pages/about.md": page("About"),
        "pages/news.md": page("News desk"),
    }
    err = _build(write_site, cli, files, ok=False)
    assert "output path about/index.html is claimed by more than one source" in err
    assert "articles/story.md" in err and "pages/about.md" in err
    assert re.search(r"output path news/index.html is claimed by more than one source: .*pages/news\.md", err)


def test_two_pages_at_one_url_are_an_error_naming_both_files(write_site, cli):
    files = {"pages/about.md": page("About"), "pages/other.md": page("Other", slug="about")}
    err = _build(write_site, cli, files, ok=False)
    assert "pages/other.md:3: /about/ is also the URL of pages/about.md" in err


def test_bad_front_matter_names_the_file_and_line(write_site, cli):
    files = {
        "pages/a.md": "Text without front matter\n",
        "pages/b.md": page("B", menu="sidebar"),
        "pages/c.md": page("C", menu_order="first"),
        "pages/d.md": "---\ntitle: [unclosed\n---\n",
    }
    err = _build(write_site, cli, files, ok=False)
    assert "pages/a.md:1:1: title: missing" in err
    assert "pages/b.md:3:7: menu: expected header or footer, got sidebar" in err
    assert "pages/c.md:3:13: menu_order: expected a whole number, got first" in err
    assert re.search(r"pages/d\.md:\d+:\d+: invalid YAML", err)


def test_a_site_without_pages_has_no_page_menus(write_site, cli):
    out = _build(write_site, cli, _stories())
    front = (out / "index.html").read_text("utf-8")
    assert "About this site" not in front and "About the publisher" not in front


def test_check_loads_pages_and_reports_their_problems(write_site, cli):
    site = write_site({**_stories(), "pages/b.md": page("B", menu="sidebar")}, config=CONFIG)
    r = cli("check", "--site", site)
    assert r.code != 0
    assert "pages/b.md:3:7: menu: expected header or footer" in r.out + r.err


def test_a_real_jekyll_about_page_builds(write_site, cli):
    """Jekyll's about.md as its new-site template writes it: layout, permalink."""
    files = {
        "pages/about.md": "---\nlayout: page\ntitle: About\npermalink: /about/\n---\n\n"
        "This is the base Jekyll theme. You can find out more info about customizing your Jekyll theme, "
        "as well as basic Jekyll usage documentation at [jekyllrb.com](https://jekyllrb.com/)\n"
    }
    out = _build(write_site, cli, files)
    html = (out / "about" / "index.html").read_text("utf-8")
    assert '<a href="https://jekyllrb.com/">jekyllrb.com</a>' in html


def test_check_reports_a_broken_link_in_a_page_at_its_line(write_site, cli):
    body = "Fine: [ethics](/policies/ethics/).\n\nBroken: [team](/our-team/)."
    site = write_site({**SITE, "pages/about.md": page("About us", body)}, config=CONFIG)
    r = cli("check", "--site", site)
    text = r.out + r.err
    assert "pages/about.md:7: link to /our-team/ points to no article or page" in text
    assert "checked 3 articles, 5 site pages: 1 error" in text
    assert "/policies/ethics/" not in text


def test_a_hugo_page_in_toml_and_a_theme_tab_page_without_a_title(write_site, cli):
    """Hugo's about page as its example site writes it (TOML, relative aliases), and a Jekyll theme's
    tab page that has no title (Chirpy's _tabs/about.md): the file name gives it, with a warning."""
    files = {
        "pages/about.md": '+++\ntitle = "About"\ndate = "2014-04-09"\naliases = ["about-us", "contact"]\n+++\n\n'
        "We build **fictional** websites.\n",
        "pages/tabs/contact-us.md": "---\nicon: fas fa-info-circle\norder: 4\n---\n## Hello\n\n"
        '<font size="3px">Raw HTML stays text.</font>\n',
    }
    site = write_site(files, config=CONFIG)
    r = cli("build", "--site", site, "--as-of", AS_OF, "--no-cache")
    assert r.code == 0, r.err
    assert (
        "pages/tabs/contact-us.md:1:1: warning: title: missing; using 'Contact us' from the file name"
        in r.err
    )
    out = site / "public"
    assert "<strong>fictional</strong>" in (out / "about" / "index.html").read_text("utf-8")
    for old in ("about-us", "contact"):
        assert 'content="0; url=../about/"' in (out / old / "index.html").read_text("utf-8")
    tab = (out / "tabs" / "contact-us" / "index.html").read_text("utf-8")
    assert '<h1 class="article__title">Contact us</h1>' in tab and "&lt;font" in tab and "<font" not in tab


def test_a_slug_cannot_climb_out_of_the_site(write_site, cli):
    out = _build(write_site, cli, {"pages/x.md": page("X", slug="../../etc/passwd")})
    assert (out / "etc" / "passwd" / "index.html").is_file()


def test_the_preview_server_watches_the_pages_folder(write_site):
    from newsgen import load_config
    from newsgen.commands.serve.watch import watched_paths

    site = write_site(config=CONFIG + "paths:\n  pages: about-pages\n")
    config, _ = load_config(site)
    assert site / "about-pages" in watched_paths(site, config)[0]
    assert site / "pages" in watched_paths(site, None)[0]


def test_a_page_embeds_a_video_as_a_story_does(write_site, cli):
    """A service URL alone in a site page's paragraph becomes the same click-to-load facade as in a
    story (with the player script after it); with embeds off it stays a plain link to the original."""
    files = {**_stories(), "pages/watch.md": page("Watch", "https://www.youtube.com/watch?v=EXAMPLEvid1")}
    html = (_build(write_site, cli, files) / "watch" / "index.html").read_text("utf-8")
    assert '<figure class="embed ' in html and "js/embeds.js" in html
    assert "https://www.youtube.com/watch?v=EXAMPLEvid1" in html
    off = _build(write_site, cli, files, config=CONFIG + "embeds: false\n")
    plain = (off / "watch" / "index.html").read_text("utf-8")
    assert "<figure" not in plain and "js/embeds.js" not in plain


def test_a_missing_image_in_a_page_stops_the_build_as_check_says(write_site, cli):
    """The Masthead's team photo that names no file: `check` reports it, and the build, which stops on a
    story's missing image, stops on a page's too instead of publishing a broken picture."""
    body = "Our editors.\n\n![The editors](/images/editors.jpg)\n"
    site = write_site({**_stories(), "pages/masthead.md": page("Masthead", body)}, config=CONFIG)
    r = cli("check", "--site", site, "--as-of", AS_OF)
    assert r.code == 1 and "pages/masthead.md:7: missing asset: image /images/editors.jpg" in r.out + r.err
    r = cli("build", "--site", site, "--as-of", AS_OF)
    assert r.code == 1 and not (site / "public").exists()
    assert "pages/masthead.md:7: image /images/editors.jpg is missing" in r.err


def test_a_page_whose_permalink_clashes_is_named_with_that_line(write_site, cli):
    # a Jekyll page moved in with its permalink: / url: (Hugo) / path: (Zola)
    for key in ("permalink", "url", "path"):
        files = {"pages/about.md": page("About"), "pages/team.md": page("Team", note="x", **{key: "/about/"})}
        err = _build(write_site, cli, files, ok=False)
        assert "pages/team.md:4: /about/ is also the URL of pages/about.md" in err, (key, err)
