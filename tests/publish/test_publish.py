"""Atomic publish: staging beside the output, the exchange, foreign files, the spare, fallbacks, crashes."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from conftest import tree_digest
from newsgen.core import fsops
from newsgen.errors import BuildError
from newsgen.publish import outdir, swap
from newsgen.publish.outdir import MANIFEST, STAGING_MARK, read_manifest
from newsgen.publish.publication import Publication
from newsgen.publish.retire import clean_leftovers
from newsgen.publish.spare import SPARE_NAME
from newsgen.publish.write import write_output

SITE_V1 = {"index.html": b"<h1>v1</h1>", "a/index.html": b"A1", "b/index.html": b"B", "feed.xml": b"<feed/>"}
SITE_V2 = {
    "index.html": b"<h1>v2</h1>",
    "a/index.html": b"A2",
    "c/x/index.html": b"C",
    "feed.xml": b"<feed/>",
}


def cache_of(out: Path) -> Path:
    """The build cache folder these tests use: beside the output, as in a site folder."""
    return out.parent / ".newsgen-cache"


def spare_of(out: Path) -> Path:
    return cache_of(out) / SPARE_NAME


def publish(out: Path, files: dict[str, bytes], *, cache: bool = True, **kw):
    """Publish ``files`` into ``out``, with a build cache folder (where the spare is kept) unless
    ``cache`` is false."""
    previous = read_manifest(out) or {} if out.exists() else {}
    folder = cache_of(out) if cache else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    with Publication(out, previous, cache=folder, **kw) as pub:
        for rel, data in sorted(files.items()):
            pub.add(rel, data)
        return pub.commit()


def site_files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != MANIFEST
    }


def add_foreign(out: Path) -> None:
    (out / ".git" / "objects").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / ".git" / "objects" / "ab").write_bytes(b"\x00blob")
    (out / "CNAME").write_text("news.example.com\n")
    (out / "notes.txt").write_text("do not delete\n")
    (out / "a" / "mine.txt").write_text("foreign file inside a folder newsgen writes\n")
    (out / ".well-known").mkdir()
    (out.parent / "secret.txt").write_text("outside the output folder\n")
    os.symlink("../secret.txt", out / "link-out")


FOREIGN = {".git/HEAD", ".git/objects/ab", "CNAME", "notes.txt", "a/mine.txt"}


def leftovers(out: Path) -> list[str]:
    """newsgen's folders beside and inside ``out``; the spare, in the cache, is checked to be pure."""
    spare = spare_of(out)
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(outdir.outer_prefix(out))]
    inside = [p.name for p in out.iterdir() if p.name.startswith(outdir.INNER_PREFIX)] if out.exists() else []
    if spare.exists():
        listed = set(json.loads((spare / MANIFEST).read_text())["files"]) | {MANIFEST}
        present = {p.relative_to(spare).as_posix() for p in spare.rglob("*") if not p.is_dir()}
        assert present <= listed, f"the spare holds more than newsgen's pages: {present - listed}"
        assert not [p for p in spare.rglob("*") if p.is_dir() and not any(p.iterdir())], "empty folders"
    return beside + inside


@pytest.fixture(params=["swap", "in-place"])
def mode(request):
    return request.param


def test_first_publish_creates_the_folder_and_manifest(tmp_path, mode):
    out = tmp_path / "public"
    result = publish(out, SITE_V1, in_place=mode == "in-place")
    assert result.mode == mode
    assert site_files(out) == SITE_V1
    assert sorted(result.written) == sorted(SITE_V1) and not result.unchanged and not result.removed
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == sorted(SITE_V1)
    assert leftovers(out) == []


def test_rebuild_keeps_foreign_files_and_removes_only_manifest_files(tmp_path, mode):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    add_foreign(out)
    result = publish(out, SITE_V2, in_place=mode == "in-place")
    files = site_files(out)
    for rel in FOREIGN:
        assert rel in files, rel
    assert files["notes.txt"] == b"do not delete\n"
    assert os.readlink(out / "link-out") == "../secret.txt"  # a foreign link is kept as a link
    assert (out / ".well-known").is_dir()
    assert "b/index.html" not in files and not (out / "b").exists()  # removed, folder pruned
    assert {k: v for k, v in files.items() if k not in FOREIGN} == SITE_V2
    assert result.removed == ["b/index.html"]
    assert sorted(result.unchanged) == ["feed.xml"]
    assert sorted(result.written) == ["a/index.html", "c/x/index.html", "index.html"]
    assert leftovers(out) == []


def test_unchanged_files_keep_their_mtime_and_inode(tmp_path, mode):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    old_ns = 1_000_000_000_000_000_000
    os.utime(out / "feed.xml", ns=(old_ns, old_ns))
    inode = os.stat(out / "feed.xml").st_ino
    publish(out, SITE_V2, in_place=mode == "in-place")
    st = os.stat(out / "feed.xml")
    assert st.st_mtime_ns == old_ns
    assert st.st_ino == inode
    assert os.stat(out / "index.html").st_mtime_ns != old_ns


def test_swap_replaces_the_folder_in_one_step(tmp_path, monkeypatch):
    """In swap mode the output folder itself is exchanged: its inode changes, content is complete."""
    out = tmp_path / "public"
    publish(out, SITE_V1)
    before = os.stat(out).st_ino
    calls = []
    real = swap._exchange

    def watching(a, b):
        calls.append((a, b))
        assert site_files(b) == SITE_V1  # nothing in the output changed before the exchange
        real(a, b)

    monkeypatch.setattr(swap, "_exchange", watching)
    publish(out, SITE_V2)
    assert len(calls) == 1 and calls[0][1] == out
    assert calls[0][0].parent == out.parent  # staged beside the output
    assert os.stat(out).st_ino != before


@pytest.mark.parametrize("why", ["mount point", "other file system", "no exchange call", "exchange fails"])
def test_falls_back_to_in_place_when_the_folder_cannot_be_swapped(tmp_path, monkeypatch, why):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    add_foreign(out)
    inode = os.stat(out).st_ino
    if why == "mount point":
        monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == out)
    elif why == "other file system":
        real_stat = os.stat

        class FakeStat:
            def __init__(self, st):
                self._st = st

            def __getattr__(self, name):
                return 12345 if name == "st_dev" else getattr(self._st, name)

        monkeypatch.setattr(
            os,
            "stat",
            lambda p, *a, **k: FakeStat(real_stat(p, *a, **k)) if Path(p) == out else real_stat(p, *a, **k),
        )
    elif why == "no exchange call":
        monkeypatch.setattr(swap, "_exchange", None)
    else:

        def refuse(a, b):
            raise OSError(errno.EINVAL, "Invalid argument")

        monkeypatch.setattr(swap, "_exchange", refuse)
    result = publish(out, SITE_V2)
    assert result.mode == "in-place"
    assert os.stat(out).st_ino == inode  # the folder itself was never replaced
    files = site_files(out)
    assert set(files) >= FOREIGN
    assert {k: v for k, v in files.items() if k not in FOREIGN} == SITE_V2
    assert leftovers(out) == []


def test_symlinked_output_folder_is_published_through_the_link(tmp_path):
    real = tmp_path / "www" / "site"
    real.mkdir(parents=True)
    link = tmp_path / "public"
    link.symlink_to(real)
    publish(real.resolve(), SITE_V1)
    publish(real.resolve(), SITE_V2)
    assert link.is_symlink() and site_files(link) == SITE_V2


def test_error_while_staging_leaves_the_output_untouched(tmp_path, mode):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    add_foreign(out)
    before = tree_digest(out)
    with pytest.raises(BuildError, match="unsafe output path"):
        with Publication(out, read_manifest(out), in_place=mode == "in-place") as pub:
            pub.add("index.html", b"new")
            pub.add("../escape.html", b"x")
    assert tree_digest(out) == before
    assert leftovers(out) == []
    assert not (tmp_path / "escape.html").exists()


@pytest.mark.parametrize(
    "rel", ["../x", "/etc/x", "a/../../x", "a\\..\\x", "a\x00b", "", "a//b", "./a", MANIFEST, STAGING_MARK]
)
def test_unsafe_or_reserved_output_paths_are_refused(tmp_path, rel):
    out = tmp_path / "public"
    with pytest.raises(BuildError):
        with Publication(out, {}) as pub:
            pub.add(rel, b"x")
    assert not out.exists() or not any(out.iterdir())


def test_output_path_through_a_symlink_is_refused(tmp_path):
    out = tmp_path / "public"
    with Publication(out, {}) as pub:
        (pub.staging / "evil").symlink_to(tmp_path)
        with pytest.raises(BuildError, match="outside the output folder"):
            pub.add("evil/x.html", b"x")
        pub.abort()


def test_a_file_and_a_folder_at_the_same_path_are_refused(tmp_path):
    out = tmp_path / "public"
    with pytest.raises(BuildError, match="folder"):
        write_output(out, {}, [("a/index.html", b"1"), ("a", b"2")])
    with pytest.raises(BuildError, match="folder"):
        write_output(out, {}, [("b", b"2"), ("b/index.html", b"1")])
    with pytest.raises(BuildError, match="twice"):
        write_output(out, {}, [("c", b"1"), ("c", b"1")])
    assert leftovers(out) == []


def test_foreign_file_where_the_site_needs_a_folder_is_an_error_not_a_deletion(tmp_path, mode):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    (out / "c").write_text("my notes called c\n")
    before = tree_digest(out)
    with pytest.raises(BuildError, match=r"c is .*move it away|c is in the way"):
        publish(out, SITE_V2, in_place=mode == "in-place")
    assert tree_digest(out) == before
    assert leftovers(out) == []


def test_tampered_manifest_never_deletes_outside(tmp_path, mode):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    data = json.loads((out / MANIFEST).read_text())
    data["files"]["../victim.txt"] = "0" * 64
    data["files"]["/etc/hostname"] = "0" * 64
    (out / MANIFEST).write_text(json.dumps(data))
    publish(out, SITE_V2, in_place=mode == "in-place")
    assert victim.read_text() == "precious"


def test_interrupted_staging_folders_are_cleaned_by_the_next_build(tmp_path):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    add_foreign(out)
    # A staging folder that was never published (still marked), beside and inside the output.
    for stage in (tmp_path / f"{outdir.outer_prefix(out)}dead0001", out / f"{outdir.INNER_PREFIX}dead0002"):
        (stage / "x").mkdir(parents=True)
        (stage / STAGING_MARK).write_text("")
        (stage / "x" / "index.html").write_text("half a site")
        os.link(out / "notes.txt", stage / "notes.txt")
    before = tree_digest(out)
    before.pop(f"{outdir.INNER_PREFIX}dead0002/{STAGING_MARK}")
    before.pop(f"{outdir.INNER_PREFIX}dead0002/x/index.html")
    before.pop(f"{outdir.INNER_PREFIX}dead0002/notes.txt")
    assert clean_leftovers(out) == []
    assert leftovers(out) == []
    assert tree_digest(out) == before  # only newsgen's leftovers went; foreign files are intact
    publish(out, SITE_V2)
    assert leftovers(out) == []


def test_an_old_tree_left_by_a_crash_after_the_exchange_is_retired_safely(tmp_path):
    """Killed right after the exchange: the old tree sits beside the output, unmarked."""
    out = tmp_path / "public"
    publish(out, SITE_V1)
    add_foreign(out)
    old = tmp_path / f"{outdir.outer_prefix(out)}old00001"
    # Build the situation by hand: `old` is the previous site plus its foreign files...
    publish(out, SITE_V2)
    old.mkdir()
    (old / MANIFEST).write_bytes(outdir.manifest_bytes({"b/index.html": "x", "index.html": "y"}))
    (old / "b").mkdir()
    (old / "b" / "index.html").write_text("old page")
    (old / "index.html").write_text("old index")
    os.link(out / "notes.txt", old / "notes.txt")  # foreign, also present in the new output
    (old / "late.txt").write_text("created in the old folder during the build")  # foreign, only here
    (old / ".git").mkdir()
    (old / ".git" / "late-object").write_text("also late")
    warnings = clean_leftovers(out)
    assert warnings == []
    assert not old.exists()
    assert (out / "late.txt").read_text() == "created in the old folder during the build"
    assert (out / ".git" / "late-object").read_text() == "also late"
    assert (out / "notes.txt").read_text() == "do not delete\n"
    assert not (out / "b").exists()


def test_a_locked_staging_folder_of_a_running_build_is_left_alone(tmp_path):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    with Publication(out, read_manifest(out)) as running:
        running.add("index.html", b"running")
        running.add("feed.xml", b"<feed>running</feed>")  # a second change: staged beside the output
        assert clean_leftovers(out) == []
        assert running.staging.exists()
        result = running.commit()
    assert result.written == ["index.html", "feed.xml"] and result.mode == "swap"


def test_a_first_build_leaves_no_spare_and_the_first_exchange_keeps_the_old_tree(tmp_path):
    """A first build has no old tree: it makes no spare (a spare of hard links to its pages cost
    5% of a first build, for a next build that may never come, as in CI without a kept cache)."""
    out = tmp_path / "public"
    publish(out, SITE_V1)
    assert not spare_of(out).exists() and leftovers(out) == []
    result = publish(out, SITE_V2)  # a staging folder of its own; the V1 tree becomes the spare
    assert result.mode == "swap" and site_files(out) == SITE_V2 and site_files(spare_of(out)) == SITE_V1
    assert sorted(result.written) == sorted(r for r in SITE_V2 if SITE_V2[r] != SITE_V1.get(r))
    assert leftovers(out) == []


def test_the_previous_pages_are_kept_as_a_spare_and_recycled(tmp_path):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    assert not spare_of(out).exists()  # nothing to keep after the first build of a small site
    add_foreign(out)
    publish(out, SITE_V2)
    spare = spare_of(out)
    assert site_files(spare) == SITE_V1  # the old pages, and nothing foreign
    leftovers(out)
    feed_inode = os.stat(out / "feed.xml").st_ino
    mkdirs = []
    real_mkdir = os.mkdir

    def counting_mkdir(path, *args, **kwargs):
        mkdirs.append(str(path))
        return real_mkdir(path, *args, **kwargs)

    v3 = dict(SITE_V2, **{"b/index.html": b"B is back", "index.html": b"<h1>v3</h1>"})
    with pytest.MonkeyPatch.context() as m:
        m.setattr(os, "mkdir", counting_mkdir)
        result = publish(out, v3)
    files = site_files(out)
    assert {k: v for k, v in files.items() if k not in FOREIGN} == v3
    assert set(files) >= FOREIGN
    assert sorted(result.written) == ["b/index.html", "index.html"]
    assert os.stat(out / "feed.xml").st_ino == feed_inode
    assert site_files(spare_of(out)) == SITE_V2
    assert not [d for d in mkdirs if d.endswith(("/a", "/b"))]  # folders of the spare were reused
    assert leftovers(out) == []


def test_a_damaged_spare_is_discarded(tmp_path):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    publish(out, SITE_V2)
    spare = spare_of(out)
    (spare / MANIFEST).write_text("{not json")
    publish(out, SITE_V1)
    assert site_files(out) == SITE_V1
    assert leftovers(out) == []


def test_in_place_publishing_drops_the_spare(tmp_path):
    out = tmp_path / "public"
    publish(out, SITE_V1)
    publish(out, SITE_V2)
    assert spare_of(out).exists()
    result = publish(out, SITE_V1, in_place=True)
    assert result.mode == "in-place" and not spare_of(out).exists()
    assert site_files(out) == SITE_V1
    assert any("publishing in place" in d.message for d in result.warnings)


def beside(out: Path) -> list[str]:
    """Everything in the output folder's parent but the output, the cache and the test's own file."""
    return sorted(set(os.listdir(out.parent)) - {out.name, cache_of(out).name, "secret.txt"})


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_nothing_is_left_beside_the_output(tmp_path, cache, monkeypatch):
    out = tmp_path / "public"
    for i, files in enumerate((SITE_V1, SITE_V2, SITE_V2, SITE_V1)):
        publish(out, files, cache=cache)
        assert beside(out) == []
        assert spare_of(out).exists() == (cache and i > 0)  # kept from the first exchange on
        if cache:
            leftovers(out)  # the spare holds newsgen's pages only
    add_foreign(out)
    publish(out, SITE_V2, cache=cache)
    assert beside(out) == [] and set(site_files(out)) >= FOREIGN


def test_no_spare_when_the_cache_is_on_another_file_system(tmp_path, monkeypatch):
    """The spare moves between the cache and a staging folder beside the output by renaming:
    with the cache elsewhere there is none, and the old tree is retired."""
    out = tmp_path / "public"
    publish(out, SITE_V1)
    real_stat = os.stat

    class OtherDevice:
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return self._st.st_dev + 1 if name == "st_dev" else getattr(self._st, name)

    cache = cache_of(out)
    monkeypatch.setattr(
        os,
        "stat",
        lambda p, *a, **k: OtherDevice(real_stat(p)) if Path(p) == cache else real_stat(p, *a, **k),
    )
    result = publish(out, SITE_V2)
    assert result.mode == "swap" and site_files(out) == SITE_V2
    assert not spare_of(out).exists() and beside(out) == []


def test_a_spare_left_beside_the_output_by_an_earlier_version_moves_into_the_cache(tmp_path):
    out = tmp_path / "public"
    publish(out, SITE_V1, cache=False)
    old = outdir.old_spare_path(out)
    publish(old, SITE_V2, cache=False)  # what an earlier version kept there: pages and their manifest
    publish(out, SITE_V2)
    assert not old.exists() and beside(out) == []
    assert site_files(spare_of(out)) == SITE_V1  # the old spare was recycled; the old site is the new one
    assert site_files(out) == SITE_V2


# --------------------------------------------------------------------------- crash at every step


class Crash(BaseException):
    """Stands for an exception, Ctrl-C or kill -9 at one precise moment."""


def _count_steps(monkeypatch, target_step: int | None, counter: list[int]) -> None:
    """Make the ``target_step``-th file system operation of the publish raise Crash."""
    names = ["link", "replace", "rename", "unlink", "mkdir", "rmdir", "open", "write", "utime", "chmod"]
    real = {n: getattr(os, n) for n in names}

    def wrap(name):
        def op(*args, **kwargs):
            counter[0] += 1
            if counter[0] == target_step:
                raise Crash(name)
            return real[name](*args, **kwargs)

        return op

    for n in names:
        monkeypatch.setattr(os, n, wrap(n))
    real_exchange = swap._exchange

    def exchange(a, b):
        counter[0] += 1
        if counter[0] == target_step:
            raise Crash("exchange")
        real_exchange(a, b)

    monkeypatch.setattr(swap, "_exchange", exchange)


@pytest.mark.parametrize("kill", [False, True], ids=["exception", "kill-9"])
@pytest.mark.parametrize(
    "in_place,spare",
    [(False, False), (False, True), (True, False)],
    ids=["swap", "swap-recycling-a-spare", "in-place"],
)
def test_crash_at_any_step_leaves_old_or_new_site_and_the_next_build_recovers(
    tmp_path, monkeypatch, kill, in_place, spare
):
    """Crash at each file operation in turn. With the atomic exchange, the output is always
    exactly the old or exactly the new site; in place, every file is old or new. The next build
    always ends with the new site, all foreign files, and no leftovers."""
    base = tmp_path / "template"
    if spare:
        publish(base / "public", SITE_V2)
    publish(base / "public", SITE_V1)
    add_foreign(base / "public")
    old_digest = tree_digest(base / "public")
    new_out = tmp_path / "reference" / "public"
    publish(new_out, SITE_V1)
    add_foreign(new_out)
    publish(new_out, SITE_V2)
    new_digest = tree_digest(new_out)

    # How many operations does one publish take?
    counter = [0]
    run = tmp_path / "count"
    _copy_tree(base, run)
    with monkeypatch.context() as m:
        _count_steps(m, None, counter)
        if kill:
            _no_cleanup(m)
        publish(run / "public", SITE_V2, in_place=in_place)
    total = counter[0]
    assert total > 10

    for step in range(1, total + 1):
        run = tmp_path / f"run{step}"
        _copy_tree(base, run)
        out = run / "public"
        counter = [0]
        with monkeypatch.context() as m:
            _count_steps(m, step, counter)
            if kill:
                _no_cleanup(m)
            with pytest.raises(Crash):
                publish(out, SITE_V2, in_place=in_place)
        now = {
            rel: h for rel, h in tree_digest(out).items() if not rel.startswith(outdir.INNER_PREFIX)
        }  # newsgen's own leftovers, cleaned next time
        if not in_place:
            assert now in (old_digest, new_digest), f"crash at step {step}: a mix of old and new"
        else:
            for rel, h in now.items():
                if rel != MANIFEST:
                    assert h in (old_digest.get(rel), new_digest.get(rel)), f"step {step}: {rel}"
            assert set(now) >= FOREIGN
        publish(out, SITE_V2)  # the next build
        assert tree_digest(out) == new_digest, f"crash at step {step}: next build did not recover"
        assert leftovers(out) == [], f"crash at step {step}: leftovers"


def _no_cleanup(m) -> None:
    """No clean-up code runs after a kill -9; the operating system releases the locks."""
    m.setattr(Publication, "abort", lambda self: fsops.unlock_folder(self._lock_fd))
    for module in ("publication", "staging", "spare", "retire"):  # every caller of remove_tree
        m.setattr(f"newsgen.publish.{module}.remove_tree", lambda path: None)


def _copy_tree(src: Path, dst: Path) -> None:
    import shutil

    shutil.copytree(src, dst, symlinks=True)


def test_a_manifest_read_again_is_what_the_file_holds_now(tmp_path, monkeypatch):
    """A build reads the output's manifest twice (before building, and when it retires the old
    tree); the second read of an unchanged file is remembered, not parsed again, and is a copy
    the caller may change, also after the spare's manifest was read. A file replaced, or changed in place (even to the same size), is
    read again; one changed just before it was read is never remembered."""
    path = tmp_path / MANIFEST
    path.write_bytes(outdir.manifest_bytes({"a.html": "1" * 64, "b.html": "2" * 64}))
    monkeypatch.setattr(outdir, "RACY_MANIFEST_NS", 0)
    monkeypatch.setattr(outdir, "_LAST_MANIFESTS", {})  # this test's, gone with it
    parsed = []
    real = json.loads
    monkeypatch.setattr(outdir.json, "loads", lambda *a, **k: parsed.append(1) or real(*a, **k))
    first = outdir.manifest_files(path)
    assert first == {"a.html": "1" * 64, "b.html": "2" * 64} and len(parsed) == 1
    first["c.html"] = "3" * 64
    again = outdir.manifest_files(path)
    assert again == {"a.html": "1" * 64, "b.html": "2" * 64} and len(parsed) == 1
    again["c.html"] = "3" * 64
    assert outdir.manifest_files(path) == {"a.html": "1" * 64, "b.html": "2" * 64} and len(parsed) == 1
    other = tmp_path / "spare" / MANIFEST  # the spare's, read between the output's two reads
    other.parent.mkdir()
    other.write_bytes(outdir.manifest_bytes({"s.html": "7" * 64}))
    assert outdir.manifest_files(other) == {"s.html": "7" * 64} and len(parsed) == 2
    assert outdir.manifest_files(path) == {"a.html": "1" * 64, "b.html": "2" * 64} and len(parsed) == 2
    fsops.replace_file(path, [outdir.manifest_bytes({"a.html": "4" * 64})])
    assert outdir.manifest_files(path) == {"a.html": "4" * 64}
    path.write_bytes(path.read_bytes().replace(b"4" * 64, b"5" * 64))  # in place, same size
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))
    assert outdir.manifest_files(path) == {"a.html": "5" * 64} and len(parsed) == 4
    monkeypatch.setattr(outdir, "RACY_MANIFEST_NS", 10**15)  # every file is "just changed"
    fsops.replace_file(path, [outdir.manifest_bytes({"a.html": "6" * 64})])
    assert outdir.manifest_files(path) == outdir.manifest_files(path) == {"a.html": "6" * 64}
    assert len(parsed) == 6
