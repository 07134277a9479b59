"""End-to-end builds through the command line: pages, links, feed, errors, output safety."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, article, tree_digest
from linkcheck import broken_links, links_in

ATOM = "{http://www.w3.org/2005/Atom}"


def small_site(write_site, n=7, config="title: Test Gazette\nbase_url: https://news.example/\n"):
    files = {}
    for i in range(n):
        files[f"articles/story-{i}.md"] = article(
            title=f"Story {i}",
            date=f"2025-03-{i + 1:02d}T10:00:00Z",
            tags="[alpha, beta]" if i % 2 else "[gamma]",
            section="Politics" if i % 3 else "Culture",
            author="Ana Núñez",
            body=f"Paragraph of story {i} with [a link](https://example.org/{i}).",
        )
    files["seeds/wire.txt"] = "Wire Headline\n\nWire “body”.\n\nMORE STORIES\n"
    return write_site(files, config=config)


def test_build_writes_a_working_site(write_site, cli):
    site = small_site(write_site)
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    assert "built 8 articles" in r.out
    out = site / "public"
    index = (out / "index.html").read_text("utf-8")
    for i in range(7):
        assert f"2025/03/{i + 1:02d}/story-{i}/" in index
    assert "wire-headline/" in index
    assert broken_links(out) == []
    page = (out / "2025/03/04/story-3/index.html").read_text("utf-8")
    assert '<h1 class="article__title">Story 3</h1>' in page
    assert 'By <a href="../../../../authors/ana-nunez/" rel="author">Ana Núñez</a>' in page
    assert '<time datetime="2025-03-04T10:00:00+00:00">4 March 2025</time>' in page
    assert 'lang="en"' in page
    assert (out / "css/newsgen.css").is_file()


def test_more_stories_block_links_resolve(write_site, cli):
    site = small_site(write_site)
    assert cli("build", "--site", site).code == 0
    page = site / "public/2025/03/04/story-3/index.html"
    html = page.read_text("utf-8")
    block = html.split('<aside class="more-stories"', 1)[1].split("</aside>", 1)[0]
    hrefs = links_in(block)
    assert len(hrefs) == 5
    assert "../../04/story-3/" not in hrefs  # never itself
    for href in hrefs:
        assert (page.parent / href / "index.html").resolve().is_file()


def test_front_page_pagination(write_site, cli):
    site = small_site(write_site, n=5, config="per_page: 2\n")
    assert cli("build", "--site", site).code == 0
    out = site / "public"
    assert (out / "index.html").is_file()
    assert (out / "page/2/index.html").is_file()
    assert (out / "page/3/index.html").is_file()
    assert not (out / "page/4").exists()
    assert 'rel="next" href="page/2/"' in (out / "index.html").read_text("utf-8")
    assert 'rel="prev" href="../../"' in (out / "page/2/index.html").read_text("utf-8")
    assert broken_links(out) == []


def test_atom_feed_parses_and_uses_content_times(write_site, cli):
    site = small_site(write_site)
    assert cli("build", "--site", site).code == 0
    root = ET.parse(site / "public/feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 8
    assert root.findtext(f"{ATOM}updated") == "2025-03-07T10:00:00+00:00"
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "Story 6"
    assert first.findtext(f"{ATOM}id") == "https://news.example/2025/03/07/story-6/"
    assert first.find(f"{ATOM}link").get("href") == "https://news.example/2025/03/07/story-6/"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Ana Núñez"
    assert "story 6" in first.findtext(f"{ATOM}content")
    links = {ln.get("rel"): ln.get("href") for ln in root.findall(f"{ATOM}link")}
    assert links == {"self": "https://news.example/feed.xml", "alternate": "https://news.example/"}


def test_feed_is_limited_to_feed_entries(write_site, cli):
    site = small_site(write_site, n=7, config="feeds:\n  entries: 3\n")
    assert cli("build", "--site", site).code == 0
    root = ET.parse(site / "public/feed.xml").getroot()
    assert len(root.findall(f"{ATOM}entry")) == 3


def test_script_in_title_is_escaped_everywhere(write_site, cli):
    site = write_site(
        {
            "articles/x.md": article(
                title='"<script>alert(1)</script>"', body="{{ 7*7 }} {% include 'base.html' %}"
            )
        }
    )
    assert cli("build", "--site", site).code == 0
    out = site / "public"
    for f in out.rglob("*.html"):
        assert "<script>alert" not in f.read_text("utf-8")
    page = next(out.rglob("x/index.html")).read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and "49" not in page
    ET.parse(out / "feed.xml")  # still well-formed


def test_builds_are_byte_identical(write_site, cli, tmp_path):
    site = small_site(write_site)
    assert cli("build", "--site", site, "--output", tmp_path / "one").code == 0
    assert cli("build", "--site", site, "--output", tmp_path / "two").code == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_rebuild_rewrites_nothing_when_nothing_changed(write_site, cli):
    site = small_site(write_site)
    assert cli("build", "--site", site).code == 0
    r = cli("build", "--site", site)
    assert "0 written" in r.out and "0 removed" in r.out


# ------------------------------------------------------------------ errors and exit codes


def test_invalid_date_exits_1_names_file_line_and_keeps_previous_output(write_site, cli):
    site = small_site(write_site)
    assert cli("build", "--site", site).code == 0
    before = tree_digest(site / "public")
    (site / "articles/budget.md").write_text("---\ntitle: Budget\ndate: 2024-02-30\n---\nx\n", "utf-8")
    r = cli("build", "--site", site)
    assert r.code == 1
    assert "articles/budget.md:3:7: date: '2024-02-30' is not a valid date" in r.err
    assert "nothing was written" in r.err
    assert tree_digest(site / "public") == before


def test_every_error_of_a_build_is_printed(write_site, cli):
    site = write_site(
        {
            "articles/a.md": "---\ntitle: A\ndate: 2024-02-30\n---\n",
            "articles/b.md": "---\ntitle: B\ntags: 5\n---\n",
            "seeds/empty.txt": "\n\n",
        }
    )
    r = cli("build", "--site", site)
    assert r.code == 1
    assert "articles/a.md:3:7:" in r.err and "articles/b.md:3:7:" in r.err and "seeds/empty.txt:1:1:" in r.err
    assert "3 errors" in r.err
    assert not (site / "public").exists()


def test_config_error_exits_1(write_site, cli):
    site = write_site({}, config="per_page: -1\n")
    r = cli("build", "--site", site)
    assert r.code == 1 and "newsgen.yaml:1:11: per_page:" in r.err


@pytest.mark.parametrize("args", [["build", "--nope"], ["frobnicate"], []])
def test_usage_errors_exit_2(cli, args):
    assert cli(*args).code == 2


def test_help_exits_0(cli):
    r = cli("build", "--help")
    assert r.code == 0 and "examples:" in r.out


def test_python_dash_m_works(write_site, tmp_path):
    import subprocess
    import sys

    site = small_site(write_site)
    p = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--site", str(site), "-q"], capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    assert (site / "public/index.html").is_file()


def test_the_command_prints_everything_and_keeps_its_exit_status_through_a_pipe(write_site):
    """The command ends with ``os._exit`` (no interpreter teardown): what it printed to
    a pipe (block-buffered) still arrives, and a failed build still exits 1."""
    import subprocess
    import sys

    site = small_site(write_site)
    cmd = [sys.executable, "-m", "newsgen", "build", "--site", str(site)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "built " in p.stdout and p.stdout.rstrip().splitlines()[-1].startswith("total time")
    (site / "articles/broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", "utf-8")
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 1
    assert "broken.md:3:" in p.stderr and "build failed: 1 error" in p.stderr


@pytest.mark.parametrize(("command", "collecting"), [("build", False), ("check", True)])
def test_only_the_build_command_ends_with_the_collector_paused(write_site, command, collecting):
    """``newsgen build`` exits as soon as the build returns, so it leaves the cyclic
    collector paused (commands.cli.run); every other command keeps it, as ``check``
    reads every page of a built site."""
    import subprocess
    import sys

    site = small_site(write_site)
    probe = (
        "import gc, sys\n"
        "from newsgen.commands import cli\n"
        f"real = cli._{command}\n"
        "def probe(args, reporter):\n"
        "    code = real(args, reporter)\n"
        "    print('collecting', gc.isenabled())\n"
        "    return code\n"
        f"cli._{command} = probe\n"
        f"sys.argv = ['newsgen', '{command}', '--site', {str(site)!r}, '-q']\n"
        "cli.run()\n"
    )
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert f"collecting {collecting}" in p.stdout, p.stdout + p.stderr


def test_a_profiler_still_gets_its_figures(write_site, tmp_path):
    """``python -m cProfile -m newsgen build`` writes its profile: the command exits
    through the interpreter, not ``os._exit``, when a profiler is attached."""
    import pstats
    import subprocess
    import sys

    site = small_site(write_site)
    prof = tmp_path / "build.prof"
    cmd = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(prof),
        "-m",
        "newsgen",
        "build",
        "--site",
        str(site),
        "-q",
    ]
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    names = {fn for (_, _, fn) in pstats.Stats(str(prof)).stats}  # type: ignore[attr-defined]
    assert "build" in names


def test_duplicate_urls_are_an_error_naming_both_files(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article(title="Same", slug="same"),
            "articles/b.md": article(title="Other", slug="same"),
        }
    )
    r = cli("build", "--site", site)
    assert r.code == 1
    assert "articles/a.md" in r.err and "articles/b.md" in r.err and "/2025/03/01/same/" in r.err


def test_drafts_are_not_published(write_site, cli):
    site = write_site(
        {"articles/a.md": article(title="Pub"), "articles/d.md": article(title="Secret draft", draft="true")}
    )
    assert cli("build", "--site", site).code == 0
    text = "".join(
        p.read_text("utf-8") for p in (site / "public").rglob("*.*") if p.suffix in (".html", ".xml")
    )
    assert "Secret draft" not in text


# ------------------------------------------------------------------ templates


def test_site_template_overrides_one_partial(write_site, cli):
    site = small_site(write_site)
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/footer.html").write_text(
        "<footer>Custom footer for {{ site.title }}</footer>\n"
    )
    assert cli("build", "--site", site).code == 0
    page = (site / "public/index.html").read_text("utf-8")
    assert "<footer>Custom footer for Test Gazette</footer>" in page
    assert "More Stories" in next((site / "public").rglob("story-3/index.html")).read_text("utf-8")


def test_template_error_names_template_line_and_article(write_site, cli):
    site = small_site(write_site)
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        "{% extends 'base.html' %}\n{% block content %}\n{{ article.no_such_field }}\n{% endblock %}\n"
    )
    before = tree_digest(site / "public") if (site / "public").exists() else {}
    r = cli("build", "--site", site)
    assert r.code == 1
    assert "templates/article.html:3:" in r.err
    assert "no_such_field" in r.err
    assert "while rendering articles/story-" in r.err or "while rendering seeds/wire.txt" in r.err
    assert (tree_digest(site / "public") if (site / "public").exists() else {}) == before


def test_template_syntax_error(write_site, cli):
    site = small_site(write_site)
    (site / "templates").mkdir()
    (site / "templates/index.html").write_text("line one\n{% if %}\n")
    r = cli("build", "--site", site)
    assert r.code == 1 and "templates/index.html:2: template syntax error" in r.err


# ------------------------------------------------------------------ output folder


def test_foreign_files_survive_and_stale_files_are_removed(write_site, cli):
    site = small_site(write_site)
    assert cli("build", "--site", site).code == 0
    out = site / "public"
    (out / "CNAME").write_text("news.example\n")
    (out / ".git").mkdir()
    (out / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (site / "articles/story-3.md").unlink()
    r = cli("build", "--site", site)
    assert r.code == 0
    assert not (out / "2025/03/04/story-3").exists()
    assert (out / "CNAME").read_text() == "news.example\n"
    assert (out / ".git/HEAD").is_file()


def test_non_empty_unknown_output_folder_needs_force(write_site, cli):
    site = small_site(write_site)
    out = site / "public"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    r = cli("build", "--site", site)
    assert r.code == 1 and "--force" in r.err
    assert cli("build", "--site", site, "--force").code == 0
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(
    "target", [".", "..", "/", "~", "articles", "seeds", "templates", "static", "articles/out"]
)
def test_refused_output_folders(write_site, cli, target, monkeypatch):
    site = small_site(write_site)
    for d in ("templates", "static"):
        (site / d).mkdir(exist_ok=True)
    monkeypatch.chdir(site)
    before = tree_digest(site)
    out = str(Path(target).expanduser()) if target.startswith("~") else target
    r = cli("build", "--site", ".", "--output", out)
    assert r.code == 1 and "refusing to write output" in r.err
    assert tree_digest(site) == before


def test_symlink_to_site_folder_refused(write_site, cli, tmp_path):
    site = small_site(write_site)
    link = tmp_path / "sneaky"
    link.symlink_to(site)
    r = cli("build", "--site", site, "--output", link)
    assert r.code == 1 and "refusing" in r.err


# ------------------------------------------------------------------ base_url


def test_build_with_the_default_base_url_warns_that_links_point_at_localhost(write_site, cli, tmp_path):
    site = small_site(write_site, n=1, config="title: Test Gazette\ndefault_date: 2025-03-01\n")
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    warning = [ln for ln in r.err.splitlines() if "base_url" in ln]
    assert len(warning) == 1 and warning[0].startswith("newsgen.yaml: warning: base_url is not set"), r.err
    assert "http://localhost:8000/" in warning[0] and "--base-url" in warning[0]
    assert "http://localhost:8000/" in (site / "public/rss.xml").read_text("utf-8")  # as it warned
    # --strict: an error like every warning, and nothing is written
    r = cli("build", "--site", site, "--strict", "--output", tmp_path / "strict")
    assert r.code == 1 and "newsgen.yaml: base_url is not set" in r.err and "--strict" in r.err
    assert not (tmp_path / "strict").exists()
    # given on the command line or in newsgen.yaml: no warning
    r = cli("build", "--site", site, "--base-url", "https://news.example/", "--strict")
    assert r.code == 0 and "base_url" not in r.err, r.err
    (site / "newsgen.yaml").write_text("default_date: 2025-03-01\nbase_url: https://news.example/\n", "utf-8")
    r = cli("build", "--site", site, "--strict")
    assert r.code == 0 and "base_url" not in r.err, r.err
    # without any newsgen.yaml the warning says where to set it
    (site / "newsgen.yaml").unlink()
    r = cli("build", "--site", site)
    assert r.code == 0 and "newsgen.yaml: warning: base_url is not set" in r.err, r.err


# ------------------------------------------------------------------ the sample site


def test_repository_sample_site_builds(cli, tmp_path):
    out = tmp_path / "public"
    r = cli("build", "--site", REPO, "--output", out)
    assert r.code == 0, r.err
    index = (out / "index.html").read_text("utf-8")
    articles = [p for p in out.rglob("index.html") if p.parent.parent.parent.parent.parent == out]
    assert len(articles) >= 13
    withdrawn = out / "2025/03/18/fire-reported-at-north-pier-warehouse/index.html"  # killed agency story
    assert "This story has been withdrawn" in withdrawn.read_text("utf-8")
    for page in articles:
        assert (page.parent.relative_to(out).as_posix() + "/" in index) == (page != withdrawn)
    seed = out / "2025/02/28/mexico-extradites-29-cartel-leaders-amid-u-s-pressure/index.html"
    html = seed.read_text("utf-8")
    assert '<h1 class="article__title">Mexico Extradites 29 Cartel Leaders Amid U.S. Pressure</h1>' in html
    body = html.split('<div class="article__body">', 1)[1].split("</div>", 1)[0]
    assert body.count("<p>") >= 6
    assert "“Kiki”" in html
    assert "MORE STORIES" not in html
    block = html.split('<aside class="more-stories"', 1)[1].split("</aside>", 1)[0]
    hrefs = links_in(block)
    assert len(hrefs) == 5
    assert all((seed.parent / h / "index.html").resolve().is_file() for h in hrefs)
    assert broken_links(out) == []


def test_build_leaves_no_objects_frozen(write_site, cli):
    """A build hides its long-lived objects from the garbage collector while it
    runs (build.settle_heap); a long-running process (newsgen serve) gets them
    back after each build, whether it succeeded or failed."""
    import gc

    site = small_site(write_site)
    assert gc.get_freeze_count() == 0
    assert cli("build", "--site", site).code == 0
    assert gc.get_freeze_count() == 0
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text("{{ no_such_variable.x }}", "utf-8")
    assert cli("build", "--site", site).code == 1
    assert gc.get_freeze_count() == 0


def test_build_gives_the_garbage_collector_back_as_it_found_it(write_site, cli):
    """A build pauses the cyclic collector while it runs (pipeline.pause_collector); a
    long-running process (newsgen serve, a program calling build) has it back afterwards,
    running or not as before, whether the build succeeded or failed."""
    import gc

    site = small_site(write_site)
    assert gc.isenabled()
    assert cli("build", "--site", site).code == 0
    assert gc.isenabled()
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text("{{ no_such_variable.x }}", "utf-8")
    assert cli("build", "--site", site).code == 1
    assert gc.isenabled()
    gc.disable()
    try:
        (site / "templates" / "article.html").unlink()
        assert cli("build", "--site", site).code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
