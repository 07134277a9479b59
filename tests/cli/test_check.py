"""``newsgen check``: each finding with path:line, exit codes, --strict, and built-site links."""

from __future__ import annotations

import re

from conftest import article, tree_digest
from photo_files import photo

GOOD = article("A good story", "2025-03-01T09:00:00Z", summary="A sentence about it.")
# else check warns that links point at localhost, and that stories without a photo have no image
BASE_URL = "base_url: https://news.example/\nsocial:\n  image: https://news.example/share.jpg\n"


def _lines(run):
    return [ln for ln in run.err.splitlines() if ln.startswith(("articles/", "public/"))]


def test_clean_site_passes_and_writes_nothing(write_site, cli):
    site = write_site({"articles/good.md": GOOD}, config=BASE_URL)
    before = tree_digest(site)
    run = cli("check", "--site", site)
    assert run.code == 0, run.err
    assert "checked 1 article: 0 errors, 0 warnings" in run.out
    assert tree_digest(site) == before
    assert not (site / "public").exists()


def test_the_default_base_url_is_a_warning(write_site, cli):
    site = write_site({"articles/good.md": GOOD}, config="title: T\nsocial:\n  image: /favicon.svg\n")
    run = cli("check", "--site", site)
    assert run.code == 0, run.err
    assert "newsgen.yaml: warning: base_url is not set" in run.err
    assert "checked 1 article: 0 errors, 1 warning" in run.out
    run = cli("check", "--site", site, "--strict")
    assert run.code == 1 and "newsgen.yaml: base_url is not set" in run.err


def test_a_site_without_a_default_photo_is_a_warning(write_site, cli):
    pictured = article("B", summary="s", image="/favicon.svg", image_alt="A drawing")
    site = write_site(
        {"articles/good.md": GOOD, "articles/b.md": pictured}, config="base_url: https://news.example/\n"
    )
    run = cli("check", "--site", site)
    assert run.code == 0, run.err
    assert "newsgen.yaml: warning: social.image is not set: stories without a photo" in run.err


def test_check_reports_a_bad_photo_with_the_article_line(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article("A", summary="s", image="/images/cut.jpg", image_alt="x"),
            "static/images/cut.jpg": photo(400, 300)[:600],
        },
        config=BASE_URL,
    )
    run = cli("check", "--site", site)
    assert run.code == 1
    assert "articles/a.md:5: image /images/cut.jpg: the image is damaged or truncated" in run.err


def test_each_warning_names_its_line(write_site, cli):
    long_title = "Harbour " * 15  # 120 characters
    site = write_site(
        {
            "articles/long.md": article(long_title.strip(), summary="s"),
            "articles/nosummary.md": article("No summary here"),
            "articles/noalt.md": article("Lead image without alt", summary="s", image="/favicon.svg"),
            "articles/bodyimg.md": article("Body image", summary="s", body="Intro.\n\n![](/favicon.svg)\n"),
            "articles/byline.md": article("Unknown byline", summary="s", author="Nobody Known"),
            "authors.yaml": "Someone Else:\n  bio: Fictional reporter.\n",
        },
        config=BASE_URL,
    )
    run = cli("check", "--site", site)
    assert run.code == 0, run.err  # warnings only
    err = run.err
    assert "articles/long.md:2: warning: headline is 119 characters, over 110" in err
    assert "articles/nosummary.md:1: warning: no summary" in err
    assert "articles/noalt.md:5:1: warning: image: has no image_alt" in err  # the loader's own warning
    assert "articles/bodyimg.md:9: warning: image /favicon.svg has no alt text" in err
    assert "articles/byline.md:5: warning: byline 'Nobody Known' has no entry in authors.yaml" in err
    assert "0 errors, 5 warnings" in err + run.out

    strict = cli("check", "--site", site, "--strict")
    assert strict.code == 1
    assert "articles/long.md:2: headline is 119 characters" in strict.err
    assert "(an error with --strict)" in strict.err
    assert "5 errors, 0 warnings" in strict.err


def test_long_wire_headline_and_no_summary_rule_for_wire_copy(write_site, cli):
    site = write_site(
        {"seeds/wire.txt": "\n\n" + "Storm " * 20 + "\n\nFirst paragraph.\n"},
        config="default_date: 2025-03-01\n",
    )
    run = cli("check", "--site", site)
    assert run.code == 0
    assert "seeds/wire.txt:3: warning: headline is 119 characters" in run.err
    assert "summary" not in run.err  # the agency format has no summary field


def test_no_authors_file_no_author_warning(write_site, cli):
    site = write_site({"articles/a.md": article("A", summary="s", author="Anyone")})
    run = cli("check", "--site", site)
    assert run.code == 0 and "author" not in run.err


def test_links_to_stories_not_yet_public_are_the_builds_warnings(write_site, cli):
    site = write_site(
        {
            "articles/one.md": article(
                "One",
                "2025-03-01T09:00:00Z",
                summary="s",
                body="See [the draft](/2025/03/02/draft/) and [later](/2025/03/09/later).",
            ),
            "articles/draft.md": article("Draft", "2025-03-02T09:00:00Z", summary="s", draft="true"),
            "articles/later.md": article("Later", "2025-03-09T09:00:00Z", summary="s"),
        },
        config=BASE_URL,
    )
    run = cli("check", "--site", site, "--as-of", "2025-03-05T00:00:00Z")
    assert run.code == 0, run.err
    assert "points to no article" not in run.err
    assert "which is a draft" in run.err and "not published until 2025-03-09" in run.err
    assert (
        cli("check", "--site", site, "--as-of", "2025-03-10T00:00:00Z").err.count("warning") == 1
    )  # the draft


def test_alt_text_present_is_fine(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article(
                "A", summary="s", image="/favicon.svg", image_alt="A drawing", body="![A map](/favicon.svg)"
            )
        }
    )
    run = cli("check", "--site", site)
    assert run.code == 0 and "alt" not in run.err


def test_links_between_articles(write_site, cli):
    body = "\n".join(
        [
            "Fine: [other](/2025/03/02/other/) and [relative](../../02/other/) and [home](/).",
            "",
            "Broken: [typo](/2025/03/02/othre/).",
            "",
            "Source file: [other](other.md).",
            "",
            "Missing source: [gone](gone.md). Zola's: [other](@/other.md), [gone](@/gone.md).",
            "",
            "Absolute under base_url: [abs](https://example.com/2025/03/09/nothing/).",
            "",
            "External is not checked: [ext](https://example.org/x) [mail](mailto:a@example.org) [top](#top).",
            "",
            "`[code](/not/a/link/)`",
            "",
            "[ref]: /no/such/page/",
        ]
    )
    site = write_site(
        {
            "articles/one.md": article("One", "2025-03-01T09:00:00Z", summary="s", body=body),
            "articles/other.md": article("Other", "2025-03-02T09:00:00Z", summary="s"),
        },
        config="base_url: https://example.com/\n",
    )
    run = cli("check", "--site", site)
    assert run.code == 1
    found = _lines(run)
    assert any(
        ln.startswith("articles/one.md:9: link to /2025/03/02/othre/ points to no article") for ln in found
    )
    assert any(
        ln.startswith("articles/one.md:11: link to the source file other.md")
        and "link to its URL /2025/03/02/other/ instead" in ln
        for ln in found
    )
    assert any(ln.startswith("articles/one.md:13: link to gone.md points to no article") for ln in found)
    assert any(
        ln.startswith("articles/one.md:13: link to the source file @/other.md")
        and "link to its URL /2025/03/02/other/ instead" in ln
        for ln in found
    )
    assert any(ln.startswith("articles/one.md:13: link to @/gone.md points to no article") for ln in found)
    assert any(
        ln.startswith("articles/one.md:15: link to https://example.com/2025/03/09/nothing/") for ln in found
    )
    assert any(ln.startswith("articles/one.md:21: link to /no/such/page/") for ln in found)
    assert len(found) == 7, found  # nothing about the good, external, code or fragment links
    assert "7 errors" in run.err


def test_links_under_a_base_path_are_site_paths(write_site, cli):
    """A root-relative link in a story is a site path; the base path must not be written into it."""
    site = write_site(
        {
            "articles/one.md": article(
                "One",
                summary="s",
                body="[home](/) [feed](/feed.xml) [doubled](/news/)\n\n"
                "[abs](https://example.com/news/feed.xml)",
            ),
        },
        config="base_url: https://example.com/news/\n",
    )
    run = cli("check", "--site", site)
    assert run.code == 1
    assert (
        "articles/one.md:7: link to /news/ points to no article or page of this site (/news/); a site path "
        "starts after the base path /news/, which newsgen adds: write /"
    ) in run.err
    assert run.err.count("points to no") == 1


def test_missing_lead_image(write_site, cli):
    site = write_site({"articles/a.md": article("A", summary="s", image="/images/none.jpg", image_alt="x")})
    run = cli("check", "--site", site)
    assert run.code == 1
    assert "articles/a.md:5: missing asset: image /images/none.jpg is not a file of the site" in run.err


def test_build_errors_are_check_errors(write_site, cli):
    site = write_site(
        {
            "articles/bad.md": "---\ntitle: Bad\ndate: 2025-02-30\n---\nBody\n",
            "articles/good.md": GOOD,
            "templates/article.html": "{% extends 'base.html' %}{% block content %}{{ nope.x }}{% endblock %}",
        },
        config="per_page: 0\n",
    )
    run = cli("check", "--site", site)
    assert run.code == 1
    assert "newsgen.yaml:1:11: per_page" in run.err  # config errors stop at once

    (site / "newsgen.yaml").write_text("titel: Oops\n", "utf-8")
    run = cli("check", "--site", site)
    assert run.code == 1
    assert "newsgen.yaml:1:1: warning: unknown key 'titel'" in run.err
    assert "articles/bad.md:3:7: date:" in run.err
    assert "templates/article.html:1:" in run.err and "nope" in run.err
    assert run.err.count("templates/article.html:1:") == 1  # one report per template problem


def test_checking_a_built_site(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article("A", summary="s"),
            "static/about/index.html": '<html><body>\n<a href="../">home</a>\n<a href="/missing/">x</a>\n'
            '<img src="/logo.png" alt="">\n<link rel="stylesheet" href="gone.css">\n'
            '<img srcset="/favicon.svg 1x, /big.png 2x" src="/favicon.svg" alt="">\n'
            '<a href="https://example.org/">ext</a> <a href="#top">top</a>\n'
            '<a href="../2025/03/01/a">no slash</a>\n</body></html>\n',
        }
    )
    assert cli("build", "--site", site, "-q").code == 0
    run = cli("check", "--site", site, "--built")
    assert run.code == 1
    err = run.err
    assert "public/about/index.html:3: broken internal link /missing/" in err
    assert "public/about/index.html:4: missing asset /logo.png" in err
    assert "public/about/index.html:5: missing asset gone.css" in err
    assert "public/about/index.html:6: missing asset /big.png" in err
    assert err.count("public/") == 4, err
    assert re.search(r"and \d+ built pages: 4 errors", err)

    # a named folder, and the built site of a clean source is clean
    (site / "static/about/index.html").unlink()
    assert cli("build", "--site", site, "--output", site / "elsewhere", "-q").code == 0
    run = cli("check", "--site", site, "--built", site / "elsewhere")
    assert run.code == 0, run.err
    assert re.search(r"and \d+ built pages: 0 errors", run.out)


def test_built_folder_missing(write_site, cli):
    site = write_site({"articles/a.md": GOOD})
    run = cli("check", "--site", site, "--built")
    assert run.code == 1
    assert "public: no built site here; run 'newsgen build' first" in run.err


def test_sample_site_checks_clean(cli, tmp_path):
    """The repository's own sample site passes the check its CI workflow runs, and so does its build."""
    from conftest import REPO

    run = cli("check", "--site", REPO)
    assert run.code == 0, run.err
    assert cli("build", "--site", REPO, "--output", tmp_path / "out", "-q").code == 0
    run = cli("check", "--site", REPO, "--built", tmp_path / "out")
    assert run.code == 0, run.err


def test_symbolic_link_loops_are_errors_not_tracebacks(write_site, cli):
    """A link to itself in articles/, static/ and templates/, linked to from a story and used as its
    image: check reports each link (it used to stop with RuntimeError "Symlink loop" or ELOOP)."""
    site = write_site(
        {
            "articles/good.md": article(
                "A good story",
                summary="s",
                image="/images/loop.png",
                image_alt="a picture",
                body="See [the other](loop-link.md).\n\n![x](/images/loop.png)\n",
            )
        }
    )
    for rel in ("articles/loop-link.md", "static/images/loop.png", "templates/partials/footer.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).symlink_to((site / rel).name)
    run = cli("check", "--site", site)
    assert run.code == 1, run.err
    assert "Traceback" not in run.out + run.err
    for rel in ("articles/loop-link.md", "static/images/loop.png", "templates/partials/footer.html"):
        assert f"{rel}: symbolic link cannot be followed: its links go round in a loop" in run.err


def test_a_preview_built_with_another_base_url_is_checked_with_it(write_site, cli, tmp_path):
    """`check --built` of a preview built with --base-url takes the same --base-url: the preview's
    pages link under its base path, which the configured base_url would call missing."""
    site = write_site(
        {
            "articles/one.md": article("One", summary="s", body="See [two](/2025/03/01/two/)."),
            "articles/two.md": article("Two", summary="s"),
        },
        config="base_url: https://example.com/\n",
    )
    preview, out = "https://preview.example.com/pr-12/", tmp_path / "preview"
    assert cli("build", "--site", site, "--output", out, "--base-url", preview, "-q").code == 0
    run = cli("check", "--site", site, "--built", out, "--base-url", preview)
    assert run.code == 0, run.err
    assert "0 errors" in run.out
    wrong = cli("check", "--site", site, "--built", out)  # the production base: the preview's links miss
    assert wrong.code == 1 and "/pr-12/" in wrong.err


def test_check_reads_archives_as_the_build_does(write_site, cli):
    # found on real Jekyll, Hugo, Zola and Pelican posts: check agrees with build
    body = "\n".join(
        [
            'Jekyll: [about]({{ "/about/" | relative_url }}) and [home]({{ site.baseurl }}/).',  # line 7
            "",
            "A footnote.[^1]",
            "",
            "[^1]: Requires a proper web server, see the manual.",  # line 11
            "",
            "![Krita banner](/img/Krita brushes banner.jpg)",  # line 13: the build needs this file
        ]
    )
    site = write_site(
        {
            "articles/one.md": article("One", "2025-03-01T09:00:00Z", summary="s", body=body),
            "pages/about.md": "---\ntitle: About\n---\nFictional.\n",
            "articles/toml.md": '+++\ntitle = "T"\ndate = 2025-03-02\nsummary = "A sentence."\n+++\nBody.\n',
            "articles/json.md": '{\n  "title": "J",\n  "date": "2025-03-03",\n  "summary": "A sentence."\n}\n\nB.\n',
            "articles/pelican.md": "Title: P\nDate: 2025-03-04 10:00\nSummary: A sentence.\n\nBody.\n",
        },
        config=BASE_URL,
    )
    run = cli("check", "--site", site)
    assert _lines(run) == [
        "articles/one.md:13: missing asset: image /img/Krita brushes banner.jpg is not a file of the site "
        "(/img/Krita brushes banner.jpg)"
    ], run.err
    assert run.code == 1
    assert cli("build", "--site", site).code == 1  # the build stops on that image too
    (site / "static/img").mkdir(parents=True)
    (site / "static/img/Krita brushes banner.jpg").write_bytes(photo(40, 30))
    run = cli("check", "--site", site)
    assert run.code == 0, run.err
    assert "0 errors, 0 warnings" in run.out  # no "no summary" for TOML, JSON or Pelican summaries
