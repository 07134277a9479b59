"""Old URLs keep working: redirect pages, _redirects, collisions and the sitemaps."""

from __future__ import annotations

from linkcheck import broken_links

CONFIG = """\
title: Fictional Gazette
base_url: https://news.example/local/
redirects:
  /old/section/: /2020/01/30/harbour-dredging/
  /gone.html: https://archive.example/gone
"""

ZOLA = """+++
title = "Harbour dredging starts"
date = 2020-01-30T08:00:00+01:00
path = "2020/01/30/harbour-dredging"
aliases = ["/old/harbour/", "/2019/05/caf%C3%A9/"]
+++
Dredgers arrived. (Fictional sample.)
"""

JEKYLL = """---
title: Council meets
date: '2015-03-17 14:00:00 -4'
redirect_from:
  - /council.html
---
Body.
"""


def build(write_site, cli, files, config=CONFIG):
    site = write_site(files, config=config)
    r = cli("build", "--site", site)
    return site, r


def test_every_old_path_answers_with_a_redirect_page(write_site, cli):
    site, r = build(write_site, cli, {"articles/harbour.md": ZOLA, "articles/2015-03-17-council.md": JEKYLL})
    assert r.code == 0, r.err
    out = site / "public"
    assert (out / "2020/01/30/harbour-dredging/index.html").is_file()
    page = (out / "old/harbour/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../2020/01/30/harbour-dredging/">' in page
    assert '<link rel="canonical" href="https://news.example/local/2020/01/30/harbour-dredging/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert '<a href="../../2020/01/30/harbour-dredging/">Harbour dredging starts</a>' in page
    assert (out / "2019/05/café/index.html").is_file()
    assert (out / "council.html").is_file()
    assert (out / "old/section/index.html").is_file()
    assert "https://archive.example/gone" in (out / "gone.html").read_text("utf-8")
    # 404.html links from the base path, which the checker reads as the site root
    assert [b for b in broken_links(out) if not b.startswith("404.html")] == []


def test_host_redirects_file_lists_every_old_path_under_the_base_path(write_site, cli):
    site, r = build(write_site, cli, {"articles/harbour.md": ZOLA, "articles/2015-03-17-council.md": JEKYLL})
    assert r.code == 0, r.err
    lines = (site / "public/_redirects").read_text("utf-8").splitlines()[1:]
    assert lines == [
        "/local/2019/05/caf%C3%A9/ /local/2020/01/30/harbour-dredging/ 301",
        "/local/council.html /local/2015/03/17/council/ 301",
        "/local/gone.html https://archive.example/gone 301",
        "/local/old/harbour/ /local/2020/01/30/harbour-dredging/ 301",
        "/local/old/section/ /local/2020/01/30/harbour-dredging/ 301",
    ]


def test_site_static_redirects_file_wins(write_site, cli):
    site, r = build(write_site, cli, {"articles/harbour.md": ZOLA, "static/_redirects": "/a /b 301\n"})
    assert r.code == 0, r.err
    assert (site / "public/_redirects").read_text("utf-8") == "/a /b 301\n"
    assert (site / "public/old/harbour/index.html").is_file()


def test_redirect_pages_stay_out_of_sitemaps_and_feeds(write_site, cli):
    site, r = build(write_site, cli, {"articles/harbour.md": ZOLA})
    assert r.code == 0, r.err
    out = site / "public"
    for name in ("sitemap.xml", "feed.xml", "rss.xml", "feed.json"):
        text = (out / name).read_text("utf-8")
        assert "old/harbour" not in text and "old/section" not in text, name
        assert "harbour-dredging" in text, name


def test_alias_that_is_a_real_page_is_an_error_naming_both(write_site, cli):
    other = "---\ntitle: Other\ndate: 2021-01-01\nredirect_from: [/2020/01/30/harbour-dredging/]\n---\nB\n"
    site, r = build(write_site, cli, {"articles/harbour.md": ZOLA, "articles/other.md": other})
    assert r.code != 0
    assert "articles/harbour.md:4: output path 2020/01/30/harbour-dredging/index.html" in r.err
    assert "articles/other.md:4 (redirect_from /2020/01/30/harbour-dredging/)" in r.err
    assert not (site / "public").exists()


def test_two_articles_claiming_one_old_path_is_an_error_naming_both(write_site, cli):
    a = "---\ntitle: A\ndate: 2021-01-01\naliases: [/old/]\n---\nB\n"
    b = "---\ntitle: B\ndate: 2021-01-02\nredirect_from: /old/\n---\nB\n"
    _, r = build(write_site, cli, {"articles/a.md": a, "articles/b.md": b})
    assert r.code != 0
    assert "articles/a.md:4 (aliases /old/)" in r.err and "articles/b.md:4 (redirect_from /old/)" in r.err


def test_redirects_setting_errors_name_the_line(write_site, cli):
    config = "title: T\nredirects:\n  /../etc/: /x/\n"
    _, r = build(write_site, cli, {"articles/harbour.md": ZOLA}, config=config)
    assert r.code != 0
    assert "newsgen.yaml:3:" in r.err and "'..' segment" in r.err


def test_a_redirect_to_no_page_of_the_site_is_a_warning_with_its_line(write_site, cli):
    config = CONFIG + "  /moved/report/: /2020/01/30/harbour-dredgign/\n  /logo.png: /images/logo.png\n"
    files = {"articles/harbour.md": ZOLA, "static/images/logo.png": b"\x89PNG fictional"}
    site, r = build(write_site, cli, files, config=config)
    assert r.code == 0, r.err
    found = [ln for ln in r.err.splitlines() if "no page or file of this site" in ln]
    assert found == [
        "newsgen.yaml:6: warning: redirects: /moved/report/ points to /2020/01/30/harbour-dredgign/, "
        "which is no page or file of this site; readers sent there find the 404 page"
    ]  # a typo is caught; /old/section/ (a story) and /logo.png (a static file) are fine
    assert cli("check", "--site", site).err.count("no page or file of this site") == 1
    assert cli("build", "--site", site, "--strict").code == 1
