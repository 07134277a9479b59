"""The one owner of each path check: inside a folder, a plain output path, real folders on the way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsgen.core.paths import (
    blocking_folder,
    check_rel,
    is_real_folder,
    is_within,
    plain_file,
    real_folders,
    resolved,
    safe_target,
    valid_rel,
)
from newsgen.errors import BuildError


def test_is_within_compares_paths_as_given():
    root = Path("/srv/site")
    assert is_within(root, root)
    assert is_within(root / "a" / "b", root)
    assert not is_within(Path("/srv/site-other/a"), root)  # a shared prefix of letters is not enough
    assert not is_within(Path("/srv"), root)


@pytest.mark.parametrize("rel", ["index.html", "a/b/index.html", ".well-known/x", "a..b/c"])
def test_plain_relative_paths_are_valid(rel):
    assert valid_rel(rel)
    check_rel(rel)


@pytest.mark.parametrize("rel", ["", "/etc/passwd", "a//b", "a/./b", "../x", "a/..", "a\\b", "a\x00b", "a/"])
def test_other_paths_are_refused(rel):
    assert not valid_rel(rel)
    with pytest.raises(BuildError, match="unsafe output path"):
        check_rel(rel)


def test_safe_target_refuses_a_link_out_of_the_root(tmp_path):
    root = tmp_path / "root"
    (root / "in").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", root / "out")
    assert safe_target(root, "in/page.html") == root / "in" / "page.html"
    with pytest.raises(BuildError, match="outside"):
        safe_target(root, "out/page.html")


def test_blocking_folder_names_the_first_folder_that_is_not_real(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "f").write_text("a file")
    os.symlink(tmp_path / "a", tmp_path / "link")
    assert blocking_folder(tmp_path, "") is None
    assert blocking_folder(tmp_path, "a/b") is None
    assert blocking_folder(tmp_path, "link/b") == "link"  # a link to a real folder is still a link
    assert blocking_folder(tmp_path, "f/x") == "f"
    assert blocking_folder(tmp_path, "a/missing/x") == "a/missing"
    assert blocking_folder(tmp_path, "a/missing/x", missing_ok=True) is None
    assert blocking_folder(tmp_path, "link/new", missing_ok=True) == "link"
    assert real_folders(tmp_path, "a/b") and not real_folders(str(tmp_path), "link")
    assert is_real_folder(tmp_path / "a") and not is_real_folder(tmp_path / "link")
    assert not is_real_folder(tmp_path / "f") and not is_real_folder(tmp_path / "nothing")


def test_known_folders_are_not_looked_at_again(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    known: set[str] = set()
    assert real_folders(tmp_path, "a/b", known)
    assert known == {"a", "a/b"}
    looked: list[str] = []
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: looked.append(str(p)) or real_lstat(p, *a, **k))
    assert real_folders(tmp_path, "a/b", known) and real_folders(tmp_path, "a", known)
    assert real_folders(tmp_path, "a/b/c", known) is False  # c is missing: only c is looked at
    assert looked == [f"{tmp_path}/a/b/c"]


def test_plain_file_is_a_regular_file_of_the_size_in_real_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_bytes(b"12345")
    os.symlink(tmp_path / "a", tmp_path / "link")
    st = plain_file(tmp_path, "a/page.html", 5)
    assert st is not None and st.st_size == 5
    assert plain_file(tmp_path, "a/page.html", 4) is None  # another size
    assert plain_file(tmp_path, "link/page.html", 5) is None  # behind a symbolic link
    assert plain_file(tmp_path, "a", 0) is None  # a folder
    assert plain_file(tmp_path, "a/missing.html", 5) is None


def test_resolved_says_when_links_go_round_in_a_loop(tmp_path):
    (tmp_path / "self").symlink_to("self")
    (tmp_path / "ping").symlink_to("pong")
    (tmp_path / "pong").symlink_to("ping")
    (tmp_path / "into").symlink_to("ping/x")
    (tmp_path / "fine").symlink_to("elsewhere")  # broken, but no loop
    for name in ("self", "ping", "pong", "into"):
        assert resolved(tmp_path / name) is None, name
    assert resolved(tmp_path / "fine") == tmp_path.resolve() / "elsewhere"
    assert resolved(tmp_path / "self" / "below") is None
