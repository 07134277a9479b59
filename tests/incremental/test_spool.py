"""Where rendered pages wait before they are published: on the output's file system."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import article, tree_digest
from newsgen import BufferReporter, load_config
from newsgen.incremental import spool
from newsgen.pipeline import build
from newsgen.publish.outdir import outer_prefix

CONFIG = "title: Spool Gazette\nbase_url: https://example.com/\ntimezone: Europe/London\n"


def _files() -> dict[str, str]:
    return {
        f"articles/2025/story-{i}.md": article(
            title=f"Story {i}", date=f"2025-03-0{i + 1}", body=f"Text {i}."
        )
        for i in range(4)
    }


def _build(site: Path, out: str, cache: bool) -> None:
    config, _ = load_config(site, output=site / out)
    build(config, BufferReporter(), jobs=1, use_cache=cache)


def test_no_cache_spools_beside_the_output_not_in_the_system_temp_folder(write_site, monkeypatch):
    site = write_site(_files(), config=CONFIG)
    made: list[Path] = []
    real_new_folder = spool.new_folder

    def spy(out, parent, prefix):
        path, fd = real_new_folder(out, parent, prefix)
        made.append(path)
        assert (path / ".newsgen-staging").is_file()  # marked: a killed build's is cleaned up
        return path, fd

    real_mkdtemp = tempfile.mkdtemp

    def no_temp(suffix=None, prefix=None, dir=None):
        if (prefix or "").startswith(spool.SPOOL_PREFIX):
            raise AssertionError("a --no-cache build spooled through the system's temporary folder")
        return real_mkdtemp(suffix, prefix, dir)  # the photos stage's own work folder

    monkeypatch.setattr(spool, "new_folder", spy)
    monkeypatch.setattr(tempfile, "mkdtemp", no_temp)
    _build(site, "public", cache=False)
    assert [p.parent for p in made] == [site]
    assert made[0].name.startswith(outer_prefix(site / "public") + "spool-")
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".public")) == []  # nothing left
    monkeypatch.undo()
    _build(site, "cached", cache=True)
    assert tree_digest(site / "public") == tree_digest(site / "cached")


def test_a_spool_left_beside_the_output_by_a_killed_build_is_removed(write_site):
    site = write_site(_files(), config=CONFIG)
    _build(site, "public", cache=False)
    left = site / (outer_prefix(site / "public") + "spool-12345-abcd")
    left.mkdir()
    (left / ".newsgen-staging").write_text("never published")
    (left / "0").write_text("a page")
    _build(site, "public", cache=False)
    assert not left.exists()
