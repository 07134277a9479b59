"""The spare's pages that are the output's own files are taken as such without a look
(newsgen.publish.twins), and anything that makes one another file is seen."""

from __future__ import annotations

import os
import shutil

import pytest
from test_publish import SITE_V1, SITE_V2, cache_of, leftovers, publish, site_files, spare_of

from newsgen.publish import publication
from newsgen.publish.twins import TWINS_NAME, note_twins, read_twins

pytestmark = pytest.mark.usefixtures("exchange_always")  # the publish that recycles the spare


def _counting(monkeypatch) -> list[str]:
    """The staging-folder paths the publish looks at to tell a spare's page is the output's."""
    looked: list[str] = []
    real = publication.same_inode

    def counting(st, path):
        looked.append(path)
        return real(st, path)

    monkeypatch.setattr(publication, "same_inode", counting)
    return looked


def _pages(looked: list[str]) -> list[str]:
    return sorted(p.rsplit(".newsgen-", 1)[-1].split("/", 1)[1] for p in looked)


def test_a_rebuild_takes_the_spares_twins_without_looking(tmp_path, monkeypatch):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    publish(out, SITE_V2)  # the V1 tree becomes the spare: only feed.xml was linked from it
    assert (cache_of(out) / TWINS_NAME).exists()
    looked = _counting(monkeypatch)
    publish(out, SITE_V2)  # recycles the V1 tree
    assert _pages(looked) == ["a/index.html", "c/x/index.html", "index.html"]  # not feed.xml
    assert site_files(out) == SITE_V2
    looked.clear()
    result = publish(out, SITE_V2)  # recycles the tree of the second publish: every page its twin
    assert looked == [] and sorted(result.unchanged) == sorted(SITE_V2)
    assert site_files(out) == SITE_V2 and leftovers(out) == []
    inodes = {rel: os.stat(out / rel).st_ino for rel in SITE_V2}
    publish(out, SITE_V1)  # and the next publish relinks what changed
    assert site_files(out) == SITE_V1 and leftovers(out) == []
    assert os.stat(out / "feed.xml").st_ino == inodes["feed.xml"]


def test_a_page_deleted_or_replaced_in_the_spare_is_published_from_the_output(tmp_path, monkeypatch):
    out = tmp_path / "public"
    for files in (SITE_V1, SITE_V2, SITE_V2):
        publish(out, files)
    spare = spare_of(out)
    (spare / "a" / "index.html").unlink()
    tmp = spare / "feed.xml.tmp"
    tmp.write_bytes(b"<feed>not newsgen's</feed>")
    os.replace(tmp, spare / "feed.xml")
    looked = _counting(monkeypatch)
    publish(out, SITE_V2)
    assert site_files(out) == SITE_V2  # both pages as the output had them
    assert _pages(looked) == ["a/index.html", "feed.xml"]  # each left the output's file one link
    assert leftovers(out) == []


def test_a_note_names_one_spare_and_is_read_once(tmp_path):
    spare = tmp_path / "spare"
    spare.mkdir()
    (spare / "index.html").write_bytes(b"x")
    (spare / ".newsgen-manifest.json").write_text("{}")
    note_twins(spare, ["a/index.html"])
    assert read_twins(spare) == frozenset({"a/index.html"})
    assert read_twins(spare) is None  # removed when read
    note_twins(spare, [])
    shutil.copytree(spare, tmp_path / "copy")
    shutil.rmtree(spare)
    (tmp_path / "copy").rename(spare)  # another folder at the same place
    assert read_twins(spare) is None
    note_twins(spare, [])
    (spare.with_name(TWINS_NAME)).write_text('{"spare": 1, "others": [')  # damaged
    assert read_twins(spare) is None
