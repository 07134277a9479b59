"""kill -9 part-way through a real build leaves the previous site byte-identical, and no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from textwrap import dedent

import pytest

from conftest import tree_digest
from processes import children, killed_parent

ARTICLES = 1_500


def write_articles(site: Path, version: str) -> None:
    folder = site / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(ARTICLES):
        (folder / f"story-{i:05d}.md").write_text(
            f"---\ntitle: Story {i} ({version})\ndate: 2025-01-01T{i % 24:02d}:{i % 60:02d}:00Z\n---\n\n"
            f"Fictional body {i}, {version}.\n",
            "utf-8",
        )


def newsgen(site: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsgen", "build", "--site", str(site), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def staging_files(site: Path) -> int:
    """Files written so far into a staging folder beside the output."""
    total = 0
    for stage in site.glob(".public.newsgen-*"):
        for _, _, files in os.walk(stage):
            total += len(files)
    return total


def test_sigkill_during_a_large_build_leaves_the_previous_site_intact(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "newsgen.yaml").write_text("title: Kill test\nmore_stories: 2\nper_page: 50\n")
    write_articles(site, "first edition")
    assert newsgen(site).wait() == 0
    out = site / "public"
    (out / "CNAME").write_text("news.example.com\n")
    before = tree_digest(out)
    assert len(before) > ARTICLES

    write_articles(site, "second edition")  # every page of the next build differs
    proc = newsgen(site)
    deadline = time.monotonic() + 120
    while proc.poll() is None and staging_files(site) < ARTICLES // 3 and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert staging_files(site) >= ARTICLES // 3  # it really was killed half-way through writing

    assert tree_digest(out) == before  # the previous site, byte for byte, foreign file included

    rebuild = newsgen(site)
    assert rebuild.wait() == 0, rebuild.stderr.read()
    # The killed build's staging folder is gone, and nothing else is beside the output (the
    # previous pages, kept to be recycled by the next build, are in the cache folder).
    assert [p.name for p in site.glob(".public.newsgen-*")] == []
    assert (site / ".newsgen-cache" / "spare").is_dir()
    after = tree_digest(out)
    assert after["CNAME"] == before["CNAME"]
    assert "second edition" in (out / "2025/01/01/story-00007/index.html").read_text()
    assert sum(1 for rel in after if after[rel] != before.get(rel)) > ARTICLES


# A real `newsgen build`, with one test hook: the load stage's per-article work (run in the
# forked workers) announces itself and then computes for ever, so the workers are certainly
# busy, not waiting on their pipe, when the build is killed.
BUSY_BUILD = dedent(
    """
    import os, sys
    import newsgen.incremental.load as load

    def busy(work, i):
        open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
        while True:
            pass

    load._load_one = busy
    from newsgen.commands.cli import main
    sys.exit(main(sys.argv[2:]))
    """
)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes through /proc")
def test_sigkill_of_a_build_stops_its_worker_processes(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "newsgen.yaml").write_text("title: Kill test\n")
    write_articles(site, "busy")
    marks = tmp_path / "marks"
    marks.mkdir()
    args = ["build", "--site", str(site), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(
        [sys.executable, "-c", BUSY_BUILD, str(marks), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with killed_parent(proc) as workers:
        deadline = time.monotonic() + 120
        while len(list(marks.iterdir())) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        workers.update(int(p.name) for p in marks.iterdir())
        assert len(workers) == 2 and workers <= children(proc.pid)  # both busy, both forked by the build
