"""Folder listings remembered between builds (newsgen.publish.listings): a publish reads
only the folders that changed, and still finds everything that was added by hand."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from newsgen.core import fsops
from newsgen.publish import listings
from newsgen.publish.listings import LISTINGS_NAME, Listings, RealFolders
from newsgen.publish.outdir import manifest_bytes, read_manifest
from newsgen.publish.publication import Publication

pytestmark = pytest.mark.usefixtures("exchange_always")  # the publish that lists every folder

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


def test_the_first_rebuild_after_a_first_build_reads_only_what_changed(tmp_path, old_folders):
    """A first build made every folder of its output itself: it remembers them without
    reading them, so the rebuild after it reads the top and the folders it changes."""
    out = tmp_path / "public"
    assert publish(out, SITE).read == 0
    (out / "2024/02/story-7/notes.txt").write_text("mine\n")  # dropped in by hand since
    used = publish(out, dict(SITE, **{"index.html": b"<h1>front, again</h1>"}))
    assert used.remembered > 1000 and used.read < 10
    assert (out / "2024/02/story-7/notes.txt").read_text() == "mine\n"


def test_the_two_rebuilds_after_a_first_build_read_only_what_changed(tmp_path, old_folders):
    """The first build notes every folder of its output; the first rebuild makes its staging
    folder itself (and notes it), and keeps the first build's tree, which it walked as the output
    from those notes, as the spare the second rebuild recycles: neither tree is read whole."""
    out = tmp_path / "public"
    publish(out, SITE)
    for front in (b"<h1>front, again</h1>", b"<h1>front, third</h1>"):
        used = publish(out, dict(SITE, **{"index.html": front}))
        assert used.read < 10 and used.remembered > 1000
        assert (out / "index.html").read_bytes() == front
    (out / "2024/01/story-3/notes.txt").write_text("mine\n")
    for _ in range(2):
        publish(out, SITE)
        assert (out / "2024/01/story-3/notes.txt").read_text() == "mine\n"


def test_folders_given_foreign_files_are_read_again(tmp_path, old_folders):
    """A build that made its staging folder itself over an output holding foreign files
    (here: its cache was deleted) remembers only the folders it gave nothing foreign."""
    out = tmp_path / "public"
    publish(out, SITE)
    (out / "2024/01/story-3/notes.txt").write_text("mine\n")
    (out / "2024/01/extra/deep").mkdir(parents=True)
    (out / "2024/01/extra/deep/page.html").write_text("by hand\n")
    shutil.rmtree(tmp_path / ".newsgen-cache")
    publish(out, SITE)
    for _ in range(3):
        publish(out, SITE)
        assert (out / "2024/01/story-3/notes.txt").read_text() == "mine\n"
        assert (out / "2024/01/extra/deep/page.html").read_text() == "by hand\n"


def test_a_first_build_remembers_no_folder_it_changed_just_now(tmp_path, monkeypatch):
    monkeypatch.setattr(listings, "FINE_RACY_NS", 10**12)  # every folder changed "just now"
    out = tmp_path / "public"
    publish(out, SITE)
    used = publish(out, SITE)
    assert used.remembered == 0 and used.read > len(SITE)


def records(home: Path) -> tuple[bytes, list[list[bytes]]]:
    """The records file ``home``: its first line, and each record as [key, generation, record]."""
    head, _, body = home.read_bytes().partition(b"\n")
    fields = body.split(b"\0")[:-1]
    return head, [fields[i : i + 3] for i in range(0, len(fields), 3)]


def write_records(home: Path, head: bytes, rows: list[list[bytes]]) -> None:
    home.write_bytes(head + b"\n" + b"".join(b"\0".join(r) + b"\0" for r in rows))


def test_a_damaged_record_means_its_folder_is_read(tmp_path, old_folders):
    out = tmp_path / "public"
    four_builds(out)
    home = tmp_path / ".newsgen-cache" / LISTINGS_NAME
    head, rows = records(home)
    for row in rows:
        row[2] = row[2].replace(b" ", b" 1", 1)  # a damaged time
    write_records(home, head, rows)
    (out / "2024/02/story-9/notes.txt").write_text("mine\n")
    assert publish(out, SITE).read > len(SITE)  # every folder of the output was read
    assert (out / "2024/02/story-9/notes.txt").read_text() == "mine\n"
    head, rows = records(home)
    for row in rows:
        if row[2].endswith(b"/index.html"):
            row[2] = row[2][: -len("index.html")] + b".."  # tampered with: no folder holds ".."
    write_records(home, head, rows)
    assert publish(out, SITE).read > len(SITE)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"\x00 not a records file",
        lambda data: data[: len(data) // 2],  # cut short: the fields no longer come in threes
        lambda data: data.replace(b"listings 2", b"listings 9", 1),  # another version's
        lambda data: b"{" + data,
    ],
)
def test_a_damaged_record_file_means_every_folder_is_read(tmp_path, old_folders, damage):
    out = tmp_path / "public"
    four_builds(out)
    home = tmp_path / ".newsgen-cache" / LISTINGS_NAME
    home.write_bytes(damage(home.read_bytes()))
    (out / "2024/01/story-5/notes.txt").write_text("mine\n")
    used = publish(out, SITE)
    assert used.read > len(SITE) and used.remembered < len(SITE) // 2
    assert (out / "2024/01/story-5/notes.txt").read_text() == "mine\n"


def test_names_that_are_not_text_are_remembered_as_they_are(tmp_path, old_folders):
    out = tmp_path / "public"
    four_builds(out)
    odd = os.fsdecode(b"caf\xe9 \n\t.txt")  # Latin-1 bytes, a newline and a tab in a file name
    (out / "2024/01/story-2" / odd).write_text("mine\n")
    for _ in range(4):
        publish(out, SITE)
        assert (out / "2024/01/story-2" / odd).read_text() == "mine\n"
    used = publish(out, SITE)
    assert used.remembered > 1000 and used.read < 10


def test_a_folder_changed_since_its_record_is_read_again_and_its_new_file_kept(tmp_path, old_folders):
    out = tmp_path / "public"
    used = four_builds(out)
    assert used.read < 10
    (out / "2024/02/story-11/extra.html").write_text("by hand\n")
    used = publish(out, SITE)
    assert 1 <= used.read < 10  # the changed folder, not all of them
    assert (out / "2024/02/story-11/extra.html").read_text() == "by hand\n"


def test_the_old_json_records_file_is_replaced(tmp_path, old_folders):
    out = tmp_path / "public"
    publish(out, SITE)
    old = tmp_path / ".newsgen-cache" / "folders.json"
    old.write_text('{"version":1,"generation":3,"folders":{}}')
    publish(out, SITE)
    assert not old.exists() and (tmp_path / ".newsgen-cache" / LISTINGS_NAME).is_file()


def test_a_folder_changed_between_the_two_walks_is_read_again(tmp_path, monkeypatch):
    """Within one build a listing is reused from memory only while the folder's times are
    those it was read with."""
    monkeypatch.setattr(listings, "RACY_NS", -(10**12))  # everything counts as old
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a").write_text("a")
    used = Listings(tmp_path / LISTINGS_NAME)
    used.start(folder / "a")
    assert used.list(str(folder)) == ([], ["a"])
    assert used.list(str(folder)) == ([], ["a"]) and used.read == 1 and used.reused == 1
    before = folder.stat()
    (folder / "b").write_text("b")
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))  # its modification time put back:
    assert used.list(str(folder)) == ([], ["a", "b"]) and used.read == 2  # the change time moved


def test_a_racy_folder_is_read_every_time_it_is_listed(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a").write_text("a")
    used = Listings(tmp_path / LISTINGS_NAME)
    used.start(folder / "a")  # the folder changed a moment ago: within RACY_NS
    used.list(str(folder))
    used.list(str(folder))
    assert used.read == 2 and used.remembered == used.reused == 0


def test_a_folder_changed_just_before_the_publish_is_never_remembered(tmp_path):
    """Coarse file system clocks: a change in the same tick as the last one leaves a folder's
    times as they were, so a folder that changed within RACY_NS is read again next time."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a").write_text("a")
    ref = tmp_path / "ref"
    ref.write_text("now")
    second = _listed_again(tmp_path / LISTINGS_NAME, folder, ref)
    assert second.read == 1 and second.remembered == 0


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
        {f"p/{i}.html": f"{i:064x}" for i in range(4096)},  # one whole piece (manifest_pieces)
        {f"p/{i}.html": f"{i:064x}" for i in range(2 * 4096 + 1)},
    ],
)
def test_the_manifest_is_the_json_it_always_was(files):
    """The manifest is spelt out by hand for speed; its bytes are those of json.dumps."""
    expected = json.dumps(
        {"generator": "newsgen", "files": dict(sorted(files.items()))}, indent=1, sort_keys=True
    )
    assert manifest_bytes(files) == (expected + "\n").encode()


@pytest.mark.parametrize(
    ("after_ns", "fine", "remembered"),
    [(500_000_000, True, 1), (500_000_000, False, 0), (3_000_000_000, False, 1)],
)
def test_the_racy_margin_follows_the_file_systems_clock(tmp_path, after_ns, fine, remembered):
    """Times with sub-millisecond digits come from a clock that ticks every few milliseconds:
    a folder last changed half a second before the reference is remembered. Times in whole
    milliseconds may come from a file system that keeps whole seconds: then it is not
    (RACY_NS), unless it changed long before."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a").write_text("a")
    st = os.lstat(folder)
    ref = tmp_path / "ref"
    ref.write_text("now")
    at = (max(st.st_mtime_ns, st.st_ctime_ns) + after_ns) // 1_000_000 * 1_000_000 + (123 if fine else 0)
    os.utime(ref, ns=(at, at))
    assert _listed_again(tmp_path / LISTINGS_NAME, folder, ref).remembered == remembered


def _listed_again(home: Path, folder: Path, reference: Path) -> Listings:
    """List ``folder`` (holding the file ``a``) in a publish that began at ``reference``'s time,
    keep the records in ``home``; the listings of the next publish, having listed it again."""
    first = Listings(home)
    first.start(reference)
    assert first.list(str(folder)) == ([], ["a"])
    first.save()
    second = Listings(home)
    assert second.list(str(folder)) == ([], ["a"])
    return second


@pytest.mark.parametrize("rows_a_piece", [1, 2, 3, 4096])
def test_records_saved_in_pieces_read_back_whole(tmp_path, monkeypatch, rows_a_piece):
    """The records are written a few thousand at a time; every one of them is read back."""
    monkeypatch.setattr(listings, "RACY_NS", -(10**12))  # everything counts as old
    monkeypatch.setattr(fsops, "ROWS_A_PIECE", rows_a_piece)
    folders = [tmp_path / f"f{i}" for i in range(5)]
    for i, folder in enumerate(folders):
        folder.mkdir()
        (folder / f"a{i}").write_text("a")
    home = tmp_path / LISTINGS_NAME
    first = Listings(home)
    first.start(folders[0] / "a0")
    for folder in folders:
        first.list(str(folder))
    first.save()
    second = Listings(home)
    for i, folder in enumerate(folders):
        assert second.list(str(folder)) == ([], [f"a{i}"])
    assert second.read == 0 and second.remembered == len(folders)


def test_real_folders_are_told_by_their_parents_listings(tmp_path, old_folders):
    """A kept page's folders are checked by one listing per parent folder (a day's folder holds
    many stories), each answered from its record: no folder of a story is read or ``lstat``-ed."""
    out = tmp_path / "public"
    listings = four_builds(out)
    used = Listings(listings.home)
    real = RealFolders(used, str(out))
    stories = [rel.rpartition("/")[0] for rel in SITE if rel.count("/") == 3]
    assert all(real(folder) for folder in stories)
    assert real("2024") and real("")
    assert used.read + used.remembered + used.reused == 4  # the top, 2024, 2024/01 and 2024/02
    assert used.remembered == 3  # the top was changed by the last publish (its manifest): read


def test_a_link_a_file_or_nothing_where_a_folder_was_is_no_real_folder(tmp_path, old_folders):
    out = tmp_path / "public"
    listings = four_builds(out)
    (out / "2024/01/story-1").rename(tmp_path / "story-1")
    (out / "2024/01/story-1").symlink_to(tmp_path / "story-1")  # a link to a real folder
    shutil.rmtree(out / "2024/01/story-2")
    (out / "2024/01/story-2").write_text("a file\n")
    shutil.rmtree(out / "2024/01/story-3")
    (out / "2024/02").rename(tmp_path / "february")
    (out / "2024/02").symlink_to(tmp_path / "february")  # a link further up
    real = RealFolders(Listings(listings.home), str(out))
    assert real("2024/01/story-0") and real("2024/01")
    assert not real("2024/01/story-1")
    assert not real("2024/01/story-2")
    assert not real("2024/01/story-3")
    assert not real("2024/02") and not real("2024/02/story-5")
    assert not real("2025/01/story-0")
