"""A rebuild that changes one file of the site publishes it with one rename, in place
(newsgen.publish.one_change); a second change makes it publish by exchange as before."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_publish import SITE_V1, SITE_V2, cache_of, leftovers, publish, site_files, spare_of

from newsgen.errors import BuildError
from newsgen.publish import in_place
from newsgen.publish.outdir import MANIFEST, read_manifest
from newsgen.publish.twins import TWINS_NAME
from newsgen.publish.write import write_output

#: SITE_V2 with the front page changed, and nothing else.
FRONT = dict(SITE_V2, **{"index.html": b"<h1>v2, later</h1>"})


def inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*")}


def built_twice(out: Path) -> None:
    """V1 then V2: the output is the V2 site, and the V1 tree is the spare, with its note."""
    publish(out, SITE_V1)
    publish(out, SITE_V2)
    assert spare_of(out).is_dir() and (cache_of(out) / TWINS_NAME).is_file()


def test_one_changed_page_is_renamed_into_place_and_nothing_else_moves(tmp_path):
    out = tmp_path / "public"
    built_twice(out)
    (out / "CNAME").write_text("news.example.com\n")  # not newsgen's
    before, folder = inodes(out), os.stat(out).st_ino
    spare = {p.relative_to(spare_of(out)).as_posix(): p.stat().st_ino for p in spare_of(out).rglob("*")}
    result = publish(out, FRONT)
    assert result.mode == "rename" and result.written == ["index.html"] and result.removed == []
    assert site_files(out) == dict(FRONT, CNAME=b"news.example.com\n")
    assert os.stat(out).st_ino == folder  # no exchange: the folder is the same
    after = inodes(out)
    assert after["index.html"] != before["index.html"]
    assert {r: i for r, i in after.items() if r not in ("index.html", MANIFEST)} == {
        r: i for r, i in before.items() if r not in ("index.html", MANIFEST)
    }
    # The spare and the note of its twins are left as they were, for the next exchange.
    assert {
        p.relative_to(spare_of(out)).as_posix(): p.stat().st_ino for p in spare_of(out).rglob("*")
    } == spare
    assert (cache_of(out) / TWINS_NAME).is_file()
    assert read_manifest(out) is not None and set(read_manifest(out)) == set(FRONT)
    assert leftovers(out) == []


def test_a_second_change_publishes_by_exchange(tmp_path):
    out = tmp_path / "public"
    built_twice(out)
    folder = os.stat(out).st_ino
    result = publish(out, dict(FRONT, **{"feed.xml": b"<feed>new</feed>"}))
    assert result.mode == "swap" and sorted(result.written) == ["feed.xml", "index.html"]
    assert os.stat(out).st_ino != folder
    assert site_files(out) == dict(FRONT, **{"feed.xml": b"<feed>new</feed>"}) and leftovers(out) == []


def test_one_removed_page_alone_is_removed_in_place_and_with_a_change_by_exchange(tmp_path):
    out = tmp_path / "public"
    built_twice(out)
    fewer = {r: b for r, b in SITE_V2.items() if r != "c/x/index.html"}
    result = publish(out, fewer)
    assert result.mode == "rename" and result.removed == ["c/x/index.html"] and result.written == []
    assert site_files(out) == fewer and not (out / "c").exists()
    result = publish(out, dict(SITE_V2, **{"index.html": b"<h1>v3</h1>"}))  # c/x again, and the front
    assert result.mode == "swap" and sorted(result.written) == ["c/x/index.html", "index.html"]
    result = publish(out, dict(fewer, **{"index.html": b"<h1>v4</h1>"}))  # one removed, one changed
    assert result.mode == "swap" and result.removed == ["c/x/index.html"] and result.written == ["index.html"]
    assert site_files(out) == dict(fewer, **{"index.html": b"<h1>v4</h1>"}) and leftovers(out) == []


def test_the_notes_about_the_build_do_not_count_as_a_change(tmp_path):
    out = tmp_path / "public"
    built_twice(out)

    def notes(result):
        return [(".changes.txt", "\n".join(result.written).encode())]

    result = write_output(out, read_manifest(out), sorted(FRONT.items()), notes, cache=cache_of(out))
    assert result.mode == "rename" and result.written == ["index.html"]
    assert (out / ".changes.txt").read_bytes() == b"index.html"
    assert read_manifest(out) is not None and ".changes.txt" in read_manifest(out)


def test_the_next_exchange_recycles_the_spare_around_the_renamed_page(tmp_path):
    out = tmp_path / "public"
    built_twice(out)
    publish(out, FRONT)  # in place: the output's front page is a new file; the spare is V1's tree
    later = dict(FRONT, **{"a/index.html": b"A3", "feed.xml": b"<feed>3</feed>"})
    kept = os.stat(out / "c/x/index.html").st_ino
    result = publish(out, later)
    assert result.mode == "swap" and site_files(out) == later and leftovers(out) == []
    assert os.stat(out / "c/x/index.html").st_ino == kept  # unchanged pages keep their file
    assert site_files(spare_of(out)) == FRONT  # the tree the exchange replaced, reduced to pages
    result = publish(out, dict(later, **{"index.html": b"<h1>again</h1>", "b/index.html": b"B"}))
    assert site_files(out) == dict(later, **{"index.html": b"<h1>again</h1>", "b/index.html": b"B"})
    assert leftovers(out) == []


@pytest.mark.parametrize("mode", ["rename", "in-place"])
def test_a_build_killed_after_a_move_leaves_that_file_to_be_written_again(tmp_path, monkeypatch, mode):
    """The manifest marks the files being moved as pending before the first move: the next
    build rewrites the page, even when it makes the old bytes again, of the same size."""
    out = tmp_path / "public"
    built_twice(out)
    same_size = dict(SITE_V2, **{"a/index.html": b"A9"})  # A2 -> A9: one page, same size
    real = os.replace

    def killed_before_the_last_manifest(src, dst):
        if Path(dst).name == MANIFEST and Path(src).name == MANIFEST:
            raise KeyboardInterrupt  # as if the build were killed here
        real(src, dst)

    monkeypatch.setattr(in_place.os, "replace", killed_before_the_last_manifest)
    with pytest.raises(KeyboardInterrupt):
        publish(out, same_size, in_place=mode == "in-place")
    monkeypatch.setattr(in_place.os, "replace", real)
    assert (out / "a/index.html").read_bytes() == b"A9"  # moved, but the manifest says nothing of it
    assert read_manifest(out)["a/index.html"] == in_place.PENDING
    result = publish(out, SITE_V2, in_place=mode == "in-place")
    assert "a/index.html" in result.written and site_files(out) == SITE_V2


def test_a_conflict_is_found_before_anything_is_staged(tmp_path):
    out = tmp_path / "public"
    built_twice(out)
    with pytest.raises(BuildError, match="is also a file of the site"):
        publish(out, dict(SITE_V2, **{"feed.xml/index.html": b"x"}))
    assert site_files(out) == SITE_V2 and leftovers(out) == []
