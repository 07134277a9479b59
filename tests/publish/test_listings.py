"""Folder listings remembered between builds (newsgen.publish.listings): a publish reads
only the folders that changed, and still finds everything that was added by hand."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsgen.publish import listings
from newsgen.publish.listings import LISTINGS_NAME, Listings
from newsgen.publish.outdir import manifest_bytes, read_manifest
from newsgen.publish.publication import Publication
from newsgen.publish.spare import SEED_SPARE_FILES

#: A site with a folder per story, as newsgen makes them; large enough to leave a spare.
SITE = {
    **{f"2024/{m:02}/story-{i}/index.html": f"story {m} {i}".encode() for m in (1, 2) for i in range(600)},
    "index.html": b"<h1>front</h1>",
    "feed.xml": b"<feed/>",
}


def publish(out: Path, files: dict[str, bytes]) -> Listings:
    """Publish ``files`` with a build cache beside ``out``; the listings the publish used."""
    previous = read_manifest(out) or {} if out.exists() else {}
    cache = out.parent / ".newsgen-cache"
    cache.mkdir(exist_ok=True)
    with Publication(out, previous, cache=cache) as pub:
        for rel, data in sorted(files.items()):
            pub.add(rel, data)
        pub.commit()
        return pub.listings


@pytest.fixture
def old_folders(monkeypatch):
    """Every folder counts as changed long before the publish began (in a test they were all
    made a moment ago, and would never be remembered: see RACY_NS)."""
    real = Listings.start

    def start(self, reference):
        real(self, reference)
        if self._reference is not None:
            self._reference += 10**12

    monkeypatch.setattr(Listings, "start", start)


def four_builds(out: Path) -> Listings:
    """A first build, then three rebuilds: by the fourth, both trees (the output and the spare,
    which take turns) were read as the output once."""
    assert len(SITE) >= SEED_SPARE_FILES
    for _ in range(3):
        publish(out, SITE)
    return publish(out, SITE)


def test_unchanged_folders_are_not_read_again(tmp_path, old_folders):
    out = tmp_path / "public"
    used = four_builds(out)
    assert used.remembered > 1000 and used.read < 10  # the root, and folders the build changed
    assert (tmp_path / ".newsgen-cache" / LISTINGS_NAME).is_file()


def test_a_foreign_file_dropped_into_a_remembered_folder_is_kept(tmp_path, old_folders):
    out = tmp_path / "public"
    four_builds(out)
    (out / "2024/02/story-7/notes.txt").write_text("mine\n")
    os.symlink("index.html", out / "2024/01/story-3/alias.html")
    for front in (b"<h1>front</h1>", b"<h1>front, again</h1>"):
        publish(out, dict(SITE, **{"index.html": front}))
        assert (out / "2024/02/story-7/notes.txt").read_text() == "mine\n"
        assert os.readlink(out / "2024/01/story-3/alias.html") == "index.html"
        assert (out / "index.html").read_bytes() == front
    spare = tmp_path / ".newsgen-cache" / "spare"
    assert not (spare / "2024/02/story-7/notes.txt").exists()  # the spare holds newsgen's pages only


def test_a_folder_made_by_hand_is_kept_with_its_files(tmp_path, old_folders):
    out = tmp_path / "public"
    four_builds(out)
    (out / "2024/01/extra/deep").mkdir(parents=True)
    (out / "2024/01/extra/deep/page.html").write_text("by hand\n")
    for _ in range(3):
        publish(out, SITE)
        assert (out / "2024/01/extra/deep/page.html").read_text() == "by hand\n"
    spare = tmp_path / ".newsgen-cache" / "spare"
    assert not (spare / "2024/01/extra").exists()  # the spare holds newsgen's pages only


def test_a_damaged_record_file_means_every_folder_is_read(tmp_path, old_folders):
    out = tmp_path / "public"
    four_builds(out)
    home = tmp_path / ".newsgen-cache" / LISTINGS_NAME
    data = json.loads(home.read_text())
    for key, rec in data["folders"].items():
        data["folders"][key] = rec.replace(" ", " x", 1)  # a damaged time
    home.write_text(json.dumps(data))
    (out / "2024/02/story-9/notes.txt").write_text("mine\n")
    assert publish(out, SITE).read > len(SITE)  # every folder of the output was read
    assert (out / "2024/02/story-9/notes.txt").read_text() == "mine\n"
    data = json.loads(home.read_text())
    for key, rec in data["folders"].items():
        if rec.endswith("/index.html"):
            data["folders"][key] = rec[: -len("index.html")] + ".."  # tampered with: no folder holds ".."
    home.write_text(json.dumps(data))
    assert publish(out, SITE).read > len(SITE)
    home.write_bytes(b"\x00 not json")
    assert publish(out, SITE).read > len(SITE)


def test_a_folder_changed_just_before_the_publish_is_never_remembered(tmp_path):
    """Coarse file system clocks: a change in the same tick as the last one leaves a folder's
    times as they were, so a folder that changed within RACY_NS is read again next time."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a").write_text("a")
    ref = tmp_path / "ref"
    ref.write_text("now")
    home = tmp_path / LISTINGS_NAME
    first = Listings(home)
    first.start(ref)
    assert first.list(str(folder)) == ([], ["a"])
    first.save()
    second = Listings(home)
    assert second.list(str(folder)) == ([], ["a"]) and second.read == 1 and second.remembered == 0


def test_a_remembered_folder_is_read_again_when_its_times_change(tmp_path, monkeypatch):
    monkeypatch.setattr(listings, "RACY_NS", -(10**12))  # everything counts as old
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a").write_text("a")
    home = tmp_path / LISTINGS_NAME
    first = Listings(home)
    first.start(folder / "a")
    first.list(str(folder))
    first.save()
    again = Listings(home)
    assert again.list(str(folder)) == ([], ["a"]) and again.remembered == 1
    (folder / "b").write_text("b")
    third = Listings(home)
    assert third.list(str(folder)) == ([], ["a", "b"]) and third.read == 1


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"index.html": "ab"},
        {"z/é.html": "1", 'a"b\\c': "x\u2028", "b": "\x00"},
        {rel: f"{i:064x}" for i, rel in enumerate(SITE)},
    ],
)
def test_the_manifest_is_the_json_it_always_was(files):
    """The manifest is spelt out by hand for speed; its bytes are those of json.dumps."""
    expected = json.dumps(
        {"generator": "newsgen", "files": dict(sorted(files.items()))}, indent=1, sort_keys=True
    )
    assert manifest_bytes(files) == (expected + "\n").encode()
