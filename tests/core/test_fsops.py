"""Writing files: whole or in pieces, never through a link, replaced atomically."""

from __future__ import annotations

import os

import pytest

from newsgen.core.fsops import replace_file, write_new


@pytest.mark.parametrize(
    "data",
    [b"front page", bytearray(b"front page"), memoryview(b"front page"), [b"front", b"", b" page"]],
    ids=["bytes", "bytearray", "memoryview", "pieces"],
)
def test_a_file_is_written_from_bytes_or_from_pieces(tmp_path, data):
    """The manifests are written a few thousand rows at a time; any bytes-like value is one piece."""
    write_new(tmp_path / "new", data)
    assert (tmp_path / "new").read_bytes() == b"front page"
    (tmp_path / "old").write_bytes(b"old")
    replace_file(tmp_path / "old", iter(data) if isinstance(data, list) else data)
    assert (tmp_path / "old").read_bytes() == b"front page"
    assert sorted(os.listdir(tmp_path)) == ["new", "old"]  # no temporary file left


def test_a_failed_replacement_leaves_the_old_file_and_no_temporary_one(tmp_path):
    def pieces():
        yield b"half"
        raise ValueError("cannot encode")

    (tmp_path / "old").write_bytes(b"old")
    with pytest.raises(ValueError):
        replace_file(tmp_path / "old", pieces())
    assert (tmp_path / "old").read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["old"]


def test_writing_never_follows_a_link(tmp_path):
    (tmp_path / "target").write_bytes(b"kept")
    os.symlink(tmp_path / "target", tmp_path / "link")
    with pytest.raises(OSError):
        write_new(tmp_path / "link", [b"x"])
    assert (tmp_path / "target").read_bytes() == b"kept"
