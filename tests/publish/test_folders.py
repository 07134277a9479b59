"""A first build's folders, made in its staging folder while the pages render (publish.folders)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from conftest import article
from newsgen.commands.cli import main
from newsgen.errors import BuildError
from newsgen.publish import publication, staging
from newsgen.publish.folders import FolderMaker, folders_of
from newsgen.publish.outdir import read_manifest
from newsgen.publish.publication import Publication
from newsgen.publish.write import write_output

PAGES = {
    "index.html": b"front",
    "2025/03/10/quay/index.html": b"quay",
    "2025/03/11/ferry/index.html": b"ferry",
    "tags/harbour/index.html": b"tag",
    "feed.xml": b"<feed/>",
}


def test_folders_come_parents_first_and_clashing_or_unsafe_paths_make_none():
    assert folders_of(["a/b/c/index.html", "a/b/d/index.html", "x.html"]) == ["a", "a/b", "a/b/c", "a/b/d"]
    # newsgen's own names and paths the writer refuses: none of their folders
    assert folders_of([".well-known/x", "../up/index.html", "a//b/index.html", "ok/index.html"]) == ["ok"]
    assert folders_of(["a/index.html", "a/index.html"]) is None  # the same page twice
    assert folders_of(["news", "news/index.html"]) is None  # a page where a folder goes
    assert folders_of(["news/index.html", "news"]) is None


def test_a_first_publish_finds_every_folder_made_while_its_pages_rendered(tmp_path, monkeypatch):
    out = tmp_path / "public"
    pub = Publication(out, {})
    pub.make_folders(list(PAGES))

    def writer_makes_a_folder(*args, **kwargs):
        raise AssertionError("the writer made a folder itself")

    monkeypatch.setattr(publication, "make_folder", writer_makes_a_folder)
    result = write_output(out, {}, PAGES.items(), publication=pub)
    assert sorted(result.written) == sorted(PAGES)
    assert {rel: (out / rel).read_bytes() for rel in PAGES} == PAGES
    assert read_manifest(out).keys() == PAGES.keys()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # no staging folder left


def test_over_a_published_site_no_folder_is_made_before_the_writer(tmp_path, monkeypatch):
    out = tmp_path / "public"
    write_output(out, {}, PAGES.items())
    started = []
    monkeypatch.setattr(publication, "FolderMaker", lambda *a: started.append(a))
    pub = Publication(out, read_manifest(out))  # the staging folder waits for a second change
    pub.make_folders([*PAGES, "new/index.html"])
    assert started == []
    write_output(out, read_manifest(out), [*PAGES.items(), ("new/index.html", b"n")], publication=pub)
    assert (out / "new" / "index.html").read_bytes() == b"n"


def test_a_failed_build_stops_the_folders_and_leaves_nothing_beside_the_output(tmp_path, monkeypatch):
    out = tmp_path / "public"
    going, release = threading.Event(), threading.Event()
    real = staging.make_folder

    def slow(folder: str, *, recycled: bool) -> bool:
        going.set()
        release.wait(5)
        return real(folder, recycled=recycled)

    monkeypatch.setattr("newsgen.publish.folders.make_folder", slow)
    rels = [f"{n}/index.html" for n in range(200)]
    with pytest.raises(BuildError), Publication(out, {}) as pub:
        pub.make_folders(rels)
        assert going.wait(5)
        release.set()  # the render fails while folders are being made
        raise BuildError("template error")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_is_left_to_the_writer(tmp_path):
    staging_folder = tmp_path / "stage"
    staging_folder.mkdir()
    (staging_folder / "a").write_bytes(b"a page where a folder goes")
    maker = FolderMaker(str(staging_folder), ["a/index.html", "a/b/index.html", "c/index.html"])
    assert maker.finish() == set()  # it stops at the first failure: the writer reports it


def test_a_first_build_of_a_site_makes_the_same_output_in_folders_made_meanwhile(
    tmp_path, write_site, monkeypatch
):
    """The whole build: output as a build that made every folder in the writer."""
    stories = {f"articles/s{n}.md": article(f"Story {n}", tags="[harbour, ferry]") for n in range(6)}
    site = write_site(stories)
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "a"), "-q"]) == 0
    monkeypatch.setattr(Publication, "make_folders", lambda self, rels: None)
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "b"), "-q"]) == 0

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert "2025/03/01/s3/index.html" in files(tmp_path / "a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "site"]  # no staging folder left


@pytest.mark.parametrize("parent_exists", [True, False])
def test_a_first_build_that_fails_to_render_leaves_no_folder_behind(tmp_path, write_site, parent_exists):
    site = write_site(
        {"articles/a.md": article("Alpha"), "templates/partials/footer.html": "{{ no_such_thing.x }}\n"}
    )
    parent = tmp_path / "www"
    if parent_exists:
        parent.mkdir()
    assert main(["build", "--site", str(site), "--output", str(parent / "public"), "-q"]) != 0
    if parent_exists:
        assert list(parent.iterdir()) == []  # no staging folder, no output
    else:
        # the output's parent is made by a build that publishes, not by one that fails
        assert not parent.exists()
