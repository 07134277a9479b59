"""Search: ``search: true`` indexes the articles with Pagefind; a query through Pagefind's own files finds them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HAVE_PAGEFIND, REPO, article, tree_digest
from newsgen.outputs import search

# CI installs the extra and node (.ci/run), so there a missing one is a failure, not a skip.
IN_CI = os.environ.get("CI") == "true"
needs_pagefind = pytest.mark.skipif(
    not HAVE_PAGEFIND and not IN_CI, reason="the search extra is not installed: pip install -e '.[search]'"
)
needs_node = pytest.mark.skipif(shutil.which("node") is None and not IN_CI, reason="node is not installed")
QUERY_SCRIPT = Path(__file__).parents[1] / "pagefind_query.mjs"


def query(bundle: Path, words: str) -> list[dict]:
    run = subprocess.run(
        ["node", str(QUERY_SCRIPT), str(bundle), words],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _sample_site(tmp_path: Path) -> Path:
    site = tmp_path / "sample"
    shutil.copytree(REPO / "articles", site / "articles")
    shutil.copytree(REPO / "seeds", site / "seeds")
    shutil.copytree(REPO / "pages", site / "pages")
    shutil.copytree(REPO / "media", site / "media")  # the photos its stories use
    text = (REPO / "newsgen.yaml").read_text("utf-8")
    (site / "newsgen.yaml").write_text(text + "\nsearch: true\n", "utf-8")
    return site


@needs_pagefind
@needs_node
def test_sample_site_search_finds_an_article(tmp_path, cli):
    site = _sample_site(tmp_path)
    run = cli("build", "--site", site, "-q")
    assert run.code == 0, run.err
    out = site / "public"
    assert (out / "pagefind/pagefind.js").is_file()
    assert (out / "pagefind/pagefind-ui.js").is_file()

    results = query(out / "pagefind", "seagrass")
    assert results, "no results"
    assert results[0]["url"] == "/2025/03/15/estuary-seagrass-recovery/"
    assert "Seagrass" in results[0]["title"]
    # only article pages are indexed, and More Stories blocks are not part of an article's text
    assert all(r["url"].count("/") == 5 for r in results), results
    assert [r["url"] for r in results] == ["/2025/03/15/estuary-seagrass-recovery/"], results

    # the search page loads Pagefind's UI from the built files, with relative links
    page = (out / "search/index.html").read_text("utf-8")
    assert 'src="../pagefind/pagefind-ui.js"' in page and "new PagefindUI" in page
    assert 'href="search/"' in (out / "index.html").read_text("utf-8")  # linked from the header

    # the index is part of the build: in the manifest, and identical on a second build elsewhere
    manifest = json.loads((out / ".newsgen-manifest.json").read_text("utf-8"))["files"]
    assert "pagefind/pagefind.js" in manifest
    assert cli("build", "--site", site, "--output", tmp_path / "again", "-q").code == 0
    first, second = tree_digest(out), tree_digest(tmp_path / "again")
    first.pop(".newsgen-changes.json"), second.pop(".newsgen-changes.json")
    assert first == second

    # turning search off removes the index and the page
    (site / "newsgen.yaml").write_text((REPO / "newsgen.yaml").read_text("utf-8"), "utf-8")
    assert cli("build", "--site", site, "-q").code == 0
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert "search/" not in (out / "index.html").read_text("utf-8")


@needs_pagefind
@needs_node
def test_incremental_rebuild_indexes_kept_and_changed_pages(write_site, cli):
    """Pages the incremental build keeps (not rendered again) are indexed from the output folder."""
    site = write_site(
        {
            "articles/a.md": article(
                "Lighthouse keepers return", "2025-03-01T09:00:00Z", body="Lighthouse story."
            ),
            "articles/b.md": article("Tram timetable", "2025-03-02T09:00:00Z", body="Tram story."),
        },
        config="search: true\n",
    )
    assert cli("build", "--site", site, "-q").code == 0
    (site / "articles/b.md").write_text(
        article("Tram timetable", "2025-03-02T09:00:00Z", body="Tram story with a harbourmaster."), "utf-8"
    )
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    assert "pages reused" in run.out and "0 pages reused" not in run.out  # a.md's page was kept, not rendered
    bundle = site / "public/pagefind"
    assert [r["url"] for r in query(bundle, "lighthouse")] == ["/2025/03/01/a/"]
    assert [r["url"] for r in query(bundle, "harbourmaster")] == ["/2025/03/02/b/"]


@needs_pagefind
def test_search_with_no_articles_still_builds(write_site, cli):
    site = write_site({}, config="search: true\n")
    assert cli("build", "--site", site, "-q").code == 0
    assert (site / "public/pagefind/pagefind.js").is_file()


def test_search_without_pagefind_is_a_clear_error(write_site, cli, monkeypatch):
    monkeypatch.setattr(search, "_PACKAGES", ("newsgen_no_such_package",))
    site = write_site({"articles/a.md": article("A")}, config="search: true\n")
    run = cli("build", "--site", site)
    assert run.code == 1
    assert "search: true needs Pagefind" in run.err and "pip install 'newsgen[search]'" in run.err
    assert not (site / "public").exists()


def test_pagefind_folder_is_reserved(write_site, cli):
    site = write_site({"articles/a.md": article("A"), "static/pagefind/x.js": "//"}, config="search: true\n")
    run = cli("build", "--site", site)
    assert run.code == 1 and "pagefind/x.js is inside pagefind/" in run.err


def test_search_off_adds_nothing(write_site, cli):
    site = write_site({"articles/a.md": article("A")})
    assert cli("build", "--site", site, "-q").code == 0
    page = (site / "public/2025/03/01/a/index.html").read_text("utf-8")
    assert "pagefind" not in page and not (site / "public/search").exists()


def test_pagefind_is_asked_to_die_with_the_build(write_site, cli, monkeypatch):
    """A build killed with kill -9 leaves no Pagefind running: it is started with the kernel's
    parent-death request (tested itself in tests/core/test_parallel.py)."""
    given: dict = {}

    def not_run(cmd, *args, **kwargs):
        given.update(kwargs)
        raise OSError("not run in this test")

    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/nonexistent/pagefind"))
    monkeypatch.setattr(search.subprocess, "run", not_run)
    site = write_site({"articles/a.md": article("A")}, config="search: true\n")
    run = cli("build", "--site", site)
    assert run.code == 1 and "could not run Pagefind" in run.err
    if sys.platform.startswith("linux"):
        assert given["preexec_fn"].__qualname__ == "dies_with_this_process.<locals>.request"
