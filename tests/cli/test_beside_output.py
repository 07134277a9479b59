"""A build leaves nothing beside the output folder that the user did not ask for.

A site that moves in from another generator has no ignore rule for newsgen's
folders, so anything left next to ``public/`` (the previous pages newsgen keeps
for the next build, say) would be committed by ``git add -A``. Those pages live
in the build cache now; the staging folder beside the output is gone after every
build, successful or not.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import article, tree_digest

#: Where the previous pages are kept, in the cache folder (documented in README.md).
SPARE_NAME = "spare"


def write_stories(site: Path, edition: str, n: int = 12) -> None:
    for i in range(n):
        (site / "articles" / f"story-{i}.md").write_text(
            article(f"Story {i} ({edition})", f"2025-03-{i + 1:02d}T10:00:00Z", tags="[alpha]"), "utf-8"
        )


def entries(folder: Path) -> set[str]:
    return set(os.listdir(folder))


SETUPS = {  # how the build is asked to run: (extra arguments, the cache folder, or None)
    "output-in-the-site": (lambda site, www: [], lambda site, www: site / ".newsgen-cache"),
    "output-elsewhere": (
        lambda site, www: ["--output", www / "public"],
        lambda site, www: site / ".newsgen-cache",
    ),
    "cache-beside-the-output": (
        lambda site, www: ["--output", www / "public", "--cache-dir", www / "cache"],
        lambda site, www: www / "cache",
    ),
    "no-cache": (lambda site, www: ["--output", www / "public", "--no-cache"], lambda site, www: None),
}


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_builds_leave_nothing_beside_the_output(tmp_path, cli, setup):
    site, www = tmp_path / "site", tmp_path / "www"
    (site / "articles").mkdir(parents=True)
    (site / "newsgen.yaml").write_text("title: Beside\nbase_url: https://news.example/\n")
    www.mkdir()
    (www / "README.md").write_text("the user's own file\n")
    write_stories(site, "first")
    options, cache_of = SETUPS[setup]
    args, cache = options(site, www), cache_of(site, www)
    out = site / "public" if not args else www / "public"
    before = {site: entries(site), www: entries(www)}
    expected = {folder: set(names) for folder, names in before.items()}
    expected[out.parent].add("public")
    if cache is not None:
        expected[cache.parent].add(cache.name)

    def build(*more: str, code: int = 0):
        run = cli("build", "--site", site, *args, *more)
        assert run.code == code, run.err
        for folder, names in expected.items():
            assert entries(folder) == names, f"after `build {' '.join(map(str, more))}` in {folder}"
        return run

    build()  # the first build
    build()  # nothing changed
    write_stories(site, "second")
    build()  # every page changed
    (site / "articles" / "story-3.md").unlink()
    build()  # a page removed
    if cache is not None:  # the previous pages are kept where they may be: in the cache
        spare = cache / SPARE_NAME
        assert "(second)" in (spare / "2025/03/01/story-0/index.html").read_text("utf-8")
        # An unchanged file is one file in the output and the spare: recycled at the cost of a look.
        assert (out / "favicon.svg").stat().st_ino == (spare / "favicon.svg").stat().st_ino
    build("--no-cache")
    write_stories(site, "third")
    build("--no-cache")

    # A build that fails while publishing (a file of the user's where the site needs a folder)
    # removes its staging folder too.
    shutil.rmtree(out / "tags")
    (out / "tags").write_text("mine\n")
    before_failure = tree_digest(out)
    run = build(code=1)
    assert "tags is a file newsgen did not write" in run.err
    assert tree_digest(out) == before_failure
    (out / "tags").unlink()
    build()


@pytest.mark.parametrize("cached", [True, False], ids=["with-cache", "no-cache"])
def test_a_spare_left_beside_the_output_by_an_earlier_version_is_cleaned_up(tmp_path, cli, cached):
    """Earlier versions kept the previous pages beside the output, as ``.public.newsgen-spare``:
    it is moved into the cache, where it is recycled, or retired without a cache."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    write_stories(site, "first")
    assert cli("build", "--site", site).code == 0
    out = site / "public"
    old = site / ".public.newsgen-spare"
    shutil.copytree(out, old)  # what an earlier version kept: newsgen's pages and the manifest
    write_stories(site, "second")
    run = cli("build", "--site", site, *([] if cached else ["--no-cache"]))
    assert run.code == 0, run.err
    assert not old.exists()
    assert entries(site) == {"articles", "public", ".newsgen-cache"}
    spare = site / ".newsgen-cache" / SPARE_NAME
    assert spare.is_dir() == cached
    if cached:  # recycled: the old spare became the staging folder, the old site the new spare
        assert "(first)" in (spare / "2025/03/01/story-0/index.html").read_text("utf-8")
    assert "(second)" in (out / "2025/03/01/story-0/index.html").read_text("utf-8")
